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

from bisect import bisect_right
from contextvars import ContextVar
from dataclasses import replace

from blamelint.analysis.grammar import (
    NoRewrite,
    agentless_clause,
    clause_span,
    clause_tokens,
    consequence_fact,
    negated,
    negative_subject,
    orphans,
    subject_of,
    what_they_did,
)
from blamelint.findings import MARKUP_RE, Edit, Finding, Fix, merge_group
from blamelint.rewrite import action_frame, deletable, deletion, measure_frame
from blamelint.rules.words import words

SCORED = ("blame", "named-individual", "hindsight", "vague-action", "root-cause")
TITLE_PREFIX = "Rewrite the sentence as “"
TITLE = TITLE_PREFIX + "{}”"
_WORDS = words("rewrite")
JUDGEMENT_ADVERBS = _WORDS["judgement_adverbs"]
JUDGEMENT_PHRASES = sorted(_WORDS["judgement_phrases"], key=len, reverse=True)
CHARACTER_ADJECTIVES = _WORDS["character_adjectives"]
WORK_NOUNS = _WORDS["work_nouns"]
HINDSIGHT_ADJECTIVES = _WORDS["hindsight_adjectives"]
FAULT_NOUNS = _WORDS["fault_nouns"]
APPEAL_WORDS = _WORDS["appeal_words"]
CHANGE_FAULTS = {"slip", "mistake", "error", "blunder", "typo", "goof", "fumble", "screw-up", "screwup", "mix-up",
                 "mixup"}  # "the operator's slip" → "a change"; the rest ("negligence") → a gap in safeguards
_AGENTIVE = words("agentive")
ROLE_NOUNS = _AGENTIVE["role_nouns"]
PEOPLE = {"he", "she", "i", "we", "they", "someone", "somebody", "anyone", "anybody", "nobody", "everyone",
          "everybody", "whoever", "ops", "support"}
GIVE_UP_VERBS = {"forget", "neglect", "fail", "bother", "omit"}
FAILURE_VERBS = _AGENTIVE["failure_verbs"] | GIVE_UP_VERBS
MODALS = {"should", "ought", "would", "could", "might", "must", "'d", "’d"}


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
        if unit is None:
            continue
        spans = [(f, _prose(block, f.start), _prose(block, f.end, end=True)) for f in members]
        doc = unit.doc
        if not all(_parsed_at(doc, a) for _, a, _ in spans if a is not None):
            doc = unit.analysed()  # a finding in a sentence the first pass did not parse
            unit = replace(unit, doc=doc)  # the rewriters read the parsed Doc
        for sent in doc.sents:
            inside = [(f, a, b) for f, a, b in spans if a is not None and sent.start_char <= a < sent.end_char]
            if not inside:
                continue
            fix = _sentence_fix(unit, doc, sent, inside, document)
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


def _prose(block, offset: int, end: bool = False) -> int | None:
    """The prose offset of a source offset in block (None when it falls in markup)."""
    starts = block._starts
    k = block._shift
    lo, hi = 0, len(starts)
    while lo < hi:
        mid = (lo + hi) // 2
        if starts[mid] + k < offset:
            lo = mid + 1
        else:
            hi = mid
    if end:
        if lo == len(starts) or starts[lo] + k != offset:
            # the end of the last character
            j = lo - 1
            return j + 1 if j >= 0 and block._ends[j] + k == offset else None
        return lo
    return lo if lo < len(starts) and starts[lo] + k == offset else None


_NAMES: ContextVar[tuple] = ContextVar("names", default=())  # prose spans of the sentence's names


def _sentence_fix(unit, doc, sent, inside, document) -> Fix | None:
    token = _NAMES.set(tuple((a, b) for f, a, b in inside if f.category == "named-individual" and a is not None))
    try:
        return _sentence_fix_of(unit, doc, sent, inside, document)
    finally:
        _NAMES.reset(token)


