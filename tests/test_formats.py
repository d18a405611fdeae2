"""Output formats: json, sarif, github, text."""

from __future__ import annotations

import bisect
import json
import re
from pathlib import Path
from types import SimpleNamespace

import click
import jsonschema
import pytest

from blamelint.findings import Edit, FileResult, Finding, Fix
from blamelint.formats import FORMATS, json_format, location, sarif
from blamelint.formats import github as github_format
from blamelint.formats import text as text_format

SCHEMA = Path(__file__).parent / "data" / "sarif-schema-2.1.0.json"


class FakeDoc:
    """Just enough of blamelint.document.Document: position() and line_text()."""

    def __init__(self, source: str):
        self.source = source
        self.starts = [0]
        self.ends = []
        for m in re.finditer(r"\r\n|\r|\n", source):
            self.ends.append(m.start())
            self.starts.append(m.end())
        self.ends.append(len(source))

    def position(self, offset):
        line = bisect.bisect_right(self.starts, offset) - 1
        return line + 1, offset - self.starts[line] + 1

    def line_text(self, line):
        return self.source[self.starts[line - 1] : self.ends[line - 1]]


def rule(rule_id, category="blame", severity="warning"):
    return SimpleNamespace(
        id=rule_id,
        category=category,
        severity=severity,
        title=f"Avoid {rule_id}.",
        message="Found {text}.",
        why=f"Why {rule_id} matters.",
        link=f"https://example.com/rules/{rule_id}",
        examples={"bad": ["Bob broke prod."], "good": ["A config change broke prod."]},
    )


RULES = {
    "blame-person": rule("blame-person", "blame", "error"),
    "hindsight-should-have": rule("hindsight-should-have", "hindsight", "warning"),
    "vague-action": rule("vague-action", "vague-action", "info"),
}


def finding(doc, needle, rule_id="blame-person", severity="error", message=None, fixes=(), nth=0, end=None):
    """A finding over the nth occurrence of needle (or from needle up to the end of `end`)."""
    start = -1
    for _ in range(nth + 1):
        start = doc.source.index(needle, start + 1)
    stop = doc.source.index(end, start) + len(end) if end else start + len(needle)
    return Finding(
        rule=rule_id,
        category=RULES[rule_id].category if rule_id in RULES else "blame",
        severity=severity,
        message=message or f"Blames a person: {doc.source[start:stop]!r}",
        start=start,
        end=stop,
        fixes=list(fixes),
        confidence=0.9,
        text=doc.source[start:stop],
    )


def test_formats_registered():
    assert set(FORMATS) == {"text", "json", "sarif", "github", "rdjson", "gitlab", "junit"}
    assert all(callable(render) for render in FORMATS.values())


def test_location_code_points_end_exclusive():
    doc = FakeDoc("a🔥b\ncd")
    assert location(doc, 2, 3) == {"line": 1, "column": 3, "end_line": 1, "end_column": 4}
    assert location(doc, 2, 4) == {"line": 1, "column": 3, "end_line": 2, "end_column": 1}


# --- json -----------------------------------------------------------------


def test_json_multiline_finding_on_emoji_line():
    doc = FakeDoc("Intro\n🔥 Bob broke prod\nand left.\n")
    bob = doc.source.index("Bob")
    f = finding(
        doc,
        "Bob",
        end="left",
        fixes=[
            Fix("Name the role instead", [Edit(bob, bob + 3, "the on-call engineer")], safe=True),
            Fix("Describe the system"),
        ],
    )
    results = [FileResult(path="docs/pm.md", document=doc, findings=[f])]
    out = json_format.render(results, RULES)
    assert out.endswith("]\n")
    assert '\n  {\n    "path"' in out  # indent 2
    assert "Bob broke prod\\nand left" in out
    data = json.loads(out)
    assert data == json_format.records(results)
    assert list(data[0]) == [
        "path",
        "line",
        "column",
        "end_line",
        "end_column",
        "rule",
        "category",
        "severity",
        "message",
        "confidence",
        "text",
        "fixes",
        "related",
    ]
    assert data == [
        {
            "path": "docs/pm.md",
            "line": 2,
            "column": 3,  # code points: the emoji counts 1
            "end_line": 3,
            "end_column": 9,  # exclusive: the column of the "." after "left"
            "rule": "blame-person",
            "category": "blame",
            "severity": "error",
            "message": "Blames a person: 'Bob broke prod\\nand left'",
            "confidence": 0.9,
            "text": "Bob broke prod\nand left",
            "fixes": [
                {
                    "title": "Name the role instead",
                    "safe": True,
                    "edits": [
                        {
                            "line": 2,
                            "column": 3,
                            "end_line": 2,
                            "end_column": 6,
                            "new_text": "the on-call engineer",
                        }
                    ],
                },
                {"title": "Describe the system", "safe": False, "edits": []},
            ],
            "related": [],
        }
    ]


