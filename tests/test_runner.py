"""File discovery and parallel linting (`check -j N`), through the real CLI."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from blamelint import runner

ROOT = Path(__file__).resolve().parents[1]
LABELED = ROOT / "corpus" / "labeled"


def _check(*args, cwd=ROOT):
    return subprocess.run([sys.executable, "-m", "blamelint", "check", "--no-color", *args],
                          capture_output=True, text=True, cwd=cwd, timeout=600)


def test_parallel_output_is_identical_and_in_order(tmp_path):
    files = sorted(LABELED.glob("*.md"))[:6]
    for f in files:
        (tmp_path / f.name).write_text(f.read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "bad.md").write_bytes(b"caf\xe9 latin-1\n")
    one = _check("--format", "json", "-j", "1", str(tmp_path))
    two = _check("--format", "json", "-j", "2", str(tmp_path))
    assert one.returncode == two.returncode == 1
    assert one.stdout == two.stdout
    assert "not valid UTF-8" in two.stderr and "Traceback" not in two.stderr
    text = _check("-j", "2", str(tmp_path))
    order = [line.split(":", 1)[0] for line in text.stdout.splitlines() if line.startswith(str(tmp_path))]
    assert order == sorted(order, key=lambda p: sorted(str(tmp_path / f.name) for f in files).index(p))


def test_jobs_zero_means_all_cores_and_negative_is_an_error(tmp_path):
    (tmp_path / "a.md").write_text("# Incident\n\nThe cache expired.\n", encoding="utf-8")
    assert _check("-j", "0", str(tmp_path)).returncode in (0, 1)
    bad = _check("-j", "-3", str(tmp_path))
    assert bad.returncode == 2 and "-j/--jobs" in bad.stderr


def _ctrl_c_default():
    """A test run started in the background by a shell inherits Ctrl-C ignored; the child must not."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def test_ctrl_c_stops_workers_cleanly(tmp_path):
    text = "\n\n".join(f.read_text(encoding="utf-8") for f in sorted(LABELED.glob("*.md")))
    for i in range(8):
        (tmp_path / f"doc{i}.md").write_text(text.replace("# ", f"# ({i}) ", 1), encoding="utf-8")
    proc = subprocess.Popen([sys.executable, "-m", "blamelint", "check", "-j", "2", "--no-cache", str(tmp_path)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT,
                            preexec_fn=_ctrl_c_default)
    time.sleep(4)
    children = _children(proc.pid)
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    assert "interrupted" in err and "Traceback" not in err
    time.sleep(0.5)
    assert not [pid for pid in children if _alive(pid)]


def _children(pid: int) -> list[int]:
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as fh:
            return [int(p) for p in fh.read().split()]
    except OSError:
        return []


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().split(")")[-1].split()[0] != "Z"
    except OSError:
        return False


def test_collect_reports_symlink_loops_and_skips_hidden_dirs(tmp_path):
    (tmp_path / "a.md").write_text("x", encoding="utf-8")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "b.md").write_text("x", encoding="utf-8")
    (tmp_path / "node_modules").mkdir()
    (tmp_path / "node_modules" / "c.md").write_text("x", encoding="utf-8")
    os.symlink(tmp_path / "loop2.md", tmp_path / "loop1.md")
    os.symlink(tmp_path / "loop1.md", tmp_path / "loop2.md")
    os.symlink(tmp_path, tmp_path / "self")  # a directory loop is not followed
    errors: list = []
    files = runner.collect([str(tmp_path)], errors)
    assert files == [tmp_path / "a.md"]
    assert sorted(reason for _, reason in errors) == ["symlink loop, not linted"] * 2


def test_fix_says_what_it_changed(tmp_path):
    doc = tmp_path / "a.md"
    doc.write_text("# Incident\n\nThe root cause was human error.\n\nWe obviously missed it.\n", encoding="utf-8")
    run = _check("--fix", str(doc))
    assert "Applied 2 fixes in 1 file; 1 problem left to rewrite by hand." in run.stderr
    assert "human error" not in doc.read_text(encoding="utf-8")
    again = _check("--fix", str(doc))
    assert "Applied 0 fixes in 0 files; 1 problem left" in again.stderr
