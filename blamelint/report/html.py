"""The HTML report: one self-contained page (inline CSS, a little inline JS, inline SVG charts).

A Content-Security-Policy meta tag forbids every network load, so the page works offline and
cannot leak: no CDN, no fonts, no images from anywhere but the page itself. Tables sort on a
header click. Each post-mortem has a details block with its findings, its follow-ups and the
source lines they point at; finding links jump to the line (`#d3-L42`) and highlight it.
"""

from __future__ import annotations

import re
from html import escape

from blamelint.findings import CATEGORIES
from blamelint.report import charts as charts_mod

CONTEXT_LINES = 1
MAX_EXCERPT_LINES = 400

CSS = """
:root { --fg:#1d2330; --muted:#5b6475; --line:#dde1e8; --bg:#ffffff; --soft:#f5f7fa; --accent:#3b6ea5;
        --hit:#fff1c2; --target:#ffd76a; }
* { box-sizing: border-box; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg);
       background: var(--bg); margin: 0; }
header { padding: 18px 28px 8px; border-bottom: 1px solid var(--line); }
header h1 { font-size: 22px; margin: 0 0 4px; }
header p { margin: 0; color: var(--muted); }
nav { padding: 6px 28px; border-bottom: 1px solid var(--line); background: var(--soft); position: sticky; top: 0;
      z-index: 2; }
nav a { margin-right: 14px; color: var(--accent); text-decoration: none; font-size: 13px; }
main { padding: 8px 28px 40px; max-width: 1400px; }
h2 { font-size: 18px; margin: 28px 0 8px; border-bottom: 1px solid var(--line); padding-bottom: 4px; }
h3 { font-size: 15px; margin: 16px 0 6px; }
.cards { display: flex; flex-wrap: wrap; gap: 10px; margin: 14px 0; }
.card { border: 1px solid var(--line); border-radius: 6px; padding: 10px 14px; min-width: 150px; background: var(--soft); }
.card b { display: block; font-size: 22px; }
.card span { color: var(--muted); font-size: 12px; }
.charts { display: grid; grid-template-columns: repeat(auto-fill, minmax(460px, 1fr)); gap: 14px; }
.charts figure { margin: 0; border: 1px solid var(--line); border-radius: 6px; padding: 6px; }
svg.chart { width: 100%; height: auto; }
table { border-collapse: collapse; margin: 6px 0 12px; font-size: 13px; }
th, td { border-bottom: 1px solid var(--line); padding: 4px 7px; text-align: left; vertical-align: top; }
th { background: var(--soft); position: relative; white-space: nowrap; }
table.sortable th { cursor: pointer; user-select: none; padding-right: 18px; }
table.sortable th::after { content: "↕"; position: absolute; right: 4px; color: #aab; font-size: 11px; }
table.sortable th[aria-sort=ascending]::after { content: "▲"; color: var(--accent); }
table.sortable th[aria-sort=descending]::after { content: "▼"; color: var(--accent); }
td.doc { min-width: 280px; max-width: 420px; }
td.nowrap { white-space: nowrap; }
[id] { scroll-margin-top: 44px; }
.scroll { max-height: 460px; overflow-y: auto; display: inline-block; max-width: 100%; border-bottom: 1px solid var(--line); }
.scroll table { margin: 0; }
.scroll th { position: sticky; top: 0; z-index: 1; }
.small { font-size: 11px; }
.wide { overflow-x: auto; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
.muted { color: var(--muted); }
.tag { display: inline-block; background: #eef2f8; border-radius: 3px; padding: 0 5px; margin: 1px 2px 1px 0;
       font-size: 12px; }
.tag.inferred { background: none; border: 1px dashed #aab; font-style: italic; }
.sev-error { color: #b3261e; font-weight: 600; } .sev-warning { color: #9a5b00; } .sev-info { color: var(--muted); }
.bad { color: #b3261e; } .good { color: #2e7d32; }
details.doc { border: 1px solid var(--line); border-radius: 6px; margin: 8px 0; }
details.doc > summary { cursor: pointer; padding: 8px 12px; background: var(--soft); }
details.doc > div { padding: 4px 14px 10px; }
.src { font: 12px/1.5 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; border: 1px solid var(--line);
       border-radius: 4px; overflow-x: auto; background: #fbfbfc; margin: 6px 0; }
.src div { white-space: pre; padding: 0 8px 0 0; }
.src .no { display: inline-block; width: 4.5em; padding-right: 8px; text-align: right; color: #99a; user-select: none;
           border-right: 1px solid var(--line); margin-right: 8px; }
.src .hit { background: var(--hit); }
.src mark { background: #ffc94d; color: inherit; border-radius: 2px; }
.src .gap { color: #99a; padding-left: 5.5em; }
.src div:target { background: var(--target); outline: 2px solid #e0a800; }
"""

