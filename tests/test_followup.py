"""Follow-ups: owner, due date, checkable action and overdue items."""

import datetime as dt
from pathlib import Path

import pytest

from blamelint.config import Config
from blamelint.detectors.items import find_dates
from blamelint.engine import linter_for
from blamelint.fixes import apply_edits

SEED_TEMPLATE = Path(__file__).with_name("data") / "seed-template.md"  # from the domain spec
RULES = ["followup-owner", "followup-due-date", "followup-action", "followup-overdue"]


FOLLOWUP_RULES = ("followup-owner", "followup-due-date", "followup-action", "followup-overdue")


def lint(text, today=None, select=None, **cfg):
    """Each follow-up rule's own findings (run one rule at a time: together, an item's findings
    merge into one, see `merged`)."""
    out = []
    for chosen in ([[r] for r in FOLLOWUP_RULES] if select is None else [select]):
        result = linter_for(Config(select=chosen, today=today, **cfg)).lint_text(text, "pm.md")
        assert not result.problems, result.problems
        out += result.findings
    return sorted(out, key=lambda f: (f.start, f.end, f.rule))


def merged(text, today=None, **cfg):
    """What a writer sees: every follow-up rule at once."""
    result = linter_for(Config(select=["followup"], today=today, **cfg)).lint_text(text, "pm.md")
    assert not result.problems, result.problems
    return result.findings


def rules(text, **kw):
    return sorted(f.rule for f in lint(text, **kw))


def followups(*items, heading="## Follow-ups"):
    return heading + "\n\n" + "".join(f"- {item}\n" for item in items)


# --- SMART items are clean -------------------------------------------------------------------


def test_seed_template_followups_are_clean():
    template = SEED_TEMPLATE.read_text(encoding="utf-8")
    assert lint(template, today=dt.date(2024, 1, 16)) == []


@pytest.mark.parametrize(
    "item",
    [
        "[ ] **@database-team:** Enable connection pool auto-scaling in prod **[Jan 22]**",
        "[ ] **@comms-team:** Reduce status page update SLA from 15min to 5min **[Jan 30]**",
        "@sre-team Add pool utilisation to the service dashboards by Feb 1",
        "Add pool utilisation to the service dashboards (owner: SRE) due 2024-03-01",
        "Owner: platform team. Move applies to the CI role, due 22 Jan 2024.",
        "[payments-oncall] Alert when replica lag exceeds 60 seconds [2024-02-20]",
        "Platform team: pin the resolver to IPv4 until every pool is dual-stack by end of Q3 2024",
        "SRE: page when any certificate is within 14 days of expiry [Jan 22]",
        "**@search-team:** Investigate shard sizing and file a capacity proposal with node counts **[Nov 1]**",
        "**@qa-team:** Run a failover drill with the new runbook on 12 March 2024",
        "**@lena:** Walk the team through what happened **[Feb 16]**",
    ],
)
def test_smart_items_are_clean(item):
    assert lint(followups(item)) == []


def test_done_items_are_not_checked():
    text = followups(
        "[x] Roll back the config change",
        "Revisit the alert thresholds (done)",
        "~~Look into the retry storm~~",
    )
    assert lint(text, today=dt.date(2030, 1, 1)) == []
    completed = "## Follow-ups\n\n### Completed\n\n- Look into the retry storm\n"
    assert lint(completed) == []


def test_items_outside_followups_are_not_checked():
    text = "## Timeline\n\n- 14:23 Look into the alerts\n\n## Learnings\n\n- Consider better dashboards\n"
    assert lint(text) == []


# --- each missing element -------------------------------------------------------------------------


def test_missing_owner():
    found = lint(followups("[ ] Enable connection pool auto-scaling in prod **[Jan 22]**"))
    assert [f.rule for f in found] == ["followup-owner"]
    assert "no owner" in found[0].message


@pytest.mark.parametrize(
    "item",
    [
        "Everyone: add the retry budget to the client library by 2024-03-01",
        "All engineers to add the retry budget to the client library by 2024-03-01",
        "Add the retry budget to the client library [TBD] by 2024-03-01",
    ],
)
def test_collectives_and_placeholders_are_not_owners(item):
    assert "followup-owner" in rules(followups(item))


