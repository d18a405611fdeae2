"""`blamelint init`: a commented config to start from, and the snippets that run blamelint in CI."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import click

from blamelint import __version__
from blamelint.cli.options import fail

REPO = "https://github.com/blamelint/blamelint"
SCHEMA_URL = f"https://raw.githubusercontent.com/blamelint/blamelint/v{__version__}/blamelint/config-schema.json"

PRE_COMMIT = f"""\
# .pre-commit-config.yaml
repos:
  - repo: {REPO}
    rev: v{__version__}
    hooks:
      - id: blamelint
"""

GITHUB_ACTIONS = f"""\
# .github/workflows/postmortems.yml
name: post-mortems
on:
  pull_request:
  push:
    branches: [main]   # code scanning compares a pull request with its base branch's analysis
permissions:
  contents: read
  security-events: write   # to upload SARIF to code scanning
jobs:
  blamelint:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: blamelint/blamelint@v{__version__}
        with:
          paths: postmortems
"""


def _template(name: str) -> str:
    return (resources.files("blamelint") / "templates" / name).read_text(encoding="utf-8")


@click.command("init")
@click.argument("directory", default=".", type=click.Path(file_okay=False))
@click.option("--pyproject", is_flag=True, help="Add a [tool.blamelint] table to pyproject.toml instead.")
@click.option("--force", is_flag=True, help="Overwrite an existing .blamelint.yaml.")
def init(directory, pyproject, force):
    """Write a commented .blamelint.yaml in DIRECTORY (default: here) and print the pre-commit
    and GitHub Actions snippets that run blamelint."""
    from blamelint import config as cfg

    folder = Path(directory)
    folder.mkdir(parents=True, exist_ok=True)
    yaml_path, toml_path = folder / cfg.CONFIG_NAMES[0], folder / cfg.PYPROJECT
    existing = [folder / n for n in cfg.CONFIG_NAMES if (folder / n).exists()]
    if toml_path.is_file() and cfg.has_table(toml_path):
        existing.append(toml_path)
    if pyproject:
        if existing:
            fail(f"{existing[0]}: already holds blamelint settings")
        before = toml_path.read_bytes().decode("utf-8") if toml_path.exists() else ""
        eol = "\r\n" if "\r\n" in before else "\n"  # keep the file's line ends
        table = _template("tool-blamelint.toml")
        table = table.lstrip("\n") if not before else table
        after = before + (eol if before and not before.endswith("\n") else "") + table.replace("\n", eol)
        try:
            cfg.from_dict(cfg.tool_table(after, toml_path), str(toml_path), prefix=cfg.TABLE + ".")
        except Exception as exc:  # noqa: BLE001 - never leave a pyproject.toml we cannot read back
            fail(f"{toml_path}: not changed: {exc}")
        toml_path.write_bytes(after.encode("utf-8"))
        written = toml_path
    else:
        others = [p for p in existing if p != yaml_path or not force]
        if others:
            hint = " (use --force to overwrite)" if others == [yaml_path] else ""
            fail(f"{others[0]}: already holds blamelint settings{hint}")
        yaml_path.write_text(_template("blamelint.yaml").replace("{schema_url}", SCHEMA_URL), encoding="utf-8")
        written = yaml_path
    click.echo(f"Wrote {written}. Check it with: blamelint config {directory}\n")
    click.echo("Run blamelint before each commit:\n")
    click.echo(PRE_COMMIT)
    click.echo("And on pull requests:\n")
    click.echo(GITHUB_ACTIONS, nl=False)
