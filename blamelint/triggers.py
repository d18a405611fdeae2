"""The cheap first pass: which paragraphs could a model-dependent rule flag?

Every prose block is tokenized (no model). Each data rule is compiled to lexical conditions that
any match must meet: the words a pattern requires, the lemmas it names (a word qualifies when
the lemmatizer's own rules or exceptions could give it that lemma), its phrases or its regex.
Python detectors declare a `trigger` with the same promise. Only the blocks some rule could
flag go through the tagger and parser, and only those a rule needs entities for through NER.
`check --exhaustive` skips this pass; a test holds both modes to identical findings.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

LEXICAL_KEYS = ("ORTH", "TEXT", "LOWER", "NORM")
# Lemmas the pipeline gives closed-class words outside the lemmatizer's rules (pronouns, clitics).
CLOSED_CLASS_LEMMAS = {
    "me": {"i"}, "us": {"we"}, "him": {"he"}, "her": {"she"}, "them": {"they"}, "'em": {"them", "they"},
    "'s": {"be", "us", "have", "'s"}, "’s": {"be", "us", "have", "'s"}, "'d": {"would", "have", "had"},
    "’d": {"would", "have", "had"}, "'ve": {"have"}, "’ve": {"have"}, "'re": {"be"}, "’re": {"be"},
    "'m": {"be"}, "’m": {"be"}, "'ll": {"will"}, "’ll": {"will"}, "n't": {"not"}, "n’t": {"not"},
    "ca": {"can"}, "wo": {"will"}, "sha": {"shall"}, "gon": {"go"}, "na": {"to"}, "ta": {"to"},
}


class Lemmas:
    """Every lemma the pipeline's rule lemmatizer could give a word, whatever its tag."""

    def __init__(self, nlp):
        self.rules: list[tuple[str, str]] = []
        self.exc: dict[str, set[str]] = {}
        try:
            lookups = nlp.get_pipe("lemmatizer").lookups
            for table_name in ("lemma_rules",):
                for rules in lookups.get_table(table_name).values():
                    self.rules += [(old, new) for old, new in rules]
            for exc in lookups.get_table("lemma_exc").values():
                for word, lemmas in exc.items():
                    self.exc.setdefault(word, set()).update(x.lower() for x in lemmas)
        except (KeyError, ValueError, AttributeError):
            self.rules = []
        self.rules = sorted(set(self.rules))
        self.cache: dict[str, frozenset] = {}

    def of(self, word: str) -> frozenset:
        found = self.cache.get(word)
        if found is None:
            out = {word}
            out |= self.exc.get(word, set())
            out |= CLOSED_CLASS_LEMMAS.get(word, set())
            for old, new in self.rules:
                if word.endswith(old):
                    out.add(word[:len(word) - len(old)] + new)
            found = self.cache[word] = frozenset(out)
        return found


@dataclass
class Block:
    """One prose block as the first pass sees it."""

    index: int
    block: object  # document.Block
    doc: object  # a tokenized (not analysed) spaCy Doc of the masked text
    lowers: frozenset
    lemmas: frozenset


@dataclass
class FirstPass:
    document: object
    config: object
    ruleset: object
    nlp: object
    lemmas: Lemmas
    blocks: list[Block] = field(default_factory=list)
    cache: dict = field(default_factory=dict)  # detectors' per-document results of the first pass
    first = property(lambda self: self)  # a FirstPass is its own first pass (detector helpers take either)


_LEMMAS: dict[int, Lemmas] = {}


def lemmas_for(nlp) -> Lemmas:
    key = id(nlp)
    if key not in _LEMMAS:
        _LEMMAS[key] = Lemmas(nlp)
    return _LEMMAS[key]


def first_pass(document, blocks, docs, config, ruleset, nlp) -> FirstPass:
    lem = lemmas_for(nlp)
    fp = FirstPass(document, config, ruleset, nlp, lem)
    for i, (block, doc) in enumerate(zip(blocks, docs, strict=True)):
        words = doc.user_data.get("blamelint_words")  # the Doc is cached per text: so is this
        if words is None:
            lowers = frozenset(t.lower_ for t in doc)
            lemmas = frozenset().union(*(lem.of(w) for w in lowers)) if lowers else frozenset()
            words = doc.user_data["blamelint_words"] = (lowers, lemmas)
        fp.blocks.append(Block(i, block, doc, *words))
    return fp


# ---------------------------------------------------------------- data rules


@dataclass
class Need:
    """One lexical condition: some word of the block is in `words` (its lower form) or has one of
    `lemmas`, or matches `regex`."""

    words: frozenset = frozenset()
    lemmas: frozenset = frozenset()
    regex: re.Pattern | None = None

    def met(self, b: Block) -> bool:
        if self.words & b.lowers or self.lemmas & b.lemmas:
            return True
        if self.regex is not None:
            return any(self.regex.search(w) for w in b.lowers)
        return False


def _values(value) -> tuple[list[str] | None, re.Pattern | None]:
    """Accepted strings of a token-spec value, or a regex; (None, None) when it does not narrow."""
    if isinstance(value, str):
        return [value], None
    if isinstance(value, dict):
        if "IN" in value and isinstance(value["IN"], list):
            return [str(v) for v in value["IN"]], None
        if "REGEX" in value:
            try:
                return None, re.compile(value["REGEX"], re.I)
            except re.error:
                return None, None
        if "==" in value:
            return [str(value["=="])], None
    return None, None


