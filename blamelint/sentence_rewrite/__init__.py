"""One rewrite of the whole sentence for every sentence with findings, offered first.

After the filters, the findings of the scored categories are grouped by sentence. Each sentence
gets one fix that rewrites it so that all of its problems are gone at once: the edits of its
findings' own fixes (names to roles, agentless clauses, deleted judgement words) where they do
not overlap, and for a finding that has no edit of its own a restatement built from the parse:

- judgement words dropped ("Frankly, the DBA clearly missed it" → "The DBA missed it");
- a person's clause restated without its agent ("The release manager bumped the key" → "The
  key was bumped"), also after "should have", "would have" and "if only";
- a counterfactual about a person reduced to its fact ("Had the DBA checked replication status
  first, …" → "Replication status was not checked first");
- a vague action given the frame of a concrete one, its missing parts as [slots].

The fix is safe only when every part of it is (deletions and the config's names to roles).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import replace

from blamelint.analysis.grammar import negated
from blamelint.analysis.nlp import TIMESTAMP_RE
from blamelint.analysis.state import state
from blamelint.findings import MARKUP_RE, Edit, Finding, Fix, merge_group
from blamelint.rewrite import deletion
from blamelint.sentence_rewrite.base import FAILURE_VERBS, NAME_ROLES, NAMES, disjoint
from blamelint.sentence_rewrite.foresight import obvious_that, predictable
from blamelint.sentence_rewrite.strategies import STRATEGIES, agentless, clause_kind, judgement_words
from blamelint.sentence_rewrite.verdicts import character_noun, fault_noun

SCORED = ("blame", "named-individual", "hindsight", "vague-action", "root-cause")
TITLE_PREFIX = "Rewrite the sentence as “"
TITLE = TITLE_PREFIX + "{}”"


def add_sentence_rewrites(findings: list[Finding], document, unit_for) -> list[Finding]:
    """Put one whole-sentence rewrite first in the fixes of each finding of a scored category.
    `unit_for(block)` gives the block's analysed unit (its Doc parsed where the findings are)."""
    blocks = [b for b in document.blocks if b.text.strip()]
    starts = [b.start for b in blocks]
    groups: dict[int, list[Finding]] = {}
    merged: dict[int, Finding | None] = {}
    for f in findings:
        if f.category not in SCORED:
            continue
        k = bisect_right(starts, f.start) - 1
        if k >= 0 and blocks[k].start <= f.start <= blocks[k].end:
            groups.setdefault(k, []).append(f)
    for k, members in groups.items():
        block = blocks[k]
        unit = unit_for(block)
        spans = [(f, block.prose_offset(f.start), block.prose_offset(f.end, end=True)) for f in members]
        # the words of the hits merged into a finding need restating too ("Obviously X should have
        # been tested": "Obviously" is the finding, "should have been tested" a related hit)
        hits = spans + [(replace(f, rule=r.rule), block.prose_offset(r.start), block.prose_offset(r.end, end=True))
                        for f in members for r in f.related if block.start <= r.start <= block.end]  # (its own rule)
        doc = unit.doc
        if not all(_parsed_at(doc, a) for _, a, _ in hits if a is not None):
            doc = unit.analysed()  # a finding in a sentence the first pass did not parse
            unit = replace(unit, doc=doc)  # the rewriters read the parsed Doc
        for sent in doc.sents:
            inside = [(f, a, b) for f, a, b in spans if a is not None and sent.start_char <= a < sent.end_char]
            if not inside:
                continue
            also = [(f, a, b) for f, a, b in hits[len(spans):]
                    if a is not None and b is not None and sent.start_char <= a < sent.end_char]
            fix = _kept_fix(unit, doc, sent, inside + also, document)
            if fix is not None:
                for f, _, _ in inside:
                    f.fixes = [fix] + [x for x in f.fixes if tuple(x.edits) != tuple(fix.edits)]
            merged.update(_merge_clauses(doc, sent, inside))
    if not merged:
        return findings
    out = [merged.get(id(f), f) for f in findings]
    return sorted({id(f): f for f in out if f is not None}.values(), key=Finding.sort_key)


