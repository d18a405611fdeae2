"""Restatements of a verdict on a person: a character judgement ("careless", "the negligence of
…"), a blaming idiom ("dropped the ball"), a fault noun ("Ansel's blunder") or "X is to blame",
each as the safeguard or the conditions the review should name."""

from __future__ import annotations

import re

from blamelint.analysis.grammar import (
    IDIOM_WORDS,
    NoRewrite,
    agentless_clause,
    core_tokens,
    inflect,
    lemma,
    negated,
)
from blamelint.detectors.agentive_words import role_noun
from blamelint.rewrite import deletion
from blamelint.sentence_rewrite.base import (
    CHANGE_FAULTS,
    CHARACTER_ADJECTIVES,
    CHARACTER_NOUNS,
    FAULT_NOUNS,
    GIVE_UP_VERBS,
    disjoint,
    left,
    named,
    passive_of,
    person,
    was_for,
)
from blamelint.sentence_rewrite.placed import CLAUSES, restated_act

CONDITIONS = "[which conditions] led to"
REFLEXIVES = {"itself", "themselves", "himself", "herself", "ourselves", "myself", "yourselves", "yourself"}


def blame_predicate(unit, doc, sent, a, b):
    """"Wendell is to blame for the missed backup" → "[Which conditions] led to the missed
    backup"; "The outage was the release team's fault" → "[Which conditions] led to the outage":
    the verdict on a person replaced by the question the review answers, what it concerns kept."""
    for be in sent:
        if be.lemma_ not in ("be", "have") or be.dep_ not in ("ROOT", "conj") or not (
                be.left_edge.idx <= a <= be.right_edge.idx):
            continue
        subject = next((c for c in be.children if c.dep_ == "nsubj"), None)
        if subject is None:
            continue
        if be.lemma_ == "have":  # "The team only has itself to blame for the churn"
            blame = next((c for c in be.children if c.dep_ in ("xcomp", "ccomp") and c.lemma_ == "blame" and any(
                s.dep_ in ("nsubj", "dobj") and s.lower_ in REFLEXIVES for s in (*c.children, *be.children))), None)
            if blame is None or not any(c.dep_ == "prep" and c.lower_ == "for" for c in blame.children):
                continue  # "Merchants who skipped the upgrade only have themselves to blame": no "for" to keep
        else:
            blame = next((c for c in be.children if c.dep_ == "xcomp" and c.lemma_ == "blame"), None)
        copula = [] if be.lemma_ == "have" else list(be.children)  # what "is" says of the subject
        fault = next((c for c in copula if c.dep_ == "attr" and c.lemma_ in ("fault", "doing")
                      and any(p.dep_ == "poss" and person(p) for p in c.children)), None)
        duty = next((c for c in copula if c.dep_ == "acomp" and c.lower_ == "responsible"), None)
        duty = next((c for c in duty.children if c.dep_ == "prep" and c.lower_ == "for"), None) if duty else None
        on = next((c for c in copula if c.dep_ == "prep" and c.lower_ == "on" and any(
            o.dep_ == "pobj" and person(o) for o in c.children)), None)
        if duty is not None and person(subject):
            what, end = _phrase(doc, duty), max(t.i for t in duty.subtree)  # "the approver is responsible for X"
        elif on is not None and not any(c.dep_ in ("relcl", "acl", "prep") for c in subject.children):
            what = "this" if subject.lower_ in ("it", "this", "that", "one") else doc[left(subject).i: subject.i + 1].text
            end = max(t.i for t in on.subtree)  # "The data leak is entirely on the analytics team"
        elif blame is not None and subject.lower_ not in ("it", "this", "that", "nobody", "no"):
            about = next((c for c in blame.children if c.dep_ == "prep" and c.lower_ == "for"), None)
            what = _phrase(doc, about) if about is not None else "this"
            end = max(t.i for t in blame.subtree)
        elif fault is not None and not any(c.dep_ in ("relcl", "acl", "prep") for c in fault.children):
            what = "this" if subject.lower_ in ("it", "this", "that") else doc[left(subject).i: subject.i + 1].text
            if subject.right_edge.i != subject.i:
                continue  # a subject with more after its head would be cut
            end = fault.i
        else:
            continue
        if what is None:
            continue
        first = left(subject)
        if what[:1].isupper() and not what[1:2].isupper() and first.i == sent.start:
            what = what[0].lower() + what[1:]  # "The outage" moves from the start of the sentence
        return [(first.idx, doc[end].idx + len(doc[end]), f"{CONDITIONS} {what}", False)]
    return None


PLACED = {"responsibility", "accountability", "fault", "blame", "error", "mistake"}  # where fault "lies"
LIE_VERBS = {"lie", "rest", "sit", "fall", "belong", "lay"}


