"""Tests for blamelint.document: prose blocks, offsets, positions, sections, directives."""


import pytest

from blamelint.document import SECTION_KINDS, Document, parse

TEMPLATE = """\
# Incident Post-mortem: Database outage

## Key Facts
- **Severity:** Sev-1
- **Impact start:** 14:23 UTC

## Executive Summary
The API returned errors for 27 minutes.

## Timeline
**2024-01-15**
- **14:23 UTC:** First alerts fire for elevated 5xx errors
- **14:25 UTC:** On-call engineer investigates

## Contributors, Mitigators, Risks
### Contributors
- Connection pool size was not updated
### Mitigators
- Circuit breakers prevented complete service death
### Risks
- Single database instance

## 3. Follow-ups
[SMART actions with owners and due dates]
- [ ] **@database-team:** Enable connection pool auto-scaling in prod **[Jan 22]**
- [x] **@sre-team:** Add pool utilization to dashboards **[Jan 25]**
- [X] Upper-case box
- [] not a box

## Appendix
- Architecture diagram
"""


def block_with(doc, needle):
    """The first block whose prose contains needle."""
    for b in doc.blocks:
        if needle in b.text:
            return b
    raise AssertionError(f"no block contains {needle!r}: {[b.text for b in doc.blocks]}")


def src_of(doc, block, word):
    """Source text of the prose span of `word` inside block."""
    a = block.text.index(word)
    s, e = block.source_span(a, a + len(word))
    return doc.source[s:e]


def check_mapping(doc):
    """Every verbatim prose char equals its source char; spans are ordered and in range."""
    for b in doc.blocks:
        assert len(b._starts) == len(b.text) == len(b._ends)
        prev = 0
        for k, ch in enumerate(b.text):
            s, e = b.source_span(k, k + 1)
            assert 0 <= s <= e <= len(doc.source)
            assert s >= prev, (b.text, k)
            prev = s
            if e - s == 1 and not (ch == " " and doc.source[s] in "\r\n"):
                assert doc.source[s] == ch, (b.text, k)
        if b.text:
            assert (b.start, b.end) == b.source_span(0, len(b.text))


# --- blocks and prose ---


def test_a_bold_or_italic_line_a_paragraph_opens_with_is_its_lead():
    doc = parse("**Are we affected?**\n\n_Is it fixed?_\nYes, since Monday.\n\n**Partly** bold?\n\n"
                "**One** and **two?**\n\n*a **nested** span?*\n")
    assert [b.text[:b.emphasised_lead] for b in doc.blocks] == [
        "Are we affected?", "Is it fixed?", "", "", "a nested span?"]


def test_template_blocks_map_to_source():
    doc = parse(TEMPLATE, "pm.md")
    check_mapping(doc)
    for b in doc.blocks:
        # no markup in this template except bold markers, which are dropped
        s, e = b.source_span(0, len(b.text))
        assert doc.source[s:e].replace("**", "") == b.text
    b = block_with(doc, "Enable connection pool")
    assert b.text == "@database-team: Enable connection pool auto-scaling in prod [Jan 22]"
    assert src_of(doc, b, "auto-scaling in prod") == "auto-scaling in prod"


def test_task_list_checked_states():
    doc = parse(TEMPLATE)
    items = [b for b in doc.blocks if b.kind == "list_item" and b.section.kind == "follow-ups"]
    assert [b.checked for b in items] == [False, True, True, None]
    assert items[0].text.startswith("@database-team")
    assert items[2].text == "Upper-case box"
    assert items[3].text == "[] not a box"
    assert all(b.level == 1 and not b.ordered for b in items)
    s, e = items[0].item_start, items[0].item_end
    assert (
        doc.source[s:e]
        == "- [ ] **@database-team:** Enable connection pool auto-scaling in prod **[Jan 22]**"
    )


