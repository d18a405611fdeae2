"""A real editor: headless Neovim attaches `blamelint lsp`, shows its diagnostics and applies a fix."""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).with_name("nvim") / "check.lua"
NVIM = shutil.which("nvim")

if NVIM is None and os.environ.get("CI"):
    pytest.fail("Neovim is not installed; .ci/run installs it with apt-get", pytrace=False)


@pytest.mark.skipif(NVIM is None, reason="Neovim is not installed (apt-get install neovim)")
def test_neovim_shows_diagnostics_and_applies_a_quick_fix(tmp_path):
    pm = tmp_path / "postmortem.md"
    pm.write_text("# Outage\n\nThe root cause was human error.\n\nObviously the cache was stale.\n")
    out = tmp_path / "result.json"
    env = {**os.environ, "BLAMELINT_OUT": str(out), "BLAMELINT_PYTHON": sys.executable}
    proc = subprocess.run(
        [NVIM, "--headless", "-u", "NONE", "-i", "NONE", "-n", "-c", "filetype on", str(pm),
         "-c", f"luafile {SCRIPT}"],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=240,
    )
    assert out.exists(), proc.stderr + proc.stdout
    result = json.loads(out.read_text())
    assert result["ok"], result.get("error")
    assert "human-error" in result["before"] and "hindsight-adverb" in result["before"]
    assert "A contributing factor was a gap in our safeguards." in result["lines"]  # the sentence rewrite
    assert "human-error" not in result["after"] and "hindsight-adverb" in result["after"]
