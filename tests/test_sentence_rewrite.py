"""The rewrite of the whole sentence (blamelint.sentence_rewrite): every finding of a sentence
offers the same rewrite first, it fixes every scored problem of the sentence at once, keeps its
meaning and form (fixcheck), and the editor prefers it."""

import pytest

from blamelint.config import Config
from blamelint.engine import linter_for
from blamelint.evaluate import droppable_words
from blamelint.fixcheck import problems
from blamelint.fixes import apply_edits, apply_safe_fixes

SCORED = ("blame", "named-individual", "hindsight", "vague-action", "root-cause")

# (sentence, its rewrite): written for this test, unlike any corpus or real-world sentence
CASES = [
    # judgement words dropped, the clause without its agent
    ("Honestly, the operator clearly forgot to rotate the signing key.", "The signing key was not rotated."),
    # coordinated verbs that share the agent, and a name
    ("Yesterday Dario skipped the canary and pushed the build to every region.",
     "Yesterday the canary was skipped and the build was pushed to every region."),
    ("The intern rebooted the primary and never checked the replicas.",
     "The primary was rebooted and the replicas were never checked."),
    # a counterfactual about a person reduced to its fact, its consequence as a fact too
    ("If the on-call engineer had escalated at 02:10, most of the impact would have been avoided.",
     "There was no escalation at 02:10, and most of the impact was not avoided."),
    # a verb the parse split ("re-enable"), an object with its contrast ("instead of …")
    ("Noor forgot to re-enable the alert after maintenance.", "The alert was not re-enabled after maintenance."),
    ("The contractor deleted the production bucket instead of the staging one.",
     "The production bucket instead of the staging one was deleted."),
    # a counterfactual about a process, its subject kept
    ("If the capacity review had looked at the holiday forecast, the shortage would have been spotted weeks earlier.",
     "The capacity review did not look at the holiday forecast, and the shortage was not spotted weeks earlier."),
    # a verdict of predictability as what was known then (dropping "entirely" alone would keep it)
    ("The outage was entirely predictable.", "The outage was not foreseen at the time."),
    # a manner adverb that says what went wrong stays; "we did not properly …" as the fact
    ("We incorrectly tagged the hotfix branch.", "The hotfix branch was incorrectly tagged."),
    ("We did not properly warn the billing team before the cut-over.",
     "The billing team was not properly warned before the cut-over."),
    # "bound to happen" framings: the event without the verdict
    ("It was only a matter of time before the cron host ran out of inodes.", "The cron host ran out of inodes."),
    ("The data loss was a foregone conclusion once the snapshots were disabled.",
     "The data loss followed once the snapshots were disabled."),
    # a grade of the response as the learning it asks for; a past decision graded, as what it led to
    ("The handover between the two teams could have been handled better.",
     "The handover between the two teams can be handled better next time with [which change]."),
    ("Rolling back the schema during the sale was plainly the wrong call.",
     "Rolling back the schema during the sale turned out to [cause which problem]."),
    # a counterfactual about "we" as its fact and its consequence
    ("If we had load-tested the endpoint, we would have found the leak.",
     "The endpoint was not load-tested, and the leak was not found."),
    # "going forward" is not another clause: the measure goes after it
    ("We will improve our alerting going forward.",
     "We will improve our alerting going forward so that [which measure] reaches [what target] by [when]."),
    # a vague action that is the subject of its own verb gains its slots at the end
    ("More monitoring will be added to the read path.",
     "More monitoring will be added to the read path so that [which measure] reaches [what target] by [when]."),
    # a judgement of a person's character as the safeguard to name
    ("The new hire was careless with the delete command.", "[Which safeguard] was missing for the delete command."),
    # a timeline entry keeps its time; a verb the model tagged present keeps its conjunct's past
    ("- 14:05 — Omar rotates the key and never checks the cache", "- 14:05 — The key is rotated and the cache is never checked"),
    ("She misread the runbook and restarted the primary.", "The runbook was misread and the primary was restarted."),
    # a sentence adverb goes with the verdict
    ("Honestly, the DBA was sloppy with the backups.", "[Which safeguard] was missing for the backups."),
    # a hyphenated verb keeps its first part
    ("If only we had load-tested the new endpoint, none of this would have happened.",
     "The new endpoint was not load-tested."),
    # a blaming idiom about a person as the safeguard to name (never its literal passive)
    ("The release manager dropped the ball on the change freeze.",
     "[Which safeguard] was missing for the change freeze."),
    ("The contractor screwed up the migration.", "[Which safeguard] was missing for the migration."),
    ("The release team botched the rollback.", "[Which safeguard] was missing for the rollback."),
    ("The platform team was asleep at the wheel during the rollout.", "[Which safeguard] was missing during the rollout."),
    # a passive's agent and what their relative clause says they did
    ("The change was pushed by an engineer, who skipped the checklist.",
     "The change was pushed, and the checklist was skipped."),
    # an action the parse split from its particle ("failed over an hour")
    ("The incident commander should have failed over an hour earlier.", "There was no failover an hour earlier."),
    # a fault noun with a time ("during the cutover") kept
    ("The engineer's negligence during the cutover cost us a full day of orders.",
     "A gap in our safeguards during the cutover cost us a full day of orders."),
    # what a person should have known, as what was not known then (the parse takes the clause's
    # subject for an object)
    ("The release manager should have known the queue would back up.",
     "It was not known at the time that the queue would back up."),
    ("Had the reviewer opened the diff, the typo would have been caught.", "The diff was not opened, and the typo was not caught."),
    # hindsight about what was known
    ("We really should have noticed that the queue was growing.",
     "It was not noticed at the time that the queue was growing."),
    ("Everyone should have seen it coming after the first timeout.", "It was not foreseen after the first timeout."),
    # a passive's person agent dropped, "should have been" stated as the fact
    ("The firewall rule should have been reviewed by the security lead before the launch.",
     "The firewall rule was not reviewed before the launch."),
    ("The backup job, as always, was ignored by the platform team.", "The backup job was ignored."),
    # a hindsight opener removed and the person's clause restated in one rewrite
    ("In retrospect, the release owner should have tested the new schedule.",
     "The new schedule was not tested."),
    ("Quentin ignored the disk alert, and the database ran out of space.",
     "The disk alert was not acted on, and the database ran out of space."),
    # a person's fault named as a gap
    ("The data loss was caused by the DBA's negligence during the upgrade.",
     "The data loss was caused by a gap in our safeguards during the upgrade."),
    # a check that was not made, an action that did not happen, a missing safeguard
    ("Unfortunately the operator failed to verify that the standby was in sync.",
     "Unfortunately it was not verified that the standby was in sync."),
    ("Nobody noticed that the queue was backing up.", "It was not noticed that the queue was backing up."),
    ("The secondary did not respond for twenty minutes.", "There was no response for twenty minutes."),
    ("The responder should have rolled back at the first alert.", "There was no rollback at the first alert."),
    ("A canary stage would have caught the bad config within minutes.",
     "A canary stage was not in place to catch the bad config within minutes."),
    # what the agent's relative clause and a counterfactual's consequence say is kept
    ("The analyst who approved the migration skipped the dry run.",
     "The dry run was skipped when the migration was approved."),
    ("If only the operator had read the banner, we would have noticed the maintenance window.",
     "The banner was not read, and the maintenance window was not noticed."),
    # what was done, without the verdict on the choice
    ("The platform team should have known better than to patch the kernel on a Friday.",
     "The kernel was patched on a Friday."),
    ("The responder chose to ignore the disk alert.", "The disk alert was not acted on."),
    # a verdict on a person as the question the review answers
    ("The release team is to blame for the missed backup.", "[Which conditions] led to the missed backup."),
    ("The outage was the on-call engineer's fault.", "[Which conditions] led to the outage."),
    # a sentence adverb goes even in a negated sentence; "lazy loading" is not a judgement
    ("Frankly, the lazy loading of the config was never the problem and the careless engineer skipped the review.",
     "The lazy loading of the config was never the problem and the review was skipped."),
    # a person's fault as a change, a single cause as a contributing factor
    ("The release was delayed by the DBA's blunder.", "The release was delayed by a change."),
    ("The single cause of the outage was the expired token.",
     "A contributing factor to the outage was the expired token."),
    ("Raise awareness of the risks of manual failovers.",
     "Add [a guard rail or an automated check] for the risks of manual failovers."),
    ("The single root cause of the outage was a stale DNS record.",
     "A contributing factor to the outage was a stale DNS record."),
    # the words of a hit merged into another finding are restated too
    ("Obviously the restore script should have been tested before the upgrade.",
     "The restore script was not tested before the upgrade."),
    ("In retrospect it was obvious that the new index would slow down every write.",
     "It was not foreseen at the time that the new index would slow down every write."),
    # "realised the flag was …": the parse took the clause's subject for an object
    ("The on-call engineer should have realised the flag was still wired to the old path.",
     "It was not realised at the time that the flag was still wired to the old path."),
    # a character judgement as the gap it points at; the judging adjective dropped
    ("Due to the carelessness of one admin, the relay stayed open for a week.",
     "Due to a gap in our safeguards, the relay stayed open for a week."),
    ("Careless reviewers approved a firewall rule that closed the API.",
     "A firewall rule that closed the API was approved."),
    # a verdict that the outcome was certain, as what happened
    ("It was a foregone conclusion that the lone proxy would fail during the sale.",
     "The lone proxy failed during the sale."),
    # a person's failure restated with the clause of its reason kept, commas and all
    ("The release manager ignored the lag alert for three hours, since he was covering two rotas.",
     "The lag alert was not acted on for three hours, since he was covering two rotas."),
    ("The QA lead should have insisted on a full regression run.", "A full regression run was not insisted on."),
    ("The on-call SRE ought to have spotted that the token was issued for the wrong host.",
     "It was not spotted at the time that the token was issued for the wrong host."),
    # one noun phrase the parse split into two objects ("the replica | lag")
    ("Clearly the DBA should have checked the replica lag first.", "The replica lag was not checked first."),
    # a judging word inside a restated clause goes too, its article mended
    ("The engineer pushed a careless change to the proxy without review.",
     "A change was pushed to the proxy without review."),
    # what "we" went on to do is no failure: it keeps its subject
    ("Unfortunately, we failed to notice the error budget alerts, and kept trying smaller fixes.",
     "Unfortunately, the error budget alerts were not noticed, and we kept trying smaller fixes."),
    ("We forgot to renew the certificate and went home.", "The certificate was not renewed and we went home."),
    # the time in front of a timeline entry's agent stays ("At 10:30" is not the person)
    ("At 10:30 the on-call engineer ignored the page.", "At 10:30 the page was not acted on."),
    ("At 09:12 the DBA forgot to renew the certificate, so the API went down.",
     "At 09:12 the certificate was not renewed, so the API went down."),
    # vague actions get the frame of a concrete one, the missing parts as slots
    ("Have better processes for handling end-of-day failures.",
     "Have better processes for handling end-of-day failures so that [which measure] reaches [what target] by [when]."),
    ("Ensure engineers are more careful with Helm charts.",
     "Add [a guard rail or an automated check] for Helm charts."),
    ("Handle customer exports more carefully.",
     "Add [a guard rail or an automated check] that catches [which mistake] when handling customer exports."),
    ("The team needs to be more careful when editing the zone file.",
     "Add [a guard rail or an automated check] that catches [which mistake] when editing the zone file."),
    ("Improve alerting for the billing service.",
     "Improve alerting for the billing service so that [which measure] reaches [what target] by [when]."),
    # a judging word said of a piece of work, as its gaps; a judged act stated as what happened
    ("The failover drill was lazy from the first step.", "The failover drill had gaps from the first step."),
    ("The handover notes were sloppy and incomplete.", "The handover notes were incomplete."),
    ("It was reckless to purge both caches at once.", "Both caches were purged at once."),
    ("Disabling the disk alert was irresponsible.", "The disk alert was disabled."),
    # a predictability verdict over a clause: the clause as what happened, a lead kept
    ("After two near misses, it was inevitable that the cron job would delete the wrong folder.",
     "After two near misses, the cron job deleted the wrong folder."),
    ("It was to be expected that the old agent would not accept the new certificate.",
     "The old agent did not accept the new certificate."),
    ("The writing was on the wall once the replica fell a day behind.",
     "The first warning signs appeared once the replica fell a day behind."),
    # an action the passive cannot restate (no object, a second verb with none) as what the
    # system allowed; a blaming verb in its plain sense
    ("The contractor merged straight into the release branch, skipping the checks.",
     "It was possible to merge straight into the release branch, skipping the checks."),
    ("The on-call dismissed the alert and logged off.",
     "It was possible to dismiss the alert and log off."),
    ("The DBA botched the index rebuild, locking the orders table.",
     "It was possible to mishandle the index rebuild, locking the orders table."),
    # a passive counterfactual as its fact; a thing's consequence as what it did
    ("If only the failover script had been rehearsed in staging, none of this would have happened.",
     "The failover script was not rehearsed in staging."),
    ("If Oren had drained the node first, the queue would have kept up.",
     "The node was not drained first, and the queue did not keep up."),
    ("The outage would never have happened if Lena had pinned the base image.",
     "The base image was not pinned, and the outage happened."),
    # "no excuse" for what a person did not do, as the fact with its time
    ("There is no excuse for the platform team not spotting this during the load test.",
     "This was not spotted during the load test."),
    # "should" hung on "have" by the parse
    ("Somebody should have double-checked the quota before the launch.",
     "The quota was not double-checked before the launch."),
    # where fault is placed on what a person did: the question, and what was done as a fact
    ("The blame sits with whoever disabled the backup job.",
     "[Which conditions] led to this: the backup job was disabled."),
    # "should not have" states what was done
    ("The operator should not have rebooted the primary during the sale.",
     "The primary was rebooted during the sale."),
    # an appeal that opens its clause as a system change, what it is about kept; an owner stays
    ("- Pay closer attention to disk usage on the build agents.",
     "- Add [a guard rail or an automated check] for disk usage on the build agents."),
    ("- Reviewers must show more rigour when signing off schema changes.",
     "- Add [a guard rail or an automated check] when signing off schema changes."),
    ("- Payments team to exercise greater diligence around refund batches.",
     "- Payments team to add [a guard rail or an automated check] around refund batches."),
    ("The platform team will be more careful with DNS changes.",
     "Add [a guard rail or an automated check] for DNS changes."),
    ("Whenever the nightly build fails, take extra care about the next release.",
     "Whenever the nightly build fails, add [a guard rail or an automated check] for the next release."),
    # a verdict of obviousness behind a hindsight lead: the lead by its own fix, the frame with it
    ("In hindsight, it is obvious that the cron host could not keep up with the backlog.",
     "The cron host could not keep up with the backlog."),
    ("It is plain in retrospect that the queue would overflow during the sale.",
     "It was not foreseen at the time that the queue would overflow during the sale."),
    # a verdict that a signal was obvious, as where it was and what hid it
    ("The disk growth was plain to see.",
     "The disk growth was visible in [which signal or dashboard], but [what made it easy to miss]."),
    ("The early signs were all there for weeks.",
     "The early signs were visible in [which signal or dashboard] for weeks, but [what made it easy to miss]."),
    # a judging phrase merged into the clause's finding goes with the restated clause
    ("Tomasz ignored the lint warning out of pure laziness.", "The lint warning was not acted on."),
    # "should have rolled back / escalated earlier": the action that did not happen
    ("The night operator should have rolled back.", "There was no rollback."),
    ("The secondary should have escalated sooner.", "There was no earlier escalation."),
    # an appeal to care the parse misreads, its condition kept without the addressee's pronoun
    ("Everybody involved must be far more careful when they restart brokers.",
     "Add [a guard rail or an automated check] that catches [which mistake] when restarting brokers."),
    # an assumption made by a person, made without them; a consequence a person "forgot to think about"
    ("The release captain made a wrong assumption about the cache TTL.",
     "A wrong assumption was made about the cache TTL."),
    ("The on-call forgot to think about what the retry loop would do to the queue.",
     "What the retry loop would do to the queue was not considered."),
    # a person's failure to act, as the act not done
    ("The contractor's failure to renew the domain took the status page offline.",
     "Not renewing the domain took the status page offline."),
    # a check the counterfactual names, as not done
    ("The drift could have been caught by diffing the rendered manifests.",
     "The rendered manifests were not diffed, so the drift was not caught."),
    # a judging predicate in a relative clause goes whole, with its commas
    ("The release engineer skipped the soak test, which was reckless.", "The soak test was skipped."),
    # the spec's "someone should have caught X months ago" → "X was not caught for months"
    ("Somebody should have spotted the stale certificate weeks ago.", "The stale certificate was not spotted for weeks."),
    # "should have seen X coming" with a noun phrase: X, not foreseen
    ("We should have seen the certificate expiry coming when the vendor emailed us.",
     "The certificate expiry was not foreseen when the vendor emailed us."),
    # what the person went on to do is no failure: it keeps them as its subject ("the", not "a")
    ("A technician ignored the fan alarm and went back to the break room.",
     "The fan alarm was not acted on and the technician went back to the break room."),
    ("- 04:20 UTC — An engineer ignores the quota warning and goes home", "- 04:20 UTC — The quota warning is not acted on and the engineer goes home"),
    # a name is named again by the role the names rule gives it
    ("Hannah ignored the fan alarm and went back to the break room.",
     "The fan alarm was not acted on and the engineer went back to the break room."),
    ("- 08:37 — Tomasz misreads the graph and declares all-clear",
     "- 08:37 — The graph is misread and the responder declares all-clear"),
    # "made a mistake": the change to name, or what the "by" phrase says was done
    ("The operator made a mistake with the router config.", "[Which change] to the router config had an unintended effect."),
    ("The analyst made a costly mistake by dropping the audit table.", "The audit table was dropped."),
    # a verdict on a choice dropped, the act kept
    ("The lead's poor call to purge the cache at noon caused the cold start.", "Purging the cache at noon caused the cold start."),
    ("A responder made the wrong decision to reboot every broker at once.", "Every broker was rebooted at once."),
    # an appeal to a named person's care: the frame, the name gone with the appeal
    ("- Remind Tomasz to be more careful with code in prod",
     "- Add [a guard rail or an automated check] that catches [which mistake] in code in prod"),
    # approving or signing off without its object moves "the change", as pushing does
    ("The manager signed off without reading the plan.", "The change was signed off without reading the plan."),
    ("- 14:05 — The reviewer approves without reading the diff", "- 14:05 — The change is approved without reading the diff"),
    # a blaming idiom goes whole, its object too
    ("The partner's engineers really screwed the pooch on their JWT validation.",
     "[Which safeguard] was missing for their JWT validation."),
    # a person's slip with a thing: a change involving the thing
    ("The SRE's fumble with kubectl took down the whole namespace.", "A change involving kubectl took down the whole namespace."),
    # a verdict on a person's attitude, as the gap it points at
    ("The migration owner showed a worrying lack of care when rotating the keys.",
     "[Which check] was missing when rotating the keys."),
    ("The vendor's engineers showed a complete lack of urgency in restoring the link.",
     "Restoring the link took longer than [the target], because [what slowed it]."),
    # a single cause inside fault placed on a person goes with the restated act
    ("The outage was entirely down to the engineer who typed the wrong hostname.",
     "The wrong hostname was typed, which led to the outage."),
    # a character verdict before what the person did: the act, without them
    ("The intern was overconfident and ran the script without a dry run.", "The script was run without a dry run."),
    ("Ilse's laziness about updating the wiki left the on-call with stale steps.",
     "Not updating the wiki left the on-call with stale steps."),
    # a predictability verdict with its grounds after a colon: the grounds kept as grounds
    ("The incident was predictable: the same dependency has failed three times this year.",
     "The incident was not foreseen at the time, although the same dependency has failed three times this year."),
    ("This was predictable and preventable.", "This was not foreseen or prevented at the time."),
    ("- Unsurprisingly enough, the cache fell over.", "- The cache fell over."),
    # what a sensible plan would have done: what the plan did not do
    ("Any sensible capacity plan would have accounted for the spring spike in logins.",
     "The capacity plan did not account for the spring spike in logins."),
    # a duration the parse hung on the object stays the verb's; a list of objects is plural
    ("The team neglected the runbook for years.", "The runbook was not acted on for years."),
    ("The engineer neglected the ticket, the dashboard and the pager.",
     "The ticket, the dashboard and the pager were not acted on."),
    ("The analyst made a huge mistake by running the migration twice.", "The migration was run twice."),
    ("The engineer made a mistake by not restarting the pod.", "The pod was not restarted."),
    ("The engineer made a wrong decision not to page the DBA.", "The DBA was not paged."),
    # "keep V-ing X": X repeatedly V-ed; a ", which …" said of the whole clause stays after it, whole
    ("Developers keep ignoring the linter warnings, which is how this bug got in.",
     "The linter warnings keep going unaddressed, which is how this bug got in."),
    ("The SRE skipped the canary, which meant the bad build reached everyone.",
     "The canary was skipped, which meant the bad build reached everyone."),
    ("The SRE skipped the canary, which runs in staging.", "The canary, which runs in staging, was skipped."),
    # care asked of nobody in particular, as the check that supplies it
    ("- More care needed with restarts", "- Add [a guard rail or an automated check] that catches [which mistake] in restarts"),
    ("- Kafka upgrades need more care", "- Add [a guard rail or an automated check] for Kafka upgrades"),
    # "stress the importance of X" as the step the system prompts or enforces
    ("- Stress the importance of rotating the keys every quarter",
     "- Add [an automated check or a reminder] so that the keys are rotated every quarter without anyone having to remember"),
    ("- Reinforce the importance of code review", "- Add [a required check or a deploy gate] so that code review cannot be skipped"),
    # "ought to have been" as "should have been": the fact
    ("The duplicate push ought to have been anticipated.", "The duplicate push was not anticipated."),
    ("The rollback ought never to have been delayed.", "The rollback was delayed."),
    # a predictable outcome as what happened; a hyphenated verb keeps its prefix
    ("It was inevitable that the new gateway would rate-limit the batch clients.",
     "The new gateway rate-limited the batch clients."),
    ("It was inevitable that the cron job would eventually exhaust the disk.", "The cron job exhausted the disk."),
    ("The cache stampeded once the TTLs lined up; it was only a matter of time.",
     "The cache stampeded once the TTLs lined up."),
    # a closing dismissal of every other cause, dropped
    ("The vendor SDK's connection leak was a contributing factor; nothing else contributed.",
     "The vendor SDK's connection leak was a contributing factor."),
    ("The wrong time zone was set, that's all there is to it.", "The wrong time zone was set."),
    # a lead that frames what follows it as the one cause: what follows kept as one factor
    ("In a word: the stale lease table.", "One contributing factor: the stale lease table."),
    ("The cause of every problem was only one: the expired signing key.",
     "One contributing factor to every problem was the expired signing key."),
]


