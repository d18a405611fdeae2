"""The result cache: hits, misses, what invalidates an entry, corrupt files, concurrency, size bound."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path
from types import SimpleNamespace

import pytest

from blamelint import cache as cache_mod
from blamelint.cache import ResultCache, fingerprint
from blamelint.config import Config
from blamelint.engine import Linter, linter_for
from blamelint.findings import Edit, FileResult, Finding, Fix

TEXT = "# Outage\n\nThe root cause was human error.\n"

PACK = (Path(__file__).parent / "data" / "team_pack.yaml").read_text(encoding="utf-8")


def fake_linter(**settings):
    """Only what the cache reads from a linter: its config (no rule loading, no pipeline)."""
    return SimpleNamespace(config=Config(**settings))


def sample_result(path="pm.md") -> FileResult:
    f = Finding("human-error", "blame", "warning", "“human error” ends it", 29, 40,
                [Fix("Replace", [Edit(29, 40, "a gap")], True), Fix("Placeholder", [], False)], 0.95, "human error")
    return FileResult(path=path, document=object(), findings=[f], problems=[f"{path}: rule 'x' failed: boom"])


def test_finding_dict_round_trip():
    f = sample_result().findings[0]
    data = json.loads(json.dumps(f.to_dict()))
    assert Finding.from_dict(data) == f
    assert data["fixes"][0] == {"title": "Replace", "safe": True, "edits": [{"start": 29, "end": 40, "new_text": "a gap"}]}


def test_miss_then_hit(tmp_path):
    cache, linter = ResultCache(tmp_path), fake_linter()
    assert cache.get(TEXT, "pm.md", linter) is None
    cache.put(TEXT, "pm.md", linter, sample_result())
    hit = cache.get(TEXT, "pm.md", linter)
    assert hit is not None and hit.document is None and hit.error is None
    assert hit.findings == sample_result().findings
    assert hit.problems == sample_result().problems
    assert (cache.hits, cache.misses) == (1, 1)


def test_same_text_under_another_name_is_a_hit_with_its_own_path(tmp_path):
    cache, linter = ResultCache(tmp_path), fake_linter()
    cache.put(TEXT, "a/pm.md", linter, sample_result("a/pm.md"))
    hit = cache.get(TEXT, "b/other.md", linter)
    assert hit.path == "b/other.md"
    assert hit.problems == ["b/other.md: rule 'x' failed: boom"]


def test_real_lint_result_round_trips(tmp_path, lint_with):
    result = lint_with(TEXT + "\nObviously the cache was stale. We need to be more careful.\n", "pm.md")
    assert result.findings
    cache, linter = ResultCache(tmp_path), linter_for(Config())
    text = result.document.source
    cache.put(text, "pm.md", linter, result)
    assert cache.get(text, "pm.md", linter).findings == result.findings


def test_text_change_is_a_miss(tmp_path):
    cache, linter = ResultCache(tmp_path), fake_linter()
    cache.put(TEXT, "pm.md", linter, sample_result())
    assert cache.get(TEXT + " ", "pm.md", linter) is None
    assert cache.get(TEXT.replace("human", "humane"), "pm.md", linter) is None


def test_document_kind_is_in_the_key(tmp_path):
    cache, linter = ResultCache(tmp_path), fake_linter()
    cache.put(TEXT, "pm.md", linter, sample_result())
    assert cache.get(TEXT, "pm.txt", linter) is None
    assert cache.get(TEXT, "PM.MARKDOWN", linter) is not None


def test_config_change_is_a_miss(tmp_path):
    cache = ResultCache(tmp_path)
    cache.put(TEXT, "pm.md", fake_linter(), sample_result())
    for settings in ({"ignore": ["hindsight"]}, {"select": ["blame"]}, {"severity": {"blame": "error"}},
                     {"allow_terms": ["human error"]}, {"profile": "public"}, {"min_confidence": 0.5},
                     {"roles": {"jane": "sre"}}, {"quotes": "check"}, {"template": {"theme_tags": False}}):
        assert cache.get(TEXT, "pm.md", fake_linter(**settings)) is None, settings
    assert cache.get(TEXT, "pm.md", fake_linter()) is not None


def test_today_change_is_a_miss(tmp_path):
    cache = ResultCache(tmp_path)
    cache.put(TEXT, "pm.md", fake_linter(today=dt.date(2024, 2, 1)), sample_result())
    assert cache.get(TEXT, "pm.md", fake_linter(today=dt.date(2024, 2, 1))) is not None
    assert cache.get(TEXT, "pm.md", fake_linter(today=dt.date(2024, 2, 2))) is None


def test_unset_today_uses_the_real_date(tmp_path, monkeypatch):
    day = {"value": dt.date(2024, 2, 1)}

    class FakeDate(dt.date):
        @classmethod
        def today(cls):
            return day["value"]

    monkeypatch.setattr(cache_mod, "dt", SimpleNamespace(date=FakeDate))
    cache, linter = ResultCache(tmp_path), fake_linter()
    cache.put(TEXT, "pm.md", linter, sample_result())
    assert cache.get(TEXT, "pm.md", linter) is not None
    day["value"] = dt.date(2024, 2, 2)  # midnight passed: proposed due dates and overdue checks move
    assert cache.get(TEXT, "pm.md", linter) is None


def test_rule_pack_change_is_a_miss(tmp_path):
    pack = tmp_path / "packs" / "team.yaml"
    pack.parent.mkdir()
    pack.write_text(PACK, encoding="utf-8")
    config = Config(rule_paths=[str(pack.parent)])
    linter = Linter(config)  # a real linter: the pack must load
    assert "no-yolo" in linter.ruleset.by_id()
    cache = ResultCache(tmp_path / "cache")
    cache.put(TEXT, "pm.md", linter, sample_result())
    assert cache.get(TEXT, "pm.md", linter) is not None
    pack.write_text(PACK.replace("yolo deploy]", "yolo deploy, cowboy deploy]"), encoding="utf-8")
    assert cache.get(TEXT, "pm.md", Linter(config)) is None
    # a new pack file in the directory counts too
    pack.write_text(PACK, encoding="utf-8")
    assert cache.get(TEXT, "pm.md", linter) is not None
    (pack.parent / "more.yml").write_text("rules: []\n", encoding="utf-8")
    assert cache.get(TEXT, "pm.md", linter) is None


def test_plugin_change_is_a_miss(tmp_path):
    plugin = tmp_path / "plug.py"
    plugin.write_text("X = 1\n", encoding="utf-8")
    cache, linter = ResultCache(tmp_path / "cache"), fake_linter(plugins=[str(plugin)])
    cache.put(TEXT, "pm.md", linter, sample_result())
    assert cache.get(TEXT, "pm.md", linter) is not None
    plugin.write_text("X = 2\n", encoding="utf-8")
    assert cache.get(TEXT, "pm.md", linter) is None


def test_model_is_in_the_key(tmp_path):
    assert fingerprint(fake_linter()) != fingerprint(fake_linter(model="no_such_pipeline_xyz"))


def _entries(directory: Path) -> list[Path]:
    return [p for p in directory.rglob("*.json") if not p.name.startswith(".")]


@pytest.mark.parametrize("garbage", [b"", b"{", b"\xff\xfe", b"[]", b'{"version": 999, "findings": []}',
                                     b'{"version": 1, "findings": [{"rule": "x"}]}',
                                     b'{"version": 1, "findings": [], "problems": [3]}',
                                     b'{"version": 1, "findings": "abc"}'])
def test_corrupt_entry_is_a_miss_and_removed(tmp_path, garbage):
    cache, linter = ResultCache(tmp_path), fake_linter()
    cache.put(TEXT, "pm.md", linter, sample_result())
    (entry,) = _entries(tmp_path)
    entry.write_bytes(garbage)
    assert cache.get(TEXT, "pm.md", linter) is None
    assert not entry.exists()
    cache.put(TEXT, "pm.md", linter, sample_result())
    assert cache.get(TEXT, "pm.md", linter) is not None


def test_unwritable_cache_dir_does_not_crash(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    cache, linter = ResultCache(blocker / "cache"), fake_linter()
    cache.put(TEXT, "pm.md", linter, sample_result())
    assert cache.get(TEXT, "pm.md", linter) is None


def test_results_with_an_error_are_not_stored(tmp_path):
    cache, linter = ResultCache(tmp_path), fake_linter()
    cache.put(TEXT, "pm.md", linter, FileResult(path="pm.md", error="binary file"))
    assert cache.get(TEXT, "pm.md", linter) is None


WRITER = textwrap.dedent("""
    import sys
    from types import SimpleNamespace
    from blamelint.cache import ResultCache
    from blamelint.config import Config
    from blamelint.findings import FileResult, Finding

    cache = ResultCache(sys.argv[1])
    linter = SimpleNamespace(config=Config())
    text = "same text for every writer\\n" * 12  # longer than the findings reach
    # a large entry, so a torn write would be visible
    findings = [Finding("r", "blame", "warning", "m" * 200, i, i + 1, text="x") for i in range(300)]
    for _ in range(int(sys.argv[2])):
        cache.put(text, "pm.md", linter, FileResult(path="pm.md", findings=findings))
        hit = cache.get(text, "pm.md", linter)
        if hit is None or len(hit.findings) != 300:
            print("torn read", file=sys.stderr)
            sys.exit(3)
