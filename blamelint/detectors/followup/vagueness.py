"""Is a follow-up's action specific and checkable? `vague_reason` says why not ("Investigate the
alerts", "Improve monitoring"), from the parse of the action alone (`action_text`: the item without
its owner and dates); `may_be_vague` reads only its tokens, to spare the model the plain actions.
"""

from __future__ import annotations

import re
from types import SimpleNamespace

from blamelint.analysis import matchers
from blamelint.analysis.triggers import Block, lemmas_for, prepare
from blamelint.detectors.items import OWNER_FIELD_RE, VAGUE_DATE_RE, DateMatch, Item, Owner, find_dates
from blamelint.rules.words import words

STRETCH_VERBS = words("followup")["stretch_verbs"]  # "make the dashboards better" (`_better_object`)


def action_text(item: Item, owner: Owner | None, due: DateMatch | None) -> tuple[str, int]:
    """The action alone: the first block's prose without owner label, due date and vague date.

    Returns (text, offset of text[0] in the block's prose); removed parts become spaces."""
    text = item.block.text
    chars = list(text)

    def blank(a, b):
        for k in range(max(a, 0), min(b, len(chars))):
            chars[k] = " "

    if owner is not None and owner.start >= 0 and owner.end <= len(text):
        blank(owner.start, owner.end)
    for d in find_dates(text):
        a = d.start
        pre = re.search(r"(?i)(?:\b(?:due(?:[ \t]+(?:by|on))?|by|before|until|deadline|eta|target)\b[ \t:]*|\[)?[ \t]*$", text[:a])
        if pre:
            a = pre.start()
        b = d.end
        if b < len(text) and text[b] == "]":
            b += 1
        blank(a, b)
    for m in VAGUE_DATE_RE.finditer(text):
        a, b = m.start(), m.end()
        bracketed = a > 0 and text[a - 1] in "[(" and b < len(text) and text[b] in "])"
        if bracketed or not text[b:].strip(" .!") or m.group(0).isupper():
            blank(a - bracketed, b + bracketed)
    m = OWNER_FIELD_RE.search("".join(chars))
    if m:
        blank(m.start(), m.end())
    joined = "".join(chars)
    joined = re.sub(r"\[\s*\]|\(\s*\)", lambda x: " " * len(x.group(0)), joined)
    lead = len(joined) - len(joined.lstrip(" \t:-–—,;|"))
    out = joined[lead:].rstrip(" \t:-–—,;|.")
    return out, lead


def _vague_rule_hits(analysis, options: dict, doc, text: str) -> list[tuple[str, object]]:
    """(matched text, rule) for the data rules of the vague-action categories."""
    categories = set(options.get("vague_categories", ["vague-action"]))
    if analysis.matchers is None:
        return []
    found = analysis.matchers.category_matches(doc, frozenset(categories))
    hits = []
    for rule in analysis.ruleset.rules:
        if rule.category not in categories or not rule.match:
            continue
        spans = found.get(rule.id, [])
        if isinstance(spans, Exception):
            continue  # that rule reports its own failure
        for a, b in spans:
            if not matchers.excluded(rule, text, a, b):
                hits.append((text[a:b], rule))
    return hits


def _forms(tok) -> set[str]:
    low = tok.lower_
    forms = {low, tok.lemma_.lower()}
    for suffix, repl in (("ing", ""), ("ing", "e"), ("ed", ""), ("ed", "e"), ("es", ""), ("s", "")):
        if low.endswith(suffix) and len(low) > len(suffix) + 2:
            forms.add(low[: -len(suffix)] + repl)
    return forms


