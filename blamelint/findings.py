"""Plain data the engine returns: findings, fixes and edits in source offsets."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

CATEGORIES = (
    "blame",
    "named-individual",
    "hindsight",
    "vague-action",
    "followup",
    "root-cause",
    "template",
    "placeholder",  # a slot a suggested rewrite left to fill in ("[which mistake]"); never scored
)
SEVERITIES = ("error", "warning", "info")
INTERNAL_ERROR = "internal-error"  # the rule id of a file blamelint failed on (a bug, not a finding)
SEVERITY_RANK = {"info": 1, "warning": 2, "error": 3}
MARKUP_RE = re.compile(r"[*_`\[\]<>]")  # source that a prose replacement must not span (emphasis, code, links)
FALLBACK = "Rephrase: "  # the title of the advice a rule with no suggestion of its own gets (rewrite.py)


@dataclass(frozen=True)
class Edit:
    """Replace source[start:end] with new_text (offsets in code points)."""

    start: int
    end: int
    new_text: str

    def to_dict(self) -> dict:
        return {"start": self.start, "end": self.end, "new_text": self.new_text}

    @classmethod
    def from_dict(cls, data: dict) -> Edit:
        return cls(int(data["start"]), int(data["end"]), str(data["new_text"]))


@dataclass
class Fix:
    title: str
    edits: list[Edit] = field(default_factory=list)
    safe: bool = False

    def to_dict(self) -> dict:
        return {"title": self.title, "safe": self.safe, "edits": [e.to_dict() for e in self.edits]}

    def shifted(self, delta: int) -> Fix:
        return Fix(self.title, [Edit(e.start + delta, e.end + delta, e.new_text) for e in self.edits], self.safe)

    @classmethod
    def from_dict(cls, data: dict) -> Fix:
        return cls(str(data["title"]), [Edit.from_dict(e) for e in data.get("edits", [])], bool(data.get("safe", False)))


@dataclass(frozen=True)
class Related:
    """Another rule's hit of the same problem, merged into a finding (see `merge_related`)."""

    rule: str
    message: str
    start: int
    end: int

    def shifted(self, delta: int) -> Related:
        return Related(self.rule, self.message, self.start + delta, self.end + delta)

    def to_dict(self) -> dict:
        return {"rule": self.rule, "message": self.message, "start": self.start, "end": self.end}

    @classmethod
    def from_dict(cls, data: dict) -> Related:
        return cls(str(data["rule"]), str(data["message"]), int(data["start"]), int(data["end"]))


@dataclass
class Finding:
    rule: str
    category: str
    severity: str
    message: str
    start: int
    end: int
    fixes: list[Fix] = field(default_factory=list)
    confidence: float = 1.0
    text: str = ""
    related: list[Related] = field(default_factory=list)  # other rules' hits of this problem, merged in

    def sort_key(self):
        return (self.start, self.end, self.rule, self.message)

    def shifted(self, delta: int) -> Finding:
        """A copy moved by delta code points (its fixes too)."""
        return Finding(self.rule, self.category, self.severity, self.message, self.start + delta, self.end + delta,
                       [f.shifted(delta) for f in self.fixes], self.confidence, self.text,
                       [r.shifted(delta) for r in self.related])

    def to_dict(self) -> dict:
        """Plain JSON-able form in source offsets (code points). Not the `--format json` records,
        which are in lines and columns of a rendered document; this one round-trips exactly."""
        return {
            "rule": self.rule,
            "category": self.category,
            "severity": self.severity,
            "message": self.message,
            "start": self.start,
            "end": self.end,
            "fixes": [fix.to_dict() for fix in self.fixes],
            "confidence": self.confidence,
            "text": self.text,
            "related": [r.to_dict() for r in self.related],
        }

    @classmethod
    def from_dict(cls, data: dict) -> Finding:
        """The inverse of to_dict; raises KeyError, TypeError or ValueError on a malformed dict."""
        return cls(
            rule=str(data["rule"]),
            category=str(data["category"]),
            severity=str(data["severity"]),
            message=str(data["message"]),
            start=int(data["start"]),
            end=int(data["end"]),
            fixes=[Fix.from_dict(fix) for fix in data.get("fixes", [])],
            confidence=float(data.get("confidence", 1.0)),
            text=str(data.get("text", "")),
            related=[Related.from_dict(r) for r in data.get("related", [])],
        )


@dataclass
class FileResult:
    """What linting one input produced: findings, or an error message when it could not be linted."""

    path: str
    document: object | None = None  # blamelint.document.Document
    findings: list[Finding] = field(default_factory=list)
    error: str | None = None
    problems: list[str] = field(default_factory=list)  # non-fatal: a rule that raised, bad front matter
    fixed: int = 0  # safe fixes applied (check --fix)
    internal: bool = False  # `error` is a blamelint bug, shown as one `internal-error` finding

    @classmethod
    def failed(cls, path: str, document, exc: BaseException) -> FileResult:
        """The result of a file whose lint raised: one error-severity `internal-error` finding at
        its start (the formats show it like any finding; SARIF as a tool notification)."""
        message = internal_message(exc)
        finding = Finding(INTERNAL_ERROR, "internal", "error", message, 0, 0)
        return cls(path=path, document=document, findings=[finding], error=message, internal=True)


