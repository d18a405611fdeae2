"""`--format gitlab` (Code Quality) and `--format junit`, checked against schemas and a real parser."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import jsonschema
import junitparser
import pytest
import xmlschema
from click.testing import CliRunner

from blamelint.cli import main
from blamelint.document.model import Document
from blamelint.findings import FileResult, Finding
from blamelint.formats import FORMATS
from blamelint.formats import gitlab as gitlab_format
from blamelint.formats import junit as junit_format

SCHEMAS = Path(__file__).parent / "data" / "schemas"

BLAMING = """# Certificate expiry

Priya forgot to renew the certificate.

The root cause was the expired certificate.

The engineer responsible will be disciplined.

We need to be more careful.

We need to be more careful.
"""
CLEAN = "# Certificate expiry\n\nThe cache served stale entries for 12 minutes after the deploy.\n"
# neutral paragraphs to insert above the findings: they move every line, add no finding
CONTEXT = """The TLS certificate for api.example.com expired at 02:00 UTC and clients failed their handshakes.

Alerts fired four minutes later, and the certificate was replaced at 02:40 UTC.

"""


@pytest.fixture(scope="module")
def gitlab_validator():
    schema = json.loads((SCHEMAS / "gitlab-codequality.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


@pytest.fixture(scope="module")
def junit_schema():
    return xmlschema.XMLSchema(str(SCHEMAS / "junit-10.xsd"))


@pytest.fixture
def check(tmp_path, monkeypatch):
    """Run `blamelint check --format FMT PATHS` from tmp_path; (exit code, stdout)."""
    monkeypatch.chdir(tmp_path)

    def run(fmt, *paths):
        r = CliRunner().invoke(main, ["check", "--format", fmt, *map(str, paths)], catch_exceptions=False)
        return r.exit_code, r.stdout

    return run


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def gitlab_issues(check, *paths) -> list[dict]:
    code, out = check("gitlab", *paths)
    assert code in (0, 1), out
    return json.loads(out)


def fingerprints(issues, rule=None) -> list[str]:
    return [i["fingerprint"] for i in issues if rule is None or i["check_name"] == rule]


def test_formats_registered_and_listed_in_help():
    assert {"gitlab", "junit"} <= set(FORMATS)
    r = CliRunner().invoke(main, ["check", "--help"])
    assert r.exit_code == 0 and "gitlab" in r.output and "junit" in r.output


# --- gitlab ---


def test_gitlab_report_validates_and_matches_json(tmp_path, check, gitlab_validator):
    write(tmp_path / "pm.md", BLAMING)
    write(tmp_path / "clean.md", CLEAN)
    code, out = check("gitlab", "pm.md", "clean.md")
    assert code == 1
    issues = json.loads(out)
    gitlab_validator.validate(issues)
    records = json.loads(check("json", "pm.md", "clean.md")[1])
    assert len(issues) == len(records) >= 6
    for issue, rec in zip(issues, records, strict=True):
        assert issue["check_name"] == rec["rule"]
        assert issue["description"] == f"{rec['rule']}: {rec['message']}"
        assert issue["severity"] == gitlab_format.SEVERITIES[rec["severity"]]
        assert issue["location"]["path"] == "pm.md"
        assert issue["location"]["positions"] == {
            "begin": {"line": rec["line"], "column": rec["column"]},
            "end": {"line": rec["end_line"], "column": rec["end_column"]},
        }
    assert {"failure-verb-person", "be-more-careful"} <= {i["check_name"] for i in issues}
    assert {i["severity"] for i in issues} == {"critical", "major", "minor"}  # error, warning, info
    assert len(set(fingerprints(issues))) == len(issues)  # GitLab merges equal fingerprints


def test_gitlab_schema_rejects_what_gitlab_does_not_read(gitlab_validator):
    good = {"description": "d", "check_name": "r", "fingerprint": "f", "severity": "minor",
            "location": {"path": "a.md", "lines": {"begin": 1}}}
    gitlab_validator.validate([good])
    bad = [
        {**good, "severity": "warning"},
        {k: v for k, v in good.items() if k != "fingerprint"},
        {**good, "location": {"path": "/abs/a.md", "lines": {"begin": 1}}},
        {**good, "location": {"path": "a.md"}},
        {**good, "location": {"path": "a.md", "positions": {"begin": {"column": 1}}}},
    ]
    for issue in bad:
        assert not gitlab_validator.is_valid([issue]), issue


def test_gitlab_path_relative_with_forward_slashes(tmp_path, check, gitlab_validator):
    nested = write(tmp_path / "docs" / "2024" / "pm.md", BLAMING)
    for given in (nested, Path("docs") / "2024" / "pm.md", "./docs/2024/pm.md"):
        issues = gitlab_issues(check, given)
        gitlab_validator.validate(issues)
        assert {i["location"]["path"] for i in issues} == {"docs/2024/pm.md"}


def test_gitlab_clean_file_is_an_empty_array(tmp_path, check, gitlab_validator):
    write(tmp_path / "clean.md", CLEAN)
    code, out = check("gitlab", "clean.md")
    assert code == 0 and out == "[]\n"
    gitlab_validator.validate(json.loads(out))


def test_gitlab_fingerprints_survive_moved_lines(tmp_path, check):
    pm = write(tmp_path / "pm.md", BLAMING)
    before = gitlab_issues(check, "pm.md")
    title, rest = BLAMING.split("\n\n", 1)
    pm.write_text(f"{title}\n\n{CONTEXT}{rest}\n\n{CONTEXT}", encoding="utf-8")
    after = gitlab_issues(check, "pm.md")
    lines = [[i["location"]["positions"]["begin"]["line"] for i in issues] for issues in (before, after)]
    assert lines[0] != lines[1]  # the findings did move
    assert fingerprints(before) == fingerprints(after)


def test_gitlab_identical_sentences_get_different_fingerprints(tmp_path, check):
    write(tmp_path / "pm.md", BLAMING)
    careful = fingerprints(gitlab_issues(check, "pm.md"), "be-more-careful")
    assert len(careful) == 2 and careful[0] != careful[1]


def test_gitlab_changed_sentence_changes_its_fingerprint(tmp_path, check):
    pm = write(tmp_path / "pm.md", BLAMING)
    before = gitlab_issues(check, "pm.md")
    pm.write_text(BLAMING.replace("renew the certificate", "rotate the signing key"), encoding="utf-8")
    after = gitlab_issues(check, "pm.md")
    changed = "failure-verb-person"
    assert len(fingerprints(after, changed)) == 1
    assert set(fingerprints(before, changed)).isdisjoint(fingerprints(after, changed))
    # the other findings cover the same words as before
    assert [f for f in fingerprints(before) if f not in fingerprints(before, changed)] == [
        f for f in fingerprints(after) if f not in fingerprints(after, changed)]


def test_gitlab_same_text_in_two_files_differs(tmp_path, check):
    write(tmp_path / "a.md", BLAMING)
    write(tmp_path / "b.md", BLAMING)
    issues = gitlab_issues(check, "a.md", "b.md")
    assert len(set(fingerprints(issues))) == len(issues)


# --- junit ---


def findings_by_path(check, *paths) -> Counter:
    return Counter(rec["path"] for rec in json.loads(check("json", *paths)[1]))


def test_junit_validates_and_parses(tmp_path, check, junit_schema):
    write(tmp_path / "pm.md", BLAMING)
    write(tmp_path / "docs" / "clean.md", CLEAN)
    code, out = check("junit", "pm.md", Path("docs") / "clean.md")
    assert code == 1
    junit_schema.validate(out)

    expected = findings_by_path(check, "pm.md", Path("docs") / "clean.md")
    xml = junitparser.JUnitXml.fromstring(out)
    suites = list(xml)
    assert [s.name for s in suites] == ["blamelint"]
    suite = suites[0]
    cases = {case.name: case for case in suite}
    assert set(cases) == {"pm.md", "docs/clean.md"}
    assert cases["pm.md"].classname == "pm" and cases["docs/clean.md"].classname == "docs/clean"
    for name, case in cases.items():
        failures = [r for r in case.result if isinstance(r, junitparser.Failure)]
        assert len(failures) == expected[name] == len(case.result)
    assert cases["docs/clean.md"].is_passed and not cases["pm.md"].is_passed
    assert (suite.tests, suite.failures, suite.errors) == (2, expected["pm.md"], 0)
    assert (xml.tests, xml.failures, xml.errors) == (2, expected["pm.md"], 0)
    suite.update_statistics()  # junitparser's own count agrees with the attributes
    assert (suite.tests, suite.failures, suite.errors) == (2, expected["pm.md"], 0)

    records = json.loads(check("json", "pm.md")[1])
    for failure, rec in zip(cases["pm.md"].result, records, strict=True):
        assert failure.type == rec["rule"] and failure.message == rec["message"]
        assert failure.text == f"{rec['line']}:{rec['column']} {rec['rule']} {rec['message']}"


def test_junit_clean_file_passes(tmp_path, check, junit_schema):
    write(tmp_path / "clean.md", CLEAN)
    code, out = check("junit", "clean.md")
    assert code == 0
    junit_schema.validate(out)
    suite = next(iter(junitparser.JUnitXml.fromstring(out)))
    (case,) = list(suite)
    assert case.is_passed and case.name == "clean.md"
    assert (suite.tests, suite.failures, suite.errors) == (1, 0, 0)


def test_junit_errors_and_characters_xml_cannot_hold(junit_schema):
    source = "# Outage\n\nBob\x0bbroke prod.\n"
    doc = Document.plain(source, "pm.md")
    start = source.index("Bob")
    odd = Finding("named-individual", "named-individual", "warning", "“Bob\x0b” names a person",
                  start, start + 4, text="Bob\x0b")
    results = [
        FileResult(path="pm.md", document=doc, findings=[odd], problems=["rule x raised\x00"]),
        FileResult.failed("crash.md", Document.plain("text", "crash.md"), RuntimeError("boom")),
        FileResult(path="gone.md", error="no such file"),
    ]
    out = FORMATS["junit"](results, {})
    junit_schema.validate(out)
    suite = next(iter(junitparser.JUnitXml.fromstring(out)))
    cases = {case.name: case for case in suite}
    assert cases["pm.md"].result[0].message == "“Bob\ufffd” names a person"
    assert cases["pm.md"].system_err == "rule x raised\ufffd"
    crash, gone = cases["crash.md"].result, cases["gone.md"].result
    assert isinstance(crash[0], junitparser.Error) and crash[0].type == "internal-error" and len(crash) == 1
    assert "boom" in crash[0].message
    assert isinstance(gone[0], junitparser.Error) and gone[0].type == "unreadable"
    assert (suite.tests, suite.failures, suite.errors) == (3, 1, 2)
    # gitlab: the internal error is a critical issue at line 1; the unreadable file has none
    issues = gitlab_format.issues(results, {})
    where = [(i["check_name"], i["severity"], i["location"]["positions"]["begin"]["line"]) for i in issues]
    assert where == [("named-individual", "major", 3), ("internal-error", "critical", 1)]


def test_junit_module_renders_empty_run(junit_schema):
    out = junit_format.render([], {})
    junit_schema.validate(out)
    assert junitparser.JUnitXml.fromstring(out).tests == 0
    assert not junit_schema.is_valid(out.replace(' tests="0"', "", 2))  # the XSD requires the counts


def test_junit_lists_the_inputs_that_could_not_be_read_as_errors(tmp_path, check, junit_schema):
    write(tmp_path / "ok.md", CLEAN)
    (tmp_path / "latin1.md").write_bytes(b"caf\xe9 au lait\n")
    code, out = check("junit", "ok.md", "latin1.md", "missing.md")
    junit_schema.validate(out)
    suite = next(iter(junitparser.JUnitXml.fromstring(out)))
    cases = {c.name: c for c in suite}
    assert set(cases) == {"ok.md", "latin1.md", "missing.md"}
    assert cases["ok.md"].is_passed
    for name in ("latin1.md", "missing.md"):
        assert [type(r) for r in cases[name].result] == [junitparser.Error]
    assert suite.errors == 2
