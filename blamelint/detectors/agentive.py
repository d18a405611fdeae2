"""Agentive blame: a person or personal role as the agent of a failure, found with the parse.

"Priya forgot to renew the certificate" and "the on-call engineer ignored the alerts" are
flagged; "the health checks failed fast" and "Postgres refused connections" are not, because
their subjects are systems. Where the clause is simple, the fix rewrites it agentless
("The certificate was not renewed"). Word lists: rules/words/agentive.yaml.
"""

from __future__ import annotations

import re

from blamelint.analysis.grammar import (
    NoRewrite,
    agentless_clause,
    asked,
    auxiliaries,
    clause_span,
    clause_tokens,
    negated,
    negative_subject,
    orphans,
    particle,
    scorn_lead,
    starts_sentence,
    subject_of,
    what_they_did,
)
from blamelint.analysis.lexicon import Lexicon, seen_words
from blamelint.analysis.nlp import doc_text
from blamelint.analysis.state import kept
from blamelint.detectors import detector
from blamelint.detectors.agentive_acts import choice_as_act, credited, harmed, owner_of_choice
from blamelint.detectors.agentive_trigger import agentive_lexicon, capitalised, trigger
from blamelint.detectors.agentive_words import (
    ACCOUNT_WORDS,
    ACTION_VERBS,
    ADEQUACY_ADVERBS,
    BELIEF_MARKERS,
    BELIEF_VERBS,
    BETTER_PERSON,
    DECISION_VERBS,
    DILIGENCE_VERBS,
    END_USER_LAPSES,
    END_USERS,
    FAILURE_VERBS,
    HARM_VERBS,
    HARMED,
    HEAD_FAILURES,
    HUMAN_ONLY,
    HUMAN_ONLY_NEGATED,
    HYPOTHETICAL,
    IDIOMS,
    INDEFINITES,
    KNOWING,
    MARKER_ADVERBS,
    MISS_NEUTRAL,
    MISSING_SAFEGUARD_RE,
    PERCEIVED,
    PERSON_PRONOUNS,
    PROD_RE,
    REFUSAL_NOUNS,
    SAT_ON,
    SOFTWARE_NOUNS,
    SOFTWARE_ROLES,
    STATE_VERBS,
    UNLIKE,
    WE,
    WE_FAILURE_VERBS,
    WE_MARKER_ADVERBS,
    WITHOUT_OBJECTS,
    WORSE_OUTCOME_RE,
    role_noun,
)
from blamelint.detectors.names import people
from blamelint.findings import MARKUP_RE, Edit, Fix


def name_like(tok, analysis) -> bool:
    """Could this word be a person's name as an agent? Decided without the parse (the first pass
    uses it too): capitalised but not an acronym, no digits, not a known system, not a stop word
    unless a first name ("Will"), not an English word capitalised only because it starts a sentence."""
    text = tok.text
    if not text[:1].isupper() or text.isupper() or any(ch.isdigit() for ch in text):
        return False
    low = tok.lower_
    lex = agentive_lexicon(analysis)
    if low in lex.first_names:
        return True
    if low in lex.known_things or tok.is_stop:
        return False
    return not (starts_sentence(doc_text(tok.doc), tok.idx) and (lex.ordinary(low) or low in seen_words(analysis)))




def person_kind(tok, analysis) -> str | None:
    """'name', 'role', 'pronoun', 'we' or None (a system or something unknown)."""
    if tok is None:
        return None
    low = tok.lower_
    if low in WE:
        return "we"
    if low in PERSON_PRONOUNS or low == "one" and negative_subject(tok):  # "no one"
        return "pronoun"
    if low == "they":
        return "they"  # people or systems: only verbs software does not do count
    np = " ".join(t.lower_ for t in tok.subtree) if tok.i - tok.left_edge.i < 6 else low
    on_call = low in ("call", "oncall", "on-call") and ("on - call" in np or "on-call" in np or "oncall" in np)
    if role_noun(tok) or on_call and tok.pos_ in ("NOUN", "PROPN", "ADJ"):
        return "role"
    if on_call and tok.dep_ in ("nsubj", "nsubjpass"):
        return "role"  # "Nobody on-call noticed …": the tagger may read the whole token as an adverb
    if tok.tag_ == "NN" and low in END_USERS and not any(c.dep_ in ("compound", "amod", "nmod") and c.lower_ in ACCOUNT_WORDS
                                                          for c in tok.children) and tok.doc[tok.i - 1].text != "`":
        return "user"  # "the customer ignored the notice" (`_failure` takes only a lapse of choice); not
        # "the replication user", an account
    if tok.pos_ == "PROPN" or tok.ent_type_ == "PERSON":
        if not name_like(tok, analysis):
            return None
        if any(c.dep_ == "appos" and (c.lemma_.lower() in SOFTWARE_NOUNS or c.lemma_.lower() in SOFTWARE_ROLES and any(
                g.dep_ == "compound" or g.lower_ in ("automated", "automatic", "background", "virtual", "ai")
                for g in c.children)) for c in tok.children):
            return None  # "Marvin, our deploy bot, forgot …": the text says what it is
        if tok.ent_type_ in ("DATE", "TIME", "CARDINAL", "MONEY"):
            return None
        if any(c.dep_ == "compound" and c.lower_ in agentive_lexicon(analysis).known_things for c in tok.children):
            return None
        return "name"
    if tok.pos_ == "NOUN" and _name_is_person(tok, analysis):
        return "name"  # a name the tagger read as a common noun ("Ravi approved …"), found by the names detector
    return None


