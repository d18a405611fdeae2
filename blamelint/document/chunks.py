"""Chunked parsing, for the editor.

An editor re-lints the whole document on every keystroke. A top-level ATX heading after a blank
line closes every open block, so the text can be parsed in chunks split there, each chunk's
blocks cached by its text and shifted into place: an edit re-parses one chunk. Link reference
definitions reach across chunks: every chunk is parsed knowing the whole document's (first
definition wins, as in one parse). Documents where a chunk is not independent (HTML blocks that may
hold blank lines and headings, fences inside containers, lone CR line ends) are parsed whole.
"""

from __future__ import annotations

import re
from collections import OrderedDict
from dataclasses import replace
from itertools import pairwise

from blamelint.document.markdown import MD, MDX, MarkdownScanner
from blamelint.document.model import line_starts

CHUNK_MIN = 4000  # shorter texts are parsed whole
_HEADING_LINE_RE = re.compile(r"#{1,6}(?:[ \t]|$)")
_FENCE_RE = re.compile(r" {0,3}(`{3,}|~{3,})")
# parsed whole: HTML blocks that end only at their closing tag (CommonMark types 1, 3, 4 and 5:
# they may hold blank lines and headings; the others end at a blank line, as chunks do), fences
# that may sit in a container (a list item or quote closes them, which the chunker cannot see),
# and comments opened after other text on a line
_NOT_CHUNKABLE_RE = re.compile(
    r"^ {0,3}<(?:(?:script|pre|style|textarea)(?:[ \t>]|$)|\?|![A-Za-z]|!\[CDATA\[)"
    r"|^[ \t]+(?:`{3,}|~{3,})|^[ \t]*[>*+-][^\n]*(?:`{3,}|~{3,})"
    r"|^(?! {0,3}<!--)[^\n]*<!--", re.M | re.I)
_HTML_LINE_RE = re.compile(r" {0,3}</?[A-Za-z]")
_DEFINITION_RE = re.compile(r"^ {0,3}\[[^\]\n]+\]:", re.M)  # may start a link reference definition
CHUNK_CACHE: OrderedDict = OrderedDict()  # (chunk source, chunk text, mdx, definitions) -> its parse, oldest first
DEFINITIONS_CACHE: OrderedDict = OrderedDict()  # (chunk text, mdx) -> its link reference definitions
_CACHE_SIZE = 2000


def split_chunks(text: str) -> list[tuple[int, str]] | None:
    """(first line, text) of each chunk, or None when the text must be parsed whole."""
    if len(text) < CHUNK_MIN or "\r" in text or _NOT_CHUNKABLE_RE.search(text):
        return None
    lines = text.split("\n")
    starts = [0]
    fence = None  # (char, length) of the open fence
    comment = html = False
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
        if not line.strip():
            html = False
        elif _HTML_LINE_RE.match(line):
            html = True  # maybe an HTML block, which runs to the next blank line
        m = _FENCE_RE.match(line)
        if m and not (m.group(1)[0] == "`" and "`" in line[m.end():]):
            if html:
                return None  # a fence inside an HTML block is text; outside, it opens a fence
            fence = (m.group(1)[0], len(m.group(1)))
        elif "<!--" in line and "-->" not in line[line.index("<!--"):]:
            comment = True
    if len(starts) < 2:
        return None
    bounds = starts + [len(lines)]
    return [(a, "\n".join(lines[a:b]) + ("\n" if b < len(lines) else "")) for a, b in pairwise(bounds)]


def _cached(cache: OrderedDict, key, make):
    found = cache.get(key)
    if found is None:
        found = cache[key] = make()
        while len(cache) > _CACHE_SIZE:
            cache.popitem(last=False)
    else:
        cache.move_to_end(key)
    return found


def _definitions(body: str, mdx: bool) -> tuple:
    """(label, href, title) of each link reference definition in one chunk, in order (cached)."""
    if not _DEFINITION_RE.search(body):
        return ()

    def make():
        env: dict = {}
        (MDX if mdx else MD).parse(body, env)
        return tuple((label, d["href"], d["title"]) for label, d in env.get("references", {}).items())

    return _cached(DEFINITIONS_CACHE, (body, mdx), make)


def _chunk(src: str, body: str, mdx: bool = False, definitions: tuple = ()) -> tuple:
    """Blocks, headings, directives and code ranges of one chunk, in chunk offsets (cached), parsed
    knowing the document's link reference definitions."""
    def make():
        md = MarkdownScanner(src, line_starts(src), mdx)
        md.run(body, env={"references": {label: {"href": href, "title": title} for label, href, title in definitions}})
        return md.blocks, md.headings, md.directives, md.code_ranges

    return _cached(CHUNK_CACHE, (src, body, mdx, definitions), make)


def parse_chunks(src: str, ls: list[int], chunks: list[tuple[int, str]], mdx: bool = False) -> MarkdownScanner:
    """The result of `MarkdownScanner.run` over the whole text, assembled from its chunks (copies: the
    cached blocks are never changed)."""
    out = MarkdownScanner(src, ls, mdx)
    found: dict = {}
    for _, body in chunks:
        for label, href, title in _definitions(body, mdx):
            found.setdefault(label, (href, title))  # the first definition of a label wins
    definitions = tuple((label, href, title) for label, (href, title) in found.items())
    for line, body in chunks:
        base = ls[line] if line < len(ls) else len(src)
        n = body.count("\n")  # the chunk's lines; the last chunk of a text with no final line end has no "\n"
        end = ls[line + n] if body.endswith("\n") and line + n < len(ls) else len(src)
        blocks, headings, directives, code_ranges = _chunk(src[base:end], body, mdx, definitions)
        copies = {}
        for b in blocks:
            copies[id(b)] = c = b.shifted(base)
            out.blocks.append(c)
        out.headings += [(copies[id(b)], a + base, z + base) for b, a, z in headings]
        out.directives += [replace(d, start=d.start + base, end=d.end + base, line=d.line + line)
                           for d in directives]
        out.code_ranges += [(a + base, z + base) for a, z in code_ranges]
    return out
