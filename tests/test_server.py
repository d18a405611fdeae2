"""End-to-end: the real `blamelint lsp` server over stdio, driven by pytest-lsp.

One server process serves the whole module (it loads the spaCy model once).
"""

import asyncio
import sys
from pathlib import Path

import pytest
import pytest_lsp
from lsprotocol import types as T
from pytest_lsp import ClientServerConfig, LanguageClient

from blamelint.fixes import apply_edits  # noqa: F401  (documents the engine counterpart)

PM = (
    "# Outage\n\n"
    "✅ 😀 The root cause was human error.\n\n"
    "Obviously the cache was stale.\n\n"
    "Priya forgot to renew the TLS certificate.\n"
)


@pytest_lsp.fixture(
    scope="module",
    config=ClientServerConfig(server_command=[sys.executable, "-m", "blamelint", "lsp"]),
)
async def client(lsp_client: LanguageClient, tmp_path_factory):
    root = tmp_path_factory.mktemp("ws")
    caps = T.ClientCapabilities(
        workspace=T.WorkspaceClientCapabilities(
            did_change_watched_files=T.DidChangeWatchedFilesClientCapabilities(dynamic_registration=False),
            workspace_edit=T.WorkspaceEditClientCapabilities(
                document_changes=True, resource_operations=[T.ResourceOperationKind.Create]),
        ),
        text_document=T.TextDocumentClientCapabilities(
            publish_diagnostics=T.PublishDiagnosticsClientCapabilities(version_support=True),
            code_action=T.CodeActionClientCapabilities(),
            hover=T.HoverClientCapabilities(content_format=[T.MarkupKind.Markdown]),
        ),
    )
    await lsp_client.initialize_session(T.InitializeParams(
        capabilities=caps, root_uri=root.as_uri(), initialization_options={"blamelint": {"debounceMs": 20}}))
    lsp_client.root = root
    yield
    await lsp_client.shutdown_session()


async def wait_for(client, uri, predicate=lambda d: True, timeout=60.0):
    loop = asyncio.get_running_loop()
    end = loop.time() + timeout
    while loop.time() < end:
        diags = client.diagnostics.get(uri)
        if diags is not None and predicate(diags):
            return diags
        await asyncio.sleep(0.05)
    raise AssertionError(f"no matching diagnostics for {uri}: {client.diagnostics.get(uri)}")


def open_doc(client, path: Path, text: str, version: int = 1, language: str = "markdown"):
    path.write_text(text, encoding="utf-8")
    uri = path.as_uri()
    client.diagnostics.pop(uri, None)
    client.text_document_did_open(T.DidOpenTextDocumentParams(
        text_document=T.TextDocumentItem(uri=uri, language_id=language, version=version, text=text)))
    return uri


def by_rule(diags, rule):
    return [d for d in diags if d.code == rule]


def apply(text: str, edits: list[T.TextEdit]) -> str:
    """Apply LSP edits (UTF-16 positions) to text."""
    lines = text.split("\n")

    def offset(pos: T.Position) -> int:
        base = sum(len(x) + 1 for x in lines[: pos.line])
        line = lines[pos.line] if pos.line < len(lines) else ""
        units, i = 0, 0
        while i < len(line) and units < pos.character:
            units += 2 if ord(line[i]) > 0xFFFF else 1
            i += 1
        return base + i

    for e in sorted(edits, key=lambda e: (e.range.start.line, e.range.start.character), reverse=True):
        text = text[: offset(e.range.start)] + e.new_text + text[offset(e.range.end):]
    return text


@pytest.mark.asyncio(loop_scope="module")
async def test_diagnostics_on_open_with_utf16_ranges(client):
    uri = open_doc(client, client.root / "a.md", PM)
    diags = await wait_for(client, uri, lambda d: by_rule(d, "human-error"))
    d = by_rule(diags, "human-error")[0]
    # "✅ 😀 The root cause was " is 23 code points and 24 UTF-16 units (😀 is a surrogate pair)
    assert (d.range.start.line, d.range.start.character) == (2, 24)
    assert (d.range.end.line, d.range.end.character) == (2, 35)
    assert d.source == "blamelint"
    assert d.severity == T.DiagnosticSeverity.Warning
    assert d.code_description.href.startswith("https://")
    assert {"failure-verb-person", "hindsight-adverb"} <= {x.code for x in diags}


