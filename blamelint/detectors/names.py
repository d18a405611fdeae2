"""named_individual: people named in the narrative, and personal @handles.

spaCy's small model calls many programs PERSON ("Kafka", "Jenkins") and misses many real names,
so a name is scored from several kinds of evidence instead of trusting NER:

- what the word is: a gazetteer of software, services, places and calendar words (rule data), a
  modest list of first names, the model's own English word lists (a capitalised "Support" or
  "Quota" at the start of a sentence is a word, not a name) and the NER label;
- what the sentence says about it: the subject of a verb only people do ("paged", "said",
  "forgot"), of an agentive verb with an object ("Eero pushes the hotfix"), "according to X",
  titles and role appositives ("our intern, X", "X (SRE)", "X from the payments team"), "he/she"
  later in the sentence, possessives of things people own ("X's laptop");
- what the document says about the word elsewhere: written lower-case, inside code or a URL, next
  to a version number, as a modifier of a technical noun ("the X cluster") → software.

A name confirmed once in a document raises every other mention of it. Handles are personal unless
they look like a team, rotation or bot (`@sre-team`, `@payments-oncall`).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from functools import cached_property, lru_cache

from blamelint.analysis.nlp import doc_text, token_starts, token_texts
from blamelint.analysis.state import kept
from blamelint.analysis.triggers import lemmas_for
from blamelint.detectors import detector
from blamelint.findings import Edit, Fix

# ---------------------------------------------------------------------------------------------
# Built-in grammar words (the domain lists live in rules/named-individual.yaml under `data:`)

STRONG_VERBS = frozenset("""
say tell ask page ping message email text call dm notice decide approve forget join escalate acknowledge ack
realize realise think believe suspect suggest propose recommend agree disagree argue explain mention comment
reply apologize apologise admit insist complain promise volunteer remember want wish ignore skip spot
wake assume misread misunderstand overlook neglect bother hope worry feel know learn guess pair shadow
coordinate sign rubber-stamp investigate triage debug diagnose correlate look walk leave wonder choose opt
elect decline hesitate intend plan prefer expect recall confess blame thank greet announce ask chat
invite nominate delegate hand contact tweet flag
""".split())

# agentive verbs people do far more often than programs ("Eero pushed the hotfix") ...
AGENT_VERBS = frozenset("""
push merge publish rotate add write rewrite edit modify change share type paste click commit open close file
create delete remove update upgrade downgrade patch fix revert roll review test verify check complete make
bump set silence mute snooze cordon drain disable enable increase decrease lower raise grant revoke assign
send upload copy move rename refactor introduce implement develop design perform finish try attempt confirm
declare page enter select turn switch take give bring use own lead manage fork clone spin tear wipe truncate
identify find discover link mitigate resolve handle edit hardcode misconfigure approve restart deploy report
""".split())

# ... and ones schedulers, operators and CI systems do as often as people ("Velero restored the snapshot")
AUTOMATION_VERBS = frozenset("""
run apply trigger kick start stop pause resume execute scale reboot kill terminate promote
provision install uninstall build release ship tag cut schedule purge flush clear reset migrate configure
reconfigure import export download do launch restore drop sync reconcile rebuild recreate replace rerun
""".split())

SYSTEM_VERBS = frozenset("""
fail crash hang stall recover degrade time timeout error return reject throw emit log exceed spike leak serve
break die flap lag retry loop saturate evict choke queue process consume produce alert fire go come become
succeed reach hit surface expire overflow overload refuse
""".split())

OBJECT_VERBS = frozenset("""
page ping ask tell message email call dm thank wake notify contact remind cc loop hand assign escalate
mention tag invite text blame reach consult warn
""".split())

# verbs that, with two or more unknown capitalised words coordinated as their subject, mark people
# ("X and Y split the work", "X and Y worked through the night")
COORD_VERBS = frozenset("""
work split divide share spend stay pair collaborate meet discuss talk sync swap trade cover take handle
team partner huddle brainstorm agree disagree step jump hop dig stay volunteer alternate rotate
""".split())

# "talking to X", "spoke with X": people are talked to, programs are queried
TALK_VERBS = frozenset("talk speak chat sync meet confer consult check speak catch touch".split())

# role nouns that also name software ("the agent", "the operator"): not a cue after "X was the …"
SOFTWARE_ROLES = frozenset("agent operator head tech shadow hire partner admin administrator rep representative".split())

# a leading time expression without a comma: "At 14:02 Ingrid paged …", "Around 09:10 UTC Oona …"
TIME_PREPS = frozenset("at around about by after before until from approximately circa ~".split())

TITLES = frozenset("mr mr. mrs mrs. ms ms. dr dr. prof prof. sir dame".split())
DETERMINERS = frozenset("the a an our their its this that these those every each any no some his her your my".split())
PRONOUNS = frozenset("he she him her his hers himself herself".split())
PARTICLES = frozenset("van von de da del der den di du la le bin ibn al el dos das ter".split())
HYPHEN_TECH_SUFFIXES = frozenset("""
based backed style like compatible powered managed native driven specific only enabled aware side wide
level hosted aware centric first wrapper exporter operator agent client server to
""".split())
LABEL_WORDS = frozenset("""
rotation commander commanders responder responders author authors owner owners on-call oncall lead leads
reviewer reviewers participants participant attendees attendee ic scribe contact contacts reporter
reporters people present investigators facilitator assignee assignees primary secondary backup
""".split())

HANDLE_RE = re.compile(r"(?<![\w@.+/\\-])@([A-Za-z0-9](?:[\w.-]*[A-Za-z0-9])?)(?![\w@])")
URL_RE = re.compile(r"(?:\bhttps?://|\bwww\.)[^\s<>)\]]+|\]\([^)\s]+\)", re.I)
WORD_RE = re.compile(r"[A-Za-z\u00C0-\u024F]+")
VERSION_RE = re.compile(r"^v?\d+(?:\.(?:\d+|x))+[a-z0-9-]*$|^v\d+[a-z0-9.-]*$", re.I)
TIME_PREFIX_RE = re.compile(
    r"^[\W_]*(?:\d{4}-\d{2}-\d{2}[ T]?)?(?:\d{1,2}:\d{2}(?::\d{2})?)?(?:\s*[-–]\s*\d{1,2}:\d{2})?"
    r"\s*(?:UTC|GMT|Z|[A-Z]{2,4}T)?[\W_]*$"
)


CALENDAR_WORDS = frozenset(
    "jan feb mar apr jun jul aug sep sept oct nov dec january february march july august september october "
    "november december monday tuesday wednesday thursday friday saturday sunday mon tue tues wed thu thur "
    "thurs fri sat sun".split())
# Endings of abstract nouns, which are not people's names ("Coordination", "Latency", "Availability").
ABSTRACT_NOUN_RE = re.compile(r"(?:tion|sion|ment|ness|ity|ance|ence|ency|ancy|ics|ogy|ism|ysis|esis|"
                              r"ility|ship|hood|dom|ware)$")


@dataclass
class Lexicon:
    gazetteer: frozenset
    tech_nouns: frozenset
    role_words: frozenset
    person_nouns: frozenset
    team_words: frozenset
    first_names: frozenset
    noun: frozenset = frozenset()
    other_pos: frozenset = frozenset()  # verbs, adjectives, adverbs of English
    lemmas: object = None  # blamelint.analysis.triggers.Lemmas

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
            return 0.35
        if w in self.noun or w in self.role_words:
            return 0.15
        return 0.0


_LEXICONS: dict[tuple, Lexicon] = {}


def _lexicon(analysis) -> Lexicon:
    data = analysis.ruleset.data
    meta = getattr(analysis.nlp, "_meta", None) or {}  # (the `meta` property rebuilds a dict per call)
    key = (id(data), meta.get("lang"), meta.get("name"), meta.get("version"))  # the light and full pipeline agree
    if key not in _LEXICONS:

        def words(name):
            return frozenset(str(w).lower() for w in data.get(name, []) or [])

        noun: frozenset = frozenset()
        other: frozenset = frozenset()
        try:
            table = analysis.nlp.get_pipe("lemmatizer").lookups.get_table("lemma_index")
            noun = frozenset(table["noun"])
            other = frozenset(table["verb"]) | frozenset(table["adj"]) | frozenset(table["adv"])
        except (KeyError, ValueError, AttributeError):
            pass
        _LEXICONS[key] = Lexicon(
            gazetteer=words("names_gazetteer"),
            tech_nouns=words("names_tech_nouns"),
            role_words=words("names_role_words"),
            person_nouns=words("names_person_nouns"),
            team_words=words("names_team_handle_words"),
            first_names=words("names_first_names"),
            noun=noun,
            other_pos=other,
            lemmas=lemmas_for(analysis.nlp),
        )
    return _LEXICONS[key]


# ---------------------------------------------------------------------------------------------


@dataclass(eq=False)
class Mention:
    unit: object
    a: int  # prose span of the name (or handle) in unit.block.text
    b: int
    kind: str  # "name" | "handle"
    key: str  # lower-cased name / handle without @
    words: list[str]
    score: float = 0.0
    cues: list[str] = field(default_factory=list)
    ner_person: bool = False
    first_name: bool = False
    verb: str | None = None  # lemma of the verb the name is the subject of
    position: str = "other"  # subject | object | possessive | according | other
    grammatical: bool = False  # a noun-phrase slot where a role phrase fits
    appositive: tuple | None = None  # ("space" | "comma" | "paren", token before the name): delete, keep the role
    owner: bool = False  # follow-up owner handle
    label_list: bool = False
    titled: bool = False  # preceded by Mr./Dr. (included in a)
    team_member: bool = False  # "X from the payments team"
    object_verb: str | None = None  # "paged X", "escalated to X"
    paren_role: tuple | None = None  # "Jane (SRE)": (end of the parenthesis, "SRE")
    explicit: bool = False  # a title, role appositive or "from the X team" marks a person
    ordinary: bool = False  # every word is also an English word ("Policy", "Harper")
    common: float = 0.0

    def add(self, value: float, cue: str) -> None:
        self.score += value
        self.cues.append(cue)


@dataclass
class Words:
    """One name-like word: a token, or tokens joined by hyphens without spaces ("Hye-jin")."""

    tokens: list

    @cached_property  # (a Words is kept with its Doc's other facts, and read many times)
    def text(self) -> str:
        return "".join(t.text_with_ws for t in self.tokens).strip()

    @cached_property
    def parts(self) -> list[str]:
        return [t.lower_ for t in self.tokens if t.text != "-"]

    @property
    def head(self):
        ids = {t.i for t in self.tokens}
        for t in self.tokens:
            if t.head.i not in ids or t.head.i == t.i:
                return t
        return self.tokens[-1]


def _namey(text: str) -> bool:
    """Capitalised like a name: "Amaru", "McKenzie", "O'Brien", "Zoë"; not "KIAM", "GitHub", "Ansible2"."""
    if len(text) < 2 or not text[0].isupper() or not text.replace("'", "").replace("’", "").isalpha():
        return False
    rest = text[1:]
    for prefix in ("c", "ac", "'", "’"):  # Mc, Mac, O'
        if rest.startswith(prefix) and len(rest) > len(prefix) + 1 and rest[len(prefix)].isupper():
            rest = rest[len(prefix) + 1:]
            break
    return rest.islower() or rest == ""


def _words(doc) -> list[Words]:
    """Capitalised words and hyphenated compounds of a Doc (kept on the Doc: it is cached per text)."""
    cached = doc.user_data.get("blamelint_names_words")
    if cached is None:
        cached = doc.user_data["blamelint_names_words"] = _find_words(doc)
    return cached


def _find_words(doc) -> list[Words]:
    out: list[Words] = []
    n, after = len(doc), 0
    for t in _namey_tokens(doc):
        i = t.i
        if i < after:
            continue  # inside the compound before ("Foo-Bar-Baz")
        toks = [t]
        j = i
        while (
            j + 2 < n and not doc[j].whitespace_ and doc[j + 1].text == "-" and not doc[j + 1].whitespace_
            and doc[j + 2].is_alpha
        ):
            toks += [doc[j + 1], doc[j + 2]]
            j += 2
        out.append(Words(toks))
        after = j + 1
    return out


def _allowed(config, *keys: str) -> bool:
    allow = {a.lower().lstrip("@") for a in config.allow_names}
    return any(k and k.lower().lstrip("@") in allow for k in keys)


# ---------------------------------------------------------------------------------------------
# Document-wide evidence that a word names software


def _tech_words(analysis, lex: Lexicon, units) -> set[str]:
    """Words the document shows to be software: in code or URLs, used in lower case, or (from
    the parse of the paragraphs this detector looks at) in a technical context."""
    tech = set(_document_tech(analysis, units, lex))
    for unit in units:
        sdoc = unit.doc
        key = ("blamelint_names_context_tech", id(lex))
        local = sdoc.user_data.get(key)
        if local is None:
            local = sdoc.user_data[key] = _context_tech(sdoc, lex)
        tech |= local
    return tech


def _document_tech(analysis, units, lex: Lexicon) -> frozenset:
    """`_lexical_tech` of the whole document, computed once per first pass."""
    first = getattr(analysis, "first", None)
    if first is None:
        return _lexical_tech(analysis.document, [u.doc for u in units], lex)
    key = ("names-lexical-tech", id(lex))
    if key not in first.cache:
        first.cache[key] = _lexical_tech(first.document, [b.doc for b in first.blocks], lex)
    return first.cache[key]


def _seen(analysis, units) -> frozenset:
    """Words the document uses in lower case somewhere (so also as ordinary words)."""
    first = getattr(analysis, "first", None)
    if first is not None and "names-seen" in first.cache:
        return first.cache["names-seen"]
    seen = frozenset().union(*(_lower_words(d) for d in _token_docs(analysis, units)))
    if first is not None:
        first.cache["names-seen"] = seen
    return seen


def _lower_words(doc) -> frozenset:
    found = doc.user_data.get("blamelint_lower_words")  # the Doc is cached per text: so is this
    if found is None:
        found = doc.user_data["blamelint_lower_words"] = frozenset(  # (spaCy's IS_ALPHA is str.isalpha)
            w.lower() for w in token_texts(doc) if w.isalpha() and w.islower())
    return found


def _token_docs(analysis, units) -> list:
    """Every prose block's tokens (the first pass), or the analysed units when there was none."""
    first = getattr(analysis, "first", None)
    return [b.doc for b in first.blocks] if first is not None else [u.doc for u in units]


