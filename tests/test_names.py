"""named-individual: people and personal handles in the narrative, with role-based fixes."""

from collections import Counter

import pytest

from blamelint.config import Config
from blamelint.engine import linter_for
from blamelint.fixes import apply_edits, apply_safe_fixes

RULE = "named-individual"


def findings(text, path="pm.md", **settings):
    result = linter_for(Config(select=[RULE], **settings)).lint_text(text, path)
    assert not result.problems, result.problems
    return result.findings


def flagged(text, **settings):
    return [f.text for f in findings(text, **settings)]


def fixed(text, **settings):
    """The text after the first fix with edits of every finding."""
    edits = [next(x for x in f.fixes if x.edits).edits[0] for f in findings(text, **settings)]
    return apply_edits(text, edits)


# --- people vs. software ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "sentence",
    [
        "Kafka and Jenkins failed after Redis restarted.",
        "Celery retried the export task 40 times before giving up.",
        "Sidekiq drained the queue once Postgres came back.",
        "Hudson kept accepting jobs but failed each one while archiving artifacts.",
        "Marathon rescheduled the app onto a node without the mount.",
        "Traffic shifted to Frankfurt and Dublin within two minutes.",
        "Grafana showed nothing unusual because the export has no dashboard.",
        "Ansible rewrote the sshd config on all hosts.",
        "Cassandra and Elasticsearch both lost a node in the same rack.",
        "Flask returned 429s while Vault was sealed.",
        "Consul lost its leader and Nomad stopped scheduling allocations.",
        "Kubernetes evicted the pods and Prometheus stopped scraping them.",
        "PagerDuty paged the secondary after five minutes.",
        "The on-call engineer paged the database team at 14:28.",
        "Decision made to restart application servers rather than scale the database.",
        "Support escalates to the mobile on-call.",
        "Warnings posted to a channel are not the same as alerts.",
    ],
)
def test_software_and_ordinary_words_are_not_people(sentence):
    assert flagged(sentence) == []


@pytest.mark.parametrize(
    "sentence, name",
    [
        ("Jane paged the database team.", "Jane"),
        ("According to Ahmed, the retries started before the deploy.", "Ahmed"),
        ("Oksana restarted the payment workers at 14:02.", "Oksana"),
        ("Thabo forgot to update the allowlist before the cutover.", "Thabo"),
        ("The rollback was approved by Siobhan Gallagher.", "Siobhan Gallagher"),
        ("Hiroko from the payments team confirmed the duplicate charges.", "Hiroko"),
        ("Yevgenia said the dashboards looked normal at the time.", "Yevgenia"),
        ("Sunniva merged the PR early because she was about to leave.", "Sunniva"),
        ("Dr. Haverkamp joined the bridge at 03:10.", "Dr. Haverkamp"),
        ("We paged Bongani at 03:00 and he joined within minutes.", "Bongani"),
        ("- **09:14 UTC:** Leilani acknowledges the page", "Leilani"),
    ],
)
def test_people_are_flagged(sentence, name):
    assert flagged(sentence) == [name]


def test_month_and_weekday_abbreviations_in_dates_are_not_name_candidates():
    from blamelint.analysis.lexicon import lexicon_for
    from blamelint.detectors.names.trigger import candidate

    linter = linter_for(None)
    lex = lexicon_for(linter.ruleset, linter.analyzer.light)
    text = "Renew the cert before Jul 19 and check it on Tue 14:05 with Aug, who owns it."
    doc = linter.analyzer.tokens([text])[0]
    kept = [t.text for t in doc if candidate(t, lex, frozenset(), text)]
    assert "Jul" not in kept and "Tue" not in kept and "Aug" in kept  # a bare "Aug" may be a name
    assert flagged("- [ ] @sre: Renew the payments certificate [Jul 19]\n") == []


def test_a_title_before_a_stop_word_makes_it_a_name_candidate():
    from blamelint.analysis.lexicon import lexicon_for
    from blamelint.detectors.names.trigger import candidate

    linter = linter_for(None)
    lex = lexicon_for(linter.ruleset, linter.analyzer.light)
    for title in ("Sir", "Dame", "Dr."):  # "Will" is a stop word: a candidate only with a person cue
        text = f"The review was chaired by {title} Will."
        doc = linter.analyzer.tokens([text])[0]
        assert [t.text for t in doc if t.text == "Will" and candidate(t, lex, frozenset(), text)] == ["Will"], title