def test_box_only_on_first_paragraph_and_nested_levels():
    text = "1. [x] first\n\n   [ ] second para\n   - [ ] nested\n     - deeper\n"
    doc = parse(text)
    first, second, nested, deeper = doc.blocks
    assert (first.text, first.checked, first.ordered, first.level) == ("first", True, True, 1)
    assert (second.text, second.checked) == ("[ ] second para", None)
    assert (nested.text, nested.checked, nested.level, nested.ordered) == ("nested", False, 2, False)
    assert (deeper.level, deeper.checked) == (3, None)
    assert doc.source[nested.item_start : nested.item_end] == "- [ ] nested\n     - deeper"
    assert doc.source[first.item_start : first.item_end] == text.rstrip("\n")
    check_mapping(doc)


def test_empty_task_item():
    doc = parse("- [ ]\n- [x] done\n")
    assert [(b.text, b.checked) for b in doc.blocks] == [("", False), ("done", True)]


def test_escapes_and_entities():
    doc = parse("Use a\\*b &amp; c&nbsp;d &#35;1 \\q end\n")
    (b,) = doc.blocks
    assert b.text == "Use a*b & c\xa0d #1 \\q end"
    i = b.text.index("*")
    assert doc.source[slice(*b.source_span(i, i + 1))] == "\\*"
    i = b.text.index("&")
    assert doc.source[slice(*b.source_span(i, i + 1))] == "&amp;"
    i = b.text.index("#")
    assert doc.source[slice(*b.source_span(i, i + 1))] == "&#35;"
    assert src_of(doc, b, "\\q end") == "\\q end"
    check_mapping(doc)


def test_inline_code_links_autolinks_images_html():
    text = (
        'Run `make deploy` then see [the runbook](http://wiki/x "T (1)") and <https://status.io>, '
        "![graph [1]](g.png) or <b>bold</b> ref [docs][r] and ``a ` b`` end.\n\n"
        "[r]: http://docs\n"
    )
    doc = parse(text)
    (b,) = doc.blocks
    assert b.text == "Run code then see the runbook and link, or bold ref docs and code end."
    i = b.text.index("code")
    assert doc.source[slice(*b.source_span(i, i + 4))] == "`make deploy`"
    i = b.text.index("link")
    assert doc.source[slice(*b.source_span(i, i + 4))] == "<https://status.io>"
    assert src_of(doc, b, "the runbook") == "the runbook"
    assert src_of(doc, b, "or bold ref") == "or <b>bold</b> ref"
    assert src_of(doc, b, "docs and") == "docs][r] and"
    assert src_of(doc, b, "code end.") == "``a ` b`` end."
    assert [doc.source[s:e] for s, e in doc.code_ranges] == ["`make deploy`", "``a ` b``"]
    check_mapping(doc)


def test_bare_urls_become_link():
    doc = parse("See https://example.com/a_(b)). and www.foo.org/x, or http://x.io/?a=1&amp;b=2 now\n")
    (b,) = doc.blocks
    assert b.text == "See link). and link, or link now"
    spans = [
        doc.source[slice(*b.source_span(i, i + 4))]
        for i in range(len(b.text))
        if b.text.startswith("link", i)
    ]
    assert spans == ["https://example.com/a_(b)", "www.foo.org/x", "http://x.io/?a=1&amp;b=2"]


def test_html_comments_are_directives():
    text = (
        "<!-- blamelint-disable blame, hindsight -->\n"
        "Text <!-- blamelint-disable-line named-individual --> here.\n\n"
        "<!-- blamelint-disable-next-line -->\n<!-- blamelint-enable blame -- reason -->\n\n"
        "> quoted <!-- blamelint-disable-file\n> vague-action -->\n"
    )
    doc = parse(text)
    got = [(d.kind, d.rules, d.line) for d in doc.directives]
    assert got == [
        ("disable", ["blame", "hindsight"], 1),
        ("disable-line", ["named-individual"], 2),
        ("disable-next-line", [], 4),
        ("enable", ["blame"], 5),
        ("disable-file", ["vague-action"], 7),
    ]
    for d in doc.directives:
        assert doc.source[d.start : d.end].startswith("<!--")
        assert doc.source[d.start : d.end].endswith("-->")
    assert block_with(doc, "Text").text == "Text here."
    assert block_with(doc, "quoted").text == "quoted"


