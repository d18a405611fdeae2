"""The engine: Document → Analysis → Rules → Findings → filters.

`lint(text, path, config)` is the one entry point the front ends and tests call.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass, field

from blamelint import document as document_mod
from blamelint.analysis import matchers, triggers
from blamelint.analysis.context import GUARDS, READERS_RE, WRITERS_WHY_RE
from blamelint.analysis.judge import Judge
from blamelint.analysis.matchers import MatcherSet
from blamelint.analysis.nlp import Analyzer, piece_starts, pieces
from blamelint.analysis.state import state
from blamelint.config import Config
from blamelint.detectors import DETECTORS, load_plugin
from blamelint.detectors.judge import reconcile
from blamelint.errors import ConfigError, RulePackError
from blamelint.findings import CATEGORIES, SEVERITY_RANK, FileResult, Finding, Fix, merge_related
from blamelint.fixes import apply_safe_fixes
from blamelint.rewrite import REWRITERS, render_fixes
from blamelint.rules import Rule, RuleSet, check_names, fill, load_rules
from blamelint.sentence_rewrite import add_sentence_rewrites

QUOTE_RE = re.compile(r'"[^"\n]{2,}?"|“[^”\n]{2,}?”')


@dataclass
class Unit:
    """One prose block and its spaCy Doc."""

    block: object  # document.Block
    doc: object  # spacy.tokens.Doc
    rules: set[str] | None = None  # the data rules the first pass says could match here (None: all)
    analyzer: object = field(default=None, repr=False)  # blamelint.analysis.nlp.Analyzer, for `analysed`
    memo_base: tuple | None = field(default=None, repr=False)  # see `Analysis._memo_key`

    def analysed(self):
        """The block's Doc with every sentence tagged, parsed and given entities, as exhaustive mode
        has it: `doc` when the first pass asked for all that, else parsed now (and cached). For a
        detector that reads the model's output only in rare cases its trigger cannot foresee."""
        if self.analyzer is None or state(self.doc).ner:
            return self.doc
        return self.analyzer.docs([self.block.text])[0]

    def analysed_at(self, a: int, b: int):
        """`analysed()` for a reader of prose [a, b) alone: the sentences (pieces) it overlaps are
        tagged, parsed and given entities as in `analysed()`; the others may keep their tokens
        alone (the whole Doc when it is at hand)."""
        text = self.block.text
        if self.analyzer is None or state(self.doc).ner:
            return self.doc
        whole = self.analyzer.cache.peek(text)
        if whole is not None and state(whole).ner:
            return whole
        starts = piece_starts(text)
        first = max(bisect_right(starts, a) - 1, 0)
        last = max(bisect_right(starts, max(b - 1, a)) - 1, first)
        wanted = frozenset(range(first, last + 1))
        return self.analyzer.docs([text], plan={text: (wanted, wanted)})[0]

    @property
    def section_kinds(self) -> set[str]:
        return self.block.section_kinds


