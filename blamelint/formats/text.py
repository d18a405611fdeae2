"""Compiler-style text output with the source line and a caret underline."""

from __future__ import annotations

import unicodedata

import click

from blamelint.document import kind_for_path

TAB_WIDTH = 4
SEVERITY_COLORS = {"error": "red", "warning": "yellow", "info": "cyan"}


def char_width(ch: str) -> int:
    """Terminal cells of one code point: wide/fullwidth 2, combining and format marks 0, else 1."""
    if unicodedata.combining(ch) or unicodedata.category(ch) in ("Mn", "Me", "Cf"):
        return 0
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


LONG_LINE = 200  # longer source lines are shown around the finding only
CONTEXT = 60


def layout(line: str) -> tuple[str, list[int]]:
    """The line as displayed (tabs expanded, control characters replaced) and the cell
    column before each code point (one extra entry for the end of the line)."""
    shown, cols, cell = [], [0], 0
    for ch in line:
        if ch == "\t":
            width = TAB_WIDTH - cell % TAB_WIDTH
            shown.append(" " * width)
        else:
            if unicodedata.category(ch) == "Cc":
                ch = "\ufffd"  # never send raw control characters to a terminal
            width = char_width(ch)
            shown.append(ch)
        cell += width
        cols.append(cell)
    return "".join(shown), cols


def _clean(value: str) -> str:
    return "".join("\ufffd" if unicodedata.category(ch) == "Cc" else ch for ch in value)


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 or word == "info" else f"{count} {word}s"


def _style(value: str, color: bool, **kwargs) -> str:
    return click.style(value, **kwargs) if color else value


def _block(path: str, document, finding, color: bool) -> list[str]:
    line, col = document.position(finding.start)
    end_line, end_col = document.position(finding.end)
    severity_color = SEVERITY_COLORS.get(finding.severity)
    header = (
        _style(f"{_clean(path)}:{line}:{col}:", color, bold=True)
        + " "
        + _style(finding.severity, color, fg=severity_color, bold=True)
        + " "
        + _style(f"[{finding.rule}]", color, dim=True)
        + " "
        + _clean(finding.message)
    )
    text = document.line_text(line)
    first = min(max(col - 1, 0), len(text))
    stop = min(max(end_col - 1, first), len(text)) if end_line == line else len(text)
    if len(text) > LONG_LINE:  # an HTML export may hold the page on one line: show the finding's part
        lo, hi = max(0, first - CONTEXT), min(len(text), min(stop, first + LONG_LINE) + CONTEXT)
        head, tail = ("…" if lo else ""), ("…" if hi < len(text) else "")
        text = head + text[lo:hi] + tail
        first, stop = first - lo + len(head), min(stop, hi) - lo + len(head)
    shown, cols = layout(text)
    pad = cols[first]
    width = max(1, cols[stop] - cols[first])
    caret = _style("^" + "~" * (width - 1), color, fg=severity_color, bold=True)
    out = [header, "  " + shown, "  " + " " * pad + caret]
    if finding.fixes:
        fix = finding.fixes[0]
        hint = " [fixable]" if fix.safe and fix.edits and kind_for_path(path) != "html" else ""
        out.append(f"  suggestion: {_clean(fix.title)}{hint}")
    if finding.related:
        out.append("  also: " + ", ".join(_clean(r.rule) for r in finding.related))
    return out


def summary(results) -> str:
    linted = [r for r in results if r.error is None]
    failed = len(results) - len(linted)
    findings = [f for r in linted for f in r.findings]
    if findings:
        counts = [
            _plural(sum(f.severity == sev for f in findings), word)
            for sev, word in (("error", "error"), ("warning", "warning"), ("info", "info"))
            if any(f.severity == sev for f in findings)
        ]
        files = sum(1 for r in linted if r.findings)
        text = f"Found {_plural(len(findings), 'problem')} ({', '.join(counts)}) in {_plural(files, 'file')}"
        fixable = sum(1 for r in linted if kind_for_path(r.path) != "html"
                      for f in r.findings if any(fix.safe and fix.edits for fix in f.fixes))
        if fixable:
            text += f"; {fixable} fixable with --fix"
        text += "."
    else:
        text = f"No problems found in {_plural(len(linted), 'file')}."
    if failed:
        text += f" {_plural(failed, 'file')} could not be linted."
    return text


def render(results, rules, *, color: bool = False) -> str:
    lines = []
    for result in results:
        if result.error is not None:
            continue  # errors are reported on stderr by the caller
        for finding in result.findings:
            lines.extend(_block(result.path, result.document, finding, color))
            lines.append("")
    lines.append(summary(results))
    return "\n".join(lines) + "\n"
