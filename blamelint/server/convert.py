"""Between blamelint and LSP: positions in the negotiated encoding, and findings as diagnostics.

Positions in a linted text come from its Document (code points, UTF-16 units); UTF-8 columns
are counted on the line. Document.source has no BOM but the client's text does, so the first
line is shifted by the BOM's length (one unit, three in UTF-8). `text_offset` works on raw
text, for applying a didChange before there is a Document.
"""

from __future__ import annotations

import re

from lsprotocol import types as T

from blamelint.document import Document
from blamelint.findings import Finding
from blamelint.rules import Rule

UTF8, UTF16, UTF32 = T.PositionEncodingKind.Utf8, T.PositionEncodingKind.Utf16, T.PositionEncodingKind.Utf32
SOURCE = "blamelint"
SEVERITY = {"error": T.DiagnosticSeverity.Error, "warning": T.DiagnosticSeverity.Warning,
            "info": T.DiagnosticSeverity.Information}
EOL = re.compile(r"\r\n|\r|\n")


def bom_units(encoding: str) -> int:
    return 3 if encoding == UTF8 else 1


def lsp_position(doc: Document, offset: int, encoding: str) -> T.Position:
    """A source offset as an LSP position (lines split on \\n, \\r\\n, \\r)."""
    if encoding in (UTF8, UTF32):
        line, col = doc.position(offset)  # 1-based, code points
        line, character = line - 1, col - 1
        if encoding == UTF8 and character:
            head = doc.line_text(line + 1)[:character]
            if not head.isascii():
                character = len(head.encode("utf-8", "surrogatepass"))
    else:
        line, character = doc.utf16_position(offset)
    if doc.bom and line == 0:
        character += bom_units(encoding)
    return T.Position(line=line, character=character)


def lsp_range(doc: Document, start: int, end: int, encoding: str) -> T.Range:
    return T.Range(start=lsp_position(doc, start, encoding), end=lsp_position(doc, end, encoding))


def source_offset(doc: Document, position: T.Position, encoding: str) -> int:
    """The inverse of lsp_position; past the end of a line is its end, past the last line the
    end of the text."""
    line, units = position.line, position.character
    if doc.bom and line == 0:
        units = max(0, units - bom_units(encoding))
    if encoding == UTF32:
        return doc.offset_at(line + 1, units + 1)
    if encoding == UTF8:
        if line >= len(doc.line_starts):
            return len(doc.source)
        return doc.line_starts[line] + column(doc.line_text(line + 1), units, encoding)
    return doc.offset_at_utf16(line, units)


def column(line: str, units: int, encoding: str) -> int:
    """The index in line (without its line end) of a column counted in the encoding's code
    units; past the end of the line is its end."""
    if line.isascii():
        return min(units, len(line))
    count = 0
    for i, ch in enumerate(line):
        if count >= units:
            return i
        if encoding == UTF8:
            count += len(ch.encode("utf-8", "surrogatepass"))
        elif encoding == UTF32:
            count += 1
        else:
            count += 2 if ord(ch) > 0xFFFF else 1
    return len(line)


def text_offset(text: str, position: T.Position, encoding: str) -> int:
    """An LSP position in raw text as an offset, clamped: past the last line is the end of the
    text, past the end of a line is the end of that line."""
    start = 0
    for _ in range(position.line):
        m = EOL.search(text, start)
        if m is None:
            return len(text)
        start = m.end()
    m = EOL.search(text, start)
    return start + column(text[start: m.start() if m else len(text)], position.character, encoding)


def apply_change(text: str, change: T.TextDocumentContentChangeEvent, encoding: str) -> str:
    """One didChange content change applied to text (a range that ends before it starts is read
    the other way round)."""
    if not isinstance(change, T.TextDocumentContentChangePartial):
        return change.text
    a = text_offset(text, change.range.start, encoding)
    b = text_offset(text, change.range.end, encoding)
    a, b = min(a, b), max(a, b)
    return text[:a] + change.text + text[b:]


def diagnostic(f: Finding, doc: Document, rule: Rule | None, encoding: str, uri: str | None = None) -> T.Diagnostic:
    # the fixes stay on the server (code actions come from the lint result): only their titles
    # travel, for clients that show them
    related = [T.DiagnosticRelatedInformation(
        location=T.Location(uri=uri, range=lsp_range(doc, r.start, r.end, encoding)),
        message=f"{r.rule}: {r.message}") for r in f.related] if uri else []
    return T.Diagnostic(
        range=lsp_range(doc, f.start, f.end, encoding),
        message=f.message,
        severity=SEVERITY[f.severity],
        code=f.rule,
        code_description=T.CodeDescription(href=rule.link) if rule is not None else None,
        source=SOURCE,
        data={"rule": f.rule, "category": f.category, "confidence": f.confidence,
              "fixes": [x.title for x in f.fixes], "related": [r.rule for r in f.related]},
        related_information=related or None,
    )
