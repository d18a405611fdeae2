"""Analysis: what the detectors read besides the document itself.

`nlp` loads the spaCy pipeline and parses prose with per-text caches; `triggers` is the cheap
first pass that chooses which sentences the model must read; `matchers` runs the data rules;
`state` is the typed record kept on each spaCy Doc; `spacy_compat` holds the only uses of
spaCy's non-public API.
"""
