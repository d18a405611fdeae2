"""Restatements of a verdict that the outcome could be foreseen ("entirely predictable", "an
accident waiting to happen", "a foregone conclusion", "It was obvious that …"), as what happened
or as what was not foreseen at the time; and a person's counterfactual with nothing to restate
as the step nothing required (`not_required`)."""

from __future__ import annotations

import re

from blamelint.analysis.grammar import (
    AGENTLESS,
    IMPLICIT_OBJECT,
    NoRewrite,
    agentless_clause,
    clause_tokens,
    inflect,
    lemma,
    negated,
    negative_subject,
    split_prefix,
    subject_of,
)
from blamelint.sentence_rewrite.base import disjoint, left, passive_of, person, restated, was_for

VERDICTS = ("predictable", "foreseeable", "avoidable", "preventable")


def _grounds(rest) -> bool:
    """Is the clause after "X was predictable:" what had happened before (its grounds: "the same job
    has failed twice this year", "the queue had been growing for days"), rather than the outcome
    itself ("the retry storm overwhelmed the database") or another verdict ("we should have …")?"""
    if any(t.tag_ == "MD" or person(t) and t.dep_ in ("nsubj", "nsubjpass") or negative_subject(t) for t in rest):
        return False
    return any(t.lemma_ == "have" and t.dep_ == "aux" and t.tag_ in ("VBZ", "VBP", "VBD") for t in rest)


def predictable(unit, doc, sent, a, b):
    """"The outage was entirely predictable" → "The outage was not foreseen at the time": the
    verdict of hindsight as what was known then (dropping only "entirely" would keep it). What the
    verdict rested on stays: "X was predictable given the growth trend" → "X was not foreseen at the
    time, despite the growth trend"; "…, given that Y" → "X was not foreseen at the time, although Y"."""
    for adj in sent:
        if adj.lemma_.lower() not in VERDICTS or adj.dep_ != "acomp" \
                or not a <= adj.idx + 1 <= b + 1:
            continue
        fact = "not prevented" if adj.lemma_.lower() in ("avoidable", "preventable") else "not foreseen at the time"
        verb = adj.head
        subject = next((c for c in verb.children if c.dep_ in ("nsubj", "csubj")), None)
        if verb.lemma_.lower() != "be" or subject is None or negated(verb) or any(
                c.dep_ == "prep" and c.lower_ != "given" for c in adj.children):
            continue
        words = [t for t in sent if not t.is_punct and not t.is_space]
        between = [t for t in words if verb.i < t.i < adj.i]
        if any(t.dep_ != "advmod" for t in between):
            continue
        was = verb.text if verb.lower_ in ("was", "were", "is", "are") else "was"
        rest = [t for t in words if t.i > adj.i]
        if rest and rest[0].lower_ == "given" and rest[0].head.i in (verb.i, adj.i):
            if verb.lower_ not in ("was", "were"):
                continue  # "The load is predictable given the time of day": not a verdict on the past
            given = rest[0]
            mark = doc[given.i + 1] if given.i + 1 < sent.end else None
            if mark is not None and mark.lower_ == "that" and mark.dep_ == "mark":
                return [(verb.idx, mark.idx + len(mark), f"{was} {fact}, although", False)]
            if mark is None or mark.dep_ == "mark" or not any(c.dep_ == "pobj" for c in given.children):
                continue
            # what the verdict rested on stays as the evidence it was ("despite the growth trend")
            return [(verb.idx, given.idx + len(given), f"{was} {fact}, despite", False)]
        after = doc[adj.i + 1] if adj.i + 1 < sent.end else None
        if after is not None and after.text in (":", ";") and rest and _grounds(rest) and "foreseen" in fact:
            # "X was predictable: the same job failed twice before" → "X was not foreseen at the
            # time, although the same job failed twice before": the grounds kept as grounds
            return [(verb.idx, after.idx + len(after), f"{was} {fact}, although", False)]
        both = [c for c in adj.children if c.dep_ == "conj" and c.lemma_.lower() in VERDICTS]
        if both and [t.i for t in rest] == [both[0].i - 1, both[0].i] and rest[0].dep_ == "cc":
            # "This was predictable and preventable" → "This was not foreseen or prevented at the time"
            kinds = {"prevented" if w.lemma_.lower() in ("avoidable", "preventable") else "foreseen" for w in (adj, both[0])}
            said = "not foreseen or prevented" if len(kinds) == 2 else f"not {kinds.pop()}"
            return [(verb.idx, both[0].idx + len(both[0]), f"{was} {said} at the time", False)]
        if rest and not all(t.head.i == verb.i and t.dep_ in ("cc", "conj") or any(
                h.head.i == verb.i and h.dep_ == "conj" for h in t.ancestors) for t in rest):
            continue  # more of its own clause follows ("predictable to anyone who …")
        return [(verb.idx, adj.idx + len(adj), f"{was} {fact}", False)]
    return None


PAST = {"happen": "happened", "fail": "failed", "break": "broke", "go wrong": "went wrong", "end": "ended",
        "blow up": "blew up", "fall over": "fell over"}  # "was bound / always going to fail" → "failed"
