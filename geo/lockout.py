"""Sign-in lockout that holds under concurrency: an attempt is counted before its password is checked.

A :class:`Lockout` counts, per key (an account name), the sign-in attempts in a row that did not
succeed. :meth:`Lockout.attempt` reserves an attempt under a lock *before* the password is
verified: the :data:`MAX_FAILURES`-th reservation starts a lockout of :data:`LOCKOUT_SECONDS`, and
any attempt while it lasts is refused with :class:`~geo.errors.LockedOutError` without a password
being checked. So however many requests arrive at once (tabs, scripts), at most
:data:`MAX_FAILURES` passwords are verified per key and lockout window. A success clears the
count; an attempt that failed for another reason than the password (the credentials file could
not be read) gives its reservation back.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from geo.errors import LockedOutError, SignInError

MAX_FAILURES = 5
LOCKOUT_SECONDS = 30.0
T = TypeVar("T")


@dataclass
class _Count:
    attempts: int = 0
    locked_until: float = 0.0


class Lockout:
    """Attempts in a row per key, reserved atomically (see the module docstring).

    Parameters
    ----------
    max_failures
        Attempts in a row that start a lockout.
    seconds
        How long a lockout lasts.
    clock
        Seconds, monotonic (tests pass their own).
    """

    def __init__(
        self,
        *,
        max_failures: int = MAX_FAILURES,
        seconds: float = LOCKOUT_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.max_failures, self.seconds, self.clock = max_failures, seconds, clock
        self._counts: dict[str, _Count] = {}
        self._lock = threading.Lock()

    def _reserve(self, key: str) -> None:
        now = self.clock()
        with self._lock:
            count = self._counts.setdefault(key, _Count())
            if now < count.locked_until:
                raise LockedOutError(math.ceil(count.locked_until - now))
            if count.attempts >= self.max_failures:  # a lockout that has ended: a new series
                count.attempts, count.locked_until = 0, 0.0
            count.attempts += 1
            if count.attempts >= self.max_failures:
                count.locked_until = now + self.seconds

    def _release(self, key: str) -> None:
        with self._lock:
            count = self._counts.get(key)
            if count is not None and count.attempts > 0:
                if count.attempts >= self.max_failures:
                    count.locked_until = 0.0
                count.attempts -= 1

    def attempt(self, key: str, check: Callable[[], T]) -> T:
        """Run ``check`` (which verifies a password) unless ``key`` is locked out.

        Parameters
        ----------
        key
            What the attempts are counted for (an account name, normalised by the caller).
        check
            Verifies the password; raises :class:`~geo.errors.SignInError` when it is wrong.

        Returns
        -------
        T
            What ``check`` returns; the count of ``key`` is cleared.

        Raises
        ------
        LockedOutError
            ``key`` is locked out; ``check`` was not called.
        """
        self._reserve(key)
        try:
            result = check()
        except SignInError:
            raise  # a wrong password: the attempt stays counted
        except BaseException:
            self._release(key)  # no password was judged: give the attempt back
            raise
        with self._lock:
            self._counts.pop(key, None)
        return result

    def locked_for(self, key: str) -> int:
        """Seconds until ``key`` may try again (0 when it may now)."""
        now = self.clock()
        with self._lock:
            count = self._counts.get(key)
            return math.ceil(count.locked_until - now) if count and now < count.locked_until else 0

    def clear(self) -> None:
        """Forget every count (tests)."""
        with self._lock:
            self._counts.clear()
