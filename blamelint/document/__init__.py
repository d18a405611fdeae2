"""Parse a post-mortem (Markdown or plain text) into prose blocks with exact source offsets.

Every offset is an index into `Document.source` (the text without a leading BOM).
Each Block keeps, per prose character, the source span it came from, so findings on
prose map back to the source exactly for verbatim text.
"""

from __future__ import annotations

import re
from array import array
from bisect import bisect_left, bisect_right
from collections import OrderedDict
from dataclasses import dataclass, field, replace
from itertools import accumulate, pairwise

import yaml
from markdown_it import MarkdownIt

# Canonical section kind -> heading synonyms (compared after norm_title).
SECTION_KINDS: dict[str, list[str]] = {
    "key-facts": ["Key Facts", "Incident details", "Incident facts", "Summary of facts"],
    "executive-summary": ["Executive Summary", "Summary", "TL;DR", "TLDR", "Overview"],
    "timeline": ["Timeline", "Incident timeline", "Chronology", "Sequence of events"],
    "contributors": [
        "Contributors, Mitigators, Risks",
        "Contributors",
        "Contributing factors",
        "Root cause",
        "Root causes",
        "Root cause(s)",
        "Root cause analysis",
        "Causes",
    ],
    "mitigators": ["Mitigators", "Mitigating factors", "What went well"],
    "risks": ["Risks"],
    "diagnostics": ["Diagnostics and Evidence", "Diagnostics", "Evidence"],
    "learnings": ["Learnings", "Lessons learned", "Lessons learnt", "What we learned"],
    "follow-ups": [
        "Follow-ups",
        "Follow ups",
        "Followups",
        "Follow-up",
        "Follow-up items",
        "Follow-up actions",
        "Action Items",
        "Actions",
        "Action plan",
        "Remediation",
        "Remediation items",
        "Next steps",
        "Corrective actions",
    ],
    "appendix": ["Appendix", "Appendices"],
}

DIRECTIVE_RE = re.compile(
    r"<!--\s*blamelint-(disable-next-line|disable-line|disable-file|disable|enable)\b(.*?)-->", re.S
)

_MD = MarkdownIt("commonmark").enable(["table", "strikethrough"])
_MD.disable("text_join")  # keep escapes/entities as text_special tokens (markup = source)

_LINE_END_RE = re.compile(r"\r\n|\r|\n")
_ASTRAL_RE = re.compile("[\U00010000-\U0010ffff]")
_SURROGATE_RE = re.compile("[\ud800-\udfff]")
# Container prefix of a line: indentation, blockquote '>', list markers, ATX '#'.
_PREFIX_RE = re.compile(r"(?:[ \t]*(?:>|(?:[-+*]|\d{1,9}[.)]|#{1,6})(?=[ \t]|$)))*[ \t]*")
_SKIP = frozenset(" \t*_~\r\n")  # emphasis/strikethrough delimiters and whitespace
_BOX_RE = re.compile(r"\[([ xX])\](?:[ \t]+|$)")
_URL_RE = re.compile(r"(\bhttps?://|\bwww\.)[^\s<>]+", re.I)
_URL_TRAIL = ".,;:!?'\"*_~"
_TEXT_ITEM_RE = re.compile(r"([ \t]*)([-*+]|\d{1,9}\.)[ \t]+")
_RULE_RE = re.compile(r"\w[\w.:/-]*")


@dataclass(eq=False)
class Section:
    title: str
    level: int
    kind: str | None
    start: int  # heading start
    end: int  # start of the next heading of the same or a higher level
    body_start: int  # after the heading line
    parent: Section | None = field(default=None, repr=False)


@dataclass(eq=False)
class Block:
    """One prose unit; `text` is the prose, `start`/`end` its source span."""

    kind: str  # heading | paragraph | list_item | table_cell
    text: str
    start: int
    end: int
    section: Section | None = field(default=None, repr=False)
    level: int = 0  # heading level or list depth (1 = top level)
    checked: bool | None = None
    quoted: bool = False
    item_start: int | None = None
    item_end: int | None = None
    ordered: bool = False
    _starts: array = field(default_factory=lambda: array("q"), repr=False)  # per prose char: its source start
    _ends: array = field(default_factory=lambda: array("q"), repr=False)
    _shift: int = field(default=0, repr=False)  # added to _starts/_ends (a block parsed in a chunk)

    def source_span(self, a: int, b: int) -> tuple[int, int]:
        """Source span of the prose span [a, b)."""
        n = len(self._starts)
        a = max(0, min(a, n))
        b = max(a, min(b, n))
        k = self._shift
        if a < b:
            return self._starts[a] + k, self._ends[b - 1] + k
        # empty span: a point before prose char a, or after the last one
        if a < n:
            return self._starts[a] + k, self._starts[a] + k
        if n:
            return self._ends[-1] + k, self._ends[-1] + k
        return self.start, self.start


@dataclass
class Directive:
    kind: str  # disable | enable | disable-next-line | disable-line | disable-file
    rules: list[str]  # empty = all rules
    start: int
    end: int
    line: int  # 1-based line of `start`


