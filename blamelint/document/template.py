"""`blamelint new`: a post-mortem skeleton in the standard template, ready to fill in.

The skeleton comes from `blamelint/templates/postmortem.md` (package data). Headings are
renamed to the titles the configuration recognises (`template.sections`, or
`template.titles`), the Key Facts fields and severity levels follow `template.key_facts` and
`template.severity_levels`, and any required section the template lacks is added. Linted, a
fresh skeleton yields only `template-placeholder` findings: the bracketed text still to
replace.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from functools import lru_cache
from importlib import resources

from blamelint.document.model import SECTION_KINDS, kind_lookup, norm_title, with_defaults

DEFAULT_KEY_FACTS = [
    "Severity",
    "Impact start",
    "Impact end",
    "Affected services",
    "On-call rotation",
    "Customer impact",
    "Status page",
]
DEFAULT_SEVERITY_LEVELS = ["Sev-1", "Sev-2", "Sev-3", "Sev-4"]
DEFAULT_REQUIRED = ["key-facts", "executive-summary", "timeline", "contributors", "learnings", "follow-ups"]
# Canonical order of the template's sections (where a missing one goes).
SECTION_ORDER = [
    "key-facts", "executive-summary", "timeline", "contributors", "mitigators", "risks",
    "diagnostics", "learnings", "follow-ups", "appendix",
]
DEFAULT_TITLES = {
    "key-facts": "Key Facts",
    "executive-summary": "Executive Summary",
    "timeline": "Timeline",
    "contributors": "Contributors, Mitigators, Risks",
    "mitigators": "Mitigators",
    "risks": "Risks",
    "diagnostics": "Diagnostics and Evidence",
    "learnings": "Learnings",
    "follow-ups": "Follow-ups",
    "appendix": "Appendix",
}
GENERIC_PLACEHOLDER = "[Fill in this section.]"
_HEADING_RE = re.compile(r"^(#{1,6})[ \t]+(.*?)[ \t]*$")
_FIELD_RE = re.compile(r"^- \*\*(?P<label>[^*]+?):\*\* (?P<value>.*)$")


@lru_cache(maxsize=1)
def template_text() -> str:
    return (resources.files("blamelint") / "templates" / "postmortem.md").read_text(encoding="utf-8")


def settings(config) -> dict:
    """The template settings of a config (`config.template`), with the defaults filled in."""
    raw = dict(getattr(config, "template", None) or {})
    sections = with_defaults(raw.get("sections"))
    return {
        "sections": sections,
        "required_sections": list(raw.get("required_sections") or DEFAULT_REQUIRED),
        "key_facts": list(raw.get("key_facts") or DEFAULT_KEY_FACTS),
        "severity_levels": [str(x) for x in (raw.get("severity_levels") or DEFAULT_SEVERITY_LEVELS)],
        "titles": dict(raw.get("titles") or {}),
        "theme_tags": raw.get("theme_tags", True),
        "timezone": str(raw.get("timezone", "UTC")),
    }


def section_title(kind: str, config, current: str | None = None, keep_recognised: bool = False) -> str:
    """The heading to write for a section kind under this config.

    `current` is the heading the template has; it is kept when the config recognises it (and,
    with `keep_recognised`, even when the config lists another name first)."""
    s = settings(config)
    if kind in s["titles"]:
        return str(s["titles"][kind])
    lookup = kind_lookup(s["sections"])
    recognised = [c for c in (current, DEFAULT_TITLES.get(kind)) if c and lookup.get(norm_title(c)) == kind]
    configured = [str(n) for n in ((getattr(config, "template", None) or {}).get("sections") or {}).get(kind) or []]
    if keep_recognised and current in recognised:
        return current
    if configured:
        if current and norm_title(current) in {norm_title(n) for n in configured}:
            return current
        return configured[0]
    if recognised:
        return recognised[0]
    if kind not in s["sections"]:
        return current or DEFAULT_TITLES.get(kind) or kind.replace("-", " ").capitalize()
    return kind.replace("-", " ").capitalize()


@lru_cache(maxsize=1)
def _template_sections() -> tuple[str, list[tuple[int, str, str | None, list[str]]]]:
    """(text before the first section heading, [(level, title, default kind, body lines)])."""
    lines = template_text().splitlines()
    lookup = kind_lookup(SECTION_KINDS)
    head: list[str] = []
    sections: list[tuple[int, str, str | None, list[str]]] = []
    for line in lines:
        m = _HEADING_RE.match(line)
        if m and len(m.group(1)) >= 2:
            sections.append((len(m.group(1)), m.group(2), lookup.get(norm_title(m.group(2))), []))
        elif sections:
            sections[-1][3].append(line)
        else:
            head.append(line)
    return "\n".join(head), sections


def section_body(kind: str) -> str:
    """The template's placeholder body for a section kind (Markdown, no heading)."""
    for _level, _title, k, body in _template_sections()[1]:
        if k == kind:
            text = "\n".join(body).strip()
            if kind == "contributors" and not text:
                continue  # the parent heading: take the "### Contributors" one
            return _strip_comments(text) or GENERIC_PLACEHOLDER
    return GENERIC_PLACEHOLDER


