"""Who is looking: the public, or the official signed in to this browser session.

An official's session is a token of :mod:`geo.accounts` in ``st.session_state``, verified on
every call (a URL cannot change it). An official sees their region as ``official`` and the rest
as ``public`` (:func:`audience_for`); :func:`cache_key` gives the audience and the viewer's
scope that every audience-dependent cached view of :mod:`dashboard.data` is keyed by.
"""

from __future__ import annotations

import logging
from typing import NamedTuple

import streamlit as st

from geo import accounts
from geo.errors import AccountError, SessionError
from geo.views import OFFICIAL, PUBLIC, within

#: ``st.session_state`` keys: the signed-in official's session token, and why one was refused.
SESSION_KEY = "_pz_session"
REFUSED_KEY = "_pz_session_refused"
#: The refusal reason when the credentials file cannot be read (see :class:`geo.accounts.Refusal`).
UNAVAILABLE = "unavailable"

logger = logging.getLogger(__name__)


class Viewer(NamedTuple):
    """Who is looking: the public, or an official scoped to a region (``None``: Indonesia)."""

    name: str = ""
    region: str | None = None
    official: bool = False


def viewer() -> Viewer:
    """The current viewer: the official whose session token verifies, else the public.

    A refused token is removed from the session (the user is signed out) and its reason kept
    under ``REFUSED_KEY`` for the sidebar to explain.
    """
    token = st.session_state.get(SESSION_KEY)
    if token is None:
        return Viewer()
    try:
        account = accounts.verify_session(token)
    except (SessionError, AccountError) as exc:
        reason = exc.reason if isinstance(exc, SessionError) else UNAVAILABLE
        logger.warning("official session refused (%s): %s", reason, exc)
        del st.session_state[SESSION_KEY]
        st.session_state[REFUSED_KEY] = reason
        return Viewer()
    return Viewer(name=account.name, region=account.region, official=True)


def audience_for(region_code: str | None) -> str:
    """What the viewer may see of ``region_code`` (``None``: Indonesia): public or official."""
    return _audience(viewer(), region_code)


def _audience(who: Viewer, region_code: str | None) -> str:
    return OFFICIAL if who.official and within(region_code, who.region) else PUBLIC


def cache_key(region_code: str | None) -> tuple[str, str]:
    """``(audience, viewer scope)`` of ``region_code``: pass both to every audience-dependent
    ``@st.cache_data`` function, so no cached view is shared across roles or regions."""
    who = viewer()
    scope = "public" if not who.official else (who.region or accounts.WHOLE_COUNTRY)
    return _audience(who, region_code), scope


def is_official() -> bool:
    """Whether the viewer may see official figures anywhere (the officials' pages)."""
    return viewer().official


def sign_in(name: str, password: str) -> Viewer:
    """Sign this session in as ``name``; ``SignInError`` (one sentence) when refused.

    ``AccountError`` when the credentials file cannot be read.
    """
    account = accounts.authenticate(name, password)
    st.session_state[SESSION_KEY] = accounts.issue_session(account.name)
    st.session_state.pop(REFUSED_KEY, None)
    logger.info("official %s signed in", account.name)
    return Viewer(name=account.name, region=account.region, official=True)


def sign_out() -> None:
    """End this session's sign-in (the public view again)."""
    st.session_state.pop(SESSION_KEY, None)


def session_refusal() -> str | None:
    """Why this session was signed out since the last call (a ``Refusal`` value), once."""
    return st.session_state.pop(REFUSED_KEY, None)
