"""Long blocks (a pasted log, a generated table cell) split into pieces the model can read."""

from __future__ import annotations

import re

from blamelint.document.model import Block

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
                piece = b.piece(a, e)
                if a:
                    piece.kind, piece.checked, piece.item_start, piece.item_end = "paragraph", None, None, None
                out.append(piece)
            a = z
    return out