def test_abstract_nouns_starting_a_sentence_are_ordinary_words():
    from blamelint.analysis.lexicon import lexicon_for

    linter = linter_for(None)
    lex = lexicon_for(linter.ruleset, linter.analyzer.light)
    assert all(lex.ordinary(w) for w in ("coordination", "configuration", "mitigation", "resolution", "latency"))
    assert not lex.ordinary("ines")


def test_ner_person_tags_on_software_are_overruled_by_the_gazetteer():
    # the small model tags all three as PERSON
    assert flagged("Kafka and Jenkins failed after Redis restarted.") == []
    assert flagged("Jane and Jenkins both restarted the workers.") == ["Jane"]


def test_document_evidence_marks_software():
    assert flagged("Orin deployed the new build.") == ["Orin"]
    # a version number, a lower-case mention, code, a technical compound or a URL: a program
    assert flagged("Orin 2.3 deployed the new build.") == []
    assert flagged("The orin scheduler was slow.\n\nOrin deployed the new build.\n") == []
    assert flagged("Run `orin deploy --all` to redeploy.\n\nOrin deployed the new build.\n") == []
    assert flagged("The Orin cluster was slow.\n\nOrin deployed the new build.\n") == []
    assert flagged("See https://orin.example.com/status.\n\nOrin deployed the new build.\n") == []


def test_name_confirmed_once_is_flagged_everywhere():
    text = "Tavita forgot to renew the certificate.\n\nThe graph from Tavita showed the spike.\n"
    assert flagged(text) == ["Tavita", "Tavita"]
    assert flagged("The graph from Tavita showed the spike.\n") == []


@pytest.mark.parametrize(
    "sentence",
    [
        "Will this happen again? Probably, unless the limit is raised.",
        "May saw the highest traffic of the year.",
        "Grant read-only access to the export bucket to the analysts.",
        "Mark the ticket as resolved once the backfill finishes.",
    ],
)
def test_common_words_at_sentence_start_are_not_names(sentence):
    assert flagged(sentence) == []


def test_common_word_name_with_clear_context_is_flagged():
    assert flagged("Will from the data platform team noticed the missing file.") == ["Will"]


# --- possessives, coordination, appositives -----------------------------------------------------


def test_possessive_keeps_the_possessive():
    text = "The token was copied from Raj's laptop."
    assert flagged(text) == ["Raj"]
    assert fixed(text) == "The token was copied from the engineer's laptop."
    assert fixed("Thomas' laptop had the only copy of the key.") == "The engineer's laptop had the only copy of the key."


def test_a_trait_owned_is_a_persons():
    # a character noun is something only a person has ("Ilse's laziness", not a program's)
    assert flagged("Ilse's impatience cost us the second replica.") == ["Ilse"]
    assert flagged("Kubernetes's impatience with slow probes restarted the pod.") == []


def test_an_adjective_said_only_of_people_marks_a_person():
    assert flagged("Tomasz needs to be more careful with the deploy script.") == ["Tomasz"]
    assert flagged("Tomasz needs to restart the deploy script.") == []
    # a plain "careful" is said of software too
    assert flagged("Hugo is careful to escape HTML in templates.") == []


def test_possessive_of_software_is_not_a_person():
    assert flagged("Tesseract's StatefulSet is not configured for rolling updates.") == []


def test_full_names_and_coordination_are_one_unit():
    text = "Carlos Mendoza and Hannah restarted the ingest workers."
    found = findings(text)
    assert [f.text for f in found] == ["Carlos Mendoza and Hannah"]
    assert found[0].fixes[0].safe
    assert fixed(text) == "Two responders restarted the ingest workers."


