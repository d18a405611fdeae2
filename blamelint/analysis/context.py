"""Context guards: named checks on the parse around a rule's match that say the words are used in
a sense the rule is not about (the purpose of a concrete action, a safeguard as the subject of a
counterfactual that argues for a follow-up, a question in a list of questions). A data rule lists them under `match: unless:`.

Each guard takes the unit (its block), the parsed Doc, the match's start and end in the block's prose and the
document's source, and returns True when the match should be dropped."""

from __future__ import annotations

import re
from collections.abc import Callable

from blamelint.analysis.grammar import auxiliaries, subject_of
from blamelint.rules.words import words

_AGENTIVE = words("agentive")
ROLE_NOUNS = _AGENTIVE["role_nouns"]
PEOPLE = {"we", "i", "you", "he", "she", "us", "someone", "somebody", "anyone", "anybody", "nobody",
          "everyone", "everybody", "whoever", "team", "teams", "people", "person", "one"}
# verbs whose to-infinitive is the thing asked for, not the purpose of something else
WANTING = {"need", "want", "have", "try", "plan", "aim", "intend", "hope", "strive", "seek", "commit", "continue",
           "work", "start", "begin", "go", "expect", "like", "decide", "agree", "promise", "be", "must", "should",
           "endeavour", "endeavor", "look", "wish", "mean", "ought", "resolve", "pledge", "vow"}
DETECTING = {"detect", "catch", "spot", "notice", "alert", "flag", "surface", "reveal", "expose", "isolate"}
ENABLING = {"allow", "enable", "let", "help", "permit"}
APPEAL_GERUNDS = {"work", "focus", "foster", "try", "cultivate", "promote", "encourage", "be", "strive", "build",
                  "create", "instil", "instill", "embrace", "prioritise", "prioritize", "invest", "take"}


def _concrete_gerund(subject) -> bool:
    """"Upgrading the client to 2.4 (will improve …)": a concrete act as the subject, whose effect
    the sentence states; not "Working harder", "Fostering a culture of ownership"."""
    if subject.dep_ != "csubj" or subject.tag_ != "VBG":
        return False
    lem = subject.lemma_.lower()
    return lem not in APPEAL_GERUNDS and lem not in VAGUE_HEADS and any(c.dep_ == "dobj" for c in subject.children)


def _vague_lead(sent) -> bool:
    """Does the sentence open with a vague action as a gerund ("Refining …", "Improving …"), which
    the small model often tags as a noun?"""
    word = next((t for t in sent if t.is_alpha), None)
    return word is not None and word.lower_ in VAGUE_GERUNDS


DIRECTING = {"coach", "train", "tell", "ask", "remind", "encourage", "require", "expect", "instruct", "urge", "teach"}
VAGUE_HEADS = {"refine", "improve", "enhance", "strengthen", "review", "revisit", "rethink", "streamline", "optimise",
               "optimize", "evolve", "mature", "formalise", "formalize"}  # actions no purpose makes concrete
VAGUE_GERUNDS = {(h[:-1] if h.endswith("e") else h) + "ing" for h in VAGUE_HEADS}  # all regular
RATIONALE_SUBJECTS = {"this", "that", "it", "which", "these", "those", "doing", "both"}
READERS_RE = re.compile(r"\b(?:Q\s*&\s*A|Q\s*and\s*A|FAQs?|frequently\s+asked|questions\s+(?:and|&)\s+answers"
                        r"|questions\s+from\s+(?:our\s+)?(?:customers|users|readers|the\s+community)"
                        r"|(?:customer|user|reader|community)s?['’]?\s+questions)\b", re.I)
# a "why" question in the writer's voice (a Five Whys step), not a reader's ("Why did my build fail?")
WRITERS_WHY_RE = re.compile(r"\W*why\b(?![^?]*\b(?:I|my|me|you|your)\b)", re.I)
ASKED_RE = re.compile(r"\s*(?:Q|Question)\s*[:.]", re.I)
# a list that names what a change done or described before it brings
LEAD_IN_RE = re.compile(r"\bto\s+(?:provide|gain|get|give|bring|achieve|enable|allow)\b[^:]*:\s*$"
                        r"|\b(?:benefits?|advantages?|gains?)\b[^:]*:\s*$", re.I)
LIST_LINE_RE = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s")
QUESTION_ITEM_RE = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+(?:\*\*|__)?[^\n]*\?\s*(?:\*\*|__)?\s*$")


def _tokens(doc, a: int, b: int) -> list:
    return [t for t in doc if a <= t.idx < b]


def _head(doc, a: int, b: int):
    """The match's syntactic head: its token whose head lies outside it (or is itself)."""
    toks = _tokens(doc, a, b)
    if not toks:
        return None
    ids = {t.i for t in toks}
    for t in toks:
        if t.head.i not in ids or t.head is t:
            return t
    return toks[0]


