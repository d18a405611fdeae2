"""Benchmark blamelint: throughput, where the time goes, start-up, memory, incremental re-runs
and the language server.

    python bench/run.py [--repeat 3] [--quick] [--only GROUP[,GROUP]] [--real DIR] [--json FILE]

Generates the benchmark set with bench/gen.py when it is missing (bench/.data/), runs every
command in a fresh child process and prints one table: each figure is the median over
--repeat runs, beside its target, the ratio value/target and "met" or "MISSED".

Two archives: the generated one and a real one, the folder --real DIR (default
../shared/realworld/docs, read in place, never copied; "skipped: DIR not found" when it is
missing; with --quick only when --real is given). Words are `len(text.split())` of each *.md
file's whole text, for both.

Groups (--only): throughput, stages, startup, memory, incremental, lsp. --quick uses a
20-document archive, one repeat and skips the language server, as a smoke test. Memory is the
child's peak resident set (ru_maxrss from os.wait4), so figures of different processes never mix.
A CLI flag that is not available yet (exit 2, "no such option/command") prints
"n/a (flag not available)" instead of a figure. Speed is measured here, never asserted in tests.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import importlib.metadata
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(BENCH))

import gen  # noqa: E402

GROUPS = ("throughput", "stages", "startup", "memory", "incremental", "lsp")
NA = "n/a (flag not available)"
REAL_DIR = ROOT.parent / "shared" / "realworld" / "docs"  # real post-mortems, read in place
WORDS_RULE = "words = len(text.split()) of each *.md file's whole text (front matter, markup and code included)"
TARGETS = {
    # check -j 1 words/s ÷ naive nlp.pipe words/s, at least, per archive
    "check_vs_pipe": {"generated": 8.0, "real": 5.0},
    "jobs_vs_one": 1.8,        # check -j 2 words/s ÷ check -j 1 words/s, at least (two cores), both archives
    "alex_vs_check": 1.0,      # alex wall ÷ check -j 2 wall, at least (blamelint faster than alex)
    "check_vs_load": 1.0,      # check DOC2000 wall ÷ spacy.load wall, at most (issue 17; issue 5 asked 1.5)
    "light_command_s": 0.3,    # blamelint --version / rules wall, under
    "daemon_check_s": 0.3,     # check DOC2000 wall with `blamelint daemon` running, under (issue 17)
    "memory_mb": 400,          # peak RSS of a check process, under
    "warm_speedup": 10.0,      # cold report ÷ warm report wall, at least
}

# the naive baseline: load the model, then nlp.pipe over every *.md file's whole text (only the pipe is timed)
BASELINE = r"""
import json, pathlib, sys, time
import spacy
nlp = spacy.load(sys.argv[1])
texts = [p.read_text(encoding="utf-8") for p in sorted(pathlib.Path(sys.argv[2]).rglob("*.md"))]
t0 = time.perf_counter()
tokens = 0
for doc in nlp.pipe(texts):
    tokens += len(doc)
seconds = time.perf_counter() - t0
print(json.dumps({"seconds": seconds, "tokens": tokens, "components": nlp.pipe_names, "files": len(texts),
                  "words": sum(len(t.split()) for t in texts)}))
"""


# ---------------------------------------------------------------- running children


@dataclass
class Run:
    wall: float
    rss_mb: float
    rc: int
    stdout: str
    stderr: str

    @property
    def unavailable(self) -> bool:
        return self.rc == 2 and re.search(r"no such (option|command)", self.stderr, re.I) is not None

    @property
    def failed(self) -> bool:
        return self.rc not in (0, 1) and not self.unavailable


def measure(cmd: list[str], env: dict[str, str]) -> Run:
    """Run cmd in a fresh process: wall time and its own peak RSS (os.wait4, not polling)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=out, stderr=err, env=env, cwd=ROOT)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - t0
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        # ru_maxrss is in kilobytes on Linux, bytes on macOS
        rss = usage.ru_maxrss / (1024 * 1024 if sys.platform == "darwin" else 1024)
        return Run(wall, rss, proc.returncode, out.read().decode("utf-8", "replace"),
                   err.read().decode("utf-8", "replace"))


def blamelint_cmd() -> list[str]:
    """The installed console script next to this interpreter (what users run), else python -m blamelint."""
    script = Path(sys.executable).with_name("blamelint")
    return [str(script)] if script.exists() else [sys.executable, "-m", "blamelint"]


# ---------------------------------------------------------------- the table


