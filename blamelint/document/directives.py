"""Directive comments: `<!-- blamelint-disable ... -->` and the like (in MDX, `{/* blamelint-... */}`),
found in the source."""

from __future__ import annotations

import re

from blamelint.document.model import Directive

DIRECTIVE_RE = re.compile(
    r"<!--\s*blamelint-(disable-next-line|disable-line|disable-file|disable|enable)\b(.*?)-->", re.S
)
MDX_DIRECTIVE_RE = re.compile(
    r"\{\s*/\*\s*blamelint-(disable-next-line|disable-line|disable-file|disable|enable)\b(.*?)\*/\s*\}", re.S
)
_RULE_RE = re.compile(r"\w[\w.:/-]*")


def _rules(args: str) -> list[str]:
    args = args.split("--", 1)[0]  # `-- reason` ends the rule list
    return [r for r in re.split(r"[\s,]+", args) if _RULE_RE.fullmatch(r)]


def find_directives(src: str, start: int, end: int, line_of, pattern: re.Pattern = DIRECTIVE_RE) -> list[Directive]:
    """The directives in src[start:end]; line_of gives the 1-based line of an offset."""
    out = []
    for m in pattern.finditer(src, start, end):
        out.append(Directive(m.group(1), _rules(m.group(2)), m.start(), m.end(), line_of(m.start())))
    return out
