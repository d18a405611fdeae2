"""The first pass must never change a finding: default and --exhaustive agree on the whole corpus."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from blamelint.analysis.nlp import Analyzer
from blamelint.config import Config
from blamelint.engine import Linter

ROOT = Path(__file__).resolve().parents[1]
CORPUS = sorted((ROOT / "corpus").rglob("*.md"))


def _key(f):
    return (f.rule, f.start, f.end, f.severity, f.message, f.confidence,
            [(x.title, x.safe, [(e.start, e.end, e.new_text) for e in x.edits]) for x in f.fixes])


@pytest.fixture(scope="module")
def linters():
    config = Config(today=dt.date(2026, 1, 31))
    # separate caches, so the exhaustive run cannot reuse a Doc the first pass chose to analyse
    big = {"cache_tokens": 10**9, "token_cache_tokens": 10**9}
    return (Linter(config, analyzer=Analyzer(config.model, **big)),
            Linter(config, analyzer=Analyzer(config.model, **big)))


def test_corpus_is_big_enough():
    assert len(CORPUS) >= 90


def test_default_and_exhaustive_find_the_same(linters):
    fast, full = linters
    differences = []
    for path in CORPUS:
        text = path.read_text(encoding="utf-8")
        a = fast.lint_text(text, str(path))
        b = full.lint_text(text, str(path), exhaustive=True)
        if [_key(f) for f in a.findings] != [_key(f) for f in b.findings]:
            differences.append(path.name)
    analysed, total = len(fast.analyzer.cache), len(full.analyzer.cache)
    assert not differences
    assert analysed < total  # the first pass did leave paragraphs out


def test_prose_without_triggers_loads_no_model():
    analyzer = Analyzer()
    linter = Linter(Config(), analyzer=analyzer)
    result = linter.lint_text("# Incident\n\nThe cache expired at noon and the queue drained.\n", "a.md")
    assert not analyzer.loaded and not [f for f in result.findings if f.category != "template"]


FOLLOW_UPS = """# Incident

## Follow-ups

- [ ] Add a disk-usage alert at 80% on db-1 (@sre-team) [2026-02-20]
- [ ] Cap the connection pool of checkout-api at 200 (@payments) [2026-02-27]
"""


def test_follow_ups_with_handles_load_no_model():
    """Action items are read from their tokens; the model is needed only for a label that may be a person."""
    analyzer = Analyzer()
    result = Linter(Config(today=dt.date(2026, 1, 31)), analyzer=analyzer).lint_text(FOLLOW_UPS, "f.md")
    assert not analyzer.loaded and not [f for f in result.findings if f.category != "template"]


@pytest.mark.parametrize("item", [
    "- [ ] Maria Lopez: add an alert on replication lag above 30 s [2026-02-15]",  # a label, read by NER
    "- [ ] Add an alert on replication lag above 30 s [2026-02-15] (Maria Lopez)",
    "- [ ] Maria Lopez: improve monitoring",
    "- Storage\n  - [ ] Add a disk-usage alert at 80% on db-1 (@sre-team) [2026-02-20]",  # a group label
    "- Rotate the storage keys\n  - [ ] Add a disk-usage alert at 80% on db-1 (@sre-team) [2026-02-20]",
])
@pytest.mark.parametrize("ignore", [[], ["named-individual", "blame"]])
def test_follow_up_labels_read_the_model_as_exhaustive_mode_does(item, ignore):
    config = Config(today=dt.date(2026, 1, 31), ignore=ignore)
    text = FOLLOW_UPS + item + "\n"
    fast = Linter(config, analyzer=Analyzer(config.model)).lint_text(text, "f.md")
    full = Linter(config, analyzer=Analyzer(config.model)).lint_text(text, "f.md", exhaustive=True)
    assert [_key(f) for f in fast.findings] == [_key(f) for f in full.findings]
    if item.startswith("- [ ] Maria"):  # the owner was found
        assert not [f for f in fast.findings if f.rule == "followup-owner"]


def test_first_pass_lemmas_cover_every_lemma_the_pipeline_gives(linters):
    """The lexical lemma sets must include the real lemma of every word (or a trigger could miss)."""
    from blamelint.analysis.triggers import lemmas_for

    _, full = linters
    for path in CORPUS[:12]:
        full.lint_text(path.read_text(encoding="utf-8"), str(path), exhaustive=True)
    lemmas = lemmas_for(full.analyzer.nlp)
    missed = {(t.lower_, t.lemma_) for doc in full.analyzer.cache.values() for t in doc
              if t.lemma_.lower() not in lemmas.of(t.lower_)}
    assert not missed


def test_upgrading_the_light_pipeline_gives_the_same_analysis():
    """`check` loads the tokenizer first and adds the model only when needed: same output as a plain load."""
    import spacy

    from blamelint import document
    from blamelint.analysis.nlp import HEAVY_COMPONENTS, resolve_model
    from blamelint.analysis.spacy_compat import add_components

    name = resolve_model()
    upgraded = add_components(spacy.load(name, exclude=list(HEAVY_COMPONENTS)))
    plain = spacy.load(name)
    assert upgraded is not None and upgraded.pipe_names == plain.pipe_names
    texts = [b.text for p in CORPUS[:8] for b in document.parse(p.read_text(encoding="utf-8")).blocks if b.text.strip()]

    def shape(doc):
        return [(t.text, t.tag_, t.pos_, t.dep_, t.head.i, t.lemma_, t.ent_type_, t.ent_iob_) for t in doc]

    assert [shape(d) for d in upgraded.pipe(texts)] == [shape(d) for d in plain.pipe(texts)]
