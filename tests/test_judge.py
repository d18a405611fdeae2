"""The sentence classifier: shipped with its thresholds, merged with the rules, measured by
`eval --sentences`."""

import json

from click.testing import CliRunner

from blamelint.analysis.judge import CATEGORIES, model_path, model_text
from blamelint.cli import main
from blamelint.config import Config
from blamelint.engine import linter_for
from blamelint.train import is_dev, pick_thresholds


def test_the_model_ships_with_a_threshold_per_category():
    thresholds = json.loads((model_path() / "thresholds.json").read_text(encoding="utf-8"))
    assert set(thresholds) == set(CATEGORIES) and all(0 < t < 1 for t in thresholds.values())
    metrics = json.loads((model_path() / "metrics.json").read_text(encoding="utf-8"))
    assert set(metrics["test"]["categories"]) == set(CATEGORIES)


def test_model_text_puts_the_context_first_and_falls_back_to_other():
    assert model_text("Be careful.", "follow-ups", "list_item") == "zsecfollowups zkindlistitem Be careful."
    assert model_text("x", "nowhere", "odd") == "zsecother zkindparagraph x"


PREVIEW = Config(preview=True)  # the classifier's rules are preview rules


def test_the_classifier_rules_are_off_unless_preview_or_selected():
    text = "## Contributors\n\nOne misconfigured timeout is what this whole outage was about.\n"
    assert not [f for f in linter_for(None).lint_text(text, "pm.md").findings if f.rule.startswith("judged-")]
    selected = linter_for(Config(select=["judged-root-cause"])).lint_text(text, "pm.md").findings
    assert [f.rule for f in selected] == ["judged-root-cause"]


def test_one_finding_per_category_and_sentence_the_rule_wins():
    linter = linter_for(PREVIEW)
    text = "## Contributors\n\nThe root cause was human error by the night operator.\n"
    found = linter.lint_text(text, "pm.md").findings
    for category in ("blame", "root-cause"):
        rules = [f.rule for f in found if f.category == category]
        assert rules and not any(r.startswith("judged-") for r in rules), rules


def test_a_sentence_no_rule_reads_is_flagged_by_the_model_with_its_probability():
    found = linter_for(PREVIEW).lint_text("## Contributors\n\nOne misconfigured timeout is what this whole outage was about.\n",
                                       "pm.md").findings
    (f,) = [f for f in found if f.category == "root-cause"]
    assert f.rule == "judged-root-cause" and f.text == "One misconfigured timeout is what this whole outage was about."
    assert 0 < f.confidence <= 1


def test_eval_sentences_reports_rules_model_and_both(tmp_path):
    jsonl = tmp_path / "s.jsonl"
    jsonl.write_text("\n".join(json.dumps(r) for r in [
        {"text": "One misconfigured timeout is what this whole outage was about.", "labels": ["root-cause"], "section": "contributors"},
        {"text": "The root cause was an expired certificate.", "labels": ["root-cause"]},
        {"text": "The cache should expire entries after one hour.", "labels": []},
    ]) + "\n", encoding="utf-8")
    r = CliRunner().invoke(main, ["eval", "--sentences", str(jsonl), "--format", "json"])
    assert r.exit_code == 0, r.output
    (report,) = json.loads(r.output)
    modes = report["modes"]
    assert report["sentences"] == 3 and report["negatives"] == 1
    assert modes["rules"]["root-cause"]["tp"] == 1 and modes["rules"]["root-cause"]["fn"] == 1
    assert modes["combined"]["root-cause"]["tp"] == 2 and modes["combined"]["root-cause"]["fp"] == 0


def test_eval_sentences_reads_tab_separated_files(tmp_path):
    tsv = tmp_path / "s.tsv"
    tsv.write_text("file\tsentence\tcategory\na.md\tThe root cause was an expired certificate.\troot-cause\n",
                   encoding="utf-8")
    r = CliRunner().invoke(main, ["eval", "--sentences", str(tsv)])
    assert r.exit_code == 0 and "root-cause" in r.output and "combined" in r.output, r.output


