"""Errors the engine raises for bad input; front ends turn them into one line and exit code 2."""

import os


class BlamelintError(Exception):
    """Base class: str(error) is the whole user-facing message."""


class ConfigError(BlamelintError):
    pass


class RulePackError(BlamelintError):
    pass


class InputError(BlamelintError):
    pass


class ModelError(BlamelintError):
    pass


def debug() -> bool:
    """`--debug` or BLAMELINT_DEBUG=1: an internal error re-raises with its traceback instead of
    being reported as one line and the run going on."""
    return os.environ.get("BLAMELINT_DEBUG", "").strip().lower() not in ("", "0", "false", "no")


def guarded(make, on_failure):
    """make(); an unexpected exception (a bug, not bad input: BlamelintError passes through) goes to
    on_failure(exc) instead, whose value is returned, so one file never sinks a batch. Under
    `debug()` it is raised."""
    try:
        return make()
    except BlamelintError:
        raise
    except Exception as exc:
        if debug():
            raise
        return on_failure(exc)
