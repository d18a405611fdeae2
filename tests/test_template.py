"""The post-mortem template: sections, Key Facts, timeline order, theme tags, and `blamelint new`."""

import datetime as dt
import re
from pathlib import Path

import pytest

from blamelint.config import Config
from blamelint.document import parse
from blamelint.document.template import new_postmortem, template_text
from blamelint.engine import linter_for
from blamelint.fixes import apply_edits

ROOT = Path(__file__).resolve().parents[1]
SEED_TEMPLATE = Path(__file__).with_name("data") / "seed-template.md"  # from the domain spec

COMPLETE = """\
# Incident Post-mortem: Checkout API connection pool exhaustion

## Key Facts

- **Severity:** Sev-2
- **Impact start:** 2024-01-15 14:23 UTC
- **Impact end:** 2024-01-15 14:42 UTC
- **Affected services:** checkout-api, order-history
- **On-call rotation:** @checkout-oncall (primary), @platform-oncall (secondary)
- **Customer impact:** 19 minutes of errors for 31% of checkout attempts
- **Status page:** posted at 14:31 UTC

## Executive Summary

The checkout API ran out of database connections for 19 minutes during the lunchtime peak.

## Timeline

**2024-01-15**

- **14:23 UTC:** Alerts fire for elevated 5xx rates
- **14:30 UTC:** Database team confirms every pooled connection is checked out
- **14:42 UTC:** Error rate returns to baseline

## Contributors, Mitigators, Risks

### Contributors

- The pool size of 20 per instance was set when traffic was half of today's

### Mitigators

- Circuit breakers shed load and kept the catalogue available

### Risks

- Pool sizes are tuned by hand across 12 services

## Learnings

- Pool auto-sizing was disabled in the production config file

## Follow-ups

- [ ] **@database-team:** Enable pool auto-sizing in the production config **[Jan 22]**

**Theme tags:** [capacity, configuration]
"""


NARRATIVE = (
    "During the lunchtime peak the checkout API ran out of database connections and returned errors for about "
    "a third of checkout attempts. Alerts fired within two minutes and the database team confirmed that the "
    "primary was healthy but every pooled connection was checked out. Restarting the application servers with "
    "a larger pool restored service after nineteen minutes. The pool size of twenty per instance had been set a "
    "year earlier, when traffic was about half of what it is today, and a new validation query held a "
    "connection for the whole duration of an external fraud check. Circuit breakers in the web frontend shed "
    "load and kept the product catalogue available throughout. We are enabling automatic pool sizing and "
    "adding pool saturation panels to the standard dashboards."
)


def lint(text, select=("template",), path="pm.md", **cfg):
    result = linter_for(Config(select=list(select), **cfg)).lint_text(text, path)
    assert not result.problems, result.problems
    return result.findings


def rules(text, **kw):
    return sorted(f.rule for f in lint(text, **kw))


def drop(text, start, end=None):
    """text without the lines from the one starting with `start` up to (excluding) `end`."""
    a = text.index(start)
    b = text.index(end, a) if end else len(text)
    return text[:a] + text[b:]


def test_complete_postmortem_is_clean():
    assert lint(COMPLETE) == []


def test_sample_corpus_document_is_clean():
    text = (ROOT / "corpus" / "sample" / "2024-01-15-connection-pool-exhaustion.md").read_text(encoding="utf-8")
    assert lint(text) == []


# --- when to check at all ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "# Release notes 2.4\n\n## Changes\n\n- Faster search\n\n## Known issues\n\n- None\n",
        "Just a note about the build cache.\n\n- item one\n- item two\n",
        "The deployment process allowed production changes without review\n",
        "# Outage\n\nThe cache served stale entries for 12 minutes after the deploy.\n",  # a note, not yet a post-mortem
        "Incident post-mortem: checkout errors\n\nThe API failed for 19 minutes.\n",
    ],
)
def test_other_markdown_is_left_alone(text):
    assert lint(text) == []


def test_document_without_headings_gets_at_most_one_finding():
    text = "Incident post-mortem: checkout errors\n\n" + NARRATIVE + "\n\nAt 14:30, then 14:20.\n\n- [ ] Fix [Severity]\n"
    found = lint(text)
    assert [f.rule for f in found] == ["template-missing-section"]
    assert "no sections" in found[0].message and "“Key Facts”" in found[0].message
    assert [f.rule for f in lint(text, path="pm.txt")] == ["template-missing-section"]


# --- sections ------------------------------------------------------------------------------------