def responsibility_lies(unit, doc, sent, a, b):
    """"Responsibility for the data loss lies squarely with the operations team" → "[Which
    conditions] led to the data loss": where fault is placed, replaced by the question the review
    answers. Not when the person's phrase says what they did ("the engineer who disabled …")."""
    for verb in sent:
        if verb.lemma_.lower() not in LIE_VERBS or not (verb.left_edge.idx <= a <= verb.right_edge.idx):
            continue
        subject = next((c for c in verb.children if c.dep_ == "nsubj" and c.lemma_.lower() in PLACED), None)
        prep = next((c for c in verb.children if c.dep_ == "prep" and c.lower_ in ("with", "on", "to")), None)
        door = _at_door(verb)
        if door is not None and subject is None:  # "The delay lies at the door of the vendor" → "… led to the delay"
            thing = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), None)
            if thing is None or person(thing) or thing.lower_ in ("it", "this", "that") or any(
                    t.dep_ in CLAUSES for t in thing.subtree) or any(t.is_alpha for t in doc[sent.start: left(thing).i]):
                continue
            what = doc[left(thing).i: thing.right_edge.i + 1].text
            what = what[0].lower() + what[1:] if what[:1].isupper() and not what[1:2].isupper() else what
            end = door.right_edge.i
            return [(left(thing).idx, doc[end].idx + len(doc[end]), f"{CONDITIONS} {what}", False)]
        if subject is None or prep is None:
            continue
        fact = ""
        if any(t.pos_ in ("VERB", "AUX") for t in prep.subtree):
            fact = _what_was_done(prep)  # "… rests with whoever approved the change": that, as a fact
            if not fact:
                continue
        about = next((c for c in subject.children if c.dep_ == "prep" and c.lower_ == "for"), None)
        what = _phrase(doc, about) if about is not None else "this"
        if what is None:
            continue
        first, end = left(subject), max(t.i for t in prep.subtree)
        new = f"{CONDITIONS} {what}" + (f": {fact}" if fact else "")
        return [(first.idx, doc[end].idx + len(doc[end]), new, False)]
    return None


def _at_door(verb):
    """"… at the feet / door of <person>": the "at" phrase, or None."""
    for at in verb.children:
        if at.dep_ == "prep" and at.lower_ == "at":
            place = next((c for c in at.children if c.dep_ == "pobj" and c.lower_ in ("feet", "door", "doorstep")), None)
            of = next((c for c in place.children if c.dep_ == "prep" and c.lower_ == "of"), None) if place else None
            if of is not None and any(o.dep_ == "pobj" and (person(o) or any(p.dep_ == "poss" and person(p) for p in o.children))
                                      for o in of.children):  # ("… of the vendor's support desk")
                return at
    return None


def _what_was_done(prep) -> str:
    """"the firewall change was approved" for "with whoever approved the firewall change" or "with
    the engineer who approved …": what the person's phrase says they did, without them ("")."""
    for v in prep.subtree:
        who = next((c for c in v.children if c.dep_ == "nsubj" and c.lower_ in ("who", "whoever", "that")), None)
        if who is None or v.dep_ not in ("relcl", "pcomp", "ccomp") or v.right_edge.i != prep.right_edge.i:
            continue
        if v.tag_ != "VBD":
            return ""  # "the team that owns the service": a state, not something done
        try:
            return agentless_clause(v, who, "not-" + lemma(v) if negated(v) else lemma(v), shared=True, whoever=True)
        except NoRewrite:
            return ""
    return ""


def _phrase(doc, prep) -> str | None:
    """The words of a preposition's object ("for the missed backup" → "the missed backup")."""
    toks = sorted((t for t in prep.subtree if t.i != prep.i), key=lambda t: t.i)
    if not toks or toks[-1].i - toks[0].i + 1 != len(toks):
        return None
    return doc[toks[0].i: toks[-1].i + 1].text


FAULTY = CHARACTER_ADJECTIVES - {"competent", "careful", "reasonable", "experienced", "diligent"}
SAFEGUARD = "[which safeguard] was missing"


# acts whose result is the problem: "careless in leaving the endpoint open" → "The endpoint was left open"
RESULT_VERBS = {"leave", "delete", "drop", "remove", "disable", "expose", "overwrite", "truncate", "wipe", "push", "publish",
                "leak", "commit", "kill", "shut", "revoke", "purge", "destroy"}


