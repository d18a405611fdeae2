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
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from weakref import WeakKeyDictionary

from blamelint.analysis.matchers import block_in_scope
from blamelint.analysis.nlp import mask_timestamp, piece_starts, token_starts, token_texts
from blamelint.analysis.state import kept, state

LEXICAL_KEYS = ("ORTH", "TEXT", "LOWER")  # (NORM is not the lower form: "n't" → "not")
# Lemmas the pipeline gives closed-class words outside the lemmatizer's rules (pronouns, clitics).
CLOSED_CLASS_LEMMAS = {
    "me": {"i"}, "us": {"we"}, "him": {"he"}, "her": {"she"}, "them": {"they"}, "'em": {"them", "they"},
    "'s": {"be", "us", "have", "'s"}, "’s": {"be", "us", "have", "'s"}, "'d": {"would", "have", "had"},
    "’d": {"would", "have", "had"}, "'ve": {"have"}, "’ve": {"have"}, "'re": {"be"}, "’re": {"be"},
    "'m": {"be"}, "’m": {"be"}, "'ll": {"will"}, "’ll": {"will"}, "n't": {"not"}, "n’t": {"not"}, "nt": {"not"},
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

    @property
    def pieces(self) -> list[tuple[int, int]]:
        """The token range of each piece the model would parse (`nlp.pieces`: the sentences; a
        piece starts where a token does)."""
        return kept(self.doc, ("triggers", "pieces"), self._pieces)  # a function of the text alone

    def _pieces(self) -> list[tuple[int, int]]:
        idx = token_starts(self.doc)
        firsts = [bisect_left(idx, c) for c in self.piece_chars]
        return list(zip(firsts, firsts[1:] + [len(self.doc)], strict=True))

    @property
    def piece_chars(self) -> list[int]:
        """Where each piece starts in the block's text."""
        return kept(self.doc, ("triggers", "piece chars"), lambda: piece_starts(self.block.text))

    def piece_of(self, token_index: int) -> int:
        starts = kept(self.doc, ("triggers", "piece starts"), lambda: [a for a, _ in self.pieces])
        return max(bisect_right(starts, token_index) - 1, 0)

    @property
    def positions(self) -> dict[str, list[int]]:
        """Each lower form of the block's words → the indexes of its tokens, in order."""
        return kept(self.doc, ("triggers", "positions"), self._positions)

    def _positions(self) -> dict[str, list[int]]:
        out: dict[str, list[int]] = {}
        for i, w in enumerate(token_texts(self.doc)):
            out.setdefault(w.lower(), []).append(i)
        return out

    def piece_words(self, k: int, lemmas: Lemmas) -> tuple[frozenset, frozenset]:
        """The lower forms and possible lemmas of piece k's words."""
        cache = kept(self.doc, ("triggers", "piece words"), dict)
        found = cache.get(k)
        if found is None:
            a, b = self.pieces[k]
            lowers = frozenset(t.lower_ for t in self.doc[a:b])
            found = cache[k] = (lowers, frozenset().union(*(lemmas.of(w) for w in lowers)) if lowers else frozenset())
        return found


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


@dataclass
class _Compiled:
    """What the first pass builds once per pipeline. The per-rule tables are keyed by `id()`s of
    rules their values hold, so an id cannot be reused while its entry lives."""

    lemmas: Lemmas
    triggers: dict = field(default_factory=dict)  # id(rule) → RuleTrigger
    indexes: dict = field(default_factory=dict)  # ids of a rule list → RuleIndex


_COMPILED: WeakKeyDictionary = WeakKeyDictionary()  # pipeline → _Compiled (gone with the pipeline)


def _compiled(nlp) -> _Compiled:
    found = _COMPILED.get(nlp)
    if found is None:
        found = _COMPILED[nlp] = _Compiled(Lemmas(nlp))
    return found


def lemmas_for(nlp) -> Lemmas:
    return _compiled(nlp).lemmas


def first_pass(document, blocks, docs, config, ruleset, nlp) -> FirstPass:
    lem = lemmas_for(nlp)
    fp = FirstPass(document, config, ruleset, nlp, lem)
    for i, (block, doc) in enumerate(zip(blocks, docs, strict=True)):
        record = state(doc)  # the Doc is cached per text: so is this
        words = record.words
        if words is None:
            lowers = frozenset(w.lower() for w in token_texts(doc))  # (spaCy's LOWER is str.lower)
            lemmas = frozenset().union(*(lem.of(w) for w in lowers)) if lowers else frozenset()
            words = record.words = (lowers, lemmas)
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

    def where(self, b: Block, lemmas: Lemmas) -> list[int]:
        """The indexes of b's tokens that meet this need (`met_by`), in order."""
        index = b.positions
        ok = index.keys() & self.words
        if self.lemmas and not self.lemmas.isdisjoint(b.lemmas):
            ok.update(w for w in index if not self.lemmas.isdisjoint(lemmas.of(w)))
        if self.regex is not None:
            ok.update(w for w in index if self.regex.search(w))
        return sorted(i for w in ok for i in index[w])

    def met_by(self, word: str, lemmas: Lemmas) -> bool:
        """`met` by this one word (its lower form)."""
        return (word in self.words or bool(self.lemmas and self.lemmas & lemmas.of(word))
                or bool(self.regex is not None and self.regex.search(word)))


def _values(value, lower: bool = True) -> tuple[list[str] | None, re.Pattern | None]:
    """Accepted strings of a token-spec value, or a regex (only for a value matched against the
    lower form, `lower`: the first pass knows no other); (None, None) when it does not narrow."""
    if isinstance(value, str):
        return [value], None
    if isinstance(value, dict):
        if "IN" in value and isinstance(value["IN"], list):
            return [str(v) for v in value["IN"]], None
        if "REGEX" in value:
            try:
                return None, re.compile(value["REGEX"]) if lower else None
            except re.error:
                return None, None
        if "==" in value:
            return [str(value["=="])], None
    return None, None


def _need(spec: dict) -> Need | None:
    """What a required token spec asks of the word lexically; None if nothing."""
    for key in LEXICAL_KEYS:
        if key in spec:
            values, regex = _values(spec[key], lower=key == "LOWER")
            if values is not None:
                return Need(words=frozenset(v.lower() for v in values))
            if regex is not None:
                return Need(regex=regex)
    if "LEMMA" in spec:
        values, regex = _values(spec["LEMMA"], lower=False)
        if values is not None:
            return Need(lemmas=frozenset(v.lower() for v in values))
    return None


def _required(spec: dict) -> bool:
    """Must a match hold a token for this spec? (OP absent, "+", or a {min,max} with min ≥ 1.)"""
    op = spec.get("OP")
    if op in (None, "+", "1"):
        return True
    if isinstance(op, str) and op.startswith("{") and op.endswith("}"):
        low = op[1:-1].split(",")[0].strip()
        return low.isdigit() and int(low) >= 1
    return False


class RuleTrigger:
    """A data rule as alternatives (one per pattern), each a list of Needs all of which must be met."""

    def __init__(self, rule, nlp):
        self.rule = rule
        self.alternatives: list[list[Need]] = []
        self.always = False
        # the most tokens a match can span (None: no bound); 0 for a dependency pattern, which
        # matches within one parse tree and so within one piece
        self.length: int | None = 0
        self.sizes: list[int | None] = []
        self.opens: list[Need | None] = []
        m = rule.match or {}
        # a regex rule's `literal_needs`, and each of its top-level alternatives with its own
        regex = rule.compiled.get("regex") if "regex" in m else None
        parsed = _parsed(regex) if regex is not None else None  # (parsed once for both)
        self.literals = [c for c in _clauses(parsed, _sre()) if c] if parsed else []
        self.branches = regex_branches(regex, parsed) if parsed else []
        self.branch_literals = set().union(*(c for _, cs in self.branches for c in cs)) if self.branches else set()
        # each branch filed under the strings of one of its clauses (any match of it holds one of
        # them), so a block is checked only against the branches one of its literals files
        self.unanchored: list[int] = []  # branches with no literal: always checked
        self.branch_index: dict[str, list[int]] = {}
        for n, (_, clauses) in enumerate(self.branches):
            if not clauses:
                self.unanchored.append(n)
                continue
            for w in min(clauses, key=len):
                self.branch_index.setdefault(w, []).append(n)
        if "patterns" in m:
            for pattern in m["patterns"]:
                self.alternatives.append([n for t in pattern if _required(t) and (n := _need(t))])
            spans = [_span(p) for p in m["patterns"]]
            self.length = None if None in spans else max(spans, default=0)
            self.sizes = spans  # each pattern's most tokens (None: no bound)
            # the Need of each pattern's first token when it is required (a match starts with a word
            # meeting it), else None
            self.opens = [_need(p[0]) if p and _required(p[0]) else None for p in m["patterns"]]
        elif "dependency" in m:
            for pattern in m["dependency"]:
                self.alternatives.append([n for node in pattern if (n := _need(node.get("RIGHT_ATTRS", {})))])
        elif "phrases" in m:
            attr = m.get("attr", "LOWER")
            for phrase in m["phrases"]:
                if attr == "LEMMA":  # any lemma the phrase's words could have (the model may not be loaded)
                    lemmas = lemmas_for(nlp)
                    self.alternatives.append([Need(lemmas=lemmas.of(t.lower_)) for t in nlp.make_doc(phrase)])
                elif attr in ("LOWER", "ORTH", "TEXT"):
                    self.alternatives.append([Need(words=frozenset({t.lower_})) for t in nlp.make_doc(phrase)])
                else:
                    self.always = True
            self.length = max((len(alt) for alt in self.alternatives), default=0)
            self.sizes = [len(alt) for alt in self.alternatives]
            self.opens = [None] * len(self.alternatives)
        elif "regex" not in m:
            self.always = True
        if any(not alt for alt in self.alternatives):
            self.always = True  # a pattern with no lexical anchor can match anywhere

    def fires(self, b: Block, present: set[str]) -> bool:
        """Could the rule match in this block? `present`: which `literal_needs` strings of the
        rule set's regexes the block holds (`RuleIndex.fired` works that out once per block)."""
        if self.always:
            return True
        m = self.rule.match or {}
        if "regex" in m:
            if not all(not clause.isdisjoint(present) for clause in self.literals):
                return False
            # only the alternatives whose own literals the block holds can match (most rules' big
            # alternations hold one or two): searching those alone is the same answer, far cheaper
            regexes = [self.branches[n][0] for n in self.possible(present)] \
                if self.branches else [self.rule.compiled["regex"]]
            try:  # the matcher reads the masked text (see nlp.mask_timestamp), the rule's examples the text
                return any(rx.search(t) for rx in regexes for t in _texts(b)[0])
            except Exception:
                return True  # let the matcher report the broken regex
        return any(all(n.met(b) for n in alt) for alt in self.alternatives)

    def possible(self, present: set[str]) -> list[int]:
        """The branches (in their order) all of whose clauses the block's literals `present` meet."""
        index = self.branch_index
        filed = set(self.unanchored)
        for w in index.keys() & present:
            filed.update(index[w])
        return [n for n in sorted(filed) if all(not c.isdisjoint(present) for c in self.branches[n][1])]

    def pieces(self, b: Block, lemmas: Lemmas) -> set[int] | None:
        """The pieces of a block this rule could match in (with every piece a match could reach),
        or None when that cannot be told apart from the whole block."""
        if self.always:
            return None
        m = self.rule.match or {}
        spans = b.pieces
        if "regex" in m:
            starts = b.piece_chars
            out = set()
            try:
                regex = self.rule.compiled["regex"]
                for text in _texts(b)[0]:
                    for found in regex.finditer(text):
                        first = max(bisect_right(starts, found.start()) - 1, 0)
                        last = max(bisect_right(starts, max(found.end() - 1, found.start())) - 1, 0)
                        out.update(range(first, last + 1))
            except Exception:
                return None
            return out
        if self.length is None and any(size is None and first is None for size, first in zip(self.sizes, self.opens, strict=True)):
            return None  # an unbounded pattern that can start anywhere
        if self.length == 0 or len(spans) == 1:  # within one parse tree (or one piece)
            return {k for k in range(len(spans))
                    if any(all(need.met(Block(b.index, b.block, b.doc, *b.piece_words(k, lemmas))) for need in alt)
                           for alt in self.alternatives)}
        # every stretch of `length` tokens where each need of a pattern is met by some word: it
        # holds a word meeting the pattern's rarest need, so only the stretches around those are tried
        out = set()
        starts = [a for a, _ in spans]
        n = len(b.doc)
        for alt, size, first in zip(self.alternatives, self.sizes, self.opens, strict=True):
            at = []
            for need in alt:
                found = need.where(b, lemmas)
                if not found:
                    break
                at.append(found)
            if len(at) < len(alt):
                continue
            if size is None:  # unbounded: a match starts at a word meeting its first Need and runs on
                out.update(range(b.piece_of(first.where(b, lemmas)[0]), len(spans)))
                continue
            for p in min(at, key=len):
                for lo in range(max(p - size + 1, 0), p + 1):
                    hi = min(lo + size, n)
                    if all(_some_in(found, lo, hi) for found in at):
                        out.update(range(bisect_right(starts, lo) - 1, bisect_right(starts, hi - 1)))
        return out



def _some_in(positions: list[int], lo: int, hi: int) -> bool:
    """Does the sorted list hold a position in [lo, hi)?"""
    k = bisect_left(positions, lo)
    return k < len(positions) and positions[k] < hi


_LETTERS_RE = re.compile(r"[a-z]+")


def _texts(b: Block) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """A block's text and masked text (once if the same), and the same case-folded."""
    return kept(b.doc, ("triggers", "texts"), lambda: _fold_texts(b.block.text))


def _fold_texts(text: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    texts = tuple(dict.fromkeys((text, mask_timestamp(text))))
    return texts, tuple(fold(t) for t in texts)


def fold(text: str) -> str:
    """Case-folded so that every ASCII letter an IGNORECASE regex matches becomes that letter:
    casefold() maps the Kelvin sign and the long s; the dotless ı and the dotted İ (which
    casefold() leaves as ı, and makes i plus a combining dot) are mapped to i here."""
    return text.casefold().replace("\u0307", "").replace("ı", "i")


class Branch:
    """One top-level alternative of a rule's regex, compiled on its first search (most are never
    searched: their literals are absent from most blocks)."""

    __slots__ = ("pattern", "flags", "_regex")

    def __init__(self, pattern: str, flags: int):
        self.pattern, self.flags, self._regex = pattern, flags, None

    def search(self, text: str):
        if self._regex is None:
            self._regex = re.compile(self.pattern, self.flags)
        return self._regex.search(text)


def regex_branches(regex, parsed: list | None = None) -> list[tuple[Branch, list[frozenset]]]:
    """The top-level alternatives of a regex, each with its own `literal_needs` (read from one
    parse of the whole pattern, `parsed` when the caller has it): [] when the pattern has one
    alternative or cannot be split."""
    parts = _top_level_parts(regex.pattern)
    if len(parts) < 2 or (parsed := parsed or _parsed(regex)) is None:
        return []
    sre = _sre()
    branches = [arg[1] for op, arg in parsed if op is sre.BRANCH]
    # the parser moves a prefix every alternative shares ("\b") in front of the branch: what is
    # left of each alternative still needs its own literals
    if len(branches) != 1 or len(branches[0]) != len(parts):
        return []
    return [(Branch(part, regex.flags), [c for c in _clauses(list(alt), sre) if c])
            for part, alt in zip(parts, branches[0], strict=True)]


def _top_level_parts(pattern: str) -> list[str]:
    """A pattern's text split at its top-level "|" (not inside a group or a class, not escaped)."""
    parts, depth, cur, i = [], 0, [], 0
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\":
            cur.append(pattern[i:i + 2])
            i += 2
            continue
        if ch == "[":  # a class: its "|" and ")" are literal
            j = i + 1
            if j < len(pattern) and pattern[j] == "^":
                j += 1
            if j < len(pattern) and pattern[j] == "]":
                j += 1
            while j < len(pattern) and pattern[j] != "]":
                j += 2 if pattern[j] == "\\" else 1
            cur.append(pattern[i:j + 1])
            i = j + 1
            continue
        depth += ch == "("
        depth -= ch == ")"
        if ch == "|" and depth == 0:
            parts.append("".join(cur))
            cur = []
        else:
            cur.append(ch)
        i += 1
    parts.append("".join(cur))
    return parts


def _sre():
    try:
        from re import _parser as sre_parse  # Python 3.11+
    except ImportError:  # pragma: no cover - Python 3.10
        import sre_parse  # type: ignore[no-redef]
    return sre_parse


def _parsed(regex):
    try:
        return list(_sre().parse(regex.pattern, regex.flags))
    except Exception:
        return None


def literal_needs(regex) -> list[frozenset]:
    """Strings any match of a compiled regex must contain, as clauses: each match contains, for
    every clause, one of its strings (case-folded, so they hold for IGNORECASE too). Only
    ASCII strings of two characters or more are kept; [] when nothing is certain."""
    parsed = _parsed(regex)
    return [] if parsed is None else [c for c in _clauses(parsed, _sre()) if c]


def _clauses(items: list, sre) -> list[frozenset]:
    c = sre.constants if hasattr(sre, "constants") else sre
    out: list[frozenset] = []
    run: list[str] = []

    def close() -> None:
        word = "".join(run).casefold()
        if len(word) >= 2 and word.isascii():
            out.append(frozenset({word}))
        run.clear()

    for op, arg in items:
        if op is c.LITERAL:
            run.append(chr(arg))
            continue
        close()
        if op is c.SUBPATTERN:
            out += _clauses(list(arg[-1]), sre)
        elif op in (c.MAX_REPEAT, c.MIN_REPEAT) or op is getattr(c, "POSSESSIVE_REPEAT", None):
            if arg[0] >= 1:
                out += _clauses(list(arg[2]), sre)
        elif op is c.BRANCH:
            union: set[str] = set()
            for alt in arg[1]:
                best = _best(_clauses(list(alt), sre))
                if best is None:
                    union = set()
                    break
                union |= best
            if union:
                out.append(frozenset(union))
    close()
    return out


def _best(clauses: list[frozenset]) -> frozenset | None:
    """The clause whose shortest string is longest (the most selective)."""
    return max(clauses, key=lambda cl: min(len(w) for w in cl), default=None)


def _span(pattern: list[dict]) -> int | None:
    """The most tokens a token pattern can match; None when unbounded."""
    total = 0
    for spec in pattern:
        op = spec.get("OP")
        if op in (None, "!", "?", "1"):
            total += 1
        elif isinstance(op, str) and op.startswith("{") and op.endswith("}"):
            high = op[1:-1].split(",")[-1].strip()
            if not high.isdigit():
                return None
            total += int(high)
        else:
            return None
    return total


def rule_trigger(rule, nlp) -> RuleTrigger:
    triggers = _compiled(nlp).triggers
    found = triggers.get(id(rule))
    if found is None:
        found = triggers[id(rule)] = RuleTrigger(rule, nlp)
    return found


# ---------------------------------------------------------------- selection


class Pieces(dict):
    """A trigger's answer for one block when only some of its pieces (`Block.pieces`) matter:
    piece index → needs entities? The model reads only these pieces of the block. `entities_if_parsed`:
    pieces it does not ask to parse, but which need entities if another wisher has them parsed."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.entities_if_parsed: set[int] = set()


ALL = None  # every piece of a block


@dataclass
class Selection:
    """Which blocks to analyse, which of them need entities, and each detector's blocks.

    `plan` narrows a block of `core` to some of its pieces: block → (the pieces to parse, those
    to give entities); a block of `core` not in it is parsed whole, with entities if in `ner`."""

    core: set[int] = field(default_factory=set)
    ner: set[int] = field(default_factory=set)
    rules: dict[int, set[str]] = field(default_factory=dict)  # block → data rules that could match
    views: dict[str, set[int]] = field(default_factory=dict)
    plan: dict[int, tuple[frozenset, frozenset]] = field(default_factory=dict)
    parse: dict[int, set[int] | None] = field(default_factory=dict)  # wishes: block → pieces (ALL)
    ents: dict[int, set[int] | None] = field(default_factory=dict)
    ents_if_parsed: dict[int, set[int]] = field(default_factory=dict)  # block → pieces given entities if parsed
    why: dict[str, dict[int, set[int] | None]] = field(default_factory=dict)  # who wished what (for bench/)

    def want(self, block: int, parse: set[int] | None = ALL, ents: set[int] | None | bool = False,
             why: str = "") -> None:
        """Parse these pieces of a block (ALL: every one), with entities on `ents` (True: all).
        `why` names the wisher: the rules, or a detector."""
        mine = self.why.setdefault(why, {})
        had = mine.get(block, set())
        mine[block] = ALL if parse is ALL or had is ALL else had | parse
        have = self.parse.get(block, set())
        self.parse[block] = ALL if parse is ALL or have is ALL else have | parse
        if ents is True or ents is ALL:
            self.ents[block] = ALL
        elif ents:
            had = self.ents.get(block, set())
            self.ents[block] = ALL if had is ALL else had | set(ents)

    def finish(self, pieces_of) -> Selection:
        """Work out `core`, `ner` and `plan` from the wishes; `pieces_of(block)` counts its pieces."""
        for block, parse in self.parse.items():
            ents = self.ents.get(block, set())
            maybe = self.ents_if_parsed.get(block)
            if maybe and ents is not ALL:
                ents = ents | (maybe if parse is ALL else maybe & parse)
            if ents is ALL:
                parse = ALL
            elif parse is not ALL:
                parse = parse | ents
            self.core.add(block)
            if ents is ALL:
                self.ner.add(block)
            elif parse is ALL and not ents:
                continue
            else:
                every = range(pieces_of(block))
                self.plan[block] = (frozenset(every if parse is ALL else parse), frozenset(ents))
        return self


class RuleIndex:
    """Data-rule triggers indexed pattern by pattern, by the words and lemmas of one Need of each
    (the one with the fewest), so a block is checked only against the patterns it shares a word
    with, and for each only against its other Needs. A rule with a pattern no word or lemma
    anchors (a regex rule, one that can match anywhere) is checked whole on every block."""

    def __init__(self, triggers: list[RuleTrigger]):
        self.direct: list[RuleTrigger] = []
        # a direct regex rule is filed under the strings of one of its literal clauses: it can fire
        # only on a block holding one of them (`fires` checks every clause first)
        self.filed: dict[str, list[RuleTrigger]] = {}
        self.unfiled: list[RuleTrigger] = []
        self.words: dict[str, set[tuple[int, int]]] = {}  # word → (trigger, pattern) whose key Need it meets
        self.lemmas: dict[str, set[tuple[int, int]]] = {}
        self.rest: dict[tuple[int, int], list[Need]] = {}  # (trigger, pattern) → its other Needs
        self.triggers = triggers
        literals: set[str] = set()
        for n, t in enumerate(triggers):
            literals.update(*t.literals, t.branch_literals)
            keys = [min((x for x in alt if x.words or x.lemmas), key=lambda x: len(x.words) + len(x.lemmas), default=None)
                    for alt in t.alternatives]
            if t.always or "regex" in (t.rule.match or {}) or None in keys:
                self.direct.append(t)
                clause = _best(t.literals) if not t.always and "regex" in (t.rule.match or {}) else None
                if clause is None:
                    self.unfiled.append(t)
                for w in clause or ():
                    self.filed.setdefault(w, []).append(t)
                continue
            for a, (alt, need) in enumerate(zip(t.alternatives, keys, strict=True)):
                for w in need.words:
                    self.words.setdefault(w, set()).add((n, a))
                for w in need.lemmas:
                    self.lemmas.setdefault(w, set()).add((n, a))
                self.rest[(n, a)] = [x for x in alt if x is not need]
        self.literals = sorted(literals)  # every regex rule's literal strings: searched once per block
        # a literal of letters alone lies inside one run of letters: those are looked up per word
        # (each word's literals kept), the others searched in the whole text
        self.letter_literals = frozenset(w for w in literals if _LETTERS_RE.fullmatch(w))
        self.other_literals = sorted(literals - self.letter_literals)
        self.longest = max(map(len, self.letter_literals), default=0)
        self.in_word: dict[str, frozenset] = {}

    def fired(self, b: Block) -> set[str]:
        candidates: set[tuple[int, int]] = set()
        for w in b.lowers:
            if w in self.words:
                candidates |= self.words[w]
        for w in b.lemmas:
            if w in self.lemmas:
                candidates |= self.lemmas[w]
        folded = "\0".join(_texts(b)[1])
        present = {w for w in self.other_literals if w in folded}
        for word in set(_LETTERS_RE.findall(folded)):
            found = self.in_word.get(word)
            if found is None:
                found = self._in_word(word)
            present |= found
        out = {t.rule.id for t in self.unfiled if t.fires(b, present)}
        for t in {id(t): t for w in present if w in self.filed for t in self.filed[w]}.values():
            if t.rule.id not in out and t.fires(b, present):
                out.add(t.rule.id)
        for n, a in candidates:
            rule = self.triggers[n].rule.id
            if rule not in out and all(need.met(b) for need in self.rest[(n, a)]):
                out.add(rule)
        return out

    def _in_word(self, word: str) -> frozenset:
        """The letter literals inside one run of letters (kept; forgotten past 200,000 words)."""
        top = self.longest
        found = frozenset(sub for sub in {word[i:j] for i in range(len(word))
                                          for j in range(i + 1, min(i + top, len(word)) + 1)}
                          if sub in self.letter_literals)
        if len(self.in_word) >= 200_000:
            self.in_word.clear()
        self.in_word[word] = found
        return found

    def pieces(self, b: Block, fired: frozenset[str], lemmas: Lemmas) -> set[int] | None:
        """The pieces of a block the rules that fired on it could match in (kept on its Doc)."""
        return kept(b.doc, ("triggers", "rule pieces", self, fired), lambda: (self._pieces(b, fired, lemmas),))[0]

    def _pieces(self, b: Block, fired: set[str], lemmas: Lemmas) -> set[int] | None:
        out: set[int] | None = set()
        for t in self.triggers:
            if t.rule.id in fired:
                got = t.pieces(b, lemmas)
                if got is None:
                    return None
                out |= got
        return out


def prepare(data_rules, nlp) -> RuleIndex:
    indexes = _compiled(nlp).indexes
    key = tuple(id(r) for r in data_rules)
    index = indexes.get(key)
    if index is None:
        index = indexes[key] = RuleIndex([rule_trigger(r, nlp) for r in data_rules])
    return index


def select(fp: FirstPass, rules, detectors) -> Selection:
    sel = Selection()
    index = prepare([r for r in rules if not r.check and r.match], fp.nlp)
    key = ("triggers", "fired", index)
    by_id = {t.rule.id: t.rule for t in index.triggers}
    for b in fp.blocks:
        fired = kept(b.doc, key, lambda b=b: index.fired(b))  # a function of the block's text alone
        # a rule out of its scope or sections here finds nothing (`matchers.in_scope`)
        fired = frozenset(r for r in fired if block_in_scope(by_id[r], b.block))
        if fired:
            sel.rules[b.index] = fired
            sel.want(b.index, index.pieces(b, fired, fp.lemmas), why="rules")
    names = [r.check for r in rules if r.check]
    for name in names:  # and the detectors they read (agentive reads the names detector's people)
        names += [n for n in getattr(detectors.get(name), "uses", ()) if n not in names]
    for name in dict.fromkeys(names):
        det = detectors.get(name)
        if det is None or not det.needs:
            continue
        picked = {b.index for b in fp.blocks} if det.trigger is None else det.trigger(fp)
        sel.views[name] = set(picked)
        ner = "ner" in det.needs
        # a trigger may answer {block: needs entities?} to spare NER, or {block: Pieces}
        for i in picked:
            wish = picked[i] if isinstance(picked, dict) else True
            if isinstance(wish, Pieces):
                sel.want(i, set(wish), {k for k, e in wish.items() if e} if ner else False, why=name)
                if ner and wish.entities_if_parsed:
                    sel.ents_if_parsed.setdefault(i, set()).update(wish.entities_if_parsed)
            else:
                sel.want(i, ALL, bool(wish) and ner, why=name)
    by_index = {b.index: b for b in fp.blocks}
    return sel.finish(lambda i: len(by_index[i].pieces))
