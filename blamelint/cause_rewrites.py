"""Rewrites of single-cause framing (the root-cause rules' `rewrite:` functions): one cause named
as one of several ("The culprit" → "A contributing factor"), the search for "the root cause" as
the search for the contributing factors, and a "Root cause" heading renamed."""

from __future__ import annotations

import re

from blamelint.analysis.grammar import parsed_span_of, span_of

SEEKING = {"find", "identify", "determine", "establish", "pinpoint", "uncover", "discover", "confirm", "locate",
           "understand", "investigate", "address", "fix", "know", "learn", "seek", "analyse", "analyze", "explain"}


def contributing_factors(unit, a: int, b: int):
    """"until we find the root cause of the failing disks" → "until we find the contributing factors
    of the failing disks": what is looked for, found or fixed is the set of conditions, not one of
    them ("a contributing factor" would narrow the search). As a subject or after "was" the rule's
    own "a contributing factor" stays ("The root cause was X" → "A contributing factor was X")."""
    span = span_of(unit, a, b)
    if span is None or not re.match(r"(?:the|our|its|their)\s+(?:\w+\s+)?root[\s-]+cause$", unit.block.text[a:b], re.I):
        return None
    cause = span[-1]
    verb = cause.head.head if cause.dep_ == "pobj" and cause.head.lower_ in ("for", "into", "at", "to") else cause.head
    if cause.dep_ not in ("dobj", "pobj") or verb.lemma_.lower() not in SEEKING:
        return None
    if re.match(r"\s*(?:[:,(—–-]|as\b|which\b|to\s+be\b|was\b|is\b)", unit.block.text[b:]):
        return None  # "we identified the root cause: a missing index" / ", which was …" names one
    return a, b, "the contributing factors"


def contributing_heading(unit, a: int, b: int):
    """A "Root cause" heading renamed "Contributing factors", in the heading's own case ("Root
    Cause" → "Contributing Factors")."""
    said = unit.block.text[a:b]
    words = said.split()
    if said.isupper():
        return a, b, "CONTRIBUTING FACTORS"
    titled = len(words) > 1 and all(w[:1].isupper() for w in words if w.isalpha())
    return a, b, "Contributing Factors" if titled else "Contributing factors"


