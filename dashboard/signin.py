"""Officials' sign-in in the sidebar: a form when signed out, a badge and "sign out" when in.

The frame calls :func:`sidebar` on every run, before the navigation: it asks ``session.viewer()``,
which verifies the session token (and signs out a refused one), so the rest of the run sees the
right viewer. A session that fails :data:`MAX_FAILURES` sign-ins in a row is refused for
:data:`LOCKOUT_SECONDS` without its password being checked; so is an account name, from any
session of this server (a reload or a new tab does not reset that count): :data:`ACCOUNTS`, a
:class:`geo.lockout.Lockout`, reserves each attempt before the password is verified, so requests
sent at once cannot verify more than :data:`MAX_FAILURES` passwords per lockout window. At most
:data:`PARALLEL_CHECKS` passwords are hashed at once, and a password longer than any account may
have is refused without hashing it.
"""

from __future__ import annotations

import math
import threading
import time

import streamlit as st

from dashboard import data, session
from dashboard.i18n import escape_markdown, t
from geo.accounts import MAX_PASSWORD
from geo.accounts import WRONG_LOGIN as WRONG
from geo.errors import AccountError, LockedOutError, SignInError
from geo.lockout import LOCKOUT_SECONDS, MAX_FAILURES, Lockout

NAME_KEY = "signin_name"
PASSWORD_KEY = "signin_password"
SUBMIT_KEY = "signin_submit"
SIGN_OUT_KEY = "signin_sign_out"
_FAILURES = "_signin_failures"
_LOCKED_UNTIL = "_signin_locked_until"
_ERROR = "_signin_error"
PARALLEL_CHECKS = 2
#: The clock of the lockout (tests replace it).
clock = time.monotonic
#: Attempts in a row per account name, for the whole server, reserved before each check.
ACCOUNTS = Lockout(max_failures=MAX_FAILURES, seconds=LOCKOUT_SECONDS, clock=lambda: clock())
_checks = threading.BoundedSemaphore(PARALLEL_CHECKS)


def sidebar(lang: str) -> session.Viewer:
    """Draw the sign-in form or the signed-in badge; return the viewer of this run."""
    who = session.viewer()
    if who.official:
        _badge(who, lang)
        return who
    refusal = session.session_refusal()
    error = st.session_state.pop(_ERROR, None)
    with st.sidebar.expander(t("signin.title", lang), expanded=bool(refusal or error)):
        if refusal is not None:
            st.warning(t(f"signin.refused.{refusal}", lang), icon=":material/lock_clock:")
        if error is not None:
            key, fmt = error
            st.error(t(key, lang, **fmt), icon=":material/error:")
        _form(lang)
    return who


def _badge(who: session.Viewer, lang: str) -> None:
    name = escape_markdown(who.name)
    region = escape_markdown(data.scope_label(who.region))
    st.sidebar.info(t("signin.badge", lang, name=name, region=region), icon=":material/badge:")
    st.sidebar.caption(t("audience.official", lang))
    st.sidebar.button(
        t("signin.sign_out", lang),
        key=SIGN_OUT_KEY,
        on_click=session.sign_out,
        icon=":material/logout:",
    )


def _form(lang: str) -> None:
    with st.form("signin", border=False):
        st.caption(t("signin.help", lang))
        st.text_input(t("signin.name", lang), key=NAME_KEY, autocomplete="username")
        st.text_input(
            t("signin.password", lang),
            key=PASSWORD_KEY,
            type="password",
            autocomplete="current-password",
        )
        st.form_submit_button(t("signin.submit", lang), key=SUBMIT_KEY, on_click=_submit)


def _submit() -> None:
    """The form's callback: sign in, or keep the one-sentence reason for the next draw."""
    state = st.session_state
    name, password = state.get(NAME_KEY, ""), state.get(PASSWORD_KEY, "")
    state[PASSWORD_KEY] = ""
    now = clock()
    account = name.strip().lower()
    if now < state.get(_LOCKED_UNTIL, 0.0):
        state[_ERROR] = ("signin.throttled", {"seconds": math.ceil(state[_LOCKED_UNTIL] - now)})
        return
    try:
        ACCOUNTS.attempt(account, lambda: _check(name, password))
    except LockedOutError as locked:
        state[_ERROR] = ("signin.throttled", {"seconds": locked.seconds})
    except SignInError:
        failures = state.get(_FAILURES, 0) + 1
        state[_FAILURES] = failures % MAX_FAILURES
        state[_ERROR] = ("signin.wrong", {})
        if failures >= MAX_FAILURES:
            state[_LOCKED_UNTIL] = now + LOCKOUT_SECONDS
        seconds = max(ACCOUNTS.locked_for(account), math.ceil(state.get(_LOCKED_UNTIL, 0) - now))
        if seconds > 0:
            state[_ERROR] = ("signin.throttled", {"seconds": seconds})
    except AccountError:
        state[_ERROR] = ("signin.refused.unavailable", {})
    else:
        state[_FAILURES] = 0
        state[NAME_KEY] = ""


def _check(name: str, password: str) -> None:
    """Verify the password and sign the session in (called with an attempt reserved)."""
    if len(password) > MAX_PASSWORD:  # no account has one: refuse before hashing it
        raise SignInError(WRONG)
    with _checks:
        session.sign_in(name, password)
