"""Named Python detectors for what rule data cannot express.

A detector is `fn(rule, analysis) -> Iterable[Finding]`; rules name it with `check:`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Detector:
    fn: Callable
    needs: tuple[str, ...] = ()


DETECTORS: dict[str, Detector] = {}


def detector(name: str, needs: tuple[str, ...] = ()):
    def register(fn):
        DETECTORS[name] = Detector(fn, needs)
        return fn

    return register


def _load() -> None:
    """Import every module in this package so its detectors register themselves."""
    import importlib
    import pkgutil

    for info in pkgutil.iter_modules(__path__):
        importlib.import_module(f"{__name__}.{info.name}")


_load()
