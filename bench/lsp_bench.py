"""Language-server benchmark: open time, edit-to-diagnostics latency and memory.

    python bench/lsp_bench.py [--edits 60] [--docs 20] [--cores 1] [--real DIR]

Starts the real `blamelint lsp` over stdio (pinned to one core by default), opens a
5,000-word post-mortem, makes one-line edits and times each until the diagnostics for
that version arrive; then opens 20 such documents and reads the server's peak memory.
Then the same on real text: a document of whole real post-mortems from --real DIR (default
../shared/realworld/docs, read in place; skipped when missing), 20 edits 50 ms apart.
Prints each figure beside its target.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REAL_DIR = ROOT.parent / "shared" / "realworld" / "docs"  # real post-mortems, read in place
TARGETS = {"edit_median_ms": 50, "edit_p95_ms": 100, "open_s": 1.5, "memory_mb": 400}
REAL_TARGETS = {"edit_median_ms": 30, "edit_p95_ms": 50, "open_s": 0.5}  # issue 17, on real post-mortem text
REAL_WORDS = 5_396  # the real document: whole post-mortems in sorted order until this many words
REAL_EDITS = 20
REAL_PAUSE_S = 0.05  # between an edit's diagnostics and the next edit


def postmortem(words: int = 5000, seed: int = 0) -> str:
    """A long post-mortem assembled from the labeled corpus (varied, not one paragraph repeated)."""
    docs = sorted((ROOT / "corpus" / "labeled").glob("*.md"))
    parts, count, i = [], 0, seed
    while count < words:
        text = docs[i % len(docs)].read_text(encoding="utf-8")
        if text.startswith("---"):
            text = text.split("---", 2)[-1]
        parts.append(text.replace("# ", f"# ({i}) ", 1))
        count += len(text.split())
        i += 1
    return "\n\n".join(parts)


def strip_front_matter(text: str) -> str:
    """text without a leading YAML (---) or TOML (+++) front matter block."""
    for fence in ("---", "+++"):
        if text.startswith(fence + "\n"):
            end = text.find("\n" + fence, len(fence))
            if end != -1:
                return text[end + len(fence) + 1:].lstrip("\n")
    return text


def real_document(directory: Path, words: int = REAL_WORDS) -> tuple[str, int]:
    """Whole real post-mortems (front matter stripped), in sorted order, until `words` words;
    and how many were used. Words are `len(text.split())`."""
    parts, count = [], 0
    for path in sorted(directory.rglob("*.md")):
        text = strip_front_matter(path.read_text(encoding="utf-8"))
        parts.append(text.strip("\n"))
        count += len(text.split())
        if count >= words:
            break
    return "\n\n".join(parts) + "\n", len(parts)


def prose_lines(lines: list[str], skip_code: bool = True) -> list[int]:
    """Lines to edit: prose of more than eight words, not headings or tables; with `skip_code`
    not HTML or code either (off for the generated document: the lines it always edited)."""
    if not skip_code:
        return [i for i, line in enumerate(lines) if len(line.split()) > 8 and not line.startswith(("#", "|", "```"))]
    out, fenced = [], False
    for i, line in enumerate(lines):
        if line.lstrip().startswith(("```", "~~~")):
            fenced = not fenced
            continue
        if not fenced and len(line.split()) > 8 and not line.startswith(("#", "|", "<", "    ", "\t")):
            out.append(i)
    return out


class Client:
    """A minimal LSP client over the server's stdio."""

    def __init__(self, proc):
        self.proc = proc
        self.next_id = 0
        self.pending: dict[int, asyncio.Future] = {}
        self.published: dict[tuple[str, int | None], float] = {}
        self.waiters: dict[tuple[str, int | None], asyncio.Future] = {}
        self.reader = asyncio.ensure_future(self._read())

    async def _read(self):
        stream = self.proc.stdout
        while True:
            header = await stream.readline()
            if not header:
                return
            length = 0
            while header.strip():
                if header.lower().startswith(b"content-length:"):
                    length = int(header.split(b":")[1])
                header = await stream.readline()
            msg = json.loads(await stream.readexactly(length))
            if "id" in msg and "method" not in msg:
                fut = self.pending.pop(msg["id"], None)
                if fut and not fut.done():
                    fut.set_result(msg.get("result"))
            elif msg.get("method") == "textDocument/publishDiagnostics":
                key = (msg["params"]["uri"], msg["params"].get("version"))
                self.published[key] = time.perf_counter()
                fut = self.waiters.pop(key, None)
                if fut and not fut.done():
                    fut.set_result(msg["params"]["diagnostics"])
            elif "id" in msg:  # a request from the server: answer with null
                self._send({"jsonrpc": "2.0", "id": msg["id"], "result": None})

    def _send(self, msg):
        body = json.dumps(msg).encode()
        self.proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)

    async def request(self, method, params):
        self.next_id += 1
        fut = asyncio.get_running_loop().create_future()
        self.pending[self.next_id] = fut
        self._send({"jsonrpc": "2.0", "id": self.next_id, "method": method, "params": params})
        return await fut

    def notify(self, method, params):
        self._send({"jsonrpc": "2.0", "method": method, "params": params})

    def diagnostics(self, uri, version):
        fut = asyncio.get_running_loop().create_future()
        self.waiters[(uri, version)] = fut
        return fut


def rss_mb(pid: int) -> tuple[float, float]:
    status = Path(f"/proc/{pid}/status").read_text()
    get = {k: v for k, v in (line.split(":", 1) for line in status.splitlines() if ":" in line)}
    return int(get["VmRSS"].split()[0]) / 1024, int(get["VmHWM"].split()[0]) / 1024


