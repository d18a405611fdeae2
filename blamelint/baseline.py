"""Baselines: record the findings an existing archive has today, report only new ones.

A baseline file is JSON, sorted and indented so it diffs well:

    {"version": 1,
     "findings": [{"file": "pm/2023-01.md", "rule": "human-error", "text": "human error", "count": 2}]}

A finding matches a baseline entry by (file, rule, text), where text is the finding's matched
text with its whitespace collapsed; positions are not recorded, so edits elsewhere in the file do
not resurface old findings. Entries are counted: with 2 recorded and 3 in the file now, one of
the three (the last) is reported.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePath

from blamelint.errors import ConfigError, InputError
from blamelint.loading import parse_json, read_text

VERSION = 1
_WS = re.compile(r"\s+")


def normalise_text(text: str) -> str:
    return _WS.sub(" ", text).strip()


def relative_file(path: str, root: Path | None = None) -> str:
    """A result's path as a POSIX path relative to root when it is under root, else as given."""
    if path == "-":
        return path
    p = Path(path)
    base = Path(root) if root is not None else Path.cwd()
    try:
        rel = p.resolve().relative_to(base.resolve())
    except (ValueError, OSError, RuntimeError):
        rel = p
    return PurePath(rel).as_posix()


def _finding_text(result, finding) -> str:
    text = finding.text
    if not text:
        source = getattr(result.document, "source", None)
        if isinstance(source, str):
            text = source[finding.start:finding.end]
    return normalise_text(text)


@dataclass
class Baseline:
    """The recorded findings: (file, rule, text) → how many."""

    counts: Counter = field(default_factory=Counter)
    root: Path | None = None  # paths in the file are relative to this (default: the working directory)
    path: str | None = None

    def __len__(self) -> int:
        return sum(self.counts.values())

    def filter(self, result):
        """The result without the findings the baseline holds (as a multiset per file)."""
        if result.error is not None or not result.findings:
            return result
        file = relative_file(result.path, self.root)
        left: Counter = Counter()
        kept = []
        for finding in result.findings:
            key = (file, finding.rule, _finding_text(result, finding))
            if key not in left:
                left[key] = self.counts.get(key, 0)
            if left[key] > 0:
                left[key] -= 1
            else:
                kept.append(finding)
        return replace(result, findings=kept)

    def filter_all(self, results) -> list:
        return [self.filter(r) for r in results]


def build(results, root: Path | None = None) -> Baseline:
    counts: Counter = Counter()
    for result in results:
        if result.error is not None:
            continue
        file = relative_file(result.path, root)
        for finding in result.findings:
            counts[(file, finding.rule, _finding_text(result, finding))] += 1
    return Baseline(counts, root)


def dumps(baseline: Baseline) -> str:
    entries = [
        {"file": file, "rule": rule, "text": text, "count": count}
        for (file, rule, text), count in sorted(baseline.counts.items())
        if count > 0
    ]
    return json.dumps({"version": VERSION, "findings": entries}, indent=2, ensure_ascii=False) + "\n"


def write_baseline(path: str | Path, results, root: Path | None = None) -> int:
    """Record every finding of results in a baseline file (atomically). Returns how many."""
    baseline = build(results, root if root is not None else Path.cwd())
    target = Path(path)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    except OSError as exc:
        raise InputError(f"{target}: cannot write baseline file: {exc.strerror or exc}") from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(dumps(baseline))
        os.replace(tmp, target)
    except BaseException as exc:
        if os.path.exists(tmp):
            os.unlink(tmp)
        if isinstance(exc, OSError):
            raise InputError(f"{target}: cannot write baseline file: {exc.strerror or exc}") from None
        raise
    return len(baseline)


def load_baseline(path: str | Path, root: Path | None = None) -> Baseline:
    """Read a baseline file; a missing or malformed one raises ConfigError naming the file."""
    p = Path(path)
    raw = read_text(p, ConfigError, "baseline file",
                    missing="baseline file not found (create it with --write-baseline)")
    data = parse_json(raw, p, ConfigError, "baseline")
    if not isinstance(data, dict) or "findings" not in data:
        raise ConfigError(f"{p}: not a blamelint baseline (expected an object with 'version' and 'findings')")
    if data.get("version") != VERSION:
        raise ConfigError(f"{p}: unsupported baseline version {data.get('version')!r} (expected {VERSION}); "
                          "write it again with --write-baseline")
    entries = data["findings"]
    if not isinstance(entries, list):
        raise ConfigError(f"{p}: 'findings' must be a list")
    counts: Counter = Counter()
    for i, entry in enumerate(entries, 1):
        problem = _entry_problem(entry)
        if problem:
            raise ConfigError(f"{p}: findings entry {i}: {problem}")
        counts[(entry["file"], entry["rule"], normalise_text(entry["text"]))] += entry.get("count", 1)
    return Baseline(counts, root if root is not None else Path.cwd(), str(p))


def _entry_problem(entry) -> str | None:
    if not isinstance(entry, dict):
        return "expected an object with file, rule, text and count"
    for key in ("file", "rule", "text"):
        if not isinstance(entry.get(key), str):
            return f"'{key}' must be a string"
    count = entry.get("count", 1)
    if not isinstance(count, int) or isinstance(count, bool) or count < 1:
        return "'count' must be a positive whole number"
    return None