FORETOLD = (
    # "X was always going to fail" → "X failed"
    (re.compile(r"\b(?:was|were)\s+always\s+going\s+to\s+(?P<v>happen|fail|break|end(?=\s+(?:badly|this\s+way|that\s+way|like\s+th|in\s+tears))"
                r"|go\s+wrong|blow\s+up|fall\s+over)\b(?!\s+(?:if|unless|when|whenever)\b)", re.I),
     lambda m: PAST[" ".join(m.group("v").lower().split())]),
    # "X was easy to foresee" → "X was not foreseen at the time"
    (re.compile(r"\b(?P<be>was|were)\s+(?:\w+\s+)?easy\s+to\s+(?:foresee|predict|anticipate|see\s+(?:it\s+|this\s+|that\s+)?coming)\b", re.I),
     lambda m: f"{m.group('be')} not foreseen at the time"),
    # "The leak followed as night follows day" → "The leak followed"
    (re.compile(r",?\s+as\s+night\s+follows\s+day\b", re.I), lambda m: ""),
    # "The GC warnings should have rung alarm bells" → "The GC warnings went unheeded"
    (re.compile(r"\bshould\s+have\s+(?:rung|rang|set\s+off|raised|triggered|sounded)\s+(?:the\s+|some\s+|more\s+)?"
                r"(?:alarm\s+bells|alarms|red\s+flags)\b", re.I), lambda m: "went unheeded"),
    # "The cron host was a time bomb" → "… was a latent risk"
    (re.compile(r"\b(?:a|an)\s+(?:ticking\s+)?time[\s-]?bomb\b", re.I), lambda m: "a latent risk"),
    # "Predictably enough, the hot fix broke X" → "The hot fix broke X"
    (re.compile(r"^\W*(?:predictably|unsurprisingly|inevitably|as\s+expected)\s+enough\s*,\s*", re.I), lambda m: ""),
    # "X broke under load; it was only a matter of time" → "X broke under load"
    (re.compile(r"\s*(?:[,;:]|\s[—–-])\s*(?:and\s+)?(?:it|this)\s+was\s+(?:only|just|simply)\s+a\s+matter\s+of\s+time"
                r"(?=\s*[.!]?\s*$)", re.I), lambda m: ""),
    # "Surprise, surprise, the token expired" → "The token expired"
    (re.compile(r"^\W*surprise,?\s+surprise\s*[,:!—–-]?\s*", re.I), lambda m: ""),
    # "A bug this visible had no business getting past review" → "… got past review"
    (re.compile(r"\bhad\s+no\s+business\s+(?P<v>getting|making\s+it|going|slipping|being)\b", re.I),
     lambda m: {"getting": "got", "going": "went", "slipping": "slipped", "being": "was"}.get(
         m.group("v").lower(), "made it")),
    # "Hardly a surprise that X" → "X"
    (re.compile(r"^\W*(?:hardly|scarcely)\s+a\s+(?:shock|surprise)\s+that\s*", re.I),
     lambda m: ""),
    # "That X would happen was, frankly, self-evident" / "X was not hard to predict" → "… was not foreseen at the time"
    (re.compile(r"\b(?P<be>was|were)\b[\s,]+(?!not\b|never\b)(?:\w+[\s,]+)?(?:self-evident|not\s+(?:hard|difficult)\s+to\s+(?:predict|foresee|anticipate))\b", re.I),
     lambda m: f"{m.group('be')} not foreseen at the time"),
    # "The need for a rollback was evident from the first error" → "… was visible from the first error": what could
    # be seen, not the verdict that anyone should have seen it (nor a guess that nobody did)
    (re.compile(r"\b(?P<be>was|were)\s+(?!not\b|never\b)(?:\w+\s+)?evident\s+(?=from\s+the\s+(?:very\s+)?(?:first|start|outset|beginning)\b)", re.I),
     lambda m: f"{m.group('be')} visible "),
    # "This had been telegraphed for months by X" → "This had been indicated for months by X": the signal, as a fact
    (re.compile(r"\b(?P<be>had\s+been|was|were)\s+telegraphed\b", re.I), lambda m: f"{m.group('be')} indicated"),
    # "X was a given from the moment Y" / "X was baked in the moment Y" → "X became likely from the moment Y"
    (re.compile(r"\b(?:was|were)\s+(?:a\s+given\s+from|baked\s+in(?:\s+from)?)(?=\s+the\s+moment\b)", re.I),
     lambda m: "became likely from"),
    # "The rota was never going to cope with two incidents" → "The rota did not cope with two incidents"
    (re.compile(r"\b(?:was|were)\s+never\s+going\s+to\s+(?P<v>cope|work|hold|scale|survive|last)\b(?!\s+(?:without|unless|until|if)\b)", re.I),
     lambda m: "did not " + m.group("v").lower()),
    # "It stands to reason that X" → "X"
    (re.compile(r"^\W*it\s+stands\s+to\s+reason\s+that\s+", re.I), lambda m: ""),
)


def foretold(unit, doc, sent, a, b):
    """"The purge was always going to fail" → "The purge failed"; "X was easy to foresee" → "X was
    not foreseen at the time"; "Hardly a surprise that X" → "X": the verdict of predictability
    dropped, the event kept."""
    return restated(FORETOLD, doc, sent, a, b)


