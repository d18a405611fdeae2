"""Counterfactuals about a person restated as the fact they imply: "Had the DBA checked
replication first, none of this would have happened" → "Replication was not checked first"
(the blame and hindsight strategies use `counterfactual`)."""

from __future__ import annotations

import re

from blamelint.analysis.grammar import (
    NoRewrite,
    agentless_clause,
    clause_span,
    clause_tokens,
    consequence_fact,
    inflect,
    lemma,
    negated,
)
from blamelint.sentence_rewrite.base import GIVE_UP_VERBS, person, was_for
from blamelint.sentence_rewrite.foresight import not_required

# what a person did not do, as the event that did not happen: "did not respond" → "there was no response"
ACTIONS = {"respond": "response", "escalate": "escalation", "reply": "reply", "react": "reaction",
           "act": "action", "answer": "answer", "intervene": "intervention", "follow up": "follow-up",
           "roll back": "rollback", "fail over": "failover", "back out": "back-out", "step in": "intervention",
           "check in": "check-in"}


def had_clause(verb) -> bool:
    """"If X had done …" / "Had X done …": a counterfactual's condition."""
    had = next((c for c in verb.children if c.dep_ == "aux" and c.lower_ == "had"), None)
    if had is None or verb.dep_ not in ("advcl", "ccomp"):
        return False
    subject = next((c for c in verb.children if c.dep_ == "nsubj"), None)
    return any(c.dep_ == "mark" and c.lower_ == "if" for c in verb.children) or (
        subject is not None and had.i < subject.i)


def _did_not(verb, subject) -> str | None:
    """"the capacity review did not look at the holiday forecast" for the condition "the capacity
    review had looked at the holiday forecast" (a thing's action, its subject kept)."""
    toks = [t for t in sorted(verb.subtree, key=lambda t: t.i) if not t.is_punct
            and not (t.dep_ == "mark" and t.head.i == verb.i) and not (t.dep_ == "aux" and t.head.i == verb.i)]
    subj = [t for t in sorted(subject.subtree, key=lambda t: t.i) if not (t.dep_ == "advmod" and t.lower_ in ("only", "just"))]
    toks = [t for t in toks if not (t.dep_ == "advmod" and t.lower_ in ("only", "just") and t.head.i == subject.i)]
    rest = [t for t in toks if t.i > verb.i]  # ("If only the review had asked …": "only" goes with "if")
    if not subj or toks[: len(subj)] != subj or len(toks) != len(subj) + 1 + len(rest) or toks[len(subj)].i != verb.i:
        return None  # something stands between the subject and the verb
    if rest and rest[-1].i - rest[0].i + 1 != len(rest):
        return None
    base = lemma(verb)
    if base in ("be", "have") or any(c.dep_ in ("auxpass", "neg") for c in verb.children):
        return None
    doc = verb.doc
    head = doc[subj[0].i: subj[-1].i + 1].text
    tail = " " + doc[rest[0].i: rest[-1].i + 1].text if rest else ""
    return f"{head} did not {base}{tail}"


def _no_event(verb) -> str | None:
    """"there was no escalation at 02:10" for a person's intransitive action ("escalated at
    02:10") whose noun ACTIONS knows; None for another shape."""
    prt = next((c.lower_ for c in verb.children if c.dep_ == "prt"), None)
    noun = ACTIONS.get(f"{verb.lemma_.lower()} {prt}" if prt else verb.lemma_.lower())
    if noun is None or any(c.dep_ in ("dobj", "ccomp", "xcomp", "dative") for c in verb.children):
        return None
    rest = [t for t in clause_tokens(verb) if t.i > verb.i and not t.is_punct and t.dep_ != "prt"]
    if rest and rest[-1].i - rest[0].i + 1 != len(rest):
        return None
    tail = " " + verb.doc[rest[0].i: rest[-1].i + 1].text if rest else ""
    return f"there was no {noun}{tail}"


