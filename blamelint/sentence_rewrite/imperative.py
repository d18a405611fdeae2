"""Instructions the parser misreads. The small English model often takes the verb that opens a
follow-up bullet for a noun or an adjective ("Validate/NNP user inputs/VBZ more thoroughly",
"Double/JJ -check TTLs going forward"), and the frames built on the parse decline. An
instruction of that shape needs no parse: a verb's base form first, an appeal of manner ("more
carefully", "with more care") or a checking verb, and the rest kept word for word."""

from __future__ import annotations

import re

from blamelint.analysis.grammar import inflect
from blamelint.rewrite import ACTION_FRAME, ACTION_FRAME_BASE, CHECKING, GENERIC_TAIL_RE, MANNER

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


def instruction_frame(unit, sent, a: int, b: int):
    """"Validate user inputs more thoroughly across the API" → "Add [a guard rail or an automated
    check] that catches [which mistake] when validating user inputs across the API"; "Double-check
    TTLs going forward" → "Add [a guard rail or an automated check] for TTLs": an instruction that
    opens its sentence, its appeal of manner or its checking verb made the frame of a system
    change, every other word kept. (start, end, new text) in prose offsets, or None."""
    text = sent.doc.text
    lo = next((t.idx for t in sent if not t.is_space and not t.is_punct), None)
    if lo is None:
        return None
    hi = sent.end_char
    while hi > lo and (text[hi - 1].isspace() or text[hi - 1] in ".!"):
        hi -= 1
    line = text[lo:hi]
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