def test_role_appositives_are_removed_and_the_role_kept():
    assert fixed("Our intern, Teodor, added the flag to the deploy script.") == (
        "Our intern added the flag to the deploy script."
    )
    assert fixed("- **07:58 UTC:** On-call engineer Zbigniew acknowledges the page") == (
        "- **07:58 UTC:** On-call engineer acknowledges the page"
    )
    assert fixed("- **08:15 UTC:** Storage on-call (@mwenda) identifies the backlog") == (
        "- **08:15 UTC:** Storage on-call identifies the backlog"
    )
    assert fixed("Jane (SRE) restarted the pods.") == "The SRE restarted the pods."


# --- handles ------------------------------------------------------------------------------------


@pytest.mark.parametrize("handle", ["@jane", "@k.nakamura", "@tim_b", "@mkowalczyk", "@jane-doe"])
def test_personal_handles_are_flagged(handle):
    assert flagged(f"- **14:25 UTC:** {handle} investigates the timeouts\n") == [handle]


@pytest.mark.parametrize(
    "handle",
    ["@sre-team", "@database-team", "@payments-oncall", "@db-oncall", "@release-infra", "@storage-tools",
     "@platform", "@security", "@procurement", "@release-bot", "@data-eng", "@growth-squad", "@github-actions"],
)
def test_team_handles_are_roles(handle):
    assert flagged(f"- [ ] **{handle}:** Add pool utilisation to the dashboards **[Jan 25]**\n") == []
    assert flagged(f"Paged {handle} at 14:28.\n") == []


def test_emails_code_and_urls_are_not_handles():
    text = (
        "Alerts go to oncall@example.com and jane.doe@example.com.\n\n"
        "Run `notify @jane` to test, or see https://github.com/@jane for the script.\n"
    )
    assert flagged(text) == []


def test_on_call_handle_in_the_seed_template():
    text = "## Timeline\n\n- **14:25 UTC:** On-call engineer @jane investigates, sees database connection timeouts\n"
    found = findings(text)
    assert [f.text for f in found] == ["@jane"]
    assert fixed(text).endswith("On-call engineer investigates, sees database connection timeouts\n")


def test_follow_up_owner_handle_suggests_a_team_handle():
    text = "## Follow-ups\n\n- [ ] **@jane:** Enable connection pool auto-scaling in prod **[Jan 22]**\n"
    found = findings(text)
    assert [f.text for f in found] == ["@jane"]
    fix = found[0].fixes[0]
    assert not fix.safe
    assert "team handle" in found[0].message
    assert apply_edits(text, fix.edits) == text.replace("@jane", "@owner-team")


def test_follow_up_owned_by_a_name_suggests_a_team_handle():
    # "Priya to …" opens a follow-up and owns it: a role ("An engineer to …") would leave it without an owner
    text = "## Follow-ups\n\n- Priya to add a lag alert for the billing replica by 2027-02-01\n"
    found = findings(text)
    assert [f.text for f in found] == ["Priya"]
    assert apply_edits(text, found[0].fixes[0].edits) == text.replace("Priya", "@owner-team")
    assert "team handle" in found[0].message
    # with the item's rewrite, the handle keeps its case
    text = "## Follow-ups\n\n- Priya to take more care with the deploy pipeline.\n"
    assert "@owner-team" in apply_edits(text, findings(text)[0].fixes[0].edits)
    # elsewhere the same words are no follow-up's owner
    text = "## Summary\n\n- Priya to the rescue: she restored the replica by 10:02\n"
    assert all("@owner-team" not in apply_edits(text, f.fixes[0].edits) for f in findings(text) if f.fixes[0].edits)


# --- configuration ------------------------------------------------------------------------------


def test_allowlist_is_case_insensitive():
    text = "Jane paged the database team. Later @jane closed the incident.\n"
    assert flagged(text, allow_names=["JANE"]) == []
    assert flagged("Ahmed Khan joined the call.\n", allow_names=["ahmed khan"]) == []


def test_roles_map_drives_the_replacement():
    text = "Jane paged the database team at 14:28."
    assert fixed(text, roles={"jane": "on-call engineer"}) == "The on-call engineer paged the database team at 14:28."
    assert fixed(text, roles={"Jane": "the incident commander"}) == (
        "The incident commander paged the database team at 14:28."
    )
    handle = "- **14:40** @t.adeyinka correlates the 401s with the auth deploy\n"
    assert fixed(handle, roles={"t.adeyinka": "gateway on-call engineer"}) == (
        "- **14:40** The gateway on-call engineer correlates the 401s with the auth deploy\n"
    )