@pytest.fixture(scope="module")
def linter():
    return linter_for(Config())


def scored(linter, text):
    return [f for f in linter.lint_text(text, "pm.md").findings if f.category in SCORED]


@pytest.mark.parametrize(("sentence", "rewrite"), CASES)
def test_one_rewrite_fixes_the_whole_sentence(linter, sentence, rewrite):
    text = sentence + "\n"
    found = scored(linter, text)
    assert found, f"not flagged: {sentence!r}"
    firsts = {tuple(f.fixes[0].edits) for f in found}
    assert len(firsts) == 1, f"the findings of one sentence offer different first fixes: {found}"
    fixed = apply_edits(text, found[0].fixes[0].edits)
    assert fixed == rewrite + "\n"
    assert scored(linter, fixed) == [], f"the rewrite still has findings: {fixed!r}"
    assert problems(sentence, rewrite, found[0], droppable_words(sentence, found)) == []


def test_the_rewrite_is_safe_only_when_every_part_is(linter):
    # judgement words and a name from the config are safe; a new subject is not
    found = scored(linter, "Frankly, the release was obviously rushed.\n")
    assert all(f.fixes[0].safe for f in found)
    assert apply_safe_fixes("Frankly, the release was obviously rushed.\n", found)[0] == "The release was rushed.\n"
    found = scored(linter, "The intern rebooted the primary and never checked the replicas.\n")
    assert not found[0].fixes[0].safe