@dataclass
class Row:
    group: str
    label: str
    shown: str
    target: str = ""
    ratio: float | None = None
    verdict: str = ""
    value: float | None = None

    def line(self) -> str:
        ratio = f"{self.ratio:.2f}" if self.ratio is not None else ""
        return f"  {self.label:<52} {self.shown:>16}  {self.target:<14} {ratio:>6}  {self.verdict}"


def judged(group: str, label: str, value: float, shown: str, op: str, target: float, target_shown: str) -> Row:
    ratio = value / target
    met = {">=": value >= target, "<=": value <= target, "<": value < target}[op]
    return Row(group, label, shown, f"{op.replace('>=', '≥').replace('<=', '≤')} {target_shown}", ratio,
               "met" if met else "MISSED", value)


@dataclass
class Archive:
    """One archive measured: its *.md files (read in place) and their words."""

    key: str  # "generated" or "real"
    path: Path
    files: int = 0
    words: int = 0
    skipped: str | None = None  # why it is not measured

    @property
    def title(self) -> str:
        return f"{self.key} archive"


def archive_at(key: str, path: Path, skipped: str | None = None) -> Archive:
    """The archive in path, words counted as WORDS_RULE says; skipped when the folder is missing."""
    if skipped is None and not path.is_dir():
        skipped = f"skipped: {path} not found"
    if skipped:
        return Archive(key, path, skipped=skipped)
    files = sorted(path.rglob("*.md"))
    return Archive(key, path, len(files), sum(len(p.read_text(encoding="utf-8").split()) for p in files))


@dataclass
class Bench:
    args: argparse.Namespace
    data: Path
    manifest: dict
    env: dict[str, str]
    model: str
    archives: list[Archive] = field(default_factory=list)
    rows: list[Row] = field(default_factory=list)
    runs: dict[str, list[Run]] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    alex: list[str] | str | None = None  # the alex command, or why not (found once, by `find_alex`)

    @property
    def archive(self) -> Path:
        return self.data / "archive"

    @property
    def measured(self) -> list[Archive]:
        return [a for a in self.archives if not a.skipped]

    @property
    def doc2000(self) -> Path:
        return self.data / "doc2000.md"

    def sample(self, items: list[tuple[str, list[str]]]) -> dict[str, list[Run]]:
        """Run each (key, command) --repeat times, interleaved, once per process; reuse earlier samples.
        A command that is not available or fails is not repeated."""
        todo = [(k, c) for k, c in items if k not in self.runs]
        for k, _ in todo:
            self.runs[k] = []
        for _ in range(self.args.repeat):
            for key, cmd in todo:
                if self.runs[key] and (self.runs[key][-1].unavailable or self.runs[key][-1].failed):
                    continue
                self.runs[key].append(measure(cmd, self.env))
        return {k: self.runs[k] for k, _ in items}

    def status(self, key: str, runs: list[Run]) -> str | None:
        """None when the runs are usable; else what to print instead of a figure."""
        last = runs[-1]
        if last.unavailable:
            return NA
        if last.failed:
            tail = " / ".join(last.stderr.strip().splitlines()[-3:])
            self.problems.append(f"{key}: exit {last.rc}: {tail}")
            return f"error (exit {last.rc})"
        return None

    def plain(self, group: str, label: str, key: str, runs: list[Run], value, shown) -> Row | None:
        """A reference row (no target); None when the runs are usable (the caller adds a judged row)."""
        bad = self.status(key, runs)
        if bad:
            self.rows.append(Row(group, label, bad))
            return None
        row = Row(group, label, shown(value(runs)), "—", value=value(runs))
        self.rows.append(row)
        return row

    def missing(self, group: str, label: str, key: str, runs: list[Run]) -> bool:
        bad = self.status(key, runs)
        if bad:
            self.rows.append(Row(group, label, bad))
        return bad is not None


def median_wall(runs: list[Run]) -> float:
    return statistics.median(r.wall for r in runs)


def median_rss(runs: list[Run]) -> float:
    return statistics.median(r.rss_mb for r in runs)


# ---------------------------------------------------------------- groups


def startup_commands(b: Bench) -> dict[str, list[str]]:
    bl = blamelint_cmd()
    return {
        "check-doc2000": bl + ["check", "--no-cache", str(b.doc2000)],
        "version": bl + ["--version"],
        "rules": bl + ["rules"],
        "spacy-load": [sys.executable, "-c", f"import spacy; spacy.load({b.model!r})"],
    }