def test_missing_section_anchors_on_the_title_and_inserts_a_skeleton():
    text = drop(COMPLETE, "## Learnings", "## Follow-ups")
    (f,) = lint(text)
    assert f.rule == "template-missing-section" and f.severity == "info"
    assert f.text == "# Incident Post-mortem: Checkout API connection pool exhaustion"
    assert "“Learnings”" in f.message
    (fix,) = f.fixes
    assert not fix.safe and fix.edits[0].start == fix.edits[0].end == text.index("## Follow-ups")
    fixed = apply_edits(text, fix.edits)
    assert "## Learnings\n\n[What the incident taught us" in fixed
    assert rules(fixed) == ["template-placeholder"]


def test_several_missing_sections_are_one_finding_with_a_fix_each():
    text = drop(drop(COMPLETE, "## Executive Summary", "## Timeline"), "## Contributors", "## Learnings")
    (f,) = lint(text, select=["template-missing-section"])
    assert "“Executive Summary”, “Contributors, Mitigators, Risks”" in f.message
    assert len(f.fixes) == 2
    fixed = apply_edits(text, f.fixes[1].edits)
    assert "## Contributors, Mitigators, Risks\n\n### Contributors\n\n[" in fixed
    assert "### Mitigators" in fixed and "### Risks" in fixed
    (again,) = lint(fixed, select=["template-missing-section"])
    assert "“Executive Summary” section" in again.message


def test_contributor_synonyms_count():
    text = COMPLETE.replace("## Contributors, Mitigators, Risks", "## Contributing factors")
    assert lint(text, select=["template-missing-section"]) == []


def test_empty_sections():
    text = COMPLETE.replace("- Circuit breakers shed load and kept the catalogue available\n\n", "")
    text = drop(text, "The checkout API ran out", "## Timeline")
    found = lint(text)
    assert sorted((f.rule, f.text) for f in found) == [
        ("template-empty-section", "## Executive Summary"),
        ("template-empty-section", "### Mitigators"),
    ]
    for f in found:
        fixed = apply_edits(text, f.fixes[0].edits)
        assert f.text not in [g.text for g in lint(fixed) if g.rule == "template-empty-section"]


def test_parent_section_with_subsections_is_not_empty():
    assert "template-empty-section" not in rules(COMPLETE)


def test_configured_required_sections_and_names():
    text = "# Incident: checkout errors\n\n## Impact\n\nCheckout failed.\n\n## Action items\n\n- none\n"
    cfg = {"template": {"required_sections": ["impact", "follow-ups"],
                        "sections": {"impact": ["Impact"], "follow-ups": ["Action items"]}}}
    assert lint(text, select=["template-missing-section"], **cfg) == []
    cfg["template"]["required_sections"].append("timeline")
    (f,) = lint(text, select=["template-missing-section"], **cfg)
    assert "“Timeline”" in f.message


# --- key facts -----------------------------------------------------------------------------------


def test_missing_key_facts_fields_and_fix():
    text = drop(COMPLETE, "- **Affected services:**", "- **Customer impact:**")
    (f,) = lint(text)
    assert f.rule == "template-key-facts" and f.text == "## Key Facts"
    assert "Affected services, On-call rotation" in f.message
    fixed = apply_edits(text, f.fixes[0].edits)
    assert "- **Status page:** posted at 14:31 UTC\n- **Affected services:** [" in fixed
    assert rules(fixed) == ["template-placeholder", "template-placeholder"]


def test_key_facts_spellings_and_table():
    text = COMPLETE.replace("- **Severity:** Sev-2", "- **Severity**: Sev-2").replace(
        "- **Impact start:**", "- Impact start:")
    assert lint(text) == []
    table = (
        "# Incident Post-mortem: X\n\n## Key Facts\n\n| Field | Value |\n|---|---|\n| Severity | Sev-9 |\n"
        "| Impact start | 2024-01-15 14:23 UTC |\n| Impact end | 2024-01-15 14:42 UTC |\n\n## Timeline\n\n- 14:23 a\n"
    )
    found = {f.rule: f for f in lint(table, select=["template-severity", "template-key-facts"])}
    assert found["template-severity"].text == "Sev-9"
    assert "Affected services" in found["template-key-facts"].message


@pytest.mark.parametrize("value", ["Sev-1", "SEV2", "sev 3", "Severity 4", "P2", "Sev-2 (security)", "**Sev-3**"])
def test_severity_spellings(value):
    assert lint(COMPLETE.replace("Sev-2", value, 1), select=["template-severity"]) == []


@pytest.mark.parametrize("value", ["high", "Sev-5", "P0", "bad"])
def test_severity_outside_the_levels(value):
    (f,) = lint(COMPLETE.replace("Sev-2", value, 1), select=["template-severity"])
    assert f.text == value and "Sev-1, Sev-2, Sev-3, Sev-4" in f.message


