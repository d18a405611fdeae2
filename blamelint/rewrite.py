"""Turn a rule's suggestions into fixes: grammatical edits in source offsets."""

from __future__ import annotations

import re

from blamelint.analysis.grammar import (
    NoRewrite,
    agentless_clause,
    agentless_text,
    clause_span,
    consequence_fact,
    core_tokens,
    inflect,
    negated,
    negative_subject,
    parsed_span_of,
    span_of,
    subject_of,
)
from blamelint.cause_rewrites import contributing, contributing_factors, contributing_heading
from blamelint.findings import FALLBACK, MARKUP_RE, Edit, Fix
from blamelint.rules import fill
from blamelint.rules.words import words


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
    if start > 0 and text[start - 1] == "," and (end >= len(text) or text[end] in ".!?;:)"):
        start -= 1  # "it was risky, obviously." → "it was risky."
    return start, end, ""


DELETABLE_DEPS = {"amod", "advmod", "npadvmod", "prep", "intj", "punct", "cc", "det", "mark", "meta"}


TRAILER_TAIL_RE = re.compile(r"(?:,|\s+[-–—]|\s+and)\s+[\w\s’']+")


def deletable(doc, text: str, a: int, b: int) -> bool:
    """True when removing prose [a, b) leaves a grammatical sentence (a modifier, not a head)."""
    if doc is None or TRAILER_TAIL_RE.fullmatch(text[a:b]) and re.match(r"\s*(?:[.!;]|$)", text[b:]):
        return True  # a tail after a comma or "and" that ends the sentence (", full stop", " and nothing more")
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
        if "after" in s.compiled and not s.compiled["after"].search(text, 0, a) or (
                "not_after" in s.compiled and s.compiled["not_after"].search(text, 0, a)) or (
                "when" in s.compiled and not s.compiled["when"].search(text[a:b])) or (
                "not_before" in s.compiled and s.compiled["not_before"].match(text, b)):
            continue  # a suggestion for another context ("reduced human error": not a cause to name)
        if s.rewrite:
            done = REWRITERS[s.rewrite](unit, a, b)
            if done is None:
                continue
            ea, eb, new_text = done
            start, end = block.source_span(ea, eb)
            verbatim = end - start == eb - ea and document.source[start:end] == text[ea:eb]
            if not verbatim and MARKUP_RE.search(document.source[start:end]):
                continue  # the words span emphasis, a link or code: replacing them would break it
            title = fill(s.title, {**variables, "replacement": new_text.strip()})
            fixes.append(Fix(title=title, edits=[Edit(start, end, new_text)], safe=bool(s.safe and verbatim)))
            continue
        if s.replace is None:
            fixes.append(Fix(title=fill(s.title, variables), edits=[], safe=False))
            continue
        new = fill(s.replace, variables)
        if new == "":
            if not deletable(unit.doc, text, a, b):
                continue
            ea, eb, new_text = deletion(text, _graded_from(unit, a, b), b)
        else:
            if NOUN_PHRASE_RE.match(new) and not _noun_head(unit, a, b):
                continue  # "when Piotr fat-fingered the pool", "a fat-fingered command": not a noun to swap
            if not NOUN_PHRASE_RE.match(new) and _subject(unit, a, b):
                continue  # "Better testing would have helped": a subject stays a noun phrase, not "add … tests"
            if not NOUN_PHRASE_RE.match(new) and BASE_VERB_RE.match(new) and _inflected(unit, a, b):
                continue  # "could have had more testing": "add …" would not agree with "have"
            ea, eb, new_text = a, b, match_case(text[a:b], new)
            article = re.search(r"\b(?:an?|the)\s+$", text[:a], re.I)
            if article and NOUN_PHRASE_RE.match(new):  # "a user error" → "a gap …", not "a a gap …"
                ea, new_text = article.start(), match_case(article.group(), new)
        start, end = block.source_span(ea, eb)
        verbatim = end - start == eb - ea and document.source[start:end] == text[ea:eb]
        if new and not verbatim and MARKUP_RE.search(document.source[start:end]):
            continue  # the words span emphasis, a link or code: replacing them would break it
        title = fill(s.title, {**variables, "replacement": new})
        fixes.append(Fix(title=title, edits=[Edit(start, end, new_text)], safe=bool(s.safe and verbatim)))
    if not fixes:
        fixes.append(Fix(title=f"{FALLBACK}{rule.title[0].lower()}{rule.title[1:]}", edits=[], safe=False))
    return fixes


NOUN_PHRASE_RE = re.compile(r"(?:a|an|the|our|their|some|no)\s", re.I)


def _noun_head(unit, a: int, b: int) -> bool:
    """Is the match a noun phrase of its own (its last word a noun that heads it)? Parsed now if
    the first pass did not tag its sentence."""
    span = parsed_span_of(unit, a, b)
    if span is None:
        return False
    last = span[-1]
    if any(c.dep_ == "prep" and c.lower_ == "of" for c in last.children):
        return False  # "misunderstanding of the flag": the replacement would take its complement
    return last.pos_ in ("NOUN", "PROPN") and last.dep_ not in ("amod", "compound", "nmod")


GRADING = words("rewrite")["grading_adverbs"]


