"""The most a run of name-like words can score under any parse, told from the words alone, so the
first pass need not send a sentence whose runs can never reach the threshold to the model.

Each cue of `scoring` and `context` is counted when the words it needs are there (a verb of its
list among the lemmas the sentence's words could have, a role word, a title, a pronoun, …),
NER's PERSON always, and the penalty for an ordinary word only where no cue can cancel it.
`_raise_known_names` and `_add_conjoined` are counted too: a run whose words another run could
confirm, or that follows or precedes a conjunction."""

from __future__ import annotations

import re

from blamelint.analysis.grammar import IRREGULAR
from blamelint.analysis.lexicon import ORDINARY, Lexicon
from blamelint.analysis.state import kept
from blamelint.detectors.names import weights
from blamelint.detectors.names.context import LABEL_WORDS, POSSESSIVE_MARKS, PRONOUNS, TITLES
from blamelint.detectors.names.mention import Words
from blamelint.detectors.names.syntax import (
    AGENT_VERBS,
    AUTOMATION_VERBS,
    DETERMINERS,
    OBJECT_VERBS,
    SOFTWARE_ROLES,
    STRONG_VERBS,
    TALK_VERBS,
)

HANDLE_PART_RE = re.compile(r"@([\w.-]+)")
TEAM_WORDS = ("team", "squad", "group", "org", "department", "side")
REPLY_VERBS = {"respond", "reply", "answer", "return"}
ACTOR_VERBS = STRONG_VERBS | AGENT_VERBS | AUTOMATION_VERBS


def handle_parts(first) -> frozenset:
    """Every part of every @handle of the document (`_raise_known_names` reads those of the
    personal ones)."""
    return frozenset(p for b in first.blocks if "@" in b.block.text
                     for h in HANDLE_PART_RE.findall(b.block.text) for p in re.split(r"[._-]+", h.lower()) if len(p) > 2)


def keys(run: list[Words]) -> set[str]:
    """The keys a mention of the run can have (trimming leaves a stretch of it), and its words."""
    texts = [w.text.lower() for w in run]
    return {" ".join(texts[i:j]) for i in range(len(texts)) for j in range(i + 1, len(texts) + 1)}


def best_score(run: list[Words], b, lex: Lexicon, seen, handles) -> float:
    """An upper bound of the score of a mention made of (a stretch of) run in the first-pass block
    b, before the raises that depend on other mentions (`raises`)."""
    doc, text = b.doc, b.block.text
    last = run[-1].tokens[-1]
    spans = b.pieces
    k, z = b.piece_of(run[0].tokens[0].i), b.piece_of(last.i)
    lo, hi = spans[k][0], spans[z][1]
    words, verbs = kept(doc, ("names", "bound words", lex, lo, hi), lambda: _words(doc, lo, hi, lex))
    parts = {p for w in run for p in w.parts}
    score = weights.BASE + weights.NER_PERSON
    if parts & lex.first_names:
        score += weights.FIRST_NAME
    elif parts & lex.world_names:
        score += weights.WORLD_NAME
    if len(run) > 1:
        score += weights.FULL_NAME
    if any(w.text.lower() in handles or set(w.parts) & handles for w in run):
        score += weights.MATCHES_HANDLE
    roles = any(x in lex.role_words and x not in SOFTWARE_ROLES for x in words)
    subject = max(weights.SUBJECT_OF_STRONG_VERB if verbs & STRONG_VERBS else 0.0,
                  weights.SUBJECT_OF_AGENT_VERB if verbs & AGENT_VERBS else 0.0,
                  weights.SUBJECT_OF_AUTOMATION_VERB if verbs & AUTOMATION_VERBS else 0.0,
                  weights.SUBJECT_OF_REPLY_VERB if verbs & REPLY_VERBS else 0.0,
                  weights.SUBJECT_OF_OTHER_VERB) + (weights.ROLE_COMPLEMENT if roles else 0.0)
    place = max(subject,
                weights.ACCORDING_TO if "according" in words else 0.0,
                weights.AGENT_OF_VERB if verbs & ACTOR_VERBS else 0.0,
                weights.OBJECT_OF_VERB if verbs & OBJECT_VERBS else 0.0,
                weights.TALKED_TO if verbs & TALK_VERBS else 0.0)
    explicit = "according" in words
    if words & {"and", "&"}:
        score += weights.COORDINATED_SUBJECT
    # the words before and after each stretch a trimmed mention can start or end with
    before, after = 0.0, 0.0
    n = len(doc)
    for w in run:
        i, j = w.tokens[0].i, w.tokens[-1].i
        prev = doc[i - 1] if i else None
        prev2 = doc[i - 2] if i > 1 else None
        nxt = doc[j + 1] if j + 1 < n else None
        nxt2 = doc[j + 2] if j + 2 < n else None
        cue = 0.0
        if prev is not None:
            low = prev.lower_
            if low.rstrip(".") + "." in TITLES:
                cue += weights.TITLE
                explicit = True
            if low in lex.role_words:
                cue += weights.AFTER_ROLE
            elif prev2 is not None and (low == "," and prev2.lower_ in lex.role_words or low == "(" and (
                    prev2.lower_ in lex.role_words or prev2.lower_ in ("call", "i", "me", "we") or prev2.lower_ in LABEL_WORDS)):
                cue += weights.ROLE_APPOSITIVE_BEFORE
                explicit = True
            if low == "to" and prev2 is not None and prev2.lower_ in ("thanks", "kudos", "credit"):
                cue += weights.THANKS_TO
        before = max(before, cue)
        cue = 0.0
        if nxt is not None:
            if nxt.text in POSSESSIVE_MARKS:
                cue += weights.OWNS_PERSONAL_THING
            if nxt.text == "(" and any(t.lower_ in lex.role_words or t.lower_ in LABEL_WORDS for t in doc[j + 2:j + 7]):
                cue += weights.ROLE_IN_PARENS
                explicit = True
            if nxt.text == "," and nxt2 is not None and (nxt2.lower_ == "who" or nxt2.lower_ in DETERMINERS or nxt2.lower_ in (
                    "our", "the", "a", "an", "their", "my")):
                cue += weights.ROLE_APPOSITIVE_AFTER
                explicit = True
            if nxt.lower_ == "from" and any(t.lower_ in TEAM_WORDS for t in doc[j + 2:j + 7]):
                cue += weights.FROM_A_TEAM
                explicit = True
        after = max(after, cue)
    score += place + before + after
    if words & PRONOUNS or (hi < n and doc[hi].lower_ in ("he", "she")):
        score += weights.PRONOUN
    colon = text.find(":")
    if 0 < colon < 60 and colon < last.idx and any(
            x in LABEL_WORDS or x in lex.role_words for x in re.findall(r"[a-z-]+", text[:colon].lower())):
        score += weights.LISTED_UNDER_ROLE
        explicit = True
    return score if explicit else score - _least_penalty(run, lex, seen)


