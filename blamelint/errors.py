"""Errors the engine raises for bad input; front ends turn them into one line and exit code 2."""


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
