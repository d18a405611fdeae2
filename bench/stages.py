"""Where blamelint's time goes on an archive, in one process: prints one JSON object.

    python bench/stages.py DIR [--no-preview]

Lints every file `blamelint check DIR` would (its file discovery and config discovery) the way
`check -j 1 --no-cache` does (`runner.lint_files`, memory zones and all), with perf_counter
wrappers monkeypatched onto the module attributes the engine calls. Each stage's time is its
own: a wrapped call inside another is counted once, in its own stage.

It reports:
- start-up: `import blamelint` and loading the model (and the rule set);
- lint time by stage: Markdown parsing, the first pass (tokenize + triggers), the model, the
  detectors and rules (the rest of `lint_document`), the sentence rewrite, and the batch's own
  cost (reading files, memory zones, warm-up);
- which share of the prose's sentences (pieces) and tokens reached the parser and NER
  (`Analyzer.stats` ÷ the pieces and tokens of all prose blocks);
- the pieces each wisher of `Selection.why` asked for, and how many ended with a finding;
- the classifier (`preview: true`): linted again in a fresh child (`--pass preview`), its
  `Judge.scores` time per 1,000 words and the preview ÷ default lint time.

Words are `len(text.split())` of each file's whole text, as in bench/run.py.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import subprocess
import sys
import time
from bisect import bisect_left
from collections import Counter
from pathlib import Path

perf = time.perf_counter


class Timer:
    """Exclusive time per bucket: a frame's time minus that of the frames opened inside it."""

    def __init__(self):
        self.seconds: Counter = Counter()
        self.stack: list[float] = []  # per open frame: the time spent in frames inside it

    @contextlib.contextmanager
    def frame(self, bucket: str):
        self.stack.append(0.0)
        t0 = perf()
        try:
            yield
        finally:
            spent = perf() - t0
            inner = self.stack.pop()
            self.seconds[bucket] += spent - inner
            if self.stack:
                self.stack[-1] += spent

    def wrap(self, bucket, fn):
        """fn timed into bucket; bucket may be a function giving it at the call (None: the time
        counts for the caller's frame)."""
        def timed(*args, **kwargs):
            name = bucket() if callable(bucket) else bucket
            if name is None:
                return fn(*args, **kwargs)
            with self.frame(name):
                return fn(*args, **kwargs)
        timed.__wrapped__ = fn
        return timed


STAGES = {  # bucket → what it is (printed by bench/run.py in this order)
    "markdown": "Markdown parsing (document.parse)",
    "first_pass": "first pass (Analyzer.tokens, triggers.first_pass, triggers.select)",
    "model": "the model on the selection (Analyzer.docs in _analyse)",
    "model_on_demand": "the model asked for later (Unit.analysed: Analyzer.docs after _analyse)",
    "detectors_rules": "detectors, rules and filters (the rest of lint_document)",
    "rewrite": "sentence rewrites (add_sentence_rewrites)",
    "classifier": "the classifier (Judge.scores)",
    "batch": "the batch's own (reading files, memory zones, warm-up)",
}