@dataclass
class Analysis:
    """What a detector sees: the document, its analysed prose and the settings."""

    document: object
    config: Config
    ruleset: RuleSet
    units: list[Unit]
    nlp: object = None
    problems: list[str] = field(default_factory=list)
    analyzer: object = None  # blamelint.analysis.nlp.Analyzer: cached, lemma-normalised Docs for extra texts
    compile_matchers: Callable | None = field(default=None, repr=False)  # makes `matchers` when first read
    first: object = None  # blamelint.analysis.triggers.FirstPass: every prose block, tokenized only
    views: dict | None = None  # detector name → the units its trigger chose (None: every unit)

    all_units: list[Unit] = field(default_factory=list)
    exhaustive: bool = False  # the model reads everything (`check --exhaustive`): no detector skips it
    keep: bool = True  # memo findings for a later lint of an edited text (not in a batch run)
    facts: dict = field(default_factory=dict)  # detectors' document-wide facts, by (owner, what): see `fact`
    judge: object = None  # blamelint.analysis.judge.Judge: the sentence classifier (None: no `check: judge` rule)
    _matchers: object = field(default=None, repr=False)

    @property
    def matchers(self):
        """The data rules' blamelint.analysis.matchers.MatcherSet (it loads the model), or None."""
        if self._matchers is None and self.compile_matchers is not None:
            self._matchers = self.compile_matchers()
        return self._matchers

    def fact(self, key: tuple, make: Callable):
        """`make()`, worked out once per lint and kept under key (a tuple naming its owner first)."""
        found = self.facts.get(key)
        if found is None:
            found = self.facts[key] = make()
        return found

    def view(self, detector: str) -> list[Unit]:
        """The analysed units a detector looks at: those its trigger chose (all in exhaustive mode)."""
        if self.views is None or detector not in self.views:
            return self.all_units
        return self.views[detector]

    def memo(self, key, unit: Unit, compute) -> list[Finding]:
        """A detector's findings in one unit, computed once per (the block's source, kind and
        sections, the Doc's entities, `key`) and kept on the unit's Doc, which is cached per text:
        an edit elsewhere costs a lookup. `key` must hold every document-wide fact `compute` reads."""
        found = self.memo_get(key, unit)
        if found is None:
            found = list(compute())
            self.memo_put(key, unit, found)
        return found

    def memo_get(self, key, unit: Unit) -> list[Finding] | None:
        """What `memo_put` kept for unit under key (copies, moved to where the block is now), or None."""
        hit = state(unit.doc).findings.get(self._memo_key(key, unit)) if self.keep else None
        if hit is None:
            return None
        base, found = hit
        return [f.shifted(unit.block.start - base) for f in found]  # copies: the filters change findings

    def memo_put(self, key, unit: Unit, found: list[Finding]) -> None:
        if self.keep:
            state(unit.doc).findings[self._memo_key(key, unit)] = (unit.block.start, [f.shifted(0) for f in found])

    def forget(self, key, unit: Unit) -> None:
        """Drop what `memo` kept for unit under key (a result that must not be reused)."""
        state(unit.doc).findings.pop(self._memo_key(key, unit), None)

    def _memo_key(self, key, unit: Unit) -> tuple:
        base = unit.memo_base
        if base is None:  # what every detector's key shares, once per unit and lint
            block = unit.block
            base = unit.memo_base = (
                self.document.source[block.start:block.end], block.kind,
                frozenset(unit.section_kinds), state(unit.doc).ner)
        return (base, key)

    def finding(self, rule: Rule, unit: Unit, a: int, b: int, *, message_vars=None, fixes=None,
                confidence=None, message=None) -> Finding:
        """A finding for prose span [a, b) of unit, with the rule's suggestions rendered as fixes."""
        start, end = unit.block.source_span(a, b)
        matched = unit.block.text[a:b]
        variables = {"match": matched, "Match": matched[:1].upper() + matched[1:]}
        variables.update(message_vars or {})
        if fixes is None:
            fixes = render_fixes(rule, unit, a, b, self.document, variables)
        text = message or rule.message
        return Finding(
            rule=rule.id,
            category=rule.category,
            severity=rule.severity,
            message=fill(text, variables),
            start=start,
            end=end,
            fixes=fixes,
            confidence=rule.confidence if confidence is None else confidence,
            text=self.document.source[start:end],
        )




