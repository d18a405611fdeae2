"""A post-mortem (Markdown, MDX, plain text or an HTML export) as prose blocks with exact source offsets.

`parse(text, path)` gives a `Document` (of the kind `kind_for_path(path)` names): its prose `blocks`, its `sections`, front matter,
directive comments, code ranges, and conversions between offsets and line/column positions
(code points, or UTF-16 units for LSP). Every offset is an index into `Document.source`, the
text without a leading BOM; each Block maps every prose character back to its source span.

Modules:
- `model`: Document, Block, Section, Directive, positions, section kinds and title matching.
- `parser`: `parse`, front matter (YAML or TOML) and the section tree.
- `markdown`: the Markdown scanner on markdown-it-py tokens.
- `mdx`: MDX's JSX and ESM taken out of the text the Markdown scanner reads.
- `html`: HTML exports (Confluence, Google Docs) read with the standard library's html.parser.
- `plaintext`: plain text paragraphs and list items.
- `prose`: prose text built with its source map (shared by both scanners).
- `directives`: `<!-- blamelint-... -->` comments.
- `chunks`: chunked, cached parsing, so an editor's edit re-parses one chunk.
- `long_blocks`: blocks too long for the model split into pieces.
- `template`: the post-mortem skeleton of `blamelint new`.
"""

from blamelint.document.long_blocks import last_break
from blamelint.document.markdown import split_table_row
from blamelint.document.model import (
    SECTION_KINDS,
    Block,
    Directive,
    Document,
    Section,
    kind_lookup,
    norm_title,
)
from blamelint.document.parser import kind_for_path, parse

__all__ = [
    "SECTION_KINDS",
    "Block",
    "Directive",
    "Document",
    "Section",
    "kind_for_path",
    "kind_lookup",
    "last_break",
    "norm_title",
    "parse",
    "split_table_row",
]
