"""Settings: `.blamelint.yaml` or `[tool.blamelint]` in `pyproject.toml`, found upward from each file
(the nearest wins), validated against the shipped JSON Schema, with defaults."""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field, replace
from functools import cache, lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from blamelint.errors import ConfigError
from blamelint.findings import CATEGORIES
from blamelint.loading import TextDatesLoader, parse_yaml, read_text

CONFIG_NAMES = (".blamelint.yaml", ".blamelint.yml")

PYPROJECT = "pyproject.toml"
TABLE = "tool.blamelint"


@cache
def schema() -> dict[str, Any]:
    """The configuration's JSON Schema (shipped as `blamelint/config-schema.json`): validation uses
    it, `blamelint config --schema` prints it, editors complete `.blamelint.yaml` from it."""
    return json.loads((resources.files("blamelint") / "config-schema.json").read_text(encoding="utf-8"))


@dataclass
class Config:
    path: str | None = None  # the file it came from, if any
    model: str | None = None
    profile: str = "default"
    select: list[str] = field(default_factory=list)
    ignore: list[str] = field(default_factory=list)
    severity: dict[str, str] = field(default_factory=dict)
    allow_names: list[str] = field(default_factory=list)
    allow_terms: list[str] = field(default_factory=list)
    rule_paths: list[str] = field(default_factory=list)
    plugins: list[str] = field(default_factory=list)  # Python files that register detectors
    exclude: list[str] = field(default_factory=list)
    roles: dict[str, str] = field(default_factory=dict)
    quotes: str = "ignore"
    min_confidence: float = 0.0
    preview: bool = False  # also run the rules marked `preview` (not yet on by default)
    fail_on: str | None = None
    today: dt.date | None = None
    template: dict = field(default_factory=dict)

    @property
    def root(self) -> Path:
        return Path(self.path).parent if self.path else Path.cwd()

    def rule_enabled(self, rule_id: str, category: str, preview: bool = False) -> bool:
        if preview and not self.preview and rule_id not in self.select:
            return False
        if self.select and rule_id not in self.select and category not in self.select:
            return False
        return rule_id not in self.ignore and category not in self.ignore

    def severity_for(self, rule_id: str, category: str, default: str) -> str:
        if rule_id in self.severity:
            return self.severity[rule_id]
        if category in self.severity:
            return self.severity[category]
        if self.profile == "public" and category == "named-individual":
            return "error"
        return default

    def settings(self) -> dict[str, Any]:
        """The settings in the config file's own shape (what `blamelint config` prints); a
        setting with no value is left out, so the result validates against the schema."""
        every = {
            "model": self.model, "profile": self.profile, "select": self.select, "ignore": self.ignore,
            "severity": self.severity, "allow": {"names": self.allow_names, "terms": self.allow_terms},
            "rule_paths": self.rule_paths, "plugins": self.plugins, "exclude": self.exclude, "roles": self.roles,
            "quotes": self.quotes, "min_confidence": self.min_confidence, "preview": self.preview,
            "fail_on": self.fail_on, "today": self.today.isoformat() if self.today else None,
            "template": self.template,
        }
        return {k: v for k, v in every.items() if v is not None}

    def key(self) -> tuple:
        """Hashable identity for caches."""
        return (
            self.model, self.profile, tuple(self.select), tuple(self.ignore),
            tuple(sorted(self.severity.items())), tuple(self.allow_names), tuple(self.allow_terms),
            tuple(self.rule_paths), tuple(self.plugins), tuple(sorted(self.roles.items())), self.quotes, self.min_confidence, self.preview,
            self.today, repr(sorted(self.template.items())),
        )


def _error_text(error) -> str:
    if error.validator == "additionalProperties":
        return error.message.replace("Additional properties are not allowed", "unknown key")
    return error.message


