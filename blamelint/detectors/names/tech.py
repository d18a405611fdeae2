"""Document-wide evidence that a word names software: written in lower case, inside code or a URL,
next to a version number, as a modifier of a technical noun ("the Orin cluster")."""

from __future__ import annotations

import re
from functools import lru_cache

from blamelint.analysis.lexicon import Lexicon
from blamelint.analysis.nlp import doc_text, token_starts, token_texts
from blamelint.analysis.state import kept
from blamelint.detectors.names.mention import Words, name_words, namey
from blamelint.rules.words import words

WORDS = words("names")
HYPHEN_TECH_SUFFIXES = WORDS["hyphen_tech_suffixes"]
DETERMINERS = WORDS["determiners"]

URL_RE = re.compile(r"(?:\bhttps?://|\bwww\.)[^\s<>)\]]+|\]\([^)\s]+\)", re.I)
WORD_RE = re.compile(r"[A-Za-z\u00C0-\u024F]+")
VERSION_RE = re.compile(r"^v?\d+(?:\.(?:\d+|x))+[a-z0-9-]*$|^v\d+[a-z0-9.-]*$", re.I)
PROFILE_RE = re.compile(r"(?:\]\()?(?:https?://)?(?:www\.)?(?:github\.com|gitlab\.com|bitbucket\.org|twitter\.com|x\.com|"
                        r"linkedin\.com/in|medium\.com)/(@?[\w.-]+)")
HOST_RE = re.compile(r"(?:\]\()?(?:https?://)?([^/\s?#]+)")


def tech_words(analysis, lex: Lexicon, units) -> set[str]:
    """Words the document shows to be software: in code or URLs, used in lower case, or (from
    the parse of the paragraphs this detector looks at) in a technical context."""
    tech = set(document_tech(analysis, units, lex))
    for unit in units:
        sdoc = unit.doc
        tech |= kept(sdoc, ("names", "context tech", lex), lambda sdoc=sdoc: _context_tech(sdoc, lex))
    return tech


def document_tech(analysis, units, lex: Lexicon) -> frozenset:
    """`_lexical_tech` of the whole document, computed once per first pass. `analysis` is an
    engine Analysis or a first pass (`analysis.first` is the first pass)."""
    first = analysis.first
    if first is None:
        return _lexical_tech(analysis.document, [u.doc for u in units], lex)
    key = ("names", "lexical tech", lex)
    if key not in first.cache:
        first.cache[key] = _lexical_tech(first.document, [b.doc for b in first.blocks], lex)
    return first.cache[key]


def _lexical_tech(doc, token_docs, lex: Lexicon) -> frozenset:
    """The part of the tech words that needs no parse (a pure function of the text)."""
    tech: set[str] = set()
    src = doc.source
    for s, e in doc.code_ranges:
        tech |= _code_words(src[s:e])
    hosts: set[str] = set()
    for line in src.splitlines():  # URLs never span lines; most lines are the same between edits
        for url in _line_urls(line):
            found, url_hosts = _url_words(url)
            tech |= found
            hosts |= url_hosts
    # words that need stronger evidence than appearing in code or a URL
    tech = {w for w in tech if w not in lex.first_names and not lex.common(w)}
    tech |= {h for h in hosts if len(h) > 3}
    tech_hosts = frozenset(h for h in hosts if len(h) > 5)
    joined = "\0".join(tech_hosts)  # a word in none of them is not in this either (checked first)
    for sdoc in token_docs:
        tech |= kept(sdoc, ("names", "lower tech", lex), lambda sdoc=sdoc: _lower_tech(sdoc, lex))
        if tech_hosts:  # "Orin" and myorin.io
            tech |= kept(sdoc, ("names", "host words", lex, tech_hosts), lambda sdoc=sdoc: {
                low for low in (w.text.lower() for w in name_words(sdoc))
                if len(low) > 3 and low in joined and low not in lex.first_names
                and any(low in h and low != h for h in tech_hosts)})
    return frozenset(tech)


