"""Single-cause framing said as totality ("X explains everything", "X is the whole story", "the
entire outage is down to X"), restated as one contribution among others (a sentence strategy of
the root-cause category). Read from the words: each form has one plain restatement."""

from __future__ import annotations

import re

from blamelint.sentence_rewrite.base import restated


def _tense(verb: str, present: str, past: str) -> str:
    return past if verb.lower().endswith("ed") or verb.lower() == "was" else present


def _explains(m) -> str:
    if m.group("followed"):
        return "contributed to what followed"
    return "contributed to the " + m.group("what") if m.group("what") else "contributed to the incident"


RESTATED = (
    # "A single expired key explains everything (that followed)" / "… explains the whole outage"
    (re.compile(r"\b(?:explains?|explained|accounts?\s+for|accounted\s+for)\s+(?:everything|it\s+all|all\s+of\s+(?:it|this)"
                r"|the\s+(?:whole|entire)\s+(?P<what>outage|incident|failure|event))(?P<followed>\s+that\s+followed)?\b", re.I),
     _explains),
    # "The missing index is the whole story" → "… is part of the story"
    (re.compile(r"\b(?P<verb>is|was)\s+the\s+whole\s+story\b", re.I), lambda m: f"{m.group('verb')} part of the story"),
    # "The chain of events started and ended with X" → "… included X"
    (re.compile(r"\b(?P<verb>starts?|started)\s+and\s+(?:ends?|ended)\s+with\b", re.I),
     lambda m: _tense(m.group("verb"), "includes" if m.group("verb").lower().endswith("s") else "include", "included")),
    # "… was caused by one thing (and one thing) only: X" → "… was caused in part by X"
    (re.compile(r"\bby\s+one\s+thing(?:\s+and\s+one\s+thing)?\s+(?:only|alone)\s*:\s*", re.I), lambda m: "in part by "),
    # "The entire outage is down to / attributable to / can be explained by X" → "The outage is partly …"
    (re.compile(r"\b(?P<the>the)\s+(?:whole|entire)\s+(?P<what>outage|incident|failure|thing|mess|problem)\s+"
                r"(?P<verb>is|was|can\s+be)\s+(?P<how>down\s+to|explained\s+by|attributable\s+to)\b", re.I),
     lambda m: f"{m.group('the')} {m.group('what')} {m.group('verb')} partly {m.group('how')}"),
)


def partial_cause(unit, doc, sent, a, b):
    """"A single expired key explains everything that followed" → "… contributed to what
    followed"; "X is the whole story" → "X is part of the story"; "The entire outage is down to
    X" → "The outage is partly down to X"."""
    return restated(RESTATED, doc, sent, a, b)
