"""Every rule's examples are tests: bad ones are flagged where they say (and fixed as stated), good ones are not.

Each example is its own case, named PACK:RULE:bad-N or PACK:RULE:good-N (N counted from 1 in file
order), so `pytest -k "blame.yaml:failure-verb-person"` runs one rule's examples and
`pytest -k "blame.yaml:failure-verb-person:bad-2"` one example.

A bad example pins the text the rule flags with `span:`, copied exactly from `text:`:

    - text: "It was an operator error during the failover."
      span: "an operator error"

or, when the rule flags several places, a list (`span: ["15:23 CET", "15:42 CET"]`). The case passes
when the rule's findings cover exactly the places in the text where the pinned spans occur, no more
and no fewer; a pinned span that occurs more often in the text than it is listed is ambiguous and
fails. The example text is linted as written (the pin lives beside it, not inside it), so the
sentence stays the rule's documentation. Good examples pin nothing: the rule must not fire on them.
"""

import json
import re
from pathlib import Path

import pytest

from blamelint.config import Config
from blamelint.engine import linter_for
from blamelint.fixes import apply_edits
from blamelint.rules import builtin_pack_paths, load_pack, load_rules

RULES = load_rules().rules
NEEDS_FIX = {"blame", "named-individual", "hindsight", "vague-action"}


def _cases():
    for rule in RULES:
        for kind in ("bad", "good"):
            for n, example in enumerate(rule.examples[kind], 1):
                if isinstance(example, str):
                    example = {"text": example}
                case = f"{Path(rule.source).name}:{rule.id}:{kind}-{n}"
                yield pytest.param(case, rule, kind, example, id=case)


def _lint(case, rule, example):
    settings = dict(example.get("config", {}))
    cfg = Config(select=[rule.id], quotes="check", **settings)
    result = linter_for(cfg).lint_text(example["text"], example.get("path", "example.md"))
    assert not result.problems, f"{case}: linting the example reported problems: {result.problems}"
    return [f for f in result.findings if f.rule == rule.id]


def _show(text, spans):
    """Spans as the author sees them: 'flagged text' (start-end), …"""
    return ", ".join(f"{text[a:b]!r} ({a}-{b})" for a, b in spans) or "nothing"


def _yaml_span(texts):
    """The `span:` line that pins these texts, ready to paste."""
    return "span: " + json.dumps(texts[0] if len(texts) == 1 else texts, ensure_ascii=False)


def _pinned(case, example) -> list[str]:
    span = example.get("span")
    if span is None:
        return []
    spans = [span] if isinstance(span, str) else span
    ok = isinstance(spans, list) and spans and all(isinstance(s, str) and s for s in spans)
    assert ok, f"{case}: `span:` must be the flagged text or a list of them, not {span!r}"
    return spans


def _expected(case, text, pinned) -> list[tuple[int, int]]:
    """Where the pinned spans are in the text; each must occur exactly as often as it is pinned."""
    spans = []
    for s in dict.fromkeys(pinned):
        starts = [m.start() for m in re.finditer(f"(?={re.escape(s)})", text)]
        assert starts, f"{case}: pinned span {s!r} does not occur in the example text {text!r}"
        assert len(starts) >= pinned.count(s), (
            f"{case}: pinned span {s!r} is listed {pinned.count(s)} times but occurs only {len(starts)} "
            f"time(s) in the example text {text!r}"
        )
        assert len(starts) == pinned.count(s), (
            f"{case}: pinned span {s!r} occurs {len(starts)} times in the example text but is listed "
            f"{pinned.count(s)} time(s), so the test cannot tell which place is meant; pin a longer span "
            f"that occurs once, or list it once per place the rule flags.\n  example: {text!r}"
        )
        spans += [(a, a + len(s)) for a in starts]
    return sorted(spans)


