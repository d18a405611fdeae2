"""The `blamelint` command line: a thin front end over the engine."""

from __future__ import annotations

import difflib
import os
import sys
import tempfile
from pathlib import Path

import click

from . import __version__
from .errors import BlamelintError

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
EXTENSIONS = (".md", ".markdown", ".txt")
SKIP_DIRS = {".git", ".hg", ".svn", "node_modules", ".venv", "venv", "__pycache__", ".tox"}
MAX_BYTES = 5 * 1024 * 1024


def _fail(message: str, code: int = EXIT_ERROR):
    click.echo(f"error: {message}", err=True)
    sys.exit(code)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "-V", "--version", prog_name="blamelint")
def main():
    """A linter for blameless incident post-mortems."""


# ---------------------------------------------------------------- check


def _collect(paths: tuple[str, ...], errors: list[tuple[str, str]]) -> list[Path]:
    """Files to lint: explicit files as given, directories searched recursively."""
    files: list[Path] = []
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            found = sorted(
                f for f in p.rglob("*")
                if f.suffix.lower() in EXTENSIONS and f.is_file()
                and not any(part in SKIP_DIRS for part in f.relative_to(p).parts[:-1])
            )
            if not found:
                errors.append((raw, "no Markdown or text files (*.md, *.markdown, *.txt) found in this directory"))
            files.extend(found)
        elif p.exists():
            files.append(p)
        else:
            errors.append((raw, "no such file or directory"))
    seen, unique = set(), []
    for f in files:
        key = f.resolve()
        if key not in seen:
            seen.add(key)
            unique.append(f)
    return unique


def _excluded(path: Path, config) -> bool:
    """True when a discovered file matches one of the config's exclude globs (relative to its root)."""
    import fnmatch

    if not config.exclude:
        return False
    try:
        rel = path.resolve().relative_to(config.root.resolve()).as_posix()
    except ValueError:
        rel = path.as_posix()
    return any(fnmatch.fnmatch(rel, g) or fnmatch.fnmatch(rel, g.rstrip("/") + "/*") for g in config.exclude)


def read_text(data: bytes, max_bytes: int = MAX_BYTES) -> tuple[str | None, str | None, bool]:
    """Decode a file's bytes: (text, error, bom)."""
    if len(data) > max_bytes:
        return None, f"file is {len(data) / 1e6:.1f} MB, larger than the {max_bytes / 1e6:.0f} MB limit (--max-size)", False
    if b"\0" in data[:8192]:
        return None, "binary file (contains NUL bytes), not linted", False
    bom = data.startswith(b"\xef\xbb\xbf")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        return None, f"not valid UTF-8 (byte 0x{data[exc.start]:02x} on line {line}), not linted", False
    return text, None, bom


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