def character_predicate(unit, doc, sent, a, b):
    """"The new hire was careless with the delete command" → "[Which safeguard] was missing for the
    delete command": a judgement of a person's character as the safeguard to name."""
    for adj in sent:
        if adj.lower_ not in FAULTY or not (a <= adj.idx < b) or adj.dep_ not in ("acomp", "attr") and not (
                adj.dep_ == "dobj" and adj.head.lemma_.lower() in ("grow", "become", "get")):  # "had grown complacent"
            continue
        verb = adj.head
        agent = next((c for c in verb.children if c.dep_ == "nsubj"), None)
        if verb.lemma_.lower() not in ("be", "get", "become", "grow") or not person(agent) or negated(verb):
            continue
        if any(c.dep_ in ("conj", "ccomp", "advcl") and not _time_clause_of(c) for c in verb.children):
            found = _judged_then_did(doc, sent, verb, agent)
            if found:  # "The reviewer was lazy and approved X without reading it" → "X was approved without reading it"
                return found
            continue  # the sentence says more than the judgement (a time clause is kept as it stands)
        preps = [c for c in adj.children if c.dep_ == "prep" and c.lower_ in ("with", "about", "in")]
        if verb.dep_ == "advcl" and any(c.dep_ == "mark" and c.lower_ in ("because", "since", "as") for c in verb.children):
            # "The outage happened because the DBA was careless with X" → "… because [which safeguard] was missing for X"
            clause = [t for t in verb.subtree if not t.is_punct and t.dep_ != "mark"]
            if clause[-1].i - clause[0].i + 1 != len([t for t in doc[clause[0].i: clause[-1].i + 1] if not t.is_punct]):
                continue
            what = ""
            if preps:
                obj = sorted(preps[0].subtree, key=lambda t: t.i)[1:]
                if not obj or obj[-1].i != clause[-1].i:
                    continue
                what = " for " + doc[obj[0].i: obj[-1].i + 1].text
            elif clause[-1].i != adj.i:
                continue
            if left(agent).i != clause[0].i:
                continue
            return [(clause[0].idx, clause[-1].idx + len(clause[-1]), SAFEGUARD + what, False)]
        words = [t for t in sent if not t.is_punct and not t.is_space]
        if verb.dep_ != "ROOT":
            # "Some might argue Ilya was careless with the flag": the
            # judgement is the sentence's last clause; what comes before it stays
            if verb.dep_ != "ccomp" or verb.right_edge.i < words[-1].i or left(agent).i <= sent.start:
                continue
            start = left(agent).idx
        else:
            lead = [t for t in sent if t.i < left(agent).i]
            if lead and not all(t.pos_ in ("ADV", "INTJ") and t.dep_ in ("advmod", "intj") or t.text == "," for t in lead):
                continue  # only a sentence adverb ("Frankly,") may go with the verdict, not a time or a place
            start = sent[0].idx if lead else words[0].idx
        timed = next((c for c in (*verb.children, *adj.children) if _time_clause_of(c) and c.i > adj.i), None)
        last = words[-1]
        if timed is not None:  # "… had grown complacent after a quiet quarter": the time stays
            if max(t.i for t in timed.subtree) < last.i:
                continue
            last = doc[min(t.i for t in timed.subtree) - 1]
        gerund = next((c for p in preps if p.lower_ == "in" for c in p.children if c.dep_ == "pcomp" and c.tag_ == "VBG"), None)
        done = passive_of(gerund, negate=False) if gerund is not None and gerund.right_edge.i == words[-1].i and not any(
            t.dep_ in ("conj", "relcl") or t.lower_ == "without" for t in gerund.subtree) else None
        if done is not None:  # "The team was careless in leaving the endpoint open" → "The endpoint was left open";
            # in an act whose result is not itself the problem, what was missing: "… configured without [which safeguard]"
            done += "" if gerund.lemma_.lower() in RESULT_VERBS else " without [which safeguard]"
            return [(start, words[-1].idx + len(words[-1]), done[0].upper() + done[1:], False)]
        what = _what_for(doc, adj, verb, last)
        if what is None:
            continue
        new = SAFEGUARD + what
        if start == sent[0].idx or start == words[0].idx and verb.dep_ == "ROOT":
            new = new[0].upper() + new[1:]
        return [(start, last.idx + len(last), new, False)]
    return None


def _judged_then_did(doc, sent, verb, agent):
    """The judgement dropped and the act that follows it restated without its agent, when the
    sentence is "<person> was <judged> and <did X>"."""
    if verb.dep_ != "ROOT" or any(c.dep_ in ("ccomp", "advcl") for c in verb.children):
        return None
    conj = [c for c in verb.children if c.dep_ == "conj"]
    if len(conj) != 1 or conj[0].pos_ != "VERB" or any(g.dep_ in ("nsubj", "nsubjpass") for g in conj[0].children):
        return None
    words = [t for t in sent if not t.is_punct and not t.is_space]
    if conj[0].right_edge.i < words[-1].i or any(t.is_alpha for t in doc[sent.start: left(agent).i]):
        return None
    fact = restated_act(conj[0], agent)
    if fact is None:
        return None
    return [(left(agent).idx, words[-1].idx + len(words[-1]), fact[0].upper() + fact[1:], False)]


def _what_for(doc, adj, verb, last) -> str | None:
    """What the judgement concerns, from the phrases after the adjective up to `last`: "careless with
    the flag" → " for the flag"; "cavalier about backups", "clueless from start to finish" (a time
    or extent, kept as written); "" when the adjective ends the sentence; None when something else
    follows it (a clause, an infinitive)."""
    if last.i == adj.i:
        return ""
    tail = sorted((c for c in (*adj.children, *verb.children) if c.i > adj.i and not c.is_punct), key=lambda t: t.i)
    if not tail or any(c.dep_ != "prep" for c in tail):
        return None
    toks = sorted((t for c in tail for t in c.subtree), key=lambda t: t.i)
    if toks[0].i != adj.i + 1 or toks[-1].i != last.i or len(toks) != last.i - adj.i:
        return None
    out = ""
    for n, c in enumerate(tail):
        words = sorted(c.subtree, key=lambda t: t.i)
        if n == 0 and c.lower_ in ("with", "about", "in", "around"):
            if len(words) < 2:
                return None
            out += " for " + doc[words[1].i: words[-1].i + 1].text
        else:
            out += " " + doc[words[0].i: words[-1].i + 1].text
    return out


TIME_WORDS = {"when", "while", "after", "before", "once", "during", "since", "throughout", "until"}


def _time_clause_of(tok) -> bool:
    """A clause or phrase that only says when ("when she catalogued the buckets", "after a quiet
    quarter", "during the cutover")."""
    if tok.dep_ == "advcl":
        return any(c.dep_ in ("mark", "advmod") and c.lower_ in TIME_WORDS and c.i == c.head.left_edge.i for c in tok.children)
    return tok.dep_ == "prep" and tok.lower_ in TIME_WORDS


GAP = "a gap in our safeguards"


def _causal(prep) -> bool:
    """Does the preposition name a cause ("due to", "because of", "caused by", "down to")?"""
    low, up = prep.lower_, prep.head.lower_
    return (low in ("due", "owing", "thanks", "by", "from", "because") or low == "to" and (
        up in ("due", "owing", "thanks", "down", "back", "attributable") or prep.head.lemma_ in ("owe", "attribute"))
        or low == "of" and up in ("because", "result", "consequence", "product"))
OWNER_PREPS = {"of", "by", "from", "on"}  # "the carelessness of one engineer", "inattention by the duty engineer"
ORGS = {"vendor", "supplier", "provider", "partner", "agency", "side", "department", "desk", "contractor"}
ABOUT_PREPS = {"with", "about", "around", "towards", "toward"}  # "laziness about updating the runbook"


