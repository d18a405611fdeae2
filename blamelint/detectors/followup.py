"""Follow-ups: every action item must be SMART — an owner, a due date and a checkable action.

What counts as a follow-up item:

- a list item in a section of kind `follow-ups` (or under one), or in the list right after a
  paragraph that is only a follow-ups label ("Next steps:");
- a row of a table in such a section (the action cell; owner and due date may sit in their own
  columns, found from the header);
- a task-list item (`- [ ]` / `- [x]`) anywhere.

A nested list item under a follow-up is a detail of it (its owner or date count for the parent),
unless it is itself a task-list item, or the parent is only a group label ("Short term:").

Done items — `[x]`, a "done"/"completed" marker, a done status column, or a section titled
"Completed" — are not checked at all: what matters for tracking is the open work, and a
finished action needs neither a date nor a sharper wording (owner included: the work is done).

One rule per missing element, all using the detector `followup` with `options.element`:
`owner`, `due-date`, `action` and `overdue` (the last only when `config.today` is set).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field, replace
from functools import lru_cache
from types import SimpleNamespace

from blamelint.analysis.nlp import doc_text
from blamelint.detectors import detector
from blamelint.document import SECTION_KINDS, norm_title
from blamelint.findings import Edit, Fix

# --- dates -----------------------------------------------------------------------------------

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


# --- owners ----------------------------------------------------------------------------------

HANDLE_RE = re.compile(r"(?<![\w@.])@([A-Za-z0-9](?:[\w.-]*[A-Za-z0-9_])?)")
NOT_HANDLES = {"here", "channel", "everyone", "all", "tbd", "todo", "someone", "unknown"}
OWNER_FIELD_RE = re.compile(
    r"(?i)(?<![\w-])(?:(?:owners?|assignees?|dri|responsible)[ \t]*[:=]|assigned[ \t]+to\b|owned[ \t]+by\b)[ \t]*"
    r"(@?[\w][\w .&/'-]{0,40}?)(?=[ \t]*(?:[)\],;]|\.(?:\s|$)|$|\s[-–—][ \t]|\s(?:due|by)\b))"
)
LABEL_RE = re.compile(r"^[ \t]*([^:\n]{1,48}?)[ \t]*[:][ \t]+(?=\S)")
DASH_LABEL_RE = re.compile(r"^[ \t]*([^\n]{1,40}?)[ \t]+[—–][ \t]+(?=\S)")
BRACKET_RE = re.compile(r"\[([^\[\]\n]{1,48})\]")
PAREN_END_RE = re.compile(r"\(([^()\n]{1,48})\)[ \t.]*$")
NO_OWNER_VALUES = re.compile(r"(?i)^\s*(?:tbd|tbc|tba|\?+|-+|–|—|n/?a|none|nobody|unassigned|unknown|todo|x+)?\s*$")
COLLECTIVE = {
    "everyone", "everybody", "all", "anyone", "anybody", "someone", "somebody", "we", "us", "every", "each",
    "people", "staff", "engineers", "reviewers", "interns", "developers", "folks", "whoever",
}
TEAM_WORDS = {
    "team", "teams", "squad", "guild", "crew", "group", "tribe", "chapter", "department", "dept", "eng",
    "engineering", "ops", "operations", "devops", "sre", "oncall", "on-call", "lead", "leads", "manager",
    "owner", "owners", "dri",
}
NOT_LABELS = {"note", "notes", "status", "done", "todo", "action", "update", "context", "why", "goal",
              "example", "e.g", "ticket", "issue", "link", "see", "details", "owner", "due", "eta", "pr", "mr",
              "rfc", "jira", "wip", "draft", "docs", "doc", "source", "here", "tbd", "fyi"}
ACRONYM_RE = re.compile(r"^[A-Z][A-Z0-9&]{1,5}$")


@dataclass
class Owner:
    text: str
    start: int  # prose offsets in the item text; -1 when it comes from a table column
    end: int


# --- items -----------------------------------------------------------------------------------


@dataclass
class Item:
    unit: object  # the engine Unit of the item's (first / action) block
    text: str  # prose searched for owner and date: the item plus its details
    content_start: int  # source offset where the item's text begins (after marker and box)
    line_end: int  # source offset of the end of the item's first line (without trailing blanks)
    checked: bool | None
    done: bool
    table: dict = field(default_factory=dict)  # column -> (start, end, text) for table rows
    action_range: tuple[int, int] = (0, 0)  # prose span of the first block holding the action
    source: str = field(default="", repr=False)

    @property
    def block(self):
        return self.unit.block


DONE_RE = re.compile(
    r"(?i)(?:^\s*(?:done|completed|complete|closed|resolved|shipped)\b\s*[:\-–—]"
    r"|[(\[]\s*(?:done|completed|complete|closed|resolved|shipped|fixed)\s*[)\]]\s*[.!]?\s*$"
    r"|\bstatus\s*:\s*(?:done|completed|complete|closed|resolved|shipped)\b"
    r"|^\s*[✅✔☑]|[✅✔☑]\s*$)"
)
DONE_TITLE_RE = re.compile(r"(?i)\b(?:done|completed|complete|closed|finished|resolved)\b")
DONE_CELL_RE = re.compile(r"(?i)^\s*(?:[✅✔☑]\s*)?(?:done|completed|complete|closed|resolved|shipped|fixed|yes|[✅✔☑x])\s*$")
REFERENCE_RE = re.compile(
    r"(?i)(?:(?:see|ref|refs|tracked\s+in|tracking|ticket|issue|link|pr)\b\s*:?\s*)?"
    r"(?:\[[^\]\n]*\]\([^)\n]*\)|\[[^\]\n]*\]\[[^\]\n]*\]|<[^>\n]+>|https?://\S+)\s*[.,;]?"
)
_ITEM_LEAD_RE = re.compile(r"[ \t>]*(?:[-*+]|\d{1,9}[.)])[ \t]+(?:\[[ xX]\](?:[ \t]+|$))?")
_DELIM_RE = re.compile(r"^[ \t]*\|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)*\|?[ \t]*$")

COLUMNS = {
    "owner": re.compile(r"(?i)\b(?:owners?|assignees?|assigned|who|dri|responsible|team)\b"),
    "due": re.compile(r"(?i)\b(?:due|date|deadline|eta|when|target|by)\b"),
    "status": re.compile(r"(?i)\b(?:status|state|done|complete[d]?)\b"),
    "action": re.compile(r"(?i)\b(?:action|actions|item|items|task|tasks|follow[- ]?ups?|what|description|remediation|change|title|summary|todo)\b"),
    "skip": re.compile(r"(?i)^\s*(?:#|no\.?|id|ticket|tickets|issue|issues|link|links|priority|prio|type|notes?|jira|pr)\s*$"),
}


def _items(analysis) -> list[Item]:
    """The follow-up items of the document, computed once per analysis."""
    cache = analysis.__dict__.setdefault("_blamelint_cache", {})
    if "followup_items" not in cache:
        cache["followup_items"] = _collect(analysis)
    return cache["followup_items"]


def _followup_names(config) -> set[str]:
    kinds = (config.template or {}).get("sections") or SECTION_KINDS
    names = kinds.get("follow-ups", SECTION_KINDS["follow-ups"])
    return {norm_title(n) for n in [*names, "follow-ups"]}


def _in_followups(section) -> bool:
    while section is not None:
        if section.kind == "follow-ups":
            return True
        section = section.parent
    return False


def _done_section(section) -> bool:
    while section is not None:
        if section.kind == "follow-ups":
            return False
        if DONE_TITLE_RE.search(section.title):
            return True
        section = section.parent
    return False


def _regions(doc, config) -> dict[int, bool]:
    """Which blocks sit in a follow-ups region (a Follow-ups section, or after a "Follow-ups:" label);
    worked out once per parsed document and config."""
    cache = doc.__dict__.setdefault("_followup_regions", {})
    if id(config) not in cache:
        cache[id(config)] = (config, _find_regions(doc, config))  # (the config keeps its id taken)
    return cache[id(config)][1]


def _find_regions(doc, config) -> dict[int, bool]:
    labels = _followup_names(config)
    region: dict[int, bool] = {}
    after_label = False
    for b in doc.blocks:
        if b.kind == "paragraph" and not b.quoted:
            t = b.text.strip()
            after_label = (t.endswith(":") or len(t.split()) <= 4) and norm_title(t.rstrip(":")) in labels
        elif b.kind == "heading":
            after_label = False
        region[id(b)] = after_label or _in_followups(b.section)
    return region


def trigger(first) -> dict:
    """The blocks that can hold an action item: task-list items anywhere, list items and table cells
    in a follow-ups region. None of their sentences is parsed up front: the model's output is read
    only for a short group label (`_is_label`) or a label that may name a person (`_ownerish`), rare
    cases that parse their block then (`Unit.analysed`). An action's text is parsed on its own."""
    from blamelint.analysis.triggers import Pieces

    region = _regions(first.document, first.config)
    out = {}
    for b in first.blocks:
        kind = b.block.kind
        if (kind == "list_item" and (b.block.checked is not None or region.get(id(b.block)))) or (
                kind == "table_cell" and region.get(id(b.block))):
            out[b.index] = Pieces()
    return out


