"""GitHub Actions workflow commands (annotations), one per finding."""

from __future__ import annotations

from blamelint.formats.common import findings_of, location

COMMANDS = {"error": "error", "warning": "warning", "info": "notice"}


def escape_data(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(value: str) -> str:
    return escape_data(value).replace(":", "%3A").replace(",", "%2C")


def render(results, rules, *, color: bool = False) -> str:
    lines = []
    for result, finding in findings_of(results):
        loc = location(result.document, finding.start, finding.end)
        props = [
            ("file", result.path),
            ("line", loc["line"]),
            ("col", loc["column"]),
            ("endLine", loc["end_line"]),
            ("endColumn", loc["end_column"]),
            ("title", f"blamelint [{finding.rule}]"),
        ]
        props_text = ",".join(f"{key}={escape_property(str(value))}" for key, value in props)
        command = COMMANDS.get(finding.severity, "warning")
        lines.append(f"::{command} {props_text}::{escape_data(finding.message)}\n")
    return "".join(lines)
