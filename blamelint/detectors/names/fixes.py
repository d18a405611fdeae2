"""A named_individual finding and its fixes: the role that replaces a name (from the config's
`roles`, the rule's options or the verb), the appositive to drop ("our intern, X" → "our intern"),
the team handle that replaces a personal owner."""

from __future__ import annotations

import re

from blamelint.analysis.grammar import starts_sentence
from blamelint.detectors.names import weights
from blamelint.detectors.names.mention import Mention
from blamelint.findings import MARKUP_RE, Edit, Fix

NUMBERS = {2: "two", 3: "three", 4: "four", 5: "five"}
SLOTS = ("subject", "object", "agent", "pobj")  # positions where a role phrase fits


def finding(rule, analysis, group: list[Mention], in_timeline: bool, again: bool = False):
    """The finding for a group of mentions ("Carlos Mendoza and Hannah" is one); `again`: the
    person was named before in the document, so the role is definite ("the responder")."""
    opts = rule.options or {}
    m = group[0]
    unit = m.unit
    block = unit.block
    text = block.text
    a, b = m.a, group[-1].b
    confidence = round(max(weights.MIN_CONFIDENCE, min(weights.MAX_CONFIDENCE, max(x.score for x in group))), 2)
    safe_slot = block.kind in ("paragraph", "list_item") and not any(x.label_list for x in group)

    owner = m.owner or _owner_to(m, text, a, b)
    if owner or (m.label_list and len(group) == 1):
        placeholder = opts.get("owner_placeholder", "@owner-team")
        edit = _edit(block, analysis.document, a, b, placeholder)
        if owner:
            title = f"Assign the follow-up to a team handle instead of “{text[a:b]}”"
            message = (f"“{text[a:b]}” makes a person the owner; assign the follow-up to a team handle "
                       f"(for example “{placeholder}”).")
        else:
            title = f"List the rotation or team handle instead of “{text[a:b]}”"
            message = f"“{text[a:b]}” names a person; list the rotation or team handle (for example “{placeholder}”)."
        fix = Fix(title=title, edits=[edit[0]] if edit[0] else [], safe=False)
        return analysis.finding(rule, unit, a, b, confidence=confidence, fixes=[fix, _rephrase()],
                                message_vars={"role": placeholder}, message=message)

    sentence_start = starts_sentence(text, a)
    if len(group) > 1:
        roles = [_role_for(x, rule, analysis.config, in_timeline) for x in group]
        if all(from_cfg for _, from_cfg in roles):
            phrase = " and ".join(r for r, _ in roles) if len(roles) == 2 else ", ".join(
                r for r, _ in roles[:-1]) + " and " + roles[-1][0]
        else:
            phrase = f"{NUMBERS.get(len(group), str(len(group)))} {opts.get('plural_role', 'responders')}"
        new = _cap(phrase) if sentence_start else phrase
        grammatical = all(x.grammatical for x in group) and m.position in SLOTS
        edit, verbatim = _edit(block, analysis.document, a, b, new)
        fix = Fix(title=f"Replace “{text[a:b]}” with “{new}”", edits=[edit] if edit else [],
                  safe=bool(verbatim and grammatical and safe_slot))
        return analysis.finding(rule, unit, a, b, confidence=confidence, fixes=[fix, _rephrase()],
                                message_vars={"role": phrase})

    role, _ = _role_for(m, rule, analysis.config, in_timeline)
    if again and role.startswith(("a ", "an ")):
        role = "the " + role.split(" ", 1)[1]
    if m.appositive is not None:
        fix, role = _drop_name(m, block, analysis.document, safe_slot)
    elif m.paren_role is not None and not m.label_list:
        end, inner = m.paren_role
        role = _article(inner)
        new = _cap(role) if sentence_start else role
        edit, verbatim = _edit(block, analysis.document, a, end, new)
        fix = Fix(title=f"Replace “{text[a:end]}” with “{new}”", edits=[edit] if edit else [],
                  safe=bool(verbatim and m.grammatical and safe_slot))
    else:
        ea, eb, new = a, b, role
        if m.position == "possessive" and text[b:b + 1] in ("'", "’") and text[b + 1:b + 2] != "s":
            eb, new = b + 1, role + "'s"
        if sentence_start:
            new = _cap(new)
        grammatical = m.grammatical and m.position in (*SLOTS, "possessive", "according")
        edit, verbatim = _edit(block, analysis.document, ea, eb, new)
        fix = Fix(title=f"Replace “{text[a:b]}” with “{new}”", edits=[edit] if edit else [],
                  safe=bool(verbatim and grammatical and safe_slot))
    return analysis.finding(rule, unit, a, b, confidence=confidence, fixes=[fix, _rephrase()],
                            message_vars={"role": role})