def contributing(unit, a: int, b: int):
    """"The real reason for" → "A contributing factor to", "it all came down to" → "a contributing
    factor was", "The culprit" → "A contributing factor": one cause named as one of several."""
    text = unit.block.text[a:b]
    low = text.lower()
    present = re.search(r"\b(?:comes|goes|boils|traces|leads|lead|flows|stems|is|has)\b", low) is not None
    if found := _more_framings(unit, a, b, text, low):
        return found
    if m := re.search(r"\b(?:caused|triggered|explained|originated)\s+(\w+)\s+(?:by|from|in)$", low):
        # "caused entirely by" → "caused in part by"
        start = a + m.start(1)
        return start, start + len(m.group(1)), "in part"
    if m := re.search(r"^(entirely|solely|purely|wholly|exclusively)\s", low):
        return a, a + len(m.group(1)), "Partly" if text[:1].isupper() else "partly"  # "entirely due to" → "partly due to"
    if (m := re.search(r"^for\s+(?:just\s+|only\s+|exactly\s+)?one\s+reason$", low)) and (
            tail := re.match(r"(?:\s+only|\s+and\s+one\s+reason\s+only)?\s*:\s+", unit.block.text[b:])):
        # "went down for one reason only: the CDN purge" → "went down in part because of the CDN purge"
        end = b + tail.end()
        span = parsed_span_of(unit, end, end + 1)
        top = span.doc[span.start: span.sent.end].root if span is not None else None  # what follows the colon
        clause = top is not None and (top.tag_ in ("VBD", "VBZ", "VBP", "MD") or any(
            c.dep_ in ("aux", "auxpass") and c.tag_ in ("VBD", "VBZ", "VBP", "MD") for c in top.children))
        return a, end, "in part because " if clause else "in part because of "
    if m := re.search(r"\b(?:(?:just|only|exactly|but|really)\s+)?(?:one|a\s+single)\s+(?:(?:real|true)\s+)?(?:cause|reason|source|origin|explanation|root)$", low):
        if low[:m.start()].strip() in ("for", "") or not re.match(r"\s*(?:[:;,.—–-]|$)", unit.block.text[b:]):
            return None  # "went down for one reason: …", "one reason sign-ups failed": no noun phrase to keep
        return a + m.start(), b, "a contributing factor"  # "had exactly one cause" → "had a contributing factor"
    if m := re.search(r"\b(?:stems?|stemmed|traces?|traced|comes?|came)\s+(?:back\s+|down\s+)?()(?:from|to)\s+(?:a\s+single|one|just\s+one|a\s+lone)$", low):
        return a + m.start(1), a + m.start(1), "in part "  # "stems from one expired token" → "stems in part from …"
    if m := re.search(r"\b(?:ultimately|really|actually)\s+(caused\s+by)\s+(?:a\s+single|one|just\s+one)$", low):
        return a, a + m.end(1), "caused in part by"  # "ultimately caused by a single push" → "caused in part by a single push"
    if re.search(r"^(?:alone|solely|single-handedly)\s+(?:caused|triggered)$", low):
        return a, b, "contributed to"  # "the stale certificate alone caused X" → "… contributed to X"
    if m := re.search(r"^(?:is|was|are|were)\s+(fully|entirely|completely|wholly)\s+explained\s+by$", low):
        return a + m.start(1), a + m.end(1), "partly"
    if m := re.search(r"^(?:came|comes|boiled|boils)\s+down\s+(\w+)\s+to$", low):
        return a + m.start(1), a + m.end(1), "in part"  # "came down entirely to" → "came down in part to"
    if m := re.search(r"^(?:caused|triggered)\s+the\s+(?:entire|whole)\s+(\w+)$", low):
        return a, b, "contributed to the " + text[m.start(1):]  # "caused the entire outage"
    if m := re.search(r"^(?:the|this)\s+(?:one|single|only)\s+(\w+\s+(?:behind|that\s+\w+))$", low):
        rest = re.sub(r"that\s+caused$", "that contributed to", text[m.start(1):])
        return a, b, ("One " if text[:1].isupper() else "one ") + rest  # "The one factor behind X" → "One factor behind X"
    if re.search(r"^what\s+(?:really|actually|ultimately|truly)\s+caused$", low):
        return a, b, "What contributed to" if text[:1].isupper() else "what contributed to"
    if re.search(r"^the\s+(?:root|crux)\s+of\s+(?:the|this|our|it)\b|^the\s+(?:only\s+|one\s+)?(?:real|true|underlying|actual|fundamental)\s+(?:problem|issue)$", low) or re.search(
            r"^at\s+the\s+heart\s+of\s+(?:it|this|the\s+matter)\s+(?:was|is)$|^at\s+(?:its|the)\s+(?:core|heart),?\s+\w+(?:\s+\w+)?\s+(?:was|is)$", low):
        verb = re.search(r"\b(was|is)$", low)  # "At the heart of it was X" → "A contributing factor was X"
        about = re.search(r",?\s+((?:this|the)\s+(?:[\w-]+\s+)?(?:outage|incident|episode|failure|problem|breach|mess))\s+(?:was|is)$", text)
        new = "a contributing factor" + (" to " + about.group(1) if about else "") + (" " + verb.group(1) if verb else "")
        return a, b, new[0].upper() + new[1:] if text[:1].isupper() else new
    if re.search(r"\b(?:down|back)\s+to$|\b(?:lead|leads|led)\s+to$|\b(?:from)$", low):
        new = "a contributing factor is" if present else "a contributing factor was"
    elif re.search(r"\b(?:of|for|behind)$", low):
        new = "a contributing factor to"
    elif m := re.search(r"^(?:the|a)\s+(?:sole|only|single)\s+(reason|origin|source)$", low):
        new = "one " + m.group(1)  # "The sole reason users were logged out was …" → "One reason …"
    elif re.search(r"^(?:the|a)\s+(?:one|only|single)\s+thing\s+that\s+caused$", low):
        new = "one thing that contributed to"  # "The one thing that caused this was X"
    elif " " in low.strip() and not re.search(r"\b(?:culprit|cause|reason)$", low):
        return None  # an idiom the noun phrase cannot replace ("at the heart of", "that's all there is to it")
    else:
        new = "a contributing factor"
    return a, b, new[0].upper() + new[1:] if text[:1].isupper() else new


def _capital(text: str, new: str) -> str:
    return new[0].upper() + new[1:] if text[:1].isupper() else new