def counterfactual(unit, doc, sent, a, b):
    """"Had the DBA checked replication status first, none of this would have happened" / "If
    only …" → "Replication status was not checked first": the person's counterfactual as the fact
    it states, where the rest of the sentence is only its consequence."""
    found = _counterfactual_in(sent, a)
    if found is None and len(sent) > 3 and sent[0].lower_ == "had" and getattr(unit, "analyzer", None) is not None:
        # "Had X done …": the small model often reads "had" as the main verb; parse it as "If X had done …"
        done = next((t for t in sent[1:] if t.tag_ in ("VBN", "VBD")), None)
        if done is not None:
            alt = "If " + doc.text[sent[1].idx: done.idx] + "had " + doc.text[done.idx: sent[-1].idx + len(sent[-1])]
            alt_doc = unit.analyzer.docs([alt])[0]
            found = _counterfactual_in(next(iter(alt_doc.sents)), len("If ") + a - sent[1].idx)
    if found is None:
        return None
    words = [t for t in sent if not t.is_punct and not t.is_space]
    if not words:
        return None
    last = words[-1]
    return [(words[0].idx, last.idx + len(last), found, False)]


def _consequence(main) -> bool:
    """Is the main clause only the counterfactual's consequence ("… would have happened")?"""
    return bool({c.lower_ for c in main.children if c.dep_ == "aux"} & {"would", "could", "might", "'d", "’d"}
                or any(c.lemma_.lower() in ("avoidable", "preventable") for c in main.children))


def _not_done(verb) -> str | None:
    """"the change was not tested with a real message" for the passive condition "if only the
    change had been tested with a real message" (the thing kept as the subject)."""
    patient = next((c for c in verb.children if c.dep_ == "nsubjpass"), None)
    if patient is None or person(patient) or not any(c.dep_ == "auxpass" for c in verb.children) or negated(verb):
        return None
    subj = [t for t in sorted(patient.subtree, key=lambda t: t.i) if not (t.dep_ == "advmod" and t.lower_ in ("only", "just"))]
    rest = [t for t in clause_tokens(verb) if t.i > verb.i]
    while rest and (rest[-1].is_punct or rest[-1].is_space):
        rest.pop()
    if not subj or subj[-1].i - subj[0].i + 1 != len(subj) or (rest and rest[-1].i - rest[0].i + 1 != len(rest)):
        return None
    if any(t.dep_ not in ("aux", "auxpass", "advmod") or t.dep_ == "advmod" and t.lower_ not in ("only", "just")
           for t in verb.doc[subj[-1].i + 1: verb.i]):
        return None  # a word between the subject and the verb the fact would drop
    doc = verb.doc
    head = doc[subj[0].i: subj[-1].i + 1].text
    if subj[0].pos_ != "PROPN" and not head.isupper():
        head = head[:1].lower() + head[1:]
    tail = " " + doc[rest[0].i: rest[-1].i + 1].text if rest else ""
    return f"{head} {was_for(patient)} not {verb.text}{tail}"


def _counterfactual_in(sent, found_at: int | None = None) -> str | None:
    """The fact a person's counterfactual in this sentence states, capitalised (None: none). An
    agent where the finding starts (`found_at`) is the person the blame rules found."""
    for verb in sent:
        if not had_clause(verb):
            continue
        agent = next((c for c in verb.children if c.dep_ == "nsubj"), None)
        main = verb.head
        if agent is None:
            fact = _not_done(verb) if _consequence(main) else None  # "If only the change had been tested …"
            if fact is not None:
                fact += consequence_fact(main)
                return fact[0].upper() + fact[1:]
            continue
        if not _consequence(main):
            continue  # the rest of the sentence is more than the counterfactual's consequence
        lem = verb.lemma_.lower()
        required = False
        if not (person(agent) or agent.left_edge.idx == found_at):
            # "If the capacity review had looked at the forecast" → "The capacity review did not look at the forecast"
            fact = _did_not(verb, agent) if agent.pos_ in ("NOUN", "PROPN") else None
            if fact is None:
                continue
        else:
            try:
                undone = lem in GIVE_UP_VERBS or negated(verb)  # "had the operator not bypassed the check": it was
                fact = agentless_clause(verb, agent, lem if undone else "not-" + lem)
            except NoRewrite:
                fact = _no_event(verb)  # "Had the on-call escalated at 02:10" → "There was no escalation at 02:10"
                if fact is None:
                    fact = not_required(verb)  # "If Ravi had waited for the canary …" → "Nothing required waiting for …"
                    required = fact is not None
                if fact is None:
                    continue
        fact += consequence_fact(main)  # "…, and the bug was not caught"
        agent_words = {t.i for t in agent.subtree}
        if required and any(t.pos_ in ("NOUN", "PROPN", "NUM") and t.i not in agent_words and t.lower_ not in (
                "none", "this", "nothing", "anything") and t.lower_ not in fact.lower() for t in sent):
            continue  # a word the parse hung elsewhere ("… had stayed until the migration finished")
        return fact[0].upper() + fact[1:]
    return None


