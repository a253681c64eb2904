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


class AccountError(PantauZonaError, ValueError):
    """An account cannot be created, changed or found, or the credentials file is unusable."""


class SignInError(PantauZonaError, PermissionError):
    """A name and password that do not sign in (the same refusal for either being wrong)."""


class LockedOutError(SignInError):
    """Too many sign-ins in a row failed: refused for ``seconds`` without checking a password."""

    def __init__(self, seconds: int) -> None:
        self.seconds = seconds
        super().__init__(f"Too many failed sign-ins; try again in {seconds} s.")


class SessionError(PantauZonaError, PermissionError):
    """A session token that is not (or no longer) valid; ``reason`` says why, for logs."""

    def __init__(self, reason: str) -> None:
        super().__init__(f"Session refused: {reason}.")
        self.reason = reason
