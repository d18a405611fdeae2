"""`blamelint check`: the command and its flow. Resolve the config and baseline, collect the
inputs (`inputs`), lint them (`linting`), print the findings and exit 0, 1 or 2 (`output`)."""

from __future__ import annotations

import sys

import click

from blamelint.cli.options import DEBUG_OPTION, MAX_BYTES, fail
from blamelint.errors import BlamelintError


@click.command("check")
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--format", "fmt", type=click.Choice(["text", "json", "sarif", "github", "rdjson", "gitlab", "junit"]), default="text",
              show_default=True, help="Output format.")
@click.option("-o", "--output-file", type=click.Path(dir_okay=False),
              help="Write the findings to this file (UTF-8) instead of stdout.")
@click.option("--fail-on", type=click.Choice(["error", "warning", "info"]), default=None,
              help="Lowest severity that makes the exit code 1 (default: warning).")
@click.option("--select", multiple=True, help="Only these rules or categories (repeatable, comma-separated).")
@click.option("--ignore", multiple=True, help="Skip these rules or categories (repeatable, comma-separated).")
@click.option("--fix", is_flag=True, help="Apply safe fixes in place.")
@click.option("--diff", is_flag=True, help="Show the safe fixes as a diff instead of applying them.")
@click.option("--unsafe-fixes", is_flag=True,
              help="With --fix or --diff, also apply rewrites with slots to fill in or a changed subject.")
@click.option("--config", "config_path", type=click.Path(), help="Use this config file instead of discovery.")
@click.option("--model", help="spaCy pipeline to use (an installed package name).")
@click.option("--profile", type=click.Choice(["default", "public"]), help="Rule profile.")
@click.option("--today", help="Date for overdue checks (YYYY-MM-DD).")
@click.option("--stdin-filename", help="Path to report (and find config from) when reading stdin.")
@click.option("--max-size", type=int, default=MAX_BYTES, show_default=True, help="Skip files larger than this (bytes).")
@click.option("--color/--no-color", default=None, help="Colour the text output (default: on a terminal).")
@click.option("-q", "--quiet", is_flag=True, help="Print findings only, no summary.")
@click.option("-j", "--jobs", type=int, default=1, show_default=True,
              help="Lint files in this many worker processes (0: one per core).")
@click.option("--exhaustive", is_flag=True,
              help="Run the full spaCy pipeline on every paragraph (slower; same findings).")
@click.option("--no-cache", is_flag=True, help="Lint every file again instead of reusing cached results.")
@click.option("--force-exclude", is_flag=True,
              help="Apply the config's exclude to files named on the command line too (for pre-commit and CI).")
@click.option("--baseline", "baseline_path", type=click.Path(dir_okay=False),
              help="Report only findings not recorded in this baseline file.")
@click.option("--write-baseline", "write_baseline_path", type=click.Path(dir_okay=False),
              help="Record the current findings in this baseline file and exit 0.")
@DEBUG_OPTION
def check(paths, fmt, output_file, fail_on, select, ignore, fix, diff, unsafe_fixes, config_path, model, profile, today,
          stdin_filename, max_size, color, quiet, jobs, exhaustive, no_cache, force_exclude, baseline_path,
          write_baseline_path):
    """Lint post-mortems (files, directories, or - for stdin)."""
    if fix and diff:
        fail("--fix and --diff cannot be used together")
    if unsafe_fixes and not (fix or diff):
        fail("--unsafe-fixes needs --fix or --diff")
    # Imported when a check runs, not at start-up: they load PyYAML, and linting the engine and spaCy.
    from blamelint.cli import inputs, linting, output

    if not paths:
        paths = ("-",) if stdin_filename else (".",)
    stdin = "-" in paths
    config_for, baseline = inputs.resolve(config_path, inputs.config_overrides(select, model, profile, today),
                                          inputs.split(ignore), None if write_baseline_path else baseline_path)
    run = linting.Run()
    try:
        files = inputs.collect(paths, config_for, run.errors, force_exclude)  # reads each folder's config
        if force_exclude and not files and not run.errors and not stdin:
            sys.exit(0)  # every file named was excluded: nothing to lint is not an error here
        if stdin:
            linting.lint_stdin(run, config_for, stdin_filename, max_size, fix, diff, exhaustive, unsafe_fixes)
        if fix or diff:
            linting.fix_files(run, files, config_for, max_size, diff, unsafe_fixes)
        else:
            linting.lint_batch(run, files, config_for, jobs, exhaustive, max_size, no_cache)
    except BlamelintError as exc:
        fail(str(exc))
    except KeyboardInterrupt:
        click.echo("interrupted", err=True)
        sys.exit(130)

    output.show_errors(run.errors)
    if fix and not quiet and not stdin:  # as a stdin filter, only the fixed text
        output.fix_summary(run.results)
    if write_baseline_path and run.results:
        output.record_baseline(write_baseline_path, run.results)
    results = baseline.filter_all(run.results) if baseline is not None else run.results
    if diff:
        output.show_diffs(run.diffs)
    elif not (fix and stdin):
        output.show_findings(results, run, fmt, color, quiet, output_file)
    sys.exit(output.exit_code(results, run, fail_on, config_for))