@pytest.mark.asyncio(loop_scope="module")
async def test_incremental_edit_relints_the_new_version(client):
    text = "# Outage\n\nThe cache was stale.\n"
    uri = open_doc(client, client.root / "b.md", text)
    await wait_for(client, uri)
    assert list(client.diagnostics[uri]) == []
    client.text_document_did_change(T.DidChangeTextDocumentParams(
        text_document=T.VersionedTextDocumentIdentifier(uri=uri, version=2),
        content_changes=[T.TextDocumentContentChangePartial(
            range=T.Range(start=T.Position(line=2, character=0), end=T.Position(line=2, character=0)),
            text="Obviously ")]))
    diags = await wait_for(client, uri, lambda d: by_rule(d, "hindsight-adverb"))
    d = by_rule(diags, "hindsight-adverb")[0]
    assert (d.range.start.line, d.range.start.character, d.range.end.character) == (2, 0, 9)


@pytest.mark.asyncio(loop_scope="module")
async def test_rapid_edits_never_publish_a_stale_version(client):
    uri = open_doc(client, client.root / "c.md", "# T\n\nfine\n")
    await wait_for(client, uri)
    text = "# T\n\nfine\n"
    for version in range(2, 12):
        client.text_document_did_change(T.DidChangeTextDocumentParams(
            text_document=T.VersionedTextDocumentIdentifier(uri=uri, version=version),
            content_changes=[T.TextDocumentContentChangeWholeDocument(
                text=text + "It was human error.\n" * (version % 3))]))
    await asyncio.sleep(1.5)
    # 11 % 3 == 2: two findings, for the last version only
    diags = await wait_for(client, uri, lambda d: len(by_rule(d, "human-error")) == 2)
    assert len(by_rule(diags, "human-error")) == 2


@pytest.mark.asyncio(loop_scope="module")
async def test_pull_diagnostics(client):
    uri = open_doc(client, client.root / "d.md", PM)
    report = await client.text_document_diagnostic_async(T.DocumentDiagnosticParams(
        text_document=T.TextDocumentIdentifier(uri=uri)))
    assert "human-error" in {d.code for d in report.items}


@pytest.mark.asyncio(loop_scope="module")
async def test_merged_findings_carry_related_information(client):
    text = "# Review\n\nThe regression should have been caught in review.\n"
    uri = open_doc(client, client.root / "related.md", text)
    diags = await wait_for(client, uri, lambda d: by_rule(d, "should-have-known"))
    assert not by_rule(diags, "avoidable-counterfactual")  # merged into the one above
    (d,) = by_rule(diags, "should-have-known")
    (info,) = d.related_information
    assert info.location.uri == uri and info.location.range.start.line == 2
    assert info.message.startswith("avoidable-counterfactual: ")
    report = await client.text_document_diagnostic_async(T.DocumentDiagnosticParams(
        text_document=T.TextDocumentIdentifier(uri=uri)))
    (pulled,) = by_rule(report.items, "should-have-known")
    assert pulled.related_information and pulled.related_information[0].location.uri == uri


async def actions_for(client, uri, diag, only=None):
    return await client.text_document_code_action_async(T.CodeActionParams(
        text_document=T.TextDocumentIdentifier(uri=uri), range=diag.range,
        context=T.CodeActionContext(diagnostics=[diag], only=only)))


@pytest.mark.asyncio(loop_scope="module")
async def test_quick_fix_applies_and_relints_clean(client):
    uri = open_doc(client, client.root / "e.md", PM)
    diags = await wait_for(client, uri, lambda d: by_rule(d, "failure-verb-person"))
    d = by_rule(diags, "failure-verb-person")[0]
    actions = await actions_for(client, uri, d)
    preferred = [a for a in actions if a.is_preferred and a.diagnostics[0].code == "failure-verb-person"]
    assert preferred, [a.title for a in actions]
    edits = preferred[0].edit.document_changes[0].edits
    fixed = apply(PM, edits)
    assert "The TLS certificate was not renewed." in fixed
    client.text_document_did_change(T.DidChangeTextDocumentParams(
        text_document=T.VersionedTextDocumentIdentifier(uri=uri, version=2),
        content_changes=[T.TextDocumentContentChangeWholeDocument(text=fixed)]))
    diags = await wait_for(client, uri, lambda d: not by_rule(d, "failure-verb-person"))
    assert not by_rule(diags, "failure-verb-person")