def _graded_from(unit, a: int, b: int) -> int:
    """Where a deleted judging word starts with the adverb that grades it ("absolutely inexcusable")."""
    span = span_of(unit, a, b)
    if span is None or span.start == 0:
        return a
    prev = span.doc[span.start - 1]
    if prev.lower_ in GRADING and prev.dep_ == "advmod" and span.start <= prev.head.i < span.end:
        return prev.idx
    return a


BASE_VERB_RE = re.compile(r"[a-z]+(?<!ed)\s")  # "add [which] tests": a replacement in the base form


def _inflected(unit, a: int, b: int) -> bool:
    """Does the match start with a verb that is not in its base form ("had more testing")?"""
    span = span_of(unit, a, b)
    return span is not None and span[0].tag_ in ("VBD", "VBN", "VBG", "VBZ")


def _subject(unit, a: int, b: int) -> bool:
    """Is the match the subject of its clause ("Better testing would have helped")?"""
    span = span_of(unit, a, b)
    return span is not None and span.root.dep_ in ("nsubj", "nsubjpass", "csubj")


def agentless(unit, a: int, b: int):
    """"The reviewer should have caught the bug" → "The bug was not caught": the clause without its agent."""
    span = span_of(unit, a, b)
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


LAPSES = {"ignore", "skip", "overlook", "neglect", "disregard", "forget", "dismiss", "miss"}  # not "hard to", "easy to"


def question(unit, a: int, b: int):
    """"Why didn't anyone notice the disk filling up?" → "What made it hard to notice the disk filling up?"."""
    span = span_of(unit, a, b)
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
        rest = [t for t in span if t.i > core[-1].i and not t.is_punct and not (t.dep_ == "prt" and t.head.i == verb.i)]
    else:
        thing, rest = "this", [t for t in span if t.i > verb.i and not t.is_punct and t.dep_ != "prt"]
    prt = next((c.text for c in verb.children if c.dep_ == "prt"), "")
    tail = span.doc[rest[0].i: rest[-1].i + 1].text if rest else ""
    if any(c.lower_ == "coming" for c in verb.children):
        return None  # "see this coming": `sentence_rewrite` says it was not foreseen
    lead = "What made" if sentence_start(unit.block.text, a) else "what made"
    lapse = verb.lemma_.lower() in LAPSES and not negated(verb) and not any(
        c.dep_ == "nsubj" and negative_subject(c) for c in verb.children)
    hard = "easy to" if lapse else "hard to"  # "ignore the page" → "made the page easy to ignore"
    if obj is not None and obj.dep_ == "ccomp":  # "… notice that the disk was full" → "made it hard to notice that …"
        words = " ".join(x for x in (lead, "it", hard, verb.lemma_.lower(), prt, thing, tail) if x)
    else:
        words = " ".join(x for x in (lead, thing, hard, verb.lemma_.lower(), prt, tail) if x)
    return a, b, words + "?"


ACTION_FRAME_BASE = "add [a guard rail or an automated check]"
CHECKING = {"check", "double-check", "review", "read", "verify", "test", "monitor", "watch", "inspect"}
ACTION_FRAME = ACTION_FRAME_BASE + " that catches [which mistake]"
CONDITION_WORDS = {"when", "whenever", "while", "before", "after", "during", "on", "in", "for", "if", "until",
                   "with"}
CONTENT = {"NOUN", "PROPN", "VERB", "ADJ", "NUM", "ADV"}
GENERIC_WORDS = {"work", "changes", "things", "everything", "it", "this", "that", "now", "on", "future", "forward",
                 "onwards", "here", "again", "going", "henceforth", "next", "time", "involved"}  # words an appeal can
# lose ("everyone involved")
TRAILER_RE = re.compile(r"\s*(?:[\[(][^\])\n]*[\])]\s*)*[.!?;]?\s*\Z")  # "[Jan 22]", "(owner: …)", the full stop