def test_code_skipped_and_not_scanned_for_directives():
    text = (
        "Intro.\n\n"
        "```\nJohn broke it <!-- blamelint-disable -->\n```\n\n"
        "    indented <!-- blamelint-disable -->\n\n"
        "Inline `<!-- blamelint-disable -->` code.\n\n"
        "~~~\nunterminated fence\n"
    )
    doc = parse(text)
    assert [b.text for b in doc.blocks] == ["Intro.", "Inline code code."]
    assert doc.directives == []
    spans = [doc.source[s:e] for s, e in doc.code_ranges]
    assert spans[0] == "```\nJohn broke it <!-- blamelint-disable -->\n```"
    assert spans[1] == "    indented <!-- blamelint-disable -->"
    assert spans[2] == "`<!-- blamelint-disable -->`"
    assert spans[3].startswith("~~~\nunterminated fence")


def test_html_block_with_several_comments():
    doc = parse("<div>\n<!-- blamelint-disable a --> <!-- blamelint-enable a -->\n</div>\n\nText.\n")
    assert [(d.kind, d.rules) for d in doc.directives] == [("disable", ["a"]), ("enable", ["a"])]
    assert [b.text for b in doc.blocks] == ["Text."]


def test_tables():
    text = "| Who | What \\| why | `a\\|b` |\n|---|:-:|---|\n| SRE | restarted **db** |\n"
    doc = parse(text)
    cells = [b for b in doc.blocks if b.kind == "table_cell"]
    assert [c.text for c in cells] == ["Who", "What | why", "code", "SRE", "restarted db"]
    assert src_of(doc, cells[1], "What | why") == "What \\| why"
    assert doc.source[cells[2].start : cells[2].end] == "`a\\|b`"
    assert src_of(doc, cells[4], "restarted") == "restarted"
    check_mapping(doc)


def test_table_without_outer_pipes_from_seed():
    text = "Term | Focus |\n---|---|\nPost-mortem | Overall learning |\n"
    doc = parse(text)
    assert [b.text for b in doc.blocks] == ["Term", "Focus", "Post-mortem", "Overall learning"]
    check_mapping(doc)


def test_blockquotes_and_breaks():
    text = "> The deploy **was**\n> rolled back  \n> by *the* pipeline\\\n> later.\n\nAfter.\n"
    doc = parse(text)
    q, after = doc.blocks
    assert q.quoted and not after.quoted
    assert q.text == "The deploy was rolled back by the pipeline later."
    i = q.text.index(" rolled")
    assert doc.source[slice(*q.source_span(i, i + 1))] == "\n"
    assert src_of(doc, q, "rolled back") == "rolled back"
    assert src_of(doc, q, "pipeline later") == "pipeline\\\n> later"
    check_mapping(doc)


def test_quoted_list_and_list_with_quote():
    doc = parse("> - [x] quoted task\n>   more\n\n- item\n  > quote in item\n")
    task, item, inner = doc.blocks
    assert (task.kind, task.quoted, task.checked, task.text) == ("list_item", True, True, "quoted task more")
    assert (item.kind, item.quoted) == ("list_item", False)
    assert (inner.kind, inner.quoted, inner.text) == ("paragraph", True, "quote in item")
    assert doc.source[task.item_start : task.item_end] == "- [x] quoted task\n>   more"
    check_mapping(doc)


# --- sections ---


def test_sections_from_template():
    doc = parse(TEMPLATE)
    got = [(s.level, s.title, s.kind, s.parent.title if s.parent else None) for s in doc.sections]
    assert got == [
        (1, "Incident Post-mortem: Database outage", None, None),
        (2, "Key Facts", "key-facts", "Incident Post-mortem: Database outage"),
        (2, "Executive Summary", "executive-summary", "Incident Post-mortem: Database outage"),
        (2, "Timeline", "timeline", "Incident Post-mortem: Database outage"),
        (2, "Contributors, Mitigators, Risks", "contributors", "Incident Post-mortem: Database outage"),
        (3, "Contributors", "contributors", "Contributors, Mitigators, Risks"),
        (3, "Mitigators", "mitigators", "Contributors, Mitigators, Risks"),
        (3, "Risks", "risks", "Contributors, Mitigators, Risks"),
        (2, "3. Follow-ups", "follow-ups", "Incident Post-mortem: Database outage"),
        (2, "Appendix", "appendix", "Incident Post-mortem: Database outage"),
    ]
    by_title = {s.title: s for s in doc.sections}
    cmr = by_title["Contributors, Mitigators, Risks"]
    assert cmr.end == by_title["3. Follow-ups"].start
    assert by_title["Risks"].end == cmr.end
    assert by_title["Appendix"].end == len(doc.source)
    assert doc.source[cmr.start : cmr.body_start] == "## Contributors, Mitigators, Risks\n"
    assert block_with(doc, "Circuit breakers").section is by_title["Mitigators"]
    assert block_with(doc, "27 minutes").section.kind == "executive-summary"
    assert doc.section_at(0).level == 1
    assert doc.section_at(doc.source.index("Single database")) is by_title["Risks"]
    assert doc.section_at(len(doc.source)) is by_title["Appendix"]


