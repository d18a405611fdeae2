"""The command line as users run it: exit codes, formats, --fix, config and bad input."""

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from blamelint.cli import main

BLAMING = "# Outage\n\nThe root cause was human error.\n\nObviously the cache was stale. We need to be more careful.\n"
CLEAN = "# Outage\n\nThe cache served stale entries for 12 minutes after the deploy.\n"


def run(*args, input=None, cwd=None):
    runner = CliRunner()
    if cwd:
        old = os.getcwd()
        os.chdir(cwd)
    try:
        return runner.invoke(main, list(args), input=input, catch_exceptions=False)
    finally:
        if cwd:
            os.chdir(old)


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_findings_exit_1_and_text_format(tmp_path):
    f = write(tmp_path / "pm.md", BLAMING)
    r = run("check", str(f))
    assert r.exit_code == 1
    assert f"{f}:3:20: warning [human-error]" in r.output
    assert "^~~~~~~~~~~" in r.output
    assert "suggestion:" in r.output


def test_clean_file_exit_0(tmp_path):
    f = write(tmp_path / "pm.md", CLEAN)
    r = run("check", str(f))
    assert r.exit_code == 0, r.output
    assert "No problems" in r.output


def test_fail_on_error_ignores_warnings(tmp_path):
    f = write(tmp_path / "pm.md", BLAMING)
    assert run("check", "--fail-on", "error", str(f)).exit_code == 0
    assert run("check", "--fail-on", "info", str(f)).exit_code == 1


def test_select_and_ignore(tmp_path):
    f = write(tmp_path / "pm.md", BLAMING)
    rules = {d["rule"] for d in json.loads(run("check", "--format", "json", "--select", "hindsight", str(f)).output)}
    assert rules == {"hindsight-adverb"}
    rules = {d["rule"] for d in json.loads(
        run("check", "--format", "json", "--ignore", "hindsight,human-error", str(f)).output)}
    assert "hindsight-adverb" not in rules and "human-error" not in rules and "be-more-careful" in rules


def test_json_contract_positions_after_emoji(tmp_path):
    f = write(tmp_path / "pm.md", "# T\n\n✅ 😀 The root cause was human error.\r\n")
    data = json.loads(run("check", "--format", "json", str(f)).output)
    d = next(x for x in data if x["rule"] == "human-error")
    for key in ("path", "line", "column", "end_line", "end_column", "rule", "category", "severity", "message",
                "fixes", "confidence"):
        assert key in d
    # "✅ 😀 The root cause was " is 23 code points, so the match starts at column 24
    assert (d["line"], d["column"], d["end_line"], d["end_column"]) == (3, 24, 3, 35)
    edit = d["fixes"][0]["edits"][0]
    assert set(edit) == {"line", "column", "end_line", "end_column", "new_text"}
    # first the rewrite of the whole sentence (unsafe: it changes the subject), then the safe swap
    assert d["fixes"][0]["title"].startswith("Rewrite the sentence as") and d["fixes"][0]["safe"] is False
    assert d["fixes"][1]["safe"] is True


def test_sarif_and_github_formats(tmp_path):
    f = write(tmp_path / "pm.md", BLAMING)
    sarif = json.loads(run("check", "--format", "sarif", str(f)).output)
    assert sarif["version"] == "2.1.0"
    assert sarif["runs"][0]["results"]
    gh = run("check", "--format", "github", str(f)).output
    assert "::warning file=" in gh and "title=blamelint [human-error]" in gh


def test_stdin_with_filename(tmp_path):
    r = run("check", "--format", "json", "--stdin-filename", "notes/pm.md", "-", input=BLAMING)
    assert r.exit_code == 1
    data = json.loads(r.output)
    assert data and {d["path"] for d in data} == {"notes/pm.md"}