JS = """
(function () {
  function key(row, i) {
    var cell = row.children[i];
    if (!cell) return "";
    var v = cell.hasAttribute("data-v") ? cell.getAttribute("data-v") : cell.textContent.trim();
    var n = Number(v);
    return v !== "" && !isNaN(n) ? n : v.toLowerCase();
  }
  function sortBy(th) {
    var table = th.closest("table"), body = table.tBodies[0];
    var i = Array.prototype.indexOf.call(th.parentNode.children, th);
    var dir = th.getAttribute("aria-sort") === "ascending" ? "descending" : "ascending";
    Array.prototype.forEach.call(th.parentNode.children, function (h) { h.removeAttribute("aria-sort"); });
    th.setAttribute("aria-sort", dir);
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (a, b) {
      var x = key(a, i), y = key(b, i), c;
      if (typeof x === "number" && typeof y === "number") c = x - y;
      else if (x === "" || y === "") c = (x === "") - (y === "");
      else c = String(x).localeCompare(String(y));
      return dir === "ascending" ? c : -c;
    });
    rows.forEach(function (r) { body.appendChild(r); });
  }
  document.querySelectorAll("table.sortable th").forEach(function (th) {
    th.tabIndex = 0;
    th.addEventListener("click", function () { sortBy(th); });
    th.addEventListener("keydown", function (e) { if (e.key === "Enter") sortBy(th); });
  });
  function reveal() {
    var id = decodeURIComponent(location.hash.slice(1));
    var el = id && document.getElementById(id);
    if (!el) return;
    var opened = false;
    for (var p = el; p; p = p.parentElement) {
      if (p.tagName === "DETAILS" && !p.open) { p.open = true; opened = true; }
    }
    if (opened || el.closest(".src")) el.scrollIntoView({block: "center"});
  }
  window.addEventListener("hashchange", reveal);
  reveal();
})();
"""

CSP = ("default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:; "
       "base-uri 'none'; form-action 'none'")


def _e(value) -> str:
    return escape("" if value is None else str(value), quote=True)


def _num(value, digits: int = 1) -> str:
    if value is None:
        return '<td class="n" data-v="">–</td>'
    if isinstance(value, float):
        return f'<td class="n" data-v="{value}">{value:,.{digits}f}</td>'
    return f'<td class="n" data-v="{value}">{value:,}</td>'


def _pct(value) -> str:
    if value is None:
        return '<td class="n" data-v="">–</td>'
    return f'<td class="n" data-v="{value}">{100 * value:.0f}%</td>'


def _table(headers: list[tuple[str, bool]], rows: list[str], cls: str = "sortable") -> str:
    head = "".join(f'<th{" class=n" if num else ""} scope="col">{_e(h)}</th>' for h, num in headers)
    return f'<table class="{cls}"><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table>'


def _tags(d: dict) -> str:
    if d["tags"]:
        return "".join(f'<span class="tag">{_e(t)}</span>' for t in d["tags"])
    return "".join(f'<span class="tag inferred" title="inferred from keywords">{_e(t)}?</span>'
                   for t in d["inferred_tags"])


def _short_title(title: str) -> str:
    """The title without a leading "Incident post-mortem:" / "Post-mortem:" label."""
    short = re.sub(r"(?i)^\s*(?:incident\s+)?(?:post-?mortem|incident(?:\s+review)?|rca)\s*[:—–-]\s*", "", title)
    return short or title


def _doc_link(rec: dict) -> str:
    return f'<a href="#{rec["id"]}">{_e(rec["path"])}</a>'


# --- sections --------------------------------------------------------------------------------------


