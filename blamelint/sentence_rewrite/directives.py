"""The frame of a negative directive ("Don't skip the regression pack again"): a step the system
enforces, not a measure (a sentence strategy of the vague-action category)."""

from __future__ import annotations

import re

from blamelint.analysis.grammar import inflect, subject_of

NEGATIVE_DIRECTIVE_RE = re.compile(
    r"\b(?:do\s+not|don['’]t|never|(?:must|should|shall|will)\s+(?:not|never)|mustn['’]t|shouldn['’]t|won['’]t)\b", re.I)
GATE = "Add [a required check or a deploy gate] so that"
REMINDER = "Add [an automated check or a reminder] so that"
CATCH = "Add [a guard rail or an automated check] that catches [which mistake]"
DIRECTIVE_FILLER = {"please", "ever", "again", "never", "not", "n't", "do", "must", "should", "shall", "will", "wo",
                    "ca", "can"}


def gate_frame(doc, a: int, b: int):
    """"Don't skip the regression pack again" → "Add [a required check or a deploy gate] so that the
    regression pack cannot be skipped"; "Please do not forget to renew the certificates" → "Add [an
    automated check or a reminder] so that the certificates are renewed without anyone having to
    remember"; "Engineers must not make this mistake again" → the frame that catches the mistake.
    A negative directive asks people to remember; the frame makes the step one the system enforces.
    The whole sentence is the directive (its subject, "please", the negation and "again" go)."""
    if not NEGATIVE_DIRECTIVE_RE.search(doc.text[a:b]):
        return None
    span = doc.char_span(a, b, alignment_mode="expand")
    if span is None or not len(span):
        return None
    sent = span.sent
    verb = next((t for t in span if t.pos_ in ("VERB", "AUX") and t.lemma_.lower() != "do"
                 and any(c.dep_ == "neg" or c.lower_ == "never" for c in t.children)), None)
    if verb is None or verb.dep_ != "ROOT":
        return None
    label = max((t.i for t in sent if t.text == ":" and t.i < verb.i), default=sent.start - 1)
    words = [t for t in doc[label + 1: sent.end] if not t.is_punct and not t.is_space]
    if not words:
        return None
    subject = subject_of(verb)
    who = {t.i for t in subject.subtree} if subject is not None else set()
    if any(t.i < verb.i and t.i not in who and t.lower_ not in DIRECTIVE_FILLER for t in words):
        return None  # a condition or a time before the verb: reframing would lose it
    lemma = verb.lemma_.lower()
    obj = next((c for c in verb.children if c.dep_ in ("dobj", "xcomp")), None)

    def rest_of(head, after: int) -> str:
        return _words(doc, head, after)

    if obj is None or lemma in ("happen", "recur", "repeat") or obj.lemma_.lower() in ("mistake", "error", "this", "that", "it"):
        new = CATCH  # "This should never happen again", "must not make this mistake again"
    elif lemma in ("forget", "neglect") and obj.dep_ == "xcomp" and obj.tag_ == "VB":
        done = _done(doc, obj)
        if done is None:
            return None
        new = f"{REMINDER} {done} without anyone having to remember"
    elif obj.dep_ == "dobj" and lemma not in ("let", "make", "do"):
        done = inflect(lemma, "VBN")
        if done is None:
            return None
        what = rest_of(obj, obj.left_edge.i)
        tail = " ".join(x for x in (rest_of(c, c.left_edge.i) for c in verb.children
                                    if c.i > obj.i and c.dep_ in ("prep", "advmod", "npadvmod", "advcl")) if x)
        new = f"{GATE} {what} cannot be {done}{' ' + tail if tail else ''}"
    else:
        return None
    start, end = words[0].idx, words[-1].idx + len(words[-1])
    return start, end, new


def _words(doc, head, after: int) -> str:
    """head's words from `after` on, without a directive's "again" / "ever" (and a closing comma)."""
    toks = [t for t in head.subtree if t.i >= after and t.lower_ not in ("again", "ever") and not (
        t.is_punct and t.i == max(x.i for x in head.subtree))]
    return doc[toks[0].i: toks[-1].i + 1].text if toks and toks[-1].i - toks[0].i + 1 == len(toks) else (
        " ".join(t.text for t in toks) if toks else "")


def _done(doc, step) -> str | None:
    """"the certificates are renewed every quarter" for the step "renew the certificates every
    quarter" (a verb with its object): what the system is to make happen."""
    thing = next((c for c in step.children if c.dep_ == "dobj"), None)
    done = inflect(step.lemma_.lower(), "VBN")
    if thing is None or done is None or any(c.dep_ in ("ccomp", "xcomp", "dative") for c in step.children):
        return None
    be = "are" if thing.tag_ in ("NNS", "NNPS") else "is"
    tail = " ".join(x for x in (_words(doc, c, c.left_edge.i) for c in step.children
                                if c.i > thing.i and c.dep_ in ("prep", "advmod", "npadvmod", "advcl")) if x)
    return f"{_words(doc, thing, thing.left_edge.i)} {be} {done}{' ' + tail if tail else ''}"


