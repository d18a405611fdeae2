"""The `blamelint` command line: a thin front end over the engine."""

from __future__ import annotations

import difflib
import os
import sys
import tempfile
from pathlib import Path

import click

from blamelint import __version__
from blamelint.cli.report import DEBUG_OPTION
from blamelint.errors import BlamelintError
from blamelint.runner import MAX_BYTES, read_text

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


def _fail(message: str, code: int = EXIT_ERROR):
    click.echo(f"error: {message}", err=True)
    sys.exit(code)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "-V", "--version", prog_name="blamelint")
def main():
    """A linter for blameless incident post-mortems."""


# ---------------------------------------------------------------- check


def _write_atomic(path: Path, text: str, bom: bool) -> None:
    data = (("\ufeff" if bom else "") + text).encode("utf-8")
    mode = path.stat().st_mode
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".blamelint-tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, mode & 0o7777)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def _write_fixed(path: Path, old_text: str, new_text: str, bom: bool) -> str | None:
    """Write the fixed text over path, unless the file changed since it was read or cannot be
    written; then say why (the file is left as it was)."""
    try:
        now = path.read_bytes()
    except OSError as exc:
        return f"not fixed: cannot read it again ({exc.strerror or exc})"
    if now != (("\ufeff" if bom else "") + old_text).encode("utf-8"):
        return "not fixed: the file changed on disk while it was being linted; run again"
    if not os.access(path, os.W_OK) or not path.stat().st_mode & 0o222:  # (root may write anything)
        return "not fixed: the file is read-only"
    try:
        _write_atomic(path, new_text, bom)
    except OSError as exc:
        return f"not fixed: cannot write ({exc.strerror or exc}); the file was left as it was"
    return None


@main.command()
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--format", "fmt", type=click.Choice(["text", "json", "sarif", "github", "rdjson"]), default="text",
              show_default=True, help="Output format.")
@click.option("--fail-on", type=click.Choice(["error", "warning", "info"]), default=None,
              help="Lowest severity that makes the exit code 1 (default: warning).")
@click.option("--select", multiple=True, help="Only these rules or categories (repeatable, comma-separated).")
@click.option("--ignore", multiple=True, help="Skip these rules or categories (repeatable, comma-separated).")
@click.option("--fix", is_flag=True, help="Apply safe fixes in place.")
@click.option("--diff", is_flag=True, help="Show the safe fixes as a diff instead of applying them.")
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
@click.option("--baseline", "baseline_path", type=click.Path(dir_okay=False),
              help="Report only findings not recorded in this baseline file.")
@click.option("--write-baseline", "write_baseline_path", type=click.Path(dir_okay=False),
              help="Record the current findings in this baseline file and exit 0.")
