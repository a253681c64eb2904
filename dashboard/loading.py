"""Loading new data (officials, the Data page): the inputs store, checking a file, rebuilding.

Rows are loaded only inside the signed-in official's region (:func:`geo.uploads.InputStore.add`
with their scope); a check is cached by the store's state and the file's digest.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable

import streamlit as st

from dashboard import session
from dashboard.data import DEFAULT_BUILD, build_path
from geo import uploads
from geo.errors import AccountError
from geo.views import within

INPUTS_ENV = "PANTAUZONA_INPUTS"


def input_store() -> uploads.InputStore:
    """The inputs store the build is made from (``$PANTAUZONA_INPUTS``, default beside the
    build: ``build/sample`` → ``build/sample-inputs``)."""
    path = os.environ.get(INPUTS_ENV) or uploads.inputs_beside(build_path())
    return uploads.InputStore(path)


def max_upload_mb() -> float:
    """The largest file that may be loaded, in MB (Streamlit's ``server.maxUploadSize``)."""
    return float(st.get_option("server.maxUploadSize"))


@st.cache_data(show_spinner=False, max_entries=8)
def _check(
    inputs: str,
    state: str,
    kind: str,
    name: str,
    sha256: str,
    scope: str | None,
    cumulative: bool,
    codes: str | None,
    _data: bytes,
) -> uploads.Report:
    store = uploads.InputStore(inputs)
    return store.check(
        kind, name, _data, scope=scope, max_mb=max_upload_mb(), cumulative=cumulative, codes=codes
    )


def _loader_scope() -> str | None:
    """The signed-in official's region (``None``: Indonesia); refuses anyone else, so a session
    that ended between the page's check and a load can never load for the whole country."""
    who = session.viewer()
    if not who.official:
        msg = "Only a signed-in official can load data; sign in again."
        raise AccountError(msg)
    return who.region


def check_upload(
    kind: str, name: str, content: bytes, *, cumulative: bool = False, codes: str | None = None
) -> uploads.Report:
    """The validation report of an uploaded file for the viewer's region; changes nothing.
    ``cumulative``: a cases file of running totals (:mod:`geo.cumulative`); ``codes``: the
    edition of its region codes, ``None`` to detect it (:mod:`geo.editions`)."""
    store = input_store()
    digest = hashlib.sha256(content).hexdigest()
    scope = _loader_scope()
    return _check(
        str(store.path), store.state(), kind, name, digest, scope, cumulative, codes, content
    )


def add_and_rebuild(
    kind: str,
    name: str,
    content: bytes,
    on_step: Callable[[str, int, int], None],
    *,
    cumulative: bool = False,
    codes: str | None = None,
) -> tuple[uploads.Report, dict]:
    """Add an uploaded file to the store (rows in the viewer's region, in 2025 codes) and
    rebuild the build."""
    store = input_store()
    report = store.add(
        kind,
        name,
        content,
        scope=_loader_scope(),
        max_mb=max_upload_mb(),
        cumulative=cumulative,
        codes=codes,
    )
    return report, store.rebuild(build_path(), on_step=on_step)


def visible_loads() -> list[dict]:
    """The store's loads the viewer may see: those inside their region (all for Indonesia)."""
    scope = _loader_scope()
    return [load for load in input_store().loads() if within(load["scope"], scope)]


def rebuild(on_step: Callable[[str, int, int], None]) -> dict:
    """Rebuild the build from every file in the store."""
    return input_store().rebuild(build_path(), on_step=on_step)


def seed_command() -> str:
    """The command that fills an empty inputs store with the files of the current build."""
    files = ("FILE",) * 3
    if build_path() == DEFAULT_BUILD:  # `make sample` writes its inputs here
        files = ("build/sample-input/venues.csv", "build/sample-input/checkins.parquet")
        files += ("build/sample-input/cases.csv",)
    venues, checkins, cases = files
    return (
        f"python -m geo load --inputs {input_store().path} --venues {venues} "
        f"--checkins {checkins} --cases {cases}"
    )
