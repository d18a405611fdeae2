"""What one post-mortem says, for the archive report.

Everything here reads a parsed `Document` plus the findings the engine produced for it; the
definitions (words, blameless score, SMART, closed, overdue, ageing) are documented in
`docs/report.md` and the numbers are checked by hand in `tests/test_report.py`.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import asdict, dataclass, field

from blamelint.detectors.items import DateMatch, document_date, document_items, find_due, find_owner
from blamelint.detectors.template.reading import (
    impact_field,
    is_placeholder,
    key_fact_fields,
    looks_like_postmortem,
    norm_label,
    parse_timestamp,
    placeholder_value,
    severity_number,
    tags_line,
    unbold,
)
from blamelint.findings import CATEGORIES, Finding

WORD_RE = re.compile(r"\w+(?:[-'’.:/]\w+)*")

# Blameless score: weighted points per finding, by category.
SCORE_WEIGHTS = {"blame": 3, "named-individual": 2, "hindsight": 2, "root-cause": 1}
SCORE_HALF = 10.0  # weighted points per 1,000 words at which the score is 50

# Follow-up rules that make an item not SMART (overdue is a status, not a defect of the item).
SMART_RULES_EXCLUDED = {"followup-overdue"}

DATE_KEYS = ("date", "incident_date", "created")
TAG_KEYS = ("tags", "theme_tags", "themes", "theme-tags")

# Inferred themes: only for documents that declare none, and always marked as inferred.
INFERRED_THEMES = {
    "capacity": r"capacity|saturat\w*|exhaust\w*|out of memory|\bOOM\b|disk (?:was |is )?full|quota|throttl\w*",
    "configuration": r"config(?:uration)?s?\b|misconfigur\w*|feature flag",
    "deployment": r"deploy\w*|roll ?out|rollback|release",
    "third-party": r"third[- ]party|vendor|provider|upstream|partner",
    "monitoring": r"alert\w*|monitor\w*|dashboard",
    "certificates": r"certificate|\bcert\b|\bTLS\b",
    "data": r"migration|schema|replica\w*|backfill",
}
_INFERRED_RE = {tag: re.compile(rx, re.I) for tag, rx in INFERRED_THEMES.items()}
INFER_MIN_HITS = 2


@dataclass
class FollowUp:
    line: int
    text: str
    owner: str | None
    team: str  # the owner, normalised ("netops", "platform team"), or "unassigned"
    due: dt.date | None
    closed: bool
    smart: bool
    overdue: bool
    age_days: int | None  # open items: days since the post-mortem's date
    problems: list[str] = field(default_factory=list)  # follow-up rules that fired on it


@dataclass
class DocFacts:
    path: str
    document: object  # blamelint.document.Document
    findings: list[Finding]
    title: str
    words: int
    date: dt.date | None
    date_source: str | None  # "front matter" | "document" | "git" | None
    severity: str | None
    impact_minutes: int | None
    tags: list[str]
    inferred_tags: list[str]
    required_sections: list[str]
    present_sections: list[str]
    followups: list[FollowUp]
    cached: bool = False

    # --- derived -------------------------------------------------------------------------------

    @property
    def by_category(self) -> dict[str, int]:
        counts = dict.fromkeys(CATEGORIES, 0)
        for f in self.findings:
            counts[f.category] = counts.get(f.category, 0) + 1
        return counts

    def per_1k(self, count: int) -> float:
        return 1000.0 * count / self.words if self.words else 0.0

    @property
    def score_points(self) -> int:
        return sum(SCORE_WEIGHTS.get(f.category, 0) for f in self.findings)

    @property
    def blameless_score(self) -> float:
        return blameless_score(self.score_points, self.words)

    @property
    def missing_sections(self) -> list[str]:
        return [k for k in self.required_sections if k not in self.present_sections]

    @property
    def completeness(self) -> float:
        req = self.required_sections
        return (len(req) - len(self.missing_sections)) / len(req) if req else 1.0

    def count(self, what: str) -> int:
        items = self.followups
        return {
            "total": len(items),
            "smart": sum(i.smart for i in items),
            "closed": sum(i.closed for i in items),
            "open": sum(not i.closed for i in items),
            "overdue": sum(i.overdue for i in items),
            "open_not_smart": sum(not i.closed and not i.smart for i in items),
        }[what]


def blameless_score(points: float, words: int) -> float:
    """100 for a document without blame findings, 50 at SCORE_HALF weighted points per 1,000 words."""
    density = 1000.0 * points / words if words else 0.0
    return 100.0 * SCORE_HALF / (SCORE_HALF + density)


def count_words(document) -> int:
    """Words of prose: every block (headings, paragraphs, list items, table cells); code,
    front matter and markup are not prose. "orders-api", "14:23" and "2024-01-09" are one word."""
    return sum(len(WORD_RE.findall(b.text)) for b in document.blocks)


def is_postmortem(document) -> bool:
    """The template checks' notion: two recognised sections, or a post-mortem title."""
    return looks_like_postmortem(document)