def test_missing_due_date_names_the_vague_term():
    found = lint(followups("**@mobile-team:** Fix the forced-update screen loop **ASAP**"))
    assert [f.rule for f in found] == ["followup-due-date"]
    assert "“ASAP” is not a date" in found[0].message


@pytest.mark.parametrize("when", ["soon", "TBD", "next sprint", "[Q2]", "eventually", "at some point"])
def test_vague_dates_are_not_dates(when):
    assert rules(followups(f"@cloud-infra: Move applies to the CI role {when}")) == ["followup-due-date"]


@pytest.mark.parametrize(
    "when",
    ["[Jan 22]", "**[Feb 1]**", "2024-01-22", "22 Jan 2024", "by Feb 1", "due 2024-03-01", "by end of Q3 2024",
     "January 22nd, 2024", "[2024/01/22]", "by March 2024"],
)
def test_date_formats(when):
    assert rules(followups(f"@cloud-infra: Move applies to the CI role {when}")) == []


def test_find_dates_ignores_versions_and_times():
    assert find_dates("Pin the library to 3.8 and Android 7.0 at 14:23, 5 nodes") == []
    assert [(d.month, d.day) for d in find_dates("[Sep 6] and 2024-10-27 and 3rd March")] == [(9, 6), (10, 27), (3, 3)]


@pytest.mark.parametrize(
    "item",
    [
        "**@qa-team:** Look into making load tests more realistic **[Feb 1]**",
        "**@qa-team:** We should look into flaky load tests **[Feb 1]**",
        "**@qa-team:** Investigating the flaky load tests **[Feb 1]**",
        "**@search-team:** Consider adding data nodes **[Nov 1]**",
        "**@mobile-guild:** Think about a kill switch for remote config **[Nov 1]**",
        "**@payments-oncall:** Improve monitoring for the read path **[Mar 1]**",
        "**@hamid-team:** Write better tests for the retention job **[May 3]**",
        "**@identity-team:** Be more careful with key rotation going forward **[Aug 1]**",
        "**@risk-analytics:** Keep a closer eye on approval rates **[May 31]**",
        "**@qa-team:** Don't skip the regression pack again **[May 31]**",
        "**@security-team:** Ensure something like this never happens again **[Oct 1]**",
    ],
)
def test_vague_actions(item):
    found = lint(followups(item))
    assert [f.rule for f in found] == ["followup-action"], item
    # the outcome as slots after the action (unsafe: the writer fills them in), then the advice
    first = found[0].fixes[0]
    assert [e.new_text for e in first.edits] == [" so that [which measure] reaches [what target]"]
    assert not first.safe and not found[0].fixes[1].edits


def test_one_finding_per_item_naming_every_missing_element():
    text = followups("Revisit the backfill approval process")
    (found,) = merged(text)
    assert found.rule == "followup-action" and found.text == "Revisit the backfill approval process"
    assert sorted(r.rule for r in found.related) == ["followup-due-date", "followup-owner"]
    assert found.message.startswith("This follow-up has no owner, has no due date and is not a checkable action: ")
    # first, one fix that adds every part: the owner label, the outcome slots, then the date
    combined = found.fixes[0]
    assert combined.title == "Add an owner, a checkable outcome and a due date" and not combined.safe
    fixed = apply_edits(text, combined.edits)
    assert "- **@owner:** Revisit the backfill approval process so that [which measure] reaches [what target] **[" in fixed
    # then each part's own fix
    assert any(f.edits == [e] for f in found.fixes[1:] for e in combined.edits[:1])


def test_span_covers_the_whole_item_text():
    item = "**@payments-oncall:** Improve monitoring for the read path **[Mar 1]**"
    (f,) = lint(followups("[ ] " + item))
    assert f.text == item


# --- structure -----------------------------------------------------------------------------------


def test_task_items_anywhere_and_label_paragraphs():
    text = "# Outage\n\nNext steps:\n\n- Lower the 401 alert threshold to 2%\n\nSome prose.\n\n- [ ] Fix it **[Jan 2]**\n"
    found = lint(text)
    assert sorted((f.rule, f.text) for f in found) == [
        ("followup-due-date", "Lower the 401 alert threshold to 2%"),
        ("followup-owner", "Fix it **[Jan 2]**"),
        ("followup-owner", "Lower the 401 alert threshold to 2%"),
    ]


