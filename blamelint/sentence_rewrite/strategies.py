"""The restatements the sentence rewrite builds from the parse, one function per kind of
sentence (`STRATEGIES`, by category). Each takes the unit, the parsed Doc, the sentence and the
finding's prose span [a, b) and returns prose edits (start, end, new text, safe), or None when
it cannot restate the sentence without dropping words that are neither the person nor the
judgement. Their word lists are `rules/words/rewrite.yaml`."""

from __future__ import annotations

import re

from blamelint.analysis.grammar import (
    AGENTLESS,
    CHOICE_VERBS,
    NoRewrite,
    agentless_clause,
    asked,
    blame_idiom,
    clause_span,
    clause_tokens,
    lemma,
    negated,
    negative_subject,
    no_finite_verb,
    orphans,
    scorn_lead,
    split_prefix,
    subject_of,
    what_they_did,
)
from blamelint.detectors.agentive_words import role_noun
from blamelint.rewrite import (
    action_frame,
    appeal_frame,
    deletable,
    deletion,
    manner_frame,
    measure_frame,
    topic_frame,
)
from blamelint.rules.words import words
from blamelint.sentence_rewrite.base import (
    APPEAL_WORDS,
    CHARACTER_ADJECTIVES,
    CHARACTER_NOUNS,
    FAILURE_VERBS,
    GIVE_UP_VERBS,
    HINDSIGHT_ADJECTIVES,
    JUDGEMENT_ADVERBS,
    JUDGEMENT_PHRASES,
    MODALS,
    NEGLECT_IDIOMS,
    WORK_NOUNS,
    disjoint,
    left,
    name_role,
    person,
    was_for,
)
from blamelint.sentence_rewrite.causes import dismissive_tail, partial_cause, single_lead
from blamelint.sentence_rewrite.counterfactuals import (
    ACTIONS,
    by_doing,
    counterfactual,
    had_clause,
    useful_to,
)
from blamelint.sentence_rewrite.directives import (
    LOOKING_RE,
    NEGATIVE_DIRECTIVE_RE,
    REMINDED_RE,
    catch_frame,
    decide_frame,
    discussed_frame,
    gate_frame,
    importance_frame,
    reminder_frame,
)
from blamelint.sentence_rewrite.duties import (
    failure_to,
    made_judgment,
    made_mistake,
    not_considered,
    poor_call,
    showed_lack,
    undone_duty,
)
from blamelint.sentence_rewrite.foresight import (
    any_sensible,
    could_have_been,
    foretold,
    inevitable,
    known_better,
    no_excuse,
    obvious_that,
    one_look,
    plain_to_see,
    predictable,
    seen_by_all,
    something_missed,
    waiting_to_happen,
    went_unnoticed,
)
from blamelint.sentence_rewrite.imperative import appeal_clause_frame, care_needed_frame, instruction_frame
from blamelint.sentence_rewrite.placed import fault_placed, harm_caused, relative_act
from blamelint.sentence_rewrite.verdicts import (
    blame_predicate,
    character_noun,
    character_predicate,
    character_word,
    fault_noun,
    idiom_predicate,
    judged_act,
    judged_possessive,
    judged_work,
    responsibility_lies,
    right_mind,
    whoever_did,
)

_REWRITE_WORDS = words("rewrite")
DEGREE = _REWRITE_WORDS["grading_adverbs"]  # go with the adjective they grade


def judgement_words(unit, doc, sent, a, b):
    """Delete the sentence's judgement words: verdict adverbs and phrases, character adjectives."""
    text, out, toks, taken = unit.block.text, [], list(sent), set()
    for i, t in enumerate(toks):
        if t.i in taken:
            continue
        low = t.lower_
        phrase = next((p for p in JUDGEMENT_PHRASES
                       if tuple(x.lower_ for x in toks[i: i + len(p)]) == p), None)
        if phrase is not None:
            last = toks[i + len(phrase) - 1]
            out.append((t.idx, last.idx + len(last)))
            taken.update(x.i for x in toks[i: i + len(phrase)])
            continue
        if low in JUDGEMENT_ADVERBS and t.dep_ in ("advmod", "intj", "npadvmod") and t.pos_ in ("ADV", "INTJ"):
            if low in ("just", "even", "really", "simply") and t.head.pos_ not in ("VERB", "AUX"):
                continue  # "just 5 minutes", "even numbers"
            if t.head.lemma_.lower() in ("put", "say", "state", "speak"):
                continue  # "Put simply, …", "Simply put": a discourse marker, not a verdict
            if _negated_scope(t):
                continue  # "not completely robust", "nothing was obviously compromised": a hedge, kept
            out.append((t.idx, t.idx + len(t)))
        elif t.dep_ == "amod" and (low in HINDSIGHT_ADJECTIVES or low in CHARACTER_ADJECTIVES and (
                person(t.head) or t.head.lemma_.lower() in WORK_NOUNS)):
            first = next((c for c in t.children if c.dep_ == "advmod" and c.i == t.i - 1 and c.lower_ in DEGREE), t)
            out.append((first.idx, t.idx + len(t)))
            taken.update(x.i for x in (first, t))
        elif low in CHARACTER_ADJECTIVES and t.dep_ in ("amod", "advcl", "acomp") and _commas(t):
            first, last = t.left_edge, t.right_edge  # "Rashid, naive as always, trusted …"
            out.append((first.idx, last.idx + len(last)))
            taken.update(x.i for x in t.subtree)
    parts = []
    for x, y in out:
        if not deletable(doc, text, x, y) and not _commas(doc.char_span(x, y, alignment_mode="expand").root):
            continue
        ea, eb, new = deletion(text, x, y)
        if len(new) == 1 and new.isupper() and text[eb - 1] == new.lower():
            eb, new = eb - 1, ""  # the capital is `_capitalised`'s to restore, after every part
        if not new and text[:ea].endswith(", ") and text[ea:eb].rstrip().endswith(","):
            ea, eb = ea - 2, ea + len(text[ea:eb].rstrip())  # "Kenji, once again, deploys" → "Kenji deploys"
        elif not new and text[:ea].endswith(",") and text[eb:eb + 1] in ",.":
            ea -= 1  # ", as usual." → "."
        parts.append((ea, eb, new, True))
    return disjoint(parts) or None


