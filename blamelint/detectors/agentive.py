"""Agentive blame: a person or personal role as the agent of a failure, found with the parse.

"Priya forgot to renew the certificate" and "the on-call engineer ignored the alerts" are
flagged; "the health checks failed fast" and "Postgres refused connections" are not, because
their subjects are systems. Where the clause is simple, the fix rewrites it agentless
("The certificate was not renewed").
"""

from __future__ import annotations

import re

from blamelint.analysis.nlp import doc_text
from blamelint.detectors import detector
from blamelint.findings import Edit, Fix

PERSON_PRONOUNS = {"he", "she", "i", "you", "nobody", "someone", "somebody", "anyone", "anybody"}
NEGATIVE_SUBJECTS = {"nobody", "none"}
ROLE_NOUNS = {
    "engineer", "developer", "dev", "operator", "admin", "administrator", "sysadmin", "dba", "sre", "intern",
    "contractor", "consultant", "reviewer", "author", "manager", "lead", "owner", "approver", "oncall",
    "responder", "commander", "analyst", "employee", "hire", "junior", "senior", "mentor", "architect",
    "tester", "person", "people", "staff", "colleague", "teammate", "coworker", "co-worker", "newcomer",
    "team", "squad", "folks", "member", "maintainer", "committer", "designer", "scientist", "specialist",
    "technician", "secondary", "shadow", "supervisor", "director", "vp", "cto", "ceo", "qa",
}
WE = {"we"}
# Verbs that describe a failure whenever a person is their agent.
FAILURE_VERBS = {
    "forget", "ignore", "neglect", "overlook", "skip", "bypass", "disregard", "botch", "mishandle",
    "misconfigure", "misread", "misjudge", "misunderstand", "mistype", "fumble", "skim", "circumvent",
    "rubber-stamp", "miss",
}
# Verbs of diligence: a failure when a person did not do them.
DILIGENCE_VERBS = {
    "follow", "check", "test", "read", "verify", "use", "update", "notice", "respond", "escalate", "look",
    "ask", "tell", "inform", "run", "review", "wait", "finish", "warn", "consult", "document", "remove",
    "monitor", "enforce", "confirm", "validate", "acknowledge", "answer", "reply", "coordinate",
    "communicate", "page", "notify", "report", "mention", "double-check", "plan", "prepare", "arrange",
    "bother", "pay", "heed", "investigate", "lower", "raise", "renew", "rotate", "hand", "fix", "roll",
    "revert", "restore", "backup", "consider", "think", "attend", "write", "add", "set",
}
# Ordinary actions that become a failure with a marker: "without review", "by mistake", "the wrong …".
ACTION_VERBS = {
    "delete", "drop", "remove", "run", "push", "merge", "deploy", "approve", "apply", "change", "modify",
    "edit", "restart", "reboot", "kill", "disable", "enable", "turn", "rotate", "bump", "rush", "ship",
    "release", "commit", "revert", "sign", "add", "make", "create", "kick", "launch", "publish", "switch",
    "rewrite", "acknowledge", "grant", "give", "share", "shut", "wipe", "truncate", "overwrite", "force",
    "roll", "execute", "trigger", "start", "stop", "upgrade", "install", "configure", "set", "raise",
    "lower", "increase", "decrease", "move", "copy", "paste", "type", "enter", "click", "select", "mark",
    "close", "silence", "mute", "snooze", "upload", "send", "post", "leave", "walk", "go",
}
IDIOMS = {("sit", "on"), ("wave", "through"), ("let", "slide"), ("shrug", "off"), ("brush", "off"),
          ("gloss", "over"), ("cut", "corners"), ("walk", "away"), ("wave", "off")}
WITHOUT_OBJECTS = {
    "review", "reviewing", "check", "checking", "test", "testing", "read", "reading", "approval", "telling",
    "warning", "asking", "waiting", "plan", "planning", "running", "looking", "verifying", "verification",
    "consulting", "notifying", "informing", "confirmation", "confirming", "following", "sign-off",
    "backup", "notice", "ticket", "announcing", "letting", "coordinating", "approve", "announce", "tell",
    "warn", "ask", "wait", "run", "look", "verify", "consult", "notify", "inform", "confirm", "follow",
    "coordinate", "let", "second", "peer", "dry", "rollback", "canary", "staging",
}
MARKER_ADVERBS = {
    "accidentally", "mistakenly", "inadvertently", "carelessly", "wrongly", "blindly", "quietly", "hastily",
    "recklessly", "unilaterally", "late", "prematurely", "casually", "lazily", "sloppily", "haphazardly",
}
MISS_NEUTRAL = {"deadline", "sla", "slo", "target", "window", "meeting", "train", "flight", "call", "standup",
                "goal", "estimate", "date", "milestone", "budget", "cutoff", "cut-off"}
