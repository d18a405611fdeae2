"""Mechanical checks of an applied rewrite: it keeps the sentence's meaning and form.

`problems(before, after)` compares a sentence before and after an edit and names what broke:
content words dropped that are neither the person nor the judgement (`droppable`), a changed tense,
a negation dropped, quotes, brackets or Markdown emphasis left unbalanced, a sentence that no
longer starts with a capital, and, when the harper-py grammar checker is installed, a grammar
problem the original did not have. `blamelint eval` counts the rewrites that pass; the tests
hold the rule examples and the corpus to it."""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

NEGATION_RE = re.compile(r"\b(?:not|never|no|nobody|none|nothing|neither|nor|cannot|without|unnoticed|unchecked|untested"
                         r"|unreviewed|unread|unanswered|unacknowledged)\b|n[’']t\b", re.I)  # ("went unnoticed")
PAIRS = (("(", ")"), ("[", "]"), ("“", "”"))  # not ‘ ’: ’ is also the apostrophe
SYMMETRIC = ('"', "`", "**")
SHOULD_NOT_RE = re.compile(r"\b(?:should|ought|must)(?:\s+not|n[’']t|\s+never)\s+(?:to\s+)?have\b", re.I)
SLOT_RE = re.compile(r"\[[^\]\n]*\]")
# words of the trade the rewrites use on purpose, which a general dictionary does not know
DOMAIN_WORDS = {"mitigators", "runbook", "runbooks", "postmortem", "on-call", "oncall", "approver", "approvers"}


def _balanced(text: str) -> bool:
    if any(text.count(a) != text.count(b) for a, b in PAIRS):
        return False
    return all(text.count(s) % 2 == 0 for s in SYMMETRIC)


@lru_cache(maxsize=1)
def _harper():
    try:
        import harper
    except ImportError:
        return None
    return harper.Linter()


def _grammar(text: str) -> Counter:
    linter = _harper()
    if linter is None:
        return Counter()
    # slots ("[which mistake]") are the writer's to fill: read them as one plain word
    plain = SLOT_RE.sub("it", text)
    return Counter(lint.lint_kind for lint in linter.lint(plain)
                   if not (lint.lint_kind == "Spelling" and lint.problem_text.lower() in DOMAIN_WORDS))


def grammar_available() -> bool:
    return _harper() is not None


JUDGED_CATEGORIES = ("hindsight", "vague-action", "root-cause")  # the verdict's own words may go ("…, nothing more")


WORD_RE = re.compile(r"[^\W\d_][\w'’-]*[^\W\d_]")
STOP = set("""
a an the and or but nor so yet for of in on at by to from with without into onto over under about after before
during until since than then as if when while because though although that which who whom whose what where why how
this these those it its they them their there here we us our you your he him his she her i me my
is are was were be been being am do does did done have has had having will would shall should can could may might
must ought not no never also just only very too more most less least much many some any all each every both either
neither other another such same own again still even ever up down out off away back
""".split())
PAST_RE = re.compile(r"\b(?:was|were|did|had|went)\b", re.I)
PRESENT_RE = re.compile(r"\b(?:is|are|does|has|goes)\b", re.I)


@lru_cache(maxsize=4096)
def _lemmas(word: str) -> frozenset:
    """Every lemma the word could have ("ran" → run, "known" → know), and the word itself."""
    w = word.lower().replace("’", "'")
    w = w[:-2] if w.endswith("'s") else w
    try:
        from lemminflect import getAllLemmas
    except ImportError:  # pragma: no cover - a declared dependency
        return frozenset({w})
    found = {w, *(lemma.lower() for forms in getAllLemmas(w).values() for lemma in forms)}
    if len(found) == 1 and len(w) > 4:  # a word lemminflect does not know ("admins", "resizing")
        for end in ("ing", "ed"):
            if w.endswith(end):
                stem = w[: -len(end)]
                found |= {stem, stem + "e"} | ({stem[:-1]} if len(stem) > 2 and stem[-1] == stem[-2] else set())
        if w.endswith("s") and not w.endswith("ss"):
            found.add(w[:-1])
    head, dash, last = w.rpartition("-")
    if dash and head and last:  # "re-enabled" → re-enable
        found |= {f"{head}-{lemma}" for lemma in _lemmas(last)}
    return frozenset(found)


def content_words(text: str) -> list[frozenset]:
    """The words that carry the sentence's content (not function words, negations or slots), each
    as the set of its possible lemmas."""
    words = (re.sub(r"['’](?:s|re|ve|ll|d|m)$", "", w.lower()) for w in WORD_RE.findall(SLOT_RE.sub(" ", text)))
    return [_lemmas(w) for w in words if w not in STOP and "n't" not in w and "n’t" not in w]


def _dropped(before: str, after: str, allowed: set[str]) -> list[str]:
    kept = set().union(*content_words(after))
    return sorted({min(w) for w in content_words(before) if not w & kept and not w & allowed})


UNTHINKING_RE = re.compile(r"\bwithout\s+(?:(?:a\s+)?(?:second\s+)?thought|thinking|(?:any\s+)?care|caution)\b", re.I)


def problems(before: str, after: str, finding=None, droppable=frozenset()) -> list[str]:
    """What the edit of `finding` broke in the sentence (empty: it passes). An appeal's or a
    rhetorical question's own "never"/"nobody" may go with the judgement ("make sure this never
    happens again", "why did nobody notice"); a fact ("nobody checked the backups") keeps it.
    `droppable`: words a blameless rewrite may leave out (the person, the judgement words); a
    content word of the original that is neither is reported as dropped."""
    judged = finding.text if finding is not None and finding.category in JUDGED_CATEGORIES else ""
    before = UNTHINKING_RE.sub(" ", before)  # "without a second thought" is a verdict the rewrite drops
    out = []
    if droppable:
        allowed = set().union(*(_lemmas(w) for w in droppable), *content_words(judged))
        lost = _dropped(before, after, allowed)
        if lost:
            out.append("content words dropped: " + ", ".join(sorted(lost)))
        if PAST_RE.search(before) and not PAST_RE.search(SLOT_RE.sub(" ", after)) and PRESENT_RE.search(after):
            out.append("the tense changed")
    # "X should not have shipped it" states that it was shipped: that negation is the verdict's
    kept = len(NEGATION_RE.findall(before)) - len(NEGATION_RE.findall(judged)) - len(SHOULD_NOT_RE.findall(before))
    if kept > 0 and len(NEGATION_RE.findall(after)) < kept:
        out.append("a negation was dropped")
    if _balanced(before) and not _balanced(after):
        out.append("quotes, brackets or emphasis are left unbalanced")
    first_before = next((c for c in before if c.isalpha()), "")
    first_after = next((c for c in after if c.isalpha()), "")
    if first_before.isupper() and first_after and not first_after.isupper():
        out.append("the sentence no longer starts with a capital")
    new = _grammar(after) - _grammar(before)
    if new:
        out.append("new grammar problems: " + ", ".join(sorted(new)))
    return out
