"""The HTML report opens offline in headless Chromium without a console error, a page error or
a single network request, and its sortable tables and finding links work.

Needs Debian's `chromium` (/usr/bin/chromium) and Playwright for Python (the `test` extra),
which drives the system Chromium and downloads no browser. Without Chromium the browser tests
skip, except in CI (`CI` set), where `.ci/run` installs it and they are required.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
if not Path(CHROMIUM).exists() and os.environ.get("CI"):
    pytest.fail(f"{CHROMIUM} is missing; .ci/run installs it with apt-get install chromium", pytrace=False)
needs_chromium = pytest.mark.skipif(not Path(CHROMIUM).exists(),
                                    reason=f"{CHROMIUM} is not installed (apt-get install chromium)")
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="module")
def report_html(tmp_path_factory) -> Path:
    """`blamelint report corpus/ --format html -o report.html`, as the README runs it."""
    out = tmp_path_factory.mktemp("html") / "report.html"
    env = {**os.environ, "BLAMELINT_CACHE_DIR": str(out.parent / "cache")}
    proc = subprocess.run([sys.executable, "-m", "blamelint", "report", "corpus/", "--format", "html", "-o", str(out),
                           "--today", "2025-12-01"], cwd=ROOT, capture_output=True, text=True, env=env, timeout=900)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == ""
    assert out.is_file()
    return out


class Browser:
    """One page load with everything that must not happen recorded."""

    def __init__(self, pw):
        assert Path(CHROMIUM).exists(), f"{CHROMIUM} is missing: apt-get install -y chromium"
        self.browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)
        self.context = self.browser.new_context(viewport={"width": 1280, "height": 900})
        self.errors: list[str] = []
        self.requests: list[str] = []
        self.page = self.context.new_page()
        self.page.on("console", lambda m: self.errors.append(f"console.{m.type}: {m.text}")
                     if m.type in ("error", "assert") else None)
        self.page.on("pageerror", lambda e: self.errors.append(f"page error: {e}"))
        self.page.on("requestfailed", lambda r: self.errors.append(f"request failed: {r.url}"))
        self.context.route("**/*", self._route)

    def _route(self, route):
        url = route.request.url
        if url.startswith("file://") or url.startswith("data:"):
            route.continue_()
        else:
            self.requests.append(url)
            route.abort()

    def open(self, path: Path):
        self.url = path.resolve().as_uri()
        self.page.goto(self.url, wait_until="load")
        self.page.wait_for_timeout(300)
        # anything but the page itself is a network request leaving the file
        return self

    def close(self):
        self.context.close()
        self.browser.close()


def problems(b: Browser) -> list[str]:
    return b.errors + [f"network request: {u}" for u in b.requests]


def test_static_page_is_self_contained(report_html):
    html = report_html.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>")
    assert "Content-Security-Policy" in html and "default-src 'none'" in html
    assert not re.search(r"""<(?:script|img|iframe|link)[^>]+(?:src|href)=["']?(?:https?:)?//""", html, re.I)
    assert "@import" not in html and "url(http" not in html
    assert html.count("<svg") >= 6  # the charts, inline
    assert 'table class="sortable"' in html
    # every in-page link resolves (finding links, chart markers and clip paths) and ids are unique
    ids = re.findall(r'\sid="([^"]+)"', html)
    assert len(ids) == len(set(ids)), sorted({i for i in ids if ids.count(i) > 1})[:5]
    refs = set(re.findall(r'href="#([^"]+)"', html)) | set(re.findall(r"url\(#([^)]+)\)", html))
    assert refs and refs <= set(ids), sorted(refs - set(ids))[:5]


@needs_chromium
def test_opens_offline_without_errors(report_html):
    with sync_playwright() as pw:
        b = Browser(pw).open(report_html)
        try:
            page = b.page
            assert page.title() == "Post-mortem archive report"
            assert page.locator("svg.chart").count() == 6
            assert page.locator("#documents tbody tr").count() > 40

            # sorting: the words column, ascending then descending
            col = [h.strip() for h in page.locator("#documents thead th").all_inner_texts()].index("words")
            header = page.locator("#documents thead th").nth(col)
            header.click()
            values = [float(v) for v in page.eval_on_selector_all(
                "#documents tbody tr", f"rows => rows.map(r => r.children[{col}].getAttribute('data-v'))")]
            assert values == sorted(values) and values[0] < values[-1]
            assert header.get_attribute("aria-sort") == "ascending"
            header.click()
            values = [float(v) for v in page.eval_on_selector_all(
                "#documents tbody tr", f"rows => rows.map(r => r.children[{col}].getAttribute('data-v'))")]
            assert values == sorted(values, reverse=True)

            # a finding link opens its post-mortem and lands on the highlighted source line
            link = page.locator("details.doc table.findings a[href*='-L']").first
            target = link.get_attribute("href")[1:]
            doc_id = target.split("-L")[0]
            page.evaluate(f"document.getElementById('{doc_id}').open = false")
            page.goto(f"{b.url}#{target}")
            page.wait_for_timeout(200)
            assert page.evaluate(f"document.getElementById('{doc_id}').open") is True
            line = page.locator(f"[id='{target}']")
            assert line.is_visible()
            assert "hit" in (line.get_attribute("class") or "")
            assert line.locator("mark").count() >= 1
            assert page.evaluate("document.querySelector(':target').id") == target
        finally:
            found = problems(b)
            b.close()
    assert found == [], found


@needs_chromium
def test_the_checks_catch_errors_and_requests(report_html, tmp_path):
    """The harness is not vacuous: a console error, a page error and a remote load are each caught."""
    html = report_html.read_text(encoding="utf-8")
    broken = html.replace("</body>", '<script>console.error("boom"); missing();</script>'
                          '<img src="https://example.invalid/x.png"></body>')
    broken = re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*>', "", broken)
    page = tmp_path / "broken.html"
    page.write_text(broken, encoding="utf-8")
    with sync_playwright() as pw:
        b = Browser(pw).open(page)
        found = problems(b)
        b.close()
    assert any("console.error: boom" in p for p in found), found
    assert any(p.startswith("page error:") and "missing" in p for p in found), found
    assert any("example.invalid" in p for p in found), found


MINIMAL = """# Incident: search index stale

## Timeline

- **10:00 UTC:** The search index stops updating

## Learnings

- Index freshness had no alert.
"""


@needs_chromium
def test_minimal_archive_renders_without_errors(tmp_path):
    """No dates, no tags, no follow-ups: the empty charts and tables still make a clean page."""
    from click.testing import CliRunner

    from blamelint.cli import main

    (tmp_path / "pm.md").write_text(MINIMAL, encoding="utf-8")
    out = tmp_path / "out.html"
    r = CliRunner().invoke(main, ["report", str(tmp_path / "pm.md"), "--format", "html", "-o", str(out), "-j", "1"],
                           catch_exceptions=False)
    assert r.exit_code == 0, r.output
    assert out.read_text(encoding="utf-8").count("<svg") == 6
    with sync_playwright() as pw:
        b = Browser(pw).open(out)
        assert b.page.locator("#documents tbody tr").count() == 1
        found = problems(b)
        b.close()
    assert found == [], found
