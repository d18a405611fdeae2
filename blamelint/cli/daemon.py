"""`blamelint daemon`: an opt-in background process that keeps the model loaded, so `blamelint
check` from pre-commit or a script answers without paying for spaCy's import and load each time
(the way dmypy and eslint_d work).

`check` looks for a running daemon before importing anything heavy (`forward`): when one is
listening on this user's socket for this version, the command line, working directory, relevant
environment and stdin go to it and its output and exit code come back; otherwise `check` runs
in-process as usual. The daemon serves one request at a time, runs `check` exactly as the
command line would, stops after --idle-timeout seconds without a request, and stops itself
(the client then runs in-process) when blamelint's own code changed under it. Unix only.
"""

from __future__ import annotations

import base64
import json
import os
import socket
import struct
import sys
import tempfile
import time
from pathlib import Path

import click

from blamelint import __version__

ENV_KEYS = ("NO_COLOR", "BLAMELINT_DEBUG", "BLAMELINT_CACHE_DIR", "CI", "GITHUB_ACTIONS", "COLUMNS")
DISABLE = "BLAMELINT_NO_DAEMON"


def folder() -> Path:
    """This user's folder for the socket, readable by them alone."""
    base = os.environ.get("XDG_RUNTIME_DIR") or tempfile.gettempdir()
    return Path(base) / f"blamelint-{os.getuid()}"


def socket_path() -> Path:
    return folder() / f"daemon-{__version__}.sock"


# ------------------------------------------------------------------ the wire: length-prefixed JSON


def _send(sock: socket.socket, message: dict) -> None:
    data = json.dumps(message).encode("utf-8")
    sock.sendall(struct.pack("!I", len(data)) + data)


def _recv(sock: socket.socket) -> dict | None:
    head = _read(sock, 4)
    if head is None:
        return None
    body = _read(sock, struct.unpack("!I", head)[0])
    return None if body is None else json.loads(body.decode("utf-8"))


def _read(sock: socket.socket, size: int) -> bytes | None:
    chunks, left = [], size
    while left:
        chunk = sock.recv(min(left, 1 << 20))
        if not chunk:
            return None
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


# ------------------------------------------------------------------ the client side


def _connect(timeout: float | None = None) -> socket.socket | None:
    path = socket_path()
    if not path.exists():
        return None
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.settimeout(timeout)
    try:
        sock.connect(str(path))
    except OSError:
        sock.close()
        return None
    return sock


def forward(argv: list[str]) -> int | None:
    """Run `blamelint ARGV` (a `check`) in a running daemon: its exit code, or None when there is
    no usable daemon (the caller then runs the command itself)."""
    if os.environ.get(DISABLE) or sys.platform == "win32":
        return None
    sock = _connect()
    if sock is None:
        return None
    args = list(argv)
    if sys.stdout.isatty() and "NO_COLOR" not in os.environ and not {"--color", "--no-color"} & set(args):
        args.insert(1, "--color")  # the daemon's output is not a terminal: say what this one is
    stdin = None
    if ("-" in args or any(a.startswith("--stdin-filename") for a in args)) and not sys.stdin.isatty():
        stdin = _b64(sys.stdin.buffer.read())
    request = {"version": __version__, "argv": args, "cwd": os.getcwd(), "stdin": stdin,
               "env": {k: os.environ[k] for k in ENV_KEYS if k in os.environ}}
    try:
        with sock:
            _send(sock, request)
            reply = _recv(sock)
    except OSError:
        reply = None
    if not reply or "code" not in reply:
        if stdin is not None:  # stdin is spent: the in-process run could not read it again
            sys.stderr.write("error: the blamelint daemon did not answer; run again (or set BLAMELINT_NO_DAEMON=1)\n")
            return 2
        return None
    sys.stdout.buffer.write(base64.b64decode(reply["stdout"]))
    sys.stdout.flush()
    sys.stderr.buffer.write(base64.b64decode(reply["stderr"]))
    sys.stderr.flush()
    return int(reply["code"])


def _ask(command: str, timeout: float = 5.0) -> dict | None:
    sock = _connect(timeout)
    if sock is None:
        return None
    try:
        with sock:
            _send(sock, {"version": __version__, "command": command})
            return _recv(sock)
    except OSError:
        return None


# ------------------------------------------------------------------ the daemon side


def _code_stamp() -> float:
    package = Path(__file__).resolve().parents[1]
    return max((p.stat().st_mtime for p in package.rglob("*.py")), default=0.0)


class _Captured:
    """stdout/stderr/stdin of one request, in memory (click writes to sys.stdout at call time)."""

    def __init__(self, stdin: bytes | None):
        import io

        self.out, self.err = io.BytesIO(), io.BytesIO()
        self.streams = (io.TextIOWrapper(self.out, encoding="utf-8", write_through=True),
                        io.TextIOWrapper(self.err, encoding="utf-8", write_through=True),
                        io.TextIOWrapper(io.BytesIO(stdin or b""), encoding="utf-8"))

    def __enter__(self):
        self.saved = sys.stdout, sys.stderr, sys.stdin
        sys.stdout, sys.stderr, sys.stdin = self.streams
        return self

    def __exit__(self, *exc):
        for s in self.streams[:2]:
            s.flush()
        sys.stdout, sys.stderr, sys.stdin = self.saved