def archive_commands(b: Bench, a: Archive) -> dict[str, list[str]]:
    """Whole-process commands over one archive, keyed "<archive>:<name>"."""
    bl, path, jobs = blamelint_cmd(), str(a.path), str(b.args.jobs)
    cmds = {
        "pipe": [sys.executable, "-c", BASELINE, b.model, path],
        "check-j1": bl + ["check", "-j", "1", "--no-cache", "--format", "json", "-q", path],
        "check-jN": bl + ["check", "-j", jobs, "--no-cache", "--format", "json", "-q", path],
    }
    if a.key == "generated":
        cmds["exhaustive"] = bl + ["check", "-j", "1", "--no-cache", "--exhaustive", "--format", "json", "-q", path]
        # the preview rules on: the sentence classifier reads every prose sentence
        cmds["preview"] = bl + ["check", "-j", "1", "--no-cache", "--config", str(preview_config()), "--format",
                                "json", "-q", path]
    if isinstance(b.alex, list):
        cmds["alex"] = b.alex + [f"{path}/**/*.md"]  # alex globs itself; Markdown is its default syntax
    return {f"{a.key}:{k}": c for k, c in cmds.items()}


def preview_config() -> Path:
    path = Path(tempfile.gettempdir()) / "blamelint-bench-preview.yaml"
    path.write_text("preview: true\n", encoding="utf-8")
    return path


def find_alex(b: Bench) -> list[str] | str:
    """The alex command: on PATH, in <data>/node, or installed there once with npm; else why not."""
    if shutil.which("alex"):
        return [shutil.which("alex")]
    node_dir = b.args.data / "node"  # inside bench/.data, which is gitignored
    local = node_dir / "node_modules" / ".bin" / "alex"
    if not local.exists():
        npm = shutil.which("npm")
        if npm is None:
            return "skipped: npm not available"
        print(f"installing alex into {node_dir} (once) …", flush=True)
        node_dir.mkdir(parents=True, exist_ok=True)
        try:
            done = subprocess.run([npm, "install", "--prefix", str(node_dir), "alex", "--no-audit", "--no-fund"],
                                  capture_output=True, text=True, timeout=900)
        except (OSError, subprocess.TimeoutExpired) as exc:
            b.problems.append(f"alex: npm install failed: {exc}")
            return "skipped: npm install alex failed"
        if done.returncode != 0 or not local.exists():
            tail = " / ".join(done.stderr.strip().splitlines()[-3:])
            b.problems.append(f"alex: npm install exit {done.returncode}: {tail}")
            return f"skipped: npm install alex failed (exit {done.returncode})"
    if shutil.which("node") is None:
        return "skipped: node not available"
    return [str(local)]


def alex_version(cmd: list[str]) -> str:
    try:
        return subprocess.run(cmd + ["--version"], capture_output=True, text=True, timeout=60).stdout.strip()
    except (OSError, subprocess.TimeoutExpired):
        return "?"


def alex_files(run: Run, a: Archive) -> int:
    """How many files alex reported on (it names each file it read, "…: no issues found" or not)."""
    out = run.stdout + "\n" + run.stderr
    return len({line.split(": ")[0] for line in out.splitlines() if line.startswith(str(a.path))})


