"""Chunked parsing, for the editor.

An editor re-lints the whole document on every keystroke. A top-level ATX heading after a blank
line closes every open block, so the text can be parsed in chunks split there, each chunk's
blocks cached by its text and shifted into place: an edit re-parses one chunk. Documents where a
chunk is not independent (link reference definitions, raw HTML blocks, lone CR line ends) are
parsed whole.
"""

from __future__ import annotations

import re
from collections import OrderedDict
from dataclasses import replace
from itertools import pairwise

from blamelint.document.markdown import MarkdownScanner
from blamelint.document.model import line_starts

CHUNK_MIN = 4000  # shorter texts are parsed whole
_HEADING_LINE_RE = re.compile(r"#{1,6}(?:[ \t]|$)")
_FENCE_RE = re.compile(r" {0,3}(`{3,}|~{3,})")
# parsed whole: link reference definitions and HTML blocks (they reach across headings), fences
# that may sit in a container (a list item or quote closes them, which the chunker cannot see),
# and comments opened after other text on a line
_NOT_CHUNKABLE_RE = re.compile(
    r"^ {0,3}(?:\[[^\]\n]+\]:|<[A-Za-z/?])|^[ \t]+(?:`{3,}|~{3,})|^[ \t]*[>*+-][^\n]*(?:`{3,}|~{3,})"
    r"|^(?! {0,3}<!--)[^\n]*<!--", re.M)
CHUNK_CACHE: OrderedDict = OrderedDict()  # (chunk source, chunk text, mdx) -> its parse, oldest first
_CACHE_SIZE = 2000


def split_chunks(text: str) -> list[tuple[int, str]] | None:
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


def _chunk(src: str, body: str, mdx: bool = False) -> tuple:
    """Blocks, headings, directives and code ranges of one chunk, in chunk offsets (cached)."""
    key = (src, body, mdx)
    found = CHUNK_CACHE.get(key)
    if found is None:
        md = MarkdownScanner(src, line_starts(src), mdx)
        md.run(body)
        found = CHUNK_CACHE[key] = (md.blocks, md.headings, md.directives, md.code_ranges)
        while len(CHUNK_CACHE) > _CACHE_SIZE:
            CHUNK_CACHE.popitem(last=False)
    else:
        CHUNK_CACHE.move_to_end(key)
    return found


def parse_chunks(src: str, ls: list[int], chunks: list[tuple[int, str]], mdx: bool = False) -> MarkdownScanner:
    """The result of `MarkdownScanner.run` over the whole text, assembled from its chunks (copies: the
    cached blocks are never changed)."""
    out = MarkdownScanner(src, ls, mdx)
    for line, body in chunks:
        base = ls[line] if line < len(ls) else len(src)
        n = body.count("\n")  # the chunk's lines; the last chunk of a text with no final line end has no "\n"
        end = ls[line + n] if body.endswith("\n") and line + n < len(ls) else len(src)
        blocks, headings, directives, code_ranges = _chunk(src[base:end], body, mdx)
        copies = {}
        for b in blocks:
            copies[id(b)] = c = b.shifted(base)
            out.blocks.append(c)
        out.headings += [(copies[id(b)], a + base, z + base) for b, a, z in headings]
        out.directives += [replace(d, start=d.start + base, end=d.end + base, line=d.line + line)
                           for d in directives]
        out.code_ranges += [(a + base, z + base) for a, z in code_ranges]
    return out
