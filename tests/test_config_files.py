"""Where settings live: `.blamelint.yaml` or `[tool.blamelint]` in pyproject.toml, one JSON Schema
for both, `blamelint config` and `blamelint init`."""

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from jsonschema import Draft202012Validator

from blamelint.config import schema
from blamelint.document.model import SECTION_KINDS
from blamelint.findings import CATEGORIES, SEVERITIES
from tests.test_cli import run, write

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib

ROOT = Path(__file__).resolve().parent.parent
DOC = """# Checkout outage

## Summary

Dana forgot to renew the certificate. In hindsight, the expiry was obvious.
The root cause was human error. We need to be more careful.

## Follow-ups

- Add an expiry alert
"""

SAME_SETTINGS_YAML = """\
profile: public
ignore: [root-cause]
severity: {hindsight: info, vague-action: error}
allow: {names: [Hudson]}
roles: {dana: certificate owner}
today: 2024-02-01
"""

SAME_SETTINGS_TOML = """\
[project]
name = "postmortems"

[tool.blamelint]
profile = "public"
ignore = ["root-cause"]
today = 2024-02-01

[tool.blamelint.severity]
hindsight = "info"
vague-action = "error"

[tool.blamelint.allow]
names = ["Hudson"]

[tool.blamelint.roles]
dana = "certificate owner"
"""


def findings(folder: Path) -> list[dict]:
    r = run("check", "--format", "json", str(folder / "pm.md"))
    assert r.exit_code in (0, 1), r.output
    return [{k: v for k, v in d.items() if k != "path"} for d in json.loads(r.output)]


def test_pyproject_settings_give_the_same_findings_as_yaml(tmp_path):
    write(tmp_path / "yaml" / ".blamelint.yaml", SAME_SETTINGS_YAML)
    write(tmp_path / "yaml" / "pm.md", DOC)
    write(tmp_path / "toml" / "pyproject.toml", SAME_SETTINGS_TOML)
    write(tmp_path / "toml" / "pm.md", DOC)
    from_yaml, from_toml = findings(tmp_path / "yaml"), findings(tmp_path / "toml")
    assert from_yaml == from_toml
    # the settings took effect: without them the findings differ
    write(tmp_path / "none" / "pm.md", DOC)
    default = findings(tmp_path / "none")
    assert from_toml != default
    assert {d["severity"] for d in from_toml if d["category"] == "hindsight"} == {"info"}
    assert not [d for d in from_toml if d["category"] == "root-cause"]
    assert {d["severity"] for d in from_toml if d["category"] == "named-individual"} == {"error"}  # public


@pytest.mark.parametrize("name,text,key", [
    ("pyproject.toml", '[tool.blamelint]\nmin_confidence = "high"\n', "'tool.blamelint.min_confidence'"),
    ("pyproject.toml", '[tool.blamelint.severity]\nhindsight = "fatal"\n', "'tool.blamelint.severity.hindsight'"),
    ("pyproject.toml", '[tool.blamelint]\ncolour = "red"\n', "unknown key ('colour' was unexpected)"),
    ("pyproject.toml", "[tool.blamelint]\nignore = 3\n", "'tool.blamelint.ignore'"),
    (".blamelint.yaml", "min_confidence: high\n", "'min_confidence'"),
    (".blamelint.yaml", "template: {required_sections: [epilogue]}\n", "'template.required_sections.0'"),
    (".blamelint.yaml", "today: 2024-02-30\n", "key 'today': expected a date like 2024-01-31, got '2024-02-30'"),
    (".blamelint.yaml", "allow: {nmes: [Hudson]}\n", "key 'allow.nmes': unknown key"),
    ("pyproject.toml", "[tool.blamelint]\nfoo = 1\n", "key 'tool.blamelint.foo': unknown key"),
    ("pyproject.toml", '[tool.blamelint]\ntoday = "2024-02-30"\n', "key 'tool.blamelint.today'"),
])
def test_a_wrong_type_names_the_file_and_key(tmp_path, name, text, key):
    write(tmp_path / name, text)
    f = write(tmp_path / "pm.md", DOC)
    r = run("check", str(f))
    assert r.exit_code == 2
    assert f"{tmp_path / name}:" in r.output and key in r.output
    assert "Traceback" not in r.output


def test_broken_toml_with_the_table_is_an_error_and_without_it_is_skipped(tmp_path):
    write(tmp_path / "a" / "pyproject.toml", "[tool.blamelint\nprofile = 'public'\n")
    r = run("check", str(write(tmp_path / "a" / "pm.md", DOC)))
    assert r.exit_code == 2 and "pyproject.toml: invalid TOML" in r.output
    # a broken pyproject.toml that is not about blamelint is not ours to judge
    write(tmp_path / "b" / "pyproject.toml", "[project\nname = 'x'\n")
    r = run("check", str(write(tmp_path / "b" / "pm.md", DOC)))
    assert r.exit_code == 1 and "error" not in r.output.split("\n")[0]


