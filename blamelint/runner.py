"""Lint many files: discovery, reading, the result cache and worker processes.

The CLI's `check` and `report` both go through `lint_files`, which yields one `Outcome` per
file in input order, whether it was linted here, in a worker process or served from the cache.
"""

from __future__ import annotations

import errno
import os
import signal
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from blamelint.document import Document
from blamelint.engine import linter_for
from blamelint.errors import guarded
from blamelint.findings import FileResult
from blamelint.limits import MAX_BYTES

EXTENSIONS = (".md", ".markdown", ".mdx", ".txt", ".html", ".htm")
SKIP_DIRS = {".git", ".hg", ".svn", "node_modules", ".venv", "venv", "__pycache__", ".tox"}


@dataclass
class Outcome:
    """One input file: its text and result, or why it could not be linted."""

    shown: str
    file: Path | None
    text: str | None = None
    result: object | None = None  # blamelint.findings.FileResult
    error: str | None = None
    cached: bool = False
    bom: bool = False


def collect(paths: Iterable[str], errors: list[tuple[str, str]]) -> list[Path]:
    """Files to lint: explicit files as given, directories searched recursively (hidden and
    vendored directories skipped, symlinked directories not followed). Problems go to `errors`."""
    files: list[Path] = []
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            found = _walk(p, errors)
            if not found:
                errors.append((raw, "no Markdown or text files (*.md, *.markdown, *.mdx, *.txt) or HTML exports "
                                    "(*.html, *.htm) found in this directory"))
            files.extend(found)
        elif p.exists():
            files.append(p)
        elif p.is_symlink():
            errors.append((raw, _broken_link(p)))
        else:
            errors.append((raw, "no such file or directory"))
    seen, unique = set(), []
    for f in files:
        try:
            key = f.resolve()
        except (OSError, RuntimeError):
            key = f
        if key not in seen:
            seen.add(key)
            unique.append(f)
    return unique


def _walk(root: Path, errors: list[tuple[str, str]]) -> list[Path]:
    found = []
    for dirpath, dirnames, filenames in os.walk(root, onerror=lambda e: errors.append((e.filename, _reason(e)))):
        dirnames[:] = sorted(d for d in dirnames if d not in SKIP_DIRS and not d.startswith("."))
        for name in filenames:
            if not name.lower().endswith(EXTENSIONS) or name.startswith("."):
                continue
            f = Path(dirpath) / name
            if f.is_symlink() and not f.exists():
                errors.append((str(f), _broken_link(f)))
            elif f.is_file():
                found.append(f)
    return sorted(found)


def _broken_link(p: Path) -> str:
    try:
        p.resolve(strict=True)
    except RuntimeError:
        return "symlink loop, not linted"
    except OSError as exc:
        if getattr(exc, "errno", None) == errno.ELOOP:
            return "symlink loop, not linted"
    return "broken symlink, not linted"


def _reason(exc: OSError) -> str:
    return f"cannot read: {exc.strerror or exc}"


def excluded(path: Path, config) -> bool:
    """True when a discovered file matches one of the config's exclude globs (relative to its root)."""
    import fnmatch

    if not config.exclude:
        return False
    try:
        rel = path.resolve().relative_to(config.root.resolve()).as_posix()
    except ValueError:
        rel = path.as_posix()
    return any(fnmatch.fnmatch(rel, g) or fnmatch.fnmatch(rel, g.rstrip("/") + "/*") for g in config.exclude)


def _size(n: int) -> str:
    return f"{n / 1e6:.1f} MB" if n >= 100_000 else f"{n:,} bytes"


def _too_big(size: int, limit: int) -> str:
    return f"file is {_size(size)}, larger than the {_size(limit)} limit (--max-size)"


def read_text(data: bytes, max_bytes: int = MAX_BYTES) -> tuple[str | None, str | None, bool]:
    """Decode a file's bytes: (text, error, bom)."""
    if len(data) > max_bytes:
        return None, _too_big(len(data), max_bytes), False
    if b"\0" in data[:8192]:
        return None, "binary file (contains NUL bytes), not linted", False
    bom = data.startswith(b"\xef\xbb\xbf")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        return None, f"not valid UTF-8 (byte 0x{data[exc.start]:02x} on line {line}), not linted", False
    return text, None, bom


def read_file(file: Path, max_bytes: int = MAX_BYTES) -> tuple[str | None, str | None, bool]:
    try:
        size = file.stat().st_size
        if size > max_bytes:
            return None, _too_big(size, max_bytes), False
        data = file.read_bytes()
    except OSError as exc:
        return None, _reason(exc), False
    return read_text(data, max_bytes)


