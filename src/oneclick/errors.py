"""Errors that oneclick raises on purpose.

Each one carries a message a user can act on. They derive from builtin
exceptions where that keeps ``except ValueError`` working for callers.
"""

from __future__ import annotations


class OneClickError(Exception):
    """Base class of every error oneclick raises on purpose."""


class InputDataError(OneClickError, ValueError):
    """An input table cannot be read or fails its checks.

    The message names the file, the row (1-based line in the file, header = line 1)
    and the column, says what was expected and what was found.
    """


class ConfigError(OneClickError, ValueError):
    """A setting has a value oneclick cannot use."""


class ModelArtifactError(OneClickError):
    """A saved model cannot be trusted: wrong format, failed checksum, other schema."""


class StoreError(OneClickError):
    """The store of runs cannot be used: written by a newer version, in use too long, or damaged."""