def _verb(tok, steps: int = 8):
    """The verb a token belongs to: itself, or the first verb above it."""
    while tok is not None and steps:
        if tok.pos_ in ("VERB", "AUX") and tok.dep_ not in ("amod", "compound"):
            return tok
        if tok.head is tok:
            return None
        tok, steps = tok.head, steps - 1
    return None


def purpose(unit, doc, a: int, b: int, source: str) -> bool:
    """The match is the purpose or expected effect of a concrete action, not an action itself:
    "Add a saturation metric to improve visibility", "as part of our effort to improve resilience",
    "We moved the job to gain better isolation", "This will prevent similar issues", or a list
    item under a lead-in such as "We moved the backfill to a scheduler to provide:"."""
    if unit.block.kind == "list_item" and LEAD_IN_RE.search(_lead_in(unit.block, source)):
        return True
    verb = _verb(_head(doc, a, b))
    if verb is None:
        return False
    if verb.dep_ == "conj" and verb.head.dep_ in ("relcl", "acl") and verb.head.head.pos_ == "NOUN":
        return True  # "a practice to follow and can minimize the risk": what the thing does
    first = verb
    while first.dep_ == "conj" and first.head.pos_ in ("VERB", "AUX"):
        first = first.head
    if first.dep_ in ("xcomp", "ccomp") and first.head.lemma_.lower() in ENABLING and any(
            c.dep_ == "aux" and c.lower_ in ("would", "will", "could", "can", "'ll", "’ll") for c in first.head.children):
        return True  # "a change that would help us reduce the problems": what the thing would enable
    if _enables(first):
        return True
    if first.dep_ in ("advcl", "xcomp") and first.head.lemma_.lower() in VAGUE_HEADS and first.head.tag_ in ("VB", "VBG") \
            and not any(c.dep_ in ("aux", "nsubj") for c in first.head.children) or _vague_lead(verb.sent):
        return False  # "Refining the processes to improve communication": the action is no more concrete
    if any(x.dep_ in ("advcl", "xcomp") and x.head.lemma_.lower() in DIRECTING for x in (verb, first)):
        return False  # "will be coached to communicate more": what is asked of the person
    aux = {c.lower_ for c in verb.children if c.dep_ in ("aux", "mark")}
    if verb.dep_ == "advcl" and (aux & {"to", "so", "order"} or verb.tag_ == "VBG"):
        return verb.head.lemma_.lower() not in WANTING or _object_before(verb.head, verb)
    first_aux = {c.lower_ for c in first.children if c.dep_ in ("aux", "mark")}
    if first is not verb and first.dep_ == "advcl" and first_aux & {"to", "so", "order"}:
        # "Join the forum to participate and communicate more": the second verb of the purpose
        return first.head.lemma_.lower() not in WANTING or _object_before(first.head, first)
    if verb.dep_ == "acl" and verb.head.pos_ in ("NOUN", "PROPN") and "to" in aux:
        return True
    if verb.dep_ == "xcomp" and "to" in aux and verb.head.pos_ == "VERB":
        head = verb.head
        if head.lemma_.lower() in WANTING:
            return False
        # "Add metrics for X to improve visibility", "the report was posted to raise awareness":
        # the parser attaches the purpose of a transitive or passive verb as xcomp
        return any(c.dep_ in ("dobj", "obj", "attr", "nsubjpass", "auxpass") for c in head.children)
    subject = next((c for c in verb.children if c.dep_ in ("nsubj", "csubj")), None) or subject_of(verb)
    if subject is not None and (subject.lower_ in RATIONALE_SUBJECTS or _concrete_gerund(subject)) and (
            aux & {"will", "would", "should", "could", "can", "may", "might", "'ll", "’ll"}):
        return True  # the expected effect of the action just described
    return False


def _object_before(head, verb) -> bool:
    """Does the wanting verb have its own object before the purpose clause ("committing to numerous
    changes to ensure …", "we plan three fixes so that …")? Then the clause is what the object is for."""
    for c in head.children:
        if c.i > verb.i:
            continue
        if c.dep_ == "dobj" and c.pos_ in ("NOUN", "PROPN"):
            return True
        if c.dep_ == "prep" and c.lower_ != "with" and any(
                g.dep_ == "pobj" and g.pos_ == "NOUN" and not _person(g) and g.lemma_.lower() not in PEOPLE_NOUNS
                for g in c.children):
            return True  # "committing to numerous changes", not "committed to the team"
    return False


def _enables(verb) -> bool:
    """"posted the checksums to allow you to double-check our work": what a thing done lets someone do."""
    head = verb.head
    return verb.dep_ in ("xcomp", "ccomp") and head.lemma_.lower() in ENABLING and head.dep_ == "advcl" and any(
        c.dep_ == "aux" and c.lower_ == "to" for c in head.children)


