"""`blamelint eval --sentences FILE`: precision and recall on labeled sentences, for the rules
alone, the sentence classifier alone and both together (what `check` reports).

A file is JSON Lines in the format of corpus/train/GUIDE.md (`text`, `labels`, `section`,
`kind`) or a tab-separated file with a `sentence` column and a `category` column (a sentence
with none, or a `trap` column instead, is a negative; `single-root-cause` and
`non-smart-followup` are read as root-cause and followup, and another unknown name is an error).
Each sentence is linted alone, in a small document that puts it in its section and block kind; a
followup sentence of a TSV file, which says neither, is an item of a Follow-ups list.
"""

from __future__ import annotations

import csv
import dataclasses
import json
from dataclasses import dataclass, field
from pathlib import Path

from blamelint.analysis.judge import CATEGORIES as JUDGED
from blamelint.engine import linter_for
from blamelint.errors import InputError
from blamelint.evaluate import Report, Score, check_fixes, rewrite_figures

SCORED = ("blame", "hindsight", "vague-action", "root-cause", "named-individual", "followup")
ALIASES = {"single-root-cause": "root-cause", "non-smart-followup": "followup"}  # other sets' names
TITLES = {"summary": "Executive Summary", "impact": "Impact", "timeline": "Timeline", "contributors": "Contributors",
          "mitigators": "Mitigators", "learnings": "Learnings", "follow-ups": "Follow-ups", "appendix": "Appendix"}
MODES = ("rules", "model", "combined")


@dataclass
class Labeled:
    text: str
    labels: set[str]
    section: str = "other"
    kind: str = "paragraph"


@dataclass
class SentenceReport:
    path: str
    sentences: int = 0
    negatives: int = 0
    counts: dict = field(default_factory=lambda: {m: {c: Score() for c in SCORED} for m in MODES})
    negatives_flagged: dict = field(default_factory=lambda: {m: 0 for m in MODES})
    misses: list = field(default_factory=list)  # (mode, kind, category, text)
    rewrites: dict = field(default_factory=lambda: {"rules": Report(), "combined": Report()})  # fix figures

    def as_dict(self) -> dict:
        return {"path": self.path, "sentences": self.sentences, "negatives": self.negatives,
                "negatives_flagged": self.negatives_flagged,
                "modes": {m: {c: {"tp": k.tp, "fp": k.fp, "fn": k.fn, "precision": round(k.precision, 4),
                                  "recall": round(k.recall, 4)} for c, k in cats.items()}
                          for m, cats in self.counts.items()},
                "rewrites": {m: r.as_dict()["fixes"] for m, r in self.rewrites.items()}}


def read(path: Path) -> list[Labeled]:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: cannot read sentences: {exc}") from None
    if path.suffix == ".jsonl":
        out = []
        for i, line in enumerate(text.splitlines(), 1):
            if line.strip():
                try:
                    r = json.loads(line)
                    out.append(Labeled(r["text"], set(r.get("labels", [])), r.get("section", "other"),
                                       r.get("kind", "paragraph")))
                except (json.JSONDecodeError, KeyError, TypeError) as exc:
                    raise InputError(f"{path}:{i}: not a labeled sentence ({exc})") from None
        return out
    rows = list(csv.DictReader(text.splitlines(), delimiter="\t", quoting=csv.QUOTE_NONE))
    if not rows or "sentence" not in rows[0]:
        raise InputError(f"{path}: expected a tab-separated file with a 'sentence' column")
    out = []
    for i, r in enumerate(rows, 2):
        category = (r.get("category") or "").strip()
        if category and ALIASES.get(category, category) not in SCORED:
            known = ", ".join(SCORED + tuple(ALIASES))
            raise InputError(f"{path}:{i}: unknown category '{category}' (known: {known})")
        label = ALIASES.get(category, category)
        if label == "followup":  # only an action item can be a follow-up: it is checked as one
            out.append(Labeled(r["sentence"], {label}, "follow-ups", "list_item"))
        else:
            out.append(Labeled(r["sentence"], {label} if label else set()))
    return out