def raises(run: list[Words], text: str, confirmable: set[str]) -> float:
    """The most `_raise_known_names` (named elsewhere) and `_add_conjoined` can add to the run."""
    out = 0.0
    if keys(run) & confirmable:
        out += weights.NAMED_ELSEWHERE
    a, b = run[0].tokens[0].idx, run[-1].tokens[-1].idx + len(run[-1].tokens[-1].text)
    if re.search(r"(?:,? and |, )$", text[max(a - 20, 0):a]) or re.match(r",? and |, ", text[b:]) \
            or re.search(r"(?:,? and |, )\S*\.?\s*$", text[max(a - 30, 0):a]):  # (before a title too)
        out += weights.CONJOINED_WITH_NAME
    return out


def _words(doc, lo: int, hi: int, lex: Lexicon) -> tuple[frozenset, frozenset]:
    """The lower forms of tokens lo … hi, and the verb lemmas they and the next two tokens could
    have (a verb read past the piece: "… Dagny rolls back")."""
    words = frozenset(t.lower_ for t in doc[lo:hi])
    return words, frozenset(_verb_lemmas(words | {t.lower_ for t in doc[hi:hi + 2]}, lex))


def _verb_lemmas(words: set[str], lex: Lexicon) -> set[str]:
    """Every lemma `grammar.lemma` or `syntax.verb_lemma` could give one of the words."""
    out = set()
    for w in words:
        out.add(w)
        out.update((w[:-1], w[:-2]))
        if lex.lemmas is not None:
            out |= lex.lemmas.of(w)
        for prefix in ("", "re", "un", "mis", "over", "under"):
            rest = w[len(prefix):]
            if w.startswith(prefix) and rest in IRREGULAR:
                out.add(prefix + IRREGULAR[rest])
    return out


def _least_penalty(run: list[Words], lex: Lexicon, seen) -> float:
    """The least `scoring._common_penalty` can take off a mention of (a stretch of) the run."""
    least = []
    for w in run:
        if len(w.tokens) > 1:
            least.append(0.0)
            continue
        t = w.tokens[0]
        low = t.lower_
        value = lex.common(low)
        if low in lex.first_names:
            least.append(0.0)
        elif value >= ORDINARY or (value and low in seen):
            least.append(ORDINARY)
        else:
            least.append(0.0)
    return min(least)