PROD_RE = re.compile(r"(?:^| )(?:directly|straight) (?:to|on|onto|against|into|in) (?:the )?"
                     r"(?:prod|production|main|master|primary|live|trunk)(?= |$)")  # over lower-case words
# With a bare proper name as the agent (which may be software: "Travis fails to deploy"), only verbs
# that software does not do count.
HUMAN_ONLY = {"forget", "ignore", "neglect", "overlook", "disregard", "bypass", "skip", "misjudge",
              "misunderstand", "misread", "botch", "fumble", "bother", "stamp", "skim", "circumvent", "rush"}
HUMAN_ONLY_NEGATED = {"follow", "read", "tell", "inform", "ask", "bother", "notice", "escalate", "consult", "warn",
                      "review", "check", "test", "verify", "double-check", "wait", "look", "think", "pay", "finish",
                      "update", "document", "plan", "coordinate", "communicate", "use"}
HEAD_FAILURES = {"forget", "neglect", "fail", "omit", "bother", "decline", "refuse"}


KNOWN_THING_KEYS = ("names_gazetteer", "names_tech_nouns")


def known_things(analysis) -> set[str]:
    """Lower-cased names of software, services, companies and places from the rule packs' data."""
    cache = getattr(analysis, "_known_things", None)
    if cache is None:
        cache = set()
        for key in KNOWN_THING_KEYS:
            cache.update(str(v).lower() for v in analysis.ruleset.data.get(key, []))
        analysis._known_things = cache
    return cache


def name_like(tok, analysis) -> bool:
    """Could this word be a person's name as an agent? Decided without the parse (the first pass
    uses it too): capitalised but not an acronym, no digits, not a known system, not a stop word
    unless a first name ("Will"), not an English word capitalised only because it starts a sentence."""
    text = tok.text
    if not text[:1].isupper() or text.isupper() or any(ch.isdigit() for ch in text):
        return False
    low = tok.lower_
    if low in first_names(analysis):
        return True
    if low in known_things(analysis) or tok.is_stop:
        return False
    from blamelint.detectors.names import _starts_sentence

    return not (_starts_sentence(doc_text(tok.doc), tok.idx) and _ordinary_or_seen(low, analysis))


def _ordinary_or_seen(low: str, analysis) -> bool:
    from blamelint.detectors.names import _lexicon, _seen

    return _lexicon(analysis).ordinary(low) or low in _seen(analysis, [])


def _capitalised(doc) -> list:
    """Tokens that start with a capital, not acronyms or with digits (kept on the cached Doc)."""
    found = doc.user_data.get("blamelint_capitalised")
    if found is None:
        found = doc.user_data["blamelint_capitalised"] = [
            t for t in doc if t.text[:1].isupper() and not t.text.isupper() and not any(c.isdigit() for c in t.text)]
    return found


def first_names(analysis) -> set[str]:
    cache = getattr(analysis, "_first_names", None)
    if cache is None:
        cache = analysis._first_names = {str(v).lower() for v in analysis.ruleset.data.get("names_first_names", [])}
    return cache


def subject_of(verb, depth: int = 0):
    """The subject token of a verb (following coordination, relative clauses and passives)."""
    for c in verb.children:
        if c.dep_ == "nsubj":
            if c.lower_ in ("who", "that") and verb.dep_ == "relcl":
                return verb.head
            return c
    for c in verb.children:
        if c.dep_ == "agent":
            for p in c.children:
                if p.dep_ == "pobj":
                    return p
    if any(c.dep_ == "nsubjpass" for c in verb.children):
        return None  # a passive without "by …" has no agent
    if verb.dep_ == "acl" and verb.tag_ == "VBD" and verb.head.dep_ == "ROOT":
        return verb.head  # "The QA lead signed off …" parsed as a reduced relative clause
    if depth < 3 and verb.dep_ == "conj" and verb.head.pos_ in ("VERB", "AUX"):
        for c in verb.head.children:
            if c.dep_ == "nsubjpass":
                return c
    if depth < 3 and verb.dep_ in ("conj", "xcomp", "advcl") and verb.head.pos_ in ("VERB", "AUX"):
        if verb.dep_ == "advcl" and any(c.dep_ == "mark" for c in verb.children):
            return None  # "because he wanted …" has its own subject
        return subject_of(verb.head, depth + 1)
    if depth < 3 and verb.dep_ == "pcomp" and verb.head.dep_ == "prep":
        return subject_of(verb.head.head, depth + 1)
    return None