def test_configured_severity_levels_and_front_matter():
    text = "---\nseverity: Major\n---\n\n" + COMPLETE.replace("Sev-2", "Critical", 1)
    assert len(lint(text, select=["template-severity"])) == 2
    levels = {"template": {"severity_levels": ["Critical", "Major", "Minor"]}}
    assert lint(text, select=["template-severity"], **levels) == []
    zero = {"template": {"severity_levels": ["SEV0", "SEV1", "SEV2"]}}
    assert lint(COMPLETE.replace("Sev-2", "Sev-0", 1), select=["template-severity"], **zero) == []


@pytest.mark.parametrize(
    "start,end,problem",
    [
        ("2024-01-15 14:23 UTC", "2024-01-15 13:42 UTC", "is before the impact start"),
        ("2024-01-15 15:23 CET", "2024-01-15 15:42 UTC", "is in CET, not UTC"),
        ("2024-01-15 14:23", "2024-01-15 14:42 UTC", "has no time zone"),
        ("2024-01-15", "2024-01-15 14:42 UTC", "has a date but no time"),
        ("14:23 UTC", "2024-01-15 14:42 UTC", "has a time but no date"),
        ("lunchtime", "2024-01-15 14:42 UTC", "is not a timestamp"),
    ],
)
def test_impact_times(start, end, problem):
    text = COMPLETE.replace("2024-01-15 14:23 UTC", start, 1).replace("2024-01-15 14:42 UTC", end, 1)
    (f,) = lint(text, select=["template-impact-time"])
    assert problem in f.message


@pytest.mark.parametrize(
    "start,end",
    [("2024-01-15T23:50Z", "2024-01-16T00:20Z"), ("Jan 15, 2024 2:23 PM UTC", "Jan 15, 2024 2:42 PM UTC"),
     ("2024-01-15 14:23 UTC (first alert)", "2024-01-15 14:42 UTC (error rate at baseline)"),
     ("[UTC timestamp]", "[UTC timestamp]")],
)
def test_impact_times_that_are_fine(start, end):
    text = COMPLETE.replace("2024-01-15 14:23 UTC", start, 1).replace("2024-01-15 14:42 UTC", end, 1)
    assert lint(text, select=["template-impact-time"]) == []


# --- placeholders ----------------------------------------------------------------------------------


def test_seed_template_placeholders():
    template = SEED_TEMPLATE.read_text(encoding="utf-8")
    found = lint(template)
    texts = [f.text for f in found if f.rule == "template-placeholder"]
    assert "[Brief Description]" in texts and "[UTC timestamp]" in texts and "[Sev-1/2/3]" in texts
    assert "[List]" in texts and "[SMART actions with owners and due dates]" in texts
    assert not any("capacity" in t or "Jan" in t for t in texts)  # theme tags and dates are values
    assert {f.rule for f in found} <= {"template-placeholder", "template-theme-tags"}


def test_values_that_look_bracketed_are_not_placeholders():
    text = COMPLETE.replace("checkout-api, order-history", "[checkout-api, order-history]")
    assert lint(text) == []


# --- timeline ------------------------------------------------------------------------------------


def timeline(*entries):
    return "# Incident Post-mortem: X\n\n## Timeline\n\n" + "".join(e + "\n" for e in entries)


@pytest.mark.parametrize(
    "entries,flagged",
    [
        (["- **14:23 UTC:** a", "- **14:35 UTC:** b", "- **14:30 UTC:** c"], "14:30 UTC"),
        (["- 14:23 a", "- 14:35 b", "- 14:30 c"], "14:30"),
        (["- 2024-01-15 14:23 a", "- 2024-01-15 14:35 b", "- 2024-01-15 14:30 c"], "2024-01-15 14:30"),
        (["**2024-01-16**", "", "- **09:00 UTC:** a", "", "**2024-01-15**", "", "- **10:00 UTC:** b"], "2024-01-15"),
        (["| Time | Event |", "|---|---|", "| 10:02 | a |", "| 10:55 | b |", "| 10:48 | c |"], "10:48"),
        (["### 2017-11-30 16:22 PST", "", "a", "", "### 16:59 PST", "", "b", "", "### 16:40 PST"], "16:40 PST"),
    ],
)
def test_timeline_out_of_order(entries, flagged):
    (f,) = lint(timeline(*entries), select=["template-timeline-order"])
    assert f.text == flagged


