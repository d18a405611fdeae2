"""`blamelint new TITLE`: start a post-mortem from the configured template."""

from __future__ import annotations

from pathlib import Path

import click

from blamelint.cli.options import fail
from blamelint.errors import BlamelintError


@click.command("new")
@click.argument("title")
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write to this file (default: stdout).")
@click.option("--force", is_flag=True, help="Overwrite an existing file.")
@click.option("--config", "config_path", type=click.Path(), help="Config file (for a team's own template).")
def new(title, output, force, config_path):
    """Start a post-mortem from the configured template."""
    # Imported when the command runs, not at start-up: they load PyYAML and markdown-it.
    from blamelint.config import ConfigResolver
    from blamelint.document.template import new_postmortem

    try:
        config = ConfigResolver(config_path).for_path(output or None)
        text = new_postmortem(title, config)
    except BlamelintError as exc:
        fail(str(exc))
    if not output:
        click.echo(text, nl=False)
        return
    path = Path(output)
    if path.exists() and not force:
        fail(f"{path}: already exists (use --force to overwrite)")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    click.echo(f"wrote {path}", err=True)