def person_kind(tok, analysis) -> str | None:
    """'name', 'role', 'pronoun', 'we' or None (a system or something unknown)."""
    if tok is None:
        return None
    low = tok.lower_
    if low in WE:
        return "we"
    if low in PERSON_PRONOUNS:
        return "pronoun"
    if low == "they":
        return "they"  # people or systems: only verbs software does not do count
    np = " ".join(t.lower_ for t in tok.subtree) if tok.i - tok.left_edge.i < 6 else low
    on_call = low in ("call", "oncall", "on-call") and ("on - call" in np or "on-call" in np or "oncall" in np)
    if tok.pos_ in ("NOUN", "PROPN", "ADJ") and (tok.lemma_.lower() in ROLE_NOUNS or low in ROLE_NOUNS or on_call):
        return "role"
    if tok.pos_ == "PROPN" or tok.ent_type_ == "PERSON":
        if not name_like(tok, analysis):
            return None
        if tok.ent_type_ in ("DATE", "TIME", "CARDINAL", "MONEY"):
            return None
        if any(c.dep_ == "compound" and c.lower_ in known_things(analysis) for c in tok.children):
            return None
        return "name"
    return None


def _negated(verb) -> bool:
    return any(c.dep_ == "neg" or c.lower_ in ("never",) for c in verb.children)


def _particle(verb) -> str | None:
    for c in verb.children:
        if c.dep_ == "prt":
            return c.lower_
    return None


def _marker(verb) -> bool:
    """Does the clause say how the action went wrong (without review, by mistake, the wrong …)?"""
    clause = list(_clause_tokens(verb))
    nested = set()
    for t in clause:
        if t is not verb and t.dep_ in ("relcl", "acl", "ccomp", "csubj", "pcomp") or (
                t.dep_ == "advcl" and any(c.dep_ == "mark" for c in t.children)):
            nested.update(x.i for x in t.subtree)
    clause = [t for t in clause if t.i not in nested]
    words = [t.lower_ for t in clause]
    for c in verb.children:
        if c.dep_ == "advmod" and c.lower_ in MARKER_ADVERBS:
            return True
        if c.dep_ == "prep" and c.lower_ == "by":
            if any(t.lower_ in ("hand", "mistake", "accident") for t in c.children):
                return True
    for t in clause:
        if t.lower_ == "without":
            following = [x for x in t.subtree if x.i > t.i and not x.is_punct and x.pos_ != "DET"][:2]
            if any(x.lower_ in WITHOUT_OBJECTS or x.lemma_.lower() in WITHOUT_OBJECTS for x in following):
                return True
    text = " ".join(words)  # word by word: "the wrongful", "old.tar.gz" are no markers
    if _words_in(r"(?:his|her|their) own|stale|outdated|out-of-date|wrong|incorrect|unreviewed|untested"
                 r"|unapproved|old", text):
        return True
    if verb.lemma_.lower() in ("approve", "review", "merge", "sign") and re.search(
            r"\bin (?:under |less than |about )?(?:a|one|two|three|four|five|\d+) (?:minute|minutes|seconds)\b", text):
        return True
    if re.search(r"\bbefore\b(?:\s+\S+){0,6}?\s+(?:review|reviewed|approval|approved|tests?|testing|tested|sign-off|"
                 r"checks?|checked|cleared|finished|completed)\b", text):
        return True
    if _words_in("the wrong|instead of|rather than|by mistake", text):
        return True
    span = " ".join(t.lower_ for t in verb.doc[clause[0].i: clause[-1].i + 1]) if clause else ""
    return bool(PROD_RE.search(span))