def group_throughput(b: Bench) -> None:
    jobs = b.args.jobs
    if b.alex is None:
        b.alex = find_alex(b)
    cmds = {k: c for a in b.measured for k, c in archive_commands(b, a).items()}
    runs = b.sample(list(cmds.items()))  # both archives interleaved
    for a in b.archives:
        g = f"throughput: {a.title}"
        if a.skipped:
            b.rows.append(Row(g, f"{a.title} ({a.path})", a.skipped))
            continue
        b.rows.append(Row(g, f"{a.files} post-mortems, {a.words:,} words", ""))
        words = a.words
        key = f"{a.key}:"

        pipe_rate = None
        if not b.missing(g, "naive nlp.pipe, whole pipeline", key + "pipe", runs[key + "pipe"]):
            info = json.loads(runs[key + "pipe"][-1].stdout.strip().splitlines()[-1])
            if info.get("words") != words:
                b.problems.append(f"{a.key}: the baseline counted {info.get('words')} words, not {words}")
            seconds = statistics.median(json.loads(r.stdout.strip().splitlines()[-1])["seconds"]
                                        for r in runs[key + "pipe"])
            pipe_rate = words / seconds
            b.rows.append(Row(g, f"naive nlp.pipe ({len(info['components'])} components, pipe only)",
                              f"{pipe_rate:,.0f} w/s", "—", value=pipe_rate))

        def rate(name: str, label: str, key=key, g=g, words=words) -> float | None:
            row = b.plain(g, label, key + name, runs[key + name], lambda rs: words / median_wall(rs),
                          lambda v: f"{v:,.0f} w/s")
            return row.value if row else None

        one = rate("check-j1", "check -j 1 --no-cache (whole process)")
        many = rate("check-jN", f"check -j {jobs} --no-cache (whole process)")
        exhaustive = rate("exhaustive", "check -j 1 --exhaustive (reference)") if key + "exhaustive" in runs else None
        preview = rate("preview", "check -j 1 with the classifier (preview: true)") if key + "preview" in runs else None
        if one and preview:
            b.rows.append(Row(g, "classifier's cost: preview ÷ default time (reference)", f"{one / preview:.2f}×",
                              "—", value=one / preview))
        target = TARGETS["check_vs_pipe"][a.key]
        if one and pipe_rate:
            b.rows.append(judged(g, "check -j 1 ÷ naive nlp.pipe", one / pipe_rate, f"{one / pipe_rate:.2f}×",
                                 ">=", target, f"{target:g}×"))
        elif pipe_rate:
            b.rows.append(Row(g, "check -j 1 ÷ naive nlp.pipe", NA if runs[key + "check-j1"][-1].unavailable else "n/a"))
        if one and many:
            if jobs < 2:
                b.rows.append(Row(g, f"check -j {jobs} ÷ check -j 1", "n/a (one core)"))
            else:
                b.rows.append(judged(g, f"check -j {jobs} ÷ check -j 1", many / one, f"{many / one:.2f}×",
                                     ">=", TARGETS["jobs_vs_one"], f"{TARGETS['jobs_vs_one']:g}×"))
        if exhaustive and pipe_rate:
            b.rows.append(Row(g, "check --exhaustive ÷ naive nlp.pipe (reference)", f"{exhaustive / pipe_rate:.2f}×",
                              "—", value=exhaustive / pipe_rate))
        alex_row(b, g, a, runs, many)
        if one:
            try:
                findings = json.loads(runs[key + "check-j1"][-1].stdout or "[]")
                b.rows.append(Row(g, "findings (check -j 1)",
                                  f"{len(findings):,} ({1000 * len(findings) / words:.1f}/1k w)", "—",
                                  value=len(findings)))
            except ValueError:
                pass


def alex_row(b: Bench, g: str, a: Archive, runs: dict[str, list[Run]], many: float | None) -> None:
    """alex over the same files (whole process) and blamelint -j N against it."""
    label = f"alex wall ÷ check -j {b.args.jobs} wall"
    if isinstance(b.alex, str):
        b.rows.append(Row(g, label, b.alex))
        return
    key = f"{a.key}:alex"
    if b.missing(g, "alex (whole process)", key, runs[key]):
        return
    read = alex_files(runs[key][-1], a)
    if read != a.files:
        b.problems.append(f"{a.key}: alex reported on {read} files, the archive has {a.files}")
    wall = median_wall(runs[key])
    version = alex_version(b.alex)
    b.rows.append(Row(g, f"alex {version} (whole process, {read} files)", f"{a.words / wall:,.0f} w/s", "—",
                      value=a.words / wall))
    if many:
        ratio = wall / (a.words / many)
        b.rows.append(judged(g, label, ratio, f"{ratio:.2f}×", ">=", TARGETS["alex_vs_check"],
                             f"{TARGETS['alex_vs_check']:g}× (faster)"))


def group_stages(b: Bench) -> None:
    """bench/stages.py in a child per archive (once, not --repeat times): where the time goes."""
    for a in b.archives:
        g = f"stages: {a.title}"
        if a.skipped:
            b.rows.append(Row(g, f"{a.title} ({a.path})", a.skipped))
            continue
        key = f"{a.key}:stages"
        b.runs[key] = [measure([sys.executable, str(BENCH / "stages.py"), str(a.path)], b.env)]
        if b.missing(g, "bench/stages.py", key, b.runs[key]):
            continue
        try:
            s = json.loads(b.runs[key][-1].stdout.strip().splitlines()[-1])
        except (IndexError, ValueError):
            b.problems.append(f"{key}: no JSON on stdout")
            b.rows.append(Row(g, "bench/stages.py", "error (no JSON)"))
            continue
        stage_rows(b, g, s)


