"""What the commands share: exit codes, the `--debug` option, and the one-line error exit."""

from __future__ import annotations

import datetime as dt
import os
import sys
from typing import NoReturn

import click

from blamelint.limits import MAX_BYTES  # noqa: F401 - the commands' --max-size default

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


def fail(message: str, code: int = EXIT_ERROR) -> NoReturn:
    click.echo(f"error: {message}", err=True)
    sys.exit(code)


def _set_debug(ctx, param, value):
    if value:
        os.environ["BLAMELINT_DEBUG"] = "1"  # read where files are linted, in worker processes too
    return value


DEBUG_OPTION = click.option(
    "--debug", is_flag=True, expose_value=False, is_eager=True, callback=_set_debug,
    help="Let an internal error stop the run with its traceback (also BLAMELINT_DEBUG=1).")


def parse_today(value: str) -> dt.date:
    """The `--today` date, or exit 2 saying what was expected."""
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        fail(f"--today: expected a date like 2024-01-31, got {value!r}")


def worker_count(jobs: int) -> int:
    """The `-j/--jobs` value as a number of processes (0: one per core), or exit 2."""
    if jobs < 0:
        fail(f"-j/--jobs: expected 0 (one per core) or a positive number, got {jobs}")
    return jobs or os.cpu_count() or 1
