"""Runs of name-like words the detector drops whatever the parse, told from the words alone, so the
first pass need not send their sentences to the model.

`scoring._score_span` trims ordinary words off a run's ends, then drops the run when one of the
words left has a part that is a role, in the gazetteer or shown to be software. A word with such a
part that trimming can never take off (or a run of such words alone) drops the run."""

from __future__ import annotations

from blamelint.analysis.lexicon import ORDINARY, Lexicon
from blamelint.detectors.names.mention import Words, name_runs, plain_runs


def never_named(b, lex: Lexicon, seen, shown, hits: set[int], hopeless) -> tuple[set[int], set[str]]:
    """The pieces of a first-pass block where every run holding a candidate token (`hits`) is
    dropped whatever the parse, or `hopeless(run)` (it cannot reach the threshold), and the words
    of `shown` (word → the block showing it to be software) those drops rely on."""
    dead, live, relied = set(), set(), set()
    for run in candidate_runs(b, hits):
        where = set(range(b.piece_of(run[0].tokens[0].i), b.piece_of(run[-1].tokens[-1].i) + 1))
        why = _dropped(run, lex, seen, shown)
        if why is None and not hopeless(run):
            live |= where
        else:
            dead |= where
            relied |= why or set()
    dead -= live
    return dead, relied if dead else set()


def candidate_runs(b, hits: set[int]) -> list[list[Words]]:
    """The runs of a first-pass block holding a candidate token, the only ones the detector scores."""
    return [run for run in plain_runs(name_runs(b.doc), b.block) if any(t.i in hits for w in run for t in w.tokens)]


def _dropped(run: list[Words], lex: Lexicon, seen, shown) -> set[str] | None:
    """The `shown` words a run's drop relies on, or None when the parse may keep the run."""
    killers = [_killer(w, lex, shown) for w in run]
    if all(k is not None for k in killers):
        return set().union(*killers)
    for w, k in zip(run, killers, strict=True):
        if k is not None and not _may_trim(w, lex, seen):
            return k
    return None


def _killer(w: Words, lex: Lexicon, shown) -> set[str] | None:
    """The shown words that drop a run holding w (empty: a role or gazetteer word does), or None."""
    forms = set(w.parts) | {p[:-1] for p in w.parts if p.endswith("s")}
    if forms & lex.role_words or forms & lex.gazetteer:
        return set()
    found = {p for p in w.parts if p in shown}
    return found or None


def _may_trim(w: Words, lex: Lexicon, seen) -> bool:
    """Could `scoring._trimmed` take w off a run's end under some parse? (Its test, with every
    reading of the tag and lemma the parse could give.)"""
    t = w.tokens[0]
    low = t.lower_
    if len(w.tokens) > 1:
        last = w.parts[-1]
        if w.tokens[-1].text.islower() and len(last) > 4 and last.endswith(("ed", "ing", "ly")):
            return True
        return lex.common(w.text.lower()) >= ORDINARY
    if low in lex.first_names:
        return False  # neither a function word to trim nor a common word (`_common_word` is 0)
    if t.is_stop and low not in lex.world_names:
        return True
    if low.endswith("ly") and len(low) > 5:
        return True
    common = lex.common(low)
    if common >= ORDINARY or (common and low in seen):
        return True
    if len(low) > 3 and low.endswith("s") and not low.endswith("ss"):
        singular = {low[:-1], low[:-2] if low.endswith("es") else low[:-1], low[:-3] + "y" if low.endswith("ies") else low[:-1]}
        if any(x in lex.noun and x not in lex.first_names for x in singular):
            return True
    return lex.lemmas is None or any(x != low and (x in lex.noun or x in lex.other_pos) for x in lex.lemmas.of(low))
