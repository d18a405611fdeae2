"""A persistent cache of lint results, so an unchanged post-mortem is not parsed again.

One small JSON file per entry, named by sha256(fingerprint + text), in two-character shard
directories under `<cache dir>/v<FORMAT_VERSION>/`. The fingerprint (`fingerprint(linter)`)
covers everything that can change the findings besides the text: blamelint's own code, every
rule pack, the config, plugins, the spaCy pipeline, today's date and the document kind.

Entries are written to a temporary file and renamed into place, so a concurrent reader sees
either the whole entry or none. An entry that cannot be read or decoded is a miss (and is
removed). The directory is pruned (least recently used first) when it grows past
`MAX_BYTES` or `MAX_ENTRIES`; the size check runs at most once every `PRUNE_INTERVAL` seconds.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import sys
import tempfile
import time
from functools import lru_cache
from pathlib import Path

from blamelint import __version__
from blamelint.analysis.nlp import resolve_model
from blamelint.document import kind_for_path
from blamelint.errors import BlamelintError
from blamelint.findings import FileResult, Finding
from blamelint.rules import builtin_pack_paths

FORMAT_VERSION = 1
MAX_BYTES = 200 * 1024 * 1024
MAX_ENTRIES = 50_000
PRUNE_INTERVAL = 24 * 3600
PRUNE_MARKER = ".last-prune"
ENV_VAR = "BLAMELINT_CACHE_DIR"
_PATH_PREFIX = "\0path\0"  # stands for the file's path at the start of a stored problem message


def default_directory() -> Path:
    """$BLAMELINT_CACHE_DIR, else the user cache directory of the platform, + /blamelint."""
    env = os.environ.get(ENV_VAR)
    if env:
        return Path(env).expanduser()
    home = Path.home()
    if sys.platform == "win32":
        base = os.environ.get("LOCALAPPDATA")
        return (Path(base) if base else home / "AppData" / "Local") / "blamelint" / "Cache"
    if sys.platform == "darwin":
        return home / "Library" / "Caches" / "blamelint"
    xdg = os.environ.get("XDG_CACHE_HOME")
    base = Path(xdg) if xdg and Path(xdg).is_absolute() else home / ".cache"
    return base / "blamelint"


# ---------------------------------------------------------------- fingerprint


def document_kind(path: str | None) -> str:
    """The kind `document.parse` gives a file of this name."""
    return kind_for_path(path)


def _hash_file(h, path: Path) -> None:
    h.update(str(path).encode("utf-8", "surrogateescape") + b"\0")
    try:
        h.update(path.read_bytes())
    except OSError as exc:
        h.update(f"<unreadable: {type(exc).__name__}>".encode())
    h.update(b"\0")


_CODE_HASH: str | None = None


def _code_hash() -> str:
    """blamelint's version and its own source (so an edited checkout does not serve stale results)."""
    global _CODE_HASH
    if _CODE_HASH is None:
        h = hashlib.sha256(f"blamelint {__version__}\0python {sys.version_info[:2]}\0".encode())
        package = Path(__file__).resolve().parent
        for f in sorted(package.rglob("*")):
            if f.is_file() and "__pycache__" not in f.parts and f.suffix in (".py", ".json", ".md", ".yaml", ".yml"):
                h.update(f.relative_to(package).as_posix().encode() + b"\0")
                try:
                    h.update(f.read_bytes())
                except OSError:
                    h.update(b"<unreadable>")
                h.update(b"\0")
        for name, text in builtin_pack_paths():
            h.update(f"{name}\0{text}\0".encode("utf-8", "surrogatepass"))
        for dist in ("spacy", "lemminflect", "markdown-it-py"):
            h.update(f"{dist} {_dist_version(dist)}\0".encode())
        _CODE_HASH = h.hexdigest()
    return _CODE_HASH


def _dist_version(name: str) -> str:
    from importlib import metadata

    try:
        return metadata.version(name)
    except Exception:  # not installed, or broken metadata
        return "?"