@dataclass
class Document:
    source: str
    path: str | None = None
    kind: str = "markdown"
    bom: bool = False
    blocks: list[Block] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    front_matter: dict = field(default_factory=dict)
    front_matter_error: str | None = None
    directives: list[Directive] = field(default_factory=list)
    code_ranges: list[tuple[int, int]] = field(default_factory=list)
    line_starts: list[int] = field(default_factory=list)

    def __post_init__(self):
        if not self.line_starts:
            self.line_starts = _line_starts(self.source)
        self._astral = [] if self.source.isascii() else [m.start() for m in _ASTRAL_RE.finditer(self.source)]
        self._section_starts = [s.start for s in self.sections]

    # --- positions ---

    def _clamp(self, offset: int) -> int:
        return max(0, min(offset, len(self.source)))

    def _line_index(self, offset: int) -> int:
        return bisect_right(self.line_starts, offset) - 1

    def _line_end(self, i: int) -> int:
        return _line_end(self.source, self.line_starts, i)

    @classmethod
    def plain(cls, source: str, path: str | None = None, bom: bool = False) -> Document:
        """A Document with positions and lines only (no parse): what the output formats need."""
        return cls(source=source, path=path, bom=bom)

    def position(self, offset: int) -> tuple[int, int]:
        """1-based (line, column in code points)."""
        o = self._clamp(offset)
        i = self._line_index(o)
        return i + 1, o - self.line_starts[i] + 1

    def utf16_position(self, offset: int) -> tuple[int, int]:
        """0-based (line, column in UTF-16 code units), as LSP wants."""
        o = self._clamp(offset)
        i = self._line_index(o)
        s = self.line_starts[i]
        extra = bisect_left(self._astral, o) - bisect_left(self._astral, s)
        return i, o - s + extra

    def offset_at(self, line: int, col: int) -> int:
        """Inverse of position(); columns past the line end clamp to it."""
        if line < 1:
            return 0
        if line > len(self.line_starts):
            return len(self.source)
        s = self.line_starts[line - 1]
        return min(s + max(col, 1) - 1, self._line_end(line - 1))

    def offset_at_utf16(self, line0: int, char0: int) -> int:
        """Inverse of utf16_position(); a column inside a surrogate pair rounds down."""
        if line0 < 0:
            return 0
        if line0 >= len(self.line_starts):
            return len(self.source)
        s, e = self.line_starts[line0], self._line_end(line0)
        pos, units = s, max(char0, 0)
        k = bisect_left(self._astral, s)
        while k < len(self._astral) and self._astral[k] < e:
            a = self._astral[k]
            if a - pos >= units:
                break
            units -= a - pos
            if units < 2:
                return a
            units -= 2
            pos = a + 1
            k += 1
        return min(pos + units, e)

    def line_text(self, line: int) -> str:
        """Source line (1-based) without its line end; '' when out of range."""
        if line < 1 or line > len(self.line_starts):
            return ""
        return self.source[self.line_starts[line - 1] : self._line_end(line - 1)]

    def section_at(self, offset: int) -> Section | None:
        """Innermost section containing offset."""
        i = bisect_right(self._section_starts, offset) - 1
        s = self.sections[i] if i >= 0 else None
        while s is not None and offset >= s.end and s.end < len(self.source):
            s = s.parent
        return s


# --- helpers ---


def _line_starts(text: str) -> list[int]:
    if "\r" not in text:  # the usual case, four times faster
        return [0, *accumulate(len(line) + 1 for line in text.split("\n")[:-1])]
    return [0] + [m.end() for m in _LINE_END_RE.finditer(text)]


def _line_end(src: str, ls: list[int], i: int) -> int:
    """End of line i without its line end."""
    e = ls[i + 1] if i + 1 < len(ls) else len(src)
    if e > ls[i] and src[e - 1] == "\n":
        e -= 1
    if e > ls[i] and src[e - 1] == "\r":
        e -= 1
    return e


def norm_title(title: str) -> str:
    """Lower-case a heading, drop emoji, punctuation, numbering and (parentheticals)."""
    t = title.lower()
    t = re.sub(r"\([^)]*\)|\[[^\]]*\]", " ", t)
    t = re.sub(r"^[\W_]+", "", t)
    t = re.sub(r"^(?:\d+(?:[.)]\d+)*[.):]?|[ivx]+[.)])\s+", "", t)
    return " ".join(re.sub(r"[\W_]+", " ", t).split())


def kind_lookup(section_kinds: dict[str, list[str]]) -> dict[str, str]:
    table = {}
    for kind, names in section_kinds.items():
        for name in [kind, *names]:
            table.setdefault(norm_title(name), kind)
    return table


def _rules(args: str) -> list[str]:
    args = args.split("--", 1)[0]  # `-- reason` ends the rule list
    return [r for r in re.split(r"[\s,]+", args) if _RULE_RE.fullmatch(r)]


def _directives(src: str, start: int, end: int, line_of) -> list[Directive]:
    out = []
    for m in DIRECTIVE_RE.finditer(src, start, end):
        out.append(Directive(m.group(1), _rules(m.group(2)), m.start(), m.end(), line_of(m.start())))
    return out


