"""The sentence's evidence that a mention is a person: its grammatical role, titles and role words
around it, a pronoun that points back to it, a label that lists people. Each cue adds its weight
(`weights`) to the mention's score, in the order of `add_context`."""

from __future__ import annotations

import re

from blamelint.analysis.lexicon import Lexicon
from blamelint.detectors.names import weights
from blamelint.detectors.names.mention import Mention, namey
from blamelint.detectors.names.syntax import (
    AGENT_VERBS,
    AUTOMATION_VERBS,
    OBJECT_VERBS,
    STRONG_VERBS,
    SYSTEM_VERBS,
    TALK_VERBS,
    coordinated_subject,
    determined,
    has_object,
    human_subject,
    role_complement,
    subject_verb_token,
    verb_of,
)
from blamelint.rules.words import words

WORDS = words("names")
TITLES = WORDS["titles"]
PRONOUNS = WORDS["pronouns"]
LABEL_WORDS = WORDS["label_words"]
POSSESSIVE_MARKS = ("'s", "’s", "'", "’")


def person_cue(tok) -> bool:
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


def add_context(m: Mention, first, last, head, sdoc, text: str, lex: Lexicon) -> None:
    """Add sentence evidence to a name or handle mention (its tokens first … last, headed by head)."""
    prev = sdoc[first.i - 1] if first.i else None
    prev2 = sdoc[first.i - 2] if first.i > 1 else None
    nxt = sdoc[last.i + 1] if last.i + 1 < len(sdoc) else None
    nxt2 = sdoc[last.i + 2] if last.i + 2 < len(sdoc) else None

    _grammar_cues(m, head, nxt, lex)
    if m.kind == "name":  # "X and Y split the work": unknown capitalised words coordinated as people
        coord = coordinated_subject(first, last, sdoc, lex)
        if coord is not None:
            m.add(weights.COORDINATED_SUBJECT, f"coordinated subject of '{coord}'")
    if nxt is not None and nxt.text in POSSESSIVE_MARKS:
        _possessive_cue(m, nxt, sdoc, lex)
    _role_before_cues(m, prev, prev2, nxt, lex)
    _role_after_cues(m, nxt, nxt2, sdoc, text, lex)
    if prev is not None and prev.lower_ == "to" and prev2 is not None and prev2.lower_ in ("thanks", "kudos", "credit"):
        m.add(weights.THANKS_TO, f"'{prev2.lower_} to'")
    if nxt is not None and nxt.lower_ == "from" and any(
        t.lower_ in ("team", "squad", "group", "org", "department", "side") for t in sdoc[nxt.i + 1:nxt.i + 6]
    ):
        m.add(weights.FROM_A_TEAM, "from a team")
        m.explicit = True
        m.team_member = True
    _pronoun_cue(m, last, sdoc, lex)
    _label_cue(m, text, lex)


def _grammar_cues(m: Mention, head, nxt, lex: Lexicon) -> None:
    """The mention's place in the parse: subject, "according to", object, agent or prepositional object."""
    if nxt is not None and nxt.text == ":" and m.kind == "name":
        verb, position = None, "label"
    else:
        verb, position = verb_of(head)
    m.position = position
    if position == "subject" and verb:
        _subject_cues(m, verb, head, lex)
        m.grammatical = True
    elif position == "according":
        m.verb = "according"
        m.add(weights.ACCORDING_TO, "according to")
        m.explicit = True
        m.grammatical = True
    elif position in ("object", "agent", "pobj"):
        _object_cues(m, position, verb, head, lex)
        m.grammatical = True


