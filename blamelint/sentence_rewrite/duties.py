"""A person's duty said to be undone ("The contractor didn't do their homework before touching
production", "The release coordinator failed to do her job") or a consequence not thought about
("The engineer who wrote the retry logic didn't think about what would happen under load"),
restated as what was not done or considered, with slots where the sentence does not say what
(a sentence strategy of the blame category)."""

from __future__ import annotations

from blamelint.analysis.grammar import inflect, negated
from blamelint.sentence_rewrite.base import left, person

DUTY_NOUNS = {"homework", "job", "diligence", "checks", "due"}  # "do their homework", "do her job"


def _described(agent) -> bool:
    """Does the subject say more than who ("the engineer who wrote the retry logic")? Those words
    would be lost."""
    return any(c.dep_ in ("relcl", "acl", "prep", "appos") for c in agent.children)


def _clause_end(sent):
    words = [t for t in sent if not t.is_punct and not t.is_space]
    return words[-1] if words else None


def undone_duty(unit, doc, sent, a, b):
    """"X didn't do their homework (before Y)" / "X failed to do her job" → "[Which check] was not
    done (before Y)"; only where the subject opens the sentence and nothing else follows."""
    for verb in sent:
        if verb.lemma_.lower() != "do" or not (a <= verb.idx < b + 1):
            continue
        obj = next((c for c in verb.children if c.dep_ == "dobj" and c.lower_ in DUTY_NOUNS), None)
        if obj is None or not any(c.dep_ == "poss" for c in obj.children):
            continue
        head = verb.head if verb.dep_ == "xcomp" and verb.head.lemma_.lower() == "fail" else verb
        if not (negated(verb) or head is not verb) or head.dep_ != "ROOT" or head is not verb and negated(head):
            continue  # ("did not fail to do her job": done)
        agent = next((c for c in head.children if c.dep_ == "nsubj"), None)
        if not person(agent) or _described(agent) or left(agent).i != sent.start and not all(
                t.is_punct or t.is_space or t.like_num or ":" in t.text for t in doc[sent.start: left(agent).i]):
            continue
        last = _clause_end(sent)
        rest = [t for t in doc[obj.i + 1: last.i + 1]]
        if any(t.dep_ in ("conj", "cc") and t.head.i == head.i for t in rest):
            continue  # "… and restarted the cluster": more than the duty
        tail = doc.text[rest[0].idx: last.idx + len(last)] if rest else ""
        new = "[which check] was not done" + ((" " if tail[:1].isalnum() else "") + tail if tail else "")
        start = left(agent)
        new = new[0].upper() + new[1:]
        return [(start.idx, last.idx + len(last), new, False)]
    return None


def not_considered(unit, doc, sent, a, b):
    """"X didn't think about what would happen under load" → "What would happen under load was not
    considered": the consequence as what nobody weighed, the person left out."""
    for verb in sent:
        # "didn't think about X", "forgot to think about X"
        head = verb.head if verb.dep_ == "xcomp" and verb.head.lemma_.lower() in ("forget", "neglect", "fail", "omit") \
            and not negated(verb.head) else verb
        if verb.lemma_.lower() != "think" or not (negated(verb) or head is not verb) or not (a <= head.idx < b + 1) \
                or head.dep_ != "ROOT":
            continue
        about = next((c for c in verb.children if c.dep_ == "prep" and c.lower_ == "about" and c.i > verb.i), None)
        agent = next((c for c in head.children if c.dep_ == "nsubj"), None)
        if about is None or not person(agent) or _described(agent) or left(agent).i != sent.start:
            continue
        last = _clause_end(sent)
        what = [t for t in about.subtree if t.i != about.i]
        if not what or max(t.i for t in what) != last.i or any(
                c.dep_ in ("conj", "advcl") and c.i > verb.i for x in {head, verb} for c in x.children):
            continue
        if any(c.dep_ in ("advmod", "npadvmod") for x in {head, verb} for c in x.children) \
                or "," in doc.text[what[0].idx: last.idx]:
            continue  # "probably", "twice", "much"; ", which had never been tested": words the restatement would lose
        text = doc.text[what[0].idx: last.idx + len(last)]
        core = next(t for t in what if t.head.i == about.i)  # the object of "about"
        plural = core.tag_ in ("NNS", "NNPS") or core.lower_ in ("them", "they", "these", "those") or any(
            c.dep_ == "conj" for c in core.children)
        if core.lower_ in ("them", "it", "this", "that"):
            continue  # a pronoun would open the new sentence with no referent of its own
        if not text[1:2].isupper():
            text = text[0].upper() + text[1:]  # ("iOS clients" keeps its case)
        new = text + (" were" if plural else " was") + " not considered"
        return [(left(agent).idx, last.idx + len(last), new, False)]
    return None


