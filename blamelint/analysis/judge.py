"""The sentence classifier: how likely a sentence, in its place in the post-mortem, blames a
person, judges with hindsight, asks for something vague or frames one single cause.

A small spaCy pipeline (one `textcat_multilabel`, trained by `python -m blamelint.train` from
`corpus/train/`) shipped in the package (`blamelint/models/judge/`), with the per-category
thresholds chosen on the dev split. The model reads each sentence after two context words: its
section and the kind of block it sits in (`model_text`).
"""

from __future__ import annotations

import json
from collections import OrderedDict
from functools import lru_cache
from importlib import resources
from pathlib import Path

CATEGORIES = ("blame", "hindsight", "vague-action", "root-cause")
SECTIONS = ("summary", "impact", "timeline", "contributors", "mitigators", "learnings", "follow-ups",
            "appendix", "other")
KINDS = ("paragraph", "list_item", "table_cell", "quote")
# the template's section kinds (document.SECTION_KINDS) as the training data names them
SECTION_OF_KIND = {
    "key-facts": "summary", "executive-summary": "summary", "timeline": "timeline",
    "contributors": "contributors", "risks": "contributors", "diagnostics": "contributors",
    "mitigators": "mitigators", "learnings": "learnings", "follow-ups": "follow-ups", "appendix": "appendix",
}


def model_text(text: str, section: str = "other", kind: str = "paragraph") -> str:
    """What the model reads: two context words, then the sentence."""
    section = section if section in SECTIONS else "other"
    kind = kind if kind in KINDS else "paragraph"
    return f"zsec{section.replace('-', '')} zkind{kind.replace('_', '')} {text}"


def model_path() -> Path:
    return Path(str(resources.files("blamelint") / "models" / "judge"))


@lru_cache(maxsize=2)
def load(path: str | None = None):
    """The classifier pipeline and its thresholds ({category: probability}), once per process."""
    import spacy  # only when a document is judged

    where = Path(path) if path else model_path()
    nlp = spacy.load(where)
    thresholds = json.loads((where / "thresholds.json").read_text(encoding="utf-8"))
    return nlp, thresholds


class Judge:
    """Scores sentences with the classifier, caching each (text, section, kind)."""

    def __init__(self, path: str | None = None, cache_size: int = 20_000):
        self.path = path
        self.cache: OrderedDict = OrderedDict()
        self.cache_size = cache_size

    @property
    def thresholds(self) -> dict[str, float]:
        return load(self.path)[1]

    def scores(self, items: list[tuple[str, str, str]]) -> list[dict[str, float]]:
        """{category: probability} for each (sentence, section, kind)."""
        todo = list(dict.fromkeys(i for i in items if i not in self.cache))
        if todo:
            nlp = load(self.path)[0]
            for item, doc in zip(todo, nlp.pipe([model_text(*i) for i in todo], batch_size=256), strict=True):
                self.cache[item] = {c: float(doc.cats.get(c, 0.0)) for c in CATEGORIES}
        out = []
        for i in items:
            self.cache.move_to_end(i)
            out.append(self.cache[i])
        while len(self.cache) > self.cache_size:
            self.cache.popitem(last=False)
        return out
