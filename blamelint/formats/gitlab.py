"""GitLab Code Quality report (the Code Climate subset GitLab reads): a JSON array, one issue per
finding. Fingerprints leave out line numbers, so a finding keeps its own when other lines move."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path, PurePath

from blamelint.formats.common import findings_of, location, matched_text

# warning is the default --fail-on, so it reads as major; error is for punitive language and internal errors
SEVERITIES = {"error": "critical", "warning": "major", "info": "minor"}
_WS = re.compile(r"\s+")


def report_path(path: str) -> str:
    """The path in POSIX form; an absolute path under the working directory becomes relative to it
    (GitLab wants repository-relative paths)."""
    p = Path(path)
    if p.is_absolute():
        try:
            p = p.resolve().relative_to(Path.cwd().resolve())
        except (ValueError, OSError, RuntimeError):
            pass
    return PurePath(p).as_posix()


def normalise(text: str) -> str:
    return _WS.sub(" ", text).strip()


def fingerprint(path: str, rule: str, text: str, ordinal: int) -> str:
    """sha256 of the path, rule, flagged text (whitespace collapsed) and the finding's ordinal among
    those with the same three in the file (0 for the first)."""
    data = "\0".join(["blamelint/gitlab/v1", path, rule, normalise(text), str(ordinal)])
    return hashlib.sha256(data.encode("utf-8", "surrogatepass")).hexdigest()


def _body(finding, rule) -> str:
    lines = [f"- {fix.title}" for fix in finding.fixes if fix.title]
    if lines:
        lines.insert(0, "Suggested fixes:\n")
    link = getattr(rule, "link", None)
    if link:
        lines.append(f"\n[More about `{finding.rule}`]({link})")
    return "\n".join(lines)


def issues(results, rules) -> list[dict]:
    out = []
    seen: dict[tuple[str, str, str], int] = {}
    for result, finding in findings_of(results):
        path = report_path(result.path)
        doc = result.document
        text = matched_text(doc, finding)
        key = (path, finding.rule, normalise(text))
        ordinal = seen.get(key, 0)
        seen[key] = ordinal + 1
        loc = location(doc, finding.start, finding.end)
        item = {
            "type": "issue",
            # GitLab shows the description but not check_name, so the rule id leads it
            "description": normalise(f"{finding.rule}: {finding.message}"),
            "check_name": finding.rule,
            "fingerprint": fingerprint(path, finding.rule, text, ordinal),
            "severity": SEVERITIES.get(finding.severity, "major"),
            "categories": ["Style"],
            "location": {
                "path": path,
                "positions": {
                    "begin": {"line": loc["line"], "column": loc["column"]},
                    "end": {"line": loc["end_line"], "column": loc["end_column"]},
                },
            },
        }
        body = _body(finding, (rules or {}).get(finding.rule))
        if body:
            item["content"] = {"body": body}
        out.append(item)
    return out


def render(results, rules, *, color: bool = False) -> str:
    return json.dumps(issues(results, rules), indent=2, ensure_ascii=False) + "\n"
