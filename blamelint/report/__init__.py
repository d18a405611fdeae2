"""`blamelint report`: lint a post-mortem archive and aggregate what it says about the program.

The click command is `blamelint/cli/report.py`; this package builds and renders the report.

- `build.py` — collect, lint (through `blamelint.runner`), skip what is not a report, aggregate
- `facts.py` — what one post-mortem says: size, findings, score, follow-ups, date, severity, tags
- `aggregate.py` — the archive: rules, attention, follow-up ageing, themes, trend, recurrence
- `gitdates.py` — first-commit dates from one batched `git log` per repository
- `text.py`, `csv_format.py`, `html.py` (+ `charts.py`) — the outputs; JSON is the model itself

The JSON model is versioned (`SCHEMA_VERSION`) and described by `docs/report-schema.json`.
"""

SCHEMA_VERSION = "1.0"
