"""A mention of a possible person, and the name-like words of a paragraph it is made of."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from blamelint.analysis.nlp import token_texts
from blamelint.analysis.state import kept
from blamelint.rules.words import words

PARTICLES = words("names")["particles"]
MAX_RUN = 4  # name-like words in one name


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

    def copy(self, unit) -> Mention:
        """A field-for-field copy in `unit`, with its own cue list (faster than `replace`)."""
        c = object.__new__(Mention)
        c.__dict__.update(self.__dict__)
        c.unit, c.cues = unit, list(self.cues)
        return c


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


def namey(text: str) -> bool:
    """Capitalised like a name: "Amaru", "McKenzie", "O'Brien", "Zoë"; not "KIAM", "GitHub", "Ansible2"."""
    if len(text) < 2 or not text[0].isupper() or not text.replace("'", "").replace("’", "").isalpha():
        return False
    rest = text[1:]
    for prefix in ("c", "ac", "'", "’"):  # Mc, Mac, O'
        if rest.startswith(prefix) and len(rest) > len(prefix) + 1 and rest[len(prefix)].isupper():
            rest = rest[len(prefix) + 1:]
            break
    return rest.islower() or rest == ""


def namey_tokens(doc) -> list:
    """The tokens of a Doc capitalised like a name (kept on the Doc, which is cached per text)."""
    return kept(doc, ("names", "namey tokens"), lambda: [
        doc[i] for i, w in enumerate(token_texts(doc)) if w[:1].isupper() and namey(w)])


def name_words(doc) -> list[Words]:
    """Capitalised words and hyphenated compounds of a Doc (kept on the Doc: it is cached per text)."""
    return kept(doc, ("names", "words"), lambda: _find_words(doc))


def _find_words(doc) -> list[Words]:
    out: list[Words] = []
    n, after = len(doc), 0
    for t in namey_tokens(doc):
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


def name_runs(doc) -> list[list[Words]]:
    """Runs of adjacent name-like words, at most MAX_RUN, a particle between two allowed ("Ludwig
    van Beethoven"): each run is one possible name (kept on the Doc)."""
    return kept(doc, ("names", "runs"), lambda: _find_runs(doc))


def _find_runs(doc) -> list[list[Words]]:
    runs: list[list[Words]] = []
    for w in name_words(doc):
        if runs:
            prev = runs[-1][-1]
            gap = doc[prev.tokens[-1].i + 1:w.tokens[0].i]
            adjacent = prev.tokens[-1].whitespace_ and (
                len(gap) == 0 or (len(gap) == 1 and gap[0].lower_ in PARTICLES and gap[0].whitespace_)
            )
            if adjacent and len(runs[-1]) < MAX_RUN:
                runs[-1].append(w)
                continue
        runs.append([w])
    return runs


def plain_runs(runs: list[list[Words]], block) -> list[list[Words]]:
    """The runs split where the source between two words is not as plain as the prose: markup or a
    hard line break ("[Katharine Berry]  ⏎ Last Modified" is two lines, not one name). The same
    split gives the same lists (kept on the Doc), so callers may key on them."""
    cuts = []
    for k, run in enumerate(runs):
        for n in range(1, len(run)):
            before, after = run[n - 1].tokens[-1], run[n].tokens[0]
            a, b = before.idx + len(before.text), after.idx
            if block.source_span(b, b + 1)[0] - block.source_span(a - 1, a)[1] != b - a:
                cuts.append((k, n))
    if not cuts:
        return runs
    doc = runs[cuts[0][0]][0].tokens[0].doc
    return kept(doc, ("names", "plain runs", tuple(cuts)), lambda: _split(runs, set(cuts)))


def _split(runs: list[list[Words]], cuts: set[tuple[int, int]]) -> list[list[Words]]:
    out = []
    for k, run in enumerate(runs):
        start = 0
        for n in range(1, len(run)):
            if (k, n) in cuts:
                out.append(run[start:n])
                start = n
        out.append(run if start == 0 else run[start:])
    return out


def allowed(config, *keys: str) -> bool:
    """Is one of the keys in the config's `allow_names`?"""
    allow = {a.lower().lstrip("@") for a in config.allow_names}
    return any(k and k.lower().lstrip("@") in allow for k in keys)
