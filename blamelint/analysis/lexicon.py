"""What a word is: the rule packs' word lists (software, roles, first names, …) and the model's
own English vocabulary, for the detectors that tell names from ordinary words (names, agentive).

`lexicon_for(ruleset, nlp)` builds a `Lexicon` once per rule set and model; it is hashed by
identity, so the facts a detector keeps on a Doc can name it in their key. `seen_words` gives the
words a document uses in lower case (so also as ordinary words).
"""

from __future__ import annotations

import re
import weakref
from dataclasses import dataclass
from functools import cached_property
from weakref import WeakKeyDictionary

from blamelint.analysis.nlp import token_texts
from blamelint.analysis.state import kept
from blamelint.analysis.triggers import Lemmas, lemmas_for
from blamelint.rules.words import words

CALENDAR_WORDS = words("names")["calendar_words"]
# Endings of abstract nouns, which are not people's names ("Coordination", "Latency", "Availability").
ABSTRACT_NOUN_RE = re.compile(r"(?:tion|sion|ment|ness|ity|ance|ence|ency|ancy|ics|ogy|ism|ysis|esis|"
                              r"ility|ship|hood|dom|ware)$")
# How much a word looks like ordinary English (`Lexicon.common`; 0 = not at all).
ORDINARY = 0.35  # a verb, adjective or adverb of English
NOUN_OR_ROLE = 0.15  # an English noun or a role word (nouns double as names: "Harper")


@dataclass(eq=False)
class Lexicon:
    gazetteer: frozenset
    tech_nouns: frozenset
    role_words: frozenset
    person_nouns: frozenset
    team_words: frozenset
    person_adjectives: frozenset
    first_names: frozenset
    world_names: frozenset = frozenset()  # rules/words/first_names.yaml: a name unless the document says otherwise
    noun: frozenset = frozenset()
    other_pos: frozenset = frozenset()  # verbs, adjectives, adverbs of English
    lemmas: Lemmas | None = None

    @cached_property
    def known_things(self) -> frozenset:
        """Names of software, services, companies and places."""
        return self.gazetteer | self.tech_nouns

    def ordinary(self, w: str) -> bool:
        """An English verb, adjective or adverb, or an inflection of an English word ("add", "internal",
        "dropped", "backups"); not a first name. (Base-form nouns are left out: the noun list holds
        names too, "tyler", "gabriel".)"""
        if w in self.first_names:
            return False
        if w in self.other_pos or w in CALENDAR_WORDS or ABSTRACT_NOUN_RE.search(w):
            return True
        return self.lemmas is not None and any(
            x != w and (x in self.noun or x in self.other_pos) for x in self.lemmas.of(w))

    def common(self, w: str) -> float:
        """How much w looks like an ordinary English word (0 = not at all)."""
        if w in self.first_names:
            return 0.0
        if w in self.other_pos:
            return ORDINARY
        if w in self.noun or w in self.role_words:
            return NOUN_OR_ROLE
        return 0.0


# The lexicons built: (rule set, model, lexicon); an entry goes with its rule set.
_BUILT: list[tuple[weakref.ref, tuple, Lexicon]] = []
_MODELS: WeakKeyDictionary = WeakKeyDictionary()  # pipeline → (lang, name, version) of its model


def lexicon_for(ruleset, nlp) -> Lexicon:
    """The Lexicon of a rule set's word lists and a model (the tokenizer-only and the full
    pipeline of one model share it)."""
    model = _model(nlp)
    for ref, built_for, lex in _BUILT:
        if ref() is ruleset and built_for == model:
            return lex
    lex = _build(ruleset.data, nlp)
    _BUILT[:] = [entry for entry in _BUILT if entry[0]() is not None]
    _BUILT.append((weakref.ref(ruleset), model, lex))
    return lex


def _model(nlp) -> tuple:
    found = _MODELS.get(nlp)
    if found is None:
        meta = nlp.meta  # (builds a new dict at each access: read once per pipeline)
        found = _MODELS[nlp] = (meta.get("lang"), meta.get("name"), meta.get("version"))
    return found


def _build(data: dict, nlp) -> Lexicon:
    def listed(name):
        return frozenset(str(w).lower() for w in data.get(name, []) or [])

    noun: frozenset = frozenset()
    other: frozenset = frozenset()
    try:
        table = nlp.get_pipe("lemmatizer").lookups.get_table("lemma_index")
        noun = frozenset(table["noun"])
        other = frozenset(table["verb"]) | frozenset(table["adj"]) | frozenset(table["adv"])
    except (KeyError, ValueError, AttributeError):
        pass
    return Lexicon(
        gazetteer=listed("names_gazetteer"),
        tech_nouns=listed("names_tech_nouns"),
        role_words=listed("names_role_words"),
        person_nouns=listed("names_person_nouns"),
        team_words=listed("names_team_handle_words"),
        person_adjectives=listed("names_person_adjectives"),
        first_names=listed("names_first_names"),
        world_names=words("first_names")["first_names"],
        noun=noun,
        other_pos=other,
        lemmas=lemmas_for(nlp),
    )


def lower_words(doc) -> frozenset:
    """The words a Doc uses in lower case (kept on the Doc, which is cached per text)."""
    return kept(doc, ("lexicon", "lower words"), lambda: frozenset(  # (spaCy's IS_ALPHA is str.isalpha)
        w.lower() for w in token_texts(doc) if w.isalpha() and w.islower()))


def seen_words(analysis, units=()) -> frozenset:
    """Words the document uses in lower case somewhere (so also as ordinary words): from every
    prose block of the first pass, worked out once per lint; from `units` when there was none.
    `analysis` is an engine Analysis or a first pass (`analysis.first` is the first pass)."""
    first = analysis.first
    if first is None:
        return frozenset().union(*(lower_words(u.doc) for u in units))
    found = first.cache.get(("lexicon", "seen"))
    if found is None:
        found = first.cache[("lexicon", "seen")] = frozenset().union(*(lower_words(b.doc) for b in first.blocks))
    return found
