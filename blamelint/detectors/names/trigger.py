"""The first pass of named_individual: which tokens could be a name (`candidate`), decided without
the parse, and which pieces of which blocks the model must read for them (`trigger`)."""

from __future__ import annotations

from bisect import bisect_right

from blamelint.analysis.grammar import starts_sentence
from blamelint.analysis.lexicon import CALENDAR_WORDS, Lexicon, lexicon_for, seen_words
from blamelint.analysis.state import kept
from blamelint.analysis.triggers import Pieces
from blamelint.detectors.names import weights
from blamelint.detectors.names.bound import best_score, handle_parts, keys, raises
from blamelint.detectors.names.context import person_cue
from blamelint.detectors.names.handles import personal_handles
from blamelint.detectors.names.mention import namey, namey_tokens
from blamelint.detectors.names.prune import candidate_runs, never_named
from blamelint.detectors.names.tech import document_tech, shown_tech, word_forms


def candidate(tok, lex: Lexicon, tech, text: str, seen=frozenset()) -> bool:
    """Could this token be (part of) a reported name? Decided without the parse, so the first pass
    and the detector agree: capitalised like a name, not a stop word (unless a first name: "Will"),
    not software, a role or something the document shows to be technical, and not an English word
    that is capitalised only because it starts a sentence ("Traffic rose", "Dropped requests")."""
    if not namey(tok.text):
        return False
    w = tok.lower_
    if w in lex.first_names:
        return w not in tech
    if w in lex.gazetteer or w in lex.role_words or w in tech or in_date(tok):
        return False
    if tok.is_stop or (starts_sentence(text, tok.idx) and (w in seen or lex.ordinary(w))):
        return person_cue(tok)  # "Will from the data team", "Ms. May", "Rich (SRE)"
    return True


def in_date(tok) -> bool:
    """A month or weekday abbreviation next to a number: "Jul 19", "19 Aug", "Tue 14:05"."""
    if tok.lower_ not in CALENDAR_WORDS:
        return False
    doc, i = tok.doc, tok.i
    return any(0 <= j < len(doc) and doc[j].text[:1].isdigit() for j in (i - 1, i + 1))


def trigger(first) -> dict:
    """The pieces (sentences) of each block with a personal handle or a name candidate (see
    `candidate`), which need entities, with the next piece when it opens with "he" or "she" (the
    pronoun cue reads it); and the pieces that use one of their words elsewhere, whose parse
    alone is read (it can show the word to be software). A candidate whose run of words the
    detector drops whatever the parse (`prune.never_named`) selects nothing; the blocks that show
    its words to be software then stay in the detector's view, unparsed. Its pieces still get
    entities when another detector or rule has them parsed: a guard may read them (a PROPN with no
    entity reads as a person)."""
    lex = lexicon_for(first.ruleset, first.nlp)
    tech = document_tech(first, None, lex)
    seen = seen_words(first)
    shown = {}  # word → the first block whose words alone show it to be software
    for b in first.blocks:
        for w in shown_tech(b.doc, lex):
            shown.setdefault(w, b.index)
    # the most each candidate run can score, and the names that could be confirmed somewhere
    bar = _bar(first) - 1e-6
    handles = handle_parts(first)
    best, confirmable = {}, set()
    for b in first.blocks:
        if b.block.kind != "heading":
            for run in candidate_runs(b, _hit_tokens(b, lex, tech, seen)):
                best[id(run)] = score = best_score(run, b, lex, seen, handles)
                if score >= bar:
                    confirmable |= keys(run)
    out: dict[int, Pieces] = {}
    found, relied, spared = set(), set(), {}
    for b in first.blocks:
        if b.block.kind == "heading":
            continue
        text = b.block.text
        hits = [(w, k) for w, how, cue, k in _piece_verdicts(b, lex) if _verdict(w, how, cue, tech, seen)]
        if hits:
            dead, why = never_named(b, lex, seen, shown, _hit_tokens(b, lex, tech, seen),
                                    lambda run, text=text: best[id(run)] + raises(run, text, confirmable) < bar)
            hits = [(w, k) for w, k in hits if k not in dead]
            relied |= why
            if dead:
                spared[b.index] = dead
        at = {k for _, k in hits}
        if "@" in text:
            at |= _handle_pieces(b, lex, first.config)
        if b.index in spared:
            spared[b.index] = _with_pronoun(b, spared[b.index]) - at
        if not at:
            continue
        found.update(w for w, _ in hits)
        out[b.index] = Pieces.fromkeys(_with_pronoun(b, at), True)
    # the parse of any other piece (headings too) using the same word, alone or in a compound,
    # can show it to be software (`tech._context_tech`)
    for b in first.blocks if found else ():
        shared = [i for i, forms in word_forms(b.doc) if not forms.isdisjoint(found)]
        if shared:
            mine = out.setdefault(b.index, Pieces())
            for i in shared:
                mine.setdefault(b.piece_of(i), False)
    for w in relied:
        out.setdefault(shown[w], Pieces())
    for i, dead in spared.items():
        out.setdefault(i, Pieces()).entities_if_parsed |= dead
    return out


