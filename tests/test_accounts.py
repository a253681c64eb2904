"""Officials' accounts: the credentials file, passwords and signed session tokens.

The clock is injected (``now=``), never slept on. A cheap argon2 hasher stands in for the default
one except where the default's parameters are the point.
"""

from __future__ import annotations

import base64
import json
import stat
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from argon2 import PasswordHasher

from geo import accounts
from geo.accounts import Account, Refusal
from geo.errors import AccountError, SessionError, SignInError

T0 = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)
PASSWORD = "correct horse battery"
FAST = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)


@pytest.fixture(autouse=True)
def fast_hasher(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(accounts, "HASHER", FAST)


@pytest.fixture
def users(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty credentials file location, named by ``$PANTAUZONA_USERS``."""
    path = tmp_path / "instance" / "users.json"
    monkeypatch.setenv(accounts.USERS_ENV, str(path))
    monkeypatch.delenv(accounts.TTL_ENV, raising=False)
    return path


@pytest.fixture
def ani(users: Path) -> Account:
    """Ani, an official of Jawa Barat (32), created at T0."""
    return accounts.add_account("Ani", PASSWORD, "32", now=T0)


# --- The file -----------------------------------------------------------------------------------


def test_no_account_ships(users: Path) -> None:
    repo = Path(__file__).resolve().parents[1]
    assert repo / "instance" / "users.json" == accounts.DEFAULT_USERS
    assert "instance/" in (repo / ".gitignore").read_text().splitlines()  # never committed
    assert accounts.list_accounts() == []
    assert not users.exists()  # listing creates nothing


def test_first_account_creates_the_file_owner_only_with_a_secret(users: Path) -> None:
    account = accounts.add_account("Ani", PASSWORD, "32", now=T0)
    assert account == Account("ani", "32", T0)
    assert stat.S_IMODE(users.stat().st_mode) == 0o600
    store = json.loads(users.read_text())
    assert len(bytes.fromhex(store["secret"])) == 32
    entry = store["accounts"]["ani"]
    assert entry["region"] == "32"
    assert entry["created"] == "2026-11-27T09:00:00+00:00"
    assert entry["hash"].startswith("$argon2id$")
    assert PASSWORD not in users.read_text()
    assert [p.name for p in users.parent.iterdir()] == ["users.json"]  # no temporary file left


def test_the_default_hasher_is_argon2id(users: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.undo()  # the real HASHER, and no $PANTAUZONA_USERS either: pass the path
    accounts.add_account("ani", PASSWORD, "32", path=users)
    stored = json.loads(users.read_text())["accounts"]["ani"]["hash"]
    assert stored.startswith("$argon2id$v=19$m=65536,t=3,p=4$")


def test_the_secret_is_kept_and_a_loose_file_is_tightened(users: Path, ani: Account) -> None:
    secret = json.loads(users.read_text())["secret"]
    users.chmod(0o644)
    accounts.add_account("budi", PASSWORD, "ID", now=T0)
    assert json.loads(users.read_text())["secret"] == secret
    assert stat.S_IMODE(users.stat().st_mode) == 0o600


def test_list_remove_and_whole_country(users: Path, ani: Account) -> None:
    later = T0 + timedelta(days=1)
    budi = accounts.add_account("budi", PASSWORD, "ID", now=later)
    assert budi == Account("budi", None, later)
    assert accounts.list_accounts() == [ani, budi]
    assert accounts.remove_account("ANI") == ani
    assert accounts.list_accounts() == [budi]


@pytest.mark.parametrize(
    ("region", "message"),
    [
        (
            "31.71.01",
            "The region code '31.71.01' is a kecamatan; an account is scoped to a province, "
            "a kabupaten/kota or the whole country (ID).",
        ),
        (
            "31.71.01.1001",
            "The region code '31.71.01.1001' is a kelurahan/desa; an account is scoped to a "
            "province, a kabupaten/kota or the whole country (ID).",
        ),
        (
            "99",
            "The region code '99' is not in the shipped reference regions; give a province or "
            "kabupaten/kota code (e.g. 32 or 32.73), or ID for the whole country.",
        ),
        (
            "all",
            "The region code 'all' is not in the shipped reference regions; give a province or "
            "kabupaten/kota code (e.g. 32 or 32.73), or ID for the whole country.",
        ),
    ],
)
def test_a_region_below_kabupaten_or_unknown_is_refused(
    users: Path, region: str, message: str
) -> None:
    with pytest.raises(AccountError) as info:
        accounts.add_account("ani", PASSWORD, region)
    assert str(info.value) == message
    assert not users.exists()


def test_a_kabupaten_is_a_scope() -> None:
    assert accounts.check_region(" 32.73 ") == "32.73"
    assert accounts.check_region("ID") is None


@pytest.mark.parametrize(
    ("name", "password", "message"),
    [
        ("ani", "x" * 11, "The password is too short: use at least 12 characters."),
        ("ani", "x" * 1025, "The password is too long: use at most 1024 characters."),
        (
            "ani budi",
            PASSWORD,
            "The account name 'ani budi' is not allowed: use 1 to 64 letters, digits, '.', '_', "
            "'@' or '-', starting with a letter or digit.",
        ),
        (
            "",
            PASSWORD,
            "The account name '' is not allowed: use 1 to 64 letters, digits, '.', '_', "
            "'@' or '-', starting with a letter or digit.",
        ),
    ],
)
def test_bad_names_and_passwords_are_one_sentence(
    users: Path, name: str, password: str, message: str
) -> None:
    with pytest.raises(AccountError) as info:
        accounts.add_account(name, password, "32")
    assert str(info.value) == message
    assert not users.exists()


def test_a_duplicate_or_missing_name_is_refused_and_nothing_changes(
    users: Path, ani: Account
) -> None:
    before = users.read_bytes()
    with pytest.raises(AccountError, match=r"^An account named 'ani' already exists; remove it"):
        accounts.add_account("ANI", PASSWORD, "31")
    with pytest.raises(AccountError, match=r"^There is no account named 'budi'\.$"):
        accounts.remove_account("budi")
    with pytest.raises(AccountError, match=r"^There is no account named 'budi'\.$"):
        accounts.set_password("budi", PASSWORD)
    assert users.read_bytes() == before


def test_a_damaged_file_is_one_sentence(users: Path) -> None:
    users.parent.mkdir(parents=True)
    users.write_text("{not json")
    with pytest.raises(AccountError) as info:
        accounts.list_accounts()
    assert str(info.value) == (
        f"The credentials file {users} is damaged; restore it from a backup or recreate it."
    )


def test_session_ttl_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(accounts.TTL_ENV, raising=False)
    assert accounts.session_ttl() == timedelta(hours=8)
    monkeypatch.setenv(accounts.TTL_ENV, "0.5")
    assert accounts.session_ttl() == timedelta(minutes=30)
    monkeypatch.setenv(accounts.TTL_ENV, "forever")
    with pytest.raises(AccountError) as info:
        accounts.session_ttl()
    assert str(info.value) == (
        "PANTAUZONA_SESSION_HOURS must be a number of hours between 0 and 720, not 'forever'."
    )


# --- Signing in ---------------------------------------------------------------------------------


def test_the_right_password_signs_in(ani: Account) -> None:
    assert accounts.authenticate(" Ani ", PASSWORD) == ani


@pytest.mark.parametrize(("name", "password"), [("ani", PASSWORD + "!"), ("nobody", PASSWORD)])
def test_wrong_password_and_unknown_name_get_the_same_refusal(
    ani: Account, name: str, password: str
) -> None:
    with pytest.raises(SignInError) as info:
        accounts.authenticate(name, password)
    assert str(info.value) == "Unknown name or wrong password."


def test_an_unknown_name_costs_the_same_argon2_work(
    ani: Account, monkeypatch: pytest.MonkeyPatch
) -> None:
    verified: list[str] = []

    class Spy(PasswordHasher):
        def verify(self, hash: str, password: str) -> bool:
            verified.append(hash)
            return super().verify(hash, password)

    monkeypatch.setattr(accounts, "HASHER", Spy(time_cost=1, memory_cost=1024, parallelism=1))
    for name in ("ani", "nobody"):
        with pytest.raises(SignInError):
            accounts.authenticate(name, "wrong password!")
    assert len(verified) == 2  # one verification each
    wrong_password, unknown_name = (h.rsplit("$", 2)[0] for h in verified)
    assert wrong_password == unknown_name == "$argon2id$v=19$m=1024,t=1,p=1"
    assert verified[0] != verified[1]  # the unknown name was checked against the dummy hash


def test_without_a_file_nobody_signs_in(users: Path) -> None:
    with pytest.raises(SignInError, match=r"^Unknown name or wrong password\.$"):
        accounts.authenticate("ani", PASSWORD)


# --- Sessions -----------------------------------------------------------------------------------


def _refusal(token: str, **kwargs: object) -> str:
    with pytest.raises(SessionError) as info:
        accounts.verify_session(token, **kwargs)
    return info.value.reason


def test_a_fresh_token_is_valid_until_the_ttl(ani: Account) -> None:
    token = accounts.issue_session("ani", now=T0)
    assert accounts.verify_session(token, now=T0) == ani
    last_second = T0 + timedelta(hours=8) - timedelta(seconds=1)
    assert accounts.verify_session(token, now=last_second) == ani
    assert _refusal(token, now=T0 + timedelta(hours=8)) == "expired"
    assert accounts.verify_session(token, now=T0 + timedelta(hours=9), ttl=timedelta(hours=10))


def test_the_ttl_comes_from_the_environment(ani: Account, monkeypatch: pytest.MonkeyPatch) -> None:
    token = accounts.issue_session("ani", now=T0)
    monkeypatch.setenv(accounts.TTL_ENV, "1")
    assert _refusal(token, now=T0 + timedelta(minutes=60)) == Refusal.EXPIRED


def test_the_token_carries_name_issue_time_and_a_hash_fingerprint(
    users: Path, ani: Account
) -> None:
    version, payload, _ = accounts.issue_session("ani", now=T0).split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    assert version == "v1"
    assert claims.keys() == {"name", "iat", "fp"}
    assert (claims["name"], claims["iat"]) == ("ani", int(T0.timestamp()))
    stored = json.loads(users.read_text())["accounts"]["ani"]["hash"]
    assert claims["fp"] not in stored
    assert len(claims["fp"]) == 32


def _forge(token: str, **changes: object) -> str:
    """``token`` with its claims changed but its old signature kept."""
    version, payload, signature = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims.update(changes)
    forged = base64.urlsafe_b64encode(json.dumps(claims).encode()).decode().rstrip("=")
    return f"{version}.{forged}.{signature}"


def test_a_tampered_token_is_refused(ani: Account) -> None:
    accounts.add_account("root", PASSWORD + "2", "ID", now=T0)
    token = accounts.issue_session("ani", now=T0)
    assert _refusal(_forge(token, name="root"), now=T0) == "tampered"
    assert _refusal(_forge(token, iat=int((T0 + timedelta(days=1)).timestamp()))) == "tampered"
    signature = token.rsplit(".", 1)[1]
    flipped = token[: -len(signature)] + ("A" if signature[0] != "A" else "B") + signature[1:]
    assert _refusal(flipped, now=T0) == "tampered"


def test_a_token_signed_with_another_secret_is_refused(
    tmp_path: Path, users: Path, ani: Account
) -> None:
    elsewhere = tmp_path / "other.json"
    accounts.add_account("ani", PASSWORD, "32", path=elsewhere, now=T0)
    token = accounts.issue_session("ani", path=elsewhere, now=T0)
    assert _refusal(token, now=T0) == "tampered"


@pytest.mark.parametrize("token", ["", "abc", "v1.x", "v2.a.b", "v1.a.b.c", None])
def test_a_malformed_token_is_refused(ani: Account, token: str | None) -> None:
    assert _refusal(token, now=T0) == "malformed"


def test_a_removed_account_is_refused(ani: Account) -> None:
    token = accounts.issue_session("ani", now=T0)
    accounts.remove_account("ani")
    assert _refusal(token, now=T0) == "account_removed"


def test_a_changed_password_is_refused(ani: Account) -> None:
    token = accounts.issue_session("ani", now=T0)
    accounts.set_password("ani", PASSWORD)  # even the same password: a new salt, a new hash
    assert _refusal(token, now=T0) == "password_changed"
    renewed = accounts.issue_session("ani", now=T0)
    assert accounts.verify_session(renewed, now=T0) == ani


def test_a_deleted_file_refuses_every_token(users: Path, ani: Account) -> None:
    token = accounts.issue_session("ani", now=T0)
    users.unlink()
    assert _refusal(token, now=T0) == "tampered"


def test_a_region_change_applies_to_open_sessions(users: Path, ani: Account) -> None:
    token = accounts.issue_session("ani", now=T0)
    store = json.loads(users.read_text())
    store["accounts"]["ani"]["region"] = "32.73"
    users.write_text(json.dumps(store))
    assert accounts.verify_session(token, now=T0).region == "32.73"