def test_fix_is_atomic_keeps_mode_and_is_idempotent(tmp_path):
    f = write(tmp_path / "pm.md", "# T\r\n\r\nThe root cause was human error.\r\n\r\nObviously the cache was stale.\r\n")
    f.chmod(0o640)
    r = run("check", "--fix", str(f))
    text = f.read_bytes().decode()
    assert "human error" not in text and "Obviously" not in text
    assert "The cache was stale." in text
    assert "\r\n" in text and "\n" not in text.replace("\r\n", "")  # line ends kept
    assert stat.S_IMODE(f.stat().st_mode) == 0o640
    assert not [p for p in tmp_path.iterdir() if p.name != "pm.md"]  # no temp file left behind
    before = f.read_bytes()
    run("check", "--fix", str(f))
    assert f.read_bytes() == before
    assert r.exit_code in (0, 1)


def test_fix_keeps_bom(tmp_path):
    f = tmp_path / "pm.md"
    f.write_bytes(b"\xef\xbb\xbf" + b"Obviously the cache was stale.\n")
    run("check", "--fix", str(f))
    assert f.read_bytes() == b"\xef\xbb\xbf" + b"The cache was stale.\n"


def test_diff_shows_and_does_not_write(tmp_path):
    f = write(tmp_path / "pm.md", BLAMING)
    r = run("check", "--diff", str(f))
    assert r.exit_code == 1
    assert "-Obviously the cache was stale." in r.output
    assert f.read_text() == BLAMING


def test_fix_stdin_prints_fixed_text():
    r = run("check", "--fix", "-", input="Obviously the cache was stale.\n")
    assert r.output == "The cache was stale.\n"


@pytest.mark.parametrize(
    "name,content,message",
    [
        ("bad.md", b"caf\xe9 au lait\n", "not valid UTF-8"),
        ("bin.md", b"\x00\x01\x02binary", "binary file"),
        ("big.md", b"word " * (2 * 1024 * 1024 + 10), "larger than"),
    ],
)
def test_bad_files_are_reported_and_others_still_linted(tmp_path, name, content, message):
    (tmp_path / name).write_bytes(content)
    good = write(tmp_path / "good.md", BLAMING)
    r = run("check", str(tmp_path / name), str(good))
    assert message in r.output
    assert "[human-error]" in r.output
    assert r.exit_code == 1  # the good file was linted
    alone = run("check", str(tmp_path / name))
    assert alone.exit_code == 2


def test_missing_path_and_empty_dir(tmp_path):
    good = write(tmp_path / "good.md", CLEAN)
    r = run("check", str(tmp_path / "missing.md"), str(good))
    assert "missing.md: no such file or directory" in r.output
    assert r.exit_code == 0
    (tmp_path / "empty").mkdir()
    r = run("check", str(tmp_path / "empty"))
    assert r.exit_code == 2 and "no Markdown or text files" in r.output
    assert run("check", str(tmp_path / "missing.md")).exit_code == 2


def test_unreadable_file(tmp_path, monkeypatch):
    f = write(tmp_path / "locked.md", BLAMING)
    real = Path.read_bytes

    def deny(self):
        if self.name == "locked.md":
            raise PermissionError(13, "Permission denied")
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", deny)
    r = run("check", str(f))
    assert r.exit_code == 2 and "locked.md: cannot read: Permission denied" in r.output


def test_empty_file_is_linted_with_a_note(tmp_path):
    f = write(tmp_path / "empty.md", "")
    r = run("check", str(f))
    assert r.exit_code == 0 and "empty file" in r.output


def test_directory_recursion_and_extensions(tmp_path):
    write(tmp_path / "a" / "one.md", BLAMING)
    write(tmp_path / "a" / "b" / "two.txt", BLAMING)
    write(tmp_path / "a" / "three.markdown", BLAMING)
    write(tmp_path / "a" / "skip.py", BLAMING)
    write(tmp_path / "a" / ".git" / "x.md", BLAMING)
    paths = {d["path"] for d in json.loads(run("check", "--format", "json", str(tmp_path / "a")).output)}
    assert {Path(p).name for p in paths} == {"one.md", "two.txt", "three.markdown"}


