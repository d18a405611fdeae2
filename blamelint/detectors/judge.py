"""The sentence classifier's findings (`check: judge`): sentences the model reads as blaming,
hindsight, vague or single-cause where no rule of that category flagged them.

Every prose sentence of the document is scored once per lint, in its section and block kind
(`analysis.judge`). A rule with `check: judge` flags the sentences whose score in its category
reaches the model's threshold; the engine then drops such a finding when a rule of the same
category already flagged the sentence (the rule gives the precise span, message and rewrite;
`reconcile`).
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass

from blamelint.analysis.judge import SECTION_OF_KIND
from blamelint.analysis.matchers import in_scope
from blamelint.analysis.nlp import pieces
from blamelint.detectors import detector
from blamelint.findings import Finding, Fix

JUDGED = ("blame", "hindsight", "vague-action", "root-cause")
MIN_WORDS = 4  # shorter pieces (labels, fragments) are not judged


@dataclass(frozen=True)
class Sentence:
    start: int  # source span
    end: int
    text: str
    section: str
    kind: str
    scores: dict
    block: object  # document.Block: the rule's `scope` and `sections` apply to it (matchers.in_scope)

    @property
    def section_kinds(self) -> set[str]:
        return self.block.section_kinds


def section_of(block) -> str:
    section = block.section
    while section is not None:
        if section.kind in SECTION_OF_KIND:
            return SECTION_OF_KIND[section.kind]
        section = section.parent
    return "other"


def sentence_pieces(block) -> list[tuple[int, int, str]]:
    out, at = [], 0
    for piece, spaced in pieces(block.text):
        a, b = at, at + len(piece)
        at = b + spaced
        text = piece.strip()
        if len(text.split()) >= MIN_WORDS:
            lead = len(piece) - len(piece.lstrip())
            out.append((a + lead, a + lead + len(text), text))
    return out


def sentences(analysis) -> list[Sentence]:
    """Every judged sentence of the document with its scores (once per lint)."""
    return analysis.fact(("judge", "sentences"), lambda: _score(analysis))


def _score(analysis) -> list[Sentence]:
    judge, first = analysis.judge, analysis.first
    if judge is None or first is None:
        return []
    found = []
    for b in first.blocks:
        block = b.block
        if block.kind == "heading":
            continue
        section, kind = section_of(block), "quote" if block.quoted else block.kind
        for a, z, text in sentence_pieces(block):
            start, end = block.source_span(a, z)
            found.append((start, end, text, section, kind, block))
    scores = judge.scores([(text, section, kind) for _, _, text, section, kind, _ in found])
    return [Sentence(*f[:5], s, f[5]) for f, s in zip(found, scores, strict=True)]


@detector("judge")
def judge(rule, analysis):
    category = rule.category
    if analysis.judge is None or category not in JUDGED:
        return
    threshold = analysis.judge.thresholds.get(category, 1.0)
    for s in sentences(analysis):
        p = s.scores[category]
        if p >= threshold and in_scope(rule, s):  # a sentence is its own unit: block and sections
            yield Finding(
                rule=rule.id, category=category, severity=rule.severity, message=rule.message,
                start=s.start, end=s.end, fixes=[Fix(title=sug.title, edits=[], safe=False) for sug in rule.suggestions],
                confidence=round(p, 2), text=analysis.document.source[s.start:s.end])


def reconcile(findings: list[Finding], analysis, judge_rules: set[str]) -> list[Finding]:
    """Keep one finding per category and sentence, a rule's over the model's. (The model does not
    veto rule findings: on the dev split a veto halved the false alarms, but on sentences from
    real post-mortems it dropped half the correct blame and hindsight findings.)"""
    if analysis.judge is None:
        return findings
    judged = sentences(analysis)
    starts = [s.start for s in judged]

    def sentence_of(f: Finding) -> int | None:
        k = bisect_right(starts, f.start) - 1
        return k if k >= 0 and judged[k].start <= f.start < judged[k].end else None

    ruled = {(f.category, sentence_of(f)) for f in findings if f.rule not in judge_rules and f.category in JUDGED}
    return [f for f in findings if f.rule not in judge_rules or (f.category, sentence_of(f)) not in ruled]
