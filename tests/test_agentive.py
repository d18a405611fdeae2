"""Agentive blame: people as agents of failures are flagged, systems are not, and the rewrites read well."""

import pytest

from blamelint.config import Config
from blamelint.engine import linter_for
from blamelint.fixes import apply_edits

LINTER = None


def blame(text):
    global LINTER
    LINTER = LINTER or linter_for(Config(select=["failure-verb-person"]))
    return LINTER.lint_text(text, "pm.md").findings


@pytest.mark.parametrize(
    "sentence",
    [
        "Ingrid forgot to extend the domain registration.",
        "The database administrator skipped the pre-upgrade snapshot.",
        "Our new contractor overlooked the rate limit on the partner API.",
        "She did not follow the change freeze.",
        "The reviewer approved the schema change without reading the migration.",
        "The release engineer pushed the hotfix straight to production.",
        "The analyst ran the export against the wrong warehouse.",
        "Nobody checked the disk usage before the backfill.",
        "The on-call engineer sat on the page for forty minutes.",
        "He deleted the bucket by mistake.",
        "The SRE ought to have escalated after the second page.",
        "The support lead disregarded the capacity warning.",
    ],
)
def test_people_as_agents_of_failure_are_flagged(sentence):
    assert blame(sentence), sentence


@pytest.mark.parametrize(
    "sentence",
    [
        "The health checks failed fast and the load balancer drained the node.",
        "Postgres refused connections once the pool was exhausted.",
        "Kafka skipped the corrupted segment and resumed from the next offset.",
        "The scheduler ignored jobs without a queue label.",
        "The autoscaler missed the spike because metrics arrived late.",
        "Celery dropped the tasks when the broker restarted.",
        "The on-call engineer restarted the consumer at 14:05.",
        "The database team confirmed the pool was exhausted.",
        "We missed the SLA by four minutes.",
        "The deploy bot merged the change after CI passed.",
        "The incident commander declared a Sev-1 and paged the payments team.",
        "The engineer who noticed the spike paged the database on-call.",
    ],
)
def test_systems_and_neutral_actions_are_not_flagged(sentence):
    assert not blame(sentence), [f.text for f in blame(sentence)]


@pytest.mark.parametrize(
    "sentence,rewritten",
    [
        ("Ingrid forgot to extend the domain registration.", "The domain registration was not extended."),
        ("The DBA skipped the pre-upgrade snapshot.", "The pre-upgrade snapshot was skipped."),
        ("She did not follow the change freeze.", "The change freeze was not followed."),
        ("The support lead disregarded the capacity warnings.", "The capacity warnings were not acted on."),
        ("At 09:12 the operator ran the cleanup job against the wrong cluster.",
         "At 09:12 the cleanup job was run against the wrong cluster."),
        ("The analyst never checked the export totals.", "The export totals were never checked."),
    ],
)
def test_rewrites_are_agentless_unsafe_and_relint_clean(sentence, rewritten):
    found = blame(sentence)
    fix = found[0].fixes[0]
    assert fix.edits and not fix.safe  # a changed subject: --fix --unsafe-fixes or the editor
    fixed = apply_edits(sentence, fix.edits)
    assert fixed == rewritten
    assert not blame(fixed)


def test_unsafe_shapes_get_a_suggestion_without_edits():
    # coordinated clauses with a shared subject cannot be rewritten without losing one of them
    found = blame("Ingrid rotated the key by hand and never checked the gateway.")
    assert found
    assert all(not f.fixes[0].edits or f.fixes[0].edits[0].new_text for f in found)
    hint = found[-1].fixes[-1]
    assert "system or process" in hint.title


@pytest.mark.parametrize(
    "sentence, flagged",
    [
        # the action with the reason it made sense then, in the system: the guide's blameless form
        ("Halvard skipped the schema check because the validator was down for maintenance.", False),
        ("No one noticed the inode count climbing since the host template had no inode panel.", False),
        ("At 03:10 the DBA promotes the replica without a snapshot, as the failover runbook permits.", False),
        ("The operator purged the queue after verifying that every consumer had stopped.", False),
        # a person's own reason is no such context
        ("Halvard skipped the schema check because he was in a rush to get home.", True),
        ("The operator deleted the queue without checking the consumers.", True),
    ],
)
def test_a_reason_in_the_system_makes_the_action_context(sentence, flagged):
    assert bool(blame(sentence)) is flagged, sentence


