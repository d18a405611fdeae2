"""Plain text (.txt): paragraphs split on blank lines, and simple list items."""

from __future__ import annotations

import re

from blamelint.document.model import Block, line_end
from blamelint.document.prose import BOX_RE, Prose

_TEXT_ITEM_RE = re.compile(r"([ \t]*)([-*+]|\d{1,9}\.)[ \t]+")


def parse_text(src: str, ls: list[int], first_line: int, hidden: list[tuple[int, int]]) -> list[Block]:
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
        prose = Prose()
        checked = None
        for n, i in enumerate(lines):
            s, e = ls[i], line_end(src, ls, i)
            if n == 0 and item:
                s += item.end()
                if m := BOX_RE.match(src, s, e):
                    checked = m.group(1) != " "
                    s = m.end()
            while s < e and src[s] in " \t":
                s += 1
            while e > s and src[e - 1] in " \t":
                e -= 1
            if n:  # the previous line end becomes one space
                prev = line_end(src, ls, lines[n - 1])
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
            end = ls[last] + len(src[ls[last] : line_end(src, ls, last)].rstrip())
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
        line = src[ls[i] : line_end(src, ls, i)]
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