def _negated_scope(tok) -> bool:
    """Is the adverb inside a negation ("not completely", "nothing … obviously")?"""
    doc = tok.doc
    if tok.i > 0 and doc[tok.i - 1].lower_ in ("not", "n't", "n’t", "never"):
        return True
    if tok.i + 1 < len(doc) and doc[tok.i + 1].text == ",":
        return False  # "Frankly, …": a sentence adverb, not a hedge inside the clause
    return any(c.lower_ in ("nothing", "nobody", "none") or negative_subject(c) for c in tok.head.children)


def _commas(tok) -> bool:
    """Is the token's phrase set off by commas ("Rashid, naive as always, trusted …")?"""
    doc = tok.doc
    first, last = tok.left_edge, tok.right_edge
    before = doc[first.i - 1] if first.i > 0 else None
    after = doc[last.i + 1] if last.i + 1 < len(doc) else None
    return before is not None and before.text == "," and after is not None and after.text in (",", ".")


def clause_kind(verb) -> tuple[object, str] | None:
    """The verb that carries the clause (the modal's head) and the failure it states."""
    head = verb.head if verb.dep_ == "xcomp" and verb.head.lower_ == "ought" else verb
    auxes = {c.lower_ for c in (*head.children, *verb.children) if c.dep_ == "aux"} | (
        {head.lower_} if head is not verb else set())
    # "should" hung on "have" ("Somebody should have double-checked …", as the parse may have it)
    auxes |= {g.lower_ for c in verb.children if c.dep_ == "aux" for g in c.children if g.dep_ == "aux"}
    lem = verb.lemma_.lower()
    if auxes & MODALS and auxes & {"have", "'ve", "’ve"}:
        return head, "should-have"  # "should have read", "would have read": it was not read
    if lem in GIVE_UP_VERBS or lem in CHOICE_VERBS and any(c.dep_ == "xcomp" for c in verb.children):
        return head, lem
    if negated(head):
        return head, "not-" + lem
    return head, lem


def agentless(unit, doc, sent, a, b, modal_only: bool = False):
    """Each person's clause inside [a, b) restated without its agent (`modal_only`: only those
    that say what the person "should have" done)."""
    parts = []
    for verb in sent:
        if not (a <= verb.idx < b) or verb.pos_ not in ("VERB", "AUX") or verb.dep_ in ("aux", "auxpass"):
            continue
        if had_clause(verb) or any(had_clause(c) or c.dep_ == "advcl" and any(
                m.lower_ == "if" for m in c.children) for c in verb.children):
            continue  # a counterfactual's condition or its consequence: `_counterfactual` restates it
        head, kind = clause_kind(verb)
        agent = subject_of(head)
        if not person(agent) or modal_only and kind != "should-have":
            continue
        if any(c.lower_ in ("hardly", "barely", "scarcely") or c.dep_ == "dobj" and c.tag_ in ("WP", "WDT")
               for c in (*verb.children, *head.children)):
            continue  # "could hardly have missed it" is a negation; "What did we expect?" has no object to state
        if kind in ("cause", "trigger"):
            continue  # "The outage was caused" says nothing: `harm_caused` asks for the change, or nothing is offered
        if any(c.dep_ == "dobj" and (c.lower_ in CHARACTER_NOUNS or c.lower_ in VERDICT_OBJECTS) for c in verb.children):
            continue  # "showed carelessness in …": the passive would keep the verdict ("Carelessness was shown"),
            # or an idiom's object ("didn't lift a finger": "A finger was not lifted")
        chosen = [c for c in verb.children if c.dep_ == "xcomp"] + ([verb] if head is not verb else [])
        if any(c.dep_ == "conj" and c.pos_ in ("VERB", "AUX") for x in chosen for c in x.children):
            continue  # "decided to skip X and then ignored Y": restating "skip" alone would drop the rest
        try:
            if kind == "should-have" or head is not verb:
                new = agentless_clause(head, agent, kind, target=verb)
            else:
                new = agentless_clause(verb, agent, kind)
        except NoRewrite:
            parts += _conjuncts(head, agent) if head.dep_ in ("ROOT", "advcl", "ccomp") else []
            continue
        ca, cb = clause_span(head, agent)
        scorn = scorn_lead(head, agent)
        if scorn is not None:
            ca = scorn.idx  # "Without thinking, Tomasz deleted …": the verdict goes with the agent
        holder = agent.head.head if agent.dep_ == "pobj" and agent.head.dep_ == "prep" and agent.head.idx < ca else agent.head
        if not ca <= holder.idx < cb or orphans(head):  # ("At 09:12 Priya forgot": the time's, parsed so)
            continue  # the agent is the subject of another verb, which would lose it
        new += what_they_did(agent, cb)
        question = asked(head, agent, new)  # ("Why did the operator forget to renew X?")
        if question is None:
            continue
        if not question and (left(agent).i == sent.start or scorn is not None and ca == scorn.idx or all(
                not t.is_alpha for t in doc[sent.start: left(agent).i])):
            new = new[0].upper() + new[1:]
        parts += question[:1] + [(ca, cb, question[1] if question else new, False)]
    return disjoint(parts) or None


