"""Train the sentence classifier that ships in blamelint/models/judge/.

    python -m blamelint.train [--seed 0] [--precision 0.95] [--out blamelint/models/judge]
    python -m blamelint.train --check     # retrain in a temporary folder; same test scores?

Reads the labeled sentences in corpus/train/*.jsonl (corpus/train/GUIDE.md) and every sentence
of corpus/labeled, corpus/neutral and corpus/train/docs (labeled from their sidecars), keeps a fixed
sixth of them for dev (chosen by a hash of the text, so the split never changes when files
grow), adds each training sentence a second time without its section, trains the pipeline of blamelint/models/judge.cfg with `spacy train` (seeded), picks each
category's threshold on dev as the lowest that keeps dev precision at or above --precision, then
scores the frozen test split (corpus/test/test.jsonl, never used for any choice) and writes the
model, thresholds.json and metrics.json. The same command on the same data gives the same model.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import sys
import tempfile
from pathlib import Path

from blamelint.analysis.judge import CATEGORIES, model_text
from blamelint.detectors.judge import section_of, sentence_pieces
from blamelint.document import parse
from blamelint.evaluate import annotations

ROOT = Path(__file__).resolve().parents[1]
CONFIG = Path(__file__).resolve().parent / "models" / "judge.cfg"
OUT = Path(__file__).resolve().parent / "models" / "judge"
DEV_SHARE = 6  # one in six sentences goes to dev


def read(paths: list[Path]) -> list[dict]:
    out = []
    for path in paths:
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                out.append(json.loads(line))
    return out


def document_sentences() -> list[dict]:
    """Every prose sentence of the project's own labeled and blameless post-mortems
    (corpus/labeled, corpus/neutral) and of the real public post-mortems kept for training
    (corpus/train/docs, SOURCES.md there), labeled from their sidecars: sentences as they sit in
    whole documents (timeline entries, action items, Key Facts lines, narrative), which written
    sentences alone under-represent. corpus/labeled and corpus/neutral have no root-cause
    annotations: there a sentence saying "root cause" is labeled root-cause."""
    out = []
    own = sorted((ROOT / "corpus" / "labeled").glob("*.md")) + sorted((ROOT / "corpus" / "neutral").glob("*.md"))
    real = sorted((ROOT / "corpus" / "train" / "docs").glob("[0-9]*.md"))
    for md in own + real:
        text = md.read_text(encoding="utf-8-sig")
        spans = [(c, a, z) for c, a, z in annotations(md, text) if c in CATEGORIES]
        for block in parse(text, path=str(md)).blocks:
            if block.kind == "heading":
                continue
            kind = "quote" if block.quoted else block.kind
            for a, z, sentence in sentence_pieces(block):
                start, end = block.source_span(a, z)
                labels = {c for c, s, e in spans if s < end and start < e}
                if md in own and "root cause" in sentence.lower():
                    labels.add("root-cause")
                out.append({"text": sentence, "labels": sorted(labels), "section": section_of(block), "kind": kind})
    return out


def is_dev(text: str) -> bool:
    return hashlib.sha256(text.encode("utf-8")).digest()[0] % DEV_SHARE == 0


def items(records: list[dict]) -> list[tuple[tuple[str, str, str], set[str]]]:
    return [((r["text"], r.get("section", "other"), r.get("kind", "paragraph")), set(r["labels"])) for r in records]


def with_unknown_section(data):
    """Each training sentence once more as if its section were unknown ("other", as in a
    post-mortem that does not follow the template): the model must judge without context too."""
    extra = [((text, "other", kind), labels) for (text, section, kind), labels in data if section != "other"]
    return data + extra


def _docbin(nlp, data, path: Path) -> None:
    from spacy.tokens import DocBin

    db = DocBin()
    for (text, section, kind), labels in data:
        doc = nlp.make_doc(model_text(text, section, kind))
        doc.cats = {c: float(c in labels) for c in CATEGORIES}
        db.add(doc)
    db.to_disk(path)


def predict(nlp, data) -> list[dict[str, float]]:
    docs = nlp.pipe([model_text(*item) for item, _ in data], batch_size=256)
    return [{c: float(d.cats[c]) for c in CATEGORIES} for d in docs]


def scores_at(data, predicted, category: str, threshold: float) -> tuple[float, float, int, int]:
    tp = fp = fn = 0
    for (_, labels), p in zip(data, predicted, strict=True):
        hit, gold = p[category] >= threshold, category in labels
        tp += hit and gold
        fp += hit and not gold
        fn += gold and not hit
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    return precision, recall, tp + fn, tp + fp


def pick_thresholds(data, predicted, target: float) -> dict[str, float]:
    """Per category, the lowest threshold whose dev precision is at least target (the highest
    recall that precision allows). Where no threshold reaches it, the lowest within 0.01 of the
    best precision any threshold keeping a fifth of the recall gives."""
    steps = [i / 100 for i in range(5, 100)]
    out = {}
    for c in CATEGORIES:
        measured = [(t, *scores_at(data, predicted, c, t)[:2]) for t in steps]
        good = [t for t, p, _ in measured if p >= target]
        if good:
            out[c] = min(good)
            continue
        best = max((p for _, p, r in measured if r >= 0.2), default=0.0)
        out[c] = min((t for t, p, r in measured if r >= 0.2 and p >= best - 0.01), default=0.99)
    return out


def report(name: str, data, predicted, thresholds: dict[str, float]) -> dict:
    rows = {}
    for c in CATEGORIES:
        p, r, support, flagged = scores_at(data, predicted, c, thresholds[c])
        rows[c] = {"precision": round(p, 4), "recall": round(r, 4), "support": support, "flagged": flagged}
    negatives = [p for (_, labels), p in zip(data, predicted, strict=True) if not labels]
    flagged = sum(any(p[c] >= thresholds[c] for c in CATEGORIES) for p in negatives)
    print(f"{name}: {len(data)} sentences")
    for c, row in rows.items():
        print(f"  {c:<13} P {row['precision']:.3f}  R {row['recall']:.3f}  ({row['support']} labeled, "
              f"{row['flagged']} flagged, threshold {thresholds[c]:.2f})")
    print(f"  sentences with no label flagged: {flagged} of {len(negatives)}")
    return {"sentences": len(data), "categories": rows, "negatives_flagged": flagged, "negatives": len(negatives)}


def _compare(new: Path, shipped: Path) -> int:
    """0 when every test-split precision and recall is within 0.01 of the shipped model's."""
    a = json.loads(new.read_text(encoding="utf-8"))["test"]["categories"]
    b = json.loads(shipped.read_text(encoding="utf-8"))["test"]["categories"]
    off = [f"{c} {m}: {a[c][m]:.3f} (shipped {b[c][m]:.3f})" for c in CATEGORIES for m in ("precision", "recall")
           if abs(a[c][m] - b[c][m]) > 0.01]
    print("reproduces the shipped model's test scores" if not off else "differs from the shipped model: " + "; ".join(off))
    return 1 if off else 0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--precision", type=float, default=0.95, help="dev precision each threshold must keep")
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--config", type=Path, default=CONFIG)
    parser.add_argument("--check", action="store_true",
                        help="train into a temporary folder and compare its test scores with the shipped model's")
    args = parser.parse_args(argv)
    if args.check:
        with tempfile.TemporaryDirectory() as tmp:
            code = main(["--seed", str(args.seed), "--precision", str(args.precision), "--config", str(args.config),
                         "--out", str(Path(tmp) / "judge")])
            return code or _compare(Path(tmp) / "judge" / "metrics.json", OUT / "metrics.json")

    import spacy
    from spacy.cli.train import train as spacy_train

    records = read(sorted((ROOT / "corpus" / "train").glob("*.jsonl"))) + document_sentences()
    train_set = with_unknown_section(items([r for r in records if not is_dev(r["text"])]))
    dev_set = items([r for r in records if is_dev(r["text"])])
    test_set = items(read([ROOT / "corpus" / "test" / "test.jsonl"]))
    print(f"train {len(train_set)}, dev {len(dev_set)}, test {len(test_set)} sentences")

    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        blank = spacy.blank("en")
        _docbin(blank, train_set, tmp / "train.spacy")
        _docbin(blank, dev_set, tmp / "dev.spacy")
        spacy_train(args.config, tmp / "out", overrides={
            "paths.train": str(tmp / "train.spacy"), "paths.dev": str(tmp / "dev.spacy"), "system.seed": args.seed})
        nlp = spacy.load(tmp / "out" / "model-best")
        dev_pred = predict(nlp, dev_set)
        thresholds = pick_thresholds(dev_set, dev_pred, args.precision)
        metrics = {"seed": args.seed, "precision_target": args.precision, "thresholds": thresholds,
                   "dev": report("dev", dev_set, dev_pred, thresholds),
                   "test": report("test (frozen)", test_set, predict(nlp, test_set), thresholds)}
        if args.out.exists():
            shutil.rmtree(args.out)
        nlp.meta["name"] = "blamelint_judge"
        nlp.meta["description"] = "blamelint's sentence classifier (python -m blamelint.train)"
        nlp.meta.pop("performance", None)
        nlp.to_disk(args.out)
    (args.out / "thresholds.json").write_text(json.dumps(thresholds, indent=2) + "\n", encoding="utf-8")
    (args.out / "metrics.json").write_text(json.dumps(metrics, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
