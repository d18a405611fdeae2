"""Property-based tests (Hypothesis): generated post-mortems never break the engine, findings and
fixes stay inside the text, fixing is idempotent, a warm linter agrees with a fresh one and
positions round-trip.

Examples per test come from the profile in tests/conftest.py: few by default (a fast suite),
thousands with `HYPOTHESIS_PROFILE=nightly python -m pytest -q tests/test_properties.py`.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from hypothesis import example, given, settings
from hypothesis import strategies as st

from blamelint.analysis.nlp import Analyzer
from blamelint.config import Config
from blamelint.document import Document
from blamelint.engine import Linter, fix_text, linter_for
from blamelint.fixes import apply_edits, apply_safe_fixes

ROOT = Path(__file__).resolve().parents[1]
CONFIG = Config(today=dt.date(2026, 1, 31))  # today: overdue follow-ups are reported too
LINT = settings.default.max_examples  # the lint properties: the profile's count
CHEAP = 10 * LINT  # the position properties run no model

# --------------------------------------------------------------------------- strategies

WORDS = ["the", "deploy", "database", "alert", "alerts", "queue", "certificate", "we", "team", "config",
         "rollback", "at", "noon", "and", "because", "latency", "pager", "service", "was", "restarted",
         "during", "migration", "it", "on-call", "engineer", "reviewer", "a", "of", "to", "not", "paged",
         "Postgres", "disk", "filled", "up", "14:05", "UTC", "2024-01-15", "e.g.", "Dr.", "vs.", "—", "...",
         ",", ";", ":", "(", ")", "'", "\"", "!", "?", "#", "&amp;", "\\*", "3.5%", "x", "I"]
NAMES = ["Priya", "Jane", "Ahmed", "Raj", "Marley", "Tosca", "Jenkins", "Kafka", "Redis", "@k.nakamura",
         "@dana.k", "Raj's laptop", "J. Smith", "O'Brien", "José", "Zoë", "Nguyen", "priya", "Lee", "Priya’s",
         "Mary-Jane", "JANE", "@here", "jane", "Dr. Lee", "Ahmed and Raj"]
PHRASES = [
    "forgot to renew the certificate", "ignored the alerts", "human error", "was careless", "dropped the ball",
    "should have known", "should have caught the bug", "obviously", "clearly", "if only we had",
    "in hindsight", "Why didn't anyone notice the disk filling up?", "a canary would have caught this",
    "be more careful", "add more tests", "do training", "improve monitoring", "The root cause was",
    "according to", "the on-call engineer ignored the alerts", "an incompetent technician", "failed to",
    "didn't bother to", "user error", "should not have", "ought to have checked", "could have affected all regions",
    "negligent", "sloppy", "messed up", "The reviewer should have caught the bug", "Nobody noticed",
    "it was obviously broken", "Priya forgot to renew the certificate.", "Jane paged the database team",
    "be more vigilant", "double-check everything", "should have been obvious",
]
SECTIONS = ["Key Facts", "Executive Summary", "Summary", "Timeline", "Contributors, Mitigators, Risks",
            "Contributors", "Root cause", "Mitigators", "Risks", "Learnings", "Follow-ups", "Action Items",
            "Appendix", "What went well", "1. Timeline", "🔥 Follow-ups", "Next steps (owners)"]
RULES = ["", " human-error", " hindsight", " blame, named-individual", " -- reason", " vague-action x"]
ASTRAL = ["😀", "🔥", "𝔘", "👩‍💻", "🇺🇸", "\U0010fffd", "𐍈"]
NASTY = "*_`[]()<>!#|\\-~ \t\r\n>:\"'“”\x00\u200b\u00a0é" + "".join(ASTRAL)
# Tokens that change how everything after them parses: fences, comments, containers, front matter.
MARKUP = ["```", "~~~", "<!--", "-->", "---", "# ", "## Follow-ups\n", "> ", "- ", "1. ", "|", "    ", "\t",
          "[ ] ", "<div>", "</div>", "<pre>", "</pre>", "[ref]: https://x.y", "[ref]", "[a][ref]", "===", "\\", "*", "**", "`", "\r", "\r\n", "\n\n",
          "<!-- blamelint-disable -->", "<!-- blamelint-disable-file -->", "<!-- blamelint-disable-next-line -->"]


@st.composite
def fragment(draw, depth: int = 0):
    """One piece of a sentence: a word, a name, a trigger phrase, markup, a link, an emoji…"""
    kind = draw(st.sampled_from(["word", "word", "word", "name", "phrase", "phrase", "markup", "link",
                                 "code", "comment", "astral", "date", "junk", "quote"]))
    if kind == "word":
        return draw(st.sampled_from(WORDS))
    if kind == "name":
        return draw(st.sampled_from(NAMES))
    if kind == "phrase":
        return draw(st.sampled_from(PHRASES))
    if kind == "markup" and depth < 2:
        inner = draw(fragment(depth + 1))
        wrap = draw(st.sampled_from(["*{}*", "**{}**", "_{}_", "__{}__", "~~{}~~", "***{}***", "<b>{}</b>",
                                     "\\[{}\\]", "{}\\", "![{}](img.png)"]))
        return wrap.format(inner)
    if kind == "link":
        path = draw(st.sampled_from(["", "a_b", "x?q=1", "(paren)", "incidents/2024-01-15."]))
        label = draw(st.sampled_from(WORDS + NAMES))
        return draw(st.sampled_from([f"[{label}](https://example.com/{path})", f"https://example.com/{path}",
                                     f"<https://example.com/{path}>", f"www.example.com/{path}",
                                     f"[{label}][ref]", f"[{label}]"]))
    if kind == "code":
        return "`" + draw(st.sampled_from(WORDS + NAMES + PHRASES)) + draw(st.sampled_from(["`", "``", ""]))
    if kind == "comment":
        return draw(st.sampled_from(["<!-- note -->", "<!-- blamelint-disable-line -->",
                                     "<!-- blamelint-disable-line human-error -->", "<!--", "-->",
                                     "<!-- blamelint-disable hindsight -->", "<!-- blamelint-enable -->"]))
    if kind == "astral":
        return draw(st.sampled_from(ASTRAL))
    if kind == "date":
        return draw(st.sampled_from(["2024-02-01", "[YYYY-MM-DD]", "due 2025-12-31", "by Friday", "Q3"]))
    if kind == "quote":
        return '"' + draw(st.sampled_from(PHRASES)) + '"'
    return draw(st.text(NASTY + "abcXYZ 09", max_size=6))


@st.composite
def sentence(draw):
    parts = draw(st.lists(fragment(), min_size=1, max_size=8))
    text = " ".join(parts)
    if draw(st.booleans()):
        text = text[:1].upper() + text[1:]
    return text + draw(st.sampled_from([".", ".", "?", "!", "", ":", "…"]))


@st.composite
def paragraph(draw):
    sents = draw(st.lists(sentence(), min_size=1, max_size=3))
    out = sents[0]
    for s in sents[1:]:
        out += draw(st.sampled_from([" ", " ", "\n", "  \n", "\\\n"])) + s
    return out


@st.composite
def heading(draw):
    title = draw(st.one_of(st.sampled_from(SECTIONS), sentence()))
    if draw(st.integers(0, 5)) == 0:
        return title + "\n" + draw(st.sampled_from(["===", "---"]))  # setext
    return "#" * draw(st.integers(1, 6)) + " " + title + draw(st.sampled_from(["", "", " ##"]))


@st.composite
def list_block(draw):
    items = []
    ordered = draw(st.booleans())
    for i in range(draw(st.integers(1, 5))):
        depth = draw(st.integers(0, 3)) if i else 0
        marker = f"{i + 1}{draw(st.sampled_from(['.', ')']))}" if ordered else draw(st.sampled_from("-*+"))
        box = draw(st.sampled_from(["", "", "[ ] ", "[x] ", "[X] "]))
        indent = " " * (draw(st.sampled_from([2, 3, 4])) * depth)
        items.append(f"{indent}{marker} {box}{draw(paragraph())}")
    return "\n".join(items)


@st.composite
def followups(draw):
    lines = ["## " + draw(st.sampled_from(["Follow-ups", "Action Items", "Remediation", "Next steps"]))]
    for _ in range(draw(st.integers(0, 4))):
        action = draw(st.one_of(st.sampled_from(PHRASES), sentence()))
        owner = draw(st.sampled_from(["", "**@owner:** ", "@sre-team ", "Owner: Priya. ", "(@dana.k) "]))
        due = draw(st.sampled_from(["", " **[YYYY-MM-DD]**", " — due 2024-03-01", " (2023-01-01)", " by Q2"]))
        box = draw(st.sampled_from(["- [ ] ", "- [x] ", "- ", "1. "]))
        lines.append(f"{box}{owner}{action}{due}")
    if draw(st.booleans()):
        lines += ["", "| Action | Owner | Due |", "|---|---|---|",
                  f"| {draw(sentence())} | {draw(st.sampled_from(NAMES + ['']))} | 2024-03-01 |"]
    return "\n".join(lines)


@st.composite
def table(draw):
    cols = draw(st.integers(1, 4))
    cell = st.one_of(fragment(), sentence(), st.just(""), st.just("a \\| b"))
    rows = [[draw(cell) for _ in range(cols)] for _ in range(draw(st.integers(1, 4)))]
    lines = ["| " + " | ".join(r) + " |" for r in rows]
    lines.insert(1, "|" + "|".join(draw(st.sampled_from(["---", ":--", "--:", ":-:"])) for _ in range(cols)) + "|")
    if draw(st.booleans()):
        lines = [line.strip("|").strip() for line in lines]  # no outer pipes
    return "\n".join(lines)


@st.composite
def blockquote(draw):
    marker = draw(st.sampled_from(["> ", ">", "> > ", ">> "]))
    return "\n".join(marker + line for line in draw(paragraph()).split("\n"))


@st.composite
def code_block(draw):
    body = "\n".join(draw(st.lists(st.one_of(sentence(), st.sampled_from(PHRASES)), max_size=3)))
    kind = draw(st.sampled_from(["```", "~~~", "indent", "open"]))
    if kind == "indent":
        return "\n".join("    " + line for line in (body or "x").split("\n"))
    if kind == "open":  # never closed: the rest of the document is code
        return "```\n" + body
    return f"{kind}{draw(st.sampled_from(['', 'text', 'python']))}\n{body}\n{kind}"


@st.composite
def comment(draw):
    kind = draw(st.sampled_from(["disable", "enable", "disable-next-line", "disable-line", "disable-file"]))
    if draw(st.integers(0, 3)) == 0:
        return "<!--\n" + draw(paragraph()) + "\n-->"
    return f"<!-- blamelint-{kind}{draw(st.sampled_from(RULES))} -->"


@st.composite
def timeline(draw):
    lines = ["## " + draw(st.sampled_from(["Timeline", "Key Facts"])), ""]
    for _ in range(draw(st.integers(1, 4))):
        when = draw(st.sampled_from(["14:05 UTC: ", "**14:05 UTC:** ", "2024-01-15 09:00 ", "- ", "09:3", ""]))
        field = draw(st.sampled_from(["", "**Severity:** ", "**Owner:** ", "Impact: "]))
        lines.append(f"- {when}{field}{draw(sentence())}")
    return "\n".join(lines)


@st.composite
def block(draw):
    return draw(st.one_of(
        paragraph(), paragraph(), heading(), list_block(), followups(), table(), blockquote(),
        code_block(), comment(), timeline(),
        st.sampled_from(["---", "***", "<div>\nJane ignored it\n</div>", "[ref]: https://example.com", ""]),
        st.text(NASTY + "abc 1.", max_size=30),
    ))


FRONT_MATTER = ["---\ntitle: Outage\ndate: 2024-01-15\n---\n", "---\n: : [\n---\n", "---\nauthors: [Jane]\n",
                "---\n---\n", "+++\ntitle = 'x'\n+++\n"]


def _line_ends(draw, text: str) -> str:
    mode = draw(st.sampled_from(["lf", "lf", "crlf", "cr", "mixed"]))
    if mode == "lf":
        return text
    if mode != "mixed":
        return text.replace("\n", {"crlf": "\r\n", "cr": "\r"}[mode])
    lines = text.split("\n")
    ends = draw(st.lists(st.sampled_from(["\n", "\r\n", "\r"]), min_size=len(lines) - 1, max_size=len(lines) - 1))
    return "".join(line + end for line, end in zip(lines, ends + [""], strict=True))


def _sprinkle(draw, text: str, chars: str, most: int) -> str:
    for _ in range(draw(st.integers(0, most))):
        i = draw(st.integers(0, len(text)))
        text = text[:i] + draw(st.sampled_from(chars)) + text[i:]
    return text


@st.composite
def markdown(draw, surrogates: bool = False):
    """A post-mortem-like Markdown document, with odd line endings, a BOM, NULs, stray markup."""
    parts = draw(st.lists(block(), min_size=1, max_size=10))
    seps = draw(st.lists(st.sampled_from(["\n\n", "\n\n", "\n", "\n\n\n"]), min_size=len(parts), max_size=len(parts)))
    seps[-1] = draw(st.sampled_from(["\n", "\n", ""]))  # an editor's buffer may not end in a line end
    text = "".join(p + s for p, s in zip(parts, seps, strict=True))
    if draw(st.integers(0, 4)) == 0:
        text = draw(st.sampled_from(FRONT_MATTER)) + text
    if draw(st.integers(0, 3)) == 0:
        text = _sprinkle(draw, text, NASTY, 4)  # stray characters anywhere
    if draw(st.integers(0, 3)) == 0:
        text = _sprinkle(draw, text, MARKUP, 3)  # stray fences, comments, container markers
    if draw(st.integers(0, 5)) == 0:
        text = _sprinkle(draw, text, "\x00", 2)
    if surrogates:
        text = _sprinkle(draw, text, "\ud800\udfff\udc00", 2)
    text = _line_ends(draw, text)
    if draw(st.integers(0, 5)) == 0:
        text = "\ufeff" + text
    return text


CORPUS = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "corpus" / "labeled").glob("*.md"))]


@st.composite
def edit_text(draw):
    """Text an edit inserts: a fragment, a sentence, a block, or a markup token (at a line start or not)."""
    return draw(st.one_of(fragment(), sentence(), paragraph().map(lambda p: "\n\n" + p + "\n\n"),
                          block().map(lambda b: "\n" + b + "\n"), st.sampled_from(MARKUP),
                          st.sampled_from(MARKUP).map(lambda m: "\n" + m)))


@st.composite
def edited_corpus(draw):
    """One or two real post-mortems from corpus/labeled with a few random insertions: mostly longer
    than document.CHUNK_MIN, so the editor's parse (in chunks, cached) is exercised too."""
    text = "\n".join(draw(st.lists(st.sampled_from(CORPUS), min_size=1, max_size=2)))
    for _ in range(draw(st.integers(0, 3))):
        i = draw(st.integers(0, len(text)))
        text = text[:i] + draw(edit_text()) + text[i:]
    if draw(st.integers(0, 3)) == 0:
        text = text.rstrip("\n")
    return text


