"""Building a block's prose from source text: every prose character keeps its source span;
bare URLs become the placeholder `link`."""

from __future__ import annotations

import re
from array import array

from blamelint.document.model import Block

_SURROGATE_RE = re.compile("[\ud800-\udfff]")
BOX_RE = re.compile(r"\[([ xX])\](?:[ \t]+|$)")  # a task box: [ ], [x], [X]
_URL_RE = re.compile(r"(\bhttps?://|\bwww\.)[^\s<>]+", re.I)
_URL_TRAIL = ".,;:!?'\"*_~"


class Prose:
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
