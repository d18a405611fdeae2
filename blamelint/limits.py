"""Limits every front end applies to its input."""

MAX_BYTES = 5 * 1024 * 1024  # a larger file is not linted (`check --max-size`, the server's `maxSize`)