def enabled(unit, doc, a: int, b: int, source: str) -> bool:
    """The match is what a thing done lets readers or users do, not what is asked of anyone:
    "We posted the checksums to allow you to double-check our work"."""
    verb = _verb(_head(doc, a, b))
    return verb is not None and _enables(verb)


def _lead_in(block, source: str) -> str:
    """The paragraph line right before the list a list item belongs to ('' if none)."""
    at = source.rfind("\n", 0, block.start)
    for line in reversed(source[max(0, at - 4000):max(at, 0)].split("\n")):
        stripped = line.strip()
        if not stripped:
            continue
        if LIST_LINE_RE.match(line):
            continue  # an earlier item of the same list
        return stripped
    return ""


def _person(tok) -> bool:
    low = tok.lower_
    if low in PEOPLE or tok.lemma_.lower() in ROLE_NOUNS or low in ROLE_NOUNS or low in ("on-call", "oncall"):
        return True
    return tok.ent_type_ == "PERSON" or (tok.pos_ == "PROPN" and tok.ent_type_ in ("", "PERSON"))


def _perfect(doc, a: int, b: int):
    """The participle of the match's "would/should have …" (the VBN with "have" among its children)."""
    return next((t for t in _tokens(doc, a, b) if t.tag_ == "VBN" and any(c.lower_ in ("have", "'ve", "’ve")
                                                                         for c in t.children)), None)


def safeguard(unit, doc, a: int, b: int, source: str) -> bool:
    """A counterfactual that argues for a follow-up: its subject is a safeguard or an artefact, not a
    person's decision ("feature flags would have allowed a rollback", "no item in the backlog
    could have prevented it", "it could have been caught by an alert"), and it sits where
    follow-ups are argued: a list item, the follow-ups or learnings section, or after the action
    it justifies ("Add a lag alert. It would have caught this an hour earlier"). In a narrative
    paragraph the same words still read the outcome back as avoidable."""
    verb = _perfect(doc, a, b)
    if verb is None:
        return False
    subject = next((c for c in verb.children if c.dep_ == "nsubj"), None)
    if subject is not None and subject.lower_ in ("which", "that", "who") and verb.dep_ == "relcl":
        subject = verb.head
        while subject.dep_ == "pobj" and subject.head.dep_ == "prep" and subject.head.head.pos_ in ("NOUN", "PROPN"):
            subject = subject.head.head  # "no items in the backlog that could have …": the items
    if subject is not None and (any(c.lower_ == "no" for c in subject.children) or subject.lower_ in ("nothing", "none")):
        return True  # "nothing in the backlog could have prevented it" says the opposite of avoidable
    if subject is not None and subject.pos_ == "PROPN" and not doc.has_annotation("ENT_IOB") and hasattr(unit, "analysed"):
        full = unit.analysed()  # whether a name is a person's needs the entities, which data rules never ask for
        if len(full) == len(doc) and full[subject.i].text == subject.text:
            subject = full[subject.i]
    if subject is not None and subject.lower_ in ("this", "that", "it") and verb.lemma_.lower() in ENABLING:
        return True  # "That would have allowed earlier paging": what a thing just described would enable
    opening = next((t for t in verb.sent if t.is_alpha and t.lower_ != "q"), None)
    if subject is not None and not _person(subject) and verb.sent.text.rstrip().endswith("?") and not any(
            c.dep_ == "neg" for c in verb.children) and opening is not None and opening.lower_ in ("would", "could", "might"):
        return True  # "Would a staging mirror have caught this?": a question the review asks, not a verdict
    if subject is not None and _coming(subject):
        return True  # "the changes the vendor is rolling out would have prevented it": the follow-up, arriving
    if not _arguing(unit, doc, a):
        return False
    if subject is not None:
        return not _person(subject)
    agent = next((c for c in verb.children if c.dep_ == "agent" or c.dep_ == "prep" and c.lower_ == "by"), None)
    if agent is not None:
        obj = next((c for c in agent.children if c.dep_ in ("pobj", "pcomp")), None)
        if obj is not None and obj.tag_ == "VBG":
            # "caught by comparing row counts" is a check; "avoided by waiting" a decision
            return verb.lemma_.lower() in DETECTING
        return obj is not None and obj.pos_ in ("NOUN", "PROPN") and not _person(obj)
    return False


DELIVERING = {"roll", "ship", "build", "deploy", "add", "introduce", "release", "launch", "make", "implement", "enable",
              "develop", "prepare", "bring", "rollout", "publish", "land"}


