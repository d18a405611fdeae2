"""What `check` prints once the inputs are linted, and its exit code."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from blamelint.baseline import write_baseline
from blamelint.cli.linting import Run
from blamelint.cli.options import EXIT_CLEAN, EXIT_ERROR, EXIT_FINDINGS, fail
from blamelint.errors import BlamelintError
from blamelint.findings import SEVERITY_RANK, FileResult
from blamelint.formats import FORMATS


def show_errors(errors: list[tuple[str, str]]) -> None:
    for shown, message in errors:
        click.echo(f"error: {shown}: {message}", err=True)


def fix_summary(results) -> None:
    fixed = sum(r.fixed for r in results)
    files = sum(1 for r in results if r.fixed)
    left = sum(len(r.findings) for r in results)
    rest = f"; {left} problem{'s' * (left != 1)} left to rewrite by hand" if left else ""
    click.echo(f"Applied {fixed} fix{'es' * (fixed != 1)} in {files} file{'s' * (files != 1)}{rest}.", err=True)


def record_baseline(path: str, results) -> None:
    """Write the baseline file and exit 0."""
    try:
        count = write_baseline(path, results)
    except BlamelintError as exc:
        fail(str(exc))
    click.echo(f"Recorded {count} finding{'' if count == 1 else 's'} in {path}.")
    sys.exit(EXIT_CLEAN)


def show_diffs(diffs: list[str]) -> None:
    out = "".join(diffs)
    if out:
        click.echo(out, nl=False)


def show_findings(results, run: Run, fmt: str, color: bool | None, quiet: bool, output_file: str | None = None) -> None:
    """Print the findings in the format, or write them to output_file (UTF-8, never coloured)."""
    if output_file:
        color = False
    use_color = color if color is not None else (sys.stdout.isatty() and "NO_COLOR" not in os.environ)
    if fmt == "junit":  # a test report lists the inputs that could not be read as errors, too
        results = list(results) + [FileResult(path=shown, error=message) for shown, message in run.errors
                                   if not any(r.path == shown for r in results)]
    rendered = FORMATS[fmt](results, run.rules_by_id, color=use_color)
    if quiet and fmt == "text":
        rendered = rendered.rsplit("\n\n", 1)[0] + "\n" if any(r.findings for r in results) else ""
    if fmt == "text" and not run.results:
        rendered = ""  # nothing was linted: the errors above say why
    if output_file:
        try:
            Path(output_file).write_text(rendered if not rendered or rendered.endswith("\n") else rendered + "\n",
                                         encoding="utf-8")
        except OSError as exc:
            fail(f"{output_file}: cannot write the output: {exc.strerror or exc}")
    elif rendered:  # (color: click would strip the styles when stdout is not a terminal, e.g. in the daemon)
        click.echo(rendered, nl=not rendered.endswith("\n"), color=use_color)


def exit_code(results, run: Run, fail_on: str | None, config_for) -> int:
    """2 when nothing was linted or blamelint failed on an input; 1 for fixes shown as a diff or a
    finding at or above --fail-on (else the config's fail_on, else warning); else 0."""
    if not run.results or any(r.internal for r in results):
        return EXIT_ERROR
    threshold = SEVERITY_RANK[fail_on or _config_fail_on(results, config_for) or "warning"]
    if run.diffs:
        return EXIT_FINDINGS
    worst = max((SEVERITY_RANK[f.severity] for r in results for f in r.findings), default=0)
    return EXIT_FINDINGS if worst >= threshold else EXIT_CLEAN


def _config_fail_on(results, config_for):
    for r in results:
        config = config_for(Path(r.path) if r.path != "-" else None)
        if config.fail_on:
            return config.fail_on
    return None