def test_eval_sentences_reads_other_sets_category_names_and_checks_followups_as_items(tmp_path):
    tsv = tmp_path / "s.tsv"
    tsv.write_text("file\tsentence\tcategory\n"
                   "a.md\tThe root cause was an expired certificate.\tsingle-root-cause\n"
                   "a.md\tLook into the flaky deploys at some point\tnon-smart-followup\n", encoding="utf-8")
    r = CliRunner().invoke(main, ["eval", "--sentences", str(tsv), "--format", "json"])
    assert r.exit_code == 0, r.output
    (report,) = json.loads(r.output)
    assert report["modes"]["rules"]["root-cause"]["tp"] == 1
    assert report["modes"]["rules"]["followup"]["tp"] == 1  # linted as an item of a Follow-ups list
    bad = tmp_path / "bad.tsv"
    bad.write_text("file\tsentence\tcategory\na.md\tSome text here.\tblaming\n", encoding="utf-8")
    r = CliRunner().invoke(main, ["eval", "--sentences", str(bad)])
    assert r.exit_code == 2 and r.stderr.startswith(f"error: {bad}:2: unknown category 'blaming'"), r.stderr


def test_a_bad_sentence_file_is_one_line_naming_it(tmp_path):
    bad = tmp_path / "s.jsonl"
    bad.write_text('{"text": "x"\n', encoding="utf-8")
    r = CliRunner().invoke(main, ["eval", "--sentences", str(bad)])
    assert r.exit_code == 2 and r.stderr.startswith(f"error: {bad}:1: not a labeled sentence"), r.stderr


def test_the_dev_split_depends_on_the_text_alone():
    assert is_dev("The cache should expire entries after one hour.") == is_dev(
        "The cache should expire entries after one hour.")
    share = sum(is_dev(f"sentence number {i}") for i in range(6000)) / 6000
    assert 0.13 < share < 0.20


def test_thresholds_keep_the_precision_asked_for():
    data = [(("a", "other", "paragraph"), {"blame"} if i % 2 else set()) for i in range(100)]
    # scores: positives spread over 0.3-0.99, negatives below 0.6
    predicted = [{c: 0.0 for c in CATEGORIES} | {"blame": (0.3 + i / 150) if i % 2 else (i / 200)} for i in range(100)]
    t = pick_thresholds(data, predicted, 0.95)["blame"]
    flagged = [i for i in range(100) if predicted[i]["blame"] >= t]
    assert sum(i % 2 for i in flagged) / len(flagged) >= 0.95


def test_rules_lists_the_preview_rules_as_such():
    r = CliRunner().invoke(main, ["rules", "--format", "json"])
    preview = {x["id"] for x in json.loads(r.output) if x["preview"]}
    assert preview == {"judged-blame", "judged-hindsight", "judged-vague-action", "judged-root-cause"}
    lines = CliRunner().invoke(main, ["rules"]).output.splitlines()
    assert all(("preview" in line) == line.startswith(tuple(preview)) for line in lines)


def test_the_classifier_rules_keep_their_sections(monkeypatch):
    """A timeline entry is narrative, not a recommendation: judged-vague-action skips it (its
    `not_sections`) however the model scores it."""
    from blamelint.analysis.judge import Judge

    monkeypatch.setattr(Judge, "scores", lambda self, items: [dict.fromkeys(CATEGORIES, 0.0) | {"vague-action": 1.0}
                                                               for _ in items])
    linter = linter_for(Config(preview=True, select=["judged-vague-action"]))
    sentence = "We kept watching the replication lag for the rest of the day."
    assert not linter.lint_text(f"## Timeline\n\n{sentence}\n", "pm.md").findings
    assert [f.rule for f in linter.lint_text(f"## Learnings\n\n{sentence}\n", "pm.md").findings] == ["judged-vague-action"]
