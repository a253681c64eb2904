"""Exceptions raised by :mod:`geo`.

Every error a user can cause is one of these, with a message that is one readable sentence.
They subclass built-ins so callers may catch either.
"""

from __future__ import annotations


class PantauZonaError(Exception):
    """Base class for every error PantauZona raises on purpose."""


class InputFileError(PantauZonaError, ValueError):
    """An input file is refused as a whole (wrong format, missing column)."""


class ConfigError(PantauZonaError, ValueError):
    """The risk configuration is invalid."""


class BuildError(PantauZonaError, RuntimeError):
    """A build cannot be written or read."""


class RegionError(PantauZonaError, KeyError):
    """A region code or name that does not exist."""

    def __str__(self) -> str:  # KeyError would quote the message
        return str(self.args[0]) if self.args else ""
