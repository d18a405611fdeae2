"""Robustness of the real `blamelint lsp` server over stdio, driven by a raw JSON-RPC client
(some cases need bytes that no LSP client library sends).

One server process serves the whole module (it loads the spaCy model once). The tests run in
file order and share it; it must never exit until the last test shuts it down.
"""

import itertools
import json
import os
import random
import re
import subprocess
import sys
import threading
import time

import pytest
from lsprotocol import types as T

from blamelint.document import Document
from blamelint.server import BlamelintServer
from blamelint.server.convert import apply_change, lsp_position, source_offset, text_offset

MARKER = "XYZZY-FAULT"  # the server's lint raises on a text containing it (see SERVER)
# The real server, with the engine made to fail on a text holding MARKER: a stand-in for a bug
# blamelint does not know about yet.
SERVER = f"""
import sys
from blamelint import engine
lint_text = engine.Linter.lint_text
def failing(self, text, *args, **kwargs):
    if {MARKER!r} in text:
        raise RuntimeError("fault injected")
    return lint_text(self, text, *args, **kwargs)
engine.Linter.lint_text = failing
from blamelint.cli import main
sys.argv[0] = "blamelint"
main(["lsp"])
"""
PM = "# Outage\n\nObviously the cache was stale.\n\nIt was human error.\n"
GB = 1024**3


class Client:
    """Content-Length framing over the server's stdin/stdout; a thread reads what it sends."""

    def __init__(self, cwd, env, stderr):
        self.proc = subprocess.Popen([sys.executable, "-c", SERVER], cwd=cwd, env=env,
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=stderr)
        self.cond = threading.Condition()
        self.write_lock = threading.Lock()
        self.ids = itertools.count(1)
        self.responses: dict = {}
        self.notifications: list[dict] = []
        self.diagnostics: dict[str, dict] = {}  # uri → the last publishDiagnostics params
        self.versions: dict[str, list] = {}  # uri → the version of each publish, in order
        self.eof = False
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        out = self.proc.stdout
        try:
            while True:
                length = None
                while True:
                    line = out.readline()
                    if not line:
                        return
                    if not line.strip():
                        break
                    name, _, value = line.decode("ascii").partition(":")
                    if name.strip().lower() == "content-length":
                        length = int(value)
                self._dispatch(json.loads(out.read(length)))
        finally:
            with self.cond:
                self.eof = True
                self.cond.notify_all()

    def _dispatch(self, msg):
        if "method" in msg and "id" in msg:  # a request from the server (registration, refresh)
            self.send({"jsonrpc": "2.0", "id": msg["id"], "result": None})
            return
        with self.cond:
            if "id" in msg:
                self.responses[msg["id"]] = msg
            else:
                self.notifications.append(msg)
                if msg["method"] == "textDocument/publishDiagnostics":
                    p = msg["params"]
                    self.diagnostics[p["uri"]] = p
                    self.versions.setdefault(p["uri"], []).append(p.get("version"))
            self.cond.notify_all()

    def send_raw(self, body: bytes, length: int | None = None):
        header = f"Content-Length: {len(body) if length is None else length}\r\n\r\n".encode("ascii")
        with self.write_lock:
            self.proc.stdin.write(header + body)
            self.proc.stdin.flush()

    def send(self, msg):
        self.send_raw(json.dumps(msg).encode("utf-8"))

    def notify(self, method, params):
        self.send({"jsonrpc": "2.0", "method": method, "params": params})

    def request(self, method, params, timeout=60.0) -> dict:
        """The whole response message (with "result" or "error")."""
        msg_id = next(self.ids)
        self.send({"jsonrpc": "2.0", "id": msg_id, "method": method, "params": params})
        self.wait(lambda: msg_id in self.responses, timeout, f"no response to {method} #{msg_id}")
        return self.responses.pop(msg_id)

    def wait(self, predicate, timeout=60.0, what="condition"):
        with self.cond:
            if not self.cond.wait_for(lambda: predicate() or self.eof, timeout) or not predicate():
                raise AssertionError(f"{what} (server exit code: {self.proc.poll()})")

    def messages(self, method) -> list[dict]:
        with self.cond:
            return [m["params"] for m in self.notifications if m["method"] == method]

    # -- documents

    def open(self, uri, text, version=1):
        self.notify("textDocument/didOpen", {"textDocument": {
            "uri": uri, "languageId": "markdown", "version": version, "text": text}})

    def change(self, uri, version, changes):
        self.notify("textDocument/didChange", {
            "textDocument": {"uri": uri, "version": version}, "contentChanges": changes})

    def close(self, uri):
        self.notify("textDocument/didClose", {"textDocument": {"uri": uri}})

    def diagnostics_for(self, uri, version, timeout=60.0) -> list[dict]:
        """The diagnostics published for this version of the document."""
        self.wait(lambda: self.diagnostics.get(uri, {}).get("version") == version, timeout,
                  f"no diagnostics for {uri} version {version}: {self.diagnostics.get(uri)}")
        return self.diagnostics[uri]["diagnostics"]

    def fresh(self, uri, text) -> list[dict]:
        """The diagnostics of text opened as a new document."""
        self.open(uri, text, version=1)
        return self.diagnostics_for(uri, 1)

    def rss(self) -> dict[str, int]:
        """VmRSS and VmHWM of the server process, in bytes."""
        out = {}
        with open(f"/proc/{self.proc.pid}/status") as f:
            for line in f:
                key, _, value = line.partition(":")
                if key in ("VmRSS", "VmHWM"):
                    out[key] = int(value.split()[0]) * 1024
        return out