def test_nested_details_and_group_labels():
    text = (
        "## Action items\n\n"
        "- Add a replica-lag throttle to the backfill framework\n"
        "  - Owner: @dbre-team\n"
        "  - Due: 2024-02-20\n"
        "- **Short term**\n"
        "  - @sre-team: Alert on lag above 60 seconds [Feb 9]\n"
        "  - Look into the replica sizing\n"
    )
    found = lint(text)
    assert sorted((f.rule, f.text) for f in found) == [
        ("followup-action", "Look into the replica sizing"),
        ("followup-due-date", "Look into the replica sizing"),
        ("followup-owner", "Look into the replica sizing"),
    ]


def test_table_followups():
    text = (
        "## Follow-ups\n\n"
        "| Action | Owner | Due |\n|---|---|---|\n"
        "| Send an idempotency key on every charge call | @billing-team | 2024-03-15 |\n"
        "| Page on any reconciliation mismatch | Billing team | [Mar 22] |\n"
        "| Communicate better with finance during billing incidents | @billing-team | TBD |\n"
        "| Look into alternative payment providers | | |\n"
        "| Roll back the retry change | @billing-team | Done |\n"
    )
    found = lint(text)
    got = sorted((f.rule, f.text) for f in found)
    assert got == [
        ("followup-action", "Communicate better with finance during billing incidents"),
        ("followup-action", "Look into alternative payment providers"),
        ("followup-due-date", "Communicate better with finance during billing incidents"),
        ("followup-due-date", "Look into alternative payment providers"),
        ("followup-owner", "Look into alternative payment providers"),
    ]


def test_table_with_status_column_and_fixes():
    text = (
        "## Follow-ups\n\n"
        "| Item | Assignee | Target date | Status |\n|---|---|---|---|\n"
        "| Alert on pool saturation above 80% |  |  | open |\n"
        "| Rotate the deploy token | | | closed |\n"
    )
    found = lint(text, today=dt.date(2024, 1, 1))
    assert sorted(f.rule for f in found) == ["followup-due-date", "followup-owner"]
    fixed = text
    for f in sorted(found, key=lambda f: -f.fixes[0].edits[0].start):
        fixed = apply_edits(fixed, f.fixes[0].edits)
    assert "| Alert on pool saturation above 80% | @owner | 2024-01-15 | open |" in fixed
    assert lint(fixed, today=dt.date(2024, 1, 1)) == []


# --- fixes ---------------------------------------------------------------------------------------


def test_owner_fix_inserts_handle_after_the_checkbox_and_clears():
    text = followups("[ ] Enable connection pool auto-scaling in prod **[Jan 22]**")
    (f,) = lint(text)
    fix = f.fixes[0]
    assert not fix.safe and len(fix.edits) == 1 and fix.edits[0].start == fix.edits[0].end
    fixed = apply_edits(text, fix.edits)
    assert fixed == followups("[ ] **@owner:** Enable connection pool auto-scaling in prod **[Jan 22]**")
    assert lint(fixed) == []


def test_due_date_fix_appends_a_proposed_date_and_clears():
    text = followups("[ ] **@sre-team:** Add pool utilisation to the service dashboards")
    (f,) = lint(text, today=dt.date(2024, 1, 10))
    fix = f.fixes[0]
    assert not fix.safe and fix.edits[0].start == fix.edits[0].end
    fixed = apply_edits(text, fix.edits)
    assert fixed.endswith("dashboards **[2024-01-24]**\n")
    assert lint(fixed, today=dt.date(2024, 1, 10)) == []


def test_fixes_on_a_multiline_item():
    text = "## Follow-ups\n\n* Add pool utilisation\n  to the service dashboards\n\nTheme tags: capacity\n"
    found = {f.rule: f for f in lint(text, today=dt.date(2024, 1, 10))}
    assert set(found) == {"followup-owner", "followup-due-date"}
    fixed = apply_edits(text, found["followup-owner"].fixes[0].edits + found["followup-due-date"].fixes[0].edits)
    assert fixed.startswith("## Follow-ups\n\n* **@owner:** Add pool utilisation **[2024-01-24]**\n  to the")
    assert lint(fixed, today=dt.date(2024, 1, 10)) == []


# --- overdue -------------------------------------------------------------------------------------


