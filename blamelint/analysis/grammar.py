"""Parse helpers the names and agentive detectors and the rewriters share: where a sentence
starts, a verb's lemma and subject, a clause's tokens and span, and a clause restated without
its agent ("Priya forgot to renew the certificate" → "the certificate was not renewed").
"""

from __future__ import annotations

import re

from blamelint.rules.words import words

# What may come before a sentence's first word: a timestamp, a date, punctuation.
TIME_PREFIX_RE = re.compile(
    r"^[\W_]*(?:\d{4}-\d{2}-\d{2}[ T]?|\d{1,2}[-/]\d{1,2}\s+)?(?:\d{1,2}:\d{2}(?::\d{2})?)?"
    r"(?:\s*[-–]\s*\d{1,2}:\d{2})?\s*(?:[AaPp]\.?[Mm]\.?)?\s*(?:UTC|GMT|Z|[A-Z]{2,4}T)?[\W_]*$"
)


def starts_sentence(text: str, a: int) -> bool:
    """Does the word at a start a sentence of text (after punctuation, a list marker or a timestamp)?"""
    before = text[:a]
    stripped = before.rstrip()
    if not stripped or stripped[-1] in ".!?:—–" or stripped.endswith(("**", " -")):
        return True
    return bool(TIME_PREFIX_RE.match(before))


def sentence_initial(tok) -> bool:
    """Is tok the first word of its parsed sentence (a time or punctuation may come before)?"""
    for t in tok.sent:
        if t.i >= tok.i:
            return True
        if t.is_alpha and t.text not in ("UTC", "GMT", "Z"):
            return False
    return True


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


def lemma(tok) -> str:
    """The verb's lemma, also for irregular forms the small model leaves alone ("rewrote")."""
    found = tok.lemma_.lower()
    if found.endswith("lle") and tok.lower_.endswith(("lled", "lling")):
        return found[:-2]  # a British doubled l the model did not know: "mislabelled" → "mislabel"
    if found != tok.lower_:
        return found
    for prefix in ("", "re", "un", "mis", "over", "under"):
        rest = tok.lower_[len(prefix):]
        if tok.lower_.startswith(prefix) and rest in IRREGULAR:
            return prefix + IRREGULAR[rest]
    return found


def negated(verb) -> bool:
    return any(c.dep_ == "neg" or c.lower_ in ("never",) for c in verb.children)


PARTICLES = {"back", "up", "down", "out", "off", "over", "away"}


def particle(verb) -> str | None:
    for c in verb.children:
        if c.dep_ == "prt":
            return c.lower_
    # "rolled back/RB the flag": the small model often tags the particle as an adverb
    for c in verb.children:
        if c.dep_ == "advmod" and c.i == verb.i + 1 and c.lower_ in PARTICLES and any(
                o.dep_ == "dobj" and o.i > c.i for o in verb.children):
            return c.lower_
    return None


def negative_subject(tok) -> bool:
    """"Nobody", "none" or "no one" (the parser's "one" with "no" right before it)."""
    low = tok.lower_
    return low in ("nobody", "none") or low == "one" and any(
        c.lower_ == "no" and c.i == tok.i - 1 for c in tok.children) or any(
        c.dep_ == "compound" and c.lower_ == "nobody" and c.i == tok.i - 1 for c in tok.children)  # "Nobody on-call"


def auxiliaries(verb, deps=("aux",)) -> list:
    """The verb's auxiliaries, with those the parse of a split verb hangs on "have" ("Sadia should
    have double-checked …": "should" is a child of "have")."""
    aux = [c for c in verb.children if c.dep_ in deps]
    return aux + [g for c in aux for g in c.children if g.dep_ == "aux"]


def by_agent(verb):
    """The agent of a passive ("… was skipped by the operator"), or None."""
    for c in verb.children:
        if c.dep_ == "agent":
            for p in c.children:
                if p.dep_ == "pobj":
                    return p
    return None


def subject_of(verb, depth: int = 0):
    """The subject token of a verb (following coordination, relative clauses and passives)."""
    if verb.tag_ == "VBN" and not any(c.dep_ == "aux" and c.lemma_ == "have" for c in verb.children):
        agent = by_agent(verb)  # "Step 3 skipped by the operator": a passive the parse gave an nsubj
        if agent is not None:
            return agent
    for c in verb.children:
        if c.dep_ == "nsubj":
            if c.lower_ in ("who", "that") and verb.dep_ == "relcl":
                return verb.head
            return c
    for c in verb.children:  # "Sadia should have double-checked": the parse of a split verb hangs the
        if c.dep_ == "aux":  # subject on "have" too (`auxiliaries`)
            for g in c.children:
                if g.dep_ == "nsubj":
                    return g
    agent = by_agent(verb)
    if agent is not None:
        return agent
    if any(c.dep_ == "nsubjpass" for c in verb.children):
        return None  # a passive without "by …" has no agent
    if verb.dep_ == "acl" and verb.tag_ == "VBD" and verb.head.dep_ == "ROOT":
        return verb.head  # "The QA lead signed off …" parsed as a reduced relative clause
    prep = next((c for c in verb.children if c.dep_ == "prep" and c.i < verb.i), None)
    if verb.tag_ in ("VBD", "VBZ", "VBP") and prep is not None and prep.lower_ in ("at", "around", "by") and \
            any(t.like_num or ":" in t.text for t in prep.subtree):
        last = max(prep.subtree, key=lambda t: t.i)  # "At 09:12 Priya forgot …": the parse took the
        if last.dep_ == "pobj" and last.i == verb.i - 1 and last.pos_ in ("PROPN", "NOUN"):  # name for the time's
            return last
    if depth < 3 and verb.dep_ == "conj" and verb.head.pos_ in ("VERB", "AUX"):
        for c in verb.head.children:
            if c.dep_ == "nsubjpass":
                if verb.tag_ == "VBN" and not any(x.dep_ in ("dobj", "obj", "aux") for x in verb.children):
                    return None  # "they were considered normal and ignored": passive too, no agent
                return c  # "Sam was paged and ignored the alert"
    if depth < 3 and verb.dep_ in ("conj", "xcomp", "advcl") and verb.head.pos_ in ("VERB", "AUX"):
        if verb.dep_ == "advcl" and any(c.dep_ == "mark" for c in verb.children):
            return None  # "because he wanted …" has its own subject
        return subject_of(verb.head, depth + 1)
    if depth < 3 and verb.dep_ == "pcomp" and verb.head.dep_ == "prep":
        return subject_of(verb.head.head, depth + 1)
    return None


