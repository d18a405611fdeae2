"""Baselines: writing, loading, filtering as a multiset, bad files."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from blamelint.baseline import Baseline, build, load_baseline, write_baseline
from blamelint.errors import ConfigError
from blamelint.findings import FileResult, Finding


def finding(rule: str, text: str, start: int = 0) -> Finding:
    return Finding(rule, "blame", "warning", "m", start, start + len(text), text=text)


def result(path: str, *findings: Finding) -> FileResult:
    return FileResult(path=path, findings=list(findings))


def test_write_is_sorted_stable_and_relative(tmp_path):
    results = [
        result(str(tmp_path / "pms" / "b.md"), finding("human-error", "human error"), finding("hindsight", "obviously")),
        result(str(tmp_path / "pms" / "a.md"), finding("human-error", "human\n  error", 40),
               finding("human-error", "human error", 90)),
        FileResult(path=str(tmp_path / "broken.md"), error="binary file"),
    ]
    out = tmp_path / "baseline.json"
    assert write_baseline(out, results, root=tmp_path) == 4
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data == {"version": 1, "findings": [
        {"count": 2, "file": "pms/a.md", "rule": "human-error", "text": "human error"},
        {"count": 1, "file": "pms/b.md", "rule": "hindsight", "text": "obviously"},
        {"count": 1, "file": "pms/b.md", "rule": "human-error", "text": "human error"},
    ]}
    first = out.read_bytes()
    write_baseline(out, list(reversed(results)), root=tmp_path)
    assert out.read_bytes() == first  # diff-friendly: order of results does not matter
    assert first.endswith(b"\n") and b"\r" not in first


def test_relative_to_the_working_directory_by_default(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write_baseline("b.json", [result("docs/pm.md", finding("r", "x")), result(str(tmp_path / "docs" / "pm.md"),
                                                                               finding("r", "x"))])
    data = json.loads((tmp_path / "b.json").read_text())
    assert data["findings"] == [{"count": 2, "file": "docs/pm.md", "rule": "r", "text": "x"}]
    baseline = load_baseline("b.json")
    assert baseline.filter(result("./docs/pm.md", finding("r", "x"), finding("r", "x"))).findings == []


def test_filter_is_a_multiset(tmp_path):
    base = build([result("pm.md", finding("human-error", "human error"), finding("human-error", "human error", 50))],
                 root=Path.cwd())
    now = result("pm.md", finding("human-error", "human error", 5), finding("human-error", "human  error", 60),
                 finding("human-error", "human error", 120))
    kept = base.filter(now).findings
    assert [f.start for f in kept] == [120]  # 2 recorded, 3 now: one is reported


def test_filter_matches_by_rule_file_and_text_not_position():
    base = build([result("pm.md", finding("human-error", "human error", 10))])
    moved = result("pm.md", finding("human-error", "human error", 500))
    assert base.filter(moved).findings == []
    assert base.filter(result("other.md", finding("human-error", "human error"))).findings  # another file
    assert base.filter(result("pm.md", finding("operator-error", "human error"))).findings  # another rule
    assert base.filter(result("pm.md", finding("human-error", "operator error"))).findings  # another text


def test_filter_keeps_errors_and_the_rest_of_the_result():
    base = Baseline()
    broken = FileResult(path="x.md", error="binary")
    assert base.filter(broken) is broken
    r = FileResult(path="pm.md", document="doc", findings=[finding("r", "x")], problems=["p"])
    out = base.filter(r)
    assert out.document == "doc" and out.problems == ["p"] and out.findings == r.findings


def test_text_falls_back_to_the_document_source():
    class Doc:
        source = "The root cause was human error."

    f = Finding("human-error", "blame", "warning", "m", 19, 30)  # no .text
    r = FileResult(path="pm.md", document=Doc(), findings=[f])
    base = build([r])
    assert base.counts == {("pm.md", "human-error", "human error"): 1}


def test_round_trip(tmp_path):
    results = [result("pm.md", finding("r", "a"), finding("r", "a"), finding("s", "b"))]
    write_baseline(tmp_path / "b.json", results, root=Path.cwd())
    loaded = load_baseline(tmp_path / "b.json")
    assert len(loaded) == 3
    assert loaded.filter(results[0]).findings == []


@pytest.mark.parametrize("content,expected", [
    (None, "baseline file not found"),
    ("{", "baseline is not valid JSON"),
    ("[]", "not a blamelint baseline"),
    ('{"version": 2, "findings": []}', "unsupported baseline version 2"),
    ('{"version": 1, "findings": {}}', "'findings' must be a list"),
    ('{"version": 1, "findings": [3]}', "findings entry 1: expected an object"),
    ('{"version": 1, "findings": [{"file": "a", "rule": "r"}]}', "findings entry 1: 'text' must be a string"),
    ('{"version": 1, "findings": [{"file": "a", "rule": "r", "text": "t", "count": 0}]}', "'count' must be a positive"),
    ('{"version": 1, "findings": [{"file": "a", "rule": "r", "text": "t", "count": true}]}', "'count' must be"),
])
def test_bad_baseline_is_one_clear_config_error(tmp_path, content, expected):
    path = tmp_path / "baseline.json"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        load_baseline(path)
    message = str(err.value)
    assert message.startswith(str(path)) and expected in message, message
    assert "\n" not in message


def test_undecodable_baseline(tmp_path):
    path = tmp_path / "baseline.json"
    path.write_bytes(b"\xff\xfe{")
    with pytest.raises(ConfigError, match="cannot read baseline file"):
        load_baseline(path)


# ---------------------------------------------------------------- the real command line

OLD = "# Outage\n\nThe root cause was human error.\n\nObviously the cache was stale.\n"


def blamelint(*args, cwd: Path) -> subprocess.CompletedProcess:
    exe = Path(sys.executable).with_name("blamelint")
    cmd = [str(exe)] if exe.exists() else [sys.executable, "-m", "blamelint"]
    env = {**os.environ, "BLAMELINT_CACHE_DIR": str(cwd / ".cache"), "NO_COLOR": "1"}
    return subprocess.run([*cmd, *args], capture_output=True, text=True, timeout=300, env=env, cwd=cwd)


def test_cli_write_baseline_then_only_new_findings(tmp_path):
    pm = tmp_path / "docs" / "pm.md"
    pm.parent.mkdir()
    pm.write_text(OLD, encoding="utf-8")
    wrote = blamelint("check", "--write-baseline", "baseline.json", "docs", cwd=tmp_path)
    assert wrote.returncode == 0, wrote.stderr
    recorded = json.loads((tmp_path / "baseline.json").read_text(encoding="utf-8"))["findings"]
    total = sum(e["count"] for e in recorded)
    assert total >= 2 and f"Recorded {total} findings in baseline.json" in wrote.stdout
    assert {e["file"] for e in recorded} == {"docs/pm.md"}

    clean = blamelint("check", "--baseline", "baseline.json", "docs", cwd=tmp_path)
    assert clean.returncode == 0, clean.stdout + clean.stderr
    assert "No problems found" in clean.stdout

    # an edit above the old findings moves them; a second "human error" is new and reported
    pm.write_text("# Outage\n\nA new opening paragraph.\n\n" + OLD[len("# Outage\n\n"):]
                  + "\nIt was human error again.\n", encoding="utf-8")
    new = blamelint("check", "--baseline", "baseline.json", "--format", "json", "docs", cwd=tmp_path)
    assert new.returncode == 1, new.stderr
    reported = json.loads(new.stdout)
    assert [(d["rule"], d["line"]) for d in reported] == [("human-error", 9)]


def test_cli_bad_baseline_is_exit_2(tmp_path):
    from click.testing import CliRunner

    from blamelint.cli import main

    (tmp_path / "pm.md").write_text(OLD, encoding="utf-8")
    (tmp_path / "baseline.json").write_text("{oops", encoding="utf-8")
    runner = CliRunner()
    for name, expected in (("baseline.json", "baseline is not valid JSON"), ("missing.json", "baseline file not found")):
        r = runner.invoke(main, ["check", "--baseline", str(tmp_path / name), str(tmp_path / "pm.md")])
        assert r.exit_code == 2, r.output
        assert f"error: {tmp_path / name}" in r.output and expected in r.output
        assert "Traceback" not in r.output


def test_unwritable_baseline_is_an_input_error(tmp_path):
    from blamelint.errors import InputError

    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(InputError, match="cannot write baseline file"):
        write_baseline(blocker / "baseline.json", [])