@pytest.mark.asyncio(loop_scope="module")
async def test_the_sentence_rewrite_is_preferred_by_every_diagnostic_of_the_sentence(client):
    text = "# Review\n\nFrankly, the intern rebooted the primary and never checked the replicas.\n"
    uri = open_doc(client, client.root / "s.md", text)
    diags = await wait_for(client, uri, lambda d: by_rule(d, "failure-verb-person"))
    on_line = [d for d in diags if d.range.start.line == 2]
    preferred = []
    for d in on_line:
        actions = await actions_for(client, uri, d)
        preferred += [a for a in actions if a.is_preferred and a.diagnostics[0].code == d.code]
    assert preferred and all(a.title.startswith("Rewrite the sentence as") for a in preferred)
    fixed = apply(text, preferred[0].edit.document_changes[0].edits)
    assert fixed.endswith("The primary was rebooted and the replicas were never checked.\n")
    client.text_document_did_change(T.DidChangeTextDocumentParams(
        text_document=T.VersionedTextDocumentIdentifier(uri=uri, version=2),
        content_changes=[T.TextDocumentContentChangeWholeDocument(text=fixed)]))
    diags = await wait_for(client, uri, lambda d: not by_rule(d, "failure-verb-person"))
    assert not [d for d in diags if d.range.start.line == 2]


@pytest.mark.asyncio(loop_scope="module")
async def test_disable_on_this_line_action(client):
    uri = open_doc(client, client.root / "f.md", PM)
    diags = await wait_for(client, uri, lambda d: by_rule(d, "hindsight-adverb"))
    d = by_rule(diags, "hindsight-adverb")[0]
    actions = await actions_for(client, uri, d)
    disable = next(a for a in actions if a.title == "Disable hindsight-adverb on this line")
    fixed = apply(PM, disable.edit.document_changes[0].edits)
    assert "Obviously the cache was stale. <!-- blamelint-disable-line hindsight-adverb -->" in fixed
    client.text_document_did_change(T.DidChangeTextDocumentParams(
        text_document=T.VersionedTextDocumentIdentifier(uri=uri, version=2),
        content_changes=[T.TextDocumentContentChangeWholeDocument(text=fixed)]))
    await wait_for(client, uri, lambda d: not by_rule(d, "hindsight-adverb") and by_rule(d, "human-error"))


@pytest.mark.asyncio(loop_scope="module")
async def test_fix_all_source_action(client):
    uri = open_doc(client, client.root / "g.md", PM)
    diags = await wait_for(client, uri, lambda d: by_rule(d, "human-error"))
    actions = await actions_for(client, uri, diags[0], only=["source.fixAll.blamelint"])
    assert [a.kind for a in actions] == ["source.fixAll.blamelint"]
    fixed = apply(PM, actions[0].edit.document_changes[0].edits)
    assert "Obviously" not in fixed and "human error" not in fixed
    assert fixed.startswith("# Outage\n\n✅ 😀 ")


@pytest.mark.asyncio(loop_scope="module")
async def test_allowlist_action_creates_config(client):
    sub = client.root / "names"
    sub.mkdir()
    text = "# Outage\n\nAt 14:02, Ingrid paged the database team.\n"
    uri = open_doc(client, sub / "h.md", text)
    diags = await wait_for(client, uri, lambda d: by_rule(d, "named-individual"))
    actions = await actions_for(client, uri, by_rule(diags, "named-individual")[0])
    allow = next(a for a in actions if a.title.startswith("Add “Ingrid” to the allowlist"))
    create, edit = allow.edit.document_changes
    assert isinstance(create, T.CreateFile) and create.uri.endswith("/.blamelint.yaml")
    (sub / ".blamelint.yaml").write_text(edit.edits[0].new_text)
    client.workspace_did_change_watched_files(T.DidChangeWatchedFilesParams(changes=[
        T.FileEvent(uri=(sub / ".blamelint.yaml").as_uri(), type=T.FileChangeType.Created)]))
    await wait_for(client, uri, lambda d: not by_rule(d, "named-individual"))