def _words_in(alternatives: str, text: str) -> bool:
    """Does one of the alternatives occur in text (words joined by single spaces) as whole words?"""
    return re.search(rf"(?:^| )(?:{alternatives})(?= |$)", text) is not None


def _clause_tokens(verb):
    """Tokens of the verb's clause, without coordinated clauses."""
    skip = set()
    for c in verb.children:
        if c.dep_ in ("conj", "cc") or (c.dep_ == "punct" and c.i > verb.i and c.text in ",;"):
            if c.dep_ == "conj" and c.pos_ not in ("VERB", "AUX"):
                continue
            skip.update(t.i for t in c.subtree)
    return [t for t in verb.subtree if t.i not in skip]


def failure(verb, analysis):
    """(kind, agent token) when a person is the agent of a failure at this verb, else None."""
    found = _failure(verb, analysis)
    if found is None or person_kind(found[1], analysis) != "name":
        return found
    kind = found[0]
    if found[1].ent_type_ == "PERSON" and kind != "fail" and not kind.startswith("not-"):
        return found  # the model calls it a person and the verb has a blame marker or is human-only
    lemma = kind[4:] if kind.startswith("not-") else kind
    if kind.startswith("not-") and lemma in HUMAN_ONLY_NEGATED or lemma in HUMAN_ONLY or kind == "should-have":
        return found
    if _name_is_person(found[1], analysis):
        return found
    return None


def _name_is_person(tok, analysis) -> bool:
    """The names detector's verdict: is this proper name a person mentioned in the document?"""
    from blamelint.detectors.names import people

    return any(m.unit.doc is tok.doc and m.a <= tok.idx < m.b for m in people(analysis))


DECISION_VERBS = {"agree", "decide", "choose", "opt", "plan", "vote", "elect", "prefer", "want", "intend"}
HYPOTHETICAL = {"can", "could", "may", "might", "will", "would", "shall", "ca", "wo"}


def _failure(verb, analysis):
    lemma = verb.lemma_.lower()
    agent = subject_of(verb)
    kind = person_kind(agent, analysis)
    if kind is None:
        return None
    negated = _negated(verb)
    if negated and verb.dep_ == "xcomp" and verb.head.lemma_.lower() in DECISION_VERBS:
        return None  # "engineers agreed not to update the config" is a decision, not a lapse
    if any(c.dep_ == "aux" and c.lower_ in HYPOTHETICAL for c in verb.children):
        return None  # "you can bypass the cooldown" describes a capability
    if negated and agent.dep_ == "pobj" and agent.head.dep_ == "agent":
        return None  # "the PR was not reviewed by another developer": nobody acted
    strong = kind in ("name", "role", "pronoun") or (
        kind == "we" and any(c.dep_ == "advmod" and c.lower_ in MARKER_ADVERBS for c in verb.children))
    if verb.dep_ == "xcomp" and verb.head.lemma_.lower() in HEAD_FAILURES:
        return None  # reported at the head verb ("forgot", "failed")
    if lemma in HEAD_FAILURES and any(c.dep_ == "xcomp" for c in verb.children):
        if lemma == "bother" and not negated:
            return None
        if lemma == "fail" and kind == "we":
            return ("fail", agent)
        return (lemma, agent) if strong or lemma in ("forget", "neglect", "bother") else None
    if lemma == "miss":
        obj = next((c for c in verb.children if c.dep_ == "dobj"), None)
        if obj is not None and obj.lemma_.lower() in MISS_NEUTRAL:
            return None
    if lemma in FAILURE_VERBS and not negated:
        return (lemma, agent) if strong or lemma in ("forget", "ignore", "neglect", "overlook") else None
    if (lemma, _particle(verb) or "") in IDIOMS or any((lemma, c.lower_) in IDIOMS for c in verb.children):
        return (lemma, agent) if strong else None
    if lemma == "stamp" and verb.i >= 2 and verb.nbor(-2).lower_ == "rubber":
        return (lemma, agent) if strong else None
    if lemma == "do" and any(c.dep_ == "dobj" and c.lower_ == "nothing" for c in verb.children):
        return (lemma, agent) if strong else None
    if lemma == "make" and any(c.dep_ == "dobj" and c.lemma_ in ("mistake", "error", "blunder") for c in verb.children):
        return (lemma, agent) if strong else None
    if negated and (lemma in DILIGENCE_VERBS or agent.lower_ in NEGATIVE_SUBJECTS):
        if lemma == "pay" and not any(c.lower_ == "attention" for c in verb.children):
            return None
        return ("not-" + lemma, agent) if strong else None
    if agent.lower_ in NEGATIVE_SUBJECTS and lemma in DILIGENCE_VERBS:
        return ("nobody", agent)
    if lemma in ACTION_VERBS and strong and _marker(verb):
        return (lemma, agent)
    if lemma == "think" and negated and strong:
        return (lemma, agent)
    return None


