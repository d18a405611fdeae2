"""The VS Code extension in lsp/vscode: its manifest, and (with npm) that it builds to a .vsix."""

from __future__ import annotations

import json
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXT = ROOT / "lsp" / "vscode"

# The settings the server reads (and the client-only path/args), with their defaults.
SETTINGS = {
    "enable": True,
    "path": "blamelint",
    "args": ["lsp"],
    "profile": "default",
    "categories": {
        "blame": True,
        "named-individual": True,
        "hindsight": True,
        "vague-action": True,
        "followup": True,
        "root-cause": True,
        "template": True,
    },
    "severity": {},
    "minConfidence": 0.0,
    "quotes": "ignore",
    "debounceMs": 200,
    "maxSize": 5242880,
    "configPath": None,
}
ENUMS = {"profile": {"default", "public"}, "quotes": {"ignore", "check"}}
COMMANDS = {"blamelint.restartServer", "blamelint.fixAll"}


@pytest.fixture(scope="module")
def manifest() -> dict:
    return json.loads((EXT / "package.json").read_text(encoding="utf-8"))


def test_manifest_basics(manifest):
    assert manifest["name"] == "blamelint"
    assert manifest["publisher"]
    assert manifest["license"] == "MIT"
    assert manifest["repository"]
    assert manifest["engines"]["vscode"].startswith("^1.")
    assert (EXT / "LICENSE").is_file()
    assert (EXT / "README.md").is_file()
    assert (EXT / "package-lock.json").is_file()
    deps = manifest["dependencies"]
    assert "vscode-languageclient" in deps
    assert "@vscode/vsce" in manifest["devDependencies"]
    # @types/vscode must not be newer than the engine, or vsce refuses to package.
    types = manifest["devDependencies"]["@types/vscode"].lstrip("^~")
    engine = manifest["engines"]["vscode"].lstrip("^~")
    assert tuple(map(int, types.split("."))) <= tuple(map(int, engine.split(".")))


def test_activates_on_markdown_and_plaintext(manifest):
    events = set(manifest["activationEvents"])
    assert {"onLanguage:markdown", "onLanguage:plaintext"} <= events


def test_main_points_to_compile_output(manifest):
    tsconfig = json.loads((EXT / "tsconfig.json").read_text(encoding="utf-8"))
    out_dir = tsconfig["compilerOptions"]["outDir"].strip("./")
    main = manifest["main"]
    assert main.endswith(".js")
    assert Path(main).as_posix().lstrip("./") == f"{out_dir}/extension.js"
    assert (EXT / "src" / "extension.ts").is_file()
    assert "compile" in manifest["scripts"]


def test_contributes_every_setting(manifest):
    props = manifest["contributes"]["configuration"]["properties"]
    for key, default in SETTINGS.items():
        spec = props.get(f"blamelint.{key}")
        assert spec is not None, f"blamelint.{key} is not contributed"
        assert "type" in spec, key
        assert "default" in spec, key
        assert spec["default"] == default, key
        assert spec.get("description") or spec.get("markdownDescription"), key
    for key, values in ENUMS.items():
        assert set(props[f"blamelint.{key}"]["enum"]) == values
    categories = props["blamelint.categories"]["properties"]
    assert set(categories) == set(SETTINGS["categories"])
    severity = props["blamelint.severity"]["additionalProperties"]
    assert set(severity["enum"]) == {"error", "warning", "info"}


def test_contributes_commands(manifest):
    commands = {c["command"]: c for c in manifest["contributes"]["commands"]}
    assert COMMANDS <= set(commands)
    for command in COMMANDS:
        assert commands[command]["title"]
    source = (EXT / "src" / "extension.ts").read_text(encoding="utf-8")
    for command in COMMANDS:
        assert f"'{command}'" in source, f"{command} is not registered"


def test_client_wiring():
    source = (EXT / "src" / "extension.ts").read_text(encoding="utf-8")
    assert "configurationSection: SECTION" in source and "const SECTION = 'blamelint'" in source
    assert "createFileSystemWatcher('**/.blamelint.{yaml,yml}')" in source
    assert "initializationOptions" in source
    assert "source.fixAll.blamelint" in source
    for scheme in ("file", "untitled"):
        for language in ("markdown", "plaintext"):
            assert f"{{ scheme: '{scheme}', language: '{language}' }}" in source


@pytest.mark.skipif(shutil.which("npm") is None, reason="npm is not on PATH")
def test_build_vsix():
    vsix = EXT / "blamelint.vsix"
    result = subprocess.run(
        ["bash", str(EXT / "build.sh")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        stdin=subprocess.DEVNULL,
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]
    assert vsix.is_file()
    assert zipfile.is_zipfile(vsix)
    with zipfile.ZipFile(vsix) as z:
        names = set(z.namelist())
        assert "extension/package.json" in names
        assert "extension/out/extension.js" in names
        assert "extension/node_modules/vscode-languageclient/package.json" in names
        assert not any(n.startswith("extension/src/") for n in names)
        packed = json.loads(z.read("extension/package.json"))
    assert packed["main"] == "./out/extension.js"