def stage_rows(b: Bench, g: str, s: dict) -> None:
    def ref(label: str, shown: str, value: float | None) -> None:
        b.rows.append(Row(g, label, shown, "—", value=value))

    lint = s["lint_s"]
    b.rows.append(Row(g, f"one process, {s['files']} files, {s['words']:,} words (bench/stages.py)", ""))
    ref("start-up: import blamelint", f"{s['startup_s']['import']:.2f} s", s["startup_s"]["import"])
    ref("start-up: load the model and the rules", f"{s['startup_s']['model']:.2f} s", s["startup_s"]["model"])
    ref("lint, start-up excluded", f"{lint:.2f} s", lint)
    ref("  = words/s in-process", f"{s['words_per_s']:,.0f} w/s", s["words_per_s"])
    short = {"markdown": "Markdown parsing", "first_pass": "first pass (tokenize, triggers, select)",
             "model": "the model (Analyzer.docs), as selected", "model_on_demand": "the model, asked later (analysed)",
             "detectors_rules": "detectors, rules, filters (rest)", "rewrite": "sentence rewrites",
             "batch": "batch: reading, memory zones, warm-up"}
    for name, label in short.items():
        sec = s["seconds"].get(name, 0.0)
        ref(f"  {label}", f"{sec:.2f} s {sec / lint:4.0%}" if lint else f"{sec:.2f} s", sec)
    prose, shares, stats = s["prose"], s["shares"], s["stats"]
    b.rows.append(Row(g, f"prose: {prose['blocks']:,} blocks, {prose['pieces']:,} sentences, "
                         f"{prose['tokens']:,} tokens", ""))
    for what, n in (("sentences", "pieces"), ("tokens", "tokens")):
        for stage, label in (("parsed", "tagger+parser"), ("ner", "NER")):
            share = shares[f"{stage}_{n}"]
            ref(f"  {what} through the {label}", f"{share:.1%} ({stats.get(f'{stage}_{n}', 0):,})", share)
    for name, w in s["wishers"].items():
        n = w["pieces"]
        own = w["own_categories"] if isinstance(w["own_categories"], str) else "/".join(w["own_categories"])
        ref(f"sentences asked for by {name}", f"{n:,} ({n / prose['pieces']:.1%})" if prose["pieces"] else "0", n)
        if n:
            if own == "any":
                ref("  … with a finding", f"{w['any'] / n:.0%}", w["any"] / n)
            else:
                ref(f"  … with a finding: any / {own}", f"{w['any'] / n:.0%} / {w['own'] / n:.0%}", w["own"] / n)
            ref("  … asked for by it alone", f"{w['alone']:,}", w["alone"])
    sel = s["selected"]
    if sel["pieces"]:
        ref("sentences selected (any wisher) with a finding", f"{sel['with_finding'] / sel['pieces']:.0%} of "
            f"{sel['pieces']:,}", sel["with_finding"] / sel["pieces"])
    ref("findings", f"{s['findings']['total']:,}", s["findings"]["total"])
    p = s.get("preview", {})
    if "error" in p:
        b.problems.append(f"stages, preview: {p['error']}")
        b.rows.append(Row(g, "classifier (preview: true)", "error"))
    elif p:
        ref("classifier (Judge.scores), preview: true", f"{p['classifier_ms_per_kw']:.1f} ms/1k w",
            p["classifier_ms_per_kw"])
        ref("  its model's load (once per process)", f"{p['classifier_load_s']:.2f} s", p["classifier_load_s"])
        ref("  preview ÷ default lint time (in-process)", f"{p['preview_vs_default']:.2f}×", p["preview_vs_default"])


def group_startup(b: Bench) -> None:
    g = "startup"
    runs = b.sample(list(startup_commands(b).items()))
    labels = {"check-doc2000": f"check --no-cache doc2000.md ({b.manifest['words']['doc2000.md']:,} w)",
              "version": "blamelint --version", "rules": "blamelint rules",
              "spacy-load": "python -c 'spacy.load(MODEL)'"}
    walls = {}
    for key in ("check-doc2000", "spacy-load"):
        row = b.plain(g, labels[key], key, runs[key], median_wall, lambda v: f"{v:.2f} s")
        walls[key] = row.value if row else None
    for key in ("version", "rules"):
        if not b.missing(g, labels[key], key, runs[key]):
            wall = median_wall(runs[key])
            b.rows.append(judged(g, labels[key], wall, f"{wall:.2f} s", "<", TARGETS["light_command_s"],
                                 f"{TARGETS['light_command_s']:g} s"))
    if walls["check-doc2000"] and walls["spacy-load"]:
        ratio = walls["check-doc2000"] / walls["spacy-load"]
        b.rows.append(judged(g, "check doc2000.md ÷ spacy.load", ratio, f"{ratio:.2f}×", "<=",
                             TARGETS["check_vs_load"], f"{TARGETS['check_vs_load']:g}×"))
    daemon_row(b, g)