def action_frame(unit, a: int, b: int):
    """"Engineers need to be more careful when editing firewall rules" → "Add [a guard rail or an
    automated check] that catches [which mistake] when editing firewall rules": an appeal to
    people becomes the frame of a system change, its condition kept, the rest left as slots.
    Offered only where nothing but the appeal, its addressee and the condition is replaced."""
    span = parsed_span_of(unit, a, b)
    if span is None:
        return None
    sent, doc = span.sent, span.doc
    chain = [span.root]
    if span.root.dep_ == "advmod" and span.root.head.pos_ == "VERB":
        chain.append(span.root.head)  # "check the changelog more carefully": the appeal is the verb's manner
    while chain[-1].dep_ in ("xcomp", "acomp") and chain[-1].head.i != chain[-1].i:
        chain.append(chain[-1].head)  # "need to be more careful": the clause is the head's
    addressed = []  # "Ensure engineers are more careful …": the people the appeal is made to, inside it
    top = chain[-1].head
    if chain[-1].dep_ == "ccomp" and (top.lemma_ == "ensure" or top.lower_ == "sure" and top.head.lemma_ == "make"):
        inner = next((c for c in chain[-1].children if c.dep_ == "nsubj"), None)
        if inner is None or not _addressee(inner):
            return None
        addressed = [t for t in inner.subtree if not t.is_punct]
        chain += [top] if top.lemma_ == "ensure" else [top, top.head]
    verb = chain[-1]
    # "The lesson is that we need to be more careful …": the lesson's frame goes too
    lesson = next((c for c in verb.head.children if c.dep_ == "nsubj" and c.lemma_.lower() in LESSONS), None) if (
        verb.dep_ == "ccomp" and verb.head.dep_ == "ROOT" and verb.head.lemma_ == "be") else None
    if verb.dep_ != "ROOT" and lesson is None:
        return None  # a subordinate clause: reframing the sentence would say something else
    subject = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    label = max((t.i for t in sent if t.text == ":" and t.i < span.start), default=sent.start - 1)
    first = subject.left_edge if subject is not None else min(verb.left_edge, span[0], key=lambda t: t.i)
    if lesson is not None:
        first = lesson.left_edge
        chain += [verb.head] + [c for c in verb.children if c.dep_ == "mark"] + list(lesson.subtree)
    if subject is None and first.i < span.start:
        lead = {t.i for c in verb.children if c.dep_ == "advcl" and c.i < span.start for t in c.subtree}
        if all(t.i in lead or t.is_punct for t in doc[first.i: span.start]):
            first = span[0]  # "If a new AMI was deployed, be cautious …": the condition stays in front
    if first.i <= label:
        first = doc[label + 1]
    if span.start < first.i:
        return None  # the appeal lies before the clause the frame would replace
    words = [t for t in doc[first.i: sent.end] if not t.is_punct and not t.is_space]
    if not words:
        return None
    # what the appeal is about: "careful to test the service", "aware of unintended changes"
    adjective = next((t for t in span if t.dep_ == "acomp" and t.pos_ == "ADJ"
                      or t.dep_ == "dobj" and t.lower_ in ("attention", "awareness")), None)  # "pay attention to …"
    around = [] if adjective is None else list(adjective.children) + (
        list(adjective.head.children) if adjective.lower_ in ("attention", "awareness") else [])  # "pay attention to X"
    complement = next((c for c in around if c.i >= span.end and (
        c.dep_ == "xcomp" and c.tag_ == "VB" or c.dep_ == "prep" and c.lower_ in ("of", "about", "with", "to"))),
        None) if adjective is not None else None
    if complement is None and chain[-1].lemma_.lower() in CHECKING:
        # "Double-check all bucket policies", "check the changelog more carefully": what is checked
        complement = next((c for c in chain[-1].children if c.dep_ == "dobj"), None)
    comp_end = max(complement.subtree, key=lambda t: t.i).i + 1 if complement is not None else span.end
    tail = next((t for t in doc[comp_end: sent.end] if t.dep_ in ("advcl", "prep")
                 and t.head.i in {c.i for c in chain} | {x.i for x in span} and t.left_edge.lower_ in CONDITION_WORDS
                 and not all(x.lower_ in GENERIC_WORDS or x.pos_ in ("ADP", "PRON", "DET") for x in t.subtree)), None)
    last = (max(tail.subtree, key=lambda t: t.i) if tail is not None else doc[comp_end - 1] if complement is not None
            else max((t for t in words if t.i < span.end), key=lambda t: t.i, default=None))
    if last is None:
        return None
    if not TRAILER_RE.fullmatch(doc.text[last.idx + len(last): sent.end_char]):
        rest = [t for t in doc[last.i + 1: sent.end] if not t.is_punct and not t.is_space]
        inside = {t.i for t in span}
        if not rest or not all(t.lower_ in GENERIC_WORDS or t.pos_ in ("DET", "ADP", "PRON") or t.i in inside
                               for t in rest):
            return None  # words after the appeal ("… attention to the channel") would dangle
        last = rest[-1]  # "… double-check their work from now on": nothing the frame needs
    kept = {t.i for t in tail.subtree} if tail is not None else set()
    if complement is not None:
        kept |= {t.i for t in complement.subtree}
    subject_words = [t for t in subject.subtree if not t.is_punct] if subject is not None else []
    if subject_words and subject_words[-1].i <= label:
        subject_words = []  # "@sre-team: Be more careful …": an owner's label, kept as it is
    if subject_words and (subject.dep_ == "nsubjpass" or not _addressee(subject)):
        return None  # "Review schema changes more thoroughly" parsed with "schema" as the subject;
        # "Interns must be supervised more closely": the interns are not whom the appeal is made to
    condition = tail_text = None
    if tail is not None:
        tail_text = doc[tail.left_edge.i: last.i + 1].text
    # "People doing key rotations", "Everyone who touches pool settings": what the addressee does
    # becomes the condition ("when doing key rotations"), if the sentence has none of its own
    if any(t.dep_ == "prep" and t.head.i == subject.i for t in subject_words):
        return None  # "Everyone on the data team": the frame would lose whose work it is
    doing = [t for t in subject_words if t.dep_ in ("acl", "relcl") and t.head.i == subject.i and not (
        t.lower_ == "involved" and not list(t.children))] if subject else []  # "Everyone involved": no action of its own
    if doing:
        if tail is not None or len(doing) > 1:
            return None
        condition = _doing(doing[0])
        if condition is None:
            return None
    replaced = {t.i for t in subject_words} | {t.i for t in span} | {c.i for c in chain} | {t.i for t in addressed}
    for t in doc[first.i: last.i + 1]:
        if t.i in kept or t.i in replaced or t.is_punct or t.pos_ not in CONTENT:
            continue
        if t.dep_ in ("aux", "neg", "advmod", "prt", "npadvmod") and t.head.i in replaced:
            continue  # "must", "always", "going forward" of the appeal itself
        if t.lower_ in GENERIC_WORDS or t.head.lower_ in GENERIC_WORDS and t.dep_ == "pobj":
            continue  # "their work", "from now on", "in future": nothing the frame needs
        return None  # a word the frame would drop: no rewrite rather than a lossy one
    frame = ACTION_FRAME
    if complement is not None:
        toks = sorted(complement.subtree, key=lambda t: t.i)
        if complement.dep_ == "prep":
            toks = toks[1:]  # "aware of unintended changes" → "… for unintended changes"
        if not toks or toks[-1].i - toks[0].i + 1 != len(toks) or complement.dep_ != "xcomp" and toks[0].tag_ == "VB":
            return None  # ("Try harder to reach the vendor": "for reach the vendor" is no phrase)
        words_of = doc[toks[0].i: toks[-1].i + 1].text
        frame = ACTION_FRAME_BASE + (" " + words_of if complement.dep_ == "xcomp" else " for " + words_of)
    if tail_text and subject_words:
        tail_text = without_pronoun(tail_text)  # "when they resize volumes": "they" left the sentence
    new = frame + (" " + (tail_text or condition) if (tail_text or condition) else "")
    if first.i == sent.start or doc[first.i - 1].text in (":", "-", "*"):
        new = new[0].upper() + new[1:]
    return first.idx, last.idx + len(last), new


