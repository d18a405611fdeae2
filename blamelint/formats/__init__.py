"""Output formats: each renders a list of FileResult to a string.

render(results, rules, *, color=False) -> str, with results and findings in the order given.
"""

from __future__ import annotations

from blamelint.formats import github, gitlab, json_format, junit, rdjson, sarif, text
from blamelint.formats.common import location, matched_text

FORMATS = {
    "text": text.render,
    "json": json_format.render,
    "sarif": sarif.render,
    "github": github.render,
    "rdjson": rdjson.render,
    "gitlab": gitlab.render,
    "junit": junit.render,
}

__all__ = ["FORMATS", "location", "matched_text"]
