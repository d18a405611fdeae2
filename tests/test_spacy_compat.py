"""The non-public spaCy API that blamelint/analysis/spacy_compat.py relies on, and the speed-ups
of blamelint/analysis/speedups.py being in place.

blamelint falls back to spaCy's own behaviour when one of these moves (so a lint never breaks),
which would only make it slower, silently. These tests make an upgrade that moves one fail here,
with a message naming what moved.
"""

from spacy.language import Language
from spacy.tokens import Doc
from thinc.api import NumpyOps

from blamelint.analysis import nlp as nlp_mod
from blamelint.analysis.spacy_compat import add_components, array_attrs
from blamelint.analysis.speedups import IndexedAttributeRuler
from blamelint.engine import linter_for


def test_private_hooks_exist():
    assert hasattr(Language, "_link_components"), "spaCy removed Language._link_components (spacy_compat.add_components)"
    assert hasattr(Doc, "_get_array_attrs"), "spaCy removed Doc._get_array_attrs (spacy_compat.array_attrs)"
    attrs = array_attrs(True)
    assert attrs and all(isinstance(a, int) for a in attrs)


def test_loaded_pipeline_has_every_speed_up():
    nlp = linter_for(None).analyzer.nlp
    ruler = nlp.get_pipe("attribute_ruler")
    assert isinstance(ruler, IndexedAttributeRuler) and ruler.index is not None, (
        "the indexed attribute ruler was not installed (speedups.index_attribute_ruler)")
    # en_core_web_sm's order: the indexed ruler took the place of spaCy's
    assert nlp.pipe_names == ["tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer", "ner"]
    ops = {type(node.ops).__name__ for _, c in nlp.pipeline if hasattr(getattr(c, "model", None), "walk")
           for node in c.model.walk()}
    assert ops == {"NumpyOps"}, f"thinc ops changed: {ops}"
    fast = [node.ops for _, c in nlp.pipeline if hasattr(getattr(c, "model", None), "walk") for node in c.model.walk()]
    assert all(isinstance(o, NumpyOps) and not o.use_blis for o in fast), "speedups.numpy_gemm did not switch off blis"
    index = nlp.get_pipe("lemmatizer").lookups.get_table("lemma_index")
    assert all(isinstance(dict.__getitem__(index, k), frozenset) for k in index.keys()), (
        "the lemmatizer's word index is not a set (speedups.index_lemmas)")


def test_tokenizer_only_pipeline_upgrades_in_place():
    import spacy

    light = spacy.load(nlp_mod.resolve_model(), exclude=list(nlp_mod.HEAVY_COMPONENTS))
    assert getattr(light, "_path", None), "spaCy no longer records Language._path"
    upgraded = add_components(light)
    assert upgraded is light, "add_components fell back to a second load (spaCy's pipeline layout changed)"
    assert [n for n in nlp_mod.HEAVY_COMPONENTS if n in light.pipe_names]