def test_config_discovery_nearest_wins(tmp_path):
    write(tmp_path / ".blamelint.yaml", "ignore: [hindsight]\n")
    write(tmp_path / "sub" / ".blamelint.yaml", "ignore: [blame]\n")
    top = write(tmp_path / "top.md", BLAMING)
    sub = write(tmp_path / "sub" / "pm.md", BLAMING)
    data = json.loads(run("check", "--format", "json", str(top), str(sub)).output)
    cats = {(Path(d["path"]).name, d["category"]) for d in data}
    assert ("top.md", "hindsight") not in cats and ("top.md", "blame") in cats
    assert ("pm.md", "blame") not in cats and ("pm.md", "hindsight") in cats


def test_config_severity_exclude_and_explicit(tmp_path):
    write(tmp_path / ".blamelint.yaml", "severity: {human-error: error}\nexclude: ['drafts/*']\n")
    write(tmp_path / "drafts" / "wip.md", BLAMING)
    f = write(tmp_path / "pm.md", BLAMING)
    data = json.loads(run("check", "--format", "json", str(tmp_path)).output)
    assert {Path(d["path"]).name for d in data} == {"pm.md"}
    assert {d["severity"] for d in data if d["rule"] == "human-error"} == {"error"}
    other = write(tmp_path / "elsewhere.yaml", "ignore: [human-error]\n")
    data = json.loads(run("check", "--format", "json", "--config", str(other), str(f)).output)
    assert "human-error" not in {d["rule"] for d in data}


@pytest.mark.parametrize(
    "config,expected",
    [
        ("colour: red\n", "unknown key ('colour' was unexpected)"),
        ("ignore: hindsight\n", "key 'ignore': 'hindsight' is not of type 'array'"),
        ("severity: {human-error: fatal}\n", "key 'severity.human-error'"),
        ("ignore: [\n", "invalid YAML"),
        ("- just\n- a list\n", "must be a mapping"),
        ("min_confidence: 2\n", "key 'min_confidence'"),
    ],
)
def test_bad_config_is_one_clear_error(tmp_path, config, expected):
    write(tmp_path / ".blamelint.yaml", config)
    f = write(tmp_path / "pm.md", BLAMING)
    r = run("check", str(f))
    assert r.exit_code == 2
    assert ".blamelint.yaml" in r.output and expected in r.output
    assert "Traceback" not in r.output


GOOD_RULE = (Path(__file__).parent / "data" / "team_pack.yaml").read_text(encoding="utf-8")


def test_user_rule_pack(tmp_path):
    write(tmp_path / "packs" / "team.yaml", GOOD_RULE)
    write(tmp_path / ".blamelint.yaml", "rule_paths: [packs]\n")
    f = write(tmp_path / "pm.md", "It was a YOLO deploy on Friday.\n")
    data = json.loads(run("check", "--format", "json", str(f)).output)
    assert [d["rule"] for d in data] == ["no-yolo"]
    assert data[0]["message"] == "YOLO deploy is not a process"


def test_a_rule_regex_can_name_a_shipped_word_list(tmp_path):
    # {{agentive.role_nouns}} stands for every role noun blamelint knows, as one alternation
    rule = GOOD_RULE.replace("match: {phrases: [yolo deploy]}",
                             r"match: {regex: '\b(?:the|an?)\s+{{agentive.role_nouns}}\s+went\s+yolo\b'}")
    rule = rule.replace('bad: ["It was a yolo deploy.", "Another yolo deploy."]', 'bad: ["An intern went yolo.", "The new hire went yolo."]')
    write(tmp_path / "packs" / "team.yaml", rule)
    write(tmp_path / ".blamelint.yaml", "rule_paths: [packs]\nselect: [no-yolo]\n")
    f = write(tmp_path / "pm.md", "The trainee went yolo.\n\nThe scheduler went yolo.\n\nA supervisor went yolo.\n")
    r = run("check", "--format", "json", str(f))
    assert [d["line"] for d in json.loads(r.output)] == [1, 5], r.output


