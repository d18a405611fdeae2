"""The model reads only the pieces (sentences) of a paragraph some rule could flag; the rest keep
their tokens. What a rule reads must lie in the pieces chosen for it, so findings do not change
(the corpus-wide check is tests/test_two_stage.py; these are the cases it may not hold)."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from blamelint.analysis import triggers
from blamelint.analysis.nlp import Analyzer, piece_starts, pieces
from blamelint.config import Config
from blamelint.detectors import DETECTORS
from blamelint.engine import Linter, linter_for
from blamelint.rules import Rule

THREE = "The cache filled up. Maren restarted the pod at noon. Latency recovered within minutes."


def _first(linter, text):
    from blamelint import document

    doc = document.parse(text, path="t.md")
    blocks = [b for b in doc.blocks if b.text.strip()]
    return triggers.first_pass(doc, blocks, linter.analyzer.tokens([b.text for b in blocks]), linter.config,
                               linter.ruleset, linter.analyzer.light)


def test_piece_starts_follow_the_pieces():
    text = "It failed.  Then it worked. Done"
    starts = piece_starts(text)
    assert [text[a:a + len(p)] for a, (p, _) in zip(starts, pieces(text), strict=True)] == [p for p, _ in pieces(text)]


def test_a_plan_parses_only_its_pieces():
    analyzer = linter_for(None).analyzer
    doc = analyzer.docs([THREE], plan={THREE: ({1}, {1})})[0]
    whole = analyzer.docs([THREE], ner={THREE})[0]
    assert [t.text for t in doc] == [t.text for t in whole]
    mid = [t for t in doc if t.idx >= THREE.index("Maren") and t.idx < THREE.index("Latency")]
    assert [(t.tag_, t.dep_, t.head.i, t.lemma_, t.ent_type_) for t in mid] == [
        (t.tag_, t.dep_, t.head.i, t.lemma_, t.ent_type_) for t in whole[mid[0].i:mid[-1].i + 1]]
    rest = [t for t in doc if t not in mid]
    assert all(not t.tag_ and not t.lemma_ and not t.ent_type_ for t in rest)
    # a parsed sentence never runs on into a piece the model did not read
    assert mid[0].sent.start == mid[0].i and mid[-1].sent.end == mid[-1].i + 1
    assert all(t.is_sent_start for t in rest)


def test_a_reader_of_one_span_gets_its_sentences_as_the_whole_analysis_has_them():
    from blamelint import document
    from blamelint.engine import Unit

    linter = linter_for(None)
    text = "- Fix the cache eviction. Owner: Maren Lund (SRE). Latency recovered within minutes.\n"
    block = [b for b in document.parse(text, path="t.md").blocks if b.text.strip()][0]
    tokens = linter.analyzer.tokens([block.text])[0]
    a = block.text.index("Maren")
    b = a + len("Maren Lund")
    part = Unit(block, tokens, None, linter.analyzer).analysed_at(a, b)
    whole = Unit(block, tokens, None, linter.analyzer).analysed()
    assert [t.text for t in part] == [t.text for t in whole]
    span, full = part.char_span(a, b, alignment_mode="expand"), whole.char_span(a, b, alignment_mode="expand")
    assert [(t.pos_, t.tag_, t.dep_, t.ent_type_) for t in span.sent] == [
        (t.pos_, t.tag_, t.dep_, t.ent_type_) for t in full.sent]
    assert [(e.text, e.label_) for e in span.ents] == [(e.text, e.label_) for e in full.ents]
    assert not any(t.tag_ for t in part if t.idx >= block.text.index("Latency"))  # the rest is not parsed
    # with the whole analysis at hand, that is what it gives
    assert Unit(block, tokens, None, linter.analyzer).analysed_at(a, b) is whole


def test_a_name_picks_its_sentence_and_the_next_when_it_opens_with_a_pronoun():
    linter = linter_for(None)
    sel = triggers.select(_first(linter, THREE + "\n"), linter.rules, DETECTORS)
    assert sel.plan[0][0] == {1} and sel.plan[0][1] == {1}
    text = "The cache filled up. Maren restarted the pod. She checked the logs. Latency recovered.\n"
    sel = triggers.select(_first(linter, text), linter.rules, DETECTORS)
    assert sel.plan[0] == ({1, 2}, {1, 2})


def test_a_blamed_role_picks_only_its_sentence_without_entities():
    linter = linter_for(None)
    text = "Traffic doubled at noon. The on-call engineer ignored the alert. Latency recovered.\n"
    sel = triggers.select(_first(linter, text), linter.rules, DETECTORS)
    assert sel.plan[0] == ({1}, set())


def _rule(match: dict) -> Rule:
    return Rule(id="t", category="blame", severity="warning", title="t", message="m", why="", link="",
                examples={}, match=match, source="test")


def _block(linter, text):
    return _first(linter, text + "\n").blocks[0]


def test_a_token_pattern_reaches_the_pieces_it_can_span():
    linter = linter_for(None)
    b = _block(linter, "It failed. Then it worked. Nothing else.")
    across = triggers.RuleTrigger(_rule({"patterns": [[{"LOWER": "failed"}, {"IS_PUNCT": True}, {"LOWER": "then"}]]}),
                                  linter.analyzer.nlp)
    assert across.length == 3 and across.pieces(b, triggers.lemmas_for(linter.analyzer.nlp)) == {0, 1}
    inside = triggers.RuleTrigger(_rule({"patterns": [[{"LOWER": "nothing"}, {"LOWER": "else"}]]}), linter.analyzer.nlp)
    assert inside.pieces(b, triggers.lemmas_for(linter.analyzer.nlp)) == {2}
    unbounded = triggers.RuleTrigger(_rule({"patterns": [[{"LOWER": "failed"}, {"OP": "*"}, {"LOWER": "worked"}]]}),
                                     linter.analyzer.nlp)
    assert unbounded.length is None and unbounded.pieces(b, triggers.lemmas_for(linter.analyzer.nlp)) == {0, 1, 2}
    # unbounded, a match runs on from the word its first token needs: every piece from that word's on
    later = _block(linter, "It worked. It failed. Then it worked.")
    assert unbounded.pieces(later, triggers.lemmas_for(linter.analyzer.nlp)) == {1, 2}
    # with a bounded pattern beside it, each pattern keeps its own reach
    both = triggers.RuleTrigger(_rule({"patterns": [[{"LOWER": "failed"}, {"OP": "*"}, {"LOWER": "worked"}],
                                                    [{"LOWER": "it"}, {"LOWER": "worked"}]]}), linter.analyzer.nlp)
    assert both.pieces(later, triggers.lemmas_for(linter.analyzer.nlp)) == {0, 1, 2}
    assert both.pieces(_block(linter, "It failed. Nothing else. Fine."), triggers.lemmas_for(linter.analyzer.nlp)) is not None
    # an unbounded pattern that may start with any word: the whole block
    anywhere = triggers.RuleTrigger(_rule({"patterns": [[{"OP": "*"}, {"LOWER": "failed"}]]}), linter.analyzer.nlp)
    assert anywhere.pieces(later, triggers.lemmas_for(linter.analyzer.nlp)) is None


def test_a_regex_rule_picks_the_pieces_its_matches_touch():
    linter = linter_for(None)
    b = _block(linter, "It failed. It was human error. Then it worked.")
    rule = _rule({"regex": r"human\s+error"})
    rule.compiled = {"regex": re.compile(r"human\s+error", re.I)}
    assert triggers.RuleTrigger(rule, linter.analyzer.nlp).pieces(b, triggers.lemmas_for(linter.analyzer.nlp)) == {1}


@pytest.mark.parametrize("pattern, needs", [
    (r"\bhuman\s+error\b", [{"human"}, {"error"}]),
    (r"(?:human|operator)[\s-]+(?:error|mistake)s?|\bPEBK[AC]C\b", [{"human", "operator", "pebk"}]),
    (r"a?bc|(?:x|)yz", [{"bc", "yz"}]),
    (r"a?b|(?:xy|)z", []),  # one-letter words and an empty alternative: nothing certain
    (r"(?-i:[A-Z][a-z]+)'s fault", [{"'s fault"}]),
    (r"(?:root){1,2} cause|(?:root)* causes", [{" cause", " causes"}]),
])
def test_literal_needs(pattern, needs):
    assert triggers.literal_needs(re.compile(pattern, re.I)) == [frozenset(n) for n in needs]


def test_literal_needs_hold_for_every_match_of_the_shipped_regexes():
    from pathlib import Path

    linter = linter_for(None)
    texts = [p.read_text(encoding="utf-8") for p in sorted((Path(__file__).parents[1] / "corpus").rglob("*.md"))]
    checked = 0
    for rule in linter.ruleset.rules:
        regex = (rule.compiled or {}).get("regex")
        if regex is None:
            continue
        needs = triggers.literal_needs(regex)
        for text in texts + rule.example_texts("bad") + rule.example_texts("good"):
            for m in regex.finditer(text):
                folded = m.group(0).casefold()
                assert all(any(w in folded for w in clause) for clause in needs), (rule.id, m.group(0))
                checked += 1
    assert checked > 50


EDGES = [
    # a name's sentence, a pronoun opening the next one, a question after a blaming sentence
    "Maren restarted the pod. She then checked the logs. Why did nobody notice?",
    "The deploy failed. Why did the on-call engineer not notice? Then Maren rolled back.",
    "14:05 UTC: Ingrid paged the DBA. He ignored it. The disk filled up.",
    "Orin runs the backups. Orin crashed at noon. Then Tove restarted Orin.",
    "It was human error. Then the team rolled back. Someone should have known.",
    "Latency rose. Nobody was careless. The engineer forgot to renew the certificate.",
]


@pytest.mark.parametrize("text", EDGES)
def test_default_and_exhaustive_agree_on_sentence_edges(text):
    config = Config(today=dt.date(2026, 1, 31))
    big = {"cache_tokens": 10**9, "token_cache_tokens": 10**9}
    fast = Linter(config, analyzer=Analyzer(config.model, **big))
    full = Linter(config, analyzer=Analyzer(config.model, **big))
    split = text.replace(". ", ".\n\n")
    doc = f"# Incident\n\n## Timeline\n\n{text}\n\n## Summary\n\n{split}\n"
    a = [(f.rule, f.start, f.end, f.message, [x.title for x in f.fixes]) for f in fast.lint_text(doc, "e.md").findings]
    b = [(f.rule, f.start, f.end, f.message, [x.title for x in f.fixes])
         for f in full.lint_text(doc, "e.md", exhaustive=True).findings]
    assert a == b and a


def test_an_action_the_model_skips_could_never_be_vague():
    """`may_be_vague` (tokens only) must hold for every action `vague_reason` (parsed) reports."""
    from pathlib import Path

    from blamelint import document
    from blamelint.detectors.followup.vagueness import may_be_vague, vague_reason
    from blamelint.engine import Analysis

    linter = linter_for(None)
    linter.prepare()
    rule = next(r for r in linter.ruleset.rules if r.id == "followup-action")
    texts = rule.example_texts("bad") + rule.example_texts("good")
    for path in sorted((Path(__file__).parents[1] / "corpus").rglob("*.md")):
        parsed = document.parse(path.read_text(encoding="utf-8"))
        texts += [b.text for b in parsed.blocks if b.kind == "list_item"]
    analysis = Analysis(None, linter.config, linter.ruleset, [], nlp=linter.analyzer.nlp, analyzer=linter.analyzer,
                        compile_matchers=linter._compile)
    texts = list(dict.fromkeys(texts))
    docs = linter.analyzer.docs(texts, ner=set())
    tokens = linter.analyzer.tokens(texts)
    skipped = reported = 0
    for text, doc, tdoc in zip(texts, docs, tokens, strict=True):
        gate = may_be_vague(analysis, rule.options, tdoc, text)
        if vague_reason(analysis, rule.options, doc, text, False) is not None:
            assert gate, text
            reported += 1
        skipped += not gate
    assert reported > 20 and skipped > 100  # it does skip the plain ones


@pytest.mark.parametrize("text, gate", [
    ("Reach out to the vendor about the quota", True),
    ("Sync up with the DBA team on failover", True),
    ("Alert when replication lag reaches 30 s [2026-02-10]", False),  # "reach" without "out"
    ("Add a CI check that fails above 300 connections", False),  # "check" without "in"
])
def test_a_phrasal_verb_needs_its_particle_to_be_parsed(text, gate):
    from blamelint.detectors.followup.vagueness import may_be_vague, vague_reason
    from blamelint.engine import Analysis

    linter = linter_for(None)
    rule = next(r for r in linter.ruleset.rules if r.id == "followup-action")
    analysis = Analysis(None, linter.config, linter.ruleset, [], analyzer=linter.analyzer,
                        compile_matchers=linter._compile)
    assert may_be_vague(analysis, rule.options, linter.analyzer.tokens([text])[0], text) is gate
    if gate:  # and the parse does find them vague
        doc = linter.analyzer.docs([text], ner=set())[0]
        assert vague_reason(analysis, rule.options, doc, text, False)


def test_a_batch_frees_the_words_of_its_documents(tmp_path):
    from blamelint.runner import lint_files

    nlp = linter_for(None).analyzer.nlp
    files = []
    for i in range(4):
        files.append(tmp_path / f"{i}.md")
        files[-1].write_text(f"# Incident {i}\n\nThe zorblaxqq{i} cache filled up. Human error caused it.\n",
                             encoding="utf-8")
    list(lint_files(files[:1], lambda path: Config()))  # what lasts (matchers, indexes) is built once
    before = len(nlp.vocab.strings)
    outcomes = list(lint_files(files, lambda path: Config()))
    assert [o.result.findings[0].rule for o in outcomes] == ["human-error"] * 4
    assert len(nlp.vocab.strings) == before and "zorblaxqq2" not in nlp.vocab.strings


def test_a_batch_warms_the_tokenizer_with_the_chunks_it_saw_twice(tmp_path, monkeypatch):
    """Inside a memory zone spaCy caches no tokenization; chunks seen twice are tokenized outside
    the next zone so they are cached, which changes no token."""
    from blamelint.analysis import nlp as nlp_module
    from blamelint.runner import lint_files

    monkeypatch.setattr(nlp_module, "FIRST_ZONE_CHARS", 10)  # a new zone after every document
    analyzer = linter_for(None).analyzer
    analyzer.nlp  # noqa: B018 - loaded, so the batch runs in zones
    analyzer.release()
    monkeypatch.setattr(analyzer, "_zones", 0)  # as in a new process (earlier tests ran batches)
    files, blob = [], "x" * 70  # too long to be kept
    for i in range(3):
        files.append(tmp_path / f"{i}.md")
        files[-1].write_text(f"# Incident {i}\n\nThe qorvex-cache (see notes) failed. The qorvex-cache (see notes) "
                             f"failed again. Human error, said the log-{i}qq. {blob} {blob}\n", encoding="utf-8")
    outcomes = list(lint_files(files, lambda path: Config()))
    assert [o.result.findings[0].rule for o in outcomes] == ["human-error"] * 3
    assert {"qorvex-cache", "(see"} <= analyzer._warm and not {"log-1qq.", blob} & analyzer._warm
    text = "The qorvex-cache (see notes) failed."
    with analyzer.nlp.memory_zone():
        inside = [t.text for t in analyzer.nlp.make_doc(text)]
    assert inside == [t for _, t in analyzer.nlp.tokenizer.explain(text)]  # the rules, without any cache


def test_pieces_are_cut_from_the_first_pass_with_the_tokenizers_norms():
    """The model's pieces reuse the first pass's tokens (not tokenized again) and keep what the
    tokenizer's exceptions set: the norms the model reads ("n't" → "not", "ca" → "can")."""
    analyzer = linter_for(None).analyzer
    nlp = analyzer.nlp
    texts = ["We ca n't say.  It shouldn’t have been on — so we turned it off. Gon na fix it at 5pm. Done",
             "14:05 UTC: the pager didn't fire.\nWe'll add one.", "Tabs\tand   spaces. x"]
    analyzer.tokens(texts)
    made = analyzer._piece_tokens(nlp, texts, [pieces(t) for t in texts])
    every = [p for t in texts for p, _ in pieces(t)]
    assert set(made) == set(every)
    for piece in every:
        expected = nlp.make_doc(piece)
        assert [(t.text, t.whitespace_, t.norm_) for t in made[piece]] == [
            (t.text, t.whitespace_, t.norm_) for t in expected]
    assert any(t.norm_ == "not" for t in made[every[1]])


