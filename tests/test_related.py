"""One finding per problem: hits of one category on overlapping words merge, the others listed as
`related` in every output; and the context guards a rule names under `match: unless:`."""

from __future__ import annotations

import json

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from blamelint.config import Config
from blamelint.engine import Linter, linter_for
from blamelint.errors import RulePackError
from blamelint.findings import Edit, Finding, Fix, Related, merge_related
from blamelint.formats import json_format, sarif
from blamelint.server.convert import diagnostic
from tests.test_formats import validate_sarif

# two hindsight rules read these words: should-have-known and avoidable-counterfactual
TEXT = "# Review\n\nThe regression should have been caught in review.\n"


@pytest.fixture(scope="module")
def result():
    return linter_for(Config()).lint_text(TEXT, "pm.md")


def test_one_finding_per_category_on_the_same_words(result):
    hindsight = [f for f in result.findings if f.category == "hindsight"]
    assert len(hindsight) == 1
    (f,) = hindsight
    assert f.rule == "should-have-known"  # warning beats info
    assert [r.rule for r in f.related] == ["avoidable-counterfactual"]
    assert TEXT[f.related[0].start:f.related[0].end] == "should have been caught"


def test_related_in_json_sarif_and_lsp(result):
    (record,) = [r for r in json_format.records([result]) if r["category"] == "hindsight"]
    assert [r["rule"] for r in record["related"]] == ["avoidable-counterfactual"]
    assert record["related"][0]["line"] == 3 and record["related"][0]["message"]
    log = json.loads(sarif.render([result], linter_for(Config()).ruleset.by_id()))
    validate_sarif(log)
    (item,) = [r for r in log["runs"][0]["results"] if r["ruleId"] == "should-have-known"]
    (loc,) = item["relatedLocations"]
    assert loc["message"]["text"].startswith("avoidable-counterfactual: ")
    assert loc["physicalLocation"]["region"]["startLine"] == 3
    (f,) = [f for f in result.findings if f.category == "hindsight"]
    diag = diagnostic(f, result.document, None, "utf-16", "file:///pm.md")
    (info,) = diag.related_information
    assert info.location.uri == "file:///pm.md" and info.location.range.start.line == 2
    assert diag.data["related"] == ["avoidable-counterfactual"]


def test_merge_keeps_other_categories_and_disjoint_hits_apart_and_joins_an_item_s_followups():
    def f(rule, category, a, b, severity="warning", confidence=0.9, fixes=()):
        return Finding(rule, category, severity, rule, a, b, list(fixes), confidence)

    fix = Fix("Remove", [Edit(5, 9, "")], safe=True)
    merged = merge_related([
        f("a", "blame", 0, 10), f("b", "blame", 5, 9, severity="info", fixes=[fix]), f("c", "blame", 20, 30),
        f("d", "hindsight", 0, 10), f("e", "followup", 0, 40), f("g", "followup", 0, 40),
        f("h", "followup", 50, 60),
    ])
    assert sorted(x.rule for x in merged) == ["a", "c", "d", "e", "h"]  # g: e's item, in e's related
    a = next(x for x in merged if x.rule == "a")
    assert a.related == [Related("b", "b", 5, 9)] and a.fixes == [fix]  # its fixes stay offered
    assert Finding.from_dict(a.to_dict()) == a
    assert a.shifted(3).related == [Related("b", "b", 8, 12)]


def test_merged_fixes_put_edits_first_and_drop_the_generic_advice():
    advice = Fix("Rephrase: uses a word")
    specific = Fix("Describe what was known then")
    edit = Fix("Remove it", [Edit(2, 4, "")], safe=True)
    merged = merge_related([
        Finding("a", "hindsight", "warning", "a", 0, 10, [advice], 0.9),
        Finding("b", "hindsight", "warning", "b", 2, 8, [specific, edit], 0.8),
    ])
    (f,) = merged
    assert f.rule == "b"  # of equal severity, the finding with an edit leads
    assert f.fixes == [edit, specific]