@pytest.mark.parametrize(
    "title, kind",
    [
        ("Follow ups", "follow-ups"),
        ("Action Items", "follow-ups"),
        ("Action items", "follow-ups"),
        ("Remediation", "follow-ups"),
        ("Next steps", "follow-ups"),
        ("Corrective actions", "follow-ups"),
        ("✅ 4) Follow-ups:", "follow-ups"),
        ("Incident details", "key-facts"),
        ("Summary of facts", "key-facts"),
        ("TL;DR", "executive-summary"),
        ("Overview", "executive-summary"),
        ("Summary", "executive-summary"),
        ("Chronology", "timeline"),
        ("Sequence of events", "timeline"),
        ("Contributing factors", "contributors"),
        ("Root cause(s)", "contributors"),
        ("Root causes", "contributors"),
        ("Causes", "contributors"),
        ("What went well", "mitigators"),
        ("Evidence", "diagnostics"),
        ("Lessons learned", "learnings"),
        ("What we learned", "learnings"),
        ("Appendix", "appendix"),
        ("Random heading", None),
    ],
)
def test_section_kind_synonyms(title, kind):
    doc = parse(f"## {title}\n\nBody.\n")
    assert doc.sections[0].kind == kind


def test_section_kinds_override():
    assert "follow-ups" in SECTION_KINDS
    doc = parse("## Todo\n\n## Follow-ups\n", section_kinds={"follow-ups": ["Todo"]})
    assert [s.kind for s in doc.sections] == ["follow-ups", "follow-ups"]
    # the kinds a config does not name keep their default titles
    doc = parse("## Timeline\n", section_kinds={"follow-ups": ["Todo"]})
    assert doc.sections[0].kind == "timeline"
    # a configured title wins over a kind that has it by default
    doc = parse("## Summary\n", section_kinds={"key-facts": ["Summary"]})
    assert doc.sections[0].kind == "key-facts"


def test_setext_heading_and_blocks_before_first_heading():
    doc = parse("Preamble.\n\nTimeline\n========\n\n- event\n")
    pre, head, item = doc.blocks
    assert pre.section is None
    assert (head.kind, head.level, head.text) == ("heading", 1, "Timeline")
    assert doc.sections[0].kind == "timeline" and item.section is doc.sections[0]
    assert doc.sections[0].body_start == doc.source.index("========\n") + 9


# --- positions ---


def test_positions_with_emoji():
    text = "✅ good 😀 word\nnext 😀😀 x\n"
    doc = parse(text)
    off = text.index("good")
    assert doc.position(off) == (1, 3)
    assert doc.utf16_position(off) == (0, 2)
    off = text.index("word")
    assert doc.position(off) == (1, 10)
    assert doc.utf16_position(off) == (0, 10)  # 😀 counts two UTF-16 units
    off = text.rindex("x")
    assert doc.position(off) == (2, 9)
    assert doc.utf16_position(off) == (1, 10)
    for o in range(len(text) + 1):
        line, col = doc.position(o)
        assert doc.offset_at(line, col) == o
        line0, ch0 = doc.utf16_position(o)
        assert doc.offset_at_utf16(line0, ch0) == o
    assert doc.offset_at_utf16(0, 8) == text.index("😀")  # inside the surrogate pair: rounds down
    b = block_with(doc, "word")
    assert src_of(doc, b, "word") == "word"