def lint_archive(directory: Path, preview: bool, attribute: bool) -> dict:
    t0 = perf()
    import blamelint.analysis.judge as judge_mod
    import blamelint.analysis.triggers as triggers
    import blamelint.document as document_mod
    import blamelint.engine as engine
    from blamelint import runner
    from blamelint.analysis.nlp import Analyzer
    from blamelint.config import ConfigResolver

    imported = perf()
    resolver = ConfigResolver(None, {"preview": True} if preview else {})
    errors: list = []
    files = runner.collect([str(directory)], errors)
    config_for = resolver.for_path
    linter = engine.linter_for(config_for(files[0] if files else directory))
    linter.analyzer.nlp  # noqa: B018 - loads the model
    linter.prepare()
    loaded = perf()
    judge_load = 0.0
    if linter.judge is not None:
        judge_mod.load(linter.judge.path)  # the classifier's own model, timed apart
        judge_load = perf() - loaded

    timer = Timer()
    inside = {"analyse": False, "last": None}
    found = {"pieces": 0, "tokens": 0, "blocks": 0, "selected": 0, "selected_any": 0, "findings": 0}
    by_category: Counter = Counter()
    wishers: dict[str, Counter] = {}
    own = {"rules": None}  # wisher → the categories of its own findings (None: any)
    for rule in linter.rules:
        if rule.check:
            own.setdefault(rule.check, set()).add(rule.category)

    def analyse(fn):
        def wrapped(*args, **kwargs):
            inside["analyse"] = True
            try:
                return fn(*args, **kwargs)
            finally:
                inside["analyse"] = False
        return wrapped

    def select(fn):
        def wrapped(fp, *args, **kwargs):
            sel = fn(fp, *args, **kwargs)
            inside["last"] = (fp, sel)
            return sel
        return wrapped

    def lint_document(fn):
        def wrapped(self, doc, *args, **kwargs):
            inside["last"] = None
            with timer.frame("detectors_rules"):
                result = fn(self, doc, *args, **kwargs)
            if attribute and inside["last"] is not None:
                with timer.frame("bench"):  # inside the memory zone (the Docs are alive), not counted
                    tally(*inside["last"], result)
            return result
        return wrapped

    def tally(fp, sel, result) -> None:
        findings = result.findings
        found["findings"] += len(findings)
        by_category.update(f.category for f in findings)
        hits: dict[tuple[int, int], set[str]] = {}  # (block, piece) → categories of its findings
        asked: dict[tuple[int, int], set[str]] = {}
        for b in fp.blocks:
            block, text_len = b.block, len(b.block.text)
            found["blocks"] += 1
            found["pieces"] += len(b.pieces)
            found["tokens"] += len(b.doc)
            chars = b.piece_chars
            for f in findings:
                if f.start >= block.end or max(f.end, f.start + 1) <= block.start:
                    continue
                a, e = block.prose_span(f.start, f.end)
                if a >= text_len:
                    continue
                for p in range(max(bisect_left(chars, a + 1) - 1, 0), len(chars)):
                    if chars[p] >= e:
                        break
                    hits.setdefault((b.index, p), set()).add(f.category)
        pieces_of = {b.index: b.pieces for b in fp.blocks}
        for why, wishes in sel.why.items():
            count = wishers.setdefault(why or "?", Counter())
            cats = own.get(why)
            for i, chosen in wishes.items():
                spans = pieces_of[i]
                for p in range(len(spans)) if chosen is None else chosen:
                    got = hits.get((i, p), set())
                    count["pieces"] += 1
                    count["tokens"] += spans[p][1] - spans[p][0]
                    count["any"] += bool(got)
                    count["own"] += bool(got if cats is None else got & cats)
                    asked.setdefault((i, p), set()).add(why or "?")
        for key, names in asked.items():
            found["selected"] += 1
            found["selected_any"] += key in hits
            if len(names) == 1:
                wishers[next(iter(names))]["alone"] += 1

    # the engine calls these as module attributes or methods: patch where it looks them up
    document_mod.parse = timer.wrap("markdown", document_mod.parse)
    triggers.first_pass = timer.wrap("first_pass", triggers.first_pass)
    triggers.select = timer.wrap("first_pass", select(triggers.select))
    Analyzer.tokens = timer.wrap(lambda: "first_pass" if inside["analyse"] else None, Analyzer.tokens)
    Analyzer.docs = timer.wrap(lambda: "model" if inside["analyse"] else "model_on_demand", Analyzer.docs)
    engine.Linter._analyse = analyse(engine.Linter._analyse)
    engine.Linter.lint_document = lint_document(engine.Linter.lint_document)
    engine.add_sentence_rewrites = timer.wrap("rewrite", engine.add_sentence_rewrites)
    judge_mod.Judge.scores = timer.wrap("classifier", judge_mod.Judge.scores)

    stats0 = Counter(linter.analyzer.stats)
    words = failed = 0
    with timer.frame("batch"):
        for outcome in runner.lint_files(files, config_for, jobs=1):
            if outcome.text is not None:
                words += len(outcome.text.split())
            if outcome.error or (outcome.result is not None and outcome.result.error):
                failed += 1
    stats = Counter(linter.analyzer.stats)
    stats.subtract(stats0)
    seconds = {k: timer.seconds.get(k, 0.0) for k in STAGES}
    lint_s = sum(seconds.values())
    out = {
        "dir": str(directory), "files": len(files), "failed": failed, "words": words,
        "words_counted_as": "len(text.split()) of each file's whole text",
        "config": "preview: true" if preview else "discovered (as check finds it)",
        "startup_s": {"import": imported - t0, "model": loaded - imported, "total": loaded - t0},
        "classifier_load_s": judge_load,
        "seconds": seconds, "lint_s": lint_s, "bench_overhead_s": timer.seconds.get("bench", 0.0),
        "words_per_s": words / lint_s if lint_s else None,
        "stages": STAGES, "stats": dict(stats),
    }
    if attribute:
        pieces, tokens = found["pieces"], found["tokens"]
        out["prose"] = {"blocks": found["blocks"], "pieces": pieces, "tokens": tokens}
        out["shares"] = {
            "parsed_pieces": stats["parsed_pieces"] / pieces if pieces else None,
            "parsed_tokens": stats["parsed_tokens"] / tokens if tokens else None,
            "ner_pieces": stats["ner_pieces"] / pieces if pieces else None,
            "ner_tokens": stats["ner_tokens"] / tokens if tokens else None,
        }
        out["wishers"] = {name: {**{k: c.get(k, 0) for k in ("pieces", "tokens", "any", "own", "alone")},
                                 "own_categories": "any" if own.get(name) is None else sorted(own[name])}
                          for name, c in sorted(wishers.items(), key=lambda kv: -kv[1]["pieces"])}
        out["selected"] = {"pieces": found["selected"], "with_finding": found["selected_any"]}
        out["findings"] = {"total": found["findings"], "by_category": dict(by_category.most_common())}
    return out


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("dir", type=Path)
    parser.add_argument("--pass", dest="which", choices=("default", "preview"), default="default",
                        help="lint with the default config, or with preview: true (no attribution)")
    parser.add_argument("--no-preview", action="store_true", help="skip the second, preview: true, child")
    args = parser.parse_args(argv)
    if not args.dir.is_dir():
        print(json.dumps({"dir": str(args.dir), "error": "not found"}))
        return 2
    out = lint_archive(args.dir, args.which == "preview", attribute=args.which == "default")
    if args.which == "default" and not args.no_preview:
        # a fresh process, so neither pass warms the other's caches
        proc = subprocess.run([sys.executable, __file__, str(args.dir), "--pass", "preview"],
                              capture_output=True, text=True)
        try:
            p = json.loads(proc.stdout.strip().splitlines()[-1])
            ms = 1000 * p["seconds"]["classifier"]
            p["classifier_ms_per_kw"] = ms / (p["words"] / 1000) if p["words"] else None
            p["preview_vs_default"] = p["lint_s"] / out["lint_s"] if out["lint_s"] else None
            p.pop("stages", None)
            out["preview"] = p
        except (IndexError, ValueError, KeyError):
            out["preview"] = {"error": f"exit {proc.returncode}: " + " / ".join(proc.stderr.strip().splitlines()[-3:])}
    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
