"""The archive: per-document records and everything computed across them, as one JSON-ready dict.

The shape is a contract (`docs/report-schema.json`, `SCHEMA_VERSION`); the definitions are in
`docs/report.md`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter, defaultdict

from blamelint import __version__
from blamelint.findings import CATEGORIES
from blamelint.report import SCHEMA_VERSION
from blamelint.report.facts import DocFacts

RECURRENCE_DAYS = 90
AGE_BUCKETS = [("0-30 days", 0, 30), ("31-90 days", 31, 90), ("91-180 days", 91, 180),
               ("181-365 days", 181, 365), ("over 365 days", 366, None)]
UNKNOWN_AGE = "unknown age"
UNKNOWN_SEVERITY = "unknown"

# Attention: how much a document needs a second look (see docs/report.md).
ATTENTION_WEIGHTS = {"score": 1.0, "missing_section": 8.0, "overdue": 10.0, "open_not_smart": 5.0}


def r3(x: float | None) -> float | None:
    return None if x is None else round(x, 3)


def ratio(a: int, b: int) -> float | None:
    return a / b if b else None


def period_of(d: dt.date | None, period: str) -> str | None:
    if d is None:
        return None
    if period == "month":
        return f"{d.year:04d}-{d.month:02d}"
    return f"{d.year:04d}-Q{(d.month - 1) // 3 + 1}"


def periods_between(first: str, last: str, period: str) -> list[str]:
    """Every period label from first to last, inclusive."""
    year, n = int(first[:4]), int(first[-1] if period == "quarter" else first[5:7])
    size = 4 if period == "quarter" else 12
    out = []
    while True:
        label = f"{year:04d}-Q{n}" if period == "quarter" else f"{year:04d}-{n:02d}"
        out.append(label)
        if label >= last:
            return out
        n += 1
        if n > size:
            year, n = year + 1, 1


def age_bucket(days: int | None) -> str:
    if days is None:
        return UNKNOWN_AGE
    for label, lo, hi in AGE_BUCKETS:
        if days >= lo and (hi is None or days <= hi):
            return label
    return AGE_BUCKETS[0][0]  # negative: the document is dated after --today


def finding_record(doc, f) -> dict:
    line, col = doc.position(f.start)
    end_line, end_col = doc.position(f.end)
    text = f.text if len(f.text) <= 200 else f.text[:199] + "…"
    return {"rule": f.rule, "category": f.category, "severity": f.severity, "line": line, "column": col,
            "end_line": end_line, "end_column": end_col, "message": f.message, "text": text}


def attention(d: DocFacts) -> tuple[float, list[str]]:
    w = ATTENTION_WEIGHTS
    missing = d.missing_sections
    overdue, weak = d.count("overdue"), d.count("open_not_smart")
    score = (w["score"] * (100 - d.blameless_score) + w["missing_section"] * len(missing)
             + w["overdue"] * overdue + w["open_not_smart"] * weak)
    reasons = []
    if d.blameless_score < 100:
        reasons.append(f"blameless score {d.blameless_score:.0f}")
    if missing:
        reasons.append(f"missing {', '.join(missing)}")
    if overdue:
        reasons.append(f"{overdue} overdue follow-up{'s' * (overdue != 1)}")
    if weak:
        reasons.append(f"{weak} open follow-up{'s' * (weak != 1)} not SMART")
    return score, reasons


def document_record(d: DocFacts, index: int, period: str) -> dict:
    doc = d.document
    by_cat = d.by_category
    items = d.followups
    total, closed = len(items), d.count("closed")
    return {
        "id": f"d{index}",
        "path": d.path,
        "title": d.title,
        "date": d.date.isoformat() if d.date else None,
        "date_source": d.date_source,
        "period": period_of(d.date, period),
        "severity": d.severity,
        "impact_minutes": d.impact_minutes,
        "tags": list(d.tags),
        "inferred_tags": list(d.inferred_tags),
        "words": d.words,
        "findings": len(d.findings),
        "findings_per_1k": r3(d.per_1k(len(d.findings))),
        "findings_by_category": by_cat,
        "findings_per_1k_by_category": {c: r3(d.per_1k(n)) for c, n in by_cat.items()},
        "blameless_score": r3(d.blameless_score),
        "template": {
            "required": list(d.required_sections),
            "present": list(d.present_sections),
            "missing": d.missing_sections,
            "completeness": r3(d.completeness),
        },
        "followups": {
            "total": total,
            "smart": d.count("smart"),
            "closed": closed,
            "open": d.count("open"),
            "overdue": d.count("overdue"),
            "closure_rate": r3(ratio(closed, total)),
            "items": [
                {"line": i.line, "text": i.text, "owner": i.owner, "team": i.team,
                 "due": i.due.isoformat() if i.due else None, "closed": i.closed, "smart": i.smart,
                 "overdue": i.overdue, "age_days": i.age_days, "problems": list(i.problems)}
                for i in items
            ],
        },
        "cached": d.cached,
        "finding_list": [finding_record(doc, f) for f in d.findings],
    }


def build(docs: list[DocFacts], skipped: list[tuple[str, str]], *, today: dt.date, period: str,
          top: int = 10) -> dict:
    records = [document_record(d, i + 1, period) for i, d in enumerate(docs)]
    words = sum(d.words for d in docs)
    nfind = sum(len(d.findings) for d in docs)
    by_cat = Counter()
    for d in docs:
        by_cat.update(d.by_category)
    items = [i for d in docs for i in d.followups]
    closed = sum(i.closed for i in items)

    # rules that fire most
    rule_count, rule_docs, rule_cat = Counter(), defaultdict(set), {}
    for d in docs:
        for f in d.findings:
            rule_count[f.rule] += 1
            rule_docs[f.rule].add(d.path)
            rule_cat[f.rule] = f.category
    rules = [{"rule": r, "category": rule_cat[r], "count": n, "documents": len(rule_docs[r])}
             for r, n in sorted(rule_count.items(), key=lambda kv: (-kv[1], kv[0]))]

    # documents that need attention most
    att = []
    for rec, d in zip(records, docs, strict=True):
        score, reasons = attention(d)
        if score > 0:
            att.append({"id": rec["id"], "path": d.path, "title": d.title, "attention": r3(score), "reasons": reasons})
    att.sort(key=lambda a: (-a["attention"], a["path"]))

    # follow-up ageing: open items by age bucket, per owner team
    buckets = [b[0] for b in AGE_BUCKETS] + [UNKNOWN_AGE]
    by_team: dict[str, Counter] = defaultdict(Counter)
    total_buckets = Counter()
    for i in items:
        if i.closed:
            continue
        b = age_bucket(i.age_days)
        by_team[i.team][b] += 1
        total_buckets[b] += 1
    ageing = {
        "buckets": buckets,
        "total": {b: total_buckets[b] for b in buckets},
        "by_team": {t: {b: c[b] for b in buckets} for t, c in sorted(by_team.items(), key=lambda kv: (-sum(kv[1].values()), kv[0]))},
    }

    # themes
    freq = Counter(t for d in docs for t in d.tags)
    inferred = Counter(t for d in docs for t in d.inferred_tags)
    sev_theme: dict[str, Counter] = defaultdict(Counter)
    for d in docs:
        for t in d.tags:
            sev_theme[d.severity or UNKNOWN_SEVERITY][t] += 1
    tag_order = [t for t, _ in sorted(freq.items(), key=lambda kv: (-kv[1], kv[0]))]
    severities = sorted(sev_theme, key=severity_key)

    # trend
    groups: dict[str, list[DocFacts]] = defaultdict(list)
    for d in docs:
        p = period_of(d.date, period)
        if p:
            groups[p].append(d)
    trend = []
    for p in periods_between(min(groups), max(groups), period) if groups else []:
        g = groups.get(p, [])  # a period without post-mortems stays in the series, with null rates
        gw = sum(d.words for d in g)
        gf = sum(len(d.findings) for d in g)
        gi = [i for d in g for i in d.followups]
        gc = sum(i.closed for i in gi)
        trend.append({
            "period": p, "documents": len(g), "words": gw, "findings": gf,
            "findings_per_1k": r3(1000 * gf / gw) if gw else None,
            "mean_blameless_score": r3(sum(d.blameless_score for d in g) / len(g)) if g else None,
            "followups": len(gi), "closed": gc, "closure_rate": r3(ratio(gc, len(gi))),
        })

    # recurrence of theme tags within RECURRENCE_DAYS
    dated = sorted((d for d in docs if d.date and d.tags), key=lambda d: (d.date, d.path))
    pairs, recurring = [], set()
    per_tag = Counter()
    for j, b in enumerate(dated):
        for a in dated[:j]:
            days = (b.date - a.date).days
            shared = sorted(set(a.tags) & set(b.tags))
            if shared and days <= RECURRENCE_DAYS:
                pairs.append({"first": a.path, "second": b.path, "first_date": a.date.isoformat(),
                              "second_date": b.date.isoformat(), "days": days, "tags": shared})
                recurring.add(b.path)
                per_tag.update(shared)
    recurrence = {
        "window_days": RECURRENCE_DAYS,
        "eligible_documents": len(dated),
        "recurring_documents": len(recurring),
        "rate": r3(ratio(len(recurring), len(dated))),
        "by_tag": {t: per_tag[t] for t in sorted(per_tag, key=lambda t: (-per_tag[t], t))},
        "pairs": pairs,
    }

    scores = [d.blameless_score for d in docs]
    dates = [d.date for d in docs if d.date]
    return {
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": "blamelint", "version": __version__},
        "today": today.isoformat(),
        "period": period,
        "summary": {
            "documents": len(docs),
            "skipped": len(skipped),
            "words": words,
            "findings": nfind,
            "findings_per_1k": r3(1000 * nfind / words if words else 0.0),
            "findings_per_1k_by_category": {c: r3(1000 * by_cat[c] / words if words else 0.0) for c in CATEGORIES},
            "mean_blameless_score": r3(sum(scores) / len(scores)) if scores else None,
            "mean_template_completeness": r3(sum(d.completeness for d in docs) / len(docs)) if docs else None,
            "followups": len(items),
            "smart": sum(i.smart for i in items),
            "closed": closed,
            "open": len(items) - closed,
            "overdue": sum(i.overdue for i in items),
            "closure_rate": r3(ratio(closed, len(items))),
            "smart_rate": r3(ratio(sum(i.smart for i in items), len(items))),
            "recurrence_rate": recurrence["rate"],
            "first_date": min(dates).isoformat() if dates else None,
            "last_date": max(dates).isoformat() if dates else None,
            "undated": sum(d.date is None for d in docs),
        },
        "rules": rules,
        "attention": att[:top],
        "followups": {
            "total": len(items),
            "closed": closed,
            "open": len(items) - closed,
            "overdue": sum(i.overdue for i in items),
            "closure_rate": r3(ratio(closed, len(items))),
            "ageing": ageing,
        },
        "themes": {
            "frequency": {t: freq[t] for t in tag_order},
            "inferred_frequency": {t: inferred[t] for t in sorted(inferred, key=lambda t: (-inferred[t], t))},
            "untagged_documents": sum(not d.tags for d in docs),
            "severity_by_theme": {s: {t: sev_theme[s][t] for t in tag_order if sev_theme[s][t]} for s in severities},
        },
        "trend": trend,
        "recurrence": recurrence,
        "documents": records,
        "skipped": [{"path": p, "reason": r} for p, r in skipped],
    }


def severity_key(s: str):
    """Sort key of a severity: "Sev-1" … "Sev-9" by number, then other values, then unknown."""
    m = re.fullmatch(r"Sev-(\d)", s)
    return (0, int(m.group(1)), s) if m else (1 if s != UNKNOWN_SEVERITY else 2, 0, s)