def _sentence_fix_of(unit, doc, sent, inside, document) -> Fix | None:
    block = unit.block
    parts: list[tuple[int, int, str, bool]] = []  # prose edits: start, end, new text, safe
    used = []  # what each group of parts came from: "own" (a finding's fix) or a strategy

    def free(a, b):
        return not any(a < y and x < b or a == b == x == y for x, y, _, _ in parts)

    def add_own(f) -> None:
        fix = next((x for x in f.fixes if x.edits), None)
        if fix is None:
            return
        mapped = [_uncapitalised(block.text, _prose(block, e.start), _prose(block, e.end, end=True), e.new_text)
                  for e in fix.edits]
        if all(a is not None and b is not None and free(a, b) for a, b, _ in mapped):
            parts.extend((a, b, new, fix.safe) for a, b, new in mapped)
            used.append("own")

    # the clause's problems first, names after: a name that is the agent goes with its clause
    clause = [m for m in inside if m[0].category != "named-individual"]
    for f, _, _ in clause:
        add_own(f)
    framed = any(f.category == "vague-action" and any(x.edits for x in f.fixes) for f, _, _ in clause)
    for f, a, b in clause:
        if any(x < b and a < y or x == y and a <= x <= b for x, y, _, _ in parts):
            continue  # already rewritten by an edit of its own or of another finding
        if f.category == "vague-action" and framed:
            continue  # one frame per sentence: another finding's own frame already holds it
        for strategy in STRATEGIES.get(f.category, ()):
            found = _disjoint([p for p in strategy(unit, doc, sent, a, b) or () if free(p[0], p[1])])
            if found:
                parts.extend(found)
                used.append(strategy.__name__)
                break
    if any(f.category in ("blame", "hindsight") for f, _, _ in clause):
        # the other clauses of the sentence that make a person the agent (for hindsight, of "should have")
        only = not any(f.category == "blame" for f, _, _ in clause)
        found = []
        for p in _agentless(unit, doc, sent, sent.start_char, sent.end_char, modal_only=only) or ():
            hit = [q for q in parts if q[0] < p[1] and p[0] < q[1]]
            if all(q[2] == "" and p[0] <= q[0] and q[1] <= p[1] for q in hit):
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
                                     or _kind(verb)[1] == "should-have"):
                found = [p for p in _agentless(unit, doc, sent, verb.idx, verb.idx + 1) or () if free(p[0], p[1])]
                if found:
                    parts.extend(found)
                    used.append("agentless")
                    continue
            add_own(f)
    if any(f.category in ("blame", "hindsight") for f, _, _ in inside):
        # the verdict words of the rest of the sentence go too ("Frankly, …", "clearly")
        found = [p for p in _judgement_words(unit, doc, sent, sent.start_char, sent.end_char) or ()
                 if free(p[0], p[1])]
        if found:
            parts.extend(found)
            used.append("judgement")
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
            if new[j].islower():
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


# ---------------------------------------------------------------- strategies


