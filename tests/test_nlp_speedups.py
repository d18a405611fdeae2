"""The speed-ups give spaCy's own results: the attribute ruler's indexed matching finds exactly
what spaCy's matching finds, the cached lemmatizer and the lemma index as sets give its lemmas."""

import json
from pathlib import Path

from spacy.pipeline import AttributeRuler

from blamelint.analysis.speedups import IndexedAttributeRuler
from blamelint.engine import linter_for

ROOT = Path(__file__).resolve().parents[1]
EXTRA = ["I ain't gonna do it, y'all.", "Let's go, c'mon, we gotta fix it.", "There is nothin' here.",
         "  spaced  out\n\n text", "Don't, won't, can't: that's what we'd say."]


def test_indexed_attribute_ruler_matches_spacy():
    nlp = linter_for(None).analyzer.nlp
    ruler = nlp.get_pipe("attribute_ruler")
    assert isinstance(ruler, IndexedAttributeRuler) and ruler.index is not None  # installed when the model loads
    texts = [p for f in sorted((ROOT / "corpus" / "labeled").glob("*.md"))[:30]
             for p in f.read_text(encoding="utf-8").split("\n\n") if p.strip()] + EXTRA
    texts += [json.loads(line)["text"] for line in (ROOT / "corpus" / "train" / "w1.jsonl").read_text(
        encoding="utf-8").splitlines()[:400]]  # chat-style sentences: contractions, "there is/are"
    upto = nlp.pipe_names.index("attribute_ruler")
    before = [name for name in nlp.pipe_names[upto:]]
    checked = 0
    for doc in nlp.pipe(texts, disable=before):
        assert sorted(set(ruler.match(doc))) == sorted(set(AttributeRuler.match(ruler, doc)))
        checked += 1
    assert checked == len(texts)


def test_cached_lemmatizer_gives_spacys_lemmas():
    from blamelint.analysis.speedups import CachedLemmas

    nlp = linter_for(None).analyzer.nlp
    lemmatizer = nlp.get_pipe("lemmatizer")
    assert isinstance(lemmatizer.lemmatize, CachedLemmas)  # installed when the model loads
    texts = [p for f in sorted((ROOT / "corpus" / "labeled").glob("*.md"))[:20]
             for p in f.read_text(encoding="utf-8").split("\n\n") if p.strip()] + EXTRA
    upto = nlp.pipe_names.index("lemmatizer")
    docs = list(nlp.pipe(texts, disable=nlp.pipe_names[upto:]))
    for doc in docs:
        cached = [lemmatizer.lemmatize(t)[0] for t in doc]
        again = [lemmatizer.lemmatize(t)[0] for t in doc]  # from the cache now
        own = [lemmatizer.lemmatize.lemmatize(t)[0] for t in doc]  # spaCy's rule lemmatizer itself
        assert cached == again == own


def test_lemma_index_as_sets_gives_spacys_lemmas():
    """speedups.index_lemmas: the rule lemmatizer with its word index as sets gives the lemmas it
    gives with spaCy's lists (checked by putting the lists back for a second pass)."""
    nlp = linter_for(None).analyzer.nlp
    lemmatizer = nlp.get_pipe("lemmatizer")
    table = lemmatizer.lookups.get_table("lemma_index")
    keys = list(table.keys())
    assert keys and all(isinstance(dict.__getitem__(table, k), frozenset) for k in keys)  # installed when loading
    texts = [p for f in sorted((ROOT / "corpus" / "labeled").glob("*.md"))[:20]
             for p in f.read_text(encoding="utf-8").split("\n\n") if p.strip()] + EXTRA
    texts += [json.loads(line)["text"] for line in (ROOT / "corpus" / "train" / "w2.jsonl").read_text(
        encoding="utf-8").splitlines()[:300]]
    upto = nlp.pipe_names.index("lemmatizer")
    docs = list(nlp.pipe(texts, disable=nlp.pipe_names[upto:]))

    def lemmas():
        lemmatizer.cache.clear()  # spaCy's own cache of rule_lemmatize
        return [[lemmatizer.rule_lemmatize(t) for t in doc] for doc in docs]

    fast = lemmas()
    sets = {k: dict.__getitem__(table, k) for k in keys}
    try:
        for k in keys:
            dict.__setitem__(table, k, sorted(sets[k]))  # spaCy's lists
        slow = lemmas()
    finally:
        for k in keys:
            dict.__setitem__(table, k, sets[k])
        lemmatizer.cache.clear()
    assert fast == slow
    assert sum(len(d) for d in docs) > 5000
