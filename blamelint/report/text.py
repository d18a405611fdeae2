"""The terminal summary: a few plain tables."""

from __future__ import annotations

from blamelint.findings import CATEGORIES

TEAMS_SHOWN = 12
PAIRS_SHOWN = 15


def _fmt(value, digits: int = 1) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:,.{digits}f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def _pct(value) -> str:
    return "–" if value is None else f"{100 * value:.0f}%"


def table(headers: list[str] | None, rows: list[list], right: set[int] | None = None, indent: str = "  ",
          max_width: int = 64) -> list[str]:
    """Aligned columns; `headers` None for a two-column list of labels and values."""
    if headers is None:
        width = max((len(str(r[0])) for r in rows), default=0)
        return [f"{indent}{str(label).ljust(width)}  {value}".rstrip() for label, value in rows]
    right = right or set()
    cells = [[str(h) for h in headers]] + [[_fmt(c) if not isinstance(c, str) else c for c in row] for row in rows]
    cells = [[c if len(c) <= max_width else c[: max_width - 1] + "…" for c in row] for row in cells]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]

    def line(row):
        parts = [c.rjust(w) if i in right else c.ljust(w) for i, (c, w) in enumerate(zip(row, widths, strict=True))]
        return (indent + "  ".join(parts)).rstrip()

    out = [line(cells[0]), indent + "  ".join("-" * w for w in widths)]
    out += [line(r) for r in cells[1:]]
    return out


def render(data: dict) -> str:
    s = data["summary"]
    fu = data["followups"]
    rec = data["recurrence"]
    out = [
        f"Post-mortem archive report: {s['documents']} post-mortem{'s' * (s['documents'] != 1)}, "
        f"{s['skipped']} skipped (today {data['today']}, by {data['period']})",
        "",
        "Summary",
    ]
    span = f"{s['first_date']} to {s['last_date']}" if s["first_date"] else "no dates"
    out += table(None, [
        ["dates", span + (f" ({s['undated']} undated)" if s["undated"] else "")],
        ["words", _fmt(s["words"])],
        ["findings", f"{_fmt(s['findings'])} ({_fmt(s['findings_per_1k'])} per 1,000 words)"],
        ["mean blameless score", f"{_fmt(s['mean_blameless_score'])} / 100"],
        ["template completeness", _pct(s["mean_template_completeness"])],
        ["follow-ups", f"{s['followups']}: {s['smart']} SMART ({_pct(s['smart_rate'])}), "
                       f"{s['closed']} closed ({_pct(s['closure_rate'])}), {s['overdue']} overdue"],
        ["90-day recurrence", f"{_pct(rec['rate'])} ({rec['recurring_documents']} of {rec['eligible_documents']} "
                              "tagged, dated post-mortems)"],
    ])

    out += ["", "Findings per 1,000 words by category"]
    per = s["findings_per_1k_by_category"]
    counts = {c: sum(d["findings_by_category"].get(c, 0) for d in data["documents"]) for c in CATEGORIES}
    out += table(["category", "per 1k", "findings"], [[c, per[c], counts[c]] for c in CATEGORIES], right={1, 2})

    if data["rules"]:
        out += ["", f"Rules that fire most (top {min(10, len(data['rules']))})"]
        out += table(["rule", "category", "findings", "documents"],
                     [[r["rule"], r["category"], r["count"], r["documents"]] for r in data["rules"][:10]], right={2, 3})

    if data["attention"]:
        out += ["", "Needs attention most"]
        out += table(["document", "attention", "why"],
                     [[a["path"], a["attention"], "; ".join(a["reasons"])] for a in data["attention"]],
                     right={1}, max_width=90)

    age = fu["ageing"]
    if any(age["total"].values()):
        buckets = [b for b in age["buckets"] if age["total"][b]]
        out += ["", f"Open follow-ups by age (closure rate {_pct(fu['closure_rate'])}, {fu['overdue']} overdue)"]
        teams = list(age["by_team"].items())
        rows = [[t] + [c[b] for b in buckets] + [sum(c.values())] for t, c in teams[:TEAMS_SHOWN]]
        if len(teams) > TEAMS_SHOWN:
            rest = teams[TEAMS_SHOWN:]
            rows.append([f"({len(rest)} more teams)"] + [sum(c[b] for _, c in rest) for b in buckets]
                        + [sum(sum(c.values()) for _, c in rest)])
        rows.append(["all teams"] + [age["total"][b] for b in buckets] + [sum(age["total"].values())])
        out += table(["owner team"] + buckets + ["open"], rows, right=set(range(1, len(buckets) + 2)))

    th = data["themes"]
    if th["frequency"]:
        tags = list(th["frequency"])
        n = th["untagged_documents"]
        out += ["", f"Theme tags ({n} post-mortem{'s' * (n != 1)} without tags)"]
        out += table(["tag", "post-mortems", "pairs ≤90 days"],
                     [[t, n, rec["by_tag"].get(t, 0)] for t, n in th["frequency"].items()], right={1, 2})
        out += ["", "Severity × theme"]
        out += table(["severity"] + tags, [[sev] + [row.get(t, 0) for t in tags]
                                           for sev, row in th["severity_by_theme"].items()],
                     right=set(range(1, len(tags) + 1)))
    if th["inferred_frequency"]:
        out += ["", "Inferred themes (untagged post-mortems, from keywords): "
                + ", ".join(f"{t} {n}" for t, n in th["inferred_frequency"].items())]

    if data["trend"]:
        out += ["", f"Trend by {data['period']}"]
        out += table(["period", "post-mortems", "findings per 1k", "mean score", "follow-ups", "closure rate"],
                     [[r["period"], r["documents"], r["findings_per_1k"], r["mean_blameless_score"], r["followups"],
                       _pct(r["closure_rate"])] for r in data["trend"]], right={1, 2, 3, 4, 5})

    if rec["pairs"]:
        n = len(rec["pairs"])
        out += ["", f"Recurring themes within {rec['window_days']} days ({n} pair{'s' * (n != 1)})"]
        out += table(["earlier", "later", "days", "shared tags"],
                     [[p["first"], p["second"], p["days"], ", ".join(p["tags"])] for p in rec["pairs"][:PAIRS_SHOWN]],
                     right={2})
        if len(rec["pairs"]) > PAIRS_SHOWN:
            out.append(f"  … and {len(rec['pairs']) - PAIRS_SHOWN} more (--format json or html lists them all)")

    out += ["", "Post-mortems"]
    out += table(["document", "date", "severity", "words", "per 1k", "score", "template", "follow-ups", "SMART",
                  "closed", "overdue", "tags"],
                 [[d["path"], d["date"] or "–", d["severity"] or "–", d["words"], d["findings_per_1k"],
                   d["blameless_score"], _pct(d["template"]["completeness"]), d["followups"]["total"],
                   d["followups"]["smart"], d["followups"]["closed"], d["followups"]["overdue"],
                   ", ".join(d["tags"]) or (", ".join(d["inferred_tags"]) + " (inferred)" if d["inferred_tags"] else "–")]
                  for d in data["documents"]], right={3, 4, 5, 6, 7, 8, 9, 10}, max_width=60)

    if data["skipped"]:
        out += ["", "Skipped"]
        out += table(["file", "reason"], [[x["path"], x["reason"]] for x in data["skipped"]], max_width=90)
    return "\n".join(out) + "\n"
