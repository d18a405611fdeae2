"""The word lists and patterns of the agentive detector (`rules/words/agentive.yaml`), shared by
its first pass and its parse-based checks."""

from __future__ import annotations

import re

from blamelint.rules.words import words

WORDS = words("agentive")
PERSON_PRONOUNS = WORDS["person_pronouns"]
NEGATIVE_SUBJECTS = {"nobody", "none"}
ROLE_NOUNS = WORDS["role_nouns"]
END_USERS, END_USER_LAPSES = WORDS["end_users"], WORDS["end_user_lapses"]
SOFTWARE_NOUNS, SOFTWARE_ROLES, ACCOUNT_WORDS = WORDS["software_nouns"], WORDS["software_roles"], WORDS["account_words"]
WE = {"we"}
FAILURE_VERBS = WORDS["failure_verbs"]
WE_FAILURE_VERBS = WORDS["we_failure_verbs"]
HARM_VERBS, HARM_NOUNS, BREAK_NEUTRAL = WORDS["harm_verbs"], WORDS["harm_nouns"], WORDS["break_neutral"]
DILIGENCE_VERBS = WORDS["diligence_verbs"]
ACTION_VERBS = WORDS["action_verbs"]
IDIOMS = WORDS["idioms"]
WITHOUT_OBJECTS = WORDS["without_objects"]
MARKER_ADVERBS = WORDS["marker_adverbs"]
ADEQUACY_ADVERBS = WORDS["adequacy_adverbs"]
WE_MARKER_ADVERBS = MARKER_ADVERBS - WORDS["accident_adverbs"]
MISS_NEUTRAL = WORDS["miss_neutral"]
HUMAN_ONLY = WORDS["human_only"]
HUMAN_ONLY_NEGATED = WORDS["human_only_negated"]
HEAD_FAILURES = WORDS["head_failures"]
DECISION_VERBS = WORDS["decision_verbs"]
BELIEF_VERBS = WORDS["belief_verbs"]
BELIEF_MARKERS = WORDS["belief_markers"]
HYPOTHETICAL = WORDS["hypothetical"]
NEGATION_WORDS = WORDS["negation_words"]
PROD_WORDS = WORDS["prod_words"]
BEFORE_WORDS = WORDS["before_words"]
AGENT_WORDS = WE | PERSON_PRONOUNS | NEGATIVE_SUBJECTS | {"they", "call", "oncall", "on-call"}
SAT_ON = WORDS["sat_on_objects"]
CHOICE_NOUNS = {"decision", "choice", "call"}  # "Kwame's decision to skip the dry run"
REFUSAL_NOUNS = {"refusal", "reluctance", "unwillingness"}  # "the SRE's refusal to roll back"
SHIFT_WORDS = WORDS["shift_words"]  # "the night shift"
KNOWING = ("know", "understand")  # "nobody knew how to renew it" states a knowledge gap
# a counterfactual whose consequence is worse than what happened is a risk, not a lapse replayed
# ("If the team had applied the policy globally, all tenants would have been locked out")
WORSE_OUTCOME_RE = re.compile(
    r"\b(?:would|could|might|[’']d)\s+(?:\w+ly\s+)?have\s+(?:been\s+)?(?:affected|spread|lost|crashed|fallen|failed|broken"
    r"|exceeded|cascaded|corrupted|impacted|leaked|exposed|deleted|overwhelmed|hit|reached|gone\s+down"
    r"|taken\s+(?:\w+\s+){0,3}?down|run\s+out|locked\s+out|logged\s+out|doubled|tripled|wiped|dropped|blocked|stalled"
    r"|missed|duplicated|been\s+(?:much\s+|far\s+)?worse)\b", re.I)
MISSING_SAFEGUARD_RE = re.compile(
    r"\b(?:no|without(?:\s+an?|\s+any)?|lack\s+of(?:\s+an?|\s+any)?|missing|absent|absence\s+of(?:\s+an?|\s+any)?)"
    r"\s+(?:[\w-]+\s+){0,2}?(?:alerts?|alerting|alarms?|monitors?|monitoring|checks?|tests?|pag(?:e|es|ing)|"
    r"notifications?|dashboards?|configuration|metrics?|warnings?|signals?)\b"
    r"|\b(?:was|were)(?:n['’]t|\s+not)\s+(?:configured|set\s+up|monitored|alerted|paged)\b"
    r"|\b(?:do|does|did)(?:n['’]?t|\s+not)\s+(?:graph|alert\s+on|monitor|track|chart|page\s+on|collect)\b", re.I)
INDEFINITES = {"anything", "nothing", "something", "everything"}
PROD_RE = re.compile(r"(?:^| )(?:directly|straight) (?:to|on|onto|against|into|in) (?:the )?"
                     r"(?:prod|production|main|master|primary|live|trunk)(?= |$)")  # over lower-case words

BETTER_PERSON = {"competent", "careful", "responsible", "professional", "attentive", "reasonable", "experienced", "seasoned", "diligent", "sensible",
                 "sane", "decent", "good", "conscientious", "thorough", "skilled", "alert", "vigilant", "qualified"}


def shift_of_people(tok) -> bool:
    """"the night shift" (people), not "a late shift of traffic" or "the early shift in the schedule"."""
    return tok.lower_ == "shift" and any(c.dep_ in ("compound", "amod") and c.lower_ in SHIFT_WORDS for c in tok.children) \
        and not any(c.dep_ == "prep" for c in tok.children)


def role_noun(tok) -> bool:
    """A role noun, in the singular or the plural ("The devs should have known …": the lemmatizer
    leaves some plurals as they are), or a shift of people."""
    low = tok.lower_
    if tok.pos_ in ("NOUN", "PROPN", "ADJ") and (tok.lemma_.lower() in ROLE_NOUNS or low in ROLE_NOUNS):
        return True
    if tok.pos_ == "NOUN" and low.endswith("s") and low[:-1] in ROLE_NOUNS:
        return True
    return shift_of_people(tok)


# Verbs of a state of the system that a clause after ";" or ":" gives as the context of an action
STATE_VERBS = {"have", "accept", "show", "appear", "discourage", "contain", "lack", "default", "hold", "match", "offer",
               "support", "enforce", "expose", "cache", "list"}
UNLIKE = {"incompatible", "identical", "optional", "undocumented", "ambiguous", "unlabeled", "unlabelled", "misleading",
          "indistinguishable", "stale", "outdated"}  # "…: the last good version was incompatible with the schema"
PERCEIVED = {"look", "seem", "appear", "sound", "feel"}  # "as the change looked trivial": the person's judgement
# Words of harm or impact: a clause holding one tells the consequence, not the state the person met
HARMED = {"down", "unavailable", "outage", "offline", "broken", "broke", "failed", "failing", "lost", "crashed",
          "errors", "degraded", "production", "impact", "customers", "users", "growing", "corrupted", "deleted", "wiped"}