class _Prose:
    """Prose text being built, with the source span of every character."""

    def __init__(self):
        self.parts: list[str] = []
        self.starts: list[int] = []
        self.ends: list[int] = []
        self.gap = False  # something was dropped just before the next piece

    def verbatim(self, src: str, s: int, e: int):
        if self.gap and self.parts and self.parts[-1][-1:] in (" ", "\t"):
            while s < e and src[s] in " \t":  # no double space where an image/HTML was dropped
                s += 1
        self.gap = False
        self.parts.append(src[s:e])
        self.starts.extend(range(s, e))
        self.ends.extend(range(s + 1, e + 1))

    def mapped(self, text: str, s: int, e: int):
        """Text whose every char stands for the whole source span [s, e)."""
        self.gap = False
        self.parts.append(text)
        self.starts.extend([s] * len(text))
        self.ends.extend([e] * len(text))

    def block(self, kind: str, fallback: int, **kw) -> Block:
        text = "".join(self.parts)
        starts, ends = self.starts, self.ends
        # trim surrounding whitespace
        a, b = 0, len(text)
        while a < b and text[a].isspace():
            a += 1
        while b > a and text[b - 1].isspace():
            b -= 1
        text, starts, ends = text[a:b], starts[a:b], ends[a:b]
        text, starts, ends = _replace_urls(text, starts, ends)
        if not text.isascii():  # a lone surrogate (an editor may send one) is no text spaCy can read
            text = _SURROGATE_RE.sub("\ufffd", text)
        start, end = (starts[0], ends[-1]) if text else (fallback, fallback)
        # as machine integers: a list holds an int object per character (a fifth of the memory)
        return Block(kind, text, start, end, _starts=array("q", starts), _ends=array("q", ends), **kw)


def _replace_urls(text, starts, ends):
    """Bare URLs (http://, https://, www.) become the placeholder `link`."""
    low = text.lower()
    if "http" not in low and "www." not in low:
        return text, starts, ends
    out, s_out, e_out, last = [], [], [], 0
    for m in _URL_RE.finditer(text):
        a, b = m.start(), m.end()
        while b > a and (text[b - 1] in _URL_TRAIL or (text[b - 1] in ")]}" and _unbalanced(text[a:b]))):
            b -= 1
        if b <= a + len(m.group(1)):
            continue  # nothing after the scheme
        out.append(text[last:a])
        s_out += starts[last:a]
        e_out += ends[last:a]
        out.append("link")
        s_out += [starts[a]] * 4
        e_out += [ends[b - 1]] * 4
        last = b
    if not out:
        return text, starts, ends
    out.append(text[last:])
    return "".join(out), s_out + starts[last:], e_out + ends[last:]


def _unbalanced(url: str) -> bool:
    close = url[-1]
    opening = {")": "(", "]": "[", "}": "{"}[close]
    return url.count(close) > url.count(opening)


def _front_matter(src: str, ls: list[int]):
    """(end offset, closing line index, data, error) or None when there is no front matter."""
    if src[: _line_end(src, ls, 0)].rstrip() != "---":
        return None
    for i in range(1, len(ls)):
        if src[ls[i] : _line_end(src, ls, i)].rstrip() in ("---", "..."):
            break
    else:
        return None  # unterminated: not front matter
    end = ls[i + 1] if i + 1 < len(ls) else len(src)
    data, error = {}, None
    try:
        loaded = yaml.safe_load(src[ls[1] : ls[i]])
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 2 if mark is not None else 2
        problem = getattr(exc, "problem", None) or str(exc)
        error = f"invalid YAML front matter at line {line}: {' '.join(str(problem).split())}"
    except Exception as exc:  # e.g. ValueError for an impossible date
        error = f"invalid YAML front matter at line 2: {' '.join(str(exc).split())}"
    else:
        if isinstance(loaded, dict):
            data = loaded
        elif loaded is not None:
            error = f"front matter at line 2 is not a mapping (got {type(loaded).__name__})"
    return end, i, data, error


# --- Markdown ---


def split_table_row(src: str, s: int, e: int, quoted: bool = True) -> list[tuple[int, int]]:
    """Source spans of the cells of a table row in src[s:e] (outer pipes and padding dropped)."""
    while s < e and (src[s] in " \t" or (quoted and src[s] == ">")):
        s += 1
    while e > s and src[e - 1] in " \t":
        e -= 1
    cells, start = [], s
    for q in range(s, e):
        if src[q] == "|" and (q == s or src[q - 1] != "\\"):
            cells.append((start, q))
            start = q + 1
    cells.append((start, e))
    if cells and cells[0][0] == cells[0][1]:
        cells.pop(0)
    if cells and cells[-1][0] == cells[-1][1]:
        cells.pop()
    return cells