def _marker(verb) -> bool:
    """Does the clause say how the action went wrong (without review, by mistake, the wrong …)?"""
    clause = list(clause_tokens(verb))
    nested = set()
    for t in clause:
        if t is not verb and t.dep_ in ("relcl", "acl", "ccomp", "csubj", "pcomp") or (
                t.dep_ == "advcl" and any(c.dep_ == "mark" for c in t.children)):
            nested.update(x.i for x in t.subtree)
    clause = [t for t in clause if t.i not in nested]
    lowers = [t.lower_ if not (t.head.lower_ in INDEFINITES and t.head.i < t.i) else "" for t in clause]  # ("anything wrong")
    for c in verb.children:
        if c.dep_ == "advmod" and c.lower_ in MARKER_ADVERBS:
            return True
        if c.dep_ == "prep" and c.lower_ == "by":
            if any(t.lower_ in ("hand", "mistake", "accident") for t in c.children):
                return True
    for t in clause:
        if t.lower_ == "without":
            following = [x for x in t.subtree if x.i > t.i and not x.is_punct and x.pos_ != "DET"][:2]
            if any(x.lower_ in WITHOUT_OBJECTS or x.lemma_.lower() in WITHOUT_OBJECTS for x in following):
                return True
    text = " ".join(lowers)  # word by word: "the wrongful", "old.tar.gz" are no markers
    text = re.sub(r"(?:^| )back to the old(?= |$)", " ", text)  # "rolls the key back to the old one": a rollback
    if _words_in(r"(?:his|her|their) own|stale|outdated|out-of-date|wrong|incorrect|unreviewed|untested"
                 r"|unapproved|old", text):
        return True
    if verb.lemma_.lower() in ("approve", "review", "merge", "sign") and re.search(
            r"\bin (?:under |less than |about )?(?:a|one|two|three|four|five|\d+) (?:minute|minutes|seconds)\b", text):
        return True
    if re.search(r"\bbefore\b(?:\s+\S+){0,6}?\s+(?:review|reviewed|approval|approved|tests?|testing|tested|sign-off|"
                 r"checks?|checked|cleared|finished|completed)\b", text):
        return True
    if _words_in("the wrong|instead of|rather than|by mistake", text):
        return True
    if re.search(r"\b(?:despite|in spite of|against)(?: \S+){0,3}? (?:warnings?|objections?|advice|instructions?|the freeze|"
                 r"(?:a |the )?(?:red|failing|failed) (?:\S+ )?(?:pipeline|build|checks?|tests?)|(?:the )?policy|"
                 r"the runbook|(?:the )?(?:do not|do-not) \S+ label)\b", text) or re.search(
                 r"\bfor reasons (?:known only|(?:nobody|no one) (?:could|can) (?:explain|understand|reconstruct))\b",
                 verb.sent.text.lower()):
        return True  # "deployed despite the red pipeline", "against everyone's advice", "for reasons nobody can explain"
    span = " ".join(t.lower_ for t in verb.doc[clause[0].i: clause[-1].i + 1]) if clause else ""
    return bool(PROD_RE.search(span))


def _words_in(alternatives: str, text: str) -> bool:
    """Does one of the alternatives occur in text (words joined by single spaces) as whole words?"""
    return re.search(rf"(?:^| )(?:{alternatives})(?= |$)", text) is not None


def failure(verb, analysis):
    """(kind, agent token) when a person is the agent of a failure at this verb, else None."""
    found = _failure(verb, analysis)
    if found is None or person_kind(found[1], analysis) != "name":
        return found
    kind = found[0]
    if found[1].ent_type_ == "PERSON" and kind != "fail" and not kind.startswith("not-"):
        return found  # the model calls it a person and the verb has a blame marker or is human-only
    lemma = kind[4:] if kind.startswith("not-") else kind
    if kind.startswith("not-") and lemma in HUMAN_ONLY_NEGATED or lemma in HUMAN_ONLY or kind == "should-have":
        return found
    if _name_is_person(found[1], analysis):
        return found
    return None


def _name_is_person(tok, analysis) -> bool:
    """The names detector's verdict: is this proper name a person mentioned in the document?"""
    return any(m.unit.doc is tok.doc and m.a <= tok.idx < m.b for m in people(analysis))


def _imperative_object(tok) -> bool:
    """Is the token the object of an instruction ("Have people who …", "Ask engineers who …")?"""
    head = tok.head
    return tok.dep_ in ("dobj", "obj", "nsubj") and head.tag_ in ("VB", "VBP") and head.dep_ == "ROOT" and not any(
        c.dep_ in ("nsubj", "nsubjpass") and c.i != tok.i for c in head.children)


def agent_of(verb):
    """The verb's subject; for "could not be bothered to …", the passive subject."""
    agent = subject_of(verb)
    if agent is None and verb.lemma_.lower() == "bother":
        agent = next((c for c in verb.children if c.dep_ == "nsubjpass"), None)
    if agent is None and _had_object(verb):
        agent = verb.head  # "Had the engineer escalated …" parsed as "had [the engineer [escalated …]]"
    if agent is None:
        agent = owner_of_choice(verb)
    return agent


def _indefinite(tok) -> bool:
    """"another developer", "a second engineer", "anyone", "engineers": nobody in particular."""
    if tok.lower_ in INDEFINITE_PEOPLE:
        return True
    det = next((c for c in tok.children if c.dep_ in ("det", "poss")), None)
    if det is None:
        return tok.pos_ != "PROPN" and tok.tag_ == "NNS"
    return det.lower_ in ("a", "an", "another", "any", "no", "some", "every", "each")


def _had_object(verb) -> bool:
    """The small model's reading of an opening "Had X V-ed …" as "had" with X as its object and
    "V-ed" a participle on X: the counterfactual "If X had V-ed …"."""
    return verb.dep_ == "acl" and verb.tag_ == "VBN" and verb.head.dep_ == "dobj" and (
        verb.head.head.lower_ == "had" and verb.head.head.i < verb.head.i and _opens(verb.head.head))