def _lexical_tech(doc, token_docs, lex: Lexicon) -> frozenset:
    """The part of the tech words that needs no parse (a pure function of the text)."""
    tech: set[str] = set()
    src = doc.source
    for s, e in doc.code_ranges:
        tech |= _code_words(src[s:e])
    hosts: set[str] = set()
    for line in src.splitlines():  # URLs never span lines; most lines are the same between edits
        for url in _line_urls(line):
            words, url_hosts = _url_words(url)
            tech |= words
            hosts |= url_hosts
    # words that need stronger evidence than appearing in code or a URL
    tech = {w for w in tech if w not in lex.first_names and not lex.common(w)}
    tech |= {h for h in hosts if len(h) > 3}
    tech_hosts = frozenset(h for h in hosts if len(h) > 5)
    joined = "\0".join(tech_hosts)  # a word in none of them is not in this either (checked first)
    for sdoc in token_docs:
        key = ("blamelint_names_tech", id(lex))
        local = sdoc.user_data.get(key)
        if local is None:
            local = sdoc.user_data[key] = _lower_tech(sdoc, lex)
        tech |= local
        if tech_hosts:
            key = ("blamelint_names_host_words", id(lex), tech_hosts)
            inside = sdoc.user_data.get(key)
            if inside is None:  # "Orin" and myorin.io
                inside = sdoc.user_data[key] = {
                    low for low in (w.text.lower() for w in _words(sdoc))
                    if len(low) > 3 and low in joined and low not in lex.first_names
                    and any(low in h and low != h for h in tech_hosts)}
            tech |= inside
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


PROFILE_RE = re.compile(r"(?:\]\()?(?:https?://)?(?:www\.)?(?:github\.com|gitlab\.com|bitbucket\.org|twitter\.com|x\.com|"
                        r"linkedin\.com/in|medium\.com)/(@?[\w.-]+)")
HOST_RE = re.compile(r"(?:\]\()?(?:https?://)?([^/\s?#]+)")


def _lower_tech(sdoc, lex: Lexicon) -> set[str]:
    """Words one paragraph uses in lower case that English does not know, or joined to code-like punctuation."""
    tech: set[str] = set()
    inside = {t.i for w in _words(sdoc) if len(w.tokens) > 1 for t in w.tokens}
    text, words, starts = doc_text(sdoc), token_texts(sdoc), token_starts(sdoc)
    n = len(words)
    for i, w in enumerate(words):
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
        joined = bool(before) and before in "-_./" and words[i - 1] in "-_./"
        if not joined and after and after in "-_./" and i + 1 < n:
            joined = words[i + 1] in "-_./"
        low = w.lower()
        if low not in lex.first_names and (joined or not lex.common(low)):
            tech.add(low)
    return tech