class _Markdown:
    """Walks markdown-it tokens and locates inline pieces with a forward-only cursor."""

    def __init__(self, src: str, ls: list[int]):
        self.src = src.replace("\0", "\ufffd")  # as markdown-it does; same offsets
        self.ls = ls
        self.blocks: list[Block] = []
        self.headings: list[tuple[Block, int, int]] = []  # (block, heading start, body start)
        self.directives: list[Directive] = []
        self.code_ranges: list[tuple[int, int]] = []
        self._prefix: dict[int, int] = {}

    # line helpers
    def line_start(self, i: int) -> int:
        return self.ls[i] if i < len(self.ls) else len(self.src)

    def line_end(self, i: int) -> int:
        return _line_end(self.src, self.ls, min(i, len(self.ls) - 1))

    def line_of(self, p: int) -> int:
        return bisect_right(self.ls, p)  # 1-based

    def prefix_end(self, line: int) -> int:
        e = self._prefix.get(line)
        if e is None:
            e = _PREFIX_RE.match(self.src, self.ls[line], self.line_end(line)).end()
            self._prefix[line] = e
        return e

    def skippable(self, p: int) -> bool:
        return self.src[p] in _SKIP or p < self.prefix_end(bisect_right(self.ls, p) - 1)

    def find(self, s: str, cur: int, limit: int) -> int:
        """Start of s reached from cur over markup only, else its unique occurrence, else -1."""
        src, n, p = self.src, len(s), cur
        while p + n <= limit:
            if src.startswith(s, p):
                return p
            if not self.skippable(p):
                break
            p += 1
        i = src.find(s, cur, limit)
        if i >= 0 and src.find(s, i + 1, limit) < 0:
            return i
        return -1

    def skip_ws(self, q: int, limit: int) -> int:
        while q < limit and (self.src[q] in " \t\r\n" or q < self.prefix_end(bisect_right(self.ls, q) - 1)):
            q += 1
        return q

    # --- token walk ---

    def run(self, md_text: str, tokens=None):
        containers: list = []  # item dicts and "quote"
        lists: list[bool] = []  # ordered flag per open list
        quote = 0
        ctx = None  # what the next inline token belongs to
        cell = 0
        table = None  # container context of the open table
        for tok in (_MD.parse(md_text) if tokens is None else tokens):
            t = tok.type
            parent = containers[-1] if containers else None
            if isinstance(parent, dict) and tok.block and tok.nesting >= 0 and t != "inline":
                first = parent["fresh"]
                parent["fresh"] = False  # the first child of an item is seen
            else:
                first = False
            if t in ("bullet_list_open", "ordered_list_open"):
                lists.append(t == "ordered_list_open")
            elif t in ("bullet_list_close", "ordered_list_close"):
                lists.pop()
            elif t == "list_item_open":
                containers.append(self.item(tok, containers, lists))
            elif t == "blockquote_open":
                containers.append("quote")
                quote += 1
            elif t in ("list_item_close", "blockquote_close"):
                quote -= containers.pop() == "quote"
            elif t == "heading_open":
                ctx = {"kind": "heading", "level": int(tok.tag[1:]), "lines": tok.map}
            elif t == "paragraph_open":
                if isinstance(parent, dict):
                    ctx = {"kind": "list_item", "item": parent, "box": first}
                else:
                    ctx = {"kind": "paragraph"}
            elif t == "table_open":
                item = next((c for c in reversed(containers) if isinstance(c, dict)), None)
                table = (item, quote > 0)
            elif t == "tr_open":
                cell = 0
            elif t in ("th_open", "td_open"):
                ctx = {"kind": "table_cell", "cell": cell}
                cell += 1
            elif t == "inline" and ctx is not None and tok.map:
                self.inline_block(tok, ctx, quote > 0, table)
                ctx = None
            elif t in ("fence", "code_block") and tok.map:
                self.code_block(tok)
            elif t == "html_block" and tok.map:
                a, b = tok.map
                self.directives += _directives(
                    self.src, self.line_start(a), self.line_end(b - 1), self.line_of
                )

    def item(self, tok, containers, lists) -> dict:
        """Record a list item: its source span and marker end."""
        a, b = tok.map
        p = self.line_start(a)
        for c in reversed(containers):  # nested item on the same line: start after its marker
            if isinstance(c, dict):
                if c["line"] == a:
                    p = c["marker_end"]
                break
        end = self.line_end(a)
        while p < end and self.src[p] in " \t>":
            p += 1
        start = p
        while p < end and self.src[p].isdigit():
            p += 1
        p = min(p + 1, end)  # the bullet or the '.'/')'
        item_end = start
        for i in range(b - 1, a - 1, -1):  # last non-blank line of the item
            text = self.src[self.line_start(i) : self.line_end(i)].rstrip()
            if text.strip(" \t>"):
                item_end = max(start, self.line_start(i) + len(text))
                break
        return {
            "line": a,
            "start": start,
            "end": item_end,
            "marker_end": p,
            "ordered": lists[-1] if lists else False,
            "level": len(lists),
            "fresh": True,
        }

    def code_block(self, tok):
        a, b = tok.map
        s = self.line_start(a)
        if tok.type == "fence":
            i = self.src.find(tok.markup, s, self.line_end(a))
            s = i if i >= 0 else s
        self.code_ranges.append((s, max(s, self.line_end(b - 1))))

    def inline_block(self, tok, ctx, quoted, table):
        a, b = tok.map
        cur, limit = self.line_start(a), self.line_end(b - 1)
        kind = ctx["kind"]
        if kind == "table_cell":
            segs = self.row_cells(a, *table)
            if ctx["cell"] >= len(segs):
                return
            cur, limit = segs[ctx["cell"]]
        prose = _Prose()
        checked = self.walk(
            tok.children or [], prose, cur, limit, ctx.get("box", False), kind == "table_cell"
        )
        fallback = prose.starts[-1] if prose.starts else cur
        if kind == "heading":
            block = prose.block("heading", fallback, level=ctx["level"], quoted=quoted)
            ha, hb = ctx["lines"] or tok.map  # setext headings include the underline
            self.headings.append((block, self.line_start(ha), self.line_start(hb)))
        elif kind == "list_item":
            item = ctx["item"]
            block = prose.block(
                "list_item",
                fallback,
                level=item["level"],
                ordered=item["ordered"],
                item_start=item["start"],
                item_end=item["end"],
                checked=checked,
                quoted=quoted,
            )
        else:
            block = prose.block(kind, fallback, quoted=quoted)
            if not block.text:
                return  # e.g. a paragraph that is only an image or an empty cell
        self.blocks.append(block)

    def row_cells(self, line: int, item, quoted: bool) -> list[tuple[int, int]]:
        """Source spans of the cells of a table row (split on unescaped pipes)."""
        src = self.src
        s, e = self.line_start(line), self.line_end(line)
        if item and item["line"] == line:
            s = item["marker_end"]  # the row shares its line with the list marker
        return split_table_row(src, s, e, quoted)

    def walk(self, children, prose: _Prose, cur: int, limit: int, box: bool, table: bool):
        """Add the prose of inline children; returns the task-box state (or None)."""
        src = self.src
        checked = None
        i = 0
        while i < len(children):
            t = children[i]
            ty = t.type
            if ty == "text" and t.content:
                if i == 0 and box and (m := _BOX_RE.match(t.content)):
                    checked = m.group(1) != " "
                    p = self.find(t.content, cur, limit)
                    if p >= 0:
                        prose.verbatim(src, p + m.end(), p + len(t.content))
                        cur = p + len(t.content)
                else:
                    cur = self.text(t.content, prose, cur, limit, table)
            elif ty == "text_special":
                markup = t.markup or t.content
                p = self.find(markup, cur, limit)
                if p >= 0:
                    if t.content == markup:
                        prose.verbatim(src, p, p + len(markup))
                    else:
                        prose.mapped(t.content, p, p + len(markup))
                    cur = p + len(markup)
            elif ty in ("softbreak", "hardbreak"):
                cur = self.line_break(prose, cur, limit)
            elif ty == "code_inline":
                cur = self.code_span(t, prose, cur, limit, table)
            elif ty == "link_open" and t.markup == "autolink":
                cur = self.autolink(prose, cur, limit)
                while i + 1 < len(children) and children[i].type != "link_close":
                    i += 1
            elif ty == "link_open":
                p = self.find("[", cur, limit)
                if p >= 0:
                    cur = p + 1
            elif ty == "link_close":
                p = self.find("]", cur, limit)
                if p >= 0:
                    cur = self.link_tail(p + 1, limit)
            elif ty == "image":
                cur = self.image(cur, limit)
                prose.gap = True
            elif ty == "html_inline":
                cur = self.html_inline(t.content, cur, limit)
                prose.gap = True
            i += 1
        return checked

    def text(self, content: str, prose: _Prose, cur: int, limit: int, table: bool) -> int:
        if table and "|" in content:
            return self.table_text(content, prose, cur, limit)
        p = self.find(content, cur, limit)
        if p < 0:
            return cur  # cannot be located exactly: drop it
        prose.verbatim(self.src, p, p + len(content))
        return p + len(content)

    def table_text(self, content, prose, cur, limit) -> int:
        """Cell text where '|' was written as '\\|'."""
        pattern = re.compile(re.escape(content).replace(r"\|", r"\\\|"))
        p, m = cur, None
        while p < limit:
            m = pattern.match(self.src, p, limit)
            if m or not self.skippable(p):
                break
            p += 1
        if not m:
            found = list(pattern.finditer(self.src, cur, limit))
            m = found[0] if len(found) == 1 else None
        if not m:
            return cur
        q = m.start()
        for c in content:
            n = 2 if c == "|" else 1
            if n == 1:
                prose.verbatim(self.src, q, q + 1)
            else:
                prose.mapped("|", q, q + 2)
            q += n
        return m.end()

    def line_break(self, prose: _Prose, cur: int, limit: int) -> int:
        src, p = self.src, cur
        while p < limit and src[p] in " \t\\*_~":
            p += 1
        if p < limit and src[p] in "\r\n":
            e = p + 2 if src.startswith("\r\n", p) else p + 1
            prose.mapped(" ", p, e)
            return e
        if prose.parts and not prose.parts[-1].endswith(" "):
            prose.mapped(" ", cur, cur)  # keep words apart; zero-width, never a wrong span
        return cur

    def code_span(self, t, prose: _Prose, cur: int, limit: int, table: bool) -> int:
        src, n = self.src, len(t.markup)
        ticks = "`" * n
        p = self.find(ticks, cur, limit)
        if p < 0 or (p > cur and src[p - 1] == "`") or src.startswith("`", p + n):
            return cur
        q = p + n
        while True:  # closing run of exactly n backticks
            q = src.find(ticks, q, limit)
            if q < 0:
                return cur
            r = q
            while r < len(src) and src[r] == "`":
                r += 1
            if r - q == n:
                break
            q = r
        inner = src[p + n : q]
        if table:
            inner = inner.replace("\\|", "|")  # the table parser unescapes pipes first
        squash = re.compile(r"[\s>]+")
        if squash.sub("", inner) != squash.sub("", t.content):
            return cur
        prose.mapped("code", p, q + n)
        self.code_ranges.append((p, q + n))
        return q + n

    def autolink(self, prose: _Prose, cur: int, limit: int) -> int:
        p = self.find("<", cur, limit)
        if p < 0:
            return cur
        q = self.src.find(">", p + 1, limit)
        if q < 0 or any(c.isspace() or c == "<" for c in self.src[p + 1 : q]):
            return cur
        prose.mapped("link", p, q + 1)
        return q + 1

    def link_tail(self, p: int, limit: int) -> int:
        """Skip `(destination "title")` or `[ref]` after a link's `]` at p - 1."""
        src = self.src
        if p < limit and src[p] == "(":
            e = self.paren_tail(p, limit)
            if e > 0:
                return e
        elif p < limit and src[p] == "[":
            q = src.find("]", p + 1, limit)
            if q >= 0 and "[" not in src[p + 1 : q].replace("\\[", ""):
                return q + 1
        return p

    def paren_tail(self, p: int, limit: int) -> int:
        """End of an inline link tail starting at '(' (CommonMark syntax), or -1."""
        src = self.src
        q = self.skip_ws(p + 1, limit)
        if q < limit and src[q] == "<":
            q += 1
            while q < limit and src[q] not in "<>\r\n":
                q += 2 if src[q] == "\\" else 1
            if q >= limit or src[q] != ">":
                return -1
            q += 1
        else:
            depth = 0
            while q < limit:
                c = src[q]
                if c == "\\":
                    q += 2
                    continue
                if c.isspace() or ord(c) < 0x20 or (c == ")" and depth == 0):
                    break
                depth += (c == "(") - (c == ")")
                q += 1
        gap = q
        q = self.skip_ws(q, limit)
        if q < limit and q > gap and src[q] in "\"'(":
            close = ")" if src[q] == "(" else src[q]
            q += 1
            while q < limit and src[q] != close:
                q += 2 if src[q] == "\\" else 1
            if q >= limit:
                return -1
            q = self.skip_ws(q + 1, limit)
        return q + 1 if q < limit and src[q] == ")" else -1

    def image(self, cur: int, limit: int) -> int:
        """Skip `![alt](src)` / `![alt][ref]`; images are not prose."""
        src = self.src
        p = self.find("![", cur, limit)
        if p < 0:
            return cur
        q, depth = p + 2, 1
        while q < limit:
            c = src[q]
            if c == "\\":
                q += 2
                continue
            depth += (c == "[") - (c == "]")
            if depth == 0:
                break
            q += 1
        if q >= limit:
            return cur
        return self.link_tail(q + 1, limit)

    def html_inline(self, content: str, cur: int, limit: int) -> int:
        """Inline HTML is dropped from prose; a blamelint comment in it is a directive."""
        if "\n" in content:  # match the first and last line (inner lines may carry prefixes)
            first, last = content.split("\n")[0], content.split("\n")[-1].lstrip()
            p = self.find(first, cur, limit)
            q = self.src.find(last, p + len(first), limit) if p >= 0 and last else -1
            if q < 0:
                return cur
            e = q + len(last)
        else:
            p = self.find(content, cur, limit)
            if p < 0:
                return cur
            e = p + len(content)
        self.directives += _directives(self.src, p, e, self.line_of)
        return e


