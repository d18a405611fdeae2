"""A person's duty said to be undone ("The contractor didn't do their homework before touching
production", "The release coordinator failed to do her job") or a consequence not thought about
("The engineer who wrote the retry logic didn't think about what would happen under load"),
restated as what was not done or considered, with slots where the sentence does not say what
(a sentence strategy of the blame category)."""

from __future__ import annotations

from blamelint.analysis.grammar import NoRewrite, agentless_clause, inflect, lemma, negated, negative_subject
from blamelint.sentence_rewrite.base import CHANGE_FAULTS, left, person

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


MISTAKE_PLACES = {"in": "in", "with": "to", "to": "to", "on": "to", "during": "during"}  # "a mistake with X" → "[Which change] to X"


def made_mistake(unit, doc, sent, a, b):
    """"An engineer made a mistake in the refactoring" → "[Which change] in the refactoring had an
    unintended effect"; "X made a big mistake by putting the key in the test config" → "The key was
    put in the test config": the verdict replaced by the change, or by what was done."""
    for verb in sent:
        if verb.lemma_.lower() != "make" or verb.dep_ != "ROOT" or not (a <= verb.idx < b + 1) or negated(verb):
            continue
        agent = next((c for c in verb.children if c.dep_ == "nsubj"), None)
        obj = next((c for c in verb.children if c.dep_ == "dobj"), None)
        by = next((c for c in verb.children if c.dep_ == "prep" and c.lower_ == "by"), None)
        if not person(agent) or negative_subject(agent) or obj is not None and any(
                c.dep_ == "det" and c.lower_ in ("no", "any") for c in obj.children):
            continue  # "Nobody made a mistake", "made no mistake": no change to name
        if _described(agent) or obj is None or obj.lemma_.lower() not in CHANGE_FAULTS or any(
                c.dep_ not in ("det", "amod", "advmod") and not (by and c.dep_ == "prep" and c.lower_ == "of")
                for c in obj.children):
            continue  # ("an error of judgment" stays a verdict on the person, unless "by" says what was done)
        if any(c.dep_ not in ("nsubj", "dobj", "punct", "aux", "prep", "advcl") and not (
                c.dep_ == "advmod" and c.i < agent.i) or c.tag_ == "MD" for c in verb.children):
            continue  # "would make such a mistake", an adverb to place
        preps = [c for c in verb.children if c.dep_ == "prep"]
        last = _clause_end(sent)
        if last is None or last.i != max(t.i for t in verb.subtree if not t.is_punct):
            continue
        if by is not None:
            done = next((c for c in by.children if c.dep_ == "pcomp"), None)
            if len(preps) > 1 or done is None or by.right_edge.i != last.i:
                continue
            try:  # ("by not restarting the pod" → "the pod was not restarted")
                new = agentless_clause(done, agent, ("not-" if negated(done) else "") + lemma(done), shared=True, means=True)
            except NoRewrite:
                continue
        else:
            kept = {x.i for c in verb.children if c.dep_ in ("prep", "advcl") for x in c.subtree}
            if any(p.lower_ not in MISTAKE_PLACES for p in preps) or len(preps) > 1 or any(
                    t.i > obj.i and t.i not in kept and not t.is_punct for t in verb.subtree):
                continue
            if any(t.dep_ in ("neg", "relcl") or t.lower_ == "never" or t.text == "," for p in preps for t in p.subtree):
                continue  # "a mistake in not paging X", "during the cutover, which caused …": no place to name
            where = ""
            if preps:
                p = preps[0]
                where = " " + MISTAKE_PLACES[p.lower_] + doc.text[p.idx + len(p): p.right_edge.idx + len(p.right_edge)]
            rest = [c for c in verb.children if c.dep_ == "advcl"]
            tail = ""
            if rest:
                first = rest[0].left_edge
                tail = " " + doc.text[first.idx: last.idx + len(last)]
                if preps and preps[0].i > first.i:
                    continue
            new = f"[which change]{where} had an unintended effect{tail}"
        start = left(agent)
        if start.i == sent.start or not any(t.is_alpha for t in doc[sent.start: start.i]):
            k = 1 if new.startswith("[") else 0
            new = new[:k] + new[k].upper() + new[k + 1:]  # (not after "Unfortunately")
        return [(start.idx, last.idx + len(last), new, False)]
    return None


POOR = {"poor", "bad", "wrong", "questionable", "terrible", "awful", "unwise", "rash", "hasty", "reckless", "foolish",
        "stupid", "dumb", "careless", "ill-advised", "ill-judged"}
CHOICES = {"call", "decision", "choice"}