def test_a_sentence_left_alone_keeps_the_findings_own_fixes(linter):
    # one finding whose own fix already rewrites it: no second copy of the same edit
    found = scored(linter, "The operator forgot to renew the certificate.\n")
    assert len(found) == 1
    edits = [tuple(x.edits) for x in found[0].fixes if x.edits]
    assert len(edits) == len(set(edits))


def test_markup_inside_a_rewritten_span_blocks_the_rewrite(linter):
    text = "The intern rebooted the **primary** and never checked the replicas.\n"
    for f in scored(linter, text):
        for fix in f.fixes:
            if fix.edits:
                fixed = apply_edits(text, fix.edits)
                assert fixed.count("**") == 2, fixed


def test_other_sentences_are_not_touched(linter):
    text = "The deploy started at 10:00. The intern rebooted the primary and never checked the replicas.\n"
    found = scored(linter, text)
    fixed = apply_edits(text, found[0].fixes[0].edits)
    assert fixed.startswith("The deploy started at 10:00. ")


def test_one_finding_per_category_and_clause(linter):
    # "Obviously" and "should have rolled back" judge one clause: one hindsight finding, the
    # other rule listed as related; the blame finding of the clause stays (another category)
    found = scored(linter, "Obviously the on-call should have rolled back at the first page.\n")
    hindsight = [f for f in found if f.category == "hindsight"]
    assert len(hindsight) == 1
    assert {r.rule for r in hindsight[0].related} == {"should-have-known"}
    # two clauses keep a finding each: "In hindsight," judges the main clause, "should have
    # caught" the relative clause
    found = scored(linter, "In hindsight, the limit was a bottleneck that someone should have caught months ago.\n")
    assert len([f for f in found if f.category == "hindsight"]) == 2
    assert len({tuple(f.fixes[0].edits) for f in found}) == 1