USEFUL_RE = re.compile(r"(?:it\s+would\s+have\s+been\s+(?:(?:more|much|very|really|far|a\s+lot)\s+)?(?:useful|helpful|better"
                       r"|wise|wiser|prudent|smarter|sensible|good|best|nice|valuable)\s+to"
                       r"|all\s+(?:they|he|she|we|you|anyone|someone|somebody|the\s+[\w-]+(?:\s+engineer)?)\s+(?:had|needed)"
                       r"\s+to\s+do\s+was(?:\s+to)?)\s+(?=[a-z])", re.I)  # ("all they had to do was restart it")


LEAD_RE = re.compile(r"(?:(?:in|with)\s+(?:hindsight|retrospect)|looking\s+back|honestly|frankly|clearly)?,?\s*", re.I)


def useful_to(unit, doc, sent, a, b):
    """"It would have been useful to capture a heap dump once we suspected the node" → "A heap dump
    was not captured once we suspected the node", "All the on-call had to do was restart the pod"
    → "The pod was not restarted": what the verdict says was not done, as the fact (read as
    "Someone should have captured …", so every other word is kept)."""
    text = doc.text
    lo = next((t.idx for t in sent if t.is_alpha), None)
    m = USEFUL_RE.search(text, lo, sent.end_char) if lo is not None else None
    if m is None or not (lo <= a < m.end()) or not LEAD_RE.fullmatch(text[lo:m.start()]) \
            or getattr(unit, "analyzer", None) is None:
        return None
    hi = sent.end_char
    while hi > m.end() and (text[hi - 1].isspace() or text[hi - 1] in ".!"):
        hi -= 1
    rest = text[m.end():hi]
    if re.search(r"\bthan\b|,", rest):
        return None  # a comparison ("the config than the code") or a clause the restatement would re-attach
    verb, _, tail = rest.partition(" ")
    article = re.match(r"(?:an?|some)\s+(?=\w)", tail)
    if verb == "have" and article is not None:  # "… to have an alert on the queue"
        have = next((t for t in sent if t.idx == m.end()), None)
        obj = next((c for c in have.children if c.dep_ == "dobj"), None) if have is not None else None
        words = [t for t in sent if not t.is_punct and not t.is_space]
        if obj is None or obj.lemma_.lower() in ("look", "go", "try", "chat", "think", "word", "say") or obj.tag_ in (
                "VB", "VBP") or any(c.dep_ in ("dobj", "ccomp", "xcomp") for c in obj.children) \
                or obj.right_edge.i != words[-1].i:
            return None  # "to have a second engineer review it", "to have a look": no missing thing
        plural = obj.tag_ in ("NNS", "NNPS") or article.group(0).strip().lower() == "some"
        return [(lo, hi, f"There {'were' if plural else 'was'} no " + tail[article.end():], False)]
    done = inflect(verb.lower(), "VBN") if verb.isalpha() and verb.islower() else None
    if done is None or verb in ("be", "have", "not", "never", "always") or not tail:
        return None
    alt = "Someone should have " + done + " " + tail + "."
    alt_doc = unit.analyzer.docs([alt])[0]
    agent, root = alt_doc[0], next((t for t in alt_doc if t.dep_ == "ROOT"), None)
    if root is None or root.i != 3 or any(t.dep_ == "conj" and t.head.i == root.i for t in alt_doc):
        return None
    try:
        new = agentless_clause(root, agent, "should-have")
    except NoRewrite:
        return None
    _, cb = clause_span(root, agent)
    new += alt_doc.text[cb:len(alt_doc.text) - 1]
    return [(lo, hi, new[0].upper() + new[1:], False)]