def _collect(analysis) -> list[Item]:
    doc = analysis.document
    units = {id(u.block): u for u in analysis.units}
    region = _regions(doc, analysis.config)

    # list items: group the blocks of each item, find each item's parent from the nesting
    raw: list[tuple[tuple, list, int | None]] = []  # (key, blocks, parent index)
    index: dict[tuple, int] = {}
    stack: list[tuple[int, int]] = []  # (level, index into raw)
    for b in doc.blocks:
        if b.kind != "list_item":
            stack = []  # a paragraph, heading or table between items ends the nesting
            continue
        key = (b.item_start if b.item_start is not None else b.start, b.level)
        if key in index:
            raw[index[key]][1].append(b)
            continue
        while stack and stack[-1][0] >= b.level:
            stack.pop()
        parent = stack[-1][1] if stack else None
        index[key] = len(raw)
        raw.append((key, [b], parent))
        stack.append((b.level, len(raw) - 1))

    is_candidate: list[bool] = []
    children: dict[int, list[int]] = {}
    for i, (_key, _blocks, parent) in enumerate(raw):
        if parent is not None:
            children.setdefault(parent, []).append(i)
    for i, (_key, blocks, parent) in enumerate(raw):
        first = blocks[0]
        if first.checked is not None:
            ok = True
        elif not region.get(id(first)):
            ok = False
        elif parent is None:
            ok = True
        else:
            ok = not is_candidate[parent] and _is_label(raw[parent][1][0], units, bool(children.get(parent)))
        if ok and first.checked is None and _is_label(first, units, bool(children.get(i))):
            ok = False
        if first.quoted or id(first) not in units or not first.text.strip():
            ok = False
        is_candidate.append(ok)

    items: list[Item] = []
    for i, (_key, blocks, _parent) in enumerate(raw):
        if not is_candidate[i]:
            continue
        first = blocks[0]
        texts = [b.text for b in blocks]
        todo = list(children.get(i, []))
        while todo:  # details: nested non-candidate items
            j = todo.pop(0)
            if is_candidate[j]:
                continue
            texts += [b.text for b in raw[j][1]]
            todo += children.get(j, [])
        src = doc.source
        start = first.item_start if first.item_start is not None else first.start
        m = _ITEM_LEAD_RE.match(src, start)
        content_start = m.end() if m and m.end() <= first.start else first.start
        line = doc.position(first.start)[0]
        line_start = doc.line_starts[line - 1]
        line_end = line_start + len(doc.line_text(line).rstrip())
        if len(blocks) == 1 and REFERENCE_RE.fullmatch(src[content_start:max(line_end, first.end)].strip()):
            continue  # a bare link to a ticket or document, not an action
        done = bool(first.checked) or bool(DONE_RE.search(first.text)) or _done_section(first.section)
        if not done and src[content_start:content_start + 2] == "~~" and doc.line_text(line).rstrip().endswith("~~"):
            done = True
        items.append(Item(units[id(first)], "  ".join(texts), content_start, max(line_end, first.start),
                          first.checked, done, action_range=(0, len(first.text)), source=src))

    items += _table_items(doc, units, region)
    items.sort(key=lambda it: it.block.start)
    return items


