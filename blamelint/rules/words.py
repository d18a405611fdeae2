"""Word lists that detectors read, kept as data next to the rule packs (`rules/words/*.yaml`).

A file maps list names to words: `strong_verbs: [blame, fault]` or a whitespace-separated
string (read with YAML 1.2 booleans, so `on` and `no` stay words). `words("names")` reads
`rules/words/names.yaml` once and gives each list as a frozenset (tuples of words become
tuples: `[[sit, on], [wave, through]]`); a mapping of words to words stays a (read-only) mapping.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from types import MappingProxyType

from blamelint.errors import RulePackError
from blamelint.loading import Yaml12Loader, parse_yaml


@cache
def words(name: str) -> dict:
    entry = resources.files("blamelint.rulepacks") / "words" / f"{name}.yaml"
    shown = f"rules/words/{name}.yaml"
    try:
        text = entry.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise RulePackError(f"{shown}: cannot read word lists: {exc}") from None
    data = parse_yaml(text, shown, RulePackError, loader=Yaml12Loader)
    if not isinstance(data, dict):
        raise RulePackError(f"rules/words/{name}.yaml: expected a mapping of list names to words")
    return {key: _entries(name, key, value) for key, value in data.items()}


def _entries(name: str, key: str, value) -> frozenset:
    if isinstance(value, str):
        return frozenset(value.split())
    if isinstance(value, list):
        return frozenset(tuple(v) if isinstance(v, list) else v for v in value)
    if isinstance(value, dict) and all(isinstance(k, str) and isinstance(v, str) for k, v in value.items()):
        return MappingProxyType(dict(value))  # a word and what it becomes ("fat-finger: mistype")
    raise RulePackError(f"rules/words/{name}.yaml: {key}: expected a list or a string of words, "
                        f"or a mapping of words to words")