def may_be_vague(analysis, options: dict, tdoc, text: str) -> bool:
    """Could `vague_reason` find a reason in this action? Read from its tokens alone (`tdoc`, not
    analysed): every test it makes, loosened to the words and the lemmas they could have."""
    lemmas = lemmas_for(analysis.analyzer.light)
    lowers = frozenset(t.lower_ for t in tdoc)
    possible = frozenset().union(*(lemmas.of(w) for w in lowers)) if lowers else frozenset()
    forms = lowers | possible | {f for t in tdoc for f in _forms(t)}
    if not any(t.is_alpha for t in tdoc):
        return True
    if forms & (set(options.get("vague_verbs", [])) | set(options.get("improve_verbs", []))):
        return True
    # a phrasal verb is vague with one of its particles ("reach out"), which must then be a word here
    if any(verb in forms and lowers & set(particles)
           for verb, particles in (options.get("vague_phrasal") or {}).items()):
        return True
    if lowers & set(options.get("vague_modifiers", [])) or possible & STRETCH_VERBS:
        return True
    if possible & set(options.get("improve_nouns", [])):
        return True
    for entry in options.get("vague_patterns", []):
        if re.search(entry if isinstance(entry, str) else entry["regex"], text, re.I):
            return True
    categories = set(options.get("vague_categories", ["vague-action"]))
    rules = [r for r in analysis.ruleset.rules if not r.check and r.match]
    if not any(r.category in categories for r in rules):
        return False
    block = SimpleNamespace(text=text, kind="paragraph")  # what the first pass reads of a block
    fired = prepare(rules, analysis.analyzer.light).fired(Block(-1, block, tdoc, lowers, possible))
    return any(r.id in fired and r.category in categories for r in rules)


def vague_reason(analysis, options: dict, doc, text: str, specific: bool) -> str | None:
    """Why the action (`doc`, parsed; `text`, its text) is not specific and checkable, or None.
    `specific`: the item names an artefact (code or a link), so a measure is not asked for."""
    words = [t for t in doc if t.is_alpha]
    if not words:
        return "there is no action, only an owner or a date"
    for matched, rule in _vague_rule_hits(analysis, options, doc, text):
        if specific and rule.id == "open-ended-item":
            continue  # an item that names an artefact ("Optimize the `orders_by_customer` query") is not open-ended
        return f"“{matched}” — {rule.title[0].lower()}{rule.title[1:]}"
    for entry in options.get("vague_patterns", []):
        pattern, why = (entry, None) if isinstance(entry, str) else (entry["regex"], entry.get("reason"))
        m = re.search(pattern, text, re.I)
        if m:
            return f"“{m.group(0).strip()}” {why or 'asks people to try harder instead of naming a change'}"

    vague = set(options.get("vague_verbs", []))
    phrasal = {k: set(v) for k, v in (options.get("vague_phrasal") or {}).items()}
    improve = set(options.get("improve_verbs", []))
    nominal = set(options.get("vague_modifiers", []))
    deliver_verbs = set(options.get("deliverable_verbs", []))
    light = set(options.get("light_verbs", []))
    deliver_re = options.get("deliverable_pattern")

    first = words[0]
    roots = [t for t in doc if t.dep_ == "ROOT"]
    verbs = [t for t in doc if t.pos_ == "VERB"]
    candidates = [first] + roots[:1] + verbs[:1]
    lead, kind = None, None
    for tok in candidates:
        forms = _forms(tok)
        if forms & vague:
            lead, kind = tok, "vague"
            break
        hit = forms & set(phrasal)
        if hit:
            particles = phrasal[next(iter(hit))]
            nxt = doc[tok.i + 1: tok.i + 4]
            if any(t.lower_ in particles for t in nxt[:2]) or any(
                c.lower_ in particles for c in tok.children if c.dep_ in ("prep", "prt", "dobj", "advmod")
            ):
                lead, kind = tok, "vague"
                break
        if forms & improve and tok.pos_ != "NOUN":
            lead, kind = tok, "improve"
            break
    if lead is None and first.lower_ in nominal and not any(t.pos_ == "VERB" for t in doc):
        lead, kind = first, "improve"
    if lead is None:
        lead = _better_object(doc, nominal, set(options.get("improve_nouns", [])))
        kind = "improve"
    if lead is None:
        return None

    if kind == "vague":
        if _delivers(doc, lead, vague | improve | light | set(phrasal), deliver_verbs):
            return None
        for pattern in (deliver_re, options.get("outcome_pattern")):
            if pattern and re.search(pattern, text[lead.idx:], re.I):
                return None
        return f"“{_phrase(doc, lead, phrasal, False)}” describes an activity, not an outcome; say what it will produce or change"
    if specific or _has_measure(doc, lead):
        return None
    return f"“{_phrase(doc, lead, phrasal, True)}” has no measure; name the metric, threshold or artefact that shows it is done"