PRONOUN_CLAUSE_RE = re.compile(r"(when|whenever|while|before|after)\s+(?:they|we|you|he|she|i)\s+([a-z]+)(?=\s|$)", re.I)


def without_pronoun(condition: str) -> str | None:
    """"when they restore the data" → "when restoring the data": a condition whose subject was the
    addressee the frame drops (None when its verb has no -ing form); other conditions unchanged."""
    m = PRONOUN_CLAUSE_RE.match(condition)
    if m is None:
        return condition
    rest = condition[m.end():]
    word = m.group(2).lower()
    if word in ("am", "is", "are", "was", "were") and rest.strip():
        return f"{m.group(1).lower()}{rest}"  # "when they are on call" → "when on call"
    if re.match(r"\s+(?:and|or)\s", rest) or word in ("do", "does", "did", "will", "can", "must", "should", "may",
                                                      "might", "would", "could", "cannot", "ca", "wo"):
        return condition  # "when they resize and delete …", "when they can't …": kept as written
    from lemminflect import getLemma

    base = (getLemma(word, "VERB") or (None,))[0]
    gerund = inflect(base, "VBG") if base else None
    if not gerund:
        return condition
    return f"{m.group(1).lower()} {gerund}{rest}"


APPEAL_VERBS = words("rewrite")["appeal_verbs"]
LESSONS = {"lesson", "takeaway", "learning", "conclusion", "moral"}
TOPIC_TO_FOR = {"to", "of", "about", "with", "on", "for", "towards", "toward"}  # "attention to X" → "for X"
TOPIC_KEPT = {"when", "whenever", "while", "before", "after", "during", "in", "across", "over", "throughout", "around"}
WISH_VERBS = {"try", "strive", "aim", "want", "commit", "promise", "endeavour", "endeavor"}  # "we'll try to be …"
LEAD_WORDS = {"please", "always", "we", "all", "everyone", "everybody", "you", "to", "will", "must", "should",
              "need", "needs", "have", "has", "shall", "'ll", "’ll", "going", "forward", "really", "just"}
GENERIC_TAIL_RE = re.compile(r"(?:,?\s+(?:going\s+forward|from\s+now\s+on|in\s+(?:the\s+)?future|next\s+time"
                             r"|as\s+an?\s+(?:organi[sz]ation|team|company|org)|across\s+the\s+board))+\s*$", re.I)


