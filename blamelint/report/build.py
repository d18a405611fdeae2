"""Collect an archive, lint it through `blamelint.runner`, skip what is not a report, aggregate."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from blamelint import runner
from blamelint.cache import ResultCache, fingerprint
from blamelint.config import ConfigResolver
from blamelint.document import Document, parse
from blamelint.document.template import settings
from blamelint.engine import linter_for
from blamelint.errors import guarded
from blamelint.findings import internal_message
from blamelint.limits import MAX_BYTES
from blamelint.report import aggregate, facts
from blamelint.report.gitdates import first_commit_dates

NOT_A_POSTMORTEM = "not a post-mortem (no template sections)"


@dataclass
class Report:
    data: dict  # the JSON model (docs/report-schema.json)
    docs: list[facts.DocFacts]  # with their parsed documents, for the HTML source excerpts
    problems: list[str] = field(default_factory=list)  # non-fatal: bad front matter, a rule that raised
    failed: list[tuple[str, str]] = field(default_factory=list)  # (path, internal error): blamelint bugs


def _content_key(text: str) -> str:
    """Same content: identical after dropping a BOM, line-end style and trailing whitespace."""
    norm = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    norm = "\n".join(line.rstrip() for line in norm.split("\n")).strip()
    return hashlib.sha256(norm.encode("utf-8", "surrogatepass")).hexdigest()


def _open_cache(use_cache: bool):
    if not use_cache:
        return None
    try:
        return ResultCache()
    except OSError:
        return None


def _sketch(text: str, shown: str, config, linter, cache) -> dict:
    """facts.sketch of the document, from the cache when this text, path and config were seen."""
    key = None
    if cache is not None:
        raw = f"report-sketch\0{fingerprint(linter, shown)}\0{shown}\0".encode() + text.encode("utf-8", "surrogatepass")
        key = hashlib.sha256(raw).hexdigest()
        found = cache.get_data(key)
        if isinstance(found, dict) and "postmortem" in found:
            return found
    owner_rule = linter.ruleset.by_id().get("followup-owner")
    owner_options = dict(owner_rule.options) if owner_rule is not None else {}
    doc = parse(text, path=shown, section_kinds=config.template.get("sections"))
    found = facts.sketch(doc, shown, config, owner_options, linter.analyzer)
    if key is not None:
        cache.put_data(key, found)
    return found


def _doc_facts(shown, text, sk, findings, cached, config, date, source, today) -> facts.DocFacts:
    return facts.DocFacts(
        path=shown,
        document=Document.plain(text, shown),  # positions and lines, for the findings
        findings=list(findings),
        title=sk["title"],
        words=sk["words"],
        date=date,
        date_source=source,
        severity=sk["severity"],
        impact_minutes=sk["impact_minutes"],
        tags=sk["tags"],
        inferred_tags=sk["inferred_tags"],
        required_sections=[str(k) for k in settings(config)["required_sections"]],
        present_sections=sk["present_sections"],
        followups=facts.followups_from(sk["items"], findings, today, date),
        cached=cached,
    )


def build_report(paths: Iterable[str], *, today: dt.date, period: str = "quarter", config_path: str | None = None,
                 model: str | None = None, jobs: int = 1, use_cache: bool = True,
                 max_bytes: int = MAX_BYTES, top: int = 10,
                 start: Callable[[int], None] | None = None, advance: Callable[[], None] | None = None) -> Report:
    """Lint every post-mortem under `paths` and aggregate. `start(n)` is called with the number of
    files to lint and `advance()` after each one (for a progress bar)."""
    paths = list(paths)
    overrides: dict = {"today": None}  # overdue comes from `today` here; the lint stays date-free (and cacheable)
    if model:
        overrides["model"] = model
    resolver = ConfigResolver(config_path, overrides)
    errors: list[tuple[str, str]] = []
    files = runner.collect(paths, errors)
    skipped: list[tuple[str, str]] = list(errors)
    failed: list[tuple[str, str]] = []

    def fail(shown: str, exc: Exception) -> None:  # one odd document must not take the report down
        failed.append((shown, internal_message(exc)))
        skipped.append((shown, internal_message(exc)))

    # 1. read, drop empty files, duplicates and documents that are not post-mortems (cheap: no spaCy;
    # a document's structure is cached with the lint results, so an unchanged file is not parsed again)
    cache = _open_cache(use_cache)
    seen: dict[str, str] = {}
    parsed: dict[str, tuple[str, dict]] = {}
    to_lint: list[Path] = []
    for f in files:
        shown = str(f)
        config = resolver.for_path(f)
        if shown not in paths and runner.excluded(f, config):
            skipped.append((shown, "excluded by the configuration (exclude:)"))
            continue
        text, error, _bom = runner.read_file(f, max_bytes)
        if error:
            skipped.append((shown, error))
            continue
        if not text.strip():
            skipped.append((shown, "empty file"))
            continue
        key = _content_key(text)
        if key in seen:
            skipped.append((shown, f"duplicate of {seen[key]}"))
            continue
        seen[key] = shown
        sketch = guarded(partial(_sketch, text, shown, config, linter_for(config), cache), partial(fail, shown))
        if sketch is None:
            continue
        if not sketch["postmortem"]:
            skipped.append((shown, NOT_A_POSTMORTEM))
            continue
        parsed[shown] = (text, sketch)
        to_lint.append(f)

    # 2. lint (worker processes, result cache)
    if start:
        start(len(to_lint))
    linted = []  # (file, shown, text, document, findings, cached, config)
    problems: list[str] = []
    for outcome in runner.lint_files(to_lint, resolver.for_path, jobs=jobs, cache=cache, max_bytes=max_bytes):
        if advance:
            advance()
        result = outcome.result
        if result is not None and result.internal:
            failed.append((outcome.shown, result.error))
        if outcome.error or result is None or result.error:
            skipped.append((outcome.shown, outcome.error or (result.error if result else None) or "could not be linted"))
            continue
        problems.extend(result.problems)
        text, sketch = parsed.get(outcome.shown, (None, None))
        config = resolver.for_path(outcome.file)
        if text != outcome.text:  # changed on disk since it was read: use what was linted
            text = outcome.text
            sketch = _sketch(text, outcome.shown, config, linter_for(config), cache)
        linted.append((outcome.file, outcome.shown, text, sketch, result.findings, outcome.cached, config))

    # 3. dates: the document's own, else the file's first commit (one git call per repository)
    own = {shown: (dt.date.fromisoformat(sk["date"]) if sk["date"] else None, sk["date_source"])
           for _, shown, _, sk, *_ in linted}
    undated = [file for file, shown, *_ in linted if own[shown][0] is None and file is not None]
    git = first_commit_dates(undated) if undated else {}

    # 4. per-document facts
    docs: list[facts.DocFacts] = []
    for file, shown, text, sk, findings, cached, config in linted:
        date, source = own[shown]
        if date is None and file in git:
            date, source = git[file], "git"
        fact = guarded(partial(_doc_facts, shown, text, sk, findings, cached, config, date, source, today),
                       partial(fail, shown))
        if fact is None:
            continue
        docs.append(fact)
    data = aggregate.build(docs, skipped, today=today, period=period, top=top)
    return Report(data, docs, problems, failed)
