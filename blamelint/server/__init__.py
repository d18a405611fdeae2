"""The language server: a thin layer over the engine (pygls + lsprotocol).

Lints on open/change/save off the message loop (one worker thread, debounced, stale results
dropped), publishes diagnostics (push) or answers `textDocument/diagnostic` (pull) when the
client asks for it, and turns each finding's fixes into code actions.

Robustness: a request whose params do not fit the protocol gets an InvalidParams error (pygls
would drop it and leave the client waiting); didChange positions are clamped to the text; a
frame with a wrong Content-Length costs a message or two, not the session; a document whose
lint fails unexpectedly keeps its last good result and the user is told once (BLAMELINT_DEBUG=1
also logs the traceback).
"""

from __future__ import annotations

import asyncio
import logging
import re
import sys
import time
import traceback
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from cattrs import transform_error
from cattrs.errors import ClassValidationError
from lsprotocol import types as T
from pygls.exceptions import JsonRpcException
from pygls.lsp.server import LanguageServer
from pygls.protocol import LanguageServerProtocol
from pygls.protocol.language_server import lsp_method
from pygls.uris import to_fs_path

from blamelint import __version__
from blamelint.config import CONFIG_NAMES, Config, ConfigResolver, find
from blamelint.errors import BlamelintError, debug
from blamelint.findings import CATEGORIES, SEVERITIES, FileResult, Finding
from blamelint.runner import MAX_BYTES

log = logging.getLogger("blamelint.server")
SOURCE = "blamelint"
FIX_ALL = "source.fixAll.blamelint"
SEVERITY = {"error": T.DiagnosticSeverity.Error, "warning": T.DiagnosticSeverity.Warning,
            "info": T.DiagnosticSeverity.Information}
LANGUAGES = ("markdown", "plaintext", "text")


# ---------------------------------------------------------------- settings


@dataclass
class Settings:
    """Client settings (`initializationOptions` / `workspace/didChangeConfiguration`, key `blamelint`)."""

    enable: bool = True
    profile: str | None = None
    categories: dict[str, bool] = field(default_factory=dict)
    severity: dict[str, str] = field(default_factory=dict)
    min_confidence: float | None = None
    quotes: str | None = None
    debounce_ms: int = 25
    config_path: str | None = None
    max_size: int = MAX_BYTES  # a larger document (in UTF-8 bytes) is not linted, as `check --max-size`

    @classmethod
    def parse(cls, raw: Any) -> tuple[Settings, list[str]]:
        """Settings from a client payload, and messages for anything ignored (bad values fall back)."""
        errors: list[str] = []
        if isinstance(raw, dict) and isinstance(raw.get("blamelint"), dict):
            raw = raw["blamelint"]
        if raw is None:
            return cls(), errors
        if not isinstance(raw, dict):
            return cls(), [f"settings must be an object, got {type(raw).__name__}"]
        s = cls()

        def take(key, check, attr, convert=lambda v: v):
            if key in raw and raw[key] is not None:
                if check(raw[key]):
                    setattr(s, attr, convert(raw[key]))
                else:
                    errors.append(f"setting '{key}': invalid value {raw[key]!r}")

        take("enable", lambda v: isinstance(v, bool), "enable")
        take("profile", lambda v: v in ("default", "public"), "profile")
        take("categories", lambda v: isinstance(v, dict) and all(
            k in CATEGORIES and isinstance(x, bool) for k, x in v.items()), "categories")
        take("severity", lambda v: isinstance(v, dict) and all(x in SEVERITIES for x in v.values()), "severity")
        take("minConfidence", lambda v: isinstance(v, (int, float)) and 0 <= v <= 1, "min_confidence", float)
        take("quotes", lambda v: v in ("ignore", "check"), "quotes")
        take("debounceMs", lambda v: isinstance(v, int) and 0 <= v <= 5000, "debounce_ms")
        take("configPath", lambda v: isinstance(v, str), "config_path")
        take("maxSize", lambda v: isinstance(v, int) and not isinstance(v, bool) and v > 0, "max_size")
        return s, errors

    def apply(self, config: Config) -> Config:
        changes: dict[str, Any] = {}
        if self.profile:
            changes["profile"] = self.profile
        if self.severity:
            changes["severity"] = {**config.severity, **self.severity}
        if self.min_confidence is not None:
            changes["min_confidence"] = self.min_confidence
        if self.quotes:
            changes["quotes"] = self.quotes
        off = [c for c, on in self.categories.items() if not on]
        if off:
            changes["ignore"] = config.ignore + off
        return replace(config, **changes) if changes else config


