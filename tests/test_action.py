"""The GitHub Action (action.yml) end to end: its own shell steps, run in order against a fixture
repository, with blamelint installed by the action's install step into a fresh virtual environment.

The `uses:` steps (setup-python, cache, upload-sarif) belong to GitHub; here we check that they are
there and that the upload's condition holds exactly when a SARIF file was written."""

import json
import os
import re
import shutil
import site
import subprocess
import sysconfig
import venv
from pathlib import Path

import pytest
import yaml

from tests.test_formats import validate_sarif

ROOT = Path(__file__).resolve().parent.parent
ACTION = yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))

BLAMING = "# Outage\n\nDana forgot to renew the certificate. We need to be more careful.\n"
CLEAN = "# Outage\n\nThe certificate expired at 09:12 UTC and the renewal job did not run.\n"

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


def git(repo: Path, *args: str) -> str:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.com"}
    return subprocess.run(["git", *args], cwd=repo, env=env, check=True, capture_output=True, text=True).stdout.strip()


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """A fresh venv, blamelint installed into it by the action's own install step. The venv sees
    this environment's packages (spaCy and the model) through a .pth file, so the step's pip
    builds and installs blamelint itself from the checkout without downloading the rest."""
    env_dir = tmp_path_factory.mktemp("action-venv")
    venv.EnvBuilder(with_pip=True).create(env_dir)
    purelib = Path(subprocess.run([str(env_dir / "bin" / "python"), "-c",
                                   "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                                  capture_output=True, text=True, check=True).stdout.strip())
    parents = [p for p in {*site.getsitepackages(), sysconfig.get_paths()["purelib"]} if Path(p).is_dir()]
    (purelib / "_parent_env.pth").write_text("\n".join(parents) + "\n", encoding="utf-8")
    out = run_step(step("Install blamelint"), {"inputs.version": "", "github.action_path": str(ROOT)},
                   cwd=env_dir, bin_dir=env_dir / "bin", temp=env_dir)
    assert out.returncode == 0, out.stdout + out.stderr
    where = subprocess.run([str(env_dir / "bin" / "python"), "-c", "import blamelint; print(blamelint.__file__)"],
                           capture_output=True, text=True, check=True, cwd=env_dir).stdout
    assert str(env_dir) in where  # the action's install, not this checkout
    return env_dir / "bin"


def step(name_or_id: str) -> dict:
    return next(s for s in ACTION["runs"]["steps"] if name_or_id in (s.get("name"), s.get("id")))


def value(expr: str, context: dict) -> str:
    """`${{ ... }}` substituted from context (inputs.*, github.*, steps.*.outputs.*)."""
    return re.sub(r"\$\{\{\s*(.*?)\s*\}\}", lambda m: str(context.get(m.group(1), "")), str(expr))


def run_step(s: dict, context: dict, cwd: Path, bin_dir: Path, temp: Path) -> subprocess.CompletedProcess:
    assert s["shell"] == "bash" and "${{" not in s["run"]  # expressions only in env: the script sees values
    output = temp / f"output-{s.get('id', 'step')}"
    output.write_text("", encoding="utf-8")
    env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}", "RUNNER_TEMP": str(temp),
           "GITHUB_OUTPUT": str(output), "VIRTUAL_ENV": str(bin_dir.parent)}
    env.pop("PYTHONPATH", None)
    env.update({k: value(v, context) for k, v in (s.get("env") or {}).items()})
    proc = subprocess.run(["bash", "-c", s["run"]], cwd=cwd, env=env, capture_output=True, text=True, timeout=600)
    for line in output.read_text(encoding="utf-8").splitlines():
        key, _, val = line.partition("=")
        context[f"steps.{s['id']}.outputs.{key}"] = val
    return proc


def condition(expr: str, context: dict) -> bool:
    """The `if:` of a step: terms joined by &&, each always(), `X == 'v'` or `X != 'v'`."""
    ok = True
    for term in expr.split("&&"):
        term = term.strip()
        if term == "always()":
            continue
        m = re.fullmatch(r"([\w.-]+)\s*(==|!=)\s*'(.*)'", term)
        assert m, f"unsupported condition {term!r}"
        equal = str(context.get(m.group(1), "")) == m.group(3)
        ok &= equal if m.group(2) == "==" else not equal
    return ok


def run_action(bin_dir: Path, repo: Path, temp: Path, **inputs) -> tuple[dict, dict]:
    """Every step after the install, in order. Returns the context and each step's process."""
    defaults = {k: v.get("default", "") for k, v in ACTION["inputs"].items()}
    context = {f"inputs.{k}": v for k, v in {**defaults, **inputs}.items() if not k.startswith("github.")}
    context.update({k: v for k, v in inputs.items() if k.startswith("github.")})
    context["github.action_path"] = str(ROOT)
    procs = {}
    for s in ACTION["runs"]["steps"]:
        if s.get("name") == "Install blamelint":
            continue  # done once by the fixture, into the venv
        if "uses" in s:
            procs[s["uses"].split("@")[0]] = condition(s["if"], context) if "if" in s else True
            continue
        procs[s.get("id") or s["name"]] = run_step(s, context, repo, bin_dir, temp)
    return context, procs


@pytest.fixture
def repo(tmp_path) -> tuple[Path, str]:
    """main has one blaming post-mortem; the pull request adds another, a clean one and some code."""
    r = tmp_path / "repo"
    (r / "postmortems").mkdir(parents=True)
    git(r, "init", "-q", "-b", "main")
    (r / "postmortems" / "2024-01-old.md").write_text(BLAMING, encoding="utf-8")
    (r / "README.md").write_text("# Our post-mortems\n\nSomeone should have known better.\n", encoding="utf-8")
    git(r, "add", ".")
    git(r, "commit", "-q", "-m", "base")
    base = git(r, "rev-parse", "HEAD")
    git(r, "checkout", "-q", "-b", "pr")
    (r / "postmortems" / "2024-02 cert expiry.md").write_text(BLAMING, encoding="utf-8")  # a space in the name
    (r / "postmortems" / "2024-03-clean.md").write_text(CLEAN, encoding="utf-8")
    (r / "tool.py").write_text("print('Dana forgot')\n", encoding="utf-8")
    git(r, "add", ".")
    git(r, "commit", "-q", "-m", "pr")
    return r, base


def test_the_action_declares_its_inputs_and_github_steps():
    assert set(ACTION["inputs"]) == {"paths", "version", "fail-on", "changed-only", "sarif", "args", "python-version"}
    assert ACTION["runs"]["using"] == "composite"
    uses = [s["uses"].split("@")[0] for s in ACTION["runs"]["steps"] if "uses" in s]
    assert uses == ["actions/setup-python", "actions/cache", "github/codeql-action/upload-sarif"]


def test_pull_request_lints_the_changed_post_mortems_and_uploads_sarif(installed, repo, tmp_path):
    r, base = repo
    context, procs = run_action(installed, r, tmp_path, paths="postmortems", **{"changed-only": "true"},
                                **{"github.event_name": "pull_request", "github.event.pull_request.base.sha": base})
    listed = Path(context["steps.files.outputs.list"]).read_text(encoding="utf-8").split("\n")
    assert sorted(filter(None, listed)) == ["postmortems/2024-02 cert expiry.md", "postmortems/2024-03-clean.md"]
    check = procs["check"]
    assert context["steps.check.outputs.exit-code"] == "1", check.stderr
    sarif_file = Path(context["steps.check.outputs.sarif-file"])
    log = json.loads(sarif_file.read_text(encoding="utf-8"))
    validate_sarif(log)
    uris = {loc["physicalLocation"]["artifactLocation"]["uri"]
            for res in log["runs"][0]["results"] for loc in res["locations"]}
    assert uris and all("2024-02" in u for u in uris)  # the old post-mortem and the README are not linted
    assert "forgot" in check.stdout  # the text report in the log
    assert procs["github/codeql-action/upload-sarif"] is True
    assert procs["Fail on findings"].returncode == 1


def test_annotations_instead_of_sarif_and_fail_on_never(installed, repo, tmp_path):
    r, base = repo
    context, procs = run_action(installed, r, tmp_path, paths="postmortems", sarif="false", **{"fail-on": "never"},
                                **{"github.event_name": "pull_request", "github.event.pull_request.base.sha": base})
    out = procs["check"].stdout
    assert re.search(r"^::(warning|error) file=postmortems/2024-02 cert expiry\.md,line=3,", out, re.M), out
    assert context["steps.check.outputs.sarif-file"] == ""
    assert procs["github/codeql-action/upload-sarif"] is False
    assert procs["Fail on findings"].returncode == 0


def test_sarif_on_a_pull_request_lints_every_path_so_code_scanning_keeps_its_alerts(installed, repo, tmp_path):
    r, base = repo
    context, procs = run_action(installed, r, tmp_path, paths="postmortems",
                                **{"github.event_name": "pull_request", "github.event.pull_request.base.sha": base})
    assert Path(context["steps.files.outputs.list"]).read_text(encoding="utf-8").split() == ["postmortems"]
    log = json.loads(Path(context["steps.check.outputs.sarif-file"]).read_text(encoding="utf-8"))
    uris = {loc["physicalLocation"]["artifactLocation"]["uri"]
            for res in log["runs"][0]["results"] for loc in res["locations"]}
    assert any("2024-01-old" in u for u in uris) and any("2024-02" in u for u in uris)


def test_a_bad_setting_uploads_nothing_and_fails(installed, repo, tmp_path):
    r, _ = repo
    (r / ".blamelint.yaml").write_text("colour: red\n", encoding="utf-8")
    context, procs = run_action(installed, r, tmp_path, paths="postmortems", **{"github.event_name": "push"})
    assert context["steps.check.outputs.exit-code"] == "2"
    assert context["steps.check.outputs.sarif-file"] == ""  # an empty or partial SARIF is never uploaded
    assert procs["github/codeql-action/upload-sarif"] is False
    assert procs["Fail on findings"].returncode == 2


def test_the_shell_steps_run_under_bash_3_2_rules():
    """macOS runners have bash 3.2: no mapfile, and an empty array is unbound under set -u."""
    for s in ACTION["runs"]["steps"]:
        script = s.get("run", "")
        assert not re.search(r"^\s*[^#\n]*\b(mapfile|readarray)\b", script, re.M), s.get("name")
        guarded = re.sub(r'\$\{(\w+)\[@\]\+"\$\{\1\[@\]\}"\}', "", script)
        assert not re.search(r"\$\{(options|extra|paths)\[@\]\}", guarded), s.get("name")


def test_push_lints_every_path_given(installed, repo, tmp_path):
    r, _ = repo
    context, procs = run_action(installed, r, tmp_path, paths="postmortems\nREADME.md", sarif="false",
                                args="--select hindsight", **{"github.event_name": "push"})
    out = procs["check"].stdout
    assert "file=README.md" in out and "2024-01-old.md" not in out  # only hindsight was selected
    assert context["steps.check.outputs.exit-code"] == "1"


def test_a_pull_request_without_post_mortems_passes(installed, repo, tmp_path):
    r, _ = repo
    head = git(r, "rev-parse", "HEAD")
    (r / "tool.py").write_text("print('changed')\n", encoding="utf-8")
    git(r, "commit", "-q", "-am", "code only")
    context, procs = run_action(installed, r, tmp_path, paths="postmortems", sarif="false",
                                **{"github.event_name": "pull_request", "github.event.pull_request.base.sha": head})
    assert "No post-mortems changed" in procs["check"].stdout
    assert context["steps.check.outputs.exit-code"] == "0"
    assert procs["github/codeql-action/upload-sarif"] is False
    assert procs["Fail on findings"].returncode == 0


def test_a_bad_setting_fails_the_action(installed, repo, tmp_path):
    r, _ = repo
    (r / ".blamelint.yaml").write_text("colour: red\n", encoding="utf-8")
    context, procs = run_action(installed, r, tmp_path, paths="postmortems", sarif="false",
                                **{"github.event_name": "push"})
    assert context["steps.check.outputs.exit-code"] == "2"
    assert "colour" in procs["check"].stderr
    assert procs["Fail on findings"].returncode == 2


def test_readme_shows_the_workflow():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"```yaml\n(name: post-mortems\n.*?)```", readme, re.S)
    assert block, "the README shows a copy-paste workflow"
    workflow = yaml.safe_load(block.group(1))
    steps = workflow["jobs"]["blamelint"]["steps"]
    used = next(s for s in steps if s.get("uses", "").startswith("blamelint/blamelint@"))
    assert set(used.get("with", {})) <= set(ACTION["inputs"])
    assert workflow["permissions"]["security-events"] == "write"


def test_the_pre_commit_hook_passes_exactly_the_files_a_folder_walk_lints():
    from blamelint.runner import EXTENSIONS

    hook = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))[0]
    pattern = re.compile(hook["files"])
    for ext in EXTENSIONS:
        assert pattern.search(f"postmortems/2024-01{ext}") and pattern.search(f"PM{ext.upper()}")
    for other in ("setup.py", "config.yaml", "notes.rst", "pyproject.toml", "a.md.bak"):
        assert not pattern.search(other)