def _summary(data: dict) -> str:
    s = data["summary"]
    rec = data["recurrence"]

    def card(value, label):
        return f'<div class="card"><b>{value}</b><span>{_e(label)}</span></div>'

    def pct(v):
        return "–" if v is None else f"{100 * v:.0f}%"

    cards = [
        card(f"{s['documents']:,}", "post-mortems"),
        card(f"{s['words']:,}", "words"),
        card(f"{s['findings_per_1k']:.1f}", "findings per 1,000 words"),
        card("–" if s["mean_blameless_score"] is None else f"{s['mean_blameless_score']:.0f}", "mean blameless score"),
        card(pct(s["mean_template_completeness"]), "template completeness"),
        card(pct(s["smart_rate"]), f"SMART follow-ups ({s['smart']} of {s['followups']})"),
        card(pct(s["closure_rate"]), f"follow-ups closed ({s['closed']} of {s['followups']})"),
        card(f"{s['overdue']:,}", "open follow-ups overdue"),
        card(pct(rec["rate"]), f"{rec['window_days']}-day theme recurrence"),
        card(f"{s['skipped']:,}", "files skipped"),
    ]
    return f'<section id="summary"><div class="cards">{"".join(cards)}</div></section>'


def _charts(data: dict) -> str:
    svgs = charts_mod.render_all(data)
    figs = "".join(f'<figure id="chart-{name}">{svg}</figure>' for name, svg in svgs.items())
    return f'<section id="charts"><h2>Trends and distributions</h2><div class="charts">{figs}</div></section>'


def _documents(data: dict) -> str:
    rows = []
    for d in data["documents"]:
        fu = d["followups"]
        rows.append(
            f'<tr><td class="doc" data-v="{_e(d["path"])}"><a href="#{d["id"]}">{_e(_short_title(d["title"]))}</a>'
            f'<br><span class="muted small">{_e(d["path"])}</span></td>'
            f'<td class="nowrap" data-v="{_e(d["date"] or "")}">{_e(d["date"] or "–")}</td>'
            f'<td data-v="{_e(d["severity"] or "")}">{_e(d["severity"] or "–")}</td>'
            + _num(d["impact_minutes"]) + _num(d["words"]) + _num(d["findings"]) + _num(d["findings_per_1k"])
            + _num(d["blameless_score"], 0) + _pct(d["template"]["completeness"])
            + _num(fu["total"]) + _num(fu["smart"]) + _num(fu["closed"]) + _num(fu["overdue"])
            + f"<td>{_tags(d)}</td></tr>"
        )
    headers = [("post-mortem", False), ("date", False), ("severity", False), ("impact min", True),
               ("words", True), ("findings", True), ("per 1k", True), ("score", True),
               ("template", True), ("follow-ups", True), ("SMART", True), ("closed", True), ("overdue", True),
               ("theme tags", False)]
    return ('<section id="documents"><h2>Post-mortems</h2><p class="muted">Click a column to sort; '
            'click a post-mortem for its findings and source lines. Score: the blameless score (0–100); '
            'template: required sections present; per 1k: findings per 1,000 words. Dashed tags are inferred '
            'from keywords.</p>'
            + '<div class="wide">' + _table(headers, rows) + "</div></section>")


def _categories(data: dict) -> str:
    per = data["summary"]["findings_per_1k_by_category"]
    counts = {c: sum(d["findings_by_category"].get(c, 0) for d in data["documents"]) for c in CATEGORIES}
    rows = [f"<tr><td>{_e(c)}</td>{_num(counts[c])}{_num(per[c], 2)}</tr>" for c in CATEGORIES]
    return _table([("category", False), ("findings", True), ("per 1,000 words", True)], rows)


def _rules(data: dict) -> str:
    rows = [f"<tr><td>{_e(r['rule'])}</td><td>{_e(r['category'])}</td>{_num(r['count'])}{_num(r['documents'])}</tr>"
            for r in data["rules"]]
    return ('<section id="rules"><h2>Findings</h2><h3>By category</h3>' + _categories(data)
            + "<h3>Rules that fire most</h3>"
            + '<div class="scroll">'
            + _table([("rule", False), ("category", False), ("findings", True), ("post-mortems", True)], rows)
            + "</div></section>")


