"""When each file first appeared in its git repository: one batched `git log` per repository."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
from pathlib import Path

MARK = "\x1e"


def repo_root(path: Path) -> Path | None:
    """The working tree containing path (a `.git` directory or file), found without running git."""
    for d in (path, *path.parents):
        if (d / ".git").exists():
            return d
    return None


def first_commit_dates(files: list[Path], timeout: float = 60.0) -> dict[Path, dt.date]:
    """{file: date of the first commit that added it} for the files tracked by git.

    One `git log --diff-filter=A --name-only` call per repository (in practice one for the whole
    archive), limited to the directories the files are in; git missing, a file outside any
    repository or not yet committed simply has no date."""
    by_root: dict[Path, dict[str, Path]] = {}
    for f in files:
        try:
            resolved = f.resolve()
        except (OSError, RuntimeError):
            continue
        root = repo_root(resolved.parent)
        if root is None:
            continue
        by_root.setdefault(root, {})[resolved.relative_to(root).as_posix()] = f
    out: dict[Path, dt.date] = {}
    for root, wanted in by_root.items():
        dirs = sorted({os.path.dirname(rel) or "." for rel in wanted})
        cmd = ["git", "-c", "core.quotePath=off", "-C", str(root), "log", "--diff-filter=A", "--no-renames",
               f"--format={MARK}%aI", "--name-only", "--", *dirs]
        try:
            proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, encoding="utf-8",
                                  errors="replace")
        except (OSError, subprocess.SubprocessError):
            continue
        if proc.returncode != 0:
            continue
        current = None
        for line in proc.stdout.split("\n"):  # not splitlines(): it splits on the \x1e mark too
            if line.startswith(MARK):
                try:
                    current = dt.date.fromisoformat(line[1:11])
                except ValueError:
                    current = None
                continue
            f = wanted.get(line.strip())
            if f is not None and current is not None and (f not in out or current < out[f]):
                out[f] = current
    return out
