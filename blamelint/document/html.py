"""HTML exports (Confluence, Google Docs, a saved page) as prose blocks with exact source offsets.

The standard library's `html.parser` reports every tag, text run and entity with its position.
Each prose character keeps its source span: an entity (`&amp;`) stands for its whole span, a run
of whitespace becomes one space, and inline tags (`<span>`, `<strong>`, `<a>`) are dropped
without moving the text around them. Paragraphs, list items, headings (which make the
sections) and table cells become blocks; `<head>`, `<script>`, `<style>`, `<pre>` and the like
give no prose, and inline `<code>` becomes the placeholder `code`, as a Markdown code span does.

Exporters' shapes: when a page has Confluence's `id="main-content"`, only it and the page title
(`id="title-heading"`) are read, not the breadcrumbs, page metadata or footer around them;
Google Docs' title paragraph (`<p class="... title">`) is a level-1 heading and its flat lists
(`class="lst-kix_...-N"`) are nested at level N + 1; a Confluence task list item
(`ul.inline-task-list`) is checked when its class says so.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from html import unescape
from html.parser import HTMLParser

from blamelint.document.directives import find_directives
from blamelint.document.model import Block, Directive, line_starts
from blamelint.document.prose import Prose

VOID = frozenset("area base br col embed hr img input link meta param source track wbr".split())
SKIP = frozenset("head title script style template noscript svg math pre textarea select iframe object "
                 "button".split())
# tags that end a block of prose where they open or close
BLOCK = frozenset("address article aside blockquote body caption dd details dialog div dl dt fieldset "
                  "figcaption figure footer form h1 h2 h3 h4 h5 h6 header hr html li main nav ol p "
                  "section summary table tbody td tfoot th thead tr ul".split()) | SKIP
P_CLOSERS = frozenset("address article aside blockquote details dialog div dl fieldset figcaption figure "
                      "footer form h1 h2 h3 h4 h5 h6 header hr main nav ol p pre section table ul".split())
HEADINGS = {f"h{n}": n for n in range(1, 7)}
REGION_IDS = ("main-content", "title-heading")  # Confluence: the page body and its title
_REGION_RE = re.compile(r"<[A-Za-z][^>]*\bid\s*=\s*[\"']?main-content[\"'\s/>]")
_ENTITY_RE = re.compile(r"&(?:#[0-9]+|#[xX][0-9a-fA-F]+|[A-Za-z][-.A-Za-z0-9]*);?")
_WS_RE = re.compile(r"[ \t\n\r\f]+")
_GDOCS_LEVEL_RE = re.compile(r"\blst-kix_\w+-(\d+)\b")
_ZERO_WIDTH = frozenset("\u200b\u200c\u200d\u2060\ufeff")


class _El:
    __slots__ = ("tag", "attrs", "start", "classes", "mute")

    def __init__(self, tag: str, attrs: dict, start: int, mute: bool):
        self.tag, self.attrs, self.start, self.mute = tag, attrs, start, mute
        self.classes = (attrs.get("class") or "").split()


class HtmlScanner(HTMLParser):
    """Reads HTML into `blocks`, `headings` (block, heading start, body start), `directives`
    and `code_ranges`, as `MarkdownScanner` does for Markdown."""

    def __init__(self, src: str, ls: list[int] | None = None):
        super().__init__(convert_charrefs=False)  # entities reported on their own, with their position
        self.src = src
        self.ls = line_starts(src) if ls is None else ls
        self._nl = [0] + [m.end() for m in re.finditer("\n", src)]  # html.parser counts "\n" only
        self.blocks: list[Block] = []
        self.headings: list[tuple[Block, int, int]] = []
        self.directives: list[Directive] = []
        self.code_ranges: list[tuple[int, int]] = []
        self.stack: list[_El] = []
        self.regional = bool(_REGION_RE.search(src))  # read only the regions (Confluence)
        self.muted = 0  # open elements whose text is not prose
        self.inside = 0  # open region elements
        self.prose: Prose | None = None
        self.ctx: dict = {}

    def run(self) -> HtmlScanner:
        self.feed(self.src)
        self.close()
        self.flush(len(self.src))
        return self

    def here(self) -> int:
        line, col = self.getpos()
        return self._nl[line - 1] + col

    def reading(self) -> bool:
        return not self.muted and (self.inside or not self.regional)

    # --- tags ---

    def handle_starttag(self, tag, attrs):
        self.open(tag, attrs, tag in VOID)

    def handle_startendtag(self, tag, attrs):
        self.open(tag, attrs, True)

    def open(self, tag: str, attrs, void: bool):
        start = self.here()
        end = start + len(self.get_starttag_text() or "")
        self.implicit_close(tag, start)
        if tag in BLOCK:
            self.flush(start)
        if tag == "br" and self.reading():
            self.space(start, end)
        elif tag == "img" and self.prose is not None:
            self.prose.gap = True
        if void:
            return
        attrs = {k: v or "" for k, v in attrs}
        # inline <code>: its text is not prose, the placeholder `code` stands for it
        el = _El(tag, attrs, start, tag in SKIP or (tag == "code" and not self.muted))
        self.muted += el.mute
        self.inside += attrs.get("id") in REGION_IDS
        self.stack.append(el)

    def implicit_close(self, tag: str, at: int):
        """The end tags HTML lets a page leave out: a <p> before a block, an <li> before the next."""
        if tag in P_CLOSERS:
            self.close_within(("p",), BLOCK, at)
        if tag == "li":
            self.close_within(("li",), ("ul", "ol"), at)
        elif tag in ("dt", "dd"):
            self.close_within(("dt", "dd"), ("dl",), at)
        elif tag in ("td", "th"):
            self.close_within(("td", "th"), ("tr", "table"), at)
        elif tag == "tr":
            self.close_within(("tr",), ("table", "tbody", "thead", "tfoot"), at)

    def close_within(self, tags, bounds, at: int):
        """Close the innermost open element of `tags` unless an element of `bounds` is inside it."""
        for el in reversed(self.stack):
            if el.tag in tags:
                self.close_to(el.tag, at)
                return
            if el.tag in bounds:
                return

    def handle_endtag(self, tag):
        gt = self.src.find(">", self.here())
        self.close_to(tag, gt + 1 if gt >= 0 else len(self.src))

    def close_to(self, tag: str, end: int):
        """Close the innermost open `tag` and everything inside it; `end` is where its end tag ends."""
        if not any(e.tag == tag for e in self.stack):
            return  # a stray end tag
        while self.stack:
            el = self.stack.pop()
            self.muted -= el.mute
            self.inside -= el.attrs.get("id") in REGION_IDS
            if (el.tag == "pre" or (el.tag == "code" and el.mute)) and self.reading():
                self.code_ranges.append((el.start, end))
                if el.tag == "code":
                    self.text_start()
                    self.prose.mapped("code", el.start, end)
            if el.tag in BLOCK:
                self.flush(end)
            if el.tag == tag:
                return

    # --- text ---

    def handle_data(self, data):
        if not self.reading():
            return
        o = self.here()
        if self.src[o:o + len(data)] != data:
            return  # never expected; dropped rather than mapped wrong
        p = 0
        for m in _WS_RE.finditer(data):
            if m.start() > p:
                self.verbatim(o + p, o + m.start())
            self.space(o + m.start(), o + m.end())
            p = m.end()
        if p < len(data):
            self.verbatim(o + p, o + len(data))

    def handle_entityref(self, name):
        self.entity()

    def handle_charref(self, name):
        self.entity()

    def entity(self):
        if not self.reading():
            return
        m = _ENTITY_RE.match(self.src, self.here())
        if not m:
            return
        s, e = m.span()
        text = unescape(m.group())
        if text == m.group():
            self.verbatim(s, e)  # not an entity after all ("AT&T")
        elif text.isspace() or text == "\xa0":
            self.space(s, e)
        elif text not in _ZERO_WIDTH:
            self.text_start()
            self.prose.mapped(text, s, e)

    def handle_comment(self, data):
        s = self.here()
        self.directives += find_directives(self.src, s, s + len(data) + 7, self.line_of)

    def line_of(self, p: int) -> int:
        return bisect_right(self.ls, p)

    def verbatim(self, s: int, e: int):
        self.text_start()
        self.prose.verbatim(self.src, s, e)

    def space(self, s: int, e: int):
        """Whitespace: one space, none at the start of a block or after another space."""
        p = self.prose
        if p is not None and p.parts and not p.parts[-1].endswith(" "):
            p.mapped(" ", s, e)

    # --- blocks ---

    def text_start(self):
        """The first text of a block: open it, with what its enclosing elements make it."""
        if self.prose is not None:
            return
        self.prose = Prose()
        ctx = {"kind": "paragraph", "quoted": any(e.tag == "blockquote" for e in self.stack)}
        for i in range(len(self.stack) - 1, -1, -1):
            el = self.stack[i]
            if el.tag in HEADINGS or (el.tag == "p" and "title" in el.classes):
                ctx.update(kind="heading", level=HEADINGS.get(el.tag, 1), heading_start=el.start)
                break
            if el.tag in ("td", "th"):
                ctx["kind"] = "table_cell"
                break
            if el.tag == "li":
                ctx.update(self.item(el, self.stack[:i]))
                break
        self.ctx = ctx

    @staticmethod
    def item(li: _El, outer: list[_El]) -> dict:
        lists = [e for e in outer if e.tag in ("ul", "ol")]
        level, ordered, checked = len(lists) or 1, False, None
        if lists:
            inner = lists[-1]
            ordered = inner.tag == "ol"
            m = _GDOCS_LEVEL_RE.search(inner.attrs.get("class", ""))
            if m:
                level = max(level, int(m.group(1)) + 1)
            if "inline-task-list" in inner.classes:
                checked = "checked" in li.classes
        return {"kind": "list_item", "level": level, "ordered": ordered, "checked": checked,
                "item_start": li.start}

    def flush(self, at: int):
        """End the open block; `at` is where the source after it starts (a heading's body)."""
        prose, ctx = self.prose, self.ctx
        if prose is None:
            return
        self.prose, self.ctx = None, {}
        kind = ctx["kind"]
        fallback = prose.starts[-1] if prose.starts else at
        if kind == "heading":
            block = prose.block("heading", fallback, level=ctx["level"], quoted=ctx["quoted"])
            if block.text:
                self.blocks.append(block)
                self.headings.append((block, ctx["heading_start"], max(at, block.end)))
            return
        if kind == "list_item":
            block = prose.block("list_item", fallback, level=ctx["level"], ordered=ctx["ordered"],
                                checked=ctx["checked"], item_start=ctx["item_start"], quoted=ctx["quoted"])
            block.item_end = block.end
        else:
            block = prose.block(kind, fallback, quoted=ctx["quoted"])
        if block.text:
            self.blocks.append(block)


def scan_html(src: str, ls: list[int] | None = None) -> HtmlScanner:
    """The blocks, headings, directives and code ranges of an HTML page (`ls`: its line starts)."""
    return HtmlScanner(src, ls).run()
