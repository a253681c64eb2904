"""Officials' accounts: a local credentials file, argon2 password hashes and signed sessions.

The file is ``$PANTAUZONA_USERS`` (default ``instance/users.json`` in the repository, which git
ignores). It is JSON, rewritten atomically with permissions 0600, and holds the accounts (name,
region, created time, argon2id hash) and a random secret made with the first account. No account
ships: ``python -m geo users add NAME --region CODE`` creates the first.

An account is scoped to a province or kabupaten/kota code of the shipped reference regions, or to
the whole country, spelled :data:`WHOLE_COUNTRY` (``ID``) on the command line and ``None`` here.

A session token is ``v1.<payload>.<signature>``: the payload (base64url JSON) carries the account
name, the issue time and a fingerprint of the password hash; the signature is HMAC-SHA256 with the
file's secret. :func:`verify_session` refuses a token with a :class:`Refusal` reason.
"""

from __future__ import annotations

import base64
import binascii
import functools
import hashlib
import hmac
import json
import os
import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from geo import reference
from geo.errors import AccountError, SessionError, SignInError

USERS_ENV = "PANTAUZONA_USERS"
DEFAULT_USERS = Path(__file__).resolve().parent.parent / "instance" / "users.json"
TTL_ENV = "PANTAUZONA_SESSION_HOURS"
DEFAULT_TTL = timedelta(hours=8)
MIN_PASSWORD = 12
MAX_PASSWORD = 1024
WHOLE_COUNTRY = "ID"
SCOPE_LEVELS = ("province", "regency")
FORMAT = "pantauzona-users"
TOKEN_VERSION = "v1"
WRONG_LOGIN = "Unknown name or wrong password."
LEVEL_WORDS = {"district": "a kecamatan", "village": "a kelurahan/desa"}
_NAME = re.compile(r"[a-z0-9][a-z0-9._@-]{0,63}")

HASHER = PasswordHasher()  # argon2id with argon2-cffi's defaults (RFC 9106 low-memory profile)


class Refusal(StrEnum):
    """Why a session token was refused (for logs; the dashboard words it for the user)."""

    MALFORMED = "malformed"
    TAMPERED = "tampered"
    EXPIRED = "expired"
    ACCOUNT_REMOVED = "account_removed"
    PASSWORD_CHANGED = "password_changed"


@dataclass(frozen=True)
class Account:
    """An official: ``region`` ``None`` is the whole country."""

    name: str
    region: str | None
    created: datetime


def users_path() -> Path:
    """The credentials file (``$PANTAUZONA_USERS``, default ``instance/users.json``)."""
    env = os.environ.get(USERS_ENV)
    return Path(env) if env else DEFAULT_USERS


def session_ttl() -> timedelta:
    """How long a session lasts (``$PANTAUZONA_SESSION_HOURS``, default 8 hours)."""
    text = os.environ.get(TTL_ENV, "").strip()
    if not text:
        return DEFAULT_TTL
    try:
        hours = float(text)
    except ValueError:
        hours = -1.0
    if not 0 < hours <= 24 * 30:
        msg = f"{TTL_ENV} must be a number of hours between 0 and 720, not {text!r}."
        raise AccountError(msg)
    return timedelta(hours=hours)


# --- Checking what users type -------------------------------------------------------------------


def check_name(name: str) -> str:
    """The account name, lower-cased; ``AccountError`` unless it is 1-64 plain characters."""
    normal = name.strip().lower()
    if not _NAME.fullmatch(normal):
        msg = (
            f"The account name {name!r} is not allowed: use 1 to 64 letters, digits, '.', '_', "
            "'@' or '-', starting with a letter or digit."
        )
        raise AccountError(msg)
    return normal


def check_region(code: str) -> str | None:
    """The scope of ``code``: a province or kabupaten/kota code, or ``None`` for ``ID``."""
    code = code.strip()
    if code == WHOLE_COUNTRY:
        return None
    regions = reference.regions()
    if code not in regions.index:
        msg = (
            f"The region code {code!r} is not in the shipped reference regions; give a province "
            f"or kabupaten/kota code (e.g. 32 or 32.73), or {WHOLE_COUNTRY} for the whole country."
        )
        raise AccountError(msg)
    level = regions.at[code, "level"]
    if level not in SCOPE_LEVELS:
        msg = (
            f"The region code {code!r} is {LEVEL_WORDS.get(level, level)}; an account is scoped "
            f"to a province, a kabupaten/kota or the whole country ({WHOLE_COUNTRY})."
        )
        raise AccountError(msg)
    return code


