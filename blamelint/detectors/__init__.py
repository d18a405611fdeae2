"""Named Python detectors for what rule data cannot express.

A detector is `fn(rule, analysis) -> Iterable[Finding]`; rules name it with `check:`.
Teams add their own with the config key `plugins` (Python files that use `@detector`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from blamelint.errors import RulePackError


@dataclass(frozen=True)
class Detector:
    fn: Callable
    needs: tuple[str, ...] = ()  # pipeline components it reads ("tagger", "parser", "ner"); () = none
    # trigger(first_pass) -> indices of the blocks it could flag (or needs to see), or {index: needs
    # entities?}, or {index: triggers.Pieces} to name the pieces (sentences) of a block it reads;
    # None = all blocks. It must never leave out what the detector reads: see blamelint/analysis/triggers.py.
    trigger: Callable | None = None
    uses: tuple[str, ...] = ()  # detectors whose results it reads (their triggers run with its own)


DETECTORS: dict[str, Detector] = {}
_PLUGINS: dict[str, object] = {}


def detector(name: str, needs: tuple[str, ...] = (), trigger: Callable | None = None, uses: tuple[str, ...] = ()):
    def register(fn):
        DETECTORS[name] = Detector(fn, needs, trigger, uses)
        return fn

    return register


def _load() -> None:
    """Import every module in this package so its detectors register themselves."""
    import importlib
    import pkgutil

    for info in pkgutil.iter_modules(__path__):
        importlib.import_module(f"{__name__}.{info.name}")


def load_plugin(path: str) -> None:
    """Import a Python file that registers detectors with @detector (config key `plugins`)."""
    import importlib.util

    if path in _PLUGINS:
        return
    spec = importlib.util.spec_from_file_location(f"blamelint_plugin_{len(_PLUGINS)}", path)
    if spec is None or spec.loader is None:
        raise RulePackError(f"{path}: plugin is not a Python file")
    module = importlib.util.module_from_spec(spec)
    try:
        spec.loader.exec_module(module)
    except FileNotFoundError:
        raise RulePackError(f"{path}: plugin file not found") from None
    except Exception as exc:
        raise RulePackError(f"{path}: plugin failed to load: {type(exc).__name__}: {exc}") from None
    _PLUGINS[path] = module


_load()
