"""Speed-ups over spaCy's defaults, through its public API; results are unchanged.

- The model's matrices are multiplied with numpy's BLAS instead of thinc's bundled blis
  (`numpy_gemm`): for the small matrices of a few sentences about twice as fast.
- The attribute ruler is replaced by a subclass whose matching is indexed
  (`IndexedAttributeRuler`, registered as a spaCy factory): a tenth of the pipeline's time.
- The rule lemmatizer remembers every answer (`cache_lemmas`): spaCy's own cache keeps only
  the answers of its last step, so a singular noun, a base verb or a proper noun went through
  the morphology checks again at every occurrence.
- The rule lemmatizer's word index is a set, not a list (`index_lemmas`): each suffix rule asks
  whether its form is a known word, and in a list of 57,000 nouns that was a linear search (a
  fifth of the pipeline's time on a document of words it had not seen).

tests/test_nlp_speedups.py holds them to spaCy's own results; tests/test_spacy_compat.py checks
that a loaded pipeline has them.
"""

from __future__ import annotations

import re
from operator import itemgetter

from spacy import attrs
from spacy.language import Language
from spacy.matcher import Matcher
from spacy.pipeline import AttributeRuler
from thinc.api import NumpyOps

INDEXED_RULER = "blamelint_indexed_attribute_ruler"
MEMO_SIZE = 100_000  # distinct token values the attribute ruler keeps its matches for


def numpy_gemm(nlp) -> None:
    """Give every layer of the loaded pipeline numpy's ops without blis (the parse of one sentence
    takes a quarter less time, a batch a fifth less; the same arithmetic, so results do not
    change). Set on each layer's public `ops` after loading: thinc's `use_ops` around the load
    would miss the parser's output layer, which spaCy builds under its own `use_ops("cpu")`."""
    fast = NumpyOps(use_blis=False)
    for _, component in nlp.pipeline:
        model = getattr(component, "model", None)
        if model is None or not hasattr(model, "walk"):
            continue
        for node in model.walk():
            if type(node.ops) is NumpyOps:
                node.ops = fast


class IndexedRules:
    """The attribute ruler's matching, exact but indexed: its one-token patterns on plain values
    (LOWER, TAG, DEP, IS_SPACE, or IN lists of them) become dictionary lookups per token; the
    rest still go through a Matcher. spaCy's Matcher tries each of the ~180 patterns at every
    token, a tenth of the whole pipeline's time."""

    ATTRS = ("LOWER", "TAG", "DEP", "IS_SPACE")  # in the order of `__call__`'s token values

    def __init__(self, ruler):
        self.ruler = ruler
        self.rest = Matcher(ruler.vocab)
        self.checks: list[tuple[int, int, list]] = []  # one-token patterns with NOT_IN: (rule id, key, tests)
        gates: list = []  # per multi-token pattern, a test of one token that any match must start with
        index: dict[tuple, dict[tuple, list[tuple]]] = {}  # attribute names → their values → (rule id, key)
        for attr_id, entry in enumerate(ruler.patterns):  # `add` keys rule i by the string "i"
            key = ruler.vocab.strings.add(str(attr_id))
            patterns = entry["patterns"]
            if all(self._simple(p) for p in patterns):
                for p in patterns:
                    names = tuple(sorted(p[0]))
                    for values in self._expand(p[0], names):
                        index.setdefault(names, {}).setdefault(values, []).append((attr_id, key))
            elif all(self._checkable(p) for p in patterns):
                self.checks += [(attr_id, key, self._tests(p[0])) for p in patterns]
            else:
                self.rest.add(key, patterns)
                gates += [self._gate(p[0]) for p in patterns]
        # (the token values to look up, the table), once: a lookup per table and token
        self.tables = [(itemgetter(*[self.ATTRS.index(n) for n in names]), len(names) == 1, table)
                       for names, table in index.items()]
        # the Matcher runs only on a Doc with a token that could start one of its patterns
        self.gates = None if any(g is None for g in gates) else gates
        # the token values as one array per Doc, and what each distinct row matches (a function
        # of the values alone, the same in every Doc)
        self.array_attrs = [getattr(attrs, name) for name in self.ATTRS]
        self.memo: dict[tuple, tuple] = {}

    def _simple(self, pattern) -> bool:
        """One token, on plain attributes, with values or IN lists (a table lookup per token)."""
        return self._checkable(pattern, ("IN",))

    @staticmethod
    def _expand(token: dict, names: tuple) -> list[tuple]:
        out = [()]
        for name in names:
            value = token[name]
            choices = value["IN"] if isinstance(value, dict) else [value]
            out = [o + (c,) for o in out for c in dict.fromkeys(choices)]
        return out

    def _checkable(self, pattern, ops=("IN", "NOT_IN")) -> bool:
        """One token, on plain attributes, with values or lists under `ops` (IN, NOT_IN: a test per token)."""
        if len(pattern) != 1 or not pattern[0]:
            return False
        for name, value in pattern[0].items():
            if name not in self.ATTRS:
                return False
            if isinstance(value, dict) and not (len(value) == 1 and next(iter(value)) in ops
                                                and isinstance(next(iter(value.values())), list)):
                return False
        return True

    def _tests(self, token: dict) -> list[tuple[int, bool, frozenset]]:
        """(which value, must it be in the set, the set) for each attribute of a one-token pattern."""
        out = []
        for name, value in token.items():
            at = self.ATTRS.index(name)
            if isinstance(value, dict):
                op, values = next(iter(value.items()))
                out.append((at, op == "IN", frozenset(values)))
            else:
                out.append((at, True, frozenset([value])))
        return out

    def _gate(self, token: dict):
        """A test of one token's values that a match of a pattern starting with `token` passes
        (a literal or IN on LOWER, TAG or DEP; a REGEX on LOWER), or None when there is none (or
        the token is optional: a match may start at the next one)."""
        if "OP" in token:
            return None
        for name in ("LOWER", "TAG", "DEP"):
            value = token.get(name)
            at = self.ATTRS.index(name)
            if isinstance(value, str):
                return lambda values, at=at, v=value: values[at] == v
            if isinstance(value, dict) and list(value) == ["IN"]:
                return lambda values, at=at, v=frozenset(value["IN"]): values[at] in v
            if name == "LOWER" and isinstance(value, dict) and list(value) == ["REGEX"]:
                return lambda values, at=at, r=re.compile(value["REGEX"]): r.search(values[at]) is not None
        return None

    def __call__(self, doc) -> list:
        strings = self.ruler.vocab.strings
        rows = doc.to_array(self.array_attrs).tolist() if len(doc) else []
        memo = self.memo
        if len(memo) > MEMO_SIZE:
            memo.clear()
        found_of = []  # per token: (its values, the one-token patterns it matches)
        for row in rows:
            key = tuple(row)
            found = memo.get(key)
            if found is None:
                values = (strings[row[0]], strings[row[1]], strings[row[2]], bool(row[3]))
                found = memo[key] = (values, self._one_token(values))
            found_of.append(found)
        matches = []
        if len(self.rest) and (self.gates is None or any(g(v) for v, _ in found_of for g in self.gates)):
            matches = [(int(strings[m_id]), m_id, s, e) for m_id, s, e in self.rest(doc, allow_missing=True)]
        for i, (_, found) in enumerate(found_of):
            matches.extend((attr_id, key, i, i + 1) for attr_id, key in found)
        matches.sort()
        return matches

    def _one_token(self, values: tuple) -> tuple:
        """(rule id, key) of every one-token pattern a token with these values matches."""
        out = []
        for get, single, table in self.tables:
            found = table.get((get(values),) if single else get(values))
            if found:
                out.extend(found)
        for attr_id, key, tests in self.checks:
            if all((values[at] in allowed) == inside for at, inside, allowed in tests):
                out.append((attr_id, key))
        return tuple(out)