def test_positions_with_crlf_and_lone_cr():
    text = "one\r\ntwo ✅ x\rthree\n"
    doc = parse(text)
    assert doc.line_starts == [0, 5, 13, 19]
    assert doc.position(text.index("two")) == (2, 1)
    assert doc.position(text.index("x")) == (2, 7)
    assert doc.utf16_position(text.index("three")) == (2, 0)
    assert doc.line_text(1) == "one" and doc.line_text(2) == "two ✅ x" and doc.line_text(3) == "three"
    assert doc.line_text(4) == "" and doc.line_text(99) == ""
    assert doc.offset_at(1, 99) == 3  # clamps to the line end
    assert doc.offset_at(99, 1) == len(text)
    assert doc.offset_at_utf16(1, 99) == text.index("x") + 1
    assert doc.position(10**6) == doc.position(len(text))
    assert doc.position(-5) == (1, 1)
    (b,) = doc.blocks
    assert b.text == "one two ✅ x three"
    assert doc.source[slice(*b.source_span(3, 4))] == "\r\n"
    assert src_of(doc, b, "x") == "x"
    check_mapping(doc)


def _round_trips(doc, skip=()):
    for o in range(len(doc.source) + 1):
        if o in skip:
            continue
        line, col = doc.position(o)
        assert doc.offset_at(line, col) == o
        line0, ch0 = doc.utf16_position(o)
        assert doc.offset_at_utf16(line0, ch0) == o


def test_positions_ascii():
    text = "# T\n\nab cd\nlast"
    doc = Document.plain(text)
    assert doc.position(text.index("cd")) == (3, 4)
    assert doc.utf16_position(text.index("cd")) == (2, 3)
    for o in range(len(text) + 1):  # one UTF-16 unit per character
        line, col = doc.position(o)
        assert doc.utf16_position(o) == (line - 1, col - 1)
    _round_trips(doc)
    parsed = parse(text)
    assert [parsed.position(o) for o in range(len(text) + 1)] == [doc.position(o) for o in range(len(text) + 1)]


def test_positions_astral_and_crlf():
    text = "a😀b\r\n😀😀\r\nend😀"
    doc = Document.plain(text)
    assert doc.line_starts == [0, 5, 9]
    assert doc.position(text.index("b")) == (1, 3)
    assert doc.utf16_position(text.index("b")) == (0, 3)  # 😀 is a surrogate pair: two units
    assert doc.utf16_position(text.index("\r")) == (0, 4)
    assert doc.utf16_position(7) == (1, 4) and doc.utf16_position(len(text)) == (2, 5)
    assert doc.offset_at_utf16(0, 2) == 1  # inside a surrogate pair: rounds down
    assert doc.offset_at_utf16(1, 1) == 5 and doc.offset_at_utf16(1, 3) == 6
    assert doc.offset_at_utf16(1, 99) == 7  # past the line end: before its \r\n
    assert doc.offset_at_utf16(2, 4) == 12 and doc.offset_at_utf16(2, 5) == len(text)
    assert doc.line_text(2) == "😀😀"
    _round_trips(doc, skip={4, 8})  # between \r and \n is no position of its own
    parsed = parse(text)
    assert [parsed.utf16_position(o) for o in range(len(text) + 1)] == \
        [doc.utf16_position(o) for o in range(len(text) + 1)]


def test_positions_lone_surrogate_and_bom():
    doc = Document.plain("\ud83dx\n")  # a lone surrogate (an editor may send one) is one UTF-16 unit
    assert doc.utf16_position(1) == (0, 1) and doc.offset_at_utf16(0, 1) == 1
    doc = parse("\ufeff😀x")  # positions count from after the BOM
    assert doc.bom and doc.source == "😀x"
    assert doc.position(1) == (1, 2) and doc.utf16_position(1) == (0, 2)
    assert doc.offset_at_utf16(0, 2) == 1


