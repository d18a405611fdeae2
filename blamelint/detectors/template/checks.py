"""The post-mortem template: required sections, Key Facts, timeline order, theme tags.

Checked only when the document looks like a post-mortem (two recognised sections, or a title
that says incident / post-mortem / outage), so other Markdown is left alone; a document
without any heading gets at most one finding. Settings come from `config.template` (see
`blamelint.document.template.settings`): `required_sections`, `key_facts`, `severity_levels`,
`sections`, `titles`, `theme_tags`, `timezone`.

One detector, `template`, with `options.check`: missing-section, empty-section, key-facts,
placeholder, severity, impact-time, timeline-order, theme-tags.
"""

from __future__ import annotations

import datetime as dt
import re
from bisect import bisect_left

from blamelint.detectors import detector
from blamelint.detectors.items import document_date, find_dates
from blamelint.detectors.template.reading import (
    SEV_RE,
    TIME_RE,
    Field,
    clock_time,
    impact_field,
    is_placeholder,
    key_fact_fields,
    looks_like_postmortem,
    norm_label,
    parse_timestamp,
    placeholder_value,
    present_kinds,
    severity_number,
    tags_line,
    unbold,
)
from blamelint.document import template as scaffold
from blamelint.findings import Edit, Finding, Fix
from blamelint.rules import fill

BRACKET_RE = re.compile(r"\[([^\[\]\n]{1,300})\]")


def _settings(analysis) -> dict:
    return analysis.fact(("template", "settings"), lambda: scaffold.settings(analysis.config))


def _anchor(doc) -> tuple[int, int]:
    """Where a document-level finding goes: the title heading, else the first line of text."""
    for s in doc.sections:
        if s.level == 1:
            return _heading_span(doc, s)
    first = next((b for b in doc.blocks if b.text.strip()), None)
    start = first.start if first else 0
    return start, _line_end(doc, start, first.end if first and doc.kind == "html" else None)


def _heading_span(doc, section) -> tuple[int, int]:
    """The heading's line; in an HTML export (where one line may hold the page) its text."""
    if doc.kind == "html":
        block = next((b for b in doc.blocks if b.kind == "heading" and section.start <= b.start < section.end), None)
        if block is not None:
            return block.start, block.end
    return section.start, _line_end(doc, section.start, None)


def _line_end(doc, start: int, block_end: int | None) -> int:
    line = doc.position(start)[0]
    end = doc.line_starts[line - 1] + len(doc.line_text(line).rstrip())
    return max(start, min(end, block_end) if block_end is not None else end)


def _make(rule, doc, start: int, end: int, message: str | None = None, fixes=None, **variables) -> Finding:
    variables.setdefault("match", doc.source[start:end])
    text = fill(message or rule.message, variables)
    text = text[:1].upper() + text[1:]
    if not fixes:
        fixes = [Fix(rule.options.get("hint", "Follow the post-mortem template (`blamelint new` writes a skeleton)"))]
    return Finding(
        rule=rule.id, category=rule.category, severity=rule.severity, message=text, start=start, end=end,
        fixes=fixes, confidence=rule.confidence, text=doc.source[start:end],
    )


# --- sections ----------------------------------------------------------------------------------


def _content_starts(doc) -> list[int]:
    """Where prose and code start, in order."""
    return sorted([b.start for b in doc.blocks if b.kind != "heading" and b.text.strip()] + [a for a, _ in doc.code_ranges])


def _has_content(starts: list[int], section) -> bool:
    i = bisect_left(starts, section.body_start)
    return i < len(starts) and starts[i] < section.end


def _required_kinds(settings) -> list[str]:
    return [str(k) for k in settings["required_sections"]]


def _title_for(kind: str, analysis) -> str:
    return scaffold.section_title(kind, analysis.config)


def _insertion_point(doc, kind: str, order: list[str]) -> tuple[int, int]:
    """(offset, heading level) where a missing section of `kind` belongs."""
    top = [s for s in doc.sections if s.level > 1]
    level = min((s.level for s in top), default=2)
    rank = {k: i for i, k in enumerate(order)}
    mine = rank.get(kind, len(order))
    for s in doc.sections:
        if s.level == level and s.kind in rank and rank[s.kind] > mine:
            return s.start, level
    return len(doc.source), level


def _skeleton(kind: str, analysis, level: int, at_end: bool) -> str:
    text = scaffold.section_markdown(kind, analysis.config, level)
    if at_end:
        src = analysis.document.source
        lead = "" if src.endswith("\n\n") or not src else ("\n" if src.endswith("\n") else "\n\n")
        return lead + text
    return text + "\n"