@pytest.mark.parametrize(
    "broken,expected",
    [
        (GOOD_RULE.replace("severity: warning", "severity: fatal"), "rule 'no-yolo', field 'severity'"),
        (GOOD_RULE.replace("    why: Because.\n", ""), "rule 'no-yolo': 'why' is a required property"),
        (GOOD_RULE.replace("good: [", "good: [\"x\"]\n      ok: ["), "rule 'no-yolo', field 'examples"),
        (GOOD_RULE.replace('bad: ["It was a yolo deploy.", ', 'bad: ['), "field 'examples/bad'"),
        (GOOD_RULE.replace("match: {phrases: [yolo deploy]}", "match: {regex: '(unclosed'}"),
         "field 'match/regex': invalid regular expression"),
        (GOOD_RULE.replace("match: {phrases: [yolo deploy]}", "match: {patterns: [[{LOWER: {INN: [a]}}]]}"),
         "rule 'no-yolo', field 'match': invalid pattern"),
        (GOOD_RULE.replace("category: blame", "category: rudeness"), "field 'category'"),
        (GOOD_RULE.replace("safe: true}", "safe: true, after: '(unclosed'}"),
         "field 'suggestions/0/after': invalid regular expression"),
        ("rules:\n  - id: [oops\n", "invalid YAML"),
        (GOOD_RULE.replace("match: {phrases: [yolo deploy]}", "match: {regex: 'the {{agentive.nope}}'}"),
         "field 'match/regex': {{agentive.nope}}: rules/words/agentive.yaml has no list 'nope'"),
    ],
)
def test_bad_rule_pack_is_one_clear_error(tmp_path, broken, expected):
    write(tmp_path / "packs" / "team.yaml", broken)
    write(tmp_path / ".blamelint.yaml", "rule_paths: [packs]\n")
    f = write(tmp_path / "pm.md", BLAMING)
    r = run("check", str(f))
    assert r.exit_code == 2, r.output
    assert "team.yaml" in r.output and expected in r.output, r.output
    assert "Traceback" not in r.output


@pytest.mark.parametrize(
    "name,content,option,expected",
    [
        ("nope.yaml", None, "--config", "{p}: config file not found"),
        ("bad.yaml", b"select: [x\n", "--config", "{p}:2:1: invalid YAML: expected ',' or ']', but got '<stream end>'"),
        ("latin.yaml", b"a: \xff\n", "--config", "{p}: cannot read config file: 'utf-8' codec can't decode byte 0xff"),
        ("latin.yaml", b"a: \xff\n", "rule_paths", "{p}: cannot read rule pack: 'utf-8' codec can't decode byte 0xff"),
        ("pack.yaml", b"pack: p\nrules: [\n", "rule_paths", "{p}:3:1: invalid YAML: "),
        ("nope.json", None, "--baseline", "{p}: baseline file not found (create it with --write-baseline)"),
        ("bad.json", b"{oops", "--baseline",
         "{p}:1:2: baseline is not valid JSON: Expecting property name enclosed in double quotes"),
        ("latin.json", b"\xff", "--baseline", "{p}: cannot read baseline file: 'utf-8' codec can't decode byte 0xff"),
    ],
)
def test_a_bad_config_rule_pack_or_baseline_file_is_one_line_naming_it(tmp_path, name, content, option, expected):
    """The three loaders share their reading and parsing errors (blamelint.loading)."""
    p = tmp_path / name
    if content is not None:
        p.write_bytes(content)
    f = write(tmp_path / "pm.md", BLAMING)
    if option == "rule_paths":
        args = ["--config", str(write(tmp_path / "cfg.yaml", f"rule_paths: [{name}]\n"))]
    else:
        args = [option, str(p)]
    r = CliRunner().invoke(main, ["check", *args, str(f)])
    assert r.exit_code == 2
    assert r.stderr.startswith("error: " + expected.format(p=p)) and r.stderr.count("\n") == 1, r.stderr


def test_a_bad_config_found_in_a_folder_is_one_line_naming_it(tmp_path):
    (tmp_path / "sub").mkdir()
    bad = write(tmp_path / "sub" / ".blamelint.yaml", "rules: [\n")
    write(tmp_path / "sub" / "pm.md", BLAMING)
    r = CliRunner().invoke(main, ["check", str(tmp_path)])
    assert r.exit_code == 2 and "Traceback" not in r.output
    assert r.stderr.startswith(f"error: {bad}:2:1: invalid YAML") and r.stderr.count("\n") == 1, r.stderr