def from_dict(data: Any, path: str | None = None, prefix: str = "") -> Config:
    """A Config from parsed settings. `prefix` names the table they came from in error messages
    (`tool.blamelint.` for a pyproject.toml)."""
    where = path or "configuration"
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ConfigError(f"{where}: {prefix.rstrip('.') or 'the configuration'} must be a mapping of keys to values")
    if isinstance(data.get("today"), dt.date):  # YAML and TOML both read an unquoted date as a date
        data = {**data, "today": data["today"].isoformat()}
    from jsonschema import Draft202012Validator  # slow to import: only when there is a config to check

    errors = list(Draft202012Validator(schema()).iter_errors(data))
    if errors:
        e = max(errors, key=lambda e: len(e.absolute_path))
        path_ = [str(p) for p in e.absolute_path]
        if e.validator == "additionalProperties" and isinstance(e.instance, dict):
            known = set(e.schema.get("properties") or {})
            path_ += sorted(str(k) for k in e.instance if k not in known)[:1]  # the unknown key itself
        key = ".".join([prefix.rstrip(".")] * bool(prefix) + path_)
        raise ConfigError(f"{where}: {'key ' + repr(key) + ': ' if key else ''}{_error_text(e)}")
    allow = data.get("allow") or {}
    today = None
    if "today" in data:
        try:
            today = dt.date.fromisoformat(str(data["today"]))
        except ValueError:
            raise ConfigError(f"{where}: key '{prefix}today': expected a date like 2024-01-31, "
                              f"got {str(data['today'])!r}") from None
    base = Path(path).parent if path else Path.cwd()
    rule_paths = [str((base / p).resolve()) if not Path(p).is_absolute() else p for p in data.get("rule_paths", [])]
    plugins = [str((base / p).resolve()) if not Path(p).is_absolute() else p for p in data.get("plugins", [])]
    for name in data.get("select", []) + data.get("ignore", []) + list(data.get("severity", {})):
        _check_rule_name(name, where)
    return Config(
        path=path,
        model=data.get("model"),
        profile=data.get("profile", "default"),
        select=list(data.get("select", [])),
        ignore=list(data.get("ignore", [])),
        severity=dict(data.get("severity", {})),
        allow_names=list(allow.get("names", [])),
        allow_terms=list(allow.get("terms", [])),
        rule_paths=rule_paths,
        plugins=plugins,
        exclude=list(data.get("exclude", [])),
        roles={k.lower(): v for k, v in (data.get("roles") or {}).items()},
        quotes=data.get("quotes", "ignore"),
        min_confidence=float(data.get("min_confidence", 0.0)),
        preview=bool(data.get("preview", False)),
        fail_on=data.get("fail_on"),
        today=today,
        template=dict(data.get("template") or {}),
    )


def _check_rule_name(name: str, where: str) -> None:
    if name in CATEGORIES:
        return
    if not re.fullmatch(r"[a-z][a-z0-9]*(-[a-z0-9]+)*", name):
        raise ConfigError(f"{where}: {name!r} is not a rule id or category")


def load(path: str | Path) -> Config:
    p = Path(path)
    text = read_text(p, ConfigError, "config file", missing="config file not found")
    if p.name == PYPROJECT or p.suffix == ".toml":
        table = tool_table(text, p)
        if table is None:
            raise ConfigError(f"{p}: no [{TABLE}] table")
        return from_dict(table, str(p), prefix=TABLE + ".")
    return from_dict(parse_yaml(text, p, ConfigError, loader=TextDatesLoader), str(p))


def _toml(text: str, path: Path) -> dict:
    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10
        import tomli as tomllib
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}") from None


def tool_table(text: str, path: Path) -> Any:
    """The `[tool.blamelint]` table of a pyproject.toml, or None when it has none. A pyproject
    that cannot be parsed is an error only when it mentions the table."""
    if "blamelint" not in text:
        return None
    try:
        data = _toml(text, path)
    except ConfigError:
        if re.search(r"^\s*\[\s*tool\s*\.\s*blamelint\b|^\s*tool\s*\.\s*blamelint\b", text, re.M):
            raise
        return None
    return (data.get("tool") or {}).get("blamelint")


def has_table(path: Path) -> bool:
    """Whether this pyproject.toml holds blamelint settings (read once per version of the file:
    discovery asks for every file linted below it)."""
    try:
        st = path.stat()
    except OSError:
        return False
    return _has_table(str(path), st.st_mtime_ns, st.st_size)


@lru_cache(maxsize=256)
def _has_table(path: str, mtime_ns: int, size: int) -> bool:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return False
    return tool_table(text, Path(path)) is not None


def find(start: str | Path) -> Path | None:
    """The nearest config in start (a directory or file) or its ancestors: a `.blamelint.yaml`
    (or `.yml`) or a `pyproject.toml` with a `[tool.blamelint]` table. Two of them in one folder
    is an error naming both."""
    here = Path(start).resolve()
    if not here.is_dir():
        here = here.parent
    for d in (here, *here.parents):
        found = [d / name for name in CONFIG_NAMES if (d / name).is_file()]
        if (d / PYPROJECT).is_file() and has_table(d / PYPROJECT):
            found.append(d / PYPROJECT)
        if len(found) > 1:
            raise ConfigError(f"{d}: both {found[0].name} and {found[1].name} hold blamelint settings; "
                              "keep one of them")
        if found:
            return found[0]
    return None


def is_config(path: str | Path) -> bool:
    """Whether a file of this name can hold blamelint settings (what the server watches)."""
    return Path(path).name in CONFIG_NAMES or Path(path).name == PYPROJECT


class ConfigResolver:
    """Finds and caches the config for each file; an explicit path overrides discovery."""

    def __init__(self, explicit: str | None = None, overrides: dict | None = None):
        self.explicit = load(explicit) if explicit else None
        self.overrides = overrides or {}
        self._by_file: dict[Path, Config] = {}

    def for_path(self, path: str | Path | None) -> Config:
        if self.explicit is not None:
            return self._apply(self.explicit)
        found = find(path if path else Path.cwd())
        if found is None:
            return self._apply(Config())
        if found not in self._by_file:
            self._by_file[found] = load(found)
        return self._apply(self._by_file[found])

    def _apply(self, config: Config) -> Config:
        if not self.overrides:
            return config
        return replace(config, **self.overrides)
