"""MDX (.mdx): the Markdown text with its JavaScript taken out, for the Markdown scanner.

ESM (a top-level `import`/`export` after a blank line, up to the next blank line) and JSX tags
and `{...}` expressions (comments included) at the start of a line become blank lines; when
text follows a tag on its line, the text stays alone. A tag or expression inside a line
becomes the placeholder tag `<mdx-x>`, which the scanner drops like inline HTML. Line numbers
never change and the scanner finds every piece of prose in the original source, so positions
stay exact. The Markdown between a container's tags (`<Admonition>` ... `</Admonition>`) is
linted like any other; JSX props and expressions never are. Fenced code is left alone.
"""

from __future__ import annotations

import re
from bisect import bisect_right

from blamelint.document.model import line_end

PLACEHOLDER = "<mdx-x>"
MAX_CONSTRUCT = 20_000  # a tag or expression longer than this is not one (an unclosed `<`)
_FENCE_RE = re.compile(r"[ \t]*(`{3,}|~{3,})")
_ESM_RE = re.compile(r"(?:import|export)(?=[\s{*])")
_TAG_RE = re.compile(r"<(?:/?[A-Za-z_$]|/?>)")


def _scan(src: str, p: int, end: int) -> int:
    """End of the tag or expression starting at src[p] ('<' or '{'), or -1 when it does not close.
    Quotes, nested braces and JavaScript comments inside braces are skipped over."""
    depth = 1 if src[p] == "{" else 0
    tag = not depth
    i, end, quote = p + 1, min(end, p + MAX_CONSTRUCT), None
    while i < end:
        c = src[i]
        if quote:
            if c == "\\" and depth:
                i += 1
            elif c == quote:
                quote = None
        elif c in "\"'" or (c == "`" and depth):
            quote = c
        elif c == "{":
            depth += 1
        elif c == "}":
            depth -= 1
            if depth == 0 and not tag:
                return i + 1
            if depth < 0:
                return -1
        elif depth and src.startswith("/*", i):
            j = src.find("*/", i + 2, end)
            if j < 0:
                return -1
            i = j + 1
        elif depth and src.startswith("//", i):
            j = src.find("\n", i, end)
            if j < 0:
                return -1
            i = j
        elif tag and not depth and c == ">":
            return i + 1
        elif tag and not depth and c == "<":
            return -1
        i += 1
    return -1


def _construct(src: str, p: int, end: int) -> int:
    """End of a JSX tag or expression at p, or -1."""
    if src.startswith("{", p) or _TAG_RE.match(src, p):
        return _scan(src, p, end)
    return -1


def _inline(src: str, a: int, b: int, hidden: list[tuple[int, int]]) -> str:
    """src[a:b] with its tags and expressions replaced by the placeholder (code spans and
    backslash escapes left alone)."""
    out, last, i = [], a, a
    while i < b:
        c = src[i]
        if c == "\\":
            i += 2
            continue
        if c == "`":
            j = i
            while j < b and src[j] == "`":
                j += 1
            ticks = src[i:j]
            k = src.find(ticks, j, b)
            while k >= 0 and src.startswith("`", k + len(ticks)):  # a longer run does not close it
                k = src.find(ticks, k + len(ticks) + 1, b)
            i = k + len(ticks) if k >= 0 else j
            continue
        if c in "<{":
            e = _construct(src, i, b)
            if e > 0:
                out += [src[last:i], PLACEHOLDER]
                hidden.append((i, e))
                last = i = e
                continue
        i += 1
    out.append(src[last:b])
    return "".join(out)


def mdx_body(src: str, ls: list[int], first_line: int) -> tuple[str, list[tuple[int, int]]]:
    """The text the Markdown parser reads for src (lines before first_line, the front matter,
    blank) and the source spans of the JSX and ESM left out of it."""
    out: list[str] = ["\n" * first_line]
    hidden: list[tuple[int, int]] = []
    n = len(ls)
    fence = None  # the opening fence's character run
    blank_before = True
    i = first_line
    while i < n:
        s, e = ls[i], line_end(src, ls, i)
        nxt = ls[i + 1] if i + 1 < n else len(src)
        line, eol = src[s:e], src[e:nxt]
        m = _FENCE_RE.match(line)
        if fence is not None or (m and not (m.group(1)[0] == "`" and "`" in line[m.end():])):
            if fence is None:
                fence = m.group(1)
            elif m and m.group(1)[0] == fence[0] and len(m.group(1)) >= len(fence) and not line[m.end():].strip():
                fence = None
            out.append(line + eol)
            blank_before, i = False, i + 1
            continue
        if blank_before and _ESM_RE.match(line):
            j = i
            while j < n and src[ls[j]:line_end(src, ls, j)].strip():
                out.append(src[line_end(src, ls, j):ls[j + 1] if j + 1 < n else len(src)])
                j += 1
            hidden.append((s, line_end(src, ls, j - 1)))
            i = j
            continue
        indent = len(line) - len(line.lstrip(" \t"))
        p, start = s + indent, s + indent
        while (q := _construct(src, p, len(src))) > 0:  # tags and expressions at the line start
            hidden.append((p, q))
            p = q
            while p < len(src) and src[p] in " \t":
                p += 1
        if p == start:
            out.append(_inline(src, s, e, hidden) + eol)
            blank_before, i = not line.strip(), i + 1
            continue
        k = bisect_right(ls, p) - 1  # the line the last one ends on
        for j in range(i, k):
            out.append(src[line_end(src, ls, j):ls[j + 1]])
        e = line_end(src, ls, k)
        eol = src[e:ls[k + 1] if k + 1 < n else len(src)]
        rest = _inline(src, p, e, hidden) if p < e else ""
        out.append((line[:indent] if k == i else "") + rest + eol)
        blank_before, i = not rest.strip(), k + 1
    return "".join(out), hidden