MATTER_OF_TIME_RE = re.compile(
    r"(?:[A-Za-z]+,\s+)?(?:it|this|that)\s+(?:was|had\s+been)\s+(?:only\s+ever|only|just|simply)?\s*a\s+matter\s+of\s+time\s+(?:before|until)\s+", re.I)
FOREGONE_RE = re.compile(
    r"\s+(?:was|had\s+been)\s+(?:a\s+foregone\s+conclusion|inevitable|predictable|foreseeable|a\s+certainty)\s+(?:from\s+the\s+moment|once|as\s+soon\s+as|after)\s+", re.I)


PLAIN_TO_SEE_RE = re.compile(
    r"(?P<be>\b(?:was|were|had\s+been|is|are)\s+)(?:all\s+)?(?P<pred>plain\s+to\s+see|there(?:\s+all\s+along)?|unmistakable"
    r"|impossible\s+to\s+miss|hard\s+to\s+miss|a\s+dead\s+giveaway"
    r"|staring\s+(?:us|everyone|everybody|them|the\s+team)\s+in\s+the\s+face)"
    r"(?P<time>\s+(?:for|over|since)\s+(?:weeks|months|days"
    r"|years|hours|the\s+\w+\s+\w+|\w+\s+(?:weeks|months|days|hours|years))|\s+in\s+(?:every|each|all|the)\s+[^,;.:]+)?"
    r"(?P<who>\s+for\s+(?:anyone|anybody|everyone|everybody)\b[^,;.:]*)?", re.I)
WHERE = "visible in [which signal or dashboard]"
MISSED = "but [what made it easy to miss]"


def plain_to_see(unit, doc, sent, a, b):
    """"The warning signs were all there for weeks" / "The MTU mismatch was plain to see" → "The
    warning signs were visible in [which signal or dashboard] for weeks, but [what made it easy to
    miss]": the verdict that a signal was obvious, as where it was and what hid it (the rule's own
    advice, with slots)."""
    text = doc.text
    lo = sent.start_char
    for m in PLAIN_TO_SEE_RE.finditer(text, lo, sent.end_char):
        if not (m.start() <= a < m.end() or a <= m.start() < b):
            continue
        be = m.group("be").split()[0].lower()
        verb = next((t for t in sent if t.idx == m.start("be")), None)
        if verb is None or verb.lemma_.lower() not in ("be", "have"):
            continue
        holder = verb if verb.lemma_ == "be" and verb.dep_ != "aux" else verb.head  # ("is staring us in the face")
        subject = next((c for c in holder.children if c.dep_ == "nsubj"), None)
        if subject is None or subject.pos_ == "PRON" and subject.lower_ not in ("they",):
            continue  # "it was plain to see": what "it" is stays unsaid; no frame for it
        after = text[m.end(): sent.end_char]
        if not re.fullmatch(r"\s*(?:[.!?]|,\s+and\s.*|;.*)?\s*", after, re.S):
            continue  # words after the verdict that the frame would have to place (", but …" would repeat "but")
        was = "were" if be == "were" or subject.tag_ in ("NNS", "NNPS") else "was"
        if be in ("is", "are"):  # a timeline row in the present keeps it
            was = "are" if was == "were" else "is"
        if be == "had":
            was = "had been"  # ("had been there for weeks": the tense kept)
        time = m.group("time") or ""
        new = f"{was} {WHERE}{time}, {MISSED}"
        return [(m.start("be"), m.end(), new, False)]
    return None


def inevitable(unit, doc, sent, a, b):
    """"It was only a matter of time before the retries took the queue down" → "The retries took
    the queue down"; "The outage was a foregone conclusion from the moment the cap was removed" →
    "The outage followed once the cap was removed": the event, without the verdict that it was
    bound to happen."""
    text = sent.text.rstrip()
    body = text.rstrip(".!")
    m = MATTER_OF_TIME_RE.match(body)
    if m and m.end() < len(body):
        rest = body[m.end():]
        return [(sent.start_char, sent.start_char + len(body), rest[0].upper() + rest[1:], False)]
    m = FOREGONE_RE.search(body)
    if m and m.start() > 0 and m.end() < len(body):
        start = sent.start_char + m.start()
        return [(start, start + m.end() - m.start(), " followed once ", False)]
    return None


WAITING_RE = re.compile(r"\b(was|were|is|are)\s+an?\s+(?:accident|outage|incident|disaster|failure|breach|problem)"
                        r"\s+waiting\s+to\s+happen\b(?:,?\s+and\s+(?:everyone|everybody|we\s+all|all\s+of\s+us)"
                        r"(?:\s+(?:on|in)\s+the(?:\s+[\w-]+){1,2})?\s+knew\s+it\b)?", re.I)
BOUND_RE = re.compile(r"\b(was|were)\s+(?:always\s+|just\s+|simply\s+)?bound\s+to\s+(happen|fail|break|go\s+wrong)\b"
                      r"(?:\s+(?:sooner\s+or\s+later|eventually|at\s+some\s+point))?", re.I)
FOREGONE_THAT_RE = re.compile(
    r"(?P<lead>(?:[^,.;:]{1,80},\s+)?)(?:it|this)\s+was\s+(?:always\s+|entirely\s+|completely\s+|totally\s+)?"
    r"(?:a\s+foregone\s+conclusion|inevitable|predictable|foreseeable|to\s+be\s+expected)"
    r"\s+(?:from\s+the\s+(?:start|outset|beginning)\s+)?that\s+", re.I)
