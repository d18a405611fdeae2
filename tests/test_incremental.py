"""An editor lints the same document again and again: what is kept between runs (parsed
sentences, per-paragraph facts, each paragraph's findings) must never change a finding.
A long-lived linter, after a series of edits that change document-wide facts, must agree
with a fresh one."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from blamelint.analysis.nlp import Analyzer
from blamelint.config import Config
from blamelint.engine import Linter

ROOT = Path(__file__).resolve().parents[1]
DOCS = sorted((ROOT / "corpus" / "labeled").glob("*.md"))[::6]
CONFIG = Config(today=dt.date(2026, 1, 31))


def _key(f):
    return (f.rule, f.start, f.end, f.severity, f.message, f.confidence, f.text,
            [(x.title, x.safe, [(e.start, e.end, e.new_text) for e in x.edits]) for x in f.fixes])


def _fresh(text):
    return [_key(f) for f in Linter(CONFIG, analyzer=Analyzer(CONFIG.model)).lint_text(text, "doc.md").findings]


def _edits(text: str):
    """Edits that change what one paragraph's findings depend on elsewhere in the document."""
    names = sorted(set(re.findall(r"(?<=[a-z,] )[A-Z][a-z]{2,}\b", text)))[:3]
    yield text + "\n\nExtra words here. The deploy went out at noon.\n"
    for name in names:  # the name used in lower case elsewhere: an ordinary word after all?
        yield text + f"\n\nWe saw {name.lower()} in the logs.\n"
        yield text + f"\n\nThe `{name.lower()}` service restarted.\n"  # code: software
    paragraphs = text.split("\n\n")
    if len(paragraphs) > 4:
        yield "\n\n".join(paragraphs[:2] + paragraphs[3:])  # a paragraph removed: everything shifts
        yield "\n\n".join(paragraphs[:2] + ["Priya forgot to renew the certificate."] + paragraphs[2:])


@pytest.mark.parametrize("path", DOCS, ids=[p.stem for p in DOCS])
def test_a_long_lived_linter_agrees_with_a_fresh_one(path):
    warm = Linter(CONFIG, analyzer=Analyzer(CONFIG.model))
    text = path.read_text(encoding="utf-8")
    warm.lint_text(text, "doc.md")
    for edited in _edits(text):
        got = [_key(f) for f in warm.lint_text(edited, "doc.md").findings]
        assert got == _fresh(edited)
        # and back: the first version's cached findings must still be right
        assert [_key(f) for f in warm.lint_text(text, "doc.md").findings] == _fresh(text)


def test_what_a_paragraph_reads_from_elsewhere_is_part_of_its_cache_key():
    """A name at a sentence start stops being a name (and an agent) once the document uses the
    word in lower case or in code; the paragraph's text is unchanged, its findings are not."""
    warm = Linter(CONFIG, analyzer=Analyzer(CONFIG.model))
    base = "# Incident\n\n## Timeline\n\nMarley ignored the alerts for an hour. Then Tosca forgot to page anyone.\n"
    variants = [base, base + "\n\nThe marley job restarted.\n", base + "\n\nThe `tosca` service restarted. Also marley.\n",
                base]
    rules = []
    for text in variants:
        got = [_key(f) for f in warm.lint_text(text, "doc.md").findings]
        assert got == _fresh(text)
        rules.append(sorted(f[0] for f in got if f[2] <= len(base)))
    assert rules[0] != rules[1] != rules[2]  # the case really changes the findings
    assert rules[0] == rules[3]


def test_an_edit_elsewhere_does_not_rewrite_the_other_sentences_again(monkeypatch):
    """The whole-sentence rewrites are kept with each paragraph's parse: after an edit, only the
    edited paragraph's sentences are rewritten, and the kept rewrites land where the text moved."""
    import blamelint.sentence_rewrite as sr

    calls = []
    real = sr._sentence_fix
    monkeypatch.setattr(sr, "_sentence_fix", lambda *a: calls.append(a[2].text) or real(*a))
    text = ("# Incident\n\nThe intern rebooted the primary and never checked the replicas.\n\n"
            "Obviously, someone should have caught the expired certificate.\n")
    warm = Linter(CONFIG, analyzer=Analyzer(CONFIG.model))
    warm.lint_text(text, "doc.md")
    assert len(calls) == 2
    edited = "# Incident\n\nThe outage began at noon.\n\n" + text.split("\n\n", 1)[1]
    got = [_key(f) for f in warm.lint_text(edited, "doc.md").findings]
    assert len(calls) == 2  # nothing new to rewrite
    assert got == _fresh(edited)
    assert any(x[0].startswith("Rewrite the sentence") for f in got for x in f[-1])