def poor_call(unit, doc, sent, a, b):
    """"The SRE's poor call to restart everything at once caused the stampede" → "Restarting
    everything at once caused the stampede"; "An engineer made a wrong decision to restart the
    nodes" → "The nodes were restarted": the verdict on the choice dropped, the act kept."""
    for t in sent:
        if t.lemma_.lower() not in CHOICES or t.pos_ != "NOUN" or not (a <= t.idx <= b):
            continue
        judged = next((c for c in t.children if c.dep_ == "amod" and c.lower_ in POOR), None)
        act = next((c for c in t.children if c.dep_ in ("acl", "relcl") and c.i > t.i and any(
            g.dep_ == "aux" and g.lower_ == "to" for g in c.children)), None)
        if judged is None or act is None or any(c.dep_ not in ("det", "amod", "poss", "acl", "relcl") for c in t.children):
            continue
        end = act.right_edge
        if t.dep_ == "dobj" and t.head.lemma_.lower() == "make":  # "X made the wrong call to restart …"
            verb = t.head
            agent = next((c for c in verb.children if c.dep_ == "nsubj"), None)
            # ("… to reboot every broker at once", the parse hanging "at once" on "made")
            after = [c for c in verb.children if c.dep_ in ("prep", "advmod") and c.i > end.i]
            if not person(agent) or negated(verb) or any(c.dep_ not in ("nsubj", "dobj", "aux", "punct") or c.tag_ == "MD"
                                                         for c in verb.children if c not in after):
                continue
            try:  # ("the wrong decision not to page the DBA" → "the DBA was not paged")
                new = agentless_clause(act, agent, ("not-" if negated(act) else "") + lemma(act), shared=True, means=True)
            except NoRewrite:
                continue
            if after:
                last = max((t for c in after for t in c.subtree), key=lambda x: x.i)
                new += doc.text[end.idx + len(end): last.idx + len(last)]
                end = last
            first = left(agent)
        elif t.dep_ in ("nsubj", "nsubjpass"):  # "X's poor call to restart everything caused …"
            owner = next((c for c in t.children if c.dep_ == "poss"), None)
            ing = inflect(lemma(act), "VBG")
            if owner is None or not person(owner) or not ing or negated(act):
                continue  # (a decision not to act: "Not V-ing" would need the negation placed)
            first = left(t)
            new = ing + doc.text[act.idx + len(act): end.idx + len(end)]
        else:
            continue
        if first.i == sent.start or not any(x.is_alpha for x in doc[sent.start: first.i]):
            new = new[0].upper() + new[1:]
        return [(first.idx, end.idx + len(end), new, False)]
    return None


SHOWING = {"show", "display", "demonstrate", "exhibit"}
# what a person's "lack of N" points at, as the gap to name
LACKS = {"ownership": "[which step] had no owner", "urgency": "{doing} took longer than [the target], because [what slowed it]",
         "care": "[which check] was missing", "attention": "[which check] was missing", "rigour": "[which check] was missing",
         "rigor": "[which check] was missing", "diligence": "[which check] was missing",
         "discipline": "[which check] was missing", "judgement": "[which check] was missing", "judgment": "[which check] was missing"}


def showed_lack(unit, doc, sent, a, b):
    """"The support agent showed a total lack of ownership" → "[Which step] had no owner"; "X showed a
    complete lack of urgency in restoring the link" → "Restoring the link took longer than [the
    target], because [what slowed it]": a verdict on a person's attitude, as the gap it points at."""
    for verb in sent:
        if verb.lemma_.lower() not in SHOWING or verb.dep_ != "ROOT" or negated(verb):
            continue
        agent = next((c for c in verb.children if c.dep_ == "nsubj"), None)
        lack = next((c for c in verb.children if c.dep_ == "dobj" and c.lower_ == "lack" and a <= c.idx < b + 1), None)
        when = next((c for c in verb.children if c.dep_ == "advcl" and c.i > lack.i and c.left_edge.lower_ in (
            "when", "while", "before", "after")), None) if lack is not None else None  # "… when rotating the keys"
        if not person(agent) or negative_subject(agent) or lack is None or any(
                c.dep_ not in ("nsubj", "dobj", "punct", "aux") and (when is None or c.i != when.i) for c in verb.children):
            continue
        of = next((c for c in lack.children if c.dep_ == "prep" and c.lower_ == "of"), None)
        what = next((c for c in of.children if c.dep_ == "pobj"), None) if of is not None else None
        if what is None or what.lower_ not in LACKS or any(c.dep_ != "det" and c.dep_ != "amod" and c.i != of.i and not (
                c.dep_ == "prep" and c.lower_ in ("in", "when", "during")) for c in lack.children) or list(what.children):
            continue
        where = next((c for c in lack.children if c.dep_ == "prep" and c.i > what.i), None)
        if where is not None and when is not None:
            continue
        if when is not None:
            where = when.left_edge  # ("… when rotating the keys": kept from "when" on)
        doing = next((c for c in where.children if c.dep_ == "pcomp" and c.tag_ == "VBG"), None) if where is not None else None
        last = _clause_end(sent)
        if last is None or last.i != max(t.i for t in verb.subtree if not t.is_punct):
            continue
        tail = doc.text[where.idx: last.idx + len(last)] if where is not None else ""
        if what.lower_ == "urgency":
            if doing is None or where.lower_ != "in" or when is not None:
                continue  # ("a lack of urgency throughout the incident": no act to time)
            new = LACKS["urgency"].format(doing=doc.text[doing.idx: last.idx + len(last)])
        else:
            new = LACKS[what.lower_] + (" " + tail if tail else "")
        start = left(agent)
        if start.i == sent.start or not any(t.is_alpha for t in doc[sent.start: start.i]):
            k = 1 if new.startswith("[") else 0
            new = new[:k] + new[k].upper() + new[k + 1:]
        return [(start.idx, last.idx + len(last), new, False)]
    return None