CONDITIONAL_LEAD_RE = re.compile(r"\b(?:if|unless|without|had|otherwise|absent|left\s+alone)\b", re.I)
WALL_RE = re.compile(r"\bthe\s+writing\s+(?:was|had\s+been)\s+on\s+the\s+wall\b", re.I)
FOREGONE_END_RE = re.compile(r"\s(was|were)\s+(?:always\s+)?a\s+foregone\s+conclusion(?=\s*[.!;]?\s*$)", re.I)
LATER_RE = re.compile(r"\s+(?:sooner\s+or\s+later|eventually|at\s+some\s+point)\b", re.I)


OBVIOUS_THAT_RE = re.compile(
    r"(?P<lead>(?:(?:in\s+retrospect|in\s+hindsight|with\s+hindsight|looking\s+back(?:\s+now)?|retrospectively"
    r"|frankly|honestly|again)\s*,?\s*)?)(?P<frame>(?:it|this)(?:\s+(?:was|is|seems|seemed|had\s+been|should\s+have\s+been)"
    r"|['’]s)\s+(?:now\s+)?(?:\w+ly\s+)?(?:obvious|clear|evident|apparent|plain)\s+(?:now\s+)?"
    r"(?:in\s+(?:retrospect|hindsight)\s+|with\s+hindsight\s+)?"
    r"(?:from\s+the\s+(?:outset|start|beginning)\s+|all\s+along\s+)?"
    # "that", or a clause that opens with its subject ("it was obvious the TTL needed lowering")
    r"(?:that\s+|(?=(?:the|a|an|our|their|this|these|those|we|they)\s)(?![^.;:!?]*\bthat\b)))(?=\w)", re.I)


def obvious_that(unit, doc, sent, a, b):
    """"It was obvious that the retries would overload the pool" → "It was not foreseen at the
    time that the retries would overload the pool"; "It is now clear that the firmware was the
    weak link" → "The firmware was the weak link": the verdict of obviousness, as what was known
    then or as the plain finding."""
    text, lo = sent.text, sent.start_char
    m = OBVIOUS_THAT_RE.match(text)
    if m is None:
        return None
    start, end = lo + m.start("frame"), lo + m.end("frame")
    if not (start <= b and a <= end):
        return None
    rest = text[m.end("frame"):]
    if re.match(r"[^.;:!?]*\b(?:would|was\s+going\s+to|were\s+going\s+to)\b", rest, re.I):
        return [(start, end, "it was not foreseen at the time that ", False)]
    if re.search(r"\b(?:from\s+the|all\s+along)\b", m.group("frame"), re.I):
        return None  # "It should have been obvious from the start that X": "It was not obvious from the start that X"
    return [(start, end + 1, rest[0].upper(), False)]


def waiting_to_happen(unit, doc, sent, a, b):
    """"The cron setup was an accident waiting to happen" → "The cron setup was a latent risk";
    "It was bound to happen" → "It happened"; "It was a foregone conclusion that the disk would
    fill" → "The disk filled": the verdict that an outcome was certain, as what happened or the
    risk that was there."""
    text, lo = sent.text, sent.start_char
    m = WAITING_RE.search(text)
    if m and lo + m.start() <= b and a <= lo + m.end():
        return [(lo + m.start(), lo + m.end(), f"{m.group(1)} a latent risk", False)]
    m = BOUND_RE.search(text)
    if m and lo + m.start() <= b and a <= lo + m.end():
        return [(lo + m.start(), lo + m.end(), PAST[" ".join(m.group(2).lower().split())], False)]
    m = FOREGONE_END_RE.search(text)
    if m and lo + m.start() <= b and a <= lo + m.end():
        return [(lo + m.start(), lo + m.end(), f" {m.group(1)} not foreseen at the time", False)]
    m = WALL_RE.search(text)
    if m and lo + m.start() <= b and a <= lo + m.end() and not re.match(r"\s+for\b", text[m.end():]):
        new = "the first warning signs appeared"
        return [(lo + m.start(), lo + m.end(), new[0].upper() + new[1:] if m.group()[0].isupper() else new, False)]
    m = FOREGONE_THAT_RE.match(text)
    if m is not None and CONDITIONAL_LEAD_RE.search(m.group("lead")):
        return None  # "If the alert had not fired, it was inevitable that …": not what happened
    if m is None or not (lo <= a <= lo + m.end()):
        return None
    would = next((t for t in sent if t.lower_ == "would" and t.idx >= lo + m.end() and t.dep_ == "aux"), None)
    if would is None or any(t.lower_ == "would" for t in sent if t.i > would.i):
        return None
    verb = would.head
    subject = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass", "csubj")), None)
    if subject is None or subject.left_edge.idx != lo + m.end():
        return None  # the clause must start right after "that"
    if person(subject) or negative_subject(subject):
        return None  # "… that the engineer would mis-type the hostname": the fact would blame them
    # the verb is the first part of a hyphenated word the parse split ("re-index"): not inflected
    split_first = verb.i + 1 < len(doc) and doc[verb.i + 1].text == "-" and not verb.whitespace_
    later = LATER_RE.search(text, would.idx - lo)  # ("would eventually exhaust …": dropped below)
    prefix = split_prefix(verb)  # "would rate-limit us" → "rate-limited us"
    between = [t for t in sent if would.i < t.i < verb.i - (2 if prefix else 0) and not (
        later and lo + later.start() <= t.idx < lo + later.end())]
    if any(t.dep_ not in ("auxpass", "aux", "advmod", "neg") for t in between):
        return None
    if verb.lemma_ == "be" or any(t.dep_ == "auxpass" for t in between):
        be = next((t for t in [verb, *between] if t.lemma_ == "be"), verb)
        past = was_for(subject)
        parts = [(would.idx, be.idx + len(be), past, False)]
    elif between and all(t.dep_ == "neg" for t in between):
        if any(t.lower_ == "never" for t in between):
            past = inflect(verb.lemma_.lower(), "VBD")
            if not past or split_first:
                return None
            parts = [(would.idx, verb.idx + len(verb), "never " + past, False)]  # "would never support" → "never supported"
        else:
            parts = [(would.idx, would.idx + len(would), "did", False)]  # "would not support" → "did not support"
    elif between:
        return None
    else:
        past = inflect(verb.lemma_.lower(), "VBD")
        if not past or split_first:
            return None
        parts = [(would.idx, verb.idx + len(verb), prefix + past, False)]
    first = doc.text[lo + m.end()]
    lead = len(m.group("lead"))  # "After so many warnings, it was inevitable that …": the lead stays
    parts.insert(0, (lo + lead, lo + m.end() + 1, first if lead else first.upper(), False))
    if later:
        parts.append((lo + later.start(), lo + later.end(), "", False))
    return disjoint(parts) or None