@pytest.mark.asyncio(loop_scope="module")
async def test_an_html_export_gets_diagnostics_but_no_edits_of_its_markup(client):
    text = ("<html><body><h1>Outage</h1><p>At 14:02, <b>Ingrid</b> forgot to renew the certificate.</p>"
            "<p>We need to be more careful.</p></body></html>")
    uri = open_doc(client, client.root / "export.html", text, language="html")
    diags = await wait_for(client, uri, lambda d: by_rule(d, "named-individual") and by_rule(d, "be-more-careful"))
    for d in diags:
        for action in await actions_for(client, uri, d):
            assert action.title.startswith("Add “Ingrid” to the allowlist")  # edits the config, not the export


@pytest.mark.asyncio(loop_scope="module")
async def test_hover_explains_the_rule(client):
    uri = open_doc(client, client.root / "i.md", PM)
    diags = await wait_for(client, uri, lambda d: by_rule(d, "human-error"))
    d = by_rule(diags, "human-error")[0]
    hover = await client.text_document_hover_async(T.HoverParams(
        text_document=T.TextDocumentIdentifier(uri=uri), position=d.range.start))
    value = hover.contents.value
    assert "human-error" in value and "✗" in value and "✓" in value and "https://" in value


def config_changed(client, path) -> None:
    client.workspace_did_change_watched_files(T.DidChangeWatchedFilesParams(changes=[
        T.FileEvent(uri=path.as_uri(), type=T.FileChangeType.Changed)]))


@pytest.mark.asyncio(loop_scope="module")
async def test_config_reload_and_bad_config_keeps_last_good(client):
    sub = client.root / "cfg"
    sub.mkdir()
    cfg = sub / ".blamelint.yaml"
    cfg.write_text("ignore: [human-error]\n")
    uri = open_doc(client, sub / "j.md", PM)
    await wait_for(client, uri, lambda d: by_rule(d, "hindsight-adverb") and not by_rule(d, "human-error"))
    cfg.write_text("ignore: [hindsight]\n")
    config_changed(client, cfg)
    await wait_for(client, uri, lambda d: by_rule(d, "human-error") and not by_rule(d, "hindsight-adverb"))
    cfg.write_text("colour: red\n")
    config_changed(client, cfg)
    for _ in range(200):
        if any("unknown key" in m.message for m in client.messages):
            break
        await asyncio.sleep(0.05)
    assert any("colour" in m.message and m.type == T.MessageType.Error for m in client.messages)
    # still linting with the last good config
    diags = await wait_for(client, uri, lambda d: by_rule(d, "human-error"))
    assert not by_rule(diags, "hindsight-adverb")


@pytest.mark.asyncio(loop_scope="module")
async def test_pyproject_settings_reload_and_offer_no_yaml_allowlist_edit(client):
    sub = client.root / "pyproject"
    sub.mkdir()
    cfg = sub / "pyproject.toml"
    cfg.write_text('[project]\nname = "pm"\n\n[tool.blamelint]\nignore = ["human-error"]\n')
    text = PM + "\nAt 14:02, Ingrid paged the database team.\n"
    uri = open_doc(client, sub / "p.md", text)
    diags = await wait_for(client, uri, lambda d: by_rule(d, "hindsight-adverb") and not by_rule(d, "human-error"))
    actions = await actions_for(client, uri, by_rule(diags, "named-individual")[0])
    assert not [a for a in actions if a.title.startswith("Add “Ingrid” to the allowlist")]  # TOML is not rewritten
    cfg.write_text('[project]\nname = "pm"\n\n[tool.blamelint]\nignore = ["hindsight"]\n')
    config_changed(client, cfg)
    await wait_for(client, uri, lambda d: by_rule(d, "human-error") and not by_rule(d, "hindsight-adverb"))


@pytest.mark.asyncio(loop_scope="module")
async def test_client_settings_disable_a_category(client):
    uri = open_doc(client, client.root / "k.md", PM)
    await wait_for(client, uri, lambda d: by_rule(d, "hindsight-adverb"))
    client.workspace_did_change_configuration(T.DidChangeConfigurationParams(
        settings={"blamelint": {"categories": {"hindsight": False}, "debounceMs": 20}}))
    await wait_for(client, uri, lambda d: not by_rule(d, "hindsight-adverb") and by_rule(d, "human-error"))
    client.workspace_did_change_configuration(T.DidChangeConfigurationParams(
        settings={"blamelint": {"debounceMs": 20, "profile": "nonsense"}}))
    for _ in range(100):
        if any("profile" in m.message for m in client.messages):
            break
        await asyncio.sleep(0.05)
    assert any("'profile'" in m.message for m in client.messages)
    await wait_for(client, uri, lambda d: by_rule(d, "hindsight-adverb"))


