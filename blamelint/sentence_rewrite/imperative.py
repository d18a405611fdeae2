"""Instructions the parser misreads. The small English model often takes the verb that opens a
follow-up bullet for a noun or an adjective ("Validate/NNP user inputs/VBZ more thoroughly",
"Double/JJ -check TTLs going forward"), and the frames built on the parse decline. An
instruction of that shape needs no parse: a verb's base form first, an appeal of manner ("more
carefully", "with more care") or a checking verb, and the rest kept word for word."""

from __future__ import annotations

import re

from blamelint.analysis.grammar import PEOPLE_NOUNS, inflect
from blamelint.rewrite import (
    ACTION_FRAME,
    ACTION_FRAME_BASE,
    ADDRESSEES,
    CHECKING,
    GENERIC_TAIL_RE,
    MANNER,
    PRONOUN_CLAUSE_RE,
    without_pronoun,
)
from blamelint.sentence_rewrite.base import NAMES

# "more carefully", "much more thoroughly", "with more care", "with greater care"
_ADVERBS = "|".join(sorted(MANNER))
MANNER_RE = re.compile(rf",?\s+(?:(?:much|far|a\s+lot)\s+)?(?:more\s+(?:{_ADVERBS})|with\s+(?:more|greater|extra)\s+care)\b", re.I)
VERB_RE = re.compile(r"((?:double\s+)?[A-Za-z]+(?:-[A-Za-z]+)?)\s+(?=\S)", re.I)  # ("double check")
STOP_RE = re.compile(r"[;:()\[\]]|\b(?:and|but|or|so|which|because)\b", re.I)  # a second clause, a parenthesis


def _base_verb(word: str) -> str | None:
    """The verb's lemma if the word can be its base form ("Double-check" → "double-check")."""
    from lemminflect import getAllInflections

    low = re.sub(r"\s+", "-", word.lower())
    last = low.rsplit("-", 1)[-1]
    if not getAllInflections(last, "VERB") or inflect(last, "VBG") is None:
        return None
    return low


def _line(sent) -> tuple[int, int, str] | None:
    """The sentence's words from its first to its last, without closing punctuation: (start, end,
    text) in prose offsets."""
    text = sent.doc.text
    lo = next((t.idx for t in sent if not t.is_space and not t.is_punct), None)
    if lo is None:
        return None
    hi = sent.end_char
    while hi > lo and (text[hi - 1].isspace() or text[hi - 1] in ".!"):
        hi -= 1
    return lo, hi, text[lo:hi]


def instruction_frame(unit, sent, a: int, b: int):
    """"Validate user inputs more thoroughly across the API" → "Add [a guard rail or an automated
    check] that catches [which mistake] when validating user inputs across the API"; "Double-check
    TTLs going forward" → "Add [a guard rail or an automated check] for TTLs": an instruction that
    opens its sentence, its appeal of manner or its checking verb made the frame of a system
    change, every other word kept. (start, end, new text) in prose offsets, or None."""
    found = _line(sent)
    if found is None:
        return None
    lo, hi, line = found
    if "\n" in line or not line[:1].isupper() and not line[:1].islower():
        return None
    head = VERB_RE.match(line)
    if head is None:
        return None
    lemma = _base_verb(head.group(1))
    if lemma is None:
        return None
    clause = next((t.idx for t in sent if t.idx > lo and t.lower_ == "that"), sent.end_char)
    if any((t.tag_ == "MD" or t.pos_ == "AUX") and t.idx < clause for t in sent):
        return None  # "Hot fixes must be done with more care": a subject and its verb, not an instruction
    rest = line[head.end():]
    manner = MANNER_RE.search(" " + rest)
    checking = lemma.rsplit("-", 1)[-1] in CHECKING
    if manner is not None:
        rest = (" " + rest)[:manner.start()] + (" " + rest)[manner.end():]
        rest = rest.strip()
    rest = GENERIC_TAIL_RE.sub("", rest).strip(" ,")
    if not rest or STOP_RE.search(rest) or MANNER_RE.search(" " + rest) or not (a < lo + len(line) and lo <= b):
        return None
    if checking:
        new = f"{ACTION_FRAME_BASE} for {rest}" if not rest.lower().startswith("that ") else (
            f"{ACTION_FRAME_BASE} that checks {rest}")
    elif manner is not None:
        lead, _, last = lemma.rpartition("-")
        verb = f"{lead}-{inflect(last, 'VBG')}" if lead else inflect(last, "VBG")
        lead = "in" if re.search(r"\b(?:when|whenever|while)\b", rest, re.I) else "when"  # one "when" only
        new = f"{ACTION_FRAME} {lead} {verb} {rest}"
    else:
        return None
    return lo, hi, new[0].upper() + new[1:]


