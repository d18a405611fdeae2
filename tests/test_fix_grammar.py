"""Fixes keep the sentence's meaning and grammar: a negative subject keeps its negation, and a
noun phrase never stands in for a verb or a modifier."""

from __future__ import annotations

import pytest

from blamelint.config import Config
from blamelint.engine import fix_text, linter_for


@pytest.mark.parametrize("text, fixed, unsafe", [
    ("Nobody checked the backups.\n", "The backups were not checked.\n", True),
    ("No one reviewed the migration script.\n", "The migration script was not reviewed.\n", True),
    ("The root cause was human error.\n", "The root cause was a gap in our safeguards.\n", False),
])
def test_fixes_keep_the_meaning(text, fixed, unsafe):
    out, _ = fix_text(linter_for(Config()), text, "x.md", unsafe=unsafe)
    assert out == fixed
    if unsafe:  # an agentless rewrite changes the subject: --fix alone leaves it
        assert fix_text(linter_for(Config()), text, "x.md")[0] == text


@pytest.mark.parametrize("text", [
    "The outage began when an operator fat-fingered the weight of the pool.\n",
    "A fat-fingered command removed the route table.\n",
    "Operator misunderstanding of the failover flag was part of the problem.\n",
])
def test_no_noun_phrase_for_a_verb_or_a_modifier(text):
    result = linter_for(Config()).lint_text(text, "x.md")
    (f,) = [f for f in result.findings if f.rule == "human-error"]
    assert not any("a gap in our safeguards" in e.new_text for fix in f.fixes for e in fix.edits)
    out, _ = fix_text(linter_for(Config()), text, "x.md")
    assert "a gap in our safeguards" not in out