@pytest.mark.parametrize("case,rule,kind,example", list(_cases()))
def test_rule_example(case, rule, kind, example):
    found = _lint(case, rule, example)
    text = example["text"]
    got = sorted((f.start, f.end) for f in found)
    if kind == "good":
        assert "span" not in example, f"{case}: a good example pins no `span:` (the rule must not fire on it)"
        assert not found, (
            f"{case}: expected {rule.id} not to flag this good example; it flagged {_show(text, got)}\n"
            f"  example: {text!r}"
        )
        return

    pinned = _pinned(case, example)
    if not pinned:
        hint = f"; to pin what it flags today add `{_yaml_span([text[a:b] for a, b in got])}`" if got else ""
        pytest.fail(
            f"{case}: a bad example must pin the text it expects {rule.id} to flag with `span:`; "
            f"{rule.id} flags {_show(text, got)}{hint}\n  example: {text!r}"
        )
    want = _expected(case, text, pinned)
    assert got == want, (
        f"{case}: expected {rule.id} to flag exactly {_show(text, want)}; it flagged {_show(text, got)}\n"
        f"  example: {text!r}"
    )
    for f in found:
        where = _show(text, [(f.start, f.end)])
        assert f.fixes, f"{case}: {rule.id} flagged {where} without a suggestion"
        assert f.message and "{" not in f.message, (
            f"{case}: {rule.id} flagged {where} with an empty message or an unfilled {{variable}}: {f.message!r}"
        )
    if "fix" in example:
        first = found[0]
        where = _show(text, [(first.start, first.end)])
        fix = next((x for x in first.fixes if x.edits), None)
        assert fix is not None, (
            f"{case}: expected a fix giving {example['fix']!r}; the finding at {where} offers no edit "
            f"(suggestions: {[x.title for x in first.fixes]})"
        )
        fixed = apply_edits(text, fix.edits)
        assert fixed == example["fix"], (
            f"{case}: fix {fix.title!r} on {where}: expected {example['fix']!r}, got {fixed!r}"
        )
        again = _lint(case, rule, {**example, "text": fixed})
        still = sorted((f.start, f.end) for f in again if f.start == first.start)
        assert not still, f"{case}: after the fix {rule.id} still flags {_show(fixed, still)} in {fixed!r}"


def test_case_ids_are_unique():
    ids = [p.id for p in _cases()]
    assert len(ids) == len(set(ids)), sorted({i for i in ids if ids.count(i) > 1})


def test_rule_ids_unique_and_documented():
    ids = [r.id for r in RULES]
    assert len(ids) == len(set(ids))
    for r in RULES:
        assert r.why and r.title and r.link.startswith("https://")
        if r.category in NEEDS_FIX:
            assert r.suggestions, r.id


def test_builtin_packs_match_the_schema():
    """At run time the built-in packs skip the schema check; here they must pass it."""
    for path, text in builtin_pack_paths():
        rules, _ = load_pack(text, path, validate=True)
        assert rules


def test_every_slot_a_rewrite_inserts_is_reported_until_filled():
    """A rewrite's [slot] is found by unfilled-slot, so an applied rewrite never hides one."""
    import re

    from blamelint import rewrite
    from blamelint.detectors.followup import fixes as followup_fixes
    from blamelint.rules import load_rules
    from blamelint.sentence_rewrite import foresight, strategies, verdicts

    rules = load_rules()
    slot_rule = rules.by_id()["unfilled-slot"]
    templates = [s.replace for r in rules.rules for s in r.suggestions if s.replace]
    templates += [v for k, v in vars(rewrite).items() if k.endswith("_FRAME") and isinstance(v, str)]
    # the sentence rewrite's and the follow-up fixes' own slots
    templates += [v for module in (strategies, verdicts, foresight, followup_fixes) for k, v in vars(module).items()
                  if k.isupper() and isinstance(v, str) and "[" in v]
    slots = {m for t in templates for m in re.findall(r"\[[^\]]+\]", t)}
    assert slots, "no rewrite inserts a slot: this test checks nothing"
    for slot in sorted(slots):
        assert slot_rule.compiled["regex"].fullmatch(slot), f"unfilled-slot does not report the slot {slot}"