def test_unknown_guard_is_a_rule_pack_error(tmp_path):
    pack = tmp_path / "team.yaml"
    pack.write_text(
        "rules:\n"
        "  - id: team-rule\n    category: blame\n    severity: warning\n    title: T\n    message: M\n    why: W\n"
        "    match: {regex: 'oops', unless: [purpos]}\n"
        "    suggestions: [{title: S}]\n"
        "    examples: {bad: [oops one, oops two], good: [fine one, fine two]}\n",
        encoding="utf-8")
    with pytest.raises(RulePackError, match=r"team.yaml: rule 'team-rule', field 'match/unless': unknown guard 'purpos'"):
        Linter(Config(rule_paths=[str(pack)]))


@pytest.mark.parametrize("text, flagged", [
    # purpose: the effect of a concrete action is not the action
    ("- Add a lag panel to the replica dashboard to improve visibility.\n", False),
    ("- Improve visibility.\n", True),
    ("- We need to improve our alerting.\n", True),
    # a safeguard arguing for a follow-up, against the same words in a narrative paragraph
    ("- Add a canary stage: a canary stage would have caught the bad build.\n", False),
    ("The rollout went straight to all hosts. A canary stage would have caught the bad build.\n", True),
    ("Add a canary stage to the rollout. It would have caught the bad build.\n", False),
    ("A canary stage would have caught the bad build.\n", True),
    ("We could have caught the bad build with a canary stage.\n", True),
])
def test_guards_in_context(text, flagged):
    cats = {"vague-action", "hindsight"}
    found = [f for f in linter_for(Config()).lint_text(text, "x.md").findings if f.category in cats]
    assert bool(found) is flagged, found


_CATS = ["blame", "hindsight", "vague-action", "followup", "template"]


@example([("blame", 0, 5, "warning", 0), ("blame", 6, 2, "warning", 0), ("blame", 4, 5, "error", 0)])
@given(st.lists(st.tuples(st.sampled_from(_CATS), st.integers(0, 60), st.integers(1, 15),
                          st.sampled_from(["info", "warning", "error"]), st.integers(0, 3)), max_size=12))
def test_merge_invariants(specs):
    findings = [Finding(f"r{i}", cat, sev, f"m{i}", a, a + n, [Fix(f"f{i}", [Edit(a, a + 1, "")] if e else [])],
                        0.5 + e / 10) for i, (cat, a, n, sev, e) in enumerate(specs)]
    ids = {f.rule for f in findings}
    merged = merge_related([Finding.from_dict(f.to_dict()) for f in findings])
    # nothing is lost: every hit is a finding or listed as related to one, once
    seen = [f.rule for f in merged] + [r.rule for f in merged for r in f.related]
    assert sorted(seen) == sorted(ids)
    # no two findings of a merged category overlap; follow-up and template findings are untouched
    for x in merged:
        for y in merged:
            if x is not y and x.category == y.category and x.category not in ("followup", "template"):
                assert not (x.start < y.end and y.start < x.end)
    assert sorted(f.rule for f in merged if f.category in ("followup", "template")) == sorted(
        f.rule for f in findings if f.category in ("followup", "template"))
    # a merged finding is at least as severe as what it absorbed, and keeps every distinct fix
    rank = {"info": 1, "warning": 2, "error": 3}
    by_rule = {f.rule: f for f in findings}
    for f in merged:
        assert all(rank[f.severity] >= rank[by_rule[r.rule].severity] for r in f.related)
        assert {x.title for x in f.fixes} == {x.title for r in [f.rule, *(r.rule for r in f.related)]
                                               for x in by_rule[r].fixes}
    # merging again changes nothing
    again = merge_related([Finding.from_dict(f.to_dict()) for f in merged])
    assert sorted((f.rule, len(f.related)) for f in again) == sorted((f.rule, len(f.related)) for f in merged)