def test_both_in_one_folder_is_an_error_naming_both(tmp_path):
    write(tmp_path / ".blamelint.yaml", "profile: public\n")
    write(tmp_path / "pyproject.toml", '[tool.blamelint]\nprofile = "public"\n')
    r = run("check", str(write(tmp_path / "pm.md", DOC)))
    assert r.exit_code == 2
    assert ".blamelint.yaml" in r.output and "pyproject.toml" in r.output


def test_the_nearest_wins_and_a_pyproject_without_the_table_is_passed_over(tmp_path):
    write(tmp_path / "pyproject.toml", '[tool.blamelint]\nignore = ["hindsight"]\n')
    write(tmp_path / "team" / ".blamelint.yaml", "ignore: [vague-action]\n")
    write(tmp_path / "team" / "q1" / "pyproject.toml", '[project]\nname = "q1"\n')  # no table: not a config
    write(tmp_path / "team" / "q1" / "pm.md", DOC)
    write(tmp_path / "other" / "pm.md", DOC)
    near = {d["category"] for d in findings(tmp_path / "team" / "q1")}
    assert "vague-action" not in near and "hindsight" in near
    far = {d["category"] for d in findings(tmp_path / "other")}
    assert "hindsight" not in far and "vague-action" in far


def test_explicit_config_may_be_a_pyproject(tmp_path):
    p = write(tmp_path / "settings" / "pyproject.toml", '[tool.blamelint]\nignore = ["hindsight"]\n')
    f = write(tmp_path / "pm.md", DOC)
    data = json.loads(run("check", "--format", "json", "--config", str(p), str(f)).output)
    assert "hindsight" not in {d["category"] for d in data}
    empty = write(tmp_path / "empty" / "pyproject.toml", '[project]\nname = "x"\n')
    r = run("check", "--config", str(empty), str(f))
    assert r.exit_code == 2 and "no [tool.blamelint] table" in r.output


# --- the schema --------------------------------------------------------------------------------


def printed_schema() -> dict:
    r = run("config", "--schema")
    assert r.exit_code == 0
    return json.loads(r.output)


def readme_config() -> dict:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"## Configuration\n.*?```yaml\n(.*?)```", readme, re.S).group(1)
    return yaml.safe_load(block)


def as_json(data):
    """What a YAML or TOML reader gives, as an editor's JSON Schema validator sees it."""
    return json.loads(json.dumps(data, default=str))


def test_config_schema_is_valid_and_is_the_one_validation_uses():
    printed = printed_schema()
    Draft202012Validator.check_schema(printed)
    assert printed == schema()
    props = printed["properties"]
    assert props["fail_on"]["enum"] == list(SEVERITIES)
    assert set(props["template"]["properties"]["required_sections"]["items"]["enum"]) == set(SECTION_KINDS)
    assert all(p.get("description") for p in props.values())
    assert "root-cause" in CATEGORIES


def unco(text: str, comment: str) -> str:
    """The template with every commented-out setting switched on."""
    out = []
    for line in text.splitlines():
        m = re.match(rf"^{comment} (\s*[\w\[\]\".-]+\s*[:=\]].*)$", line)
        out.append(m.group(1) if m and not line.startswith(f"{comment} blamelint") and "Every key" not in line
                   and "yaml-language-server" not in line and ".blamelint.yaml (or" not in line else line)
    return "\n".join(out) + "\n"


def test_config_schema_validates_the_shipped_sample_configs(tmp_path):
    validator = Draft202012Validator(printed_schema())
    assert not list(validator.iter_errors(as_json(readme_config())))
    r = run("init", str(tmp_path / "y"))
    assert r.exit_code == 0, r.output
    sample = (tmp_path / "y" / ".blamelint.yaml").read_text(encoding="utf-8")
    full = yaml.safe_load(unco(sample, "#"))
    assert {"ignore", "severity", "allow", "roles", "template", "today"} <= set(full)  # switched on
    assert not list(validator.iter_errors(as_json(full)))
    write(tmp_path / "t" / "pyproject.toml", "")
    assert run("init", "--pyproject", str(tmp_path / "t")).exit_code == 0
    toml_text = (tmp_path / "t" / "pyproject.toml").read_text(encoding="utf-8")
    table = tomllib.loads(unco(toml_text, "#"))["tool"]["blamelint"]
    assert {"ignore", "severity", "allow", "roles", "today"} <= set(table)
    assert not list(validator.iter_errors(as_json(table)))
    # and the loader accepts them as they are, switched on
    for folder in ("y2", "t2"):  # the samples' own rule pack folder
        write(tmp_path / folder / ".blamelint" / "rules" / "team.yaml", "pack: team\nrules: []\n")
    write(tmp_path / "y2" / ".blamelint.yaml", unco(sample, "#"))
    assert run("config", str(tmp_path / "y2")).exit_code == 0
    write(tmp_path / "t2" / "pyproject.toml", unco(toml_text, "#"))
    r = run("config", str(tmp_path / "t2"))
    assert r.exit_code == 0 and "[tool.blamelint]" in r.output