def _attention(data: dict) -> str:
    by_id = {d["id"]: d for d in data["documents"]}
    rows = [f'<tr><td data-v="{_e(a["path"])}">{_doc_link(by_id[a["id"]])}</td>{_num(a["attention"], 0)}'
            f'<td>{_e("; ".join(a["reasons"]))}</td></tr>' for a in data["attention"]]
    return ('<section id="attention"><h2>Needs attention most</h2>'
            '<p class="muted">Attention = (100 − blameless score) + 8 per missing template section '
            '+ 10 per overdue follow-up + 5 per open follow-up that is not SMART.</p>'
            + _table([("post-mortem", False), ("attention", True), ("why", False)], rows) + "</section>")


def _followups(data: dict) -> str:
    fu = data["followups"]
    age = fu["ageing"]
    buckets = age["buckets"]
    rows = [f"<tr><td>{_e(team)}</td>" + "".join(_num(c[b]) for b in buckets) + _num(sum(c.values())) + "</tr>"
            for team, c in age["by_team"].items()]
    total = ("<tfoot><tr><th>all teams</th>" + "".join(f'<th class="n">{age["total"][b]}</th>' for b in buckets)
             + f'<th class="n">{sum(age["total"].values())}</th></tr></tfoot>')
    table = _table([("owner team", False)] + [(b, True) for b in buckets] + [("open", True)], rows)
    table = '<div class="scroll">' + table.replace("</tbody></table>", f"</tbody>{total}</table>") + "</div>"
    rate = "–" if fu["closure_rate"] is None else f"{100 * fu['closure_rate']:.0f}%"
    return (f'<section id="followups"><h2>Follow-ups</h2><p>{fu["total"]} follow-ups, {fu["closed"]} closed '
            f'(closure rate {rate}), {fu["open"]} open, {fu["overdue"]} overdue on {_e(data["today"])}. '
            'Open items by age (days since the post-mortem) and owner team:</p>' + table + "</section>")


def _themes(data: dict) -> str:
    th = data["themes"]
    rec = data["recurrence"]
    tags = list(th["frequency"])
    rows = [f"<tr><td>{_e(t)}</td>{_num(n)}{_num(rec['by_tag'].get(t, 0))}</tr>" for t, n in th["frequency"].items()]
    out = ['<section id="themes"><h2>Themes</h2>',
           f'<p class="muted">{th["untagged_documents"]} post-mortem{"s" * (th["untagged_documents"] != 1)} '
           f'declare{"s" * (th["untagged_documents"] == 1)} no theme tags.</p>',
           _table([("tag", False), ("post-mortems", True), (f"pairs ≤{rec['window_days']} days", True)], rows)]
    if tags:
        cross = [f"<tr><td>{_e(sev)}</td>" + "".join(_num(row.get(t, 0)) for t in tags) + "</tr>"
                 for sev, row in th["severity_by_theme"].items()]
        out += ["<h3>Severity × theme</h3>", _table([("severity", False)] + [(t, True) for t in tags], cross)]
    if th["inferred_frequency"]:
        out.append('<p class="muted">Inferred from keywords in untagged post-mortems (not counted above): '
                   + ", ".join(f"{_e(t)} {n}" for t, n in th["inferred_frequency"].items()) + "</p>")
    out.append("</section>")
    return "".join(out)


def _trend(data: dict) -> str:
    rows = [f"<tr><td>{_e(r['period'])}</td>{_num(r['documents'])}{_num(r['words'])}{_num(r['findings'])}"
            f"{_num(r['findings_per_1k'])}{_num(r['mean_blameless_score'], 0)}{_num(r['followups'])}"
            f"{_num(r['closed'])}{_pct(r['closure_rate'])}</tr>" for r in data["trend"]]
    return (f'<section id="trend"><h2>Trend by {_e(data["period"])}</h2>'
            + _table([("period", False), ("post-mortems", True), ("words", True), ("findings", True),
                      ("per 1k words", True), ("mean score", True), ("follow-ups", True), ("closed", True),
                      ("closure rate", True)], rows) + "</section>")