def _failure(verb, analysis):
    lemma = verb.lemma_.lower()
    agent = agent_of(verb)
    kind = person_kind(agent, analysis)
    if kind is None:
        return None
    owner = owner_of_choice(verb)
    if owner is not None and owner.i == agent.i:
        # a person's refusal (or decision not to act) is a failure whatever it refuses; a decision only to
        # do what is one ("Kwame's decision to skip the dry run", not "Hamid's decision to freeze deploys");
        # not when the sentence credits it ("… kept the bad change out", "… was correct")
        refusal = verb.head.lemma_.lower() in REFUSAL_NOUNS
        refused = refusal != negated(verb)  # ("refusal not to …" undoes itself)
        if kind in ("name", "role", "pronoun") and (refused or lemma in FAILURE_VERBS and not refusal) and not credited(verb.head):
            return ("nominal", agent)
        return None
    if kind == "user":  # one of the people served: only a lapse of choice, never a symptom ("failed to log in")
        lapse = lemma in END_USER_LAPSES and not negated(verb) or lemma == "think" and negated(verb) or (
            lemma in ("forget", "neglect") and not negated(verb) and any(c.dep_ == "xcomp" for c in verb.children))
        if not lapse or _how_it_works(verb) or any(c.dep_ == "dobj" and c.lower_ in ("nothing", "none", "anything")
                                                  for c in verb.children):
            return None  # "When a user ignores the prompt, the client retries", "Did the customer skip …?"
        return (lemma if lemma != "think" else "not-think", agent)
    if negative_subject(agent) and MISSING_SAFEGUARD_RE.search(verb.sent.text):
        return None  # "no alert was configured, so nobody noticed": the missing safeguard is the cause
    if negative_subject(agent) and (lemma in KNOWING or verb.dep_ in ("xcomp", "ccomp") and verb.head.lemma_.lower() in KNOWING):
        return None  # "nobody else knew how to renew it": a knowledge gap, no culprit
    if verb.dep_ == "ROOT" and verb.tag_ == "VB" and any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children):
        return None  # "Nobody to use the token going forward": an instruction in the "X to V" form
    if negative_subject(agent) and lemma != "bother" and any(c.dep_ == "aux" and c.lower_ in ("could", "can", "ca")
                                                               for c in verb.children):
        return None  # "nobody could install the package for an hour": the impact, nobody failed
    if negative_subject(agent) and lemma in FAILURE_VERBS and lemma not in NOTICING and not negated(verb):
        return None  # "Nobody ignored the alert this time", "no one missed the page": everyone did it
    neg = negated(verb)
    if verb.dep_ == "relcl" and (neg or negative_subject(agent)) and agent.i != verb.head.i and \
            person_kind(verb.head, analysis) is None and (negative_subject(agent) or verb.tag_ in ("VBZ", "VBP") or any(
                c.dep_ == "aux" and c.lower_ in ("does", "do") for c in verb.children)):
        return None  # "a channel the mobile team does not follow", "an inbox that nobody monitors": the thing's
        # standing gap ("the change that the DBA never reviewed" is an event, and stays)
    if neg and any(c.dep_ == "dobj" and c.lower_ == "anything" and any(g.lower_ in ODD for g in c.subtree)
                   for c in verb.children):
        return None  # "looks through the logs but does not see anything wrong": a finding, no lapse
    if neg and _condition(verb):
        return None  # "had Priya not noticed the spike, …": what went right, replayed
    if neg and verb.dep_ == "xcomp" and verb.head.lemma_.lower() in DECISION_VERBS:
        return None  # "engineers agreed not to update the config" is a decision, not a lapse
    if kind == "we" and _decided(verb):
        return None  # "we coordinated to open the PR and approve it hastily": the team's decision, told
    bothered = lemma == "bother" and neg and any(c.dep_ == "xcomp" for c in verb.children)  # "could not be bothered to …"
    if any(c.dep_ == "aux" and c.lower_ in HYPOTHETICAL for c in verb.children) and not bothered:
        return None  # "you can bypass the cooldown" describes a capability ("could not be bothered" does not)
    if verb.dep_ == "relcl" and agent is not None and agent.i == verb.head.i and _imperative_object(agent):
        return None  # "Have people who have never run the steps practise them": who to involve, not who failed
    if neg and agent.dep_ == "pobj" and agent.head.dep_ == "agent" and _indefinite(agent):
        return None  # "the PR was not reviewed by another developer": nobody acted (but "… never read by the engineer who deployed")
    strong = kind in ("name", "role", "pronoun") or (
        kind == "we" and any(c.dep_ == "advmod" and c.lower_ in WE_MARKER_ADVERBS for c in verb.children)) or (
        kind == "we" and neg and any(c.dep_ == "advmod" and c.lower_ in ADEQUACY_ADVERBS for c in verb.children))
    if verb.dep_ == "xcomp" and verb.head.lemma_.lower() in HEAD_FAILURES:
        return None  # reported at the head verb ("forgot", "failed")
    if verb.tag_ in ("VBP", "VBZ") and any(c.dep_ in ("mark", "advmod") and c.lower_ in ("when", "whenever", "if", "once")
                                           for c in verb.children):
        return None  # "which we do when we fail to allocate a VM": a condition the system handles
    if lemma == "care" and any(c.dep_ == "xcomp" for c in verb.children) and agent.lower_ in ("anyone", "anybody"):
        return (lemma, agent)  # "… for anyone who cared to look": nobody looked, said with scorn
    if lemma in HEAD_FAILURES and any(c.dep_ == "xcomp" for c in verb.children):
        if lemma == "bother" and not (neg or negative_subject(agent)):
            return None
        if lemma != "bother" and neg:
            return None  # "did not fail to do her job", "did not forget to rotate it": it was done
        if lemma == "fail" and kind == "we":
            return ("fail", agent)
        return (lemma, agent) if strong or lemma in ("forget", "neglect", "bother") else None
    if lemma == "miss":
        obj = next((c for c in verb.children if c.dep_ == "dobj"), None)
        if obj is not None and obj.lemma_.lower() in MISS_NEUTRAL:
            return None
    if lemma in FAILURE_VERBS and not neg:
        return (lemma, agent) if strong or lemma in WE_FAILURE_VERBS else None
    if lemma in HARM_VERBS and not neg and kind != "we" and strong and not negative_subject(agent) and (
            verb.dep_ != "relcl") and harmed(verb, lemma):
        # (not in a relative clause: "the engineer that triggered the incident was quick to …" says who
        # is meant, and the sentence is about something else)
        return (lemma, agent)  # "the intern caused the outage", "the build was broken by the new hire"
    if lemma in BELIEF_VERBS and not neg and any(c.dep_ == "advmod" and c.lower_ in BELIEF_MARKERS for c in verb.children):
        return (lemma, agent)  # "we mistakenly thought the usage was safe"
    if _idiom(verb, lemma, neg):
        if lemma == "sit" and not _sat_on_work(verb):
            return None  # "sat on the sofa", "sit on the bridge call"
        return (lemma, agent) if strong or lemma in WE_FAILURE_VERBS else None  # ("we shrugged off the errors")
    if lemma == "stamp" and verb.i >= 2 and verb.nbor(-2).lower_ == "rubber":
        return (lemma, agent) if strong else None
    if lemma == "do" and any(c.dep_ == "dobj" and c.lower_ == "nothing" for c in verb.children):
        return (lemma, agent) if strong else None
    if lemma == "make" and any(c.dep_ == "dobj" and c.lemma_ in ("mistake", "error", "blunder") for c in verb.children):
        return (lemma, agent) if strong else None
    if neg and lemma in ("see", "find", "spot", "notice") and any(
            c.dep_ == "dobj" and c.lower_ in ("anything", "nothing") for c in verb.children):
        return None  # "looked through the logs but did not see anything wrong" reports a search
    if lemma == "think" and neg and agent.lower_ in ("i", "we") and verb.tag_ in ("VB", "VBP") and any(
            c.dep_ == "ccomp" and _hedged(c, analysis) for c in verb.children):
        return None  # "I don't think I received any alerts": a belief hedged, no lapse
    if neg and (lemma in DILIGENCE_VERBS or negative_subject(agent)):
        if lemma == "pay" and not any(c.lower_ == "attention" for c in verb.children):
            return None
        return ("not-" + lemma, agent) if strong else None
    if negative_subject(agent) and lemma in DILIGENCE_VERBS:
        if lemma == "use" and any(c.dep_ == "dobj" and c.pos_ == "PRON" for c in verb.children):
            return None  # "it seems nobody used it": no users, not a lapse
        return ("nobody", agent)
    if lemma in ACTION_VERBS and strong and not neg and _marker(verb):
        return (lemma, agent)  # (a manner says how an act was done: "didn't restart … without thinking" is not one)
    if lemma == "think" and neg and strong:
        return (lemma, agent)
    return None


