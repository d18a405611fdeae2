"""A person's acts the agentive detector reads beyond a failure verb: the harm they caused
("the intern caused the outage"), and their decision or refusal ("Kwame's decision to skip the dry
run", "the SRE's refusal to roll back"), with its rewrite as the act alone."""

from __future__ import annotations

import re

from blamelint.analysis.grammar import inflect, negated
from blamelint.detectors.agentive_words import (
    BREAK_NEUTRAL,
    CHOICE_NOUNS,
    HARM_NOUNS,
    PERSON_PRONOUNS,
    REFUSAL_NOUNS,
    ROLE_NOUNS,
)
from blamelint.findings import Edit, Fix


def harmed(verb, lemma: str) -> bool:
    """Is what the verb caused or broke a harm ("caused the outage", "broke the build"; not
    "triggered a failover", "broke the job into batches", "caused no downtime", "triggered a SEV-1
    incident" (declared it), "broke the lock to unblock the deploy" (on purpose))?"""
    passive = any(c.dep_ == "auxpass" for c in verb.children)
    thing = next((c for c in verb.children if c.dep_ == ("nsubjpass" if passive else "dobj")), None)
    if thing is None or thing.ent_type_ == "PERSON" or thing.lower_ in PERSON_PRONOUNS or thing.lemma_.lower() in ROLE_NOUNS:
        return False
    if any(c.lower_ in ("no", "zero") for c in thing.children) or deliberate(verb):
        return False
    if lemma == "trigger" and any(re.fullmatch(r"sev-?\d|p\d|formal", c.lower_) for c in thing.children):
        return False  # "triggered a SEV-1 incident": declared one
    if lemma != "break":
        return thing.lemma_.lower() in HARM_NOUNS
    return thing.lemma_.lower() not in BREAK_NEUTRAL and not any(
        c.dep_ == "prt" or c.dep_ == "prep" and c.lower_ == "into" for c in verb.children)


DELIBERATE_RE = re.compile(r"\b(?:deliberately|intentionally|purposely|on\s+purpose|as\s+planned|as\s+part\s+of\s+(?:the|a|our)"
                           r"\s+(?:[\w-]+\s+)?(?:game\s*day|drill|test|exercise|experiment)|game\s*day|chaos\s+(?:test|experiment|team)"
                           r"|during\s+(?:the|a)\s+(?:planned|scheduled)|to\s+reproduce)\b", re.I)


def deliberate(verb) -> bool:
    """Was the harm done on purpose: a purpose clause ("broke the lock to unblock the deploy"), a
    drill or planned work ("as part of the game day", "during the planned maintenance")?"""
    if any(c.dep_ in ("advcl", "xcomp") and any(g.dep_ == "aux" and g.lower_ == "to" for g in c.children)
           for c in verb.children):
        return True
    clause = verb.doc[verb.left_edge.i: verb.right_edge.i + 1].text
    return DELIBERATE_RE.search(clause) is not None


def choice_as_act(verb, unit, analysis) -> list[Fix] | None:
    """"Kwame's decision to skip the dry run caused it" → "Skipping the dry run caused it"; "the
    SRE's refusal to roll back" → "not rolling back": the act, without whose choice it was."""
    noun = verb.head
    first = noun.left_edge
    gerund = inflect(verb.lemma_.lower(), "VBG")
    if gerund is None or first.i > noun.i or noun.dep_ in ("attr", "acomp") or any(
            c.dep_ == "conj" for c in verb.children) or any(t.dep_ in ("cc", "conj") for t in verb.doc[first.i: noun.i]):
        return None  # "It was Kwame's decision to …", "to skip X and deploy Y", "the lead's and the PM's decision"
    to = next((c for c in verb.children if c.dep_ == "aux" and c.lower_ == "to"), None)
    if to is None or any(t.i not in (to.i, verb.i) and t.dep_ != "neg" for t in verb.doc[to.i: verb.i + 1]):
        return None  # "refusal to ever roll back": the word between would be lost
    refused = noun.lemma_.lower() in REFUSAL_NOUNS
    new = ("not " if refused != negated(verb) else "") + gerund
    if first.i == verb.sent.start or all(not t.is_alpha for t in verb.doc[verb.sent.start: first.i]):
        new = new[0].upper() + new[1:]
    a, b = first.idx, verb.idx + len(verb)
    start, end = unit.block.source_span(a, b)
    if analysis.document.source[start:end] != unit.block.text[a:b]:
        return None  # markup inside: the prose text would replace it
    return [Fix(title=f"Rewrite as “{new}{unit.block.text[b:verb.right_edge.idx + len(verb.right_edge)]}”",
                edits=[Edit(start, end, new)], safe=False)]


CREDIT_VERBS = {"keep", "save", "prevent", "protect", "limit", "stop", "avoid", "spare", "contain", "help", "get", "allow",
                "let", "pay", "prove"}
CREDIT_RE = re.compile(r"\b(?:correct|right|reasonable|sensible|wise|sound|justified|good\s+call|the\s+right\s+call)\b", re.I)


def credited(noun) -> bool:
    """Does the sentence credit the decision ("Dana's refusal to approve the hotfix kept the bad change
    out", "the IC's decision to skip the canary got the fix out sooner", "… was correct")?"""
    head = noun.head
    if noun.dep_ in ("nsubj", "nsubjpass") and head.lemma_.lower() in CREDIT_VERBS and not any(
            t.lower_ in ("down", "offline", "broken", "unavailable", "waiting", "stuck") for t in head.subtree):
        return True  # (not "kept the site down")
    return CREDIT_RE.search(noun.sent.text) is not None


def owner_of_choice(verb):
    """Whose decision or refusal the verb is: "Kwame's decision to skip the dry run", "the decision by
    Anders to skip …", "the SRE's refusal to roll back" (None when it is none of these)."""
    noun = verb.head
    if verb.dep_ != "acl" or noun.lemma_.lower() not in CHOICE_NOUNS | REFUSAL_NOUNS or not any(
            c.dep_ == "aux" and c.lower_ == "to" for c in verb.children):
        return None
    owner = next((c for c in noun.children if c.dep_ == "poss" and c.lower_ not in ("its", "our", "my", "your")), None)
    if owner is None:
        by = next((c for c in noun.children if c.dep_ == "prep" and c.lower_ == "by"), None)
        owner = next((c for c in by.children if c.dep_ == "pobj"), None) if by is not None else None
    return owner