def test_a_sentence_skipped_in_one_text_keeps_its_parse_in_another():
    """One sentence, left unparsed in one paragraph and parsed in the next, in one call: the
    unparsed copy must not overwrite the parse (the pieces share the first pass's tokens)."""
    analyzer = linter_for(None).analyzer
    analyzer.nlp  # noqa: B018 - loaded, so the first pass and the model share one vocabulary
    first, second = "Ravi joined the call. Latency rose. She was paged at noon.", "Sam was on call. She was paged at noon."
    analyzer.tokens([first, second])
    skipped, parsed = analyzer.docs([first, second], plan={first: ({0}, {0}), second: ({0, 1}, {0, 1})})
    at = second.index("She")
    assert [t.dep_ for t in parsed if t.idx >= at][:3] == ["nsubjpass", "auxpass", "ROOT"]
    at = first.index("She")
    assert {t.dep_ for t in skipped if t.idx >= at} == {"ROOT"}


DOCUMENTS = [
    # technical context of a word in a heading, or in a compound elsewhere
    "# The Akira dashboard\n\nWe paged Akira about the outage. Latency rose.\n",
    "We run the Grafana-akira plugin. It broke.\n\nWe paged Akira about the outage.\n",
    # markers inside longer words are no markers
    "The engineer deleted the wrongful entries. Latency rose.\n\nThe engineer deployed old.tar.gz to the cluster.\n",
    "The engineer didnt check the logs. Latency rose.\n",
    # a role appositive after a sentence that ends with "!"; a possessive at a sentence end
    "We flushed the cache! Intern, Akira, restarted it.\n",
    "The leaked key was on Tavik's. Laptop disks are encrypted, but this laptop was not.\n",
    # a dotless i where an ASCII regex expects an i
    "His work was neglıgent. Latency rose.\n",
]


@pytest.mark.parametrize("text", DOCUMENTS + ["We paged Tavik at 02:00.\n\nTavik failed to renew the certificate.\n"])
@pytest.mark.parametrize("ignore", [[], ["named-individual"]])
def test_default_and_exhaustive_agree_on_documents(text, ignore):
    config = Config(today=dt.date(2026, 1, 31), ignore=ignore)
    big = {"cache_tokens": 10**9, "token_cache_tokens": 10**9}
    fast = Linter(config, analyzer=Analyzer(config.model, **big))
    full = Linter(config, analyzer=Analyzer(config.model, **big))

    def key(result):
        return [(f.rule, f.start, f.end, f.message, [(x.title, [(e.start, e.end, e.new_text) for e in x.edits])
                                                     for x in f.fixes]) for f in result.findings]

    assert key(fast.lint_text(text, "d.md")) == key(full.lint_text(text, "d.md", exhaustive=True))
