"""The document model: Document, Block, Section, Directive, and positions in the source.

Every offset is an index into `Document.source` (the text without a leading BOM, one index
per code point). A Block keeps, per prose character, the source span it came from.
"""

from __future__ import annotations

import re
from array import array
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field, replace
from functools import lru_cache
from itertools import accumulate

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
    "mitigators": ["Mitigators", "Mitigating factors", "What went well", "Things that went well", "What went right",
                   "Where we got lucky", "Lucky breaks"],
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

_LINE_END_RE = re.compile(r"\r\n|\r|\n")
_ASTRAL_RE = re.compile("[\U00010000-\U0010ffff]")


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
    # prose length of a bold or italic span the block opens with, alone on its line(s): an FAQ's
    # "**Are we affected?**" over its answer; 0 when there is none
    emphasised_lead: int = 0
    item_start: int | None = None
    item_end: int | None = None
    ordered: bool = False
    _starts: array = field(default_factory=lambda: array("q"), repr=False)  # per prose char: its source start
    _ends: array = field(default_factory=lambda: array("q"), repr=False)
    _shift: int = field(default=0, repr=False)  # added to _starts/_ends (a block parsed in a chunk)

    @property
    def section_kinds(self) -> set[str]:
        """The kinds of the block's section and of every section around it."""
        kinds, section = set(), self.section
        while section is not None:
            if section.kind:
                kinds.add(section.kind)
            section = section.parent
        return kinds

    def prose_span(self, start: int, end: int) -> tuple[int, int]:
        """The prose span [a, e) of the characters whose source start lies in [start, end); an
        empty source span gives the one character it is before."""
        k = self._shift
        a = bisect_left(self._starts, start - k)
        return a, max(bisect_left(self._starts, end - k), a + 1)

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

    def prose_offset(self, offset: int, end: bool = False) -> int | None:
        """The prose offset of a source offset: where a prose character starts (`end`: where one
        ends); None when the source offset falls inside markup."""
        k = self._shift
        if end:
            j = bisect_right(self._ends, offset - k) - 1
            return j + 1 if j >= 0 and self._ends[j] + k == offset else None
        j = bisect_left(self._starts, offset - k)
        return j if j < len(self._starts) and self._starts[j] + k == offset else None

    def shifted(self, base: int) -> Block:
        """A copy moved base characters on (a block parsed in a chunk, put in place)."""
        c = object.__new__(Block)  # a field-for-field copy (faster than `replace`)
        c.__dict__.update(self.__dict__)
        c.start, c.end, c._shift = self.start + base, self.end + base, self._shift + base
        if self.item_start is not None:
            c.item_start = self.item_start + base
        if self.item_end is not None:
            c.item_end = self.item_end + base
        return c

    def piece(self, a: int, e: int) -> Block:
        """A copy holding only the prose [a, e), with its exact source map."""
        return replace(self, text=self.text[a:e], start=self._starts[a] + self._shift,
                       end=self._ends[e - 1] + self._shift, _starts=self._starts[a:e], _ends=self._ends[a:e])


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
            self.line_starts = line_starts(self.source)
        self._astral = [] if self.source.isascii() else [m.start() for m in _ASTRAL_RE.finditer(self.source)]
        self._section_starts = [s.start for s in self.sections]

    # --- positions ---

    def _clamp(self, offset: int) -> int:
        return max(0, min(offset, len(self.source)))

    def _line_index(self, offset: int) -> int:
        return bisect_right(self.line_starts, offset) - 1

    def _line_end(self, i: int) -> int:
        return line_end(self.source, self.line_starts, i)

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


def line_starts(text: str) -> list[int]:
    """Where each line starts; a line ends at \\n, \\r\\n or \\r."""
    if "\r" not in text:  # the usual case, four times faster
        return [0, *accumulate(len(line) + 1 for line in text.split("\n")[:-1])]
    return [0] + [m.end() for m in _LINE_END_RE.finditer(text)]


def line_end(src: str, ls: list[int], i: int) -> int:
    """End of line i without its line end."""
    e = ls[i + 1] if i + 1 < len(ls) else len(src)
    if e > ls[i] and src[e - 1] == "\n":
        e -= 1
    if e > ls[i] and src[e - 1] == "\r":
        e -= 1
    return e


@lru_cache(maxsize=4096)
def norm_title(title: str) -> str:
    """Lower-case a heading, drop emoji, punctuation, numbering and (parentheticals)."""
    t = title.lower()
    t = re.sub(r"\([^)]*\)|\[[^\]]*\]", " ", t)
    t = re.sub(r"^[\W_]+", "", t)
    t = re.sub(r"^(?:\d+(?:[.)]\d+)*[.):]?|[ivx]+[.)])\s+", "", t)
    return " ".join(re.sub(r"[\W_]+", " ", t).split())


def with_defaults(section_kinds: dict[str, list[str]] | None) -> dict[str, list[str]]:
    """A config's section titles over the defaults: a kind it names gets its titles (first, so
    they win a title two kinds share), every other kind keeps the default ones."""
    if not section_kinds:
        return SECTION_KINDS
    return {**section_kinds, **{k: v for k, v in SECTION_KINDS.items() if k not in section_kinds}}


def kind_lookup(section_kinds: dict[str, list[str]]) -> dict[str, str]:
    """Normalised title (of a kind or one of its synonyms) -> kind (worked out once per set of
    section kinds: a template finding asks for it per section)."""
    try:
        return dict(_kind_lookup(tuple((kind, tuple(names)) for kind, names in section_kinds.items())))
    except TypeError:  # (something unhashable in a config: not kept)
        return _table(section_kinds.items())


@lru_cache(maxsize=32)
def _kind_lookup(section_kinds: tuple) -> dict[str, str]:
    return _table(section_kinds)


def _table(section_kinds) -> dict[str, str]:
    table = {}
    for kind, names in section_kinds:
        for name in [kind, *names]:
            table.setdefault(norm_title(name), kind)
    return table