def rng(l1, c1, l2=None, c2=None):
    return {"start": {"line": l1, "character": c1},
            "end": {"line": l1 if l2 is None else l2, "character": c1 if c2 is None else c2}}


def summary(diags):
    """What a diagnostic says and where, comparable between two documents."""
    return sorted((d["code"], d["range"]["start"]["line"], d["range"]["start"]["character"],
                   d["range"]["end"]["line"], d["range"]["end"]["character"], d["message"]) for d in diags)


def codes(diags):
    return sorted(d["code"] for d in diags)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    root = tmp_path_factory.mktemp("robust")
    env = dict(os.environ, BLAMELINT_DEBUG="1",
               BLAMELINT_CACHE_DIR=str(root / "cache"))
    stderr = open(root / "server-stderr.log", "wb")
    c = Client(root, env, stderr)
    c.root, c.stderr_path = root, root / "server-stderr.log"
    init = c.request("initialize", {
        "processId": os.getpid(), "rootUri": root.as_uri(),
        "capabilities": {"textDocument": {"publishDiagnostics": {"versionSupport": True},
                                          "hover": {"contentFormat": ["markdown"]}}},
        "initializationOptions": {"blamelint": {"debounceMs": 20}}})
    assert init["result"]["capabilities"]["hoverProvider"]
    c.notify("initialized", {})
    # a reference document, for the request that follows each case
    c.ref = (root / "ref.md").as_uri()
    c.open(c.ref, PM)
    diags = c.diagnostics_for(c.ref, 1, timeout=120)
    c.ref_diags = diags
    c.ref_pos = next(d for d in diags if d["code"] == "human-error")["range"]["start"]
    yield c
    if c.proc.poll() is None:  # the last test shuts it down; this is for a run that stopped early
        c.proc.kill()
        c.proc.wait()
    stderr.close()


def check_serving(c):
    """A valid request is answered correctly, and the process is still there."""
    r = c.request("textDocument/hover", {"textDocument": {"uri": c.ref}, "position": c.ref_pos})
    assert "human-error" in r["result"]["contents"]["value"], r
    assert c.proc.poll() is None


def show_messages(c):
    return [m["message"] for m in c.messages("window/showMessage")]


