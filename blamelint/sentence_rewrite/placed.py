"""Fault placed on a person, restated (sentence strategies of the blame category): a person whose
relative clause says what they did loses the frame that places the fault and keeps the act
without its agent (`fault_placed`); a person as the cause of the harm gives way to the change the
review names (`harm_caused`). `restated_act` is the agentless clause they share, refused whenever
it would lose or reorder a word."""

from __future__ import annotations

import re

from blamelint.analysis.grammar import NoRewrite, agentless_clause, lemma, negated
from blamelint.detectors.agentive_words import HARM_VERBS
from blamelint.sentence_rewrite.base import left, person

# the main verb of a sentence that places fault: "was down to", "originated with", "must go to",
# "is [the person]", "was the result of a slip by", "traces back to"
FRAME_VERBS = {"be", "originate", "go", "come", "trace", "stem", "lie", "rest", "fall", "belong"}
CAUSE_VERBS = {"cause", "trigger"}  # "The crash was caused by the intern who …"
CLAUSES = {"relcl", "acl", "ccomp", "advcl", "xcomp", "csubj"}
# a subject that is the fault itself: only the act it stands for is kept
FAULT_SUBJECTS = {"fault", "blame", "responsibility", "accountability", "mistake", "error", "slip", "lapse", "goof",
                  "blunder", "culprit", "party", "misjudgement", "misjudgment", "oversight", "screw-up", "bulk"}
# a subject that names the cause: kept, with the act as what it was
CAUSE_SUBJECTS = {"cause", "trigger", "reason", "origin", "source"}
PATH_DEPS = {"pobj", "prep", "attr", "advmod", "agent", "npadvmod", "xcomp"}  # person → the frame's verb
FRAME_CHILDREN = {"aux", "auxpass", "advmod", "punct", "det", "amod", "compound", "poss", "case", "nummod", "prt"}