def clause_tokens(verb):
    """Tokens of the verb's clause, without coordinated clauses."""
    skip = set()
    for c in verb.children:
        if c.dep_ in ("conj", "cc") or (c.dep_ == "punct" and c.i > verb.i and c.text in ",;"):
            if c.dep_ == "conj" and c.pos_ not in ("VERB", "AUX"):
                continue
            skip.update(t.i for t in c.subtree)
    return [t for t in verb.subtree if t.i not in skip]


TIME_RE = re.compile(r"\d{1,2}[:.h]\d{2}|\d{1,4}")
TIME_LEADS = {"at", "around", "about", "approximately", "circa", "by", "~", "after", "before"}


def phrase_start(tok):
    """The first token of tok's phrase, past what the parse hung on it but is not the phrase: a
    masked timestamp's blank ("14:05 —"), a time ("At 10:30 Ravi ignored …": "10:30" is not Ravi)."""
    first = tok.left_edge
    while first.i < tok.i and (first.is_space or TIME_RE.fullmatch(first.text) or first.lower_ in TIME_LEADS
                               or first.text in ("UTC", "GMT", "CET", "PST", "EST", "am", "pm", "AM", "PM", "-", "—", ",")):
        first = tok.doc[first.i + 1]
    return first


def clause_span(verb, agent) -> tuple[int, int]:
    """The character span of the verb's clause with its agent, without trailing punctuation."""
    toks = clause_tokens(verb)
    if agent is not None and agent.i < verb.i:
        first = phrase_start(agent).i
        for c in verb.children:  # "… that someone missed": the relative pronoun is restated too
            if c.dep_ == "dobj" and c.lower_ in ("that", "which") and c.i < agent.i and verb.dep_ == "relcl":
                first = min(first, c.i)
        toks = [t for t in toks if t.i >= first] + [t for t in agent.subtree if t.i >= first]
    while len(toks) > 1 and (max(toks, key=lambda t: t.i).is_punct or max(toks, key=lambda t: t.i).is_space
                             or max(toks, key=lambda t: t.i).dep_ == "cc"):  # ("… the certificate and")
        last = max(toks, key=lambda t: t.i)
        toks = [t for t in toks if t.i != last.i]
    while toks and min(toks, key=lambda t: t.i).is_space:  # a masked timestamp ("14:05 UTC:")
        first = min(toks, key=lambda t: t.i)
        toks = [t for t in toks if t.i != first.i]
    first = min(toks, key=lambda t: t.i)
    last = max(toks, key=lambda t: t.i)
    return first.idx, last.idx + len(last)


NOUN_PREPS = {"of", "about", "on", "for", "from"}


def core_tokens(noun) -> list:
    """The object noun phrase; prepositional phrases that usually modify the verb stay outside."""
    toks = [t for t in noun.subtree if t.i <= noun.i]
    for c in noun.rights:
        if c.dep_ == "prep" and c.lower_ not in NOUN_PREPS:
            break
        toks.extend(c.subtree)
    return sorted(toks, key=lambda t: t.i)


# ---------------------------------------------------------------- the clause without its agent


class NoRewrite(Exception):
    """The clause's shape is not one `agentless_clause` restates faithfully."""


HEDGES = {"perhaps", "maybe", "possibly", "arguably", "probably", "likely"}
# change verbs whose object goes without saying ("pushed to main" → "the change was pushed to main")
IMPLICIT_OBJECT = {v: "the change" for v in ("push", "deploy", "redeploy", "merge", "ship", "release", "commit",
                                              "approve", "sign")}
# verbs whose prepositional object can become the subject of a passive ("was not asked for")
PREPOSITIONAL = {"ask": ("for",), "look": ("at", "into"), "wait": ("for",), "act": ("on",), "plan": ("for",),
                 "account": ("for",), "test": ("for",), "respond": ("to",), "deal": ("with",), "check": ("on",),
                 "follow": ("up",), "sign": ("off",), "sit": ("on",), "insist": ("on",), "know": ("about",),
                 "listen": ("to",)}


AGENTLESS = {
    "ignore": "{obj} {was} not acted on",
    "disregard": "{obj} {was} not acted on",
    "overlook": "{obj} went unnoticed",
    "miss": "{obj} went unnoticed",
    "skim": "{obj} {was} only skimmed",
    "neglect": "{obj} {was} not acted on",
    "sit": "{obj} {was} not acted on",  # "sat on the bug report"
    "shrug": "{obj} {was} not acted on",  # "shrugged off the errors"
    "brush": "{obj} {was} not acted on",  # "brushed off the reports"
}


