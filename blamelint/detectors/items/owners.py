"""Who owns a follow-up item: a table's owner column, an @handle, "Owner: X", or a label that
names a team or a person ("[payments-oncall]", "Platform team: ...", "... (SRE)").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from blamelint.analysis.nlp import doc_text
from blamelint.detectors.items.dates import VAGUE_DATE_RE, find_dates
from blamelint.rules.words import words

if TYPE_CHECKING:
    from blamelint.detectors.items.collect import Item

WORDS = words("followup")  # rules/words/followup.yaml
NOT_HANDLES = WORDS["not_handles"]
COLLECTIVE = WORDS["collective"]
TEAM_WORDS = WORDS["team_words"]
TEAM_SUFFIXES = tuple(sorted(WORDS["team_suffixes"]))
NOT_LABELS = WORDS["not_labels"]

HANDLE_RE = re.compile(r"(?<![\w@.])@([A-Za-z0-9](?:[\w.-]*[A-Za-z0-9_])?)")
OWNER_FIELD_RE = re.compile(
    r"(?i)(?<![\w-])(?:(?:owners?|assignees?|dri|responsible)[ \t]*[:=]|assigned[ \t]+to\b|owned[ \t]+by\b)[ \t]*"
    r"(@?[\w][\w .&/'-]{0,40}?)(?=[ \t]*(?:[)\],;]|\.(?:\s|$)|$|\s[-–—][ \t]|\s(?:due|by)\b))"
)
LABEL_RE = re.compile(r"^[ \t]*([^:\n]{1,48}?)[ \t]*[:][ \t]+(?=\S)")
DASH_LABEL_RE = re.compile(r"^[ \t]*([^\n]{1,40}?)[ \t]+[—–][ \t]+(?=\S)")
BRACKET_RE = re.compile(r"\[([^\[\]\n]{1,48})\]")
PAREN_END_RE = re.compile(r"\(([^()\n]{1,48})\)[ \t.]*$")
NO_OWNER_VALUES = re.compile(r"(?i)^\s*(?:tbd|tbc|tba|\?+|-+|–|—|n/?a|none|nobody|unassigned|unknown|todo|x+)?\s*$")
ACRONYM_RE = re.compile(r"^[A-Z][A-Z0-9&]{1,5}$")


@dataclass
class Owner:
    text: str
    start: int  # prose offsets in the item text; -1 when it comes from a table column
    end: int


def find_owner(item: Item, options: dict) -> Owner | None:
    """The owner of an item, or None."""
    if "owner" in item.table:
        a, b, value = item.table["owner"]
        if not NO_OWNER_VALUES.match(value):
            return Owner(value, -1, -1)
    text = item.text
    unit = item.unit
    known = {o.lower().lstrip("@") for o in options.get("owners", [])}
    for m in HANDLE_RE.finditer(text):
        if m.group(1).lower() not in NOT_HANDLES:
            return Owner(m.group(0), m.start(), m.end())
    m = OWNER_FIELD_RE.search(text)
    if m and not NO_OWNER_VALUES.match(m.group(1)) and m.group(1).split()[0].lower() not in COLLECTIVE:
        return Owner(m.group(1), m.start(), m.end())
    for m in BRACKET_RE.finditer(text):
        inner = m.group(1)
        at_edge = not text[: m.start()].strip() or not text[m.end():].strip(" .")
        if at_edge and not _is_link(item, m.start(1), m.end(1)) and _ownerish(inner, unit, m.start(1), m.end(1), known, bracket=True):
            return Owner(inner, m.start(), m.end())
    for regex in (LABEL_RE, DASH_LABEL_RE):
        m = regex.match(text)
        if m and _ownerish(m.group(1), unit, m.start(1), m.end(1), known):
            return Owner(m.group(1), m.start(), m.end())
    m = PAREN_END_RE.search(text)
    if m and _ownerish(m.group(1), unit, m.start(1), m.end(1), known):
        return Owner(m.group(1), m.start(), m.end())
    return None


def _is_link(item: Item, a: int, b: int) -> bool:
    """Whether prose [a, b) of the item is the text of a Markdown link ("[PR](https://…)")."""
    block = item.block
    if b > len(block.text) or not item.source:
        return False
    _, end = block.source_span(a, b)
    return item.source[end:end + 2] in ("](", "][")


def _ownerish(label: str, unit, a: int, b: int, known: set[str], bracket: bool = False) -> bool:
    label = label.strip().strip("*_ ")
    if not label or len(label.split()) > 4:
        return False
    low = label.lower()
    words = re.findall(r"[\w-]+", low)
    if not words or words[0] in COLLECTIVE or low in NOT_LABELS or words[0] in NOT_LABELS:
        return False
    if find_dates(label) or VAGUE_DATE_RE.fullmatch(label.strip()) or NO_OWNER_VALUES.match(label):
        return False
    if low in known or HANDLE_RE.search(label):
        return True
    if words[-1] in TEAM_WORDS or any(w.endswith(TEAM_SUFFIXES) for w in words):
        return True  # "Platform team", "payments-team"; not "Strike team formation"
    if all(ACRONYM_RE.match(w) for w in label.split()):
        return True
    if bracket and re.fullmatch(r"[a-z][a-z0-9]*(?:[-_][a-z0-9]+)+", label):
        return True  # [payments-oncall]
    doc = unit.analysed_at(a, b) if unit is not None and a < b else None
    if doc is not None and a < b and b <= len(doc_text(doc)):
        span = doc.char_span(a, b, alignment_mode="expand")
        if span is not None and any(e.label_ == "PERSON" for e in span.ents) and all(
            t.pos_ == "PROPN" or not t.is_alpha for t in span
        ):
            return True
    return False
