"""What blamelint keeps on a spaCy Doc: one typed record instead of loose keys in `user_data`.

A Doc is cached per text (see `nlp.Analyzer`), so whatever is worked out from a Doc's text alone
is kept on it and reused by the next lint of an edited document. Facts every part of the
pipeline reads have a field; a detector's own derived facts go in `memo`, keyed by a tuple whose
first item names the owner (`("names", "words")`). Keys hold the objects they depend on (a
Lexicon, a RuleSet), never their `id()`: an id can be reused once its object is gone.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

_KEY = "blamelint"


@dataclass(eq=False)
class DocState:
    text: str | None = None  # the Doc's text, timestamps masked (spaCy builds `Doc.text` per access)
    ner: bool = False  # every sentence has been given entities
    token_texts: list[str] | None = None
    token_starts: list[int] | None = None
    words: tuple | None = None  # (lower forms, lemmas) of the first pass (`triggers.lemmas_for`)
    matches: dict = field(default_factory=dict)  # MatcherSet key → rule id → character spans
    findings: dict = field(default_factory=dict)  # `Analysis.memo`: a detector's findings in this text
    memo: dict = field(default_factory=dict)  # other facts of this text alone, by (owner, what, *params)


def state(doc) -> DocState:
    """The Doc's record, made on first use."""
    found = doc.user_data.get(_KEY)
    if found is None:
        found = doc.user_data[_KEY] = DocState()
    return found


def kept(doc, key: tuple, make: Callable[[], Any]):
    """`make()`, worked out once per Doc and kept in its `memo` under key: for facts of its text
    alone (a Doc is cached per text, so an edit elsewhere reuses them)."""
    memo = state(doc).memo
    found = memo.get(key)
    if found is None:
        found = memo[key] = make()
    return found
