"""named_individual: people named in the narrative, and personal @handles.

spaCy's small model calls many programs PERSON ("Kafka", "Jenkins") and misses many real names,
so a name is scored from several kinds of evidence instead of trusting NER:

- what the word is: a gazetteer of software, services, places and calendar words (rule data), a
  modest list of first names, the model's own English word lists (a capitalised "Support" or
  "Quota" at the start of a sentence is a word, not a name) and the NER label
  (`blamelint.analysis.lexicon`, `scoring`);
- what the sentence says about it: the subject of a verb only people do ("paged", "said",
  "forgot"), of an agentive verb with an object ("Eero pushes the hotfix"), "according to X",
  titles and role appositives ("our intern, X", "X (SRE)", "X from the payments team"), "he/she"
  later in the sentence, possessives of things people own ("X's laptop") (`context`, `syntax`);
- what the document says about the word elsewhere: written lower-case, inside code or a URL, next
  to a version number, as a modifier of a technical noun ("the X cluster") → software (`tech`).

Each kind of evidence adds its weight (`weights`). A name confirmed once in a document raises
every other mention of it. Handles are personal unless they look like a team, rotation or bot
(`@sre-team`, `@payments-oncall`; `handles`). The first pass (`trigger`) picks the sentences the
model must read; the fixes replace a name with a role (`fixes`).
"""

from __future__ import annotations

import re

from blamelint.analysis.lexicon import lexicon_for, seen_words
from blamelint.detectors import detector
from blamelint.detectors.names import weights
from blamelint.detectors.names.fixes import finding
from blamelint.detectors.names.handles import handle_mentions
from blamelint.detectors.names.mention import Mention, allowed
from blamelint.detectors.names.scoring import cached_mentions
from blamelint.detectors.names.tech import document_tech, tech_words
from blamelint.detectors.names.trigger import trigger

CONJUNCTION_RE = re.compile(r",? and |, ")


def people(analysis, rule=None) -> list[Mention]:
    """Every reported person mention in the document: names and personal handles over the threshold.

    For other detectors (a named person as the subject of a blaming verb, …): each mention has `unit`,
    prose span `a`, `b` in `unit.block.text`, `kind` ("name" | "handle"), `score` and `cues`. Computed once
    per analysis; allowlisted names are left out.
    """
    return [m for group in _groups(analysis, rule or _rule_for(analysis)) for m in group]


def _rule_for(analysis):
    return next((r for r in analysis.ruleset.rules if r.check == "named_individual"), None)


def _groups(analysis, rule) -> list[list[Mention]]:
    def find() -> list[list[Mention]]:
        units = analysis.view("named_individual")
        return _find_groups(analysis, rule, units) if units else []

    return analysis.fact(("names", "groups", rule.id if rule is not None else None), find)


def _find_groups(analysis, rule, units) -> list[list[Mention]]:
    config = analysis.config
    lex = lexicon_for(analysis.ruleset, analysis.nlp)
    opts = (rule.options if rule is not None else None) or {}
    threshold = float(opts.get("threshold", weights.DEFAULT_THRESHOLD))
    bar = threshold - weights.EPSILON  # the cues are added in floating point
    low = float(opts.get("public_threshold", weights.DEFAULT_PUBLIC_THRESHOLD))
    tech = tech_words(analysis, lex, units)
    lexical_tech = document_tech(analysis, units, lex)
    seen = seen_words(analysis, units)

    mentions: list[Mention] = []
    for unit in units:
        if unit.block.kind == "heading":
            continue
        own = handle_mentions(unit, lex, config)
        mentions += own
        names = [m for m in cached_mentions(unit, lex, tech, seen, lexical_tech)
                 if not allowed(config, m.key, *m.words)]
        handles = [(m.a, m.b) for m in own]
        mentions += [m for m in names if not any(a < m.b and m.a < b for a, b in handles)]
    _raise_known_names(mentions, bar)

    public = config.profile == "public"

    def reported(m: Mention) -> bool:
        if m.score >= bar:
            return True
        # public: any name the model calls PERSON (or a known first name) that nothing marks as software
        return public and m.score >= low and (m.first_name or (m.ner_person and not m.ordinary)) and not m.common

    keep = sorted((m for m in mentions if reported(m)), key=lambda m: (units.index(m.unit), m.a))
    groups = _coordinated(keep)
    _add_conjoined(mentions, keep, groups, threshold)
    return groups


def _raise_known_names(mentions: list[Mention], bar: float) -> None:
    """A name that is also someone's handle ("Arvid" and "@arvid", "Hye Jin" and "@hye.jin") is a
    person; so is a name confirmed once elsewhere in the document."""
    handle_parts = {p for m in mentions if m.kind == "handle" for p in re.split(r"[._-]+", m.key) if len(p) > 2}
    for m in mentions:
        if m.kind == "name" and any(w.lower() in handle_parts for w in m.words) and m.common < weights.RAISE_MAX_COMMON:
            m.add(weights.MATCHES_HANDLE, "matches a personal handle")
    confirmed: set[str] = set()
    for m in mentions:
        if m.kind == "name" and m.score >= bar:
            confirmed.add(m.key)
            if len(m.words) > 1:
                confirmed.add(m.words[0].lower())
    for m in mentions:
        if m.kind == "name" and m.score < bar and (
            m.key in confirmed or (m.words and m.words[0].lower() in confirmed)
        ) and m.common < weights.RAISE_MAX_COMMON:
            m.add(weights.NAMED_ELSEWHERE, "named elsewhere in the document")


def _coordinated(keep: list[Mention]) -> list[list[Mention]]:
    """Coordinated names are one group: "Carlos Mendoza and Hannah" → "two responders"."""
    groups: list[list[Mention]] = []
    for m in keep:
        last = groups[-1][-1] if groups else None
        if last is not None and last.unit is m.unit and last.kind == m.kind == "name" \
                and last.position != "possessive" and CONJUNCTION_RE.fullmatch(m.unit.block.text[last.b:m.a]):
            groups[-1].append(m)
        else:
            groups.append([m])
    return groups


def _add_conjoined(mentions: list[Mention], keep: list[Mention], groups: list[list[Mention]], threshold: float) -> None:
    """A weaker candidate conjoined with a reported name is a name too."""
    for m in mentions:
        if m in keep or m.kind != "name" or m.common >= weights.RAISE_MAX_COMMON \
                or m.score + weights.CONJOINED_WITH_NAME < threshold:
            continue
        text = m.unit.block.text
        for g in groups:
            if g[0].unit is not m.unit or g[0].kind != "name":
                continue
            if CONJUNCTION_RE.fullmatch(text[g[-1].b:m.a]):
                m.add(weights.CONJOINED_WITH_NAME, "conjoined with a name")
                g.append(m)
                break
            if CONJUNCTION_RE.fullmatch(text[m.b:g[0].a]):
                m.add(weights.CONJOINED_WITH_NAME, "conjoined with a name")
                g.insert(0, m)
                break


@detector("named_individual", needs=("tagger", "parser", "ner"), trigger=trigger)
def named_individual(rule, analysis):
    seen: set[str] = set()  # people already replaced: a later mention is "the responder", not "a responder"
    for group in _groups(analysis, rule):
        unit = group[0].unit
        again = len(group) == 1 and group[0].key in seen
        seen.update(m.key for m in group)
        yield finding(rule, analysis, group, "timeline" in unit.section_kinds, again=again)