def _conjuncts(verb, agent) -> list:
    """"An engineer rotated the key by hand and never checked the cache" → "The key was rotated by
    hand and the cache was never checked": every verb that shares the agent restated, or none."""
    verbs, todo = [], [verb]
    while todo:
        v = todo.pop()
        verbs.append(v)
        todo += [c for c in v.children if c.dep_ == "conj" and c.pos_ in ("VERB", "AUX")
                 and not any(g.dep_ in ("nsubj", "nsubjpass", "expl") for g in c.children)]
    if len(verbs) < 2:
        return []
    parts = []
    past = any(v.tag_ == "VBD" for v in verbs)  # "misread … and restarted …": one tense for all
    for v in sorted(verbs, key=lambda t: t.i):
        _, kind = clause_kind(v)
        if kind == "should-have":
            return []
        try:
            new = agentless_clause(v, agent, kind, shared=True, past=past)
        except NoRewrite:
            new = _unchecked_text(v)  # "… and never checked that the cache had expired"
            again = _again(agent) if v is not verb and not negated(v) and kind not in FAILURE_VERBS and \
                v.lemma_.lower() not in FAILURE_VERBS | UNCOOPERATIVE and not blame_idiom(v) and not any(
                    c.dep_ == "advcl" or c.lower_ in DEFIANT or (lemma(v), c.lower_) in NEGLECT_IDIOMS
                    or c.dep_ == "xcomp" and (lemma(c) in FAILURE_VERBS or lemma(c) in AGENTLESS or negated(c))
                    or c.dep_ == "prep" and c.lower_ == "without" or c.dep_ == "dobj" and c.lower_ in ("nothing", "none")
                    for c in v.children) and not any(
                    c.dep_ == "aux" and c.lemma_ == "do" for c in verb.children) else None
            # (not "and walked away", "and pushed anyway, breaking …", "and went on leave without telling
            # anyone", "and then did nothing", "and declined to escalate", "and kept ignoring the follow-ups",
            # "did ignore X and go home")
            if new is None and again:
                # "we failed to see X, and continued trying Y", "… and goes back to sleep": what the
                # person went on to do is no failure; it keeps its subject ("…, and we continued …")
                first = min((c for c in v.children if c.dep_ == "aux" and c.i < v.i), key=lambda t: t.i, default=v)
                parts.append((first.idx, first.idx + len(first), f"{again} {first.text}", False))
                continue
            if new is None:
                return []
        toks = clause_tokens(v)
        if v is verb:
            first = left(agent)
        else:  # "and then walked …", "and quietly changed …": words before the verb stay, not its
            # auxiliaries and negation ("and didn't bother to test it")
            first = min((t for t in toks if t.i <= v.i and (t.dep_ in ("aux", "neg") or t.lower_ == "never")),
                        key=lambda t: t.i, default=v)
        kept = sorted((t for t in toks if not t.is_punct), key=lambda t: t.i)
        while len(kept) > 1 and kept[-1].dep_ == "cc":
            kept.pop()  # "renew the certificate and": the "and" before the next conjunct stays
        last = kept[-1]
        parts.append((first.idx, last.idx + len(last), new, False))
    return parts


# what a person went on to do that is itself a lapse or a verdict on them ("and lied about it")
UNCOOPERATIVE = {"lie", "pretend", "refuse", "decline", "disappear", "vanish", "stop", "quit", "give", "hide", "deny",
                 "blame", "argue", "insist", "abandon", "stay", "remain", "ghost", "sulk", "panic", "freeze"}
DEFIANT = {"anyway", "anyways", "regardless", "nonetheless", "nevertheless", "still"}  # ("pushes to main anyway")


def _again(agent) -> str | None:
    """The agent named again as the subject of a later clause: "we", "she", "the engineer" (for
    "An engineer", "Tomasz" when the names rule makes him one); None for a phrase with more than
    its noun."""
    if agent.lower_ in ("we", "i", "he", "she", "they"):
        return agent.lower_
    role = name_role(agent)
    if role is not None:
        return "the " + role  # "Tomasz ignores X and goes home" → "… and the engineer goes home"
    if agent.pos_ != "NOUN" or not role_noun(agent) or any(
            c.dep_ not in ("det", "compound", "amod") for c in agent.children):
        return None
    words = [t for t in agent.subtree if t.dep_ != "det" and not t.is_space and t.head.dep_ != "det"]
    if words[-1].i - words[0].i + 1 != len(words) or any(t.pos_ == "PROPN" for t in words):
        return None
    return "the " + agent.doc[words[0].i: agent.i + 1].text


VERDICT_OBJECTS = {"inability", "unwillingness", "lack", "finger", "ball", "gun", "buck", "pooch", "nerve"}