def check_missing_section(rule, analysis):
    doc = analysis.document
    settings = _settings(analysis)
    present = present_kinds(doc)
    missing = [k for k in _required_kinds(settings) if k not in present]
    if not missing:
        return
    a, b = _anchor(doc)
    if not doc.sections:
        names = ", ".join(f"“{_title_for(k, analysis)}”" for k in missing)
        yield _make(rule, doc, a, b, message=rule.options.get(
            "message_no_sections", "This post-mortem has no sections; the template expects: {names}."), names=names,
            fixes=[Fix("Start from the template: `blamelint new \"TITLE\"` writes a skeleton with every section")])
        return
    order = scaffold.SECTION_ORDER
    fixes = []
    for kind in missing:
        at, level = _insertion_point(doc, kind, order)
        title = _title_for(kind, analysis)
        fixes.append(Fix(f"Insert an empty “{title}” section from the template",
                         [Edit(at, at, _skeleton(kind, analysis, level, at == len(doc.source)))], False))
    names = [_title_for(k, analysis) for k in missing]
    if len(names) == 1:
        yield _make(rule, doc, a, b, fixes=fixes, section=names[0])
    else:
        # one finding (findings on one span are merged), one fix per section
        yield _make(rule, doc, a, b, fixes=fixes, message=rule.options.get(
            "message_many", "This post-mortem is missing the template sections {names}."),
            names=", ".join(f"“{n}”" for n in names))


def check_empty_section(rule, analysis):
    doc = analysis.document
    required = set(_required_kinds(_settings(analysis)))
    starts = _content_starts(doc)
    for s in doc.sections:
        chain, p = [], s
        while p is not None:
            chain.append(p.kind)
            p = p.parent
        if not (set(chain) & required) or s.kind is None:
            continue
        if _has_content(starts, s):
            continue
        a, b = _heading_span(doc, s)
        at = s.body_start
        src = doc.source
        body = scaffold.section_body(s.kind)
        new = ("\n" if at == len(src) and not src.endswith("\n") else "") + "\n" + body + "\n"
        if at < len(src):
            new = "\n" + body + "\n\n" if src[at:at + 1] != "\n" else "\n" + body + "\n"
        fix = Fix("Insert the template's guidance for this section", [Edit(at, at, new)], False)
        yield _make(rule, doc, a, b, fixes=[fix], section=s.title)


# --- key facts -----------------------------------------------------------------------------------

def _match_field(wanted: str, fields: list[Field]) -> Field | None:
    w = norm_label(wanted)
    for f in fields:
        n = norm_label(f.label)
        if n == w or (len(n) >= 4 and (w in n or n in w)):
            return f
    return None


def check_key_facts(rule, analysis):
    doc = analysis.document
    section, fields = key_fact_fields(doc)
    if section is None:
        return
    wanted = _settings(analysis)["key_facts"]
    missing = [w for w in wanted if _match_field(w, fields) is None]
    if not missing:
        return
    a, b = _heading_span(doc, section)
    if fields:
        last = max(fields, key=lambda f: f.line)
        at = doc.line_starts[last.line - 1] + len(doc.line_text(last.line))
        new = "".join("\n" + scaffold.key_fact_line(w, analysis.config) for w in missing)
    else:
        at = section.body_start
        new = "\n" + "\n".join(scaffold.key_fact_line(w, analysis.config) for w in missing) + "\n"
        if at == len(doc.source) and not doc.source.endswith("\n"):
            new = "\n" + new
    fix = Fix("Add the missing Key Facts fields from the template", [Edit(at, at, new)], False)
    names = ", ".join(missing)
    yield _make(rule, doc, a, b, fixes=[fix], fields=names, s="s" if len(missing) > 1 else "")


