"""Engine behaviour: suppression comments, precision on neutral prose, isolation of failing rules."""

from pathlib import Path

import pytest

from blamelint import lint
from blamelint.config import Config
from blamelint.detectors import DETECTORS, Detector
from blamelint.engine import Linter
from blamelint.rules import Rule

LEXICAL = {"blame", "hindsight", "vague-action", "root-cause"}
SEED_TEMPLATE = Path(__file__).with_name("data") / "seed-template.md"  # from the domain spec


def rules_of(text, **cfg):
    return [f.rule for f in lint(text, "doc.md", Config(**cfg) if cfg else None)]


def test_disable_and_enable_ranges():
    text = (
        "It was human error.\n\n"
        "<!-- blamelint-disable human-error -->\n\n"
        "It was human error. Obviously it broke.\n\n"
        "<!-- blamelint-enable human-error -->\n\n"
        "It was human error.\n"
    )
    found = lint(text, "doc.md")
    assert [f.rule for f in found].count("human-error") == 2
    assert "hindsight-adverb" in [f.rule for f in found]


def test_disable_all_then_reenable_one():
    text = (
        "<!-- blamelint-disable -->\n\nIt was human error. Obviously it broke.\n\n"
        "<!-- blamelint-enable hindsight -->\n\nIt was human error. Obviously it broke.\n\n"
        "<!-- blamelint-enable -->\n\nIt was human error.\n"
    )
    assert rules_of(text) == ["hindsight-adverb", "human-error"]


def test_disable_next_line_and_same_line():
    text = (
        "<!-- blamelint-disable-next-line human-error -->\n"
        "It was human error. Obviously it broke.\n\n"
        "It was human error. <!-- blamelint-disable-line blame -->\n\n"
        "It was human error.\n"
    )
    found = lint(text, "doc.md")
    assert [(f.rule, f.start > text.rindex("\n\nIt was")) for f in found if f.rule == "human-error"] == [
        ("human-error", True)
    ]
    assert "hindsight-adverb" in [f.rule for f in found]


def test_disable_file():
    assert rules_of("<!-- blamelint-disable-file -->\n\nIt was human error.\n") == []
    assert rules_of("<!-- blamelint-disable-file hindsight -->\n\nIt was human error. Obviously.\n") == [
        "human-error"
    ]


def test_directive_in_code_is_ignored():
    text = "```\n<!-- blamelint-disable-file -->\n```\n\nIt was human error.\n"
    assert rules_of(text) == ["human-error"]


def test_code_and_links_are_not_prose():
    text = "Run `human error` and see [the doc](https://x.test/human-error) or https://human.error/obviously.\n"
    assert rules_of(text) == []


def test_quotes_and_blockquotes_are_evidence():
    text = 'The pager message read "human error, obviously".\n\n> Obviously it was human error.\n'
    assert rules_of(text) == []
    assert set(rules_of(text, quotes="check")) == {"human-error", "hindsight-adverb"}


def test_a_readers_question_set_in_bold_is_their_words():
    text = ("## FAQ\n\n**Our logs say nobody on our team checked the alerts. Are we affected?**\n\n"
            "No.\n\nNobody on the team checked the alerts.\n")
    found = lint(text, "doc.md")
    assert [f.rule for f in found if f.category == "blame"] == ["failure-verb-person"]
    own = text.index("Nobody on the team")
    assert all(f.start >= own for f in found if f.category == "blame")  # the writer's own sentence only


def test_a_five_whys_step_set_in_bold_is_the_writers_own():
    # outside an FAQ, a bold "why" question is the analysis; a reader's ("Why did my …") is not
    text = ("## Analysis\n\n**Why did the operator skip the canary stage?**\n\nThe stage was optional.\n\n"
            "**Why did my dashboard show stale data after the operator skipped the canary?**\n\nA cache.\n\n"
            "**Did the operator skip the canary?**\n\nYes.\n")
    found = [f for f in lint(text, "doc.md") if f.category == "blame"]
    assert [text[f.start:f.end] for f in found] == ["the operator skip the canary stage"]


