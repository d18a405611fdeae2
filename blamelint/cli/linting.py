"""How `check` lints: stdin, files fixed in place (or their fixes shown as a diff), or a batch in
worker processes, gathering what the output needs in a `Run`."""

from __future__ import annotations

import difflib
import os
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import click

from blamelint import engine, runner
from blamelint.cache import ResultCache
from blamelint.cli.options import worker_count
from blamelint.document import Document, kind_for_path
from blamelint.errors import guarded
from blamelint.findings import FileResult


@dataclass
class Run:
    """What one check gathers: results, the rules they name, diffs, and errors to print at the end."""

    results: list[FileResult] = field(default_factory=list)
    rules_by_id: dict = field(default_factory=dict)
    diffs: list[str] = field(default_factory=list)
    errors: list[tuple[str, str]] = field(default_factory=list)

    def record(self, result: FileResult, linter) -> None:
        self.rules_by_id.update(linter.ruleset.by_id())
        doc = result.document
        if doc is not None and doc.blocks:  # the formats need positions only: keep a light copy
            result.document = Document.plain(doc.source, doc.path, doc.bom)
        self.results.append(result)
        if result.internal:
            self.errors.append((result.path, result.error))
        for problem in result.problems:
            click.echo(f"warning: {problem}", err=True)


def lint_stdin(run: Run, config_for, stdin_filename: str | None, max_size: int, fix: bool, diff: bool,
               exhaustive: bool, unsafe: bool = False) -> None:
    """Lint the text on stdin; with --fix write the fixed text to stdout, with --diff keep its diff."""
    shown = stdin_filename or "-"
    config = config_for(Path(stdin_filename) if stdin_filename else None)
    text, problem, _ = runner.read_text(sys.stdin.buffer.read(), max_size)
    if problem:
        run.errors.append((shown, problem))
        return
    linter = engine.linter_for(config)
    if (fix or diff) and kind_for_path(stdin_filename) == "html":
        result = refuse_fix(linter, text, shown, diff)
        if fix:
            sys.stdout.write(text)
    elif fix or diff:
        new_text, result = fix_isolated(linter, text, shown, unsafe=unsafe)
        if diff and new_text != text:
            run.diffs.append(unified(text, new_text, shown))
            result = isolated(linter.lint_text, shown, text)
        elif fix:
            sys.stdout.write(new_text)
    else:
        result = runner.lint_isolated(text, shown, config, exhaustive)
    result.path = shown
    run.record(result, linter)


def fix_files(run: Run, files: list[Path], config_for, max_size: int, diff: bool, unsafe: bool = False) -> None:
    """Apply each file's safe fixes (with `unsafe`, rewrites with slots too) in place, or with `diff`
    keep them as a unified diff. The result recorded is the fixed text's, or the original's when it
    was not changed."""
    for file in files:
        shown = str(file)
        text, problem, bom = runner.read_file(file, max_size)
        if problem:
            run.errors.append((shown, problem))
            continue
        linter = engine.linter_for(config_for(file))
        if kind_for_path(file) == "html":
            result = refuse_fix(linter, text, shown, diff, bom)
            new_text = text
        else:
            new_text, result = fix_isolated(linter, text, shown, bom, unsafe)
        if new_text != text:
            if diff:
                run.diffs.append(unified(text, new_text, shown))
                result = isolated(linter.lint_text, shown, text, bom)
            else:
                problem = write_fixed(file, text, new_text, bom)
                if problem:
                    run.errors.append((shown, problem))
                    result = isolated(linter.lint_text, shown, text, bom)
        result.path = shown
        run.record(result, linter)


def lint_batch(run: Run, files: list[Path], config_for, jobs: int, exhaustive: bool, max_size: int,
               no_cache: bool) -> None:
    """Lint the files in worker processes, reusing cached results unless `no_cache`."""
    for outcome in runner.lint_files(files, config_for, jobs=worker_count(jobs), exhaustive=exhaustive,
                                     max_bytes=max_size, cache=None if no_cache else ResultCache()):
        if outcome.error:
            run.errors.append((outcome.shown, outcome.error))
            continue
        if not outcome.text.strip():
            click.echo(f"warning: {outcome.shown}: empty file, nothing to lint", err=True)
        run.record(outcome.result, engine.linter_for(config_for(outcome.file)))


def refuse_fix(linter, text: str, shown: str, diff: bool, bom: bool = False):
    """An HTML export is not fixed (its fixes would edit the markup of a generated page): the
    file's findings, with a warning saying why."""
    result = isolated(linter.lint_text, shown, text, bom)
    what = "--diff shows no fixes for" if diff else "--fix does not rewrite"
    result.problems.append(f"{shown}: {what} HTML exports; fix the source document instead")
    return result


def isolated(lint, shown: str, text: str, bom: bool = False):
    """lint(text, shown), a lint of one input; an unexpected exception becomes that input's
    internal-error result unless --debug."""
    return guarded(lambda: lint(text, shown), lambda exc: runner.failed(shown, text, exc, bom))


def fix_isolated(linter, text: str, shown: str, bom: bool = False, unsafe: bool = False):
    """fix_text, isolated like a lint: a failure leaves the text as it was."""
    return guarded(lambda: engine.fix_text(linter, text, shown, unsafe),
                   lambda exc: (text, runner.failed(shown, text, exc, bom)))


def unified(text: str, new_text: str, shown: str) -> str:
    return "".join(difflib.unified_diff(text.splitlines(keepends=True), new_text.splitlines(keepends=True),
                                        fromfile=f"a/{shown}", tofile=f"b/{shown}"))


def write_fixed(path: Path, old_text: str, new_text: str, bom: bool) -> str | None:
    """Write the fixed text over path, unless the file changed since it was read or cannot be
    written; then say why (the file is left as it was)."""
    try:
        now = path.read_bytes()
    except OSError as exc:
        return f"not fixed: cannot read it again ({exc.strerror or exc})"
    if now != (("\ufeff" if bom else "") + old_text).encode("utf-8"):
        return "not fixed: the file changed on disk while it was being linted; run again"
    if not os.access(path, os.W_OK) or not path.stat().st_mode & 0o222:  # (root may write anything)
        return "not fixed: the file is read-only"
    try:
        write_atomic(path, new_text, bom)
    except OSError as exc:
        return f"not fixed: cannot write ({exc.strerror or exc}); the file was left as it was"
    return None


def write_atomic(path: Path, text: str, bom: bool) -> None:
    data = (("\ufeff" if bom else "") + text).encode("utf-8")
    mode = path.stat().st_mode
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".blamelint-tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, mode & 0o7777)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