def _coming(subject) -> bool:
    """Is the subject a change being made or planned ("the fix we are shipping", "the limits that
    will roll out next week")?"""
    for c in subject.children:
        if c.dep_ not in ("relcl", "acl") or c.tag_ not in ("VBG", "VB") or c.lemma_.lower() not in DELIVERING:
            continue
        auxes = {x.lower_ for x in c.children if x.dep_ == "aux"}
        if c.tag_ == "VBG" and auxes & {"is", "are", "'re", "’re"} or c.tag_ == "VB" and auxes & {"will", "'ll", "’ll"}:
            return True
    return False


ARTEFACTS = {"alert", "alarm", "monitor", "monitoring", "check", "test", "probe", "dashboard", "tool", "linter",
             "pipeline", "canary", "job", "script", "automation", "validation", "alerting", "metric", "page",
             "pager", "healthcheck", "health-check", "guard", "safeguard", "limit", "quota", "timeout", "retry"}


def artefact(unit, doc, a: int, b: int, source: str) -> bool:
    """"Should have" whose subject is a safeguard: "an alert should have warned us ten minutes in"
    says what the system was expected to do, not what a person should have known."""
    verb = _perfect(doc, a, b)
    subject = next((c for c in verb.children if c.dep_ == "nsubj"), None) if verb is not None else None
    return subject is not None and subject.lemma_.lower() in ARTEFACTS


PLANNING = {"intend", "plan", "propose", "recommend", "aim", "commit"}


def _plans(verb) -> bool:
    """A clause in which people say what they will do: "the team intends to adopt them", "we will
    add one", "we are working on a fix" (not "the dashboard will show it", "it will take weeks")."""
    subject = next((c for c in verb.children if c.dep_ == "nsubj"), None)
    if subject is None or not (_person(subject) or subject.pos_ == "NOUN" and subject.lemma_.lower() in PEOPLE_NOUNS):
        return False
    aux = {c.lower_ for c in auxiliaries(verb)}
    if aux & {"will", "'ll", "’ll", "shall"} and verb.tag_ == "VB":
        return any(c.dep_ in ("dobj", "xcomp", "prt") for c in verb.children)
    if verb.lemma_.lower() in PLANNING and verb.tag_ in ("VBZ", "VBP", "VBG"):
        return True
    return verb.lower_ == "working" and any(c.dep_ == "prep" and c.lower_ == "on" for c in verb.children)


def _arguing(unit, doc, a: int) -> bool:
    block = unit.block
    if block.kind == "list_item" or unit.section_kinds & {"follow-ups", "learnings"}:
        return True
    full = unit.analysed()  # the other sentences of the paragraph may not have been parsed
    at = next((t for t in full if t.idx >= a), None)
    if at is not None and any(_plans(t) for t in full if t.pos_ in ("VERB", "AUX") and t.i != at.i):
        return True  # "… would have detected these files, and the team intends to adopt the scanners"
    if not doc.text[:a].strip():
        return False
    before = full.char_span(0, a, alignment_mode="contract")
    return before is not None and any(s[0].tag_ == "VB" and s[0].dep_ == "ROOT" for s in before.sents)


def question_list(unit, doc, a: int, b: int, source: str) -> bool:
    """The match is a question asked for real: one of a list of questions (a Five Whys chain, a
    template's prompts: its list item ends in "?" and so does a neighbouring one) or a reader's
    question in a Q&A or FAQ section or marked "Q:"."""
    block = unit.block
    title = block.section.title if block.section else ""
    if READERS_RE.search(title) or ASKED_RE.match(block.text):
        return True  # a reader's question, answered below it
    if block.kind != "list_item" and "why" not in title.lower():
        return False
    if re.search(r"\bwhys?\b", title, re.I):
        return True
    line_start = source.rfind("\n", 0, block.start) + 1
    lines_before = source[max(0, line_start - 2000):line_start].split("\n")[-5:]
    line_end = source.find("\n", block.end)
    lines_after = source[line_end + 1 if line_end >= 0 else len(source):][:2000].split("\n")[:5]
    return any(QUESTION_ITEM_RE.match(line) for line in lines_before + lines_after)


def refined(unit, doc, a: int, b: int, source: str) -> bool:
    """A list item that its own nested items make concrete: "Improve coverage of the probes" over
    "- Add a dashboard of probe coverage", "- Document each probe"; or a heading that the text
    under it makes concrete ("### Better alerting on CPU load" over what will alert, and when)."""
    block = unit.block
    if block.kind == "heading":
        at = source.find("\n", block.end)
        for line in source[at + 1 if at >= 0 else len(source):][:4000].split("\n"):
            if line.strip():
                return not line.lstrip().startswith("#")
        return False
    if block.kind != "list_item":
        return False
    line_start = source.rfind("\n", 0, block.start) + 1
    own = len(source[line_start:block.start]) - len(source[line_start:block.start].lstrip())
    at = source.find("\n", block.end)
    for line in source[at + 1 if at >= 0 else len(source):][:4000].split("\n"):
        if not line.strip():
            continue
        return bool(LIST_LINE_RE.match(line)) and len(line) - len(line.lstrip()) > own
    return False