def test_malformed_json_bodies(server):
    c = server
    for body in [b'{"jsonrpc": "2.0", "id": 9001, "method": "textDocument/hover", "params": {',
                 b"\xff\xfe\x00 not json", b"[1, 2, 3]", b'"a string"', b"null", b"{}",
                 b'{"jsonrpc": "2.0", "id": 9002}']:
        c.send_raw(body)
    check_serving(c)
    assert 9001 not in c.responses


def test_requests_with_wrong_parameter_types(server):
    c = server
    doc = {"uri": c.ref}
    r = c.request("textDocument/hover", {"textDocument": doc, "position": "line 3"})
    assert r["error"]["code"] == -32602 and "position" in r["error"]["message"], r
    r = c.request("textDocument/hover", {"textDocument": doc, "position": {"line": -1, "character": 0}})
    assert r["error"]["code"] == -32602, r
    r = c.request("textDocument/codeAction", {"textDocument": doc, "context": {"diagnostics": []}})
    assert r["error"]["code"] == -32602 and "range" in r["error"]["message"], r
    r = c.request("textDocument/diagnostic", None)
    assert r["error"]["code"] == -32602, r
    # a notification cannot be answered: it is dropped and the document is unchanged
    c.change(c.ref, "two", [{"range": rng(0, 0), "text": "It was human error. "}])
    check_serving(c)
    r = c.request("textDocument/diagnostic", {"textDocument": doc})
    assert summary(r["result"]["items"]) == summary(c.ref_diags)


def test_unknown_methods(server):
    c = server
    r = c.request("blamelint/noSuchMethod", {"x": 1})
    assert r["error"]["code"] == -32601, r
    r = c.request("$/noSuchRequest", {})
    assert r["error"]["code"] == -32601, r
    shown = len(show_messages(c))
    c.notify("blamelint/noSuchNotification", {"x": 1})
    c.notify("$/noSuchNotification", None)
    check_serving(c)  # answered after the notifications were handled: they raised nothing
    assert len(show_messages(c)) == shown


def test_requests_for_a_document_never_opened(server):
    c = server
    path = c.root / "never.md"
    path.write_text(PM)  # on disk, with findings: the server must not read it from there
    uri = path.as_uri()
    shown = len(show_messages(c))
    r = c.request("textDocument/hover", {"textDocument": {"uri": uri}, "position": c.ref_pos})
    assert "error" not in r and r["result"] is None, r
    r = c.request("textDocument/codeAction", {"textDocument": {"uri": uri}, "range": rng(0, 0, 5, 0),
                                              "context": {"diagnostics": []}})
    assert "error" not in r and not r["result"], r
    r = c.request("textDocument/diagnostic", {"textDocument": {"uri": uri}})
    assert r["result"] == {"kind": "full", "items": []}, r
    c.change(uri, 2, [{"range": rng(0, 0), "text": "x"}])
    c.notify("textDocument/didSave", {"textDocument": {"uri": uri}})
    check_serving(c)
    assert len(show_messages(c)) == shown  # a change to an unknown document is ignored quietly
    assert uri not in c.diagnostics