CARE_NOUNS = {"care", "diligence", "attention", "attentiveness", "rigour", "rigor", "thoroughness", "urgency",
              "professionalism", "competence", "discipline", "effort", "sense", "conscientiousness"}
JUDGING_ADJECTIVES = {"poor", "bad", "questionable", "flawed", "faulty"}


def _judging_core(t):
    """The last word of a judgement of a person's character that `t` heads ("carelessness", "poor
    judgement", "lack of care", "error of judgement"), or None."""
    if t.lower_ in CHARACTER_NOUNS:
        return t
    low = t.lower_
    if low in ("judgement", "judgment", "judgements", "judgments"):
        return t if any(c.dep_ == "amod" and c.lower_ in JUDGING_ADJECTIVES for c in t.children) else None
    of = next((c for c in t.children if c.dep_ == "prep" and c.i == t.i + 1 and c.lower_ in ("of", "in")), None)
    obj = next((c for c in of.children if c.dep_ == "pobj"), None) if of is not None else None
    if obj is None:
        return None
    if t.lemma_ == "lack" and of.lower_ == "of" and obj.lower_ in CARE_NOUNS:
        return obj  # "lack of care", "lack of (basic) diligence"
    if t.lemma_ in ("error", "lapse") and obj.lower_ in ("judgement", "judgment"):
        return obj  # "an error of judgement", "a lapse in judgement"
    return None


def character_noun(unit, doc, sent, a, b):
    """"Due to the carelessness of one engineer, …" → "Due to a gap in our safeguards, …";
    "Negligence in reviewing the change let it through" → "A gap in reviewing the change let it
    through": a judgement of a person's character, named as the gap it points at, what it
    concerns kept."""
    parts = []
    for t in sent:
        core = _judging_core(t) if a <= t.idx < b and t.pos_ in ("NOUN", "PROPN") else None
        if core is None:
            continue
        if t.dep_ == "pobj" and t.head.lower_ == "of" and t.head.head.pos_ == "NOUN" and not _causal(t.head):
            continue  # "the level of carelessness", "a degree of complacency" ("a consequence of" names a cause)
        if any(c.dep_ in ("relcl", "acl", "conj", "appos") for c in t.children) or t.dep_ not in (
                "nsubj", "nsubjpass", "pobj", "attr", "ROOT") or t.dep_ == "pobj" and not _causal(t.head) or (
                t.dep_ == "attr" and not any(c.dep_ == "poss" for c in t.children)):  # "The cause was Ines's sloppiness"
            continue  # "It was sheer incompetence to …", "out of sheer carelessness", "fatigue and inattention"
        owner = next((c for c in t.children if c.dep_ == "poss"), None)
        if owner is not None and not person(owner):
            continue
        prep = next((c for c in t.children if c.dep_ == "prep" and c.i == t.i + 1 and c.lower_ == "about"), None)
        doing = next((c for c in prep.children if c.dep_ == "pcomp" and c.tag_ == "VBG"), None) if prep else None
        to = next((c for c in t.children if c.dep_ == "prep" and c.i == t.i + 1 and c.lower_ in ("to", "towards", "toward")),
                  None) if t.lemma_.lower() in ("indifference", "apathy", "disregard") else None
        if owner is not None and to is not None and t.dep_ == "nsubj" and left(owner).i == left(t).i and any(
                c.dep_ == "pobj" for c in to.children):
            # "Kristjan's indifference to the failing checks let …" → "Not acting on the failing checks let …"
            last = to.right_edge
            said = "not acting on " + doc[to.i + 1: last.i + 1].text
            parts.append((left(owner).idx, last.idx + len(last), said[0].upper() + said[1:] if left(owner).i == sent.start else said, False))
            continue
        if owner is not None and doing is not None and t.dep_ == "nsubj" and left(owner).i == left(t).i:
            # "Marek's laziness about rotating the keys left …" → "Not rotating the keys left …"
            last = doing.right_edge
            said = "not " + doc[doing.i: last.i + 1].text
            parts.append((left(owner).idx, last.idx + len(last), said[0].upper() + said[1:] if left(owner).i == sent.start else said, False))
            continue
        end, new = core.idx + len(core), GAP
        ok = True
        for prep in sorted((c for c in (*t.children, *core.children) if c.dep_ == "prep" and c.i > core.i),
                           key=lambda c: c.i):
            obj = next((c for c in prep.children if c.dep_ in ("pobj", "pcomp")), None)
            last = max(prep.subtree, key=lambda x: x.i)
            if obj is None or doc.text[end:prep.idx].strip():
                ok = False
                break
            low = prep.lower_
            owned = person(obj) or low == "on" and obj.lower_ == "part" or (  # "on the part of the desk"
                obj.lemma_.lower() in ORGS)  # "a lack of urgency from the vendor"
            if low in OWNER_PREPS and owned or low == "in" and person(obj):
                end = last.idx + len(last)  # the person goes with the judgement
            elif low == "in":
                new, end = "a gap", core.idx + len(core)  # "negligence in reviewing X" → "a gap in reviewing X"
                if core is not t:
                    new = "a gap in our safeguards"  # "a lack of care in the test plan"
                break
            elif low in ABOUT_PREPS or low == "of":
                new, end = "a gap in the safeguards for", prep.idx + len(prep)
                break
            elif low in WHEN_PREPS:
                break  # "during the cutover": a time, kept
            else:
                ok = False
                break
        if not ok:
            continue
        after = next((x for x in doc[t.i + 1: sent.end] if x.idx >= end), None)
        owned = _owned_by(after) if after is not None and after.idx == end + 1 else None
        if owned is not None:  # "negligence by the on-call engineer", the parse hanging "by" elsewhere
            end = owned
        first = left(t)
        if first.i < t.i and any(x.dep_ not in ("det", "poss", "case", "amod", "compound") and not (
                x.dep_ == "advmod" and x.head.dep_ == "amod") for x in doc[first.i: t.i]):
            continue  # ("the absolutely inexcusable negligence": a grading adverb goes with its adjective)
        parts.append((first.idx, end, new, False))
    return disjoint(parts) or None