def _directive(doc, a: int, b: int, verb_of):
    """(the directive's verb, its words from the sentence start or a label's colon) when the verb
    `verb_of(span)` finds is the sentence's main verb and only its subject, modals and fillers
    come before it; else None."""
    span = doc.char_span(a, b, alignment_mode="expand")
    if span is None or not len(span):
        return None
    verb = verb_of(span)
    if verb is None or verb.dep_ != "ROOT":
        return None
    sent = span.sent
    label = max((t.i for t in sent if t.text == ":" and t.i < verb.i), default=sent.start - 1)
    words = [t for t in doc[label + 1: sent.end] if not t.is_punct and not t.is_space]
    subject = subject_of(verb) or next((c for c in verb.children if c.dep_ == "nsubjpass"), None)
    who = {t.i for t in subject.subtree} if subject is not None else set()
    if not words or any(t.i < verb.i and t.i not in who and t.dep_ not in ("aux", "auxpass", "neg")
                        and t.lower_ not in DIRECTIVE_FILLER for t in words):
        return None
    return verb, words


REMINDED_RE = re.compile(r"\bremind(?:ed|s)?\b", re.I)


def reminder_frame(doc, a: int, b: int):
    """"Remind the support engineers to check the status page" / "Developers will be reminded to run
    the migrations on staging first" → "Add [an automated check or a reminder] so that the status
    page is checked without anyone having to remember": the step made the system's to prompt."""
    if not REMINDED_RE.search(doc.text[a:b]):
        return None
    found = _directive(doc, a, b, lambda span: next((t for t in span if t.lemma_.lower() == "remind"), None))
    if found is None:
        return None
    verb, words = found
    step = next((c for c in verb.children if c.dep_ == "xcomp" and c.tag_ == "VB"), None)
    done = _done(doc, step) if step is not None else None
    if done is None:
        return None
    return words[0].idx, words[-1].idx + len(words[-1]), f"{REMINDER} {done} without anyone having to remember"


LOOKING_RE = re.compile(r"\b(?:look\s+into|explore|investigate|evaluate|assess|research|examine|find\s+(?:a|some|better|new)?\s*ways?"
                        r"|think\s+about|consider)\b", re.I)
DECIDE = "decide [what will change] about"
CHOOSE = "choose [which option]"


def decide_frame(doc, a: int, b: int):
    """An investigation with no outcome as the decision it must reach, by a date: "Look into the
    pool timeouts" → "Decide [what will change] about the pool timeouts by [when]"; "Explore
    options for a faster failover" → "Choose [which option] for a faster failover by [when]";
    "find a way to stop alerts getting lost" → "decide [how] to stop …"; "Consider adding rate
    limits" → "Decide whether to add rate limits … by [when]"."""
    if not LOOKING_RE.search(doc.text[a:b]):
        return None
    span = doc.char_span(a, b, alignment_mode="expand")
    if span is None or not len(span):
        return None
    verb = span[0]
    sent = span.sent
    words = [t for t in doc[verb.i: sent.end] if not t.is_punct and not t.is_space]
    top = verb
    while top.dep_ in ("xcomp",) and top.head.i != top.i:
        top = top.head  # "We need to find a way to …": the frame takes the verb's place
    label = max((t.i for t in sent if t.text == ":" and t.i < verb.i), default=sent.start - 1)
    opening = all(t.is_punct or t.is_space for t in doc[label + 1: verb.i])
    if opening:  # an instruction the parse may read as a noun phrase ("Explore/NN options")
        top = sent.root
    if top.dep_ != "ROOT" or any(t.dep_ in ("cc", "conj") and t.head.i == top.i for t in sent):
        return None  # one clause only
    if not opening and _directive(doc, top.idx, top.idx + len(top), lambda span: span[0]) is None:
        return None  # more than a subject and modals before it ("so others can look into …")
    low = verb.lower_
    stop = next((t.i for t in doc[span[-1].i + 1: sent.end] if t.text in ("(", "[", ";", "—", "–", "-")
                 and t.whitespace_ or t.text in ("(", "[")), None)
    if stop is not None:  # "(owner: @infra)", "— see #12": kept after the frame
        words = [t for t in words if t.i < stop]
    after = [t for t in words if t.i > span[-1].i]
    rest = doc[after[0].i: after[-1].i + 1].text if after else ""
    if low == "look" or low == "think" and span[-1].lower_ == "about" or low == "think" and span[-1].lower_ == "ways":
        if low == "think" and span[-1].lower_ == "ways":  # "Think about ways to warm …" → "Decide [how] to warm …"
            new = f"decide [how] {rest}"
        else:
            new = f"{DECIDE} {rest}"
    elif low in ("explore", "investigate", "evaluate", "assess", "research", "examine"):
        noun = span[-1].lower_
        if noun in ("whether", "how"):
            new = f"decide {noun} {rest}"
        elif noun in ("ways", "approaches") and rest.startswith("to "):
            new = f"decide [how] {rest}"  # "Investigate ways to shard the queue"
        else:
            new = f"{CHOOSE} {rest}"
    elif low == "find":
        if span[-1].lower_ != "to":
            return None
        new = f"decide [how] to {rest}"
    elif low == "consider":
        ing = span[-1]
        base = ing.lemma_.lower()
        new = f"decide whether to {base} {rest}"
    else:
        return None
    if not rest:
        return None
    return verb.idx, words[-1].idx + len(words[-1]), new.strip() + " by [when]"