@pytest.mark.asyncio(loop_scope="module")
async def test_rule_that_raises_is_logged_and_others_still_run(client):
    sub = client.root / "broken"
    (sub / "packs").mkdir(parents=True)
    (sub / "packs" / "p.yaml").write_text(
        "rules:\n  - id: exploding\n    category: blame\n    severity: warning\n    title: t\n    message: m\n"
        "    why: w\n    check: exploding\n    suggestions: [{title: s}]\n"
        "    examples: {bad: [a, b], good: [c, d]}\n")
    (sub / "boom.py").write_text(
        "from blamelint.detectors import detector\n\n"
        "@detector('exploding')\ndef exploding(rule, analysis):\n    raise RuntimeError('kaboom')\n")
    (sub / ".blamelint.yaml").write_text("rule_paths: [packs]\nplugins: [boom.py]\n")
    uri = open_doc(client, sub / "l.md", PM)
    diags = await wait_for(client, uri, lambda d: by_rule(d, "human-error"))
    assert by_rule(diags, "human-error")
    for _ in range(100):
        if any("kaboom" in m.message for m in client.log_messages):
            break
        await asyncio.sleep(0.05)
    assert any("rule 'exploding' failed: RuntimeError: kaboom" in m.message for m in client.log_messages)


@pytest.mark.asyncio(loop_scope="module")
async def test_requests_for_a_closed_document(client):
    uri = open_doc(client, client.root / "m.md", PM)
    await wait_for(client, uri, lambda d: by_rule(d, "human-error"))
    client.text_document_did_close(T.DidCloseTextDocumentParams(text_document=T.TextDocumentIdentifier(uri=uri)))
    await wait_for(client, uri, lambda d: list(d) == [])
    hover = await client.text_document_hover_async(T.HoverParams(
        text_document=T.TextDocumentIdentifier(uri=uri), position=T.Position(line=2, character=25)))
    assert hover is None
    actions = await client.text_document_code_action_async(T.CodeActionParams(
        text_document=T.TextDocumentIdentifier(uri=uri),
        range=T.Range(start=T.Position(line=0, character=0), end=T.Position(line=0, character=1)),
        context=T.CodeActionContext(diagnostics=[])))
    assert not actions
    report = await client.text_document_diagnostic_async(T.DocumentDiagnosticParams(
        text_document=T.TextDocumentIdentifier(uri=uri)))
    assert list(report.items) == []


@pytest.mark.asyncio(loop_scope="module")
async def test_plain_text_and_crlf(client):
    text = "Obviously the cache was stale.\r\nIt was human error.\r\n"
    uri = open_doc(client, client.root / "n.txt", text, language="plaintext")
    diags = await wait_for(client, uri, lambda d: by_rule(d, "human-error"))
    d = by_rule(diags, "human-error")[0]
    assert (d.range.start.line, d.range.start.character, d.range.end.character) == (1, 7, 18)


@pytest.mark.parametrize("encoding,character", [("utf-8", 14), ("utf-16", 9), ("utf-32", 8)])
def test_allowlist_edit_replaces_the_whole_config_in_the_negotiated_encoding(tmp_path, encoding, character):
    from blamelint.findings import Finding
    from blamelint.server.actions import allow_name_action

    config = tmp_path / ".blamelint.yaml"
    config.write_text("# équipe 😀\n# Zoë ☕😀", encoding="utf-8")  # last line: 8 code points, 9 UTF-16 units, 14 bytes
    f = Finding(rule="named-individual", category="named-individual", severity="warning", message="m",
                start=0, end=6, fixes=[], confidence=1.0, text="Ingrid")
    diag = T.Diagnostic(range=T.Range(start=T.Position(line=0, character=0), end=T.Position(line=0, character=6)),
                        message="m")
    action = allow_name_action((tmp_path / "pm.md").as_uri(), f, diag, encoding)
    (edit,) = action.edit.document_changes[0].edits
    assert edit.range.start == T.Position(line=0, character=0)
    assert edit.range.end == T.Position(line=1, character=character)
    assert "Ingrid" in edit.new_text and "équipe" in edit.new_text