# --- plain text ---


def _parse_text(src: str, ls: list[int], first_line: int, hidden: list[tuple[int, int]]) -> list[Block]:
    """Paragraphs split on blank lines; `- `, `* `, `+ `, `N. ` lines start list items.

    A list item continues on indented lines; an unindented line starts a paragraph.

    `hidden` spans (directive comments) are left out of the prose.
    """
    blocks: list[Block] = []
    lines: list[int] = []  # line indexes of the current block
    item = None  # match of the list marker on the block's first line

    def flush():
        if not lines:
            return
        prose = _Prose()
        checked = None
        for n, i in enumerate(lines):
            s, e = ls[i], _line_end(src, ls, i)
            if n == 0 and item:
                s += item.end()
                if m := _BOX_RE.match(src, s, e):
                    checked = m.group(1) != " "
                    s = m.end()
            while s < e and src[s] in " \t":
                s += 1
            while e > s and src[e - 1] in " \t":
                e -= 1
            if n:  # the previous line end becomes one space
                prev = _line_end(src, ls, lines[n - 1])
                prose.mapped(" ", prev, ls[lines[n - 1] + 1])
            for hs, he in hidden:
                if hs < e and he > s:
                    prose.verbatim(src, s, max(s, hs))
                    prose.gap = True
                    s = min(he, e)
            prose.verbatim(src, s, e)
        if item:
            indent = len(item.group(1).expandtabs(4))
            last = lines[-1]
            end = ls[last] + len(src[ls[last] : _line_end(src, ls, last)].rstrip())
            blocks.append(
                prose.block(
                    "list_item",
                    ls[lines[0]] + item.end(),
                    level=indent // 2 + 1,
                    ordered=item.group(2)[0].isdigit(),
                    checked=checked,
                    item_start=ls[lines[0]] + item.start(2),
                    item_end=end,
                )
            )
        else:
            block = prose.block("paragraph", ls[lines[0]])
            if block.text:
                blocks.append(block)
        lines.clear()

    for i in range(first_line, len(ls)):
        line = src[ls[i] : _line_end(src, ls, i)]
        if not line.strip():
            flush()
            item = None
            continue
        m = _TEXT_ITEM_RE.match(line)
        if m:
            flush()
            item = m
        elif item and line[0] not in " \t":
            flush()  # an unindented line after a list item starts a paragraph
            item = None
        lines.append(i)
    flush()
    return blocks