def daemon_row(b: Bench, g: str) -> None:
    """`check --no-cache doc2000.md` while a `blamelint daemon` of the bench's own (a private
    runtime dir, so a user's daemon is never used or stopped) keeps the model loaded."""
    label = "check --no-cache doc2000.md, daemon running"
    runtime = Path(tempfile.mkdtemp(prefix="blamelint-bench-daemon-"))
    env = dict(b.env, XDG_RUNTIME_DIR=str(runtime))
    env.pop("BLAMELINT_NO_DAEMON", None)
    bl = blamelint_cmd()
    start = measure(bl + ["daemon", "start"], env)
    if start.unavailable or start.failed:
        b.rows.append(Row(g, label, NA if start.unavailable else f"error (daemon start: exit {start.rc})"))
        return
    try:
        runs = [measure(bl + ["check", "--no-cache", str(b.doc2000)], env) for _ in range(max(b.args.repeat, 3))]
    finally:
        measure(bl + ["daemon", "stop"], env)
    if b.missing(g, label, "check-doc2000-daemon", runs):
        return
    wall = median_wall(runs)
    b.rows.append(judged(g, label, wall, f"{wall:.2f} s", "<", TARGETS["daemon_check_s"],
                         f"{TARGETS['daemon_check_s']:g} s"))


def group_memory(b: Bench) -> None:
    g = "memory"
    startup = startup_commands(b)
    generated = archive_commands(b, b.archives[0])
    wanted = [(k, startup[k]) for k in ("check-doc2000", "version", "rules", "spacy-load")]
    wanted.append(("generated:check-j1", generated["generated:check-j1"]))
    b.sample(wanted)
    labels = {"check-doc2000": "check --no-cache doc2000.md", "version": "blamelint --version",
              "rules": "blamelint rules", "spacy-load": "python -c 'spacy.load(MODEL)'",
              "generated:check-j1": "check -j 1 --no-cache archive",
              "generated:check-jN": f"check -j {b.args.jobs}, largest process",
              "generated:exhaustive": "check -j 1 --exhaustive archive",
              "real:check-j1": "check -j 1 --no-cache real archive"}
    limited = {"check-doc2000", "generated:check-j1"}
    later = ("generated:check-jN", "generated:exhaustive", "real:check-j1")  # when the throughput group ran
    keys = [k for k, _ in wanted] + [k for k in later if k in b.runs]
    for key in keys:
        label = f"peak RSS: {labels[key]}"
        if b.missing(g, label, key, b.runs[key]):
            continue
        rss = median_rss(b.runs[key])
        if key in limited:
            b.rows.append(judged(g, label, rss, f"{rss:.0f} MB", "<", TARGETS["memory_mb"], f"{TARGETS['memory_mb']} MB"))
        else:
            b.rows.append(Row(g, label, f"{rss:.0f} MB", "—", value=rss))


def source_stamp() -> float:
    """Latest modification time of blamelint's code and rule packs (the cache fingerprint covers them)."""
    import blamelint

    package = Path(blamelint.__file__).resolve().parent
    files = [p for d in (package, package.parent / "rules") if d.is_dir() for p in d.rglob("*") if p.is_file()]
    return max((p.stat().st_mtime for p in files), default=0.0)


def group_incremental(b: Bench) -> None:
    g = "incremental"
    bl, archive = blamelint_cmd(), str(b.archive)
    report = bl + ["report", archive, "--format", "json", "-o", os.devnull]
    fallback = bl + ["check", "--format", "json", "-q", archive]
    cold, warm, used = [], [], "report"
    for _ in range(b.args.repeat):
        with tempfile.TemporaryDirectory(prefix="blamelint-bench-cache-") as cache:
            env = dict(b.env, BLAMELINT_CACHE_DIR=cache)
            stamp = source_stamp()
            first = measure(report if used == "report" else fallback, env)
            if used == "report" and first.unavailable:
                used = "check"
                first = measure(fallback, env)
            cold.append(first)
            if first.unavailable or first.failed:
                break
            warm.append(measure(report if used == "report" else fallback, env))
            if warm[-1].unavailable or warm[-1].failed:
                break
            if source_stamp() != stamp:
                b.problems.append("incremental: blamelint's source or rules changed between the cold and the warm "
                                  "run, so the warm run may have missed the cache (its fingerprint covers the code)")
    b.runs["incremental-cold"], b.runs["incremental-warm"] = cold, warm
    name = "report --format json -o /dev/null" if used == "report" else "check (report n/a) --format json"
    b.rows.append(Row(g, f"{name}, archive", ""))
    c = b.plain(g, "cold cache (empty BLAMELINT_CACHE_DIR)", "cold", cold, median_wall, lambda v: f"{v:.2f} s")
    if not c or not warm:
        return
    w = b.plain(g, "warm cache (same again)", "warm", warm, median_wall, lambda v: f"{v:.2f} s")
    if w:
        ratio = c.value / w.value
        b.rows.append(judged(g, "cold ÷ warm", ratio, f"{ratio:.1f}×", ">=", TARGETS["warm_speedup"],
                             f"{TARGETS['warm_speedup']:g}×"))


