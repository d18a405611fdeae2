"""Chunked Markdown parsing (an edit re-parses one chunk) must build the same Document as one parse."""

from __future__ import annotations

from pathlib import Path

import pytest

from blamelint import document
from blamelint.document import chunks

ROOT = Path(__file__).resolve().parents[1]
DOCS = sorted((ROOT / "corpus").rglob("*.md"))


def _shape(doc):
    return (
        [(b.kind, b.text, b.start, b.end, b.level, b.checked, b.quoted, b.item_start, b.item_end,
          b.section.title if b.section else None, b.source_span(0, len(b.text)),
          [b.source_span(i, i + 1) for i in range(0, len(b.text), 7)]) for b in doc.blocks],
        [(s.title, s.level, s.kind, s.start, s.end, s.body_start) for s in doc.sections],
        [(d.kind, d.rules, d.start, d.end, d.line) for d in doc.directives],
        doc.code_ranges,
    )


def _whole(text):
    return document.parse(text, path="x.md", chunked=False)  # as a batch run parses


def _long(text: str) -> str:
    return "\n\n".join([text] * (chunks.CHUNK_MIN // max(len(text), 1) + 2))


def test_corpus_documents_parse_the_same():
    texts = [p.read_text(encoding="utf-8") for p in DOCS]
    texts.append("\n\n".join(texts[:20]))  # one long document with many chunks
    chunked = 0
    for text in texts:
        chunked += chunks.split_chunks(text) is not None
        assert _shape(document.parse(text, path="x.md")) == _shape(_whole(text))
    assert chunked >= 10


@pytest.mark.parametrize("tricky", [
    "Intro\n\n```\ncode\n\n# not a heading\n```\n\n# Real heading\n\ntext\n",
    "Intro\n\n~~~~\n# inside tilde fence\n~~~\n# still inside\n~~~~\n\n# After\n\nbody\n",
    "Intro\n\n<!-- a comment\n\n# hidden heading\n-->\n\n# Shown\n\ntext\n",
    "- item one\n\n  continued\n\n# Heading\n\n- item two\n",
    "> quote line\n>\n# Heading after quote\n\ntext\n",
    "Para one\n# Heading without blank line\n\ntext\n",
    "<!-- blamelint-disable-next-line -->\n\n# Heading\n\nJohn broke it.\n",
    "---\ntitle: Front matter\ndate: 2024-01-01\n---\n\nIntro with `code` and **bold**.\n\n# Heading\n\n- [ ] item\n",
])
def test_tricky_splits_parse_the_same(tricky):
    text = _long(tricky)
    assert _shape(document.parse(text, path="x.md")) == _shape(_whole(text))


def test_documents_that_cannot_be_split_are_parsed_whole():
    base = _long("Text with a [link][ref].\n\n# Heading\n\nMore.\n")
    assert chunks.split_chunks(base.replace("\n", "\r\n")) is None
    assert chunks.split_chunks(base + "\n<pre>\n# x\n</pre>\n") is None
    assert chunks.split_chunks(base + "\n<SCRIPT>\n# x\n</SCRIPT>\n") is None
    assert chunks.split_chunks(base + "\n<?php\n\n# x\n?>\n") is None
    assert chunks.split_chunks(base) is not None
    assert chunks.split_chunks(base + "\n[ref]: https://example.com\n") is not None
    assert chunks.split_chunks(base + "\n<div>\nhtml\n</div>\n") is not None  # ends at a blank line


@pytest.mark.parametrize("tricky", [
    # used in one chunk, defined in a later one; a label defined twice (the first wins)
    "See the [runbook][rb] and [the graph].\n\n# Notes\n\n[rb]: https://example.com/a\n[RB]: https://x.invalid\n",
    "# Links\n\n[the graph]: https://example.com/g 'Graph'\n\n# Body\n\nSee [the graph] and [missing][nope].\n",
    "Intro\n\n<div>\n<p>html</p>\n</div>\n\n# Heading\n\nJohn broke it.\n",
])
def test_link_references_and_short_html_blocks_parse_the_same(tricky):
    text = _long(tricky)
    assert chunks.split_chunks(text) is not None
    assert _shape(document.parse(text, path="x.md")) == _shape(_whole(text))


def test_an_edit_to_a_link_definition_reaches_every_chunk():
    text = _long("Read [the runbook][rb] first.\n\n# Notes\n\nMore text here.\n") + "\n[rb]: https://example.com\n"
    linked = document.parse(text, path="x.md")
    assert "the runbook first" in linked.blocks[0].text
    edited = text.replace("[rb]: https://example.com\n", "[other]: https://example.com\n")
    unlinked = document.parse(edited, path="x.md")
    assert "[the runbook][rb]" in unlinked.blocks[0].text
    assert _shape(unlinked) == _shape(_whole(edited))


def test_an_edit_shifts_the_cached_chunks_after_it():
    text = "\n\n".join(p.read_text(encoding="utf-8") for p in DOCS[:12])
    document.parse(text, path="x.md")  # fills the chunk cache
    lines = text.split("\n")
    lines[3] += " and a longer line — with “quotes” 🚀"
    edited = "\n".join(lines)
    assert _shape(document.parse(edited, path="x.md")) == _shape(_whole(edited))
    assert _shape(document.parse(text, path="x.md")) == _shape(_whole(text))


def test_a_batch_run_parses_whole_and_keeps_no_chunks(tmp_path):
    """A file of a batch is linted once: its Markdown is parsed whole, with the same findings."""
    from blamelint.config import Config
    from blamelint.engine import linter_for
    from blamelint.runner import lint_files

    text = "\n\n".join(p.read_text(encoding="utf-8") for p in DOCS[:6])
    assert chunks.split_chunks(text) is not None
    path = tmp_path / "long.md"
    path.write_text(text, encoding="utf-8")
    chunks.CHUNK_CACHE.clear()
    [outcome] = lint_files([path], lambda p: Config())
    assert not chunks.CHUNK_CACHE
    edited = linter_for(Config()).lint_text(text, str(path))  # as the editor lints it: in chunks
    assert chunks.CHUNK_CACHE
    key = [(f.rule, f.start, f.end, f.message) for f in outcome.result.findings]
    assert key == [(f.rule, f.start, f.end, f.message) for f in edited.findings] and key


PAD = "The deploy went out at noon. " * 150


@pytest.mark.parametrize("text", [
    "# A\n\n" + PAD + "\n\n# B\n\nJane ignored the alerts.",  # no final line end: the last line is kept
    "# A\n\n" + PAD + "\n\nNotes <!-- todo\n```\n-->\n\n# After\n\nJane ignored the alerts. It was human error.\n",
    "# A\n\n" + PAD + "\n\n- item\n\n  ```\n\n# H1\n\n```\n\n# H2\n\nJane ignored the alerts.\n",
    "# A\n\n" + PAD + "\n\n<div>\n```\n</div>\n\n# H1\n\n```\n\n# H2\n\ntext\n",
], ids=["no-final-line-end", "comment-opened-mid-line", "fence-in-a-list-item", "fence-in-html"])
def test_what_markdown_reads_across_chunks(text):
    """Found by the property tests: a last line with no line end was dropped, and fences or
    comments the chunker misread (in a container, an HTML block, after text) split a code block."""
    assert _shape(document.parse(text, path="x.md")) == _shape(_whole(text))