def postmortems():
    return st.one_of(markdown(), markdown(), edited_corpus())


# Configs that change what the filters and detectors do: quotes checked, names as errors, roles.
CONFIGS = [CONFIG, Config(today=dt.date(2024, 2, 1), quotes="check", profile="public", min_confidence=0.5,
                          roles={"jane": "on-call engineer", "priya": "release manager"},
                          allow_names=["Marley"], allow_terms=["user error"], ignore=["template"])]


# --------------------------------------------------------------------------- helpers


def _key(f):
    return (f.rule, f.start, f.end, f.severity, f.message, f.confidence, f.text,
            [(x.title, x.safe, [(e.start, e.end, e.new_text) for e in x.edits]) for x in f.fixes])


def _in_source(result):
    source = result.document.source
    for f in result.findings:
        assert 0 <= f.start <= f.end <= len(source), f
        assert f.text == source[f.start:f.end], f
    assert all("front matter" in p for p in result.problems), result.problems  # no rule raised


def _kept_in_order(source: str, spans: list[tuple[int, int]], result: str) -> bool:
    """Every stretch of source outside spans is in result, in order; the first and last at its ends."""
    if not spans:
        return result == source
    spans = sorted(spans)
    kept, pos = [], 0
    for a, b in spans:
        if a > pos:
            kept.append(source[pos:a])
        pos = max(pos, b)
    head, tail = source[: spans[0][0]], source[pos:]
    if not result.startswith(head) or not result.endswith(tail) or len(result) < len(head) + len(tail):
        return False
    at, middle = len(head), result[: len(result) - len(tail)]
    for piece in kept[1 if head else 0:]:
        at = middle.find(piece, at)
        if at < 0:
            return False
        at += len(piece)
    return True