def _passive_agent(unit, doc, sent, a, b):
    """"The job should have been killed by the on-call long before 07:30" → "The job was not killed
    long before 07:30": a passive's person agent dropped, "should have been" stated as the fact."""
    parts = []
    for verb in sent:
        by = next((c for c in verb.children if c.dep_ == "agent"), None)
        agent = next((c for c in by.children if c.dep_ == "pobj"), None) if by is not None else None
        reduced = verb.tag_ == "VBN" and (verb.dep_ == "ROOT" and any(  # "Step 3 skipped by the operator"
            c.dep_ in ("nsubj", "nsubjpass") and c.i < verb.i for c in verb.children) or (
            verb.dep_ == "acl" and verb.head.dep_ == "ROOT" and verb.head.pos_ == "NOUN"))  # (a fragment)
        if not person(agent) or not (reduced or any(c.dep_ == "auxpass" for c in verb.children)):
            continue
        end = by.right_edge.idx + len(by.right_edge)
        if any(c.dep_ in ("relcl", "acl", "appos") for c in agent.children):
            # "by Ilse, who skipped the checklist" → ", and the checklist was skipped" (with or without the comma)
            relcl = next((c for c in agent.children if c.dep_ == "relcl"), None)
            who = next((c for c in relcl.children if c.dep_ == "nsubj"), None) if relcl is not None else None
            if who is None or who.lower_ not in ("who", "that") or doc[agent.i + 1].text not in (",", who.text) or any(
                    c.dep_ in ("relcl", "acl", "appos") and c.i != relcl.i for c in agent.children):
                continue
            if doc[agent.i + 1].text == ",":
                try:
                    fact = agentless_clause(relcl, who, clause_kind(relcl)[1], shared=True)
                except NoRewrite:
                    continue
            else:  # "by an operator who forgot to …": the act must be a plain past one, every word kept
                fact = relative_act(relcl)
                if fact is None or not any(c.dep_ in ("dobj", "xcomp") and c.pos_ != "PRON" for c in relcl.children):
                    continue
            parts.append((by.idx - 1 if doc.text[by.idx - 1: by.idx] == " " else by.idx, end, ", and " + fact, False))
            continue

        if verb.lemma_.lower() == "make" and any(c.dep_ in ("acomp", "oprd", "ccomp", "xcomp") for c in verb.children):
            continue  # "The outage was made possible by the intern": without the agent it says nothing
        parts.append((by.idx - 1 if doc.text[by.idx - 1: by.idx] == " " else by.idx, end, "", False))
        parts += _should_have_been(unit, doc, sent, verb.idx, verb.idx + 1, modals=("should", "ought", "could",
                                                                                "would", "might")) or []
    return disjoint(parts) or None


FEELINGS = {"surprised", "shocked", "amazed", "astonished", "startled"}


def _should_have_been(unit, doc, sent, a, b, modals=("should", "ought")):
    """"The threshold should have been lowered" → "The threshold was not lowered": the fact."""
    for t in sent:
        if not (a <= t.idx < b) or t.pos_ not in ("VERB", "ADJ", "AUX"):
            continue
        auxes = [c for c in t.children if c.dep_ in ("aux", "auxpass") and c.i < t.i]
        if t.lemma_ == "be" and t.pos_ == "AUX":
            auxes = auxes + [t]
        words = [c.lower_ for c in auxes]
        # "ought to have been anticipated": "ought" heads the clause, the verb is its xcomp
        ought = "ought" in modals and words == ["to", "have", "been"] and t.dep_ == "xcomp" and t.head.lower_ == "ought"
        if not ought and (len(words) < 3 or words[-3] not in modals or words[-2:] != ["have", "been"]):
            continue  # ("could have been caught by the on-call": it was not caught)
        first, last = (t.head if ought else auxes[-3]), auxes[-1]
        subject = next((c for c in (t.head if t.pos_ == "ADJ" or ought else t).children
                        if c.dep_ in ("nsubj", "nsubjpass")), None)
        if subject is None or subject.i > first.i or any(c.dep_ in ("conj", "cc") for c in (t, first) for c in c.children) \
                or any(c.dep_ == "agent" and any(g.like_num or g.lower_ in ("second", "another", "both") for g in c.subtree)
                       for c in t.children):
            continue  # a question ("Ought this to have been …?"), a clause that follows ("…, and it was"), or
            # who was to do it ("approved by two reviewers": it may have been approved once)
        if subject is not None and negative_subject(subject) or t.lower_ in FEELINGS or any(c.lower_ in ("how", "why", "whether") for c in t.children):
            continue  # "Nobody should have been surprised", "hard to see how this could have been missed": no fact to state
        was = was_for(subject)
        if any(c.dep_ == "neg" and first.i < c.i < last.i for c in t.children):
            return [(first.idx, last.idx + len(last), was, False)]  # "should never have been ignored": it was
        if any(c.dep_ == "neg" for c in t.children):
            continue  # a negation elsewhere: the fact is not simple to state
        return [(first.idx, last.idx + len(last), was + " not", False)]
    return None