# ---------------------------------------------------------------- positions


def lsp_position(doc, offset: int, encoding: str) -> T.Position:
    """A source offset as an LSP position in the negotiated encoding (lines split on \\n, \\r\\n, \\r)."""
    line, col = doc.position(offset)  # 1-based, code points
    text = doc.line_text(line)[: col - 1]
    if text.isascii() and not (doc.bom and line == 1):
        return T.Position(line=line - 1, character=col - 1)  # one unit per character in every encoding
    if encoding == T.PositionEncodingKind.Utf8:
        units = len(text.encode("utf-8"))
    elif encoding == T.PositionEncodingKind.Utf32:
        units = len(text)
    else:
        units = len(text.encode("utf-16-le")) // 2
    if doc.bom and line == 1:  # the client's text still starts with the BOM
        units += 3 if encoding == T.PositionEncodingKind.Utf8 else 1
    return T.Position(line=line - 1, character=units)


def lsp_range(doc, start: int, end: int, encoding: str) -> T.Range:
    return T.Range(start=lsp_position(doc, start, encoding), end=lsp_position(doc, end, encoding))


def source_offset(doc, position: T.Position, encoding: str) -> int:
    """The inverse of lsp_position."""
    line = position.line + 1
    if line > len(doc.line_starts):
        return len(doc.source)
    text = doc.line_text(line)
    units = position.character
    if doc.bom and line == 1:
        units = max(0, units - (3 if encoding == T.PositionEncodingKind.Utf8 else 1))
    return doc.line_starts[line - 1] + _column(text, units, encoding)


def _column(line: str, units: int, encoding: str) -> int:
    """The index in line (without its line end) of a column counted in the encoding's code
    units; past the end of the line is its end."""
    if line.isascii():
        return min(units, len(line))
    count = 0
    for i, ch in enumerate(line):
        if count >= units:
            return i
        if encoding == T.PositionEncodingKind.Utf8:
            count += len(ch.encode("utf-8"))
        elif encoding == T.PositionEncodingKind.Utf32:
            count += 1
        else:
            count += 2 if ord(ch) > 0xFFFF else 1
    return len(line)


_EOL = re.compile(r"\r\n|\r|\n")


def text_offset(text: str, position: T.Position, encoding: str) -> int:
    """An LSP position in text as an offset, clamped: past the last line is the end of the text,
    past the end of a line is the end of that line."""
    start = 0
    for _ in range(position.line):
        m = _EOL.search(text, start)
        if m is None:
            return len(text)
        start = m.end()
    m = _EOL.search(text, start)
    return start + _column(text[start: m.start() if m else len(text)], position.character, encoding)


def apply_change(text: str, change, encoding: str) -> str:
    """One didChange content change applied to text (a range that ends before it starts is read
    the other way round)."""
    if not isinstance(change, T.TextDocumentContentChangePartial):
        return change.text
    a = text_offset(text, change.range.start, encoding)
    b = text_offset(text, change.range.end, encoding)
    a, b = min(a, b), max(a, b)
    return text[:a] + change.text + text[b:]


# ---------------------------------------------------------------- the protocol


_ANSWERED = object()  # a request already answered with an error while it was read


def _clamp_change_positions(message: dict) -> None:
    """didChange positions out of the protocol's range (negative, over 2**31 - 1) clamped into it,
    so the edit is applied (at the nearest place) rather than dropped."""
    params = message.get("params")
    changes = params.get("contentChanges") if isinstance(params, dict) else None
    for change in changes if isinstance(changes, list) else []:
        rng = change.get("range") if isinstance(change, dict) else None
        for pos in (rng.get("start"), rng.get("end")) if isinstance(rng, dict) else ():
            for key in ("line", "character") if isinstance(pos, dict) else ():
                if isinstance(pos.get(key), int):
                    pos[key] = min(max(pos[key], 0), 2**31 - 1)