class Linter:
    """Holds a rule set compiled for one config and the pipeline; lints documents."""

    def __init__(self, config: Config | None = None, analyzer: Analyzer | None = None):
        self.config = config or Config()
        for plugin in self.config.plugins:
            load_plugin(plugin)
        self.ruleset = load_rules(self.config.rule_paths)
        check_names(self.ruleset.rules, DETECTORS, REWRITERS, GUARDS)
        self._check_rule_names()
        self.analyzer = analyzer or Analyzer(self.config.model)
        self.judge = Judge() if any(r.check == "judge" for r in self.rules) else None
        self._matchers = None

    def _check_rule_names(self) -> None:
        """Unknown ids in select/ignore/severity are a config error, with a suggestion."""
        import difflib


        known = [r.id for r in self.ruleset.rules] + list(CATEGORIES)
        where = self.config.path or "command line"
        for name in self.config.select + self.config.ignore + list(self.config.severity):
            if name not in known:
                close = difflib.get_close_matches(name, known, n=1)
                hint = f" (did you mean {close[0]}?)" if close else "; see `blamelint rules`"
                raise ConfigError(f"{where}: unknown rule or category '{name}'{hint}")

    @property
    def rules(self) -> list[Rule]:
        return [r for r in self.ruleset.rules if self.config.rule_enabled(r.id, r.category, r.preview)]

    def prepare(self) -> None:
        """Build everything that must outlive one document (matchers, first-pass indexes), so
        nothing lasting is made inside a memory zone."""
        matchers = self._compile()
        matchers.prepare()
        triggers.prepare([r for r in self.rules if not r.check and r.match], self.analyzer.nlp)
        triggers.prepare([r for r in self.ruleset.rules if not r.check and r.match], self.analyzer.nlp)  # follow-ups

    def _compile(self):
        if self._matchers is None:
            self._matchers = MatcherSet([r for r in self.ruleset.rules if r.match], self.analyzer.nlp)
        return self._matchers

    def lint_text(self, text: str, path: str | None = None, exhaustive: bool = False,
                  once: bool = False) -> FileResult:
        """Lint one text; `once`: it will not be linted again (a batch run), so nothing is kept
        for a later edit of it (the Markdown is parsed whole, not in cached chunks)."""
        doc = document_mod.parse(text, path=path, section_kinds=self.config.template.get("sections"),
                                 chunked=not once)
        return self.lint_document(doc, path or "-", exhaustive=exhaustive, once=once)

    def lint_document(self, doc, path: str = "-", exhaustive: bool = False, once: bool = False) -> FileResult:
        result = FileResult(path=path, document=doc)
        if doc.front_matter_error:
            result.problems.append(f"{path}: {doc.front_matter_error}")
        if any(d.kind == "disable-file" and not d.rules for d in doc.directives):
            return result
        rules = self.rules
        blocks = [b for b in doc.blocks if b.text.strip()]
        analysis = self._analyse(doc, blocks, rules, exhaustive)
        analysis.keep = not once
        units = analysis.units
        findings: list[Finding] = []
        data_rules = [r for r in rules if not r.check]
        if data_rules and any(u.rules is None or u.rules for u in units):
            found, failed = matchers.run_all(data_rules, analysis.matchers, analysis)
            findings.extend(found)
            for rule_id, exc in failed.items():
                result.problems.append(f"{path}: rule '{rule_id}' failed: {type(exc).__name__}: {exc}")
        for rule in rules:
            if not rule.check:
                continue
            try:
                analysis.units = analysis.view(rule.check)
                found = list(DETECTORS[rule.check].fn(rule, analysis))
                size = len(doc.source)
                wrong = [f for f in found if not isinstance(f, Finding) or not 0 <= f.start <= f.end <= size]
                if wrong:  # a plugin's bug: as if it had raised
                    raise TypeError(f"gave {wrong[0]!r:.80}, not a Finding inside the text")
            except RulePackError:
                raise
            except Exception as exc:  # a broken rule must not take the others down
                result.problems.append(f"{path}: rule '{rule.id}' failed: {type(exc).__name__}: {exc}")
                continue
            findings.extend(found)
        analysis.units = units
        result.problems.extend(analysis.problems)
        findings = reconcile(findings, analysis, {r.id for r in rules if r.check == "judge"})
        result.findings = self._filter(findings, doc, analysis)
        try:
            result.findings = add_sentence_rewrites(result.findings, doc, self._unit_finder(analysis))
        except Exception as exc:  # a rewrite's bug must not take the findings down: they keep their own fixes
            result.problems.append(f"{path}: the sentence rewrite failed: {type(exc).__name__}: {exc}")
        if doc.kind == "html":  # an export is not the source: its rewrites stay advice, with no edits
            for f in result.findings:
                f.fixes = [Fix(x.title) for x in f.fixes]
        return result

    def _unit_finder(self, analysis: Analysis):
        """block → its analysed Unit (one made now for a block the first pass did not parse)."""
        units = {id(u.block): u for u in analysis.all_units}

        def unit_for(block):
            unit = units.get(id(block))
            if unit is None:
                unit = units[id(block)] = Unit(block, self.analyzer.tokens([block.text])[0], None, self.analyzer)
            return unit
        return unit_for

    def _analyse(self, doc, blocks, rules, exhaustive: bool) -> Analysis:
        """Run the first pass, then the model on the blocks that need it (all of them if exhaustive)."""
        analysis = Analysis(doc, self.config, self.ruleset, [], analyzer=self.analyzer, exhaustive=exhaustive,
                            judge=self.judge)
        if not blocks or not rules:
            return analysis

        texts = [b.text for b in blocks]
        first = triggers.first_pass(doc, blocks, self.analyzer.tokens(texts), self.config, self.ruleset,
                                    self.analyzer.light)
        analysis.first = first
        if exhaustive:
            every = set(range(len(blocks)))
            selection = triggers.Selection(core=every, ner=every, views={})
        else:
            selection = triggers.select(first, rules, DETECTORS)
        if not selection.core:
            return analysis
        chosen = sorted(selection.core)
        plan = _text_plan(texts, selection)
        docs = self.analyzer.docs([texts[i] for i in chosen], ner={texts[i] for i in selection.ner}, plan=plan)
        by_index = {i: Unit(blocks[i], d, None if exhaustive else selection.rules.get(i, set()), self.analyzer)
                    for i, d in zip(chosen, docs, strict=True)}
        analysis.units = analysis.all_units = list(by_index.values())
        analysis.views = {name: [by_index[i] for i in sorted(ids)] for name, ids in selection.views.items()}
        analysis.nlp = self.analyzer.light  # the model, if the selection needed it
        analysis.compile_matchers = self._compile
        return analysis

    def _filter(self, findings: list[Finding], doc, analysis: Analysis) -> list[Finding]:
        cfg = self.config
        allow_terms = {t.lower() for t in cfg.allow_terms}
        suppressed = Suppressions(doc)
        quotes = Quotes(doc) if cfg.quotes != "check" else None
        out: dict[tuple, Finding] = {}
        for f in findings:
            f.severity = cfg.severity_for(f.rule, f.category, f.severity)
            if f.confidence < cfg.min_confidence:
                continue
            if f.text.lower().strip() in allow_terms:
                continue
            if quotes is not None and quotes.cover(f):
                continue
            if suppressed.covers(f):
                continue
            key = (f.rule, f.start, f.end)
            if key not in out or SEVERITY_RANK[f.severity] > SEVERITY_RANK[out[key].severity]:
                out[key] = f
        return sorted(merge_related(list(out.values())), key=Finding.sort_key)


