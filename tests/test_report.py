"""`blamelint report`: the numbers, on a hand-built archive whose metrics are worked out here by hand.

The archive (`tests/data/report_archive/`, with its own `.blamelint.yaml`: required sections
Key Facts, Timeline and Follow-ups; Key Facts field Severity) is four post-mortems plus a
duplicate and a file that is not a post-mortem. The test adds a non-UTF-8 file, a symlink loop
and an over-size file in tmp_path. `--today 2024-09-01` throughout.

The four post-mortems and what is in them:

1. 2024-01-10-cache-capacity.md — front matter date 2024-01-10, Sev-2, impact 09:00–10:30 (90 min),
   tags capacity, configuration. "The root cause was human error." → human-error (blame) and
   single-root-cause (root-cause). Follow-ups: [x] @cache-team due 2024-01-12 (closed, SMART);
   [ ] @cache-team due 2024-02-01 (open, SMART, overdue); [ ] no owner, due 2024-10-15
   (followup-owner: not SMART, not yet due).
2. 2024-03-01-dns-zone.md — front matter date, Sev-1, front matter tags configuration, networking.
   "Jane should have known the zone was shared." → named-individual, should-have-known
   (hindsight) and failure-verb-person (blame). A follow-ups table: a row with Status "done"
   (closed, SMART) and an open row due 2024-04-01 (SMART, overdue).
3. 2024-04-20-payment-provider.md — no front matter: the date is the Key Facts impact start,
   2024-04-20; Sev-3; 08:00–08:45 (45 min); no theme tags → template-theme-tags (template); the
   keyword "provider" (4 times) infers the theme third-party. One follow-up, "Be more careful…"
   due 2024-05-01 → be-more-careful (vague-action) and followup-action (open, not SMART, overdue).
4. 2024-06-20-queue-backlog.md — front matter date and tag capacity, Sev-2, no findings; one
   closed follow-up with owner and date (SMART).

Words (prose of every block, `\\w+` joined by - ' . : /; so "Sev-2", "09:00" and "2024-01-10" are
one word each; checkboxes, `**` and `#` are markup):

1. title 7, "Key Facts" 2, severity 2, impact start 5, impact end 5, "Timeline" 1, two entries
   5 + 10, the root-cause sentence 6, "Follow-ups" 1, items 9 + 8 + 10, tags line 4 = 75
2. title 8, 2, severity 2, 1, entries 7 + 7, Jane sentence 8, 1, table header 4,
   rows 5+1+1+1 and 9+1+1+1 = 60
3. title 4, 2, severity 2, impact 5 + 5, 1, entries 8 + 5, 1, item 8 = 41
4. title 4, 2, severity 2, 1, entries 10 + 7, 1, item 6 = 33                  total 209
"""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from jsonschema import Draft202012Validator

from blamelint.cli import main

ROOT = Path(__file__).resolve().parent.parent
ARCHIVE = ROOT / "tests" / "data" / "report_archive"
SCHEMA = ROOT / "docs" / "report-schema.json"
TODAY = "2024-09-01"

CACHE = "2024-01-10-cache-capacity.md"
DNS = "2024-03-01-dns-zone.md"
PAYMENT = "2024-04-20-payment-provider.md"
QUEUE = "2024-06-20-queue-backlog.md"
WORDS = {CACHE: 75, DNS: 60, PAYMENT: 41, QUEUE: 33}
TOTAL_WORDS = 209
ZERO = dict.fromkeys(["blame", "named-individual", "hindsight", "vague-action", "followup", "root-cause", "template",
                      "placeholder"], 0)
BY_CATEGORY = {
    CACHE: {**ZERO, "blame": 1, "root-cause": 1, "followup": 1},
    DNS: {**ZERO, "blame": 1, "named-individual": 1, "hindsight": 1},
    PAYMENT: {**ZERO, "vague-action": 1, "followup": 1, "template": 1},
    QUEUE: dict(ZERO),
}


def invoke(*args):
    return CliRunner().invoke(main, ["report", *args], catch_exceptions=False)


def name(path: str) -> str:
    return Path(path).name


