"""Mechanical checks of an applied rewrite: it keeps the sentence's meaning and form.

`problems(before, after)` compares a sentence before and after an edit and names what broke:
a negation dropped, quotes, brackets or Markdown emphasis left unbalanced, a sentence that no
longer starts with a capital, and, when the harper-py grammar checker is installed, a grammar
problem the original did not have. `blamelint eval` counts the rewrites that pass; the tests
hold the rule examples and the corpus to it."""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

NEGATION_RE = re.compile(r"\b(?:not|never|no|nobody|none|nothing|neither|nor|cannot|without)\b|n[’']t\b", re.I)
PAIRS = (("(", ")"), ("[", "]"), ("“", "”"))  # not ‘ ’: ’ is also the apostrophe
SYMMETRIC = ('"', "`", "**")
SLOT_RE = re.compile(r"\[[^\]\n]*\]")
# words of the trade the rewrites use on purpose, which a general dictionary does not know
DOMAIN_WORDS = {"mitigators", "runbook", "runbooks", "postmortem", "on-call", "oncall"}


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


JUDGED_CATEGORIES = ("hindsight", "vague-action")


def problems(before: str, after: str, finding=None) -> list[str]:
    """What the edit of `finding` broke in the sentence (empty: it passes). An appeal's or a
    rhetorical question's own "never"/"nobody" may go with the judgement ("make sure this never
    happens again", "why did nobody notice"); a fact ("nobody checked the backups") keeps it."""
    judged = finding.text if finding is not None and finding.category in JUDGED_CATEGORIES else ""
    out = []
    kept = len(NEGATION_RE.findall(before)) - len(NEGATION_RE.findall(judged))
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
