"""Apply fixes to text: non-overlapping edits, applied from the end so offsets stay valid."""

from __future__ import annotations

from blamelint.findings import Edit, Finding


def apply_edits(text: str, edits: list[Edit]) -> str:
    for e in sorted(edits, key=lambda e: (e.start, e.end), reverse=True):
        text = text[: e.start] + e.new_text + text[e.end :]
    return text


def apply_safe_fixes(text: str, findings: list[Finding], unsafe: bool = False) -> tuple[str, int]:
    """Apply the first safe fix of each finding (with `unsafe`, its first fix with an edit: a
    rewrite with slots or a changed subject), skipping any that overlaps one already taken."""
    taken: list[Edit] = []
    applied = 0
    done: set[tuple] = set()  # the fixes taken: a sentence rewrite shared by its findings counts for each
    for f in sorted(findings, key=Finding.sort_key):
        fix = next((x for x in f.fixes if x.safe and x.edits), None)
        if fix is None and unsafe:
            fix = next((x for x in f.fixes if x.edits), None)
        if fix is None:
            continue
        if tuple(fix.edits) in done:
            applied += 1
            continue
        if any(_overlaps(e, t) for e in fix.edits for t in taken):
            continue
        taken.extend(fix.edits)
        done.add(tuple(fix.edits))
        applied += 1
    return apply_edits(text, taken), applied


def _overlaps(a: Edit, b: Edit) -> bool:
    """Do two edits touch the same text? An insertion at either end of a replaced range does not
    (it lands before or after the new text); two insertions at one point do (their order is open)."""
    if a.start == a.end and b.start == b.end:
        return a.start == b.start
    if a.start == a.end:
        return b.start < a.start < b.end
    if b.start == b.end:
        return a.start < b.start < a.end
    return a.start < b.end and b.start < a.end