def test_did_change_with_out_of_range_positions_is_clamped(server):
    c = server
    uri = (c.root / "clamp.md").as_uri()
    c.open(uri, "# Timeline\n\nthe cache was stale.\n\nThe page went out at 14:02.")
    c.diagnostics_for(uri, 1)
    edits = [
        [{"range": rng(10**6, 0), "text": " It was human error."}],  # past the last line: the end
        [{"range": rng(2, -5, 2, -3), "text": "Obviously "}],  # a negative character: 0
        # the end before the start: the range between them
        [{"range": rng(4, 26, 4, 9), "text": "was sent to the on-call engineer at 14:05"}],
        # past the end of the last line (it has no line break): the end of the text
        [{"range": rng(4, 10**6), "text": " Obviously nobody checked."}],
        [{"range": rng(2**40, 2**40), "text": "\n\nIt was human error again."}],  # over the protocol's range
    ]
    for version, changes in enumerate(edits, start=2):
        c.change(uri, version, changes)
    expected = ("# Timeline\n\nObviously the cache was stale.\n\n"
                "The page was sent to the on-call engineer at 14:05. It was human error. "
                "Obviously nobody checked.\n\nIt was human error again.")
    got = c.diagnostics_for(uri, 6)
    assert summary(got) == summary(c.fresh((c.root / "clamp-expected.md").as_uri(), expected))
    assert codes(got).count("human-error") == 2 and codes(got).count("hindsight-adverb") == 2
    hindsight = sorted((d["range"]["start"]["line"], d["range"]["start"]["character"])
                       for d in got if d["code"] == "hindsight-adverb")
    assert hindsight == [(2, 0), (4, expected.split("\n")[4].index("Obviously"))]
    # and later edits land where they should
    c.change(uri, 7, [{"range": rng(2, 0, 2, 10), "text": ""}])
    got = c.diagnostics_for(uri, 7)
    assert summary(got) == summary(c.fresh((c.root / "clamp-expected-2.md").as_uri(),
                                           expected.replace("Obviously the", "the")))
    check_serving(c)


def test_percent_encoded_uri(server):
    c = server
    uri = (c.root / "with space ü.md").as_uri()
    assert "%20" in uri
    c.open(uri, PM)
    assert "human-error" in codes(c.diagnostics_for(uri, 1))
    c.change(uri, 2, [{"range": rng(4, 0, 4, 19), "text": "The cache expired."}])
    assert "human-error" not in codes(c.diagnostics_for(uri, 2))
    r = c.request("textDocument/hover", {"textDocument": {"uri": uri}, "position": {"line": 2, "character": 1}})
    assert "hindsight-adverb" in r["result"]["contents"]["value"]


def test_internal_error_keeps_the_last_good_diagnostics_and_says_so_once(server):
    c = server
    uri = (c.root / "fault.md").as_uri()
    c.open(uri, PM)
    good = c.diagnostics_for(uri, 1)
    assert "human-error" in codes(good)
    published = len(c.versions[uri])
    # the marker pasted in, then more typed after it: versions 2 to 7 fail, each linted in turn
    # (BLAMELINT_DEBUG=1 logs each failure)
    def failures():
        return len([m for m in c.messages("window/logMessage")
                    if m["message"].startswith("blamelint: internal error while linting fault.md")])

    c.change(uri, 2, [{"range": rng(0, 8), "text": f" {MARKER}"}])
    c.wait(lambda: failures() == 1, 30, "the lint did not fail")
    for version, ch in enumerate("abcde", start=3):
        c.change(uri, version, [{"range": rng(0, 8 + len(MARKER) + version - 2), "text": ch}])
        c.wait(lambda n=version - 1: failures() == n, 30, f"version {version} was not linted")
    start = "blamelint: internal error while linting fault.md: RuntimeError: fault injected"
    # requests on the failing version answer from the last good result
    r = c.request("textDocument/diagnostic", {"textDocument": {"uri": uri}})
    assert summary(r["result"]["items"]) == summary(good)
    human = next(d for d in good if d["code"] == "human-error")
    r = c.request("textDocument/hover", {"textDocument": {"uri": uri}, "position": human["range"]["start"]})
    assert "human-error" in r["result"]["contents"]["value"]
    r = c.request("textDocument/codeAction", {"textDocument": {"uri": uri}, "range": human["range"],
                                              "context": {"diagnostics": [human]}})
    disable = next(a for a in r["result"] if a["title"] == "Disable human-error on this line")
    assert disable["edit"]["documentChanges"][0]["textDocument"]["version"] == 1  # stale: the client refuses it
    time.sleep(0.5)  # let any lint still scheduled run
    check_serving(c)
    shown = [m for m in show_messages(c) if m.startswith(start)]
    assert len(shown) == 1 and shown[0].endswith("; please report"), shown
    assert len(c.versions[uri]) == published  # nothing published over the last good diagnostics
    assert c.diagnostics[uri]["diagnostics"] == good
    # BLAMELINT_DEBUG=1: the traceback goes to the log and stderr
    logs = [m["message"] for m in c.messages("window/logMessage")]
    assert any("internal error while linting fault.md" in m and "Traceback" in m and "RuntimeError" in m
               for m in logs)
    assert re.search(r"internal error while linting \S+/fault\.md\nTraceback.*\nRuntimeError: fault injected",
                     c.stderr_path.read_text(errors="replace"), re.S)
    # a good lint again, then a new failure is reported again
    c.change(uri, 8, [{"range": rng(0, 8, 0, 8 + len(MARKER) + 6), "text": ""}])
    assert summary(c.diagnostics_for(uri, 8)) == summary(good)
    c.change(uri, 9, [{"range": rng(0, 8), "text": MARKER}])
    c.wait(lambda: len([m for m in show_messages(c) if m.startswith(start)]) == 2, 30,
           "the failure after a good lint was not shown")
    r = c.request("textDocument/diagnostic", {"textDocument": {"uri": uri}})
    assert summary(r["result"]["items"]) == summary(good)
    c.close(uri)
    # a document whose first lint fails: requests answer empty
    uri = (c.root / "fault-new.md").as_uri()
    c.open(uri, f"{PM}\n{MARKER}\n")
    c.wait(lambda: any(m.startswith(start.replace("fault.md", "fault-new.md")) for m in show_messages(c)), 30,
           "no internal error shown for a new document")
    r = c.request("textDocument/diagnostic", {"textDocument": {"uri": uri}})
    assert r["result"]["items"] == []
    r = c.request("textDocument/hover", {"textDocument": {"uri": uri}, "position": human["range"]["start"]})
    assert "error" not in r and r["result"] is None
    r = c.request("textDocument/codeAction", {"textDocument": {"uri": uri}, "range": human["range"],
                                              "context": {"diagnostics": []}})
    assert "error" not in r and not r["result"]
    assert uri not in c.diagnostics
    c.close(uri)
    check_serving(c)