def _foreseen(unit, doc, sent, a, b):
    """"We all should have seen this coming" → "This was not foreseen"."""
    for verb in sent:
        coming = next((c for c in verb.children if c.lower_ == "coming" and c.dep_ in ("ccomp", "xcomp", "advcl")),
                      None)
        if verb.lemma_.lower() != "see" or coming is None or not person(subject_of(verb)) or any(
                c.dep_ == "conj" for c in verb.children):
            continue  # ("saw it coming and drained the node": it was acted on)
        thing = next((c for c in coming.children if c.dep_ in ("nsubj", "dobj")), None) or next(
            (c for c in verb.children if c.dep_ == "dobj"), None)
        if thing is None:
            continue
        phrase = sorted(thing.subtree, key=lambda t: t.i)
        if thing.lower_ not in ("this", "it", "that") and (thing.pos_ not in ("NOUN", "PROPN") or person(thing)
                                                           or phrase[-1].i - phrase[0].i + 1 != len(phrase)
                                                           or phrase[-1].i + 1 != coming.i):
            continue  # ("the quota change coming": a thing's phrase, right before "coming")
        agent = subject_of(verb)
        ca, _ = clause_span(verb, agent)
        rest = [t for t in verb.subtree if not t.is_punct]
        last = max(rest + [coming], key=lambda t: t.i)
        tail = doc.text[coming.idx + len(coming): last.idx + len(last)] if last.i > coming.i else ""
        word = "this" if thing.lower_ in ("this", "that") else "it" if thing.lower_ == "it" else \
            doc[phrase[0].i: phrase[-1].i + 1].text
        if word[:1].isupper() and phrase[0].pos_ != "PROPN" and not word.split()[0].isupper():
            word = word[0].lower() + word[1:]
        was = was_for(thing) if word not in ("this", "it") else "was"
        # "we all saw this coming" says it was foreseen (and left alone), not that it was not
        said = f"{word} {was} not foreseen{tail}" if clause_kind(verb)[1] == "should-have" or negated(verb) else \
            f"the risk of {word} was known beforehand but not acted on{tail}"
        if ca == sent.start_char or not doc.text[sent.start_char:ca].strip(" \t\"'“‘(*_-—–:"):
            said = said[0].upper() + said[1:]  # "…, and we should have seen it coming" keeps its lower case
        return [(ca, last.idx + len(last), said, False)]
    return None


CHECKED = {"verify": "verified", "check": "checked", "confirm": "confirmed", "ensure": "ensured",
           "validate": "validated", "test": "tested", "double-check": "double-checked", "notice": "noticed",
           "spot": "spotted", "realise": "realised", "realize": "realized", "see": "seen", "know": "known",
           "foresee": "foreseen", "anticipate": "anticipated", "predict": "predicted"}
FORESIGHT = {"know", "realise", "realize", "foresee", "anticipate", "predict"}  # "… at the time that X"
def _failed(verb):
    """(the verb that carries the subject, whether the action did not happen) for a person's
    "did not V", "failed to V", "should have V-ed", "nobody V-ed" — else (None, False)."""
    head = verb
    if verb.dep_ == "xcomp" and verb.head.lemma_.lower() in GIVE_UP_VERBS:
        return verb.head, True
    head, kind = clause_kind(verb)
    agent = subject_of(head)
    if agent is None:
        return None, False
    missing = kind.startswith("not-") or kind == "should-have" or kind in GIVE_UP_VERBS
    if negative_subject(agent):
        missing = not missing
    return head, missing


def _unchecked_text(verb) -> str | None:
    """"never checked that X" → "it was never checked that X" (None for another shape)."""
    participle = CHECKED.get(verb.lemma_.lower())
    ccomp = next((c for c in verb.children if c.dep_ == "ccomp" and c.i > verb.i), None)
    if participle is None or ccomp is None or not negated(verb):
        return None
    toks = [t for t in sorted(ccomp.subtree, key=lambda t: t.i)]
    while toks and (toks[-1].is_punct or toks[-1].is_space):
        toks.pop()
    if toks and toks[0].dep_ == "mark":
        toks = toks[1:]
    if not toks or toks[-1].i - toks[0].i + 1 != len(toks) or any(
            t.i > toks[-1].i and not t.is_punct for t in clause_tokens(verb)):
        return None
    never = "never" if any(c.lower_ == "never" for c in verb.children) else "not"
    return f"it was {never} {participle} that {verb.doc[toks[0].i: toks[-1].i + 1].text}"


