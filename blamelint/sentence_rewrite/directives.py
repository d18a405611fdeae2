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
        """head's words from after on, without the directive's "again" / "ever" (and their commas)."""
        toks = [t for t in head.subtree if t.i >= after and t.lower_ not in ("again", "ever") and not (
            t.is_punct and t.i == max(x.i for x in head.subtree))]
        return doc[toks[0].i: toks[-1].i + 1].text if toks and toks[-1].i - toks[0].i + 1 == len(toks) else (
            " ".join(t.text for t in toks) if toks else "")

    if obj is None or lemma in ("happen", "recur", "repeat") or obj.lemma_.lower() in ("mistake", "error", "this", "that", "it"):
        new = CATCH  # "This should never happen again", "must not make this mistake again"
    elif lemma in ("forget", "neglect") and obj.dep_ == "xcomp" and obj.tag_ == "VB":
        thing = next((c for c in obj.children if c.dep_ == "dobj"), None)
        done = inflect(obj.lemma_.lower(), "VBN")
        if thing is None or done is None:
            return None
        what = rest_of(thing, thing.left_edge.i)
        be = "are" if thing.tag_ in ("NNS", "NNPS") else "is"
        tail = " ".join(x for x in (rest_of(c, c.left_edge.i) for c in obj.children
                                    if c.i > thing.i and c.dep_ in ("prep", "advmod", "npadvmod")) if x)
        new = f"{REMINDER} {what} {be} {done}{' ' + tail if tail else ''} without anyone having to remember"
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