def _parsed_at(doc, a: int) -> bool:
    """Is the sentence at prose offset a parsed in doc (tags and dependencies)?"""
    if doc is None or not doc.has_annotation("DEP"):
        return False
    span = doc.char_span(a, a + 1, alignment_mode="expand")
    return span is not None and len(span) > 0 and all(t.dep_ and t.tag_ for t in span.sent)


CLAUSE_DEPS = {"ROOT", "conj", "advcl", "ccomp", "relcl", "csubj", "parataxis", "acl"}


def _clause_of(doc, a: int, b: int) -> int | None:
    """The index of the head of the clause that holds prose span [a, b)."""
    span = doc.char_span(a, b, alignment_mode="expand")
    if span is None or not len(span):
        return None
    tok = span.root
    for _ in range(12):
        if tok.dep_ in CLAUSE_DEPS and (tok.pos_ in ("VERB", "AUX") or tok.dep_ == "ROOT"):
            return tok.i
        if tok.head is tok:
            return tok.i
        tok = tok.head
    return tok.i


def _merge_clauses(doc, sent, inside) -> dict:
    """One finding per category and clause ("Obviously the on-call should have rolled back":
    one hindsight finding, the other rule listed as related): id(finding) → the finding that
    stands for it (None: merged away)."""
    groups: dict[tuple, list] = {}
    for f, a, b in inside:
        if f.category in ("named-individual",):
            continue  # each name is a problem of its own
        clause = _clause_of(doc, a, b if b is not None else a + 1)
        if clause is not None:
            groups.setdefault((f.category, clause), []).append(f)
    out = {}
    for group in groups.values():
        if len(group) < 2:
            continue
        main = merge_group(group)
        for f in group:
            out[id(f)] = main if f is main else None
    return out


def _kept_fix(unit, doc, sent, inside, document) -> Fix | None:
    """`_sentence_fix`, kept on the Doc (cached per text) under what it reads: the block's source,
    the sentence, its findings and whether the Doc has entities yet (a one-sentence Doc may be
    given them later). An edit elsewhere in the document costs a lookup."""
    block = unit.block
    base = block.start
    record = state(doc)
    key = ("sentence-fix", document.source[block.start:block.end], record.ner, sent.start_char, sent.end_char,
           tuple((f.rule, f.category, a, b, tuple((x.title, x.safe, tuple((e.start - base, e.end - base, e.new_text)
                                                                           for e in x.edits)) for x in f.fixes))
                 for f, a, b in inside))
    memo = record.memo
    if key not in memo:
        fix = _sentence_fix(unit, doc, sent, inside, document)
        memo[key] = None if fix is None else fix.shifted(-base)
    return None if memo[key] is None else memo[key].shifted(base)


def _sentence_fix(unit, doc, sent, inside, document) -> Fix | None:
    names = [(f, a, b) for f, a, b in inside if f.category == "named-individual" and a is not None]
    token = NAMES.set(tuple((a, b) for _, a, b in names))
    roles = NAME_ROLES.set(tuple((a, b, role) for f, a, b in names if (role := _role_of(f))))
    try:
        return _sentence_fix_of(unit, doc, sent, inside, document)
    finally:
        NAMES.reset(token)
        NAME_ROLES.reset(roles)


def _role_of(name_finding) -> str | None:
    """"engineer" for a name whose fix reads "An engineer" / "the on-call engineer" (None for "two
    responders", a possessive or a slot)."""
    fix = next((x for x in name_finding.fixes if x.edits), None)
    if fix is None or len(fix.edits) != 1:
        return None
    m = re.fullmatch(r"(?i:an?|the)\s+([a-z][a-z -]*[a-z])", fix.edits[0].new_text.strip())
    return m.group(1) if m else None


# (outer, inner): a finding of the inner category inside one of the outer waits for the outer's rewrite
NESTED = [("vague-action", lambda c: c != "vague-action"), ("blame", lambda c: c == "root-cause")]


