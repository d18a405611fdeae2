"""The first pass's regex prefilter: a rule's top-level alternatives, each with its own literals."""

import re

from blamelint.analysis.triggers import literal_needs, regex_branches


def test_a_regex_splits_at_its_top_level_bars_only():
    rx = re.compile(r"\bfoo(?:bar|baz)\b|[|a]quux\||\bthe\s+(?:x|y)\s+culprit\b", re.I)
    parts = [b.pattern for b, _ in regex_branches(rx)]
    assert parts == [r"\bfoo(?:bar|baz)\b", r"[|a]quux\|", r"\bthe\s+(?:x|y)\s+culprit\b"]
    assert all(b.flags == rx.flags for b, _ in regex_branches(rx))


def test_each_branch_keeps_its_own_literals_and_matches_as_the_whole():
    rx = re.compile(r"\bboils?\s+down\s+to\b|\bthe\s+crux\s+of\b|\b(?:was|is)\s+the\s+culprit\b", re.I)
    branches = regex_branches(rx)
    assert "crux" in set().union(*branches[1][1]) and "culprit" in set().union(*branches[2][1])
    for text in ("It all boils down to the cache.", "The crux of the problem is X.", "The pool was the culprit.",
                 "Nothing here."):
        assert bool(rx.search(text)) == any(b.search(text) for b, _ in branches)
    assert literal_needs(rx)  # the whole rule's prefilter stays


def test_no_split_for_a_single_alternative():
    assert regex_branches(re.compile(r"\bfoo(?:a|b)\b")) == []


def test_the_branch_index_finds_the_branches_the_literals_allow():
    from types import SimpleNamespace

    from blamelint.analysis.triggers import RuleTrigger

    rx = re.compile(r"\bboils?\s+down\s+to\b|\bthe\s+crux\s+of\b|\b(?:was|is)\s+the\s+culprit\b|\d+\s*%", re.I)
    rule = SimpleNamespace(id="t", match={"regex": rx.pattern}, compiled={"regex": rx})
    trigger = RuleTrigger(rule, None)
    for present in ({"crux"}, {"culprit", "the"}, {"boil", "down"}, set(), {"crux", "culprit", "down"}):
        naive = [n for n, (_, clauses) in enumerate(trigger.branches) if all(c & present for c in clauses)]
        assert trigger.possible(present) == naive


def _first(text):
    from blamelint import document
    from blamelint.analysis import triggers
    from blamelint.engine import linter_for

    linter = linter_for(None)
    doc = document.parse(text, path="t.md")
    blocks = [b for b in doc.blocks if b.text.strip()]
    fp = triggers.first_pass(doc, blocks, linter.analyzer.tokens([b.text for b in blocks]), linter.config,
                             linter.ruleset, linter.analyzer.light)
    return linter, fp


TEXTS = ("The root cause was simply human error: the engineer forgot to renew the certificate.\n\n"
         "In hindsight it was obvious; we should have known better. Nobody checked the alerts!\n\n"
         "If only the on-call had looked, this was entirely avoidable and never should happen again.\n\n"
         "Latency recovered at 14:05 UTC. The cache filled up and the pods restarted.")


def test_a_need_finds_the_tokens_that_meet_it():
    from blamelint.analysis.triggers import prepare

    linter, fp = _first(TEXTS)
    index = prepare([r for r in linter.rules if not r.check and r.match], fp.nlp)
    needs = [n for t in index.triggers for alt in t.alternatives for n in alt]
    assert needs
    for b in fp.blocks:
        words = [t.lower_ for t in b.doc]
        for need in needs:
            assert need.where(b, fp.lemmas) == [i for i, w in enumerate(words) if need.met_by(w, fp.lemmas)]


def test_filed_regex_rules_fire_as_if_each_were_tried():
    from blamelint.analysis.nlp import mask_timestamp
    from blamelint.analysis.triggers import fold, prepare

    linter, fp = _first(TEXTS)
    index = prepare([r for r in linter.rules if not r.check and r.match], fp.nlp)
    assert index.filed
    seen = set()
    for b in fp.blocks:
        folded = fold(b.block.text) + "\0" + fold(mask_timestamp(b.block.text))
        present = {w for w in index.literals if w in folded}
        each = {t.rule.id for t in index.direct if t.fires(b, present)}
        assert {t.rule.id for t in index.direct} & index.fired(b) == each
        seen |= each
    assert len(seen) > 3  # (the texts fire several of them)


def test_token_texts_are_the_tokens_text():
    from blamelint.analysis.nlp import load_light, token_starts, token_texts

    nlp = load_light(None)
    for text in ("Naïve café — it's 😀 fine.\n\n  Two  spaces", "", "on-call didn't", " "):
        doc = nlp.make_doc(text)
        assert token_texts(doc) == [t.text for t in doc]
        assert token_starts(doc) == [t.idx for t in doc]
