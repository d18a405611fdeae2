"""`blamelint report PATH…`: lint a post-mortem archive and write a report on it."""

from __future__ import annotations

import datetime as dt
import json
import sys

import click

from blamelint.cli.options import DEBUG_OPTION, EXIT_ERROR, MAX_BYTES, fail, parse_today, worker_count
from blamelint.errors import BlamelintError

FORMATS = ("text", "json", "html", "csv")
DEFAULT_HTML = "report.html"


@click.command("report")
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True,
              help="text: terminal tables; json: the versioned model (docs/report-schema.json); "
                   "html: one self-contained page; csv: one row per document.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, allow_dash=True),
              help=f"Write here ('-' = stdout). Default: stdout, except html: {DEFAULT_HTML}.")
@click.option("--period", type=click.Choice(["month", "quarter"]), default="quarter", show_default=True,
              help="Trend buckets.")
@click.option("--today", help="Date for overdue follow-ups and ageing (YYYY-MM-DD; default: today).")
@click.option("-j", "--jobs", type=int, default=0, show_default=True,
              help="Lint in this many worker processes (0: one per core).")
@click.option("--no-cache", is_flag=True, help="Lint every file again instead of reusing cached results.")
@click.option("--config", "config_path", type=click.Path(), help="Use this config file instead of discovery.")
@click.option("--model", help="spaCy pipeline to use (an installed package name).")
@click.option("--max-size", type=int, default=MAX_BYTES, show_default=True,
              help="Skip files larger than this (bytes).")
@click.option("--top", type=int, default=10, show_default=True,
              help="How many documents the 'needs attention' list shows.")
@DEBUG_OPTION
def report(paths, fmt, output, period, today, jobs, no_cache, config_path, model, max_size, top):
    """Lint a post-mortem archive and report on it: scores, follow-up closure and ageing, themes,
    trends and recurrence. Files that are not post-mortems, duplicates and unreadable files are
    listed as skipped."""
    if not paths:
        paths = (".",)
    day = parse_today(today) if today else dt.date.today()
    jobs = worker_count(jobs)
    if top < 1:
        fail(f"--top: expected a positive number, got {top}")
    if fmt == "html" and not output:
        output = DEFAULT_HTML
    # Imported when the command runs: it loads the runner, the engine and spaCy.
    from blamelint.report.build import build_report

    bar = {"bar": None}
    show_progress = sys.stderr.isatty()

    def start(n: int) -> None:
        if show_progress and n:
            bar["bar"] = click.progressbar(length=n, label="Linting", file=sys.stderr)
            bar["bar"].__enter__()

    def advance() -> None:
        if bar["bar"] is not None:
            bar["bar"].update(1)

    try:
        rep = build_report(paths, today=day, period=period, config_path=config_path, model=model, jobs=jobs,
                           use_cache=not no_cache, max_bytes=max_size, top=top, start=start, advance=advance)
    except BlamelintError as exc:
        fail(str(exc))
    except KeyboardInterrupt:
        click.echo("interrupted", err=True)
        sys.exit(130)
    finally:
        if bar["bar"] is not None:
            bar["bar"].__exit__(None, None, None)

    for problem in rep.problems:
        click.echo(f"warning: {problem}", err=True)
    for shown, message in rep.failed:
        click.echo(f"error: {shown}: {message}", err=True)
    data = rep.data
    if not data["documents"]:
        reasons = sorted({r["reason"].split(" (")[0] for r in data["skipped"]})
        detail = f" ({len(data['skipped'])} skipped: {'; '.join(reasons)})" if data["skipped"] else ""
        fail(f"nothing to report: no post-mortem could be read under {', '.join(paths)}{detail}")

    # One output per run: each is imported when chosen (the HTML one, with its charts, is large).
    if fmt == "json":
        rendered = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    elif fmt == "csv":
        from blamelint.report.csv_format import render as render_csv

        rendered = render_csv(data)
    elif fmt == "html":
        from blamelint.report.html import render as render_html

        rendered = render_html(rep)
    else:
        from blamelint.report.text import render as render_text

        rendered = render_text(data)

    if output and output != "-":
        try:
            with open(output, "w", encoding="utf-8", newline="") as fh:
                fh.write(rendered)
        except OSError as exc:
            fail(f"cannot write {output}: {exc.strerror or exc}")
        s = data["summary"]
        click.echo(f"wrote {output}: {s['documents']} post-mortem{'s' * (s['documents'] != 1)}, "
                   f"{s['skipped']} skipped", err=True)
    else:
        click.echo(rendered, nl=False)
    if rep.failed:
        sys.exit(EXIT_ERROR)  # a file blamelint failed on is left out of the report: CI should notice