def _subject_cues(m: Mention, verb: str, head, lex: Lexicon) -> None:
    """The subject of a verb people do (or programs do), or of "be the incident commander"."""
    verb_tok = subject_verb_token(head)
    m.verb = verb
    role = role_complement(verb_tok, verb, lex) if verb_tok is not None else None
    if verb in STRONG_VERBS:
        m.add(weights.SUBJECT_OF_STRONG_VERB, f"subject of '{verb}'")
    elif verb in AGENT_VERBS and verb_tok is not None and has_object(verb_tok):
        m.add(weights.SUBJECT_OF_AGENT_VERB, f"subject of '{verb}' with an object")
    elif verb in AUTOMATION_VERBS and verb_tok is not None and has_object(verb_tok):
        m.add(weights.SUBJECT_OF_AUTOMATION_VERB, f"subject of '{verb}' with an object")
    elif verb in SYSTEM_VERBS and not role:
        m.add(weights.SUBJECT_OF_SYSTEM_VERB, f"subject of system verb '{verb}'")
    elif verb in ("respond", "reply", "answer", "return"):
        m.add(weights.SUBJECT_OF_REPLY_VERB, f"subject of '{verb}'")
    elif verb not in ("be", "have"):
        m.add(weights.SUBJECT_OF_OTHER_VERB, f"subject of '{verb}'")
    if role is not None:
        m.add(weights.ROLE_COMPLEMENT, f"is the '{role}'")  # "X was the incident commander", "X acted as IC"
    said = _person_adjective(verb_tok, lex) if verb_tok is not None else None
    if said is not None:
        m.add(weights.PERSON_ADJECTIVE, f"described as '{said}'")  # "X needs to be more careful"


def _person_adjective(verb_tok, lex: Lexicon) -> str | None:
    """The adjective said of the subject when only a person is it: "X was careless", "X needs to be
    more careful" (a plain "careful" or "cautious" is said of software too: "Hugo is careful to
    escape HTML")."""
    for v in (verb_tok, *(c for c in verb_tok.children if c.dep_ == "xcomp")):
        for c in v.children:
            if c.dep_ == "acomp" and c.lower_ in lex.person_adjectives and (c.lower_ not in PRAISE or any(
                    g.dep_ == "advmod" and g.lower_ in ("more", "extra") for g in c.children)):
                return c.lower_
    return None


# adjectives software documentation uses too ("careful to escape", "cautious defaults"): a person's
# only when asked for more of it ("needs to be more careful")
PRAISE = {"careful", "cautious", "diligent", "vigilant", "attentive", "mindful", "conscientious", "thoughtful"}


def _object_cues(m: Mention, position: str, verb: str | None, head, lex: Lexicon) -> None:
    """The agent of a passive, the object of a verb done to people ("paged X"), "talked to X"."""
    prep = head.head.lower_
    if position == "agent" and verb in AGENT_VERBS | STRONG_VERBS | AUTOMATION_VERBS:
        m.verb = verb
        m.add(weights.AGENT_OF_VERB, f"agent of '{verb}'")
    elif position == "object" and verb in OBJECT_VERBS:
        m.add(weights.OBJECT_OF_VERB, f"object of '{verb}'")
        m.object_verb = verb
    elif position == "pobj" and verb in OBJECT_VERBS and prep in ("to", "with"):
        m.add(weights.OBJECT_OF_VERB_PREP, f"'{verb} {prep}'")
        m.object_verb = verb
    elif position == "pobj" and verb in TALK_VERBS and prep in ("to", "with") and human_subject(head.head.head, lex):
        m.add(weights.TALKED_TO, f"'{verb} {prep}'")  # "after talking to X, the team …"
        m.object_verb = verb


def _possessive_cue(m: Mention, mark, sdoc, lex: Lexicon) -> None:
    """"Raj's laptop": a possessive, raised when what it owns is something people own."""
    owned = None
    for t in sdoc[mark.i + 1:min(mark.i + 4, mark.sent.end)]:
        if t.pos_ in ("NOUN", "PROPN"):
            owned = t
            break
    m.position = "possessive"
    m.grammatical = True
    if owned is not None and owned.lower_ in lex.person_nouns:
        m.add(weights.OWNS_PERSONAL_THING, f"owns a '{owned.lower_}'")