def test_json_unicode_not_escaped_and_errors_skipped():
    doc = FakeDoc("事故: 🔥 Bob did it\n")
    f = finding(doc, "🔥 Bob did it")
    results = [
        FileResult(path="a.md", document=doc, findings=[f]),
        FileResult(path="missing.md", error="cannot read missing.md"),
    ]
    out = json_format.render(results, RULES)
    assert '"text": "🔥 Bob did it"' in out and "\\u" not in out
    data = json.loads(out)
    assert [r["path"] for r in data] == ["a.md"]
    assert (data[0]["column"], data[0]["end_column"]) == (5, 17)
    assert json_format.render([], RULES) == "[]\n"


# --- sarif ----------------------------------------------------------------


def sarif_results():
    doc1 = FakeDoc("# Incident 🔥\n\nBob broke prod. Bob broke prod.\n")
    doc2 = FakeDoc("事故のまとめ\r\nWe should have caught it 🙈 earlier.\r\n- [ ] fix things\n")
    bob = doc1.source.index("Bob")
    findings1 = [
        finding(
            doc1,
            "Bob broke prod.",
            fixes=[Fix("Name the role", [Edit(bob, bob + 3, "The on-call engineer")], True)],
        ),
        finding(doc1, "Bob broke prod.", nth=1, fixes=[Fix("Rewrite without a name")]),
    ]
    findings2 = [
        finding(
            doc2,
            "should have",
            "hindsight-should-have",
            "warning",
            "Hindsight: “should have”",
            end="🙈",
            fixes=[Fix("Say what was known then"), Fix("Remove", [Edit(0, 0, "")])],
        ),
        finding(doc2, "fix things", "vague-action", "info", "Vague action item"),
        finding(doc2, "We", "unknown-rule", "warning", "Rule not in the pack"),
    ]
    return [
        FileResult(path="incidents/2024 outage.md", document=doc1, findings=findings1),
        FileResult(path="-", document=doc2, findings=findings2, problems=["front matter is not a mapping"]),
        FileResult(path="incidents/missing.md", error="cannot read: No such file"),
        FileResult(path="clean.md", document=FakeDoc("All good.\n"), findings=[]),
    ]


def validate_sarif(log):
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    assert schema["properties"]["version"]["enum"] == ["2.1.0"]
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    cls(schema, format_checker=cls.FORMAT_CHECKER).validate(log)


def test_sarif_validates_against_schema():
    results = sarif_results()
    out = sarif.render(results, RULES)
    assert out.endswith("}\n")
    log = json.loads(out)
    validate_sarif(log)
    assert log["$schema"] == "https://json.schemastore.org/sarif-2.1.0.json"
    assert log["version"] == "2.1.0"
    (run,) = log["runs"]
    assert run["columnKind"] == "unicodeCodePoints"
    driver = run["tool"]["driver"]
    assert driver["name"] == "blamelint" and driver["version"]
    ids = [d["id"] for d in driver["rules"]]
    assert ids[:3] == list(RULES) and ids[3:] == ["unknown-rule"]
    for res in run["results"]:
        assert driver["rules"][res["ruleIndex"]]["id"] == res["ruleId"]
    assert [r["level"] for r in run["results"]] == ["error", "error", "warning", "note", "warning"]