INTENSIFIERS = {"pure", "sheer", "total", "utter", "complete", "absolute", "real", "very", "so", "such", "quite",
                "rather", "somewhat", "a", "bit", "touch", "little", "too", "absolutely", "completely", "totally",
                "utterly", "really", "truly", "frankly", "just", "downright", "thoroughly", "extremely", "incredibly"}


def character_word(unit, doc, sent, a, b):
    """"Careless reviewers waved the rule through" → "Reviewers waved the rule through"; "Testing
    was sloppy and rushed" → "Testing was rushed": the judging adjective dropped where what it
    qualifies stays a sentence."""
    text = unit.block.text
    parts = []
    for t in sent:
        if not (a <= t.idx < b) or t.lower_ not in FAULTY | {"rookie", "cowboy"}:
            continue
        lead = [x for x in doc[max(sent.start, t.i - 3): t.i] if x.lower_ in INTENSIFIERS and x.dep_ in (
            "advmod", "amod", "det", "npadvmod", "nmod") and x.head.i in (t.i, t.i - 1, t.head.i)]
        first = lead[0] if lead and all(x.lower_ in INTENSIFIERS for x in doc[lead[0].i: t.i]) else t
        if t.dep_ in ("amod", "compound", "nmod") and t.head.pos_ in ("NOUN", "PROPN") and t.head.i > t.i:
            if first is not t and first.lower_ in ("a", "such"):
                first = t  # "a rookie move": the article stays
            parts.append((*deletion(text, first.idx, t.idx + len(t)), True))  # a modifier: the noun stays
        elif t.pos_ == "ADJ" and t.dep_ == "acomp" and any(
                c.dep_ == "conj" and c.tag_ in ("JJ", "VBN") for c in t.children):
            cc = next((c for c in t.children if c.dep_ == "cc"), None)
            if cc is None:
                continue
            parts.append((first.idx, cc.idx + len(cc) + 1, "", True))  # "sloppy and rushed" → "rushed"
        elif t.pos_ == "ADJ" and t.dep_ == "conj" and t.head.pos_ == "ADJ":
            cc = next((c for c in t.head.children if c.dep_ == "cc" and c.i == first.i - 1), None)
            if cc is None:
                continue
            before = doc[cc.i - 1]
            parts.append((before.idx + len(before), t.idx + len(t), "", True))  # "tired and careless" → "tired"
    return disjoint(parts) or None


WHOLE_IDIOMS = {"jump", "phone", "wing", "shrug", "lose", "pass", "fob", "go"}  # the match holds the idiom's words and nothing else
IDIOM_HEADS = {"drop", "asleep", "sleeping", "screw", "mess", "foul", "goof", "fall", "blunder", "botch", "bungle",
               "flub", "fumble", "muff", "fluff", "out"} | WHOLE_IDIOMS


def idiom_predicate(unit, doc, sent, a, b):
    """"The SRE team dropped the ball on the renewal" / "Lindiwe was asleep at the wheel during the
    rollout" → "[Which safeguard] was missing for the renewal" / "… during the rollout": a blaming
    idiom about a person as the safeguard to name, what it was about kept."""
    words = [t for t in sent if not t.is_punct and not t.is_space]
    inside = [t for t in words if a <= t.idx < b]
    head = next((t for t in inside if t.lemma_.lower() in IDIOM_HEADS or t.lower_ in IDIOM_HEADS), None)
    if head is None:
        return None
    # the idiom's own words ("dropped the ball", "asleep at the wheel", "messed up", "botched"), not
    # what the match may hold around them (its subject, its object)
    if head.lower_ in ("asleep", "sleeping"):  # "… at the wheel", "… on the job"
        end = next((t.i for t in words if head.i < t.i <= head.i + 4 and t.lower_ in ("wheel", "switch", "job")), head.i)
    elif head.lower_ == "out":  # "out of her depth / league"
        end = next((t.i for t in words if head.i < t.i <= head.i + 3 and t.lower_ in ("depth", "league")), None)
        if end is None:
            return None
    elif head.lemma_.lower() in WHOLE_IDIOMS:
        end = max(t.i for t in inside)  # "jumped the gun", "phoned it in", "shrugged off"
    elif head.lemma_.lower() == "drop":
        end = next((c.i for c in head.children if c.dep_ == "dobj" and c.lower_ == "ball"), head.i)
    else:
        end = next((c.i for c in head.children if c.dep_ == "prt" and c.i == head.i + 1), head.i)
        # the idiom's own object goes with it ("screwed the pooch", "made a hash of")
        end = max([end] + [c.i for c in head.children if c.dep_ == "dobj" and c.lower_ in IDIOM_WORDS.get(head.lemma_.lower(), ())])
    inside = [t for t in words if head.i <= t.i <= end]
    verb = head if head.pos_ in ("VERB", "AUX") and head.dep_ == "ROOT" else head.head
    agent = next((c for c in verb.children if c.dep_ == "nsubj"), None)
    if verb.dep_ != "ROOT" or not person(agent) or negated(verb) or words[0].i != left(agent).i:
        return None
    if any(c.dep_ in ("conj", "ccomp", "advcl", "xcomp") and not _time_clause(c, inside[-1]) for c in verb.children):
        # "The release manager jumped the gun and announced GA early" → "GA was announced early"
        return _judged_then_did(doc, sent, verb, agent) if words[-1].i > inside[-1].i else None
    between = [t for t in words if agent.i < t.i < inside[0].i]
    if any(t.dep_ not in ("aux", "auxpass", "advmod") and t.i != verb.i for t in between):
        return None
    rest = [t for t in words if t.i > inside[-1].i]
    if rest and rest[-1].i - rest[0].i + 1 != len([t for t in sent if rest[0].i <= t.i <= rest[-1].i]):
        return None
    tail = ""
    if rest:
        text = doc.text[rest[0].idx: rest[-1].idx + len(rest[-1])]
        first = rest[0]
        if first.lower_ in ("on", "with"):  # "dropped the ball on the change freeze"
            tail = " for " + text[len(first.text) + 1:]
        elif first.dep_ == "dobj" or first.head.dep_ == "dobj" and first.head.head.i == verb.i:
            tail = " for " + text  # "screwed up the migration"
        else:
            tail = " " + text
    new = SAFEGUARD + tail
    return [(words[0].idx, words[-1].idx + len(words[-1]), new[0].upper() + new[1:], False)]