# --- chunked parsing ---
#
# An editor re-lints the whole document on every keystroke. A top-level ATX heading after a blank
# line closes every open block, so the text can be parsed in chunks split there, each chunk's
# blocks cached by its text and shifted into place: an edit re-parses one chunk. Documents where a chunk is not
# independent (link reference definitions, raw HTML blocks, lone CR line ends) are parsed whole.

CHUNK_MIN = 4000  # shorter texts are parsed whole
_HEADING_LINE_RE = re.compile(r"#{1,6}(?:[ \t]|$)")
_FENCE_RE = re.compile(r" {0,3}(`{3,}|~{3,})")
# parsed whole: link reference definitions and HTML blocks (they reach across headings), fences
# that may sit in a container (a list item or quote closes them, which the chunker cannot see),
# and comments opened after other text on a line
_NOT_CHUNKABLE_RE = re.compile(
    r"^ {0,3}(?:\[[^\]\n]+\]:|<[A-Za-z/?])|^[ \t]+(?:`{3,}|~{3,})|^[ \t]*[>*+-][^\n]*(?:`{3,}|~{3,})"
    r"|^(?! {0,3}<!--)[^\n]*<!--", re.M)
_CHUNKS: OrderedDict = OrderedDict()
_CHUNK_CACHE_SIZE = 2000


