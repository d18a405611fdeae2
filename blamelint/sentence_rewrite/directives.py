"""Frames for follow-ups that ask people to remember or to investigate (sentence strategies of the
vague-action category): a negative directive ("Don't skip the regression pack again") and a
reminder as a step the system enforces or prompts, an investigation ("Look into X") as the
decision it must reach by a date. Each frame replaces the whole directive, so each checks that
every word it does not restate is one it may drop; otherwise it declines."""

from __future__ import annotations

import re

from blamelint.analysis.grammar import inflect, subject_of

NEGATIVE_DIRECTIVE_RE = re.compile(
    r"\b(?:do\s+not|don['’]t|never|(?:must|should|shall|will)\s+(?:not|never)|mustn['’]t|shouldn['’]t|won['’]t)\b", re.I)
REMINDED_RE = re.compile(r"\bremind(?:ed|s)?\b|\b(?:re-?)?(?:iterate|emphasi[sz]e|stress|underline|reinforce|restate)\s+(?:the\s+|our\s+)?"
                         r"(?:need|importance|necessity|expectation|requirement)|\bmake\s+\w+\s+aware\b", re.I)
LOOKING_RE = re.compile(r"\b(?:look\s+into|explore|investigate|evaluate|assess|research|examine|review|revisit|reconsider"
                        r"|rethink|reassess|re-?evaluate|re-examine"
                        r"|find\s+(?:a|some|better|new)?\s*ways?|think\s+about"
                        r"|(?:think|reflect|ponder)\s+(?:on|over|through)|(?:brainstorm|discuss|consider|debate)(?=\s+(?:how|ways|whether)\b)"
                        r"|something\s+(?:about|around|regarding)|spike\s+(?:into|on))\b", re.I)
GATE = "Add [a required check or a deploy gate] so that"
REMINDER = "Add [an automated check or a reminder] so that"
CATCH = "Add [a guard rail or an automated check] that catches [which mistake]"
DECIDE = "decide [what will change] about"
# "Minimise copy-paste mistakes …": a wish for fewer mistakes, as the frame that catches them
FEWER_RE = re.compile(r"(?:(?:should|must)\s+)?(?P<verb>minimi[sz]e|reduce|avoid|prevent|eliminate|limit)\s+"
                      r"(?P<what>(?:[a-z-]+\s+){0,3}?(?:mistakes?|slips|typos|oversights|misconfigurations|errors?))", re.I)
PEOPLES_ERROR_RE = re.compile(r"(?:human|manual|operator|user|personnel|staff|engineer|developer)s?[\s-]+(?:errors?|mistakes?)", re.I)
REVIEWING = {"review", "revisit", "reconsider", "rethink", "reassess", "re-evaluate", "reevaluate", "re-examine"}
CHOOSE = "choose [which option]"
DELIBERATING = {"think", "reflect", "ponder", "brainstorm", "discuss", "consider", "debate"}
# words a directive's frame may drop: the appeal itself, its modals and fillers
DIRECTIVE_FILLER = {"please", "ever", "again", "never", "not", "n't", "do", "must", "should", "shall", "will", "wo",
                    "ca", "can", "need", "needs", "to", "be", "been", "is", "are", "going", "forget", "neglect",
                    "remind", "reminded", "mistake", "error", "this", "that", "it", "happen", "recur", "repeat", "make"}
DATED_RE = re.compile(r"\b(?:by|before|until|within|next|this|end\s+of|in\s+Q\d|Q\d|today|tomorrow)\b|\b\d{4}-\d{2}-\d{2}\b"
                      r"|\b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?\s+\d{1,2}\b", re.I)
PARENTHESIS = ("(", "[")


def _words(doc, head, after: int) -> str:
    """head's words from `after` on, without a directive's "again" / "ever" (and a closing comma)."""
    cut = min((t.i for t in head.subtree if t.i >= after and t.text in PARENTHESIS), default=None)
    toks = [t for t in head.subtree if t.i >= after and (cut is None or t.i < cut)
            and t.lower_ not in ("again", "ever")]
    while toks and toks[-1].is_punct:  # a closing comma, or what a parenthesis left
        toks.pop()
    return doc[toks[0].i: toks[-1].i + 1].text if toks and toks[-1].i - toks[0].i + 1 == len(toks) else (
        " ".join(t.text for t in toks) if toks else "")