def _time_clause(clause, after) -> bool:
    """"… while the certificate expired": a clause of time after the verdict, kept as it is."""
    return clause.dep_ == "advcl" and clause.i > after.i and any(
        c.dep_ == "mark" and c.lower_ in ("while", "when", "as", "until", "before", "after") for c in clause.children)


def fault_noun(unit, doc, sent, a, b):
    """"Ansel's blunder" → "a change", "the DBA's negligence" → "a gap in our safeguards": a person's
    fault named as the change or the missing safeguard."""
    parts = []
    for t in sent:
        owner = next((c for c in t.children if c.dep_ == "poss"), None)
        if t.lemma_.lower() not in FAULT_NOUNS or t.pos_ != "NOUN" and owner is None:
            continue  # (an owned word is a noun, whatever the tagger said: "the SRE's fumble")
        if owner is None:
            by = _owned_by(doc[t.i + 1]) if t.i + 1 < sent.end else None  # "an oversight by the release manager"
            if by is not None and any(c.dep_ == "det" and c.lower_ in ("a", "an") for c in t.children):
                parts.append((left(t).idx, by, "a gap in our safeguards", False))
            continue
        if not (person(owner) or owner.pos_ == "PROPN" and t.lemma_.lower() in CHANGE_FAULTS
                | {"carelessness", "negligence", "laziness", "incompetence"}):
            continue  # (a rule flagged the sentence as blame: a name's "blunder" is a person's)
        first = left(t)
        preps = [c for c in t.children if c.dep_ == "prep" and c.lower_ not in WHEN_PREPS]
        tool = next((c for c in preps[0].children if c.dep_ == "pobj"), None) if len(preps) == 1 else None
        if tool is not None and preps[0].lower_ == "with" and preps[0].i == t.i + 1 and t.lemma_.lower() in CHANGE_FAULTS \
                and (role_noun(owner) or named(owner)) and tool.pos_ in ("NOUN", "PROPN") and tool.lemma_.lower() not in NOT_CHANGED \
                and not any(c.dep_ in ("prep", "relcl", "acl", "conj") for c in tool.children):
            # "The SRE's fumble with kubectl took down X" → "A change involving kubectl took down X"
            parts.append((first.idx, preps[0].idx + len(preps[0]), "a change involving", False))
            continue
        if preps or t.dep_ == "nsubj" and any(c.dep_ in ("xcomp", "ccomp") for c in t.head.children):
            continue  # "the DBA's misunderstanding of the flag": its complement would dangle; "X's mistake
            # was to trust the cache": what the mistake was, not a change
        new = "a change" if t.lemma_.lower() in CHANGE_FAULTS else "a gap in our safeguards"
        parts.append((first.idx, t.idx + len(t), new, False))
    return disjoint(parts) or None


# what "a slip with X" is not a change to ("with regard to", "with the best of intentions", "with the mouse")
NOT_CHANGED = {"regard", "respect", "best", "intention", "intentions", "mouse", "keyboard", "hand", "hands", "words"}
WHEN_PREPS = {"during", "before", "after", "at", "on", "in", "over"}  # "negligence during the cutover": a time, kept


def _owned_by(nxt) -> int | None:
    """Where "by/of/from <person>" or "on the part of <person>", starting at token nxt, ends
    (wherever the parse hangs it), or None; None too when the person carries a clause of what
    they did ("by the engineer who performed the upgrade")."""
    if nxt.lower_ not in OWNER_PREPS or nxt.dep_ not in ("prep", "agent"):
        return None
    if nxt.lower_ == "on":  # "on the part of X"
        part = next((c for c in nxt.children if c.dep_ == "pobj" and c.lower_ == "part"), None)
        nxt = next((c for c in part.children if c.dep_ == "prep" and c.lower_ == "of"), None) if part else None
        if nxt is None:
            return None
    obj = next((c for c in nxt.children if c.dep_ == "pobj"), None)
    if not person(obj) or any(c.dep_ in ("relcl", "acl") for c in obj.children):
        return None  # ("the engineer who performed the upgrade": what they did would be lost)
    last = max(obj.subtree, key=lambda x: x.i)
    return last.idx + len(last)


BOTCHED = {"botched", "bungled", "flubbed", "fumbled", "muffed", "borked"}