def fault_placed(unit, doc, sent, a, b):
    """"The outage was down to the operator who typed the wrong hostname" → "The wrong hostname was
    typed, which led to the outage"; "The mistake originated with the engineer who edited the
    schema by hand" → "The schema was edited by hand"."""
    root = sent.root
    frame = root
    if root.lemma_.lower() in ("have", "need") and (x := next((c for c in root.children if c.dep_ == "xcomp"), None)):
        frame = x  # "has to go to …"
    caused = frame.lemma_.lower() in CAUSE_VERBS and any(c.dep_ == "auxpass" for c in frame.children)
    if not (frame.lemma_.lower() in FRAME_VERBS or caused) or negated(root) or negated(frame):
        return None
    subject = next((c for c in root.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    if subject is None or person(subject) or any(t.dep_ in CLAUSES for t in subject.subtree):
        return None
    first = left(subject)
    if any(t.is_alpha for t in doc[sent.start: first.i]):
        return None  # words before the subject ("On Friday, …") would be lost
    for holder in sent:
        relcl = next((c for c in holder.children if c.dep_ == "relcl"), None)
        if relcl is None or not person(holder) or holder.dep_ not in ("pobj", "attr"):
            continue
        path, t = {holder.i}, holder
        while t.i != frame.i and t.dep_ in PATH_DEPS:
            t = t.head
            path.add(t.i)
        if t.i != frame.i:
            continue
        fact = relative_act(relcl)
        if fact is None:
            continue
        end = relcl.right_edge
        inside = {x.i for x in subject.subtree} | {x.i for x in holder.subtree} | {root.i, frame.i}
        for x in doc[first.i: end.i + 1]:
            if x.i in inside:
                continue
            if x.i in path or x.dep_ in FRAME_CHILDREN and x.head.i in path | {root.i, frame.i}:
                continue
            break  # a word of the sentence that is neither frame nor act ("… by noon", "… so we …")
        else:
            if not first.idx <= a < end.idx + len(end):
                continue  # the finding is elsewhere in the sentence
            new = _framed(doc, subject, fact)
            if new is None:
                continue
            return [(first.idx, end.idx + len(end), new, False)]
    return None


def relative_act(relcl) -> str | None:
    """What the relative clause says the person did, without them ("the wrong hostname was typed");
    None for a state ("who never checks her work"), a modal or a shape not restated."""
    who = next((c for c in relcl.children if c.dep_ == "nsubj" and c.lower_ in ("who", "that")), None)
    if who is None or relcl.tag_ != "VBD" or any(c.dep_ == "aux" for c in relcl.children):
        return None
    return restated_act(relcl, who)


STATE_VERBS = {"own", "have", "manage", "maintain", "hold", "lead", "know", "use", "operate", "support", "need", "want",
               "like", "be", "belong", "include", "contain"}  # "the team who owned the config": a state, not an act
CLAUSE_WORDS = {"who", "that", "which", "whoever"}


def restated_act(verb, agent) -> str | None:
    """The verb's clause without its agent ("edited the schema by hand" → "the schema was edited by
    hand"), or None when that would lose or reorder words: a second verb ("typed X and restarted
    Y"), two objects ("gave the contractor admin access"), a complement after the object ("typed
    the hostname wrong"), a pronoun object ("ran it twice"), a state ("owned the config"), or any
    word of the clause missing."""
    lapse = lemma(verb) in ("forget", "fail", "neglect", "omit")  # "forgot to check X" → "X was not checked"
    if lemma(verb) in STATE_VERBS or any(c.dep_ in ("conj", "dative", "iobj", "oprd", "ccomp", "advcl")
                                         or c.dep_ == "xcomp" and not lapse for c in verb.children):
        return None
    inflected = {verb.i} | {c.i for c in verb.children if c.dep_ == "xcomp"}
    objs = [c for c in verb.children if c.dep_ == "dobj"]
    obj = objs[0] if objs else None
    if len(objs) > 1:
        return None  # "typed the hostname wrong", "gave the contractor admin access" (as the parser may have them)
    if obj is not None and obj.pos_ == "PRON":
        return None  # "ran it twice" → "it was twice run"
    if obj is not None and any(c.i > obj.right_edge.i and c.dep_ in ("advmod", "acomp", "amod") and c.pos_ == "ADJ"
                               for c in verb.children):
        return None
    try:
        fact = agentless_clause(verb, agent, "not-" + lemma(verb) if negated(verb) else lemma(verb), shared=True)
    except NoRewrite:
        return None
    kept = set(re.findall(r"[\w’'-]+", fact.lower()))
    needed = {t.lower_ for t in verb.subtree if t.is_alpha and t.i not in inflected and t.i != agent.i and t.dep_ not in (
        "aux", "auxpass", "neg", "nsubj") and t.lower_ not in CLAUSE_WORDS}
    return fact if needed <= kept else None


def _framed(doc, subject, fact: str) -> str | None:
    low = subject.lemma_.lower()
    words = {t.lemma_.lower() for t in subject.subtree}
    if low in FAULT_SUBJECTS or words & {"blame", "fault", "responsibility"}:
        # "The mistake originated with …": the act alone; "The blame for the outage …": what it led to
        about = next((c for c in subject.children if c.dep_ == "prep" and c.lower_ in ("for", "behind", "of")), None)
        pobj = next((c for c in about.children if c.dep_ == "pobj"), None) if about is not None else None
        if pobj is None or pobj.lemma_.lower() in FAULT_SUBJECTS or pobj.pos_ not in ("NOUN", "PROPN"):
            return fact[0].upper() + fact[1:]
        subject = pobj
        low = pobj.lemma_.lower()
    phrase = doc[left(subject).i: subject.right_edge.i + 1].text
    if low in CAUSE_SUBJECTS:
        return f"{phrase} was that {fact}"
    if subject.pos_ not in ("NOUN", "PROPN"):
        return None
    lead = subject.doc[left(subject).i]
    if lead.pos_ == "DET" or lead.i == subject.i and subject.pos_ == "NOUN":
        phrase = phrase[0].lower() + phrase[1:]
    return f"{fact[0].upper()}{fact[1:]}, which led to {phrase}"


CHANGE_SLOT = "[which change]"


def harm_caused(unit, doc, sent, a, b):
    """"The intern caused the outage" → "[Which change] caused the outage"; "The build was broken by
    the new hire" → "… by [which change]": a person as the cause of the harm, replaced by the change
    the review names (`agentive_acts.harmed` finds them)."""
    for verb in sent:
        if not (a <= verb.idx < b) or verb.lemma_.lower() not in HARM_VERBS or negated(verb):
            continue
        passive = any(c.dep_ == "auxpass" for c in verb.children)
        if passive:
            by = next((c for c in verb.children if c.dep_ == "agent"), None)
            agent = next((c for c in by.children if c.dep_ == "pobj"), None) if by is not None else None
        else:
            agent = next((c for c in verb.children if c.dep_ == "nsubj"), None)
        if agent is None or not person(agent) or any(t.pos_ in ("VERB", "AUX") for t in agent.subtree):
            continue
        first, last = left(agent), agent.right_edge
        how = [c for c in verb.children if c.dep_ == "advcl" or c.dep_ == "prep" and c.lower_ in ("by", "with", "through")]
        if any(t.lower_ in ("he", "she", "they", "his", "her", "their", "him", "them") for t in sent if t.i > verb.i):
            return None  # "… when they rotated the keys": the slot would leave "they" with no one to be
        if how and not passive:
            if len(how) != 1 or how[0].lower_ != "by" or first.i != sent.start:
                return None  # "… with an unreviewed banner": the change is named
            # "Dev caused the error spike by deploying the branch" → "Deploying the branch caused the error spike"
            act = next((c for c in how[0].children if c.dep_ == "pcomp" and c.tag_ == "VBG"), None)
            if act is None or how[0].right_edge.i != max(t.i for t in sent if not t.is_punct) or any(
                    t.is_punct or t.dep_ == "neg" for t in how[0].subtree) or act.i != how[0].i + 1:
                return None  # ("by not draining …", "…, which …", "(by accident)": not restated)
            start = how[0].idx - (1 if doc.text[how[0].idx - 1: how[0].idx] == " " else 0)
            end = how[0].right_edge.idx + len(how[0].right_edge)
            words = doc.text[act.idx: end]
            return [(first.idx, last.idx + len(last), words[0].upper() + words[1:], False), (start, end, "", False)]
        if passive and how:
            return None
        slot = CHANGE_SLOT if first.i > sent.start else "[Which change]"
        return [(first.idx, last.idx + len(last), slot, False)]
    return None