class BlamelintProtocol(LanguageServerProtocol):
    def structure_message(self, data):
        if "jsonrpc" in data and data.get("method") == T.TEXT_DOCUMENT_DID_CHANGE:
            _clamp_change_positions(data)
        try:
            return super().structure_message(data)
        except JsonRpcException as exc:
            if "jsonrpc" not in data or "id" not in data or "method" not in data:
                raise
            # a request: answer it, or the client waits for ever
            message = f"{exc.message} for {data['method']}"
            if isinstance(exc.__cause__, ClassValidationError):
                message += ": " + "; ".join(transform_error(exc.__cause__))
            self._send_response(data["id"], None, T.ResponseError(code=exc.code, message=message))
            return _ANSWERED

    def handle_message(self, message):
        if message is not _ANSWERED:
            super().handle_message(message)

    @lsp_method(T.TEXT_DOCUMENT_DID_CHANGE)
    def lsp_text_document__did_change(self, params: T.DidChangeTextDocumentParams):
        """Apply the changes with clamped positions (pygls takes an out-of-range one as it comes)."""
        uri = params.text_document.uri
        if unquote(uri) not in self.workspace.text_documents:
            log.warning("didChange for a document that is not open: %s", uri)
            return
        encoding = self.workspace.position_encoding or T.PositionEncodingKind.Utf16
        text = self.workspace.get_text_document(uri).source
        for change in params.content_changes:
            text = apply_change(text, change, encoding)
        self.workspace.update_text_document(params.text_document, T.TextDocumentContentChangeWholeDocument(text=text))
        if (handler := self.fm.features.get(T.TEXT_DOCUMENT_DID_CHANGE)) is not None:
            yield handler, (params,), None


class _ResyncingInput:
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


# ---------------------------------------------------------------- the server


@dataclass
class Linted:
    version: int | None
    result: FileResult
    config: Config