def _judgement_words(unit, doc, sent, a, b):
    """Delete the sentence's judgement words: verdict adverbs and phrases, character adjectives."""
    text = unit.block.text
    out = []
    toks = list(sent)
    taken = set()
    for i, t in enumerate(toks):
        if t.i in taken:
            continue
        low = t.lower_
        phrase = next((p for p in JUDGEMENT_PHRASES
                       if tuple(x.lower_ for x in toks[i: i + len(p)]) == p), None)
        if phrase is not None:
            last = toks[i + len(phrase) - 1]
            out.append((t.idx, last.idx + len(last)))
            taken.update(x.i for x in toks[i: i + len(phrase)])
            continue
        if low in JUDGEMENT_ADVERBS and t.dep_ in ("advmod", "intj", "npadvmod") and t.pos_ in ("ADV", "INTJ"):
            if low in ("just", "even", "really", "simply") and t.head.pos_ not in ("VERB", "AUX"):
                continue  # "just 5 minutes", "even numbers"
            if _negated_scope(t):
                continue  # "not completely robust", "nothing was obviously compromised": a hedge, kept
            out.append((t.idx, t.idx + len(t)))
        elif t.dep_ == "amod" and (low in HINDSIGHT_ADJECTIVES or low in CHARACTER_ADJECTIVES and (
                _person(t.head) or t.head.lemma_.lower() in WORK_NOUNS)):
            lead = [c for c in t.children if c.dep_ == "advmod" and c.i == t.i - 1 and c.lower_ in ("more", "less", "very")]
            first = lead[0] if lead else t
            out.append((first.idx, t.idx + len(t)))
            taken.update(x.i for x in (first, t))
        elif low in CHARACTER_ADJECTIVES and t.dep_ in ("amod", "advcl", "acomp") and _commas(t):
            first, last = t.left_edge, t.right_edge  # "Rashid, naive as always, trusted …"
            out.append((first.idx, last.idx + len(last)))
            taken.update(x.i for x in t.subtree)
    parts = []
    for x, y in out:
        if not deletable(doc, text, x, y) and not _commas(doc.char_span(x, y, alignment_mode="expand").root):
            continue
        ea, eb, new = deletion(text, x, y)
        if len(new) == 1 and new.isupper() and text[eb - 1] == new.lower():
            eb, new = eb - 1, ""  # the capital is `_capitalised`'s to restore, after every part
        if not new and text[:ea].endswith(", ") and text[ea:eb].rstrip().endswith(","):
            ea, eb = ea - 2, ea + len(text[ea:eb].rstrip())  # "Kenji, once again, deploys" → "Kenji deploys"
        elif not new and text[:ea].endswith(",") and text[eb:eb + 1] in ",.":
            ea -= 1  # ", as usual." → "."
        parts.append((ea, eb, new, True))
    return _disjoint(parts) or None


def _negated_scope(tok) -> bool:
    """Is the adverb inside a negation ("not completely", "nothing … obviously")?"""
    doc = tok.doc
    if tok.i > 0 and doc[tok.i - 1].lower_ in ("not", "n't", "n’t", "never"):
        return True
    if tok.i + 1 < len(doc) and doc[tok.i + 1].text == ",":
        return False  # "Frankly, …": a sentence adverb, not a hedge inside the clause
    return any(c.lower_ in ("nothing", "nobody", "none") or negative_subject(c) for c in tok.head.children)


def _commas(tok) -> bool:
    """Is the token's phrase set off by commas ("Rashid, naive as always, trusted …")?"""
    doc = tok.doc
    first, last = tok.left_edge, tok.right_edge
    before = doc[first.i - 1] if first.i > 0 else None
    after = doc[last.i + 1] if last.i + 1 < len(doc) else None
    return before is not None and before.text == "," and after is not None and after.text in (",", ".")


def _disjoint(parts):
    out = []
    for p in sorted(parts):
        if out and p[0] < out[-1][1]:
            continue
        out.append(p)
    return out


def _person(tok) -> bool:
    if tok is None:
        return False
    low = tok.lower_
    if low in PEOPLE or negative_subject(tok):
        return True
    if tok.pos_ in ("NOUN", "PROPN", "ADJ") and (tok.lemma_.lower() in ROLE_NOUNS or low in ROLE_NOUNS):
        return True
    if low in ("call", "on-call", "oncall"):
        return True
    if any(a <= tok.idx < b for a, b in _NAMES.get()):
        return True  # the names detector's person
    return tok.ent_type_ == "PERSON" or (tok.pos_ == "PROPN" and tok.ent_type_ in ("", "PERSON", "NORP")
                                        and not tok.is_upper)


def _kind(verb) -> tuple[object, str] | None:
    """The verb that carries the clause (the modal's head) and the failure it states."""
    head = verb.head if verb.dep_ == "xcomp" and verb.head.lower_ == "ought" else verb
    auxes = {c.lower_ for c in (*head.children, *verb.children) if c.dep_ == "aux"} | (
        {head.lower_} if head is not verb else set())
    lem = verb.lemma_.lower()
    if auxes & MODALS and auxes & {"have", "'ve", "’ve"}:
        return head, "should-have"  # "should have read", "would have read": it was not read
    if lem in GIVE_UP_VERBS:
        return head, lem
    if negated(head):
        return head, "not-" + lem
    return head, lem


