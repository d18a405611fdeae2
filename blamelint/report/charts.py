"""Charts for the HTML report: matplotlib figures rendered to SVG text, inlined in the page.

matplotlib's object-oriented API is used directly (`matplotlib.figure.Figure`, no pyplot, no
GUI backend and no global figure state); SVG keeps the page one self-contained, searchable,
resolution-independent file. Text stays text (`svg.fonttype: none`) and element ids are salted
per chart so several charts can share one page.
"""

from __future__ import annotations

import io
import re

from blamelint.report.aggregate import severity_key

PALETTE = ["#3b6ea5", "#e07b39", "#5a9e6f", "#c44e52", "#8172b3", "#937860", "#da8bc3", "#8c8c8c"]
CATEGORY_COLORS = {
    "blame": "#c44e52", "named-individual": "#e07b39", "hindsight": "#8172b3", "vague-action": "#937860",
    "followup": "#3b6ea5", "root-cause": "#da8bc3", "template": "#8c8c8c",
}
WIDTH, HEIGHT = 6.4, 3.0


def _figure(height: float = HEIGHT, width: float = WIDTH):
    from matplotlib.figure import Figure  # here: matplotlib takes long to import, and only the HTML needs it

    fig = Figure(figsize=(width, height), dpi=96)
    return fig


def _svg(fig, name: str) -> str:
    import matplotlib

    with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": f"blamelint-{name}",
                                "font.family": "sans-serif"}):
        buf = io.StringIO()
        fig.savefig(buf, format="svg", bbox_inches="tight", metadata={"Date": None, "Creator": None})
    svg = buf.getvalue()
    svg = svg[svg.index("<svg"):]  # drop the XML declaration and the DOCTYPE (a DTD URL)
    svg = re.sub(r"<metadata>.*?</metadata>", "", svg, flags=re.S)
    # ids must be unique in the page: prefix them with the chart name
    svg = re.sub(r'id="([^"]+)"', lambda m: f'id="{name}-{m.group(1)}"', svg)
    svg = re.sub(r'url\(#([^)]+)\)', lambda m: f"url(#{name}-{m.group(1)})", svg)
    svg = re.sub(r'xlink:href="#([^"]+)"', lambda m: f'xlink:href="#{name}-{m.group(1)}"', svg)
    svg = re.sub(r'(?<![:\w])href="#([^"]+)"', lambda m: f'href="#{name}-{m.group(1)}"', svg)
    return svg.replace("<svg ", f'<svg role="img" aria-label="{name} chart" class="chart" ', 1)


def _style(ax) -> None:
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.tick_params(labelsize=8)
    ax.grid(axis="y", color="#dddddd", linewidth=0.6)
    ax.set_axisbelow(True)


def _empty(ax, message: str) -> None:
    ax.text(0.5, 0.5, message, ha="center", va="center", fontsize=9, color="#666666", transform=ax.transAxes)
    ax.set_xticks([])
    ax.set_yticks([])


def trend(data: dict) -> str:
    rows = data["trend"]
    fig = _figure(3.4)
    ax1, ax2 = fig.subplots(1, 2)
    labels = [r["period"] for r in rows]
    x = list(range(len(rows)))
    if rows:
        nan = float("nan")  # a period without post-mortems (or follow-ups) is a gap in the line
        ax1.plot(x, [nan if r["findings_per_1k"] is None else r["findings_per_1k"] for r in rows], marker="o",
                 color=PALETTE[3])
        ax1.set_ylim(bottom=0)
        ax2.plot(x, [nan if r["closure_rate"] is None else 100 * r["closure_rate"] for r in rows], marker="o",
                 color=PALETTE[2])
        ax2.set_ylim(0, 105)
        for ax in (ax1, ax2):
            step = max(1, (len(labels) + 11) // 12)  # at most about a dozen labels
            ax.set_xticks(x[::step])
            ax.set_xticklabels(labels[::step], rotation=45, ha="right")
            _style(ax)
    else:
        _empty(ax1, "no dated post-mortems")
        _empty(ax2, "no dated post-mortems")
    ax1.set_title("Findings per 1,000 words", fontsize=10)
    ax2.set_title("Follow-up closure rate (%)", fontsize=10)
    fig.tight_layout()
    return _svg(fig, "trend")


def categories(data: dict) -> str:
    per = data["summary"]["findings_per_1k_by_category"]
    cats = list(per)
    fig = _figure()
    ax = fig.subplots()
    ax.barh(cats[::-1], [per[c] for c in cats[::-1]], color=[CATEGORY_COLORS.get(c, PALETTE[0]) for c in cats[::-1]])
    ax.set_title("Findings per 1,000 words by category", fontsize=10)
    _style(ax)
    ax.grid(axis="y", visible=False)
    ax.grid(axis="x", color="#dddddd", linewidth=0.6)
    fig.tight_layout()
    return _svg(fig, "categories")


def severities(data: dict) -> str:
    counts: dict[str, int] = {}
    for d in data["documents"]:
        s = d["severity"] or "unknown"
        counts[s] = counts.get(s, 0) + 1
    order = sorted(counts, key=severity_key)
    fig = _figure()
    ax = fig.subplots()
    ax.bar(order, [counts[s] for s in order], color=PALETTE[0])
    ax.set_title("Post-mortems by severity", fontsize=10)
    _style(ax)
    fig.tight_layout()
    return _svg(fig, "severity")


def themes(data: dict, limit: int = 15) -> str:
    freq = list(data["themes"]["frequency"].items())[:limit]
    fig = _figure(max(2.2, 0.28 * len(freq) + 0.9))
    ax = fig.subplots()
    if freq:
        ax.barh([t for t, _ in freq][::-1], [n for _, n in freq][::-1], color=PALETTE[4])
        ax.grid(axis="x", color="#dddddd", linewidth=0.6)
        _style(ax)
        ax.grid(axis="y", visible=False)
    else:
        _empty(ax, "no theme tags")
    ax.set_title("Theme tags (post-mortems)", fontsize=10)
    fig.tight_layout()
    return _svg(fig, "themes")


def scores(data: dict) -> str:
    values = [d["blameless_score"] for d in data["documents"]]
    bins = [0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100.001]
    counts = [0] * 10
    for v in values:
        counts[min(int(v // 10), 9)] += 1
    fig = _figure()
    ax = fig.subplots()
    ax.bar([b + 5 for b in bins[:-1]], counts, width=9, color=PALETTE[1])
    ax.set_xticks(range(0, 101, 10))
    ax.set_xlim(0, 100)
    ax.set_title("Blameless score distribution", fontsize=10)
    ax.set_xlabel("score", fontsize=8)
    _style(ax)
    fig.tight_layout()
    return _svg(fig, "scores")


def ageing(data: dict) -> str:
    age = data["followups"]["ageing"]
    buckets = age["buckets"]
    fig = _figure()
    ax = fig.subplots()
    totals = [age["total"][b] for b in buckets]
    if sum(totals):
        ax.bar(buckets, totals, color=PALETTE[5])
        ax.tick_params(axis="x", labelrotation=20)
        _style(ax)
    else:
        _empty(ax, "no open follow-ups")
    ax.set_title("Open follow-ups by age", fontsize=10)
    fig.tight_layout()
    return _svg(fig, "ageing")


def render_all(data: dict) -> dict[str, str]:
    return {
        "trend": trend(data),
        "categories": categories(data),
        "severity": severities(data),
        "themes": themes(data),
        "scores": scores(data),
        "ageing": ageing(data),
    }