def _keeps(words, new: str, restated=()) -> bool:
    """Does the frame's text keep every word of the replaced ones it may not drop: the content
    words other than the verbs it restates (as participles) and the directive's fillers?"""
    low = new.lower()
    for t in words:
        if t.i in restated or t.lower_ in DIRECTIVE_FILLER or t.is_punct or t.pos_ in ("DET", "AUX", "PART", "CCONJ"):
            continue
        if t.pos_ in ("NOUN", "PROPN", "NUM", "ADJ", "VERB", "ADV", "ADP", "PRON") and t.lower_ not in low:
            return False
    return True


def _done(doc, step) -> str | None:
    """"the certificates are renewed every quarter" for the step "renew the certificates every
    quarter" (a verb with its object): what the system is to make happen. None for a negated step,
    a pronoun object or a step with a clause of its own."""
    thing = next((c for c in step.children if c.dep_ == "dobj"), None)
    done = inflect(step.lemma_.lower(), "VBN")
    if thing is None or done is None or thing.pos_ == "PRON" or any(
            c.dep_ in ("ccomp", "xcomp", "dative", "neg", "conj", "cc") for c in step.children):
        return None
    be = "are" if thing.tag_ in ("NNS", "NNPS") else "is"
    tail = " ".join(x for x in (_words(doc, c, c.left_edge.i) for c in step.children
                                if c.i > thing.i and c.dep_ in ("prep", "advmod", "npadvmod", "advcl")) if x)
    return f"{_words(doc, thing, thing.left_edge.i)} {be} {done}{' ' + tail if tail else ''}"


def _directive(doc, a: int, b: int, verb_of):
    """(the directive's verb, its words from the sentence start or a label's colon up to a closing
    parenthesis) when the verb `verb_of(span)` finds is the sentence's main verb and only its
    subject, modals and fillers come before it; else None."""
    span = doc.char_span(a, b, alignment_mode="expand")
    if span is None or not len(span):
        return None
    verb = verb_of(span)
    if verb is None or verb.dep_ != "ROOT":
        return None
    sent = span.sent
    label = max((t.i for t in sent if t.text == ":" and t.i < verb.i), default=sent.start - 1)
    stop = next((t.i for t in doc[verb.i + 1: sent.end] if t.text in PARENTHESIS), sent.end)
    words = [t for t in doc[label + 1: stop] if not t.is_punct and not t.is_space]
    subject = subject_of(verb) or next((c for c in verb.children if c.dep_ == "nsubjpass"), None)
    who = {t.i for t in subject.subtree} if subject is not None else set()
    if not words or any(t.i < verb.i and t.i not in who and t.dep_ not in ("aux", "auxpass", "neg")
                        and t.lower_ not in DIRECTIVE_FILLER for t in words):
        return None
    if subject is not None and subject.lower_ in ("you", "customers", "users", "readers", "clients"):
        return None  # advice to readers
    return verb, words, who


def _capital(new: str, first) -> str:
    return new[:1].upper() + new[1:] if first.text[:1].isupper() else new


def gate_frame(doc, a: int, b: int):
    """"Don't skip the regression pack again" → "Add [a required check or a deploy gate] so that the
    regression pack cannot be skipped"; "Please do not forget to renew the certificates" → "Add [an
    automated check or a reminder] so that the certificates are renewed without anyone having to
    remember"; "Engineers must not make this mistake again" → the frame that catches the mistake.
    A negative directive asks people to remember; the frame makes the step one the system enforces.
    The whole directive is replaced (its subject, "please", the negation and "again" go)."""
    if not NEGATIVE_DIRECTIVE_RE.search(doc.text[a:b]):
        return None
    found = _directive(doc, a, b, lambda span: next((t for t in span if t.pos_ in ("VERB", "AUX") and t.lemma_.lower() != "do"
                                                     and any(c.dep_ == "neg" or c.lower_ == "never" for c in t.children)), None))
    if found is None:
        return None
    verb, words, who = found
    lemma = verb.lemma_.lower()
    obj = next((c for c in verb.children if c.dep_ in ("dobj", "xcomp")), None)
    restated = {verb.i} | who
    if lemma in ("happen", "recur", "repeat") or obj is not None and obj.lemma_.lower() in ("mistake", "error") or (
            obj is not None and obj.lower_ in ("this", "that", "it") and lemma == "make"):
        new = CATCH  # "This should never happen again", "must not make this mistake again"
    elif obj is None:
        return None  # "Do not deploy to production without a canary again": no object to gate
    elif lemma in ("forget", "neglect") and obj.dep_ == "xcomp" and obj.tag_ == "VB":
        done = _done(doc, obj)
        if done is None:
            return None
        new = f"{REMINDER} {done} without anyone having to remember"
        restated.add(obj.i)
    elif obj.dep_ == "dobj" and lemma not in ("let", "make", "do"):
        done = inflect(lemma, "VBN")
        if done is None or any(c.dep_ in ("conj", "cc") for c in obj.children) or any(
                c.dep_ in ("conj", "cc") for c in verb.children):
            return None  # "the regression pack or the smoke tests", "…, and update the runbook"
        tail = " ".join(x for x in (_words(doc, c, c.left_edge.i) for c in verb.children
                                    if c.i > obj.i and c.dep_ in ("prep", "advmod", "npadvmod", "advcl")) if x)
        new = f"{GATE} {_words(doc, obj, obj.left_edge.i)} cannot be {done}{' ' + tail if tail else ''}"
    else:
        return None
    if not _keeps(words, new, restated):
        return None
    return words[0].idx, words[-1].idx + len(words[-1]), new