# verbs whose to-infinitive is what was done: "decided to skip the load test" → "the load test was skipped"
CHOICE_VERBS = ("decide", "choose", "opt", "elect")


def inflect(word: str, tag: str) -> str | None:
    try:
        from lemminflect import getInflection  # (imports spaCy: not at start-up)
    except ImportError:  # pragma: no cover - a declared dependency
        return None
    forms = getInflection(word, tag=tag)
    return forms[0] if forms else None


KNOWING = {"know": "known", "realise": "realised", "realize": "realized", "see": "seen", "notice": "noticed",
           "spot": "spotted",
           "understand": "understood", "recognise": "recognised", "recognize": "recognized", "anticipate": "anticipated",
           "foresee": "foreseen", "predict": "predicted", "expect": "expected"}


def _not_known(verb) -> str | None:
    """"The team should have known that the check was expensive" → "it was not known at the time
    that the check was expensive": the fact, as what nobody knew then."""
    participle = KNOWING.get(verb.lemma_.lower())
    ccomp = next((c for c in verb.children if c.dep_ == "ccomp"), None)
    if participle is None or ccomp is None or ccomp.i < verb.i:
        return None
    obj = next((c for c in verb.children if c.dep_ == "dobj"), None)
    subject = any(c.dep_ in ("nsubj", "nsubjpass", "expl") for c in ccomp.children)
    if obj is not None and (subject or obj.i > ccomp.i or obj.right_edge.i + 1 != ccomp.left_edge.i):
        return None  # "knew the risk": an object, not a clause
    if ccomp.tag_ in ("VBG", "VBN", "VB") and not any(c.dep_ in ("aux", "auxpass") for c in ccomp.children):
        return None  # "seen it coming": not a that-clause
    # "realised the flag was still wired": the parse took the clause's subject for the object
    toks = sorted([*(obj.subtree if obj is not None else ()), *ccomp.subtree], key=lambda t: t.i)
    if toks and toks[0].lower_ == "that" and toks[0].dep_ == "mark":
        toks = toks[1:]  # the parser may hang "that" on a word inside the clause
    while toks and (toks[-1].is_punct or toks[-1].is_space):
        toks.pop()
    if not toks or toks[-1].i - toks[0].i + 1 != len(toks):
        return None
    if any(t.i > toks[-1].i and not t.is_punct for t in verb.subtree):
        return None  # something after the that-clause would be dropped
    clause = verb.doc[toks[0].i: toks[-1].i + 1].text
    if toks[0].lower_ == "that":  # the parser hung "that" inside the clause: it is still the conjunction
        return f"it was not {participle} at the time {clause}"
    return f"it was not {participle} at the time that {clause}"


def agentless_text(verb, agent, head=None) -> str:
    """The agentless form of a "should have" clause ("the bug was not caught")."""
    return agentless_clause(head if head is not None else verb, agent, "should-have", target=verb)


LINKING = {"grow", "become", "seem", "remain", "stay", "appear", "prove"}


def split_prefix(tok) -> str:
    """"load-" for the "tested" of "load-tested", which the parse split into three tokens ("" else)."""
    doc = tok.doc
    if tok.i >= 2 and doc[tok.i - 1].text == "-" and not doc[tok.i - 1].whitespace_ \
            and not doc[tok.i - 2].whitespace_ and doc[tok.i - 2].is_alpha:
        return doc[tok.i - 2].lower_ + "-"
    return ""


IDIOM_WORDS = {"jump": {"gun"}, "go": {"rogue", "awol"}, "wing": {"it"}, "phone": {"in"}, "lose": {"nerve"},
               "screw": {"pooch"}, "make": {"mess", "hash"}, "cock": {"up"}, "bollocks": {"up"}, "muck": {"up"}}


def blame_idiom(verb) -> bool:
    """Is the verb one of a blaming idiom ("jumped the gun", "went rogue", "winging it")? No
    restatement of its words can leave the verdict out."""
    words = IDIOM_WORDS.get(verb.lemma_.lower()) or IDIOM_WORDS.get(verb.lower_)
    return bool(words) and any(t.lower_ in words for t in verb.subtree if t.i > verb.i and t.i - verb.i <= 4)


def scorn_lead(verb, agent):
    """A "Without thinking," that opens the clause before its agent: the verdict that goes with the
    agent when the clause is restated ("Without thinking, Tomasz deleted X" → "X was deleted")."""
    if agent is None or negated(verb) or any(c.dep_ in ("advmod", "ccomp") or c.tag_ in ("WP", "WDT") for c in verb.children):
        return None  # ("didn't restart", "almost", "dropped what she believed was …": words the restatement may lose)
    lead = next((c for c in verb.children if c.dep_ == "prep" and c.lower_ == "without" and c.i < agent.i and any(
        g.lemma_.lower() in UNTHINKING and not list(g.children) for g in c.children)), None)
    if lead is None or not all(t.is_punct for t in verb.doc[lead.right_edge.i + 1: agent.left_edge.i]):
        return None
    return lead


def _unjudged(span) -> str:
    """The span's text without a hindsight adjective before a noun ("the obvious warning")."""
    gone = {t.i for t in span if t.dep_ == "amod" and t.lower_ in HINDSIGHT_ADJECTIVES and t.head.i > t.i}
    gone |= {c.i for t in span if t.i in gone for c in t.children if c.dep_ == "advmod" and c.i == t.i - 1}
    if not gone or span[0].i in gone:
        return span.text
    return "".join(t.text_with_ws for t in span if t.i not in gone).rstrip()


