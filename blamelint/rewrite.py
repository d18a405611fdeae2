"""Turn a rule's suggestions into fixes: grammatical edits in source offsets."""

from __future__ import annotations

import re

from blamelint.analysis.grammar import NoRewrite, agentless_text, clause_span, core_tokens, subject_of
from blamelint.findings import FALLBACK, Edit, Fix
from blamelint.rules import fill


def sentence_start(text: str, a: int) -> bool:
    before = text[:a].rstrip()
    if not before or before[-1] in ".!?:;" or before.endswith(("**", "—")):
        return True
    return not any(ch.isalnum() for ch in before)  # only emoji or markup before it


def match_case(matched: str, new: str) -> str:
    if new and matched[:1].isupper() and new[:1].islower():
        return new[0].upper() + new[1:]
    return new


def deletion(text: str, a: int, b: int) -> tuple[int, int, str]:
    """Prose span and replacement that delete [a, b) with its comma and spacing, fixing capitals
    and the article ("an incompetent technician" → "a technician")."""
    start, end, new = _deletion(text, a, b)
    article = re.search(r"\b([Aa]n?)\s+$", text[:start])
    nxt = re.match(r"\s*(\w+)", text[end:])
    if article and nxt:
        word = nxt.group(1)
        vowel = word[0].lower() in "aeiou" and not word.lower().startswith(("uni", "use", "usu", "one", "eu"))
        want = "an" if vowel or word.lower().startswith(("hour", "honest")) else "a"
        if article.group(1).lower() != want:
            want = want.capitalize() if article.group(1)[0].isupper() else want
            return article.start(1), end, want + text[article.end(1):start] + new
    return start, end, new


def _deletion(text: str, a: int, b: int) -> tuple[int, int, str]:
    end = b
    tail = re.match(r"\s*,?\s*", text[end:])
    end += tail.end() if tail else 0
    start = a
    if start > 0 and end == b and text[start - 1] == " ":
        start -= 1  # "it was obviously broken" → drop the space before
    if sentence_start(text, a) and end < len(text) and text[end].islower():
        return a, end + 1, text[end].upper()
    if end >= len(text) and start > 0 and text[start - 1] == " ":
        start -= 1
    return start, end, ""


DELETABLE_DEPS = {"amod", "advmod", "npadvmod", "prep", "intj", "punct", "cc", "det", "mark", "meta"}


def deletable(doc, text: str, a: int, b: int) -> bool:
    """True when removing prose [a, b) leaves a grammatical sentence (a modifier, not a head)."""
    if doc is None:
        return True
    span = doc.char_span(a, b, alignment_mode="expand")
    if span is None or not len(span):
        return False
    if span.root.dep_ in DELETABLE_DEPS and not any(t.dep_ in ("acomp", "attr") for t in span):
        return True
    return sentence_start(text, a) and text[a:b].rstrip().endswith((",", " that"))


def render_fixes(rule, unit, a: int, b: int, document, variables: dict) -> list[Fix]:
    """Fixes from the rule's suggestion templates for the match at prose [a, b)."""
    block = unit.block
    text = block.text
    fixes = []
    for s in rule.suggestions:
        if s.rewrite:
            done = REWRITERS[s.rewrite](unit, a, b)
            if done is None:
                continue
            ea, eb, new_text = done
            start, end = block.source_span(ea, eb)
            verbatim = end - start == eb - ea and document.source[start:end] == text[ea:eb]
            title = fill(s.title, {**variables, "replacement": new_text})
            fixes.append(Fix(title=title, edits=[Edit(start, end, new_text)], safe=bool(s.safe and verbatim)))
            continue
        if s.replace is None:
            fixes.append(Fix(title=fill(s.title, variables), edits=[], safe=False))
            continue
        new = fill(s.replace, variables)
        if new == "":
            if not deletable(unit.doc, text, a, b):
                continue
            ea, eb, new_text = deletion(text, a, b)
        else:
            if NOUN_PHRASE_RE.match(new) and not _noun_head(unit, a, b):
                continue  # "when Piotr fat-fingered the pool", "a fat-fingered command": not a noun to swap
            ea, eb, new_text = a, b, match_case(text[a:b], new)
        start, end = block.source_span(ea, eb)
        verbatim = end - start == eb - ea and document.source[start:end] == text[ea:eb]
        title = fill(s.title, {**variables, "replacement": new})
        fixes.append(Fix(title=title, edits=[Edit(start, end, new_text)], safe=bool(s.safe and verbatim)))
    if not fixes:
        fixes.append(Fix(title=f"{FALLBACK}{rule.title[0].lower()}{rule.title[1:]}", edits=[], safe=False))
    return fixes