def _text_plan(texts: list[str], selection) -> dict[str, tuple[frozenset, frozenset]]:
    """The selection's plan by text: blocks with the same text share one Doc, so their wishes
    are joined (and a text some block wants whole, with entities or not, is parsed whole)."""
    plan: dict[str, tuple[frozenset, frozenset]] = {}
    for i, (parse, ents) in selection.plan.items():
        have = plan.get(texts[i])
        plan[texts[i]] = (parse, ents) if have is None else (have[0] | parse, have[1] | ents)
    for i in selection.core:
        t = texts[i]
        if i in selection.plan or t not in plan:
            continue
        if i in selection.ner or not plan[t][1]:
            del plan[t]
        else:
            plan[t] = (frozenset(range(len(pieces(t)))), plan[t][1])
    return plan


class Quotes:
    """Quoted speech, chat excerpts, blockquotes and readers' questions of one document: evidence,
    not the author's framing."""

    def __init__(self, doc):
        self.doc = doc
        self.starts = [b.start for b in doc.blocks]
        self.spans: dict[int, list[tuple[int, int]]] = {}  # block index → source spans of its quotes

    def cover(self, f: Finding) -> bool:
        blocks = self.doc.blocks
        # blocks are in source order and do not overlap: look only at those around the finding
        i = max(bisect_right(self.starts, f.start) - 2, 0)
        j = bisect_right(self.starts, f.end) + 1
        for k in range(i, min(j, len(blocks))):
            block = blocks[k]
            if block.start <= f.start < block.end or block.start < f.end <= block.end:
                if block.quoted or self._asked(block, f):
                    return True
                if k not in self.spans:
                    self.spans[k] = [block.source_span(m.start(), m.end()) for m in QUOTE_RE.finditer(block.text)]
                if any(qs <= f.start and f.end <= qe for qs, qe in self.spans[k]):
                    return True
        return False

    @staticmethod
    def _asked(block, f: Finding) -> bool:
        """A reader's question set in bold or italics on its own line, as FAQs set them ("**Does
        that mean we're unlikely to be affected?**" over its answer): the reader's words. Outside
        an FAQ section only a one-sentence question counts, not an emphasised passage ending in one."""
        lead = block.text[:block.emphasised_lead]
        if block.kind != "paragraph" or not lead.rstrip().endswith("?"):
            return False
        if f.end > block.source_span(0, len(lead))[1]:
            return False  # the answer, or the writer's text after the question
        title = block.section.title if block.section else ""
        if READERS_RE.search(title):
            return True
        # a Five Whys step set in bold ("**Why did the check not run?**") is the writer's analysis
        return not re.search(r"[.!]\s", lead) and not WRITERS_WHY_RE.match(lead)