def _unchecked(unit, doc, sent, a, b):
    """"We failed to verify that the agent was running" → "It was not verified that the agent
    was running": a check a person did not make, as the check that was not made."""
    for verb in sent:
        participle = CHECKED.get(verb.lemma_.lower())
        if participle is None or not (a <= verb.idx < b):
            continue
        ccomp = next((c for c in verb.children if c.dep_ == "ccomp" and c.i > verb.i), None)
        first = None  # where the that-clause starts
        if ccomp is None and verb.dep_ == "csubj" and verb.head.i > verb.i:
            ccomp = verb.head  # "… should have known the cache would be cold": the parse's root is "be"
        if ccomp is not None and not any(c.dep_ in ("nsubj", "nsubjpass", "expl") for c in ccomp.children):
            # "should have known the cache would be cold": the parse took the clause's subject for the object
            obj = next((c for c in verb.children if c.dep_ == "dobj" and c.i < ccomp.i), None)
            if obj is not None and any(c.dep_ == "aux" and c.i < ccomp.i for c in ccomp.children) and all(
                    t.i < ccomp.i for t in obj.subtree):
                first = obj.left_edge
        if ccomp is None or (first is None and not any(c.dep_ in ("nsubj", "nsubjpass") for c in ccomp.children)):
            continue
        if first is None and no_finite_verb(ccomp):
            continue  # "noticed the replication lag for six hours": a noun the parse took for a verb
        head, missing = _failed(verb)
        agent = subject_of(head) if head is not None else None
        if not missing or not person(agent) or agent.i > verb.i or agent.head.i != head.i:
            continue  # (a subject shared with another verb is `_conjuncts`'s to restate)
        toks = sorted(ccomp.subtree, key=lambda t: t.i)
        if first is not None:
            toks = [t for t in doc[first.i: ccomp.right_edge.i + 1]]
        while toks and (toks[-1].is_punct or toks[-1].is_space):
            toks.pop()
        that = "whether" if toks and toks[0].lower_ in ("whether", "if") else "that"  # ("check whether X": no fact)
        if toks and toks[0].dep_ == "mark":
            toks = toks[1:]
        if not toks or toks[-1].i - toks[0].i + 1 != len(toks):
            continue
        if any(t.i > toks[-1].i and not t.is_punct for t in head.subtree):
            continue  # words after the that-clause would be dropped
        start = left(agent)
        when = " at the time" if verb.lemma_.lower() in FORESIGHT else ""
        new = f"it was not {participle}{when} {that} {doc[toks[0].i: toks[-1].i + 1].text}"
        question = asked(head, agent, new)  # ("Why did the reviewer forget to check if X?")
        if question is None:
            continue
        return question[:1] + [(start.idx, toks[-1].idx + len(toks[-1]), question[1] if question else new, False)]
    return None


PLAIN_VERBS = _REWRITE_WORDS["plain_verbs"]  # a blaming verb's plain sense ("fat-finger" → mistype)
LIGHT_VERBS = {"be", "have", "make", "do", "get", "take", "give", "let", "keep"}
SIMPLE_TENSES = {"VBD", "VBZ", "VBP"}  # a second verb may carry a tag the model got wrong ("… and goes")


def possible(unit, doc, sent, a, b):
    """"The intern deployed straight to production, bypassing every safeguard" → "It was possible
    to deploy straight to production, bypassing every safeguard": a person's action that the
    passive cannot restate (no object, an idiom, a second verb with none) becomes what the system
    allowed, the spec's "the deployment process allowed production changes without review". Only
    a plain past clause (no modal, no negation) whose words all stay."""
    for verb in sent:
        if a <= verb.idx < b and verb.pos_ == "VERB":
            if verb.dep_ in ("advcl", "ccomp", "relcl") and a <= verb.head.idx < b:
                continue  # ("did not think before he acted": the finding is the head's clause, which would stay)
            found = possible_clause(doc, sent, verb)
            if found is not None:
                return [found]
    return None


def possible_clause(doc, sent, verb):
    """`possible` for one verb: the edit (start, end, new text, safe), or None."""
    if verb.dep_ not in ("ROOT", "ccomp", "conj") or verb.tag_ != "VBD" or blame_idiom(verb) or lemma(verb) in (
            "cause", "trigger"):
        return None  # (a timeline's present tense is an event as it happened: "possible to …" reads as a rule;
        # "possible to go rogue" keeps the verdict; "possible to cause the outage" says nothing)
    agent = next((c for c in verb.children if c.dep_ == "nsubj"), None)
    if not person(agent) or agent.i > verb.i or negative_subject(agent) or agent.lower_ in ("who", "that", "whoever"):
        return None
    if agent.lower_ in ("we", "i") and lemma(verb) not in FAILURE_VERBS:
        return None  # "we deployed …": the team's own narrative, not a person to take out
    verbs, todo = [], [verb]  # the verbs that share the agent: "ignored the page and went back to sleep"
    while todo:
        v = todo.pop()
        verbs.append(v)
        todo += [c for c in v.children if c.dep_ == "conj" and c.pos_ == "VERB"
                 and not any(g.dep_ in ("nsubj", "nsubjpass", "expl") for g in c.children)]
    for v in verbs:
        if v.tag_ not in SIMPLE_TENSES or lemma(v) in GIVE_UP_VERBS or lemma(v) in CHOICE_VERBS:
            return None
        if any(c.dep_ in ("aux", "auxpass", "neg") or c.lower_ == "never" for c in v.children):
            return None
    if lemma(verb) in LIGHT_VERBS:
        return None  # "made a mistake": no action of its own to allow
    if any(c.dep_ == "dobj" and (c.lower_ in CHARACTER_NOUNS or c.lower_ in VERDICT_OBJECTS) for c in verb.children):
        return None  # "possible to show a total lack of ownership" keeps the verdict
    keep = set()
    for v in verbs:
        keep |= {t.i for t in clause_tokens(v)}
    agent_toks = {t.i for t in agent.subtree}
    start = left(agent)
    toks = [t for t in doc[start.i: sent.end] if t.i in keep or t.i in agent_toks]
    while toks and (toks[-1].is_punct or toks[-1].is_space or toks[-1].dep_ == "cc"):
        toks.pop()
    if not toks:
        return None
    last = toks[-1]
    forms = {v.i: _verb_form(doc, v) for v in verbs}  # token index → (first token, base form, tokens it replaces)
    replaced = {i for _, _, ids in forms.values() for i in ids}
    span = list(doc[start.i: last.i + 1])
    # every word from the agent to the clause's end is the agent's, the clause's or what joins them
    if any(t.i not in keep and t.i not in agent_toks and t.i not in replaced and not (t.is_punct or t.dep_ == "cc")
           for t in span):
        return None
    if any(t.dep_ == "nsubj" and t.i not in agent_toks and t.head.i in forms for t in span):
        return None
    first_verb = forms[verb.i][0]
    if any(not (t.is_punct or t.lower_ in JUDGEMENT_ADVERBS) for t in doc[max(agent_toks) + 1: first_verb]):
        return None  # "the on-call then restarted …": a word the frame has no place for
    if any(t.lower_ in ("his", "her", "he", "she", "him", "himself", "herself") for t in span if t.i not in agent_toks):
        return None  # "… his own pull request": the person would stay in the clause
    if any(not base.replace("-", "").replace(" ", "").isalpha() for _, base, _ in forms.values()):
        return None
    out = []
    starts = {first: (base, ids) for first, base, ids in forms.values()}
    skip = set()
    for t in doc[first_verb: last.i + 1]:
        if t.i in skip:
            continue
        if t.i in starts:
            base, ids = starts[t.i]
            skip |= set(ids)
            out.append(base + doc[max(ids)].whitespace_)
            continue
        out.append(t.text_with_ws)
    rest = "".join(out).rstrip()
    lead = "it was possible to "
    if start.i == sent.start or all(not x.is_alpha for x in doc[sent.start: start.i]):
        lead = lead[0].upper() + lead[1:]
    return start.idx, last.idx + len(last), lead + rest, False


