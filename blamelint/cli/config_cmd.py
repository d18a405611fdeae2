"""`blamelint config`: which settings apply to a file, and the settings' JSON Schema."""

from __future__ import annotations

import json

import click

from blamelint.cli.options import fail
from blamelint.errors import BlamelintError


@click.command("config")
@click.argument("path", required=False, type=click.Path())
@click.option("--schema", is_flag=True, help="Print the JSON Schema of the settings and exit.")
@click.option("--config", "config_path", type=click.Path(), help="Use this config file instead of discovery.")
def config_cmd(path, schema, config_path):
    """Show the settings that apply to PATH (default: this folder) and the file they come from.

    A wrong key or value is an error naming the file and key (exit 2)."""
    from blamelint import config as cfg
    from blamelint.engine import linter_for

    if schema:
        click.echo(json.dumps(cfg.schema(), indent=2, ensure_ascii=False))
        return
    try:
        source = config_path or cfg.find(path or ".")
        config = cfg.ConfigResolver(config_path).for_path(path)
        linter_for(config)  # loads the rule packs and plugins and checks the rule names, as `check` does
    except BlamelintError as exc:
        fail(str(exc))
    where = f"{source} [{cfg.TABLE}]" if source and str(source).endswith(".toml") else source
    click.echo(f"# settings for {path or '.'}: {where or 'defaults (no .blamelint.yaml or [tool.blamelint] found)'}")
    click.echo(json.dumps(config.settings(), indent=2, ensure_ascii=False))
