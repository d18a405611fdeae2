"""The mechanical checks of a rewrite catch the failures they are for, and every fix the rule
examples pin passes them."""

from __future__ import annotations

import pytest

from blamelint.config import Config
from blamelint.engine import linter_for
from blamelint.evaluate import DROPPABLE, agent_words, droppable_words, finite_verbs
from blamelint.findings import Finding
from blamelint.fixcheck import grammar_available, problems
from blamelint.fixes import apply_edits
from tests.test_rule_examples import _cases, _lint

LINTER = linter_for(Config())


@pytest.mark.parametrize("before, after, broke", [
    ("Nobody checked the backups.", "The backups were checked.", "a negation was dropped"),
    ('He said "ship it" and left.', 'He said "ship it and left.', "unbalanced"),
    ("Clearly, the **retry** budget was wrong.", "The **retry budget was wrong.", "unbalanced"),
    ("The config was wrong.", "the config was wrong.", "capital"),
])
def test_a_broken_rewrite_fails(before, after, broke):
    assert any(broke in p for p in problems(before, after)), problems(before, after)


def test_a_sound_rewrite_passes_and_judged_words_may_go():
    assert problems("Nobody checked the backups.", "The backups were not checked.") == []
    appeal = Finding("never-again", "vague-action", "warning", "m", 0, 35, text="Make sure this never happens again")
    assert problems("Make sure this never happens again.", "Add [specific guard] so that [this failure mode] is blocked.",
                    appeal) == []
    fact = Finding("failure-verb-person", "blame", "warning", "m", 0, 26, text="Nobody checked the backups")
    assert problems("Nobody checked the backups.", "The backups were checked.", fact) == ["a negation was dropped"]


def test_a_dropped_content_word_or_a_changed_tense_fails():
    # the consequence of a counterfactual dropped with it; the person and the verdict may go
    assert problems("If the reviewer had read the diff, the outage would not have happened.",
                    "The diff was not read.", None, DROPPABLE) == ["content words dropped: outage"]
    assert problems("The careless reviewer skipped the checklist.", "The checklist was skipped.", None,
                    DROPPABLE) == []
    assert problems("The checklist was skipped.", "The checklist is skipped.", None, DROPPABLE) == [
        "the tense changed"]
    # irregular forms count as the same word ("ran" and "run")
    assert problems("He never ran a plan first.", "A plan was never run first.", None, DROPPABLE) == []


@pytest.mark.skipif(not grammar_available(), reason="harper-py (a test extra) is not installed")
def test_the_grammar_checker_finds_a_mangled_word():
    assert any("grammar" in p for p in problems("Clearly, nobody read it.", "Nobody rread it."))


def test_every_pinned_fix_of_the_rule_examples_passes_the_checks():
    failed = []
    for param in _cases():
        case, rule, kind, example = param.values
        if kind != "bad" or "fix" not in example:
            continue
        found = _lint(case, rule, example)
        fix = next(x for x in found[0].fixes if x.edits)
        fixed = apply_edits(example["text"], fix.edits)
        names = [f for f in LINTER.lint_text(example["text"], "pm.md").findings if f.category == "named-individual"]
        # the person and the verdict may go, as `blamelint eval` checks it
        droppable = droppable_words(example["text"], [found[0], *names]) | agent_words(LINTER, example["text"], [found[0]])
        broke = problems(example["text"], fixed, found[0], droppable)
        if broke:
            failed.append(f"{case}: {fixed!r}: {broke}")
    assert not failed, "\n".join(failed)


def test_a_rewrite_must_keep_a_finite_verb_with_a_subject():
    assert finite_verbs(LINTER, "The page was not acted on.")
    assert finite_verbs(LINTER, "- [ ] **@sre-team:** Add [a guard rail or an automated check] for the queue.")
    assert not finite_verbs(LINTER, "The unanswered page at 02:10.")  # a fragment