def reminder_frame(doc, a: int, b: int):
    """"Remind the support engineers to check the status page" / "Developers will be reminded to run
    the migrations on staging first" → "Add [an automated check or a reminder] so that the status
    page is checked without anyone having to remember": the step made the system's to prompt."""
    if not REMINDED_RE.search(doc.text[a:b]):
        return None
    found = _directive(doc, a, b, lambda span: next((t for t in span if t.lemma_.lower() == "remind"), None))
    if found is None:
        return None
    verb, words, who = found
    step = next((c for c in verb.children if c.dep_ == "xcomp" and c.tag_ == "VB"), None)
    done = _done(doc, step) if step is not None else None
    if done is None or any(c.dep_ in ("conj", "cc") for c in verb.children):
        return None
    new = f"{REMINDER} {done} without anyone having to remember"
    addressed = {t.i for c in verb.children if c.dep_ == "dobj" for t in c.subtree}  # "Remind the support engineers"
    if not _keeps(words, new, {verb.i, step.i} | who | addressed):
        return None
    return words[0].idx, words[-1].idx + len(words[-1]), new


# steps a gate can enforce ("Emphasise the need for code review"; not "… of idempotency keys in the API")
PROCESS_STEPS = {"review", "testing", "test", "canary", "checklist", "runbook", "approval", "sign-off", "signoff",
                 "backup", "rollback", "drill", "rehearsal", "handover", "handoff", "mfa", "2fa", "peer", "pairing"}
STRESSING = {"reinforce", "emphasise", "emphasize", "re-emphasise", "re-emphasize", "reemphasise", "reemphasize", "stress",
             "underline", "reiterate", "iterate", "restate", "highlight"}


def importance_frame(doc, a: int, b: int):
    """"Reinforce the importance of following the runbook" → "Add [an automated check or a reminder]
    so that the runbook is followed without anyone having to remember"; "Emphasise the need for code
    review" → "Add [a required check or a deploy gate] so that code review cannot be skipped": what
    people are to be told matters, as the step the system prompts or enforces."""
    if not REMINDED_RE.search(doc.text[a:b]):
        return None
    found = _directive(doc, a, b, lambda span: next((t for t in span if t.lemma_.lower() in STRESSING
                                                     or t.lower_ in STRESSING), None))
    if found is None:
        return None
    verb, words, who = found
    if verb.tag_ in ("VBZ", "VBD", "VBN") or verb.tag_ == "VBP" and not any(c.dep_ == "aux" for c in verb.children):
        return None  # "Our guidelines emphasise …": what is said, not an instruction
    noun = next((c for c in verb.children if c.dep_ == "dobj" and c.lemma_.lower() in ("importance", "need", "necessity")), None)
    prep = next((c for c in noun.children if c.dep_ == "prep" and c.lower_ in ("of", "for") and c.i == noun.i + 1), None) \
        if noun is not None else None
    if prep is None or any(c.dep_ in ("conj", "cc") for c in verb.children) or any(
            c.dep_ not in ("det", "prep", "poss", "amod") for c in noun.children):
        return None
    step = next((c for c in prep.children if c.dep_ == "pcomp" and c.tag_ == "VBG"), None)
    thing = next((c for c in prep.children if c.dep_ == "pobj"), None)
    restated = {verb.i, noun.i, prep.i} | who
    if step is not None:
        obj = next((c for c in step.children if c.dep_ == "dobj"), None)
        if obj is None or any(c.dep_ not in ("det", "amod", "compound", "poss", "nummod") for c in obj.children) or any(
                c.dep_ not in ("dobj", "npadvmod", "advmod") for c in step.children) or "check" in step.lower_:
            return None  # ("following the runbook and escalating early", "… to new hires", "double-checking X")
        done = _done(doc, step)
        if done is None:
            return None
        new = f"{REMINDER} {done} without anyone having to remember"
        restated.add(step.i)
    elif thing is not None and thing.lemma_.lower() in PROCESS_STEPS and not any(
            c.dep_ not in ("det", "amod", "compound", "poss") for c in thing.children):
        new = f"{GATE} {_words(doc, thing, thing.left_edge.i)} cannot be skipped"
    else:
        return None
    if not _keeps(words, new, restated):
        return None
    return words[0].idx, words[-1].idx + len(words[-1]), _capital(new, words[0])