def test_min_confidence_and_severity_overrides():
    text = "The root cause was human error.\n"
    assert "single-root-cause" not in rules_of(text, min_confidence=0.85)
    found = lint(text, "doc.md", Config(severity={"blame": "error"}))
    assert {f.severity for f in found if f.category == "blame"} == {"error"}


def test_allow_terms():
    assert "human-error" not in rules_of("It was human error.\n", allow_terms=["human error"])


def test_findings_are_sorted_and_deterministic():
    text = "Obviously it was human error. We need to be more careful.\n"
    first = lint(text, "doc.md")
    assert [f.start for f in first] == sorted(f.start for f in first)
    assert first == lint(text, "doc.md")


def _lint_with_rule(monkeypatch, detector):
    """Lint a blaming sentence with one more rule, checked by `detector`."""
    monkeypatch.setitem(DETECTORS, "extra", Detector(detector))
    linter = Linter(Config())
    broken = Rule(id="broken", category="blame", severity="error", title="t", message="m", why="w",
                  link="https://x", examples={}, check="extra")
    linter.ruleset.rules.append(broken)
    try:
        return linter.lint_text("It was human error.\n", "doc.md")
    finally:
        linter.ruleset.rules.remove(broken)


def test_failing_rule_is_isolated(monkeypatch):
    def boom(rule, analysis):
        raise RuntimeError("detector exploded")

    result = _lint_with_rule(monkeypatch, boom)
    assert [f.rule for f in result.findings] == ["human-error"]
    assert any("rule 'broken' failed: RuntimeError: detector exploded" in p for p in result.problems)


@pytest.mark.parametrize("gives", [[None], ["not a finding"], "outside"], ids=["none", "str", "outside"])
def test_a_detector_that_gives_no_findings_is_isolated(monkeypatch, gives):
    from blamelint.findings import Finding

    def bad(rule, analysis):
        if gives == "outside":
            return [Finding("broken", "blame", "error", "m", 0, 10_000)]
        return gives

    result = _lint_with_rule(monkeypatch, bad)
    assert [f.rule for f in result.findings] == ["human-error"]
    assert any("rule 'broken' failed: TypeError: gave" in p for p in result.problems)


def test_seed_good_sentences_and_template_are_clean():
    template = SEED_TEMPLATE.read_text(encoding="utf-8")
    assert [(f.rule, f.text) for f in lint(template, "template.md") if f.category in LEXICAL] == []
    good = SEED_TEMPLATE.with_name("seed-good-sentences.txt").read_text(encoding="utf-8").splitlines()
    assert len(good) == 3
    for sentence in good:
        assert lint(sentence + "\n", "s.md") == [], sentence


@pytest.mark.parametrize(
    "sentence",
    [
        "Requests should be retried with backoff.",
        "Jenkins failed to start after the upgrade.",
        "Circuit breakers failed open gracefully.",
        "This could have affected all regions.",
        "The user error rate rose to 3% during the incident.",
        "We switched to lazy loading for the image grid.",
        "The dashboards clearly showed the spike at 14:02.",
        "The double-checked locking in the cache client was removed.",
        "Training data for the ranking model was refreshed.",
    ],
)
def test_neutral_technical_prose_is_clean(sentence):
    assert [f.rule for f in lint(sentence + "\n", "s.md") if f.category in LEXICAL] == []


def test_rule_docs_are_up_to_date():
    from blamelint.rules import load_rules
    from blamelint.rules.reference import rules_markdown

    docs = Path(__file__).resolve().parents[1] / "docs" / "rules.md"
    assert docs.read_text(encoding="utf-8") == rules_markdown(load_rules().rules), (
        "docs/rules.md is stale: run `blamelint rules --format markdown > docs/rules.md`"
    )
