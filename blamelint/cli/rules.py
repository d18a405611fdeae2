"""`blamelint rules` and `blamelint explain`: the rule reference, without linting anything."""

from __future__ import annotations

import difflib
import json
import textwrap

import click

from blamelint.cli.options import fail
from blamelint.errors import BlamelintError
from blamelint.findings import CATEGORIES


def _ruleset(config_path):
    """The built-in rules plus the config's rule packs; a bad config or pack exits 2."""
    # Imported when a command runs, not at start-up (--help, --version): they load PyYAML.
    from blamelint.config import ConfigResolver
    from blamelint.rules import load_rules

    try:
        config = ConfigResolver(config_path).for_path(None)
        return load_rules(config.rule_paths)
    except BlamelintError as exc:
        fail(str(exc))


@click.command("rules")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "markdown"]), default="text", show_default=True)
@click.option("--category", help="Only rules of this category.")
@click.option("--config", "config_path", type=click.Path(), help="Config file (for extra rule packs).")
def rules_cmd(fmt, category, config_path):
    """List the rules."""
    rules = [r for r in _ruleset(config_path).rules if not category or r.category == category]
    if fmt == "json":
        click.echo(json.dumps([
            {"id": r.id, "category": r.category, "severity": r.severity, "title": r.title, "link": r.link,
             "pack": r.pack, "preview": r.preview}
            for r in rules], indent=2))
        return
    if fmt == "markdown":
        from blamelint.rules.reference import rules_markdown  # at run time, as in _ruleset

        click.echo(rules_markdown(rules), nl=False)
        return
    width = max((len(r.id) for r in rules), default=10)
    for r in rules:
        preview = "  (preview: off unless `preview: true`)" if r.preview else ""
        click.echo(f"{r.id:<{width}}  {r.category:<16}  {r.severity:<7}  {r.title}{preview}")


@click.command("explain")
@click.argument("rule")
@click.option("--config", "config_path", type=click.Path(), help="Config file (for extra rule packs).")
def explain(rule, config_path):
    """Explain a rule: why it matters, examples and the fix."""
    by_id = _ruleset(config_path).by_id()
    rule = rule.strip().lower()
    if rule not in by_id and rule in CATEGORIES:
        members = [r for r in by_id.values() if r.category == rule]
        width = max(len(r.id) for r in members)
        click.echo(f"Category {rule}: {len(members)} rules (blamelint explain RULE for one)\n")
        click.echo("\n".join(f"  {r.id:<{width}}  {r.severity:<7}  {r.title}" for r in members))
        return
    if rule not in by_id:
        close = difflib.get_close_matches(rule, list(by_id), n=3)
        hint = f" (did you mean {', '.join(close)}?)" if close else "; see `blamelint rules`"
        fail(f"unknown rule '{rule}'{hint}")
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
