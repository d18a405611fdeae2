"""The one place blamelint reaches into spaCy's non-public API (there is no public route).

Each use is checked by tests/test_spacy_compat.py, which fails with a clear message when a
spaCy upgrade moves what it relies on (here a surprise falls back to spaCy's own behaviour, so
only the test would notice). Uses:
- `Language._path` and `Language._link_components`, to add the statistical components to the
  tokenizer-only pipeline in place (`add_components`);
- `Doc._get_array_attrs`, the attributes a Doc round-trips through arrays (`array_attrs`).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path


@lru_cache(maxsize=2)
def array_attrs(entities: bool) -> list:
    from spacy.attrs import ENT_ID, ENT_IOB, ENT_KB_ID, ENT_TYPE, SPACY
    from spacy.tokens import Doc

    leave = {SPACY} if entities else {SPACY, ENT_IOB, ENT_TYPE, ENT_KB_ID, ENT_ID}
    return [a for a in Doc._get_array_attrs() if a not in leave]


def add_components(light):
    """Add the statistical components to the light pipeline in place (cheaper than a second
    `spacy.load`, which would build the tokenizer again); None when the pipeline's layout is not
    one this understands, and the caller loads it whole instead."""
    from spacy import util

    try:
        path = Path(light._path) if getattr(light, "_path", None) else None
        if path is None or not (path / "config.cfg").exists():
            return None
        config = util.load_config(path / "config.cfg", interpolate=True)
        order, disabled = config["nlp"]["pipeline"], set(config["nlp"].get("disabled", []))
        for i, name in enumerate(order):
            if name in light.pipe_names or name in disabled:
                continue
            settings = dict(config["components"][name])
            factory = settings.pop("factory")
            before = [n for n in order[:i] if n in light.pipe_names]
            place = {"after": before[-1]} if before else {"first": True}
            light.add_pipe(factory, name=name, config=settings, **place)
            light.get_pipe(name).from_disk(path / name, exclude=["vocab"])
        light._link_components()
    except Exception:  # noqa: BLE001 - any surprise: fall back to a plain load
        return None
    return light