def _verb_form(doc, v) -> tuple[int, str, list[int]]:
    """(the verb's first token, its base form in plain words, the tokens that form replaces): the
    parse splits "fat-fingered" into three tokens; a phrasal idiom takes its particle ("messed up")."""
    prefix = split_prefix(v)
    first, base = v.i - (2 if prefix else 0), prefix + lemma(v)
    ids = list(range(first, v.i + 1))
    plain = PLAIN_VERBS.get(base)
    prt = next((c for c in v.children if c.dep_ == "prt" and c.i == v.i + 1), None)
    if plain is None and prt is not None and f"{base} {prt.lower_}" in PLAIN_VERBS:
        plain = PLAIN_VERBS[f"{base} {prt.lower_}"]
        ids.append(prt.i)
    return first, plain or base, ids


def _no_action(unit, doc, sent, a, b):
    """"The secondary did not respond for 50 minutes" → "There was no response for 50 minutes"."""
    for verb in sent:
        prt = next((c.lower_ for c in verb.children if c.dep_ == "prt" or c.dep_ == "advmod" and c.i == verb.i + 1
                    and c.lower_ in ("back", "over", "out", "in", "up")), None)
        nxt = doc[verb.i + 1] if verb.i + 1 < len(doc) else None
        if prt is None and nxt is not None and f"{verb.lemma_.lower()} {nxt.lower_}" in ACTIONS:
            prt = nxt.lower_  # "failed over an hour earlier": the parse read "over an hour"
        noun = ACTIONS.get(f"{verb.lemma_.lower()} {prt}" if prt else verb.lemma_.lower())
        if noun is None or not (a <= verb.idx < b):
            continue
        if any(c.dep_ in ("dobj", "ccomp", "xcomp", "dative") for c in verb.children):
            continue  # only the action on its own
        head, missing = _failed(verb)
        agent = subject_of(head) if head is not None else None
        if not missing or not person(agent) or agent.i > verb.i:
            continue
        if clause_kind(verb)[1] == "should-have" and any(c.dep_ == "neg" or c.lower_ == "never"
                                                         for x in (verb, head) for c in x.children):
            continue  # "should not have rolled back": it was rolled back
        present = head.tag_ in ("VBZ", "VBP") or any(c.lower_ in ("does", "do") for c in head.children)
        rest = [t for t in clause_tokens(verb) if t.i > verb.i and not t.is_punct and t.dep_ != "prt"
                and not (t.i == verb.i + 1 and t.lower_ == prt)]
        if rest and rest[-1].i - rest[0].i + 1 != len(rest):
            continue
        if any(t.i > (rest[-1].i if rest else verb.i) and not t.is_punct and not (t.i == verb.i + 1 and t.lower_ == prt)
               for t in clause_tokens(head)):
            continue
        particle = doc[verb.i + 1] if prt is not None and verb.i + 1 < len(doc) and doc[verb.i + 1].lower_ == prt else None
        end = rest[-1] if rest else particle or verb
        tail = " " + doc[rest[0].i: end.i + 1].text if rest else ""
        if rest and rest[-1].lower_ in ("sooner", "earlier") and all(t.lower_ in ("much", "far", "a", "lot", "bit", "little")
                                                                    for t in rest[:-1]):
            noun, tail = "earlier " + noun, ""  # "should have rolled back (much) sooner" → "no earlier rollback"
        if rest and (rest[0].lower_ in ("because", "since", "as") or doc[rest[0].i: rest[0].i + 2].text.lower() in (
                "out of", "due to")):
            continue  # "… rolled back out of caution": "no rollback out of caution" says something else
        return [(left(agent).idx, end.idx + len(end), f"there {'is' if present else 'was'} no {noun}{tail}", False)]
    return None


