"""The fixes the follow-up rules offer: an owner label, a proposed due date (none is safe: a person
has to name the team and agree the date)."""

from __future__ import annotations

import datetime as dt

from blamelint.detectors.items import Item
from blamelint.findings import Edit, Fix


def owner_fix(item: Item, options: dict, plain: bool) -> Fix:
    placeholder = options.get("placeholder", "@owner")
    if "owner" in item.table:
        a, b, _ = item.table["owner"]
        return Fix(f"Name the owning team in the owner column ({placeholder})", [Edit(a, b, f" {placeholder} ")], False)
    label = f"{placeholder}: " if plain else f"**{placeholder}:** "
    return Fix(f"Add an owner: insert “{label.strip()}” before the action and name the team",
               [Edit(item.content_start, item.content_start, label)], False)


def proposed_due(analysis, options: dict) -> dt.date:
    """The date a due-date fix proposes: `options.propose_days` (default 14) days after
    `config.today` (or the current date)."""
    base = analysis.config.today or dt.date.today()
    return base + dt.timedelta(days=int(options.get("propose_days", 14)))


def due_fix(item: Item, analysis, options: dict, plain: bool) -> Fix:
    day = proposed_due(analysis, options).isoformat()
    if "due" in item.table:
        a, b, _ = item.table["due"]
        return Fix(f"Fill in the due date column (proposed: {day}; adjust it)", [Edit(a, b, f" {day} ")], False)
    text = f" [{day}]" if plain else f" **[{day}]**"
    return Fix(f"Add a due date at the end of the item (proposed: {day}; adjust it)",
               [Edit(item.line_end, item.line_end, text)], False)


OUTCOME = " so that [which measure] reaches [what target]"


def outcome_fix(item: Item, action: str, lead: int, source: str) -> Fix | None:
    """The checkable outcome an action item lacks, as slots after the action: "Revisit the
    approval process" → "Revisit the approval process so that [which measure] reaches [what
    target]" (the owner and the date are the other rules' fixes)."""
    if not action.strip():
        return None
    end = lead + len(action)
    at, _ = item.block.source_span(end, end) if end < len(item.block.text) else (None, None)
    if at is None:
        _, at = item.block.source_span(end - 1, end)
    if source[at - 1: at] in ("*", "_", "`", "]", ")"):
        return None  # the action ends inside markup: the slots would land in the wrong place
    return Fix(f"Add the outcome that shows it is done: “{action.strip()}{OUTCOME}”", [Edit(at, at, OUTCOME)], False)