@lru_cache(maxsize=512)
def _code_words(code: str) -> frozenset:
    return frozenset(w.lower() for w in WORD_RE.findall(code))


@lru_cache(maxsize=16384)
def _line_urls(line: str) -> tuple[str, ...]:
    return tuple(m.group(0) for m in URL_RE.finditer(line))


@lru_cache(maxsize=16384)
def _url_words(url: str) -> tuple[frozenset, frozenset]:
    """The words of a URL, and its host's parts."""
    host = HOST_RE.match(url)
    hosts = frozenset(re.split(r"[.-]", host.group(1).lower())) if host else frozenset()
    profile = PROFILE_RE.match(url)
    if profile:  # github.com/<user>/…: the first segment may be a person
        url = url[:profile.start(1)] + url[profile.end(1):]
    return frozenset(w.lower() for w in WORD_RE.findall(url)), hosts


def _lower_tech(sdoc, lex: Lexicon) -> set[str]:
    """Words one paragraph uses in lower case that English does not know, or joined to code-like punctuation."""
    tech: set[str] = set()
    inside = {t.i for w in name_words(sdoc) if len(w.tokens) > 1 for t in w.tokens}
    text, texts, starts = doc_text(sdoc), token_texts(sdoc), token_starts(sdoc)
    n = len(texts)
    for i, w in enumerate(texts):
        if len(w) <= 2 or not (w.isalpha() and w.islower()) or i in inside:
            continue
        # the characters around the word tell whether a neighbouring token touches it: a character
        # other than a space right before (after) it belongs to the token before (after), which
        # then has no space between (a Doc's first token starts its text)
        a = starts[i]
        e = a + len(w)
        before, after = text[a - 1:a], text[e:e + 1]
        if before == "@":
            continue  # prev ends with "@" and touches the word: a handle
        joined = bool(before) and before in "-_./" and texts[i - 1] in "-_./"
        if not joined and after and after in "-_./" and i + 1 < n:
            joined = texts[i + 1] in "-_./"
        low = w.lower()
        if low not in lex.first_names and (joined or not lex.common(low)):
            tech.add(low)
    return tech


def _context_tech(sdoc, lex: Lexicon) -> set[str]:
    """Capitalised words one paragraph's parse shows to be software ("the Orin dashboard")."""
    tech: set[str] = set()
    for w in name_words(sdoc):
        if _tech_context(w, sdoc, lex):
            tech.update(w.parts)
            tech.add(w.text.lower())
    return tech


def word_forms(doc) -> tuple:
    """(first token index, the forms `_context_tech` may add) of each name-like word (kept on the Doc)."""
    return kept(doc, ("names", "word forms"), lambda: tuple(
        (w.tokens[0].i, frozenset({w.text.lower(), *w.parts})) for w in name_words(doc)))


def shown_tech(doc, lex: Lexicon) -> frozenset:
    """The words of a paragraph that `_context_tech` finds to be software whatever its parse (kept
    on the Doc: `_lexical_context` of each name-like word)."""
    return kept(doc, ("names", "shown tech", lex), lambda: frozenset(
        p for w in name_words(doc) if _lexical_context(w, doc, lex) for p in (*w.parts, w.text.lower())))


def _tech_context(w: Words, sdoc, lex: Lexicon) -> bool:
    if _lexical_context(w, sdoc, lex):
        return True
    first, last = w.tokens[0], w.tokens[-1]
    nxt = sdoc[last.i + 1] if last.i + 1 < len(sdoc) else None
    prev = sdoc[first.i - 1] if first.i else None
    if nxt is not None and _tech_after(w, nxt, sdoc, lex):
        return True
    if any(t.dep_ == "appos" and t.lower_ in lex.tech_nouns and t.lower_ not in lex.role_words
           and any(c.dep_ in ("det", "poss") for c in t.children) for t in w.head.children):
        return True  # "Terraform, a tool to configure …"
    return prev is not None and _tech_before(w, prev, sdoc, lex)