# heads whose to-infinitive the frame takes over ("We need to find a way to …"); not "decided", "tried"
FRAMED_HEADS = {"need", "have", "want", "plan", "intend", "aim", "hope", "go", "will", "should", "must"}


def decide_frame(doc, a: int, b: int):
    """An investigation with no outcome as the decision it must reach, by a date: "Look into the
    pool timeouts" → "Decide [what will change] about the pool timeouts by [when]"; "Explore
    options for a faster failover" → "Choose [which option] for a faster failover by [when]";
    "find a way to stop alerts getting lost" → "decide [how] to stop …"; "Look into whether X" →
    "Find out whether X by [when]"."""
    if not LOOKING_RE.search(doc.text[a:b]):
        return None
    span = doc.char_span(a, b, alignment_mode="expand")
    if span is None or not len(span):
        return None
    verb = span[0]
    sent = span.sent
    label = max((t.i for t in sent if t.text == ":" and t.i < verb.i), default=sent.start - 1)
    opening = all(t.is_punct or t.is_space for t in doc[label + 1: verb.i])
    top = verb
    while top.dep_ == "xcomp" and top.head.i != top.i and top.head.lemma_.lower() in FRAMED_HEADS:
        top = top.head  # "We need to find a way to …": the frame takes the verb's place
    if opening:  # an instruction the parse may read as a noun phrase ("Explore/NN options")
        top = sent.root
    if top.dep_ != "ROOT" or any(t.dep_ in ("cc", "conj") and t.head.i == top.i for t in sent):
        return None  # one clause only
    if not opening and _directive(doc, top.idx, top.idx + len(top), lambda s: s[0]) is None:
        return None  # more than a subject and modals before it ("so others can look into …")
    stop = next((t.i for t in doc[span[-1].i + 1: sent.end] if t.text in PARENTHESIS
                 or t.text in (";", "—", "–") or t.text == "-" and t.whitespace_), sent.end)
    if verb.lower_ in REVIEWING:  # the review's own words end at a comma before an owner or a date ("…, owner @x, Q3")
        comma = next((t for t in doc[verb.i: stop] if t.text == ","), None)
        if comma is not None:
            tail = doc.text[comma.idx + 1: doc[stop - 1].idx + len(doc[stop - 1])]
            if not re.match(r"\s*(?:owner\b|@|due\b|by\b|Q\d|\d{4}|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b)", tail, re.I):
                return None  # "Review all alerts, dashboards and runbooks": a list the frame would split
            stop = comma.i
    words = [t for t in doc[verb.i: stop] if not t.is_punct and not t.is_space]
    after = [t for t in words if t.i > span[-1].i]
    if not after and verb.lower_ not in REVIEWING:
        return None
    rest = doc[after[0].i: after[-1].i + 1].text if after else ""
    low, last = verb.lower_, span[-1].lower_
    if low == "something":  # "Something about spreading the builds out?": an idea, as the decision it needs
        new = f"{DECIDE} {doc[span[1].i + 1: after[-1].i + 1].text}"
    elif low == "look" or low == "think" and last == "about":
        if re.match(r"(?:if|whether)\s", rest):  # "Look into if there is a way to …"
            new = "find out whether " + rest.split(None, 1)[1]
        elif re.match(r"(?:how|why|what|which)\s", rest):  # "Look into how the cache is warmed"
            new = f"find out {rest} and decide [what will change]"
        else:
            new = f"{DECIDE} {rest}"
    elif low in DELIBERATING and last in ("whether", "how"):
        new = f"decide {last} {rest}"
    elif low in DELIBERATING and last == "ways" and rest.startswith("to "):
        new = f"decide [how] {rest}"  # "Think about ways to warm the cache"
    elif low == "spike" and last in ("into", "on"):
        new = f"{DECIDE} {rest}"  # "Spike into a managed Prometheus" → "Decide [what will change] about …"
    elif low == "explore" and len(span) == 2 and span[1].lower_ not in ("options", "ways", "whether", "how", "if"):
        new = f"{DECIDE} {doc[span[1].i: words[-1].i + 1].text}"  # "Explore remote storage for the WAL"
    elif low in ("explore", "investigate", "evaluate", "assess", "research", "examine"):
        if last in ("whether", "how", "if"):  # "Investigate whether …" asks a question; "Evaluate whether …" a choice
            new = f"{'find out' if low in ('investigate', 'examine', 'research') else 'decide'} {last} {rest}"
        elif last in ("ways", "approaches") and rest.startswith("to "):
            new = f"decide [how] {rest}"  # "Investigate ways to shard the queue"
        elif last in ("options", "alternatives", "solutions", "possibilities") and rest.startswith(("for ", "on ", "around ")):
            new = f"{CHOOSE} {rest}"
        else:
            return None  # "Explore alternatives to RabbitMQ": no choice to frame
    elif low == "find" and last == "to":
        new = f"decide [how] to {rest}"
    elif low in REVIEWING:  # "Revisit the escalation policy" → "… and decide [what will change] by [when]"
        new = f"{doc.text[verb.idx: words[-1].idx + len(words[-1])]} and decide [what will change]"
    else:
        return None
    tail = doc.text[span[-1].idx:].split("\n", 1)[0]  # to the line's end: a parser may end the sentence at "["
    if not DATED_RE.search(tail):  # "… by Friday", "… [Feb 1]": it has its date
        new += " by [when]"
    end = words[-1].idx + len(words[-1])
    if doc.text[end: end + 1] == "?" and end + 1 == sent.end_char:
        end, new = end + 1, new + "."  # "Something about X?": the decision is no question
    return verb.idx, end, _capital(new, verb)


