"""Dates in post-mortem text: calendar dates (full, without a year, month + year, quarter + year),
vague terms used instead of a date ("TBD", "next sprint"), the incident's date, an item's due date.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from blamelint.detectors.items.collect import Item

MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}
_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
_ORD = r"(?:st|nd|rd|th)?"
_DATE_PATTERNS = [
    # 2024-01-22, 2024/01/22, 2024.01.22
    ("ymd", re.compile(r"(?<![\w.-])(\d{4})([-/.])(\d{1,2})\2(\d{1,2})(?![\d])")),
    # 22/01/2024 (day first when unambiguous, else month first), 22.01.2024
    ("num", re.compile(r"(?<![\w./-])(\d{1,2})/(\d{1,2})/(\d{4}|\d{2})(?![\w/])|(?<![\w.])(\d{1,2})\.(\d{1,2})\.(\d{4})(?![\w.])")),
    # 22 Jan 2024, 1st March
    ("dmy", re.compile(rf"(?<![\w:.])(\d{{1,2}}){_ORD}[ \t]+(?:of[ \t]+)?({_MONTH})\.?(?:,?[ \t]+(\d{{4}})(?!\d))?(?![\w])", re.I)),
    # Jan 22, January 22nd, 2024
    ("mdy", re.compile(rf"(?<![\w])({_MONTH})\.?[ \t]+(\d{{1,2}}){_ORD}(?![\d:]|\.\d|[A-Za-z])(?:,?[ \t]+(\d{{4}})(?!\d))?", re.I)),
    # Q3 2024, Q3'24, 2024-Q3, H1 2025
    ("quarter", re.compile(r"(?<![\w])(?:([QH])([1-4])[ \t]*(?:of[ \t]+)?('\d{2}|\d{4})(?!\d)|(\d{4})[ \t]*[-/]?[ \t]*([QH])([1-4]))(?![\w])")),
    # March 2024, end of Mar 2024
    ("my", re.compile(rf"(?<![\w])({_MONTH})\.?,?[ \t]+(\d{{4}})(?!\d)", re.I)),
]

VAGUE_DATE_RE = re.compile(
    r"(?<![\w-])(?:TBD|TBC|TBA|ASAP|a\.s\.a\.p\.?|soon(?:ish)?|eventually|some ?day|at some point"
    r"|when(?:ever)? (?:possible|time permits|we can|there is time|we have time)"
    r"|(?:next|this|the following) (?:sprint|week|month|quarter|year|release|cycle|iteration)"
    r"|in (?:the )?(?:near |distant )?future|ongoing|later|(?-i:[QH][1-4]))(?![\w-])",
    re.I,
)


@dataclass
class DateMatch:
    start: int
    end: int
    text: str
    year: int | None
    month: int
    day: int | None  # None: the end of the month / quarter
    quarter: int | None = None  # 1-4 for quarters, 5-6 for halves (H1/H2)

    def resolve(self, anchor: dt.date | None) -> dt.date | None:
        """The calendar date; a date without a year takes the anchor's year (or the next one
        when that would put it more than two months before the anchor)."""
        year = self.year
        if year is None:
            if anchor is None:
                return None
            year = anchor.year
        try:
            if self.quarter:
                last = self.quarter * 3 if self.quarter <= 4 else (6 if self.quarter == 5 else 12)
                return _month_end(year, last)
            if self.day is None:
                return _month_end(year, self.month)
            value = dt.date(year, self.month, self.day)
        except ValueError:
            return None
        if self.year is None and anchor is not None and value < anchor - dt.timedelta(days=60):
            try:
                value = dt.date(year + 1, self.month, self.day)
            except ValueError:
                return None
        return value


def _month_end(year: int, month: int) -> dt.date:
    nxt = dt.date(year + (month == 12), month % 12 + 1, 1)
    return nxt - dt.timedelta(days=1)


def _year(text: str | None) -> int | None:
    if not text:
        return None
    if text.startswith("'"):
        return 2000 + int(text[1:])
    y = int(text)
    return y + 2000 if y < 100 else y


def find_dates(text: str) -> list[DateMatch]:
    """Calendar dates in text: full dates, dates without a year, month + year, quarter + year."""
    return [replace(d) for d in _find_dates(text)]  # copies: callers may change them


@lru_cache(maxsize=8192)
def _find_dates(text: str) -> tuple[DateMatch, ...]:
    out: list[DateMatch] = []
    taken: list[tuple[int, int]] = []
    for kind, pattern in _DATE_PATTERNS:
        for m in pattern.finditer(text):
            if any(m.start() < b and a < m.end() for a, b in taken):
                continue
            d = _date_from(kind, m)
            if d is None:
                continue
            out.append(d)
            taken.append((m.start(), m.end()))
    return tuple(sorted(out, key=lambda d: d.start))


def _date_from(kind: str, m: re.Match) -> DateMatch | None:
    g = m.group
    try:
        if kind == "ymd":
            y, mo, d = int(g(1)), int(g(3)), int(g(4))
            dt.date(y, mo, d)
            return DateMatch(m.start(), m.end(), m.group(0), y, mo, d)
        if kind == "num":
            if g(1):
                a, b, y = int(g(1)), int(g(2)), _year(g(3))
                d, mo = (a, b) if a > 12 else (b, a)  # US order unless the first part cannot be a month
            else:
                d, mo, y = int(g(4)), int(g(5)), int(g(6))
            dt.date(y, mo, d)
            return DateMatch(m.start(), m.end(), m.group(0), y, mo, d)
        if kind == "dmy":
            if not g(2)[0].isupper():
                return None
            d, mo, y = int(g(1)), MONTHS[g(2)[:3].lower()], _year(g(3))
            dt.date(y or 2000, mo, d)
            return DateMatch(m.start(), m.end(), m.group(0), y, mo, d)
        if kind == "mdy":
            if not g(1)[0].isupper():
                return None
            mo, d, y = MONTHS[g(1)[:3].lower()], int(g(2)), _year(g(3))
            dt.date(y or 2000, mo, d)
            return DateMatch(m.start(), m.end(), m.group(0), y, mo, d)
        if kind == "quarter":
            letter, n, y = (g(1), int(g(2)), _year(g(3))) if g(1) else (g(5), int(g(6)), int(g(4)))
            if letter == "H":
                if n > 2:
                    return None
                n += 4
            return DateMatch(m.start(), m.end(), m.group(0), y, 12, None, quarter=n)
        if kind == "my":
            if not g(1)[0].isupper():
                return None
            return DateMatch(m.start(), m.end(), m.group(0), int(g(2)), MONTHS[g(1)[:3].lower()], None)
    except ValueError:
        return None
    return None


def document_date(document, today: dt.date | None = None) -> dt.date | None:
    """When the incident happened: front matter `date`, the Key Facts "Impact start", a date
    in the title, or the first full date near the top of the document."""
    fm = document.front_matter or {}
    for key in ("date", "incident_date", "created"):
        value = fm.get(key)
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        if isinstance(value, str):
            d = _first_full_date(value)
            if d:
                return d
    blocks = document.blocks
    for b in blocks:
        if b.section is not None and b.section.kind == "key-facts" and re.match(r"(?i)\s*impact start", b.text):
            d = _first_full_date(b.text)
            if d:
                return d
    for b in blocks[:6]:
        if b.section is not None and b.section.level > 1 and b.kind != "heading":
            break
        d = _first_full_date(b.text)
        if d:
            return d
    if isinstance(fm.get("title"), str):
        return _first_full_date(fm["title"])
    return None


def _first_full_date(text: str) -> dt.date | None:
    for d in find_dates(text):
        if d.year is not None and d.day is not None:
            return d.resolve(None)
    return None


# --- an item's due date --------------------------------------------------------------------


def find_due(item: Item) -> tuple[DateMatch | None, str | None]:
    """(the due date, or None; the vague term used instead of a date, or None)."""
    if "due" in item.table:
        a, b, value = item.table["due"]
        dates = find_dates(value)
        if dates:
            return dates[0], None
        v = VAGUE_DATE_RE.search(value)
        if v:
            return None, v.group(0)
    dates = find_dates(item.text)
    if dates:
        marked = [d for d in dates if _marked(item.text, d)]
        return (marked or dates)[-1], None
    return None, _vague_date(item.text)


def _marked(text: str, d: DateMatch) -> bool:
    before = text[: d.start].rstrip(" *_")
    return before.endswith("[") or bool(re.search(r"(?i)\b(?:by|due|before|until|deadline|eta|target)\W*$", before))


def _vague_date(text: str) -> str | None:
    found = list(VAGUE_DATE_RE.finditer(text))
    if not found:
        return None
    for m in found:  # prefer a bracketed term or one at the end of the item
        before, after = text[: m.start()].rstrip(" *_"), text[m.end():].lstrip(" *_")
        if before.endswith(("[", "(")) or not after.strip(" .!)]"):
            return m.group(0)
    terms = [m.group(0) for m in found if m.group(0).lower() != "later"]
    return terms[0] if terms else None