def _agentless(unit, doc, sent, a, b, modal_only: bool = False):
    """Each person's clause inside [a, b) restated without its agent (`modal_only`: only those
    that say what the person "should have" done)."""
    parts = []
    for verb in sent:
        if not (a <= verb.idx < b) or verb.pos_ not in ("VERB", "AUX") or verb.dep_ in ("aux", "auxpass"):
            continue
        if _had_clause(verb) or any(_had_clause(c) or c.dep_ == "advcl" and any(
                m.lower_ == "if" for m in c.children) for c in verb.children):
            continue  # a counterfactual's condition or its consequence: `_counterfactual` restates it
        head, kind = _kind(verb)
        agent = subject_of(head)
        if not _person(agent) or modal_only and kind != "should-have":
            continue
        try:
            if kind == "should-have" or head is not verb:
                new = agentless_clause(head, agent, kind, target=verb)
            else:
                new = agentless_clause(verb, agent, kind)
        except NoRewrite:
            parts += _conjuncts(head, agent) if head.dep_ in ("ROOT", "advcl", "ccomp") else []
            continue
        ca, cb = clause_span(head, agent)
        if not ca <= agent.head.idx < cb or orphans(head):
            continue  # the agent is the subject of another verb, which would lose it
        new += what_they_did(agent, cb)
        if agent.left_edge.i == sent.start or all(not t.is_alpha for t in doc[sent.start: agent.left_edge.i]):
            new = new[0].upper() + new[1:]
        parts.append((ca, cb, new, False))
    return _disjoint(parts) or None


def _conjuncts(verb, agent) -> list:
    """"An engineer rotated the key by hand and never checked the cache" → "The key was rotated by
    hand and the cache was never checked": every verb that shares the agent restated, or none."""
    verbs, todo = [], [verb]
    while todo:
        v = todo.pop()
        verbs.append(v)
        todo += [c for c in v.children if c.dep_ == "conj" and c.pos_ in ("VERB", "AUX")
                 and not any(g.dep_ in ("nsubj", "nsubjpass", "expl") for g in c.children)]
    if len(verbs) < 2:
        return []
    parts = []
    for v in sorted(verbs, key=lambda t: t.i):
        _, kind = _kind(v)
        if kind == "should-have":
            return []
        try:
            new = agentless_clause(v, agent, kind, shared=True)
        except NoRewrite:
            new = _unchecked_text(v)  # "… and never checked that the cache had expired"
            if new is None:
                return []
        toks = clause_tokens(v)
        if v is verb:
            first = agent.left_edge
        else:  # "and then walked …", "and quietly changed …": words before the verb stay, not its
            # auxiliaries and negation ("and didn't bother to test it")
            first = min((t for t in toks if t.i <= v.i and (t.dep_ in ("aux", "neg") or t.lower_ == "never")),
                        key=lambda t: t.i, default=v)
        last = max((t for t in toks if not t.is_punct), key=lambda t: t.i)
        parts.append((first.idx, last.idx + len(last), new, False))
    return parts


def _passive_agent(unit, doc, sent, a, b):
    """"The job should have been killed by the on-call long before 07:30" → "The job was not killed
    long before 07:30": a passive's person agent dropped, "should have been" stated as the fact."""
    parts = []
    for verb in sent:
        by = next((c for c in verb.children if c.dep_ == "agent"), None)
        person = next((c for c in by.children if c.dep_ == "pobj"), None) if by is not None else None
        if not _person(person) or not any(c.dep_ == "auxpass" for c in verb.children):
            continue
        if any(c.dep_ in ("relcl", "acl", "appos") for c in person.children):
            continue  # "by Ilse, who skipped the checklist": what she did would go with her
        end = by.right_edge.idx + len(by.right_edge)
        parts.append((by.idx - 1 if doc.text[by.idx - 1: by.idx] == " " else by.idx, end, "", False))
        parts += _should_have_been(unit, doc, sent, verb.idx, verb.idx + 1) or []
    return _disjoint(parts) or None


