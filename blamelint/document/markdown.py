"""The Markdown scanner: markdown-it-py tokens turned into prose blocks with exact source spans.

markdown-it gives the structure (blocks, inline tokens) but not where each inline piece sits in
the source; the scanner finds every piece with a forward-only cursor, so each prose character
maps back to its source span. Code, HTML blocks and images give no prose; HTML comments give
directives.
"""

from __future__ import annotations

import re
from bisect import bisect_right

from markdown_it import MarkdownIt

from blamelint.document.directives import find_directives
from blamelint.document.model import Block, Directive, line_end
from blamelint.document.prose import BOX_RE, Prose

# the parser blamelint reads Markdown with
MD = MarkdownIt("commonmark").enable(["table", "strikethrough"])
MD.disable("text_join")  # keep escapes/entities as text_special tokens (markup = source)
# MDX has no indented code: JSX children are often indented
MDX = MarkdownIt("commonmark").enable(["table", "strikethrough"]).disable(["text_join", "code"])

# Container prefix of a line: indentation, blockquote '>', list markers, ATX '#'.
_PREFIX_RE = re.compile(r"(?:[ \t]*(?:>|(?:[-+*]|\d{1,9}[.)]|#{1,6})(?=[ \t]|$)))*[ \t]*")
_SKIP = frozenset(" \t*_~\r\n")  # emphasis/strikethrough delimiters and whitespace


def _emphasised_lead(children) -> str:
    """The text of a strong or em span that opens the inline content and ends its line (the whole
    content, or the line before a break): '' when the content does not open with one."""
    children = [c for c in children if c.type != "text" or c.content.strip()]
    if not children or children[0].type not in ("strong_open", "em_open"):
        return ""
    opening, depth = children[0].type, 0
    for n, c in enumerate(children):
        if c.type == opening:
            depth += 1
        elif c.type == opening.replace("_open", "_close"):
            depth -= 1
            if depth == 0:
                if n + 1 < len(children) and children[n + 1].type not in ("softbreak", "hardbreak"):
                    return ""
                return "".join(x.content for x in children[1:n] if x.type in ("text", "code_inline"))
    return ""


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


class MarkdownScanner:
    """Walks markdown-it tokens and locates inline pieces with a forward-only cursor."""

    def __init__(self, src: str, ls: list[int], mdx: bool = False):
        self.md = MDX if mdx else MD
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
        return line_end(self.src, self.ls, min(i, len(self.ls) - 1))

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

    def run(self, md_text: str, tokens=None, env: dict | None = None):
        containers: list = []  # item dicts and "quote"
        lists: list[bool] = []  # ordered flag per open list
        quote = 0
        ctx = None  # what the next inline token belongs to
        cell = 0
        table = None  # container context of the open table
        for tok in (self.md.parse(md_text, {} if env is None else env) if tokens is None else tokens):
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
                self.directives += find_directives(
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
        prose = Prose()
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
            lead = _emphasised_lead(tok.children or [])
            if lead and block.text.startswith(lead):  # escapes or entities that differ: no lead
                block.emphasised_lead = len(lead)
        self.blocks.append(block)

    def row_cells(self, line: int, item, quoted: bool) -> list[tuple[int, int]]:
        """Source spans of the cells of a table row (split on unescaped pipes)."""
        src = self.src
        s, e = self.line_start(line), self.line_end(line)
        if item and item["line"] == line:
            s = item["marker_end"]  # the row shares its line with the list marker
        return split_table_row(src, s, e, quoted)

    def walk(self, children, prose: Prose, cur: int, limit: int, box: bool, table: bool):
        """Add the prose of inline children; returns the task-box state (or None)."""
        src = self.src
        checked = None
        i = 0
        while i < len(children):
            t = children[i]
            ty = t.type
            if ty == "text" and t.content:
                if i == 0 and box and (m := BOX_RE.match(t.content)):
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

    def text(self, content: str, prose: Prose, cur: int, limit: int, table: bool) -> int:
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

    def line_break(self, prose: Prose, cur: int, limit: int) -> int:
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

    def code_span(self, t, prose: Prose, cur: int, limit: int, table: bool) -> int:
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

    def autolink(self, prose: Prose, cur: int, limit: int) -> int:
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
        self.directives += find_directives(self.src, p, e, self.line_of)
        return e