@DEBUG_OPTION
def check(paths, fmt, fail_on, select, ignore, fix, diff, config_path, model, profile, today, stdin_filename,
          max_size, color, quiet, jobs, exhaustive, no_cache, baseline_path, write_baseline_path):
    """Lint post-mortems (files, directories, or - for stdin)."""
    from blamelint import config as config_mod
    from blamelint import runner
    from blamelint.document import Document
    from blamelint.engine import linter_for
    from blamelint.findings import SEVERITY_RANK, FileResult
    from blamelint.formats import FORMATS

    if fix and diff:
        _fail("--fix and --diff cannot be used together")
    if not paths:
        paths = ("-",) if stdin_filename else (".",)
    overrides = {}
    if select:
        overrides["select"] = _split(select)
    if model:
        overrides["model"] = model
    if profile:
        overrides["profile"] = profile
    if today:
        import datetime as dt

        try:
            overrides["today"] = dt.date.fromisoformat(today)
        except ValueError:
            _fail(f"--today: expected a date like 2024-01-31, got {today!r}")
    extra_ignore = _split(ignore)

    try:
        resolver = config_mod.ConfigResolver(config_path, overrides)
        baseline = None
        if baseline_path and not write_baseline_path:
            from blamelint.baseline import load_baseline

            baseline = load_baseline(baseline_path)
    except BlamelintError as exc:
        _fail(str(exc))

    def config_for(p):
        cfg = resolver.for_path(p)
        if extra_ignore:
            from dataclasses import replace

            cfg = replace(cfg, ignore=cfg.ignore + extra_ignore)
        return cfg

    errors: list[tuple[str, str]] = []
    results: list[FileResult] = []
    rules_by_id: dict = {}
    files = [f for f in runner.collect([p for p in paths if p != "-"], errors)
             if str(f) in paths or not runner.excluded(f, config_for(f))]

    linted = 0
    diffs: list[str] = []

    def record(result: FileResult, linter) -> None:
        nonlocal linted
        rules_by_id.update(linter.ruleset.by_id())
        doc = result.document
        if doc is not None and doc.blocks:  # the formats need positions only: keep a light copy
            result.document = Document.plain(doc.source, doc.path, doc.bom)
        results.append(result)
        linted += 1
        if result.internal:
            errors.append((result.path, result.error))
        for problem in result.problems:
            click.echo(f"warning: {problem}", err=True)

    try:
        if "-" in paths:
            shown = stdin_filename or "-"
            cfg = config_for(Path(stdin_filename) if stdin_filename else None)
            text, problem, _ = read_text(sys.stdin.buffer.read(), max_size)
            if problem:
                errors.append((shown, problem))
            else:
                linter = linter_for(cfg)
                if fix or diff:
                    new_text, result = _fix_isolated(linter, text, shown)
                    if diff and new_text != text:
                        diffs.append(_unified(text, new_text, shown))
                        result = _isolated(linter.lint_text, shown, text)
                    elif fix:
                        sys.stdout.write(new_text)
                else:
                    result = runner.lint_isolated(text, shown, cfg, exhaustive)
                result.path = shown
                record(result, linter)
        if fix or diff:
            for file in files:
                shown = str(file)
                text, problem, bom = runner.read_file(file, max_size)
                if problem:
                    errors.append((shown, problem))
                    continue
                linter = linter_for(config_for(file))
                new_text, result = _fix_isolated(linter, text, shown, bom)
                if new_text != text:
                    if diff:
                        diffs.append(_unified(text, new_text, shown))
                        result = _isolated(linter.lint_text, shown, text, bom)
                    else:
                        problem = _write_fixed(file, text, new_text, bom)
                        if problem:
                            errors.append((shown, problem))
                            result = _isolated(linter.lint_text, shown, text, bom)
                result.path = shown
                record(result, linter)
        else:
            from blamelint.cache import ResultCache

            for outcome in runner.lint_files(files, config_for, jobs=_jobs(jobs), exhaustive=exhaustive,
                                             max_bytes=max_size, cache=None if no_cache else ResultCache()):
                if outcome.error:
                    errors.append((outcome.shown, outcome.error))
                    continue
                if not outcome.text.strip():
                    click.echo(f"warning: {outcome.shown}: empty file, nothing to lint", err=True)
                record(outcome.result, linter_for(config_for(outcome.file)))
    except BlamelintError as exc:
        _fail(str(exc))
    except KeyboardInterrupt:
        click.echo("interrupted", err=True)
        sys.exit(130)

    for shown, message in errors:
        click.echo(f"error: {shown}: {message}", err=True)
    if fix and not quiet and "-" not in paths:  # as a stdin filter, only the fixed text
        fixed = sum(r.fixed for r in results)
        files = sum(1 for r in results if r.fixed)
        left = sum(len(r.findings) for r in results)
        rest = f"; {left} problem{'s' * (left != 1)} left to rewrite by hand" if left else ""
        click.echo(f"Applied {fixed} fix{'es' * (fixed != 1)} in {files} file{'s' * (files != 1)}{rest}.", err=True)
    if write_baseline_path and linted:
        from blamelint.baseline import write_baseline

        try:
            count = write_baseline(write_baseline_path, results)
        except BlamelintError as exc:
            _fail(str(exc))
        click.echo(f"Recorded {count} finding{'' if count == 1 else 's'} in {write_baseline_path}.")
        sys.exit(EXIT_CLEAN)
    if baseline is not None:
        results = baseline.filter_all(results)
    if diff:
        out = "".join(diffs)
        if out:
            click.echo(out, nl=False)
    elif not (fix and "-" in paths):
        use_color = color if color is not None else (sys.stdout.isatty() and "NO_COLOR" not in os.environ)
        rendered = FORMATS[fmt](results, rules_by_id, color=use_color)
        if quiet and fmt == "text":
            rendered = rendered.rsplit("\n\n", 1)[0] + "\n" if any(r.findings for r in results) else ""
        if fmt == "text" and linted == 0:
            rendered = ""  # nothing was linted: the errors above say why
        if rendered:
            click.echo(rendered, nl=not rendered.endswith("\n"))
    if linted == 0 or any(r.internal for r in results):
        sys.exit(EXIT_ERROR)
    threshold = SEVERITY_RANK[fail_on or _config_fail_on(results, config_for) or "warning"]
    if diff and diffs:
        sys.exit(EXIT_FINDINGS)
    worst = max((SEVERITY_RANK[f.severity] for r in results for f in r.findings), default=0)
    sys.exit(EXIT_FINDINGS if worst >= threshold else EXIT_CLEAN)


