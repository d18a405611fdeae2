"""The server and its handlers: a thin layer over the engine.

Lints on open/change/save off the message loop (one worker thread, debounced, stale results
dropped), publishes diagnostics (push) or answers `textDocument/diagnostic` (pull) when the
client asks for it, and answers code actions and hovers from the lint result. A document whose
lint fails unexpectedly keeps its last good result and the user is told once
(BLAMELINT_DEBUG=1 also logs the traceback).
"""

from __future__ import annotations

import asyncio
import logging
import sys
import time
import traceback
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

from lsprotocol import types as T
from pygls.lsp.server import LanguageServer
from pygls.uris import to_fs_path

from blamelint import __version__
from blamelint.config import CONFIG_NAMES, PYPROJECT, Config, ConfigResolver, find, is_config
from blamelint.engine import linter_for
from blamelint.errors import BlamelintError, debug
from blamelint.findings import FileResult
from blamelint.server.actions import KINDS, code_actions
from blamelint.server.convert import SOURCE, UTF16, diagnostic, lsp_range, source_offset
from blamelint.server.pygls_compat import BlamelintProtocol, ResyncingInput
from blamelint.server.settings import Settings

log = logging.getLogger("blamelint.server")


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

    # -- configuration

    @property
    def encoding(self) -> str:
        return self.workspace.position_encoding or UTF16

    def is_open(self, uri: str) -> bool:
        return unquote(uri) in self.workspace.text_documents  # pygls keeps them by unquoted uri

    def tell(self, message: str, kind: T.MessageType = T.MessageType.Warning) -> None:
        self.window_show_message(T.ShowMessageParams(type=kind, message=f"blamelint: {message}"))

    def config_for(self, path: str | None) -> Config:
        """The config for a file: explicit or discovered, the last good one when it is broken."""
        explicit = self.settings.config_path
        where = explicit
        try:
            if not explicit and path:
                found = find(path)
                where = str(found) if found else None
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
                self.tell(f"{message} (using the last good configuration)", T.MessageType.Error)
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

    def forget_results(self) -> None:
        """Have every document linted again (the configuration changed)."""
        self.linted.clear()
        self.failed = dict.fromkeys(self.failed)  # linted again, but a failure told stays told

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
                self.tell(f"{display_name(uri, path)} is {size:,} bytes, larger than the "
                          f"{self.settings.max_size:,}-byte limit (setting maxSize); not linted")
            linted = self.linted[uri] = Linted(version, FileResult(path=path or uri), self.config_for(path))
            return linted
        self.too_big.discard(uri)
        try:
            cfg, result = self.lint_text(text, path, uri)
        except Exception as exc:  # a bug: never let one document take the server down
            self.lint_failed(uri, path, version, exc)
            return self.linted.get(uri)
        self.failed.pop(uri, None)
        for problem in result.problems:
            self.window_log_message(T.LogMessageParams(type=T.MessageType.Warning, message=problem))
        linted = Linted(version, result, cfg)
        self.linted[uri] = linted
        return linted

    def lint_text(self, text: str, path: str | None, uri: str) -> tuple[Config, FileResult]:
        cfg = self.config_for(path)
        try:
            result = linter_for(cfg).lint_text(text, path or uri)
        except BlamelintError as exc:  # a broken rule pack: say so, keep serving
            self.tell(str(exc), T.MessageType.Error)
            result = FileResult(path=path or uri, error=str(exc))
        return cfg, result

    def lint_failed(self, uri: str, path: str | None, version: int | None, exc: Exception) -> None:
        name = display_name(uri, path)
        first = uri not in self.failed
        self.failed[uri] = version
        if debug():  # BLAMELINT_DEBUG=1: log the traceback (the server never re-raises)
            trace = "".join(traceback.format_exception(exc))
            log.error("internal error while linting %s\n%s", uri, trace)
            self.window_log_message(T.LogMessageParams(
                type=T.MessageType.Error, message=f"blamelint: internal error while linting {name}\n{trace}"))
        if first:
            self.tell(f"internal error while linting {name}: {type(exc).__name__}: {exc}; please report",
                      T.MessageType.Error)

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
        self.tasks[uri] = asyncio.ensure_future(self.lint_and_publish(uri, delay))

    async def lint_and_publish(self, uri: str, delay: float) -> None:
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
        self.publish(uri, self.diagnostics(linted, uri), linted.version)

    def publish(self, uri: str, diagnostics: list[T.Diagnostic], version: int | None) -> None:
        self.text_document_publish_diagnostics(
            T.PublishDiagnosticsParams(uri=uri, diagnostics=diagnostics, version=version))

    def diagnostics(self, linted: Linted, uri: str | None = None) -> list[T.Diagnostic]:
        result = linted.result
        if result.document is None:
            return []
        rules = linter_for(linted.config).ruleset.by_id()
        return [diagnostic(f, result.document, rules.get(f.rule), self.encoding, uri) for f in result.findings]