def judged_possessive(unit, doc, sent, a, b):
    """"Karim's botched migration wiped the index" → "The migration wiped the index": a person's
    judged piece of work, as the work."""
    parts = []
    for t in sent:
        if t.lower_ not in BOTCHED or t.dep_ not in ("amod", "compound") or not (a <= t.idx < b):
            continue
        owner = next((c for c in t.head.children if c.dep_ == "poss" and c.i < t.i), None)
        if owner is None or not (person(owner) or owner.pos_ == "PROPN"):
            continue  # (a rule flagged it as blame: a name's botched work is a person's)
        first = left(owner)
        the = "The" if first.i == sent.start else "the"
        parts.append((first.idx, t.idx + len(t), the, False))
    return disjoint(parts) or None


GAP_VERBS = {"was": "had", "were": "had", "is": "has", "are": "have", "been": "had"}
GAP_PREPS = {"with", "about", "in", "around"}  # "sloppy with the retries" → "had gaps around the retries"


def judged_work(unit, doc, sent, a, b):
    """"Testing by the contractor was sloppy from start to finish" → "Testing by the contractor
    had gaps from start to finish"; "Testing was sloppy and rushed" → "Testing was rushed": a
    judging word said of a piece of work, as the gaps a review should name."""
    for adj in sent:
        if adj.lower_ not in FAULTY or not (a <= adj.idx < b) or adj.dep_ != "acomp":
            continue
        verb = adj.head
        subject = next((c for c in verb.children if c.dep_ == "nsubj"), None)
        if verb.lemma_.lower() != "be" or negated(verb) or subject is None or person(subject) or \
                subject.pos_ not in ("NOUN", "PROPN", "VERB") or subject.lower_ in ("it", "this", "that"):
            continue
        if any(t.dep_ != "advmod" for t in doc[verb.i + 1: adj.i]) or any(
                c.lower_ == "by" for c in (*verb.children, *adj.children)):
            continue  # ("lazy by design" is a technical sense)
        also = next((c for c in verb.children if c.dep_ == "conj" and c.i > adj.i and c.tag_ in ("VBN", "JJ")
                     and not any(g.dep_ in ("nsubj", "nsubjpass", "aux") for g in c.children)), None)
        if also is not None and doc[adj.i + 1].dep_ == "cc" and adj.i + 2 == also.i:
            return [(doc[verb.i + 1].idx, also.idx, "", True)]  # "was sloppy and rushed" → "was rushed"
        if any(c.dep_ not in ("advmod", "prep") for c in adj.children):
            continue
        prep = next((c for c in adj.children if c.dep_ == "prep"), None)
        if prep is not None and prep.lower_ in GAP_PREPS and prep.i != adj.i + 1:
            continue
        if prep is not None and prep.lower_ not in GAP_PREPS:
            prep = None  # "from start to finish": a time, kept as it is
        had = GAP_VERBS.get(verb.lower_)
        if had is None or verb.lower_ == "been" and not any(c.dep_ == "aux" for c in verb.children):
            continue
        end = prep.idx + len(prep) if prep is not None else adj.idx + len(adj)
        return [(verb.idx, end, f"{had} gaps" + (" around" if prep is not None else ""), False)]
    return None


def judged_act(unit, doc, sent, a, b):
    """"It was sheer incompetence to write the key into the log" → "The key was written into the
    log"; "Restoring an old snapshot over the live cluster was the height of incompetence" → "An
    old snapshot was restored over the live cluster": the act a verdict is passed on, as what
    happened."""
    words = [t for t in sent if not t.is_punct and not t.is_space]
    if not words:
        return None
    root = sent.root
    if root.lemma_.lower() != "be" or negated(root) or not (a >= words[0].idx and b <= words[-1].idx + len(words[-1])):
        return None
    if root.tag_ != "VBD" or any(c.dep_ == "aux" for c in root.children):
        return None  # "It would have been reckless to …", "It is reckless to …": no act that happened
    act = None
    for t in sent:
        if t.tag_ == "VB" and t.dep_ in ("xcomp", "ccomp") and t.head.i == root.i and any(
                c.dep_ == "aux" and c.lower_ == "to" for c in t.children) and any(
                c.dep_ == "nsubj" and c.lower_ == "it" for c in root.children):
            act = t  # "It was careless to restart both brokers"
        elif t.tag_ == "VBG" and t.dep_ == "csubj" and t.head.i == root.i:
            act = t  # "Skipping the canary was irresponsible"
        elif t.tag_ == "VBG" and t.dep_ == "pcomp" and t.head.lower_ == "for" and t.head.head.lower_ == "word":
            act = t  # "Reckless is the only word for pushing …"
        if act is not None:
            break
    if act is None or negated(act) or not (a < act.idx or a > act.right_edge.idx):
        return None  # the verdict must lie outside the act it judges
    obj = next((c for c in act.children if c.dep_ == "dobj"), None)
    if obj is None or obj.pos_ not in ("NOUN", "PROPN") or any(c.dep_ in ("dative", "ccomp", "xcomp", "conj")
                                                                for c in act.children):
        return None
    toks = core_tokens(obj)
    if toks[0].i != act.i + 1 or toks[-1].i - toks[0].i + 1 != len(toks):
        return None
    span = sorted(act.subtree, key=lambda t: t.i)
    rest = [t for t in span if t.i > toks[-1].i]
    while rest and rest[-1].is_punct:
        rest.pop()
    if rest and (rest[-1].i - rest[0].i + 1 != len([t for t in doc[rest[0].i: rest[-1].i + 1]])
                 or any(t.pos_ in ("VERB", "AUX") for t in rest)):
        return None
    outside = [t for t in words if t.i < act.i or t.i > span[-1].i]
    # the verdict's frame is all that is left out: "It was … to", "… was the height of incompetence"
    if any(t.pos_ in ("VERB",) and t.i != root.i for t in outside):
        return None
    participle = inflect(lemma(act), "VBN")
    if not participle:
        return None
    phrase = doc[toks[0].i: toks[-1].i + 1].text
    if toks[0].pos_ != "PROPN":
        phrase = phrase[0].upper() + phrase[1:]
    tail = doc[rest[0].i: rest[-1].i + 1].text if rest else ""
    new = " ".join(x for x in (phrase, was_for(obj), participle, tail) if x)
    return [(words[0].idx, words[-1].idx + len(words[-1]), new, False)]