def test_sarif_details():
    log = sarif.log(sarif_results(), RULES)
    run = log["runs"][0]
    desc = run["tool"]["driver"]["rules"][2]
    assert desc == {
        "id": "vague-action",
        "name": "vague-action",
        "shortDescription": {"text": "Avoid vague-action."},
        "fullDescription": {"text": "Why vague-action matters."},
        "help": desc["help"],
        "defaultConfiguration": {"level": "note"},
        "properties": {"tags": ["vague-action"]},
        "helpUri": "https://example.com/rules/vague-action",
    }
    assert "Bob broke prod." in desc["help"]["text"] and "A config change" in desc["help"]["markdown"]

    first, second, hindsight, vague, _ = run["results"]
    loc = first["locations"][0]["physicalLocation"]
    assert loc["artifactLocation"]["uri"] == "incidents/2024%20outage.md"
    assert loc["region"] == {
        "startLine": 3,
        "startColumn": 1,
        "endLine": 3,
        "endColumn": 16,
        "snippet": {"text": "Bob broke prod."},
    }
    assert first["fixes"] == [
        {
            "description": {"text": "Name the role"},
            "artifactChanges": [
                {
                    "artifactLocation": {"uri": "incidents/2024%20outage.md"},
                    "replacements": [
                        {
                            "deletedRegion": {"startLine": 3, "startColumn": 1, "endLine": 3, "endColumn": 4},
                            "insertedContent": {"text": "The on-call engineer"},
                        }
                    ],
                }
            ],
        }
    ]
    assert "fixes" not in second  # its only fix has no edits
    # same rule and text: the occurrence index keeps the fingerprints apart
    fp1, fp2 = first["partialFingerprints"]["blamelint/v1"], second["partialFingerprints"]["blamelint/v1"]
    assert fp1 != fp2 and len(fp1) == 64
    assert fp1 == sarif.fingerprint("blame-person", "incidents/2024 outage.md", "Bob broke prod.", 0)

    region = hindsight["locations"][0]["physicalLocation"]["region"]
    assert hindsight["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "-"
    assert (region["startLine"], region["startColumn"], region["endLine"], region["endColumn"]) == (
        2,
        4,
        2,
        27,
    )
    assert region["snippet"]["text"] == "should have caught it 🙈"
    assert [f["description"]["text"] for f in hindsight["fixes"]] == ["Remove"]
    assert vague["message"] == {"text": "Vague action item"}

    (invocation,) = run["invocations"]
    assert invocation["executionSuccessful"] is False
    assert invocation["toolExecutionNotifications"] == [
        {
            "level": "warning",
            "message": {"text": "front matter is not a mapping"},
            "locations": [{"physicalLocation": {"artifactLocation": {"uri": "-"}}}],
        },
        {
            "level": "error",
            "message": {"text": "cannot read: No such file"},
            "locations": [{"physicalLocation": {"artifactLocation": {"uri": "incidents/missing.md"}}}],
        },
    ]


def test_sarif_clean_run():
    log = sarif.log([FileResult(path="ok.md", document=FakeDoc("fine\n"))], RULES)
    validate_sarif(log)
    run = log["runs"][0]
    assert run["results"] == []
    assert run["invocations"] == [{"executionSuccessful": True}]
    assert len(run["tool"]["driver"]["rules"]) == 3


# --- github ---------------------------------------------------------------


def test_github_commands_and_escaping():
    doc = FakeDoc("🔥 Bob broke prod\nWe should have known.\nfix it\n")
    results = [
        FileResult(
            path="dir,a:b/100%.md",
            document=doc,
            findings=[
                finding(doc, "Bob", message="100% blame: Bob, again\r\nsecond line"),
                finding(doc, "should have", "hindsight-should-have", "warning", "Hindsight"),
                finding(doc, "fix it", "vague-action", "info", "Vague: a, b"),
            ],
        ),
        FileResult(path="gone.md", error="cannot read"),
    ]
    out = github_format.render(results, RULES)
    assert out.splitlines() == [
        "::error file=dir%2Ca%3Ab/100%25.md,line=1,col=3,endLine=1,endColumn=6,title=blamelint [blame-person]"
        "::100%25 blame: Bob, again%0D%0Asecond line",
        "::warning file=dir%2Ca%3Ab/100%25.md,line=2,col=4,endLine=2,endColumn=15,"
        "title=blamelint [hindsight-should-have]::Hindsight",
        "::notice file=dir%2Ca%3Ab/100%25.md,line=3,col=1,endLine=3,endColumn=7,"
        "title=blamelint [vague-action]::Vague: a, b",
    ]
    assert out.endswith("\n")
    assert github_format.escape_property("a:b,c%\n") == "a%3Ab%2Cc%25%0A"
    assert github_format.render([], RULES) == ""


# --- text -----------------------------------------------------------------


def text_block(source, needle, **kwargs):
    doc = FakeDoc(source)
    f = finding(doc, needle, **kwargs)
    out = text_format.render([FileResult(path="pm.md", document=doc, findings=[f])], RULES)
    return out.split("\n")


def test_text_caret_under_emoji_prefixed_line():
    lines = text_block("# Title\n🔥🔥 Bob broke prod\n", "Bob", message="Blames Bob")
    assert lines[:3] == [
        "pm.md:2:4: error [blame-person] Blames Bob",  # column in code points
        "  🔥🔥 Bob broke prod",
        "       ^~~",  # two wide emoji = 4 cells, then a space
    ]


def test_text_caret_with_tab():
    assert text_block("\tBob broke it\n", "Bob")[1:3] == ["      Bob broke it", "      ^~~"]
    assert text_block("a\tBob\n", "Bob")[1:3] == ["  a   Bob", "      ^~~"]
    # a tab inside the span widens the caret to match the expanded line
    assert text_block("ab\tc Bob\n", "b\tc")[1:3] == ["  ab  c Bob", "   ^~~~"]


def test_text_caret_wide_and_combining():
    assert text_block("事故 Bob\n", "Bob")[1:3] == ["  事故 Bob", "       ^~~"]
    assert text_block("e\u0301 Bob\n", "Bob")[1:3] == ["  e\u0301 Bob", "    ^~~"]


def test_text_multiline_span_underlines_first_line_only():
    lines = text_block("x Bob broke\nprod today\n", "Bob", end="prod")
    assert lines[1:3] == ["  x Bob broke", "    ^" + "~" * 8]  # "Bob broke" is 9 cells


def test_text_control_characters_replaced():
    lines = text_block("\x1b[31mBob\n", "Bob", message="Blames \x1b[0mBob")
    assert "\x1b" not in "\n".join(lines)
    assert lines[1] == "  \ufffd[31mBob"
    assert lines[2] == "  " + " " * 5 + "^~~"


def test_text_full_output_and_summary():
    doc1 = FakeDoc("Bob broke prod.\nWe should have known.\n")
    doc2 = FakeDoc("- fix stuff\n")
    bob = doc1.source.index("Bob")
    results = [
        FileResult(
            path="a.md",
            document=doc1,
            findings=[
                finding(
                    doc1,
                    "Bob",
                    message="Blames Bob",
                    fixes=[Fix("Name the role", [Edit(bob, bob + 3, "The engineer")], safe=True)],
                ),
                finding(
                    doc1,
                    "should have",
                    "hindsight-should-have",
                    "warning",
                    "Hindsight",
                    fixes=[Fix("Describe what was known")],
                ),
            ],
        ),
        FileResult(
            path="b.md", document=doc2, findings=[finding(doc2, "fix stuff", "vague-action", "info", "Vague")]
        ),
        FileResult(path="c.md", document=FakeDoc("ok\n")),
    ]
    assert text_format.render(results, RULES) == (
        "a.md:1:1: error [blame-person] Blames Bob\n"
        "  Bob broke prod.\n"
        "  ^~~\n"
        "  suggestion: Name the role [fixable]\n"
        "\n"
        "a.md:2:4: warning [hindsight-should-have] Hindsight\n"
        "  We should have known.\n"
        "     ^" + "~" * 10 + "\n"
        "  suggestion: Describe what was known\n"
        "\n"
        "b.md:1:3: info [vague-action] Vague\n"
        "  - fix stuff\n"
        "    ^" + "~" * 8 + "\n"
        "\n"
        "Found 3 problems (1 error, 1 warning, 1 info) in 2 files; 1 fixable with --fix.\n"
    )


@pytest.mark.parametrize(
    ("results", "expected"),
    [
        ([], "No problems found in 0 files."),
        ([FileResult(path="a.md", document=FakeDoc("ok\n"))], "No problems found in 1 file."),
        (
            [FileResult(path="a.md", document=FakeDoc("ok\n")), FileResult(path="b.md", error="boom")],
            "No problems found in 1 file. 1 file could not be linted.",
        ),
    ],
)
def test_text_summary_without_problems(results, expected):
    assert text_format.render(results, RULES) == expected + "\n"


def test_text_summary_counts():
    doc = FakeDoc("Bob and Bob and Bob\n")
    findings = [finding(doc, "Bob", nth=i, severity="warning") for i in range(3)]
    out = text_format.render([FileResult(path="a.md", document=doc, findings=findings)], RULES)
    assert out.endswith("\nFound 3 problems (3 warnings) in 1 file.\n")


def test_text_color_only_when_asked():
    doc = FakeDoc("Bob broke prod.\n")
    results = [FileResult(path="a.md", document=doc, findings=[finding(doc, "Bob")])]
    plain = text_format.render(results, RULES)
    colored = text_format.render(results, RULES, color=True)
    assert "\x1b" not in plain
    assert "\x1b[" in colored and colored != plain
    assert click.unstyle(colored) == plain
    assert click.style("a.md:1:1:", bold=True) in colored
    assert click.style("error", fg="red", bold=True) in colored
    assert click.style("[blame-person]", dim=True) in colored
    for name in ("json", "sarif", "github"):
        assert "\x1b" not in FORMATS[name](results, RULES, color=True)
