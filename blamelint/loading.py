"""Reading the YAML and JSON files blamelint is given (config, baseline, rule packs): any failure
raises the caller's BlamelintError subclass as one line, `PATH: message`."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import yaml

from blamelint.errors import BlamelintError

# libyaml's parser when PyYAML has it (several times faster), else the pure-Python one.
_SafeBase = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class Yaml12Loader(_SafeBase):
    """YAML 1.2 booleans: only true/false, so words like `on`, `no` and `off` stay words (rule
    packs and word lists)."""


Yaml12Loader.yaml_implicit_resolvers = {
    key: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:bool"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.copy().items()
}
Yaml12Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF"))


class TextDatesLoader(yaml.SafeLoader):
    """SafeLoader that keeps dates as text ("2024-02-01"), for settings that check them
    themselves with a message naming the key."""


TextDatesLoader.yaml_implicit_resolvers = {
    key: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def read_text(path: str | Path, error: type[BlamelintError], what: str, missing: str | None = None) -> str:
    """The file's text (UTF-8). A failure raises `error("PATH: cannot read WHAT: …")`, or
    `error("PATH: MISSING")` for a file that does not exist when `missing` is given."""
    try:
        return Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        if missing and isinstance(exc, FileNotFoundError):
            raise error(f"{path}: {missing}") from None
        raise error(f"{path}: cannot read {what}: {exc}") from None


def parse_yaml(text: str, path: str | Path, error: type[BlamelintError], loader=yaml.SafeLoader) -> Any:
    """The YAML document in text; a syntax error raises `error("PATH:LINE:COL: invalid YAML: …")`."""
    try:
        return yaml.load(text, Loader=loader)  # noqa: S506 - a SafeLoader or a subclass
    except ValueError as exc:  # a value the loader cannot build ("2024-02-30" as a date)
        raise error(f"{path}: invalid YAML: {exc}") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f":{mark.line + 1}:{mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise error(f"{path}{where}: invalid YAML: {problem}") from None


def parse_json(text: str, path: str | Path, error: type[BlamelintError], what: str) -> Any:
    """The JSON value in text; a syntax error raises `error("PATH:LINE:COL: WHAT is not valid JSON: …")`."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise error(f"{path}:{exc.lineno}:{exc.colno}: {what} is not valid JSON: {exc.msg}") from None