OWNER_TO_RE = re.compile(r"\s+to\s+[a-z]")


def _owner_to(m: Mention, text: str, a: int, b: int) -> bool:
    """"Priya to add a disk alert by Friday" as a follow-up: the name opens the item and owns the
    action, so a team handle takes its place (a role would leave the action without an owner)."""
    return (m.unit.block.kind == "list_item" and not text[:a].strip() and OWNER_TO_RE.match(text[b:]) is not None
            and "follow-ups" in m.unit.section_kinds)


def _drop_name(m: Mention, block, document, safe_slot: bool) -> tuple[Fix, str]:
    """"our intern, X" → "our intern": the fix that deletes the name and keeps its role, and the role."""
    text = block.text
    a, b = m.a, m.b
    kind, tok = m.appositive
    if kind == "space":
        da, db = tok.idx + len(tok.text), b
    elif kind == "comma":
        da, db = tok.idx, b
        if text[db:db + 1] == ",":
            db += 1
    else:  # paren
        da, db = tok.idx, b + 1 if text[b:b + 1] == ")" else b
        if da > 0 and text[da - 1] == " ":
            da -= 1
    edit, verbatim = _edit(block, document, da, db, "")
    fix = Fix(title=f"Remove “{text[a:b]}” and keep the role", edits=[edit] if edit else [],
              safe=bool(verbatim and safe_slot))
    word = tok.nbor(-1) if kind != "space" else tok
    return fix, _article(word.text if word.text.isupper() else word.lower_)


def _article(role: str) -> str:
    role = role.strip()
    low = role.lower()
    if role.startswith("@") or re.match(r"(the|a|an|our|their|one|two|three|some)\b", low):
        return role
    return "the " + role


def _role_for(m: Mention, rule, config, in_timeline: bool) -> tuple[str, bool]:
    """(role phrase, from config?)."""
    roles = {k.lower().lstrip("@"): v for k, v in (config.roles or {}).items()}
    keys = [m.key, m.key.lstrip("@")] + [w.lower().lstrip("@") for w in m.words]
    if m.kind == "name" and m.words:
        keys += [m.words[0].lower(), m.words[-1].lower()]
    for k in keys:
        if k in roles:
            return _article(roles[k]), True
    opts = rule.options or {}
    if m.team_member:
        return opts.get("team_member_role", "an engineer"), False
    if m.position == "possessive":
        return opts.get("possessive_role", "the engineer"), False
    if m.object_verb:
        for role, verbs in (opts.get("object_roles") or {}).items():
            if m.object_verb in verbs:
                return role, False
        return opts.get("default_role", "a responder"), False
    for entry in opts.get("role_inference", []) or []:
        sections = entry.get("sections")
        if sections and not (in_timeline and "timeline" in sections):
            continue
        if m.verb and m.verb in set(entry.get("verbs", [])):
            return entry["role"], False
    return opts.get("default_role", "a responder"), False


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _rephrase() -> Fix:
    return Fix(title="Describe the role (on-call engineer, reviewer, team) instead of the person", edits=[])


def _edit(block, document, a: int, b: int, new: str) -> tuple[Edit | None, bool]:
    """The edit replacing prose [a, b) and whether its source is verbatim; None when the source
    holds markup or a line break the replacement would swallow ("[Katharine Berry]  \nLast …")."""
    start, end = block.source_span(a, b)
    source = document.source[start:end]
    verbatim = end - start == b - a and source == block.text[a:b]
    if not verbatim and (MARKUP_RE.search(source) or "\n" in source):
        return None, False
    return Edit(start, end, new), verbatim