@pytest.mark.parametrize(
    "text, expected",
    [
        ("## Timeline\n\n- **14:02 UTC:** Oksana acknowledges the page\n",
         "## Timeline\n\n- **14:02 UTC:** The on-call engineer acknowledges the page\n"),
        ("## Timeline\n\n- **14:09 UTC:** Oksana rolls back the config change\n",
         "## Timeline\n\n- **14:09 UTC:** The on-call engineer rolls back the config change\n"),
        ("Three weeks earlier, Ignacio merged the change without a second review.\n",
         "Three weeks earlier, an engineer merged the change without a second review.\n"),
        ("Quinn approved the rollout on Friday.\n", "The approver approved the rollout on Friday.\n"),
        ("According to Ahmed, the retries started before the deploy.\n",
         "According to a responder, the retries started before the deploy.\n"),
        ("Yevgenia said the dashboards looked normal.\n", "A responder said the dashboards looked normal.\n"),
        ("We paged Bongani at 03:00.\n", "We paged the on-call engineer at 03:00.\n"),
    ],
)
def test_role_is_inferred_from_verb_and_section(text, expected):
    assert fixed(text) == expected


def test_public_profile_makes_names_errors_and_relaxes_the_threshold():
    text = "Jane paged the database team.\n"
    assert [f.severity for f in findings(text)] == ["warning"]
    assert [f.severity for f in findings(text, profile="public")] == ["error"]
    low_context = "The graph from Tavita showed the spike.\n"
    assert flagged(low_context) == []
    assert flagged(low_context, profile="public") == ["Tavita"]
    # the gazetteer still wins
    assert flagged("Kafka and Jenkins failed after Redis restarted.\n", profile="public") == []


def test_confidence_reflects_the_evidence():
    strong = findings("Jane forgot to renew the certificate because she was on leave.\n")[0]
    weak = findings("The graph from Tavita showed the spike.\n", profile="public")[0]
    assert strong.confidence > 0.9
    assert weak.confidence < 0.5
    assert 0 < weak.confidence < strong.confidence <= 1


# --- fixes are safe -----------------------------------------------------------------------------

FIXABLE = [
    "Jane paged the database team.\n",
    "Our intern, Teodor, added the flag to the deploy script.\n",
    "The token was copied from Raj's laptop.\n",
    "Carlos Mendoza and Hannah restarted the ingest workers.\n",
    "## Timeline\n\n- **14:25 UTC:** On-call engineer @jane investigates, sees database connection timeouts\n"
    "- **14:30 UTC:** Oksana acknowledges the page\n",
    "According to Ahmed, the retries started before the deploy.\n",
    "Arvid's reviewer, Noor, approved a diff that both added and activated the key.\n",
]


@pytest.mark.parametrize("text", FIXABLE)
def test_safe_fixes_clear_the_finding_and_add_nothing(text):
    before = findings(text)
    assert before and all(f.fixes[0].safe for f in before)
    new, applied = apply_safe_fixes(text, before)
    assert applied == len(before)
    assert findings(new) == []
    everything = linter_for(Config())
    old_rules = Counter(f.rule for f in everything.lint_text(text, "pm.md").findings if f.rule != RULE)
    new_rules = Counter(f.rule for f in everything.lint_text(new, "pm.md").findings if f.rule != RULE)
    assert not new_rules - old_rules, (new, new_rules - old_rules)


def test_unsafe_when_not_verbatim_or_not_a_noun_phrase_slot():
    # a name broken over two lines: the prose is not a verbatim copy of the source
    found = findings("The rollback was approved by Siobhan\nGallagher on Friday.\n")
    assert [f.text for f in found] == ["Siobhan\nGallagher"]
    assert not found[0].fixes[0].safe
    # an entity in the name
    assert not findings("Jos&eacute; paged the database team.\n")[0].fixes[0].safe
    # a role label list: no grammatical replacement
    found = findings("- **On-call rotation:** Ines Duarte (primary), @checkout-oncall (secondary)\n")
    assert [f.text for f in found] == ["Ines Duarte"]
    assert not found[0].fixes[0].safe