def topic_frame(unit, a: int, b: int):
    """"Pay closer attention to certificate expiry dates" / "Reviewers must show more rigour when
    approving firewall rules" / "Raise awareness of timezone issues across teams" → "Add [a guard
    rail or an automated check] for certificate expiry dates" / "… when approving firewall rules" /
    "… for timezone issues across teams": an appeal that opens its clause (with its addressee, modal
    and verb) becomes the frame of a system change, what it is about kept. An owner's "Infra to …"
    stays in front. Only where every word before the appeal is the appeal's own."""
    span = parsed_span_of(unit, a, b)
    if span is None:
        return None
    sent, doc = span.sent, span.doc
    label = max((t.i for t in sent if t.text == ":" and t.i < span.start), default=sent.start - 1)
    lead = [t for t in doc[label + 1: span.start] if not t.is_space and t.text not in ("-", "*", "•")]
    # "Whenever the staging environment has a problem, take extra care …": the condition stays in front
    condition = next((t for t in lead if t.dep_ == "advcl" and t.left_edge.i == lead[0].i and any(
        m.dep_ in ("mark", "advmod") and m.lower_ in CONDITION_WORDS | {"whenever", "if", "once"} for m in t.children)), None)
    if condition is not None:
        lead = [t for t in lead if t.i > condition.right_edge.i and not t.is_punct]
    start = lead[0] if lead else span[0]
    owner = None  # "Identity team to …": the owner stays
    to = next((t for t in lead if t.lower_ == "to" and t.tag_ == "TO"), None)
    if to is not None and to.i > start.i and all(t.pos_ in ("NOUN", "PROPN", "DET", "CCONJ", "ADJ") or t.text == "&"
                                                 for t in doc[start.i: to.i]) and not any(
                                                     t.lower_ in ADDRESSEES for t in doc[start.i: to.i]):
        owner = to
        lead = [t for t in lead if t.i > to.i]
    # the addressee, whole: "Everyone involved needs to …", "Kumar will be more careful …"
    verb = span.root
    while verb.dep_ in ("xcomp", "acomp", "advmod", "dobj") and verb.head.i != verb.i:
        verb = verb.head
    subject = next((c for c in verb.children if c.dep_ == "nsubj"), None)
    addressee = {t.i for t in subject.subtree} if subject is not None and (
        _addressee_words([subject]) or subject.pos_ == "PROPN" and subject.ent_type_ in ("", "PERSON", "ORG", "NORP")) else set()
    for t in lead:
        if t.lower_ in LEAD_WORDS or t.tag_ == "MD" or t.lemma_.lower() in APPEAL_VERBS | WISH_VERBS \
                or t.lemma_.lower() in ("be", "need") or t.i in addressee:
            continue
        if t.pos_ in ("NOUN", "PRON", "DET", "PROPN") and _addressee_words([t]):
            continue  # "Reviewers must …", "Everyone involved …"
        return None  # a word the frame would drop
    tail = doc[span.end: sent.end]
    words = [t for t in tail if not t.is_space]
    while words and words[-1].is_punct and words[-1].text not in (")", "]", "”", '"'):
        words.pop()
    if not words:
        return None
    rest = GENERIC_TAIL_RE.sub("", doc.text[words[0].idx: words[-1].idx + len(words[-1])])  # "… going forward"
    first = words[0]
    if not first.whitespace_:
        return None  # "careful over-scheduling": the start of a word, not a preposition
    if first.lower_ in TOPIC_TO_FOR:
        topic = rest[len(first.text):].strip()
        lead_word = "for"
        if first.tag_ == "TO" and span[-1].pos_ == "ADV":
            return None  # "Try harder to reach the vendor": an infinitive, not a topic ("for reach …"), as
            # "attention to X" has one
    elif first.lower_ in TOPIC_KEPT:
        topic, lead_word = rest[len(first.text):].strip(), first.lower_
    elif span.root.lemma_.lower() in CHECKING and any(t.dep_ == "dobj" and t.head.i == span.root.i for t in words[:4]):
        topic, lead_word = rest, "for"  # "Please double-check the TTLs before a cut-over": what is checked
    else:
        return None
    if not re.search(r"[^\W\d_]{3}", topic) or any(t.lower_ in APPEAL_WORDS for t in words[1:]):
        return None  # nothing left to be about, or a second appeal ("… and be vigilant")
    if any(t.text in (";", ".") or t.dep_ in ("conj",) and t.pos_ in ("VERB", "AUX") for t in words):
        return None  # a second clause the frame would swallow
    new = f"{ACTION_FRAME_BASE} {lead_word} {topic}"
    if owner is None:
        begin = start
        if begin.i == sent.start or doc[begin.i - 1].text in (":", "-", "*", "•"):
            new = new[0].upper() + new[1:]
        elif condition is not None and not doc[begin.i - 1].is_punct:
            new = ", " + new  # "Whenever …, add …"
            begin = doc[begin.i - 1]
            return begin.idx + len(begin), words[-1].idx + len(words[-1]), new
    else:
        begin = doc[owner.i + 1]
    return begin.idx, words[-1].idx + len(words[-1]), new


def _addressee_words(toks) -> bool:
    """Are these the people an appeal is made to ("Reviewers", "everyone involved", "we all")?"""
    return any(t.lower_ in ADDRESSEES or t.pos_ in ("NOUN", "PROPN") and (t.lemma_.lower() in ROLE_NOUNS or t.lower_ in ROLE_NOUNS)
               for t in toks)


TIME_NOUNS = {"quarter", "week", "month", "year", "day", "future", "time", "sprint", "cycle", "term", "run"}
APPEAL_NOUNS = {"care", "vigilance", "discipline", "diligence", "rigour", "rigor", "attention"}  # "More care is needed"
TOPIC_PREPS = {"of", "around", "about", "with", "on", "for", "in", "over", "at", "into"}


