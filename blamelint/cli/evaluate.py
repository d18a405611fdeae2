"""`blamelint eval`: precision and recall per category on a labeled corpus, against floors."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from blamelint.cli.options import DEBUG_OPTION, EXIT_CLEAN, EXIT_ERROR, EXIT_FINDINGS, fail
from blamelint.errors import BlamelintError, InputError


@click.command("eval")
@click.argument("paths", nargs=-1, type=click.Path(exists=True))
@click.option("--floors", type=click.Path(exists=True), help="YAML floors; exit 1 when a score is below one.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--config", "config_path", type=click.Path(), help="Config file to lint with.")
@click.option("--no-fixes", is_flag=True, help="Skip the rewrite re-lint check (faster).")
@click.option("-v", "--verbose", is_flag=True, help="List every false positive and false negative.")
@click.option("--sentences", "sentence_files", multiple=True, type=click.Path(exists=True, dir_okay=False),
              help="Labeled sentences (.jsonl or .tsv): P/R of the rules, the model and both. Repeatable.")
@DEBUG_OPTION
def eval_cmd(paths, floors, fmt, config_path, no_fixes, verbose, sentence_files):
    """Measure precision and recall per category on a labeled corpus."""
    if sentence_files:
        _sentences(sentence_files, fmt, config_path, verbose, no_fixes)
        return
    # Imported when the command runs, not at start-up: PyYAML, and the engine with spaCy.
    from blamelint.config import ConfigResolver
    from blamelint.engine import linter_for
    from blamelint.evaluate import check_floors, evaluate, render_text
    from blamelint.loading import parse_yaml, read_text

    paths = paths or ("corpus",)
    try:
        limits = parse_yaml(read_text(floors, InputError, "floors"), floors, InputError) if floors else {}
        if not isinstance(limits or {}, dict):
            raise InputError(f"{floors}: floors must be a mapping (categories, with_fix, with_edit, rewrite_clean)")
        config = ConfigResolver(config_path).for_path(paths[0])
        report = evaluate([Path(p) for p in paths], linter_for(config), rewrites=not no_fixes)
    except BlamelintError as exc:
        fail(str(exc))
    click.echo(json.dumps(report.as_dict(), indent=2) if fmt == "json" else render_text(report, verbose), nl=False)
    for shown, message in report.failed:
        click.echo(f"error: {shown}: {message}", err=True)
    if report.failed:
        sys.exit(EXIT_ERROR)
    if floors:
        failures = check_floors(report, limits or {})
        for message in failures:
            click.echo(f"below floor: {message}", err=True)
        sys.exit(EXIT_FINDINGS if failures else EXIT_CLEAN)


def _sentences(files, fmt: str, config_path, verbose: bool, no_fixes: bool = False) -> None:
    from blamelint.config import ConfigResolver
    from blamelint.sentence_eval import evaluate_sentences, render  # loads the engine and spaCy

    try:
        config = ConfigResolver(config_path).for_path(files[0])
        reports = [evaluate_sentences(Path(f), config, check_rewrites=not no_fixes) for f in files]
    except BlamelintError as exc:
        fail(str(exc))
    if fmt == "json":
        click.echo(json.dumps([r.as_dict() for r in reports], indent=2))
    else:
        click.echo("\n".join(render(r, verbose) for r in reports), nl=False)