async def run(edits: int, ndocs: int, cores: int, text: str | None = None, pause: float = 0.0) -> dict:
    """Figures for one server: `text` is the document edited (None: the generated one); `pause`
    seconds between an edit's diagnostics and the next edit."""
    def pin():
        if cores and hasattr(os, "sched_setaffinity"):
            os.sched_setaffinity(0, set(range(cores)))

    proc = await asyncio.create_subprocess_exec(
        sys.executable, *os.environ.get("BENCH_PY_ARGS", "").split(), "-m", "blamelint", "lsp", stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.DEVNULL, preexec_fn=pin)
    client = Client(proc)
    tmp = ROOT / "bench" / ".lsp-bench"
    tmp.mkdir(exist_ok=True)
    await client.request("initialize", {"processId": os.getpid(), "rootUri": tmp.as_uri(),
                                        "capabilities": {"textDocument": {"publishDiagnostics": {}}}})
    client.notify("initialized", {})
    generated = text is None
    text = postmortem() if generated else text
    words = len(text.split())
    figures: dict = {"words": words}

    # warm-up: the first document pays for loading the model
    uri = (tmp / "warmup.md").as_uri()
    t0 = time.perf_counter()
    waiting = client.diagnostics(uri, 1)
    client.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "markdown", "version": 1,
                                                            "text": postmortem(seed=7)}})
    await waiting
    figures["first_open_s"] = time.perf_counter() - t0

    uri = (tmp / "main.md").as_uri()
    t0 = time.perf_counter()
    waiting = client.diagnostics(uri, 1)
    client.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "markdown", "version": 1,
                                                            "text": text}})
    await waiting
    figures["open_s"] = time.perf_counter() - t0

    lines = text.split("\n")
    prose = prose_lines(lines, skip_code=not generated)
    latencies, diagnostics = [], []
    for n in range(edits):
        if n and pause:
            await asyncio.sleep(pause)
        line = prose[(n * 7) % len(prose)]
        col = len(lines[line])
        version = n + 2
        waiting = client.diagnostics(uri, version)
        t0 = time.perf_counter()
        client.notify("textDocument/didChange", {
            "textDocument": {"uri": uri, "version": version},
            "contentChanges": [{"range": {"start": {"line": line, "character": col},
                                          "end": {"line": line, "character": col}}, "text": " Extra words here."}]})
        diagnostics = await waiting
        latencies.append((time.perf_counter() - t0) * 1000)
        lines[line] += " Extra words here."
    latencies.sort()
    figures["diagnostics"] = len(diagnostics)  # published on each edit (the last one's count)
    figures["edit_median_ms"] = statistics.median(latencies)
    figures["edit_p95_ms"] = latencies[int(0.95 * (len(latencies) - 1))]

    for i in range(ndocs - 1):
        other = (tmp / f"doc{i}.md").as_uri()
        waiting = client.diagnostics(other, 1)
        client.notify("textDocument/didOpen", {"textDocument": {"uri": other, "languageId": "markdown", "version": 1,
                                                                "text": postmortem(seed=i + 1)}})
        await waiting
    figures["memory_mb"], figures["peak_memory_mb"] = rss_mb(proc.pid)
    figures["documents_open"] = ndocs

    await client.request("shutdown", None)
    client.notify("exit", None)
    await proc.wait()
    return figures


def show(f: dict, memory: bool, targets: dict = TARGETS) -> None:
    rows = [
        ("open (model already loaded)", f"{f['open_s']:.2f} s", "open_s", f["open_s"]),
        ("edit → diagnostics, median", f"{f['edit_median_ms']:.0f} ms", "edit_median_ms", f["edit_median_ms"]),
        ("edit → diagnostics, p95", f"{f['edit_p95_ms']:.0f} ms", "edit_p95_ms", f["edit_p95_ms"]),
    ]
    if memory:
        rows.append((f"memory, {f['documents_open']} documents open", f"{f['memory_mb']:.0f} MB", "memory_mb",
                     f["memory_mb"]))
    print(f"  first open, including loading the model: {f['first_open_s']:.2f} s")
    for label, value, key, number in rows:
        target = targets[key]
        verdict = "ok" if number <= target else "OVER"
        print(f"  {label:<34} {value:>9}   target {target:>5}   ratio {number / target:5.2f}  {verdict}")
    print(f"  peak memory (VmHWM): {f['peak_memory_mb']:.0f} MB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--edits", type=int, default=60)
    parser.add_argument("--docs", type=int, default=20)
    parser.add_argument("--cores", type=int, default=1, help="pin the server to this many cores (0 = no pinning)")
    parser.add_argument("--real", type=Path, default=REAL_DIR,
                        help="folder of real post-mortems, read in place (default ../shared/realworld/docs)")
    args = parser.parse_args()
    f = asyncio.run(run(args.edits, args.docs, args.cores))
    print(f"language server, {f['words']}-word post-mortem ({f['diagnostics']} diagnostics), "
          f"server pinned to {args.cores or 'all'} core(s)")
    show(f, memory=True)
    if not args.real.is_dir():
        print(f"real post-mortems: skipped: {args.real} not found")
        return
    text, used = real_document(args.real)
    f = asyncio.run(run(REAL_EDITS, 1, args.cores, text=text, pause=REAL_PAUSE_S))
    print(f"language server, {f['words']}-word document of {used} real post-mortems ({f['diagnostics']} "
          f"diagnostics), {REAL_EDITS} edits {REAL_PAUSE_S * 1000:.0f} ms apart")
    show(f, memory=False, targets=REAL_TARGETS)


if __name__ == "__main__":
    main()