def _should_have_been(unit, doc, sent, a, b):
    """"The threshold should have been lowered" → "The threshold was not lowered": the fact."""
    for t in sent:
        if not (a <= t.idx < b) or t.pos_ not in ("VERB", "ADJ", "AUX"):
            continue
        auxes = [c for c in t.children if c.dep_ in ("aux", "auxpass") and c.i < t.i]
        if t.lemma_ == "be" and t.pos_ == "AUX":
            auxes = auxes + [t]
        words = [c.lower_ for c in auxes]
        if words[-3:] not in (["should", "have", "been"], ["ought", "have", "been"]):
            continue
        first, last = auxes[-3], auxes[-1]
        subject = next((c for c in (t.head if t.pos_ == "ADJ" else t).children
                        if c.dep_ in ("nsubj", "nsubjpass")), None)
        plural = subject is not None and (subject.tag_ in ("NNS", "NNPS") or subject.lower_ in ("we", "they"))
        return [(first.idx, last.idx + len(last), "were not" if plural else "was not", False)]
    return None


def _foreseen(unit, doc, sent, a, b):
    """"We all should have seen this coming" → "This was not foreseen"."""
    for verb in sent:
        coming = next((c for c in verb.children if c.lower_ == "coming" and c.dep_ in ("ccomp", "xcomp", "advcl")),
                      None)
        if verb.lemma_.lower() != "see" or coming is None or not _person(subject_of(verb)):
            continue
        thing = next((c for c in coming.children if c.dep_ in ("nsubj", "dobj")), None) or next(
            (c for c in verb.children if c.dep_ == "dobj"), None)
        if thing is None or thing.lower_ not in ("this", "it", "that"):
            continue
        agent = subject_of(verb)
        ca, _ = clause_span(verb, agent)
        rest = [t for t in verb.subtree if not t.is_punct]
        last = max(rest + [coming], key=lambda t: t.i)
        tail = doc.text[coming.idx + len(coming): last.idx + len(last)] if last.i > coming.i else ""
        word = "This" if thing.lower_ in ("this", "that") else "It"
        return [(ca, last.idx + len(last), f"{word} was not foreseen{tail}", False)]
    return None


CONDITIONS = "[which conditions] led to"


def _blame_predicate(unit, doc, sent, a, b):
    """"Wendell is to blame for the missed backup" → "[Which conditions] led to the missed
    backup"; "The outage was the release team's fault" → "[Which conditions] led to the outage":
    the verdict on a person replaced by the question the review answers, what it concerns kept."""
    for be in sent:
        if be.lemma_ != "be" or be.dep_ not in ("ROOT", "conj") or not (
                be.left_edge.idx <= a <= be.right_edge.idx):
            continue
        subject = next((c for c in be.children if c.dep_ == "nsubj"), None)
        if subject is None:
            continue
        blame = next((c for c in be.children if c.dep_ == "xcomp" and c.lemma_ == "blame"), None)
        fault = next((c for c in be.children if c.dep_ == "attr" and c.lemma_ == "fault"
                      and any(p.dep_ == "poss" and _person(p) for p in c.children)), None)
        if blame is not None and subject.lower_ not in ("it", "this", "that", "nobody", "no"):
            about = next((c for c in blame.children if c.dep_ == "prep" and c.lower_ == "for"), None)
            what = _phrase(doc, about) if about is not None else "this"
            end = max(t.i for t in blame.subtree)
        elif fault is not None and not any(c.dep_ in ("relcl", "acl", "prep") for c in fault.children):
            what = "this" if subject.lower_ in ("it", "this", "that") else doc[subject.left_edge.i: subject.i + 1].text
            if subject.right_edge.i != subject.i:
                continue  # a subject with more after its head would be cut
            end = fault.i
        else:
            continue
        if what is None:
            continue
        first = subject.left_edge
        if what[:1].isupper() and not what[1:2].isupper() and first.i == sent.start:
            what = what[0].lower() + what[1:]  # "The outage" moves from the start of the sentence
        return [(first.idx, doc[end].idx + len(doc[end]), f"{CONDITIONS} {what}", False)]
    return None


