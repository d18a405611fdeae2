"""Smoke tests of the benchmark tooling: the generator is deterministic and varied, and
bench/run.py runs and prints figures. Nothing here times anything."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

import gen  # noqa: E402

SMALL = {"doc_words": (600, 1500), "archive_docs": 12, "archive_words": 12_000}


def tree(directory: Path) -> dict[str, bytes]:
    return {p.relative_to(directory).as_posix(): p.read_bytes() for p in sorted(directory.rglob("*")) if p.is_file()}


def test_generator_is_deterministic_varied_and_realistic(tmp_path):
    files, manifest = gen.generate(seed=3, **SMALL)
    assert gen.generate(seed=3, **SMALL)[0] == files
    assert gen.generate(seed=4, **SMALL)[0] != files

    # no paragraph (or line of four words or more) appears twice, and the check would notice one
    gen.check_unique(files)
    copied = dict(files, **{"archive/copy.md": files["doc600.md"]})
    with pytest.raises(AssertionError, match="repeated paragraph"):
        gen.check_unique(copied)

    # sizes near their targets, template sections present, about one flagged sentence in twenty
    assert abs(manifest["words"]["doc1500.md"] - 1500) < 150
    assert len([n for n in files if n.startswith("archive/")]) == 12
    assert abs(manifest["archive_words"] - 12_000) < 2_500
    for heading in ("## Key Facts", "## Executive Summary", "## Timeline", "### Contributors", "## Learnings",
                    "## Follow-ups", "**Theme tags:**"):
        assert heading in files["doc1500.md"]
    assert 12 <= manifest["one_problem_in"] <= 30

    # the command line writes the same bytes whatever the hash seed, plus a .gitignore of "*"
    args = [sys.executable, str(ROOT / "bench" / "gen.py"), "--seed", "3", "--archive-docs", "5",
            "--archive-words", "4000"]
    for hash_seed, out in (("1", tmp_path / "a"), ("2", tmp_path / "b")):
        subprocess.run(args + ["--out", str(out)], check=True, capture_output=True,
                       env=dict(os.environ, PYTHONHASHSEED=hash_seed))
    assert tree(tmp_path / "a") == tree(tmp_path / "b")
    assert (tmp_path / "a" / ".gitignore").read_text() == "*\n"
    subprocess.run(args[:3] + ["4"] + args[4:] + ["--out", str(tmp_path / "c")], check=True, capture_output=True)
    assert tree(tmp_path / "c")["doc2000.md"] != tree(tmp_path / "a")["doc2000.md"]


def test_run_quick_startup_prints_figures(tmp_path):
    proc = subprocess.run([sys.executable, str(ROOT / "bench" / "run.py"), "--quick", "--only", "startup",
                           "--data", str(tmp_path), "--json", str(tmp_path / "figures.json")],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    assert "machine:" in out and "load average at start" in out
    for figure in ("check --no-cache doc2000.md", "blamelint --version", "blamelint rules", "spacy.load(MODEL)",
                   "check doc2000.md ÷ spacy.load"):
        assert figure in out
    assert "Traceback" not in out + proc.stderr
    assert (tmp_path / "quick" / "archive").is_dir() and (tmp_path / ".gitignore").read_text() == "*\n"
    assert '"group": "startup"' in (tmp_path / "figures.json").read_text()