def _context_tech(sdoc, lex: Lexicon) -> set[str]:
    """Capitalised words one paragraph's parse shows to be software ("the Orin dashboard")."""
    tech: set[str] = set()
    for w in _words(sdoc):
        if _tech_context(w, sdoc, lex):
            tech.update(w.parts)
            tech.add(w.text.lower())
    return tech


def candidate(tok, lex: Lexicon, tech, text: str, seen=frozenset()) -> bool:
    """Could this token be (part of) a reported name? Decided without the parse, so the first pass
    and the detector agree: capitalised like a name, not a stop word (unless a first name: "Will"),
    not software, a role or something the document shows to be technical, and not an English word
    that is capitalised only because it starts a sentence ("Traffic rose", "Dropped requests")."""
    if not _namey(tok.text):
        return False
    w = tok.lower_
    if w in lex.first_names:
        return w not in tech
    if w in lex.gazetteer or w in lex.role_words or w in tech or _in_date(tok):
        return False
    if tok.is_stop or (_starts_sentence(text, tok.idx) and (w in seen or lex.ordinary(w))):
        return _person_cue(tok)  # "Will from the data team", "Ms. May", "Rich (SRE)"
    return True


def _in_date(tok) -> bool:
    """A month or weekday abbreviation next to a number: "Jul 19", "19 Aug", "Tue 14:05"."""
    if tok.lower_ not in CALENDAR_WORDS:
        return False
    doc, i = tok.doc, tok.i
    return any(0 <= j < len(doc) and doc[j].text[:1].isdigit() for j in (i - 1, i + 1))


TITLES = {"mr", "mr.", "ms", "ms.", "mrs", "mrs.", "dr", "dr.", "mx", "mx.", "prof", "prof."}


def _person_cue(tok) -> bool:
    """Words next to a token that mark it as a person: a title before, "from", "(" or ", our" after."""
    doc, i = tok.doc, tok.i
    if i > 0 and doc[i - 1].lower_ in TITLES:
        return True
    if i + 1 < len(doc):
        nxt = doc[i + 1]
        if nxt.lower_ == "from" or nxt.text == "(":
            return True
        if nxt.text == "," and i + 2 < len(doc) and doc[i + 2].lower_ in ("our", "the", "a", "an", "who"):
            return True
    return False


def trigger(first) -> dict:
    """The pieces (sentences) of each block with a personal handle or a name candidate (see
    `candidate`), which need entities, with the next piece when it opens with "he" or "she" (the
    pronoun cue reads it); and the pieces that use one of their words elsewhere, whose parse
    alone is read (it can show the word to be software)."""
    from blamelint.analysis.triggers import Pieces

    lex = _lexicon(first)
    tech = _document_tech(first, None, lex)
    seen = _seen(first, None)
    out: dict[int, Pieces] = {}
    words = set()
    for b in first.blocks:
        if b.block.kind == "heading":
            continue
        text = b.block.text
        hits = [(w, k) for w, how, cue, k in _piece_verdicts(b, lex) if _verdict(w, how, cue, tech, seen)]
        at = {k for _, k in hits}
        if "@" in text:
            at |= _handle_pieces(b, lex, first.config)
        if not at:
            continue
        words.update(w for w, _ in hits)
        spans = b.pieces
        for k in list(at):
            if k + 1 < len(spans) and spans[k + 1][0] < len(b.doc) and b.doc[spans[k + 1][0]].lower_ in ("he", "she"):
                at.add(k + 1)
        out[b.index] = Pieces.fromkeys(at, True)
    # the parse of any other piece (headings too) using the same word, alone or in a compound,
    # can show it to be software (`_context_tech`)
    for b in first.blocks if words else ():
        shared = [i for i, forms in _word_forms(b.doc) if not forms.isdisjoint(words)]
        if shared:
            mine = out.setdefault(b.index, Pieces())
            for i in shared:
                mine.setdefault(b.piece_of(i), False)
    return out


def _piece_verdicts(b, lex: Lexicon) -> list:
    """`_candidate_verdicts` of a first-pass block with the piece of each token (kept on the Doc)."""
    return kept(b.doc, ("blamelint_names_piece_verdicts", id(lex)), lambda: [
        (w, how, cue, b.piece_of(i)) for w, how, cue, i in _candidate_verdicts(b.doc, b.block.text, lex)])


def _handle_pieces(b, lex: Lexicon, config) -> set[int]:
    """The pieces of a first-pass block with a personal handle (kept on the Doc, per allowlist)."""
    return kept(b.doc, ("blamelint_names_handle_pieces", id(lex), tuple(config.allow_names)), lambda: {
        max(bisect_right(b.piece_chars, a) - 1, 0) for a in _personal_handles(b.block.text, lex, config)})


def _candidate_verdicts(doc, text: str, lex: Lexicon) -> list:
    """`candidate` for each name-like token, with what the text fixes worked out once (kept on the
    cached Doc): (word, how the rest of the document decides, person cue, token index)."""
    key = ("blamelint_names_verdicts", id(lex))
    found = doc.user_data.get(key)
    if found is None:
        found = doc.user_data[key] = []
        for tok in _namey_tokens(doc):
            w = tok.lower_
            if w in lex.first_names:
                found.append((w, "name", False, tok.i))
            elif w in lex.gazetteer or w in lex.role_words or _in_date(tok):
                continue
            elif tok.is_stop or (_starts_sentence(text, tok.idx) and lex.ordinary(w)):
                found.append((w, "cue", _person_cue(tok), tok.i))
            elif _starts_sentence(text, tok.idx):
                found.append((w, "initial", _person_cue(tok), tok.i))
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


def _word_forms(doc) -> tuple:
    """(first token index, the forms `_context_tech` may add) of each of `_words` (kept on the Doc)."""
    return kept(doc, "blamelint_word_forms", lambda: tuple(
        (w.tokens[0].i, frozenset({w.text.lower(), *w.parts})) for w in _words(doc)))


def _tech_context(w: Words, sdoc, lex: Lexicon) -> bool:
    first, last = w.tokens[0], w.tokens[-1]
    parts = w.parts
    if len(parts) > 1 and parts[-1] in HYPHEN_TECH_SUFFIXES:
        return True
    if len(parts) > 1 and any(p in lex.gazetteer for p in parts):
        return True
    nxt = sdoc[last.i + 1] if last.i + 1 < len(sdoc) else None
    prev = sdoc[first.i - 1] if first.i else None
    if nxt is not None:
        if VERSION_RE.match(nxt.text):
            return True
        if (
            nxt.lower_ in lex.tech_nouns and nxt.lower_ not in lex.role_words
            and nxt.pos_ in ("NOUN", "PROPN") and nxt.lower_ not in ("team", "support")
            and (w.head.head.i == nxt.i or w.head.dep_ in ("compound", "nmod", "amod"))
        ):
            return True
        if nxt.lower_ in ("on-call", "oncall", "team", "teams", "squad", "rotation", "org", "department", "folks") or (
            nxt.lower_ == "on" and nxt.i + 2 < len(sdoc) and sdoc[nxt.i + 2].lower_ == "call"
        ):
            return True  # "Billing on-call", "Checkout team"
        if nxt.text in (",", "(") and nxt.i + 1 < len(sdoc) and sdoc[nxt.i + 1].lower_ in ("our", "the", "a", "an", "their"):
            for t in sdoc[nxt.i + 2:nxt.i + 6]:  # "Jarvis, our deploy bot, …"
                if t.lower_ in lex.role_words or t.is_punct:
                    break
                after = sdoc[t.i + 1] if t.i + 1 < len(sdoc) else None
                if t.lower_ in lex.tech_nouns and t.pos_ in ("NOUN", "PROPN") and (
                    after is None or after.text in (",", ")", ".", ";")
                ):
                    return True
        if nxt.text in ("'s", "’s", "'", "’") and nxt.i + 1 < len(sdoc):
            owned = sdoc[nxt.i + 1]
            if owned.lower_ in lex.tech_nouns and owned.lower_ not in lex.person_nouns:
                return True
    if any(t.dep_ == "appos" and t.lower_ in lex.tech_nouns and t.lower_ not in lex.role_words
           and any(c.dep_ in ("det", "poss") for c in t.children) for t in w.head.children):
        return True  # "Terraform, a tool to configure …"
    if prev is not None:
        # "AWS Lambda", "GCP Console", "MS Migration tool": a product line, not a surname
        if prev.whitespace_ and prev.is_alpha and len(prev.text) > 1 and not _namey(prev.text) and (
            prev.text.isupper() or re.search(r"[a-z][A-Z]", prev.text)
        ) and prev.lower_ not in lex.role_words and not re.fullmatch(r"[A-Z]{1,3}T|AM|PM|UTC|ET|PT", prev.text):
            return True
        if prev.lower_ in DETERMINERS and prev.lower_ not in ("his", "her", "my", "your", "that", "this"):
            return True
        prev2 = sdoc[first.i - 2] if first.i > 1 else None
        if prev2 is not None and prev2.lower_ in ("the", "a", "an", "our", "their", "its") and prev.text.islower() \
                and prev.is_alpha and prev.lower_ not in lex.role_words and prev.pos_ in ("NOUN", "ADJ", "PROPN"):
            return True  # "the legacy Orin", "our old Hudson"
        if (
            prev.lower_ in lex.tech_nouns and prev.lower_ not in lex.role_words and prev.pos_ == "NOUN"
            and w.head.dep_ not in ("nsubj", "nsubjpass")
            and prev.lower_ not in ("team", "support", "channel", "room", "ticket", "issue", "page")
        ):
            return True
    return False