NOUN_PHRASE_RE = re.compile(r"(?:a|an|the|our|their|some|no)\s", re.I)


def _noun_head(unit, a: int, b: int) -> bool:
    """Is the match a noun phrase of its own (its last word a noun that heads it)? Parsed now if
    the first pass did not tag its sentence."""
    span = _tokens(unit, a, b)
    if span is not None and not span[-1].tag_:
        span = unit.analysed().char_span(a, b, alignment_mode="expand")
    if span is None or not len(span):
        return False
    last = span[-1]
    if any(c.dep_ == "prep" and c.lower_ == "of" for c in last.children):
        return False  # "misunderstanding of the flag": the replacement would take its complement
    return last.pos_ in ("NOUN", "PROPN") and last.dep_ not in ("amod", "compound", "nmod")


def _tokens(unit, a: int, b: int):
    doc = unit.doc
    span = doc.char_span(a, b, alignment_mode="expand") if doc is not None else None
    return span if span is not None and len(span) else None


def agentless(unit, a: int, b: int):
    """"The reviewer should have caught the bug" → "The bug was not caught": the clause without its agent."""
    span = _tokens(unit, a, b)
    if span is None:
        return None
    for verb in span:
        if verb.tag_ != "VBN":
            continue
        head = verb.head if verb.dep_ == "xcomp" and verb.head.lower_ == "ought" else verb
        modals = {c.lower_ for c in head.children if c.dep_ == "aux"} | {head.lower_}
        if not modals & {"should", "ought", "shouldn't"}:
            return None  # "could have" is a possibility, not a lapse: no agentless restatement
        agent = subject_of(head)
        if agent is None or any(c.dep_ == "auxpass" for c in verb.children):
            return None
        try:
            new = agentless_text(verb, agent, head)
        except NoRewrite:
            return None
        ca, cb = clause_span(verb if head is verb else head, agent)
        if agent.left_edge.i == verb.sent.start:
            new = new[0].upper() + new[1:]
        return ca, cb, new
    return None


def question(unit, a: int, b: int):
    """"Why didn't anyone notice the disk filling up?" → "What made the disk filling up hard to notice?"."""
    span = _tokens(unit, a, b)
    if span is None:
        return None
    subjects = {"anyone", "anybody", "someone", "somebody", "nobody", "one", "we", "they", "he", "she", "you",
                "team", "engineer", "developer", "operator", "reviewer", "author", "dba", "sre", "intern",
                "contractor", "responder", "call"}
    verb = next((t for t in span if t.pos_ == "VERB" and t.lemma_.lower() not in ("do", "be", "have")
                 and any(c.lower_ in subjects or c.lemma_.lower() in subjects for c in t.children)), None)
    if verb is None:
        return None
    obj = next((c for c in verb.children if c.dep_ in ("dobj", "ccomp", "xcomp")), None)
    if obj is not None and (obj.dep_ == "xcomp" or (obj.dep_ == "dobj" and obj.pos_ not in ("NOUN", "PROPN", "PRON"))
                            or (obj.dep_ == "ccomp" and not any(c.dep_ == "nsubj" for c in obj.children))):
        return None  # the parse does not give a clean object to ask about
    if obj is not None:
        core = core_tokens(obj) if obj.dep_ == "dobj" else list(obj.subtree)
        thing = span.doc[core[0].i: core[-1].i + 1].text
        rest = [t for t in span if t.i > core[-1].i and not t.is_punct]
    else:
        thing, rest = "this", [t for t in span if t.i > verb.i and not t.is_punct and t.dep_ != "prt"]
    prt = next((c.text for c in verb.children if c.dep_ == "prt"), "")
    tail = span.doc[rest[0].i: rest[-1].i + 1].text if rest else ""
    words = " ".join(x for x in ("What made", thing, "hard to", verb.lemma_.lower(), prt, tail) if x)
    return a, b, words + "?"


REWRITERS = {"agentless": agentless, "question": question}