def test_positions_clamp_out_of_range():
    text = "ab\r\n😀c"
    doc = Document.plain(text)
    assert doc.position(-1) == (1, 1) and doc.position(100) == doc.position(len(text)) == (2, 3)
    assert doc.utf16_position(-1) == (0, 0) and doc.utf16_position(100) == doc.utf16_position(len(text)) == (1, 3)
    assert doc.offset_at(0, 5) == 0 and doc.offset_at(3, 1) == len(text)
    assert doc.offset_at(1, 0) == 0 and doc.offset_at(1, 99) == 2 and doc.offset_at(2, 99) == len(text)
    assert doc.offset_at_utf16(-1, 0) == 0 and doc.offset_at_utf16(2, 0) == len(text)
    assert doc.offset_at_utf16(0, -4) == 0 and doc.offset_at_utf16(1, -4) == 4
    assert doc.offset_at_utf16(0, 99) == 2 and doc.offset_at_utf16(1, 99) == len(text)


def test_crlf_document_matches_lf_document():
    lf = TEMPLATE + "\n> quote\n> more\n\n| a | b |\n|---|---|\n| c | d |\n"
    crlf = lf.replace("\n", "\r\n")
    a, b = parse(lf), parse(crlf)
    assert [x.text for x in a.blocks] == [x.text for x in b.blocks]
    assert [a.position(x.start) for x in a.blocks] == [b.position(x.start) for x in b.blocks]
    assert [s.kind for s in a.sections] == [s.kind for s in b.sections]
    check_mapping(b)


def test_tabs_in_text_and_lists():
    doc = parse("-\tTabbed item\twith tab\n\nPara\twith tab.\n\n\tcode block\n")
    assert [b.text for b in doc.blocks] == ["Tabbed item\twith tab", "Para\twith tab."]
    assert len(doc.code_ranges) == 1
    check_mapping(doc)


def test_bom():
    doc = parse("\ufeff# Title\n\nBody 😀 text.\n")
    assert doc.bom and not doc.source.startswith("\ufeff")
    assert doc.position(doc.source.index("Body")) == (3, 1)
    b = block_with(doc, "Body")
    assert src_of(doc, b, "text.") == "text."
    assert not parse("# T\n").bom


# --- front matter ---


def test_front_matter_valid():
    text = "---\ntitle: DB outage\nseverity: 1\n---\n# Title\n\nBody.\n"
    doc = parse(text)
    assert doc.front_matter == {"title": "DB outage", "severity": 1}
    assert doc.front_matter_error is None
    assert [b.text for b in doc.blocks] == ["Title", "Body."]
    assert doc.position(doc.blocks[0].start) == (5, 3)
    assert doc.sections[0].start == text.index("# Title")


def test_front_matter_dots_and_crlf():
    doc = parse("---\r\na: 1\r\n...\r\nBody.\r\n")
    assert doc.front_matter == {"a": 1}
    assert doc.source[doc.blocks[0].start : doc.blocks[0].end] == "Body."


def test_front_matter_invalid():
    doc = parse("---\ntitle: ok\nbad: [unclosed\n---\nBody.\n")
    assert doc.front_matter == {}
    assert "line" in doc.front_matter_error and "\n" not in doc.front_matter_error
    assert [b.text for b in doc.blocks] == ["Body."]
    doc = parse("---\n- a list\n---\nBody.\n")
    assert doc.front_matter == {} and "mapping" in doc.front_matter_error
    doc = parse("---\ndate: 2024-13-45\n---\nBody.\n")
    assert doc.front_matter == {} and doc.front_matter_error.startswith("invalid YAML front matter at line 2")
    doc = parse("---\n---\nBody.\n")
    assert doc.front_matter == {} and doc.front_matter_error is None


def test_front_matter_unterminated_is_not_front_matter():
    doc = parse("---\ntitle: x\n\nBody text.\n")
    assert doc.front_matter == {} and doc.front_matter_error is None
    assert "Body text." in [b.text for b in doc.blocks]


def test_only_front_matter_and_empty():
    doc = parse("---\na: 1\n---")
    assert doc.front_matter == {"a": 1} and doc.blocks == [] and doc.sections == []
    doc = parse("")
    assert doc.blocks == [] and doc.line_starts == [0]
    assert doc.position(0) == (1, 1) and doc.utf16_position(3) == (0, 0)
    assert doc.offset_at(1, 1) == 0 and doc.offset_at_utf16(0, 5) == 0 and doc.section_at(0) is None


# --- plain text ---


