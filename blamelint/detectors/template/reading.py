"""What a post-mortem declares, as the template checks read it (and the archive report with them):
whether a document is a post-mortem, its Key Facts fields, timestamps, severity, theme tags, and
template placeholders left in it.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache

from blamelint.detectors.items import find_dates
from blamelint.rules.words import words

WORDS = words("template")  # rules/words/template.yaml

PM_TITLE_RE = re.compile(
    r"(?i)\b(?:incident|post-?mortem|post mortem|outage|retrospective|rca|after[- ]action|incident review"
    r"|root cause analysis|service disruption)\b"
)
PLACEHOLDER_HINT_RE = re.compile(r"(?i)\.\.\.|…|\btodo\b|\btbd\b|\bxxx\b|yyyy|hh:mm|\be\.g\.|\binsert\b|\bdescribe\b|\blink to\b")
FIELD_RE = re.compile(
    r"^(?P<lead>[ \t>]*(?:[-*+]|\d{1,9}[.)])?[ \t]*)(?P<open>\*\*|__)?[ \t]*(?P<label>[A-Za-z][^:*_|\n]{0,40}?)[ \t]*"
    r"(?::[ \t]*(?P=open)|(?P=open)[ \t]*:|:)(?P<gap>[ \t]*)(?P<value>.*?)[ \t]*$"
)
FIELD_NOBOLD_RE = re.compile(
    r"^(?P<lead>[ \t>]*(?:[-*+]|\d{1,9}[.)])?[ \t]*)(?P<label>[A-Za-z][^:*_|\n]{0,40}?)[ \t]*:(?P<gap>[ \t]*)(?P<value>.*?)[ \t]*$"
)
TIME_RE = re.compile(r"(?<![\d:])(\d{1,2}):(\d{2})(?::(\d{2}))?(?:\s*([ap]\.?m\.?))?(?![\d])", re.I)
ZONE_RE = re.compile(r"^[ \t]*\(?(Z|UTC|GMT|[+-]\d{2}:?\d{2}|[A-Z]{2,5})\)?(?![\w])")
UTC_ZONES = WORDS["utc_zones"]
KEY_FACTS_HEADERS = WORDS["key_facts_headers"]  # "| Field | Value |"
SEV_RE = re.compile(r"(?i)\b(?:sev(?:erity)?|p|s)[ \t_-]*(\d)\b")
TAGS_RE = re.compile(r"(?i)(?:^\s*|(?<=\s)(?=theme\s))(?:theme\s+)?tags\s*:\s*(.*)$")


@lru_cache(maxsize=16384)
def tags_line(text: str) -> re.Match | None:
    """A "Theme tags:" line in a block's text, its value group 1 (cached per text: most blocks are
    the same between edits)."""
    return TAGS_RE.search(text)


@dataclass
class Field:
    """A Key Facts `Label: value`; its line (1-based) and the source spans of label and value."""

    label: str
    value: str
    line: int
    label_start: int
    label_end: int
    value_start: int
    value_end: int


def clock_time(tm) -> tuple[int, int] | None:
    """(hour, minute) on a 24-hour clock from a TIME_RE match, or None when it is not a time."""
    hour, minute = int(tm.group(1)), int(tm.group(2))
    ampm = (tm.group(4) or "").lower().replace(".", "")
    if ampm == "pm" and hour < 12:
        hour += 12
    if ampm == "am" and hour == 12:
        hour = 0
    return None if hour > 23 or minute > 59 else (hour, minute)


def present_kinds(doc) -> set[str]:
    """The canonical kinds of the document's recognised sections."""
    return {s.kind for s in doc.sections if s.kind}


def looks_like_postmortem(doc, min_words: int = 120) -> bool:
    """Two recognised sections, or a post-mortem title (incident, outage…) on a document that
    has a recognised section or is long enough to be more than a note."""
    kinds = present_kinds(doc)
    if len(kinds) >= 2:
        return True
    title = _title(doc)
    if not doc.sections and not title:
        first = next((b for b in doc.blocks if b.text.strip()), None)
        title = first.text if first is not None and len(first.text.split()) <= 14 else None
    if not title or not PM_TITLE_RE.search(title):
        return False
    return bool(kinds) or sum(len(b.text.split()) for b in doc.blocks) >= min_words


def _title(doc) -> str | None:
    fm = doc.front_matter or {}
    if isinstance(fm.get("title"), str):
        return fm["title"]
    for s in doc.sections:
        if s.level == 1:
            return s.title
    return doc.sections[0].title if doc.sections else None


# --- key facts -----------------------------------------------------------------------------------