def _sat_on_work(verb) -> bool:
    """"sat on the alert / it for an hour": the idiom needs a piece of work as what was sat on."""
    on = next((c for c in verb.children if c.lower_ == "on" and c.dep_ in ("prep", "prt")), None)
    obj = next((c for c in on.children if c.dep_ == "pobj"), None) if on is not None else None
    if obj is None and on is not None and on.dep_ == "prt":
        obj = next((c for c in verb.children if c.dep_ == "dobj"), None)
    return obj is not None and (obj.lower_ in ("it", "this", "that", "them") or obj.lemma_.lower() in SAT_ON)


def _modal_perfect(verb) -> bool:
    if verb.lemma_.lower() in ("need", "have") and negated(verb) and any(c.dep_ == "xcomp" for c in verb.children):
        return False  # "the engineer should not have needed to know X for the system to be safe": about the system
    aux = [c.lower_.replace("’", "'").replace("'ve", "have") for c in auxiliaries(verb)]
    if verb.dep_ == "xcomp" and verb.head.lower_ == "ought":
        return "have" in aux
    return "have" in aux and any(m in aux for m in ("should", "ought", "must"))


COUNTERFACTUAL_RE = re.compile(r"\b(?:would|could|might)\b|\b(?:wouldn|couldn)[’']t\b|[’']d\s+(?:have|be)\b"
                               r"|\b(?:avoidable|preventable)\b|\b(?:none\s+of\s+(?:this|it)|this\s+never)\s+happens\b", re.I)
PERFECT_RE = re.compile(r"\b(?:would|could|might)(?:n[’']t|\s+not|\s+never)?(?:\s+(?:have|be)\b|\s*['’]ve\b)|[’']d\s+(?:have|be)\b"
                        r"|,[^,;]*\b(?:would|could|might|wouldn|couldn)\b"  # "Had X read it, he would know …"
                        r"|\b(?:avoidable|preventable)\b|\b(?:none\s+of\s+(?:this|it)|this\s+never)\s+happens\b", re.I)
RULED_OUT_RE = re.compile(
    r"\b(?:would|could|might)(?:n[’']t|\s+not)\s+have\s+(?:helped|mattered|made\s+(?:a|any|much|the\s+slightest)\s+"
    r"difference|changed\s+(?:anything|much|the\s+outcome))|\beven\s+if\b|\beven\s+had\b", re.I)


NOTICING = {"know", "see", "spot", "notice", "catch", "recognise", "recognize", "realise", "realize", "detect",
            "understand", "predict", "foresee", "anticipate", "identify", "question", "flag", "sense", "suspect"}


def _reasonable_person(verb, analysis) -> bool:
    """"Any competent SRE would have recognised the warnings", "A careful reviewer could have
    spotted it": the person who failed, measured against an imagined better one."""
    aux = {c.lower_.replace("’", "'") for c in verb.children if c.dep_ == "aux"}
    if not (aux & {"would", "could", "'d"} and aux & {"have", "'ve"}) or negated(verb):
        return False
    if "could" in aux and verb.lemma_.lower() not in NOTICING:
        return False  # "any engineer could have restarted it" states a capability
    agent = subject_of(verb)
    if person_kind(agent, analysis) != "role":
        return False
    det = next((c.lower_ for c in agent.children if c.dep_ == "det"), None)
    return det in ("any", "every") or det in ("a", "an") and any(
        c.dep_ == "amod" and c.lower_ in BETTER_PERSON for c in agent.children)  # not "a second reviewer": a safeguard