def _phrase(doc, prep) -> str | None:
    """The words of a preposition's object ("for the missed backup" → "the missed backup")."""
    toks = sorted((t for t in prep.subtree if t.i != prep.i), key=lambda t: t.i)
    if not toks or toks[-1].i - toks[0].i + 1 != len(toks):
        return None
    return doc[toks[0].i: toks[-1].i + 1].text


def _fault_noun(unit, doc, sent, a, b):
    """"Ansel's blunder" → "a change", "the DBA's negligence" → "a gap in our safeguards": a person's
    fault named as the change or the missing safeguard."""
    parts = []
    for t in sent:
        if t.lemma_.lower() not in FAULT_NOUNS or t.pos_ != "NOUN":
            continue
        owner = next((c for c in t.children if c.dep_ == "poss"), None)
        if owner is None or not _person(owner):
            continue
        first = t.left_edge
        if any(c.dep_ == "prep" for c in t.children):
            continue  # "the DBA's misunderstanding of the flag": its complement would dangle
        new = "a change" if t.lemma_.lower() in CHANGE_FAULTS else "a gap in our safeguards"
        parts.append((first.idx, t.idx + len(t), new, False))
    return _disjoint(parts) or None


CHECKED = {"verify": "verified", "check": "checked", "confirm": "confirmed", "ensure": "ensured",
           "validate": "validated", "test": "tested", "double-check": "double-checked", "notice": "noticed",
           "spot": "spotted", "realise": "realised", "realize": "realized", "see": "seen"}
# what a person did not do, as the event that did not happen: "did not respond" → "there was no response"
ACTIONS = {"respond": "response", "escalate": "escalation", "reply": "reply", "react": "reaction",
           "act": "action", "answer": "answer", "intervene": "intervention", "follow up": "follow-up",
           "roll back": "rollback", "fail over": "failover", "back out": "back-out", "step in": "intervention",
           "check in": "check-in"}


def _failed(verb):
    """(the verb that carries the subject, whether the action did not happen) for a person's
    "did not V", "failed to V", "should have V-ed", "nobody V-ed" — else (None, False)."""
    head = verb
    if verb.dep_ == "xcomp" and verb.head.lemma_.lower() in GIVE_UP_VERBS:
        return verb.head, True
    head, kind = _kind(verb)
    agent = subject_of(head)
    if agent is None:
        return None, False
    missing = kind.startswith("not-") or kind == "should-have" or kind in GIVE_UP_VERBS
    if negative_subject(agent):
        missing = not missing
    return head, missing


def _unchecked_text(verb) -> str | None:
    """"never checked that X" → "it was never checked that X" (None for another shape)."""
    participle = CHECKED.get(verb.lemma_.lower())
    ccomp = next((c for c in verb.children if c.dep_ == "ccomp" and c.i > verb.i), None)
    if participle is None or ccomp is None or not negated(verb):
        return None
    toks = [t for t in sorted(ccomp.subtree, key=lambda t: t.i)]
    while toks and (toks[-1].is_punct or toks[-1].is_space):
        toks.pop()
    if toks and toks[0].dep_ == "mark":
        toks = toks[1:]
    if not toks or toks[-1].i - toks[0].i + 1 != len(toks) or any(
            t.i > toks[-1].i and not t.is_punct for t in clause_tokens(verb)):
        return None
    never = "never" if any(c.lower_ == "never" for c in verb.children) else "not"
    return f"it was {never} {participle} that {verb.doc[toks[0].i: toks[-1].i + 1].text}"