@lru_cache(maxsize=8)
def _model_id(model: str | None) -> str:
    """The spaCy pipeline's resolved name and version, without importing spaCy."""
    try:
        name = resolve_model(model)
    except BlamelintError:
        return f"unresolved:{model}"
    if "/" in name or os.sep in name:  # a pipeline directory: its meta.json names the version
        h = hashlib.sha256()
        _hash_file(h, Path(name) / "meta.json")
        return f"path:{name}:{h.hexdigest()}"
    return f"{name} {_dist_version(name)}"


def _rule_pack_files(rule_paths) -> list[Path]:
    """The files `rules.load_rules` reads for these paths (a missing path is hashed as missing)."""
    files = []
    for raw in rule_paths:
        p = Path(raw)
        if p.is_dir():
            files.extend(sorted(list(p.glob("*.yaml")) + list(p.glob("*.yml"))))
        else:
            files.append(p)
    return files


def fingerprint(linter, path: str | None = None) -> str:
    """Everything besides the text that can change the findings of `linter` (a Linter, or just
    its Config) for a file at `path`: blamelint's code and version, the built-in and configured
    rule packs, the config, plugins, the spaCy pipeline, the document kind, and today's date when
    the config sets none (overdue checks and proposed due dates use it).

    Rule packs and plugins are read on every call, so an edited pack never serves stale results."""
    config = getattr(linter, "config", linter)
    today = config.today or dt.date.today()
    h = hashlib.sha256(_code_hash().encode() + b"\0")
    h.update(repr(config.key()).encode("utf-8", "surrogatepass") + b"\0")
    h.update(f"model {_model_id(config.model)}\0today {today.isoformat()}\0kind {document_kind(path)}\0".encode())
    for f in _rule_pack_files(config.rule_paths):
        _hash_file(h, f)
    for plugin in config.plugins:
        _hash_file(h, Path(plugin))
    return h.hexdigest()


# ---------------------------------------------------------------- the cache