def check_placeholder(rule, analysis):
    doc = analysis.document
    seen: set[tuple[int, int]] = set()
    _, fields = key_fact_fields(doc)
    for f in fields:
        m = placeholder_value(f.value)
        if m:
            a = doc.source.find("[", f.value_start, f.value_end)
            b = doc.source.rfind("]", f.value_start, f.value_end) + 1
            if a >= 0 and b > a:
                seen.add((a, b))
                yield _make(rule, doc, a, b, field=f.label, what=f"the {f.label} field")
    for block in doc.blocks:
        text = block.text
        if block.kind == "heading":
            for m in BRACKET_RE.finditer(text):
                if is_placeholder(m.group(1)):
                    a, b = block.source_span(m.start(), m.end())
                    if (a, b) not in seen:
                        seen.add((a, b))
                        yield _make(rule, doc, a, b, what="the heading")
            continue
        tags = tags_line(text)
        if tags:
            value = tags.group(1)
            m = placeholder_value(value, tags=True)
            if m:
                off = tags.start(1)
                a, b = block.source_span(off + m.start(), off + m.end())
                b = min(b, doc.source.rfind("]", a, b + 1) + 1 or b)
                if (a, b) not in seen:
                    seen.add((a, b))
                    yield _make(rule, doc, a, b, what="the Theme tags line")
            continue
        if placeholder_value(text):
            a, b = block.start, block.end
            if (a, b) in seen or any(sa <= a and b <= sb for sa, sb in seen):
                continue
            seen.add((a, b))
            section = block.section
            where = f"the {section.title} section" if section is not None else "the document"
            yield _make(rule, doc, a, b, what=where)


def check_severity(rule, analysis):
    doc = analysis.document
    levels = _settings(analysis)["severity_levels"]
    _, fields = key_fact_fields(doc)
    f = _match_field("Severity", fields)
    candidates = []
    if f is not None and f.value and not placeholder_value(f.value):
        candidates.append((f.value, f.value_start, f.value_end))
    fm = doc.front_matter or {}
    if "severity" in fm and fm["severity"] not in (None, ""):
        value = str(fm["severity"])
        m = re.search(r"(?im)^severity[ \t]*:[ \t]*(.+?)[ \t]*$", doc.source)
        if m:
            candidates.append((value, m.start(1), m.end(1)))
    for value, a, b in candidates:
        if not severity_ok(value, levels):
            yield _make(rule, doc, a, b, value=unbold(value), levels=", ".join(levels))

def severity_ok(value: str, levels: list[str]) -> bool:
    value = unbold(value)
    numbers = set()
    names = []
    for level in levels:
        m = SEV_RE.search(level) or re.fullmatch(r"\s*(\d)\s*", level)
        if m:
            numbers.add(m.group(1))
        names.append(norm_label(level))
    number = severity_number(value)
    if number is not None:
        return number in numbers
    n = norm_label(value)
    return any(name and n.startswith(name) for name in names)


# --- impact times --------------------------------------------------------------------------------


def check_impact_time(rule, analysis):
    doc = analysis.document
    _, fields = key_fact_fields(doc)
    zone = _settings(analysis)["timezone"].upper()
    names = {zone}
    stamps = {}
    for which in ("start", "end"):
        f = impact_field(fields, which)
        if f is None or not f.value or placeholder_value(f.value):
            continue
        s = parse_timestamp(f.value, names)
        stamps[which] = (f, s)
        if s.problem:
            yield _make(rule, doc, f.value_start, f.value_end, field=f.label, value=unbold(f.value),
                        problem=s.problem, zone=zone)
    if "start" in stamps and "end" in stamps:
        (fs, ss), (fe, se) = stamps["start"], stamps["end"]
        if ss.when and se.when and se.when < ss.when:
            yield _make(rule, doc, fe.value_start, fe.value_end, field=fe.label, value=unbold(fe.value),
                        problem=f"is before the impact start ({unbold(fs.value)})", zone=zone)


# --- timeline ------------------------------------------------------------------------------------


def _in_kind(section, kind: str) -> bool:
    while section is not None:
        if section.kind == kind:
            return True
        section = section.parent
    return False


def _entry_time(text: str, anchor: dt.date) -> tuple[dt.date | None, int, int, int] | None:
    """(explicit date or None, minutes since midnight, prose start, prose end) when text starts with a time."""
    s = text.lstrip(" *_[(")
    off = len(text) - len(s)
    day = None
    dates = find_dates(s[:40])
    if dates and dates[0].start == 0 and dates[0].day is not None:
        d = dates[0]
        day = d.resolve(anchor)
        rest = s[d.end:]
        gap = len(rest) - len(rest.lstrip(" ,T@"))
        tm = TIME_RE.match(rest, gap)
        if not tm:
            return (day, -1, off, off + d.end) if day else None
        start_rest = d.end
    else:
        tm = TIME_RE.match(s)
        start_rest = 0
        if not tm:
            return None
    clock = clock_time(tm)
    if clock is None:
        return None
    hour, minute = clock
    end = off + start_rest + tm.end()
    zone = re.match(r"[ \t]*(?:UTC|GMT|Z|[A-Z]{2,4}T)\b", text[end:])
    return day, hour * 60 + minute, off, end + (zone.end() if zone else 0)