def _lexical_context(w: Words, sdoc, lex: Lexicon) -> bool:
    """The part of `_tech_context` that reads the words alone, no tag or parse: a hyphenated tech
    suffix or product, a version, "team" or "on-call" or a technical noun owned after it, a product
    line or a determiner before it."""
    first, last = w.tokens[0], w.tokens[-1]
    parts = w.parts
    if len(parts) > 1 and (parts[-1] in HYPHEN_TECH_SUFFIXES or any(p in lex.gazetteer for p in parts)):
        return True
    nxt = sdoc[last.i + 1] if last.i + 1 < len(sdoc) else None
    if nxt is not None:
        if VERSION_RE.match(nxt.text):
            return True
        if nxt.lower_ in ("on-call", "oncall", "team", "teams", "squad", "rotation", "org", "department", "folks") or (
            nxt.lower_ == "on" and nxt.i + 2 < len(sdoc) and sdoc[nxt.i + 2].lower_ == "call"
        ):
            return True  # "Billing on-call", "Checkout team"
        if nxt.text in ("'s", "’s", "'", "’") and nxt.i + 1 < len(sdoc):
            owned = sdoc[nxt.i + 1]
            if owned.lower_ in lex.tech_nouns and owned.lower_ not in lex.person_nouns:
                return True
    prev = sdoc[first.i - 1] if first.i else None
    if prev is None:
        return False
    # "AWS Lambda", "GCP Console", "MS Migration tool": a product line, not a surname
    if prev.whitespace_ and prev.is_alpha and len(prev.text) > 1 and not namey(prev.text) and (
        prev.text.isupper() or re.search(r"[a-z][A-Z]", prev.text)
    ) and prev.lower_ not in lex.role_words and not re.fullmatch(r"[A-Z]{1,3}T|AM|PM|UTC|ET|PT", prev.text):
        return True
    return prev.lower_ in DETERMINERS and prev.lower_ not in ("his", "her", "my", "your", "that", "this")


def _tech_after(w: Words, nxt, sdoc, lex: Lexicon) -> bool:
    """What follows the word shows it to be software in the parse: a technical noun, a tool appositive."""
    if (
        nxt.lower_ in lex.tech_nouns and nxt.lower_ not in lex.role_words
        and nxt.pos_ in ("NOUN", "PROPN") and nxt.lower_ not in ("team", "support")
        and (w.head.head.i == nxt.i or w.head.dep_ in ("compound", "nmod", "amod"))
    ):
        return True
    if nxt.text in (",", "(") and nxt.i + 1 < len(sdoc) and sdoc[nxt.i + 1].lower_ in ("our", "the", "a", "an", "their"):
        for t in sdoc[nxt.i + 2:nxt.i + 6]:  # "Jarvis, our deploy bot, …"
            if t.lower_ in lex.role_words or t.is_punct:
                break
            after = sdoc[t.i + 1] if t.i + 1 < len(sdoc) else None
            if t.lower_ in lex.tech_nouns and t.pos_ in ("NOUN", "PROPN") and (
                after is None or after.text in (",", ")", ".", ";")
            ):
                return True
    return False


def _tech_before(w: Words, prev, sdoc, lex: Lexicon) -> bool:
    """What comes before the word shows it to be software in the parse: "the legacy Orin", a technical noun."""
    first = w.tokens[0]
    prev2 = sdoc[first.i - 2] if first.i > 1 else None
    if prev2 is not None and prev2.lower_ in ("the", "a", "an", "our", "their", "its") and prev.text.islower() \
            and prev.is_alpha and prev.lower_ not in lex.role_words and prev.pos_ in ("NOUN", "ADJ", "PROPN"):
        return True  # "the legacy Orin", "our old Hudson"
    return bool(
        prev.lower_ in lex.tech_nouns and prev.lower_ not in lex.role_words and prev.pos_ == "NOUN"
        and w.head.dep_ not in ("nsubj", "nsubjpass")
        and prev.lower_ not in ("team", "support", "channel", "room", "ticket", "issue", "page")
    )