def internal_message(exc: BaseException) -> str:
    """One line: the exception's type and message, and a request to report it."""
    detail = " ".join(str(exc).split())
    if len(detail) > 300:
        detail = detail[:297] + "..."
    name = type(exc).__name__
    return f"internal error: {name}: {detail}; please report" if detail else f"internal error: {name}; please report"


def merge_related(findings: list[Finding]) -> list[Finding]:
    """One finding per problem: hits of one category on overlapping words become one finding, the
    most specific (highest severity, then one whose fix edits the text, then confidence, then the
    shorter span) with the others listed in `related` and every distinct fix offered, edits first.
    A follow-up item's findings (no owner, no date, nothing checkable) become one finding that
    names every missing part, with one fix adding them all (`merge_followup`). Template and
    placeholder findings are left alone: each reports a different section or slot."""
    groups: list[list[Finding]] = []
    current: dict[str, tuple[list[Finding], int]] = {}  # category -> its latest group and that group's end
    items: dict[tuple[int, int], list[Finding]] = {}
    for f in sorted(findings, key=lambda f: (f.start, f.end)):
        if f.category == "followup" and f.start != f.end:
            if (f.start, f.end) not in items:
                items[(f.start, f.end)] = []
                groups.append(items[(f.start, f.end)])
            items[(f.start, f.end)].append(f)
            continue
        if f.category in ("followup", "template", "placeholder", "internal") or f.start == f.end:
            groups.append([f])
            continue
        group, end = current.get(f.category, (None, -1))
        if group is not None and f.start < end:  # in start order, only the latest group can overlap
            group.append(f)
            current[f.category] = (group, max(end, f.end))
        else:
            groups.append([f])
            current[f.category] = (groups[-1], f.end)
    return [merge_followup(group) if group[0].category == "followup" else merge_group(group) for group in groups]


# what each follow-up rule says is missing, and the order its slots go in at one place
FOLLOWUP_PARTS = {"followup-owner": "an owner", "followup-action": "a checkable outcome",
                  "followup-due-date": "a due date"}
_PREFIX = "This follow-up "


def merge_followup(group: list[Finding]) -> Finding:
    """One finding for a follow-up item's problems: a message naming each ("This follow-up has no
    owner, has no due date and is not a checkable action: …"), the others in `related`, and first
    a fix that adds every part at once (the parts' own fixes follow)."""
    if len(group) == 1:
        return group[0]
    clauses = []
    for f in group:
        if not f.message.startswith(_PREFIX):
            clauses = []
            break
        clauses.append(f.message[len(_PREFIX):].split(";")[0].rstrip(". "))
    order = list(FOLLOWUP_PARTS)
    group = sorted(group, key=lambda f: order.index(f.rule) if f.rule in order else len(order))
    firsts = [next((x for x in f.fixes if x.edits), None) for f in group]
    main = merge_group(list(group))
    if clauses:
        *head, last = clauses
        main.message = _PREFIX + (", ".join(head) + " and " + last if head else last) + "."
    parts = [(f, fx) for f, fx in zip(group, firsts, strict=True) if fx is not None]
    if len(parts) > 1:
        at: dict[tuple[int, int], str] = {}  # one edit per place, the parts in FOLLOWUP_PARTS order
        for _, fx in parts:
            for e in fx.edits:
                at[(e.start, e.end)] = at.get((e.start, e.end), "") + e.new_text
        edits = [Edit(a, b, text) for (a, b), text in sorted(at.items())]
        names = [FOLLOWUP_PARTS.get(f.rule, f.rule) for f, _ in parts]
        title = "Add " + ", ".join(names[:-1]) + " and " + names[-1]
        if all(e.end <= nxt.start for e, nxt in zip(edits, edits[1:], strict=False)):  # (no two parts edit one stretch)
            main.fixes = [Fix(title, edits, False)] + main.fixes
    return main


def merge_group(group: list[Finding]) -> Finding:
    """One finding for hits of one problem: the most specific, the others in `related`."""
    if len(group) == 1:
        return group[0]
    group = sorted(group, key=lambda f: (-SEVERITY_RANK.get(f.severity, 0), not any(x.edits for x in f.fixes),
                                         -f.confidence, f.end - f.start, f.rule))
    main, rest = group[0], group[1:]
    main.related = list(main.related) + [Related(o.rule, o.message, o.start, o.end) for o in rest] + [
        r for o in rest for r in o.related]
    fixes, seen = [], set()
    for fx in [fx for f in group for fx in f.fixes]:
        if (fx.title, tuple(fx.edits)) not in seen:
            seen.add((fx.title, tuple(fx.edits)))
            fixes.append(fx)
    specific = [fx for fx in fixes if not fx.title.startswith(FALLBACK)]
    # edits first (the main finding's before the others'), then advice; a rule's generic
    # "Rephrase: …" only when nothing more specific is left
    main.fixes = sorted(specific or fixes, key=lambda fx: not fx.edits)
    return main
