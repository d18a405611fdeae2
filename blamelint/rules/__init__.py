"""Rule packs: YAML files validated against a schema, compiled into matchers.

A pack is `{pack: NAME, rules: [RULE, ...]}`. A rule matches with exactly one of
`match.phrases`, `match.patterns` (spaCy Matcher), `match.dependency`
(spaCy DependencyMatcher), `match.regex`, or names a Python detector with `check`.
A regex may name a word list of `rules/words/` as `{{file.list}}` ("{{agentive.role_nouns}}"):
it stands for the list's words as one alternation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from blamelint.errors import RulePackError
from blamelint.findings import CATEGORIES, SEVERITIES
from blamelint.loading import Yaml12Loader, parse_yaml, read_text
from blamelint.rules.words import words

DOCS_BASE = "https://github.com/blamelint/blamelint/blob/main/docs/rules.md"
ID_RE = r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$"

_EXAMPLE = {
    "anyOf": [
        {"type": "string", "minLength": 1},
        {
            "type": "object",
            "additionalProperties": False,
            "required": ["text"],
            "properties": {
                "text": {"type": "string", "minLength": 1},
                "span": {  # the text a bad example's finding must cover (a list: several places)
                    "anyOf": [
                        {"type": "string", "minLength": 1},
                        {"type": "array", "items": {"type": "string", "minLength": 1}, "minItems": 1},
                    ]
                },
                "fix": {"type": "string"},
                "path": {"type": "string"},
                "config": {"type": "object"},
            },
        },
    ]
}

RULE_SCHEMA: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "required": ["id", "category", "severity", "title", "message", "why", "examples"],
    "properties": {
        "id": {"type": "string", "pattern": ID_RE},
        "category": {"enum": list(CATEGORIES)},
        "severity": {"enum": list(SEVERITIES)},
        "title": {"type": "string", "minLength": 1},
        "message": {"type": "string", "minLength": 1},
        "why": {"type": "string", "minLength": 1},
        "link": {"type": "string", "pattern": "^https?://"},
        "confidence": {"type": "number", "minimum": 0, "maximum": 1},
        "preview": {"type": "boolean"},
        "scope": {
            "type": "array",
            "items": {"enum": ["heading", "paragraph", "list_item", "table_cell"]},
            "minItems": 1,
        },
        "sections": {"type": "array", "items": {"type": "string"}},
        "not_sections": {"type": "array", "items": {"type": "string"}},
        "match": {
            "type": "object",
            "additionalProperties": False,
            "minProperties": 1,
            "properties": {
                "phrases": {"type": "array", "items": {"type": "string", "minLength": 1}, "minItems": 1},
                "attr": {"enum": ["LOWER", "LEMMA", "ORTH", "NORM"]},
                "patterns": {"type": "array", "items": {"type": "array", "minItems": 1}, "minItems": 1},
                "dependency": {"type": "array", "items": {"type": "array", "minItems": 1}, "minItems": 1},
                "regex": {"type": "string", "minLength": 1},
                "ignore_case": {"type": "boolean"},
                "group": {"anyOf": [{"type": "integer"}, {"type": "string"}]},
                "not_before": {"type": "string", "minLength": 1},
                "not_after": {"type": "string", "minLength": 1},
                "not_within": {"type": "string", "minLength": 1},
                "unless": {"type": "array", "items": {"type": "string"}, "minItems": 1},
            },
        },
        "check": {"type": "string", "pattern": r"^[a-z_][a-z0-9_]*$"},
        "options": {"type": "object"},
        "suggestions": {
            "type": "array",
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["title"],
                "properties": {
                    "title": {"type": "string", "minLength": 1},
                    "replace": {"type": "string"},
                    "rewrite": {"type": "string", "pattern": r"^[a-z_][a-z0-9_]*$"},
                    "safe": {"type": "boolean"},
                    "when": {"type": "string", "minLength": 1},
                    "after": {"type": "string", "minLength": 1},
                    "not_after": {"type": "string", "minLength": 1},
                    "not_before": {"type": "string", "minLength": 1},
                },
            },
        },
        "examples": {
            "type": "object",
            "additionalProperties": False,
            "required": ["bad", "good"],
            "properties": {
                "bad": {"type": "array", "items": _EXAMPLE, "minItems": 2},
                "good": {"type": "array", "items": _EXAMPLE, "minItems": 2},
            },
        },
    },
    "oneOf": [{"required": ["match"]}, {"required": ["check"]}],
}

PACK_SCHEMA: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "required": ["rules"],
    "properties": {
        "pack": {"type": "string"},
        "description": {"type": "string"},
        "rules": {"type": "array", "items": {"type": "object"}},
        "data": {"type": "object"},
    },
}


@dataclass
class Suggestion:
    title: str
    replace: str | None = None  # a template for the matched text
    rewrite: str | None = None  # or a named Python rewriter (blamelint.rewrite.REWRITERS)
    safe: bool = False
    when: str | None = None  # offered only when the matched text matches this regex
    after: str | None = None  # … and the text before the match ends with this one
    not_after: str | None = None  # … or does not
    not_before: str | None = None  # … and the text after it does not start with this one
    compiled: dict = field(default_factory=dict, repr=False)


@dataclass
class Rule:
    id: str
    category: str
    severity: str
    title: str
    message: str
    why: str
    link: str
    examples: dict[str, list]
    suggestions: list[Suggestion] = field(default_factory=list)
    match: dict | None = None
    check: str | None = None
    options: dict = field(default_factory=dict)
    confidence: float = 1.0
    preview: bool = False  # runs only when selected by id or with the config's `preview: true`
    scope: list[str] | None = None
    sections: list[str] | None = None
    not_sections: list[str] | None = None
    pack: str = ""
    source: str = ""
    compiled: dict[str, re.Pattern] = field(default_factory=dict)  # regexes from `match`

    def example_texts(self, kind: str) -> list[str]:
        """The `bad` or `good` example sentences as plain strings."""
        return [e if isinstance(e, str) else e["text"] for e in self.examples.get(kind, [])]


@dataclass
class RuleSet:
    rules: list[Rule]
    data: dict[str, Any]  # shared word lists from packs' `data:` sections (e.g. gazetteers)

    def by_id(self) -> dict[str, Rule]:
        return {r.id: r for r in self.rules}


def _where(path: str, rule_id: str | None, error) -> str:
    loc = "/".join(str(p) for p in error.absolute_path)
    what = f"rule '{rule_id}'" if rule_id else "pack"
    field_part = f", field '{loc}'" if loc else ""
    return f"{path}: {what}{field_part}: {_short(error)}"


def _short(error) -> str:
    if error.validator == "oneOf" and error.schema_path and "required" in str(error.schema):
        return "a rule needs exactly one of 'match' or 'check'"
    if error.validator == "minItems":
        return f"needs at least {error.validator_value} items, has {len(error.instance)}"
    if error.validator == "additionalProperties":
        return error.message.replace("Additional properties are not allowed", "unknown key")
    return error.message


def _validate(data: Any, schema: dict, path: str, rule_id: str | None) -> None:
    from jsonschema import Draft202012Validator

    errors = sorted(Draft202012Validator(schema).iter_errors(data), key=lambda e: list(e.absolute_path))
    if errors:
        best = min(errors, key=lambda e: (e.validator == "oneOf", -len(e.absolute_path)))
        raise RulePackError(_where(path, rule_id, best))


def load_pack(text: str, path: str, validate: bool = True) -> tuple[list[Rule], dict]:
    """Parse one pack. `validate=False` skips the JSON-schema check (for the built-in packs, which
    the tests validate), not the checks that building a rule does."""
    data = parse_yaml(text, path, RulePackError, loader=Yaml12Loader)
    if not isinstance(data, dict):
        raise RulePackError(f"{path}: a rule pack must be a mapping with a 'rules' list")
    if validate:
        _validate(data, PACK_SCHEMA, path, None)
    pack = data.get("pack") or Path(path).stem
    rules = []
    for index, raw in enumerate(data["rules"]):
        rule_id = raw.get("id") if isinstance(raw.get("id"), str) else f"#{index + 1}"
        if validate:
            _validate(raw, RULE_SCHEMA, path, rule_id)
        rules.append(_build(raw, pack, path, validate))
    return rules, data.get("data") or {}


def _build(raw: dict, pack: str, path: str, validate: bool = True) -> Rule:
    rule = Rule(
        id=raw["id"],
        category=raw["category"],
        severity=raw["severity"],
        title=raw["title"].strip(),
        message=raw["message"].strip(),
        why=" ".join(raw["why"].split()),
        link=raw.get("link") or f"{DOCS_BASE}#{raw['id']}",
        examples=raw["examples"],
        suggestions=[Suggestion(**s) for s in raw.get("suggestions", [])],
        match=raw.get("match"),
        check=raw.get("check"),
        options=raw.get("options") or {},
        confidence=float(raw.get("confidence", 1.0)),
        preview=bool(raw.get("preview", False)),
        scope=raw.get("scope"),
        sections=raw.get("sections"),
        not_sections=raw.get("not_sections"),
        pack=pack,
        source=path,
    )
    where = f"{path}: rule '{rule.id}'"
    m = rule.match or {}
    kinds = [k for k in ("phrases", "patterns", "dependency", "regex") if k in m]
    group = m.get("group")
    if "regex" in rule.compiled and group is not None:
        pattern = rule.compiled["regex"]
        if (isinstance(group, int) and group > pattern.groups) or (
                isinstance(group, str) and group not in pattern.groupindex):
            raise RulePackError(f"{where}, field 'match/group': the regex has no group {group!r}")
    if len(kinds) != 1:
        if not rule.check:
            raise RulePackError(f"{where}, field 'match': needs exactly one of phrases, patterns, dependency, regex")
    flags = re.IGNORECASE if m.get("ignore_case", True) else 0
    for key in ("regex", "not_before", "not_after", "not_within"):
        if key in m:
            source = expand_lists(m[key], f"{where}, field 'match/{key}'")
            try:
                source = f"(?:{source})\\Z" if key == "not_after" else source
                rule.compiled[key] = re.compile(source, flags)
            except re.error as exc:
                raise RulePackError(f"{where}, field 'match/{key}': invalid regular expression: {exc}") from None
    for n, s in enumerate(rule.suggestions):
        for key in ("when", "after", "not_after", "not_before"):
            if getattr(s, key) is not None:
                try:
                    s.compiled[key] = re.compile(getattr(s, key) if key in ("when", "not_before")
                                                 else f"(?:{getattr(s, key)})\\Z", flags)
                except re.error as exc:
                    raise RulePackError(f"{where}, field 'suggestions/{n}/{key}': invalid regular expression: {exc}") from None
    if rule.category not in ("followup", "template") and not rule.suggestions and not rule.check:
        raise RulePackError(f"{where}, field 'suggestions': a {rule.category} rule needs at least one suggestion")
    return rule


def builtin_pack_paths() -> list[tuple[str, str]]:
    """(display path, text) for every pack shipped in the wheel."""
    root = resources.files("blamelint.rulepacks")
    out = []
    for entry in sorted(root.iterdir(), key=lambda e: e.name):
        if entry.name.endswith((".yaml", ".yml")):
            out.append((f"rules/{entry.name}", entry.read_text(encoding="utf-8")))
    return out


@lru_cache(maxsize=1)
def _builtin() -> tuple[tuple[Rule, ...], tuple]:
    rules: list[Rule] = []
    data: dict = {}
    for path, text in builtin_pack_paths():
        pack_rules, pack_data = load_pack(text, path, validate=False)
        rules.extend(pack_rules)
        _merge_data(data, pack_data)
    return tuple(rules), tuple(data.items())


def _merge_data(into: dict, extra: dict) -> None:
    for key, value in extra.items():
        if isinstance(value, list) and isinstance(into.get(key), list):
            into[key] = into[key] + value
        elif isinstance(value, dict) and isinstance(into.get(key), dict):
            into[key] = {**into[key], **value}
        else:
            into[key] = value


def check_names(rules: list[Rule], detectors, rewriters, guards=()) -> None:
    """Every `check:` names one of the detectors, every `rewrite:` one of the rewriters and every
    `match: unless:` one of the context guards (the engine passes the registered names: this module
    knows rules as data only)."""
    for rule in rules:
        where = f"{rule.source}: rule '{rule.id}'"
        if rule.check and rule.check not in detectors:
            known = ", ".join(sorted(detectors))
            raise RulePackError(f"{where}, field 'check': unknown detector '{rule.check}' (known: {known})")
        for name in (rule.match or {}).get("unless", ()):
            if name not in guards:
                known = ", ".join(sorted(guards))
                raise RulePackError(f"{where}, field 'match/unless': unknown guard '{name}' (known: {known})")
        for sug in rule.suggestions:
            if sug.rewrite and sug.rewrite not in rewriters:
                known = ", ".join(sorted(rewriters))
                raise RulePackError(f"{where}, field 'suggestions': unknown rewrite '{sug.rewrite}' (known: {known})")


def load_rules(extra_paths: list[str] | tuple = ()) -> RuleSet:
    """The built-in packs plus the packs found at extra_paths (files or directories)."""
    builtin, data_items = _builtin()
    rules = list(builtin)
    data = dict(data_items)
    for raw_path in extra_paths:
        p = Path(raw_path)
        if p.is_dir():
            files = sorted(list(p.glob("*.yaml")) + list(p.glob("*.yml")))
            if not files:
                raise RulePackError(f"{p}: rule path contains no .yaml rule packs")
        elif p.is_file():
            files = [p]
        else:
            raise RulePackError(f"{p}: rule path does not exist")
        for f in files:
            text = read_text(f, RulePackError, "rule pack")
            pack_rules, pack_data = load_pack(text, str(f))
            rules.extend(pack_rules)
            _merge_data(data, pack_data)
    seen: dict[str, str] = {}
    for r in rules:
        if r.id in seen:
            raise RulePackError(f"{r.source}: rule '{r.id}': id already defined in {seen[r.id]}")
        seen[r.id] = r.source
    return RuleSet(rules, data)


class _KeepUnknown(dict):
    def __missing__(self, key):
        return "{" + key + "}"


def fill(template: str, variables: dict) -> str:
    """A rule's message or fix template with its {variables} filled in; an unknown {name} stays as
    written and a malformed template is returned unchanged (a rule pack's typo never crashes a lint)."""
    try:
        return template.format_map(_KeepUnknown(variables))
    except (ValueError, IndexError):
        return template


LIST_RE = re.compile(r"\{\{([a-z_]+)\.([a-z_]+)\}\}")


def expand_lists(source: str, where: str) -> str:
    """The regex with each `{{file.list}}` replaced by `(?:word|…)`, longest words first."""
    def one(m: re.Match) -> str:
        try:
            found = words(m.group(1))[m.group(2)]
        except RulePackError as exc:
            raise RulePackError(f"{where}: {m.group()}: {exc}") from None
        except KeyError:
            raise RulePackError(f"{where}: {m.group()}: rules/words/{m.group(1)}.yaml has no list "
                                f"'{m.group(2)}'") from None
        items = sorted((w for w in found if isinstance(w, str)), key=lambda w: (-len(w), w))
        return "(?:" + "|".join(re.escape(w).replace("\\ ", r"\s+") for w in items) + ")"
    return LIST_RE.sub(one, source)