def _modal_perfect(verb) -> bool:
    aux = [c.lower_.replace("’", "'").replace("'ve", "have") for c in verb.children if c.dep_ == "aux"]
    if verb.dep_ == "xcomp" and verb.head.lower_ == "ought":
        return "have" in aux
    return "have" in aux and any(m in aux for m in ("should", "ought", "must"))


def clause_span(verb, agent) -> tuple[int, int]:
    toks = _clause_tokens(verb)
    if agent is not None and agent.i < verb.i:
        toks = [t for t in toks if t.i >= agent.left_edge.i] + list(agent.subtree)
    while toks and (max(toks, key=lambda t: t.i).is_punct or max(toks, key=lambda t: t.i).is_space):
        last = max(toks, key=lambda t: t.i)
        toks = [t for t in toks if t.i != last.i]
    while toks and min(toks, key=lambda t: t.i).is_space:  # a masked timestamp ("14:05 UTC:")
        first = min(toks, key=lambda t: t.i)
        toks = [t for t in toks if t.i != first.i]
    first = min(toks, key=lambda t: t.i)
    last = max(toks, key=lambda t: t.i)
    return first.idx, last.idx + len(last)


NEGATION_WORDS = {"not", "n't", "n’t", "nt", "never", "no", "nobody", "none", "nothing", "neither", "nor", "cannot"}
PROD_WORDS = {"prod", "production", "main", "master", "primary", "live", "trunk"}
BEFORE_WORDS = {"review", "reviewed", "approval", "approved", "test", "tests", "testing", "tested", "sign-off",
                "sign", "check", "checks", "checked", "cleared", "finished", "completed"}
AGENT_WORDS = WE | PERSON_PRONOUNS | NEGATIVE_SUBJECTS | {"they", "call", "oncall", "on-call"}
IDIOM_VERBS = {verb for verb, _ in IDIOMS}


def _maybe_marker(low: frozenset, lem: frozenset) -> bool:
    """Could `_marker` find a marker in this block? (Every condition it tests, loosened to words.)"""
    return bool(
        low & MARKER_ADVERBS
        or ("by" in low and low & {"hand", "mistake", "accident"})
        or ("without" in low and (low | lem) & WITHOUT_OBJECTS)
        or ("own" in low and low & {"his", "her", "their"})
        or low & {"stale", "outdated", "wrong", "incorrect", "unreviewed", "untested", "unapproved", "old",
                  "instead", "rather"}
        or (lem & {"approve", "review", "merge", "sign"} and "in" in low and low & {"minute", "minutes", "seconds"})
        or ("before" in low and low & BEFORE_WORDS)
        or (low & {"directly", "straight"} and low & PROD_WORDS))


def trigger(first) -> dict:
    """The pieces (sentences) with both a possible person agent and a verb that could make a
    failure of it: a finding's verb, its agent and all it reads lie in one parse tree, which lies
    in one piece. Entities are read only for a name-like agent."""
    from blamelint.analysis.triggers import Pieces

    out = {}
    seen = None
    for b in first.blocks:
        verb = b.doc.user_data.get("blamelint_agentive_verb")  # a function of the text alone
        if verb is None:
            verb = b.doc.user_data["blamelint_agentive_verb"] = _failure_verb_words(b.lowers, b.lemmas)
        if not verb:
            continue
        if seen is None:
            seen = _seen_words(first)
        names = [i for i, low in _name_like_words(b.doc, first) if low is None or low not in seen]
        if not (names or b.lowers & AGENT_WORDS or b.lemmas & ROLE_NOUNS):
            continue
        pieces = Pieces()
        for k, a, e, agent in _verb_pieces(b, first.lemmas):
            named = any(a <= i < e for i in names)
            if named or agent:
                pieces[k] = named
        if pieces:
            out[b.index] = pieces
    return out