def _delivers(doc, lead, weak: set[str], deliver_verbs: set[str]) -> bool:
    """Whether a vague lead comes with an outcome: "investigate X and fix Y", "review X to
    produce a list of Y". The verb right after "consider" is what is considered, not an outcome."""
    chain = {lead.i}
    for t in doc:  # the lead and the verbs coordinated with it (the parser may hang them on its object)
        if t.dep_ != "conj" or t.pos_ not in ("VERB", "AUX") or t.i <= lead.i:
            continue
        h = t.head
        while h.pos_ not in ("VERB", "AUX") and h.head.i != h.i and h.i not in chain:
            h = h.head
        if h.i in chain:
            if not _forms(t) & weak:
                return True
            chain.add(t.i)
    for t in doc:
        if t.i <= lead.i or t.pos_ != "VERB" or not _forms(t) & deliver_verbs:
            continue
        if t.dep_ in ("advcl", "xcomp", "conj") and any(c.lower_ == "to" for c in t.children) and t.head.i in chain:
            return True  # purpose: "... to produce a shortlist"
    return False


def _better_object(doc, nominal: set[str], improve_nouns: set[str]):
    """"Write better tests", "make the dashboards better", "monitoring improvements": a vague
    comparative or an improvement noun standing in for the change itself."""
    for t in doc:
        if t.lower_ in nominal and t.dep_ in ("amod", "advmod") and t.head.pos_ in ("NOUN", "PROPN") and t.head.i > t.i:
            return t
        if t.tag_ in ("JJR", "RBR") and t.dep_ in ("acomp", "oprd", "ccomp", "xcomp", "advmod") and t.head.lemma_.lower() in STRETCH_VERBS:
            return t
    if not any(t.pos_ == "VERB" for t in doc):
        for t in doc:
            if t.lemma_.lower() in improve_nouns and t.dep_ == "ROOT":
                return t
    return None


def _phrase(doc, lead, phrasal, with_object: bool) -> str:
    """A short quote for the message: "Think about", "Consider", "Improve monitoring", "better tests"."""
    if lead.pos_ != "VERB" and lead.head.i > lead.i and lead.dep_ in ("amod", "advmod"):
        return doc[lead.i: lead.head.i + 1].text
    if lead.tag_ in ("JJR", "RBR") and lead.head.i < lead.i and lead.i - lead.head.i <= 5:
        return doc[lead.head.i: lead.i + 1].text  # "Make the deploy faster"
    end = lead.i + 1
    forms = _forms(lead)
    hit = forms & set(phrasal)
    if hit and end < len(doc) and doc[end].lower_ in phrasal[next(iter(hit))]:
        return doc[lead.i: end + 1].text
    if with_object:
        objs = [c for c in lead.children if c.dep_ in ("dobj", "xcomp", "attr", "prt") and c.i > lead.i]
        if objs and objs[0].i - lead.i <= 3:
            return doc[lead.i: objs[0].i + 1].text
    return lead.text


def _has_measure(doc, lead) -> bool:
    for t in doc:
        if t.i == lead.i:
            continue
        if t.like_num or t.text == "%" or any(c.isdigit() for c in t.text):
            return True
        if t.pos_ == "PROPN" and t.i > 0 and not t.is_sent_start and t.text[:1].isupper():
            return True
        if t.text.startswith(("'", "\"", "“", "‘")):
            return True
    return False
