"""Check sentence files for the judgement model (corpus/train/GUIDE.md).

    python corpus/tools/check_sentences.py FILE.jsonl [FILE.jsonl ...]

Checks each line's format and values, duplicates against every sentence file in corpus/train,
corpus/dev and corpus/test, and (when ../shared/realworld is there) that no sentence is a copy
or a near copy of a real post-mortem's sentence, which are kept for evaluation only. Prints
counts per label and the share of sentences with no label. Exit 1 on any problem.
"""

from __future__ import annotations

import csv
import json
import re
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LABELS = {"blame", "hindsight", "vague-action", "root-cause"}
SECTIONS = {"summary", "impact", "timeline", "contributors", "mitigators", "learnings", "follow-ups", "appendix", "other"}
KINDS = {"paragraph", "list_item", "table_cell", "quote"}
KEYS = {"text", "labels", "section", "kind", "source"}
REALWORLD = ROOT.parent / "shared" / "realworld"


def norm(text: str) -> str:
    return " ".join(re.findall(r"[a-z0-9]+", text.lower()))


def words(text: str) -> set[str]:
    return set(norm(text).split())


def realworld_sentences() -> list[str]:
    out = []
    for name in ("positives.tsv", "negatives.tsv"):
        path = REALWORLD / name
        if path.exists():
            with path.open(encoding="utf-8", newline="") as fh:
                out += [row["sentence"] for row in csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE)]
    return out


def read(path: Path) -> list[tuple[int, dict | None, str]]:
    out = []
    for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            out.append((i, json.loads(line), line))
        except json.JSONDecodeError as exc:
            out.append((i, None, f"not JSON: {exc.msg}"))
    return out


def check(paths: list[Path]) -> int:
    problems = []
    others: dict[str, str] = {}
    for f in sorted(ROOT.glob("corpus/*/*.jsonl")):
        if f.resolve() in {p.resolve() for p in paths}:
            continue
        for i, rec, _ in read(f):
            if rec and isinstance(rec.get("text"), str):
                others.setdefault(norm(rec["text"]), f"{f.relative_to(ROOT)}:{i}")
    real = [(s, words(s)) for s in realworld_sentences()]
    real_norm = {norm(s) for s, _ in real}
    seen: dict[str, str] = {}
    labels: Counter = Counter()
    total = negatives = 0
    for path in paths:
        for i, rec, raw in read(path):
            where = f"{path}:{i}"
            if rec is None:
                problems.append(f"{where}: {raw}")
                continue
            if not isinstance(rec, dict) or set(rec) - KEYS or {"text", "labels"} - set(rec):
                problems.append(f"{where}: keys must be {sorted(KEYS)} (text and labels required)")
                continue
            text, labs = rec["text"], rec["labels"]
            if not isinstance(text, str) or not text.strip() or len(text) > 400 or "\n" in text:
                problems.append(f"{where}: text must be one line of 1-400 characters")
                continue
            if not isinstance(labs, list) or set(labs) - LABELS or len(set(labs)) != len(labs):
                problems.append(f"{where}: labels must be a list of distinct {sorted(LABELS)}")
                continue
            if rec.get("section", "other") not in SECTIONS:
                problems.append(f"{where}: section must be one of {sorted(SECTIONS)}")
            if rec.get("kind", "paragraph") not in KINDS:
                problems.append(f"{where}: kind must be one of {sorted(KINDS)}")
            if not rec.get("source"):
                problems.append(f"{where}: say who wrote it in `source`")
            key = norm(text)
            if key in seen or key in others:
                problems.append(f"{where}: duplicate of {seen.get(key) or others[key]}")
            seen.setdefault(key, where)
            mine = words(text)
            if key in real_norm or (len(mine) >= 6 and any(
                    len(mine & w) / len(mine | w) >= 0.7 for _, w in real)):
                problems.append(f"{where}: too close to a real post-mortem sentence (those are for evaluation only)")
            total += 1
            negatives += not labs
            labels.update(labs)
    for p in problems:
        print(p)
    share = negatives / total if total else 0
    print(f"{total} sentences, {negatives} with no label ({share:.0%}); " +
          ", ".join(f"{k} {labels[k]}" for k in sorted(LABELS)))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(check([Path(a) for a in sys.argv[1:]]))