def _verb_pieces(b, lemmas) -> list[tuple[int, int, int, bool]]:
    """(piece, its token range, has an agent word) for each piece of a first-pass block with a
    failure verb word (kept on the Doc: a function of the text alone)."""
    found = b.doc.user_data.get("blamelint_agentive_pieces")
    if found is None:
        found = []
        spans = b.pieces
        for k, (a, e) in enumerate(spans):
            low, lem = b.piece_words(k, lemmas) if len(spans) > 1 else (b.lowers, b.lemmas)
            if _failure_verb_words(low, lem):
                found.append((k, a, e, bool(low & AGENT_WORDS or lem & ROLE_NOUNS)))
        b.doc.user_data["blamelint_agentive_pieces"] = found
    return found


def _seen_words(first) -> frozenset:
    from blamelint.detectors.names import _seen

    return _seen(first, [])


def _name_like_words(doc, analysis) -> tuple:
    """`name_like` over a paragraph's capitalised words, with what the text fixes worked out once
    (kept on the cached Doc): (token index, None) for a word name-like whatever the rest of the
    document says, (token index, its lower form) for one that is name-like unless the document
    uses it in lower case."""
    key = ("blamelint_name_like", id(analysis.ruleset))
    found = doc.user_data.get(key)
    if found is not None:
        return found
    from blamelint.detectors.names import _lexicon, _starts_sentence

    found = []
    lex = _lexicon(analysis)
    text = doc.text  # (built anew at each access)
    for tok in _capitalised(doc):
        low = tok.lower_
        if low in first_names(analysis):
            found.append((tok.i, None))
        elif low in known_things(analysis) or tok.is_stop:
            continue
        elif not _starts_sentence(text, tok.idx):
            found.append((tok.i, None))
        elif not lex.ordinary(low):
            found.append((tok.i, low))
    found = doc.user_data[key] = tuple(found)
    return found


def _failure_verb_words(low: frozenset, lem: frozenset) -> bool:
    """Does the paragraph hold a verb that could make a failure of a person's action?"""
    return bool(
        lem & (FAILURE_VERBS | HEAD_FAILURES - {"fail"} | IDIOM_VERBS | {"stamp"})
        or ("fail" in lem and "to" in low)  # "fail" counts only with an xcomp: "failed to renew"
        or (lem & (DILIGENCE_VERBS | {"think"}) and low & NEGATION_WORDS)
        or (lem & ACTION_VERBS and _maybe_marker(low, lem))
        or (low & {"should", "ought", "must"} and low & {"have", "'ve", "’ve"})
        or ("do" in lem and "nothing" in low)
        or ("make" in lem and lem & {"mistake", "error", "blunder"}))


@detector("agentive_blame", needs=("tagger", "parser", "ner"), trigger=trigger, uses=("named_individual",))
def agentive_blame(rule, analysis):
    from blamelint.detectors.names import _seen

    seen = _seen(analysis, [])
    people_at = None
    for unit in analysis.units:
        doc = unit.doc
        verbs = _candidate_verbs(doc, analysis)
        if not verbs:
            continue
        if people_at is None:
            people_at = _people_spans(analysis)
        # what the unit's findings read from the rest of the document: which of its capitalised
        # words are used in lower case elsewhere (`name_like`), and which of its names the names
        # detector calls people (`_name_is_person`)
        context = (frozenset(t.lower_ for t in _capitalised(doc)) & seen, people_at.get(id(doc), frozenset()))
        yield from analysis.memo(("agentive", id(rule), context), unit,
                                 lambda unit=unit, verbs=verbs: _unit_findings(rule, analysis, unit, verbs))


def _people_spans(analysis) -> dict[int, frozenset]:
    from blamelint.detectors.names import people

    out: dict[int, set] = {}
    for m in people(analysis):
        out.setdefault(id(m.unit.doc), set()).add((m.a, m.b))
    return {k: frozenset(v) for k, v in out.items()}