def _bar(first) -> float:
    """The lowest score the detector reports: its rules' threshold (the public one in the public profile)."""
    opts = [r.options or {} for r in first.ruleset.rules if r.check == "named_individual"]
    low = [float(o.get("threshold", weights.DEFAULT_THRESHOLD)) for o in opts] or [weights.DEFAULT_THRESHOLD]
    if first.config.profile == "public":
        low += [float(o.get("public_threshold", weights.DEFAULT_PUBLIC_THRESHOLD)) for o in opts]
    return min(low) - weights.EPSILON


def _hit_tokens(b, lex: Lexicon, tech, seen) -> set[int]:
    """The candidate tokens of a first-pass block (see `candidate`)."""
    return {i for w, how, cue, i in _candidate_verdicts(b.doc, b.block.text, lex) if _verdict(w, how, cue, tech, seen)}


def _with_pronoun(b, at: set[int]) -> set[int]:
    """The pieces, with the next one of each when it opens with "he" or "she"."""
    spans = b.pieces
    return at | {k + 1 for k in at if k + 1 < len(spans) and spans[k + 1][0] < len(b.doc)
                 and b.doc[spans[k + 1][0]].lower_ in ("he", "she")}


def _piece_verdicts(b, lex: Lexicon) -> list:
    """`_candidate_verdicts` of a first-pass block with the piece of each token (kept on the Doc)."""
    return kept(b.doc, ("names", "piece verdicts", lex), lambda: [
        (w, how, cue, b.piece_of(i)) for w, how, cue, i in _candidate_verdicts(b.doc, b.block.text, lex)])


def _handle_pieces(b, lex: Lexicon, config) -> set[int]:
    """The pieces of a first-pass block with a personal handle (kept on the Doc, per allowlist)."""
    return kept(b.doc, ("names", "handle pieces", lex, tuple(config.allow_names)), lambda: {
        max(bisect_right(b.piece_chars, a) - 1, 0) for a in personal_handles(b.block.text, lex, config)})


def _candidate_verdicts(doc, text: str, lex: Lexicon) -> list:
    """`candidate` for each name-like token, with what the text fixes worked out once (kept on the
    cached Doc): (word, how the rest of the document decides, person cue, token index)."""
    return kept(doc, ("names", "verdicts", lex), lambda: _verdicts(doc, text, lex))


def _verdicts(doc, text: str, lex: Lexicon) -> list:
    found = []
    for tok in namey_tokens(doc):
        w = tok.lower_
        if w in lex.first_names:
            found.append((w, "name", False, tok.i))
        elif w in lex.gazetteer or w in lex.role_words or in_date(tok):
            continue
        elif tok.is_stop or (starts_sentence(text, tok.idx) and lex.ordinary(w)):
            found.append((w, "cue", person_cue(tok), tok.i))
        elif starts_sentence(text, tok.idx):
            found.append((w, "initial", person_cue(tok), tok.i))
        else:
            found.append((w, "name", False, tok.i))
    return found


def _verdict(w: str, how: str, cue: bool, tech, seen) -> bool:
    if w in tech:
        return False
    if how == "cue":
        return cue
    if how == "initial":  # an unknown word at a sentence start: a name unless used in lower case
        return cue or w not in seen
    return True
