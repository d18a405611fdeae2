"""Compile data rules into spaCy matchers and run them over analysed prose.

All data rules of a rule set share one Matcher, one DependencyMatcher and one PhraseMatcher
per attribute, so each prose text is matched once; the matches are kept on the (cached) Doc,
so an unchanged paragraph is never matched again.
"""

from __future__ import annotations

from blamelint.analysis.context import guarded
from blamelint.analysis.nlp import lower_lemmas
from blamelint.analysis.state import state
from blamelint.errors import RulePackError
from blamelint.rules import Rule


def _lower(value):
    if isinstance(value, str):
        return value.lower()
    if isinstance(value, dict):
        return {k: _lower(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_lower(v) for v in value]
    return value


def _caseless_lemmas(token: dict) -> dict:
    """Lemma values in lower case: the analyzer lower-cases every lemma (a capitalised
    imperative such as "Communicate …" is often tagged PROPN and keeps its capital)."""
    if "LEMMA" not in token:
        return token
    return {**token, "LEMMA": _lower(token["LEMMA"])}


def _invalid(rule: Rule, exc: Exception) -> RulePackError:
    lines = [x.strip() for x in str(exc).strip().splitlines() if x.strip()]
    detail = "; ".join(x.lstrip("- ") for x in lines if x.startswith("- [")) or (lines[0] if lines else "")
    return RulePackError(f"{rule.source}: rule '{rule.id}', field 'match': invalid pattern: {detail}")


class MatcherSet:
    """The compiled matchers of every data rule in a rule set.

    `matches(doc)` runs every rule through one shared Matcher, DependencyMatcher and PhraseMatcher;
    `matches(doc, ids)` runs only the named rules (those the first pass says could match), each
    with its own small matcher built on first use.
    """

    def __init__(self, rules: list[Rule], nlp):
        from spacy.matcher import DependencyMatcher, Matcher

        self.nlp = nlp
        self.vocab = nlp.vocab
        self.rules = {r.id: r for r in rules}
        self.tokens = Matcher(nlp.vocab, validate=True)
        self.deps = DependencyMatcher(nlp.vocab, validate=True)
        self.phrases: dict[str, object] = {}
        self.regex_rules = [r for r in rules if r.match and "regex" in r.match]
        self.single: dict[str, MatcherSet] = {}
        self.by_category: dict[frozenset, MatcherSet] = {}
        for rule in rules:
            self._add(rule)

    def _add(self, rule: Rule) -> None:
        from spacy.matcher import PhraseMatcher

        m = rule.match or {}
        nlp = self.nlp
        try:
            if "phrases" in m:
                attr = m.get("attr", "LOWER")
                if attr not in self.phrases:
                    self.phrases[attr] = PhraseMatcher(nlp.vocab, attr=attr)
                make = nlp if attr == "LEMMA" else nlp.make_doc
                docs = [make(p) for p in m["phrases"]]
                if attr == "LEMMA":
                    for d in docs:
                        lower_lemmas(d)
                self.phrases[attr].add(rule.id, docs)
            elif "patterns" in m:
                patterns = [[_caseless_lemmas(t) for t in p] for p in m["patterns"]]
                self.tokens.add(rule.id, patterns, greedy="LONGEST")
            elif "dependency" in m:
                for i, pattern in enumerate(m["dependency"]):
                    nodes = [{**n, "RIGHT_ATTRS": _caseless_lemmas(n.get("RIGHT_ATTRS", {}))} for n in pattern]
                    self.deps.add(f"{rule.id}#{i}", [nodes])
        except (ValueError, KeyError, TypeError) as exc:
            raise _invalid(rule, exc) from None

    def prepare(self) -> None:
        """Build every single-rule and category matcher now (they hold strings that must outlive a
        memory zone)."""
        if len(self.rules) > 1:
            for rule_id, rule in self.rules.items():
                if rule_id not in self.single:
                    self.single[rule_id] = MatcherSet([rule], self.nlp)
            for category in {r.category for r in self.rules.values()}:
                self._category(frozenset({category}))

    def category_matches(self, doc, categories: frozenset) -> dict[str, list[tuple[int, int]]]:
        """`matches` of the rules of some categories, through one matcher of their own."""
        return self._category(categories).matches(doc)

    def _category(self, categories: frozenset) -> MatcherSet:
        found = self.by_category.get(categories)
        if found is None:
            found = self.by_category[categories] = MatcherSet(
                [r for r in self.rules.values() if r.category in categories], self.nlp)
        return found

    def matches(self, doc, ids: set[str] | None = None) -> dict[str, list[tuple[int, int]]]:
        """Rule id → character spans in doc.text (all rules, or just `ids`), computed once per Doc."""
        kept = state(doc).matches
        found = kept.get(self)
        if found is not None:
            return found if ids is None else {i: found[i] for i in ids if i in found}
        if ids is None:
            found = kept[self] = self._run(doc)
            return found
        per_rule = kept.setdefault((self, "by rule"), {})
        out = {}
        for rule_id in ids:
            if rule_id not in per_rule:
                rule = self.rules.get(rule_id)
                if rule is None:
                    continue
                one = self.single.get(rule_id)
                if one is None:
                    one = self.single[rule_id] = MatcherSet([rule], self.nlp)
                per_rule[rule_id] = one._run(doc).get(rule_id)
            if per_rule[rule_id] is not None:
                out[rule_id] = per_rule[rule_id]
        return out

    def _run(self, doc) -> dict:
        found = {}
        strings = self.vocab.strings
        # a Doc the model read none of (the first pass chose none of its pieces) has no token
        # match: every match lies in pieces chosen for it (`triggers.RuleTrigger.pieces`)
        analysed = doc.has_annotation("LEMMA") or not len(doc)
        if len(self.tokens) and analysed:
            for match_id, start, end in self.tokens(doc):
                span = doc[start:end]
                found.setdefault(strings[match_id], []).append((span.start_char, span.end_char))
        for matcher in self.phrases.values() if analysed else ():
            for match_id, start, end in matcher(doc):
                span = doc[start:end]
                found.setdefault(strings[match_id], []).append((span.start_char, span.end_char))
        if len(self.deps) and analysed:
            for match_id, token_ids in self.deps(doc):
                first, last = doc[min(token_ids)], doc[max(token_ids)]
                rule_id = strings[match_id].split("#", 1)[0]
                found.setdefault(rule_id, []).append((first.idx, last.idx + len(last)))
        failed = {}
        for rule in self.regex_rules:
            group = rule.match.get("group", 0)
            try:
                for match in rule.compiled["regex"].finditer(doc.text):
                    if match.group(group) is not None:
                        found.setdefault(rule.id, []).append((match.start(group), match.end(group)))
            except Exception as exc:  # reported by this rule alone, see run_all()
                failed[rule.id] = exc
        found = {rule_id: _longest(spans) for rule_id, spans in found.items()}
        found.update(failed)
        return found


def in_scope(rule: Rule, unit) -> bool:
    return block_in_scope(rule, unit.block)


def block_in_scope(rule: Rule, block) -> bool:
    """Does the rule read this kind of block, in these sections (its `scope`, `sections`, `not_sections`)?"""
    if rule.scope and block.kind not in rule.scope:
        return False
    kinds = block.section_kinds
    if rule.sections and not kinds & set(rule.sections):
        return False
    if rule.not_sections and kinds & set(rule.not_sections):
        return False
    return True


def _longest(found: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Drop spans contained in or overlapping a longer earlier one."""
    found = sorted(set(found), key=lambda s: (s[0], -(s[1] - s[0])))
    out: list[tuple[int, int]] = []
    for a, b in found:
        if out and a < out[-1][1]:
            continue
        out.append((a, b))
    return out


def excluded(rule: Rule, text: str, a: int, b: int) -> bool:
    """`not_before` must not match the text right after the span, `not_after` the text before it,
    `not_within` the span itself."""
    after, before = rule.compiled.get("not_before"), rule.compiled.get("not_after")
    within = rule.compiled.get("not_within")
    if within and within.search(text, a, b):
        return True
    if after and after.match(text, b):
        return True
    if before and before.search(text[:a]):
        return True
    return False


def run_all(rules: list[Rule], matcher_set: MatcherSet, analysis) -> tuple[list, dict[str, Exception]]:
    """Findings of every data rule, matching each paragraph once; a rule that raises is reported alone.
    A paragraph's findings are kept on its Doc (they read nothing outside it) unless a rule failed."""
    by_id = {r.id: r for r in rules}
    findings, failed = [], {}
    rules_key = ("data", matcher_set, tuple(r.id for r in rules))
    for unit in analysis.units:
        before = len(failed)
        key = (rules_key, None if unit.rules is None else frozenset(unit.rules))
        findings += analysis.memo(key, unit, lambda unit=unit: _unit_findings(analysis, unit, by_id, matcher_set, failed))
        if len(failed) > before:
            analysis.forget(key, unit)
    return findings, failed


def _unit_findings(analysis, unit, by_id: dict, matcher_set: MatcherSet, failed: dict) -> list:
    out = []
    for rule_id, found in matcher_set.matches(unit.doc, unit.rules).items():
        rule = by_id.get(rule_id)
        if rule is None or rule_id in failed:
            continue
        if isinstance(found, Exception):
            failed[rule_id] = found
            continue
        if not in_scope(rule, unit):
            continue
        unless = rule.match.get("unless") if rule.match else None
        try:
            for a, b in found:
                if excluded(rule, unit.block.text, a, b):
                    continue
                if unless and guarded(unless, unit, a, b, analysis.document.source):
                    continue
                out.append(analysis.finding(rule, unit, a, b))
        except Exception as exc:  # a broken template or rewrite: this rule only
            failed[rule_id] = exc
    return out