@pytest.mark.parametrize(
    "sentence",
    [
        "09:40 — Had the duty engineer read the banner, the wrong cluster would not have been drained.",
        "If the tech lead had not bypassed the freeze, the release would have waited a week.",
        "if the PM had read the risk register none of this happens",
    ],
)
def test_person_counterfactuals_in_timelines_and_chat_are_flagged(sentence):
    assert blame(sentence), sentence


def test_an_investigation_that_finds_nothing_is_no_lapse():
    assert not blame("The secondary reads the proxy logs but does not see anything unusual.")
    assert blame("The secondary did not notice the disk alert.")
    assert not blame("The second responder starts reading the broker logs but not seeing anything wrong.")
    assert blame("The second responder pushed the wrong config to the broker.")  # "the wrong X" still marks the act


def test_the_bare_on_call_is_a_subject():
    # the tokenizer keeps "on-call" whole: split, the parse reads "The on - call forgot" as a noun compound
    assert blame("The on-call forgot to renew the signing certificate.")
    assert blame("Our on-call ignored the second page.")
    assert blame("Nobody on-call noticed the queue backing up.")  # the whole token tagged as an adverb


def test_the_teams_own_decision_told_is_not_blame():
    assert not blame("We agreed to merge the fix hastily and audit the rest afterwards.")
    assert not blame("We then coordinated to open the PR publicly and approve it hastily.")
    assert blame("We hastily approved the PR without an audit.")


def test_nobody_noticing_where_the_team_got_lucky_is_no_lapse():
    assert not blame("## Where we got lucky\n\n- It was a public holiday, so nobody noticed the stale prices.\n")
    assert blame("## Timeline\n\n- 10:02 Nobody noticed the stale prices.\n")


def test_a_reason_or_a_decision_covers_only_its_own_clause():
    assert blame("Elif skipped the backup, and the restore failed because the snapshot was empty.")
    assert blame("We decided to skip the canary and then ignored the error budget alert.")
    assert blame("## Where we got lucky\n\nNobody on the rota bothered to check the backups, but the replica held.\n")
    assert not blame("11:31 — Had the duty manager paged so she could approve the failover.")


def test_without_thinking_goes_with_the_agent_in_the_rewrite():
    found = blame("Without thinking, the operator restarted the primary.")
    fix = next(x for f in found for x in f.fixes if x.edits)
    assert apply_edits("Without thinking, the operator restarted the primary.", fix.edits) == "The primary was restarted."


def test_a_lapse_verb_negated_is_the_act_done():
    assert not blame("The DBA did not fail to do her job.")
    assert not blame("Nobody ignored the alert this time.")
    assert blame("The operator failed to rotate the key.")


def test_a_hedged_belief_and_an_impact_are_no_lapses():
    assert not blame("I don't think I received any page about the disk.")
    assert not blame("Nobody could log in or reset a password for two hours.")
    assert blame("The on-call could not be bothered to check the replica.")
    assert blame("The DBA didn't think to pause the replication job.")


def test_a_hedge_about_another_person_is_still_blame():
    assert blame("I don't think the reviewer opened the diff.")
    assert blame("The on-call didn't think the page mattered and ignored it.")


def test_dismissal_idioms_said_of_we_and_their_literal_sense():
    assert blame("We shrugged off the checksum warnings for a week.")
    assert not blame("She brushed the dust off the rack before re-seating the card.")


def test_a_negated_counterfactual_is_hindsight_when_it_spares_the_harm():
    from blamelint.config import Config
    from blamelint.engine import linter_for

    lint = linter_for(Config()).lint_text
    spared = lint("If we had not restarted the broker, the cluster would have stayed up.\n", "pm.md").findings
    assert any(f.category == "hindsight" for f in spared)
    worse = lint("Had Priya not noticed the spike, the outage would have spread to every region.\n", "pm.md").findings
    assert not any(f.category in ("hindsight", "blame") for f in worse)
