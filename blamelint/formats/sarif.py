"""SARIF 2.1.0 output: one run, all rules as reportingDescriptors, one result per finding."""

from __future__ import annotations

import hashlib
import json
from pathlib import PurePath
from urllib.parse import quote

from blamelint import __version__
from blamelint.formats.common import location, matched_text

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://github.com/blamelint/blamelint"
LEVELS = {"error": "error", "warning": "warning", "info": "note"}


def _version() -> str:
    return str(__version__)


def artifact_uri(path: str) -> str:
    """The path as given, in POSIX form, percent-encoded where a URI needs it ('-' stays '-')."""
    return quote(PurePath(path).as_posix(), safe="/-._~!$&'()*+,;=:@")


def _region(loc: dict) -> dict:
    return {
        "startLine": loc["line"],
        "startColumn": loc["column"],
        "endLine": loc["end_line"],
        "endColumn": loc["end_column"],
    }


def _quote_block(text: str) -> str:
    return "\n".join("> " + line if line else ">" for line in text.splitlines() or [""])


def _first_example(rule, kind: str) -> str | None:
    examples = (getattr(rule, "examples", None) or {}).get(kind) or [None]
    first = examples[0]
    return first["text"] if isinstance(first, dict) else first


def _help(rule) -> dict:
    why = getattr(rule, "why", "") or ""
    bad, good = _first_example(rule, "bad"), _first_example(rule, "good")
    text, markdown = [why], [why]
    if bad:
        text.append(f"Bad: {bad}")
        markdown.append("Bad:\n\n" + _quote_block(bad))
    if good:
        text.append(f"Good: {good}")
        markdown.append("Good:\n\n" + _quote_block(good))
    link = getattr(rule, "link", None)
    if link:
        markdown.append(f"[More about this rule]({link})")
    return {"text": "\n\n".join(text), "markdown": "\n\n".join(markdown)}


def descriptor(rule) -> dict:
    out = {
        "id": rule.id,
        "name": rule.id,
        "shortDescription": {"text": getattr(rule, "title", "") or rule.id},
        "fullDescription": {"text": getattr(rule, "why", "") or getattr(rule, "title", "") or rule.id},
        "help": _help(rule),
        "defaultConfiguration": {"level": LEVELS.get(getattr(rule, "severity", ""), "warning")},
        "properties": {"tags": [rule.category] if getattr(rule, "category", None) else []},
    }
    link = getattr(rule, "link", None)
    if link:
        out["helpUri"] = link
    return out


def fingerprint(rule: str, path: str, text: str, occurrence: int) -> str:
    data = "\0".join([rule, path, text, str(occurrence)])
    return hashlib.sha256(data.encode("utf-8")).hexdigest()


def _fixes(doc, uri: str, finding) -> list[dict]:
    out = []
    for fix in finding.fixes:
        if not fix.edits:
            continue
        replacements = [
            {
                "deletedRegion": _region(location(doc, edit.start, edit.end)),
                "insertedContent": {"text": edit.new_text},
            }
            for edit in fix.edits
        ]
        obj = {
            "description": {"text": fix.title},
            "artifactChanges": [{"artifactLocation": {"uri": uri}, "replacements": replacements}],
        }
        if obj not in out:  # the schema wants fixes unique
            out.append(obj)
    return out


def _notification(level: str, message: str, uri: str) -> dict:
    return {
        "level": level,
        "message": {"text": message},
        "locations": [{"physicalLocation": {"artifactLocation": {"uri": uri}}}],
    }


def log(results, rules) -> dict:
    """The SARIF log as a dict."""
    descriptors = [descriptor(rule) for rule in rules.values()]
    index = {d["id"]: i for i, d in enumerate(descriptors)}
    sarif_results, notifications = [], []
    for result in results:
        uri = artifact_uri(result.path)
        if result.error is not None:
            notifications.append(_notification("error", result.error, uri))
            continue
        for problem in result.problems:
            notifications.append(_notification("warning", problem, uri))
        doc = result.document
        seen: dict[tuple[str, str], int] = {}
        for finding in result.findings:
            if finding.rule not in index:  # unknown rule: add a minimal descriptor after the known ones
                index[finding.rule] = len(descriptors)
                descriptors.append({"id": finding.rule, "name": finding.rule})
            text = matched_text(doc, finding)
            occurrence = seen.get((finding.rule, text), 0)
            seen[(finding.rule, text)] = occurrence + 1
            region = _region(location(doc, finding.start, finding.end))
            region["snippet"] = {"text": text}
            item = {
                "ruleId": finding.rule,
                "ruleIndex": index[finding.rule],
                "level": LEVELS.get(finding.severity, "warning"),
                "message": {"text": finding.message},
                "locations": [{"physicalLocation": {"artifactLocation": {"uri": uri}, "region": region}}],
                "partialFingerprints": {
                    "blamelint/v1": fingerprint(finding.rule, result.path, text, occurrence)
                },
            }
            if finding.related:
                item["relatedLocations"] = [
                    {"id": n, "message": {"text": f"{r.rule}: {r.message}"},
                     "physicalLocation": {"artifactLocation": {"uri": uri},
                                          "region": _region(location(doc, r.start, r.end))}}
                    for n, r in enumerate(finding.related, 1)]
            fixes = _fixes(doc, uri, finding)
            if fixes:
                item["fixes"] = fixes
            sarif_results.append(item)
    invocation = {"executionSuccessful": not any(r.error is not None for r in results)}
    if notifications:
        invocation["toolExecutionNotifications"] = notifications
    driver = {
        "name": "blamelint",
        "version": _version(),
        "informationUri": INFORMATION_URI,
        "rules": descriptors,
    }
    run = {
        "tool": {"driver": driver},
        "invocations": [invocation],
        "columnKind": "unicodeCodePoints",
        "results": sarif_results,
    }
    return {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}


def render(results, rules, *, color: bool = False) -> str:
    return json.dumps(log(results, rules), indent=2, ensure_ascii=False) + "\n"