def _unchecked(unit, doc, sent, a, b):
    """"We failed to verify that the agent was running" → "It was not verified that the agent
    was running": a check a person did not make, as the check that was not made."""
    for verb in sent:
        participle = CHECKED.get(verb.lemma_.lower())
        if participle is None or not (a <= verb.idx < b):
            continue
        ccomp = next((c for c in verb.children if c.dep_ == "ccomp" and c.i > verb.i), None)
        if ccomp is None or not any(c.dep_ in ("nsubj", "nsubjpass") for c in ccomp.children):
            continue
        head, missing = _failed(verb)
        agent = subject_of(head) if head is not None else None
        if not missing or not _person(agent) or agent.i > verb.i or agent.head.i != head.i:
            continue  # (a subject shared with another verb is `_conjuncts`'s to restate)
        toks = sorted(ccomp.subtree, key=lambda t: t.i)
        while toks and (toks[-1].is_punct or toks[-1].is_space):
            toks.pop()
        if toks and toks[0].dep_ == "mark":
            toks = toks[1:]
        if not toks or toks[-1].i - toks[0].i + 1 != len(toks):
            continue
        if any(t.i > toks[-1].i and not t.is_punct for t in head.subtree):
            continue  # words after the that-clause would be dropped
        start = agent.left_edge
        return [(start.idx, toks[-1].idx + len(toks[-1]),
                 f"it was not {participle} that {doc[toks[0].i: toks[-1].i + 1].text}", False)]
    return None


def _no_action(unit, doc, sent, a, b):
    """"The secondary did not respond for 50 minutes" → "There was no response for 50 minutes"."""
    for verb in sent:
        prt = next((c.lower_ for c in verb.children if c.dep_ == "prt" or c.dep_ == "advmod" and c.i == verb.i + 1
                    and c.lower_ in ("back", "over", "out", "in", "up")), None)
        noun = ACTIONS.get(f"{verb.lemma_.lower()} {prt}" if prt else verb.lemma_.lower())
        if noun is None or not (a <= verb.idx < b):
            continue
        if any(c.dep_ in ("dobj", "ccomp", "xcomp", "dative") for c in verb.children):
            continue  # only the action on its own
        head, missing = _failed(verb)
        agent = subject_of(head) if head is not None else None
        if not missing or not _person(agent) or agent.i > verb.i:
            continue
        present = head.tag_ in ("VBZ", "VBP") or any(c.lower_ in ("does", "do") for c in head.children)
        rest = [t for t in clause_tokens(verb) if t.i > verb.i and not t.is_punct and t.dep_ != "prt"
                and not (t.i == verb.i + 1 and t.lower_ == prt)]
        if rest and rest[-1].i - rest[0].i + 1 != len(rest):
            continue
        if any(t.i > (rest[-1].i if rest else verb.i) and not t.is_punct for t in clause_tokens(head)):
            continue
        end = rest[-1] if rest else verb
        tail = " " + doc[rest[0].i: end.i + 1].text if rest else ""
        return [(agent.left_edge.idx, end.idx + len(end), f"there {'is' if present else 'was'} no {noun}{tail}", False)]
    return None


def _not_in_place(unit, doc, sent, a, b):
    """"Feature flags would have enabled a quick rollback" → "Feature flags were not in place to
    enable a quick rollback": the safeguard the counterfactual names, as the fact that it was missing."""
    for verb in sent:
        if not (a <= verb.idx < b) or verb.tag_ != "VBN" or verb.dep_ != "ROOT":
            continue
        auxes = [c.lower_ for c in verb.children if c.dep_ == "aux"]
        if not (set(auxes) & {"would", "could", "might"} and "have" in auxes):
            continue
        if any(c.dep_ in ("auxpass", "neg") for c in verb.children):
            continue
        subject = next((c for c in verb.children if c.dep_ == "nsubj"), None)
        if subject is None or _person(subject) or subject.lower_ in ("it", "that", "which", "there"):
            continue
        auxes = [c for c in verb.children if c.dep_ == "aux"]
        plural = subject.tag_ in ("NNS", "NNPS") or any(c.dep_ == "conj" for c in subject.children)
        lemma = verb.lemma_.lower()
        first, last = min(auxes, key=lambda t: t.i), verb
        if doc[first.i: last.i + 1].text.count(" ") != last.i - first.i:
            continue  # something between the auxiliaries and the verb
        return [(first.idx, last.idx + len(last), f"{'were' if plural else 'was'} not in place to {lemma}", False)]
    return None


