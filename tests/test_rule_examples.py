"""Every rule's examples are tests: bad ones are flagged (and fixed as stated), good ones are not."""

import pytest

from blamelint.config import Config
from blamelint.engine import linter_for
from blamelint.fixes import apply_edits
from blamelint.rules import load_rules

RULES = load_rules().rules
NEEDS_FIX = {"blame", "named-individual", "hindsight", "vague-action"}


def _cases(kind):
    for rule in RULES:
        for i, example in enumerate(rule.examples[kind]):
            if isinstance(example, str):
                example = {"text": example}
            yield pytest.param(rule, example, id=f"{rule.id}-{kind}-{i + 1}")


def _lint(rule, example):
    settings = dict(example.get("config", {}))
    cfg = Config(select=[rule.id], quotes="check", **settings)
    result = linter_for(cfg).lint_text(example["text"], example.get("path", "example.md"))
    assert not result.problems, result.problems
    return [f for f in result.findings if f.rule == rule.id]


@pytest.mark.parametrize("rule,example", list(_cases("bad")))
def test_bad_example_is_flagged(rule, example):
    found = _lint(rule, example)
    assert found, f"{rule.id} did not flag: {example['text']!r}"
    for f in found:
        assert f.fixes, f"{rule.id}: finding without a suggestion"
        assert f.message and "{" not in f.message
    if "fix" in example:
        fix = next(x for x in found[0].fixes if x.edits)
        fixed = apply_edits(example["text"], fix.edits)
        assert fixed == example["fix"]
        again = _lint(rule, {**example, "text": fixed})
        assert not [f for f in again if f.start == found[0].start], f"{rule.id}: fix did not clear the finding"


@pytest.mark.parametrize("rule,example", list(_cases("good")))
def test_good_example_is_clean(rule, example):
    found = _lint(rule, example)
    assert not found, f"{rule.id} flagged {[f.text for f in found]} in {example['text']!r}"


def test_rule_ids_unique_and_documented():
    ids = [r.id for r in RULES]
    assert len(ids) == len(set(ids))
    for r in RULES:
        assert r.why and r.title and r.link.startswith("https://")
        if r.category in NEEDS_FIX:
            assert r.suggestions, r.id


def test_builtin_packs_match_the_schema():
    """At run time the built-in packs skip the schema check; here they must pass it."""
    from blamelint.rules import builtin_pack_paths, load_pack

    for path, text in builtin_pack_paths():
        rules, _ = load_pack(text, path, validate=True)
        assert rules
