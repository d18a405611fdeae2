"""`blamelint lsp`: start the language server."""

from __future__ import annotations

import click


@click.command("lsp")
@click.option("--tcp", metavar="HOST:PORT", help="Listen on TCP instead of stdio (for debugging).")
@click.option("--stdio", is_flag=True, help="Use stdio (the default; accepted for editor clients).")
def lsp(tcp, stdio):
    """Start the language server (stdio by default)."""
    # Loads pygls, lsprotocol and the engine (about 0.4 s): imported here, not at start-up.
    from blamelint.server import serve

    serve(tcp)
