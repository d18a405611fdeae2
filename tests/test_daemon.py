"""`blamelint daemon`: `check` goes to a running daemon and gives exactly what it gives without one."""

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="the daemon needs Unix sockets")

BLAMING = "# Outage\n\nDana forgot to renew the certificate. We need to be more careful.\n"


def blamelint(*args, env, cwd=None, input=None):
    return subprocess.run([sys.executable, "-m", "blamelint", *args], env=env, cwd=cwd, input=input,
                          capture_output=True, text=True, timeout=180)


@pytest.fixture
def env(tmp_path_factory):
    runtime = tmp_path_factory.mktemp("rt")
    e = {**os.environ, "XDG_RUNTIME_DIR": str(runtime), "BLAMELINT_CACHE_DIR": str(runtime / "cache")}
    e.pop("BLAMELINT_NO_DAEMON", None)
    e.pop("NO_COLOR", None)
    yield e
    blamelint("daemon", "stop", env=e)


def served(env) -> int:
    out = blamelint("daemon", "status", env=env).stdout
    return int(out.split(", ")[1].split()[0]) if "running" in out else -1


def test_check_through_the_daemon_is_the_same_as_without(env, tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "pm.md").write_text(BLAMING, encoding="utf-8")
    (docs / ".blamelint.yaml").write_text("ignore: [vague-action]\n", encoding="utf-8")
    alone = {**env, "BLAMELINT_NO_DAEMON": "1"}
    expected = [blamelint("check", "--format", "json", "pm.md", env=alone, cwd=docs),
                blamelint("check", "pm.md", env=alone, cwd=docs),
                blamelint("check", "--stdin-filename", "pm.md", "-", env=alone, cwd=docs, input=BLAMING),
                blamelint("check", "missing.md", env=alone, cwd=docs)]
    assert blamelint("daemon", "status", env=env).returncode == 1
    started = blamelint("daemon", "start", env=env)
    assert started.returncode == 0, started.stderr
    assert served(env) == 0
    got = [blamelint("check", "--format", "json", "pm.md", env=env, cwd=docs),  # relative to this folder
           blamelint("check", "pm.md", env=env, cwd=docs),
           blamelint("check", "--stdin-filename", "pm.md", "-", env=env, cwd=docs, input=BLAMING),
           blamelint("check", "missing.md", env=env, cwd=docs)]
    assert served(env) == 4  # every check went to the daemon
    for want, have in zip(expected, got, strict=True):
        assert (have.returncode, have.stdout, have.stderr) == (want.returncode, want.stdout, want.stderr)
    assert "vague-action" not in got[0].stdout and "forgot" in got[0].stdout  # the folder's config applied
    assert got[3].returncode == 2


def test_fix_through_the_daemon_writes_the_file(env, tmp_path):
    a, b = tmp_path / "a.md", tmp_path / "b.md"
    text = "# Outage\n\nClearly, the cache was stale.\n"
    a.write_text(text, encoding="utf-8")
    b.write_text(text, encoding="utf-8")
    blamelint("check", "--fix", str(a), env={**env, "BLAMELINT_NO_DAEMON": "1"})
    assert blamelint("daemon", "start", env=env).returncode == 0
    blamelint("check", "--fix", str(b), env=env)
    assert served(env) == 1
    assert b.read_text(encoding="utf-8") == a.read_text(encoding="utf-8") != text


def test_a_daemon_out_of_date_stops_and_check_runs_without_it(env, tmp_path):
    from blamelint.cli import daemon

    assert blamelint("daemon", "start", env=env).returncode == 0
    path = Path(env["XDG_RUNTIME_DIR"]) / f"blamelint-{os.getuid()}" / f"daemon-{daemon.__version__}.sock"
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:  # a client of another version
        sock.connect(str(path))
        daemon._send(sock, {"version": "0.0.0", "argv": ["check"], "cwd": str(tmp_path), "env": {}})
        assert daemon._recv(sock) == {"stale": True}
    for _ in range(50):
        if blamelint("daemon", "status", env=env).returncode == 1:
            break
    assert "no blamelint daemon running" in blamelint("daemon", "status", env=env).stdout
    f = tmp_path / "pm.md"
    f.write_text(BLAMING, encoding="utf-8")
    r = blamelint("check", str(f), env=env)
    assert r.returncode == 1 and "forgot" in r.stdout


def test_stop_and_start_twice(env):
    assert blamelint("daemon", "start", env=env).returncode == 0
    again = blamelint("daemon", "start", env=env)
    assert again.returncode == 0 and "already running" in again.stdout
    assert "stopped" in blamelint("daemon", "stop", env=env).stdout
    assert "no blamelint daemon running" in blamelint("daemon", "stop", env=env).stdout