def catch_frame(doc, a: int, b: int):
    """"Minimise copy-paste mistakes in the manifests" → "Add [a guard rail or an automated check]
    that catches copy-paste mistakes in the manifests"; a person's error ("human error") becomes
    the slot, as the error is no cause to name."""
    m = FEWER_RE.fullmatch(doc.text[a:b])
    if m is None:
        return None
    what = "[which mistake]" if PEOPLES_ERROR_RE.fullmatch(m.group("what")) else m.group("what")
    first = doc.char_span(a, b, alignment_mode="expand")[0]
    opening = first.i == first.sent.start or all(t.is_punct or t.is_space for t in doc[first.sent.start: first.i])
    start = a + m.start("verb")  # the verb, after any modal
    new = CATCH.replace("[which mistake]", what)
    return start, b, new if opening and start == a else new[0].lower() + new[1:]


DISCUSSED_RE = re.compile(r"(?:(?:the\s+)?(?:team|teams|we|they)\s+)?(?:discussed|discussing|talked|debated)(?:\s+about)?\s+\w+ing",
                          re.I)


def discussed_frame(doc, a: int, b: int):
    """"Team discussed adding a consumer group" → "Decide whether to add a consumer group by
    [when]": a discussion listed as an action, as the decision it still needs."""
    if not DISCUSSED_RE.fullmatch(doc.text[a:b]):
        return None
    span = doc.char_span(a, b, alignment_mode="expand")
    doing = span[-1]
    base = doing.lemma_.lower()
    if inflect(base, "VBG") != doing.lower_:
        return None
    sent = span.sent
    stop = next((t.i for t in doc[doing.i + 1: sent.end] if t.text in PARENTHESIS or t.text in (";", "—", "–")), sent.end)
    words = [t for t in doc[doing.i: stop] if not t.is_punct and not t.is_space]
    end = words[-1].idx + len(words[-1])
    rest = doc.text[doing.idx + len(doing): end].strip()
    new = f"decide whether to {base}" + (f" {rest}" if rest else "")
    if not DATED_RE.search(doc.text[doing.idx: sent.end_char].split("\n", 1)[0]):
        new += " by [when]"
    return a, end, _capital(new, span[0])