class BlamelintServer(LanguageServer):
    def __init__(self):
        super().__init__("blamelint", __version__, text_document_sync_kind=T.TextDocumentSyncKind.Incremental,
                         protocol_cls=BlamelintProtocol)
        self.settings = Settings()
        self.executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="blamelint-lint")
        self.tasks: dict[str, asyncio.Task] = {}
        self.last_change: dict[str, float] = {}  # uri → when its last change arrived
        self.linted: dict[str, Linted] = {}
        self.resolver = ConfigResolver()
        self.last_good: dict[str, Config] = {}  # config file → last config that loaded
        self.shown_errors: set[str] = set()
        self.failed: dict[str, int | None] = {}  # uri → the version whose lint failed (told once)
        self.too_big: set[str] = set()  # documents over maxSize, told once until they fit again
        self.pull = False
        self.json_cache: dict[tuple, dict] = {}  # a diagnostic's identity and place → its JSON form

    # -- configuration

    @property
    def encoding(self) -> str:
        return self.workspace.position_encoding or T.PositionEncodingKind.Utf16

    def is_open(self, uri: str) -> bool:
        return unquote(uri) in self.workspace.text_documents  # pygls keeps them by unquoted uri

    def config_for(self, path: str | None) -> Config:
        """The config for a file: explicit or discovered, the last good one when it is broken."""
        explicit = self.settings.config_path
        where = explicit or (str(find(path)) if path and find(path) else None)
        try:
            if explicit:
                cfg = ConfigResolver(explicit).for_path(path)
            else:
                cfg = self.resolver.for_path(path)
            if where:
                self.last_good[where] = cfg
                self.shown_errors = {e for e in self.shown_errors if not e.startswith(where)}
        except BlamelintError as exc:
            message = str(exc)
            if message not in self.shown_errors:
                self.shown_errors.add(message)
                self.window_show_message(T.ShowMessageParams(
                    type=T.MessageType.Error, message=f"blamelint: {message} (using the last good configuration)"))
            cfg = self.last_good.get(where or "", Config())
        return self.settings.apply(cfg)

    def reload(self) -> None:
        self.resolver = ConfigResolver()
        for tdoc in list(self.workspace.text_documents.values()):
            self.schedule(tdoc.uri, delay=0)  # the uri as the client wrote it
        if self.pull:
            try:
                self.workspace_diagnostic_refresh(None)
            except Exception:  # the client may not support refresh
                log.debug("diagnostic refresh not supported", exc_info=True)

    # -- linting

    def known(self, uri: str, version: int | None) -> tuple[bool, Linted | None]:
        """(True, the result) when this version of the document needs no lint: it was linted, or
        its lint failed (the result is then the last good one, or None)."""
        if version is None:
            return False, None
        linted = self.linted.get(uri)
        if linted is not None and linted.version == version:
            return True, linted
        return uri in self.failed and self.failed[uri] == version, linted

    def lint_now(self, uri: str) -> Linted | None:
        """Lint the current text of an open document (in the worker thread). If that fails
        unexpectedly, the user is told (once until a lint succeeds) and the last good result stays."""
        if not self.is_open(uri):
            return None
        tdoc = self.workspace.get_text_document(uri)
        version, text = tdoc.version, tdoc.source
        done, linted = self.known(uri, version)
        if done:
            return linted
        path = to_fs_path(uri) if uri.startswith("file:") else None
        size = len(text) if text.isascii() else len(text.encode("utf-8", "surrogatepass"))
        if size > self.settings.max_size:  # not linted (its diagnostics are cleared), said once
            if uri not in self.too_big:
                self.too_big.add(uri)
                name = Path(path).name if path else uri.rsplit("/", 1)[-1]
                self.window_show_message(T.ShowMessageParams(type=T.MessageType.Warning, message=(
                    f"blamelint: {name} is {size:,} bytes, larger than the {self.settings.max_size:,}-byte "
                    "limit (setting maxSize); not linted")))
            linted = self.linted[uri] = Linted(version, FileResult(path=path or uri), self.config_for(path))
            return linted
        self.too_big.discard(uri)
        try:
            cfg, result = self._lint_text(text, path, uri)
        except Exception as exc:  # a bug: never let one document take the server down
            self.lint_failed(uri, path, version, exc)
            return self.linted.get(uri)
        self.failed.pop(uri, None)
        for problem in result.problems:
            self.window_log_message(T.LogMessageParams(type=T.MessageType.Warning, message=problem))
        linted = Linted(version, result, cfg)
        self.linted[uri] = linted
        return linted

    def _lint_text(self, text: str, path: str | None, uri: str) -> tuple[Config, FileResult]:
        from blamelint.engine import linter_for

        cfg = self.config_for(path)
        try:
            result = linter_for(cfg).lint_text(text, path or uri)
        except BlamelintError as exc:  # a broken rule pack: say so, keep serving
            self.window_show_message(T.ShowMessageParams(type=T.MessageType.Error, message=f"blamelint: {exc}"))
            result = FileResult(path=path or uri, error=str(exc))
        return cfg, result

    def lint_failed(self, uri: str, path: str | None, version: int | None, exc: Exception) -> None:
        name = Path(path).name if path else uri.rsplit("/", 1)[-1]
        first = uri not in self.failed
        self.failed[uri] = version
        if debug():  # BLAMELINT_DEBUG=1: log the traceback (the server never re-raises)
            trace = "".join(traceback.format_exception(exc))
            log.error("internal error while linting %s\n%s", uri, trace)
            self.window_log_message(T.LogMessageParams(
                type=T.MessageType.Error, message=f"blamelint: internal error while linting {name}\n{trace}"))
        if first:
            self.window_show_message(T.ShowMessageParams(type=T.MessageType.Error, message=(
                f"blamelint: internal error while linting {name}: {type(exc).__name__}: {exc}; please report")))

    def forget_results(self) -> None:
        """Have every document linted again (the configuration changed)."""
        self.linted.clear()
        self.failed = dict.fromkeys(self.failed)  # linted again, but a failure told stays told

    async def lint(self, uri: str) -> Linted | None:
        if self.is_open(uri):  # a known result does not wait behind another document's lint
            done, linted = self.known(uri, self.workspace.get_text_document(uri).version)
            if done:
                return linted
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self.executor, self.lint_now, uri)

    def schedule(self, uri: str, delay: float | None = None) -> None:
        """Lint a change at once when it is the first after a pause, else after a pause in typing
        (a newer change cancels the pending one)."""
        old = self.tasks.pop(uri, None)
        busy = old is not None and not old.done()
        if old is not None:
            old.cancel()
        now = time.monotonic()
        last, self.last_change[uri] = self.last_change.get(uri), now
        if not self.settings.enable:
            self.publish(uri, [], None)
            return
        if self.pull:
            return  # the client asks when it wants them
        if delay is None:
            pause = self.settings.debounce_ms / 1000
            typing = busy or (last is not None and now - last < pause)
            delay = pause if typing else 0
        self.tasks[uri] = asyncio.ensure_future(self._lint_and_publish(uri, delay))

    async def _lint_and_publish(self, uri: str, delay: float) -> None:
        try:
            if delay:
                await asyncio.sleep(delay)
            linted = await self.lint(uri)
        except asyncio.CancelledError:
            return
        except Exception as exc:  # never let one document take the server down
            log.exception("linting %s failed", uri)
            self.window_log_message(T.LogMessageParams(type=T.MessageType.Error, message=f"blamelint: {exc}"))
            return
        if linted is None or not self.is_open(uri):
            return
        current = self.workspace.get_text_document(uri).version
        if linted.version != current:
            return  # a stale result: a newer version is on its way
        self.publish_linted(uri, linted)

    def publish(self, uri: str, diagnostics: list[T.Diagnostic], version: int | None) -> None:
        self.text_document_publish_diagnostics(
            T.PublishDiagnosticsParams(uri=uri, diagnostics=diagnostics, version=version))

    def publish_linted(self, uri: str, linted: Linted) -> None:
        """Publish a lint result. Most findings are the same between two edits: their JSON form is
        kept (keyed by everything it shows) and the message is written without lsprotocol's
        converter walking every diagnostic again."""
        send = getattr(self.protocol, "_send_data", None)
        if send is None or linted.result.document is None:  # pragma: no cover - another pygls
            self.publish(uri, self.diagnostics(linted), linted.version)
            return
        from blamelint.engine import linter_for

        rules = linter_for(linted.config).ruleset.by_id()
        doc, enc, plain = linted.result.document, self.encoding, []
        if len(self.json_cache) > 20_000:
            self.json_cache.clear()
        for f in linted.result.findings:
            r, rule = lsp_range(doc, f.start, f.end, enc), rules.get(f.rule)
            key = (f.rule, getattr(rule, "link", None), enc, f.category, f.severity, f.message, f.confidence, tuple(x.title for x in f.fixes),
                   r.start.line, r.start.character, r.end.line, r.end.character)
            found = self.json_cache.get(key)
            if found is None:
                found = self.json_cache[key] = self.protocol._converter.unstructure(
                    self.diagnostic(f, doc, rule))
            plain.append(found)
        send({"jsonrpc": "2.0", "method": T.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS,
              "params": {"uri": uri, "diagnostics": plain, "version": linted.version}})

    # -- conversions

    def diagnostics(self, linted: Linted) -> list[T.Diagnostic]:
        result = linted.result
        if result.document is None:
            return []
        from blamelint.engine import linter_for

        rules = linter_for(linted.config).ruleset.by_id()
        return [self.diagnostic(f, result.document, rules.get(f.rule)) for f in result.findings]

    def diagnostic(self, f: Finding, doc, rule) -> T.Diagnostic:
        enc = self.encoding
        # the fixes stay on the server (code actions come from the lint result): only their titles
        # travel, for clients that show them
        fixes = [x.title for x in f.fixes]
        return T.Diagnostic(
            range=lsp_range(doc, f.start, f.end, enc),
            message=f.message,
            severity=SEVERITY[f.severity],
            code=f.rule,
            code_description=T.CodeDescription(href=rule.link) if rule is not None else None,
            source=SOURCE,
            data={"rule": f.rule, "category": f.category, "confidence": f.confidence, "fixes": fixes},
        )


