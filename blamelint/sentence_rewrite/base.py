"""What every restatement of the sentence rewrite shares: its word lists (`rules/words/rewrite.yaml`),
the names of the sentence being rewritten, and who counts as a person."""

from __future__ import annotations

from contextvars import ContextVar

from blamelint.analysis.grammar import inflect, negative_subject, phrase_start
from blamelint.detectors.agentive_words import role_noun
from blamelint.rules.words import words

NAMES: ContextVar[tuple] = ContextVar("names", default=())  # prose spans of the sentence's names (set by the stage)
# (start, end, role) of each name the names rule would replace with a role ("Tomasz" → "engineer")
NAME_ROLES: ContextVar[tuple] = ContextVar("name_roles", default=())
_WORDS = words("rewrite")
JUDGEMENT_ADVERBS = _WORDS["judgement_adverbs"]
JUDGEMENT_PHRASES = sorted(_WORDS["judgement_phrases"], key=len, reverse=True)
CHARACTER_ADJECTIVES = _WORDS["character_adjectives"]
WORK_NOUNS = _WORDS["work_nouns"]
HINDSIGHT_ADJECTIVES = _WORDS["hindsight_adjectives"]
FAULT_NOUNS = _WORDS["fault_nouns"]
CHARACTER_NOUNS = _WORDS["character_nouns"]
APPEAL_WORDS = _WORDS["appeal_words"]
_AGENTIVE = words("agentive")
END_USERS = _AGENTIVE["end_users"]  # one of them is a person ("the customer ignored the notice")
NEGLECT_IDIOMS = {tuple(pair) for pair in _AGENTIVE["idioms"]}  # ("walk", "away"): "walked away"
PEOPLE = {"he", "she", "i", "we", "they", "someone", "somebody", "anyone", "anybody", "nobody", "everyone",
          "everybody", "whoever", "ops", "support"}
CHANGE_FAULTS = {"slip", "mistake", "error", "blunder", "typo", "goof", "fumble", "screw-up", "screwup", "mix-up",
                 "mixup"}  # "the operator's slip" → "a change"; the rest ("negligence") → a gap in safeguards
GIVE_UP_VERBS = {"forget", "neglect", "fail", "bother", "omit"}
FAILURE_VERBS = _AGENTIVE["failure_verbs"] | GIVE_UP_VERBS
MODALS = {"should", "ought", "would", "could", "might", "must", "'d", "’d"}


def restated(table, doc, sent, a, b):
    """The part for the first (pattern, restate) of table that matches the sentence over the span
    [a, b): the match replaced by restate(match); None when none does. Patterns see the sentence
    alone ("^" is its start)."""
    lo = sent.start_char
    text = doc.text[lo: sent.end_char]
    for pattern, restate in table:
        for m in pattern.finditer(text):
            if lo + m.start() < b and a < lo + m.end():
                return [(lo + m.start(), lo + m.end(), restate(m), False)]
    return None


def disjoint(parts):
    out = []
    for p in sorted(parts):
        if out and p[0] < out[-1][1]:
            continue
        out.append(p)
    return out


def left(tok):
    """The first token of tok's phrase, past a masked timestamp's blank or a time ("14:05 —")."""
    return phrase_start(tok)


def person(tok) -> bool:
    if tok is None:
        return False
    low = tok.lower_
    if low in PEOPLE or negative_subject(tok):
        return True
    if role_noun(tok):
        return True  # "the DBA", "the devs", "the night shift" (as the agentive detector's roles)
    if low in ("call", "on-call", "oncall") or tok.tag_ == "NN" and low in END_USERS:
        return True
    if named(tok):
        return True  # the names detector's person
    return tok.ent_type_ == "PERSON" or (tok.pos_ == "PROPN" and tok.ent_type_ in ("", "PERSON", "NORP")
                                        and not tok.is_upper)


def named(tok) -> bool:
    """Is tok inside a name the names rule found in this sentence?"""
    return any(a <= tok.idx < b for a, b in NAMES.get())


def name_role(tok) -> str | None:
    """The role the names rule gives the name at tok ("engineer" for "Tomasz" → "An engineer"),
    when the name stands alone (no conjoined or apposed words)."""
    if any(c.dep_ in ("conj", "appos", "cc") for c in tok.children):
        return None
    return next((role for a, b, role in NAME_ROLES.get() if a <= tok.idx < b), None)


def was_for(subject) -> str:
    """"were" for a plural subject ("the replicas", "we", "the key and the cert"), else "was"."""
    plural = subject is not None and (subject.tag_ in ("NNS", "NNPS") or subject.lower_ in ("we", "they", "you")
                                      or any(c.dep_ == "conj" for c in subject.children))
    return "were" if plural else "was"


STATES = {"public", "open", "private", "online", "offline", "unprotected", "unencrypted", "exposed", "enabled",
          "disabled", "running", "on", "off", "unpatched", "unattended", "behind"}


def passive_of(gerund, negate: bool = True) -> str | None:
    """"deploying the change to staging first" → "the change was not deployed to staging first"
    (`negate` False: "… was deployed to staging first")."""
    obj = next((c for c in gerund.children if c.dep_ == "dobj"), None)
    done = inflect(gerund.lemma_.lower(), "VBN")
    toks = sorted(gerund.subtree, key=lambda t: t.i)
    if obj is None or done is None or obj.i < gerund.i or toks[-1].i - toks[0].i + 1 != len(toks) or toks[0].i != gerund.i:
        return None
    if obj.lower_ in STATES or any(c.dep_ == "conj" for c in obj.children):
        return None  # "leaving the bucket public" read with "public" as the object; "the key and the cert"
    while toks[-1].is_punct:
        toks.pop()
    end = obj.i  # the noun phrase: its "of" phrase, not what the parse hung after it ("the endpoint enabled")
    for c in obj.rights:
        if c.dep_ != "prep" or c.lower_ != "of":
            break
        end = c.right_edge.i
    phrase = gerund.doc[obj.left_edge.i: end + 1].text
    rest = gerund.doc[end + 1: toks[-1].i + 1].text
    return " ".join(x for x in (phrase, was_for(obj), "not" if negate else "", done, rest) if x)
