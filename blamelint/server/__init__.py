"""The language server, `blamelint lsp` (pygls): a thin layer over the engine.

- `language_server`: the server, its handlers, linting off the message loop, `serve`.
- `settings`: client settings.
- `actions`: code actions (quick fixes, disable, allowlist, fix all).
- `convert`: LSP positions in the negotiated encoding, findings as diagnostics.
- `pygls_compat`: the one module that relies on pygls internals (protocol robustness).
"""

from blamelint.server.language_server import BlamelintServer, serve

__all__ = ["BlamelintServer", "serve"]