def _role_before_cues(m: Mention, prev, prev2, nxt, lex: Lexicon) -> None:
    """A title or a role word before the name: "Dr. X", "intern X", "our intern, X", "the IC (X)"."""
    if prev is None:
        return
    if prev.text.rstrip(".").capitalize() == prev.text.rstrip(".") and prev.lower_.rstrip(".") + "." in TITLES:
        m.add(weights.TITLE, "title")
        m.explicit = True
        m.titled = True
    if prev.lower_ in lex.role_words:
        m.add(weights.AFTER_ROLE, f"after role '{prev.lower_}'")
        m.appositive = ("space", prev)
    elif prev.text == "," and prev2 is not None and prev2.lower_ in lex.role_words \
            and determined(prev2) and (nxt is None or nxt.text in (",", ".", ";", ")") or nxt.pos_ in ("VERB", "AUX")):
        m.add(weights.ROLE_APPOSITIVE_BEFORE, f"appositive of '{prev2.lower_}'")
        m.explicit = True
        m.appositive = ("comma", prev)
    elif prev.text == "(" and prev2 is not None and (
        prev2.lower_ in lex.role_words or prev2.lower_ in ("call", "i", "me", "we") or prev2.lower_ in LABEL_WORDS
    ) and nxt is not None and nxt.text == ")":
        m.add(weights.IN_PARENS_AFTER_ROLE, "in parentheses after a role")
        m.explicit = True
        m.appositive = ("paren", prev)


def _role_after_cues(m: Mention, nxt, nxt2, sdoc, text: str, lex: Lexicon) -> None:
    """A role after the name: "X (SRE)", "X, who …", "X, our intern"."""
    if nxt is not None and nxt.text == "(":
        inner, close = [], None
        for t in sdoc[nxt.i + 1:nxt.i + 6]:
            if t.text == ")":
                close = t
                break
            inner.append(t.lower_)
        if inner and any(x in lex.role_words or x in LABEL_WORDS for x in inner):
            m.add(weights.ROLE_IN_PARENS, "role in parentheses")
            if close is not None and any(x in lex.role_words for x in inner):
                m.paren_role = (close.idx + 1, text[nxt.idx + 1:close.idx].strip())
    if nxt is not None and nxt.text == "," and nxt2 is not None:
        if nxt2.lower_ == "who":
            m.add(weights.WHO_CLAUSE, "', who'")
        elif sdoc[nxt.i - 1].tag_ == "RB" and sdoc[nxt.i - 1].lower_.endswith("ly"):
            pass  # "Sadly, our release manager …": a sentence adverb before the subject
        elif nxt2.lower_ in ("our", "the", "a", "an", "their", "my") and any(
            t.lower_ in lex.role_words for t in sdoc[nxt2.i + 1:nxt2.i + 4]
        ):
            m.add(weights.ROLE_APPOSITIVE_AFTER, "followed by a role appositive")
            m.explicit = True


def _pronoun_cue(m: Mention, last, sdoc, lex: Lexicon) -> None:
    """"he" or "she" later in the same sentence (or opening the next), before another person."""
    scope = list(sdoc[last.i + 1:last.sent.end]) if m.position not in ("label", "other") else []
    if scope and last.sent.end < len(sdoc):
        following = sdoc[last.sent.end]
        if following.lower_ in ("he", "she"):
            scope.append(following)
    for t in scope:
        if t.lower_ in PRONOUNS and t.pos_ == "PRON":
            m.add(weights.PRONOUN, f"pronoun '{t.lower_}'")
            break
        if (t.ent_type_ == "PERSON" and namey(t.text) and t.lower_ not in lex.gazetteer) or (
            t.text.startswith("@") and len(t.text) > 1
        ):
            break


def _label_cue(m: Mention, text: str, lex: Lexicon) -> None:
    """"On-call rotation: Ines Duarte (primary), Tadeusz Wrona (secondary)": listed under a role label."""
    colon = text.find(":")
    if not 0 < colon < m.a or colon >= 60:
        return
    label = text[:colon].lower()
    if any(x in LABEL_WORDS or x in lex.role_words for x in re.findall(r"[a-z-]+", label)):
        rest = re.sub(r"@[\w.-]+|\([^()]*\)", "", text[colon + 1:m.a])
        if re.fullmatch(r"[\s\w.'’()@,&/-]*", rest) and not re.search(r"\b[a-z]{4,}\b", rest.replace("and", "")):
            m.add(weights.LISTED_UNDER_ROLE, "listed under a role label")
            m.label_list = True
            m.explicit = True