def _unit_findings(rule, analysis, unit, verbs):
    for verb in verbs:
        found = failure(verb, analysis)
        if found and verb.sent.text.rstrip().endswith("?") and found[1].lower_ in (
                "anyone", "anybody", "nobody", "someone", "somebody", "we", "you"):
            continue  # "why didn't anyone notice?" belongs to the hindsight rules
        if found is None and _modal_perfect(verb):
            agent = subject_of(verb if verb.dep_ != "xcomp" else verb.head)
            if person_kind(agent, analysis) in ("name", "role") or (agent is not None and agent.lower_ in ("he", "she")):
                found = ("should-have", agent)
        if found is None:
            continue
        kind, agent = found
        if unit.block.kind == "heading" and person_kind(agent, analysis) == "name" and agent.ent_type_ != "PERSON":
            continue  # Title Case headings make every word look like a name
        a, b = clause_span(verb, agent)
        confidence = 0.9 if person_kind(agent, analysis) in ("role", "pronoun") else 0.8
        fixes = rewrite(verb, agent, kind, unit, analysis, rule)
        yield analysis.finding(rule, unit, a, b, fixes=fixes, confidence=confidence)


def _candidate_verbs(doc, analysis) -> list:
    """The verbs whose subject could be a person (kept on the Doc, which is cached per text):
    a superset of what `person_kind` accepts that reads nothing outside the paragraph."""
    found = doc.user_data.get("blamelint_agentive_verbs")
    if found is None:
        found = doc.user_data["blamelint_agentive_verbs"] = [
            v.i for v in doc
            if (v.pos_ in ("VERB", "AUX") or v.tag_ in ("VBD", "VBZ", "VBP", "VBN", "VBG")) and (
                _maybe_person(subject_of(v), analysis)
                or (_modal_perfect(v) and _maybe_person(subject_of(v if v.dep_ != "xcomp" else v.head), analysis)))]
    return [doc[i] for i in found]


def _maybe_person(tok, analysis) -> bool:
    if tok is None:
        return False
    low = tok.lower_
    if low in WE or low in PERSON_PRONOUNS or low in ("they", "call", "oncall", "on-call"):
        return True
    if tok.pos_ in ("NOUN", "PROPN", "ADJ") and (tok.lemma_.lower() in ROLE_NOUNS or low in ROLE_NOUNS):
        return True
    text = tok.text  # name_like without the document-wide part
    if not text[:1].isupper() or text.isupper() or any(ch.isdigit() for ch in text):
        return False
    return low in first_names(analysis) or not (low in known_things(analysis) or tok.is_stop)


# ---------------------------------------------------------------- rewriting


def _inflect(lemma: str, tag: str) -> str | None:
    try:
        from lemminflect import getInflection
    except ImportError:  # pragma: no cover - a declared dependency
        return None
    forms = getInflection(lemma, tag=tag)
    return forms[0] if forms else None


AGENTLESS = {
    "ignore": "{obj} {was} not acted on",
    "disregard": "{obj} {was} not acted on",
    "overlook": "{obj} went unnoticed",
    "miss": "{obj} went unnoticed",
    "skim": "{obj} {was} only skimmed",
    "neglect": "{obj} {was} neglected",
}


def rewrite(verb, agent, kind, unit, analysis, rule) -> list[Fix]:
    """An agentless rewrite of the clause when its shape is simple; else a suggestion only."""
    hint = Fix(title="Rewrite with the system or process as the subject, or describe the event without an agent")
    try:
        text = _agentless(verb, agent, kind)
    except NoRewrite:
        return [hint]
    a, b = clause_span(verb, agent)
    start, end = unit.block.source_span(a, b)
    verbatim = end - start == b - a and analysis.document.source[start:end] == unit.block.text[a:b]
    sentence_start = agent.left_edge.i == verb.sent.start
    if sentence_start:
        text = text[0].upper() + text[1:]
    return [Fix(title=f"Rewrite as “{text}”", edits=[Edit(start, end, text)], safe=verbatim), hint]


class NoRewrite(Exception):
    pass


NOUN_PREPS = {"of", "about", "on", "for", "from"}


def core_tokens(noun) -> list:
    """The object noun phrase; prepositional phrases that usually modify the verb stay outside."""
    toks = [t for t in noun.subtree if t.i <= noun.i]
    for c in noun.rights:
        if c.dep_ == "prep" and c.lower_ not in NOUN_PREPS:
            break
        toks.extend(c.subtree)
    return sorted(toks, key=lambda t: t.i)


