"""What the parse says about a name's place in its sentence: the verb it is the subject or object
of, a role it is given ("X was the incident commander"), a coordination of names ("X and Y split
the work"). Repairs the parse of terse timeline entries ("14:10 Dagny rolls back")."""

from __future__ import annotations

import re

from blamelint.analysis.grammar import lemma, sentence_initial
from blamelint.analysis.lexicon import ORDINARY, Lexicon
from blamelint.detectors.names.mention import namey
from blamelint.rules.words import words

WORDS = words("names")
STRONG_VERBS = WORDS["strong_verbs"]
AGENT_VERBS = WORDS["agent_verbs"]
AUTOMATION_VERBS = WORDS["automation_verbs"]
SYSTEM_VERBS = WORDS["system_verbs"]
OBJECT_VERBS = WORDS["object_verbs"]
COORD_VERBS = WORDS["coord_verbs"]
TALK_VERBS = WORDS["talk_verbs"]
SOFTWARE_ROLES = WORDS["software_roles"]
TIME_PREPS = WORDS["time_preps"]
DETERMINERS = WORDS["determiners"]
ACTOR_VERBS = STRONG_VERBS | AGENT_VERBS | AUTOMATION_VERBS
LINKING_ADVERBS = ("then", "quickly", "immediately", "also", "never", "finally")  # "Dagny then rolls back"


def verb_lemma(tok) -> str:
    """`grammar.lemma`, also for a verb the tagger calls a plural noun ("pings")."""
    if tok.tag_ == "NNS":
        w = tok.lower_
        for stem in (w[:-1], w[:-2]):
            if stem in ACTOR_VERBS:
                return stem
    return lemma(tok)


def conj_root(tok):
    """The first conjunct of "Carlos and Hannah"; None in a list of things ("the console, Grafana, Jira")."""
    t = tok
    while t.dep_ == "conj" and t.head.i != t.i and t.head.pos_ in ("PROPN", "NOUN", "X"):
        t = t.head
        if not (namey(t.text) or t.text.startswith("@")):
            return None
    return t


def verb_of(tok):
    """(lemma, position) for the token heading a name or handle."""
    t = conj_root(tok)
    if t is None:
        return None, "other"
    if t.dep_ in ("nsubj", "nsubjpass") and t.head.pos_ in ("VERB", "AUX"):
        found = lemma(t.head)
        return (found if t.dep_ == "nsubj" else None), "subject"
    if t.dep_ in ("dobj", "dative"):
        return lemma(t.head), "object"
    prev = tok.doc[tok.i - 1] if tok.i else None
    if prev is not None and prev.pos_ == "VERB" and prev.tag_ != "VBG" and t.dep_ in ("xcomp", "oprd", "ccomp", "npadvmod") \
            and lemma(prev) in OBJECT_VERBS:
        return lemma(prev), "object"  # "messaged Tsering about …" parsed as a complement
    if time_prefixed(tok):
        nxt = next_verb(tok)
        if nxt is not None:  # "At 14:02 Ingrid paged …": the parser reads the name as the time's object
            return verb_lemma(nxt), "subject"
    if t.dep_ == "pobj":
        prep = t.head
        if prep.lower_ == "to" and prep.head.lower_ == "according":
            return "according", "according"
        if prep.dep_ == "agent":
            return lemma(prep.head), "agent"
        return lemma(prep.head) if prep.head.pos_ == "VERB" else None, "pobj"
    # parse failures on terse timeline entries: "Leilani publishes ...", "14:10 Dagny rolls back"
    nxt = _after_adverb(tok)
    if nxt is not None and verbish(nxt):
        return verb_lemma(nxt), "subject"
    return None, "other"


def _after_adverb(tok):
    """The token after tok, skipping one linking adverb ("Dagny then rolls back")."""
    doc = tok.doc
    nxt = doc[tok.i + 1] if tok.i + 1 < len(doc) else None
    if nxt is not None and nxt.lower_ in LINKING_ADVERBS:
        nxt = doc[nxt.i + 1] if nxt.i + 1 < len(doc) else None
    return nxt


def time_prefixed(tok) -> bool:
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


def next_verb(tok):
    nxt = _after_adverb(tok)
    return nxt if nxt is not None and verbish(nxt) else None


