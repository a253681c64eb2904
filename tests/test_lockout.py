"""The sign-in lockout under concurrency: attempts are reserved before a password is verified.

Twelve threads submit at once for one account (a barrier releases them together, and each
verification is slowed down, so every thread would pass a check-then-count lockout before any
failure was counted). The clock is injected, never slept on.
"""

from __future__ import annotations

import threading
from collections import Counter
from pathlib import Path

import pytest
from argon2 import PasswordHasher

from geo import accounts
from geo.errors import AccountError, LockedOutError, SignInError
from geo.lockout import LOCKOUT_SECONDS, MAX_FAILURES, Lockout

PASSWORD = "correct horse battery"
THREADS = 12


class SlowCountingHasher(PasswordHasher):
    """A cheap argon2 hasher that counts verifications and makes each one take a while."""

    def __init__(self) -> None:
        super().__init__(time_cost=1, memory_cost=1024, parallelism=1)
        self.verified = 0
        self._lock = threading.Lock()

    def verify(self, hash: str | bytes, password: str | bytes) -> bool:
        with self._lock:
            self.verified += 1
        threading.Event().wait(0.05)  # long enough for every other thread to arrive meanwhile
        return super().verify(hash, password)


@pytest.fixture
def hasher(monkeypatch: pytest.MonkeyPatch) -> SlowCountingHasher:
    slow = SlowCountingHasher()
    monkeypatch.setattr(accounts, "HASHER", slow)
    return slow


@pytest.fixture
def users(tmp_path: Path, hasher: SlowCountingHasher) -> Path:
    path = tmp_path / "users.json"
    accounts.add_account("ani", PASSWORD, "32", path=path)
    return path


def _burst(lockout: Lockout, users: Path, password: str) -> Counter:
    """``THREADS`` sign-ins for ``ani`` at once; how each ended."""
    barrier = threading.Barrier(THREADS)
    outcomes: Counter = Counter()
    lock = threading.Lock()

    def one() -> None:
        barrier.wait()
        try:
            lockout.attempt("ani", lambda: accounts.authenticate("ani", password, path=users))
            outcome = "signed in"
        except LockedOutError:
            outcome = "locked out"
        except SignInError:
            outcome = "wrong"
        with lock:
            outcomes[outcome] += 1

    threads = [threading.Thread(target=one) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def test_simultaneous_attempts_verify_at_most_five_passwords_per_window(hasher, users):
    now = [100.0]
    lockout = Lockout(clock=lambda: now[0])
    hasher.verified = 0  # the account's creation hashed, but verified nothing
    assert _burst(lockout, users, "wrong password!") == {"wrong": 5, "locked out": THREADS - 5}
    assert hasher.verified == MAX_FAILURES

    # The right password after the limit is refused, unchecked, until the window ends.
    with pytest.raises(LockedOutError, match=r"try again in 30 s") as locked:
        lockout.attempt("ani", lambda: accounts.authenticate("ani", PASSWORD, path=users))
    assert locked.value.seconds == LOCKOUT_SECONDS
    now[0] += LOCKOUT_SECONDS - 0.5
    with pytest.raises(LockedOutError, match=r"try again in 1 s"):
        lockout.attempt("ani", lambda: accounts.authenticate("ani", PASSWORD, path=users))
    assert hasher.verified == MAX_FAILURES

    # The next window allows five more, not twelve.
    now[0] += 0.5
    assert _burst(lockout, users, "wrong again!!!") == {"wrong": 5, "locked out": THREADS - 5}
    assert hasher.verified == 2 * MAX_FAILURES
    now[0] += LOCKOUT_SECONDS
    account = lockout.attempt("ani", lambda: accounts.authenticate("ani", PASSWORD, path=users))
    assert account.name == "ani"


def test_a_correct_password_among_the_first_five_signs_in_and_clears_the_count(hasher, users):
    lockout = Lockout(clock=lambda: 0.0)
    for _ in range(MAX_FAILURES - 1):
        with pytest.raises(SignInError, match="Unknown name or wrong password"):
            lockout.attempt(
                "ani", lambda: accounts.authenticate("ani", "nope nope nope", path=users)
            )
    assert lockout.attempt("ani", lambda: accounts.authenticate("ani", PASSWORD, path=users))
    assert lockout.locked_for("ani") == 0
    for _ in range(MAX_FAILURES - 1):  # a new series of four is not locked
        with pytest.raises(SignInError, match="Unknown name or wrong password"):
            lockout.attempt(
                "ani", lambda: accounts.authenticate("ani", "nope nope nope", path=users)
            )
    assert lockout.locked_for("ani") == 0


def test_an_attempt_that_checked_no_password_gives_its_reservation_back():
    lockout = Lockout(max_failures=2, clock=lambda: 0.0)

    def unreadable() -> None:
        msg = "The credentials file cannot be read."
        raise AccountError(msg)

    for _ in range(3):
        with pytest.raises(AccountError, match="cannot be read"):
            lockout.attempt("ani", unreadable)
    assert lockout.locked_for("ani") == 0
    with pytest.raises(SignInError):
        lockout.attempt("ani", lambda: accounts.authenticate("ani", "x", path=Path("/nonexistent")))
    with pytest.raises(SignInError):
        lockout.attempt("ani", lambda: accounts.authenticate("ani", "x", path=Path("/nonexistent")))
    assert lockout.locked_for("ani") == LOCKOUT_SECONDS


def test_other_accounts_are_not_locked(hasher, users):
    lockout = Lockout(clock=lambda: 0.0)
    for _ in range(MAX_FAILURES):
        with pytest.raises(SignInError):
            lockout.attempt(
                "ani", lambda: accounts.authenticate("ani", "nope nope nope", path=users)
            )
    with pytest.raises(LockedOutError):
        lockout.attempt("ani", lambda: None)
    assert lockout.attempt("dewi", lambda: "checked") == "checked"