# verbs whose complement is the action asked for or decided, not a report of what was done
ASKING = {"need", "want", "require", "plan", "intend", "aim", "hope", "try", "strive", "seek", "commit", "work",
          "go", "ought", "must", "should", "promise", "pledge", "vow", "resolve", "decide", "agree", "continue",
          "endeavour", "endeavor", "wish", "expect", "recommend", "suggest", "propose", "ask", "urge"}
SPECULATING = {"might", "may"}
# "everyone has been reminded to pay more attention": what was done is itself the appeal
REMINDING = {"remind", "tell", "instruct", "encourage", "advise", "warn", "train", "coach", "explain"}
TELLING = {"explain", "describe", "outline", "discuss", "cover", "share", "detail", "summarise", "summarize",
           "write", "tell", "present", "talk", "document", "walk"}


def _chain(verb) -> list:
    """The verb and the verbs it complements up to its clause's head ("add" in "we started to add
    more tests": add, started)."""
    chain = [verb]
    while chain[-1].dep_ in ("xcomp", "conj") and chain[-1].head.pos_ in ("VERB", "AUX") and len(chain) < 6:
        if chain[-1].head.lemma_.lower() == "be" or chain[-1].dep_ == "conj" and _own_clause(chain[-1]):
            break  # "the takeaway was to communicate better"; "restored X and are adding Y" has its own tense
        chain.append(chain[-1].head)
    return chain


def _own_clause(verb) -> bool:
    """Does the verb carry its own subject or auxiliary (its own tense)?"""
    return any(c.dep_ in ("nsubj", "nsubjpass", "csubj", "expl", "aux", "auxpass") for c in verb.children)


