"""The `blamelint` command line: a thin front end over the engine, one module per command.

Start-up (`--help`, `--version`) imports click and the command modules only: each command imports
the rest when it runs (the engine loads spaCy; PyYAML and markdown-it are slow to import too)."""

from __future__ import annotations

import click

from blamelint import __version__
from blamelint.cli import check, config_cmd, daemon, evaluate, init, lsp, new, report, rules


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "-V", "--version", prog_name="blamelint")
def main():
    """A linter for blameless incident post-mortems."""


for command in (check.check, rules.rules_cmd, rules.explain, lsp.lsp, new.new, init.init, config_cmd.config_cmd,
                evaluate.eval_cmd, report.report, daemon.daemon):
    main.add_command(command)


def run() -> None:
    """The `blamelint` console script: a `check` goes to the daemon when one is running
    (`blamelint daemon start`), everything else (and a check without a daemon) runs here."""
    import sys

    for stream in (sys.stdout, sys.stderr):  # JSON, SARIF and the rest are UTF-8 whatever the locale
        if (getattr(stream, "encoding", "") or "").lower().replace("-", "") != "utf8" and hasattr(stream, "reconfigure"):
            stream.reconfigure(encoding="utf-8", errors="replace")
    argv = sys.argv[1:]
    if argv[:1] == ["check"]:
        code = daemon.forward(argv)
        if code is not None:
            sys.exit(code)
    main()