def _is_label(block, units, has_children: bool) -> bool:
    """A group label rather than an action: "Short term:", "**Database**" with items under it."""
    text = block.text.strip()
    if not text:
        return True
    if text.endswith(":") and len(text.split()) <= 6:
        return True
    if not has_children:
        return False
    unit = units.get(id(block))
    if unit is None:
        return len(text.split()) <= 4
    has_verb = any(t.pos_ in ("VERB", "AUX") for t in unit.analysed())
    return not has_verb and len(text.split()) <= 6


def _split_row(src: str, s: int, e: int) -> list[tuple[int, int]]:
    from blamelint.document import split_table_row

    return split_table_row(src, s, e)


def _strip_span(src: str, a: int, b: int) -> tuple[int, int]:
    while a < b and src[a] in " \t":
        a += 1
    while b > a and src[b - 1] in " \t":
        b -= 1
    return a, b


def _table_items(doc, units, region) -> list[Item]:
    """One item per body row of a follow-ups table, keyed on its action cell."""
    src = doc.source
    cells = [b for b in doc.blocks if b.kind == "table_cell" and region.get(id(b)) and not b.quoted]
    items: list[Item] = []
    seen_tables: set[int] = set()
    for cell in cells:
        line = doc.position(cell.start)[0]
        # find the header: walk up over table lines to the delimiter row
        top = line
        while top > 1 and "|" in doc.line_text(top - 1) and doc.line_text(top - 1).strip():
            top -= 1
        if top in seen_tables:
            continue
        seen_tables.add(top)
        if not _DELIM_RE.match(doc.line_text(top + 1) or "x"):
            continue
        header_start = doc.line_starts[top - 1]
        header = [_clean_cell(src[a:b]) for a, b in _split_row(src, header_start, header_start + len(doc.line_text(top)))]
        cols = _classify_columns(header)
        if cols is None:
            continue
        row = top + 2
        while row <= len(doc.line_starts) and "|" in doc.line_text(row) and doc.line_text(row).strip():
            rs = doc.line_starts[row - 1]
            spans = _split_row(src, rs, rs + len(doc.line_text(row)))
            row += 1
            if cols["action"] >= len(spans):
                continue
            a, b = spans[cols["action"]]
            unit = next((units[id(x)] for x in cells if a <= x.start < b and id(x) in units), None)
            if unit is None:
                continue
            table = {}
            for name in ("owner", "due", "status"):
                k = cols.get(name)
                if k is not None and k < len(spans):
                    ca, cb = spans[k]
                    table[name] = (ca, cb, _clean_cell(src[ca:cb]))
            done = any(table.get(k) and DONE_CELL_RE.match(table[k][2]) for k in ("status", "due")) or bool(
                DONE_RE.search(unit.block.text)
            )
            text = unit.block.text
            ca, cb = _strip_span(src, a, b)
            items.append(Item(unit, text, ca, cb, None, done, table=table, action_range=(0, len(text)), source=src))
    return items


