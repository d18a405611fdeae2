"""CSV: one row per post-mortem, for spreadsheets."""

from __future__ import annotations

import csv
import io

from blamelint.findings import CATEGORIES

COLUMNS = (
    ["path", "title", "date", "date_source", "period", "severity", "impact_minutes", "tags", "inferred_tags",
     "words", "findings", "findings_per_1k"]
    + [f"{c}_per_1k" for c in CATEGORIES]
    + ["blameless_score", "template_completeness", "missing_sections", "followups", "smart", "closed", "open",
       "overdue", "closure_rate"]
)


def rows(data: dict) -> list[dict]:
    out = []
    for d in data["documents"]:
        fu = d["followups"]
        row = {
            "path": d["path"], "title": d["title"], "date": d["date"] or "", "date_source": d["date_source"] or "",
            "period": d["period"] or "", "severity": d["severity"] or "",
            "impact_minutes": "" if d["impact_minutes"] is None else d["impact_minutes"],
            "tags": ";".join(d["tags"]), "inferred_tags": ";".join(d["inferred_tags"]),
            "words": d["words"], "findings": d["findings"], "findings_per_1k": d["findings_per_1k"],
            "blameless_score": d["blameless_score"], "template_completeness": d["template"]["completeness"],
            "missing_sections": ";".join(d["template"]["missing"]), "followups": fu["total"], "smart": fu["smart"],
            "closed": fu["closed"], "open": fu["open"], "overdue": fu["overdue"],
            "closure_rate": "" if fu["closure_rate"] is None else fu["closure_rate"],
        }
        for c in CATEGORIES:
            row[f"{c}_per_1k"] = d["findings_per_1k_by_category"][c]
        out.append(row)
    return out


def render(data: dict) -> str:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows(data))
    return buf.getvalue()
