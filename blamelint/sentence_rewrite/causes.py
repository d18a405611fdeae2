"""Single-cause framing said as totality ("X explains everything", "X is the whole story", "the
entire outage is down to X"), restated as one contribution among others (a sentence strategy of
the root-cause category). Read from the words: each form has one plain restatement."""

from __future__ import annotations

import re

from blamelint.sentence_rewrite.base import named, person, restated


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


NOT_A_CAUSE = {"no", "yes", "none", "nothing", "not", "unclear", "unknown", "tbd", "n/a", "pending", "still", "nobody"}
SEPARATOR_RE = re.compile(r"\s*(?::|\s[—–-])\s+")
LEAD_WORDS = {"this", "it", "that", "the", "all", "of", "our", "a", "an", "cause", "causes", "reason", "reasons",
              "problem", "problems", "issue", "incident", "outage", "failure", "there", "is", "was", "and", "so",
              "every", "each", "whole", "entire", "one", "thing", "in", "short", "word", "sum", "to", "down",
              "came", "comes", "boils", "boiled"}


def single_lead(unit, doc, sent, a, b):
    """"In a word: the cache" / "Single cause — clock skew on node-7" / "The cause of all problems
    is only one: the config push" → "One contributing factor: …": a lead that frames what follows
    it as the one cause, as one factor; what follows kept as written."""
    lo, hi = sent.start_char, sent.end_char
    text = doc.text
    m = SEPARATOR_RE.search(text, lo, hi)
    if m is None or not (lo <= a and b <= m.end()) or not re.search(r"\w", text[m.end():hi]):
        return None
    rest = [t for t in sent if t.idx >= m.end()]
    head = next((t for t in rest if t.head.i == t.i or t.head.i < rest[0].i), None)  # what the lead names
    if not any(t.pos_ in ("NOUN", "PROPN") for t in rest) or rest[0].lower_ in NOT_A_CAUSE or head is not None and (
            head.pos_ == "NOUN" and person(head) or named(head)):
        return None  # "In a word: no.", "Single cause: none found.", "In a word: the intern."
    words = re.findall(r"[\w'’-]+", text[lo:a] + " " + text[b:m.start()])
    if len(words) > 5 or any(w.lower() not in LEAD_WORDS for w in words):
        return None  # ("There was one reason sign-ups failed: …": the lead says more than the framing)
    start = lo + len(text[lo:hi]) - len(text[lo:hi].lstrip())
    new = "One contributing factor" if text[start:start + 1].isupper() else "one contributing factor"
    # what the cause was of stays named ("The cause of every problem …" → "… factor to every problem")
    what = OF_WHAT_RE.search(text, start, m.start())
    if what is not None:
        new += " to " + what.group(1)
    lead_verbs = [w.lower() for w in re.findall(r"[\w'’-]+", text[lo:m.start()]) if w.lower() in LEAD_VERBS]
    if lead_verbs and not any(t.idx >= m.end() and t.tag_ in ("VBD", "VBZ", "VBP", "MD") for t in sent):
        # what follows is a noun phrase the lead's verb held: the verb stays, in its tense
        # ("The cause was only one: a push" → "One contributing factor was a push")
        return [(start, m.end(), new + (" is " if lead_verbs[0] in ("is", "comes", "boils") else " was "), False)]
    return [(start, m.start(), new, False)]


LEAD_VERBS = {"is", "was", "came", "comes", "boils", "boiled"}


OF_WHAT_RE = re.compile(r"\b(?:of|for|behind)\s+((?:(?:whole|entire|the|all|every|each|our|this|that)(?:\s+whole|\s+entire)?\s+)?"
                        r"(?:problems?|issues?|incident|outage|failure))\b", re.IGNORECASE)


DISMISSIVE_TAIL_RE = re.compile(
    r"\s*(?:[,;:]|\s[—–-])\s*(?:and\s+)?(?:there\s+is\s+|there['’]s\s+)?(?:nothing\s+(?:more|else)\s+to\s+it"
    r"|nothing\s+else\s+(?:contributed|mattered|was\s+involved)|no\s+other\s+(?:factor|cause|reason)s?\s+(?:was|were)\s+involved"
    r"|that['’]s\s+all\s+there\s+is\s+to\s+(?:it|say)|end\s+of\s+story|(?:as\s+)?simple\s+as\s+that)(?=\s*[.!]?\s*$)", re.I)


def dismissive_tail(unit, doc, sent, a, b):
    """"X was a contributing factor; nothing else contributed" / "…, that's all there is to it" →
    "X was a contributing factor": a closing dismissal of every other cause, dropped."""
    lo, hi = sent.start_char, sent.end_char
    m = DISMISSIVE_TAIL_RE.search(doc.text, lo, hi)
    if m is None or not (m.start() <= b and a <= m.end()) or not re.search(r"\w", doc.text[lo:m.start()]):
        return None
    return [(m.start(), m.end(), "", False)]