def _condition(verb) -> bool:
    """Is the verb a past action replayed in a counterfactual condition ("If the reviewer had read the
    diff, …", "Had Omar checked the expiry, …") whose consequence is a "would/could/might" clause?"""
    had = _had(verb)
    if had is None or verb.tag_ not in ("VBN", "VBD", "VB") and not (
            verb.tag_ == "VBG" and any(c.dep_ == "aux" and c.lower_ == "been" for c in verb.children)):
        return False  # ("if Leilani had been watching the dashboard" counts)
    subject = agent_of(verb)
    inverted = subject is not None and had.i < subject.i and (_opens(had) or had.i > verb.sent.start and (
        verb.doc[had.i - 1].text == "," or verb.doc[had.i - 1].lower_ in ("avoidable", "preventable"))) and not (
        verb.sent.text.rstrip().endswith("?"))  # "…, had the DBA checked", "avoidable had the DBA checked"
    marked = any(c.dep_ == "mark" and c.lower_ == "if" for c in verb.children)
    if inverted and not marked and not PERFECT_RE.search(verb.sent.text):
        return False  # "11:31 — Had Ximena paged so she could approve": "had" as "arranged for"
    return (inverted or marked) and bool(COUNTERFACTUAL_RE.search(verb.sent.text))


def _had(verb):
    """The "had" of a counterfactual condition: the verb's auxiliary, or the head the small model
    sometimes makes of an opening "Had" ("Had a responder not noticed …": "noticed" its ccomp)."""
    had = next((c for c in verb.children if c.dep_ == "aux" and c.lower_ == "had"), None)
    if had is None and verb.dep_ == "ccomp" and verb.head.lower_ == "had" and verb.head.i < verb.i and _opens(verb.head):
        had = verb.head
    if had is None and _had_object(verb):
        had = verb.head.head
    return had


def _opens(tok) -> bool:
    """Does the token open its sentence, a timeline entry's time aside ("08:20 — Had Olga …")?"""
    return all(t.is_space or t.is_punct or t.like_num or t.lower_ in TIME_WORDS or ":" in t.text
               for t in tok.doc[tok.sent.start: tok.i])


TIME_WORDS = {"utc", "gmt", "am", "pm", "a.m.", "p.m.", "cet", "cest", "bst", "pst", "pdt", "est", "edt"}


def _counterfactual(verb) -> bool:
    """A person's lapse replayed: a counterfactual condition, not negated ("had Priya not noticed the
    spike" replays what went right), not "had" of possession ("if the team had had a runbook": a
    missing safeguard), its alternative not ruled out ("… it would not have helped", "even if …")."""
    if not _condition(verb) or verb.lemma_.lower() == "have" or verb.lemma_.lower() == "be" and not any(
            c.dep_ == "acomp" and c.lower_ in BETTER_PERSON for c in verb.children):
        return False  # (but "if the operator had been more careful, …": a better person imagined)
    had = _had(verb)
    if (any(t.lower_ in ("not", "n't", "never") for t in verb.doc[had.i:verb.i]) or negated(verb)) and (
            verb.lemma_.lower() not in FAILURE_VERBS) and not _spared(verb):
        return False  # but "had Jae-won not skipped the backup step": the lapse replayed
    text = verb.sent.text
    return not RULED_OUT_RE.search(text) and not (WORSE_OUTCOME_RE.search(text) and not SPARED_SOME_RE.search(text))


SPARED_SOME_RE = re.compile(r"\b(?:nothing|none|nobody|no\s+one|fewer|less)\b", re.I)  # "we would have lost nothing"
SPARED_RE = re.compile(r"\b(?:(?:been|stayed|remained)\s+(?:fine|ok|okay|up|healthy|unaffected|intact)|stayed\s+up|survived"
                       r"|(?:been\s+)?(?:avoided|prevented)|(?:not|never)\s+(?:have\s+)?(?:happened|occurred|failed|broken))\b", re.I)
WORSE_RE = re.compile(r"\b(?:worse|longer|spread|lost|losing|missed|gone\s+unnoticed|much\s+more|far\s+more|bigger|larger)\b",
                      re.I)


def _spared(verb) -> bool:
    """Does the consequence of a negated condition say the harm would have been spared ("had we not
    re-run the upgrades, the database would have stayed up": the team's act replayed), rather than
    that it would have been worse ("had Priya not noticed the spike, the outage would have spread")?"""
    main = verb.head if verb.head.i != verb.i else None
    if main is None:
        return False
    condition = {x.i for x in verb.subtree}
    toks = [t for t in main.subtree if t.i not in condition]
    text = " ".join(t.text for t in sorted(toks, key=lambda t: t.i))
    return bool(SPARED_RE.search(text)) and not WORSE_RE.search(text)


# ---------------------------------------------------------------- the detector


@detector("agentive_blame", needs=("tagger", "parser", "ner"), trigger=trigger, uses=("named_individual",))
def agentive_blame(rule, analysis):
    seen = seen_words(analysis)
    people_at = None
    lex = None
    for unit in analysis.units:
        doc = unit.doc
        if lex is None:
            lex = agentive_lexicon(analysis)
        verbs = _candidate_verbs(doc, lex)
        if not verbs:
            continue
        if people_at is None:
            people_at = _people_spans(analysis)
        # what the unit's findings read from the rest of the document: which of its capitalised
        # words are used in lower case elsewhere (`name_like`), and which of its names the names
        # detector calls people (`_name_is_person`); the lexicon stands for the rule set's words
        context = (frozenset(t.lower_ for t in capitalised(doc)) & seen, people_at.get(doc, frozenset()))
        yield from analysis.memo(("agentive", rule.id, lex, context), unit,
                                 lambda unit=unit, verbs=verbs: _unit_findings(rule, analysis, unit, verbs))