def lint_files(files: list[Path], config_for: Callable, *, jobs: int = 1, cache=None, exhaustive: bool = False,
               max_bytes: int = MAX_BYTES) -> Iterator[Outcome]:
    """Lint files and yield an Outcome for each, in input order.

    `config_for(path)` gives each file's Config. With `jobs` > 1 the files not served from the
    cache are linted in that many worker processes, each loading the pipeline once.
    """
    pending: dict[int, tuple[Outcome, object]] = {}
    outcomes: list[Outcome] = []
    for file in files:
        shown = str(file)
        text, error, bom = read_file(file, max_bytes)
        outcome = Outcome(shown, file, text, error=error, bom=bom)
        outcomes.append(outcome)
        if error:
            continue
        config = config_for(file)
        if cache is not None:
            hit = cache.get(text, shown, _linter(config))
            if hit is not None:
                hit.path = shown
                outcome.result, outcome.cached = _attach(hit, outcome), True
                continue
        pending[len(outcomes) - 1] = (outcome, config)

    linted = _run(pending, jobs, exhaustive)
    next_index = 0
    for index, result in linted:
        outcome = outcomes[index]
        outcome.result = result
        if cache is not None and not result.error:
            cache.put(outcome.text, outcome.shown, _linter(pending[index][1]), result)
        while next_index < len(outcomes) and (outcomes[next_index].result is not None
                                              or outcomes[next_index].error):
            yield outcomes[next_index]
            next_index += 1
    while next_index < len(outcomes):
        yield outcomes[next_index]
        next_index += 1


def _linter(config):
    return linter_for(config)


def _attach(result, outcome: Outcome):
    """A cached or worker result carries no Document; give it a plain one for positions."""
    if result.document is None:
        result.document = Document.plain(outcome.text, outcome.shown, outcome.bom)
    return result


def lint_one(text: str, path: str, config, exhaustive: bool = False):
    """Lint one text with the linter for its config (in this process). Once the pipeline is loaded,
    files are linted in memory zones (`Analyzer.transient`), so an archive's vocabulary does not
    accumulate; `_release` frees the last one."""
    linter = _linter(config)
    if not linter.analyzer.loaded:
        return linter.lint_text(text, path, exhaustive=exhaustive, once=True)
    linter.prepare()
    with linter.analyzer.transient(len(text)):
        return linter.lint_text(text, path, exhaustive=exhaustive, once=True)


def lint_isolated(text: str, path: str, config, exhaustive: bool = False, bom: bool = False):
    """`lint_one`, but an unexpected exception becomes the file's `internal-error` result, so
    one odd file never sinks a batch (`errors.guarded`). Bad input the engine names (a broken
    rule pack, a missing model) still raises."""
    return guarded(lambda: lint_one(text, path, config, exhaustive), lambda exc: failed(path, text, exc, bom))


def failed(path: str, text: str, exc: BaseException, bom: bool = False):
    """A FileResult saying blamelint failed on this file (see FileResult.failed)."""
    return FileResult.failed(path, Document.plain(text, path, bom), exc)


def _release(configs) -> None:
    for config in configs:
        _linter(config).analyzer.release()


def _run(pending, jobs: int, exhaustive: bool):
    """Yield (index, FileResult) for each pending file, in order."""
    if jobs <= 1 or len(pending) <= 1:
        try:
            for index, (outcome, config) in pending.items():
                result = lint_isolated(outcome.text, outcome.shown, config, exhaustive, outcome.bom)
                result.path = outcome.shown
                yield index, result
        finally:
            _release(config for _, config in pending.values())
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    methods = multiprocessing.get_all_start_methods()
    ctx = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
    if "fork" in methods:  # the workers inherit spaCy and the tokenizer: imported once, not once each
        for config in {id(c): c for _, c in pending.values()}.values():
            _linter(config).analyzer.light  # noqa: B018 - loads the tokenizer pipeline
    pool = ProcessPoolExecutor(max_workers=min(jobs, len(pending)), mp_context=ctx, initializer=_worker_init)
    left = dict(pending)  # not yet yielded
    try:
        # the longest first, so no worker is left with a long file while the other idles
        longest = sorted(pending, key=lambda i: -len(pending[i][0].text))
        submitted = {index: pool.submit(_worker_lint, (index, pending[index][0].text, pending[index][0].shown,
                                                        pending[index][1], exhaustive)) for index in longest}
        futures = [(index, submitted[index]) for index in pending]  # results in input order
        for index, future in futures:
            try:
                result = future.result()[1]
            except BrokenProcessPool:  # a worker died (killed, out of memory): lint the rest here
                break
            _attach(result, pending[index][0])
            del left[index]
            yield index, result
    except BaseException:
        _stop(pool)
        raise
    if not left:
        pool.shutdown()
        return
    _stop(pool)
    yield from _run(left, 1, exhaustive)


def _stop(pool) -> None:
    workers = list((getattr(pool, "_processes", None) or {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    for proc in workers:
        proc.terminate()
    for proc in workers:
        proc.join(5)


def _worker_init() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C and stops the pool


def _worker_lint(task):
    index, text, shown, config, exhaustive = task
    result = lint_isolated(text, shown, config, exhaustive)
    result.path = shown
    result.document = None  # the parent re-attaches a light Document; the parse does not cross processes
    return index, result