def display_name(uri: str, path: str | None) -> str:
    return Path(path).name if path else uri.rsplit("/", 1)[-1]


server = BlamelintServer()


# ---------------------------------------------------------------- lifecycle and sync


@server.feature(T.INITIALIZE)
def initialize(ls: BlamelintServer, params: T.InitializeParams) -> None:
    settings, errors = Settings.parse(params.initialization_options)
    ls.settings = settings
    for e in errors:
        ls.tell(e)
    caps = params.capabilities.text_document
    ls.pull = bool(caps is not None and caps.diagnostic is not None)


@server.feature(T.INITIALIZED)
def initialized(ls: BlamelintServer, params: T.InitializedParams) -> None:
    watchers = [T.FileSystemWatcher(glob_pattern=f"**/{name}") for name in (*CONFIG_NAMES, PYPROJECT)]
    caps = ls.client_capabilities.workspace
    if caps is not None and caps.did_change_watched_files is not None and \
            caps.did_change_watched_files.dynamic_registration:
        ls.client_register_capability(T.RegistrationParams(registrations=[T.Registration(
            id="blamelint-config-watch", method=T.WORKSPACE_DID_CHANGE_WATCHED_FILES,
            register_options=T.DidChangeWatchedFilesRegistrationOptions(watchers=watchers))]))


@server.feature(T.TEXT_DOCUMENT_DID_OPEN)
def did_open(ls: BlamelintServer, params: T.DidOpenTextDocumentParams) -> None:
    if is_config(params.text_document.uri):
        return
    ls.schedule(params.text_document.uri, delay=0)


@server.feature(T.TEXT_DOCUMENT_DID_CHANGE)
def did_change(ls: BlamelintServer, params: T.DidChangeTextDocumentParams) -> None:
    ls.schedule(params.text_document.uri)


@server.feature(T.TEXT_DOCUMENT_DID_SAVE)
def did_save(ls: BlamelintServer, params: T.DidSaveTextDocumentParams) -> None:
    if is_config(params.text_document.uri):
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
    if any(is_config(to_fs_path(c.uri) or c.uri) for c in params.changes):
        ls.forget_results()
        ls.reload()


@server.feature(T.WORKSPACE_DID_CHANGE_CONFIGURATION)
def did_change_configuration(ls: BlamelintServer, params: T.DidChangeConfigurationParams) -> None:
    settings, errors = Settings.parse(params.settings)
    for e in errors:
        ls.tell(e)
    ls.settings = settings
    ls.forget_results()
    ls.reload()


@server.feature(T.WORKSPACE_EXECUTE_COMMAND, T.ExecuteCommandOptions(commands=["blamelint.relint"]))
def execute_command(ls: BlamelintServer, params: T.ExecuteCommandParams):
    if params.command == "blamelint.relint":
        ls.forget_results()
        ls.reload()
    return None


# ---------------------------------------------------------------- requests


@server.feature(T.TEXT_DOCUMENT_DIAGNOSTIC,
                T.DiagnosticOptions(identifier=SOURCE, inter_file_dependencies=False, workspace_diagnostics=False))
async def pull_diagnostics(ls: BlamelintServer, params: T.DocumentDiagnosticParams):
    uri = params.text_document.uri
    if not ls.settings.enable or not ls.is_open(uri):
        return T.RelatedFullDocumentDiagnosticReport(items=[])
    linted = await ls.lint(uri)
    items = ls.diagnostics(linted, uri) if linted is not None else []
    return T.RelatedFullDocumentDiagnosticReport(items=items)


@server.feature(T.TEXT_DOCUMENT_CODE_ACTION, T.CodeActionOptions(code_action_kinds=KINDS, resolve_provider=False))
async def code_action(ls: BlamelintServer, params: T.CodeActionParams) -> list[T.CodeAction] | None:
    if not ls.is_open(params.text_document.uri):
        return None
    linted = await ls.lint(params.text_document.uri)
    if linted is None or linted.result.document is None:
        return []
    return code_actions(params, linted.result, linted.config, linted.version, ls.encoding)


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
        server.start_io(stdin=ResyncingInput(sys.stdin.buffer))