HINDSIGHT_ADJECTIVES = words("rewrite")["hindsight_adjectives"]
UNTHINKING = {"think", "thinking", "thought", "care", "caution"}  # "without (a second) thought": a verdict, not a fact


def agentless_clause(verb, agent, kind, target=None, shared: bool = False, past: bool = False,
                     whoever: bool = False, means: bool = False) -> str:
    """The verb's clause restated without its agent, for a failure of `kind` ("forget",
    "not-check", "should-have", …); raises NoRewrite when the shape is not a simple one.
    `shared`: the caller restates every verb that shares the agent ("X rotated the key and never
    checked …"), so the verb may be a conjunct whose subject is its head's. `past`: the clause is
    in the past whatever the verb's own tag says ("misread", with "restarted" beside it)."""
    # `whoever`: the caller restates "with whoever approved the change" as a fact of its own;
    # `means`: the verb is the gerund of "by putting the key in X" or the "to restart X" of "a wrong
    # decision to restart X", its agent the head's subject
    clause = verb.dep_ in ("ROOT", "conj", "advcl", "ccomp", "relcl") or (
        whoever and verb.dep_ in ("pcomp", "csubj") and agent is not None and agent.lower_ == "whoever") or (
        means and (verb.dep_ == "pcomp" and verb.tag_ == "VBG" or verb.dep_ in ("acl", "relcl") and verb.tag_ == "VB")
        and not any(c.dep_ == "conj" for c in verb.children))
    if agent is None or agent.i > verb.i or not clause:
        raise NoRewrite
    if verb.dep_ == "relcl" and agent.lower_ not in ("who", "that") and not any(
            c.dep_ == "dobj" and c.lower_ in ("that", "which") and c.i < agent.i for c in (target or verb).children):
        raise NoRewrite  # only "the bug that someone missed" → "the bug that went unnoticed"
    timed = agent.dep_ == "pobj" and agent.i == verb.i - 1 and agent.head.head.i == verb.i  # "At 09:12 Priya forgot"
    bothered = kind == "bother" and agent.dep_ == "nsubjpass"  # "could not be bothered to …"
    holder = agent.head.head if agent.head.dep_ == "aux" else agent.head  # ("Somebody should have …" hung on "have")
    if not shared and (holder.i != verb.i or agent.dep_ != "nsubj") and not timed and not bothered:
        raise NoRewrite  # the subject belongs to another clause; rewriting would drop it
    if not shared and any(c.dep_ in ("conj",) and c.pos_ in ("VERB", "AUX") and not any(
            g.dep_ in ("nsubj", "nsubjpass", "expl") for g in c.children) for c in verb.children):
        raise NoRewrite  # "Kenji rotated the key and never checked …": the second verb needs the agent
    target = target if target is not None else verb
    if kind == "should-have" and (known := _not_known(target)) is not None:
        return known
    negate = kind.startswith("not-") or kind in ("forget", "neglect", "fail", "bother", "should-have", "omit")
    # "X should not have restarted the primary": it was restarted (the fact is the positive one)
    done = kind == "should-have" and any(c.dep_ == "neg" or c.lower_ == "never" for c in (*verb.children, *target.children))
    if done:
        negate = False
    if negative_subject(agent):
        if negate and kind != "bother":  # ("nobody bothered to check": not a double negative)
            raise NoRewrite  # "nobody did not check": a double negative to restate by hand
        negate = True  # "Nobody checked the lag" → "The lag was not checked"
    prefix = ""
    if kind in ("forget", "neglect", "fail", "bother", "omit", "think", "not-think") + CHOICE_VERBS:  # ("didn't think to …")
        xcomps = [c for c in verb.children if c.dep_ == "xcomp"]
        target = xcomps[0] if xcomps else None
        if target is None and kind == "neglect" and any(c.dep_ == "dobj" for c in verb.children):
            target, negate = verb, negative_subject(agent)  # "neglected the ticket" → "the ticket was not acted on"
        elif target is None:
            raise NoRewrite
        if len(xcomps) == 3 and xcomps[1].text == "-" and xcomps[0].i + 1 == xcomps[1].i == xcomps[2].i - 1:
            prefix, target = xcomps[0].lower_ + "-", xcomps[2]  # "to re-enable": the parse split the verb
        if kind == "bother":
            negate = True
        if any(c.dep_ == "conj" and c.pos_ in ("VERB", "AUX") for c in target.children):
            raise NoRewrite  # "failed to see the alert and continued trying …": the second verb is not restated
    repeatedly = False
    if lemma(target) == "keep" and not negate:  # "Developers keep ignoring the warnings" → "… keep going unaddressed"
        doing = [c for c in target.children if c.dep_ == "xcomp" and c.tag_ == "VBG"]
        if len(doing) == 1 and any(c.dep_ == "dobj" for c in doing[0].children) and lemma(doing[0]) in REPEATED_LAPSES:
            target, repeatedly = doing[0], True
    if target.lemma_.lower() in LINKING:
        raise NoRewrite  # "had grown complacent": a state, not an object acted on
    obj = next((c for c in target.children if c.dep_ == "dobj"), None)
    prep = None
    if obj is None and target.lemma_.lower() in PREPOSITIONAL:
        # "failed to ask for a dry run" → "a dry run was not asked for"
        prep = next((c for c in target.children if c.dep_ == "prep"
                     and c.lower_ in PREPOSITIONAL[target.lemma_.lower()] and c.i == target.i + 1), None)
        obj = next((c for c in prep.children if c.dep_ == "pobj"), None) if prep is not None else None
    # "pushed to main anyway": a change verb without its object moves "the change"
    implicit = (obj is None and prep is None and verb.dep_ != "relcl" and lemma(target) in IMPLICIT_OBJECT
                and target.i + 1 < len(verb.doc) and verb.doc[target.i + 1].dep_ in ("prep", "advmod", "prt")
                and verb.doc[target.i + 1].head.i == target.i
                and (lemma(target) != "sign" or verb.doc[target.i + 1].lower_ == "off")  # ("signed off without …")
                and not (lemma(target) in ("sign", "approve") and (kind == "should-have" or any(
                    c.dep_ == "prep" and c.lower_ in ("on", "of", "for") for c in target.children))))  # ("signed off on X")
    if implicit:
        obj = verb.doc[target.i]  # stands in for the object below: its words are not used
    if obj is not None and obj.pos_ not in ("NOUN", "PROPN", "PRON", "NUM", "X") and not any(
            c.dep_ in ("det", "poss", "compound", "amod") for c in obj.children) and not implicit:
        raise NoRewrite  # the parse took something else for the object ("got impatient and force-merged …")
    if obj is None or obj.lower_ in ("him", "her", "me", "us", "you", "himself", "herself", "themselves", "one",
                                     "something", "anything", "nothing", "everything"):
        raise NoRewrite
    if any(c.dep_ in ("dative", "ccomp", "xcomp") for c in target.children):
        raise NoRewrite
    if any(c.dep_ == "conj" and (c.pos_ in ("VERB", "AUX") or any(g.pos_ in ("VERB", "AUX") for g in c.children))
           for c in obj.children):
        raise NoRewrite  # "rotate the key and the old key leaked": a second clause the parse joined to the object
    obj_toks = [obj] if implicit else core_tokens(obj)
    if obj_toks[-1].lower_ in ("of", "than") and obj_toks[-1].i + 1 < len(verb.doc) and obj.i > target.i:
        # "dropped the table instead of the staging one": the parse left the contrast's noun outside
        top, inside = verb.doc[obj_toks[-1].i + 1], {t.i for t in obj_toks}
        while top.head.i != top.i and top.head.i not in inside and top.head.i not in (target.i, verb.i):
            top = top.head
        obj_toks = sorted(set(obj_toks) | set(top.subtree), key=lambda t: t.i)
        if obj_toks[-1].i - obj_toks[0].i + 1 != len(obj_toks):
            raise NoRewrite
    lasting = next((c for c in obj.children if c.dep_ == "prep" and c.lower_ in ("for", "since") and c.i > obj.i and any(
        g.dep_ == "pobj" and g.lemma_.lower() in DURATIONS for g in c.children)), None)
    if lasting is not None and obj.i > target.i:
        # "neglected the runbook for years": the parse hung the duration on the object; it is the verb's
        obj_toks = [t for t in obj_toks if t.i < lasting.i]
    rel = next((c for c in obj.children if c.dep_ == "relcl" and _sentential(c)), None)
    if rel is not None and obj.i > target.i and verb.doc[rel.left_edge.i - 1].text == ",":
        # "skipped the canary, which meant X": the "which" is the skipping; it stays after the clause
        obj_toks = [t for t in obj_toks if t.i < rel.left_edge.i - 1]
    others = [c for c in target.children if c.dep_ == "dobj" and c.i != obj.i and c not in obj_toks]
    if len(others) == 1 and obj.i < others[0].i == obj_toks[-1].i + 1 and obj.pos_ in ("NOUN", "PROPN"):
        # "checked the replica lag first": the parse split one noun phrase into two objects
        obj_toks = obj_toks + [t for t in others[0].subtree if t.i <= others[0].i]
    elif others:
        raise NoRewrite  # two objects
    if (obj_toks[0].tag_ in ("WRB", "WP", "WDT") or obj_toks[0].lower_ == "whether") and obj.i > target.i:
        raise NoRewrite  # "how locking works": a question, not a thing that was done
    obj_text = _unjudged(verb.doc[obj_toks[0].i: obj_toks[-1].i + 1])  # ("the obvious warning" → "the warning")
    obj_text = {"it": "it", "them": "they", "this": "this", "that": "that"}.get(obj.lower_, obj_text)
    if implicit:
        obj_text = IMPLICIT_OBJECT[lemma(target)]
    if any(t.dep_ == "relcl" and t.head.i == obj.i and verb.doc[t.left_edge.i - 1].text == "," for t in obj_toks):
        obj_text += ","  # close a non-restrictive clause: "The checklist, which says …, was skipped"
    joined = any(c.dep_ == "conj" or c.dep_ == "appos" and any(g.dep_ == "conj" for g in c.children)
                 for c in obj.children) and not any(  # ("the ticket, the dashboard and the pager")
        c.dep_ == "cc" and c.lower_ in ("of", "than", "or", "nor", "but") for c in obj.children)  # "X instead of Y"
    plural = not implicit and (obj.tag_ in ("NNS", "NNPS") or obj.lower_ == "them" or joined)
    if kind != "should-have" and not bothered and any(c.dep_ == "aux" and c.tag_ == "MD" for c in verb.children):
        raise NoRewrite  # "will receive", "can skip": not a past fact to restate
    if kind == "should-have" and any(c.lower_ in HEDGES for c in (*verb.children, *target.children)
                                     if c.dep_ == "advmod"):
        raise NoRewrite  # "Perhaps we ought to have caught X": the hedge would cast doubt on the fact
    if any(c.dep_ == "prep" and c.lower_ == "by" and any(g.tag_ == "VBG" for g in c.children)
           for c in target.children):
        raise NoRewrite  # "could have avoided this by reading X": the means is what did not happen
    present = not past and (verb.tag_ in ("VBZ", "VBP") or any(c.dep_ == "aux" and c.lower_ in ("does", "do")
                                                              for c in verb.children))
    was = ("are" if plural else "is") if present else ("were" if plural else "was")
    after = obj_toks[-1].i if obj.i > target.i else target.i  # a relative clause's object comes first
    manner = next((c for c in target.children if c.dep_ == "advmod" and c.lower_ in FACTUAL_MANNER), None)
    if manner is not None and manner.i == after + 1:
        after += 1  # "pinned the builder properly in …": the manner moves before the participle
    scorn = {t.i for c in target.children if c.dep_ == "prep" and c.lower_ == "without" and any(
        g.dep_ in ("pobj", "pcomp") and g.lemma_.lower() in UNTHINKING and not any(
            x.dep_ in ("ccomp", "dobj", "prep", "xcomp") for x in g.children) for g in c.children)
        for t in c.subtree}  # (not "without thinking that the flag was shared": a fact of its own)
    rest_toks = [t for t in clause_tokens(target) if t.i > after and not (t.dep_ == "prt" and t.head.i == target.i)
                 and t.i not in scorn
                 and t.lower_ not in ("himself", "herself", "themselves", "myself")]  # ("without thinking" goes)
    while rest_toks and rest_toks[-1].is_punct:
        rest_toks.pop()
    if rest_toks and rest_toks[0].i > after + 1 and all(t.text == "," for t in verb.doc[after + 1: rest_toks[0].i]):
        rest_toks = [*verb.doc[after + 1: rest_toks[0].i], *rest_toks]  # "…, since the metric was not alerted on"
    if rest_toks and rest_toks[0].i != after + 1 and not verb.doc[after + 1].dep_ == "prt":
        raise NoRewrite  # something was left out between the object and the rest
    between = [t for t in clause_tokens(target) if target.i < t.i < obj_toks[0].i and t.dep_ != "prt"
               and (prep is None or t.i != prep.i) and not (t.i == target.i + 1 and t.lower_ == particle(target))]
    if between:
        raise NoRewrite
    while rest_toks and rest_toks[-1].is_punct:
        rest_toks.pop()
    inside = {t.i for t in rest_toks}
    if rest_toks and any(t.i not in inside and t.text != "," for t in verb.doc[rest_toks[0].i: rest_toks[-1].i + 1]):
        raise NoRewrite  # (a comma the clause's tokens leave out is kept: "for hours, since …")
    rest = verb.doc[rest_toks[0].i: rest_toks[-1].i + 1].text if rest_toks else ""
    if kind == "should-have" and (span := AGO_RE.fullmatch(rest)):
        rest = "for " + span.group(1)  # "should have caught X months ago" → "X was not caught for months"
    if not prefix:
        prefix = split_prefix(target)  # "load-tested": the parse split the verb
    base = prefix + lemma(target)  # "rewrote" → rewrite, where the model left the form alone
    if base in ("make", "do", "get", "have", "be", "go", "let", "keep"):  # light verbs: no event to restate
        raise NoRewrite
    if base in ("screw", "mess", "foul", "goof", "botch", "bungle", "flub", "fumble", "muff") or \
            base == "drop" and obj.lower_ == "ball" or blame_idiom(target):
        raise NoRewrite  # an idiom of blame: its passive ("the ball was dropped") keeps the verdict
    if base in AGENTLESS and not negate:
        if base in ("shrug", "brush") and rest.lower().startswith("as "):
            raise NoRewrite  # "shrugged off the errors as noise": "not acted on as noise" says something else
        core = AGENTLESS[base].format(obj=obj_text, was=was)
        if repeatedly:  # "kept ignoring the alerts" → "the alerts kept going unaddressed"
            unheeded = "going unnoticed" if "unnoticed" in core else "being only skimmed" if base == "skim" else (
                "going unaddressed")
            core = f"{obj_text} {_keep(plural, present)} {unheeded}"
        if rest and core.rsplit(" ", 1)[-1] == rest.split(" ", 1)[0]:
            raise NoRewrite  # "acted on on …": the parse attached the object's phrase to the verb
    else:
        participle = inflect(base, "VBN")
        if not participle and "-" in base:  # "re-enable" → "re-enabled"
            head, _, last = base.rpartition("-")
            tail = inflect(last, "VBN")
            participle = f"{head}-{tail}" if tail else None
        if not participle and target.tag_ in ("VBD", "VBN") and target.lower_.endswith("ed"):
            participle = target.lower_  # a regular verb the lexicon does not know: the past is the participle
        if participle and target.lower_.endswith("lled") and participle == target.lower_[:-4] + "led":
            participle = target.lower_  # the writer's British doubled l: "mislabelled", not "mislabeled"
        if not participle:
            raise NoRewrite
        prt = particle(target) or (prep.lower_ if prep is not None else None)
        never = not done and (any(c.lower_ == "never" for c in verb.children)
                              or any(c.lower_ == "never" for c in target.children))
        neg = "never" if never else "not" if negate else ""
        how = manner.lower_ if manner is not None and (manner.i < target.i or manner.i == after) else ""
        core = " ".join(x for x in (obj_text, was, neg, how, participle, prt) if x)
        if repeatedly:  # "keeps skipping the canary" → "the canary keeps being skipped"
            core = " ".join(x for x in (obj_text, _keep(plural, present), "being", participle, prt) if x)
    out = core if not rest else core + ("" if rest[0] in ",;:." else " ") + rest
    if target is not verb:
        # what the head verb says after the restated verb ("bothers to look at the alerts, forty
        # minutes late"): kept, with what separates it
        end = max(t.i for t in target.subtree)
        after = [t for t in clause_tokens(verb) if t.i > end]
        while after and (after[-1].is_punct or after[-1].is_space):
            after.pop()
        if after:
            if after[-1].i - after[0].i + 1 != len(after):
                raise NoRewrite
            doc = verb.doc
            out += doc.text[doc[end].idx + len(doc[end]): after[-1].idx + len(after[-1])]
    return out