def _run_check(request: dict) -> dict:
    from blamelint.cli import main

    argv = request["argv"]
    if not argv or argv[0] != "check":
        return {"code": 2, "stdout": "", "stderr": _b64(b"error: the daemon runs `check` only\n")}
    saved_env = {k: os.environ.get(k) for k in ENV_KEYS}
    saved_cwd = os.getcwd()
    stdin = base64.b64decode(request["stdin"]) if request.get("stdin") else None
    try:
        os.chdir(request["cwd"])
        for k in ENV_KEYS:
            if k in request["env"]:
                os.environ[k] = request["env"][k]
            else:
                os.environ.pop(k, None)
        with _Captured(stdin) as io_:
            try:
                main.main(args=argv, prog_name="blamelint", standalone_mode=True)
                code = 0
            except SystemExit as exc:
                code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 2)
            except Exception as exc:  # noqa: BLE001 - a bug must not take the daemon down
                sys.stderr.write(f"error: internal error in the blamelint daemon: {type(exc).__name__}: {exc}\n")
                code = 2
        return {"code": code, "stdout": _b64(io_.out.getvalue()), "stderr": _b64(io_.err.getvalue())}
    finally:
        os.chdir(saved_cwd)
        for k, v in saved_env.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def serve(idle_timeout: float) -> None:
    """Listen on this user's socket until stopped, idle for idle_timeout seconds, or out of date."""
    import select

    from blamelint.analysis.nlp import load

    here = folder()
    here.mkdir(mode=0o700, parents=True, exist_ok=True)
    if here.stat().st_uid != os.getuid() or here.stat().st_mode & 0o077:
        raise click.ClickException(f"{here}: must belong to you alone (mode 700)")
    path = socket_path()
    if _ask("status", timeout=1.0) is not None:
        raise click.ClickException(f"a daemon is already running on {path}")
    path.unlink(missing_ok=True)
    load(None)  # the default pipeline, loaded once; a config's own model loads on first use
    stamp, served, started = _code_stamp(), 0, time.time()
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(str(path))
    os.chmod(path, 0o600)
    server.listen(8)
    last = time.monotonic()
    try:
        while True:
            ready, _, _ = select.select([server], [], [], 1.0)
            if not ready:
                if time.monotonic() - last > idle_timeout or not path.exists():
                    return
                continue
            conn, _ = server.accept()
            last = time.monotonic()
            with conn:
                try:
                    request = _recv(conn)
                except (OSError, ValueError):
                    continue
                if not request:
                    continue
                command = request.get("command")
                if request.get("version") != __version__ or _code_stamp() != stamp:
                    _send(conn, {"stale": True})  # the client runs in-process; a new daemon loads the new code
                    return
                if command == "status":
                    _send(conn, {"pid": os.getpid(), "version": __version__, "served": served,
                                 "uptime": round(time.time() - started), "python": sys.executable})
                elif command == "stop":
                    _send(conn, {"stopped": True})
                    return
                else:
                    reply = _run_check(request)
                    served += 1
                    try:
                        _send(conn, reply)
                    except OSError:
                        pass
    finally:
        server.close()
        if path.exists():
            path.unlink(missing_ok=True)


# ------------------------------------------------------------------ the commands


@click.group("daemon")
def daemon():
    """Keep the model loaded in a background process that `blamelint check` reuses (opt-in).

    Useful for pre-commit and scripts that run `check` often on a few files: each run then
    skips spaCy's import and model load. BLAMELINT_NO_DAEMON=1 makes `check` ignore it."""


@daemon.command("start")
@click.option("--idle-timeout", type=float, default=3600, show_default=True,
              help="Stop after this many seconds without a request.")
def start(idle_timeout):
    """Start the daemon in the background and wait until it answers."""
    if sys.platform == "win32":
        raise click.ClickException("the daemon needs Unix sockets (not available on Windows)")
    running = _ask("status", timeout=1.0)
    if running and "pid" in running:
        click.echo(f"blamelint daemon already running (pid {running['pid']})")
        return
    import subprocess

    folder().mkdir(mode=0o700, parents=True, exist_ok=True)
    log = folder() / f"daemon-{__version__}.log"
    with open(log, "ab") as out:
        proc = subprocess.Popen([sys.executable, "-m", "blamelint", "daemon", "run", "--idle-timeout",
                                 str(idle_timeout)], stdin=subprocess.DEVNULL, stdout=out, stderr=out,
                                start_new_session=True, cwd="/")
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        status = _ask("status", timeout=1.0)
        if status and "pid" in status:
            click.echo(f"blamelint daemon started (pid {status['pid']}, socket {socket_path()})")
            return
        if proc.poll() is not None:
            raise click.ClickException(f"the daemon exited with {proc.returncode}; see {log}")
        time.sleep(0.1)
    proc.kill()
    raise click.ClickException(f"the daemon did not answer within 120 s; see {log}")


@daemon.command("run")
@click.option("--idle-timeout", type=float, default=3600, show_default=True,
              help="Stop after this many seconds without a request.")
def run(idle_timeout):
    """Run the daemon in the foreground (for a service manager)."""
    serve(idle_timeout)


@daemon.command("stop")
def stop():
    """Stop the running daemon."""
    reply = _ask("stop")
    click.echo("blamelint daemon stopped" if reply else "no blamelint daemon running")


@daemon.command("status")
def status():
    """Say whether a daemon is running, and how many checks it served."""
    reply = _ask("status")
    if not reply or "pid" not in reply:
        click.echo("no blamelint daemon running")
        sys.exit(1)
    click.echo(f"blamelint daemon {reply['version']} running: pid {reply['pid']}, {reply['served']} checks served, "
               f"up {reply['uptime']} s, socket {socket_path()}")
