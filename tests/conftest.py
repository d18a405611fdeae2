import pytest

from blamelint.config import Config
from blamelint.engine import linter_for


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