class IndexedAttributeRuler(AttributeRuler):
    """spaCy's attribute ruler, matching through `IndexedRules` once `build_index` has run."""

    index: IndexedRules | None = None

    def build_index(self) -> None:
        self.index = IndexedRules(self)

    def match(self, doc):
        return super().match(doc) if self.index is None else self.index(doc)


@Language.factory(INDEXED_RULER, default_config={"validate": False})
def make_indexed_attribute_ruler(nlp, name: str, validate: bool):
    return IndexedAttributeRuler(nlp.vocab, name, validate=validate)


def index_attribute_ruler(nlp) -> None:
    """Put an `IndexedAttributeRuler` with the same patterns in place of the attribute ruler;
    leave the pipeline as it is if anything about its ruler is unexpected."""
    if "attribute_ruler" not in nlp.pipe_names or isinstance(nlp.get_pipe("attribute_ruler"), IndexedAttributeRuler):
        return
    temporary = "blamelint_attribute_ruler"
    try:
        ruler = nlp.add_pipe(INDEXED_RULER, name=temporary, before="attribute_ruler")
        ruler.add_patterns(nlp.get_pipe("attribute_ruler").patterns)
        ruler.build_index()
    except Exception:  # noqa: BLE001 - another spaCy: keep its own ruler
        if temporary in nlp.pipe_names:
            nlp.remove_pipe(temporary)
        return
    nlp.remove_pipe("attribute_ruler")
    nlp.rename_pipe(temporary, "attribute_ruler")


LEMMA_CACHE_SIZE = 100_000  # (word, tag, morphology) answers kept; cleared when full


class CachedLemmas:
    """The rule lemmatizer's `lemmatize`, remembering every answer. Its answer is a function of the
    token's text, coarse tag and morphology alone (the tables do not change after loading)."""

    def __init__(self, lemmatize):
        self.lemmatize = lemmatize
        self.cache: dict = {}

    def __call__(self, token):
        key = (token.orth, token.pos, token.morph.key)
        found = self.cache.get(key)
        if found is None:
            if len(self.cache) >= LEMMA_CACHE_SIZE:
                self.cache.clear()
            found = self.cache[key] = self.lemmatize(token)
        return found


def cache_lemmas(nlp) -> None:
    """Give the pipeline's rule lemmatizer a cache of every answer; leave any other lemmatizer alone."""
    if "lemmatizer" not in nlp.pipe_names:
        return
    lemmatizer = nlp.get_pipe("lemmatizer")
    if getattr(lemmatizer, "mode", None) != "rule" or isinstance(getattr(lemmatizer, "lemmatize", None), CachedLemmas):
        return
    lemmatizer.lemmatize = CachedLemmas(lemmatizer.lemmatize)


def index_lemmas(nlp) -> None:
    """Make the rule lemmatizer's `lemma_index` tables sets: the lemmatizer only asks whether a
    form is in them (`form in index`), which a list answers by scanning it."""
    if "lemmatizer" not in nlp.pipe_names:
        return
    lemmatizer = nlp.get_pipe("lemmatizer")
    if getattr(lemmatizer, "mode", None) != "rule" or "lemma_index" not in lemmatizer.lookups.tables:
        return
    table = lemmatizer.lookups.get_table("lemma_index")
    for key in list(table.keys()):
        words = dict.__getitem__(table, key)
        if isinstance(words, list):
            dict.__setitem__(table, key, frozenset(words))