def check_password(password: str) -> str:
    """``password`` if it is long enough (and not absurdly long), else ``AccountError``."""
    if len(password) < MIN_PASSWORD:
        msg = f"The password is too short: use at least {MIN_PASSWORD} characters."
        raise AccountError(msg)
    if len(password) > MAX_PASSWORD:
        msg = f"The password is too long: use at most {MAX_PASSWORD} characters."
        raise AccountError(msg)
    return password


# --- The credentials file -----------------------------------------------------------------------


def _load(path: Path) -> dict:
    """The file's content, or an empty store when it does not exist."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {"format": FORMAT, "version": 1, "secret": None, "accounts": {}}
    except OSError as exc:
        msg = f"The credentials file {path} cannot be read: {exc.strerror}."
        raise AccountError(msg) from None
    try:
        store = json.loads(text)
        ok = store["format"] == FORMAT and isinstance(store["accounts"], dict)
    except (ValueError, KeyError, TypeError):
        ok = False
    if not ok:
        msg = f"The credentials file {path} is damaged; restore it from a backup or recreate it."
        raise AccountError(msg)
    return store


def _save(path: Path, store: dict) -> None:
    """Write ``store`` to ``path`` atomically, readable by its owner only (0600)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp{os.getpid()}")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            os.fchmod(f.fileno(), 0o600)
            json.dump(store, f, indent=2, sort_keys=True)
            f.write("\n")
            f.flush()
            os.fsync(f.fileno())
        tmp.replace(path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _account(name: str, entry: dict) -> Account:
    return Account(name, entry["region"], datetime.fromisoformat(entry["created"]))


def _now(now: datetime | None) -> datetime:
    return (now or datetime.now(UTC)).astimezone(UTC).replace(microsecond=0)


# --- Managing accounts --------------------------------------------------------------------------


def add_account(
    name: str,
    password: str,
    region: str,
    *,
    path: Path | None = None,
    now: datetime | None = None,
) -> Account:
    """Create an account; the first one also creates the file and its secret.

    Parameters
    ----------
    name
        1-64 letters, digits, ``. _ @ -``; stored lower-cased.
    password
        At least :data:`MIN_PASSWORD` characters; only its argon2id hash is kept.
    region
        A province or kabupaten/kota code of the reference regions, or ``ID`` (whole country).
    path
        The credentials file (default :func:`users_path`).
    now
        The creation time (default: now).
    """
    path = path or users_path()
    name, scope = check_name(name), check_region(region)
    check_password(password)
    store = _load(path)
    if name in store["accounts"]:
        msg = f"An account named {name!r} already exists; remove it first or change its password."
        raise AccountError(msg)
    store["secret"] = store["secret"] or secrets.token_hex(32)
    created = _now(now)
    store["accounts"][name] = {
        "region": scope,
        "created": created.isoformat(),
        "hash": HASHER.hash(password),
    }
    _save(path, store)
    return Account(name, scope, created)


def set_password(name: str, password: str, *, path: Path | None = None) -> Account:
    """Give ``name`` a new password; its open sessions are refused from then on."""
    path = path or users_path()
    check_password(password)
    store = _load(path)
    entry = store["accounts"].get(check_name(name))
    if entry is None:
        raise AccountError(_no_account(name))
    entry["hash"] = HASHER.hash(password)
    _save(path, store)
    return _account(check_name(name), entry)


def remove_account(name: str, *, path: Path | None = None) -> Account:
    """Delete the account ``name``; its open sessions are refused from then on."""
    path = path or users_path()
    store = _load(path)
    entry = store["accounts"].pop(check_name(name), None)
    if entry is None:
        raise AccountError(_no_account(name))
    _save(path, store)
    return _account(check_name(name), entry)


def list_accounts(*, path: Path | None = None) -> list[Account]:
    """Every account, by name."""
    accounts = _load(path or users_path())["accounts"]
    return [_account(name, accounts[name]) for name in sorted(accounts)]


def _no_account(name: str) -> str:
    return f"There is no account named {name.strip().lower()!r}."


# --- Signing in and sessions --------------------------------------------------------------------


@functools.cache
def _dummy_hash(hasher: PasswordHasher) -> str:
    """A hash with ``hasher``'s parameters, verified when the name is unknown (same work)."""
    return hasher.hash(secrets.token_hex(16))


def authenticate(name: str, password: str, *, path: Path | None = None) -> Account:
    """The account whose name and password these are; else ``SignInError`` (:data:`WRONG_LOGIN`).

    An unknown name and a wrong password get the same refusal after the same work: a name that
    does not exist is checked against a dummy hash.
    """
    store = _load(path or users_path())
    dummy = _dummy_hash(HASHER)  # made before the lookup, so the first unknown name costs no more
    normal = name.strip().lower()
    entry = store["accounts"].get(normal)
    stored = entry["hash"] if entry else dummy
    try:
        HASHER.verify(stored, password)
    except (VerificationError, InvalidHashError):
        raise SignInError(WRONG_LOGIN) from None
    if entry is None:  # a random dummy password cannot match, but never sign in as nobody
        raise SignInError(WRONG_LOGIN)
    return _account(normal, entry)


def _fingerprint(secret: str, password_hash: str) -> str:
    return hmac.new(bytes.fromhex(secret), password_hash.encode(), hashlib.sha256).hexdigest()[:32]


def _sign(secret: str, message: str) -> str:
    mac = hmac.new(bytes.fromhex(secret), message.encode("ascii"), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(mac).decode("ascii").rstrip("=")


def issue_session(name: str, *, path: Path | None = None, now: datetime | None = None) -> str:
    """A signed session token for the account ``name`` (after :func:`authenticate`)."""
    store = _load(path or users_path())
    entry = store["accounts"].get(check_name(name))
    if entry is None:
        raise AccountError(_no_account(name))
    claims = {
        "name": check_name(name),
        "iat": int(_now(now).timestamp()),
        "fp": _fingerprint(store["secret"], entry["hash"]),
    }
    payload = base64.urlsafe_b64encode(json.dumps(claims).encode()).decode("ascii").rstrip("=")
    message = f"{TOKEN_VERSION}.{payload}"
    return f"{message}.{_sign(store['secret'], message)}"


def _claims(token: str, secret: str | None) -> dict:
    """The token's verified claims; ``SessionError`` when malformed or not signed by us."""
    parts = token.split(".") if isinstance(token, str) else []
    if len(parts) != 3 or parts[0] != TOKEN_VERSION:
        raise SessionError(Refusal.MALFORMED)
    message = f"{parts[0]}.{parts[1]}"
    if secret is None or not hmac.compare_digest(_sign(secret, message), parts[2]):
        raise SessionError(Refusal.TAMPERED)
    try:
        claims = json.loads(base64.urlsafe_b64decode(parts[1] + "=" * (-len(parts[1]) % 4)))
        ok = {"name", "iat", "fp"} <= claims.keys() and isinstance(claims["iat"], int)
        ok = ok and isinstance(claims["name"], str) and isinstance(claims["fp"], str)
    except (ValueError, binascii.Error, AttributeError):
        ok = False
    if not ok:
        raise SessionError(Refusal.MALFORMED)
    return claims


def verify_session(
    token: str,
    *,
    path: Path | None = None,
    now: datetime | None = None,
    ttl: timedelta | None = None,
) -> Account:
    """The account of a valid session token; ``SessionError`` with its :class:`Refusal` else.

    Parameters
    ----------
    token
        A token of :func:`issue_session`.
    path
        The credentials file (default :func:`users_path`).
    now
        The time to check the expiry against (default: now).
    ttl
        How long a token lasts (default :func:`session_ttl`).
    """
    store = _load(path or users_path())
    claims = _claims(token, store["secret"])
    issued = datetime.fromtimestamp(claims["iat"], UTC)
    if _now(now) - issued >= (ttl or session_ttl()):
        raise SessionError(Refusal.EXPIRED)
    entry = store["accounts"].get(claims["name"])
    if entry is None:
        raise SessionError(Refusal.ACCOUNT_REMOVED)
    if not hmac.compare_digest(claims["fp"], _fingerprint(store["secret"], entry["hash"])):
        raise SessionError(Refusal.PASSWORD_CHANGED)
    return _account(claims["name"], entry)
