"""reviewdog's rdjson output: shape, UTF-8 byte columns, suggestions."""

from __future__ import annotations

import json
from types import SimpleNamespace

from blamelint.document import parse
from blamelint.findings import Edit, FileResult, Finding, Fix
from blamelint.formats import FORMATS, rdjson

RULES = {"human-error": SimpleNamespace(id="human-error", link="https://example.com/rules#human-error")}


def finding_on(source: str, needle: str, **kw) -> Finding:
    start = source.index(needle)
    return Finding(rule=kw.pop("rule", "human-error"), category="blame", severity=kw.pop("severity", "warning"),
                   message="“human error” ends the analysis.", start=start, end=start + len(needle),
                   text=needle, **kw)


def render(source: str, findings, path="pm.md", bom=False) -> dict:
    doc = parse(source, path=path)
    doc.bom = bom
    out = FORMATS["rdjson"]([FileResult(path=path, document=doc, findings=findings)], RULES)
    return json.loads(out)


def test_shape():
    src = "# Outage\n\nThe root cause was human error.\n"
    log = render(src, [finding_on(src, "human error"), finding_on(src, "root cause", rule="x-rule", severity="info")])
    assert log["source"] == {"name": "blamelint", "url": "https://github.com/blamelint/blamelint"}
    first, second = log["diagnostics"]
    assert first == {
        "message": "“human error” ends the analysis.",
        "location": {"path": "pm.md", "range": {"start": {"line": 3, "column": 20}, "end": {"line": 3, "column": 31}}},
        "severity": "WARNING",
        "code": {"value": "human-error", "url": "https://example.com/rules#human-error"},
    }
    assert second["severity"] == "INFO"
    assert second["code"] == {"value": "x-rule"}  # no docs link for an unknown rule


def test_error_results_and_severity_error_are_handled():
    src = "The root cause was human error.\n"
    doc = parse(src, path="a.md")
    results = [FileResult(path="bad.md", error="binary file"),
               FileResult(path="a.md", document=doc, findings=[finding_on(src, "human error", severity="error")])]
    log = json.loads(rdjson.render(results, RULES))
    assert [d["location"]["path"] for d in log["diagnostics"]] == ["a.md"]
    assert log["diagnostics"][0]["severity"] == "ERROR"


def test_columns_are_utf8_bytes():
    src = "# Café ☕\n\nRenée 👩‍💻 said it was human error.\n"
    log = render(src, [finding_on(src, "human error")])
    rng = log["diagnostics"][0]["location"]["range"]
    line = src.splitlines()[2]
    assert line.index("human error") + 1 == 23  # the code-point column
    # é is 2 bytes and 👩‍💻 (3 code points) 11, so the byte column is 9 further on
    assert rng["start"] == {"line": 3, "column": 32}
    assert rng["end"] == {"line": 3, "column": 43}
    assert line.encode()[31:42].decode() == "human error"


def test_bom_counts_on_line_one_only():
    src = "The root cause was human error.\nAgain human error.\n"
    plain = render(src, [finding_on(src, "human error")])["diagnostics"][0]["location"]["range"]["start"]
    bom = render(src, [finding_on(src, "human error")], bom=True)["diagnostics"][0]["location"]["range"]["start"]
    assert bom["column"] == plain["column"] + 3
    start = src.index("Again human error") + len("Again ")
    f = Finding("human-error", "blame", "warning", "m", start, start + 11, text="human error")
    second = render(src, [f], bom=True)["diagnostics"][0]["location"]["range"]["start"]
    assert second == {"line": 2, "column": 7}


def test_suggestion_is_the_preferred_safe_fix():
    src = "# Outage\n\nThe naïve root cause was human error.\n"
    start = src.index("human error")
    fixes = [
        Fix("placeholder", [Edit(start, start + 11, "[what allowed it]")], safe=False),
        Fix("the safe one", [Edit(start, start + 11, "a gap in the deploy checks")], safe=True),
        Fix("another safe one", [Edit(start, start + 11, "other")], safe=True),
    ]
    log = render(src, [finding_on(src, "human error", fixes=fixes)])
    (suggestion,) = log["diagnostics"][0]["suggestions"]
    col = len("The naïve root cause was ".encode()) + 1
    assert suggestion == {"range": {"start": {"line": 3, "column": col}, "end": {"line": 3, "column": col + 11}},
                          "text": "a gap in the deploy checks"}


def test_multi_edit_fix_is_one_replacement_and_no_safe_fix_means_no_suggestion():
    src = "Obviously, the cache was stale.\n"
    a = src.index("Obviously, ")
    b = src.index("the")
    fix = Fix("drop the adverb", [Edit(b, b + 1, "T"), Edit(a, a + len("Obviously, "), "")], safe=True)
    log = render(src, [finding_on(src, "Obviously", fixes=[fix]), finding_on(src, "stale", fixes=[Fix("x", [], True)])])
    first, second = log["diagnostics"]
    assert first["suggestions"] == [{"range": {"start": {"line": 1, "column": 1}, "end": {"line": 1, "column": 13}},
                                     "text": "T"}]
    assert "suggestions" not in second


def test_real_finding_round_trip(lint_with):
    src = "# Outage\n\nRenée said the root cause was human error.\n"
    result = lint_with(src, "pm.md")
    log = json.loads(rdjson.render([result], {}))
    human = [d for d in log["diagnostics"] if d["code"]["value"] == "human-error"]
    assert human
    rng = human[0]["location"]["range"]
    line = src.encode().splitlines()[rng["start"]["line"] - 1]
    assert line[rng["start"]["column"] - 1 : rng["end"]["column"] - 1].decode() == "human error"


def test_cli_format_rdjson(tmp_path):
    import os
    import subprocess
    import sys
    from pathlib import Path

    f = tmp_path / "pm.md"
    f.write_text("# Outage\n\nThe root cause was human error.\n", encoding="utf-8")
    exe = Path(sys.executable).with_name("blamelint")
    cmd = [str(exe)] if exe.exists() else [sys.executable, "-m", "blamelint"]
    env = {**os.environ, "BLAMELINT_CACHE_DIR": str(tmp_path / "cache")}
    p = subprocess.run([*cmd, "check", "--format", "rdjson", "pm.md"], capture_output=True, text=True, timeout=300,
                       env=env, cwd=tmp_path)
    assert p.returncode == 1, p.stderr
    log = json.loads(p.stdout)
    assert log["source"]["name"] == "blamelint"
    (human,) = [d for d in log["diagnostics"] if d["code"]["value"] == "human-error"]
    assert human["location"] == {"path": "pm.md", "range": {"start": {"line": 3, "column": 20},
                                                            "end": {"line": 3, "column": 31}}}
    assert human["code"]["url"].startswith("https://")
    assert human["suggestions"][0]["range"] == human["location"]["range"]
