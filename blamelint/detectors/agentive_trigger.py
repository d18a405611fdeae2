"""The agentive detector's first pass: the pieces of a document with both a possible person agent
and a verb that could make a failure of it, read from the words alone (and entities only for a
name-like agent)."""

from __future__ import annotations

from blamelint.analysis.grammar import starts_sentence
from blamelint.analysis.lexicon import Lexicon, lexicon_for, seen_words
from blamelint.analysis.nlp import doc_text, token_texts
from blamelint.analysis.state import kept
from blamelint.analysis.triggers import Pieces
from blamelint.detectors.agentive_words import (
    ACTION_VERBS,
    AGENT_WORDS,
    BEFORE_WORDS,
    BELIEF_MARKERS,
    BELIEF_VERBS,
    BETTER_PERSON,
    DILIGENCE_VERBS,
    END_USERS,
    FAILURE_VERBS,
    HARM_NOUNS,
    HARM_VERBS,
    HEAD_FAILURES,
    IDIOMS,
    MARKER_ADVERBS,
    NEGATION_WORDS,
    PROD_WORDS,
    REFUSAL_NOUNS,
    ROLE_NOUNS,
    SHIFT_WORDS,
    WITHOUT_OBJECTS,
)


def agentive_lexicon(analysis) -> Lexicon:
    return lexicon_for(analysis.ruleset, analysis.nlp)


def capitalised(doc) -> list:
    """Tokens that start with a capital, not acronyms or with digits (kept on the cached Doc)."""
    return kept(doc, ("agentive", "capitalised"), lambda: [
        doc[i] for i, w in enumerate(token_texts(doc))
        if w[:1].isupper() and not w.isupper() and not any(c.isdigit() for c in w)])


def trigger(first) -> dict:
    """The pieces (sentences) with both a possible person agent and a verb that could make a
    failure of it: a finding's verb, its agent and all it reads lie in one parse tree, which lies
    in one piece. Entities are read only for a name-like agent."""
    out = {}
    seen = lex = None
    for b in first.blocks:
        # a function of the text alone
        verb = kept(b.doc, ("agentive", "verb words"), lambda b=b: _failure_verb_words(b.lowers, b.lemmas))
        if not verb:
            continue
        if seen is None:
            seen, lex = seen_words(first), agentive_lexicon(first)
        names = [i for i, low in _name_like_words(b.doc, lex) if low is None or low not in seen]
        if not (names or _agent_words(b.lowers) or _role_words(b.lowers, b.lemmas) or b.lowers & END_USERS):
            continue
        pieces = Pieces()
        for k, a, e, agent in _verb_pieces(b, first.lemmas):
            named = any(a <= i < e for i in names)
            if named or agent:
                pieces[k] = named
        if pieces:
            out[b.index] = pieces
    return out


def _role_words(low: frozenset, lem: frozenset) -> bool:
    """A role noun, in the singular or the plural ("devs"), or a shift ("the night shift")."""
    return bool(lem & ROLE_NOUNS) or any(w[:-1] in ROLE_NOUNS for w in low if w.endswith("s")) or (
        "shift" in low and bool(low & SHIFT_WORDS))


def _agent_words(low: frozenset) -> bool:
    return bool(low & AGENT_WORDS) or ("no" in low and "one" in low)


def _verb_pieces(b, lemmas) -> list[tuple[int, int, int, bool]]:
    """(piece, its token range, has an agent word) for each piece of a first-pass block with a
    failure verb word (kept on the Doc: a function of the text alone)."""

    def find() -> list[tuple[int, int, int, bool]]:
        found = []
        spans = b.pieces
        for k, (a, e) in enumerate(spans):
            low, lem = b.piece_words(k, lemmas) if len(spans) > 1 else (b.lowers, b.lemmas)
            if _failure_verb_words(low, lem):
                found.append((k, a, e, bool(_agent_words(low) or _role_words(low, lem) or low & END_USERS)))
        return found

    return kept(b.doc, ("agentive", "verb pieces"), find)


def _name_like_words(doc, lex: Lexicon) -> tuple:
    """`name_like` over a paragraph's capitalised words, with what the text fixes worked out once
    (kept on the cached Doc): (token index, None) for a word name-like whatever the rest of the
    document says, (token index, its lower form) for one that is name-like unless the document
    uses it in lower case."""

    def find() -> tuple:
        found = []
        text = doc_text(doc)
        for tok in capitalised(doc):
            low = tok.lower_
            if low in lex.first_names:
                found.append((tok.i, None))
            elif low in lex.known_things or tok.is_stop:
                continue
            elif not starts_sentence(text, tok.idx):
                found.append((tok.i, None))
            elif not lex.ordinary(low):
                found.append((tok.i, low))
        return tuple(found)

    return kept(doc, ("agentive", "name like", lex), find)


DESPITE_OBJECTS = {"warning", "objection", "advice", "instruction", "freeze", "red", "failing", "failed", "policy",
                   "runbook", "label"}


def _maybe_marker(low: frozenset, lem: frozenset) -> bool:
    """Could `_marker` find a marker in this block? (Every condition it tests, loosened to words.)"""
    return bool(
        low & MARKER_ADVERBS
        or ("by" in low and low & {"hand", "mistake", "accident"})
        or ("without" in low and (low | lem) & WITHOUT_OBJECTS)
        or ("own" in low and low & {"his", "her", "their"})
        or low & {"stale", "outdated", "wrong", "incorrect", "unreviewed", "untested", "unapproved", "old",
                  "instead", "rather"}
        or (lem & {"approve", "review", "merge", "sign"} and "in" in low and low & {"minute", "minutes", "seconds"})
        or ("before" in low and low & BEFORE_WORDS)
        or (low & {"directly", "straight"} and low & PROD_WORDS)
        or (low & {"despite", "spite", "against"} and (low | lem) & DESPITE_OBJECTS)
        or ("reasons" in low and "for" in low))


def _failure_verb_words(low: frozenset, lem: frozenset) -> bool:
    """Does the paragraph hold a verb that could make a failure of a person's action?"""
    return bool(
        lem & (FAILURE_VERBS | HEAD_FAILURES - {"fail"} | {"stamp"})
        or any(v in lem and (w in low or w in lem) for v, w in IDIOMS)  # both words of an idiom ("made a mess")
        or ("fail" in lem and "to" in low)  # "fail" counts only with an xcomp: "failed to renew"
        or (lem & (DILIGENCE_VERBS | {"think"}) and (low & NEGATION_WORDS or "no" in low and "one" in low))
        or (lem & BELIEF_VERBS and low & BELIEF_MARKERS)
        or (lem & ACTION_VERBS and _maybe_marker(low, lem))
        or (low & {"should", "ought", "must"} and low & {"have", "'ve", "’ve"})
        or ("do" in lem and "nothing" in low)
        or ("had" in low and bool(low & {"would", "could", "might", "wouldn", "couldn", "'d", "’d", "avoidable", "preventable"}))
        or ("had" in low and "happens" in low and bool(low & {"none", "never"}))  # chat: "if X had read it none of this happens"
        or ("care" in lem and bool(low & {"anyone", "anybody"}))  # "for anyone who cared to look"
        or (bool(low & {"would", "could"}) and bool(low & {"have", "'ve", "’ve"})  # an imagined better person
            and bool(low & {"any", "every"} or low & BETTER_PERSON))
        or ("make" in lem and lem & {"mistake", "error", "blunder"})
        or ("break" in lem or lem & HARM_VERBS and lem & HARM_NOUNS)  # "the intern caused the outage"
        or bool(lem & REFUSAL_NOUNS))  # "the SRE's refusal to roll back"