CONTENT_POS = {"NOUN", "PROPN", "NUM", "ADJ"}


CAUSING = {"cause", "trigger", "start", "create", "produce", "bring"}


def whoever_did(unit, doc, sent, a, b):
    """"Whoever turned on the debug flag forgot to turn it off" → "The debug flag was turned on, and
    it was not turned off": a subject that is whoever did something, restated with every clause it
    is the agent of as what was done. Only when every clause restates and every noun stays."""
    for who in sent:
        if who.lower_ != "whoever" or who.dep_ != "nsubj" or who.head.dep_ != "csubj" or not (
                sent.start_char <= a < sent.end_char):
            continue
        did, root = who.head, who.head.head
        if root.dep_ != "ROOT":
            continue
        verbs = [(did, who), (root, did)] + [(c, did) for c in root.children if c.dep_ == "conj"
                                             and c.pos_ in ("VERB", "AUX") and not any(
                                                 g.dep_ in ("nsubj", "nsubjpass") for g in c.children)]
        words = [t for t in sent if not t.is_punct and not t.is_space]
        if lemma(root) in CAUSING and len(verbs) == 2 and not negated(root) and not any(
                c.dep_ in ("aux", "auxpass") for c in root.children):
            # "Whoever upgraded the DB without updating the image caused this" → "The DB was upgraded
            # without updating the image, which caused this": what the act did stays active
            try:
                done = agentless_clause(did, who, lemma(did), shared=True, whoever=True)
            except NoRewrite:
                return None
            if any(c.dep_ == "advmod" and c.i < root.i for c in root.children) or any(
                    t.lower_ == "without" for t in root.subtree if t.i > root.i):
                return None  # "probably caused", "caused it without knowing": a word about the person or a hedge
            effect = doc.text[root.idx: words[-1].idx + len(words[-1])]
            return [(words[0].idx, words[-1].idx + len(words[-1]), f"{done[0].upper()}{done[1:]}, which {effect}", False)]
        clauses = []
        for verb, agent in verbs:
            # a give-up verb's kind is the verb, negated or not
            kind = lemma(verb) if lemma(verb) in GIVE_UP_VERBS else ("not-" + lemma(verb) if negated(verb) else lemma(verb))
            try:
                clauses.append(agentless_clause(verb, agent, kind, shared=True, whoever=True))
            except NoRewrite:
                return None
        text = (", ".join(clauses[:-1]) + ", and " + clauses[-1]) if len(clauses) > 1 else clauses[0]
        low = text.lower()
        said = " ".join(low.replace(",", " ").split())
        restated = {v.i for v, _ in verbs}
        kept = [t.lower_ for t in sent if t.pos_ in (*CONTENT_POS, "PRON") and t.lower_ != "whoever"]
        odd = any(t.pos_ == "VERB" and t.i not in restated and t.dep_ != "xcomp" for t in sent)
        if odd or any(t.pos_ in CONTENT_POS and t.lower_ not in low for t in sent) or not _in_order(kept, said.split()):
            return None  # a word the clauses left out or moved ("the replica was not checked lag first")
        words = [t for t in sent if not t.is_punct and not t.is_space]
        return [(words[0].idx, words[-1].idx + len(words[-1]), text[0].upper() + text[1:], False)]
    return None


def _in_order(words: list[str], out: list[str]) -> bool:
    """Do `words` occur in `out` in the same order (other words between them allowed)?"""
    at = 0
    for w in words:
        try:
            at = out.index(w, at) + 1
        except ValueError:
            return False
    return True


RIGHT_MIND_RE = re.compile(r"\W*who\s+in\s+(?:their|his|her|your|one['’]s)\s+right\s+mind\s+", re.I)


def right_mind(unit, doc, sent, a, b):
    """"Who in their right mind schedules a reindex during month-end close?" → "A reindex was
    scheduled during month-end close.": the scornful question as what was done."""
    lo = sent.start_char
    m = RIGHT_MIND_RE.match(doc.text[lo: sent.end_char])
    who = next((t for t in sent if t.lower_ == "who"), None)
    if m is None or who is None or who.dep_ != "nsubj":
        return None
    verb = who.head
    if negated(verb):
        return None  # "Who in their right mind doesn't pin versions?": the act is the one not done
    try:
        fact = agentless_clause(verb, who, lemma(verb), past=True)
    except NoRewrite:
        return None
    words = [t for t in sent if not t.is_space]
    while words and words[-1].is_punct:
        words.pop()
    if not words or any(t.i > verb.i and t.dep_ in ("conj", "ccomp") for t in sent):
        return None
    end = words[-1].idx + len(words[-1])
    close = doc.text[end: sent.end_char].strip()
    return [(lo + m.start(), sent.end_char if close in ("?", "?!", "") else end,
             fact[0].upper() + fact[1:] + ("." if close in ("?", "?!", "") else ""), False)]
