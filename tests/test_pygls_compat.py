"""blamelint/server/pygls_compat.py against the installed pygls: its read loop, in process.

A failure here after a pygls upgrade means the internals that module relies on have changed.
"""

import asyncio
import inspect
import io
import json
import threading

from pygls.io_ import StdinAsyncReader, run_async
from pygls.lsp.server import LanguageServer
from pygls.protocol import LanguageServerProtocol

from blamelint.server.pygls_compat import BlamelintProtocol, ResyncingInput

UPGRADE = "pygls changed an internal that blamelint/server/pygls_compat.py relies on: "
URI = "file:///tmp/pm.md"


def frame(msg, length=None) -> bytes:
    body = json.dumps(msg).encode("utf-8")
    return b"Content-Length: %d\r\n\r\n" % (len(body) if length is None else length) + body


class Writer:
    def __init__(self):
        self.data = b""

    def write(self, data: bytes) -> None:
        self.data += data

    def close(self) -> None:
        pass

    def messages(self) -> list[dict]:
        out, rest = [], self.data
        while rest:
            header, _, rest = rest.partition(b"\r\n\r\n")
            length = int(header.split(b"Content-Length:")[1].split(b"\r\n")[0])
            out.append(json.loads(rest[:length]))
            rest = rest[length:]
        return out


def run(frames: bytes) -> tuple[LanguageServer, list[dict], list[Exception]]:
    """Frames through pygls's own message loop, into a server with BlamelintProtocol."""
    ls = LanguageServer("compat", "0", protocol_cls=BlamelintProtocol)
    writer = Writer()
    ls.protocol.set_writer(writer)
    errors = []
    reader = StdinAsyncReader(ResyncingInput(io.BytesIO(frames)))
    asyncio.run(run_async(stop_event=threading.Event(), reader=reader, protocol=ls.protocol,
                          error_handler=lambda exc, source: errors.append(exc)))
    return ls, writer.messages(), errors


def initialize(n=1):
    return frame({"jsonrpc": "2.0", "id": n, "method": "initialize", "params": {"capabilities": {}}})


def test_the_private_names_are_there():
    send = getattr(LanguageServerProtocol, "_send_response", None)
    assert send is not None, UPGRADE + "LanguageServerProtocol._send_response is gone"
    assert list(inspect.signature(send).parameters)[:4] == ["self", "msg_id", "result", "error"], \
        UPGRADE + f"LanguageServerProtocol._send_response{inspect.signature(send)}"
    for name in ("structure_message", "handle_message"):
        assert name in vars(BlamelintProtocol) and callable(getattr(LanguageServerProtocol, name, None)), \
            UPGRADE + f"LanguageServerProtocol.{name} is gone"


def test_a_request_with_bad_params_is_answered():
    bad = frame({"jsonrpc": "2.0", "id": 2, "method": "textDocument/hover",
                 "params": {"textDocument": {"uri": URI}, "position": "line 3"}})
    _, out, _ = run(initialize() + bad)
    answers = {m["id"]: m for m in out if "id" in m}
    assert 2 in answers, UPGRADE + "a request whose params do not fit is no longer answered (structure_message)"
    error = answers[2]["error"]
    assert error["code"] == -32602 and "textDocument/hover" in error["message"] and "position" in error["message"]


def test_did_change_is_applied_with_clamped_positions():
    text = "# T\n\na😀b\r\nlast"
    opened = frame({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument": {
        "uri": URI, "languageId": "markdown", "version": 1, "text": text}}})

    def change(version, start, end, new):
        return frame({"jsonrpc": "2.0", "method": "textDocument/didChange", "params": {
            "textDocument": {"uri": URI, "version": version},
            "contentChanges": [{"range": {"start": {"line": start[0], "character": start[1]},
                                          "end": {"line": end[0], "character": end[1]}}, "text": new}]}})

    frames = (initialize() + opened
              + change(2, (2, 3), (2, 3), "!")  # after 😀 (two UTF-16 units)
              + change(3, (2, -5), (2, -1), ">")  # negative: the start of the line
              + change(4, (3, 99), (2**40, 0), "."))  # past the end of the line, over the protocol's range
    ls, _, errors = run(frames)
    assert not errors, errors
    doc = ls.workspace.get_text_document(URI)
    assert (doc.source, doc.version) == ("# T\n\n>a😀!b\r\nlast.", 4), \
        UPGRADE + "didChange is not applied through BlamelintProtocol.structure_message"


def test_a_change_to_a_document_not_open_is_dropped_quietly():
    change = frame({"jsonrpc": "2.0", "method": "textDocument/didChange", "params": {
        "textDocument": {"uri": URI, "version": 2}, "contentChanges": [{"text": "x"}]}})
    ls, out, errors = run(initialize() + change)
    assert not errors and [m for m in out if "method" in m] == []
    assert URI not in ls.workspace.text_documents


def test_a_wrong_content_length_costs_one_message():
    shutdown = {"jsonrpc": "2.0", "id": 3, "method": "shutdown"}
    short = frame({"jsonrpc": "2.0", "id": 2, "method": "shutdown"}, length=20)
    _, out, _ = run(initialize() + short + frame(shutdown))
    assert 3 in {m.get("id") for m in out}, UPGRADE + "pygls no longer reads headers line by line (ResyncingInput)"

