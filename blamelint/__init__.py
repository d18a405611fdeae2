"""blamelint: a linter for blameless incident post-mortems."""

__version__ = "0.1.0"


def lint(text, path=None, config=None):
    """Lint text (Markdown or plain text) and return its findings, sorted by position."""
    # The engine is imported on first use: `import blamelint` (and `blamelint --version`) stays light.
    from blamelint.engine import lint as _lint

    return _lint(text, path, config)


__all__ = ["lint", "__version__"]