def agentless_text(verb, agent, head=None) -> str:
    """The agentless form of a "should have" clause ("the bug was not caught")."""
    return _agentless(head if head is not None else verb, agent, "should-have", target=verb)


def _agentless(verb, agent, kind, target=None) -> str:
    if agent is None or agent.i > verb.i or verb.dep_ not in ("ROOT", "conj", "advcl", "ccomp"):
        raise NoRewrite
    if agent.head.i != verb.i or agent.dep_ != "nsubj":
        raise NoRewrite  # the subject belongs to another clause; rewriting would drop it
    if any(c.dep_ in ("conj",) and c.pos_ in ("VERB", "AUX") for c in verb.children):
        raise NoRewrite
    target = target if target is not None else verb
    negate = kind.startswith("not-") or kind in ("forget", "neglect", "fail", "bother", "should-have", "omit")
    if kind in ("forget", "neglect", "fail", "bother", "omit"):
        target = next((c for c in verb.children if c.dep_ == "xcomp"), None)
        if target is None:
            raise NoRewrite
        if kind == "bother":
            negate = True
    obj = next((c for c in target.children if c.dep_ == "dobj"), None)
    if obj is None or obj.lower_ in ("him", "her", "me", "us", "you", "himself", "herself", "themselves", "one",
                                     "something", "anything", "nothing", "everything"):
        raise NoRewrite
    if any(c.dep_ in ("dative", "ccomp", "xcomp") for c in target.children) or sum(
            c.dep_ == "dobj" for c in target.children) > 1:
        raise NoRewrite
    obj_toks = core_tokens(obj)
    obj_text = verb.doc[obj_toks[0].i: obj_toks[-1].i + 1].text
    obj_text = {"it": "it", "them": "they", "this": "this", "that": "that"}.get(obj.lower_, obj_text)
    if any(t.dep_ == "relcl" and t.head.i == obj.i and verb.doc[t.left_edge.i - 1].text == "," for t in obj_toks):
        obj_text += ","  # close a non-restrictive clause: "The checklist, which says …, was skipped"
    plural = obj.tag_ in ("NNS", "NNPS") or obj.lower_ == "them" or any(c.dep_ == "conj" for c in obj.children)
    present = (verb.tag_ in ("VBZ", "VBP") or any(c.lower_ in ("does", "do") for c in verb.children))
    was = ("are" if plural else "is") if present else ("were" if plural else "was")
    rest_toks = [t for t in _clause_tokens(target) if t.i > obj_toks[-1].i and t.dep_ != "prt"
                 and t.lower_ not in ("himself", "herself", "themselves", "myself")]
    if rest_toks and rest_toks[0].i != obj_toks[-1].i + 1 and not verb.doc[obj_toks[-1].i + 1].dep_ == "prt":
        raise NoRewrite  # something was left out between the object and the rest
    between = [t for t in _clause_tokens(target) if target.i < t.i < obj_toks[0].i and t.dep_ != "prt"]
    if between:
        raise NoRewrite
    while rest_toks and rest_toks[-1].is_punct:
        rest_toks.pop()
    if rest_toks and rest_toks[-1].i - rest_toks[0].i + 1 != len(rest_toks):
        raise NoRewrite
    rest = verb.doc[rest_toks[0].i: rest_toks[-1].i + 1].text if rest_toks else ""
    lemma = target.lemma_.lower()
    if lemma in ("make", "do"):
        raise NoRewrite
    if lemma in AGENTLESS and not negate:
        core = AGENTLESS[lemma].format(obj=obj_text, was=was)
        if rest and core.rsplit(" ", 1)[-1] == rest.split(" ", 1)[0]:
            raise NoRewrite  # "acted on on …": the parse attached the object's phrase to the verb
    else:
        participle = _inflect(lemma, "VBN")
        if not participle and target.tag_ in ("VBD", "VBN") and target.lower_.endswith("ed"):
            participle = target.lower_  # a regular verb the lexicon does not know: the past is the participle
        if not participle:
            raise NoRewrite
        prt = _particle(target)
        never = any(c.lower_ == "never" for c in verb.children) or any(c.lower_ == "never" for c in target.children)
        neg = "never" if never else "not" if negate else ""
        core = " ".join(x for x in (obj_text, was, neg, participle, prt) if x)
    if not rest:
        return core
    return core + ("" if rest[0] in ",;:." else " ") + rest
