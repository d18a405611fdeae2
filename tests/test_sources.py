"""Other sources through the real CLI: MDX, Hugo's TOML front matter and HTML exports (Confluence,
Google Docs). Every expected position is found in the fixture's own text, never written down."""

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from blamelint.cli import main
from blamelint.document import parse
from blamelint.report.facts import severity_of, tags_of, title_of

SOURCES = Path(__file__).resolve().parent / "data" / "sources"
CONFLUENCE = SOURCES / "confluence-export.html"
GDOCS = SOURCES / "google-docs-export.html"
MDX = SOURCES / "postmortem.mdx"
HUGO = SOURCES / "hugo-postmortem.md"
FIX_REFUSED = "--fix does not rewrite HTML exports; fix the source document instead"


def run(*args, input=None):
    return CliRunner().invoke(main, ["check", "--no-color", *args], input=input, catch_exceptions=False)


GDOCS_TEMPLATE_FAILURE = "rule 'template-"  # how a failing template rule would show


def lint(path: Path, *args, tolerate: str | None = None) -> list[dict]:
    r = run("--format", "json", *args, str(path))
    assert r.exit_code == 1, r.output
    assert not [line for line in r.stderr.splitlines() if not (tolerate and tolerate in line)], r.stderr
    return json.loads(r.stdout)