def test_overdue_needs_today():
    text = followups("[ ] **@sre-team:** Add pool panels to the dashboards **[2024-01-25]**")
    assert lint(text) == []
    (f,) = lint(text, today=dt.date(2024, 3, 1))
    assert f.rule == "followup-overdue" and f.severity == "info"
    assert "2024-01-25" in f.message and "36 days" in f.message
    assert any(e.new_text == "[x]" for fix in f.fixes for e in fix.edits)
    assert lint(text, today=dt.date(2024, 1, 25)) == []


def test_overdue_skips_done_items():
    text = followups("[x] **@sre-team:** Add pool panels to the dashboards **[2024-01-25]**")
    assert lint(text, today=dt.date(2024, 3, 1)) == []


@pytest.mark.parametrize(
    "head,due,today,overdue",
    [
        ("---\ndate: 2023-12-10\n---\n\n", "[Jan 17]", dt.date(2024, 1, 20), True),  # rolls into next year
        ("---\ndate: 2023-12-10\n---\n\n", "[Jan 17]", dt.date(2024, 1, 10), False),
        ("# Incident Post-mortem\n\n## Key Facts\n\n- **Impact start:** 2023-05-02 10:00 UTC\n\n", "[May 20]",
         dt.date(2024, 1, 1), True),
        ("# Outage on 2022-03-01\n\n", "[Mar 20]", dt.date(2022, 3, 10), False),
        ("", "[Mar 20]", dt.date(2022, 3, 21), True),  # no document date: today's year
        ("", "by end of Q1 2024", dt.date(2024, 4, 1), True),
        ("", "by end of Q1 2024", dt.date(2024, 3, 31), False),
    ],
)
def test_overdue_resolves_dates_without_a_year(head, due, today, overdue):
    text = head + followups(f"[ ] **@sre-team:** Add pool panels to the dashboards {due}")
    assert bool(lint(text, today=today, select=["followup-overdue"])) is overdue


# --- corpus -------------------------------------------------------------------------------------


def test_neutral_corpus_has_no_followup_findings():
    root = Path(__file__).resolve().parents[1] / "corpus" / "neutral"
    for path in sorted(root.glob("*.md")):
        assert lint(path.read_text(encoding="utf-8")) == [], path.name


@pytest.mark.parametrize(
    "item,quoted",
    [
        ("@sre-team: Make the deploy faster [Mar 3]", "Make the deploy faster"),
        ("@sre-team: Monitoring improvements [Mar 3]", "improvements"),
        ("@team-x: Reach out to the vendor about the quota [Mar 3]", "Reach out"),
        ("@web: Be more thoughtful about feature flag defaults [Apr 1]", "Be more thoughtful"),
    ],
)
def test_vague_action_messages_quote_the_phrase(item, quoted):
    (f,) = lint(followups(item))
    assert f.rule == "followup-action" and f"“{quoted}”" in f.message


@pytest.mark.parametrize(
    "item",
    [
        "@web: Make the rollout faster than 10 minutes [Apr 1]",
        "@db-team: Upgrade Postgres to 15.4 on all replicas [2024-05-01]",
        "@infra-team: Optimize the `orders_by_customer` query [Apr 1]",
        "@infra-team: Investigate and fix the memory leak in the worker [Apr 1]",
        "@infra-team: Review the alert thresholds and lower them to 60 seconds [Apr 1]",
        "@db-team: Review the slow query log weekly and file tickets for queries above 500 ms [Mar 3]",
        "@sre-team: Evaluate Vault auto-unseal with KMS and record the decision in ADR-12 [Mar 3]",
    ],
)
def test_specific_actions_are_clean(item):
    assert lint(followups(item)) == []


def test_plain_text_documents():
    text = "Incident review: checkout errors\n\nAction items:\n- Look into the retry storm\n  and its cause\n\nDone.\n"
    result = linter_for(Config(select=["followup"], today=dt.date(2024, 1, 10))).lint_text(text, "pm.txt")
    (found,) = result.findings
    assert {found.rule, *(r.rule for r in found.related)} == {"followup-owner", "followup-due-date", "followup-action"}
    fixed = apply_edits(text, found.fixes[0].edits)  # every part at once
    assert "- @owner: Look into the retry storm" in fixed and "[2024-01-24]\n" in fixed  # no Markdown in a .txt file


def test_links_to_tickets_are_not_items():
    text = followups("[JIRA-123](https://jira.example/JIRA-123)", "See https://example.com/ticket/42")
    assert lint(text) == []
