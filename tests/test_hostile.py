"""Reliability: one file blamelint fails on never sinks a batch, and inputs of any accepted size
or shape lint (huge paragraphs are split, with exact positions). The full-size hostile files
are timed by bench/hostile.py; here they run at a small scale."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

from blamelint import document
from blamelint.analysis import nlp
from blamelint.config import Config
from blamelint.document import long_blocks
from blamelint.engine import linter_for

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

import hostile  # noqa: E402

SAMPLE = ROOT / "corpus" / "sample" / "2024-01-15-connection-pool-exhaustion.md"
SARIF_SCHEMA = json.loads((Path(__file__).with_name("data") / "sarif-schema-2.1.0.json").read_text())

# Runs the real CLI with document.parse made to fail on any text holding the word BOOM: a
# stand-in for a bug blamelint does not know about yet.
FAULTY = """
import sys
import blamelint.document as d
parse = d.parse
def failing(text, *args, **kwargs):
    if "BOOM" in text:
        raise RuntimeError("injected fault\\nsecond line")
    return parse(text, *args, **kwargs)
d.parse = failing
from blamelint.cli import main
sys.argv[0] = "blamelint"
main()
"""


def run(*args, env=None, cwd=ROOT):
    return subprocess.run([sys.executable, "-c", FAULTY, *map(str, args)], capture_output=True, text=True,
                          cwd=cwd, env={**os.environ, **(env or {})}, timeout=600)


@pytest.fixture(scope="module")
def archive(tmp_path_factory):
    """Ordinary post-mortems, small-scale hostile files and one file blamelint fails on."""
    root = tmp_path_factory.mktemp("archive")
    (root / "a-sample.md").write_text(SAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    (root / "b-boom.md").write_text("# Outage\n\nBOOM: the parser breaks here.\n", encoding="utf-8")
    (root / "c-plain.md").write_text("# Outage\n\nPriya forgot to renew the certificate.\n", encoding="utf-8")
    for name in hostile.FILES:
        (root / f"h-{name}.md").write_text(hostile.make(name, 0.005), encoding="utf-8")
    return root


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_failing_file_never_sinks_the_batch(archive, jobs):
    proc = run("check", "--no-cache", "-j", jobs, "--format", "json", archive)
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr
    records = json.loads(proc.stdout)
    by_file = {}
    for r in records:
        by_file.setdefault(Path(r["path"]).name, []).append(r)
    assert {"a-sample.md", "c-plain.md", "h-long-line.md", "h-table.md"} <= set(by_file)
    failed = by_file["b-boom.md"]
    assert [(r["rule"], r["severity"], r["line"], r["column"]) for r in failed] == [("internal-error", "error", 1, 1)]
    assert failed[0]["message"] == "internal error: RuntimeError: injected fault second line; please report"
    errors = [line for line in proc.stderr.splitlines() if "internal error" in line]
    assert errors == [f"error: {archive / 'b-boom.md'}: internal error: RuntimeError: injected fault second line; "
                      "please report"]
    # every other file: the same findings as when linted alone
    alone = json.loads(run("check", "--no-cache", "--format", "json", archive / "a-sample.md").stdout)
    assert [(r["rule"], r["line"], r["column"]) for r in by_file["a-sample.md"]] == \
        [(r["rule"], r["line"], r["column"]) for r in alone]


@pytest.fixture
def faulty(monkeypatch):
    """The CLI in this process, with the same fault as FAULTY (for the cases one real process covers)."""
    from click.testing import CliRunner

    from blamelint.cli import main

    parse = document.parse

    def failing(text, *args, **kwargs):
        if "BOOM" in text:
            raise RuntimeError("injected fault\nsecond line")
        return parse(text, *args, **kwargs)

    monkeypatch.setattr(document, "parse", failing)
    monkeypatch.setenv("BLAMELINT_DEBUG", "")  # restored after the test, whatever --debug sets
    return lambda *args, input=None: CliRunner().invoke(main, [str(a) for a in args], input=input)


def test_fix_and_stdin_go_on_past_a_failing_file(tmp_path, faulty):
    boom = tmp_path / "boom.md"
    boom.write_text("# Outage\n\nBOOM. Obviously the cache was stale.\n", encoding="utf-8")
    good = tmp_path / "good.md"
    good.write_text("# Outage\n\nObviously the cache was stale.\n", encoding="utf-8")
    proc = faulty("check", "--fix", boom, good)
    assert proc.exit_code == 2 and "boom.md: internal error: RuntimeError" in proc.stderr
    assert boom.read_text(encoding="utf-8") == "# Outage\n\nBOOM. Obviously the cache was stale.\n"
    assert good.read_text(encoding="utf-8") == "# Outage\n\nThe cache was stale.\n"
    proc = faulty("check", "--format", "json", "--stdin-filename", "pm.md", "-", input="BOOM\n")
    assert proc.exit_code == 2 and "pm.md: internal error: RuntimeError" in proc.stderr
    assert [r["rule"] for r in json.loads(proc.stdout)] == ["internal-error"]


# A worker process that dies (killed, out of memory) on a file holding the word DIE; the parent
# process lints it fine.
DYING = """
import os, sys
import blamelint.document as d
parent, parse = os.getpid(), d.parse
def dying(text, *args, **kwargs):
    if "DIE" in text and os.getpid() != parent:
        os._exit(9)
    return parse(text, *args, **kwargs)