JUDGMENT_NOUNS = {"assumption", "guess", "estimate", "call", "judgement", "judgment", "decision", "choice", "interpretation"}


def made_judgment(unit, doc, sent, a, b):
    """"I made an incorrect assumption about the region of the bucket" → "An incorrect assumption
    was made about the region of the bucket": the act without the person, every other word kept."""
    for verb in sent:
        if verb.lemma_.lower() != "make" or verb.dep_ != "ROOT" or not (a <= verb.idx < b + 1) or negated(verb):
            continue
        obj = next((c for c in verb.children if c.dep_ == "dobj" and c.lemma_.lower() in JUDGMENT_NOUNS), None)
        agent = next((c for c in verb.children if c.dep_ == "nsubj"), None)
        if obj is None or not person(agent) or _described(agent) or left(agent).i != sent.start:
            continue
        if any(c.dep_ not in ("nsubj", "dobj", "punct", "aux") or c.tag_ == "MD" for c in verb.children):
            continue  # an adverb, a clause or a modal ("must have made") the restatement would have to place
        det = next((c for c in obj.children if c.dep_ == "det"), None)
        if det is None or det.lower_ not in ("a", "an") or det.i != obj.left_edge.i:
            continue
        last = _clause_end(sent)
        pre = doc[obj.left_edge.i: obj.i + 1].text  # "an incorrect assumption"
        post = doc.text[doc[obj.i + 1].idx: last.idx + len(last)] if obj.i < last.i else ""
        if obj.right_edge.i != last.i:
            continue
        aux = next((c for c in verb.children if c.dep_ == "aux"), None)
        was = "had been" if aux is not None and aux.lower_ == "had" else "has been" if aux is not None and aux.lower_ in (
            "has", "have") else "was"
        new = f"{pre} {was} made" + (f" {post}" if post else "")
        return [(left(agent).idx, last.idx + len(last), new[0].upper() + new[1:], False)]
    return None


POSSESSIVES = {"his", "her", "their", "my", "our", "your"}


def failure_to(unit, doc, sent, a, b):
    """"The DBA's failure to check the replica lag caused the data loss" → "Not checking the
    replica lag caused the data loss": the person's failure as the act not done, every other
    word kept ("due to her failure to escalate" → "due to not escalating")."""
    for noun in sent:
        if noun.lemma_.lower() != "failure" or noun.pos_ != "NOUN" or not (a <= noun.idx < b + 1):
            continue
        owner = next((c for c in noun.children if c.dep_ == "poss"), None)
        if owner is None or not (person(owner) or owner.lower_ in POSSESSIVES):
            continue
        verb = next((c for c in noun.children if c.dep_ in ("acl", "relcl", "xcomp") and c.tag_ == "VB"
                     and c.i == noun.i + 2 and doc[noun.i + 1].lower_ == "to"), None)
        if verb is None or negated(verb) or any(c.dep_ == "conj" for c in verb.children):
            continue  # ("failure to check or escalate": a second verb the gerund would strand)
        start = owner.left_edge
        if any(t.i not in {x.i for x in owner.subtree} for t in doc[start.i: noun.i]):
            continue  # a word between the owner and "failure" ("repeated") would be lost
        gerund = inflect(verb.lemma_.lower(), "VBG")
        if not gerund:
            continue
        new = "not " + gerund
        if start.i == sent.start or all(not t.is_alpha for t in doc[sent.start: start.i]):
            new = new[0].upper() + new[1:]
        return [(start.idx, verb.idx + len(verb), new, False)]
    return None
