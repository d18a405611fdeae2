"""The `followup` detector: every action item must be SMART — an owner, a due date and a checkable
action. What counts as an item is `blamelint.detectors.items.collect`.

Done items are not checked at all: what matters for tracking is the open work, and a finished
action needs neither a date nor a sharper wording (owner included: the work is done).

One rule per missing element, all using the detector `followup` with `options.element`:
`owner`, `due-date`, `action` and `overdue` (the last only when `config.today` is set).
"""

from __future__ import annotations

from blamelint.analysis.state import kept
from blamelint.analysis.triggers import Pieces
from blamelint.detectors import detector
from blamelint.detectors.followup.fixes import due_fix, outcome_fix, owner_fix, proposed_due
from blamelint.detectors.followup.vagueness import action_text, may_be_vague, vague_reason
from blamelint.detectors.items import (
    Item,
    collect_items,
    document_date,
    find_due,
    find_owner,
    followup_regions,
)
from blamelint.findings import Edit, Fix


class _Held:
    """An object that does not hash (a Rule, its options) in a cache key: equal only to a holder of
    the same object, which the key keeps alive (so its id, the hash, is not reused meanwhile)."""

    __slots__ = ("obj",)

    def __init__(self, obj):
        self.obj = obj

    def __eq__(self, other):
        return isinstance(other, _Held) and other.obj is self.obj

    def __hash__(self):
        return id(self.obj)


def _regions(first) -> dict:
    """`followup_regions` of the document, worked out once per lint (the trigger and the detector
    both read them)."""
    cache = first.cache
    found = cache.get(("followup", "regions"))
    if found is None:
        found = cache[("followup", "regions")] = followup_regions(first.document, first.config)
    return found


def trigger(first) -> dict:
    """The blocks that can hold an action item: task-list items anywhere, list items and table cells
    in a follow-ups region. None of their sentences is parsed up front: the model's output is read
    only for a short group label (has it a verb?) or a label that may name a person (a PERSON
    entity), rare cases that parse their block then (`Unit.analysed`). An action's text is parsed
    on its own."""
    region = _regions(first)
    out = {}
    for b in first.blocks:
        kind = b.block.kind
        if (kind == "list_item" and (b.block.checked is not None or region.get(b.block))) or (
                kind == "table_cell" and region.get(b.block)):
            out[b.index] = Pieces()
    return out


def _items(analysis) -> list[Item]:
    """The follow-up items of the document, collected once per lint."""
    return analysis.fact(("followup", "items"), lambda: collect_items(analysis.document, analysis.units, (
        _regions(analysis.first) if analysis.first is not None
        else followup_regions(analysis.document, analysis.config))))


def _reason(analysis, options: dict, doc, text: str, specific: bool) -> str | None:
    """`vague_reason`, kept on the action's Doc (cached per text) for this rule set and options."""
    key = ("followup", "vague", _Held(analysis.ruleset), _Held(options), text, specific)
    return kept(doc, key, lambda: (vague_reason(analysis, options, doc, text, specific),))[0]


def _finding(analysis, rule, item: Item, **kw):
    """A finding on the whole item text, widened over the emphasis markers around it."""
    a, b = item.action_range
    f = analysis.finding(rule, item.unit, a, b, **kw)
    src = analysis.document.source
    if item.content_start <= f.start and not src[item.content_start:f.start].strip("*_~ \t"):
        f.start = item.content_start
    while f.end < len(src) and src[f.end] in "*_~" and f.end < item.line_end:
        f.end += 1
    f.text = src[f.start:f.end]
    return f


@detector("followup", needs=("tagger", "parser", "ner"), trigger=trigger)
def followup(rule, analysis):
    element = rule.options.get("element", "owner")
    plain = analysis.document.kind == "text"
    items = [it for it in _items(analysis) if not it.done]
    if not items:
        return
    anchor = None
    if element in ("overdue",):
        if analysis.config.today is None:
            return
        anchor = document_date(analysis.document) or analysis.config.today
    # an item's findings are kept on its paragraph's Doc, keyed by the item and by the document-wide
    # facts they read (the dates); items of tables, whose cells lie outside the paragraph, are not
    facts = (_Held(rule), plain, anchor, analysis.config.today, proposed_due(analysis, rule.options))
    todo = []
    for it in items:
        key = None if it.table else (facts, it.text, it.content_start - it.block.start,
                                     it.line_end - it.block.start, it.checked, it.action_range)
        found = None if key is None else analysis.memo_get(key, it.unit)
        if found is None:
            todo.append((it, key))
        else:
            yield from found
    actions = [None] * len(todo)  # (action text and its offset, its parsed Doc or None) per item
    if element == "action" and todo:
        texts = []
        for it, _ in todo:
            owner = find_owner(it, rule.options)
            due, _ = find_due(it)
            texts.append(action_text(it, owner, due if due and due.start >= 0 else None))
        if analysis.nlp is None:
            docs = [None] * len(texts)
        else:  # the model reads only the actions that could be vague
            tokens = analysis.analyzer.tokens([t for t, _ in texts])
            parse = [t for (t, _), tdoc in zip(texts, tokens, strict=True)
                     if analysis.exhaustive or may_be_vague(analysis, rule.options, tdoc, t)]
            parsed = dict(zip(parse, analysis.analyzer.docs(parse, ner=set()), strict=True))
            docs = [parsed.get(t) for t, _ in texts]
        actions = list(zip(texts, docs, strict=True))
    for (it, key), action in zip(todo, actions, strict=True):
        found = list(_item_findings(rule, analysis, it, element, plain, anchor, action))
        if key is not None:
            analysis.memo_put(key, it.unit, found)
        yield from found


def _item_findings(rule, analysis, it: Item, element: str, plain: bool, anchor, action):
    if element == "owner":
        if find_owner(it, rule.options) is None:
            yield _finding(analysis, rule, it, fixes=[owner_fix(it, rule.options, plain)])
    elif element == "due-date":
        due, vague = find_due(it)
        if due is None:
            detail = f" (“{vague}” is not a date)" if vague else ""
            yield _finding(analysis, rule, it, message_vars={"detail": detail},
                           fixes=[due_fix(it, analysis, rule.options, plain)])
    elif element == "action":
        if action is None or action[1] is None:
            return
        (text, lead), doc = action
        source = analysis.document.source[it.block.start:it.block.end]
        reason = _reason(analysis, rule.options, doc, text, "`" in source or "](" in source)
        if reason:
            hint = Fix(rule.options.get("hint", "Name the artefact or the measure that shows it is done"), [], False)
            yield _finding(analysis, rule, it, message_vars={"reason": reason},
                           fixes=[f for f in (outcome_fix(it, text, lead, analysis.document.source), hint) if f])
    elif element == "overdue":
        due, _ = find_due(it)
        if due is None:
            return
        when = due.resolve(anchor)
        if when is not None and when < analysis.config.today:
            fixes = []
            if it.checked is False:
                box = analysis.document.source.rfind("[ ]", 0, it.content_start)
                if box >= 0:
                    fixes.append(Fix("Mark it done ([x]) if it is finished", [Edit(box, box + 3, "[x]")], False))
            fixes.append(Fix("Close it if it is done, or agree a new date with the owner", [], False))
            yield _finding(analysis, rule, it, message_vars={"due": when.isoformat(),
                           "days": (analysis.config.today - when).days}, fixes=fixes)