def narrative(unit, doc, a: int, b: int, source: str) -> bool:
    """The words tell what happened or what something does, not what is asked for: "we wrote more
    tests in March", "the branch might be introducing more tests than usual", "the new release adds
    more tests"; outside the follow-ups, "we have been adding more tests" reports work under way.
    An imperative, a modal of intent or need ("will", "need to", "decided to") still asks."""
    verb = _verb(_head(doc, a, b))
    if verb is None:
        return False
    chain = _chain(verb)
    top = chain[-1]
    if any(v.lemma_.lower() in ASKING for v in chain):
        return False
    if any(v.lemma_.lower() in REMINDING and any(t.lower_ == "to" and t.i > v.i for t in v.subtree)
           and not any(c.dep_ == "ccomp" and any(g.lower_ == "that" for g in c.children) for c in v.children)
           for v in chain):
        return False
    aux = [c for v in chain for c in auxiliaries(v, ("aux", "auxpass"))]
    if top.dep_ == "acomp" and top.tag_ == "VBN" and top.head.lemma_.lower() == "be":
        aux.append(top.head)  # "was not double-checked", parsed as "was" with a participle complement
    modals = {c.lower_ for c in aux if c.tag_ == "MD"}
    subject = next((c for v in (top, *aux) for c in v.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    if subject is not None and subject.lower_ in ("that", "which") and top.dep_ == "relcl":
        subject = top.head  # "a setup that has more documentation": what a thing has
    person = subject is not None and _person(subject)
    if subject is not None and not (a <= subject.idx < b) and any(_lapse_perfect(v) for v in chain):
        return True  # "Sadia should have double-checked the route map": what someone did not do (hindsight)
    if modals:
        return bool(modals <= SPECULATING) and subject is not None and not person
    if top.tag_ == "VBD" or any(c.tag_ == "VBD" for c in aux):
        return True  # "we wrote more tests", "monitoring was improved last year"
    if subject is None:
        return False  # an imperative or a fragment asks
    if (top.tag_ == "VBZ" and top.lemma_.lower() != "be" and not person
            and (subject.pos_ in ("PRON", "PROPN", "DET") or any(c.dep_ in ("det", "poss") for c in subject.children))):
        return True  # "the new release adds more tests": what a thing does (not "Plan releases more carefully")
    if unit.block.kind == "list_item" or unit.section_kinds & {"follow-ups", "learnings"}:
        return False  # where actions are listed, a present passive or a perfect is a commitment
    if top.tag_ == "VBN" and any(c.dep_ == "auxpass" for c in aux):
        return True  # "More documentation is provided": a passive statement of what is done
    # "we have been writing more tests since March" in the narrative (not "we are improving …")
    return top.tag_ in ("VBG", "VBN") and any(c.lower_ in ("have", "has", "'ve", "’ve") for c in aux)


def _lapse_perfect(verb) -> bool:
    """"should have checked", "could have double-checked": a modal and "have" on one verb (not a wish
    for more of something: "we could have used / had more testing")."""
    if verb.lemma_.lower() in ("have", "use", "need", "want", "do", "get"):
        return False
    aux = auxiliaries(verb)
    return any(c.lower_ in ("should", "ought", "must", "could") for c in aux) and any(
        c.lower_ in ("have", "'ve", "’ve") for c in aux)  # (not "would have liked to communicate better")


def _telling(tok) -> bool:
    return tok.lemma_.lower() in TELLING and tok.pos_ == "VERB"


def outline(unit, doc, a: int, b: int, source: str) -> bool:
    """The writer says what the text covers, the action being described elsewhere: "This post
    explains the issue and how we'll work to prevent similar problems", "much has been written
    about how we are going to make sure it never happens again"; a heading asked as a question ("## How
    are we going to do better?") announces its section."""
    if unit.block.kind == "heading" and unit.block.text.rstrip().endswith("?"):
        return True
    tok = _head(doc, a, b)
    steps = 0
    while tok is not None and steps < 10:
        if tok.pos_ in ("VERB", "AUX") and tok.dep_ != "ROOT" and any(
                c.tag_ in ("WRB", "WP") and c.lower_ in ("how", "what") and c.i < tok.i for c in tok.children):
            head = tok.head
            if tok.dep_ == "conj":  # "… explain the issue and how we'll work to …"
                return any(_telling(c) or c.lower_ == "about" for c in (head, head.head, *head.children) if c.i < tok.i)
            return _telling(head) or head.lower_ == "about"
        if tok.head is tok:
            return False
        tok, steps = tok.head, steps + 1
    return False


PREDICATE_IDIOM_RE = re.compile(r"asleep\s+at\s+the\s+(?:wheel|switch)", re.I)  # said of a person, or of a stuck part
SLANG_VERBS = {"screw", "mess", "foul", "goof", "go", "jump", "shrug", "lose", "make", "cock", "bollocks", "ball",
               "bugger", "muck", "louse"}  # said of people, or of things too ("a worker went rogue")
# who can mess something up besides the role nouns: teams by function, people by a plain noun
PEOPLE_NOUNS = {"ops", "support", "management", "engineering", "qa", "infra", "security", "sre", "devops", "it",
                "call", "oncall", "on-call", "human", "people", "person", "team", "teammate",
                "legal", "finance", "sales", "marketing", "product", "leadership", "staff", "guy", "folk", "crew",
                "member", "colleague", "contractor", "vendor", "intern", "hire"}


def thing_subject(unit, doc, a: int, b: int, source: str) -> bool:
    """The idiom's subject is a thing, not a person: "the config change messed up the routing
    table", "entity upgrades in branches fouling up the entities"."""
    verb = _verb(_head(doc, a, b))
    if verb is None or verb.lemma_.lower() not in SLANG_VERBS and not (
            verb.lemma_ == "be" and PREDICATE_IDIOM_RE.match(doc.text[a:b])):  # "the rate limiter was asleep at the wheel"
        return False
    subject = next((c for c in verb.children if c.dep_ == "nsubj"), None)
    if subject is not None and subject.lower_ in ("who", "that", "which") and verb.dep_ == "relcl":
        subject = verb.head
    if subject is None and verb.dep_ == "acl" and verb.tag_ == "VBG":
        subject = verb.head  # "upgrades … fouling up the entities"
    return _a_thing(subject)


def _a_thing(noun) -> bool:
    """A common noun for a thing that is no person's work ("the config change", not "the intern's change")."""
    if noun is None or noun.pos_ != "NOUN":
        return False
    if any(c.dep_ == "poss" and (c.pos_ in ("PRON", "PROPN") and c.lower_ not in ("our", "its") or _person(c))
           for c in noun.children):
        return False  # "the intern's change messed up …", "their deploy screwed up …": a person's work ("our
        # load balancer", "its cache" are no one's)
    return not (_person(noun) or noun.lemma_.lower() in PEOPLE_NOUNS or noun.lower_ in PEOPLE_NOUNS)


TECHNICAL_SENSES = {"lazy", "lazily"}  # judging words with a sense in software: evaluation put off
LAZY_THINGS = _AGENTIVE["lazy_things"]  # what "lazy" can be said of in that sense


def technical_sense(unit, doc, a: int, b: int, source: str) -> bool:
    """"Lazy" said of a thing: "the index rebuild was lazy by design", "loading is lazy", "pages are
    lazily built" — evaluation put off until needed, not a judgement of anyone."""
    span = doc.char_span(a, b, alignment_mode="expand")
    tok = span.root if span is not None and len(span) else None
    if tok is None or tok.lower_ not in TECHNICAL_SENSES:
        return False
    verb = tok.head if tok.dep_ in ("amod", "acomp", "attr", "advmod") else None
    noun = tok.head if tok.dep_ == "amod" else next(
        (c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), None) if verb is not None else None
    # (a capitalised noun may be a name the model missed, unless a plural starts the sentence: "Iterators are lazy")
    if not _a_thing(noun) or not (noun.text.islower() or noun.is_sent_start and noun.tag_ == "NNS"):
        return False
    # a cache or a loader, or "by design", "lazily built": not the patch, the drill or the review people made
    return noun.lemma_.lower() in LAZY_THINGS or tok.lower_ == "lazily" and tok.dep_ == "advmod" or bool(
        re.search(r"\bby\s+design\b", doc[tok.sent.start: tok.sent.end].text, re.I))


SENTENCE_ADVERBS = {"clearly", "evidently", "of course", "naturally", "predictably", "unsurprisingly",
                    "needless to say"}


def remark(unit, doc, a: int, b: int, source: str) -> bool:
    """A sentence adverb that comments on the present, not on a past decision: "Needless to say,
    it has been a long few weeks", "Of course, the status page is public". Said of what happened
    ("Clearly, nobody read the release notes") it still reads the outcome back."""
    said = re.sub(r"[\s,]+", " ", doc.text[a:b]).strip().lower()
    if said not in SENTENCE_ADVERBS:
        return False
    start = next((t for t in doc if t.idx >= b), None)
    if start is None:
        return False
    tags = {t.tag_ for t in start.sent if t.i >= start.i}
    return bool(tags & {"VBZ", "VBP"}) and "VBD" not in tags  # no finite verb in the past


# what a cause is while it is still looked for, guessed at or not known
SEARCHING = {"search", "look", "seek", "hunt", "investigate", "understand", "troubleshoot", "debug", "diagnose", "narrow",
             "chase", "track", "explore", "dig", "analyse", "analyze",
             "examine", "discuss", "describe", "cover", "outline", "summarise", "summarize"}  # ("this document examines …")
# verbs of finding: a search while infinitive or progressive ("to find"), a cause named once done ("we found")
FINDING = {"find", "determine", "establish", "pinpoint", "uncover", "discover", "confirm", "isolate", "identify", "locate"}
GUESSES = {"assumption", "hypothesis", "theory", "guess", "suspicion", "idea", "search", "hunt", "investigation",
           "question", "speculation", "candidate", "candidates", "hunch", "lead", "leads", "clue", "clues"}
HEDGES = {"possible", "potential", "likely", "probable", "suspected", "presumed", "apparent", "candidate",
          "plausible", "hypothetical", "hypothesized", "hypothesised", "preliminary", "tentative"}
UNKNOWN = {"unknown", "unclear", "undetermined", "uncertain", "unconfirmed", "elusive"}


def searched(unit, doc, a: int, b: int, source: str) -> bool:
    """The cause named is still being looked for, guessed at or not known, not put forward as the
    one explanation: "troubleshooting to find root cause", "Possible root cause identified", "the first
    assumption regarding the root cause was …", "the root cause is still unknown"."""
    cause = _head(doc, a, b)
    if cause is None:
        return False
    if any(c.dep_ == "amod" and c.lower_ in HEDGES for c in cause.children):
        return True
    if any(c.dep_ == "appos" for c in cause.children):
        return False  # "we identified the root cause, a missing index" names it
    after = doc[cause.i + 1] if cause.i + 1 < len(doc) else None
    if cause.head.lower_ == "as" or after is not None and after.lower_ in ("to", ":"):
        return False  # "identified X as the root cause", "found the root cause to be X", "the root cause: X"
    for t in doc[cause.i + 1:cause.i + 8]:
        if t.is_punct:
            break
        if t.lower_ == "as":
            return False  # "confirms the root cause of the error as an incompatibility"
    up = cause.head
    if cause.dep_ == "pobj" and up.dep_ == "prep":
        up = up.head  # "looking for the root cause", "the assumption regarding the root cause"
    if up.pos_ == "VERB" and up.dep_ == "prep":
        up = up.head  # "regarding", "about" read as verbs
    lemma = up.lemma_.lower()
    if cause.dep_ in ("dobj", "pobj", "nsubjpass") and lemma in SEARCHING:
        return True  # "troubleshooting to find the root cause", "we dug into the root cause"
    if (cause.dep_ == "nsubjpass" and lemma in FINDING or cause.dep_ == "nsubj" and up.lemma_.lower() in FINDING and (
            up.tag_ == "VBN" and not any(c.dep_ == "aux" for c in up.children))) and not _names_next(up) or any(
            c.dep_ == "acl" and c.tag_ == "VBN" and c.lemma_.lower() in FINDING and not any(
                g.lower_ in ("as", "to") for g in c.children) and not _names_next(c) for c in cause.children):
        return True  # "root cause was found later", "10:02 root cause identified, revert begins": the search
        # ended, the cause is not put forward here ("identified as X", "found to be X" returned above)
    if cause.dep_ in ("dobj", "pobj") and lemma in FINDING:
        # still under way ("to find", "finding") or not done; "we identified the root cause" names it
        return up.tag_ in ("VB", "VBG") or any(c.dep_ == "neg" or c.lower_ in ("still", "yet") for c in up.children)
    if cause.dep_ == "nsubj" and any(c.dep_ == "acomp" and c.lower_ in ("clear", "known", "obvious", "apparent", "evident")
                                     for c in cause.head.children) and any(
            c.dep_ == "neg" or c.lower_ in ("yet", "still") for c in cause.head.children):
        return True  # "at this point the root cause was not clear yet"
    if up.pos_ == "NOUN" and lemma in GUESSES:
        return True
    if cause.dep_ == "nsubj" and any(c.lower_ in UNKNOWN for c in cause.head.children):
        return True  # "the root cause is still unclear"
    return False


def _names_next(tok) -> bool:
    """Does a colon or a dash after the word name what was found ("root cause identified: X")?"""
    nxt = tok.doc[tok.i + 1] if tok.i + 1 < len(tok.doc) else None
    return nxt is not None and nxt.text in (":", "—", "–", "-") and tok.i + 2 < len(tok.doc)


# verbs that report what another party said, promised or assured
SAYING = {"say", "assure", "promise", "tell", "state", "confirm", "claim", "report", "announce", "explain", "inform",
          "reply", "respond", "guarantee", "insist", "indicate", "mention", "write", "reassure", "pledge", "vow"}


def reported(unit, doc, a: int, b: int, source: str) -> bool:
    """What another party said it will do: "Cloudflare has assured us this issue will not occur
    again", "the vendor told us they would improve their monitoring". Reported, it is neither the
    team's follow-up nor its appeal; the team's own promise ("we promised to be more careful") is."""
    tok = _head(doc, a, b)
    for _ in range(8):
        if tok is None or tok.head.i == tok.i:
            return False
        up = tok.head
        if tok.dep_ in ("ccomp", "xcomp") and up.lemma_.lower() in SAYING:
            inner = subject_of(tok) if tok.dep_ == "ccomp" else None
            if inner is not None and (inner.lower_ in PEOPLE or inner.lemma_.lower() in ROLE_NOUNS):
                return False  # "the report says we should be more careful": the team's own action, reported
            subject = subject_of(up)
            # another party: a vendor, a provider, a company; not us, not a person ("the on-call
            # engineer promised to be more careful" reports a person's promise as the remedy)
            return subject is not None and subject.pos_ != "PRON" and subject.lower_ not in PEOPLE and (
                subject.lemma_.lower() not in ROLE_NOUNS and subject.ent_type_ != "PERSON")
        tok = up
    return False


DONE_RE = re.compile(
    r"(?i)(?:^\s*(?:done|completed|complete|closed|resolved|shipped)\b\s*[:\-–—]"
    r"|[(\[]\s*(?:done|completed|complete|closed|resolved|shipped|fixed)\s*[)\]]\s*[.!]?\s*$"
    r"|\bstatus\s*:\s*(?:done|completed|complete|closed|resolved|shipped)\b"
    r"|^\s*[✅✔☑]|[✅✔☑]\s*$)"
)  # an item's text marked finished (also the follow-up items' test)
STRUCK_RE = re.compile(r"~~[^~\n]+~~")


def done(unit, doc, a: int, b: int, source: str) -> bool:
    """An item marked finished ("- [x] …", "~~…~~", "… (done)", "✅ …"): the open work is what the
    follow-up and vague-action rules judge."""
    block = unit.block
    if block.kind not in ("list_item", "table_cell"):
        return False
    if getattr(block, "checked", None) or DONE_RE.search(block.text):
        return True
    if not source:
        return False
    end = source.find("\n", block.end)  # struck through: the item's source lines (the prose text has lost "~~")
    return STRUCK_RE.search(source[source.rfind("\n", 0, block.start) + 1: end if end >= 0 else len(source)]) is not None


GUARDS: dict[str, Callable] = {
    "purpose": purpose,
    "safeguard": safeguard,
    "artefact": artefact,
    "question-list": question_list,
    "refined": refined,
    "narrative": narrative,
    "enabled": enabled,
    "outline": outline,
    "remark": remark,
    "thing-subject": thing_subject,
    "technical-sense": technical_sense,
    "searched": searched,
    "reported": reported,
    "done": done,
}


def guarded(names, unit, a: int, b: int, source: str) -> bool:
    """Does one of the named guards drop the match [a, b) of the unit's prose? (A regex rule may
    match a block the first pass did not send to the parser: it is parsed here.)"""
    doc = unit.doc
    if not all(t.dep for t in _tokens(doc, a, b)):
        doc = unit.analysed()
    return any(GUARDS[name](unit, doc, a, b, source) for name in names)
