"""The parse runs sentence by sentence (each cached on its own); a paragraph's Doc is its
sentences' Docs joined, and must carry exactly the tokens of the paragraph."""

import pytest

from blamelint.analysis.nlp import sentences
from blamelint.engine import linter_for

TEXTS = [
    "John deployed. Then Mary rolled back.  It was fine! \"Yes,\" said Bob.",
    "Dr. Lee and J. Smith met, e.g. Postgres. Done.\nNext line without a stop",
    "The deploy at 14:05 failed. (The retry worked.) Alerts fired.\n\n  Twice.",
    "v1.2. Then ok. Ends with a space. ",
    "No split here",
]


@pytest.mark.parametrize("text", TEXTS)
def test_pieces_join_back(text):
    assert "".join(sentences(text)) == text


def test_no_split_after_abbreviations_or_initials():
    assert sentences("Dr. Lee paged J. Smith about e.g. Postgres and vs. MySQL.") == [
        "Dr. Lee paged J. Smith about e.g. Postgres and vs. MySQL."]
    assert sentences("It failed. Then it worked.") == ["It failed. ", "Then it worked."]
    assert sentences("It failed.\n\nThen") == ["It failed.\n\n", "Then"]


@pytest.mark.parametrize("text", TEXTS)
def test_joined_doc_has_the_paragraph_tokens(text):
    analyzer = linter_for(None).analyzer
    doc = analyzer.docs([text], ner={text})[0]
    whole = analyzer.nlp.make_doc(text)
    assert doc.text == text
    assert [(t.text, t.whitespace_) for t in doc] == [(t.text, t.whitespace_) for t in whole]
    assert all(t.tag_ for t in doc if not t.is_space)  # every sentence was parsed


def test_an_edit_reparses_only_its_sentence():
    analyzer = linter_for(None).analyzer
    before = "The cache filled up. Requests queued behind it. Latency rose for an hour."
    analyzer.docs([before])
    after = before.replace("an hour", "two hours")
    pieces_before = set(analyzer.pieces)
    analyzer.docs([after])
    assert set(analyzer.pieces) - pieces_before == {"Latency rose for two hours."}


def test_an_empty_text_gets_an_empty_doc():
    analyzer = linter_for(None).analyzer
    empty, word = analyzer.docs(["", "x"], ner={""})
    assert empty.text == "" and len(empty) == 0 and word.text == "x"


def test_a_follow_up_that_is_only_an_owner_does_not_break_a_rule():
    # its action text is empty: the action rule parses it like any other
    text = "# Incident\n\n## Follow-ups\n\n- [ ] **@sre:**\n- [ ] @team: Add a disk alert at 80% [2026-01-05]\n"
    result = linter_for(None).lint_text(text, "doc.md")
    assert result.problems == []
    assert any(f.rule == "followup-due-date" and f.text.startswith("**@sre") for f in result.findings)