def _clean_cell(text: str) -> str:
    return re.sub(r"[*_`~]+", "", text).replace("\\|", "|").strip()


def _classify_columns(header: list[str]) -> dict | None:
    cols: dict[str, int] = {}
    for i, h in enumerate(header):
        if COLUMNS["skip"].match(h):
            continue
        for name in ("owner", "due", "status", "action"):
            if name not in cols and COLUMNS[name].search(h):
                cols[name] = i
                break
    if "action" not in cols:
        if "owner" not in cols and "due" not in cols:
            return None  # not a follow-up table
        rest = [i for i, h in enumerate(header) if i not in cols.values() and not COLUMNS["skip"].match(h)]
        if not rest:
            return None
        cols["action"] = rest[0]
    return cols


# --- per-item analysis -------------------------------------------------------------------------


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
    if words[-1] in TEAM_WORDS or any(w.endswith(("-team", "-ops", "-eng", "-oncall", "-sre")) for w in words):
        return True  # "Platform team", "payments-team"; not "Strike team formation"
    if all(ACRONYM_RE.match(w) for w in label.split()):
        return True
    if bracket and re.fullmatch(r"[a-z][a-z0-9]*(?:[-_][a-z0-9]+)+", label):
        return True  # [payments-oncall]
    doc = unit.analysed() if unit is not None else None
    if doc is not None and a < b and b <= len(doc_text(doc)):
        span = doc.char_span(a, b, alignment_mode="expand")
        if span is not None and any(e.label_ == "PERSON" for e in span.ents) and all(
            t.pos_ == "PROPN" or not t.is_alpha for t in span
        ):
            return True
    return False


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