def _more_framings(unit, a: int, b: int, text: str, low: str):
    """The framings that say "one cause" without the word: each as one factor among several."""
    if m := re.search(r"^(to|about|was|is|sat|had|has)\s+(?:just\s+|only\s+)?one\s+thing\s*:$", low):
        return a, b, text[:len(m.group(1))] + " a contributing factor:"  # "points to one thing: X"
    if m := re.search(r"^nothing\s+but\s+(.+?)\s+(?:caused|triggered)$", low):
        return a, b, _capital(text, text[m.start(1): m.end(1)] + " contributed to")  # "Nothing but X caused Y"
    if m := re.search(r"^no\s+other\s+(factor|reason|cause)s?\s+(played|contributed|mattered)$", low):
        return a, b, _capital(text, f"other {m.group(1)}s may have {m.group(2)}")
    if re.search(r"^[;,:]\s*the\s+rest\s+is\s+(?:just\s+|mere\s+|only\s+)?(?:detail|details|noise|commentary)$", low):
        return a, b, ""  # "it was the missing rate limit; the rest is detail"
    if m := re.search(r"\b(because|caused\s+by)$", low):
        if re.search(r"^(?:everything|it\s+all|all\s+of\s+(?:it|this))\b", low):
            start = a + m.start(1)  # "Everything broke because of X" → "Everything broke in part because of X"
            if m.group(1) != "because":
                return start, b, "caused in part by"
            return start, start, "in part "
    if re.search(r"^(?:fundamentally|in\s+a\s+nutshell|boiled\s+down)\b", low):
        end = a + len(re.match(r"fundamentally|in\s+a\s+nutshell|boiled\s+down", low).group(0))
        return a, end, _capital(text, "in part")  # "Fundamentally, the outage happened because …"
    if m := re.search(r"^sole\s+(responsibility|causality)\s+for$", low):
        return a, b, _capital(text, f"part of the {text[m.start(1): m.end(1)]} for")
    if m := re.search(r"^attributable\s+to\s+(?:the\s+one|one|a\s+single|the\s+single)$", low):
        return a + len("attributable"), a + len("attributable"), " in part"  # "attributable in part to one …"
    if m := re.search(r"^(is|was)\s+the\s+reason\b", low):
        return a, a + m.end(0), text[:len(m.group(1))] + " one reason"  # "X is the reason this happened"
    if re.search(r"^the\s+same\s+single\s+\w+$", low):
        return a, b, text[:3] + " same " + text.split()[-1]  # "the same single problem" → "the same problem"
    if m := re.search(r"^(?:the\s+(?:whole|entire)|everything|it\s+all|all\s+of)\b.*\s(?:stems?|stemmed|traces?(?:\s+back)?|traced(?:\s+back)?)\s+()(?:from|to)$", low):
        return a + m.start(1), a + m.start(1), "in part "  # "The whole outage stems from a bad flag" → "… stems in part from …"
    if m := re.search(r"^(?:is|was)\s+what\s+(caused|triggered|took\s+down|broke|brought\s+down)$", low):
        return a, b, "contributed to" + ("" if m.group(1) in ("caused", "triggered") else " " + {
            "broke": "breaking"}.get(m.group(1), "taking down" if "took" in m.group(1) else "bringing down"))
    if re.search(r"^the\s+(?:real\s+|main\s+)?culprit\s*:$", low):
        return a, b, _capital(text, "a contributing factor:")
    if m := re.search(r"^explained\s+()by\s+(?:one|a\s+single|just\s+one)$|^(?:go|goes|went)\s+back\s+()to\s+(?:one|a\s+single)$", low):
        at = a + (m.start(1) if m.group(1) is not None else m.start(2))
        return at, at, "in part "  # "explained by one bad line" → "explained in part by one bad line"
    if m := re.search(r"^the\s+beginning\s+and\s+(?:the\s+)?end\s+of\s+", low):
        return a, a + m.end(), _capital(text, "a contributing factor to ")  # "… the beginning and the end of this incident"
    if m := re.search(r"\bbegan\s+and\s+ended\s+with$", low):
        return a + m.start(), b, "began with"  # "began and ended with the upgrade" → "began with the upgrade"
    if re.search(r"^and\s+in\s+nothing\s+else$", low) and unit.block.text[a - 2:a] == ", ":
        return a - 2, b, ""  # "rooted in the codec setting, and in nothing else"
    if re.search(r"^purely\s+and\s+simply$", low):
        return a, b + (unit.block.text[b:b + 1] == " "), ""
    return None