class Suppressions:
    """Inline directives: disable/enable ranges, next-line, same-line and whole-file."""

    def __init__(self, doc):
        self.doc = doc
        self.file_rules: set[str] = set()
        self.line_rules: dict[int, list[set[str]]] = {}
        # (start, end, all disabled?, rules disabled, rules re-enabled) for each stretch of the text
        self.ranges: list[tuple[int, int, bool, frozenset, frozenset]] = []
        all_off, off, back_on, pos = False, set(), set(), 0
        for d in sorted(doc.directives, key=lambda d: d.start):
            rules = set(d.rules)
            if d.kind == "disable-file":
                self.file_rules |= rules or {"*"}
            elif d.kind == "disable-line":
                self.line_rules.setdefault(d.line, []).append(rules)
            elif d.kind == "disable-next-line":
                self.line_rules.setdefault(self._next_line(d.line), []).append(rules)
            elif d.kind in ("disable", "enable"):
                self.ranges.append((pos, d.start, all_off, frozenset(off), frozenset(back_on)))
                if d.kind == "disable" and not rules:
                    all_off, back_on = True, set()
                elif d.kind == "disable":
                    off |= rules
                    back_on -= rules
                elif not rules:
                    all_off, off, back_on = False, set(), set()
                else:
                    off -= rules
                    if all_off:
                        back_on |= rules
                pos = d.end
        self.ranges.append((pos, len(doc.source) + 1, all_off, frozenset(off), frozenset(back_on)))

    def _next_line(self, line: int) -> int:
        n = line + 1
        last = len(self.doc.line_starts)
        while n <= last and not self.doc.line_text(n).strip():
            n += 1
        return n

    @staticmethod
    def _names(f: Finding) -> set[str]:
        return {f.rule, f.category, "*"}

    def covers(self, f: Finding) -> bool:
        names = self._names(f)
        if self.file_rules & names:
            return True
        line = self.doc.position(f.start)[0]
        if any(not r or r & names for r in self.line_rules.get(line, [])):
            return True
        for start, end, all_off, off, back_on in self.ranges:
            if start <= f.start < end:
                return (all_off and not back_on & names) or bool(off & names)
        return False


_LINTERS: dict[tuple, Linter] = {}


def linter_for(config: Config | None) -> Linter:
    """One Linter per distinct config, sharing the loaded pipeline."""
    config = config or Config()
    key = config.key()
    if key not in _LINTERS:
        _LINTERS[key] = Linter(config)
    return _LINTERS[key]


def lint(text: str, path: str | None = None, config: Config | None = None) -> list[Finding]:
    return linter_for(config).lint_text(text, path).findings


def lint_result(text: str, path: str | None = None, config: Config | None = None) -> FileResult:
    return linter_for(config).lint_text(text, path)


MAX_FIX_PASSES = 10


def fix_text(linter: Linter, text: str, path: str | None = None, unsafe: bool = False) -> tuple[str, FileResult]:
    """Apply safe fixes (with `unsafe`, every finding's first edit) until none is left (at most
    MAX_FIX_PASSES); return the text and its final result. A leading BOM is kept: the findings'
    offsets are in the text without it."""
    bom = text[:1] == "\ufeff"
    text = text[1:] if bom else text
    result = linter.lint_text(text, path)
    fixed = 0
    for _ in range(MAX_FIX_PASSES):
        new_text, applied = apply_safe_fixes(text, result.findings, unsafe)
        if not applied or new_text == text:
            break
        text = new_text
        fixed += applied
        result = linter.lint_text(text, path)
    result.fixed = fixed
    return ("\ufeff" if bom else "") + text, result