def _had_clause(verb) -> bool:
    """"If X had done …" / "Had X done …": a counterfactual's condition."""
    had = next((c for c in verb.children if c.dep_ == "aux" and c.lower_ == "had"), None)
    if had is None or verb.dep_ not in ("advcl", "ccomp"):
        return False
    subject = next((c for c in verb.children if c.dep_ == "nsubj"), None)
    return any(c.dep_ == "mark" and c.lower_ == "if" for c in verb.children) or (
        subject is not None and had.i < subject.i)


def _counterfactual(unit, doc, sent, a, b):
    """"Had the DBA checked replication status first, none of this would have happened" / "If
    only …" → "Replication status was not checked first": the person's counterfactual as the fact
    it states, where the rest of the sentence is only its consequence."""
    for verb in sent:
        if not _had_clause(verb):
            continue
        agent = next((c for c in verb.children if c.dep_ == "nsubj"), None)
        if not _person(agent):
            continue
        main = verb.head
        if not ({c.lower_ for c in main.children if c.dep_ == "aux"} & {"would", "could", "might", "'d", "’d"}
                or any(c.lemma_.lower() in ("avoidable", "preventable") for c in main.children)):
            continue  # the rest of the sentence is more than the counterfactual's consequence
        lem = verb.lemma_.lower()
        try:
            fact = agentless_clause(verb, agent, lem if lem in GIVE_UP_VERBS else "not-" + lem)
        except NoRewrite:
            continue
        fact += consequence_fact(main)  # "…, and the bug was not caught"
        words = [t for t in sent if not t.is_punct and not t.is_space]
        if not words:
            return None
        last = words[-1]
        return [(words[0].idx, last.idx + len(last), fact[0].upper() + fact[1:], False)]
    return None


def _contributing(unit, doc, sent, a, b):
    """"The single root cause of the outage was X" → "A contributing factor to the outage was X"."""
    for t in sent:
        if t.lemma_.lower() != "cause" or not any(c.lower_ == "root" and c.dep_ in ("compound", "amod")
                                                  for c in t.children):
            continue
        first = t.left_edge
        if not (a <= t.idx < b) or any(c.dep_ in ("relcl", "acl") for c in t.children):
            continue
        parts = [(first.idx, t.idx + len(t), "a contributing factor", False)]
        of = next((c for c in t.children if c.dep_ == "prep" and c.lower_ == "of" and c.i == t.i + 1), None)
        if of is not None:
            parts.append((of.idx, of.idx + len(of), "to", False))  # "of the outage" → "to the outage"
        return parts
    return None


def _vague(unit, doc, sent, a, b):
    appeal = any(t.lower_ in APPEAL_WORDS or t.lemma_.lower() in APPEAL_WORDS for t in sent)
    for frame in (action_frame,) if appeal else (action_frame, measure_frame):
        found = frame(unit, a, b)
        if found is not None:
            return [(found[0], found[1], found[2], False)]
    return None


STRATEGIES = {
    "blame": (_counterfactual, _foreseen, _unchecked, _agentless, _no_action, _passive_agent, _blame_predicate,
              _fault_noun, _judgement_words),
    "hindsight": (_counterfactual, _foreseen, _unchecked, _agentless, _no_action, _passive_agent, _should_have_been,
                  _not_in_place, _judgement_words),
    "named-individual": (),
    "root-cause": (_contributing,),
    "vague-action": (_vague,),
}