class ResultCache:
    """Lint results on disk, keyed by sha256(fingerprint(linter, path) + text)."""

    def __init__(self, directory: Path | str | None = None):
        base = Path(directory) if directory is not None else default_directory()
        self.base = base
        self.directory = base / f"v{FORMAT_VERSION}"
        self._prune_checked = False
        self.hits = 0
        self.misses = 0

    def key(self, text: str, path: str | None, linter) -> str:
        h = hashlib.sha256(fingerprint(linter, path).encode() + b"\0")
        h.update(text.encode("utf-8", "surrogatepass"))
        return h.hexdigest()

    def _entry(self, key: str) -> Path:
        return self.directory / key[:2] / f"{key[2:]}.json"

    def get(self, text: str, path: str | None, linter):
        """The cached FileResult (findings and problems; document None), or None on a miss."""
        entry = self._entry(self.key(text, path, linter))
        try:
            raw = entry.read_bytes()
        except OSError:
            self.misses += 1
            return None
        try:
            data = json.loads(raw.decode("utf-8"))
            if not isinstance(data, dict) or data.get("version") != FORMAT_VERSION:
                raise ValueError("wrong version")
            stored = data.get("problems", [])
            if not isinstance(data["findings"], list) or not isinstance(stored, list) \
                    or not all(isinstance(p, str) for p in stored):
                raise ValueError("malformed entry")
            findings = [Finding.from_dict(f) for f in data["findings"]]
            if any(not 0 <= f.start <= f.end <= len(text) for f in findings):
                raise ValueError("a finding outside the text")
            shown = path or "-"
            problems = [shown + p[len(_PATH_PREFIX):] if p.startswith(_PATH_PREFIX) else p for p in stored]
        except (ValueError, KeyError, TypeError, AttributeError, UnicodeDecodeError):
            self._remove(entry)
            self.misses += 1
            return None
        try:
            os.utime(entry)  # last used: pruning removes the least recently used first
        except OSError:
            pass
        self.hits += 1
        return FileResult(path=path or "-", document=None, findings=findings, problems=problems)

    def get_data(self, key: str):
        """A JSON value stored with put_data under a key of the caller's making (None on a miss)."""
        entry = self._entry(key)
        try:
            data = json.loads(entry.read_bytes().decode("utf-8"))
            if not isinstance(data, dict) or data.get("version") != FORMAT_VERSION or "data" not in data:
                raise ValueError("malformed entry")
        except OSError:
            return None
        except (ValueError, UnicodeDecodeError):
            self._remove(entry)
            return None
        return data["data"]

    def put_data(self, key: str, value) -> None:
        self._write(self._entry(key), {"version": FORMAT_VERSION, "data": value})

    def _write(self, entry: Path, data: dict) -> None:
        payload = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8", "surrogatepass")
        try:
            entry.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=entry.parent, prefix=".tmp-", suffix=".json")
        except OSError:
            return
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(payload)
            os.replace(tmp, entry)
        except OSError:
            self._remove(Path(tmp))
            return
        except BaseException:  # Ctrl-C: leave no temporary file behind
            self._remove(Path(tmp))
            raise
        if not self._prune_checked:
            self._prune_checked = True
            self.maybe_prune()

    def put(self, text: str, path: str | None, linter, result) -> None:
        """Store a result (not one with an error). Never raises for I/O problems: a cache is optional."""
        if result.error is not None:
            return
        shown = path or "-"
        prefix = f"{shown}: "
        problems = [_PATH_PREFIX + p[len(shown):] if p.startswith(prefix) else p for p in result.problems]
        data = {
            "version": FORMAT_VERSION,
            "findings": [f.to_dict() for f in result.findings],
            "problems": problems,
        }
        self._write(self._entry(self.key(text, path, linter)), data)

    def clear(self) -> None:
        """Remove every entry (of every format version) and the cache directory itself."""
        import shutil

        if self.base.is_dir():
            for child in self.base.iterdir():
                if child.is_dir() and child.name.startswith("v") and child.name[1:].isdigit():
                    shutil.rmtree(child, ignore_errors=True)
                elif child.name == PRUNE_MARKER:
                    self._remove(child)
            try:
                self.base.rmdir()
            except OSError:
                pass  # something else lives there; leave it

    # ------------------------------------------------------------ size bound

    def maybe_prune(self, max_bytes: int = MAX_BYTES, max_entries: int = MAX_ENTRIES,
                    interval: float = PRUNE_INTERVAL) -> int:
        """Prune when the last size check is older than `interval` seconds. Returns entries removed."""
        marker = self.base / PRUNE_MARKER
        try:
            if time.time() - marker.stat().st_mtime < interval:
                return 0
        except OSError:
            pass
        try:
            marker.parent.mkdir(parents=True, exist_ok=True)
            marker.touch()
        except OSError:
            return 0
        return self.prune(max_bytes, max_entries)

    def prune(self, max_bytes: int = MAX_BYTES, max_entries: int = MAX_ENTRIES) -> int:
        """Remove least recently used entries until the cache is within 80% of both bounds;
        also old format versions and stale temporary files."""
        import shutil

        removed = 0
        if self.base.is_dir():
            for child in self.base.iterdir():
                if child.is_dir() and child.name.startswith("v") and child.name != self.directory.name \
                        and child.name[1:].isdigit():
                    shutil.rmtree(child, ignore_errors=True)
        entries: list[tuple[float, int, str]] = []
        now = time.time()
        try:
            shards = list(os.scandir(self.directory))
        except OSError:
            return 0
        for shard in shards:
            if not shard.is_dir(follow_symlinks=False):
                continue
            try:
                files = list(os.scandir(shard.path))
            except OSError:
                continue
            for f in files:
                try:
                    st = f.stat(follow_symlinks=False)
                except OSError:
                    continue
                if f.name.startswith(".tmp-"):
                    if now - st.st_mtime > 3600:  # left behind by a killed writer
                        removed += self._remove(Path(f.path))
                    continue
                entries.append((st.st_mtime, st.st_size, f.path))
        total = sum(size for _, size, _ in entries)
        if total <= max_bytes and len(entries) <= max_entries:
            return removed
        entries.sort()
        target_bytes, target_entries = int(max_bytes * 0.8), int(max_entries * 0.8)
        count = len(entries)
        for _, size, path in entries:
            if total <= target_bytes and count <= target_entries:
                break
            removed += self._remove(Path(path))
            total -= size
            count -= 1
        return removed

    @staticmethod
    def _remove(path: Path) -> int:
        try:
            path.unlink()
            return 1
        except OSError:
            return 0
