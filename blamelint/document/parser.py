"""`parse`: a post-mortem's text (Markdown, MDX, plain text or an HTML export) as a Document."""

from __future__ import annotations

import re
from bisect import bisect_right

import yaml

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib

from blamelint.document.chunks import parse_chunks, split_chunks
from blamelint.document.directives import MDX_DIRECTIVE_RE, find_directives
from blamelint.document.html import scan_html
from blamelint.document.long_blocks import split_long
from blamelint.document.markdown import MarkdownScanner
from blamelint.document.mdx import mdx_body
from blamelint.document.model import (
    Document,
    Section,
    kind_lookup,
    line_end,
    line_starts,
    norm_title,
    with_defaults,
)
from blamelint.document.plaintext import parse_text

KINDS = ("markdown", "mdx", "text", "html")
_SUFFIX_KINDS = {".txt": "text", ".mdx": "mdx", ".html": "html", ".htm": "html"}
_TOML_AT_RE = re.compile(r"\s*\(at line (\d+), column \d+\)\s*$")


def kind_for_path(path) -> str:
    """The document kind of a file of this name: text, mdx, html, else markdown."""
    name = str(path or "").lower()
    return _SUFFIX_KINDS.get(name[name.rfind("."):] if "." in name else "", "markdown")


def parse(
    text: str,
    path: str | None = None,
    kind: str | None = None,
    section_kinds: dict[str, list[str]] | None = None,
    chunked: bool = True,
) -> Document:
    """Parse a post-mortem. `kind` (markdown, mdx, text, html) defaults to the one of the path's
    extension (`kind_for_path`). `section_kinds` (a config's titles per kind) replaces the default titles of the kinds it names.
    `chunked=False` parses the Markdown whole: the same blocks, faster when the text will not be
    seen again (a batch run), as chunks pay for their cache and their copies only when an edit
    reuses them."""
    if kind is None:
        kind = kind_for_path(path)
    if kind not in KINDS:
        raise ValueError(f"unknown document kind: {kind!r}")
    bom = text.startswith("\ufeff")
    src = text[1:] if bom else text
    ls = line_starts(src)
    doc = Document(source=src, path=path, kind=kind, bom=bom, line_starts=ls)

    if kind == "html":
        return _assemble(doc, scan_html(src, ls), section_kinds)

    # front matter: parsed as YAML (`---`) or TOML (`+++`), then blanked (same line count) for
    # the markdown parser
    fm = _front_matter(src, ls)
    body, first_line = src, 0
    if fm:
        end, close_line, doc.front_matter, doc.front_matter_error = fm
        body = "\n" * (close_line + 1) + src[end:]
        first_line = close_line + 1

    def line_of(p):
        return bisect_right(ls, p)

    if kind == "text":
        doc.directives = find_directives(src, 0, len(src), line_of)
        doc.blocks = split_long(parse_text(src, ls, first_line, [(d.start, d.end) for d in doc.directives]))
        doc.__post_init__()
        return doc

    mdx = kind == "mdx"
    hidden: list[tuple[int, int]] = []
    if mdx:  # JSX and ESM left out, line for line
        body, hidden = mdx_body(src, ls, first_line)
    chunks = split_chunks(body) if chunked else None
    if chunks is None:
        md = MarkdownScanner(src, ls, mdx)
        md.run(body)
    else:
        md = parse_chunks(src, ls, chunks, mdx)
    for a, b in hidden:
        md.directives += find_directives(src, a, b, line_of, MDX_DIRECTIVE_RE)
    return _assemble(doc, md, section_kinds)


def _assemble(doc: Document, md, section_kinds) -> Document:
    """The Document from a scanner's blocks, headings, directives and code ranges."""
    src = doc.source
    doc.blocks = md.blocks
    doc.directives = sorted(md.directives, key=lambda d: d.start)
    doc.code_ranges = sorted(md.code_ranges)

    # section tree from headings
    lookup = kind_lookup(with_defaults(section_kinds))
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


def _front_matter(src: str, ls: list[int]):
    """(end offset, closing line index, data, error) or None when there is no front matter."""
    fence = src[: line_end(src, ls, 0)].rstrip()
    if fence not in ("---", "+++"):
        return None
    closers = ("---", "...") if fence == "---" else ("+++",)
    for i in range(1, len(ls)):
        if src[ls[i] : line_end(src, ls, i)].rstrip() in closers:
            break
    else:
        return None  # unterminated: not front matter
    end = ls[i + 1] if i + 1 < len(ls) else len(src)
    if fence == "+++":
        return (end, i, *_toml(src[ls[1] : ls[i]]))
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


def _toml(text: str) -> tuple[dict, str | None]:
    """Hugo's TOML front matter: (data, error); the error names the line in the file."""
    try:
        return tomllib.loads(text), None
    except tomllib.TOMLDecodeError as exc:
        msg = " ".join(str(exc).split())
        m = _TOML_AT_RE.search(msg)
        line = int(m.group(1)) + 1 if m else 2  # the TOML starts on the file's line 2
        return {}, f"invalid TOML front matter at line {line}: {_TOML_AT_RE.sub('', msg)}"