d.parse = dying
from blamelint.cli import main
sys.argv[0] = "blamelint"
main()
"""


def test_a_dead_worker_hands_its_files_back(tmp_path):
    for name, text in (("a.md", "# A\n\nIt was human error.\n"), ("b.md", "# B\n\nDIE. Obviously it broke.\n"),
                       ("c.md", "# C\n\nPriya forgot to renew the certificate.\n")):
        (tmp_path / name).write_text(text, encoding="utf-8")
    proc = subprocess.run([sys.executable, "-c", DYING, "check", "--no-cache", "-j", "2", "--format", "json",
                           str(tmp_path)], capture_output=True, text=True, timeout=600)
    assert proc.returncode == 1, proc.stderr
    assert "Traceback" not in proc.stderr
    rules = {(Path(r["path"]).name, r["rule"]) for r in json.loads(proc.stdout)}
    assert {("a.md", "human-error"), ("b.md", "hindsight-adverb"), ("c.md", "named-individual")} <= rules


@pytest.mark.parametrize("fmt", ["sarif", "github", "rdjson", "text"])
def test_every_format_reports_the_failure(archive, fmt, faulty):
    proc = faulty("check", "--no-cache", "--format", fmt, archive)
    assert proc.exit_code == 2 and "Traceback" not in proc.stderr
    assert "b-boom.md: internal error: RuntimeError" in proc.stderr
    out = proc.stdout
    if fmt == "sarif":
        log = json.loads(out)
        jsonschema.validate(log, SARIF_SCHEMA)
        invocation = log["runs"][0]["invocations"][0]
        assert invocation["executionSuccessful"] is False
        notes = invocation["toolExecutionNotifications"]
        assert any(n["level"] == "error" and "internal error: RuntimeError" in n["message"]["text"]
                   and n["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].endswith("b-boom.md")
                   for n in notes)
        assert "internal-error" not in {r["ruleId"] for r in log["runs"][0]["results"]}
        assert {"human-error", "named-individual"} <= {r["ruleId"] for r in log["runs"][0]["results"]}
    elif fmt == "github":
        assert any(line.startswith("::error file=") and "b-boom.md" in line and "internal-error" in line
                   for line in out.splitlines())
    elif fmt == "rdjson":
        diags = json.loads(out)["diagnostics"]
        assert any(d["code"]["value"] == "internal-error" and d["severity"] == "ERROR" for d in diags)
    else:
        assert "1 file could not be linted" in out


def test_debug_shows_the_traceback(archive, faulty):
    proc = run("check", "--no-cache", archive / "b-boom.md", archive / "c-plain.md", env={"BLAMELINT_DEBUG": "1"})
    assert proc.returncode == 1
    assert "Traceback" in proc.stderr and "RuntimeError: injected fault" in proc.stderr
    proc = faulty("check", "--no-cache", "--debug", archive / "b-boom.md", archive / "c-plain.md")
    assert isinstance(proc.exception, RuntimeError) and "injected fault" in str(proc.exception)


def test_report_and_eval_go_on_past_a_failing_file(archive, tmp_path):
    out = tmp_path / "report.json"
    proc = run("report", "--no-cache", "-j", "1", "--format", "json", "-o", out, "--today", "2025-01-01",
               SAMPLE, archive / "b-boom.md", archive / "c-plain.md")
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr and "b-boom.md: internal error: RuntimeError" in proc.stderr
    data = json.loads(out.read_text())
    assert [d["path"] for d in data["documents"]] == [str(SAMPLE)]
    assert any(s["path"].endswith("b-boom.md") and "internal error" in s["reason"] for s in data["skipped"])

    labeled = tmp_path / "labeled"
    labeled.mkdir()
    (labeled / "ok.md").write_text("# X\n\nThe root cause was human error.\n", encoding="utf-8")
    (labeled / "boom.md").write_text("# X\n\nBOOM\n", encoding="utf-8")
    proc = run("eval", "--no-fixes", "--format", "json", labeled)
    assert proc.returncode == 2 and "boom.md: internal error" in proc.stderr and "Traceback" not in proc.stderr
    result = json.loads(proc.stdout)
    assert result["documents"] == 1 and result["failed"][0]["path"].endswith("boom.md")


@pytest.mark.parametrize("name", list(hostile.FILES))
def test_each_hostile_file_lints_alone(name, tmp_path, faulty):
    path = tmp_path / f"{name}.md"
    path.write_text(hostile.make(name, 0.01), encoding="utf-8")
    proc = faulty("check", "--no-cache", "--format", "json", path)
    assert proc.exit_code in (0, 1), proc.stderr
    lines = path.read_text(encoding="utf-8").split("\n")
    for r in json.loads(proc.stdout):  # every finding's text is the source at its position
        if r["line"] == r["end_line"]:
            assert lines[r["line"] - 1][r["column"] - 1:r["end_column"] - 1] == r["text"], r


def test_a_paragraph_over_the_models_limit_lints():
    words = "the pool was full and the queue grew "
    text = "# Title\n\n" + words * (1_050_000 // len(words)) + "\nJohn forgot the alerts.\n"
    result = linter_for(Config()).lint_text(text, "big.md", once=True)
    assert not result.problems
    assert [f.text for f in result.findings if f.rule == "named-individual"] == ["John"]


# --- splitting, exactly ---------------------------------------------------------------------


SENTENCES = ("The cache was cold. John forgot to renew the certificate. Obviously the pool was too small. "
             "We need to be more careful. ")


def _keys(result):
    return sorted((f.rule, f.start, f.end, f.text) for f in result.findings)


def test_long_blocks_are_split_with_exact_positions(monkeypatch):
    text = ("# Outage\n\n" + SENTENCES * 30 + "\n\n- item " + "word " * 400 + "\n\n"
            + "x" * 1500 + " tail\n\n| a | b |\n|---|---|\n| " + SENTENCES * 8 + " | c |\n")
    linter = linter_for(Config())
    whole = linter.lint_text(text, "doc.md")
    monkeypatch.setattr(long_blocks, "MAX_BLOCK_CHARS", 600)
    doc = document.parse(text, "doc.md")
    assert max(len(b.text) for b in doc.blocks) <= 600
    for b in doc.blocks:  # every prose character maps back to the same character of the source
        for i in range(0, len(b.text), 7):
            a, z = b.source_span(i, i + 1)
            assert text[a:z] == b.text[i], (b.text[i - 5:i + 5], text[a - 5:z + 5])
    assert [b.kind for b in doc.blocks if b.kind == "list_item"] == ["list_item"]  # one item, not several
    split = linter.lint_text(text, "doc.md")
    assert all(text[f.start:f.end] == f.text for f in split.findings)
    # the pieces end at sentence ends, so every sentence's findings stay where they were
    assert _keys(split) == _keys(whole)


@pytest.mark.parametrize("text,same_tokens", [
    ("word " * 2000, True),
    ("a line of the log\n" * 500, True),
    (("mixed  spacing\n  and lines " * 300) + "end.", True),
    ("x" * 7000 + " y", False),  # no whitespace to split at: cut, so the blob's tokens differ
], ids=["words", "lines", "mixed-whitespace", "blob"])
def test_pieces_are_bounded_and_join_back(text, same_tokens, monkeypatch):
    monkeypatch.setattr(nlp, "MAX_PIECE_CHARS", 500)
    parts = nlp.pieces(text)
    assert len(parts) > 1 and all(len(p) <= 500 for p, _ in parts)
    assert "".join(p + " " * spaced for p, spaced in parts) == nlp.mask_timestamp(text)
    if same_tokens:
        light = linter_for(Config()).analyzer.light
        assert [t.text for p, _ in parts for t in light.make_doc(p)] == [t.text for t in light.make_doc(text)]