def action_text(item: Item, owner: Owner | None, due: DateMatch | None) -> tuple[str, int]:
    """The action alone: the first block's prose without owner label, due date and vague date.

    Returns (text, offset of text[0] in the block's prose); removed parts become spaces."""
    text = item.block.text
    chars = list(text)

    def blank(a, b):
        for k in range(max(a, 0), min(b, len(chars))):
            chars[k] = " "

    if owner is not None and owner.start >= 0 and owner.end <= len(text):
        blank(owner.start, owner.end)
    for d in find_dates(text):
        a = d.start
        pre = re.search(r"(?i)(?:\b(?:due(?:[ \t]+(?:by|on))?|by|before|until|deadline|eta|target)\b[ \t:]*|\[)?[ \t]*$", text[:a])
        if pre:
            a = pre.start()
        b = d.end
        if b < len(text) and text[b] == "]":
            b += 1
        blank(a, b)
    for m in VAGUE_DATE_RE.finditer(text):
        a, b = m.start(), m.end()
        bracketed = a > 0 and text[a - 1] in "[(" and b < len(text) and text[b] in "])"
        if bracketed or not text[b:].strip(" .!") or m.group(0).isupper():
            blank(a - bracketed, b + bracketed)
    m = OWNER_FIELD_RE.search("".join(chars))
    if m:
        blank(m.start(), m.end())
    joined = "".join(chars)
    joined = re.sub(r"\[\s*\]|\(\s*\)", lambda x: " " * len(x.group(0)), joined)
    lead = len(joined) - len(joined.lstrip(" \t:-–—,;|"))
    out = joined[lead:].rstrip(" \t:-–—,;|.")
    return out, lead


# --- vague actions --------------------------------------------------------------------------------

def _vague_rule_hits(analysis, options: dict, doc, text: str) -> list[tuple[str, str]]:
    """(matched text, rule title) for the data rules of the vague-action categories."""
    from blamelint.analysis import matchers

    categories = set(options.get("vague_categories", ["vague-action"]))
    if analysis.matchers is None:
        return []
    found = analysis.matchers.matches(doc)
    hits = []
    for rule in analysis.ruleset.rules:
        if rule.category not in categories or not rule.match:
            continue
        spans = found.get(rule.id, [])
        if isinstance(spans, Exception):
            continue  # that rule reports its own failure
        for a, b in spans:
            if not matchers.excluded(rule, text, a, b):
                hits.append((text[a:b], rule.title))
    return hits


def _forms(tok) -> set[str]:
    low = tok.lower_
    forms = {low, tok.lemma_.lower()}
    for suffix, repl in (("ing", ""), ("ing", "e"), ("ed", ""), ("ed", "e"), ("es", ""), ("s", "")):
        if low.endswith(suffix) and len(low) > len(suffix) + 2:
            forms.add(low[: -len(suffix)] + repl)
    return forms


def vague_reason(analysis, options: dict, doc, text: str, specific: bool) -> str | None:
    """Why the action is not specific and checkable, or None (kept on the Doc, cached per text)."""
    key = ("blamelint_vague", id(analysis.ruleset), id(options), text, specific)
    cache = doc.user_data.setdefault("blamelint_vague_reasons", {})
    if key not in cache:
        cache[key] = _vague_reason(analysis, options, doc, text, specific)
    return cache[key]


STRETCH_VERBS = {"make", "get", "become", "keep"}  # "make the dashboards better" (`_better_object`)


def _may_be_vague(analysis, options: dict, tdoc, text: str) -> bool:
    """Could `_vague_reason` find a reason in this action? Read from its tokens alone (`tdoc`, not
    analysed): every test it makes, loosened to the words and the lemmas they could have."""
    from blamelint.analysis.triggers import Block, lemmas_for, prepare

    lemmas = lemmas_for(analysis.analyzer.light)
    lowers = frozenset(t.lower_ for t in tdoc)
    possible = frozenset().union(*(lemmas.of(w) for w in lowers)) if lowers else frozenset()
    forms = lowers | possible | {f for t in tdoc for f in _forms(t)}
    if not any(t.is_alpha for t in tdoc):
        return True
    if forms & (set(options.get("vague_verbs", [])) | set(options.get("improve_verbs", []))):
        return True
    # a phrasal verb is vague with one of its particles ("reach out"), which must then be a word here
    if any(verb in forms and lowers & set(particles)
           for verb, particles in (options.get("vague_phrasal") or {}).items()):
        return True
    if lowers & set(options.get("vague_modifiers", [])) or possible & STRETCH_VERBS:
        return True
    if possible & set(options.get("improve_nouns", [])):
        return True
    for entry in options.get("vague_patterns", []):
        if re.search(entry if isinstance(entry, str) else entry["regex"], text, re.I):
            return True
    categories = set(options.get("vague_categories", ["vague-action"]))
    rules = [r for r in analysis.ruleset.rules if not r.check and r.match]
    if not any(r.category in categories for r in rules):
        return False
    block = SimpleNamespace(text=text, kind="paragraph")  # what the first pass reads of a block
    fired = prepare(rules, analysis.analyzer.light).fired(Block(-1, block, tdoc, lowers, possible))
    return any(r.id in fired and r.category in categories for r in rules)


