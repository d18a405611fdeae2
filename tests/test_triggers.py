"""The first pass's regex prefilter: a rule's top-level alternatives, each with its own literals."""

import re

from blamelint.analysis.triggers import literal_needs, regex_branches


def test_a_regex_splits_at_its_top_level_bars_only():
    rx = re.compile(r"\bfoo(?:bar|baz)\b|[|a]quux\||\bthe\s+(?:x|y)\s+culprit\b", re.I)
    parts = [b.pattern for b, _ in regex_branches(rx)]
    assert parts == [r"\bfoo(?:bar|baz)\b", r"[|a]quux\|", r"\bthe\s+(?:x|y)\s+culprit\b"]
    assert all(b.flags == rx.flags for b, _ in regex_branches(rx))


def test_each_branch_keeps_its_own_literals_and_matches_as_the_whole():
    rx = re.compile(r"\bboils?\s+down\s+to\b|\bthe\s+crux\s+of\b|\b(?:was|is)\s+the\s+culprit\b", re.I)
    branches = regex_branches(rx)
    assert "crux" in set().union(*branches[1][1]) and "culprit" in set().union(*branches[2][1])
    for text in ("It all boils down to the cache.", "The crux of the problem is X.", "The pool was the culprit.",
                 "Nothing here."):
        assert bool(rx.search(text)) == any(b.search(text) for b, _ in branches)
    assert literal_needs(rx)  # the whole rule's prefilter stays


def test_no_split_for_a_single_alternative():
    assert regex_branches(re.compile(r"\bfoo(?:a|b)\b")) == []


def test_the_branch_index_finds_the_branches_the_literals_allow():
    from types import SimpleNamespace

    from blamelint.analysis.triggers import RuleTrigger

    rx = re.compile(r"\bboils?\s+down\s+to\b|\bthe\s+crux\s+of\b|\b(?:was|is)\s+the\s+culprit\b|\d+\s*%", re.I)
    rule = SimpleNamespace(id="t", match={"regex": rx.pattern}, compiled={"regex": rx})
    trigger = RuleTrigger(rule, None)
    for present in ({"crux"}, {"culprit", "the"}, {"boil", "down"}, set(), {"crux", "culprit", "down"}):
        naive = [n for n, (_, clauses) in enumerate(trigger.branches) if all(c & present for c in clauses)]
        assert trigger.possible(present) == naive