def _need(spec: dict) -> Need | None:
    """What a required token spec asks of the word lexically; None if nothing."""
    for key in LEXICAL_KEYS:
        if key in spec:
            values, regex = _values(spec[key])
            if values is not None:
                return Need(words=frozenset(v.lower() for v in values))
            if regex is not None:
                return Need(regex=regex)
    if "LEMMA" in spec:
        values, regex = _values(spec["LEMMA"])
        if values is not None:
            return Need(lemmas=frozenset(v.lower() for v in values))
    return None


def _required(spec: dict) -> bool:
    return spec.get("OP") in (None, "+", "{1,}") or (isinstance(spec.get("OP"), str) and spec["OP"].startswith("{")
                                                       and not spec["OP"].startswith("{0"))


class RuleTrigger:
    """A data rule as alternatives (one per pattern), each a list of Needs all of which must be met."""

    def __init__(self, rule, nlp):
        self.rule = rule
        self.alternatives: list[list[Need]] = []
        self.always = False
        m = rule.match or {}
        if "patterns" in m:
            for pattern in m["patterns"]:
                self.alternatives.append([n for t in pattern if _required(t) and (n := _need(t))])
        elif "dependency" in m:
            for pattern in m["dependency"]:
                self.alternatives.append([n for node in pattern if (n := _need(node.get("RIGHT_ATTRS", {})))])
        elif "phrases" in m:
            attr = m.get("attr", "LOWER")
            for phrase in m["phrases"]:
                if attr == "LEMMA":
                    doc = nlp(phrase)
                    self.alternatives.append([Need(lemmas=frozenset({t.lemma_.lower()})) for t in doc])
                elif attr in ("LOWER", "ORTH", "TEXT", "NORM"):
                    self.alternatives.append([Need(words=frozenset({t.lower_})) for t in nlp.make_doc(phrase)])
                else:
                    self.always = True
        elif "regex" not in m:
            self.always = True
        if any(not alt for alt in self.alternatives):
            self.always = True  # a pattern with no lexical anchor can match anywhere

    def fires(self, b: Block) -> bool:
        if self.always:
            return True
        m = self.rule.match or {}
        if "regex" in m:
            try:
                return bool(self.rule.compiled["regex"].search(b.block.text))
            except Exception:
                return True  # let the matcher report the broken regex
        return any(all(n.met(b) for n in alt) for alt in self.alternatives)


_RULE_TRIGGERS: dict[tuple[int, int], RuleTrigger] = {}


def rule_trigger(rule, nlp) -> RuleTrigger:
    key = (id(rule), id(nlp))
    if key not in _RULE_TRIGGERS:
        _RULE_TRIGGERS[key] = RuleTrigger(rule, nlp)
    return _RULE_TRIGGERS[key]


# ---------------------------------------------------------------- selection


@dataclass
class Selection:
    """Which blocks to analyse, which of them need entities, and each detector's blocks."""

    core: set[int] = field(default_factory=set)
    ner: set[int] = field(default_factory=set)
    rules: dict[int, set[str]] = field(default_factory=dict)  # block → data rules that could match
    views: dict[str, set[int]] = field(default_factory=dict)


class RuleIndex:
    """Data-rule triggers indexed by the words and lemmas of one Need of each pattern, so a block
    is checked only against the rules it shares a word with."""

    def __init__(self, triggers: list[RuleTrigger]):
        self.direct: list[RuleTrigger] = []
        self.words: dict[str, set[int]] = {}
        self.lemmas: dict[str, set[int]] = {}
        self.triggers = triggers
        for n, t in enumerate(triggers):
            if t.always or "regex" in (t.rule.match or {}) or any(
                    not (alt[0].words or alt[0].lemmas) for alt in t.alternatives):
                self.direct.append(t)
                continue
            for alt in t.alternatives:
                for w in alt[0].words:
                    self.words.setdefault(w, set()).add(n)
                for w in alt[0].lemmas:
                    self.lemmas.setdefault(w, set()).add(n)

    def fired(self, b: Block) -> set[str]:
        candidates: set[int] = set()
        for w in b.lowers:
            if w in self.words:
                candidates |= self.words[w]
        for w in b.lemmas:
            if w in self.lemmas:
                candidates |= self.lemmas[w]
        out = {t.rule.id for t in self.direct if t.fires(b)}
        out.update(self.triggers[n].rule.id for n in candidates if self.triggers[n].fires(b))
        return out


_INDEXES: dict[tuple, RuleIndex] = {}


def prepare(data_rules, nlp) -> RuleIndex:
    key = (id(nlp), tuple(id(r) for r in data_rules))
    index = _INDEXES.get(key)
    if index is None:
        index = _INDEXES[key] = RuleIndex([rule_trigger(r, nlp) for r in data_rules])
    lemmas_for(nlp)
    return index


def select(fp: FirstPass, rules, detectors) -> Selection:
    sel = Selection()
    index = prepare([r for r in rules if not r.check and r.match], fp.nlp)
    key = ("blamelint_fired", id(index))
    for b in fp.blocks:
        fired = b.doc.user_data.get(key)  # a function of the block's text alone
        if fired is None:
            fired = b.doc.user_data[key] = index.fired(b)
        if fired:
            sel.core.add(b.index)
            sel.rules[b.index] = fired
    for rule in rules:
        if not rule.check or rule.check in sel.views:
            continue
        det = detectors.get(rule.check)
        if det is None or not det.needs:
            continue
        picked = {b.index for b in fp.blocks} if det.trigger is None else det.trigger(fp)
        chosen = set(picked)
        sel.views[rule.check] = chosen
        sel.core |= chosen
        if "ner" in det.needs:  # a trigger may answer {block: needs entities?} to spare NER
            sel.ner |= {i for i, ner in picked.items() if ner} if isinstance(picked, dict) else chosen
    return sel