LOOK_NOUNS = {"look", "glance", "thought"}


def _phrase_of(tok) -> str | None:
    """The words of tok's phrase, when they are one unbroken stretch."""
    toks = sorted(tok.subtree, key=lambda t: t.i)
    if toks[-1].i - toks[0].i + 1 != len(toks):
        return None
    return tok.doc[toks[0].i: toks[-1].i + 1].text


def one_look(unit, doc, sent, a, b):
    """"One look at the queue graph would have shown it" → "The queue graph was not checked";
    "Even a cursory look at the logs would have revealed the leak" → "The logs were not checked,
    and the leak was not revealed"; "A moment's thought would have shown that the copy was stale"
    → "It was not foreseen at the time that the copy was stale"."""
    for noun in sent:
        if noun.lemma_.lower() not in LOOK_NOUNS or noun.dep_ != "nsubj":
            continue
        verb = noun.head
        aux = {c.lower_ for c in verb.children if c.dep_ == "aux"}
        if not (aux & {"would", "could"} and "have" in aux) or negated(verb):
            continue
        words = [t for t in sent if not t.is_punct]
        first, last = words[0], words[-1]
        if noun.left_edge.i > first.i + 1 or not (first.idx <= a <= last.idx + len(last)):
            continue  # only the whole sentence: "Even a quick look …"
        at = next((c for c in noun.children if c.dep_ == "prep" and c.lower_ == "at"), None)
        that = next((c for c in verb.children if c.dep_ == "ccomp"), None)
        if at is not None:
            obj = next((c for c in at.children if c.dep_ == "pobj"), None)
            if obj is None:
                continue
            phrase = _phrase_of(obj)
            if phrase is None or obj.right_edge.i > verb.i:
                continue
            fact = f"{phrase} {was_for(obj)} not checked"
            dobj = next((c for c in verb.children if c.dep_ == "dobj"), None)
            if dobj is not None and dobj.lower_ not in ("it", "this", "that", "them"):
                part = inflect(verb.lemma_.lower(), "VBN")
                what = _phrase_of(dobj)
                if part and what is not None and dobj.right_edge.i == last.i:
                    fact += f", and {what} {was_for(dobj)} not {part}"
            return [(first.idx, last.idx + len(last), fact[0].upper() + fact[1:], False)]
        if that is not None:
            mark = next((c for c in that.children if c.dep_ == "mark" and c.lower_ == "that"), None)
            if mark is None:
                continue
            return [(first.idx, mark.idx + len(mark), "It was not foreseen at the time that", False)]
    return None