def _sentence_fix_of(unit, doc, sent, inside, document) -> Fix | None:
    block = unit.block
    parts: list[tuple[int, int, str, bool]] = []  # prose edits: start, end, new text, safe
    used = []  # what each group of parts came from: "own" (a finding's fix) or a strategy

    def free_of_parts(a, b):
        return not any(a < y and x < b or a == b == x == y for x, y, _, _ in parts)

    def add_own(f) -> None:
        fix = next((x for x in f.fixes if x.edits), None)
        if fix is None:
            return
        mapped = [_uncapitalised(block.text, block.prose_offset(e.start),
                                  block.prose_offset(e.end, end=True), e.new_text)
                  for e in fix.edits]
        if all(a is not None and b is not None and free(a, b) for a, b, _ in mapped):
            parts.extend((a, b, new, fix.safe) for a, b, new in mapped)
            used.append("own")

    # the clause's problems first, names after: a name that is the agent goes with its clause
    clause = [m for m in inside if m[0].category != "named-individual"]
    # a problem inside a vague action's words ("Minimise human error") waits for the action's frame,
    # which may restate it too; its own fix comes after, where the frame left it
    # (so does a single cause inside fault placed on a person: "The outage was entirely down to the
    # engineer who typed X" → "X was typed, which led to the outage", not "partly down to the engineer")
    nested = [m for m in clause if m[1] is not None and any(
        v[0].category == outer and inner(m[0].category) and v[1] is not None and v[1] <= m[1] and m[2] <= v[2]
        for v in clause for outer, inner in NESTED)]
    clause = [m for m in clause if m not in nested] + nested
    # a word a waiting finding's own fix rewrites is not deleted before it ("entirely" of "entirely down to")
    waiting = [(a, b) for f, a, b in nested if any(x.edits for x in f.fixes)]

    def free(a, b, new=None):
        """[a, b) untouched so far, and no deletion (new == "") inside a waiting finding's words."""
        return free_of_parts(a, b) and not (new == "" and any(x <= a and b <= y for x, y in waiting))

    for f, _, _ in clause:
        if not any(f is m[0] for m in nested):
            add_own(f)
    framed = any(f.category == "vague-action" and any(x.edits for x in f.fixes) for f, _, _ in clause)
    for f, a, b in clause:
        if any((x < b and a < y or x == y and a <= x <= b) and (new or x <= a and b <= y) for x, y, new, _ in parts):
            continue  # already rewritten by an edit of its own or of another finding (a deletion of a
            # word inside its span, "Obviously" of "Obviously X should have been tested", is not)
        if f.category == "vague-action" and framed:
            continue  # one frame per sentence: another finding's own frame already holds it
        strategies = STRATEGIES.get(f.category, ())
        if f.rule in JUDGED and _noun_at(doc, a):  # "attributed it to carelessness of X": the noun is the problem
            strategies = (character_noun, fault_noun) + tuple(s for s in strategies if s not in (character_noun, fault_noun))
        for strategy in strategies:
            found = disjoint([p for p in strategy(unit, doc, sent, a, b) or () if free(p[0], p[1], p[2])
                              or _swallowed(parts, p)])
            if found:
                for p in found:  # a deleted word inside the restated words goes with them
                    parts[:] = [q for q in parts if q not in (_swallowed(parts, p) or ())]
                parts.extend(found)
                used.append(strategy.__name__)
                break
    for f, _, _ in nested:
        add_own(f)
    if any(f.category == "hindsight" for f, _, _ in clause):
        # a verdict of obviousness the finding's own deletion left behind ("In hindsight, it is obvious
        # that X": the lead goes by its own fix, the frame by this)
        for strategy in (obvious_that, predictable):
            found = [p for p in strategy(unit, doc, sent, sent.start_char, sent.end_char) or ()
                     if free(p[0], p[1]) or _swallowed(parts, p)]
            if found:
                for p in found:  # a deleted word inside the frame goes with it ("obvious in retrospect that")
                    parts[:] = [q for q in parts if q not in (_swallowed(parts, p) or ())]
                parts.extend(found)
                used.append(strategy.__name__)
                break
    if any(f.category in ("blame", "hindsight") for f, _, _ in clause):
        # the other clauses of the sentence that make a person the agent (for hindsight, of "should have")
        only = not any(f.category == "blame" for f, _, _ in clause)
        found = []
        for p in agentless(unit, doc, sent, sent.start_char, sent.end_char, modal_only=only) or ():
            hit = _swallowed(parts, p)
            if hit is not None:
                parts[:] = [q for q in parts if q not in hit]  # a deleted word inside the restated clause
                found.append(p)
        if found:  # the other clauses of the sentence that make a person the agent
            parts.extend(found)
            used.append("agentless")
    for f, a, _ in inside:
        if f.category == "named-individual" and a is not None:
            # a name that is the agent of a failure ("Tomasz missed the page"): the clause
            # without its agent, rather than a role that would still be blamed
            tok = doc.char_span(a, a + 1, alignment_mode="expand")
            verb = tok.root.head if tok is not None and len(tok) and tok.root.dep_ == "nsubj" else None
            if verb is not None and (verb.lemma_.lower() in FAILURE_VERBS or negated(verb)
                                     or clause_kind(verb)[1] == "should-have"):
                found = [p for p in agentless(unit, doc, sent, verb.idx, verb.idx + 1) or () if free(p[0], p[1])]
                if found:
                    parts.extend(found)
                    used.append("agentless")
                    continue
            add_own(f)
    if any(f.category in ("blame", "hindsight") for f, _, _ in inside):
        # the verdict words of the rest of the sentence go too ("Frankly, …", "clearly")
        found = [p for p in judgement_words(unit, doc, sent, sent.start_char, sent.end_char) or ()
                 if free(p[0], p[1], p[2])]
        if found:
            parts.extend(found)
            used.append("judgement")
    parts = _judged_words_dropped(doc, block.text, parts, inside)
    if not parts or (used == ["own"] and len(inside) == 1):
        return None  # nothing, or only the finding's own fix again
    parts.sort(key=lambda p: (p[0], p[1]))
    parts = _capitalised(block.text, sent, parts)
    edits = []
    for a, b, new, _ in parts:
        start, end = block.source_span(a, b)
        verbatim = end - start == b - a and document.source[start:end] == block.text[a:b]
        if not verbatim and MARKUP_RE.search(document.source[start:end]):
            return None  # the words span emphasis, a link or code
        edits.append(Edit(start, end, new))
    text = block.text
    lo, hi = sent.start_char, sent.end_char
    new = text[lo:hi]
    for a, b, t, _ in sorted(parts, key=lambda p: p[0], reverse=True):
        new = new[: a - lo] + t + new[b - lo:]
    new = new.strip()
    if new == text[lo:hi].strip():
        return None
    return Fix(title=TITLE.format(new), edits=edits, safe=all(s for _, _, _, s in parts))