TYPED = ("Obviously the on-call engineer should have caught the expired certificate. "
         "It was human error. The cache was stale for ten minutes.\n\n")


def burst(c, uri, n=1000):
    """Open a document and type n characters into it, one didChange each; the final text."""
    c.open(uri, "# Burst\n\n")
    c.diagnostics_for(uri, 1)
    typed = (TYPED * (n // len(TYPED) + 1))[:n]
    line, col = 2, 0
    for version, ch in enumerate(typed, start=2):
        c.change(uri, version, [{"range": rng(line, col), "text": ch}])
        line, col = (line + 1, 0) if ch == "\n" else (line, col + 1)
    return "# Burst\n\n" + typed


def test_a_burst_of_1000_edits_ends_with_the_diagnostics_of_the_final_text(server):
    c = server
    before = c.rss()
    uri = (c.root / "burst.md").as_uri()
    t = time.monotonic()
    final = burst(c, uri)
    got = c.diagnostics_for(uri, 1001, timeout=120)
    elapsed = time.monotonic() - t
    assert summary(got) == summary(c.fresh((c.root / "burst-expected.md").as_uri(), final))
    assert codes(got).count("human-error") == final.count("human error") > 1
    versions = c.versions[uri]
    assert versions == sorted(versions), versions  # never an older version after a newer one
    after = c.rss()
    print(f"burst: {elapsed:.1f}s, RSS {before['VmRSS'] / 2**20:.0f} → {after['VmRSS'] / 2**20:.0f} MB")
    assert after["VmRSS"] - before["VmRSS"] < 300 * 2**20
    c.close(uri)
    check_serving(c)


def big_text(size):
    """Markdown of about size characters: paragraphs from a pool of 2,000, some with a finding."""
    words = "cache database node request queue deploy config shard replica latency timeout retry".split()
    pool = []
    for i in range(2000):
        r = random.Random(i)
        p = (f"At {i % 24:02d}:{i % 60:02d} the {r.choice(words)} {r.choice(words)} reported {i} errors "
             f"on host h{i}. The {r.choice(words)} {r.choice(words)} recovered after {r.randint(1, 90)} minutes.")
        pool.append(p + (" It was human error." if i % 100 == 0 else "") + "\n\n")
    parts, n, i = ["# Big\n\n"], 7, 0
    while n < size:
        parts.append(pool[i % len(pool)])
        n += len(parts[-1])
        i += 1
    return "".join(parts)


BIG = 5_000_000


def test_a_5mb_document(server):
    c = server
    text = big_text(BIG)
    uri = (c.root / "big.md").as_uri()
    t = time.monotonic()
    c.open(uri, text)
    check_serving(c)
    answered = time.monotonic() - t
    # answered from the reference document's result while the big one was still being linted
    assert uri not in c.diagnostics
    got = c.diagnostics_for(uri, 1, timeout=180)
    linted = time.monotonic() - t
    assert codes(got).count("human-error") == text.count("human error")
    last = max((d for d in got if d["code"] == "human-error"), key=lambda d: d["range"]["start"]["line"])
    r = c.request("textDocument/hover", {"textDocument": {"uri": uri}, "position": last["range"]["start"]})
    assert "human-error" in r["result"]["contents"]["value"]
    mem = c.rss()
    c.big_rss = mem["VmRSS"]
    print(f"5 MB: next request {answered:.1f}s, diagnostics {linted:.1f}s, "
          f"RSS {mem['VmRSS'] / 2**20:.0f} MB, peak {mem['VmHWM'] / 2**20:.0f} MB")
    assert mem["VmHWM"] < 1.5 * GB
    c.close(uri)
    c.wait(lambda: c.diagnostics[uri]["diagnostics"] == [], 30, "closing did not clear the diagnostics")
    check_serving(c)


def test_memory_stays_bounded_after_closing_the_big_document(server):
    c = server
    rss = []
    for n in range(2):
        uri = (c.root / f"burst-again-{n}.md").as_uri()
        burst(c, uri)
        c.diagnostics_for(uri, 1001, timeout=120)
        c.close(uri)
        check_serving(c)
        rss.append(c.rss())
    print("after the bursts: RSS", [f"{m['VmRSS'] / 2**20:.0f} MB" for m in rss])
    assert rss[-1]["VmRSS"] < c.big_rss + 150 * 2**20
    assert rss[-1]["VmRSS"] - rss[0]["VmRSS"] < 50 * 2**20
    assert rss[-1]["VmHWM"] < 1.5 * GB


def test_a_document_over_max_size_is_not_linted_and_said_once(server):
    c = server
    uri = (c.root / "huge.md").as_uri()
    c.notify("workspace/didChangeConfiguration", {"settings": {"blamelint": {"debounceMs": 20, "maxSize": 2000}}})
    check_serving(c)
    text = "# Outage\n\n" + "It was human error. " * 120 + "\n"
    c.open(uri, text)
    assert c.diagnostics_for(uri, 1) == []
    c.change(uri, 2, [{"range": rng(0, 0, 0, 0), "text": "x"}])
    assert c.diagnostics_for(uri, 2) == []
    told = [m for m in show_messages(c) if m.startswith("blamelint: huge.md is ")]
    assert told == [f"blamelint: huge.md is {len(text):,} bytes, larger than the 2,000-byte limit "
                    "(setting maxSize); not linted"]
    c.change(uri, 3, [{"text": "# Outage\n\nIt was human error.\n"}])  # small again: linted
    assert "human-error" in codes(c.diagnostics_for(uri, 3))
    c.notify("workspace/didChangeConfiguration", {"settings": {"blamelint": {"debounceMs": 20}}})
    c.close(uri)
    check_serving(c)


def test_a_wrong_content_length_costs_a_message_or_two(server):
    c = server
    hover = {"textDocument": {"uri": c.ref}, "position": c.ref_pos}
    body = json.dumps({"jsonrpc": "2.0", "id": 9101, "method": "textDocument/hover", "params": hover}).encode()
    c.send_raw(body, length=len(body) // 2)  # too short: the rest of the body is read as headers
    check_serving(c)
    body = json.dumps({"jsonrpc": "2.0", "id": 9102, "method": "textDocument/hover", "params": hover}).encode()
    c.send_raw(body, length=len(body) + 10)  # too long: it takes the start of the next message
    c.notify("$/blamelint/sacrificed", {})
    check_serving(c)
    assert 9101 not in c.responses and 9102 not in c.responses


def test_text_offset_clamps_and_counts_code_units():
    text = "a😀b\r\nc\rd"  # 😀: two UTF-16 units, four UTF-8 ones; lines end with \r\n, \r or \n
    u16, u8 = T.PositionEncodingKind.Utf16, T.PositionEncodingKind.Utf8

    def at(line, character, enc=u16):
        return text_offset(text, T.Position(line=line, character=character), enc)

    assert [at(0, 1), at(0, 3), at(0, 4), at(0, 99)] == [1, 2, 3, 3]
    assert [at(0, 5, u8), at(0, 6, u8)] == [2, 3]
    assert [at(1, 0), at(1, 1), at(1, 9), at(2, 1), at(3, 0), at(10**6, 0)] == [5, 6, 6, 8, 8, 8]
    backwards = T.TextDocumentContentChangePartial(
        range=T.Range(start=T.Position(line=1, character=1), end=T.Position(line=0, character=3)), text="-")
    assert apply_change(text, backwards, u16) == "a😀-\rd"


@pytest.mark.parametrize("encoding", list(T.PositionEncodingKind))
@pytest.mark.parametrize("bom", [False, True])
def test_document_positions_agree_with_the_clients_text(encoding, bom):
    """A finding's position (from the Document) read back in the client's text (BOM and all),
    and the position read back in the Document, are the offset it started from."""
    source = "é😀 x\r\n\n✅ 😀 caf\u00e9\rlast 😀"
    doc = Document.plain(source, bom=bom)
    client = ("\ufeff" if bom else "") + source
    for offset in range(len(source) + 1):
        if source[offset - 1: offset + 1] == "\r\n":
            continue  # inside a line end
        pos = lsp_position(doc, offset, encoding)
        assert text_offset(client, pos, encoding) == offset + bom, (offset, pos)
        assert source_offset(doc, pos, encoding) == offset, (offset, pos)
    line = client.split("\r")[0]
    end = {"utf-8": len(line.encode()), "utf-16": len(line.encode("utf-16-le")) // 2, "utf-32": len(line)}
    assert lsp_position(doc, source.index("\r"), encoding) == T.Position(line=0, character=end[encoding])
    assert source_offset(doc, T.Position(line=9, character=0), encoding) == len(source)


def test_an_internal_error_without_debug_is_one_message_and_no_traceback(monkeypatch):
    monkeypatch.delenv("BLAMELINT_DEBUG", raising=False)
    ls = BlamelintServer()
    shown, logged = [], []
    monkeypatch.setattr(ls, "window_show_message", shown.append)
    monkeypatch.setattr(ls, "window_log_message", logged.append)
    for version in (1, 2):
        try:
            raise ValueError("bad offset")
        except ValueError as exc:
            ls.lint_failed("file:///notes/pm.md", "/notes/pm.md", version, exc)
    assert [m.message for m in shown] == [
        "blamelint: internal error while linting pm.md: ValueError: bad offset; please report"]
    assert logged == []
    assert ls.known("file:///notes/pm.md", 2) == (True, None)  # not linted again, nothing good to show
    assert ls.known("file:///notes/pm.md", 3) == (False, None)


def test_still_running_then_shuts_down_cleanly(server):
    c = server
    assert c.proc.poll() is None
    r = c.request("shutdown", None)
    assert "error" not in r and r["result"] is None
    c.notify("exit", None)
    assert c.proc.wait(timeout=30) == 0