def no_excuse(unit, doc, sent, a, b):
    """"There is no excuse for skipping the canary stage" → "The canary stage was skipped": the
    verdict dropped, what was done kept as the fact ("… for the team not catching this during
    planning" → "This was not caught during planning")."""
    for noun in sent:
        if noun.lemma_.lower() != "excuse" or not any(c.dep_ == "det" and c.lower_ == "no" for c in noun.children):
            continue
        prep = next((c for c in noun.children if c.dep_ == "prep" and c.lower_ == "for"), None)
        act = next((c for c in prep.children if c.dep_ in ("pcomp", "pobj") and c.tag_ == "VBG"), None) if prep is not None else None
        if act is None:  # "no excuse for the team not catching this": parsed as a clause marked by "for"
            act = next((c for c in noun.children if c.dep_ == "advcl" and c.tag_ == "VBG"
                        and any(m.dep_ == "mark" and m.lower_ == "for" for m in c.children)), None)
        obj = next((c for c in act.children if c.dep_ == "dobj"), None) if act is not None else None
        part = inflect(act.lemma_.lower(), "VBN") if act is not None else None
        words = [t for t in sent if not t.is_punct]
        if obj is None or not part or not words or act.right_edge.i != words[-1].i:
            continue
        agent = next((c for c in act.children if c.dep_ in ("nsubj", "poss")), None)
        if agent is not None and not person(agent):
            continue  # "no excuse for the tool not warning": the tool stays, and this strategy would drop it
        phrase = _phrase_of(obj)
        rest = [t for t in act.subtree if t.i > obj.right_edge.i]
        while rest and rest[-1].is_punct:
            rest.pop()
        if phrase is None or (rest and (rest[-1].i - rest[0].i + 1 != len(rest) or rest[-1].i != words[-1].i)):
            continue  # more after the object than one stretch of the act's own words
        between = [t for t in doc[act.i + 1: obj.left_edge.i]]
        if between or any(t.i > act.i for t in act.subtree if t.dep_ == "neg"):
            continue
        if obj.right_edge.i != words[-1].i and not rest:
            continue
        negative = any(c.dep_ == "neg" for c in act.children)
        base = act.lemma_.lower()
        tail = " " + doc[rest[0].i: rest[-1].i + 1].text if rest else ""
        if base in AGENTLESS and not negative:
            fact = AGENTLESS[base].format(obj=phrase, was=was_for(obj))
        else:
            fact = f"{phrase} {was_for(obj)} {'not ' if negative else ''}{part}"
        fact += tail
        return [(words[0].idx, words[-1].idx + len(words[-1]), fact[0].upper() + fact[1:], False)]
    return None


def something_missed(unit, doc, sent, a, b):
    """"The interaction between X and Y is something the reviewer should have caught" → "The
    interaction between X and Y was not caught": what a person "should have" done to a thing, as
    the fact that it was not done."""
    for verb in sent:
        if verb.dep_ != "relcl" or verb.head.lower_ not in ("something", "one") or verb.tag_ != "VBN":
            continue
        aux = {c.lower_ for c in verb.children if c.dep_ == "aux"}
        if not (aux & {"should", "could", "ought", "must"} and "have" in aux) or negated(verb):
            continue
        be = verb.head.head
        subject = next((c for c in be.children if c.dep_ == "nsubj"), None)
        if be.lemma_ != "be" or subject is None or verb.head.dep_ != "attr":
            continue
        phrase = _phrase_of(subject)
        words = [t for t in sent if not t.is_punct]
        if phrase is None or verb.right_edge.i != words[-1].i or subject.left_edge.i != words[0].i:
            continue
        fact = f"{phrase} {was_for(subject)} not {verb.lower_}"
        return [(words[0].idx, words[-1].idx + len(words[-1]), fact[0].upper() + fact[1:], False)]
    return None


def not_required(verb) -> str | None:
    """"nothing required waiting for the canary to finish" for a person's counterfactual whose
    verb has no object to restate ("had waited for the canary to finish", "had bothered to test
    with real IDs"): the safer step as one nothing asked for; None for another shape."""
    if negated(verb) or any(c.dep_ in ("ccomp", "dative", "dobj") for c in verb.children) or (
            verb.lemma_.lower() in OBLIGED):
        return None  # "had complied with the change policy": the policy did require it
    step = verb
    if verb.lemma_.lower() in ("bother", "remember", "think", "care", "take", "try"):
        step = next((c for c in verb.children if c.dep_ == "xcomp" and c.tag_ == "VB"), None)
        if step is None or any(c.dep_ in ("ccomp", "dative") for c in step.children):
            return None
    ing = inflect(step.lemma_.lower(), "VBG")
    rest = [t for t in clause_tokens(step) if t.i > step.i and not t.is_punct]
    if any(t.ent_type_ in ("DATE", "TIME") or t.lower_ in ("until", "till", "later", "longer") for t in rest):
        return None  # "had waited until Monday": a time, not a step anything could require
    after = [t for t in step.subtree if t.i > step.i and not t.is_punct]
    if ing is None or len(rest) != len(after) or (rest and rest[-1].i - rest[0].i + 1 != len(rest)):
        return None  # a clause of its own after it ("stayed until the migration finished")
    tail = " " + verb.doc[rest[0].i: rest[-1].i + 1].text if rest else ""
    return f"nothing required {ing}{tail}"


OBLIGED = {"comply", "follow", "obey", "adhere", "respect", "stick", "abide", "honour", "honor"}


NOTICING = {"notice", "see", "spot", "catch", "detect", "realise", "realize"}