def _recurrence(data: dict) -> str:
    rec = data["recurrence"]
    by_path = {d["path"]: d for d in data["documents"]}
    rows = [f'<tr><td data-v="{_e(p["first"])}">{_doc_link(by_path[p["first"]])}</td><td>{_e(p["first_date"])}</td>'
            f'<td data-v="{_e(p["second"])}">{_doc_link(by_path[p["second"]])}</td><td>{_e(p["second_date"])}</td>'
            f'{_num(p["days"])}<td>{_e(", ".join(p["tags"]))}</td></tr>' for p in rec["pairs"]]
    rate = "–" if rec["rate"] is None else f"{100 * rec['rate']:.0f}%"
    return (f'<section id="recurrence"><h2>Recurrence within {rec["window_days"]} days</h2>'
            f'<p>{rec["recurring_documents"]} of {rec["eligible_documents"]} tagged, dated post-mortems share a theme '
            f'tag with an earlier one at most {rec["window_days"]} days before (recurrence rate {rate}).</p>'
            + '<div class="scroll">'
            + _table([("earlier", False), ("date", False), ("later", False), ("date", False), ("days apart", True),
                      ("shared tags", False)], rows) + "</div></section>")


def _skipped(data: dict) -> str:
    rows = [f"<tr><td>{_e(s['path'])}</td><td>{_e(s['reason'])}</td></tr>" for s in data["skipped"]]
    if not rows:
        return '<section id="skipped"><h2>Skipped</h2><p class="muted">Nothing was skipped.</p></section>'
    return '<section id="skipped"><h2>Skipped</h2>' + _table([("file", False), ("reason", False)], rows) + "</section>"


# --- per document --------------------------------------------------------------------------------


def _excerpt(rec: dict, facts) -> str:
    """The source lines the findings and follow-ups point at (with context), each with an anchor."""
    doc = facts.document
    nlines = len(doc.line_starts)
    marks: dict[int, list[tuple[int, int]]] = {}  # line -> [(col0, col1)] 0-based code points
    for f in facts.findings:
        l1, c1 = doc.position(f.start)
        l2, c2 = doc.position(f.end)
        for line in range(l1, min(l2, nlines) + 1):
            a = c1 - 1 if line == l1 else 0
            b = c2 - 1 if line == l2 else len(doc.line_text(line))
            marks.setdefault(line, []).append((a, max(a, b)))
    wanted = set(marks) | {i["line"] for i in rec["followups"]["items"]}
    show: set[int] = set()
    for line in wanted:
        show.update(range(max(1, line - CONTEXT_LINES), min(nlines, line + CONTEXT_LINES) + 1))
    if not show:
        return ""
    out, prev = [], 0
    for line in sorted(show)[:MAX_EXCERPT_LINES]:
        if prev and line > prev + 1:
            out.append('<div class="gap">⋯</div>')
        text = doc.line_text(line)
        cls = ' class="hit"' if line in marks else ""
        out.append(f'<div id="{rec["id"]}-L{line}"{cls}><span class="no">{line}</span>{_marked(text, marks.get(line, []))}</div>')
        prev = line
    return f'<div class="src">{"".join(out)}</div>'


def _marked(text: str, spans: list[tuple[int, int]]) -> str:
    if not spans:
        return _e(text)
    flags = [False] * len(text)
    for a, b in spans:
        for k in range(max(0, a), min(b, len(text))):
            flags[k] = True
    out, k = [], 0
    while k < len(text):
        j = k
        while j < len(text) and flags[j] == flags[k]:
            j += 1
        piece = _e(text[k:j])
        out.append(f"<mark>{piece}</mark>" if flags[k] else piece)
        k = j
    return "".join(out)