def _keep(plural: bool, present: bool) -> str:
    """"keep" / "keeps" / "kept" for the new subject."""
    return ("keep" if plural else "keeps") if present else "kept"


# what "kept V-ing" makes a habit of, as a fact ("kept ignoring", not "kept trying smaller fixes")
REPEATED_LAPSES = set(AGENTLESS) | {"skip", "bypass", "disable", "silence", "mute", "snooze", "override"}
DURATIONS = {"second", "minute", "hour", "day", "week", "month", "year", "sprint", "quarter", "shift", "decade", "ages"}


def _sentential(rel) -> bool:
    """Does a ", which …" clause say something of the whole clause before it ("which meant the build
    shipped", "which is how the bug got in"), rather than of the noun it follows?"""
    which = next((c for c in rel.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    if which is None or which.lower_ != "which":
        return False
    if rel.lemma_.lower() == "mean":  # "which meant the build shipped" (not "which meant nothing to him")
        return any(c.dep_ == "ccomp" for c in rel.children)
    return rel.lemma_.lower() == "be" and any(t.lower_ in ("how", "why") for t in rel.subtree)


def what_they_did(agent, clause_end: int) -> str:
    """" when the backfill was launched" for "the engineer who launched the backfill": what the
    agent's relative clause says, kept as the time of the event when the agent goes ("" when it
    cannot be restated, or lies outside the clause ending at `clause_end`)."""
    relcl = next((c for c in agent.children if c.dep_ == "relcl"), None)
    who = next((c for c in relcl.children if c.dep_ == "nsubj" and c.lower_ in ("who", "that")), None) if relcl else None
    if who is None or relcl.right_edge.idx >= clause_end:
        return ""
    try:
        return " when " + agentless_clause(relcl, who, relcl.lemma_.lower())
    except NoRewrite:
        return ""


def consequence_fact(main) -> str:
    """", and the bug was not caught" for a counterfactual's consequence "we would have caught the
    bug": what did not happen, as a fact ("" when the clause is not a person's action on a thing)."""
    agent = next((c for c in main.children if c.dep_ == "nsubj"), None)
    patient = next((c for c in main.children if c.dep_ == "nsubjpass"), None)
    if agent is None and patient is not None and any(c.dep_ == "auxpass" for c in main.children) and not negated(main):
        return _passive_fact(main, patient)  # "most of the impact would have been avoided"
    if agent is not None and agent.pos_ == "NOUN" and not agent.ent_type_ and not negative_subject(agent) \
            and agent.lower_ not in ("all", "most", "much", "some", "any") and not _people(agent):
        return _thing_fact(main, agent)  # "the VIP would have stayed up" → "the VIP did not stay up"
    if agent is None or agent.lower_ not in ("we", "i", "you", "they", "he", "she", "someone", "somebody", "anyone"):
        return ""
    if negated(main):
        return ""
    try:
        return ", and " + agentless_clause(main, agent, "should-have")
    except NoRewrite:
        return ""


# manner adverbs that state what went wrong, not who is to blame: kept in the restatement
# ("we incorrectly tagged the branch" → "the branch was incorrectly tagged")
AGO_RE = re.compile(r"((?:(?:\d+|a\s+few|a|one|two|three|four|five|six|seven|eight|nine|ten|several|many)\s+)?"
                    r"(?:minutes|hours|days|weeks|months|years))\s+ago", re.I)
FACTUAL_MANNER = {"incorrectly", "improperly", "erroneously", "wrongly", "partially", "properly", "adequately",
                  "sufficiently", "extensively", "thoroughly", "fully", "correctly", "effectively"}


PEOPLE_NOUNS = words("agentive")["role_nouns"] | {"team", "teams", "people", "staff", "everyone", "crew", "squad"}


def _people(tok) -> bool:
    """A role or a group of people ("the responders", "the team"): not a thing whose counterfactual
    becomes its own fact (the name or role would stay the subject)."""
    return tok.lemma_.lower() in PEOPLE_NOUNS or tok.lower_ in PEOPLE_NOUNS


def _thing_fact(main, subject) -> str:
    """", and the VIP did not stay up" for a thing's counterfactual "the VIP would have stayed up";
    ", and the bad build reached Europe" for "the bad build would never have reached Europe"."""
    toks = sorted(subject.subtree, key=lambda t: t.i)
    condition = {t.i for c in main.children if c.dep_ in ("advcl", "ccomp") for t in c.subtree}  # "… if X had …"
    rest = [t for t in clause_tokens(main) if t.i > main.i and not t.is_punct and t.i not in condition]
    if toks[-1].i - toks[0].i + 1 != len(toks) or (rest and rest[-1].i - rest[0].i + 1 != len(rest)):
        return ""
    if main.tag_ != "VBN" or toks[-1].i > main.i or any(c.dep_ in ("auxpass", "nsubjpass") for c in main.children):
        return ""
    between = [t for t in main.doc[toks[-1].i + 1: main.i]]
    if any(t.dep_ not in ("aux", "neg") and t.lower_ != "never" for t in between):
        return ""  # "would probably have …": a word the fact has no place for
    base = lemma(main)
    if base in ("be", "have"):
        return ""
    doc = main.doc
    head = doc[toks[0].i: toks[-1].i + 1].text
    if toks[0].pos_ != "PROPN" and not head.isupper():
        head = head[:1].lower() + head[1:]
    tail = " " + doc[rest[0].i: rest[-1].i + 1].text if rest else ""
    if any(t.dep_ == "neg" or t.lower_ == "never" for t in between):
        past = inflect(base, "VBD")
        return f", and {head} {past}{tail}" if past else ""
    return f", and {head} did not {base}{tail}"


def _passive_fact(main, patient) -> str:
    """", and most of the impact was not avoided" for "most of the impact would have been avoided"."""
    toks = sorted(patient.subtree, key=lambda t: t.i)
    rest = [t for t in clause_tokens(main) if t.i > main.i and not t.is_punct]
    if toks[-1].i - toks[0].i + 1 != len(toks) or (rest and rest[-1].i - rest[0].i + 1 != len(rest)):
        return ""
    if not all(t.i < main.i for t in toks) or main.tag_ != "VBN":
        return ""
    plural = patient.tag_ in ("NNS", "NNPS") and patient.lower_ not in ("most", "some", "all")
    subject = main.doc[toks[0].i: toks[-1].i + 1].text
    subject = subject if subject[:1].isupper() and not subject.isupper() and toks[0].pos_ == "PROPN" else (
        subject[:1].lower() + subject[1:])
    tail = " " + main.doc[rest[0].i: rest[-1].i + 1].text if rest else ""
    return f", and {subject} {'were' if plural else 'was'} not {main.text}{tail}"


def orphans(verb) -> bool:
    """Would restating the verb's clause without its agent leave the verb it depends on without a
    subject ("Ravi, not reading the runbook, restarts the service", parsed with Ravi as the
    subject of "reading")?"""
    if verb.dep_ not in ("advcl", "acl", "xcomp") or verb.head.pos_ not in ("VERB", "AUX"):
        return False
    return not any(c.dep_ in ("nsubj", "nsubjpass", "expl", "csubj") for c in verb.head.children)


_BE_NOT_RE = re.compile(r"(.+) (was|were|is|are) (not )(.+)")  # the last "was not": the passive's own
_BE_RE = re.compile(r"(.+?) (was|were|is|are) (not )?(.+)")


def asked(head, agent, new: str):
    """A question's clause restated: "Why did the operator forget to renew X?" → "Why was X not
    renewed?" — the "did" before the agent becomes the passive's "was" (with its "n't"); [] when the
    clause is no inverted question, None when the restatement cannot be asked."""
    before = [c for c in head.children if c.dep_ in ("aux", "auxpass") and c.i < agent.i]
    aux = next((c for c in before if c.lemma_.lower() == "do"), None)
    if aux is None:
        return None if before else []  # "Why had the operator forgotten …?": no "did" to turn into "was"
    # the passive's own "was": the one before its "not" ("the key that was leaked was not rotated")
    m = _BE_NOT_RE.fullmatch(new) or (_BE_RE.fullmatch(new) if len(re.findall(r"\b(?:was|were|is|are)\b", new)) == 1
                                      else None)
    doc = head.doc
    neg = doc[aux.i + 1] if aux.i + 1 < agent.i and doc[aux.i + 1].dep_ == "neg" else None
    if m is None or neg is not None and (not m.group(3) or head.lemma_.lower() in ("forget", "neglect", "fail", "omit")):
        return None  # "Why didn't the operator …" restated without its negation; "didn't forget to": a double one
    be = m.group(2).capitalize() if aux.text[0].isupper() else m.group(2)
    end = neg if neg is not None else aux
    if neg is not None:
        return [(aux.idx, end.idx + len(end), be + ("n't" if neg.lower_ in ("n't", "n’t") else " not"), False),
                m.group(1) + " " + m.group(4)]
    return [(aux.idx, aux.idx + len(aux), be, False), m.group(1) + " " + (m.group(3) or "") + m.group(4)]


def span_of(unit, a: int, b: int):
    """The tokens of a unit's prose [a, b) in its Doc (None when they are none)."""
    doc = unit.doc
    span = doc.char_span(a, b, alignment_mode="expand") if doc is not None else None
    return span if span is not None and len(span) else None


def parsed_span_of(unit, a: int, b: int):
    """The span in a Doc whose sentence is parsed (the block is parsed now if the first pass did
    not send that sentence to the parser)."""
    span = span_of(unit, a, b)
    if span is not None and all(t.dep_ for t in span.sent):
        return span
    span = unit.analysed().char_span(a, b, alignment_mode="expand")
    return span if span is not None and len(span) else None


def no_finite_verb(clause) -> bool:
    """Is the clause's verb a form no clause of its own can have: a bare base form or gerund ("the
    heap growing"), or a plural present after a singular noun ("the replication lag for six hours")?"""
    if not clause.tag_.startswith("VB"):
        return True  # ("lag" tagged a noun, yet a clause's head)
    if any(c.dep_ in ("aux", "auxpass") for c in clause.children):
        return False
    subject = next((c for c in clause.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    return clause.tag_ in ("VB", "VBG") or clause.tag_ == "VBP" and subject is not None and subject.tag_ in ("NN", "NNP")