def group_lsp(b: Bench) -> None:
    import lsp_bench

    def sample(g: str, make) -> dict | None:
        samples = []
        try:
            for _ in range(b.args.repeat):
                samples.append(asyncio.run(make()))
        except Exception as exc:  # the server crashed or did not answer: report it, keep the other figures
            b.problems.append(f"{g}: {type(exc).__name__}: {exc}")
            b.rows.append(Row(g, "language server", f"error ({type(exc).__name__})"))
            return None
        return {k: statistics.median(s[k] for s in samples) for k in samples[0]
                if isinstance(samples[0][k], (int, float))}

    def latency_rows(g: str, med: dict, t: dict = lsp_bench.TARGETS) -> None:
        b.rows.append(Row(g, "first open, including loading the model", f"{med['first_open_s']:.2f} s", "—",
                          value=med["first_open_s"]))
        b.rows.append(judged(g, "open (model already loaded)", med["open_s"], f"{med['open_s']:.2f} s", "<=",
                             t["open_s"], f"{t['open_s']:g} s"))
        b.rows.append(judged(g, "edit → diagnostics, median", med["edit_median_ms"],
                             f"{med['edit_median_ms']:.0f} ms", "<=", t["edit_median_ms"], f"{t['edit_median_ms']} ms"))
        b.rows.append(judged(g, "edit → diagnostics, p95", med["edit_p95_ms"], f"{med['edit_p95_ms']:.0f} ms", "<=",
                             t["edit_p95_ms"], f"{t['edit_p95_ms']} ms"))

    g = "lsp: generated document"
    med = sample(g, lambda: lsp_bench.run(b.args.lsp_edits, b.args.lsp_docs, 1))
    if med:
        t = lsp_bench.TARGETS
        b.rows.append(Row(g, f"{med['words']:,.0f}-word post-mortem, server on 1 core, {b.args.lsp_edits} edits", ""))
        latency_rows(g, med)
        b.rows.append(judged(g, f"memory, {b.args.lsp_docs} documents open (VmRSS)", med["memory_mb"],
                             f"{med['memory_mb']:.0f} MB", "<=", t["memory_mb"], f"{t['memory_mb']} MB"))
        b.rows.append(Row(g, "peak memory of the server (VmHWM)", f"{med['peak_memory_mb']:.0f} MB", "—",
                          value=med["peak_memory_mb"]))

    g = "lsp: real document"
    real = b.archives[-1] if b.archives[-1].key == "real" else None
    if real is None or real.skipped:
        b.rows.append(Row(g, "real post-mortems", real.skipped if real else "skipped"))
        return
    text, used = lsp_bench.real_document(real.path)
    med = sample(g, lambda: lsp_bench.run(lsp_bench.REAL_EDITS, 1, 1, text=text, pause=lsp_bench.REAL_PAUSE_S))
    if med:
        b.rows.append(Row(g, f"{med['words']:,.0f} words: {used} whole real post-mortems, "
                             f"{lsp_bench.REAL_EDITS} edits {lsp_bench.REAL_PAUSE_S * 1000:.0f} ms apart", ""))
        latency_rows(g, med, lsp_bench.REAL_TARGETS)


RUNNERS = {"throughput": group_throughput, "stages": group_stages, "startup": group_startup, "memory": group_memory,
           "incremental": group_incremental, "lsp": group_lsp}


# ---------------------------------------------------------------- machine and data


def machine(model: str) -> list[str]:
    cpu = platform.processor() or "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()

    def version(dist: str) -> str:
        try:
            return importlib.metadata.version(dist)
        except importlib.metadata.PackageNotFoundError:
            return "?"

    model_dists = importlib.metadata.packages_distributions().get(model, [model])
    try:
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,
                                text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=ROOT,
                               capture_output=True, text=True).stdout.strip()
        commit += " + uncommitted changes" if dirty else ""
    except (OSError, subprocess.CalledProcessError):
        commit = "?"
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    return [
        f"machine: {cpu}, {os.cpu_count()} cores ({usable} usable), {platform.system()} {platform.release()}",
        f"python {platform.python_version()}, spaCy {version('spacy')}, model {model} {version(model_dists[0])}, "
        f"blamelint {version('blamelint')} at {commit}",
        f"load average at start: {load}   ({dt.datetime.now():%Y-%m-%d %H:%M})",
    ]