def document(s: Labeled) -> str:
    """A small post-mortem holding the sentence in its section and block kind."""
    body = {"list_item": f"- {s.text}", "quote": f"> {s.text}",
            "table_cell": f"| Item |\n|---|\n| {s.text} |"}.get(s.kind, s.text)
    title = TITLES.get(s.section)
    return f"## {title}\n\n{body}\n" if title else body + "\n"


def evaluate_sentences(path: Path, config, check_rewrites: bool = True) -> SentenceReport:
    sentences = read(path)
    combined = linter_for(dataclasses.replace(config, preview=True))  # the classifier's rules are in preview
    judge_ids = [r.id for r in combined.ruleset.rules if r.check == "judge"]
    rules_only = linter_for(dataclasses.replace(config, ignore=list(config.ignore) + judge_ids))
    judge = combined.judge
    scores = judge.scores([(s.text, s.section, s.kind) for s in sentences]) if judge else [{} for _ in sentences]
    # the categories the file labels (all of them for a file of negatives alone)
    scored = {c for s in sentences for c in s.labels} & set(SCORED) or set(SCORED)
    report = SentenceReport(str(path), sentences=len(sentences))
    for s, score in zip(sentences, scores, strict=True):
        text = document(s)
        linted = {"rules": (rules_only, rules_only.lint_text(text, "sentence.md").findings),
                  "combined": (combined, combined.lint_text(text, "sentence.md").findings)}
        if check_rewrites:
            for mode, (linter, findings) in linted.items():
                check_fixes(report.rewrites[mode], linter, text, "sentence.md", findings)
        found = {
            "rules": {f.category for f in linted["rules"][1]},
            "combined": {f.category for f in linted["combined"][1]},
            "model": {c for c in JUDGED if judge and score.get(c, 0.0) >= judge.thresholds.get(c, 1.0)},
        }
        if not s.labels:
            report.negatives += 1
        for mode, cats in found.items():
            cats &= scored
            if not s.labels and cats:
                report.negatives_flagged[mode] += 1
            for c in sorted(scored):
                if mode == "model" and c not in JUDGED:
                    continue
                k = report.counts[mode][c]
                if c in cats and c in s.labels:
                    k.tp += 1
                elif c in cats:
                    k.fp += 1
                    report.misses.append((mode, "fp", c, s.text))
                elif c in s.labels:
                    k.fn += 1
                    report.misses.append((mode, "fn", c, s.text))
    return report


def render(report: SentenceReport, verbose: bool = False) -> str:
    head = f"{'category':<17} {'labeled':>7}" + "".join(f"  {m + ' P':>11} {m + ' R':>10}" for m in MODES)
    lines = [f"{report.path}: {report.sentences} sentences, {report.negatives} with no label", head]
    for c in SCORED:
        support = report.counts["rules"][c].tp + report.counts["rules"][c].fn
        if not support and not any(report.counts[m][c].fp for m in MODES):
            continue
        row = f"{c:<17} {support:>7}"
        for m in MODES:
            k = report.counts[m][c]
            row += "  " + (f"{'—':>11} {'—':>10}" if m == "model" and c not in JUDGED
                           else f"{k.precision:>11.3f} {k.recall:>10.3f}")
        lines.append(row)
    lines.append("sentences with no label flagged: " +
                 ", ".join(f"{m} {report.negatives_flagged[m]}/{report.negatives}" for m in MODES))
    for mode, r in report.rewrites.items():
        if r.fixable:
            lines.append(f"rewrites ({mode}): " + rewrite_figures(r))
    if verbose:
        lines += [f"{m.upper():<8} {kind.upper()} {c:<16} {t[:110]}" for m, kind, c, t in report.misses]
        lines += [f"{mode.upper():<8} {m.kind.upper()} {m.category:<16} {m.text[:200]}"
                  for mode, r in report.rewrites.items() for m in r.misses]
    return "\n".join(lines) + "\n"
