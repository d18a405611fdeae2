"""The labeled corpus: precision, recall and rewrite quality stay above the floors in the repo."""

from pathlib import Path

import yaml
from click.testing import CliRunner

from blamelint.cli import main
from blamelint.config import Config
from blamelint.engine import linter_for
from blamelint.evaluate import MEASURED, check_floors, evaluate

ROOT = Path(__file__).resolve().parents[1]
CORPUS = [ROOT / "corpus" / "labeled", ROOT / "corpus" / "neutral"]


def test_corpus_meets_floors():
    report = evaluate(CORPUS, linter_for(Config()))
    floors = yaml.safe_load((ROOT / "corpus" / "floors.yaml").read_text())
    assert set(floors["categories"]) == set(MEASURED)
    failures = check_floors(report, floors)
    assert not failures, "\n".join(failures)
    assert report.documents >= 38


def test_neutral_documents_are_clean():
    linter = linter_for(Config())
    for md in sorted((ROOT / "corpus" / "neutral").glob("*.md")):
        found = [(f.rule, f.text) for f in linter.lint_text(md.read_text(), str(md)).findings
                 if f.category in MEASURED]
        assert found == [], md.name


def test_eval_command_reports_and_enforces_floors(tmp_path):
    labeled = tmp_path / "c"
    labeled.mkdir()
    (labeled / "a.md").write_text("# Outage\n\nPriya forgot to renew the certificate.\n\nThe cache was cold.\n")
    (labeled / "a.expect.yaml").write_text(
        "findings:\n  - category: blame\n    text: \"Priya forgot to renew the certificate.\"\n")
    strict = tmp_path / "floors.yaml"
    strict.write_text("categories:\n  blame: {precision: 0.9, recall: 0.9}\n")
    r = CliRunner().invoke(main, ["eval", str(labeled), "--floors", str(strict)])
    assert "blame" in r.output and "precision" in r.output
    assert r.exit_code == 0, r.output
    (labeled / "a.expect.yaml").write_text(
        "findings:\n  - category: blame\n    text: \"The cache was cold.\"\n")
    r = CliRunner().invoke(main, ["eval", str(labeled), "--floors", str(strict)])
    assert r.exit_code == 1


def test_a_sidecar_can_limit_its_categories_and_label_whole_sentences(tmp_path):
    labeled = tmp_path / "c"
    labeled.mkdir()
    (labeled / "a.md").write_text(
        "# Outage\n\nAt 09:12 Priya forgot to renew the certificate, so the API went down.\n\n"
        "- [ ] Improve monitoring\n")
    # the label quotes a few words of the sentence; the finding sits on other words of it
    (labeled / "a.expect.yaml").write_text(
        "scored: [blame, hindsight]\nmatch: sentence\n"
        "findings:\n  - category: blame\n    text: \"so the API went down\"\n")
    report = evaluate([labeled], linter_for(Config()), rewrites=False)
    assert (report.scores["blame"].tp, report.scores["blame"].fp, report.scores["blame"].fn) == (1, 0, 0)
    # the name, the vague action and the follow-up are not what these labels speak for
    assert report.labeled == {"blame", "hindsight"}
    assert all(report.scores[c].fp == 0 for c in ("named-individual", "vague-action", "followup"))
    r = CliRunner().invoke(main, ["eval", str(labeled), "--no-fixes"])
    assert "vague-action" in r.output and "not labeled in these documents" in r.output, r.output
    floors = {"categories": {"vague-action": {"recall": 0.5}}}
    assert check_floors(report, floors) == [
        "vague-action has a floor but is not labeled in these documents (their sidecars' `scored:`)"]
    # without `match: sentence` the same label and finding do not overlap
    (labeled / "a.expect.yaml").write_text(
        "scored: [blame]\nfindings:\n  - category: blame\n    text: \"so the API went down\"\n")
    report = evaluate([labeled], linter_for(Config()), rewrites=False)
    assert (report.scores["blame"].tp, report.scores["blame"].fp, report.scores["blame"].fn) == (0, 1, 1)
