"""Plain data the engine returns: findings, fixes and edits in source offsets."""

from __future__ import annotations

from dataclasses import dataclass, field

CATEGORIES = (
    "blame",
    "named-individual",
    "hindsight",
    "vague-action",
    "followup",
    "root-cause",
    "template",
)
SEVERITIES = ("error", "warning", "info")
SEVERITY_RANK = {"info": 1, "warning": 2, "error": 3}


@dataclass(frozen=True)
class Edit:
    """Replace source[start:end] with new_text (offsets in code points)."""

    start: int
    end: int
    new_text: str


@dataclass
class Fix:
    title: str
    edits: list[Edit] = field(default_factory=list)
    safe: bool = False


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

    def sort_key(self):
        return (self.start, self.end, self.rule, self.message)


@dataclass
class FileResult:
    """What linting one input produced: findings, or an error message when it could not be linted."""

    path: str
    document: object | None = None  # blamelint.document.Document
    findings: list[Finding] = field(default_factory=list)
    error: str | None = None
    problems: list[str] = field(default_factory=list)  # non-fatal: a rule that raised, bad front matter