# ---------------------------------------------------------------------------------------------
# Candidates in one unit


def _sentence_initial(tok) -> bool:
    for t in tok.sent:
        if t.i >= tok.i:
            return True
        if t.is_alpha and t.text not in ("UTC", "GMT", "Z"):
            return False
    return True


def _starts_sentence(text: str, a: int) -> bool:
    before = text[:a]
    stripped = before.rstrip()
    if not stripped or stripped[-1] in ".!?:—–" or stripped.endswith(("**", " -")):
        return True
    return bool(TIME_PREFIX_RE.match(before))


IRREGULAR = {
    "wrote": "write", "written": "write", "ran": "run", "took": "take", "taken": "take", "made": "make",
    "gave": "give", "given": "give", "forgot": "forget", "forgotten": "forget", "knew": "know", "known": "know",
    "thought": "think", "told": "tell", "said": "say", "spoke": "speak", "began": "begin", "begun": "begin",
    "broke": "break", "broken": "break", "drove": "drive", "chose": "choose", "chosen": "choose", "did": "do",
    "done": "do", "found": "find", "left": "leave", "sent": "send", "set": "set", "shut": "shut", "put": "put",
    "cut": "cut", "led": "lead", "saw": "see", "seen": "see", "went": "go", "gone": "go", "brought": "bring",
    "bought": "buy", "caught": "catch", "sought": "seek", "understood": "understand", "undid": "undo",
    "overlooked": "overlook", "misread": "misread", "rebuilt": "rebuild", "built": "build", "spun": "spin",
    "tore": "tear", "torn": "tear", "woke": "wake", "felt": "feel", "held": "hold", "kept": "keep", "meant": "mean",
}


def _lemma(tok) -> str:
    """The verb's lemma, also for irregular forms the small model leaves alone ("rewrote")."""
    lemma = tok.lemma_.lower()
    if lemma != tok.lower_:
        return lemma
    for prefix in ("", "re", "un", "mis", "over", "under"):
        rest = tok.lower_[len(prefix):]
        if tok.lower_.startswith(prefix) and rest in IRREGULAR:
            return prefix + IRREGULAR[rest]
    return lemma


def _verb_lemma(tok) -> str:
    if tok.tag_ == "NNS":
        w = tok.lower_
        for stem in (w[:-1], w[:-2]):
            if stem in STRONG_VERBS | AGENT_VERBS | AUTOMATION_VERBS:
                return stem
    return _lemma(tok)


def _conj_root(tok):
    """The first conjunct of "Carlos and Hannah"; None in a list of things ("the console, Grafana, Jira")."""
    t = tok
    while t.dep_ == "conj" and t.head.i != t.i and t.head.pos_ in ("PROPN", "NOUN", "X"):
        t = t.head
        if not (_namey(t.text) or t.text.startswith("@")):
            return None
    return t


def _verb_of(tok):
    """(lemma, position) for the token heading a name or handle."""
    t = _conj_root(tok)
    if t is None:
        return None, "other"
    if t.dep_ in ("nsubj", "nsubjpass") and t.head.pos_ in ("VERB", "AUX"):
        lemma = _lemma(t.head)
        return (lemma if t.dep_ == "nsubj" else None), "subject"
    if t.dep_ in ("dobj", "dative"):
        return _lemma(t.head), "object"
    prev = tok.doc[tok.i - 1] if tok.i else None
    if prev is not None and prev.pos_ == "VERB" and prev.tag_ != "VBG" and t.dep_ in ("xcomp", "oprd", "ccomp", "npadvmod") \
            and _lemma(prev) in OBJECT_VERBS:
        return _lemma(prev), "object"  # "messaged Tsering about …" parsed as a complement
    if _time_prefixed(tok):
        nxt = _next_verb(tok)
        if nxt is not None:  # "At 14:02 Ingrid paged …": the parser reads the name as the time's object
            return _verb_lemma(nxt), "subject"
    if t.dep_ == "pobj":
        prep = t.head
        if prep.lower_ == "to" and prep.head.lower_ == "according":
            return "according", "according"
        if prep.dep_ == "agent":
            return _lemma(prep.head), "agent"
        return _lemma(prep.head) if prep.head.pos_ == "VERB" else None, "pobj"
    # parse failures on terse timeline entries: "Leilani publishes ...", "14:10 Dagny rolls back"
    nxt = tok.doc[tok.i + 1] if tok.i + 1 < len(tok.doc) else None
    if nxt is not None and nxt.lower_ in ("then", "quickly", "immediately", "also", "never", "finally"):
        nxt = tok.doc[nxt.i + 1] if nxt.i + 1 < len(tok.doc) else None
    if nxt is not None and _verbish(nxt):
        return _verb_lemma(nxt), "subject"
    return None, "other"


def _time_prefixed(tok) -> bool:
    """The name follows only a time expression at the start of its sentence ("At 14:02 Ingrid …",
    "09:14 UTC Ingrid …"), with no comma to show where the time ends."""
    before = [t for t in tok.sent if t.i < tok.i]
    if not before:
        return False
    if before[0].lower_ in TIME_PREPS:
        before = before[1:]
    numeric = False
    for t in before:
        if re.fullmatch(r"[\d:.~-]+(?:[ap]m)?", t.lower_) and any(c.isdigit() for c in t.text):
            numeric = True
        elif not (re.fullmatch(r"UTC|GMT|Z|[A-Z]{2,4}T|AM|PM|am|pm|h|hrs", t.text)):
            return False
    return numeric


def _next_verb(tok):
    doc = tok.doc
    nxt = doc[tok.i + 1] if tok.i + 1 < len(doc) else None
    if nxt is not None and nxt.lower_ in ("then", "quickly", "immediately", "also", "never", "finally"):
        nxt = doc[nxt.i + 1] if nxt.i + 1 < len(doc) else None
    return nxt if nxt is not None and _verbish(nxt) else None


def _verbish(tok) -> bool:
    """A finite verb after a name, also when the tagger calls it a plural noun in a terse timeline entry
    ("10:11 Matías pings @ana.k")."""
    if (tok.pos_ == "VERB" or tok.tag_ in ("VBZ", "VBD")) and tok.tag_ != "VBG":
        return True
    if tok.tag_ == "NNS" and tok.is_lower and tok.i > 0 and _sentence_initial(tok.doc[tok.i - 1]):
        w = tok.lower_
        stems = {w[:-1], w[:-2]} if w.endswith("es") else {w[:-1]}
        return bool(stems & (STRONG_VERBS | AGENT_VERBS | AUTOMATION_VERBS))
    return False


def _has_object(verb_tok) -> bool:
    if verb_tok.dep_ == "relcl":  # "the script Fenna wrote"
        return True
    return any(c.dep_ in ("dobj", "prt", "dative", "oprd") for c in verb_tok.children)