def check_timeline_order(rule, analysis):
    doc = analysis.document
    anchor = document_date(doc) or analysis.config.today or dt.date(2000, 1, 1)
    prev = None  # (datetime-ish key, label)
    current_day: dt.date | None = None
    offset = 0  # days rolled over since the last explicit date
    prev_minutes = None
    last_line = -1
    for block in doc.blocks:
        if not _in_kind(block.section, "timeline"):
            prev, current_day, offset, prev_minutes = None, None, 0, None
            continue
        line = doc.position(block.start)[0]
        if block.kind == "table_cell" and line == last_line:
            continue  # only the first cell of a row
        last_line = line
        if block.kind == "heading" and block.section is not None and block.start == block.section.start and (
            block.section.kind == "timeline"
        ):
            prev, current_day, offset, prev_minutes = None, None, 0, None
            continue
        parsed = _entry_time(block.text, anchor)
        if parsed is None:
            if block.kind == "heading":
                prev, current_day, offset, prev_minutes = None, None, 0, None
            continue
        day, minutes, a, b = parsed
        if minutes < 0:  # a date line: "**2024-01-15**"
            if current_day and day and day < current_day:
                sa, sb = block.source_span(a, b)
                yield _make(rule, doc, sa, sb, entry=day.isoformat(), previous=current_day.isoformat())
            current_day, offset, prev_minutes = day, 0, None
            prev = (dt.datetime.combine(day, dt.time()), day.isoformat()) if day else None
            continue
        if day is not None:
            current_day, offset = day, 0
        elif prev_minutes is not None and minutes < prev_minutes and prev_minutes - minutes > 12 * 60:
            offset += 1  # past midnight
        base = current_day or dt.date(2000, 1, 1)
        key = dt.datetime.combine(base, dt.time()) + dt.timedelta(days=offset, minutes=minutes)
        label = block.text[a:b].strip(" *_:")
        if prev is not None and key < prev[0]:
            sa, sb = block.source_span(a, b)
            yield _make(rule, doc, sa, sb, entry=label, previous=prev[1])
        prev = (key, label)
        prev_minutes = minutes


# --- theme tags ----------------------------------------------------------------------------------


def check_theme_tags(rule, analysis):
    doc = analysis.document
    if not _settings(analysis)["theme_tags"]:
        return
    fm = doc.front_matter or {}
    for key in ("tags", "theme_tags", "themes", "theme-tags"):
        if fm.get(key):
            return
    for block in doc.blocks:
        m = tags_line(block.text)
        if m:
            if m.group(1).strip(" []"):
                return
            yield _make(rule, doc, block.start, block.end, message=rule.options.get(
                "message_empty", "The theme tags are empty; add a few tags for trend analysis."))
            return
    follow = next((s for s in doc.sections if s.kind == "follow-ups"), None)
    if follow is not None:
        a, b = _heading_span(doc, follow)
        at = follow.end
    else:
        a, b = _anchor(doc)
        at = len(doc.source)
    src = doc.source
    line = rule.options.get("insert", "**Theme tags:** [Tags for trend analysis, such as capacity, configuration, monitoring]")
    if at >= len(src):
        lead = "" if src.endswith("\n\n") else ("\n" if src.endswith("\n") else "\n\n")
        new = lead + line + "\n"
    else:
        lead = "" if src[:at].endswith("\n\n") else ("\n" if src[:at].endswith("\n") else "\n\n")
        new = lead + line + "\n\n"
    fix = Fix("Add a theme tags line to the follow-ups", [Edit(at, at, new)], False)
    yield _make(rule, doc, a, b, fixes=[fix])


CHECKS = {
    "missing-section": check_missing_section,
    "empty-section": check_empty_section,
    "key-facts": check_key_facts,
    "placeholder": check_placeholder,
    "severity": check_severity,
    "impact-time": check_impact_time,
    "timeline-order": check_timeline_order,
    "theme-tags": check_theme_tags,
}


@detector("template")
def template(rule, analysis):
    doc = analysis.document
    if not looks_like_postmortem(doc, int(rule.options.get("min_words", 120))):
        return
    check = rule.options.get("check", "missing-section")
    if not doc.sections and check != "missing-section":
        return  # no headings at all: one finding (the missing sections) is enough
    yield from CHECKS[check](rule, analysis)