def appeal_frame(unit, a: int, b: int):
    """"Take schema migrations more seriously" / "The team should take more ownership of release
    quality" / "More care is needed with manual failovers" → "Add [a guard rail or an automated
    check] that catches [which mistake] in schema migrations / release quality / manual
    failovers": an appeal for a better attitude becomes the frame of a system change, what it is
    about kept. Offered only where nothing but the appeal, its addressee and its modal is dropped."""
    span = parsed_span_of(unit, a, b)
    if span is None:
        return None
    sent, doc = span.sent, span.doc
    verb = span.root if span.root.pos_ in ("VERB", "AUX") else span.root.head
    while verb.dep_ in ("xcomp", "conj") and verb.head.pos_ in ("VERB", "AUX"):
        verb = verb.head
    if verb.dep_ != "ROOT":
        return None
    inside = {t.i for t in span}
    topic = None
    if verb.lemma_.lower() in ("take", "beef") or span.root.lemma_.lower() in ("take", "beef"):
        take = verb if verb.lemma_.lower() in ("take", "beef") else span.root
        obj = next((c for c in take.children if c.dep_ == "dobj" and c.lower_ not in (
            "ownership", "responsibility", "accountability", "pride", "care")), None)
        topic = obj
    if topic is None:
        heads = inside | {verb.i}
        first = span.end - 1 if span[-1].dep_ == "prep" else span.end  # (the span may end with it: "Double down on")
        prep = next((t for t in doc[first: sent.end] if t.dep_ == "prep" and t.lower_ in TOPIC_PREPS
                     and t.head.i in heads), None)
        topic = next((c for c in prep.children if c.dep_ in ("pobj", "pcomp")), None) if prep is not None else None
    if topic is None or topic.ent_type_ in ("DATE", "TIME") or topic.lemma_.lower() in TIME_NOUNS:
        return None  # "do better in the next quarter": a time, not what the appeal is about
    toks = [t for t in sorted(topic.subtree, key=lambda t: t.i) if t.lower_ not in APPEAL_WORDS]  # "careful change management"
    if not toks:
        return None
    label = max((t.i for t in sent if t.text == ":" and t.i < span.start), default=sent.start - 1)
    words = [t for t in doc[label + 1: sent.end] if not t.is_punct and not t.is_space]
    if not words:
        return None
    subject = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    subject_words = {t.i for t in subject.subtree} if subject is not None else set()
    kept = {t.i for t in topic.subtree}
    for t in words:
        if t.i in kept or t.i in inside or t.i in subject_words or t.i == verb.i or t.pos_ not in CONTENT:
            continue
        if t.dep_ in ("aux", "auxpass", "neg", "advmod", "prt", "npadvmod", "acomp") and (
                t.head.i == verb.i or t.head.i in inside) or t.lower_ in GENERIC_WORDS | APPEAL_WORDS | {"more", "needed", "need"}:
            continue
        return None  # a word the frame would drop
    if subject is not None and not (subject_words <= inside) and not (_addressee(subject) or subject.lemma_.lower() in ROLE_NOUNS
                                                                       or subject.lemma_.lower() in APPEAL_NOUNS):
        return None
    last = words[-1]
    if toks[-1].i < last.i and any(t.i > toks[-1].i and t.i not in inside and t.lower_ not in GENERIC_WORDS | APPEAL_WORDS
                                   and t.pos_ in CONTENT for t in words):
        return None
    new = ACTION_FRAME + " in " + "".join(t.text_with_ws for t in toks).strip()
    if words[0].i == sent.start or doc[words[0].i - 1].text in (":", "-", "*"):
        new = new[0].upper() + new[1:]
    return words[0].idx, last.idx + len(last), new



ROLE_NOUNS = words("agentive")["role_nouns"]
ADDRESSEES = {"we", "you", "they", "everyone", "everybody", "anyone", "people", "all", "each", "us", "i"}


def _addressee(subject) -> bool:
    """Is the subject the people the appeal is made to ("Engineers", "We", "Everyone involved")?"""
    return subject.lower_ in ADDRESSEES or subject.pos_ in ("NOUN", "PROPN") and (
        subject.lemma_.lower() in ROLE_NOUNS or subject.lower_ in ROLE_NOUNS)


MANNER = words("rewrite")["manner_adverbs"]