def test_a_failing_rewrite_keeps_the_findings(monkeypatch):
    import blamelint.engine as engine

    def broken(findings, document, unit_for):
        raise RuntimeError("boom")

    monkeypatch.setattr(engine, "add_sentence_rewrites", broken)
    result = linter_for(Config()).lint_text("The intern rebooted the primary and never checked the replicas.\n",
                                            "pm.md")
    assert [f.rule for f in result.findings] == ["failure-verb-person"]
    assert any("sentence rewrite failed: RuntimeError: boom" in p for p in result.problems)


@pytest.mark.parametrize("sentence,never", [
    # the means of a counterfactual is what did not happen: "not avoided by reading" says it was read
    ("We could easily have avoided this by reading the release notes.", "was not avoided by"),
    # a hedge in front of a fact would cast doubt on the fact
    ("Perhaps we ought to have caught the schema mismatch during code review.", "Perhaps the schema mismatch was not"),
    # an idiom's literal passive keeps the verdict
    ("The SRE team drops the ball and lets the certificate lapse.", "the ball is dropped"),
    # a second clause the parse joined to the object stays a clause
    ("The operator forgot to rotate the key and the old key leaked.", "old key leaked were"),
    # a negation before the act ("known better than to not test"): the act was not done
    ("The team should have known better than to not test the restore.", "The restore was tested"),
    # a lapse negated twice ("didn't forget to") is no question about what was not done
    ("Why didn't the operator forget to drain the node?", "wasn't the node drained"),
    # a judging noun as the object: its passive keeps the verdict
    ("The developer showed carelessness in reviewing the migration.", "was shown"),
    # a question about a lapse not made keeps "hard to"
    ("Why didn't the on-call engineer ignore the flapping alert?", "easy to ignore"),
    # "should not have failed over": it failed over
    ("The secondary should not have failed over.", "there was no failover"),
    # a means negated: "avoided by not pausing the consumer" says it was paused
    ("The backlog could have been avoided by not pausing the consumer.", "was not paused"),
    # "to have X do Y", "to have a look": nothing missing to name
    ("It would have been better to have a senior engineer approve the change.", "there was no"),
    ("It would have been wiser to have a look at the queue first.", "there was no look"),
    # a comparison in the verdict would lose its second half
    ("It would have been more useful to page the DBA than the network team.", "was not paged than"),
    # a contraction after the addressee's pronoun is no verb to inflect
    ("Engineers must be more careful when they don't have a reviewer.", "donning"),
    # "attention to X" is a topic, not an infinitive
    ("Tell the responders to pay more attention to queue alerts.", "when queuing"),
    # the parse took the prefix of a hyphenated verb for the verb: no "red-index"
    ("It was inevitable that the cron job would eventually re-index the whole catalogue.", "red-index"),
    # care asked of people is the appeal frame's, not a check "for the team"
    ("- The platform team needs more discipline", "for the platform team"),
    # a negated act keeps its negation; no mistake made is no change to name
    ("The engineer made a mistake by not restarting the pod.", "The pod was restarted."),
    ("The engineer made a wrong decision not to page the DBA.", "The DBA was paged."),
    ("Nobody made a mistake in the rollout.", "had an unintended effect"),
    ("The engineer made no mistake in the migration.", "had an unintended effect"),
    ("The engineer made a mistake during the cutover, which caused the outage.", "cutover, which caused the outage had"),
    # what the person went on to do that is itself a lapse keeps no person as its subject
    ("The engineer ignored the alert and declined to escalate.", "the engineer declined"),
    ("The engineer did ignore the alert and go home.", "the engineer go home"),
    # a person's act foretold is no fact to state about them
    ("It was inevitable that the engineer would mis-type the hostname.", "The engineer mis-typed"),
    # a lead that answers a question, or names nothing, is no cause
    ("Was the rollback safe? In a word: no.", "contributing factor"),
    ("Single cause: none found.", "contributing factor"),
    # (a second review's classes) a negation, a modal or a hedge is no thing to guard
    ("Billing code does not need more care.", "Add ["),
    ("Billing code probably needs more care.", "Add ["),
    # what follows "predictable:" as the outcome or another verdict is no grounds
    ("The outcome was predictable: the retry storm overwhelmed the database.", "although"),
    ("The outage was preventable: a second reviewer would have caught the typo.", "although"),
    # a plan's verb the lemma cannot give back, a second verb, a clause that follows
    ("Any reasonable rollout plan would have staged the change.", "stag "),
    ("Any sensible capacity plan would have accounted for the spike, and ours did.", "did not account"),
    # a question, a clause that follows, who was to do it
    ("Ought this to have been anticipated?", "Was not anticipated"),
    ("The issue ought to have been anticipated, and it was.", "was not anticipated"),
    ("The change ought to have been approved by two reviewers.", "was not approved"),
    # what an instruction keeps beyond its object, a description of guidance, design guidance
    ("- Stress the importance of following the runbook to new hires", "new hires is followed"),
    ("Our guidelines emphasise the importance of following the runbook.", "Add ["),
    ("- Emphasise the importance of idempotency keys in the payment API", "cannot be skipped"),
    # "with" that names no thing changed; a program's fumble
    ("The SRE's mistake with regard to the timeout settings caused the outage.", "involving regard"),
    ("Kafka's fumble with the offsets caused the lag.", "A change involving the offsets"),
    # what a mistake was is no change
    ("Everyone's mistake was to trust the cache.", "A change was"),
    # "signed off on X" has its object
    ("The manager signed off on the change without reading the plan.", "The change was signed off on"),
    # ", which …" said of the noun stays with it
    ("The SRE ignored the dashboard, which meant nothing to him.", "was not acted on, which meant"),
    # a second verb after "failed to" is not dropped with the agent
    ("The operator failed to drain the node and kept retrying the upgrade.", "The node was not drained."),
    # what the person went on to do is kept as a fact only when it is no failure itself
    ("The contractor deleted the bucket and walked away.", "the contractor walked away"),
    ("The SRE skipped the checklist and merged anyway.", "the sre merged anyway"),
    ("- 07:45 — The duty engineer acknowledges the page and then does nothing for an hour", "engineer does nothing"),
    ("The analyst renamed the topic and then went on holiday without telling anyone.", "analyst went on holiday"),
    # a British doubled l the model does not know is no "mislabelle"
    ("Hannah mislabelled the environment variable and then went on leave without telling anyone.", "mislabelle "),
])
def test_rewrites_that_would_change_the_meaning_are_not_offered(linter, sentence, never):
    text = sentence + "\n"
    for f in scored(linter, text):
        for fix in f.fixes:
            if fix.edits:
                assert never.lower() not in apply_edits(text, fix.edits).lower(), fix.title