def section_markdown(kind: str, config, level: int = 2) -> str:
    """A section of the template as Markdown (heading, guidance and its sub-sections), for
    inserting a missing section; `level` is the heading level to use."""
    sections = _template_sections()[1]
    for i, (lvl, heading, k, body) in enumerate(sections):
        if k != kind:
            continue
        if kind == "key-facts":
            text = "\n".join(key_fact_line(f, config) for f in settings(config)["key_facts"])
            return f"{'#' * level} {section_title(kind, config, heading)}\n\n{text}\n"
        parts = [f"{'#' * level} {section_title(kind, config, heading)}\n"]
        own = _strip_comments("\n".join(body))
        if own:
            parts.append(own + "\n")
        for sub_level, sub_heading, sub_kind, sub_body in sections[i + 1:]:
            if sub_level <= lvl:
                break
            title = sub_heading if sub_kind is None else section_title(sub_kind, config, sub_heading, True)
            parts.append(f"{'#' * (level + sub_level - lvl)} {title}\n")
            sub = _strip_comments("\n".join(sub_body))
            if sub:
                parts.append(sub + "\n")
        return "\n".join(parts)
    return f"{'#' * level} {section_title(kind, config)}\n\n{GENERIC_PLACEHOLDER}\n"


def key_fact_placeholders() -> dict[str, str]:
    """Field label (lower case) -> the template's placeholder value."""
    for _level, _title, kind, body in _template_sections()[1]:
        if kind == "key-facts":
            out = {}
            for line in body:
                m = _FIELD_RE.match(line.strip())
                if m:
                    out[m.group("label").lower()] = m.group("value")
            return out
    return {}


def key_fact_line(label: str, config) -> str:
    placeholder = key_fact_placeholders().get(label.lower())
    if label.lower() == "severity" or placeholder is None and "severity" in label.lower():
        placeholder = "[" + " / ".join(settings(config)["severity_levels"]) + "]"
    return f"- **{label}:** {placeholder or '[' + label + ']'}"


def _strip_comments(text: str) -> str:
    return re.sub(r"\n*<!--.*?-->\n*", "\n\n", text, flags=re.S).strip()


def new_postmortem(title: str, config=None, today: dt.date | None = None) -> str:
    """A new post-mortem in the standard template, titled and dated."""
    s = settings(config)
    title = " ".join(str(title).split()) or "[Brief description]"
    day = today or getattr(config, "today", None) or dt.date.today()
    head, sections = _template_sections()
    out = [
        head.replace("{{title_yaml}}", json.dumps(title, ensure_ascii=False))
        .replace("{{date}}", day.isoformat())
        .replace("{{title}}", title)
    ]
    present = {k for _l, _t, k, _b in sections if k}
    extra = [k for k in s["required_sections"] if k not in present]
    parents: list[tuple[int, str | None]] = []
    for level, heading, kind, body in sections:
        while parents and parents[-1][0] >= level:
            parents.pop()
        same_as_parent = bool(parents) and parents[-1][1] == kind
        parents.append((level, kind))
        if kind == "appendix":
            for k in extra:  # required sections the template lacks go before the appendix
                out.append(f"## {section_title(k, config)}\n\n{GENERIC_PLACEHOLDER}\n")
            extra = []
        text = heading if kind is None else section_title(kind, config, heading, keep_recognised=same_as_parent)
        if kind == "key-facts":
            body_text = "\n".join(key_fact_line(f, config) for f in s["key_facts"]) + "\n"
            out.append(f"{'#' * level} {text}\n\n{body_text}")
            continue
        body_text = "\n".join(body).strip("\n")
        out.append(f"{'#' * level} {text}\n\n{body_text}\n" if body_text else f"{'#' * level} {text}\n")
    for k in extra:
        out.append(f"## {section_title(k, config)}\n\n{GENERIC_PLACEHOLDER}\n")
    text = "\n".join(part.rstrip("\n") + "\n" for part in out)
    text = text.replace("{{severity_levels}}", " / ".join(s["severity_levels"]))
    return text