def test_config_shows_the_settings_and_their_file(tmp_path):
    write(tmp_path / "pyproject.toml", '[tool.blamelint]\nignore = ["hindsight"]\n')
    r = run("config", str(write(tmp_path / "pm.md", DOC)))
    assert r.exit_code == 0
    head, body = r.output.split("\n", 1)
    assert str(tmp_path / "pyproject.toml") in head
    assert json.loads(body)["ignore"] == ["hindsight"]


# --- init --------------------------------------------------------------------------------------


def test_init_writes_a_commented_config_with_the_schema_line_and_prints_snippets(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "blamelint", "init", str(tmp_path)], capture_output=True,
                          text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    text = (tmp_path / ".blamelint.yaml").read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=https://")
    assert "config-schema.json" in text.splitlines()[0]
    assert yaml.safe_load(text) == {"profile": "default"}
    assert "repos:" in proc.stdout and "id: blamelint" in proc.stdout  # pre-commit
    workflow = proc.stdout.split("And on pull requests:", 1)[1]
    assert yaml.safe_load(workflow)["jobs"]["blamelint"]["steps"][1]["uses"].startswith("blamelint/blamelint@")
    # a second run keeps the writer's file
    (tmp_path / ".blamelint.yaml").write_text("profile: public\n", encoding="utf-8")
    r = run("init", str(tmp_path))
    assert r.exit_code == 2 and "--force" in r.output
    assert (tmp_path / ".blamelint.yaml").read_text(encoding="utf-8") == "profile: public\n"
    assert run("init", "--force", str(tmp_path)).exit_code == 0
    assert (tmp_path / ".blamelint.yaml").read_text(encoding="utf-8") == text


def test_init_pyproject_appends_the_table_and_keeps_the_rest(tmp_path):
    before = '[project]\nname = "postmortems"\n\n[tool.ruff]\nline-length = 100'  # no final newline
    write(tmp_path / "pyproject.toml", before)
    assert run("init", "--pyproject", str(tmp_path)).exit_code == 0
    after = (tmp_path / "pyproject.toml").read_text(encoding="utf-8")
    assert after.startswith(before + "\n")
    data = tomllib.loads(after)
    assert data["tool"]["ruff"] == {"line-length": 100} and data["tool"]["blamelint"] == {"profile": "default"}
    r = run("init", "--pyproject", str(tmp_path))
    assert r.exit_code == 2 and (tmp_path / "pyproject.toml").read_text(encoding="utf-8") == after
    r = run("init", str(tmp_path))  # a YAML beside the table would be two configs in one folder
    assert r.exit_code == 2 and not (tmp_path / ".blamelint.yaml").exists()


def test_init_pyproject_leaves_a_broken_pyproject_alone(tmp_path):
    broken = '[project\nname = "x"\n'
    write(tmp_path / "pyproject.toml", broken)
    r = run("init", "--pyproject", str(tmp_path))
    assert r.exit_code == 2 and "not changed" in r.output
    assert (tmp_path / "pyproject.toml").read_text(encoding="utf-8") == broken


def test_init_pyproject_keeps_crlf_line_ends(tmp_path):
    (tmp_path / "pyproject.toml").write_bytes(b'[project]\r\nname = "x"\r\n')
    assert run("init", "--pyproject", str(tmp_path)).exit_code == 0
    data = (tmp_path / "pyproject.toml").read_bytes()
    assert data.startswith(b'[project]\r\nname = "x"\r\n') and b"\n" not in data.replace(b"\r\n", b"")


def test_config_output_validates_against_the_schema(tmp_path):
    write(tmp_path / ".blamelint.yaml", "profile: public\nignore: [root-cause]\ntoday: 2024-02-01\n")
    r = run("config", str(tmp_path))
    assert r.exit_code == 0
    shown = json.loads(r.output.split("\n", 1)[1])
    assert not list(Draft202012Validator(printed_schema()).iter_errors(shown))
    assert shown["today"] == "2024-02-01" and "model" not in shown


def test_config_checks_rule_names_as_check_does(tmp_path):
    write(tmp_path / ".blamelint.yaml", "select: [blam]\n")
    r = run("config", str(tmp_path))
    assert r.exit_code == 2 and "unknown rule or category 'blam' (did you mean blame?)" in r.output