def _people_spans(analysis) -> dict:
    """The names detector's people: Doc → their prose spans."""
    out: dict = {}
    for m in people(analysis):
        out.setdefault(m.unit.doc, set()).add((m.a, m.b))
    return {k: frozenset(v) for k, v in out.items()}


def _unit_findings(rule, analysis, unit, verbs):
    if rule.category == "hindsight":
        yield from _named_counterfactuals(rule, analysis, unit, verbs)
        return
    for verb in verbs:
        found = failure(verb, analysis)
        if found and verb.sent.text.rstrip().endswith("?") and found[1].lower_ in (
                "anyone", "anybody", "nobody", "someone", "somebody", "we", "you"):
            continue  # "why didn't anyone notice?" belongs to the hindsight rules
        if found is None and _modal_perfect(verb):
            agent = subject_of(verb if verb.dep_ != "xcomp" else verb.head)
            if person_kind(agent, analysis) in ("name", "role") or (agent is not None and agent.lower_ in ("he", "she")):
                found = ("should-have", agent)  # ("someone should have …" is hindsight only: corpus/README.md)
        if found is None and _reasonable_person(verb, analysis):
            found = ("should-have", subject_of(verb))
        if found is None and _counterfactual(verb):
            agent = agent_of(verb)
            if person_kind(agent, analysis) in ("name", "role") or (agent is not None and agent.lower_ in ("he", "she")):
                found = ("counterfactual", agent)  # "Had the DBA read the changelog, …": a person who should have acted
        if found is None:
            continue
        kind, agent = found
        if negative_subject(agent) and "mitigators" in unit.section_kinds and verb.lemma_.lower() in NOTICING:
            continue  # "Where we got lucky: … so nobody noticed": the impact went unseen, nobody failed
        if kind not in ("should-have", "counterfactual") and _justified(verb, analysis):
            continue  # "Tariq skipped the load test because staging was down": the action with its reasons
        if unit.block.kind == "heading" and person_kind(agent, analysis) == "name" and agent.ent_type_ != "PERSON":
            continue  # Title Case headings make every word look like a name
        a, b = clause_span(verb, agent)
        confidence = 0.9 if person_kind(agent, analysis) in ("role", "pronoun") else 0.8
        fixes = rewrite(verb, agent, kind, unit, analysis, rule)
        yield analysis.finding(rule, unit, a, b, fixes=fixes, confidence=confidence)


def _hedged(clause, analysis) -> bool:
    """Is the clause what a writer's "I don't think …" hedges (a fact about things, "I received any
    alerts"), rather than an accusation of another person ("the reviewer read the diff")?"""
    subject = next((g for g in clause.children if g.dep_ in ("nsubj", "nsubjpass")), None)
    if subject is None or any(g.dep_ in ("mark", "advmod") and g.lower_ in ("before", "after", "when", "while", "until")
                              for g in clause.children):
        return False
    kind = person_kind(subject, analysis)
    return (kind is None or subject.lower_ in ("i", "we")) and clause.lemma_.lower() not in FAILURE_VERBS


def _idiom(verb, lemma: str, neg: bool) -> bool:
    """Is the verb one of the blaming idioms ("dropped the ball", "shrugged off")? A particle idiom
    negated is none ("never brushed off a report"); "did not do their homework" is one."""
    prt = particle(verb)
    pair = next((c for c in verb.children if (lemma, c.lower_) in IDIOMS and _close(verb, c)), None)
    if (lemma, prt or "") not in IDIOMS and pair is None:
        return False
    return not (neg and (prt or pair.dep_ in ("prt", "prep", "advmod")))


def _close(verb, word) -> bool:
    """Is the idiom's second word right after the verb, or after a pronoun ("shrugged it off"),
    not after a noun phrase ("brushed the dust off the server")?"""
    doc = verb.doc
    if word.dep_ not in ("prt", "prep", "advmod"):
        return True  # an idiom's noun ("made a mess of", "dropped the ball")
    return word.i == verb.i + 1 or word.i == verb.i + 2 and doc[verb.i + 1].pos_ == "PRON" or word.i < verb.i


def _decided(verb) -> bool:
    """Is the verb what a decision verb says was chosen ("decided to X", "coordinated to X and Y")?"""
    while verb.dep_ == "conj" and verb.tag_ in ("VB", "VBP") and verb.head.pos_ in ("VERB", "AUX"):
        verb = verb.head  # ("decided to skip the canary and then ignored …": a clause of its own)
    return verb.dep_ == "xcomp" and verb.head.lemma_.lower() in DECISION_VERBS


INDEFINITE_PEOPLE = {"anyone", "anybody", "someone", "somebody", "everyone", "everybody", "nobody", "people"}
ODD = {"wrong", "unusual", "odd", "suspicious", "abnormal", "amiss", "strange", "unexpected", "off", "anomalous"}
ALLOWING = {"allow", "permit", "recommend", "require", "let", "prescribe", "suggest", "expect", "say", "mark", "instruct",
            "specify", "direct"}
STATES = ALLOWING | STATE_VERBS
DUE_DILIGENCE = {"confirm", "check", "verify", "validate", "ensure"}


