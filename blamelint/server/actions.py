"""Code actions from a lint result: each finding's fixes as quick fixes (the rewrite of the
whole sentence preferred, else the first safe one), "disable on this line", "add the name to the allowlist", and one source action
that applies every safe fix in the file."""

from __future__ import annotations

from pathlib import Path

from lsprotocol import types as T
from pygls.uris import to_fs_path

from blamelint.allowlist import add_name
from blamelint.config import CONFIG_NAMES, PYPROJECT, Config, find
from blamelint.document import Document
from blamelint.engine import fix_text, linter_for
from blamelint.errors import BlamelintError
from blamelint.findings import FileResult, Finding
from blamelint.sentence_rewrite import TITLE_PREFIX as SENTENCE_TITLE
from blamelint.server.convert import diagnostic, lsp_position, lsp_range, source_offset

FIX_ALL = "source.fixAll.blamelint"
KINDS = [T.CodeActionKind.QuickFix, T.CodeActionKind.SourceFixAll, FIX_ALL]


def code_actions(params: T.CodeActionParams, result: FileResult, config: Config, version: int | None,
                 encoding: str) -> list[T.CodeAction]:
    """The actions for the params' range and kinds, from the result of linting that version. An
    HTML export gets no edits of its own (its prose is not its source): the allowlist action only."""
    uri, doc, only = params.text_document.uri, result.document, params.context.only
    editable = doc.kind != "html"
    actions: list[T.CodeAction] = []
    wants_quickfix = not only or any(k.startswith(T.CodeActionKind.QuickFix) for k in only)
    wants_fix_all = not only or any(FIX_ALL.startswith(k) or k.startswith(FIX_ALL) for k in only)
    if wants_quickfix:
        start = source_offset(doc, params.range.start, encoding)
        end = source_offset(doc, params.range.end, encoding)
        for f in result.findings:
            if f.start <= end and start <= f.end:
                actions.extend(finding_actions(uri, version, doc, f, encoding, editable))
    if wants_fix_all and editable:
        action = fix_all(uri, version, result, config, encoding)
        if action is not None:
            actions.append(action)
    return actions


def workspace_edit(uri: str, version: int | None, edits: list[T.TextEdit]) -> T.WorkspaceEdit:
    return T.WorkspaceEdit(document_changes=[T.TextDocumentEdit(
        text_document=T.OptionalVersionedTextDocumentIdentifier(uri=uri, version=version), edits=edits)])


def finding_actions(uri: str, version: int | None, doc: Document, f: Finding, encoding: str,
                    editable: bool = True) -> list[T.CodeAction]:
    diag = diagnostic(f, doc, None, encoding)
    out: list[T.CodeAction] = []
    if not editable:
        action = allow_name_action(uri, f, diag, encoding) if f.category == "named-individual" else None
        return [action] if action is not None else []
    # the rewrite of the whole sentence comes first; else the first safe fix
    first_safe = 0 if f.fixes and f.fixes[0].edits and f.fixes[0].title.startswith(SENTENCE_TITLE) else next(
        (i for i, x in enumerate(f.fixes) if x.safe and x.edits), None)
    for i, fix in enumerate(f.fixes):
        if not fix.edits:
            continue
        edits = [T.TextEdit(range=lsp_range(doc, e.start, e.end, encoding), new_text=e.new_text) for e in fix.edits]
        out.append(T.CodeAction(title=fix.title, kind=T.CodeActionKind.QuickFix, diagnostics=[diag],
                                edit=workspace_edit(uri, version, edits), is_preferred=(i == first_safe)))
    # Disable the rule on this line: a comment at the end of the finding's first line.
    line = doc.position(f.start)[0]
    end_of_line = doc.line_starts[line - 1] + len(doc.line_text(line))
    comment = f" <!-- blamelint-disable-line {f.rule} -->"
    out.append(T.CodeAction(
        title=f"Disable {f.rule} on this line", kind=T.CodeActionKind.QuickFix, diagnostics=[diag],
        edit=workspace_edit(uri, version, [T.TextEdit(range=lsp_range(doc, end_of_line, end_of_line, encoding),
                                                      new_text=comment)])))
    if f.category == "named-individual":
        action = allow_name_action(uri, f, diag, encoding)
        if action is not None:
            out.append(action)
    return out


def fix_all(uri: str, version: int | None, result: FileResult, config: Config, encoding: str) -> T.CodeAction | None:
    """Every safe fix in the file, applied until none is left, as one minimal edit."""
    doc = result.document
    if not any(x.safe and x.edits for f in result.findings for x in f.fixes):
        return None
    new_text, _ = fix_text(linter_for(config), doc.source, result.path)
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
    edit = T.TextEdit(range=lsp_range(doc, start, end_old, encoding), new_text=new_text[start:end_new])
    return T.CodeAction(title="Fix all safe blamelint problems", kind=FIX_ALL,
                        edit=workspace_edit(uri, version, [edit]))


def allow_name_action(uri: str, f: Finding, diag: T.Diagnostic, encoding: str) -> T.CodeAction | None:
    """Add the name to `allow.names` in the nearest .blamelint.yaml (created next to the file if none)."""
    path = to_fs_path(uri) if uri.startswith("file:") else None
    if not path:
        return None
    name = f.text.lstrip("@").strip()
    try:
        found = find(path)
    except BlamelintError:
        return None
    if found is not None and found.name == PYPROJECT:
        return None  # a TOML table is the writer's to edit: the action would rewrite YAML only
    target = Path(found) if found else Path(path).parent / CONFIG_NAMES[0]
    existing = target.read_text(encoding="utf-8") if target.exists() else None
    new = add_name(existing, name)
    if new is None:
        return None
    target_uri = target.resolve().as_uri()
    start = T.Position(line=0, character=0)
    if existing is None:
        changes = [T.CreateFile(uri=target_uri, options=T.CreateFileOptions(ignore_if_exists=True)),
                   T.TextDocumentEdit(text_document=T.OptionalVersionedTextDocumentIdentifier(uri=target_uri, version=None),
                                      edits=[T.TextEdit(range=T.Range(start=start, end=start), new_text=new)])]
    else:
        end = lsp_position(Document.plain(existing, str(target)), len(existing), encoding)  # the whole file
        changes = [T.TextDocumentEdit(text_document=T.OptionalVersionedTextDocumentIdentifier(uri=target_uri, version=None),
                                      edits=[T.TextEdit(range=T.Range(start=start, end=end), new_text=new)])]
    return T.CodeAction(title=f"Add “{name}” to the allowlist in {target.name}", kind=T.CodeActionKind.QuickFix,
                        diagnostics=[diag], edit=T.WorkspaceEdit(document_changes=changes))