def key_fact_fields(doc) -> tuple[object | None, list[Field]]:
    """The Key Facts section and its `Label: value` fields (list items, lines or a two-column table)."""
    section = next((s for s in doc.sections if s.kind == "key-facts"), None)
    if section is None:
        return None, []
    out: list[Field] = []
    first = doc.position(section.body_start)[0] if section.body_start < len(doc.source) else len(doc.line_starts) + 1
    last = doc.position(max(section.body_start, section.end - 1))[0]
    for line in range(first, last + 1):
        text = doc.line_text(line)
        ls = doc.line_starts[line - 1]
        if not text.strip() or text.lstrip().startswith("#"):
            continue
        if "|" in text:
            cells = [c for c in re.finditer(r"[^|]+", text) if c.group(0).strip()]
            if len(cells) >= 2 and not re.fullmatch(r"[\s:-]+", cells[0].group(0)):
                la, lb = _trim(text, cells[0].start(), cells[0].end())
                va, vb = _trim(text, cells[1].start(), cells[1].end())
                label = re.sub(r"[*_`]", "", text[la:lb]).strip()
                if label.lower() in KEY_FACTS_HEADERS:
                    continue
                out.append(Field(label, unbold(text[va:vb]), line, ls + la, ls + lb, ls + va, ls + vb))
            continue
        m = FIELD_RE.match(text) or FIELD_NOBOLD_RE.match(text)
        if not m:
            continue
        va, vb = m.start("value"), m.end("value")
        value = text[va:vb]
        # drop closing emphasis left on the value ("**Severity**: **Sev-2**")
        inner = unbold(value)
        out.append(Field(m.group("label").strip(), inner, line, ls + m.start("label"), ls + m.end("label"),
                         ls + va, ls + vb))
    return section, out


def _trim(text: str, a: int, b: int) -> tuple[int, int]:
    while a < b and text[a] in " \t":
        a += 1
    while b > a and text[b - 1] in " \t":
        b -= 1
    return a, b


def unbold(value: str) -> str:
    """A value without the bold markers around it ("**Sev-2**" → "Sev-2")."""
    return re.sub(r"^(\*\*|__)(.*)\1$", r"\2", value.strip()).strip()


def norm_label(label: str) -> str:
    """A label for comparison: lower case, letters and digits only ("Impact start" → "impactstart")."""
    return re.sub(r"[^a-z0-9]+", "", label.lower())


def is_placeholder(inner: str, tags: bool = False) -> bool:
    """Whether bracketed text is template guidance still to replace."""
    inner = inner.strip()
    if not inner or inner in ("x", "X") or re.fullmatch(r"\d+|\^?\w{0,3}\d+", inner):
        return False
    if PLACEHOLDER_HINT_RE.search(inner):
        return True
    if find_dates(inner):
        return False
    if tags:
        return bool(re.search(r"(?i)\btags?\b", inner)) or inner[:1].isupper()
    return inner[:1].isupper()


PLACEHOLDER_VALUE_RE = re.compile(r"\s*\[([^\[\]\n]+)\]\s*[.]?\s*")


def placeholder_value(value: str, tags: bool = False) -> re.Match | None:
    """The match when the whole value is a bracketed placeholder ("[Sev-1 to Sev-4]"), else None."""
    m = PLACEHOLDER_VALUE_RE.fullmatch(value) if "[" in value else None
    if m and is_placeholder(m.group(1), tags):
        return m
    return None


def severity_number(value: str) -> str | None:
    """The level a severity value opens with ("Sev-2", "SEV2", "P1 (major)" → "2", "1"), or None."""
    m = SEV_RE.search(value)
    if m and m.start() == len(value) - len(value.lstrip(" *_([")):
        return m.group(1)
    return None


# --- impact times --------------------------------------------------------------------------------


@dataclass
class Stamp:
    """A parsed timestamp (None when there is no date and time) and what is wrong with it."""

    when: dt.datetime | None
    problem: str | None


def impact_field(fields: list[Field], which: str) -> Field | None:
    """The Key Facts field of the impact's "start" or "end" ("Impact start", "Outage end", "End time")."""
    wanted = {f"impact{which}", f"incident{which}", f"outage{which}", f"{which}time", f"impact{which}time"}
    return next((x for x in fields if norm_label(x.label) in wanted), None)


def parse_timestamp(value: str, utc_names: set[str]) -> Stamp:
    """A Key Facts timestamp ("2024-01-15 14:23 UTC") and what is wrong with it, if anything: no
    date, no year, no time, no zone, a zone other than UTC (or one of `utc_names`)."""
    value = unbold(value)
    dates = [d for d in find_dates(value) if d.day is not None]
    if not dates:
        if TIME_RE.search(value):
            return Stamp(None, "has a time but no date")
        return Stamp(None, "is not a timestamp")
    d = dates[0]
    day = d.resolve(None) if d.year is not None else None
    if day is None:
        return Stamp(None, "has no year")
    rest = value[d.end:]
    tm = TIME_RE.search(rest)
    if not tm or rest[: tm.start()].strip().lower() not in ("", ",", "t", "at", "@"):
        return Stamp(None, "has a date but no time")
    clock = clock_time(tm)
    if clock is None:
        return Stamp(None, "is not a valid time")
    hour, minute = clock
    when = dt.datetime(day.year, day.month, day.day, hour, minute)
    zone = ZONE_RE.match(rest[tm.end():])
    if not zone:
        return Stamp(when, "has no time zone")
    z = zone.group(1).upper()
    if z not in utc_names and z not in UTC_ZONES:
        return Stamp(when, f"is in {zone.group(1)}, not UTC")
    return Stamp(when, None)