def test_eval_floors_that_are_not_yaml_are_one_line_naming_the_file(tmp_path):
    floors = write(tmp_path / "floors.yaml", "categories: [\n")
    r = CliRunner().invoke(main, ["eval", "--floors", str(floors), str(write(tmp_path / "pm.md", BLAMING))])
    assert r.exit_code == 2 and r.stderr.startswith(f"error: {floors}:2:1: invalid YAML"), r.stderr


def test_rules_and_explain():
    r = run("rules")
    assert r.exit_code == 0 and "human-error" in r.output and "hindsight" in r.output
    r = run("explain", "human-error")
    assert r.exit_code == 0
    assert "Flagged:" in r.output and "Fine:" in r.output and "Docs: https://" in r.output
    r = run("explain", "human-eror")
    assert r.exit_code == 2 and "did you mean human-error" in r.output


def test_real_process_end_to_end(tmp_path):
    """The installed console script, as a pre-commit hook runs it."""
    f = write(tmp_path / "pm.md", BLAMING)
    exe = Path(sys.executable).with_name("blamelint")
    cmd = [str(exe)] if exe.exists() else [sys.executable, "-m", "blamelint"]
    p = subprocess.run([*cmd, "check", "--format", "json", str(f)], capture_output=True, text=True, timeout=120)
    assert p.returncode == 1, p.stderr
    assert {d["rule"] for d in json.loads(p.stdout)} >= {"human-error", "hindsight-adverb"}
    p = subprocess.run([*cmd, "check", str(tmp_path / "nope.md")], capture_output=True, text=True, timeout=120)
    assert p.returncode == 2 and "no such file" in p.stderr


def test_commands_that_do_not_lint_never_import_spacy():
    code = (
        "import sys\n"
        "from click.testing import CliRunner\n"
        "from blamelint.cli import main\n"
        "for args in (['--version'], ['rules'], ['explain', 'human-error']):\n"
        "    assert CliRunner().invoke(main, args).exit_code == 0\n"
        "assert 'spacy' not in sys.modules, 'spacy was imported'\n"
    )
    p = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert p.returncode == 0, p.stderr


def test_explain_a_category_and_any_case():
    r = run("explain", "Hindsight")
    assert r.exit_code == 0 and "should-have-known" in r.output and "Category hindsight" in r.output
    assert run("explain", "HUMAN-ERROR").exit_code == 0


def test_unknown_rule_names_are_an_error(tmp_path):
    f = write(tmp_path / "pm.md", BLAMING)
    r = run("check", "--select", "bogus", str(f))
    assert r.exit_code == 2 and "unknown rule or category 'bogus'" in r.output
    write(tmp_path / ".blamelint.yaml", "ignore: [hindsigth]\n")
    r = run("check", str(f))
    assert r.exit_code == 2 and "did you mean hindsight?" in r.output


def test_force_exclude_applies_the_config_to_files_named_on_the_command_line(tmp_path):
    write(tmp_path / ".blamelint.yaml", 'exclude: ["drafts/*"]\n')
    draft = write(tmp_path / "drafts" / "d.md", BLAMING)
    kept = write(tmp_path / "pm.md", BLAMING)
    assert run("check", str(draft)).exit_code == 1  # named: linted, as ruff does without --force-exclude
    r = run("check", "--force-exclude", str(draft))
    assert r.exit_code == 0 and r.output == ""
    r = run("check", "--force-exclude", "--format", "json", str(draft), str(kept))
    assert r.exit_code == 1 and {d["path"] for d in json.loads(r.stdout)} == {str(kept)}


def test_output_file_gets_the_findings_in_utf8(tmp_path):
    f = write(tmp_path / "pm.md", "# Outage → rollback\n\nThe root cause was human error.\n")
    out = tmp_path / "report.json"
    r = run("check", "--format", "json", "-o", str(out), str(f))
    assert r.exit_code == 1 and r.stdout == ""
    assert json.loads(out.read_text(encoding="utf-8"))[0]["rule"]
    r = run("check", "-o", str(tmp_path / "missing-dir" / "x.txt"), str(f))
    assert r.exit_code == 2 and "cannot write the output" in r.output
