"""Turn a rule's suggestions into fixes: grammatical edits in source offsets."""

from __future__ import annotations

import re

from .findings import Edit, Fix


class _Vars(dict):
    def __missing__(self, key):
        return "{" + key + "}"


def sentence_start(text: str, a: int) -> bool:
    before = text[:a].rstrip()
    return not before or before[-1] in ".!?:;" or before.endswith(("**", "—"))


def match_case(matched: str, new: str) -> str:
    if new and matched[:1].isupper() and new[:1].islower():
        return new[0].upper() + new[1:]
    return new


def deletion(text: str, a: int, b: int) -> tuple[int, int, str]:
    """Prose span and replacement that delete [a, b) with its comma and spacing, fixing capitals."""
    end = b
    tail = re.match(r"\s*,?\s*", text[end:])
    end += tail.end() if tail else 0
    start = a
    if start > 0 and end == b and text[start - 1] == " ":
        start -= 1  # "it was obviously broken" → drop the space before
    if sentence_start(text, a) and end < len(text) and text[end].islower():
        return a, end + 1, text[end].upper()
    if end >= len(text) and start > 0 and text[start - 1] == " ":
        start -= 1
    return start, end, ""


DELETABLE_DEPS = {"amod", "advmod", "npadvmod", "prep", "intj", "punct", "cc", "det", "mark", "meta"}


def deletable(doc, text: str, a: int, b: int) -> bool:
    """True when removing prose [a, b) leaves a grammatical sentence (a modifier, not a head)."""
    if doc is None:
        return True
    span = doc.char_span(a, b, alignment_mode="expand")
    if span is None or not len(span):
        return False
    if span.root.dep_ in DELETABLE_DEPS and not any(t.dep_ in ("acomp", "attr") for t in span):
        return True
    return sentence_start(text, a) and text[a:b].rstrip().endswith((",", " that"))


def render_fixes(rule, unit, a: int, b: int, document, variables: dict) -> list[Fix]:
    """Fixes from the rule's suggestion templates for the match at prose [a, b)."""
    block = unit.block
    text = block.text
    fixes = []
    for s in rule.suggestions:
        if s.replace is None:
            fixes.append(Fix(title=s.title.format_map(_Vars(variables)), edits=[], safe=False))
            continue
        new = s.replace.format_map(_Vars(variables))
        if new == "":
            if not deletable(getattr(unit, "doc", None), text, a, b):
                continue
            ea, eb, new_text = deletion(text, a, b)
        else:
            ea, eb, new_text = a, b, match_case(text[a:b], new)
        start, end = block.source_span(ea, eb)
        verbatim = end - start == eb - ea and document.source[start:end] == text[ea:eb]
        title = s.title.format_map(_Vars({**variables, "replacement": new}))
        fixes.append(Fix(title=title, edits=[Edit(start, end, new_text)], safe=bool(s.safe and verbatim)))
    if not fixes:
        fixes.append(Fix(title=f"Rephrase: {rule.title[0].lower()}{rule.title[1:]}", edits=[], safe=False))
    return fixes
