"""Follow-up items: which blocks of a document are action items, and what each one holds.

What counts as a follow-up item:

- a list item in a section of kind `follow-ups` (or under one), or in the list right after a
  paragraph that is only a follow-ups label ("Next steps:");
- a row of a table in such a section (the action cell; owner and due date may sit in their own
  columns, found from the header);
- a task-list item (`- [ ]` / `- [x]`) anywhere.

A nested list item under a follow-up is a detail of it (its owner or date count for the parent),
unless it is itself a task-list item, or the parent is only a group label ("Short term:").

Done items are a "[x]", a "done"/"completed" marker, a done status column, or a section titled
"Completed".
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from blamelint.analysis.context import DONE_RE
from blamelint.analysis.nlp import Analyzer
from blamelint.config import Config
from blamelint.document import SECTION_KINDS, norm_title, split_table_row


@dataclass
class Item:
    """One follow-up item (a list item with its details, or a table row)."""

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


def followup_regions(doc, config) -> dict:
    """Which blocks sit in a follow-ups region (a Follow-ups section, or after a "Follow-ups:"
    label): block → bool."""
    labels = _followup_names(config)
    region = {}
    after_label = False
    for b in doc.blocks:
        if b.kind == "paragraph" and not b.quoted:
            t = b.text.strip()
            after_label = (t.endswith(":") or len(t.split()) <= 4) and norm_title(t.rstrip(":")) in labels
        elif b.kind == "heading":
            after_label = False
        region[b] = after_label or _in_followups(b.section)
    return region


def collect_items(doc, units, region: dict) -> list[Item]:
    """The follow-up items of a document: `units` are the engine Units of the blocks that may be
    items (anything with `block` and `analysed()`), `region` is `followup_regions(doc, config)`."""
    units = {u.block: u for u in units}  # block → unit

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
        elif not region.get(first):
            ok = False
        elif parent is None:
            ok = True
        else:
            ok = not is_candidate[parent] and _is_label(raw[parent][1][0], units, bool(children.get(parent)))
        if ok and first.checked is None and _is_label(first, units, bool(children.get(i))):
            ok = False
        if first.quoted or first not in units or not first.text.strip():
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
        items.append(Item(units[first], "  ".join(texts), content_start, max(line_end, first.start),
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
    unit = units.get(block)
    if unit is None:
        return len(text.split()) <= 4
    has_verb = any(t.pos_ in ("VERB", "AUX") for t in unit.analysed())
    return not has_verb and len(text.split()) <= 6


def _strip_span(src: str, a: int, b: int) -> tuple[int, int]:
    while a < b and src[a] in " \t":
        a += 1
    while b > a and src[b - 1] in " \t":
        b -= 1
    return a, b


def _table_items(doc, units, region) -> list[Item]:
    """One item per body row of a follow-ups table, keyed on its action cell."""
    src = doc.source
    cells = [b for b in doc.blocks if b.kind == "table_cell" and region.get(b) and not b.quoted]
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
        header = [_clean_cell(src[a:b]) for a, b in split_table_row(src, header_start, header_start + len(doc.line_text(top)))]
        cols = _classify_columns(header)
        if cols is None:
            continue
        row = top + 2
        while row <= len(doc.line_starts) and "|" in doc.line_text(row) and doc.line_text(row).strip():
            rs = doc.line_starts[row - 1]
            spans = split_table_row(src, rs, rs + len(doc.line_text(row)))
            row += 1
            if cols["action"] >= len(spans):
                continue
            a, b = spans[cols["action"]]
            unit = next((units[x] for x in cells if a <= x.start < b and x in units), None)
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


def document_items(document, config: Config | None = None, analyzer: Analyzer | None = None) -> list[Item]:
    """The follow-up items of a parsed document, exactly as the `followup` rules see them, for
    callers that have no engine Analysis at hand (the archive report).

    A block is run through spaCy only when the item logic looks at its tokens (a possible group
    label, a possible person named as owner), with `analyzer` (default: one for the config's
    pipeline, made when first needed), so most documents need no parse at all."""
    config = config or Config()
    made = [analyzer]

    def parse(text: str):
        if made[0] is None:
            made[0] = Analyzer(config.model)
        return made[0].docs([text])[0]

    units = [_LazyUnit(b, parse) for b in document.blocks if b.text.strip()]
    return collect_items(document, units, followup_regions(document, config))


class _LazyUnit:
    """A block whose Doc is made when first read (in a lint, the engine's Unit)."""

    def __init__(self, block, parse):
        self.block = block
        self._parse = parse
        self._doc = None

    @property
    def doc(self):
        if self._doc is None:
            self._doc = self._parse(self.block.text)
        return self._doc

    def analysed(self):
        return self.doc

    def analysed_at(self, a: int, b: int):
        return self.doc