@pytest.mark.parametrize(
    "entries",
    [
        ["**2024-01-15**", "", "- **14:23 UTC:** a", "- **14:30 UTC:** b", "", "**2024-01-16**", "", "- **09:00 UTC:** c"],
        ["- **23:40 UTC:** a", "- **00:15 UTC:** b", "- **01:02 UTC:** c"],
        ["- 2024-01-15 23:40 a", "- 2024-01-16 00:15 b"],
        ["- Jan 15, 5:33 PM a", "- Jan 16, 5:44 AM b"],
        ["- 14:23 a", "  - 14:24 detail", "- 14:30 b"],
        ["### Incident one", "", "- 14:23 a", "", "### Incident two", "", "- 09:00 b"],
    ],
)
def test_timeline_in_order(entries):
    assert lint(timeline(*entries), select=["template-timeline-order"]) == []


# --- theme tags ----------------------------------------------------------------------------------


def test_theme_tags_missing_fix_inserts_after_followups():
    text = COMPLETE.replace("**Theme tags:** [capacity, configuration]\n", "") + "## Appendix\n\n- diagram\n"
    (f,) = lint(text)
    assert f.rule == "template-theme-tags" and f.text == "## Follow-ups"
    fixed = apply_edits(text, f.fixes[0].edits)
    assert "**[Jan 22]**\n\n**Theme tags:** [" in fixed and fixed.endswith("\n\n## Appendix\n\n- diagram\n")
    assert rules(fixed) == ["template-placeholder"]


@pytest.mark.parametrize(
    "variant",
    [
        lambda t: t.replace("**Theme tags:** [capacity, configuration]", "Theme tags: capacity, configuration"),
        lambda t: "---\ntags: [capacity]\n---\n\n" + t.replace("**Theme tags:** [capacity, configuration]\n", ""),
        lambda t: t.replace("**[Jan 22]**\n\n**Theme tags:**", "**[Jan 22]**\n**Theme tags:**"),  # lazy line
    ],
)
def test_theme_tags_spellings(variant):
    assert lint(variant(COMPLETE), select=["template-theme-tags"]) == []


def test_theme_tags_can_be_switched_off():
    text = COMPLETE.replace("**Theme tags:** [capacity, configuration]\n", "")
    assert lint(text, select=["template-theme-tags"], template={"theme_tags": False}) == []


# --- scaffold ------------------------------------------------------------------------------------


def test_template_is_package_data():
    assert "## Follow-ups" in template_text()


def test_new_postmortem_has_only_placeholder_findings():
    cfg = Config(today=dt.date(2024, 1, 16))
    text = new_postmortem("Checkout API connection pool exhaustion", cfg)
    assert text.startswith('---\ntitle: "Checkout API connection pool exhaustion"\ndate: 2024-01-16\n---\n')
    assert "# Incident Post-mortem: Checkout API connection pool exhaustion\n" in text
    result = linter_for(cfg).lint_text(text, "pm.md")
    assert not result.problems
    assert {f.rule for f in result.findings} == {"template-placeholder"}
    kinds = {s.kind for s in parse(text).sections}
    assert {"key-facts", "executive-summary", "timeline", "contributors", "mitigators", "risks", "learnings",
            "follow-ups"} <= kinds


def test_new_postmortem_filled_in_is_clean():
    text = new_postmortem("Checkout errors", Config(today=dt.date(2024, 1, 16)))
    fills = {
        "[Sev-1 / Sev-2 / Sev-3 / Sev-4]": "Sev-2",
        "[YYYY-MM-DD HH:MM UTC]": "2024-01-15 14:23 UTC",
    }
    for old, new in fills.items():
        text = text.replace(old, new)
    text = re.sub(r"\[[A-Z][^\]\n]*\]", "Filled in.", text)
    assert lint(text, select=["template", "followup"]) == []


def test_new_postmortem_honours_configured_sections():
    template = {
        "sections": {"follow-ups": ["Action items"], "key-facts": ["Key Facts"], "timeline": ["Timeline"],
                     "contributors": ["Contributing factors"], "impact": ["Impact"]},
        "required_sections": ["key-facts", "timeline", "follow-ups", "impact"],
        "key_facts": ["Severity", "Duration"],
        "severity_levels": ["Critical", "Major", "Minor"],
    }
    cfg = Config(template=template, today=dt.date(2024, 1, 16))
    text = new_postmortem("X", cfg)
    assert "## Action items\n" in text and "## Impact\n" in text and "## Contributing factors\n" in text
    assert "- **Severity:** [Critical / Major / Minor]\n- **Duration:** [Duration]\n" in text
    assert "Impact start" not in text
    result = linter_for(cfg).lint_text(text, "pm.md")
    assert {f.rule for f in result.findings} == {"template-placeholder"}