@main.command()
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--format", "fmt", type=click.Choice(["text", "json", "sarif", "github"]), default="text",
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
def check(paths, fmt, fail_on, select, ignore, fix, diff, config_path, model, profile, today, stdin_filename,
          max_size, color, quiet):
    """Lint post-mortems (files, directories, or - for stdin)."""
    from . import config as config_mod
    from .engine import fix_text, linter_for
    from .findings import SEVERITY_RANK, FileResult
    from .formats import FORMATS

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
    inputs: list[tuple[str, Path | None]] = []
    if "-" in paths:
        inputs.append((stdin_filename or "-", None))
    for f in _collect(tuple(p for p in paths if p != "-"), errors):
        inputs.append((str(f), f))

    linted = 0
    diffs: list[str] = []
    try:
        for shown, file in inputs:
            cfg = config_for(file if file else (Path(stdin_filename) if stdin_filename else None))
            if file is not None and _excluded(file, cfg) and str(file) not in paths:
                continue
            if file is None:
                data = sys.stdin.buffer.read()
            else:
                try:
                    data = file.read_bytes()
                except OSError as exc:
                    errors.append((shown, f"cannot read: {exc.strerror or exc}"))
                    continue
            text, problem, bom = read_text(data, max_size)
            if problem:
                errors.append((shown, problem))
                continue
            if not text.strip():
                click.echo(f"warning: {shown}: empty file, nothing to lint", err=True)
            linter = linter_for(cfg)
            rules_by_id.update(linter.ruleset.by_id())
            if fix or diff:
                new_text, result = fix_text(linter, text, shown)
                if new_text != text:
                    if diff:
                        diffs.append("".join(difflib.unified_diff(
                            text.splitlines(keepends=True), new_text.splitlines(keepends=True),
                            fromfile=f"a/{shown}", tofile=f"b/{shown}")))
                        result = linter.lint_text(text, shown)
                    elif file is None:
                        sys.stdout.write(new_text)
                    else:
                        _write_atomic(file, new_text, bom)
                elif file is None and fix:
                    sys.stdout.write(text)
            else:
                result = linter.lint_text(text, shown)
            result.path = shown
            results.append(result)
            linted += 1
            for problem in result.problems:
                click.echo(f"warning: {problem}", err=True)
    except BlamelintError as exc:
        _fail(str(exc))
    except KeyboardInterrupt:
        click.echo("interrupted", err=True)
        sys.exit(130)

    for shown, message in errors:
        click.echo(f"error: {shown}: {message}", err=True)
    if diff:
        out = "".join(diffs)
        if out:
            click.echo(out, nl=False)
    elif not (fix and "-" in paths):
        use_color = color if color is not None else (sys.stdout.isatty() and "NO_COLOR" not in os.environ)
        rendered = FORMATS[fmt](results, rules_by_id, color=use_color)
        if quiet and fmt == "text":
            rendered = rendered.rsplit("\n\n", 1)[0] + "\n" if any(r.findings for r in results) else ""
        if rendered:
            click.echo(rendered, nl=not rendered.endswith("\n"))
    if linted == 0:
        sys.exit(EXIT_ERROR)
    threshold = SEVERITY_RANK[fail_on or _config_fail_on(results, config_for) or "warning"]
    if diff and diffs:
        sys.exit(EXIT_FINDINGS)
    worst = max((SEVERITY_RANK[f.severity] for r in results for f in r.findings), default=0)
    sys.exit(EXIT_FINDINGS if worst >= threshold else EXIT_CLEAN)


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
    from . import config as config_mod
    from .rules import load_rules

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
        from .rules import rules_markdown

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
    from .findings import CATEGORIES

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
    from .server import serve

    serve(tcp)


# ---------------------------------------------------------------- new


@main.command()
@click.argument("title")
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write to this file (default: stdout).")
@click.option("--force", is_flag=True, help="Overwrite an existing file.")
@click.option("--config", "config_path", type=click.Path(), help="Config file (for a team's own template).")
def new(title, output, force, config_path):
    """Start a post-mortem from the configured template."""
    from . import config as config_mod
    from .scaffold import new_postmortem

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
def eval_cmd(paths, floors, fmt, config_path, no_fixes, verbose):
    """Measure precision and recall per category on a labeled corpus."""
    import json

    import yaml

    from . import config as config_mod
    from .engine import linter_for
    from .evaluate import check_floors, evaluate, render_text

    paths = paths or ("corpus",)
    try:
        cfg = config_mod.ConfigResolver(config_path).for_path(paths[0])
        report = evaluate([Path(p) for p in paths], linter_for(cfg), check_fixes=not no_fixes)
    except BlamelintError as exc:
        _fail(str(exc))
    click.echo(json.dumps(report.as_dict(), indent=2) if fmt == "json" else render_text(report, verbose), nl=False)
    if floors:
        failures = check_floors(report, yaml.safe_load(Path(floors).read_text(encoding="utf-8")) or {})
        for message in failures:
            click.echo(f"below floor: {message}", err=True)
        sys.exit(EXIT_FINDINGS if failures else EXIT_CLEAN)


if __name__ == "__main__":
    main()

