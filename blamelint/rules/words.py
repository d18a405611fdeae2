"""Word lists that detectors read, kept as data next to the rule packs (`rules/words/*.yaml`).

A file maps list names to words: `strong_verbs: [blame, fault]` or a whitespace-separated
string. `words("names")` reads `rules/words/names.yaml` once and gives each list as a frozenset
(tuples of words become tuples: `[[sit, on], [wave, through]]`).
"""

from __future__ import annotations

from functools import cache
from importlib import resources

import yaml

from blamelint.errors import RulePackError


@cache
def words(name: str) -> dict[str, frozenset]:
    entry = resources.files("blamelint.rulepacks") / "words" / f"{name}.yaml"
    try:
        data = yaml.safe_load(entry.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise RulePackError(f"rules/words/{name}.yaml: cannot read word lists: {exc}") from None
    if not isinstance(data, dict):
        raise RulePackError(f"rules/words/{name}.yaml: expected a mapping of list names to words")
    return {key: _entries(name, key, value) for key, value in data.items()}


def _entries(name: str, key: str, value) -> frozenset:
    if isinstance(value, str):
        return frozenset(value.split())
    if isinstance(value, list):
        return frozenset(tuple(v) if isinstance(v, list) else v for v in value)
    raise RulePackError(f"rules/words/{name}.yaml: {key}: expected a list or a string of words")