def went_unnoticed(unit, doc, sent, a, b):
    """"Nobody noticed the disk filling up because …" → "The disk filling up went unnoticed because
    …": a change nobody noticed (a gerund clause the parse reads as the verb's clause), as what
    went unnoticed."""
    for verb in sent:
        if not (a <= verb.idx < b) or verb.lemma_.lower() not in NOTICING:
            continue
        agent = subject_of(verb)
        if agent is None or not person(agent) or agent.i > verb.i or not (negative_subject(agent) or negated(verb)):
            continue
        if negative_subject(agent) and negated(verb):
            continue  # "nobody did not notice": a double negative
        clause = next((c for c in verb.children if c.dep_ == "ccomp" and c.tag_ == "VBG" and c.i > verb.i), None)
        if clause is None or not any(c.dep_ == "nsubj" for c in clause.children):
            continue
        later = {t.i for c in clause.children if c.i > clause.i and (c.dep_ == "advcl" or c.dep_ == "prep" and c.lower_ in (
            "because", "due", "after", "until", "since", "during", "despite")) for t in c.subtree}
        toks = sorted((t for t in clause.subtree if t.i not in later), key=lambda t: t.i)  # ("… because X")
        if toks[-1].i - toks[0].i + 1 != len(toks) or toks[0].i <= verb.i or any(
                t.i < toks[0].i and t.i > verb.i for t in clause_tokens(verb)):
            continue
        first = agent.left_edge
        lead = all(not t.is_alpha for t in doc[sent.start: first.i])  # nothing but a time or a marker before it
        new = f"{doc[toks[0].i: toks[-1].i + 1].text} went unnoticed"
        return [(first.idx, toks[-1].idx + len(toks[-1]), new[0].upper() + new[1:] if lead else new, False)]
    return None


MIGHT = {"could", "would", "might"}


def could_have_been(unit, doc, sent, a, b):
    """A counterfactual of what might have been done, as the fact: "X could have been avoided by
    deploying the change to staging first" → "The change was not deployed to staging first"; "so
    it could have been noticed sooner" → "so it was not noticed sooner"; "Appointing an incident
    manager could have helped" → "An incident manager was not appointed"."""
    for verb in sent:
        if not (a <= verb.idx < b) or verb.tag_ != "VBN" or any(c.dep_ == "neg" for c in verb.children):
            continue
        auxes = [c for c in verb.children if c.dep_ in ("aux", "auxpass") and c.i < verb.i]
        words = [c.lower_ for c in auxes]
        gerund = next((c for c in verb.children if c.dep_ == "csubj" and c.tag_ == "VBG"), None)
        if gerund is not None and len(words) >= 2 and words[-2] in MIGHT and words[-1] == "have":
            if any(c.dep_ in ("dobj", "prep", "xcomp", "ccomp", "conj", "cc") for c in verb.children) or not _ends_sentence(verb):
                continue  # "… would have caught the lock": what it would have done would be lost; "…, and we did so"
            new = passive_of(gerund)
            if new is None:
                continue
            return [(gerund.idx, verb.idx + len(verb), new[0].upper() + new[1:], False)]
        if len(words) < 3 or words[-3] not in MIGHT or words[-2:] != ["have", "been"]:
            continue
        if any(c.lower_ in ("how", "why", "whether", "hardly", "barely") for c in verb.children):
            continue  # "hard to see how this could have been missed": a question, not a fact to state
        first, last = auxes[-3], auxes[-1]
        by = next((c for c in verb.children if c.dep_ in ("prep", "agent") and c.lower_ == "by"), None)
        means = next((c for c in by.children if c.dep_ == "pcomp" and c.tag_ == "VBG"), None) if by is not None else None
        if verb.lemma_.lower() in ("avoid", "prevent"):
            subject = next((c for c in verb.children if c.dep_ == "nsubjpass"), None)
            if means is None and by is None and verb.lemma_.lower() in ("avoid", "prevent") and subject is not None \
                    and subject.left_edge.i == sent.start and _ends_sentence(verb):
                # "The outage could easily have been avoided." → "Nothing prevented the outage."
                what = doc[subject.left_edge.i: auxes[0].i].text.strip()
                what = what if subject.left_edge.tag_ in ("NNP", "NNPS") else what[0].lower() + what[1:]
                return [(subject.left_edge.idx, verb.idx + len(verb), f"Nothing prevented {what}", False)]
            new = passive_of(means) if means is not None and not any(c.dep_ == "conj" for c in means.children) else None
            if subject is None or new is None or subject.left_edge.i != sent.start and any(
                    t.is_alpha for t in doc[sent.start: subject.left_edge.i]):
                continue  # only "X could have been avoided by doing Y" as a whole sentence
            end = means.right_edge  # the outcome stays, as what followed ("…, which led to the data loss")
            if not all(t.is_punct or t.is_space for t in doc[end.i + 1: sent.end]):
                continue  # ", as the runbook suggests": a clause the new order would misplace
            outcome = doc[subject.left_edge.i: auxes[0].i].text.strip()  # all before the modal ("in eu-west")
            outcome = outcome if subject.left_edge.tag_ in ("NNP", "NNPS") else outcome[0].lower() + outcome[1:]
            return [(subject.left_edge.idx, end.idx + len(end), f"{new[0].upper()}{new[1:]}, which led to {outcome}", False)]
        subject = next((c for c in verb.children if c.dep_ == "nsubjpass"), None)
        if by is not None or subject is None or any(c.dep_ == "prep" and c.lower_ in ("with", "using", "through", "via")
                                                     for c in verb.children):
            continue  # "could have been detected with a synthetic check": the check was missing, not the detection
        return [(first.idx, last.idx + len(last), was_for(subject) + " not", False)]
    return None


EVERYONE = {"everyone", "everybody", "anyone", "anybody", "all"}


