"""Faults around `check --fix` and the result cache: a file that changed on disk, a read-only
file, a full disk, Ctrl-C in the middle of a batch, a truncated or garbage cache entry. The
original text is never lost and nothing is left behind."""

from __future__ import annotations

import errno
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from blamelint import engine
from blamelint.cli import main

BLAMING = "# Outage\n\nThe root cause was human error.\n\nObviously the cache was stale.\n"
FIXED = "The cache was stale."


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.rglob("*") if "tmp" in p.name)


def test_a_file_changed_on_disk_while_linted_is_not_overwritten(tmp_path, monkeypatch):
    f = tmp_path / "pm.md"
    f.write_text(BLAMING, encoding="utf-8")
    edited = BLAMING + "\nA paragraph the writer added meanwhile.\n"
    fix_text = engine.fix_text

    def slow_fix(linter, text, path=None, unsafe=False):
        found = fix_text(linter, text, path, unsafe)
        f.write_text(edited, encoding="utf-8")  # the writer saves while blamelint works
        return found

    monkeypatch.setattr(engine, "fix_text", slow_fix)
    r = run("check", "--fix", f)
    assert f.read_text(encoding="utf-8") == edited
    assert "pm.md: not fixed: the file changed on disk while it was being linted" in r.stderr
    assert r.exit_code == 1 and leftovers(tmp_path) == []


def test_a_read_only_file_is_left_alone(tmp_path):
    f = tmp_path / "pm.md"
    f.write_text(BLAMING, encoding="utf-8")
    f.chmod(0o444)
    other = tmp_path / "other.md"
    other.write_text(BLAMING, encoding="utf-8")
    r = run("check", "--fix", f, other)
    assert f.read_text(encoding="utf-8") == BLAMING
    assert FIXED in other.read_text(encoding="utf-8")  # the other file is still fixed
    assert "pm.md: not fixed: the file is read-only" in r.stderr
    assert leftovers(tmp_path) == []


@pytest.mark.parametrize("where", ["mkstemp", "write", "fsync", "replace"])
def test_a_full_disk_or_unwritable_folder_keeps_the_original(tmp_path, monkeypatch, where):
    f = tmp_path / "pm.md"
    f.write_text(BLAMING, encoding="utf-8")
    full = OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
    if where == "mkstemp":
        import tempfile

        monkeypatch.setattr(tempfile, "mkstemp", lambda *a, **k: (_ for _ in ()).throw(
            PermissionError(errno.EACCES, os.strerror(errno.EACCES))))
    elif where == "write":
        real_fdopen = os.fdopen

        class Full:
            def __init__(self, fh):
                self.fh = fh

            def __enter__(self):
                return self

            def __exit__(self, *exc):
                self.fh.close()

            def write(self, data):
                self.fh.write(data[: len(data) // 2])
                raise full

        monkeypatch.setattr(os, "fdopen", lambda fd, *a, **k: Full(real_fdopen(fd, *a, **k)))
    elif where == "fsync":
        monkeypatch.setattr(os, "fsync", lambda fd: (_ for _ in ()).throw(full))
    else:
        monkeypatch.setattr(os, "replace", lambda a, b: (_ for _ in ()).throw(full))
    r = run("check", "--fix", f)
    assert f.read_text(encoding="utf-8") == BLAMING
    assert "pm.md: not fixed: cannot write (" in r.stderr and "the file was left as it was" in r.stderr
    assert "Traceback" not in r.stderr and leftovers(tmp_path) == []


# A real process that gets Ctrl-C (SIGINT) while it writes the second file's fixes.
INTERRUPTED = """
import os, signal, sys, time
signal.signal(signal.SIGINT, signal.default_int_handler)  # a background shell may start us with Ctrl-C ignored
calls = []
fsync = os.fsync
def interrupted_fsync(fd):
    calls.append(fd)
    if len(calls) == 2:
        os.kill(os.getpid(), signal.SIGINT)
        time.sleep(5)
    fsync(fd)
os.fsync = interrupted_fsync
from blamelint.cli import main
sys.argv[0] = "blamelint"
main()
"""


def test_ctrl_c_mid_batch_leaves_no_temp_files(tmp_path):
    files = []
    for name in ("a.md", "b.md", "c.md"):
        (tmp_path / name).write_text(BLAMING, encoding="utf-8")
        files.append(tmp_path / name)
    proc = subprocess.run([sys.executable, "-c", INTERRUPTED, "check", "--fix", "--no-cache", *map(str, files)],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 130, proc.stderr
    assert "interrupted" in proc.stderr and "Traceback" not in proc.stderr
    assert leftovers(tmp_path) == []
    texts = [f.read_text(encoding="utf-8") for f in files]
    assert FIXED in texts[0] and "human error" not in texts[0]  # done before Ctrl-C
    assert texts[1:] == [BLAMING, BLAMING]  # untouched: never half-written


def test_ctrl_c_while_writing_the_cache_leaves_no_temp_file(tmp_path, monkeypatch):
    from blamelint import cache as cache_mod
    from blamelint.findings import FileResult

    def interrupt(a, b):
        raise KeyboardInterrupt

    monkeypatch.setattr(cache_mod.os, "replace", interrupt)
    store = cache_mod.ResultCache(tmp_path)
    linter = engine.linter_for(None)
    with pytest.raises(KeyboardInterrupt):
        store.put("text", "pm.md", linter, FileResult(path="pm.md"))
    assert leftovers(tmp_path) == []


def test_truncated_or_garbage_cache_entries_are_rebuilt(tmp_path):
    pm = tmp_path / "pm.md"
    pm.write_text(BLAMING, encoding="utf-8")
    cache_dir = tmp_path / "cache"
    env = {**os.environ, "BLAMELINT_CACHE_DIR": str(cache_dir)}
    cmd = [sys.executable, "-m", "blamelint", "check", "--format", "json", str(pm)]
    first = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=300)
    entries = [p for p in cache_dir.rglob("*.json")]
    assert first.returncode == 1 and entries
    damage = [lambda b: b[: len(b) // 2], lambda b: b"\x00garbage\xff",
              lambda b: b.replace(b'"start":', b'"start":9999999', 1)]  # valid JSON, a finding outside the text
    for damaged in damage:
        for entry in entries:
            entry.write_bytes(damaged(entry.read_bytes()))
        again = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=300)
        assert again.returncode == 1 and "Traceback" not in again.stderr
        assert json.loads(again.stdout) == json.loads(first.stdout)
        for entry in cache_dir.rglob("*.json"):  # rebuilt, readable again
            assert json.loads(entry.read_bytes())["version"] == 1