# "Everyone involved needs to be far more careful when …", "Tell the night shift to pay more
# attention", "Support agents must double-check X before …": who, a modal, the appeal, the rest
_CARE = "careful|cautious|vigilant|conscientious|thorough|attentive|diligent|alert|rigorous|mindful|disciplined"
_DEGREE = r"(?:(?:a\s+(?:bit|little|lot)|far|much|even|way|a\s+great\s+deal)\s+)?"
APPEAL_CLAUSE_RE = re.compile(
    r"(?:(?:make\s+sure|ensure|tell|ask|remind|encourage|get)\s+(?:that\s+)?)?"
    r"(?:(?P<who>(?:[\w'’-]+\s+){0,3}?[\w'’-]+)\s+)??"
    r"(?:(?:must|should|shall|will|need\s+to|needs\s+to|has\s+to|have\s+to|ought\s+to|are\s+to|is\s+to|to"
    r"|(?:is|are)\s+(?:expected|asked|required|going)\s+to|will\s+(?:have|need)\s+to|will\s+try\s+to)\s+)?"
    r"(?:(?P<care>(?:be|is|are)\s+" + _DEGREE + r"(?:more|extra)\s+(?:" + _CARE + r"))"
    r"|(?P<heed>pay\s+(?:more|closer|extra|greater|better)\s+attention)"
    r"|(?P<try>try\s+harder)"
    r"|(?P<check>double[\s-]check))"
    r"(?P<rest>.*)", re.I)
PEOPLE_WORDS = PEOPLE_NOUNS | ADDRESSEES | {"involved", "shift", "on-call", "agents", "folks"}  # and plurals of roles


def _people(who: str) -> bool:
    """Are these the people an appeal is made to ("Everyone involved", "the night shift")?"""
    toks = [w.lower() for w in re.findall(r"[\w'’-]+", who)]
    if toks and toks[0] in ("the", "our", "all", "every", "each"):
        toks = toks[1:]
    return bool(toks) and any(w in PEOPLE_WORDS or w.rstrip("s") in PEOPLE_WORDS for w in toks) and not any(
        w in ("is", "are", "was", "were", "not") for w in toks)


def _condition(rest: str, heed: bool = False) -> str | None:
    """The words after the appeal as the frame's condition: "when they restore the data" → "when
    restoring the data", "with service worker caching" → "in service worker caching", "to follow
    the process" → "when following the process"; None when they are more than a condition."""
    rest = GENERIC_TAIL_RE.sub("", rest).strip(" ,")
    if not rest:
        return ""
    if STOP_RE.search(rest) or MANNER_RE.search(" " + rest):
        return None
    if PRONOUN_CLAUSE_RE.match(rest):
        return without_pronoun(rest)
    if heed and rest.lower().startswith(("to ", "on ")):
        return "for " + rest[3:].strip()  # "pay more attention to disk alerts" → "for disk alerts"
    first, _, tail = rest.partition(" ")
    low = first.lower()
    if low in ("when", "whenever", "while", "before", "after", "during", "in") and tail:
        return rest
    if low in ("with", "about", "around", "on", "to") and tail:
        verb = re.match(r"([a-z]+)\b(.*)", tail)
        if low == "to" and verb is not None:  # "try harder to follow …"
            gerund = inflect(verb.group(1), "VBG")
            return f"when {gerund}{verb.group(2)}" if gerund else None
        return "in " + tail
    return None