def manner_frame(unit, a: int, b: int):
    """"Follow the deploy checklist more closely" → "Add [a guard rail or an automated check] that
    catches [which mistake] when following the deploy checklist": an appeal made as the manner of
    an action becomes the frame of a system change, the action kept as its condition."""
    span = parsed_span_of(unit, a, b)
    if span is None:
        return None
    doc, sent = span.doc, span.sent
    adverb = next((t for t in span if t.lower_ in MANNER and t.dep_ == "advmod"), None)
    if adverb is None or adverb.head.pos_ != "VERB" or adverb.head.tag_ not in ("VB", "VBP"):
        return None
    verb = adverb.head
    if verb.dep_ not in ("ROOT", "xcomp") or verb.dep_ == "xcomp" and verb.head.dep_ != "ROOT":
        return None
    root = verb if verb.dep_ == "ROOT" else verb.head
    if root is not verb and root.lemma_.lower() not in ("need", "have", "try", "want", "continue", "start", "aim"):
        return None  # "need to read …", "try to follow …": the wish goes with the appeal
    subject = next((c for c in root.children if c.dep_ == "nsubj"), None)
    if subject is not None and not _addressee(subject):
        return None
    gerund = inflect(verb.lemma_.lower(), "VBG")
    if not gerund:
        return None
    appeal = {t.i for t in adverb.subtree}
    dropped = appeal | {verb.i, root.i} | ({t.i for t in subject.subtree} if subject is not None else set())
    dropped |= {c.i for x in (verb, root) for c in x.children if c.dep_ in ("aux", "neg", "mark") or
                c.dep_ in ("advmod", "npadvmod") and c.lower_ in GENERIC_WORDS}
    dropped |= {t.i for c in verb.children if c.dep_ == "npadvmod" and c.lower_ == "time" for t in c.subtree}  # "next time"
    label = max((t.i for t in sent if t.text == ":" and t.i < span.start), default=sent.start - 1)
    toks = [t for t in sent if t.i > label and not t.is_space]
    while toks and toks[-1].is_punct:
        toks.pop()
    if not toks or any(t.i < min(dropped) and not t.is_punct for t in toks):
        return None  # words before the clause (a condition, a label) would need a place of their own
    rest = [t for t in toks if t.i not in dropped]
    if any(t.i < verb.i for t in rest) or any(t.dep_ in ("advcl", "ccomp", "conj") and t.head.i in (verb.i, root.i)
                                               for t in rest):
        return None
    if rest and any(t.i in appeal for t in doc[rest[0].i: rest[-1].i]) and not any(
            t.dep_ == "prep" and t.i > adverb.i for t in rest):
        return None  # the appeal sits inside the action ("read more carefully the notes")
    prt = next((c for c in verb.children if c.dep_ == "prt"), None)
    if prt is not None and prt.i in {t.i for t in rest} and prt.i != verb.i + 1:
        return None
    words_of = " ".join(x for x in (gerund, "".join(t.text_with_ws for t in rest).strip()) if x)
    new = ACTION_FRAME + " when " + words_of
    first = toks[0]
    if first.i == sent.start or doc[first.i - 1].text in (":", "-", "*"):
        new = new[0].upper() + new[1:]
    return first.idx, toks[-1].idx + len(toks[-1]), new


def _doing(clause) -> str | None:
    """"making DNS changes" / "who touches pool settings" → "when making DNS changes" / "when
    touching pool settings" (None when the clause is not one simple action)."""
    toks = [t for t in clause.subtree if not (t.dep_ == "nsubj" and t.lower_ in ("who", "that"))]
    if not toks or toks[-1].i - toks[0].i + 1 != len(toks) or clause.pos_ != "VERB":
        return None
    if clause.tag_ == "VBG":
        return "when " + clause.doc[toks[0].i: toks[-1].i + 1].text
    gerund = inflect(clause.lemma_.lower(), "VBG")
    if not gerund or any(t.dep_ in ("aux", "auxpass", "neg") for t in toks):
        return None
    rest = clause.doc[clause.i + 1: toks[-1].i + 1].text
    return "when " + gerund + (" " + rest if rest else "")


PROCESS_NOUNS = {"review", "runbook", "process", "policy", "template", "test", "checklist", "procedure", "playbook", "drill",
                 "rehearsal"}


def if_only_fact(unit, a: int, b: int):
    """"If only someone had looked at the replication lag, none of this would have happened" →
    "The replication lag was not looked at": the fact, without the verdict it was used for."""
    span = parsed_span_of(unit, a, b)
    if span is None:
        return None
    mark = next((t for t in span if t.lower_ == "if" and t.dep_ == "mark"), None)
    if mark is None:
        return None
    verb, sent = mark.head, span.sent
    agent = next((c for c in verb.children if c.dep_ == "nsubj"), None)
    if agent is None or not any(c.lower_ == "had" for c in verb.children if c.dep_ == "aux"):
        return None
    if agent.lemma_.lower() in PROCESS_NOUNS and not (mark.i + 1 < len(mark.doc) and mark.doc[mark.i + 1].lower_ == "only"):
        return None  # "If the capacity review had looked at X": the sentence rewrite keeps the review as the
        # subject ("If only the review had asked …" is the fact without it: "The question was not asked")
    if verb.dep_ == "advcl":
        main = verb.head
        if not ({c.lower_ for c in main.children if c.dep_ == "aux"} & {"would", "could", "might"}):
            return None  # the main clause says more than the counterfactual's consequence
    elif verb.dep_ != "ROOT":
        return None
    try:
        fact = agentless_clause(verb, agent, "not-" + verb.lemma_.lower())
    except NoRewrite:
        return None
    if verb.dep_ == "advcl":
        fact += consequence_fact(verb.head)  # "…, and the bug was not caught"
    words = [t for t in sent if not t.is_punct and not t.is_space]
    if not words or sent.doc[sent.start].i != mark.i:
        return None
    last = words[-1]
    return sent.start_char, last.idx + len(last), fact[0].upper() + fact[1:]


APPEAL_WORDS = words("rewrite")["appeal_words"]
MEASURE_FRAME = " so that [which measure] reaches [what target] by [when]"
PREVENTING_RE = re.compile(r"(prevent|avoid)\s+((?:the\s+)?(?:similar|future|such|these|further|recurring)\s+[a-z]+)", re.I)
DONE_WHEN_FRAME = "; done when [which measure] reaches [what target] by [when]"  # after a purpose clause
TRAINING_FRAME = " on [which tool or procedure], so that [who] can [do what] by [when]"