def _not_in_place(unit, doc, sent, a, b):
    """"Feature flags would have enabled a quick rollback" → "Feature flags were not in place to
    enable a quick rollback": the safeguard the counterfactual names, as the fact that it was missing."""
    for verb in sent:
        if not (a <= verb.idx < b) or verb.tag_ != "VBN" or verb.dep_ != "ROOT":
            continue
        auxes = [c.lower_ for c in verb.children if c.dep_ == "aux"]
        if not (set(auxes) & {"would", "could", "might"} and "have" in auxes):
            continue
        if any(c.dep_ in ("auxpass", "neg") for c in verb.children):
            continue
        subject = next((c for c in verb.children if c.dep_ == "nsubj"), None)
        if subject is None or person(subject) or subject.lower_ in ("it", "that", "which", "there", "one", "you") or any(
                t.lower_ in ("us", "we", "anyone", "anybody", "everyone") for t in subject.subtree):
            continue  # ("Any one of us could have predicted it": people, not a safeguard)
        if any(c.lower_ in ("hardly", "barely", "scarcely") for c in verb.children):
            continue  # "could hardly have missed": a negation
        auxes = [c for c in verb.children if c.dep_ == "aux"]
        lemma = verb.lemma_.lower()
        first, last = min(auxes, key=lambda t: t.i), verb
        if doc[first.i: last.i + 1].text.count(" ") != last.i - first.i:
            continue  # something between the auxiliaries and the verb
        return [(first.idx, last.idx + len(last), f"{was_for(subject)} not in place to {lemma}", False)]
    return None


def _contributing(unit, doc, sent, a, b):
    """"The single root cause of the outage was X" → "A contributing factor to the outage was X"."""
    for t in sent:
        if t.lemma_.lower() != "cause" or not any(
                c.lower_ in ("root", "single", "sole", "only", "one") and c.dep_ in ("compound", "amod", "nummod")
                for c in t.children):
            continue
        first = left(t)
        if not (a <= t.idx < b) or any(c.dep_ in ("relcl", "acl") for c in t.children):
            continue
        parts = [(first.idx, t.idx + len(t), "a contributing factor", False)]
        of = next((c for c in t.children if c.dep_ == "prep" and c.lower_ == "of" and c.i == t.i + 1), None)
        if of is not None:
            parts.append((of.idx, of.idx + len(of), "to", False))  # "of the outage" → "to the outage"
        return parts
    return None


ATTITUDE_RE = re.compile(r"\bdo(?:ing)?\s+(?:a\s+)?better\b|\bstep\s+up\b|\bbeef\s+up\b|\bmore\s+rigou?r\b|\bgame\b"
                         r"|\bdouble\s+down\b|\bresponsibility\b|\baccountability\b|\bseriously\b|\bownership\b", re.I)


def _vague(unit, doc, sent, a, b):
    appeal = any(t.lower_ in APPEAL_WORDS or t.lemma_.lower() in APPEAL_WORDS for t in sent) or bool(
        ATTITUDE_RE.search(doc.text[a:b]))  # "do a better job of …", "step up our game": no measure fixes them
    frames = (action_frame, manner_frame, appeal_frame, topic_frame) if appeal else (measure_frame, action_frame, topic_frame)  # (the measure keeps the object)
    for own in (gate_frame, reminder_frame, importance_frame, decide_frame, catch_frame, discussed_frame):  # a step the system enforces or prompts; a decision
        found = own(doc, a, b)
        if found is not None:
            return [(found[0], found[1], found[2], False)]
    if NEGATIVE_DIRECTIVE_RE.search(doc.text[a:b]) or LOOKING_RE.search(doc.text[a:b]) or REMINDED_RE.search(doc.text[a:b]) \
            or re.match(r"keep\b", doc.text[a:b], re.I):
        return None  # no measure or guard rail fixes them ("keep an eye out for …"): advice, rather than a frame
        # that drops words
    if ATTITUDE_RE.search(doc.text[a:b]):
        frames = (appeal_frame, topic_frame)  # "take the pager more seriously": what it is about stays, or no rewrite
    found = instruction_frame(unit, sent, a, b) or appeal_clause_frame(unit, sent, a, b) or care_needed_frame(
        unit, sent, a, b)  # read from the words:
    # the parse often misses an instruction or an appeal
    if found is not None:
        return [(found[0], found[1], found[2], False)]
    for frame in frames:
        found = frame(unit, a, b)
        if found is not None:
            return [(found[0], found[1], found[2], False)]
    return None


STRATEGIES = {
    "blame": (counterfactual, useful_to, something_missed, known_better, _foreseen, _unchecked, went_unnoticed, idiom_predicate, whoever_did,
              fault_placed, undone_duty, not_considered, poor_call, made_judgment, made_mistake, failure_to, harm_caused, agentless, _no_action,
              _passive_agent, blame_predicate, responsibility_lies, right_mind, judged_act, showed_lack, character_noun, fault_noun, judged_possessive, character_predicate, character_word, judged_work,
              possible, judgement_words),
    "hindsight": (counterfactual, useful_to, something_missed, no_excuse, known_better, _foreseen, one_look, predictable, foretold, inevitable, waiting_to_happen, obvious_that,
                  any_sensible,
                  plain_to_see, seen_by_all,
                  _unchecked,
                  agentless, _no_action,
                  _passive_agent, _should_have_been, could_have_been, by_doing, _not_in_place, judgement_words),
    "named-individual": (),
    "root-cause": (dismissive_tail, single_lead, _contributing, partial_cause),
    "vague-action": (_vague,),
}
