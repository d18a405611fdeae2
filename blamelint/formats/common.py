"""Helpers shared by the output formats."""

from __future__ import annotations


def findings_of(results):
    """(result, finding) for every finding of the results that were linted (unreadable ones have
    none; one blamelint failed on has its `internal-error` finding)."""
    for result in results:
        if result.error is None or result.internal:
            for finding in result.findings:
                yield result, finding


def location(document, start: int, end: int) -> dict:
    """1-based line/column (code points) of source[start:end]; the end is exclusive."""
    line, column = document.position(start)
    end_line, end_column = document.position(end)
    return {"line": line, "column": column, "end_line": end_line, "end_column": end_column}


def matched_text(document, finding) -> str:
    """The source text a finding covers (Finding.text, else sliced from the document source)."""
    if finding.text:
        return finding.text
    source = getattr(document, "source", None)
    if isinstance(source, str):
        return source[finding.start : finding.end]
    return ""