# --------------------------------------------------------------------------- 1, 2: lint_text


@settings(max_examples=LINT)
@given(postmortems(), st.sampled_from(CONFIGS))
@example("\ufeff# Timeline\r\n\r\nJane ignored the alerts.\x00 😀 human error\r", CONFIG)
@example("a\rb\r\nc\n\r", CONFIG)
@example("# Key Facts\n\n" + "The deploy went out at noon. " * 150 + "\n\n# Timeline\n\nJane ignored the alerts.", CONFIG)
def test_lint_never_raises_and_findings_lie_in_the_source(text, config):
    result = linter_for(config).lint_text(text, "doc.md")
    assert result.document.source == text.removeprefix("\ufeff")
    _in_source(result)
    # a batch run (`once`: the Markdown parsed whole, not in cached chunks) finds the same
    once = linter_for(config).lint_text(text, "doc.md", once=True)
    _in_source(once)
    assert [_key(f) for f in once.findings] == [_key(f) for f in result.findings]


@settings(max_examples=LINT)
@given(markdown(surrogates=True))
@example("Jane ignored the alerts \ud800.\n\n## Follow-ups\n\n- [ ] be more careful \udfff\n")
def test_lone_surrogates(text):
    """The CLI reads files as strict UTF-8, so no file holds a lone surrogate; but the engine takes
    a str, and the language server gets its text from JSON, where "\\ud800" is a valid escape. A
    lone surrogate is a character like any other: lint_text does not raise and findings are in
    code points of that str (the prose spaCy reads has U+FFFD in its place, one for one)."""
    result = linter_for(CONFIG).lint_text(text, "doc.md")
    assert result.document.source == text.removeprefix("\ufeff")
    _in_source(result)