JUDGED = {"character-judgement", "hindsight-adverb"}  # rules whose match is a judging word or phrase


def _swallowed(parts, p) -> list | None:
    """The parts that part p overlaps when each is a deletion it covers whole ("absolutely
    inexcusable" inside "The absolutely inexcusable negligence of the team" → "A gap in our
    safeguards"): p replaces them. None when p would cut into another edit."""
    hit = [q for q in parts if q[0] < p[1] and p[0] < q[1]]
    return hit if all(q[2] == "" and p[0] <= q[0] and q[1] <= p[1] for q in hit) else None


def _token_at(doc, a):
    span = doc.char_span(a, a + 1, alignment_mode="expand") if a is not None else None
    return span[0] if span is not None and len(span) else None


def _noun_at(doc, a) -> bool:
    """Is the word at prose offset a the head of a noun phrase ("carelessness", not "careless",
    not "cowboy" of "a cowboy stunt")?"""
    tok = _token_at(doc, a)
    return tok is not None and tok.pos_ in ("NOUN", "PROPN") and tok.dep_ not in ("compound", "amod", "nmod")


MANNER_PREPS = {"like", "out", "of", "through", "from", "with"}  # "out of complacency", "through pure laziness"


def _judging_phrase(doc, a) -> str | None:
    """The words of a prepositional phrase of manner made of the judging noun at a ("out of sheer
    carelessness", "like a cowboy"), which a restated clause can lose whole; None if it is none."""
    tok = _token_at(doc, a)
    if tok is None or tok.dep_ != "pobj" or tok.head.lower_ not in MANNER_PREPS:
        return None
    prep = tok.head
    while prep.head.dep_ == "prep" and prep.head.i == prep.i - 1 and prep.head.lower_ in MANNER_PREPS:
        prep = prep.head  # "out of"
    last = max((t for t in tok.sent if not t.is_punct), key=lambda t: t.i)
    if prep.dep_ != "prep" or tok.right_edge.i != prep.right_edge.i or prep.head.pos_ not in ("VERB", "AUX") and (
            prep.head.pos_ != "NOUN" or prep.right_edge.i != last.i):
        return None  # (the parse may hang "… the warning out of laziness" on the noun: at the end it is the manner)
    return doc.text[prep.idx: tok.right_edge.idx + len(tok.right_edge)]