def verbish(tok) -> bool:
    """A finite verb after a name, also when the tagger calls it a plural noun in a terse timeline entry
    ("10:11 Matías pings @ana.k")."""
    if (tok.pos_ == "VERB" or tok.tag_ in ("VBZ", "VBD")) and tok.tag_ != "VBG":
        return True
    if tok.tag_ == "NNS" and tok.is_lower and tok.i > 0 and sentence_initial(tok.doc[tok.i - 1]):
        w = tok.lower_
        stems = {w[:-1], w[:-2]} if w.endswith("es") else {w[:-1]}
        return bool(stems & ACTOR_VERBS)
    return False


def has_object(verb_tok) -> bool:
    if verb_tok.dep_ == "relcl":  # "the script Fenna wrote"
        return True
    return any(c.dep_ in ("dobj", "prt", "dative", "oprd") for c in verb_tok.children)


def subject_verb_token(tok):
    """The verb a name is the subject of (as `verb_of` reads it), or None."""
    t = conj_root(tok)
    if t is None:
        return None
    if t.dep_ == "nsubj" and t.head.pos_ in ("VERB", "AUX"):
        return t.head
    nxt = _after_adverb(tok)
    if nxt is not None and verbish(nxt):
        return nxt
    return None


def role_complement(verb_tok, verb: str, lex: Lexicon) -> str | None:
    """The role noun in "X was the incident commander", "X is our IC", "X served as on-call engineer"."""
    cands = []
    if verb == "be":
        cands = [c for c in verb_tok.children if c.dep_ in ("attr", "acomp")]
    elif verb in ("serve", "act", "stay", "remain", "become", "take"):
        cands = [g for c in verb_tok.children if c.dep_ == "prep" and c.lower_ == "as"
                 for g in c.children if g.dep_ == "pobj"]
    for c in cands:
        word = c.lower_
        if word in lex.role_words and word not in SOFTWARE_ROLES and c.pos_ in ("NOUN", "PROPN", "ADJ"):
            return word
    return None


def human_subject(verb, lex: Lexicon) -> bool:
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
            return namey(subj.text) and w not in lex.gazetteer and not lex.common(w) and w not in lex.tech_nouns
        if t.head.i == t.i:
            break
        t = t.head
    return True  # "Talked to X about the rollback." (a terse note: the writer talked)


def coordinated_subject(first, last, sdoc, lex: Lexicon) -> str | None:
    """The verb of "X and Y <verb>" when every conjunct is an unknown capitalised word (not software, not an
    English word) and the verb is something people do; None otherwise."""

    def namelike(t) -> bool:
        w = t.lower_
        if not namey(t.text) or w in lex.gazetteer or w in lex.tech_nouns or t.is_stop:
            return False
        if t.ent_type_ in ("PRODUCT", "DATE", "TIME", "LAW", "MONEY"):
            return False
        # "Tom" is also a noun: a rare English word the model calls a PERSON still counts
        return not lex.common(w) or (t.ent_type_ == "PERSON" and lex.common(w) < ORDINARY)

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
    if all(t.ent_type_ == "ORG" for t in sdoc[i:j + 1] if namey(t.text)):
        return None  # the model reads every conjunct as an organisation
    # the coordination opens its clause: sentence start, after a comma or a leading time
    start = sdoc[i]
    before = sdoc[i - 1] if i else None
    if not (before is None or start.is_sent_start or before.text in (",", ";", ":", "—", "–")
            or sentence_initial(start) or time_prefixed(start)):
        return None
    verb = next_verb(sdoc[j])
    if verb is None:
        aux = sdoc[j + 1] if j + 1 < len(sdoc) else None
        if aux is not None and aux.lower_ in ("both", "together", "jointly") and aux.i + 1 < len(sdoc):
            verb = sdoc[aux.i + 1] if verbish(sdoc[aux.i + 1]) else None
    if verb is None:
        return None
    found = verb_lemma(verb)
    if found in SYSTEM_VERBS:
        return None
    if found == "work" and not any(c.lower_ in ("through", "on", "together", "late", "overnight", "until", "alongside")
                                   for c in verb.children):
        return None  # "worked through the night", not "worked fine again"
    if found in STRONG_VERBS or found in COORD_VERBS or (found in AGENT_VERBS and has_object(verb)):
        return found
    return None


def determined(tok) -> bool:
    """"our intern", "Arvid's new reviewer", "the on-call engineer": a role noun with a determiner."""
    for t in reversed(list(tok.doc[max(0, tok.i - 4):tok.i])):
        if t.lower_ in DETERMINERS or t.text in ("'s", "’s", "'", "’") or t.pos_ == "PRON":
            return True
        if t.pos_ not in ("ADJ", "NOUN", "PROPN", "PUNCT") or t.text in (",", ".", ";", ":", "!", "?"):
            return False  # (never past the end of the sentence before)
    return False
