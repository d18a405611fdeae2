"""Personal @handles: personal unless they look like a team, rotation or bot (`@sre-team`,
`@payments-oncall`, `@github-actions`) or the config allows them."""

from __future__ import annotations

import re

from blamelint.analysis.lexicon import Lexicon
from blamelint.detectors.names import weights
from blamelint.detectors.names.context import add_context
from blamelint.detectors.names.mention import Mention, allowed

HANDLE_RE = re.compile(r"(?<![\w@.+/\\-])@([A-Za-z0-9](?:[\w.-]*[A-Za-z0-9])?)(?![\w@])")
TEAM_ENDING_RE = re.compile(r"(team|oncall|ops|bot|squad|crew|guild|sre|eng|admins|support|status|alerts|news|"
                            r"updates|announce|help|info|noreply|security)$")
GROUP_NOUN_RE = re.compile(r"(ment|tion|sion|ity|ing|ness|ance|ence|ics|ure|ery|ship|ware)$")


def team_handle(handle: str, lex: Lexicon) -> bool:
    h = handle.lower()
    if h in lex.team_words or h in lex.gazetteer:
        return True
    parts = [p for p in re.split(r"[-_.]+", h) if p]
    if any(p in lex.team_words or p in lex.gazetteer for p in parts):
        return True  # "@sre-team", "@github-actions"
    if TEAM_ENDING_RE.search(h) and h not in lex.first_names:
        return True
    if len(parts) == 1:
        # "@procurement", "@operations": an English noun used as a group name
        return h not in lex.first_names and (h in lex.other_pos or (
            (h.endswith("s") and h[:-1] in lex.noun) or (h.endswith("ies") and h[:-3] + "y" in lex.noun)
            or (h in lex.noun and bool(GROUP_NOUN_RE.search(h)))))
    if any(p in lex.first_names for p in parts):
        return False
    if "-" in h and any(len(p) >= 4 and lex.common(p) for p in parts):
        return True
    return False


def personal_handles(text: str, lex: Lexicon, config) -> list[int]:
    """Where the text holds a handle `handle_mentions` would consider (not a team, not allowed)."""
    out = []
    for mt in HANDLE_RE.finditer(text):
        handle = mt.group(1).rstrip(".-")
        b = mt.start() + 1 + len(handle)
        if not (text[b:b + 1] == "@" or team_handle(handle, lex) or allowed(config, handle)):
            out.append(mt.start())
    return out


def handle_mentions(unit, lex: Lexicon, config) -> list[Mention]:
    text = unit.block.text
    if "@" not in text:
        return []
    sdoc = unit.doc
    out = []
    for mt in HANDLE_RE.finditer(text):
        handle = mt.group(1).rstrip(".-")
        a, b = mt.start(), mt.start() + 1 + len(handle)
        if text[b:b + 1] == "@" or team_handle(handle, lex) or allowed(config, handle):
            continue
        m = Mention(unit, a, b, "handle", handle.lower(), [text[a:b]])
        separated = re.search(r"[._]", handle) or handle.lower() in lex.first_names
        m.score = weights.HANDLE_WITH_SEPARATOR if separated else weights.HANDLE
        m.cues.append("personal handle")
        m.first_name = True
        span = sdoc.char_span(a, b, alignment_mode="expand")
        before = text[:a].strip().lower()
        if re.match(r"\s*[:—–]", text[b:]) and (
            (not before and unit.block.kind == "list_item") or re.search(r"\b(owners?|assignees?|dri)\W*$", before)
        ):
            m.owner = True
        if span is not None and len(span):
            tok = span[0]
            add_context(m, tok, span[-1], span.root, sdoc, text, lex)
            m.score = max(m.score, weights.HANDLE)
        out.append(m)
    return out
