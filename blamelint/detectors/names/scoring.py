"""Name mentions in one paragraph: runs of name-like words, each scored from what the words are
(first name, NER PERSON, ordinary English) and from the sentence around them (`context`)."""

from __future__ import annotations

from blamelint.analysis.grammar import sentence_initial
from blamelint.analysis.lexicon import ORDINARY, Lexicon
from blamelint.analysis.state import kept
from blamelint.detectors.names import weights
from blamelint.detectors.names.context import add_context
from blamelint.detectors.names.mention import Mention, Words, name_runs, name_words, plain_runs
from blamelint.detectors.names.trigger import candidate

FUNCTION_POS = ("VERB", "AUX", "ADP", "DET", "PRON", "CCONJ", "SCONJ", "ADV", "NUM", "PART")


def cached_mentions(unit, lex: Lexicon, tech, seen, lexical_tech) -> list[Mention]:
    """`_name_mentions`, kept on the paragraph's Doc and keyed by the document-wide facts it reads
    (which of its words are technical or used in lower case), so an edit elsewhere reuses it.
    Returns fresh copies: the caller adds cues to them."""
    doc = unit.doc
    vocab = kept(doc, ("names", "vocab"), lambda: frozenset(
        {t.lower_ for t in doc} | {p for w in name_words(doc) for p in [w.text.lower(), *w.parts]}))
    key = (lex, vocab & tech, vocab & seen, vocab & lexical_tech)
    cache = kept(doc, ("names", "mentions"), dict)
    found = cache.get(key)
    if found is None:
        found = cache[key] = _name_mentions(unit, lex, tech, seen, lexical_tech)
    return [m.copy(unit) for m in found]


def _name_mentions(unit, lex: Lexicon, tech: set[str], seen: set[str], lexical_tech) -> list[Mention]:
    sdoc = unit.doc
    text = unit.block.text
    out: list[Mention] = []
    for group in plain_runs(name_runs(sdoc), unit.block):
        if not any(candidate(t, lex, lexical_tech, text, seen) for w in group for t in w.tokens if t.text != "-"):
            continue  # what the first pass ruled out (trigger) is never a name
        m = _score_span(group, unit, sdoc, text, lex, tech, seen)
        if m is not None:
            out.append(m)
    return out


def _common_word(w: Words, lex: Lexicon, seen: set[str], alone: bool = True) -> float:
    """How much a capitalised word looks like ordinary English (0 = a name-like word)."""
    if len(w.tokens) > 1:
        last = w.parts[-1]
        if w.tokens[-1].text.islower() and len(last) > 4 and last.endswith(("ed", "ing", "ly")):
            return ORDINARY  # "Latency-focused"
        return lex.common(w.text.lower())
    t = w.tokens[0]
    if t.pos_ == "ADV" and t.lower_.endswith("ly") and len(t.lower_) > 5 and t.lower_ not in lex.first_names:
        return ORDINARY  # "Frankly, …": a sentence adverb the word lists may not know
    value = max(lex.common(t.lower_), _inflected(t, lex))
    if value and t.lower_ in seen and t.lower_ not in lex.first_names:
        return ORDINARY  # the document also uses it as an ordinary word
    if value and value < ORDINARY and alone and t.pos_ == "PROPN" and t.ent_type_ == "PERSON":
        value = 0.0  # a noun WordNet knows as a proper name too ("Harper")
    return value


def _inflected(t, lex: Lexicon) -> float:
    """"Alerts", "Replicas": an inflected English word is not a name."""
    lemma = t.lemma_.lower()
    w = t.lower_
    if w in lex.first_names:
        return 0.0
    if len(w) > 3 and w.endswith("s") and not w.endswith("ss"):
        singular = {w[:-1], w[:-2] if w.endswith("es") else w[:-1], w[:-3] + "y" if w.endswith("ies") else w[:-1]}
        if any(x in lex.noun and x not in lex.first_names for x in singular):
            return ORDINARY  # "Alerts", "Eyeballs"
    if t.pos_ == "PROPN" or lemma == w:
        return 0.0
    return ORDINARY if lemma in lex.noun or lemma in lex.other_pos else 0.0