# --------------------------------------------------------------------------- 3: fixes


@settings(max_examples=LINT)
@given(postmortems(), st.sampled_from(CONFIGS))
def test_fix_edits_lie_in_the_source_and_apply_cleanly(text, config):
    result = linter_for(config).lint_text(text, "doc.md")
    source = result.document.source
    for f in result.findings:
        for fix in f.fixes:
            edits = sorted(fix.edits, key=lambda e: (e.start, e.end))
            for e in edits:
                assert 0 <= e.start <= e.end <= len(source), (f, fix)
            for a, b in zip(edits, edits[1:], strict=False):
                assert a.end <= b.start and a.start != b.start, (f, fix)  # no overlap, no two at one point
            assert isinstance(apply_edits(source, fix.edits), str)
    fixed, applied = apply_safe_fixes(source, result.findings)
    safe = [next(x for x in f.fixes if x.safe and x.edits) for f in result.findings
            if any(x.safe and x.edits for x in f.fixes)]
    assert applied <= len(safe) and (applied > 0) == bool(safe)
    assert _kept_in_order(source, [(e.start, e.end) for fix in safe for e in fix.edits], fixed), (source, fixed)


# --------------------------------------------------------------------------- 4: fix_text


@settings(max_examples=LINT)
@given(postmortems(), st.sampled_from(CONFIGS))
@example("Jane obviously ignored the alerts. It was clearly human error.\n", CONFIG)
def test_fixing_twice_is_fixing_once(text, config):
    linter = linter_for(config)
    once, _ = fix_text(linter, text, "doc.md")
    twice, _ = fix_text(linter, once, "doc.md")
    assert twice == once