def source(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def span(text: str, words: str, after: str = "") -> tuple[int, int]:
    """Offsets of the one occurrence of words after the first `after`."""
    a = text.index(after) if after else 0
    i = text.index(words, a)
    return i, i + len(words)


def position(text: str, offset: int) -> tuple[int, int]:
    """1-based line and column (code points) of an offset."""
    return text.count("\n", 0, offset) + 1, offset - (text.rfind("\n", 0, offset) + 1) + 1


def offset(text: str, line: int, column: int) -> int:
    starts = [0] + [i + 1 for i, c in enumerate(text) if c == "\n"]
    return starts[line - 1] + column - 1


def found(findings, rule: str, text: str, words: str, after: str = "") -> dict:
    """The finding of `rule` on exactly `words` (after `after`) in the source."""
    s, e = span(text, words, after)
    where = (*position(text, s), *position(text, e))
    for f in findings:
        if f["rule"] == rule and (f["line"], f["column"], f["end_line"], f["end_column"]) == where:
            assert f["text"] == words == text[s:e]
            return f
    raise AssertionError(f"no {rule} at {where} on {words!r}: {[(f['rule'], f['line'], f['column'], f['text']) for f in findings]}")


def overlapping(findings, text: str, s: int, e: int) -> list[dict]:
    return [f for f in findings if offset(text, f["line"], f["column"]) < e and s < offset(text, f["end_line"], f["end_column"])]


def missing_sections(findings) -> str:
    (f,) = [f for f in findings if f["rule"] == "template-missing-section"]
    return f["message"]


def check_mapping(doc):
    """Every prose character maps back to its source: itself, an entity or markup that stands for it."""
    for b in doc.blocks:
        prev = 0
        for k, ch in enumerate(b.text):
            s, e = b.source_span(k, k + 1)
            assert prev <= s <= e <= len(doc.source), (b.text, k)
            prev = s
            if e - s == 1 and not ch.isspace():
                assert doc.source[s] == ch, (b.text, k)


# --- HTML exports ---


def test_confluence_findings_land_on_the_source_words():
    text, findings = source(CONFLUENCE), lint(CONFLUENCE)
    main_content = 'id="main-content"'
    found(findings, "failure-verb-person", text, "Dana forgot to renew the certificate", main_content)
    found(findings, "named-individual", text, "Dana", main_content)
    # after `&nbsp;&amp;&nbsp;` and <strong> on the same line: the columns do not shift
    found(findings, "failure-verb-person", text, "the on-call engineer should have known better")
    found(findings, "hindsight-adverb", text, "Obviously")  # after an inline <code> on its line
    found(findings, "be-more-careful", text, "be more careful")


def test_confluence_reads_main_content_only():
    text, findings = source(CONFLUENCE), lint(CONFLUENCE)
    # breadcrumbs, page metadata ("Created by Dana Whitfield") and the footer are not linted
    assert not [f for f in findings if "Whitfield" in f["text"] or "Okafor" in f["text"]]
    content_line = position(text, text.index('id="main-content"'))[0]
    before = [f["rule"] for f in findings if f["line"] < content_line]
    assert before == ["template-missing-section"]  # anchored on the page title, which is read
    pre = text.index("<pre"), text.index("</pre>") + len("</pre>")
    assert "Dana forgot" in text[pre[0]:pre[1]] and not overlapping(findings, text, *pre)


def test_confluence_sections_are_seen():
    findings = lint(CONFLUENCE)
    message = missing_sections(findings)  # the export has no Key Facts or Learnings
    assert "Key Facts" in message and "Learnings" in message
    for present in ("Executive Summary", "Timeline", "Contributors", "Follow-ups"):
        assert present not in message
    doc = parse(source(CONFLUENCE), str(CONFLUENCE))
    assert doc.kind == "html"
    assert [s.kind for s in doc.sections] == [None, "executive-summary", None, "timeline", "contributors", "follow-ups"]
    tasks = [b for b in doc.blocks if b.section.kind == "follow-ups" and b.kind == "list_item"]
    assert [b.checked for b in tasks] == [True, False]
    check_mapping(doc)


def test_google_docs_findings_land_on_the_source_words():
    text, findings = source(GDOCS), lint(GDOCS)
    assert text.count("\n") == 0  # Google Docs exports the page on one line
    found(findings, "named-individual", text, "Priya")
    # a finding across inline tags covers them in the source, from its first word to its last
    s, _ = span(text, "Priya")
    _, e = span(text, "ignored the pager")
    (f,) = [f for f in findings if f["rule"] == "failure-verb-person" and f["column"] == position(text, s)[1]]
    assert (f["end_line"], f["end_column"]) == position(text, e) and f["text"] == text[s:e]
    # after &rsquo;, &ldquo;, &nbsp; and &amp; on the same (only) line
    found(findings, "be-more-careful", text, "be more careful")
    found(findings, "should-have-known", text, "reviewer should have caught")
    found(findings, "be-more-careful", text, "must double-check")


def test_google_docs_structure():
    text = source(GDOCS)
    doc = parse(text, "export.html")
    check_mapping(doc)
    assert [(s.title, s.kind) for s in doc.sections][1:] == [
        ("Summary", "executive-summary"), ("Impact", None), ("Timeline", "timeline"),
        ("Contributing factors", "contributors"), ("Action items", "follow-ups")]
    assert doc.sections[0].title.startswith("Incident post-mortem")  # <p class="title">
    b = next(b for b in doc.blocks if "didn’t" in b.text)
    i = b.text.index("’")
    assert text[slice(*b.source_span(i, i + 1))] == "&rsquo;"
    i = b.text.index("9 seconds") + 1
    assert text[slice(*b.source_span(i, i + 1))] == "&nbsp;" and b.text[i] == " "
    b = next(b for b in doc.blocks if "runbooks" in b.text)
    i = b.text.index("&")
    assert text[slice(*b.source_span(i, i + 1))] == "&amp;"
    items = [b for b in doc.blocks if b.kind == "list_item"]
    assert [(b.level, b.ordered) for b in items] == [(1, False), (1, False), (2, False), (1, True), (1, True)]
    assert not any("{" in b.text or "Arial" in b.text for b in doc.blocks)  # no CSS
    assert len([b for b in doc.blocks if b.kind == "table_cell"]) == 4


def test_text_output_of_a_one_line_export_shows_the_finding_s_part_of_the_line():
    r = run(str(GDOCS))
    assert r.exit_code == 1
    shown = [line for line in r.stdout.splitlines() if line.startswith("  …")]
    assert shown and max(len(line) for line in r.stdout.splitlines()) < 400
    assert "Priya" in r.stdout and "[fixable]" not in r.stdout and "fixable with --fix" not in r.stdout


def test_google_docs_template_rules_run_and_point_at_the_heading_element():
    r = run("--format", "json", str(GDOCS))
    assert GDOCS_TEMPLATE_FAILURE not in r.stderr and "failed" not in r.stderr
    text = source(GDOCS)
    template = [f for f in json.loads(r.stdout) if f["rule"].startswith("template-")]
    assert template
    headings = {b.text for b in parse(text, str(GDOCS)).blocks if b.kind == "heading"}
    assert "Incident post-mortem: Checkout latency on 12 February" in headings
    for f in template:  # a heading's words, not the whole page
        assert f["text"] in headings


# --- MDX ---


def test_mdx_findings_land_on_the_source_words():
    text, findings = source(MDX), lint(MDX)
    found(findings, "failure-verb-person", text, "Kim forgot to check the indexer lag dashboard before the release")
    # after `<Badge ... />` on the same line
    found(findings, "be-more-careful", text, "be more careful")
    assert "Key Facts" in missing_sections(findings)
    for present in ("Executive Summary", "Timeline", "Contributors", "Follow-ups"):
        assert present not in missing_sections(findings)


def test_mdx_esm_jsx_and_comments_are_not_prose():
    text, findings = source(MDX), lint(MDX)
    skipped = [
        ("import { Admonition }", "certificate';"),  # both imports and the export
        ("{/* Reviewer note", "*/}"),
        ("{/* the on-call", "*/}"),
        ('<Admonition type="warning"', '">'),
        ("<Timeline", "/>"),
        ("<Badge", "/>"),
        ("```js", "```\n\n"),
    ]
    for first, last in skipped:
        s = text.index(first)
        e = text.index(last, s) + len(last)
        assert any(w in text[s:e] for w in ("Dana forgot", "should have known")), first  # blaming words in it
        assert not overlapping(findings, text, s, e), first
    assert not [f for f in findings if "Dana" in f["text"]]


def test_mdx_document():
    text = source(MDX)
    doc = parse(text, "docs/postmortem.mdx")
    assert doc.kind == "mdx" and doc.front_matter["severity"] == "Sev-2"
    check_mapping(doc)
    assert not [b for b in doc.blocks if "Dana" in b.text or "<" in b.text or "{" in b.text]
    b = next(b for b in doc.blocks if "stopped" in b.text)
    assert b.text.endswith("consuming the change feed. Orders, payments and the catalogue were not affected.")
    assert parse(text, "x.mdx", chunked=False).blocks[3].text == doc.blocks[3].text
    # the same text as Markdown reads the JSX as HTML and the comment as prose
    assert any("Reviewer note" in b.text for b in parse(text, "x.md").blocks)


def test_mdx_comment_directive(tmp_path):
    f = tmp_path / "pm.mdx"
    f.write_text("# Outage\n\n{/* blamelint-disable-next-line be-more-careful */}\nWe need to be more careful.\n\n"
                 "We need to be more careful.\n", encoding="utf-8")
    findings = lint(f)
    assert [f["line"] for f in findings if f["rule"] == "be-more-careful"] == [6]


def test_mdx_indented_jsx_children_are_prose(tmp_path):
    f = tmp_path / "pm.mdx"
    text = "# Outage\n\n<Note>\n    Obviously the cache was stale.\n</Note>\n"
    f.write_text(text, encoding="utf-8")
    found(lint(f), "hindsight-adverb", text, "Obviously")  # no indented code in MDX


# --- Hugo: TOML front matter ---


def test_toml_front_matter_is_read():
    text = source(HUGO)
    doc = parse(text, "hugo-postmortem.md")
    assert doc.front_matter_error is None
    fm = doc.front_matter
    assert fm["date"] == dt.date(2024, 5, 14) and fm["incident"]["end"].hour == 9
    assert title_of(doc, "x") == "Incident post-mortem: Payment webhook backlog"
    assert severity_of(doc) == "Sev-2" and tags_of(doc) == ["queues", "payments"]
    check_mapping(doc)


def test_toml_front_matter_through_the_cli(tmp_path):
    text = source(HUGO)
    r = run("--format", "json", str(HUGO))
    assert r.exit_code == 1 and "front matter" not in r.stderr
    findings = json.loads(r.stdout)
    found(findings, "should-have-known", text, "engineer should have known")
    found(findings, "hindsight-adverb", text, "Obviously")
    assert not [f for f in findings if f["rule"] == "template-theme-tags"]  # tags = [...] in the TOML
    assert "Key Facts" in missing_sections(findings) and "Timeline" not in missing_sections(findings)

    broken = text.replace('severity = "Sev-2"', "severity = Sev-2")
    f = tmp_path / "broken.md"
    f.write_text(broken, encoding="utf-8")
    r = run("--format", "json", str(f))
    line = broken[:broken.index("severity = Sev-2")].count("\n") + 1
    assert r.exit_code == 1
    assert r.stderr.startswith(f"warning: {f}: invalid TOML front matter at line {line}: "), r.stderr
    assert r.stderr.count("\n") == 1 and "(at line" not in r.stderr
    findings = json.loads(r.stdout)
    found(findings, "hindsight-adverb", broken, "Obviously")  # the body's lines are unchanged
    assert [f for f in findings if f["rule"] == "template-theme-tags"]  # no front matter, no tags


def test_toml_front_matter_unterminated_is_text():
    doc = parse("+++\ntitle = 'x'\n\nThe cache expired.\n", "a.md")
    assert doc.front_matter == {} and doc.front_matter_error is None


# --- --fix and --diff refuse HTML ---


@pytest.mark.parametrize("flags", [["--fix"], ["--fix", "--unsafe-fixes"], ["--diff"], ["--diff", "--unsafe-fixes"]])
def test_fix_does_not_rewrite_html(tmp_path, flags):
    html = shutil.copy(CONFLUENCE, tmp_path / "export.html")
    md = tmp_path / "notes.md"
    md.write_text("# Outage\n\nObviously the cache was stale.\n", encoding="utf-8")
    before = Path(html).read_bytes()
    r = run(*flags, str(html), str(md))
    assert Path(html).read_bytes() == before
    assert not [p for p in tmp_path.iterdir() if p.name not in ("export.html", "notes.md")]
    assert r.exit_code == 1
    what = FIX_REFUSED if "--fix" in flags else "--diff shows no fixes for HTML exports; fix the source document instead"
    assert r.stderr.count(what) == 1 and f"warning: {html}: {what}" in r.stderr
    assert "export.html" not in "".join(line for line in r.stdout.splitlines() if line.startswith(("---", "+++")))
    if "--fix" in flags:
        assert "Obviously" not in md.read_text()  # other files are still fixed
        assert f"{html}:" in r.stdout and "be-more-careful" in r.stdout  # the findings are still shown
    else:
        assert "-Obviously the cache was stale." in r.stdout


def test_fix_stdin_html_is_passed_through():
    text = source(GDOCS)
    r = run("--fix", "--stdin-filename", "export.html", "-", input=text)
    assert r.stdout == text and FIX_REFUSED in r.stderr


# --- discovery ---


def test_directories_yield_mdx_and_html(tmp_path):
    for f in (CONFLUENCE, MDX, HUGO):
        shutil.copy(f, tmp_path / f.name)
    shutil.copy(GDOCS, tmp_path / "export.htm")
    (tmp_path / "notes.json").write_text("{}", encoding="utf-8")
    r = run("--format", "json", str(tmp_path))
    assert r.exit_code == 1
    assert {Path(f["path"]).name for f in json.loads(r.stdout)} == {
        "confluence-export.html", "postmortem.mdx", "hugo-postmortem.md", "export.htm"}
    empty = tmp_path / "empty"
    empty.mkdir()
    r = run(str(empty))
    assert r.exit_code == 2 and "*.mdx" in r.stderr and "*.html, *.htm" in r.stderr


def test_html_findings_keep_their_rewrites_as_advice_without_edits():
    for path in (CONFLUENCE, GDOCS):
        findings = lint(path)
        assert findings and all(fix["edits"] == [] for f in findings for fix in f["fixes"])
        assert any(fix["title"].startswith("Rewrite the sentence as") for f in findings for fix in f["fixes"])