def ensure_data(root: Path, quick: bool, seed: int) -> tuple[Path, dict]:
    sizes = gen.QUICK if quick else gen.FULL
    out = root / "quick" if quick else root
    gen.ensure_gitignore(root)
    if not gen.is_current(out, seed, sizes):
        print(f"generating the benchmark set in {out} …", flush=True)
        files, manifest = gen.generate(seed, **sizes)
        gen.write(out, files, manifest)
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    return out, manifest


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, help="runs per figure, median reported (default 3; 1 with --quick)")
    parser.add_argument("--quick", action="store_true", help="20-document archive, one repeat, no language server")
    parser.add_argument("--only", action="append", default=[], metavar="GROUP",
                        help=f"run only these groups (repeatable or comma-separated): {', '.join(GROUPS)}")
    parser.add_argument("--seed", type=int, default=0, help="generator seed (default 0)")
    parser.add_argument("--data", type=Path, default=gen.DEFAULT_OUT, help="data directory (default bench/.data)")
    parser.add_argument("--jobs", type=int, default=2, help="N for check -j N (default 2, the issue's figure)")
    parser.add_argument("--real", type=Path, default=None,
                        help="folder of real post-mortems, read in place (default ../shared/realworld/docs; "
                             "with --quick only when given)")
    parser.add_argument("--lsp-edits", type=int, default=30, help="edits timed per language-server run")
    parser.add_argument("--lsp-docs", type=int, default=20, help="documents open for the memory figure")
    parser.add_argument("--json", type=Path, help="also write the figures to this JSON file")
    args = parser.parse_args(argv)
    only = [g.strip() for value in args.only for g in value.split(",") if g.strip()]
    unknown = [g for g in only if g not in GROUPS]
    if unknown:
        parser.error(f"unknown group {', '.join(unknown)} (choose from {', '.join(GROUPS)})")
    groups = [g for g in GROUPS if g in only] if only else [g for g in GROUPS if not (args.quick and g == "lsp")]
    if args.repeat is None:
        args.repeat = 1 if args.quick else 3
    args.repeat = max(1, args.repeat)

    from blamelint.analysis.nlp import resolve_model

    model = resolve_model()
    header = machine(model)
    data, manifest = ensure_data(args.data, args.quick, args.seed)
    scratch = Path(tempfile.mkdtemp(prefix="blamelint-bench-"))
    env = dict(os.environ, BLAMELINT_CACHE_DIR=str(scratch / "cache"), BLAMELINT_NO_DAEMON="1")  # (a daemon: one row)
    env.pop("NO_COLOR", None)
    bench = Bench(args, data, manifest, env, model)
    bench.archives = [archive_at("generated", data / "archive"),
                      archive_at("real", args.real or REAL_DIR,
                                 "skipped: --quick (give --real DIR to include it)" if args.quick and not args.real
                                 else None)]
    print("\n".join(header))
    print(gen.summary(data, manifest))
    for a in bench.archives:
        print(f"{a.title}: {a.path}: " + (a.skipped or f"{a.files} files, {a.words:,} words"))
    print(WORDS_RULE)
    print(f"median of {args.repeat} run(s) per figure; ratio = value ÷ target", flush=True)
    try:
        for group in groups:
            started = time.perf_counter()
            RUNNERS[group](bench)
            print(f"  … {group} done in {time.perf_counter() - started:.0f} s", flush=True)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)

    print()
    print(f"  {'figure':<52} {'value':>16}  {'target':<14} {'ratio':>6}  verdict")
    current = None
    for row in bench.rows:
        if row.group != current:
            current = row.group
            print(current)
        print(row.line())
    if bench.problems:
        print("\nnotes and errors:")
        for p in bench.problems:
            print(f"  {p}")
    missed = [r for r in bench.rows if r.verdict == "MISSED"]
    met = [r for r in bench.rows if r.verdict == "met"]
    print(f"\n{len(met)} target(s) met, {len(missed)} missed" + (": " + "; ".join(f"{r.group}: {r.label}" for r in missed) if missed else ""))
    if args.json:
        args.json.write_text(json.dumps({
            "machine": header, "data": manifest, "repeat": args.repeat, "words": WORDS_RULE,
            "archives": [{"archive": a.key, "path": str(a.path), "files": a.files, "words": a.words,
                          "skipped": a.skipped} for a in bench.archives],
            "figures": [{"group": r.group, "figure": r.label, "value": r.value, "shown": r.shown, "target": r.target,
                         "ratio": r.ratio, "verdict": r.verdict} for r in bench.rows],
        }, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