def title_of(document, path: str) -> str:
    fm = document.front_matter or {}
    if isinstance(fm.get("title"), str) and fm["title"].strip():
        return fm["title"].strip()
    for s in document.sections:
        if s.level == 1:
            return s.title
    if document.sections:
        return document.sections[0].title
    return path.rsplit("/", 1)[-1]


def date_of(document) -> tuple[dt.date | None, str | None]:
    d = document_date(document)
    if d is None:
        return None, None
    fm = document.front_matter or {}
    return d, "front matter" if any(fm.get(k) for k in DATE_KEYS) else "document"


def normalise_severity(value) -> str | None:
    """"Sev-2", "SEV2", "severity 2", 2 → "Sev-2"; other values as written; placeholders → None."""
    if value is None:
        return None
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return f"Sev-{value}"
    text = unbold(str(value))
    if not text or placeholder_value(text):
        return None
    number = severity_number(text)
    if number is not None:
        return f"Sev-{number}"
    return text[:24]


def severity_of(document) -> str | None:
    """The Key Facts "Severity" field, else front matter `severity`."""
    _, fields = key_fact_fields(document)
    for f in fields:
        if norm_label(f.label) == "severity":
            sev = normalise_severity(f.value)
            if sev:
                return sev
    return normalise_severity((document.front_matter or {}).get("severity"))


