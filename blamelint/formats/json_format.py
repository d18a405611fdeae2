"""JSON output: one object per finding. The keys are a contract other tools read."""

from __future__ import annotations

import json

from blamelint.formats.common import findings_of, location, matched_text


def records(results) -> list[dict]:
    """One dict per finding of the results that were linted (errored results give none)."""
    out = []
    for result, finding in findings_of(results):
        doc = result.document
        out.append({
            "path": result.path,
            **location(doc, finding.start, finding.end),
            "rule": finding.rule,
            "category": finding.category,
            "severity": finding.severity,
            "message": finding.message,
            "confidence": finding.confidence,
            "text": matched_text(doc, finding),
            "fixes": [
                {
                    "title": fix.title,
                    "safe": fix.safe,
                    "edits": [{**location(doc, edit.start, edit.end), "new_text": edit.new_text}
                              for edit in fix.edits],
                }
                for fix in finding.fixes
            ],
            # other rules' hits of the same problem, merged into this finding
            "related": [{**location(doc, r.start, r.end), "rule": r.rule, "message": r.message}
                        for r in finding.related],
        })
    return out


def render(results, rules, *, color: bool = False) -> str:
    return json.dumps(records(results), indent=2, ensure_ascii=False) + "\n"