def _subject_verb_token(tok):
    t = _conj_root(tok)
    if t is None:
        return None
    if t.dep_ == "nsubj" and t.head.pos_ in ("VERB", "AUX"):
        return t.head
    nxt = tok.doc[tok.i + 1] if tok.i + 1 < len(tok.doc) else None
    if nxt is not None and nxt.lower_ in ("then", "quickly", "immediately", "also", "never", "finally"):
        nxt = tok.doc[nxt.i + 1] if nxt.i + 1 < len(tok.doc) else None
    if nxt is not None and _verbish(nxt):
        return nxt
    return None


def _context(m: Mention, first, last, head, sdoc, text: str, lex: Lexicon) -> None:
    """Add sentence evidence to a name or handle mention."""
    prev = sdoc[first.i - 1] if first.i else None
    prev2 = sdoc[first.i - 2] if first.i > 1 else None
    nxt = sdoc[last.i + 1] if last.i + 1 < len(sdoc) else None
    nxt2 = sdoc[last.i + 2] if last.i + 2 < len(sdoc) else None

    if nxt is not None and nxt.text == ":" and m.kind == "name":
        lemma, position = None, "label"
    else:
        lemma, position = _verb_of(head)
    m.position = position
    verb_tok = _subject_verb_token(head) if position == "subject" else None
    if position == "subject" and lemma:
        m.verb = lemma
        role = _role_complement(verb_tok, lemma, lex) if verb_tok is not None else None
        if lemma in STRONG_VERBS:
            m.add(0.45, f"subject of '{lemma}'")
        elif lemma in AGENT_VERBS and verb_tok is not None and _has_object(verb_tok):
            m.add(0.35, f"subject of '{lemma}' with an object")
        elif lemma in AUTOMATION_VERBS and verb_tok is not None and _has_object(verb_tok):
            m.add(0.25, f"subject of '{lemma}' with an object")
        elif lemma in SYSTEM_VERBS and not role:
            m.add(-0.2, f"subject of system verb '{lemma}'")
        elif lemma in ("respond", "reply", "answer", "return"):
            m.add(0.1, f"subject of '{lemma}'")  # "X does not respond for 50 minutes"
        elif lemma not in ("be", "have"):
            m.add(0.05, f"subject of '{lemma}'")
        if role is not None:
            m.add(0.45, f"is the '{role}'")  # "X was the incident commander", "X acted as IC"
        m.grammatical = True
    elif position == "according":
        m.verb = "according"
        m.add(0.45, "according to")
        m.explicit = True
        m.grammatical = True
    elif position in ("object", "agent", "pobj"):
        if position == "agent" and lemma in AGENT_VERBS | STRONG_VERBS | AUTOMATION_VERBS:
            m.verb = lemma
            m.add(0.35, f"agent of '{lemma}'")
        elif position == "object" and lemma in OBJECT_VERBS:
            m.add(0.35, f"object of '{lemma}'")
            m.object_verb = lemma
        elif position == "pobj" and lemma in OBJECT_VERBS and head.head.lower_ in ("to", "with"):
            m.add(0.3, f"'{lemma} {head.head.lower_}'")
            m.object_verb = lemma
        elif position == "pobj" and lemma in TALK_VERBS and head.head.lower_ in ("to", "with") \
                and _human_subject(head.head.head, lex):
            m.add(0.4, f"'{lemma} {head.head.lower_}'")  # "after talking to X, the team …"
            m.object_verb = lemma
        m.grammatical = True

    # "X and Y split the work": unknown capitalised words coordinated as people
    if m.kind == "name":
        coord = _coordinated_subject(first, last, sdoc, lex)
        if coord is not None:
            m.add(0.35, f"coordinated subject of '{coord}'")

    # possessive: "Raj's laptop"
    if nxt is not None and nxt.text in ("'s", "’s", "'", "’"):
        owned = None
        for t in sdoc[nxt.i + 1:min(nxt.i + 4, nxt.sent.end)]:
            if t.pos_ in ("NOUN", "PROPN"):
                owned = t
                break
        m.position = "possessive"
        m.grammatical = True
        if owned is not None and owned.lower_ in lex.person_nouns:
            m.add(0.35, f"owns a '{owned.lower_}'")

    # titles and role appositives
    if prev is not None and prev.text.rstrip(".").capitalize() == prev.text.rstrip(".") \
            and prev.lower_.rstrip(".") + "." in TITLES:
        m.add(0.5, "title")
        m.explicit = True
        m.titled = True
    if prev is not None and prev.lower_ in lex.role_words:
        m.add(0.45, f"after role '{prev.lower_}'")
        m.appositive = ("space", prev)
    elif prev is not None and prev.text == "," and prev2 is not None and prev2.lower_ in lex.role_words \
            and _determined(prev2) and (nxt is None or nxt.text in (",", ".", ";", ")") or nxt.pos_ in ("VERB", "AUX")):
        m.add(0.55, f"appositive of '{prev2.lower_}'")
        m.explicit = True
        m.appositive = ("comma", prev)
    elif prev is not None and prev.text == "(" and prev2 is not None and (
        prev2.lower_ in lex.role_words or prev2.lower_ in ("call", "i", "me", "we") or prev2.lower_ in LABEL_WORDS
    ) and nxt is not None and nxt.text == ")":
        m.add(0.45, "in parentheses after a role")
        m.explicit = True
        m.appositive = ("paren", prev)
    if nxt is not None and nxt.text == "(":
        inner, close = [], None
        for t in sdoc[nxt.i + 1:nxt.i + 6]:
            if t.text == ")":
                close = t
                break
            inner.append(t.lower_)
        if inner and any(w in lex.role_words or w in LABEL_WORDS for w in inner):
            m.add(0.45, "role in parentheses")
            if close is not None and any(w in lex.role_words for w in inner):
                m.paren_role = (close.idx + 1, text[nxt.idx + 1:close.idx].strip())
    if nxt is not None and nxt.text == "," and nxt2 is not None:
        if nxt2.lower_ == "who":
            m.add(0.35, "', who'")
        elif nxt2.lower_ in ("our", "the", "a", "an", "their", "my") and any(
            t.lower_ in lex.role_words for t in sdoc[nxt2.i + 1:nxt2.i + 4]
        ):
            m.add(0.45, "followed by a role appositive")
            m.explicit = True
    if prev is not None and prev.lower_ == "to" and prev2 is not None and prev2.lower_ in ("thanks", "kudos", "credit"):
        m.add(0.45, f"'{prev2.lower_} to'")
    if nxt is not None and nxt.lower_ == "from" and any(
        t.lower_ in ("team", "squad", "group", "org", "department", "side") for t in sdoc[nxt.i + 1:nxt.i + 6]
    ):
        m.add(0.45, "from a team")
        m.explicit = True
        m.team_member = True

    # "he" / "she" later in the same sentence
    pronoun_scope = list(sdoc[last.i + 1:last.sent.end]) if m.position not in ("label", "other") else []
    if pronoun_scope and last.sent.end < len(sdoc):
        following = sdoc[last.sent.end]
        if following.lower_ in ("he", "she"):
            pronoun_scope.append(following)
    for t in pronoun_scope:
        if t.lower_ in PRONOUNS and t.pos_ == "PRON":
            m.add(0.35, f"pronoun '{t.lower_}'")
            break
        if (t.ent_type_ == "PERSON" and _namey(t.text) and t.lower_ not in lex.gazetteer) or (
            t.text.startswith("@") and len(t.text) > 1
        ):
            break

    # "On-call rotation: Ines Duarte (primary), Tadeusz Wrona (secondary)"
    colon = text.find(":")
    if 0 < colon < m.a and colon < 60:
        label = text[:colon].lower()
        if any(w in LABEL_WORDS or w in lex.role_words for w in re.findall(r"[a-z-]+", label)):
            rest = re.sub(r"@[\w.-]+|\([^()]*\)", "", text[colon + 1:m.a])
            if re.fullmatch(r"[\s\w.'’()@,&/-]*", rest) and not re.search(r"\b[a-z]{4,}\b", rest.replace("and", "")):
                m.add(0.45, "listed under a role label")
                m.label_list = True
                m.explicit = True


def _role_complement(verb_tok, lemma: str, lex: Lexicon) -> str | None:
    """The role noun in "X was the incident commander", "X is our IC", "X served as on-call engineer"."""
    cands = []
    if lemma == "be":
        cands = [c for c in verb_tok.children if c.dep_ in ("attr", "acomp")]
    elif lemma in ("serve", "act", "stay", "remain", "become", "take"):
        cands = [g for c in verb_tok.children if c.dep_ == "prep" and c.lower_ == "as"
                 for g in c.children if g.dep_ == "pobj"]
    for c in cands:
        word = c.lower_
        if word in lex.role_words and word not in SOFTWARE_ROLES and c.pos_ in ("NOUN", "PROPN", "ADJ"):
            return word
    return None


