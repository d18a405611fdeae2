"""`.blamelint.yaml`: found upward from each file (nearest wins), validated, with defaults."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from blamelint.errors import ConfigError
from blamelint.findings import CATEGORIES, SEVERITIES
from blamelint.loading import parse_yaml, read_text

CONFIG_NAMES = (".blamelint.yaml", ".blamelint.yml")

_STR_LIST = {"type": "array", "items": {"type": "string"}}

SCHEMA: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "model": {"type": "string"},
        "profile": {"enum": ["default", "public"]},
        "select": _STR_LIST,
        "ignore": _STR_LIST,
        "severity": {"type": "object", "additionalProperties": {"enum": list(SEVERITIES)}},
        "allow": {
            "type": "object",
            "additionalProperties": False,
            "properties": {"names": _STR_LIST, "terms": _STR_LIST},
        },
        "rule_paths": _STR_LIST,
        "plugins": _STR_LIST,
        "exclude": _STR_LIST,
        "roles": {"type": "object", "additionalProperties": {"type": "string"}},
        "quotes": {"enum": ["ignore", "check"]},
        "min_confidence": {"type": "number", "minimum": 0, "maximum": 1},
        "preview": {"type": "boolean"},
        "fail_on": {"enum": list(SEVERITIES)},
        "today": {"type": "string"},
        "template": {"type": "object"},
    },
}


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


def from_dict(data: Any, path: str | None = None) -> Config:
    where = path or "configuration"
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ConfigError(f"{where}: the configuration must be a mapping of keys to values")
    from jsonschema import Draft202012Validator  # slow to import: only when there is a config to check

    errors = list(Draft202012Validator(SCHEMA).iter_errors(data))
    if errors:
        e = max(errors, key=lambda e: len(e.absolute_path))
        key = "/".join(str(p) for p in e.absolute_path)
        raise ConfigError(f"{where}: {'key ' + repr(key) + ': ' if key else ''}{_error_text(e)}")
    allow = data.get("allow") or {}
    today = None
    if "today" in data:
        try:
            today = dt.date.fromisoformat(str(data["today"]))
        except ValueError:
            raise ConfigError(f"{where}: key 'today': expected a date like 2024-01-31, got {data['today']!r}") from None
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
    return from_dict(parse_yaml(text, p, ConfigError), str(p))


def find(start: str | Path) -> Path | None:
    """The nearest config file in start (a directory or file) or its ancestors."""
    here = Path(start).resolve()
    if not here.is_dir():
        here = here.parent
    for d in (here, *here.parents):
        for name in CONFIG_NAMES:
            candidate = d / name
            if candidate.is_file():
                return candidate
    return None


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