def test_code_spans_and_headings_are_skipped():
    assert flagged("Run `jane --restart` on the host.\n") == []
    assert flagged("# Why Jane paged everyone\n") == []


# --- cues for names the first-name list does not know ---------------------------------------------


@pytest.mark.parametrize(
    "sentence, name",
    [
        # two unknown capitalised words coordinated as the subject of something people do
        ("Tuulikki and Oyelaran divided the alert triage between them.", "Tuulikki and Oyelaran"),
        ("Mateus, Yerlan and Oyelaran dug through the logs.", "Mateus, Yerlan and Oyelaran"),
        ("Wairimu and Keoni worked through the weekend on the migration.", "Wairimu and Keoni"),
        # a name with a role noun as its copula complement
        ("Thandeka was the incident commander on Tuesday.", "Thandeka"),
        ("Ekaterine is our IC for the database rotation.", "Ekaterine"),
        ("Bolat served as the scribe during the call.", "Bolat"),
        # a name as who was talked to, asked, messaged
        ("After speaking with Radomir, the team rolled back.", "Radomir"),
        ("We talked to Anahera before changing the quota.", "Anahera"),
        ("The on-call engineer messaged Tsering about the failing job.", "Tsering"),
        # a leading time expression without a comma
        ("At 03:17 Chidinma acknowledged the alert.", "Chidinma"),
        ("09:40 UTC Vaitiare rolled back the release.", "Vaitiare"),
        # flagged / reported as things people do
        ("Nalani flagged the odd latency graph in the channel.", "Nalani"),
        ("Oyelaran reported the outage to the status page owners.", "Oyelaran"),
    ],
)
def test_unknown_names_found_from_context(sentence, name):
    assert flagged(f"# Incident\n\n{sentence}\n") == [name]


@pytest.mark.parametrize(
    "sentence",
    [
        "Kafka and Redis restarted.",
        "Kafka and Redis restarted the consumers after the failover.",
        "Orin and Velero worked fine after the upgrade.",
        "Grafana was the dashboard we used.",
        "Kubernetes was the scheduler for both clusters.",
        "After talking to Vault, the service timed out.",
        "After talking to Orin, the service timed out.",
        "At 14:02 Jenkins paged the database team.",
        "At 14:02 Stripe declined the payments.",
        "At 14:02 Prometheus reported the outage.",
    ],
)
def test_software_in_person_frames_is_not_flagged(sentence):
    assert flagged(f"# Incident\n\n{sentence}\n") == []


def test_a_name_fix_never_swallows_markup_or_a_line_break():
    # a metadata block whose prose joins the name with the next line: the replacement would take
    # the closing bracket and the line break with it, so the finding gives advice instead
    text = ("# Outage\n\nCreated By: [Ines Duarte]  \nLast Modified: 2019-02-05\n\n"
            "Ines Duarte paged the DBA at 10:00.\n\n[Ines Duarte]: https://example.com/ines\n")
    for f in linter_for(Config()).lint_text(text, "pm.md").findings:
        for fix in f.fixes:
            for e in fix.edits:
                assert "\n" not in text[e.start:e.end] and "]" not in text[e.start:e.end], (f.rule, fix.title)


def test_a_name_never_spans_markup_or_a_hard_line_break():
    # a reference link followed by a hard break: the prose reads "Ana Berg Last Modified"
    text = "# Outage\n\nCreated By: [Maria Kowalski]  \nLast Modified: 2019-02-05\n\n[Maria Kowalski]: https://example.com/mk\n"
    assert flagged(text) == ["Maria Kowalski"]
    out = fixed(text)
    assert "]  \nLast Modified: 2019-02-05" in out and out.count("[") == text.count("[")
    assert flagged("Thanks to *Ana* Berg for the patch.\n") == ["Ana"]  # not across the emphasis
    assert flagged("We paged Ana\nBerg at 10:00.\n") == ["Ana\nBerg"]  # a wrapped line is still one name