def _vague_reason(analysis, options: dict, doc, text: str, specific: bool) -> str | None:
    words = [t for t in doc if t.is_alpha]
    if not words:
        return "there is no action, only an owner or a date"
    for matched, title in _vague_rule_hits(analysis, options, doc, text):
        return f"“{matched}” — {title[0].lower()}{title[1:]}"
    for entry in options.get("vague_patterns", []):
        pattern, why = (entry, None) if isinstance(entry, str) else (entry["regex"], entry.get("reason"))
        m = re.search(pattern, text, re.I)
        if m:
            return f"“{m.group(0).strip()}” {why or 'asks people to try harder instead of naming a change'}"

    vague = set(options.get("vague_verbs", []))
    phrasal = {k: set(v) for k, v in (options.get("vague_phrasal") or {}).items()}
    improve = set(options.get("improve_verbs", []))
    nominal = set(options.get("vague_modifiers", []))
    deliver_verbs = set(options.get("deliverable_verbs", []))
    light = set(options.get("light_verbs", []))
    deliver_re = options.get("deliverable_pattern")

    first = words[0]
    roots = [t for t in doc if t.dep_ == "ROOT"]
    verbs = [t for t in doc if t.pos_ == "VERB"]
    candidates = [first] + roots[:1] + verbs[:1]
    lead, kind = None, None
    for tok in candidates:
        forms = _forms(tok)
        if forms & vague:
            lead, kind = tok, "vague"
            break
        hit = forms & set(phrasal)
        if hit:
            particles = phrasal[next(iter(hit))]
            nxt = doc[tok.i + 1: tok.i + 4]
            if any(t.lower_ in particles for t in nxt[:2]) or any(
                c.lower_ in particles for c in tok.children if c.dep_ in ("prep", "prt", "dobj", "advmod")
            ):
                lead, kind = tok, "vague"
                break
        if forms & improve and tok.pos_ != "NOUN":
            lead, kind = tok, "improve"
            break
    if lead is None and first.lower_ in nominal and not any(t.pos_ == "VERB" for t in doc):
        lead, kind = first, "improve"
    if lead is None:
        lead = _better_object(doc, nominal, set(options.get("improve_nouns", [])))
        kind = "improve"
    if lead is None:
        return None

    if kind == "vague":
        if _delivers(doc, lead, vague | improve | light | set(phrasal), deliver_verbs):
            return None
        for pattern in (deliver_re, options.get("outcome_pattern")):
            if pattern and re.search(pattern, text[lead.idx:], re.I):
                return None
        return f"“{_phrase(doc, lead, phrasal, False)}” describes an activity, not an outcome; say what it will produce or change"
    if specific or _has_measure(doc, lead):
        return None
    return f"“{_phrase(doc, lead, phrasal, True)}” has no measure; name the metric, threshold or artefact that shows it is done"


def _delivers(doc, lead, weak: set[str], deliver_verbs: set[str]) -> bool:
    """Whether a vague lead comes with an outcome: "investigate X and fix Y", "review X to
    produce a list of Y". The verb right after "consider" is what is considered, not an outcome."""
    chain = {lead.i}
    for t in doc:  # the lead and the verbs coordinated with it (the parser may hang them on its object)
        if t.dep_ != "conj" or t.pos_ not in ("VERB", "AUX") or t.i <= lead.i:
            continue
        h = t.head
        while h.pos_ not in ("VERB", "AUX") and h.head.i != h.i and h.i not in chain:
            h = h.head
        if h.i in chain:
            if not _forms(t) & weak:
                return True
            chain.add(t.i)
    for t in doc:
        if t.i <= lead.i or t.pos_ != "VERB" or not _forms(t) & deliver_verbs:
            continue
        if t.dep_ in ("advcl", "xcomp", "conj") and any(c.lower_ == "to" for c in t.children) and t.head.i in chain:
            return True  # purpose: "... to produce a shortlist"
    return False