def impact_minutes(document) -> int | None:
    """Minutes between the Key Facts "Impact start" and "Impact end", when both are timestamps."""
    _, fields = key_fact_fields(document)
    when = {}
    for which in ("start", "end"):
        f = impact_field(fields, which)
        if f is None or not f.value or placeholder_value(f.value):
            continue
        stamp = parse_timestamp(f.value, {"UTC"})
        if stamp.when is not None:
            when[which] = stamp.when
    if "start" in when and "end" in when and when["end"] >= when["start"]:
        return int((when["end"] - when["start"]).total_seconds() // 60)
    return None


def normalise_tag(tag: str) -> str:
    tag = re.sub(r"[*_`\[\]]", "", str(tag)).strip().lstrip("#").strip().lower()
    return re.sub(r"\s+", "-", tag)


def split_tags(value) -> list[str]:
    if isinstance(value, (list, tuple)):
        raw = [str(v) for v in value]
    else:
        raw = re.split(r"[,;]", str(value))
    out = []
    for t in raw:
        n = normalise_tag(t)
        if n and n not in out:
            out.append(n)
    return out


def tags_of(document) -> list[str]:
    """Declared theme tags: front matter `tags:`/`themes:`, else the `**Theme tags:**` line."""
    fm = document.front_matter or {}
    for key in TAG_KEYS:
        if fm.get(key):
            return split_tags(fm[key])
    for block in document.blocks:
        m = tags_line(block.text)
        if m:
            # the field ends at the end of its source line: text markdown joined on from the
            # next line ("[data]" then "Nadia forgot ...") is not a tag
            a, b = m.start(1), m.end(1)
            line = document.position(block.source_span(a, a + 1)[0])[0]
            cut = next((i for i in range(a, b) if document.position(block.source_span(i, i + 1)[0])[0] != line), b)
            value = block.text[a:cut].strip()
            inner = re.fullmatch(r"\[([^\[\]]*)\]\s*\.?", value)
            if inner:
                if is_placeholder(inner.group(1), tags=True):
                    return []
                value = inner.group(1)
            return split_tags(value)
    return []


def infer_tags(document) -> list[str]:
    """Themes guessed from keywords (at least INFER_MIN_HITS mentions), for untagged documents."""
    text = " ".join(b.text for b in document.blocks)
    return [tag for tag, rx in _INFERRED_RE.items() if len(rx.findall(text)) >= INFER_MIN_HITS]


def present_sections(document) -> list[str]:
    return sorted({s.kind for s in document.sections if s.kind})


def normalise_team(owner: str | None) -> str:
    if not owner:
        return "unassigned"
    team = re.sub(r"[*_`\[\]()@:]", " ", owner).strip().lower()
    return " ".join(team.split()) or "unassigned"


def item_records(document, config, owner_options: dict, analyzer=None) -> list[dict]:
    """The follow-up items of a document as plain data (what `followups_from` needs, JSON-able so
    a re-run can skip the parse)."""
    out = []
    for it in document_items(document, config, analyzer):
        block = it.block
        owner = find_owner(it, owner_options)
        due_match, _ = find_due(it)
        text = " ".join(block.text.split())
        out.append({
            "lo": min(it.content_start, block.start),
            "hi": max(it.line_end, block.end),
            "line": document.position(block.start)[0],
            "text": text if len(text) <= 240 else text[:239] + "…",
            "owner": owner.text if owner is not None else None,
            "due": asdict(due_match) if due_match is not None else None,
            "done": bool(it.done),
        })
    return out


def followups_from(items: list[dict], findings: list[Finding], today: dt.date,
                   doc_date: dt.date | None) -> list[FollowUp]:
    followup_findings = [f for f in findings if f.category == "followup" and f.rule not in SMART_RULES_EXCLUDED]
    anchor = doc_date or today
    out = []
    for it in items:
        problems = sorted({f.rule for f in followup_findings if it["lo"] <= f.start <= it["hi"]})
        owner = it["owner"]
        due = DateMatch(**it["due"]).resolve(anchor) if it["due"] is not None else None
        closed = it["done"]
        if closed:  # the rules skip finished items; they are SMART when they name an owner and a date
            smart = owner is not None and it["due"] is not None
        else:
            smart = not problems
        out.append(FollowUp(
            line=it["line"],
            text=it["text"],
            owner=owner.strip() if owner is not None else None,
            team=normalise_team(owner),
            due=due,
            closed=closed,
            smart=smart,
            overdue=not closed and due is not None and due < today,
            age_days=(today - doc_date).days if (doc_date is not None and not closed) else None,
            problems=problems,
        ))
    return out


def sketch(document, path: str, config, owner_options: dict, analyzer=None) -> dict:
    """Everything the report takes from a document's structure, as JSON-able data (cached per text)."""
    if not is_postmortem(document):
        return {"postmortem": False}
    date, source = date_of(document)
    tags = tags_of(document)
    return {
        "postmortem": True,
        "title": title_of(document, path),
        "words": count_words(document),
        "date": date.isoformat() if date else None,
        "date_source": source,
        "severity": severity_of(document),
        "impact_minutes": impact_minutes(document),
        "tags": tags,
        "inferred_tags": [] if tags else infer_tags(document),
        "present_sections": present_sections(document),
        "items": item_records(document, config, owner_options, analyzer),
    }