def _isolated(run, shown: str, text: str, bom: bool = False):
    """run(text, shown), a lint of one input; an unexpected exception becomes that input's
    internal-error result unless --debug."""
    from blamelint.errors import guarded
    from blamelint.runner import failed

    return guarded(lambda: run(text, shown), lambda exc: failed(shown, text, exc, bom))


def _fix_isolated(linter, text: str, shown: str, bom: bool = False):
    """fix_text, isolated like a lint: a failure leaves the text as it was."""
    from blamelint.engine import fix_text
    from blamelint.errors import guarded
    from blamelint.runner import failed

    return guarded(lambda: fix_text(linter, text, shown), lambda exc: (text, failed(shown, text, exc, bom)))


def _unified(text: str, new_text: str, shown: str) -> str:
    return "".join(difflib.unified_diff(text.splitlines(keepends=True), new_text.splitlines(keepends=True),
                                        fromfile=f"a/{shown}", tofile=f"b/{shown}"))


def _jobs(jobs: int) -> int:
    if jobs < 0:
        _fail(f"-j/--jobs: expected 0 (one per core) or a positive number, got {jobs}")
    return jobs or os.cpu_count() or 1


def _config_fail_on(results, config_for):
    for r in results:
        cfg = config_for(Path(r.path) if r.path != "-" else None)
        if cfg.fail_on:
            return cfg.fail_on
    return None


def _split(values) -> list[str]:
    return [v.strip() for value in values for v in value.split(",") if v.strip()]


# ---------------------------------------------------------------- rules / explain


def _ruleset(config_path):
    from blamelint import config as config_mod
    from blamelint.rules import load_rules

    try:
        cfg = config_mod.ConfigResolver(config_path).for_path(None)
        return load_rules(cfg.rule_paths)
    except BlamelintError as exc:
        _fail(str(exc))


@main.command("rules")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "markdown"]), default="text", show_default=True)
@click.option("--category", help="Only rules of this category.")
@click.option("--config", "config_path", type=click.Path(), help="Config file (for extra rule packs).")
def rules_cmd(fmt, category, config_path):
    """List the rules."""
    import json

    rules = [r for r in _ruleset(config_path).rules if not category or r.category == category]
    if fmt == "json":
        click.echo(json.dumps([
            {"id": r.id, "category": r.category, "severity": r.severity, "title": r.title, "link": r.link,
             "pack": r.pack}
            for r in rules], indent=2))
        return
    if fmt == "markdown":
        from blamelint.rules import rules_markdown

        click.echo(rules_markdown(rules), nl=False)
        return
    width = max((len(r.id) for r in rules), default=10)
    for r in rules:
        click.echo(f"{r.id:<{width}}  {r.category:<16}  {r.severity:<7}  {r.title}")