server = BlamelintServer()


# ---------------------------------------------------------------- lifecycle and sync


@server.feature(T.INITIALIZE)
def initialize(ls: BlamelintServer, params: T.InitializeParams) -> None:
    settings, errors = Settings.parse(params.initialization_options)
    ls.settings = settings
    for e in errors:
        ls.window_show_message(T.ShowMessageParams(type=T.MessageType.Warning, message=f"blamelint: {e}"))
    caps = params.capabilities.text_document
    ls.pull = bool(caps is not None and caps.diagnostic is not None)


@server.feature(T.INITIALIZED)
def initialized(ls: BlamelintServer, params: T.InitializedParams) -> None:
    watchers = [T.FileSystemWatcher(glob_pattern=f"**/{name}") for name in CONFIG_NAMES]
    caps = ls.client_capabilities.workspace
    if caps is not None and caps.did_change_watched_files is not None and \
            caps.did_change_watched_files.dynamic_registration:
        ls.client_register_capability(T.RegistrationParams(registrations=[T.Registration(
            id="blamelint-config-watch", method=T.WORKSPACE_DID_CHANGE_WATCHED_FILES,
            register_options=T.DidChangeWatchedFilesRegistrationOptions(watchers=watchers))]))


@server.feature(T.TEXT_DOCUMENT_DID_OPEN)
def did_open(ls: BlamelintServer, params: T.DidOpenTextDocumentParams) -> None:
    if Path(params.text_document.uri).name in CONFIG_NAMES:
        return
    ls.schedule(params.text_document.uri, delay=0)