@pytest.mark.parametrize("sentence", [
    # a person kept as the subject of a counterfactual's "fact" ("Priya did not notice the spike")
    "If only the alert had been tuned, Priya would have noticed the spike.",
    "If only the alert had been tuned, the responders would have seen it.",
    # "with whoever …" is restated only where fault is placed, never inside another sentence
    "We should talk with whoever approved the change.",
])
def test_no_rewrite_keeps_a_person_or_breaks_the_sentence(linter, sentence):
    text = sentence + "\n"
    for f in scored(linter, text):
        for fix in f.fixes[:1]:
            if fix.edits:
                fixed = apply_edits(text, fix.edits)
                assert "Priya did" not in fixed and "responders did" not in fixed, fixed
                assert "with the change was" not in fixed, fixed


def test_a_time_after_obvious_is_not_taken_for_the_clause(linter):
    text = "In hindsight, it was obvious the whole time that the disk would fill.\n"
    for f in scored(linter, text):
        if f.fixes and f.fixes[0].edits:
            assert "that the whole time that" not in apply_edits(text, f.fixes[0].edits)


def test_plain_to_see_before_but_is_left_alone(linter):
    text = "The database was plain to see for everyone, but nobody looked.\n"
    for f in scored(linter, text):
        if f.fixes and f.fixes[0].edits:
            assert apply_edits(text, f.fixes[0].edits).count(" but ") <= 1