def appeal_clause_frame(unit, sent, a: int, b: int):
    """"Everyone involved needs to be far more careful when touching production" / "Tell the night
    shift to pay more attention" → "Add [a guard rail or an automated check] that catches [which
    mistake] when touching production": an appeal to people's care, read from the words where the
    parse misreads it, the condition kept and only the addressee, the modal and the appeal dropped.
    "Support agents must double-check refunds before …" → "Add [a guard rail or an automated
    check] for refunds before …". (start, end, new text) in prose offsets, or None."""
    found = _line(sent)
    if found is None:
        return None
    lo, hi, line = found
    m = APPEAL_CLAUSE_RE.fullmatch(line)
    if m is None or "\n" in line or not (a < hi and lo <= b):
        return None
    if m.group("who") is not None and not _people(m.group("who")) and not any(  # ("Tomasz needs to be …")
            x <= lo + m.start("who") and lo + m.end("who") <= y for x, y in NAMES.get()):
        return None
    rest = m.group("rest")
    if m.group("check"):
        obj = re.match(r"\s+((?:[\w'’-]+\s+){0,4}?[\w'’-]+)(?=\s+(?:before|after|when|whenever|while|during)\b|$)", rest)
        if obj is None or STOP_RE.search(obj.group(1)):
            return None
        cond = _condition(rest[obj.end():])
        if cond is None:
            return None
        new = f"{ACTION_FRAME_BASE} for {obj.group(1)}" + (f" {cond}" if cond else "")
    else:
        cond = _condition(rest, heed=bool(m.group("heed")))
        if cond is None:
            return None
        frame = ACTION_FRAME_BASE if cond.startswith("for ") else ACTION_FRAME
        new = frame + (f" {cond}" if cond else "")
    return lo, hi, new[0].upper() + new[1:]


_MORE_CARE = r"(?:more|greater|extra|additional|better)\s+(?:care|discipline|rigou?r|caution|diligence|thoroughness)"
CARE_NEEDED_RE = re.compile(  # "More care is needed (by engineers) when …", "Greater care is to be taken with …"
    _MORE_CARE + r"\s+(?:(?:is|will\s+be)\s+)?(?:needed|required|necessary|(?:is\s+|are\s+|must\s+be\s+|should\s+be\s+)?"
    r"(?:to\s+be\s+)?(?:taken|exercised|applied))(?:\s+(?:by|from)\s+(?P<who>(?:[\w'’-]+\s+){0,3}?[\w'’-]+?))?"
    r"(?P<rest>\s+(?:with|for|in|when|whenever|while|during|around|on|before|after)\s+.+)$", re.I)
NOT_A_THING_RE = re.compile(r"\b(?:do|does|did|not|n['’]t|never|no|longer|probably|perhaps|maybe|still|will|would|may|might"
                            r"|should|must|can|could|also|always|really|definitely)\b|n['’]t\b", re.I)
NEEDS_CARE_RE = re.compile(  # "Billing code needs more care", "Hot fixes must be done with more care"
    r"(?P<what>(?:[\w'’-]+\s+){0,4}?[\w'’-]+?)\s+(?:needs?|requires?|deserves?|(?:must|should|need\s+to|needs\s+to)\s+be\s+"
    r"(?:done|handled|treated|performed|made|reviewed|tested)\s+with)\s+" + _MORE_CARE + r"$", re.I)


def care_needed_frame(unit, sent, a: int, b: int):
    """"More care needed with restarts" → "Add [a guard rail or an automated check] that catches
    [which mistake] in restarts"; "Billing code needs more care" → "Add [a guard rail or an automated
    check] for billing code": care asked of nobody in particular, as the check that supplies it."""
    found = _line(sent)
    if found is None:
        return None
    lo, hi, line = found
    if "\n" in line or "?" in line or not (a < hi and lo <= b):
        return None
    m = CARE_NEEDED_RE.fullmatch(line)
    if m is not None:
        if m.group("who") is not None and not _people(m.group("who")):
            return None
        cond = _condition(m.group("rest"))
        if not cond:
            return None
        new = (ACTION_FRAME_BASE if cond.startswith("for ") else ACTION_FRAME) + " " + cond
    else:
        m = NEEDS_CARE_RE.fullmatch(line)
        what = m.group("what") if m is not None else None
        if what is None or STOP_RE.search(what) or _people(what) or what.lower() in ("it", "this", "that", "everyone") \
                or NOT_A_THING_RE.search(what) or any(x < lo + len(what) and lo < y for x, y in NAMES.get()):
            return None  # ("The team needs more discipline": people, the appeal frame's; "X does not need
            # more care": a negation, a modal or a hedge, not the thing; "Dave needs more care")
        first = next((t for t in sent if t.idx == lo), None)
        named = first is not None and (first.pos_ == "PROPN" or first.ent_type_ != "" or first.text[1:2].isupper())  # ("Kafka …")
        new = f"{ACTION_FRAME_BASE} for {what if named else what[0].lower() + what[1:]}"
    return lo, hi, new[0].upper() + new[1:]