def _justified(verb, analysis) -> bool:
    """Does the clause give the reason the action made sense then, in the system rather than the
    person: "because staging was down", "since the tool prints no summary", "as the emergency policy
    allows", "which the runbook recommends", "after confirming that no process holds it"? (The
    guide's blameless form; "because he was in a hurry" is no such reason.)"""
    head = verb.head if verb.dep_ == "xcomp" else verb  # "decides to skip … because …"
    other = {t.i for c in head.children if c.dep_ == "conj" and c.pos_ in ("VERB", "AUX") and any(
        g.dep_ in ("nsubj", "nsubjpass", "expl") for g in c.children) for t in c.subtree}  # (a clause with its own subject)
    for c in head.subtree:  # ("noticed the backup was empty because …": the reason hangs lower; not in a
        if c.i not in other:  # clause of its own: "X skipped the backup, and the restore failed because …")
            mark = next((m for m in c.children if m.dep_ == "mark"), None)
            if c.dep_ == "advcl" and mark is not None and mark.lower_ in ("because", "since", "as"):
                subject = next((x for x in c.children if x.dep_ in ("nsubj", "nsubjpass", "expl")), None)
                if subject is not None and person_kind(subject, analysis) not in (None, "they") or subject is None and any(
                        person_kind(x, analysis) not in (None, "they") for x in c.subtree if x.dep_ in ("nsubj", "compound")):
                    continue  # "because he was in a hurry", "because we …": the person's own reason
                if mark.lower_ == "as" and not _state_as(c, subject, analysis):
                    continue  # "as usual", "as it turned out", "as the change looked trivial"
                return True
            if c.lower_ == "based" and c.i + 1 < len(c.doc) and c.doc[c.i + 1].lower_ == "on":
                return True  # "chose to fail over based on the health signals available at 11:40"
            if c.dep_ == "prep" and c.lower_ == "after" and any(
                    g.dep_ == "pcomp" and g.lemma_.lower() in DUE_DILIGENCE for g in c.children):
                return True  # "after confirming that no process holds it"
    if _condition_after(verb, analysis):
        return True
    for t in verb.subtree:  # "…, which the pipeline allows for branches tagged hotfix"
        if t.dep_ == "relcl" and t.lemma_.lower() in ALLOWING and any(
                c.dep_ == "dobj" and c.lower_ == "which" for c in t.children) and not any(
                c.dep_ == "nsubj" and person_kind(c, analysis) not in (None, "they") for c in t.children):
            return True
    return False


def _state_as(clause, subject, analysis) -> bool:
    """Is an "as" clause a thing's state or rule the action followed ("as the policy allows", "as the
    runbook instructs", "as the service was down"), not a person's view ("as the change looked
    trivial") or what followed ("as customers lost data")?"""
    lemma = clause.lemma_.lower()
    if lemma in ALLOWING:
        return True
    if subject is None or subject.lower_ in ("it", "this", "that") or lemma in PERCEIVED \
            or person_kind(subject, analysis) is not None:
        return False
    # ("was down" is the state the action met; "down" elsewhere, or any other word of harm, the damage)
    return not any(t.lower_ in HARMED and not (t.lower_ == "down" and lemma == "be") for t in clause.subtree)


def _condition_after(verb, analysis) -> bool:
    """"Lars deploys directly to main; CI for that branch is still running", "Esther did not roll back
    straight away: the last known-good version was incompatible": the action, then (after ";" or ":")
    the state of the system it met. Not a consequence ("; the outage lasted two hours") nor a person."""
    sent = verb.sent
    stop = next((t for t in sent if t.i > verb.i and t.text in (";", ":") and t.i + 1 < sent.end), None)
    if stop is None:
        return False
    rest = [t for t in sent if t.i > stop.i]
    head = next((t for t in rest if t.head.i <= stop.i or t.head.i == t.i), None)
    if head is None or head.pos_ not in ("VERB", "AUX"):
        return False
    subject = next((c for c in head.children if c.dep_ in ("nsubj", "nsubjpass", "expl")), None)
    if subject is None or person_kind(subject, analysis) not in (None, "they") or subject.lower_ in ("it", "this", "that"):
        return False
    if any(t.lower_ in HARMED for t in rest):
        return False  # "; the site was down for two hours": what followed, not why
    lemma = head.lemma_.lower()
    perfect = any(c.dep_ == "aux" and c.lower_ == "had" for c in head.children) and lemma not in ("be", "go", "fall")
    still = any(c.lower_ in ("still", "itself", "already", "only") for c in head.children) and (
        head.tag_ in ("VBZ", "VBP") or any(c.dep_ == "aux" and c.tag_ in ("VBZ", "VBP") for c in head.children))
    unlike = lemma == "be" and any(c.dep_ == "acomp" and c.lower_ in UNLIKE for c in head.children)
    return lemma in STATES or perfect or still or unlike


def _named_counterfactuals(rule, analysis, unit, verbs):
    """A hindsight rule run by this detector: a person's action replayed as a counterfactual, read
    from the parse ("Had Omar checked the expiry date, …", "… would have been smaller if the incident
    commander had called the rollback earlier", "avoidable had the DBA checked …"); a name only when
    it is a person's, not software named like one ("If Kafka had rebalanced faster")."""
    for verb in verbs:
        agent = agent_of(verb)
        kind = person_kind(agent, analysis) if _counterfactual(verb) else None
        if kind in (None, "they", "user") or any(c.lower_ == "else" for c in agent.children):
            continue  # "if someone else had taken the domain": a third party, what could have been worse;
            # "if a user had switched to the beta branch, …": a scenario the people served met
        if kind == "name" and agent.ent_type_ != "PERSON" and agent.lower_ not in agentive_lexicon(analysis).first_names \
                and not _name_is_person(agent, analysis):
            continue  # "If Kafka had rebalanced faster, …": software named like a person
        a, b = clause_span(verb, agent)
        yield analysis.finding(rule, unit, a, b, confidence=0.7)  # the rule's suggestion as its fix


def _candidate_verbs(doc, lex: Lexicon) -> list:
    """The verbs whose subject could be a person (kept on the Doc, which is cached per text):
    a superset of what `person_kind` accepts that reads nothing outside the paragraph but the
    lexicon."""
    found = kept(doc, ("agentive", "candidate verbs", lex), lambda: [
        v.i for v in doc
        if (v.pos_ in ("VERB", "AUX") or v.tag_ in ("VBD", "VBZ", "VBP", "VBN", "VBG")) and (
            _maybe_person(agent_of(v), lex)
            or (_modal_perfect(v) and _maybe_person(subject_of(v if v.dep_ != "xcomp" else v.head), lex)))])
    return [doc[i] for i in found]