def seen_by_all(unit, doc, sent, a, b):
    """"Everyone could see the cache was running out of memory" → "The cache was running out of
    memory"; "Everyone could see the backlog growing" → "The backlog was growing": the verdict that
    everyone saw it dropped, what they saw kept as the fact."""
    for verb in sent:
        if not (a <= verb.idx < b) or verb.lemma_.lower() != "see" or negated(verb):
            continue
        agent = subject_of(verb)
        if agent is None or agent.lower_ not in EVERYONE and not (agent.lower_ == "we" and any(
                c.lower_ == "all" for c in agent.children)):
            continue
        if agent.left_edge.i != sent.start and any(t.is_alpha for t in doc[sent.start: agent.left_edge.i]):
            continue
        clause = next((c for c in verb.children if c.dep_ in ("ccomp", "dobj") and c.i > verb.i), None)
        words = [t for t in sent if not t.is_punct and not t.is_space]
        if clause is None or clause.right_edge.i != words[-1].i or any(
                c.dep_ in ("advcl", "conj", "prep") and c.i > verb.i and c.i != clause.i for c in verb.children):
            continue
        first = next((c for c in clause.children if c.dep_ == "mark" and c.lower_ == "that"), None)
        start = clause.left_edge.i + (1 if first is not None and first.i == clause.left_edge.i else 0)
        subject = next((c for c in clause.children if c.dep_ == "nsubj"), None)
        if clause.tag_ in ("VBD", "VBZ", "VBP") or any(c.dep_ in ("aux", "auxpass") for c in clause.children):
            fact = doc[start: clause.right_edge.i + 1].text  # "the cache was running out of memory"
        elif clause.tag_ == "VBG" and subject is not None and subject.i < clause.i:
            fact = f"{doc[start: clause.i].text} {was_for(subject)} {doc[clause.i: clause.right_edge.i + 1].text}"
        else:
            continue
        end = words[-1].idx + len(words[-1])
        return [(agent.left_edge.idx, end, fact[0].upper() + fact[1:], False)]
    return None


def _ends_sentence(verb) -> bool:
    """Nothing but punctuation after the verb in its sentence."""
    return all(t.is_punct or t.is_space for t in verb.doc[verb.i + 1: verb.sent.end])


def known_better(unit, doc, sent, a, b):
    """"The team should have known better than to upgrade the kernel on a Friday" → "The kernel
    was upgraded on a Friday": the verdict gone, what was done stated ("… than to ship on a
    Friday" → "The change was shipped on a Friday")."""
    for verb in sent:
        better = next((c for c in verb.children if c.lower_ == "better"), None)
        if verb.lemma_.lower() != "know" or better is None:
            continue
        done = next((c for c in (*verb.children, *better.children) if c.dep_ in ("advcl", "xcomp", "prep", "pcomp")
                     and any(m.lower_ == "than" for m in c.children)), None)
        agent = subject_of(verb)
        if done is None or agent is None or not (a <= verb.idx < b or a <= agent.idx < b):
            continue
        if negated(done):
            continue  # "known better than to not test the restore": the restore was not tested
        try:
            fact = agentless_clause(done, agent, done.lemma_.lower(), shared=True)
        except NoRewrite:
            shipped = inflect(done.lemma_.lower(), "VBN") if done.lemma_.lower() in IMPLICIT_OBJECT else None
            if shipped is None or any(c.dep_ in ("dobj", "ccomp", "xcomp") for c in done.children):
                continue
            fact = f"{IMPLICIT_OBJECT[done.lemma_.lower()]} was {shipped}"  # "than to ship on a Friday"
        last = max((t for t in done.subtree if not t.is_punct), key=lambda t: t.i)
        first = left(agent)
        return [(first.idx, last.idx + len(last), fact[0].upper() + fact[1:] if first.i == sent.start else fact, False)]
    return None


SENSIBLE = {"sensible", "competent", "reasonable", "decent", "half-decent", "proper", "serious", "mature", "careful"}


def any_sensible(unit, doc, sent, a, b):
    """"Any sensible capacity plan would have accounted for X" → "The capacity plan did not account
    for X": what a plan, a process or a design did not do, stated as the fact, without the verdict
    on it. (A person's "Any competent reviewer would have …" goes by the agentless rewrite.)"""
    for verb in sent:
        subject = next((c for c in verb.children if c.dep_ == "nsubj"), None)
        auxes = [c.lower_ for c in verb.children if c.dep_ == "aux" and c.i < verb.i]
        if subject is None or verb.tag_ != "VBN" or auxes != ["would", "have"] or negated(verb) or person(subject):
            continue
        words = list(doc[subject.left_edge.i: subject.i])
        if not words or words[0].lower_ != "any" or subject.right_edge.i != subject.i or not any(
                w.lower_ in SENSIBLE for w in words) or any(w.pos_ not in ("DET", "ADJ", "NOUN", "PROPN") for w in words[1:]):
            continue
        if not (words[0].idx <= a < verb.idx + len(verb)):
            continue
        base = lemma(verb)
        if inflect(base, "VBN") != verb.lower_ or any(c.dep_ in ("conj", "cc") for c in verb.children) or \
                verb.right_edge.i < max(t.i for t in sent if not t.is_punct):
            continue  # ("staged" read as "stag"; "… and warned the team"; "…, and ours did")
        kept = [w.text for w in words[1:] if w.lower_ not in SENSIBLE] + [subject.text]
        new = ("The " if words[0].text[0].isupper() else "the ") + " ".join(kept) + " did not " + base
        return [(words[0].idx, verb.idx + len(verb), new, False)]
    return None