@main.command()
@click.argument("rule")
@click.option("--config", "config_path", type=click.Path(), help="Config file (for extra rule packs).")
def explain(rule, config_path):
    """Explain a rule: why it matters, examples and the fix."""
    import textwrap

    by_id = _ruleset(config_path).by_id()
    rule = rule.strip().lower()
    from blamelint.findings import CATEGORIES

    if rule not in by_id and rule in CATEGORIES:
        members = [r for r in by_id.values() if r.category == rule]
        width = max(len(r.id) for r in members)
        click.echo(f"Category {rule}: {len(members)} rules (blamelint explain RULE for one)\n")
        click.echo("\n".join(f"  {r.id:<{width}}  {r.severity:<7}  {r.title}" for r in members))
        return
    if rule not in by_id:
        import difflib as dl

        close = dl.get_close_matches(rule, list(by_id), n=3)
        hint = f" (did you mean {', '.join(close)}?)" if close else "; see `blamelint rules`"
        _fail(f"unknown rule '{rule}'{hint}")
    r = by_id[rule]
    out = [f"{r.id} ({r.category}, {r.severity})", "", r.title, ""]
    out += textwrap.wrap(r.why, 88) + [""]
    out.append("Flagged:")
    out += [f"  ✗ {e}" for e in r.example_texts("bad")]
    out.append("Fine:")
    out += [f"  ✓ {e}" for e in r.example_texts("good")]
    if r.suggestions:
        out += ["", "Suggestions:"] + [f"  - {s.title.replace('{match}', '…').replace('{replacement}', s.replace or '')}"
                                        for s in r.suggestions]
    out += ["", f"Docs: {r.link}"]
    click.echo("\n".join(out))


# ---------------------------------------------------------------- lsp


@main.command()
@click.option("--tcp", metavar="HOST:PORT", help="Listen on TCP instead of stdio (for debugging).")
@click.option("--stdio", is_flag=True, help="Use stdio (the default; accepted for editor clients).")
def lsp(tcp, stdio):
    """Start the language server (stdio by default)."""
    from blamelint.server import serve

    serve(tcp)


# ---------------------------------------------------------------- new


@main.command()
@click.argument("title")
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write to this file (default: stdout).")
@click.option("--force", is_flag=True, help="Overwrite an existing file.")
@click.option("--config", "config_path", type=click.Path(), help="Config file (for a team's own template).")
def new(title, output, force, config_path):
    """Start a post-mortem from the configured template."""
    from blamelint import config as config_mod
    from blamelint.document.template import new_postmortem

    try:
        cfg = config_mod.ConfigResolver(config_path).for_path(output or None)
        text = new_postmortem(title, cfg)
    except BlamelintError as exc:
        _fail(str(exc))
    if not output:
        click.echo(text, nl=False)
        return
    path = Path(output)
    if path.exists() and not force:
        _fail(f"{path}: already exists (use --force to overwrite)")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    click.echo(f"wrote {path}", err=True)


# ---------------------------------------------------------------- eval


@main.command("eval")
@click.argument("paths", nargs=-1, type=click.Path(exists=True))
@click.option("--floors", type=click.Path(exists=True), help="YAML floors; exit 1 when a score is below one.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--config", "config_path", type=click.Path(), help="Config file to lint with.")
@click.option("--no-fixes", is_flag=True, help="Skip the rewrite re-lint check (faster).")
@click.option("-v", "--verbose", is_flag=True, help="List every false positive and false negative.")
@DEBUG_OPTION
def eval_cmd(paths, floors, fmt, config_path, no_fixes, verbose):
    """Measure precision and recall per category on a labeled corpus."""
    import json

    import yaml

    from blamelint import config as config_mod
    from blamelint.engine import linter_for
    from blamelint.evaluate import check_floors, evaluate, render_text

    paths = paths or ("corpus",)
    try:
        cfg = config_mod.ConfigResolver(config_path).for_path(paths[0])
        report = evaluate([Path(p) for p in paths], linter_for(cfg), check_fixes=not no_fixes)
    except BlamelintError as exc:
        _fail(str(exc))
    click.echo(json.dumps(report.as_dict(), indent=2) if fmt == "json" else render_text(report, verbose), nl=False)
    for shown, message in report.failed:
        click.echo(f"error: {shown}: {message}", err=True)
    if report.failed:
        sys.exit(EXIT_ERROR)
    if floors:
        failures = check_floors(report, yaml.safe_load(Path(floors).read_text(encoding="utf-8")) or {})
        for message in failures:
            click.echo(f"below floor: {message}", err=True)
        sys.exit(EXIT_FINDINGS if failures else EXIT_CLEAN)


from blamelint.cli.report import report as _report_cmd  # noqa: E402

main.add_command(_report_cmd)


if __name__ == "__main__":
    main()