def _trimmed(group: list[Words], lex: Lexicon, seen: set[str]) -> list[Words]:
    """The run without ordinary words at its ends ("Consider Happy Eyeballs", "Ines Duarte Last Modified")."""

    def trimmable(w: Words) -> bool:
        t = w.tokens[0]
        if len(w.tokens) == 1 and t.is_stop and (t.pos_ in ("SCONJ", "ADP", "DET", "CCONJ", "PRON") or t.lower_ in (
                "had", "were")) and t.lower_ not in lex.first_names and t.lower_ not in lex.world_names:
            return True  # "If Ilse had …", "Had Lucía read …": a capitalised function word opening the sentence
        return _common_word(w, lex, seen, False) >= ORDINARY and (t.pos_ != "PROPN" or t.is_stop)

    while len(group) > 1 and trimmable(group[0]):
        group = group[1:]
    while len(group) > 1 and trimmable(group[-1]):
        group = group[:-1]
    return group


def _score_span(group: list[Words], unit, sdoc, text: str, lex: Lexicon, tech: set[str],
                seen: set[str]) -> Mention | None:
    """The mention a run of name-like words makes, scored; None when it is a role, software or
    a function word with nothing to say it is a name."""
    group = _trimmed(group, lex, seen)
    parts = [p for w in group for p in w.parts]
    full = " ".join(w.text for w in group).lower()
    forms = set(parts) | {t.lemma_.lower() for w in group for t in w.tokens} | {p[:-1] for p in parts if p.endswith("s")}
    if forms & lex.role_words:
        return None
    if forms & lex.gazetteer or full in lex.gazetteer or any(p in tech for p in parts) or full in tech:
        return None
    first_tok, last_tok = group[0].tokens[0], group[-1].tokens[-1]
    inside = {t.i for w in group for t in w.tokens}
    heads = [w.head for w in group]
    head = next((h for h in heads if h.head.i not in inside or h.head.i == h.i), heads[-1])
    function_word = all(t.pos_ in FUNCTION_POS for w in group for t in w.tokens if t.text != "-") \
        and head.ent_type_ != "PERSON"

    m = Mention(unit, first_tok.idx, last_tok.idx + len(last_tok.text), "name", full, [w.text for w in group])
    m.first_name = parts[0] in lex.first_names
    m.ner_person = any(t.ent_type_ == "PERSON" for w in group for t in w.tokens)
    m.score = weights.BASE
    if m.first_name:
        m.add(weights.FIRST_NAME, "first name")
    elif parts[0] in lex.world_names and parts[0] not in tech:
        m.add(weights.WORLD_NAME, "a first name somewhere in the world")
    if m.ner_person:
        m.add(weights.NER_PERSON, "NER PERSON")
    commons = [_common_word(w, lex, seen, len(group) == 1) for w in group]
    penalty = _common_penalty(m, group, commons, first_tok, lex, seen)
    if len(group) >= 2 and max(commons) == 0:
        m.add(weights.FULL_NAME, "full name")
    add_context(m, first_tok, last_tok, head, sdoc, text, lex)
    if m.explicit and penalty:
        m.add(penalty, "explicitly a person")  # "Will from the data team", "Ms. May"
        m.common = 0.0
    elif function_word and (m.common or first_tok.is_stop or m.score < weights.FUNCTION_WORD_MIN_SCORE):
        return None  # "Will", "May" … unless an unknown word the tagger misread has a person's context
    if m.titled:
        m.a = sdoc[first_tok.i - 1].idx
    return m


def _common_penalty(m: Mention, group: list[Words], commons: list[float], first_tok, lex: Lexicon,
                    seen: set[str]) -> float:
    """How ordinary the words are (`m.common`, `m.ordinary`; `commons`: each word's), subtracted
    from the score as a penalty, which is returned."""
    m.ordinary = bool(min(_common_word(w, lex, seen, False) for w in group))
    # "Chaos Monkey": a run of ordinary words is a phrase; "Hye Jin": one odd word makes it a name
    common = max(commons) if min(commons) and max(commons) >= ORDINARY else min(commons)
    if first_tok.is_stop:
        common = max(common, ORDINARY if not m.first_name else weights.STOP_WORD_FIRST_NAME_COMMON)
    m.common = common
    if not common:
        return 0.0
    penalty = common + (weights.SENTENCE_START_PENALTY if sentence_initial(first_tok) else 0.0)
    m.add(-penalty, "common English word")
    return penalty