def _better_object(doc, nominal: set[str], improve_nouns: set[str]):
    """"Write better tests", "make the dashboards better", "monitoring improvements": a vague
    comparative or an improvement noun standing in for the change itself."""
    for t in doc:
        if t.lower_ in nominal and t.dep_ in ("amod", "advmod") and t.head.pos_ in ("NOUN", "PROPN") and t.head.i > t.i:
            return t
        if t.tag_ in ("JJR", "RBR") and t.dep_ in ("acomp", "oprd", "ccomp", "xcomp", "advmod") and t.head.lemma_.lower() in (
            "make", "get", "become", "keep"
        ):
            return t
    if not any(t.pos_ == "VERB" for t in doc):
        for t in doc:
            if t.lemma_.lower() in improve_nouns and t.dep_ == "ROOT":
                return t
    return None


def _phrase(doc, lead, phrasal, with_object: bool) -> str:
    """A short quote for the message: "Think about", "Consider", "Improve monitoring", "better tests"."""
    if lead.pos_ != "VERB" and lead.head.i > lead.i and lead.dep_ in ("amod", "advmod"):
        return doc[lead.i: lead.head.i + 1].text
    if lead.tag_ in ("JJR", "RBR") and lead.head.i < lead.i and lead.i - lead.head.i <= 5:
        return doc[lead.head.i: lead.i + 1].text  # "Make the deploy faster"
    end = lead.i + 1
    forms = _forms(lead)
    hit = forms & set(phrasal)
    if hit and end < len(doc) and doc[end].lower_ in phrasal[next(iter(hit))]:
        return doc[lead.i: end + 1].text
    if with_object:
        objs = [c for c in lead.children if c.dep_ in ("dobj", "xcomp", "attr", "prt") and c.i > lead.i]
        if objs and objs[0].i - lead.i <= 3:
            return doc[lead.i: objs[0].i + 1].text
    return lead.text


def _has_measure(doc, lead) -> bool:
    for t in doc:
        if t.i == lead.i:
            continue
        if t.like_num or t.text == "%" or any(c.isdigit() for c in t.text):
            return True
        if t.pos_ == "PROPN" and t.i > 0 and not t.is_sent_start and t.text[:1].isupper():
            return True
        if t.text.startswith(("'", "\"", "“", "‘")):
            return True
    return False


# --- fixes ------------------------------------------------------------------------------------------


def _owner_fix(item: Item, options: dict, plain: bool) -> Fix:
    placeholder = options.get("placeholder", "@owner")
    if "owner" in item.table:
        a, b, _ = item.table["owner"]
        return Fix(f"Name the owning team in the owner column ({placeholder})", [Edit(a, b, f" {placeholder} ")], False)
    label = f"{placeholder}: " if plain else f"**{placeholder}:** "
    return Fix(f"Add an owner: insert “{label.strip()}” before the action and name the team",
               [Edit(item.content_start, item.content_start, label)], False)


def proposed_due(analysis, options: dict) -> dt.date:
    base = analysis.config.today or dt.date.today()
    return base + dt.timedelta(days=int(options.get("propose_days", 14)))


def _due_fix(item: Item, analysis, options: dict, plain: bool) -> Fix:
    day = proposed_due(analysis, options).isoformat()
    if "due" in item.table:
        a, b, _ = item.table["due"]
        return Fix(f"Fill in the due date column (proposed: {day}; adjust it)", [Edit(a, b, f" {day} ")], False)
    text = f" [{day}]" if plain else f" **[{day}]**"
    return Fix(f"Add a due date at the end of the item (proposed: {day}; adjust it)",
               [Edit(item.line_end, item.line_end, text)], False)


# --- the detector -----------------------------------------------------------------------------------


def _finding(analysis, rule, item: Item, **kw):
    """A finding on the whole item text, widened over the emphasis markers around it."""
    a, b = item.action_range
    f = analysis.finding(rule, item.unit, a, b, **kw)
    src = analysis.document.source
    if item.content_start <= f.start and not src[item.content_start:f.start].strip("*_~ \t"):
        f.start = item.content_start
    while f.end < len(src) and src[f.end] in "*_~" and f.end < item.line_end:
        f.end += 1
    f.text = src[f.start:f.end]
    return f