""")


def test_concurrent_writers_leave_a_readable_entry(tmp_path):
    procs = [subprocess.Popen([sys.executable, "-c", WRITER, str(tmp_path), "60"], stderr=subprocess.PIPE, text=True)
             for _ in range(3)]
    for p in procs:
        _, err = p.communicate(timeout=120)
        assert p.returncode == 0, err
    cache = ResultCache(tmp_path)
    hit = cache.get("same text for every writer\n" * 12, "pm.md", fake_linter())
    assert hit is not None and len(hit.findings) == 300
    assert len(_entries(tmp_path)) == 1
    assert not [p for p in tmp_path.rglob(".tmp-*")]  # no temporary files left behind


def test_prune_removes_least_recently_used(tmp_path):
    cache, linter = ResultCache(tmp_path), fake_linter()
    texts = [f"{TEXT}text {i}\n" for i in range(10)]  # (the sample finding lies inside TEXT)
    for i, text in enumerate(texts):
        cache.put(text, "pm.md", linter, sample_result())
        entry = cache._entry(cache.key(text, "pm.md", linter))
        os.utime(entry, (1_000_000 + i, 1_000_000 + i))
    assert cache.get(texts[0], "pm.md", linter) is not None  # a hit marks it recently used
    removed = cache.prune(max_entries=5)
    assert removed == 6  # down to 80% of the bound
    assert len(_entries(tmp_path)) == 4
    kept = [t for t in texts if cache.get(t, "pm.md", linter) is not None]
    assert kept == [texts[0], texts[7], texts[8], texts[9]]


def test_prune_by_size_and_old_versions(tmp_path):
    cache, linter = ResultCache(tmp_path), fake_linter()
    old = tmp_path / "v0" / "ab"
    old.mkdir(parents=True)
    (old / "x.json").write_text("{}")
    for i in range(5):
        cache.put(f"text {i}\n", "pm.md", linter, sample_result())
    size = sum(p.stat().st_size for p in _entries(tmp_path / "v1"))
    cache.prune(max_bytes=size // 2)
    assert not (tmp_path / "v0").exists()
    assert sum(p.stat().st_size for p in _entries(tmp_path)) <= size // 2


def test_size_check_runs_at_most_once_per_interval(tmp_path, monkeypatch):
    calls = []
    monkeypatch.setattr(ResultCache, "prune", lambda self, *a: calls.append(1) or 0)
    cache = ResultCache(tmp_path)
    cache.maybe_prune()
    cache.maybe_prune()
    assert len(calls) == 1
    marker = tmp_path / cache_mod.PRUNE_MARKER
    os.utime(marker, (1, 1))
    cache.maybe_prune()
    assert len(calls) == 2
    # put checks once per ResultCache, not on every write
    fresh, linter = ResultCache(tmp_path), fake_linter()
    os.utime(marker, (1, 1))
    for i in range(5):
        fresh.put(f"t{i}", "pm.md", linter, sample_result())
    assert len(calls) == 3


def test_clear(tmp_path):
    cache, linter = ResultCache(tmp_path / "c"), fake_linter()
    cache.put(TEXT, "pm.md", linter, sample_result())
    cache.clear()
    assert not (tmp_path / "c").exists()
    assert cache.get(TEXT, "pm.md", linter) is None


def test_default_directory(monkeypatch, tmp_path):
    monkeypatch.setenv("BLAMELINT_CACHE_DIR", str(tmp_path / "here"))
    assert ResultCache().base == tmp_path / "here"
    monkeypatch.delenv("BLAMELINT_CACHE_DIR")
    if sys.platform.startswith("linux"):
        monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
        assert cache_mod.default_directory() == tmp_path / "xdg" / "blamelint"
        monkeypatch.delenv("XDG_CACHE_HOME")
        assert cache_mod.default_directory() == Path.home() / ".cache" / "blamelint"


def test_fingerprint_does_not_import_spacy():
    code = ("import sys; from blamelint.cache import fingerprint; from blamelint.config import Config; "
            "fingerprint(Config(), 'a.md'); assert 'spacy' not in sys.modules, 'spacy imported'")
    p = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert p.returncode == 0, p.stderr


# ---------------------------------------------------------------- the real command line

BLAMING = "# Outage\n\nThe root cause was human error.\n\nObviously the cache was stale. We need to be more careful.\n"


def blamelint(*args, cache_dir: Path, cwd: Path | None = None) -> subprocess.CompletedProcess:
    exe = Path(sys.executable).with_name("blamelint")
    cmd = [str(exe)] if exe.exists() else [sys.executable, "-m", "blamelint"]
    env = {**os.environ, "BLAMELINT_CACHE_DIR": str(cache_dir), "NO_COLOR": "1"}
    return subprocess.run([*cmd, *args], capture_output=True, text=True, timeout=300, env=env, cwd=cwd)


def _fresh_code_hash() -> str:
    cache_mod._CODE_HASH = None
    return cache_mod._code_hash()


def test_cli_second_run_is_served_from_the_cache(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.md").write_text(BLAMING, encoding="utf-8")
    (docs / "b.md").write_text("# Outage\n\nThe cache served stale entries for 12 minutes.\n", encoding="utf-8")
    cache_dir = tmp_path / "cache"
    code_before = _fresh_code_hash()
    first = blamelint("check", "--format", "json", str(docs), cache_dir=cache_dir)
    assert first.returncode == 1, first.stderr
    entries = _entries(cache_dir)
    assert len(entries) == 2
    for e in entries:
        os.utime(e, (1, 1))
    second = blamelint("check", "--format", "json", str(docs), cache_dir=cache_dir)
    assert (second.returncode, second.stdout, second.stderr) == (first.returncode, first.stdout, first.stderr)
    if _fresh_code_hash() != code_before:
        pytest.skip("blamelint's source changed while the test ran (that rightly invalidates the cache)")
    assert all(e.stat().st_mtime > 1 for e in entries), [(e, e.stat().st_mtime) for e in _entries(cache_dir)]
    assert json.loads(second.stdout)

    # --no-cache lints again and neither reads nor writes entries
    for e in entries:
        os.utime(e, (1, 1))
    third = blamelint("check", "--no-cache", "--format", "json", str(docs), cache_dir=cache_dir)
    assert third.stdout == first.stdout
    assert all(e.stat().st_mtime == 1 for e in entries)


def test_cli_fix_is_never_served_stale_results(tmp_path):
    f = tmp_path / "pm.md"
    f.write_text(BLAMING, encoding="utf-8")
    cache_dir = tmp_path / "cache"
    before = blamelint("check", "--format", "json", str(f), cache_dir=cache_dir)
    assert any(d["rule"] == "human-error" for d in json.loads(before.stdout))
    fixed = blamelint("check", "--fix", str(f), cache_dir=cache_dir)
    assert f.read_text(encoding="utf-8") != BLAMING, fixed.stderr
    after = blamelint("check", "--format", "json", str(f), cache_dir=cache_dir)
    fixed_rules = [d["rule"] for d in json.loads(after.stdout)]
    assert len(fixed_rules) < len(json.loads(before.stdout))
    assert len(_entries(cache_dir)) == 2  # the original text and the fixed one
