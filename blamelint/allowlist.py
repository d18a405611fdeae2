"""Add a name to `allow.names` in a config file's text without rewriting the rest of it."""

from __future__ import annotations

import re

import yaml


def _has(text: str, name: str) -> bool:
    try:
        data = yaml.safe_load(text) or {}
    except yaml.YAMLError:
        return False
    names = (data.get("allow") or {}).get("names") or [] if isinstance(data, dict) else []
    return name in names


def add_name(text: str | None, name: str) -> str | None:
    """The config text with `name` allowed, or None when the file cannot be edited safely."""
    entry = _quote(name)
    if not text or not text.strip():
        return f"allow:\n  names:\n    - {entry}\n"
    if _has(text, name):
        return None
    lines = text.split("\n")
    allow = next((i for i, x in enumerate(lines) if re.match(r"allow\s*:\s*(#.*)?$", x)), None)
    if allow is None:
        new = text + ("" if text.endswith("\n") else "\n") + f"allow:\n  names:\n    - {entry}\n"
        return new if _has(new, name) else None
    # the allow block: following lines that are indented or blank
    end = allow + 1
    while end < len(lines) and (not lines[end].strip() or lines[end][:1] in (" ", "\t")):
        end += 1
    names = next((i for i in range(allow + 1, end) if re.match(r"\s+names\s*:", lines[i])), None)
    if names is None:
        indent = next((re.match(r"\s+", lines[i]).group(0) for i in range(allow + 1, end) if lines[i].strip()), "  ")
        lines.insert(allow + 1, f"{indent}names:\n{indent}  - {entry}")
    else:
        flow = re.match(r"(\s+names\s*:\s*\[)(.*)\](\s*(#.*)?)$", lines[names])
        if flow:
            inner = flow.group(2).strip()
            lines[names] = f"{flow.group(1)}{inner + ', ' if inner else ''}{entry}]{flow.group(3)}"
        else:
            last, item_indent = names, None
            for i in range(names + 1, end):
                m = re.match(r"(\s+)-\s", lines[i])
                if m:
                    last, item_indent = i, m.group(1)
                elif lines[i].strip() and item_indent is None:
                    break
            if item_indent is None:
                item_indent = re.match(r"\s+", lines[names]).group(0) + "  "
                if lines[names].split(":", 1)[1].strip():
                    return None  # an unexpected value after "names:"
            lines.insert(last + 1, f"{item_indent}- {entry}")
    new = "\n".join(lines)
    return new if _has(new, name) else None


def _quote(name: str) -> str:
    return name if re.fullmatch(r"[A-Za-z][\w .'-]*", name) and name.strip() == name else repr(name)