def _judged_words_dropped(doc, text: str, parts, inside):
    """A judging word a restated clause kept verbatim ("Production was mutated with reckless
    working habits") is dropped from it, its article mended ("a reckless change" → "a change").
    A judging noun is not dropped (the phrase would lose its head): no rewrite then."""
    out = []
    for a, b, new, safe in parts:
        for f, fa, fb in inside:
            if f.rule not in JUDGED or fa is None or fb is None or not (a <= fa and fb <= b) or not new:
                continue
            word = text[fa:fb].strip(" ,")
            if not word or " " in word:
                continue
            at = re.search(rf"\b{re.escape(word)}\b", new)
            if at is None:
                continue
            tok = _token_at(doc, fa)
            clause = tok.head if tok is not None and tok.dep_ in ("acomp", "attr") else None
            if clause is not None and clause.dep_ in ("relcl", "advcl", "ccomp") and any(
                    c.dep_ == "nsubj" and c.lower_ in ("which", "that", "this", "it") for c in clause.children):
                # ", which was reckless": the verdict is the whole clause; it goes with its comma
                words = sorted(clause.subtree, key=lambda t: t.i)
                text_of = doc.text[words[0].idx: words[-1].idx + len(words[-1])]
                at = re.search(rf",\s*{re.escape(text_of)}(?:,(?=\s))?", new)
                if at is None:
                    return []
                new = new[:at.start()] + new[at.end():]
                continue
            if _noun_at(doc, fa):
                phrase = _judging_phrase(doc, fa)  # "… out of sheer complacency", "… like a cowboy"
                at = re.search(rf"(?<!\w){re.escape(phrase)}(?!\w)", new) if phrase else None
                if at is None:
                    return []
            x, y, repl = deletion(new, at.start(), at.end())
            if new[at.end():at.end() + 1] == "," and new[at.start() - 1: at.start()] == " " and y > at.end():
                x, y, repl = at.start() - 1, at.end(), ""  # "… out of laziness, which cost us an hour": the comma stays
            new = new[:x] + repl + new[y:]
        out.append((a, b, new, safe))
    return out


def _uncapitalised(text: str, a, b, new: str):
    """A deletion that re-capitalises the next word ("In hindsight, the" → "The") without that
    letter: `_capitalised` restores it once every part is in, so the part does not overlap the
    next one."""
    if a is not None and b is not None and b > a and new[-1:].isupper() and text[b - 1] == new[-1].lower():
        return a, b - 1, new[:-1]
    return a, b, new


def _capitalised(text: str, sent, parts):
    """Parts whose result starts the sentence with a capital where the original did."""
    lo = sent.start_char
    time = TIMESTAMP_RE.match(text[lo:sent.end_char])  # a timeline row's time ("03:12 UTC —") comes before it
    lo += time.end() if time else 0
    first = next((i for i in range(lo, sent.end_char) if text[i].isalpha()), None)
    if first is None or not text[first].isupper():
        return parts
    out = list(parts)
    at = lo
    for k, (a, b, new, safe) in enumerate(out):
        if any(ch.isalpha() for ch in text[at:a]):
            break  # the sentence's first letter is original text before this part
        j = next((i for i, ch in enumerate(new) if ch.isalpha()), None)
        if j is not None:
            if new[j].islower() and not new[:j].endswith("@") and not new[j - 1: j].isdigit():  # ("@owner-team", "5xx")
                out[k] = (a, b, new[:j] + new[j].upper() + new[j + 1:], safe)
            return out
        at = b
    i = next((i for i in range(at, sent.end_char) if text[i].isalpha()), None)
    if i is None or text[i].isupper():
        return out
    k = next((k for k, p in enumerate(out) if p[1] == i), None)
    if k is not None:  # a deletion just before it: "Frankly, the" → "The"
        a, b, new, safe = out[k]
        out[k] = (a, i + 1, new + text[i].upper(), safe)
    elif all(p[1] <= i or p[0] > i for p in out):
        out.append((i, i + 1, text[i].upper(), True))
        out.sort(key=lambda p: (p[0], p[1]))
    return out
