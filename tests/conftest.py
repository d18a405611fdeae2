import os
from pathlib import Path

import pytest
from hypothesis import settings
from hypothesis.database import DirectoryBasedExampleDatabase

from blamelint.config import Config
from blamelint.engine import linter_for

# Hypothesis (tests/test_properties.py): a few examples per test by default, the same ones on every
# run (derandomize: a PR's CI never fails on an input unrelated to its change); nightly explores
# anew with thousands and keeps failures in .pytest_cache to replay them.
# HYPOTHESIS_PROFILE=nightly python -m pytest -q tests/test_properties.py
_NIGHTLY_DB = DirectoryBasedExampleDatabase(str(Path(__file__).resolve().parents[1] / ".pytest_cache" / "hypothesis"))
settings.register_profile("default", max_examples=30, deadline=None, derandomize=True)
settings.register_profile("nightly", max_examples=2000, deadline=None, print_blob=True, database=_NIGHTLY_DB)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))


@pytest.fixture(scope="session")
def lint_with():
    """Lint text under a config built from keyword arguments; the pipeline loads once per run."""

    def run(text, path="doc.md", **settings):
        return linter_for(Config(**settings)).lint_text(text, path)

    return run


@pytest.fixture(autouse=True)
def _private_cache(tmp_path_factory, monkeypatch):
    """Tests (and the CLI processes they start) never touch the user's result cache."""
    monkeypatch.setenv("BLAMELINT_CACHE_DIR", str(tmp_path_factory.getbasetemp() / "blamelint-cache"))