def _maybe_person(tok, lex: Lexicon) -> bool:
    if tok is None:
        return False
    low = tok.lower_
    if low in WE or low in PERSON_PRONOUNS or low in ("they", "call", "oncall", "on-call") or (
            low == "one" and negative_subject(tok)):
        return True
    if role_noun(tok):
        return True
    if tok.tag_ == "NN" and low in END_USERS:
        return True
    text = tok.text  # name_like without the document-wide part
    if not text[:1].isupper() or text.isupper() or any(ch.isdigit() for ch in text):
        return False
    return low in lex.first_names or not (low in lex.known_things or tok.is_stop)


# ---------------------------------------------------------------- rewriting


def rewrite(verb, agent, kind, unit, analysis, rule) -> list[Fix]:
    """An agentless rewrite of the clause when its shape is simple; else a suggestion only."""
    hint = Fix(title="Rewrite with the system or process as the subject, or describe the event without an agent")
    if kind == "counterfactual" or kind in HARM_VERBS:
        return [hint]  # the sentence rewrite states the condition as the fact ("The logs were not checked."),
        # or asks for the change that caused the harm ("[Which change] caused the outage")
    if kind == "care":
        return _without_scorn(verb, agent, unit) or [hint]
    if kind == "nominal":
        return choice_as_act(verb, unit, analysis) or [hint]
    try:
        text = _not_given_priority(verb, agent) if kind == "not-care" else agentless_clause(verb, agent, kind)
    except NoRewrite:
        return [hint]
    a, b = clause_span(verb, agent)
    if agent.head.idx < a or agent.head.idx >= b or orphans(verb):
        return [hint]  # the agent is the subject of another verb ("Ravi, not reading the runbook, restarts …")
    scorn = scorn_lead(verb, agent)
    if scorn is not None:
        a = scorn.idx  # "Without thinking, Tomasz deleted X" → "X was deleted"
    text += what_they_did(agent, b)  # "the engineer who launched the backfill" → "… when the backfill was launched"
    start, end = unit.block.source_span(a, b)
    verbatim = end - start == b - a and analysis.document.source[start:end] == unit.block.text[a:b]
    if not verbatim and MARKUP_RE.search(analysis.document.source[start:end]):
        return [hint]  # code, emphasis or a link inside: the prose text would replace it
    question = asked(verb, agent, text)
    if question is None:
        return [hint]
    edits = []
    if question:  # "Why did the operator forget to renew X?" → "Why was X not renewed?"
        (qa, qb, be, _), text = question
        edits.append(Edit(*unit.block.source_span(qa, qb), be))
        shown = be + unit.block.text[qb:a] + text
    else:
        if agent.left_edge.i == verb.sent.start or scorn is not None and scorn.i == verb.sent.start:
            text = text[0].upper() + text[1:]
        shown = text
    edits.append(Edit(start, end, text))
    # a changed grammatical subject is never safe (ruff's rule): --fix --unsafe-fixes or the editor
    return [Fix(title=f"Rewrite as “{shown}”", edits=edits, safe=False), hint]


def _without_scorn(verb, agent, unit) -> list[Fix] | None:
    """"… in the console for anyone who cared to look" → "… in the console": the scornful aside
    deleted, with the comma or space before it."""
    node = verb if verb.dep_ == "advcl" else agent.head if agent.dep_ == "pobj" and verb.dep_ == "relcl" else None
    if node is None:
        return None
    doc, text = verb.doc, unit.block.text
    a, b = node.left_edge.idx, node.right_edge.idx + len(node.right_edge)
    if a == doc[verb.sent.start].idx or b < len(text) and text[b:b + 1] not in ".;!?":
        return None  # only an aside at the end of the sentence
    while a > 0 and text[a - 1] in " ,":
        a -= 1
    start, end = unit.block.source_span(a, b)
    return [Fix(title="Delete the aside", edits=[Edit(start, end, "")], safe=False)]


def _not_given_priority(verb, agent) -> str:
    """"The database team doesn't care about oplog sizing" → "oplog sizing is not given priority":
    what was neglected, without a verdict on who (NoRewrite for another shape)."""
    about = next((c for c in verb.children if c.dep_ == "prep" and c.lower_ == "about"), None)
    what = next((c for c in about.children if c.dep_ in ("pobj", "pcomp")), None) if about is not None else None
    if what is None:
        raise NoRewrite
    toks = sorted(what.subtree, key=lambda t: t.i)
    if toks[-1].i - toks[0].i + 1 != len(toks) or toks[-1].idx + len(toks[-1]) != clause_span(verb, agent)[1]:
        raise NoRewrite  # broken up, or more after what was cared about
    present = verb.tag_ in ("VBZ", "VBP") or any(c.lower_ in ("does", "do") for c in verb.children)
    plural = what.tag_ in ("NNS", "NNPS")
    was = ("are" if plural else "is") if present else ("were" if plural else "was")
    return f"{verb.doc[toks[0].i: toks[-1].i + 1].text} {was} not given priority"


def _how_it_works(verb) -> bool:
    """A present-tense, conditional or questioned act: what the product lets its users do ("When a
    user ignores the prompt, …", "If the customer forgot to rotate the key, …", "Did the user …?")."""
    head = verb.head if verb.dep_ == "xcomp" else verb
    # (a singular user's present is "ignores"; "misread" tagged VBP is a past, "has ignored" a perfect)
    if head.tag_ == "VBZ" or any(c.dep_ == "aux" and (c.lower_ in HYPOTHETICAL or c.tag_ in ("VBZ", "VBP") and c.lemma_ != "have")
                                 for c in head.children):
        return True
    if any(c.dep_ == "mark" and c.lower_ in ("if", "when", "whenever", "unless") for c in head.children):
        return True
    return verb.sent.text.rstrip().endswith("?")