def test_plain_text_document():
    text = (
        "Summary line one\r\n  continues here.\r\n\r\n"
        "- [x] done item\r\n  wrapped\r\n* second\r\n  + nested\r\n3. ordered https://x.io/y\r\n"
        "Not indented.\r\n\r\n"
        "<!-- blamelint-disable blame -->\r\nBlame <!-- blamelint-disable-line --> here.\r\n"
    )
    doc = parse(text, "pm.txt")
    assert doc.kind == "text"
    got = [(b.kind, b.text, b.checked, b.level, b.ordered) for b in doc.blocks]
    assert got == [
        ("paragraph", "Summary line one continues here.", None, 0, False),
        ("list_item", "done item wrapped", True, 1, False),
        ("list_item", "second", None, 1, False),
        ("list_item", "nested", None, 2, False),
        ("list_item", "ordered link", None, 1, True),
        ("paragraph", "Not indented.", None, 0, False),
        ("paragraph", "Blame here.", None, 0, False),
    ]
    para, done = doc.blocks[:2]
    i = para.text.index(" continues")
    assert doc.source[slice(*para.source_span(i, i + 1))] == "\r\n"
    assert doc.source[done.item_start : done.item_end] == "- [x] done item\r\n  wrapped"
    assert [(d.kind, d.rules) for d in doc.directives] == [("disable", ["blame"]), ("disable-line", [])]
    assert src_of(doc, doc.blocks[-1], "here.") == "here."
    check_mapping(doc)
    assert parse("a *b* `c`", kind="text").blocks[0].text == "a *b* `c`"


# --- property-style and performance ---

VARIED = [
    TEMPLATE,
    "# T\n\n> **Note:** the *on-call* engineer _paged_ ~~nobody~~ at 14:00.\n> See [doc](<a b> 'x').\n",
    "1. First `x` and\n   second line\n2) other\n\n   - deep [link][] end\n\n[link]: /u\n",
    "Para with &copy; \\_x\\_ and `` ` `` and <span>in</span> and **bold *nested* text**.\n",
    "| h1 | h2 |\n| -- | -- |\n| ✅ ok | ❌ *bad* |\n| 😀 | x \\| y |\n\nAfter 😀 table.\n",
    "  Indented para\n  continued\n\n* a\n* b\n\n  c\n\n***\n\nHeading\n---\n\n<details>\nhtml\n</details>\n",
    "Text with <!-- comment\nspanning --> lines and **bold\ntext** across.\n",
    "- [ ] a\n\t- [x] tabbed nested\n> - > deep quote\n>   lazy\nlazy too\n",
]


@pytest.mark.parametrize("text", VARIED)
@pytest.mark.parametrize("eol", ["\n", "\r\n"])
def test_verbatim_chars_map_to_source(text, eol):
    doc = parse(text.replace("\n", eol))
    assert doc.blocks
    check_mapping(doc)
    for b in doc.blocks:
        for word in b.text.split():
            if word not in ("code", "link") and word.isalnum():
                assert word in doc.source[b.start : b.end]


def test_words_around_emphasis_and_links_in_varied_docs():
    doc = parse(VARIED[1])
    b = block_with(doc, "on-call")
    assert src_of(doc, b, "on-call engineer paged nobody") == "on-call* engineer _paged_ ~~nobody"
    assert b.text.endswith("See doc.")
    doc = parse(VARIED[6])
    b = doc.blocks[0]
    assert b.text == "Text with lines and bold text across."
    assert [d.kind for d in doc.directives] == []


def test_kind_lookup_is_kept_per_set_of_kinds_and_given_fresh():
    from blamelint.document.model import SECTION_KINDS, kind_lookup, norm_title

    first = kind_lookup(SECTION_KINDS)
    assert all(norm_title(n) in first for k, names in SECTION_KINDS.items() for n in [k, *names])
    first["mutated"] = "x"
    assert "mutated" not in kind_lookup(SECTION_KINDS)
    custom = {**SECTION_KINDS, "timeline": ["Sequence of woe"]}
    assert kind_lookup(custom)[norm_title("Sequence of woe")] == "timeline"
    assert norm_title("Sequence of woe") not in kind_lookup(SECTION_KINDS)