@settings(max_examples=LINT)
@given(postmortems().map(lambda t: t.removeprefix("\ufeff")))
@example("It was obviously broken and human error.\n")
def test_a_bom_changes_nothing_but_the_bom(text):
    linter = linter_for(CONFIG)
    plain = linter.lint_text(text, "doc.md")
    assert [_key(f) for f in linter.lint_text("\ufeff" + text, "doc.md").findings] == \
        [_key(f) for f in plain.findings]
    assert fix_text(linter, "\ufeff" + text, "doc.md")[0] == "\ufeff" + fix_text(linter, text, "doc.md")[0]


# --------------------------------------------------------------------------- 5: incremental


_WARM: dict[int, Linter] = {}


def _warm(i: int) -> Linter:
    """One long-lived linter per config for every example, as the language server keeps them."""
    if i not in _WARM:
        _WARM[i] = Linter(CONFIGS[i], analyzer=Analyzer(CONFIGS[i].model))
    return _WARM[i]


@settings(max_examples=LINT)
@given(postmortems(), st.integers(0, len(CONFIGS) - 1), st.data())
def test_a_warm_linter_after_edits_agrees_with_a_fresh_one(text, i, data):
    warm = _warm(i)
    warm.lint_text(text, "doc.md")
    for _ in range(data.draw(st.integers(1, 4), label="edits")):
        a = data.draw(st.integers(0, len(text)), label="at")
        kind = data.draw(st.sampled_from(["insert", "delete", "replace"]), label="kind")
        b = a if kind == "insert" else data.draw(st.integers(a, min(len(text), a + 40)), label="to")
        new = "" if kind == "delete" else data.draw(edit_text(), label="text")
        text = text[:a] + new + text[b:]
        warm.lint_text(text, "doc.md")  # the server lints after each change
    got = [_key(f) for f in warm.lint_text(text, "doc.md").findings]
    fresh = Linter(CONFIGS[i], analyzer=Analyzer(CONFIGS[i].model))
    assert got == [_key(f) for f in fresh.lint_text(text, "doc.md").findings]


# --------------------------------------------------------------------------- 6: positions

POSITION_TEXT = st.lists(st.sampled_from(["a", "b", " ", "é", "\u20ac", "\r", "\n", "\r\n", "\t", "\ud800", *ASTRAL]),
                         max_size=40).map("".join)


def _mid_line_end(src: str, o: int) -> bool:
    return 0 < o < len(src) and src[o - 1] == "\r" and src[o] == "\n"


@settings(max_examples=CHEAP)
@given(POSITION_TEXT)
@example("a😀\r\nb\rc\n😀😀")
def test_positions_round_trip(text):
    doc = Document.plain(text)
    for o in range(len(text) + 1):
        if _mid_line_end(text, o):
            continue
        line, col = doc.position(o)
        assert doc.offset_at(line, col) == o
        line0, char0 = doc.utf16_position(o)
        assert line0 == line - 1
        assert char0 == len(text[o - col + 1:o].encode("utf-16-le", "surrogatepass")) // 2  # UTF-16 units
        assert doc.offset_at_utf16(line0, char0) == o