def by_doing(unit, doc, sent, a, b):
    """"The backlog could have been caught by comparing row counts on the replica" → "Row counts
    on the replica were not compared, so the backlog was not caught": the check the counterfactual
    names, as the fact that it was not done, and its consequence."""
    if getattr(unit, "analyzer", None) is None:
        return None
    for verb in sent:
        if not (a <= verb.idx < b) or verb.tag_ != "VBN" or verb.dep_ != "ROOT":
            continue
        auxes = [c.lower_ for c in verb.children if c.dep_ in ("aux", "auxpass")]
        if not (set(auxes) & {"could", "would", "might"} and "have" in auxes and "been" in auxes) or negated(verb):
            continue
        patient = next((c for c in verb.children if c.dep_ == "nsubjpass"), None)
        by = next((c for c in verb.children if c.dep_ == "agent" or c.dep_ == "prep" and c.lower_ == "by"), None)
        doing = next((c for c in by.children if c.dep_ == "pcomp" and c.tag_ == "VBG"), None) if by is not None else None
        thing = next((c for c in by.children if c.dep_ == "pobj" and c.pos_ == "NOUN"), None) if by is not None else None
        if patient is None or person(patient) or person(thing) or doing is None and thing is None:
            continue
        if doing is not None and any(c.dep_ == "neg" or c.lower_ in ("never", "not") for c in doing.children):
            continue  # "avoided by not skipping the canary": the canary was skipped
        if thing is not None and any(c.dep_ in ("preconj", "conj", "cc") for c in thing.children):
            continue  # "by either a soak test or a canary": more than one thing was missing
        words = [t for t in sent if not t.is_punct and not t.is_space]
        subj = sorted(patient.subtree, key=lambda t: t.i)
        head = doc[subj[0].i: subj[-1].i + 1].text
        if subj[0].pos_ != "PROPN" and not head.isupper():
            head = head[:1].lower() + head[1:]
        if thing is not None:  # "… caught by an alert on heap usage" → "There was no alert on heap usage, so …"
            article = next((c for c in thing.children if c.dep_ == "det"), None)
            if article is None or article.lower_ not in ("a", "an") or words[0].i != subj[0].i \
                    or thing.right_edge.i != words[-1].i or by.i != verb.i + 1:
                continue
            what = doc[article.i + 1: thing.right_edge.i + 1].text
            new = f"there was no {what}, so {head} {was_for(patient)} not {verb.text}"
            return [(words[0].idx, words[-1].idx + len(words[-1]), new[0].upper() + new[1:], False)]
        if words[0].i != subj[0].i or doing.right_edge.i != words[-1].i or by.i != verb.i + 1:
            continue  # words before the subject or after the check would need a place of their own
        rest = doc[doing.i + 1: doing.right_edge.i + 1].text
        done = inflect(lemma(doing), "VBN")
        if not done or not rest:
            continue
        alt_doc = unit.analyzer.docs([f"Someone should have {done} {rest}."])[0]
        agent, root = alt_doc[0], next((t for t in alt_doc if t.dep_ == "ROOT"), None)
        if root is None or root.i != 3:
            continue
        try:
            fact = agentless_clause(root, agent, "should-have")
        except NoRewrite:
            continue
        if clause_span(root, agent)[1] != len(alt_doc.text) - 1:
            continue
        new = f"{fact}, so {head} {was_for(patient)} not {verb.text}"
        return [(words[0].idx, words[-1].idx + len(words[-1]), new[0].upper() + new[1:], False)]
    return None