def _split_chunks(text: str) -> list[tuple[int, str]] | None:
    """(first line, text) of each chunk, or None when the text must be parsed whole."""
    if len(text) < CHUNK_MIN or "\r" in text or _NOT_CHUNKABLE_RE.search(text):
        return None
    lines = text.split("\n")
    starts = [0]
    fence = None  # (char, length) of the open fence
    comment = False
    for i, line in enumerate(lines):
        if fence is not None:
            m = _FENCE_RE.match(line)
            if m and m.group(1)[0] == fence[0] and len(m.group(1)) >= fence[1] and not line[m.end():].strip():
                fence = None
            continue
        if comment:
            comment = "-->" not in line
            continue
        if i > 0 and not lines[i - 1].strip() and _HEADING_LINE_RE.match(line):
            starts.append(i)
        m = _FENCE_RE.match(line)
        if m and not (m.group(1)[0] == "`" and "`" in line[m.end():]):
            fence = (m.group(1)[0], len(m.group(1)))
        elif "<!--" in line and "-->" not in line[line.index("<!--"):]:
            comment = True
    if len(starts) < 2:
        return None
    bounds = starts + [len(lines)]
    return [(a, "\n".join(lines[a:b]) + ("\n" if b < len(lines) else "")) for a, b in pairwise(bounds)]


def _chunk(src: str, body: str) -> tuple:
    """Blocks, headings, directives and code ranges of one chunk, in chunk offsets (cached)."""
    key = (src, body)
    found = _CHUNKS.get(key)
    if found is None:
        md = _Markdown(src, _line_starts(src))
        md.run(body)
        found = _CHUNKS[key] = (md.blocks, md.headings, md.directives, md.code_ranges)
        while len(_CHUNKS) > _CHUNK_CACHE_SIZE:
            _CHUNKS.popitem(last=False)
    else:
        _CHUNKS.move_to_end(key)
    return found


def _parse_chunks(src: str, ls: list[int], chunks: list[tuple[int, str]]) -> _Markdown:
    """The result of `_Markdown.run` over the whole text, assembled from its chunks (copies: the
    cached blocks are never changed)."""
    out = _Markdown(src, ls)
    for line, body in chunks:
        base = ls[line] if line < len(ls) else len(src)
        n = body.count("\n")  # the chunk's lines; the last chunk of a text with no final line end has no "\n"
        end = ls[line + n] if body.endswith("\n") and line + n < len(ls) else len(src)
        blocks, headings, directives, code_ranges = _chunk(src[base:end], body)
        copies = {}
        for b in blocks:
            copies[id(b)] = c = object.__new__(Block)  # a field-for-field copy (faster than `replace`)
            c.__dict__.update(b.__dict__)
            c.start, c.end, c._shift = b.start + base, b.end + base, b._shift + base
            if b.item_start is not None:
                c.item_start = b.item_start + base
            if b.item_end is not None:
                c.item_end = b.item_end + base
            out.blocks.append(c)
        out.headings += [(copies[id(b)], a + base, z + base) for b, a, z in headings]
        out.directives += [replace(d, start=d.start + base, end=d.end + base, line=d.line + line)
                           for d in directives]
        out.code_ranges += [(a + base, z + base) for a, z in code_ranges]
    return out