@server.feature(T.TEXT_DOCUMENT_DID_CHANGE)
def did_change(ls: BlamelintServer, params: T.DidChangeTextDocumentParams) -> None:
    ls.schedule(params.text_document.uri)


@server.feature(T.TEXT_DOCUMENT_DID_SAVE)
def did_save(ls: BlamelintServer, params: T.DidSaveTextDocumentParams) -> None:
    if Path(params.text_document.uri).name in CONFIG_NAMES:
        ls.reload()
        return
    ls.schedule(params.text_document.uri, delay=0)


@server.feature(T.TEXT_DOCUMENT_DID_CLOSE)
def did_close(ls: BlamelintServer, params: T.DidCloseTextDocumentParams) -> None:
    uri = params.text_document.uri
    task = ls.tasks.pop(uri, None)
    if task is not None:
        task.cancel()
    ls.linted.pop(uri, None)
    ls.failed.pop(uri, None)
    ls.last_change.pop(uri, None)
    if not ls.pull:
        ls.publish(uri, [], None)


@server.feature(T.WORKSPACE_DID_CHANGE_WATCHED_FILES)
def did_change_watched_files(ls: BlamelintServer, params: T.DidChangeWatchedFilesParams) -> None:
    if any(Path(to_fs_path(c.uri) or c.uri).name in CONFIG_NAMES for c in params.changes):
        ls.forget_results()
        ls.reload()


@server.feature(T.WORKSPACE_DID_CHANGE_CONFIGURATION)
def did_change_configuration(ls: BlamelintServer, params: T.DidChangeConfigurationParams) -> None:
    settings, errors = Settings.parse(params.settings)
    for e in errors:
        ls.window_show_message(T.ShowMessageParams(type=T.MessageType.Warning, message=f"blamelint: {e}"))
    ls.settings = settings
    ls.forget_results()
    ls.reload()


# ---------------------------------------------------------------- pull diagnostics


@server.feature(T.TEXT_DOCUMENT_DIAGNOSTIC,
                T.DiagnosticOptions(identifier=SOURCE, inter_file_dependencies=False, workspace_diagnostics=False))
async def pull_diagnostics(ls: BlamelintServer, params: T.DocumentDiagnosticParams):
    uri = params.text_document.uri
    if not ls.settings.enable or not ls.is_open(uri):
        return T.RelatedFullDocumentDiagnosticReport(items=[])
    linted = await ls.lint(uri)
    items = ls.diagnostics(linted) if linted is not None else []
    return T.RelatedFullDocumentDiagnosticReport(items=items)


