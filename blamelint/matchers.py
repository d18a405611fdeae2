"""Compile data rules into spaCy matchers and run them over analysed prose."""

from __future__ import annotations

from .errors import RulePackError
from .rules import Rule


def _lower(value):
    if isinstance(value, str):
        return value.lower()
    if isinstance(value, dict):
        return {k: _lower(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_lower(v) for v in value]
    return value


def _caseless_lemmas(token: dict) -> dict:
    """LEMMA matches case-insensitively: a capitalised imperative ("Communicate …") is often
    tagged PROPN and keeps its capital in the lemma."""
    if "LEMMA" not in token:
        return token
    token = dict(token)
    extra = dict(token.get("_", {}))
    extra["lemma_lower"] = _lower(token.pop("LEMMA"))
    token["_"] = extra
    return token


def _register_extensions() -> None:
    from spacy.tokens import Token

    if not Token.has_extension("lemma_lower"):
        Token.set_extension("lemma_lower", getter=lambda t: t.lemma_.lower())


def compile_rule(rule: Rule, nlp):
    _register_extensions()
    m = rule.match or {}
    where = f"{rule.source}: rule '{rule.id}'"
    try:
        if "phrases" in m:
            from spacy.matcher import PhraseMatcher

            attr = m.get("attr", "LOWER")
            matcher = PhraseMatcher(nlp.vocab, attr=attr)
            make = nlp if attr == "LEMMA" else nlp.make_doc
            matcher.add(rule.id, [make(p) for p in m["phrases"]])
            return matcher
        if "patterns" in m:
            from spacy.matcher import Matcher

            matcher = Matcher(nlp.vocab, validate=True)
            patterns = [[_caseless_lemmas(t) for t in p] for p in m["patterns"]]
            matcher.add(rule.id, patterns, greedy="LONGEST")
            return matcher
        if "dependency" in m:
            from spacy.matcher import DependencyMatcher

            matcher = DependencyMatcher(nlp.vocab, validate=True)
            for i, pattern in enumerate(m["dependency"]):
                nodes = [{**n, "RIGHT_ATTRS": _caseless_lemmas(n.get("RIGHT_ATTRS", {}))} for n in pattern]
                matcher.add(f"{rule.id}#{i}", [nodes])
            return matcher
    except (ValueError, KeyError, TypeError) as exc:
        lines = [x.strip() for x in str(exc).strip().splitlines() if x.strip()]
        detail = "; ".join(x.lstrip("- ") for x in lines if x.startswith("- [")) or (lines[0] if lines else "")
        raise RulePackError(f"{where}, field 'match': invalid pattern: {detail}") from None
    return None


def in_scope(rule: Rule, unit) -> bool:
    block = unit.block
    if rule.scope and block.kind not in rule.scope:
        return False
    kinds = unit.section_kinds
    if rule.sections and not kinds & set(rule.sections):
        return False
    if rule.not_sections and kinds & set(rule.not_sections):
        return False
    return True


def spans(rule: Rule, compiled, unit) -> list[tuple[int, int]]:
    """Character spans [a, b) in the unit's prose that the rule's matcher matched."""
    m = rule.match or {}
    doc = unit.doc
    out: list[tuple[int, int]] = []
    if "regex" in m:
        group = m.get("group", 0)
        for match in rule.compiled["regex"].finditer(unit.block.text):
            if match.group(group) is not None:
                out.append((match.start(group), match.end(group)))
        return out
    if "dependency" in m:
        for _, token_ids in compiled(doc):
            first, last = doc[min(token_ids)], doc[max(token_ids)]
            out.append((first.idx, last.idx + len(last)))
        return _longest(out)
    for _, start, end in compiled(doc):
        span = doc[start:end]
        out.append((span.start_char, span.end_char))
    return _longest(out)


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


def run(rule: Rule, compiled, analysis):
    for unit in analysis.units:
        if not in_scope(rule, unit):
            continue
        for a, b in spans(rule, compiled, unit):
            if not excluded(rule, unit.block.text, a, b):
                yield analysis.finding(rule, unit, a, b)
