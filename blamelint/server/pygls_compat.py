"""The one place that relies on pygls internals; tests/test_pygls_compat.py fails on a pygls
that changes them.

pygls drops a request whose params do not fit the protocol (the client then waits for ever),
applies didChange positions as they come, and loses every message after a frame with a wrong
Content-Length. Here:
- `BlamelintProtocol.structure_message` (json.loads' object_hook in pygls's read loop) answers
  such a request with InvalidParams, through the private `_send_response`: pygls has no public
  way to answer a request outside a handler;
- it turns a didChange into one whole-document change, computed with positions clamped to the
  text (pygls reads each message after handling the previous one, so the workspace is current);
- `ResyncingInput` finds the next header after junk, for pygls's line-based header reader.
"""

from __future__ import annotations

import logging
import re
from typing import Any
from urllib.parse import unquote

from cattrs import transform_error
from cattrs.errors import ClassValidationError
from lsprotocol import types as T
from pygls.exceptions import JsonRpcException
from pygls.protocol import LanguageServerProtocol

from blamelint.server.convert import UTF16, apply_change

log = logging.getLogger("blamelint.server")
HANDLED = object()  # a message dealt with while it was read
MAX_UINT = 2**31 - 1


def clamp_change_positions(message: dict) -> None:
    """didChange positions out of the protocol's range (negative, over 2**31 - 1) clamped into it,
    so the edit is applied (at the nearest place) rather than dropped."""
    params = message.get("params")
    changes = params.get("contentChanges") if isinstance(params, dict) else None
    for change in changes if isinstance(changes, list) else []:
        rng = change.get("range") if isinstance(change, dict) else None
        for pos in (rng.get("start"), rng.get("end")) if isinstance(rng, dict) else ():
            for key in ("line", "character") if isinstance(pos, dict) else ():
                if isinstance(pos.get(key), int):
                    pos[key] = min(max(pos[key], 0), MAX_UINT)


class BlamelintProtocol(LanguageServerProtocol):
    def structure_message(self, data: dict) -> Any:
        # called for every JSON object of a message, innermost first; a message has "jsonrpc"
        is_message = "jsonrpc" in data
        if is_message and data.get("method") == T.TEXT_DOCUMENT_DID_CHANGE:
            clamp_change_positions(data)
        try:
            message = super().structure_message(data)
        except JsonRpcException as exc:
            if not is_message or "id" not in data or "method" not in data:
                raise
            self.answer_invalid(data, exc)
            return HANDLED
        if isinstance(message, T.DidChangeTextDocumentNotification):
            return self.as_whole_document(message)
        return message

    def answer_invalid(self, data: dict, exc: JsonRpcException) -> None:
        """Answer a request whose params did not fit, or the client waits for ever."""
        text = f"{exc.message} for {data['method']}"
        if isinstance(exc.__cause__, ClassValidationError):
            text += ": " + "; ".join(transform_error(exc.__cause__))
        self._send_response(data["id"], None, T.ResponseError(code=exc.code, message=text))

    def as_whole_document(self, message: T.DidChangeTextDocumentNotification) -> Any:
        """The changes applied here with clamped positions (pygls takes an out-of-range one as
        it comes), handed on as the whole new text."""
        params = message.params
        uri = params.text_document.uri
        if unquote(uri) not in self.workspace.text_documents:  # pygls keeps them by unquoted uri
            log.warning("didChange for a document that is not open: %s", uri)
            return HANDLED
        encoding = self.workspace.position_encoding or UTF16
        text = self.workspace.get_text_document(uri).source
        for change in params.content_changes:
            text = apply_change(text, change, encoding)
        params.content_changes = [T.TextDocumentContentChangeWholeDocument(text=text)]
        return message

    def handle_message(self, message: Any) -> None:
        if message is not HANDLED:
            super().handle_message(message)


class ResyncingInput:
    """stdin for the message loop: a header line after junk (the rest of a body whose
    Content-Length was too small, or a body read as headers) is read as that header, so a bad
    frame costs a message or two instead of every message after it."""

    HEADER = re.compile(rb"Content-Length: \d+\r\n$")

    def __init__(self, raw):
        self.raw = raw

    def readline(self) -> bytes:
        line = self.raw.readline()
        m = self.HEADER.search(line)
        return line[m.start():] if m else line

    def read(self, n: int) -> bytes:
        return self.raw.read(n)