# ---------------------------------------------------------------- code actions


@server.feature(T.TEXT_DOCUMENT_CODE_ACTION, T.CodeActionOptions(
    code_action_kinds=[T.CodeActionKind.QuickFix, T.CodeActionKind.SourceFixAll, FIX_ALL], resolve_provider=False))
async def code_action(ls: BlamelintServer, params: T.CodeActionParams) -> list[T.CodeAction] | None:
    uri = params.text_document.uri
    if not ls.is_open(uri):
        return None
    linted = await ls.lint(uri)
    if linted is None or linted.result.document is None:
        return []
    doc = linted.result.document
    enc = ls.encoding
    only = params.context.only
    actions: list[T.CodeAction] = []
    wants_quickfix = not only or any(k.startswith(T.CodeActionKind.QuickFix) for k in only)
    wants_fix_all = not only or any(FIX_ALL.startswith(k) or k.startswith(FIX_ALL) for k in only)
    if wants_quickfix:
        start = source_offset(doc, params.range.start, enc)
        end = source_offset(doc, params.range.end, enc)
        for f in linted.result.findings:
            if f.start <= end and start <= f.end:
                actions.extend(_finding_actions(ls, uri, doc, f, linted))
    if wants_fix_all:
        action = _fix_all(uri, linted, enc)
        if action is not None:
            actions.append(action)
    return actions


def _edit(uri: str, version, edits: list[T.TextEdit]) -> T.WorkspaceEdit:
    return T.WorkspaceEdit(document_changes=[T.TextDocumentEdit(
        text_document=T.OptionalVersionedTextDocumentIdentifier(uri=uri, version=version), edits=edits)])


def _finding_actions(ls: BlamelintServer, uri: str, doc, f: Finding, linted: Linted) -> list[T.CodeAction]:
    enc = ls.encoding
    diag = ls.diagnostic(f, doc, None)
    out: list[T.CodeAction] = []
    first_safe = next((i for i, x in enumerate(f.fixes) if x.safe and x.edits), None)
    for i, fix in enumerate(f.fixes):
        if not fix.edits:
            continue
        edits = [T.TextEdit(range=lsp_range(doc, e.start, e.end, enc), new_text=e.new_text) for e in fix.edits]
        out.append(T.CodeAction(title=fix.title, kind=T.CodeActionKind.QuickFix, diagnostics=[diag],
                                edit=_edit(uri, linted.version, edits), is_preferred=(i == first_safe)))
    # Disable the rule on this line: a comment at the end of the finding's first line.
    line = doc.position(f.start)[0]
    end_of_line = doc.line_starts[line - 1] + len(doc.line_text(line))
    comment = f" <!-- blamelint-disable-line {f.rule} -->"
    out.append(T.CodeAction(
        title=f"Disable {f.rule} on this line", kind=T.CodeActionKind.QuickFix, diagnostics=[diag],
        edit=_edit(uri, linted.version, [T.TextEdit(range=lsp_range(doc, end_of_line, end_of_line, enc),
                                                     new_text=comment)])))
    if f.category == "named-individual":
        action = _allow_name_action(uri, f, diag)
        if action is not None:
            out.append(action)
    return out


def _fix_all(uri: str, linted: Linted, enc: str) -> T.CodeAction | None:
    """Every safe fix in the file, applied until none is left, as one minimal edit."""
    from blamelint.engine import fix_text, linter_for

    doc = linted.result.document
    if not any(x.safe and x.edits for f in linted.result.findings for x in f.fixes):
        return None
    new_text, _ = fix_text(linter_for(linted.config), doc.source, linted.result.path)
    if new_text == doc.source:
        return None
    old = doc.source
    start = 0
    while start < min(len(old), len(new_text)) and old[start] == new_text[start]:
        start += 1
    end_old, end_new = len(old), len(new_text)
    while end_old > start and end_new > start and old[end_old - 1] == new_text[end_new - 1]:
        end_old -= 1
        end_new -= 1
    edit = T.TextEdit(range=lsp_range(doc, start, end_old, enc), new_text=new_text[start:end_new])
    return T.CodeAction(title="Fix all safe blamelint problems", kind=FIX_ALL,
                        edit=_edit(uri, linted.version, [edit]))