def _append(unit, a: int, b: int, frame: str, after_clause: str | None = None):
    """The frame inserted at the end of the match's sentence, before its final punctuation: the
    sentence keeps every word and gains the slots that make it checkable. When another clause
    follows the match (a purpose, "so they …"), `after_clause` closes the sentence instead."""
    span = parsed_span_of(unit, a, b)
    if span is None:
        return None
    sent = span.sent
    root = sent.root
    aux = [c for c in root.children if c.dep_ in ("aux", "auxpass")]
    if root.tag_ == "VBD" or any(c.tag_ == "VBD" for c in aux) or (
            any(c.tag_ == "MD" for c in aux) and any(c.lower_ in ("have", "'ve", "’ve") for c in aux)):
        return None  # what happened or might have ("Better testing would have helped"): no action to measure
    subject_of = span.root.head if span.root.dep_ in ("nsubj", "nsubjpass") else None
    if not TRAILER_RE.fullmatch(sent.doc.text[span.end_char: sent.end_char]) and any(
            t.pos_ == "VERB" and t.dep_ not in ("amod", "compound", "pcomp") and t.i >= span.end  # ("for handling X": a noun)
            and (subject_of is None or t.i != subject_of.i)
            and not (t.lower_ in ("going", "moving") and t.i + 1 < len(sent.doc) and sent.doc[t.i + 1].lower_ == "forward")
            for t in sent):
        if after_clause is None:
            return None  # another clause follows: the measure would attach to it (not the span's own
            # verb: "Additional training will be organised for …")
        frame = after_clause
    text = sent.doc.text[sent.start_char: sent.end_char]
    closing = TRAILER_RE.search(text)  # the sentence's "[Jan 22]" and full stop stay after the frame
    end = sent.start_char + (closing.start() if closing else len(text))
    if end < span.end_char or MARKUP_RE.search(sent.doc.text[span.end_char: end]):
        return None
    return end, end, frame


def measure_frame(unit, a: int, b: int):
    """Improve monitoring for the read path → Improve monitoring for the read path so that
    [which measure] reaches [what target] by [when]. Not for an appeal ("raise awareness of …"),
    which the measure would leave in place: the action frame restates it."""
    if any(w.lower() in APPEAL_WORDS for w in re.findall(r"[\w-]+", unit.block.text[a:b])):
        return action_frame(unit, a, b)
    if PREVENTING_RE.fullmatch(unit.block.text[a:b]):
        return None  # "prevent such incidents": no measure shows it, `guard_frame` names the guard
    return _append(unit, a, b, MEASURE_FRAME, DONE_WHEN_FRAME)


def guard_frame(unit, a: int, b: int):
    """Prevent such incidents → add [specific guard] that blocks such incidents."""
    blocked = PREVENTING_RE.fullmatch(unit.block.text[a:b])
    return blocked and (a, b, match_case(blocked.group(1), "add [specific guard] that blocks ") + blocked.group(2))


NEXT_TIME_RE = re.compile(r"(?:could|should|might)(?:\s+\w+ly)?\s+have\s+been\s+", re.I)


def next_time(unit, a: int, b: int):
    """The incident could have been handled better → The incident can be handled better next time
    with [which change]: the verdict on the past becomes the learning it asks for. Only when the
    judgement ends the sentence."""
    text = unit.block.text
    lead = NEXT_TIME_RE.match(text, a)
    if lead is None or not TRAILER_RE.fullmatch(text[b:_sentence_end(text, b)]):
        return None
    return a, b, "can be " + text[lead.end():b] + " next time with [which change]"


SENTENCE_END_RE = re.compile(r"[.!?](?=\s|\Z)|\n")


def _sentence_end(text: str, at: int) -> int:
    m = SENTENCE_END_RE.search(text, at)
    return m.end() if m else len(text)


def training_frame(unit, a: int, b: int):
    """Do more training → Do more training on [which tool or procedure], so that [who] can [do
    what] by [when]."""
    return _append(unit, a, b, TRAINING_FRAME)


MORE_TESTS_RE = re.compile(r"\b(?:more|additional|extra|some)\b(.*\btests?)$", re.I)


def which_tests(unit, a: int, b: int):
    """"Add more integration tests" (before "for the billing code") → "Add [which] integration tests
    of [the scenario this incident exposed]": the component kept, the scenario asked for."""
    m = MORE_TESTS_RE.search(unit.block.text[a:b])
    if m is None:
        return None
    return a + m.start(), b, "[which]" + m.group(1) + " of [the scenario this incident exposed]"


REWRITERS = {"which_tests": which_tests, "appeal_frame": appeal_frame, "agentless": agentless, "question": question, "action_frame": action_frame,
             "measure_frame": measure_frame, "guard_frame": guard_frame, "training_frame": training_frame, "next_time": next_time, "if_only_fact": if_only_fact,
             "contributing": contributing, "contributing_factors": contributing_factors,
             "contributing_heading": contributing_heading}
