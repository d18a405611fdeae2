"""reviewdog's Diagnostic Format (rdjson): one DiagnosticResult object for `reviewdog -f=rdjson`.

Positions are 1-based lines and 1-based columns counted in UTF-8 bytes, end exclusive, as
reviewdog's `Position` defines them. A file's byte-order mark counts on line 1, since reviewdog
compares columns with the file as stored. The suggestion is the finding's preferred safe fix
(the one `--fix` applies), as one replacement spanning all its edits.
"""

from __future__ import annotations

import json

from blamelint.formats.common import findings_of

SOURCE = {"name": "blamelint", "url": "https://github.com/blamelint/blamelint"}
SEVERITIES = {"error": "ERROR", "warning": "WARNING", "info": "INFO"}
_BOM_BYTES = 3


def position(document, offset: int) -> dict:
    """{line, column} of a source offset: 1-based line, 1-based column in UTF-8 bytes."""
    line, column = document.position(offset)
    text = document.line_text(line)
    byte_column = len(text[: column - 1].encode("utf-8", "surrogatepass")) + 1
    if line == 1 and getattr(document, "bom", False):
        byte_column += _BOM_BYTES
    return {"line": line, "column": byte_column}


def byte_range(document, start: int, end: int) -> dict:
    return {"start": position(document, start), "end": position(document, end)}


def _suggestion(document, finding) -> dict | None:
    fix = next((x for x in finding.fixes if x.safe and x.edits), None)
    source = getattr(document, "source", None)
    if fix is None or not isinstance(source, str):
        return None
    edits = sorted(fix.edits, key=lambda e: (e.start, e.end))
    start, end = edits[0].start, max(e.end for e in edits)
    parts, pos = [], start
    for edit in edits:
        if edit.start < pos:  # overlapping edits cannot be expressed as one replacement
            return None
        parts.append(source[pos:edit.start])
        parts.append(edit.new_text)
        pos = edit.end
    parts.append(source[pos:end])
    return {"range": byte_range(document, start, end), "text": "".join(parts)}


def diagnostics(results, rules) -> list[dict]:
    out = []
    for result, finding in findings_of(results):
        doc = result.document
        code = {"value": finding.rule}
        rule = rules.get(finding.rule) if rules else None
        link = getattr(rule, "link", None)
        if link:
            code["url"] = link
        item = {
            "message": finding.message,
            "location": {"path": result.path, "range": byte_range(doc, finding.start, finding.end)},
            "severity": SEVERITIES.get(finding.severity, "WARNING"),
            "code": code,
        }
        suggestion = _suggestion(doc, finding)
        if suggestion is not None:
            item["suggestions"] = [suggestion]
        out.append(item)
    return out


def log(results, rules) -> dict:
    return {"source": SOURCE, "diagnostics": diagnostics(results, rules)}


def render(results, rules, *, color: bool = False) -> str:
    return json.dumps(log(results, rules), indent=2, ensure_ascii=False) + "\n"