@detector("followup", needs=("tagger", "parser", "ner"), trigger=trigger)
def followup(rule, analysis):
    element = rule.options.get("element", "owner")
    plain = analysis.document.kind == "text"
    items = [it for it in _items(analysis) if not it.done]
    if not items:
        return
    anchor = None
    if element in ("overdue",):
        if analysis.config.today is None:
            return
        anchor = document_date(analysis.document) or analysis.config.today
    # an item's findings are kept on its paragraph's Doc, keyed by the item and by the document-wide
    # facts they read (the dates); items of tables, whose cells lie outside the paragraph, are not
    facts = (id(rule), plain, anchor, analysis.config.today, proposed_due(analysis, rule.options))
    todo = []
    for it in items:
        key = None if it.table else (facts, it.text, it.content_start - it.block.start,
                                     it.line_end - it.block.start, it.checked, it.action_range)
        found = None if key is None else analysis.memo_get(key, it.unit)
        if found is None:
            todo.append((it, key))
        else:
            yield from found
    actions = {}
    if element == "action" and todo:
        texts = []
        for it, _ in todo:
            owner = find_owner(it, rule.options)
            due, _ = find_due(it)
            texts.append(action_text(it, owner, due if due and due.start >= 0 else None))
        if analysis.nlp is None:
            docs = [None] * len(texts)
        else:  # the model reads only the actions that could be vague
            tokens = analysis.analyzer.tokens([t for t, _ in texts])
            parse = [t for (t, _), tdoc in zip(texts, tokens, strict=True)
                     if analysis.exhaustive or _may_be_vague(analysis, rule.options, tdoc, t)]
            parsed = dict(zip(parse, analysis.analyzer.docs(parse, ner=set()), strict=True))
            docs = [parsed.get(t) for t, _ in texts]
        actions = {id(it): (text, doc) for (it, _), text, doc in zip(todo, texts, docs, strict=True)}
    for it, key in todo:
        found = list(_item_findings(rule, analysis, it, element, plain, anchor, actions.get(id(it))))
        if key is not None:
            analysis.memo_put(key, it.unit, found)
        yield from found


def _item_findings(rule, analysis, it: Item, element: str, plain: bool, anchor, action):
    if element == "owner":
        if find_owner(it, rule.options) is None:
            yield _finding(analysis, rule, it, fixes=[_owner_fix(it, rule.options, plain)])
    elif element == "due-date":
        due, vague = find_due(it)
        if due is None:
            detail = f" (“{vague}” is not a date)" if vague else ""
            yield _finding(analysis, rule, it, message_vars={"detail": detail},
                           fixes=[_due_fix(it, analysis, rule.options, plain)])
    elif element == "action":
        if action is None or action[1] is None:
            return
        (text, _), doc = action
        source = analysis.document.source[it.block.start:it.block.end]
        reason = vague_reason(analysis, rule.options, doc, text, "`" in source or "](" in source)
        if reason:
            yield _finding(analysis, rule, it, message_vars={"reason": reason},
                           fixes=[Fix(rule.options.get("hint", "Name the artefact or the measure that shows it is done"), [], False)])
    elif element == "overdue":
        due, _ = find_due(it)
        if due is None:
            return
        when = due.resolve(anchor)
        if when is not None and when < analysis.config.today:
            fixes = []
            if it.checked is False:
                box = analysis.document.source.rfind("[ ]", 0, it.content_start)
                if box >= 0:
                    fixes.append(Fix("Mark it done ([x]) if it is finished", [Edit(box, box + 3, "[x]")], False))
            fixes.append(Fix("Close it if it is done, or agree a new date with the owner", [], False))
            yield _finding(analysis, rule, it, message_vars={"due": when.isoformat(),
                           "days": (analysis.config.today - when).days}, fixes=fixes)


# --- outside a lint run ----------------------------------------------------------------------------


def document_items(document, config=None, analyzer=None) -> list[Item]:
    """The follow-up items of a parsed document, exactly as the `followup` rules see them, for
    callers that have no engine Analysis at hand (the archive report).

    A block is run through spaCy only when the item logic looks at its tokens (a possible group
    label, a possible person named as owner), with `analyzer` (default: one for the config's
    pipeline), so most documents need no parse at all."""
    from types import SimpleNamespace

    from blamelint.config import Config

    config = config or Config()
    state = {"analyzer": analyzer}

    class LazyUnit:
        def __init__(self, block):
            self.block = block
            self._doc = None

        @property
        def doc(self):
            if self._doc is None:
                if state["analyzer"] is None:
                    from blamelint.analysis.nlp import Analyzer

                    state["analyzer"] = Analyzer(config.model)
                self._doc = state["analyzer"].docs([self.block.text])[0]
            return self._doc

        def analysed(self):
            return self.doc

    units = [LazyUnit(b) for b in document.blocks if b.text.strip()]
    return _collect(SimpleNamespace(document=document, config=config, units=units))