# --- long blocks ---

MAX_BLOCK_CHARS = 100_000  # a longer block (a pasted log, a generated table cell) is linted in pieces
_BREAKS = (re.compile(r"[.!?][\"')\]’”]*\s+"), re.compile(r"\n\s*"), re.compile(r"\s+"))


def last_break(text: str, a: int, limit: int, patterns) -> int:
    """Where a piece of text starting at a and at most limit long ends: after the last match in
    its second half of the first pattern that has one (a match that runs on past the piece does
    not count), else at the limit (or the end of the text)."""
    end = min(a + limit, len(text))
    for pattern in patterns:
        ends = [m.end() for m in pattern.finditer(text, a + limit // 2, end)
                if m.end() < end or not text[end:end + 1].isspace()]
        if ends:
            return ends[-1]
    return end


def split_long(blocks: list[Block], limit: int | None = None) -> list[Block]:
    """Blocks longer than limit split into pieces of at most limit characters, each with its
    own exact source map. The first piece keeps the block's kind; the rest are paragraphs (a
    list item or table cell is one item, not several)."""
    limit = limit or MAX_BLOCK_CHARS
    if all(len(b.text) <= limit for b in blocks):
        return blocks
    out = []
    for b in blocks:
        if len(b.text) <= limit:
            out.append(b)
            continue
        text, a = b.text, 0
        while a < len(text):
            z = last_break(text, a, limit, _BREAKS)  # a sentence end, else a line break, else a space
            e = z
            while e > a and text[e - 1].isspace():
                e -= 1
            if e > a:
                piece = replace(b, text=text[a:e], start=b._starts[a] + b._shift, end=b._ends[e - 1] + b._shift,
                                _starts=b._starts[a:e], _ends=b._ends[a:e])
                if a:
                    piece.kind, piece.checked, piece.item_start, piece.item_end = "paragraph", None, None, None
                out.append(piece)
            a = z
    return out


# --- entry point ---


def parse(
    text: str,
    path: str | None = None,
    kind: str | None = None,
    section_kinds: dict[str, list[str]] | None = None,
    chunked: bool = True,
) -> Document:
    """Parse a post-mortem. `section_kinds` replaces SECTION_KINDS when given. `chunked=False`
    parses the Markdown whole: the same blocks, faster when the text will not be seen again (a
    batch run), as chunks pay for their cache and their copies only when an edit reuses them."""
    if kind is None:
        kind = "text" if path and str(path).lower().endswith(".txt") else "markdown"
    if kind not in ("markdown", "text"):
        raise ValueError(f"unknown document kind: {kind!r}")
    bom = text.startswith("\ufeff")
    src = text[1:] if bom else text
    ls = _line_starts(src)
    doc = Document(source=src, path=path, kind=kind, bom=bom, line_starts=ls)

    # front matter: parsed as YAML, then blanked (same line count) for the markdown parser
    fm = _front_matter(src, ls)
    body, first_line = src, 0
    if fm:
        end, close_line, doc.front_matter, doc.front_matter_error = fm
        body = "\n" * (close_line + 1) + src[end:]
        first_line = close_line + 1

    def line_of(p):
        return bisect_right(ls, p)

    if kind == "text":
        doc.directives = _directives(src, 0, len(src), line_of)
        doc.blocks = split_long(_parse_text(src, ls, first_line, [(d.start, d.end) for d in doc.directives]))
        doc.__post_init__()
        return doc

    chunks = _split_chunks(body) if chunked else None
    if chunks is None:
        md = _Markdown(src, ls)
        md.run(body)
    else:
        md = _parse_chunks(src, ls, chunks)
    doc.blocks = md.blocks
    doc.directives = sorted(md.directives, key=lambda d: d.start)
    doc.code_ranges = sorted(md.code_ranges)

    # section tree from headings
    lookup = kind_lookup(SECTION_KINDS if section_kinds is None else section_kinds)
    stack: list[Section] = []
    for block, start, body_start in md.headings:
        while stack and stack[-1].level >= block.level:
            stack.pop().end = start  # a heading closes open sections of the same or a lower level
        title = block.text.strip()
        sec = Section(
            title=title,
            level=block.level,
            kind=lookup.get(norm_title(title)),
            start=start,
            end=len(src),
            body_start=min(body_start, len(src)),
            parent=stack[-1] if stack else None,
        )
        doc.sections.append(sec)
        stack.append(sec)
    doc.__post_init__()
    for block in doc.blocks:
        block.section = doc.section_at(block.start)
    doc.blocks = split_long(doc.blocks)
    return doc