def _detail(rec: dict, facts) -> str:
    fu = rec["followups"]
    tmpl = rec["template"]
    facts_line = [
        f"<b>{_e(rec['date'] or 'no date')}</b>" + (f" ({_e(rec['date_source'])})" if rec["date_source"] else ""),
        _e(rec["severity"] or "severity unknown"),
        f"impact {rec['impact_minutes']} min" if rec["impact_minutes"] is not None else "",
        f"{rec['words']:,} words",
        f"blameless score {rec['blameless_score']:.0f}",
        f"template {100 * tmpl['completeness']:.0f}%" + (f" (missing: {_e(', '.join(tmpl['missing']))})"
                                                           if tmpl["missing"] else ""),
        f"{fu['total']} follow-ups, {fu['smart']} SMART, {fu['closed']} closed, {fu['overdue']} overdue",
    ]
    parts = [f'<p>{" · ".join(x for x in facts_line if x)}</p>', f"<p>{_tags(rec)}</p>"]
    if rec["finding_list"]:
        rows = [f'<tr><td class="n" data-v="{f["line"]}"><a href="#{rec["id"]}-L{f["line"]}">{f["line"]}:{f["column"]}</a></td>'
                f'<td>{_e(f["rule"])}</td><td>{_e(f["category"])}</td>'
                f'<td class="sev-{_e(f["severity"])}">{_e(f["severity"])}</td><td>{_e(f["message"])}</td></tr>'
                for f in rec["finding_list"]]
        parts.append("<h3>Findings</h3>" + _table([("line", True), ("rule", False), ("category", False),
                                                  ("severity", False), ("message", False)], rows,
                                                 cls="sortable findings"))
    else:
        parts.append('<p class="good">No findings.</p>')
    if fu["items"]:
        rows = []
        for i in fu["items"]:
            status = "closed" if i["closed"] else ("overdue" if i["overdue"] else "open")
            smart = '<span class="good">yes</span>' if i["smart"] else (
                '<span class="bad">no</span>' + (f' <span class="muted">({_e(", ".join(i["problems"]))})</span>'
                                                 if i["problems"] else ""))
            rows.append(f'<tr><td class="n" data-v="{i["line"]}"><a href="#{rec["id"]}-L{i["line"]}">{i["line"]}</a></td>'
                        f'<td>{_e(i["text"])}</td><td>{_e(i["team"])}</td><td class="nowrap">{_e(i["due"] or "–")}</td>'
                        f'<td class="{"bad" if status == "overdue" else ""}">{status}</td><td>{smart}</td></tr>')
        parts.append("<h3>Follow-ups</h3>" + _table([("line", True), ("item", False), ("owner", False), ("due", False),
                                                    ("status", False), ("SMART", False)], rows,
                                                   cls="sortable followup-items"))
    excerpt = _excerpt(rec, facts)
    if excerpt:
        parts.append("<h3>Source</h3>" + excerpt)
    summary = (f'<b>{_e(rec["title"])}</b> <span class="muted">— {_e(rec["path"])} · '
               f'{len(rec["finding_list"])} finding{"s" * (len(rec["finding_list"]) != 1)}</span>')
    return f'<details class="doc" id="{rec["id"]}"><summary>{summary}</summary><div>{"".join(parts)}</div></details>'


def _details(data: dict, docs) -> str:
    blocks = [_detail(rec, facts) for rec, facts in zip(data["documents"], docs, strict=True)]
    return '<section id="details"><h2>Each post-mortem</h2>' + "".join(blocks) + "</section>"


def render(report) -> str:
    data = report.data
    s = data["summary"]
    span = f"{s['first_date']} to {s['last_date']}" if s["first_date"] else "undated"
    nav = "".join(f'<a href="#{i}">{t}</a>' for i, t in [
        ("summary", "Summary"), ("charts", "Charts"), ("documents", "Post-mortems"), ("rules", "Findings"),
        ("attention", "Attention"), ("followups", "Follow-ups"), ("themes", "Themes"), ("trend", "Trend"),
        ("recurrence", "Recurrence"), ("skipped", "Skipped"), ("details", "Each post-mortem")])
    body = "".join([
        _summary(data), _charts(data), _documents(data), _rules(data), _attention(data), _followups(data),
        _themes(data), _trend(data), _recurrence(data), _skipped(data), _details(data, report.docs),
    ])
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="blamelint {_e(data['tool']['version'])} (report schema {_e(data['schema_version'])})">
<link rel="icon" href="data:,">
<title>Post-mortem archive report</title>
<style>{CSS}</style>
</head>
<body>
<header><h1>Post-mortem archive report</h1>
<p>{s['documents']} post-mortems ({_e(span)}), {s['skipped']} files skipped · follow-ups as of {_e(data['today'])} ·
trend by {_e(data['period'])} · blamelint {_e(data['tool']['version'])}</p></header>
<nav>{nav}</nav>
<main>
{body}
</main>
<script>{JS}</script>
</body>
</html>
"""
