"""What `check` lints: the config of each input, the baseline to filter by, and the files."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from blamelint import runner
from blamelint.baseline import Baseline, load_baseline
from blamelint.cli.options import fail, parse_today
from blamelint.config import ConfigResolver
from blamelint.errors import BlamelintError


def split(values) -> list[str]:
    """Repeated, comma-separated option values as one list."""
    return [v.strip() for value in values for v in value.split(",") if v.strip()]


def config_overrides(select, model, profile, today) -> dict:
    """The config keys the command line sets (a bad --today exits 2)."""
    found = {}
    if select:
        found["select"] = split(select)
    if model:
        found["model"] = model
    if profile:
        found["profile"] = profile
    if today:
        found["today"] = parse_today(today)
    return found


def resolve(config_path, overrides: dict, extra_ignore: list[str], baseline_path) -> tuple:
    """(config_for, baseline): config_for(path) is the config of an input (None: stdin without a
    name), baseline the one to filter by or None. A bad config or baseline file exits 2."""
    try:
        resolver = ConfigResolver(config_path, overrides)
        baseline: Baseline | None = load_baseline(baseline_path) if baseline_path else None
    except BlamelintError as exc:
        fail(str(exc))

    def config_for(path):
        config = resolver.for_path(path)
        if extra_ignore:
            config = replace(config, ignore=config.ignore + extra_ignore)
        return config

    return config_for, baseline


def collect(paths, config_for, errors: list[tuple[str, str]], force_exclude: bool = False) -> list[Path]:
    """The files to lint: those named on the command line (unless `force_exclude` and their config
    excludes them, as pre-commit and CI name files one by one), and those found in directories
    unless their config excludes them. Problems go to `errors`."""
    return [f for f in runner.collect([p for p in paths if p != "-"], errors)
            if (str(f) in paths and not force_exclude) or not runner.excluded(f, config_for(f))]