def _allow_name_action(uri: str, f: Finding, diag: T.Diagnostic) -> T.CodeAction | None:
    """Add the name to `allow.names` in the nearest .blamelint.yaml (created next to the file if none)."""
    from blamelint.allowlist import add_name

    path = to_fs_path(uri) if uri.startswith("file:") else None
    if not path:
        return None
    name = f.text.lstrip("@").strip()
    found = find(path)
    target = Path(found) if found else Path(path).parent / CONFIG_NAMES[0]
    existing = target.read_text(encoding="utf-8") if target.exists() else None
    new = add_name(existing, name)
    if new is None:
        return None
    target_uri = target.resolve().as_uri()
    if existing is None:
        changes = [T.CreateFile(uri=target_uri, options=T.CreateFileOptions(ignore_if_exists=True)),
                   T.TextDocumentEdit(text_document=T.OptionalVersionedTextDocumentIdentifier(uri=target_uri, version=None),
                                      edits=[T.TextEdit(range=T.Range(start=T.Position(line=0, character=0),
                                                                      end=T.Position(line=0, character=0)),
                                                        new_text=new)])]
    else:
        lines = existing.split("\n")
        end = T.Position(line=len(lines) - 1, character=len(lines[-1].encode("utf-16-le")) // 2)
        changes = [T.TextDocumentEdit(text_document=T.OptionalVersionedTextDocumentIdentifier(uri=target_uri, version=None),
                                      edits=[T.TextEdit(range=T.Range(start=T.Position(line=0, character=0), end=end),
                                                        new_text=new)])]
    return T.CodeAction(title=f"Add “{name}” to the allowlist in {target.name}", kind=T.CodeActionKind.QuickFix,
                        diagnostics=[diag], edit=T.WorkspaceEdit(document_changes=changes))


@server.feature(T.WORKSPACE_EXECUTE_COMMAND, T.ExecuteCommandOptions(commands=["blamelint.relint"]))
def execute_command(ls: BlamelintServer, params: T.ExecuteCommandParams):
    if params.command == "blamelint.relint":
        ls.forget_results()
        ls.reload()
    return None


# ---------------------------------------------------------------- hover


@server.feature(T.TEXT_DOCUMENT_HOVER)
async def hover(ls: BlamelintServer, params: T.HoverParams) -> T.Hover | None:
    uri = params.text_document.uri
    if not ls.is_open(uri):
        return None
    linted = await ls.lint(uri)
    if linted is None or linted.result.document is None:
        return None
    doc = linted.result.document
    at = source_offset(doc, params.position, ls.encoding)
    here = [f for f in linted.result.findings if f.start <= at <= f.end]
    if not here:
        return None
    from blamelint.engine import linter_for

    rules = linter_for(linted.config).ruleset.by_id()
    parts = []
    for f in here:
        rule = rules.get(f.rule)
        text = [f"**{f.message}** `{f.rule}`"]
        if rule is not None:
            text.append(rule.why)
            bad, good = rule.example_texts("bad")[:1], rule.example_texts("good")[:1]
            if bad:
                text.append(f"✗ {bad[0]}")
            if good:
                text.append(f"✓ {good[0]}")
            text.append(f"[{rule.id} documentation]({rule.link})")
        parts.append("\n\n".join(text))
    f = here[0]
    return T.Hover(contents=T.MarkupContent(kind=T.MarkupKind.Markdown, value="\n\n---\n\n".join(parts)),
                   range=lsp_range(doc, f.start, f.end, ls.encoding))


def serve(tcp: str | None = None) -> None:
    logging.basicConfig(level=logging.WARNING)
    if tcp:
        host, _, port = tcp.rpartition(":")
        server.start_tcp(host or "127.0.0.1", int(port))
    else:
        server.start_io(stdin=_ResyncingInput(sys.stdin.buffer))