@pytest.fixture(scope="module")
def archive(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("report") / "archive"
    shutil.copytree(ARCHIVE, root)
    (root / "latin1.md").write_bytes("# Incident: caf\xe9 outage\n\n## Timeline\n\n## Follow-ups\n".encode("latin-1"))
    (root / "loop.md").symlink_to("loop.md")
    (root / "huge.md").write_text("# Incident: big\n\n## Timeline\n\n" + "- 10:00 UTC: more text\n" * 200, encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def report(archive) -> dict:
    r = invoke(str(archive), "--today", TODAY, "--format", "json", "--no-cache", "-j", "1", "--max-size", "3000")
    assert r.exit_code == 0, r.output
    return json.loads(r.stdout)


@pytest.fixture(scope="module")
def docs(report) -> dict:
    return {name(d["path"]): d for d in report["documents"]}


def test_documents_and_skipped(report, docs):
    assert list(docs) == [CACHE, DNS, PAYMENT, QUEUE]
    skipped = {name(s["path"]): s["reason"] for s in report["skipped"]}
    assert set(skipped) == {"copy-of-cache-capacity.md", "notes.md", "latin1.md", "loop.md", "huge.md"}
    assert skipped["copy-of-cache-capacity.md"].startswith("duplicate of ")
    assert skipped["copy-of-cache-capacity.md"].endswith(CACHE)
    assert skipped["notes.md"] == "not a post-mortem (no template sections)"
    assert skipped["latin1.md"].startswith("not valid UTF-8 (byte 0xe9 on line 1)")
    assert "symlink loop" in skipped["loop.md"]
    assert "larger than" in skipped["huge.md"]
    assert report["summary"]["documents"] == 4
    assert report["summary"]["skipped"] == 5


def test_report_validates_against_the_schema(report):
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    errors = sorted(Draft202012Validator(schema).iter_errors(report), key=lambda e: list(e.path))
    assert not errors, [f"{list(e.path)}: {e.message}" for e in errors[:5]]
    assert report["schema_version"] == "1.0"


def test_words_and_findings_per_1k_words(report, docs):
    for n, d in docs.items():
        assert d["words"] == WORDS[n], n
        assert d["findings_by_category"] == BY_CATEGORY[n], n
        for cat, count in BY_CATEGORY[n].items():
            assert d["findings_per_1k_by_category"][cat] == pytest.approx(1000 * count / WORDS[n], abs=1e-3)
    assert docs[CACHE]["findings_per_1k"] == pytest.approx(1000 * 3 / 75, abs=1e-3)  # 40.0
    s = report["summary"]
    assert s["words"] == TOTAL_WORDS
    assert s["findings"] == 9
    assert s["findings_per_1k"] == pytest.approx(9000 / 209, abs=1e-3)  # 43.062
    expected = {"blame": 2, "named-individual": 1, "hindsight": 1, "vague-action": 1, "followup": 2,
                "root-cause": 1, "template": 1}
    for cat, count in expected.items():
        assert s["findings_per_1k_by_category"][cat] == pytest.approx(1000 * count / 209, abs=1e-3), cat


def test_blameless_score_formula(docs):
    # points: blame 3, named-individual 2, hindsight 2, root-cause 1; score = 100 * 10 / (10 + points per 1k words)
    assert docs[CACHE]["blameless_score"] == pytest.approx(100 * 10 / (10 + 1000 * (3 + 1) / 75), abs=1e-3)  # 15.789
    assert docs[DNS]["blameless_score"] == pytest.approx(100 * 10 / (10 + 1000 * (3 + 2 + 2) / 60), abs=1e-3)  # 7.895
    assert docs[PAYMENT]["blameless_score"] == 100  # vague-action, followup and template do not count
    assert docs[QUEUE]["blameless_score"] == 100


def test_document_facts(docs):
    assert [docs[n]["date"] for n in docs] == ["2024-01-10", "2024-03-01", "2024-04-20", "2024-06-20"]
    assert [docs[n]["date_source"] for n in docs] == ["front matter", "front matter", "document", "front matter"]
    assert [docs[n]["severity"] for n in docs] == ["Sev-2", "Sev-1", "Sev-3", "Sev-2"]
    assert [docs[n]["impact_minutes"] for n in docs] == [90, None, 45, None]
    assert docs[CACHE]["tags"] == ["capacity", "configuration"]
    assert docs[DNS]["tags"] == ["configuration", "networking"]
    assert docs[PAYMENT]["tags"] == [] and docs[PAYMENT]["inferred_tags"] == ["third-party"]
    assert docs[QUEUE]["tags"] == ["capacity"] and docs[QUEUE]["inferred_tags"] == []
    for d in docs.values():
        assert d["template"] == {"required": ["key-facts", "timeline", "follow-ups"],
                                 "present": ["follow-ups", "key-facts", "timeline"], "missing": [], "completeness": 1.0}
    assert docs[CACHE]["title"] == "Incident: cache cluster ran out of memory"


def test_followups(report, docs):
    counts = {n: {k: d["followups"][k] for k in ("total", "smart", "closed", "open", "overdue")} for n, d in docs.items()}
    assert counts == {
        CACHE: {"total": 3, "smart": 2, "closed": 1, "open": 2, "overdue": 1},
        DNS: {"total": 2, "smart": 2, "closed": 1, "open": 1, "overdue": 1},
        PAYMENT: {"total": 1, "smart": 0, "closed": 0, "open": 1, "overdue": 1},
        QUEUE: {"total": 1, "smart": 1, "closed": 1, "open": 0, "overdue": 0},
    }
    items = docs[CACHE]["followups"]["items"]
    assert [(i["team"], i["due"], i["closed"], i["smart"], i["overdue"]) for i in items] == [
        ("cache-team", "2024-01-12", True, True, False),
        ("cache-team", "2024-02-01", False, True, True),
        ("unassigned", "2024-10-15", False, False, False),
    ]
    assert items[2]["problems"] == ["followup-owner"]
    table = docs[DNS]["followups"]["items"]
    assert [(i["team"], i["closed"]) for i in table] == [("dns-team", True), ("dns-team", False)]
    assert docs[PAYMENT]["followups"]["items"][0]["problems"] == ["followup-action"]
    fu = report["followups"]
    assert (fu["total"], fu["closed"], fu["open"], fu["overdue"]) == (7, 3, 4, 3)
    assert fu["closure_rate"] == pytest.approx(3 / 7, abs=1e-3)
    assert report["summary"]["smart"] == 5
    assert report["summary"]["smart_rate"] == pytest.approx(5 / 7, abs=1e-3)


def test_ageing_buckets_per_team(report, docs):
    # open items' age = today - the post-mortem's date: 2024-01-10 → 235 days, 2024-03-01 → 184, 2024-04-20 → 134
    assert [i["age_days"] for i in docs[CACHE]["followups"]["items"]] == [None, 235, 235]
    assert [i["age_days"] for i in docs[DNS]["followups"]["items"]] == [None, 184]
    assert docs[PAYMENT]["followups"]["items"][0]["age_days"] == 134
    ageing = report["followups"]["ageing"]
    assert ageing["buckets"] == ["0-30 days", "31-90 days", "91-180 days", "181-365 days", "over 365 days",
                                 "unknown age"]
    nonzero = {t: {b: n for b, n in c.items() if n} for t, c in ageing["by_team"].items()}
    assert nonzero == {"cache-team": {"181-365 days": 1}, "dns-team": {"181-365 days": 1},
                       "payments-team": {"91-180 days": 1}, "unassigned": {"181-365 days": 1}}
    assert {b: n for b, n in ageing["total"].items() if n} == {"91-180 days": 1, "181-365 days": 3}


def test_themes_and_severity_by_theme(report):
    th = report["themes"]
    assert th["frequency"] == {"capacity": 2, "configuration": 2, "networking": 1}
    assert list(th["frequency"]) == ["capacity", "configuration", "networking"]  # most frequent first, then by name
    assert th["inferred_frequency"] == {"third-party": 1}
    assert th["untagged_documents"] == 1
    assert th["severity_by_theme"] == {"Sev-1": {"configuration": 1, "networking": 1},
                                       "Sev-2": {"capacity": 2, "configuration": 1}}


def test_recurrence_within_90_days(report):
    rec = report["recurrence"]
    # cache (2024-01-10) and dns (2024-03-01) share "configuration", 51 days apart; cache and queue share
    # "capacity" but are 162 days apart; payment has no tags.
    assert [(name(p["first"]), name(p["second"]), p["days"], p["tags"]) for p in rec["pairs"]] == [
        (CACHE, DNS, 51, ["configuration"])]
    assert (rec["eligible_documents"], rec["recurring_documents"]) == (3, 1)
    assert rec["rate"] == pytest.approx(1 / 3, abs=1e-3)
    assert rec["by_tag"] == {"configuration": 1}


def test_trend_by_quarter(report):
    assert report["period"] == "quarter"
    trend = [(t["period"], t["documents"], t["words"], t["findings"], t["followups"], t["closed"]) for t in report["trend"]]
    assert trend == [("2024-Q1", 2, 135, 6, 5, 2), ("2024-Q2", 2, 74, 3, 2, 1)]
    assert report["trend"][0]["findings_per_1k"] == pytest.approx(6000 / 135, abs=1e-3)
    assert report["trend"][0]["closure_rate"] == pytest.approx(2 / 5, abs=1e-3)
    assert report["trend"][1]["findings_per_1k"] == pytest.approx(3000 / 74, abs=1e-3)
    assert report["trend"][1]["closure_rate"] == pytest.approx(1 / 2, abs=1e-3)


def test_rules_and_attention(report):
    assert {r["rule"]: r["count"] for r in report["rules"]} == {
        "human-error": 1, "single-root-cause": 1, "followup-owner": 1, "named-individual": 1,
        "should-have-known": 1, "failure-verb-person": 1, "template-theme-tags": 1, "followup-action": 1,
        "be-more-careful": 1}
    # attention = (100 - score) + 8 per missing section + 10 per overdue + 5 per open non-SMART follow-up
    att = [(name(a["path"]), a["attention"]) for a in report["attention"]]
    assert [n for n, _ in att] == [DNS, CACHE, PAYMENT]
    assert att[0][1] == pytest.approx(100 - 100 * 10 / (10 + 7000 / 60) + 10, abs=1e-3)
    assert att[1][1] == pytest.approx(100 - 100 * 10 / (10 + 4000 / 75) + 10 + 5, abs=1e-3)
    assert att[2][1] == pytest.approx(15, abs=1e-3)


def test_period_month(archive):
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    r = invoke(str(archive), "--today", TODAY, "--format", "json", "--period", "month", "--no-cache", "-j", "1",
               "--max-size", "3000")
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    # every month from the first to the last, empty ones included (with null rates)
    assert [(t["period"], t["documents"]) for t in data["trend"]] == [
        ("2024-01", 1), ("2024-02", 0), ("2024-03", 1), ("2024-04", 1), ("2024-05", 0), ("2024-06", 1)]
    assert data["trend"][1]["findings_per_1k"] is None and data["trend"][1]["closure_rate"] is None
    assert data["trend"][0]["findings_per_1k"] == pytest.approx(1000 * 3 / 75, abs=1e-3)
    assert [d["period"] for d in data["documents"]] == ["2024-01", "2024-03", "2024-04", "2024-06"]
    assert not list(Draft202012Validator(schema).iter_errors(data))


def test_csv_one_row_per_document(archive):
    r = invoke(str(archive), "--today", TODAY, "--format", "csv", "--no-cache", "-j", "1", "--max-size", "3000")
    assert r.exit_code == 0, r.output
    rows = list(csv.DictReader(io.StringIO(r.stdout)))
    assert [name(row["path"]) for row in rows] == [CACHE, DNS, PAYMENT, QUEUE]
    assert rows[0]["words"] == "75" and rows[0]["tags"] == "capacity;configuration"
    assert rows[1]["named-individual_per_1k"] == str(round(1000 / 60, 3))
    assert rows[2]["closure_rate"] == "0.0" and rows[3]["overdue"] == "0"


def test_text_summary(archive, tmp_path):
    out = tmp_path / "report.txt"
    r = invoke(str(archive), "--today", TODAY, "--no-cache", "-j", "1", "--max-size", "3000", "-o", str(out))
    assert r.exit_code == 0, r.output
    text = out.read_text(encoding="utf-8")
    assert text.startswith("Post-mortem archive report: 4 post-mortems, 5 skipped (today 2024-09-01, by quarter)")
    for heading in ("Summary", "Findings per 1,000 words by category", "Rules that fire most", "Needs attention most",
                    "Open follow-ups by age", "Theme tags", "Severity × theme", "Trend by quarter",
                    "Recurring themes within 90 days", "Post-mortems", "Skipped"):
        assert f"\n{heading}" in text, heading
    assert "follow-ups             7: 5 SMART (71%), 3 closed (43%), 3 overdue" in text


def test_nothing_to_report_exits_2(tmp_path):
    (tmp_path / "notes.md").write_text("# Notes\n\nNothing to see.\n", encoding="utf-8")
    r = invoke(str(tmp_path), "--no-cache", "-j", "1")
    assert r.exit_code == 2
    lines = [line for line in r.output.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: nothing to report:"), r.output
    assert "not a post-mortem" in lines[0]


def test_bad_today_is_a_usage_error(tmp_path):
    r = invoke(str(tmp_path), "--today", "soon")
    assert r.exit_code == 2 and "--today" in r.output


UNDATED = """# Incident: {title}

## Timeline

- **10:00 UTC:** The {title} starts
- **10:30 UTC:** The {title} ends

## Follow-ups

- [ ] **@ops-team:** Add a probe for the {title} every minute **[2030-01-01]**
"""


def test_git_first_commit_dates_one_call(tmp_path, monkeypatch):
    repo = tmp_path / "repo"
    (repo / "pm").mkdir(parents=True)
    (repo / "pm" / "a.md").write_text(UNDATED.format(title="queue stall"), encoding="utf-8")
    (repo / "pm" / "b.md").write_text(UNDATED.format(title="cache miss storm"), encoding="utf-8")
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.invalid", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@example.invalid"}

    def git(*args, date=None):
        e = dict(env, GIT_AUTHOR_DATE=date, GIT_COMMITTER_DATE=date) if date else env
        subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True, env=e)

    git("init", "-q")
    git("add", "pm/a.md")
    git("commit", "-q", "-m", "a", date="2023-05-06T10:00:00+00:00")
    git("add", "pm/b.md")
    git("commit", "-q", "-m", "b", date="2023-07-08T10:00:00+00:00")

    from blamelint.report import gitdates

    calls = []
    real = gitdates.subprocess.run

    def counting(cmd, *a, **kw):
        calls.append(cmd)
        return real(cmd, *a, **kw)

    monkeypatch.setattr(gitdates.subprocess, "run", counting)
    r = invoke(str(repo / "pm"), "--today", "2024-01-01", "--format", "json", "--no-cache", "-j", "1")
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    assert [(name(d["path"]), d["date"], d["date_source"]) for d in data["documents"]] == [
        ("a.md", "2023-05-06", "git"), ("b.md", "2023-07-08", "git")]
    assert len(calls) == 1 and "log" in calls[0]


def test_startup_imports_neither_spacy_nor_matplotlib():
    code = ("import sys; import blamelint.cli; from blamelint.cli.report import report; "
            "heavy = [m for m in ('spacy', 'matplotlib', 'blamelint.engine') if m in sys.modules]; print(heavy)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_theme_tags_stop_at_the_end_of_their_line():
    from blamelint.document import parse
    from blamelint.report.facts import tags_of

    doc = parse("# Incident\n\n**Theme tags:** [data, capacity]\nThe key was rotated late.\n", path="x.md")
    assert tags_of(doc) == ["data", "capacity"]
    doc = parse("# Incident\n\n**Theme tags:** networking; dns\nMore text here.\n", path="x.md")
    assert tags_of(doc) == ["networking", "dns"]