def _human_subject(verb, lex: Lexicon) -> bool:
    """Whether the one who talks (the verb's subject, or the subject of the clause it hangs from) can be a
    person: "after talking to X, the team decided" yes; "after talking to X, the service timed out" no."""
    t = verb
    for _ in range(4):
        subj = next((c for c in t.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        if subj is not None:
            w = subj.lower_
            if subj.pos_ == "PRON":
                return w in ("i", "we", "he", "she", "they", "you", "someone", "everyone", "nobody")
            if (w in lex.role_words and w not in SOFTWARE_ROLES) or w in (
                "team", "teams", "people", "person", "everyone", "staff", "we", "group", "squad", "crew"
            ):
                return True
            return _namey(subj.text) and w not in lex.gazetteer and not lex.common(w) and w not in lex.tech_nouns
        if t.head.i == t.i:
            break
        t = t.head
    return True  # "Talked to X about the rollback." (a terse note: the writer talked)


def _coordinated_subject(first, last, sdoc, lex: Lexicon) -> str | None:
    """The verb of "X and Y <verb>" when every conjunct is an unknown capitalised word (not software, not an
    English word) and the verb is something people do; None otherwise."""

    def namelike(t) -> bool:
        w = t.lower_
        if not _namey(t.text) or w in lex.gazetteer or w in lex.tech_nouns or t.is_stop:
            return False
        if t.ent_type_ in ("PRODUCT", "DATE", "TIME", "LAW", "MONEY"):
            return False
        # "Tom" is also a noun: a rare English word the model calls a PERSON still counts
        return not lex.common(w) or (t.ent_type_ == "PERSON" and lex.common(w) < 0.35)

    if not all(namelike(t) for t in sdoc[first.i:last.i + 1] if t.text != "-"):
        return None
    # spread left and right over "A, B and C" (each conjunct one or more name-like words)
    i, j = first.i, last.i
    conjuncts, saw_and = 1, False
    while i >= 2 and sdoc[i - 1].lower_ in (",", "and", "&") and namelike(sdoc[i - 2]):
        saw_and |= sdoc[i - 1].lower_ != ","
        i -= 2
        while i >= 1 and namelike(sdoc[i - 1]):
            i -= 1
        conjuncts += 1
    while j + 2 < len(sdoc) and sdoc[j + 1].lower_ in (",", "and", "&") and namelike(sdoc[j + 2]):
        saw_and |= sdoc[j + 1].lower_ != ","
        j += 2
        while j + 1 < len(sdoc) and namelike(sdoc[j + 1]):
            j += 1
        conjuncts += 1
    if conjuncts < 2 or not saw_and:
        return None
    if all(t.ent_type_ == "ORG" for t in sdoc[i:j + 1] if _namey(t.text)):
        return None  # the model reads every conjunct as an organisation
    # the coordination opens its clause: sentence start, after a comma or a leading time
    start = sdoc[i]
    before = sdoc[i - 1] if i else None
    if not (before is None or start.is_sent_start or before.text in (",", ";", ":", "—", "–")
            or _sentence_initial(start) or _time_prefixed(start)):
        return None
    verb = _next_verb(sdoc[j])
    if verb is None:
        aux = sdoc[j + 1] if j + 1 < len(sdoc) else None
        if aux is not None and aux.lower_ in ("both", "together", "jointly") and aux.i + 1 < len(sdoc):
            verb = sdoc[aux.i + 1] if _verbish(sdoc[aux.i + 1]) else None
    if verb is None:
        return None
    lemma = _verb_lemma(verb)
    if lemma in SYSTEM_VERBS:
        return None
    if lemma == "work" and not any(c.lower_ in ("through", "on", "together", "late", "overnight", "until", "alongside")
                                   for c in verb.children):
        return None  # "worked through the night", not "worked fine again"
    if lemma in STRONG_VERBS or lemma in COORD_VERBS or (lemma in AGENT_VERBS and _has_object(verb)):
        return lemma
    return None


def _determined(tok) -> bool:
    """"our intern", "Arvid's new reviewer", "the on-call engineer": a role noun with a determiner."""
    for t in reversed(list(tok.doc[max(0, tok.i - 4):tok.i])):
        if t.lower_ in DETERMINERS or t.text in ("'s", "’s", "'", "’") or t.pos_ == "PRON":
            return True
        if t.pos_ not in ("ADJ", "NOUN", "PROPN", "PUNCT") or t.text in (",", ".", ";", ":", "!", "?"):
            return False  # (never past the end of the sentence before)
    return False


def _cached_mentions(unit, lex: Lexicon, tech, seen, lexical_tech) -> list[Mention]:
    """`_name_mentions`, kept on the paragraph's Doc and keyed by the document-wide facts it reads
    (which of its words are technical or used in lower case), so an edit elsewhere reuses it.
    Returns fresh copies: the caller adds cues to them."""
    doc = unit.doc
    words = doc.user_data.get("blamelint_names_vocab")
    if words is None:
        words = doc.user_data["blamelint_names_vocab"] = frozenset(
            {t.lower_ for t in doc} | {p for w in _words(doc) for p in [w.text.lower(), *w.parts]})
    key = (id(lex), words & tech, words & seen, words & lexical_tech)
    cache = doc.user_data.setdefault("blamelint_names_mentions", {})
    found = cache.get(key)
    if found is None:
        found = cache[key] = _name_mentions(unit, lex, tech, seen, lexical_tech)
    return [_copy(m, unit) for m in found]


def _copy(m: Mention, unit) -> Mention:
    """A field-for-field copy in `unit`, with its own cue list (faster than `replace`)."""
    c = object.__new__(Mention)
    c.__dict__.update(m.__dict__)
    c.unit, c.cues = unit, list(m.cues)
    return c


def _name_mentions(unit, lex: Lexicon, tech: set[str], seen: set[str], lexical_tech) -> list[Mention]:
    sdoc = unit.doc
    text = unit.block.text
    words = _words(sdoc)
    spans: list[list[Words]] = []
    for w in words:
        if spans:
            prev = spans[-1][-1]
            gap = sdoc[prev.tokens[-1].i + 1:w.tokens[0].i]
            adjacent = prev.tokens[-1].whitespace_ and (
                len(gap) == 0 or (len(gap) == 1 and gap[0].lower_ in PARTICLES and gap[0].whitespace_)
            )
            if adjacent and len(spans[-1]) < 4:
                spans[-1].append(w)
                continue
        spans.append([w])
    out: list[Mention] = []
    for group in spans:
        if not any(candidate(t, lex, lexical_tech, text, seen) for w in group for t in w.tokens if t.text != "-"):
            continue  # what the first pass ruled out (trigger) is never a name
        for m in _score_span(group, unit, sdoc, text, lex, tech, seen):
            out.append(m)
    return out


def _common_word(w: Words, lex: Lexicon, seen: set[str], alone: bool = True) -> float:
    """How much a capitalised word looks like ordinary English (0 = a name-like word)."""
    if len(w.tokens) > 1:
        last = w.parts[-1]
        if w.tokens[-1].text.islower() and len(last) > 4 and last.endswith(("ed", "ing", "ly")):
            return 0.35  # "Latency-focused"
        return lex.common(w.text.lower())
    t = w.tokens[0]
    value = max(lex.common(t.lower_), _inflected(t, lex))
    if value and t.lower_ in seen and t.lower_ not in lex.first_names:
        return 0.35  # the document also uses it as an ordinary word
    if value and value < 0.35 and alone and t.pos_ == "PROPN" and t.ent_type_ == "PERSON":
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
            return 0.35  # "Alerts", "Eyeballs"
    if t.pos_ == "PROPN" or lemma == w:
        return 0.0
    return 0.35 if lemma in lex.noun or lemma in lex.other_pos else 0.0


def _score_span(group: list[Words], unit, sdoc, text: str, lex: Lexicon, tech: set[str],
                seen: set[str]) -> list[Mention]:
    def trimmable(w: Words) -> bool:
        return _common_word(w, lex, seen, False) >= 0.35 and (w.tokens[0].pos_ != "PROPN" or w.tokens[0].is_stop)

    while len(group) > 1 and trimmable(group[0]):
        group = group[1:]  # "Consider Happy Eyeballs"
    while len(group) > 1 and trimmable(group[-1]):
        group = group[:-1]  # "Ines Duarte Last Modified"
    parts = [p for w in group for p in w.parts]
    full = " ".join(w.text for w in group).lower()
    forms = set(parts) | {t.lemma_.lower() for w in group for t in w.tokens} | {p[:-1] for p in parts if p.endswith("s")}
    if forms & lex.role_words:
        return []
    first_tok, last_tok = group[0].tokens[0], group[-1].tokens[-1]
    if forms & lex.gazetteer or full in lex.gazetteer or any(p in tech for p in parts) or full in tech:
        return []
    heads = [w.head for w in group]
    head = next((h for h in heads if h.head.i not in {t.i for w in group for t in w.tokens} or h.head.i == h.i),
                heads[-1])
    function_word = all(t.pos_ in ("VERB", "AUX", "ADP", "DET", "PRON", "CCONJ", "SCONJ", "ADV", "NUM", "PART")
                        for w in group for t in w.tokens if t.text != "-") and head.ent_type_ != "PERSON"
    a, b = first_tok.idx, last_tok.idx + len(last_tok.text)
    m = Mention(unit, a, b, "name", full, [w.text for w in group])
    m.first_name = parts[0] in lex.first_names
    m.ner_person = any(t.ent_type_ == "PERSON" for w in group for t in w.tokens)
    m.score = 0.15
    if m.first_name:
        m.add(0.3, "first name")
    if m.ner_person:
        m.add(0.25, "NER PERSON")
    commons = [_common_word(w, lex, seen, len(group) == 1) for w in group]
    m.ordinary = bool(min(_common_word(w, lex, seen, False) for w in group))
    # "Chaos Monkey": a run of ordinary words is a phrase; "Hye Jin": one odd word makes it a name
    common = max(commons) if min(commons) and max(commons) >= 0.35 else min(commons)
    if first_tok.is_stop:
        common = max(common, 0.35 if not m.first_name else 0.2)
    m.common = common
    penalty = 0.0
    if common:
        penalty = common + (0.1 if _sentence_initial(first_tok) else 0.0)
        m.add(-penalty, "common English word")
    if len(group) >= 2 and max(commons) == 0:
        m.add(0.15, "full name")
    _context(m, first_tok, last_tok, head, sdoc, text, lex)
    if m.explicit and penalty:
        m.add(penalty, "explicitly a person")  # "Will from the data team", "Ms. May"
        m.common = 0.0
    elif function_word and (common or first_tok.is_stop or m.score < 0.5):
        return []  # "Will", "May" … unless an unknown word the tagger misread has a person's context
    if m.titled:
        t = sdoc[first_tok.i - 1]
        m.a = t.idx
    return [m]


# ---------------------------------------------------------------------------------------------
# Handles


def _team_handle(handle: str, lex: Lexicon) -> bool:
    h = handle.lower()
    if h in lex.team_words or h in lex.gazetteer:
        return True
    parts = [p for p in re.split(r"[-_.]+", h) if p]
    if any(p in lex.team_words or p in lex.gazetteer for p in parts):
        return True  # "@sre-team", "@github-actions"
    if re.search(r"(team|oncall|ops|bot|squad|crew|guild|sre|eng|admins|support|status|alerts|news|updates|"
                 r"announce|help|info|noreply|security)$", h) and h not in lex.first_names:
        return True
    if len(parts) == 1:
        # "@procurement", "@operations": an English noun used as a group name
        return h not in lex.first_names and (h in lex.other_pos or (
            (h.endswith("s") and h[:-1] in lex.noun) or (h.endswith("ies") and h[:-3] + "y" in lex.noun)
            or (h in lex.noun and bool(re.search(r"(ment|tion|sion|ity|ing|ness|ance|ence|ics|ure|ery|ship|ware)$", h)))))
    if any(p in lex.first_names for p in parts):
        return False
    if "-" in h and any(len(p) >= 4 and lex.common(p) for p in parts):
        return True
    return False


def _namey_tokens(doc) -> list:
    """The tokens of a Doc capitalised like a name (kept on the Doc, which is cached per text)."""
    found = doc.user_data.get("blamelint_namey")
    if found is None:
        found = doc.user_data["blamelint_namey"] = [doc[i] for i, w in enumerate(token_texts(doc))
                                                    if w[:1].isupper() and _namey(w)]
    return found


def _personal_handles(text: str, lex: Lexicon, config) -> list[int]:
    """Where the text holds a handle `_handle_mentions` would consider (not a team, not allowed)."""
    out = []
    for mt in HANDLE_RE.finditer(text):
        handle = mt.group(1).rstrip(".-")
        b = mt.start() + 1 + len(handle)
        if not (text[b:b + 1] == "@" or _team_handle(handle, lex) or _allowed(config, handle)):
            out.append(mt.start())
    return out


def _handle_mentions(unit, lex: Lexicon, config) -> list[Mention]:
    text = unit.block.text
    if "@" not in text:
        return []
    sdoc = unit.doc
    out = []
    for mt in HANDLE_RE.finditer(text):
        handle = mt.group(1).rstrip(".-")
        a, b = mt.start(), mt.start() + 1 + len(handle)
        if text[b:b + 1] == "@" or _team_handle(handle, lex) or _allowed(config, handle):
            continue
        m = Mention(unit, a, b, "handle", handle.lower(), [text[a:b]])
        m.score = 0.75 if re.search(r"[._]", handle) or handle.lower() in lex.first_names else 0.65
        m.cues.append("personal handle")
        m.first_name = True
        span = sdoc.char_span(a, b, alignment_mode="expand")
        before = text[:a].strip().lower()
        if re.match(r"\s*[:—–]", text[b:]) and (
            (not before and unit.block.kind == "list_item") or re.search(r"\b(owners?|assignees?|dri)\W*$", before)
        ):
            m.owner = True
        if span is not None and len(span):
            tok = span[0]
            _context(m, tok, span[-1], span.root, sdoc, text, lex)
            m.score = max(m.score, 0.65)
        out.append(m)
    return out


# ---------------------------------------------------------------------------------------------
# Replacement text


def _article(role: str) -> str:
    role = role.strip()
    low = role.lower()
    if role.startswith("@") or re.match(r"(the|a|an|our|their|one|two|three|some)\b", low):
        return role
    return "the " + role


def _role_for(m: Mention, rule, config, in_timeline: bool) -> tuple[str, bool]:
    """(role phrase, from config?)."""
    roles = {k.lower().lstrip("@"): v for k, v in (config.roles or {}).items()}
    keys = [m.key, m.key.lstrip("@")] + [w.lower().lstrip("@") for w in m.words]
    if m.kind == "name" and m.words:
        keys += [m.words[0].lower(), m.words[-1].lower()]
    for k in keys:
        if k in roles:
            return _article(roles[k]), True
    opts = rule.options or {}
    if m.team_member:
        return opts.get("team_member_role", "an engineer"), False
    if m.position == "possessive":
        return opts.get("possessive_role", "the engineer"), False
    if m.object_verb:
        for role, verbs in (opts.get("object_roles") or {}).items():
            if m.object_verb in verbs:
                return role, False
        return opts.get("default_role", "a responder"), False
    for entry in opts.get("role_inference", []) or []:
        sections = entry.get("sections")
        if sections and not (in_timeline and "timeline" in sections):
            continue
        if m.verb and m.verb in set(entry.get("verbs", [])):
            return entry["role"], False
    return opts.get("default_role", "a responder"), False


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


# ---------------------------------------------------------------------------------------------


def _rule_for(analysis):
    return next((r for r in analysis.ruleset.rules if r.check == "named_individual"), None)


def people(analysis, rule=None) -> list[Mention]:
    """Every reported person mention in the document: names and personal handles over the threshold.

    For other detectors (a named person as the subject of a blaming verb, …): each mention has `unit`,
    prose span `a`, `b` in `unit.block.text`, `kind` ("name" | "handle"), `score` and `cues`. Computed once
    per analysis; allowlisted names are left out.
    """
    return [m for group in _groups(analysis, rule or _rule_for(analysis)) for m in group]


def _groups(analysis, rule) -> list[list[Mention]]:
    cache = analysis.__dict__.setdefault("_named_individual", {})
    key = rule.id if rule is not None else None
    if key not in cache:
        view = getattr(analysis, "view", None)
        units = view("named_individual") if view is not None else analysis.units
        cache[key] = _find_groups(analysis, rule, units) if units else []
    return cache[key]


def _find_groups(analysis, rule, units) -> list[list[Mention]]:
    config = analysis.config
    lex = _lexicon(analysis)
    opts = (rule.options if rule is not None else None) or {}
    public = config.profile == "public"
    threshold = float(opts.get("threshold", 0.5))
    low = float(opts.get("public_threshold", 0.3))
    tech = _tech_words(analysis, lex, units)
    lexical_tech = _document_tech(analysis, units, lex)
    seen = _seen(analysis, units)

    mentions: list[Mention] = []
    for unit in units:
        if unit.block.kind == "heading":
            continue
        own = _handle_mentions(unit, lex, config)
        mentions += own
        names = [m for m in _cached_mentions(unit, lex, tech, seen, lexical_tech)
                 if not _allowed(config, m.key, *m.words)]
        handles = [(m.a, m.b) for m in own]
        mentions += [m for m in names if not any(a < m.b and m.a < b for a, b in handles)]

    # a name that is also someone's handle ("Arvid" and "@arvid", "Hye Jin" and "@hye.jin") is a person
    handle_parts = {p for m in mentions if m.kind == "handle" for p in re.split(r"[._-]+", m.key) if len(p) > 2}
    for m in mentions:
        if m.kind == "name" and any(w.lower() in handle_parts for w in m.words) and m.common < 0.3:
            m.add(0.3, "matches a personal handle")

    # a name confirmed once in the document raises its other mentions
    confirmed: set[str] = set()
    for m in mentions:
        if m.kind == "name" and m.score >= threshold - 1e-9:
            confirmed.add(m.key)
            if len(m.words) > 1:
                confirmed.add(m.words[0].lower())
    for m in mentions:
        if m.kind == "name" and m.score < threshold - 1e-9 and (
            m.key in confirmed or (m.words and m.words[0].lower() in confirmed)
        ) and m.common < 0.3:
            m.add(0.4, "named elsewhere in the document")

    def reported(m: Mention) -> bool:
        if m.score >= threshold - 1e-9:  # the cues are added in floating point
            return True
        # public: any name the model calls PERSON (or a known first name) that nothing marks as software
        return public and m.score >= low and (m.first_name or (m.ner_person and not m.ordinary)) and not m.common

    keep = sorted((m for m in mentions if reported(m)), key=lambda m: (units.index(m.unit), m.a))
    # coordinated names: "Carlos Mendoza and Hannah" → "two responders"
    conj = re.compile(r",? and |, ")
    groups: list[list[Mention]] = []
    for m in keep:
        last = groups[-1][-1] if groups else None
        if last is not None and last.unit is m.unit and last.kind == m.kind == "name" \
                and last.position != "possessive" and conj.fullmatch(m.unit.block.text[last.b:m.a]):
            groups[-1].append(m)
        else:
            groups.append([m])
    # a weaker candidate conjoined with a reported name is a name too
    for m in mentions:
        if m in keep or m.kind != "name" or m.common >= 0.3 or m.score + 0.3 < threshold:
            continue
        text = m.unit.block.text
        for g in groups:
            if g[0].unit is not m.unit or g[0].kind != "name":
                continue
            if conj.fullmatch(text[g[-1].b:m.a]):
                m.add(0.3, "conjoined with a name")
                g.append(m)
                break
            if conj.fullmatch(text[m.b:g[0].a]):
                m.add(0.3, "conjoined with a name")
                g.insert(0, m)
                break
    return groups


@detector("named_individual", needs=("tagger", "parser", "ner"), trigger=trigger)
def named_individual(rule, analysis):
    for group in _groups(analysis, rule):
        unit = group[0].unit
        yield _finding(rule, analysis, group, "timeline" in unit.section_kinds)


def _finding(rule, analysis, group: list[Mention], in_timeline: bool):
    config = analysis.config
    opts = rule.options or {}
    m = group[0]
    unit = m.unit
    block = unit.block
    text = block.text
    a, b = m.a, group[-1].b
    confidence = round(max(0.05, min(0.99, max(x.score for x in group))), 2)
    sentence_start = _starts_sentence(text, a)
    safe_slot = block.kind in ("paragraph", "list_item") and not any(x.label_list for x in group)

    if m.owner or (m.label_list and len(group) == 1):
        placeholder = opts.get("owner_placeholder", "@owner-team")
        edit = _edit(block, analysis.document, a, b, placeholder)
        if m.owner:
            title = f"Assign the follow-up to a team handle instead of “{text[a:b]}”"
            message = (f"“{text[a:b]}” makes a person the owner; assign the follow-up to a team handle "
                       f"(for example “{placeholder}”).")
        else:
            title = f"List the rotation or team handle instead of “{text[a:b]}”"
            message = f"“{text[a:b]}” names a person; list the rotation or team handle (for example “{placeholder}”)."
        fix = Fix(title=title, edits=[edit[0]], safe=False)
        return analysis.finding(rule, unit, a, b, confidence=confidence, fixes=[fix, _rephrase()],
                                message_vars={"role": placeholder}, message=message)

    if len(group) > 1:
        roles = [_role_for(x, rule, config, in_timeline) for x in group]
        if all(from_cfg for _, from_cfg in roles):
            phrase = " and ".join(r for r, _ in roles) if len(roles) == 2 else ", ".join(
                r for r, _ in roles[:-1]) + " and " + roles[-1][0]
        else:
            numbers = {2: "two", 3: "three", 4: "four", 5: "five"}
            phrase = f"{numbers.get(len(group), str(len(group)))} {opts.get('plural_role', 'responders')}"
        new = _cap(phrase) if sentence_start else phrase
        grammatical = all(x.grammatical for x in group) and m.position in ("subject", "object", "agent", "pobj")
        edit, verbatim = _edit(block, analysis.document, a, b, new)
        fix = Fix(title=f"Replace “{text[a:b]}” with “{new}”", edits=[edit],
                  safe=bool(verbatim and grammatical and safe_slot))
        return analysis.finding(rule, unit, a, b, confidence=confidence, fixes=[fix, _rephrase()],
                                message_vars={"role": phrase})

    role, _ = _role_for(m, rule, config, in_timeline)
    fixes = []
    if m.appositive is not None:
        kind, tok = m.appositive
        if kind == "space":
            da, db = tok.idx + len(tok.text), b
        elif kind == "comma":
            da, db = tok.idx, b
            if text[db:db + 1] == ",":
                db += 1
        else:  # paren
            da, db = tok.idx, b + 1 if text[b:b + 1] == ")" else b
            if da > 0 and text[da - 1] == " ":
                da -= 1
        edit, verbatim = _edit(block, analysis.document, da, db, "")
        fixes.append(Fix(title=f"Remove “{text[a:b]}” and keep the role", edits=[edit],
                         safe=bool(verbatim and safe_slot)))
        word = tok.nbor(-1) if kind != "space" else tok
        role = _article(word.text if word.text.isupper() else word.lower_)
    elif m.paren_role is not None and not m.label_list:
        end, inner = m.paren_role
        role = _article(inner)
        new = _cap(role) if sentence_start else role
        edit, verbatim = _edit(block, analysis.document, a, end, new)
        fixes.append(Fix(title=f"Replace “{text[a:end]}” with “{new}”", edits=[edit],
                         safe=bool(verbatim and m.grammatical and safe_slot)))
    else:
        ea, eb, new = a, b, role
        if m.position == "possessive" and text[b:b + 1] in ("'", "’") and text[b + 1:b + 2] != "s":
            eb, new = b + 1, role + "'s"
        if sentence_start:
            new = _cap(new)
        grammatical = m.grammatical and m.position in ("subject", "object", "agent", "pobj", "possessive",
                                                         "according")
        edit, verbatim = _edit(block, analysis.document, ea, eb, new)
        fixes.append(Fix(title=f"Replace “{text[a:b]}” with “{new}”", edits=[edit],
                         safe=bool(verbatim and grammatical and safe_slot)))
    fixes.append(_rephrase())
    return analysis.finding(rule, unit, a, b, confidence=confidence, fixes=fixes, message_vars={"role": role})


def _rephrase() -> Fix:
    return Fix(title="Describe the role (on-call engineer, reviewer, team) instead of the person", edits=[])


def _edit(block, document, a: int, b: int, new: str) -> tuple[Edit, bool]:
    start, end = block.source_span(a, b)
    verbatim = end - start == b - a and document.source[start:end] == block.text[a:b]
    return Edit(start, end, new), verbatim
