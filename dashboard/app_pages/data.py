"""Data (officials): upload cases, check-ins or venues, read the validation report, rebuild.

Everything is done by ``geo.uploads`` through ``dashboard.data``: the page checks a file (nothing
changes), adds it to the inputs store with the rows inside the official's region, and rebuilds
with a progress display. A failed rebuild shows its sentence; the previous build keeps serving.
"""

from collections.abc import Callable

import pandas as pd
import streamlit as st
from streamlit.runtime.scriptrunner_utils.exceptions import RerunException, StopException

from dashboard import data, filters, loading, session
from dashboard.data_words import codes_text, error_text, quarantine_table
from dashboard.i18n import code_span, escape_markdown, format_date, t
from geo.errors import PantauZonaError
from geo.formats import number
from geo.uploads import Report
from geo.views import EDITIONS
from geo.vocab import LOAD_KINDS

KINDS = tuple(reversed(LOAD_KINDS))  # the tabs: cases first, what an official loads most
FLASH = "_data_flash"
CODES = ("detect", *EDITIONS)  # the edition select: detect (as `geo load` does), or declared
CODES_CHOICE = "_codes_choice"

view = filters.current_view()
lang = view.lang
st.title(t("page.data", lang))
if not session.is_official():
    st.warning(t("data.officials_only", lang))
    st.stop()


def region_words() -> str:
    scope = session.viewer().region
    if scope is None:
        return t("data.country", lang)
    return escape_markdown(f"{data.region_name(scope)} ({scope})")


def show_report(kind: str, report: Report) -> None:
    read, accepted, quarantined = st.columns(3)
    read.metric(t("data.read", lang), number(report.read, lang))
    accepted.metric(t("data.accepted", lang), number(report.accepted, lang))
    quarantined.metric(t("data.quarantined", lang), number(report.quarantined, lang))
    if report.already_loaded:
        st.info(t("data.already", lang, name=code_span(report.name)))
    elif report.accepted == 0:
        st.warning(t("data.nothing", lang))
    if report.codes:  # a cases file: the edition of its region codes, and how it was known
        st.info(codes_text(report.codes, lang), icon=":material/translate:")
    if report.quarantined:
        st.markdown(f"**{t('data.quarantine', lang)}**")
        st.dataframe(
            quarantine_table(report.quarantine, lang), hide_index=True, key=f"quarantine_{kind}"
        )
        st.download_button(
            t("data.download", lang),
            report.quarantine_csv(),
            file_name=f"quarantine-{report.name.rsplit('.', 1)[0]}.csv",
            mime="text/csv",
            key=f"download_{kind}",
            icon=":material/download:",
        )


def run_build(build: Callable[[Callable[[str, int, int], None]], dict]) -> None:
    """Run a rebuild with its progress; on success, rerun so every page reads the new build."""
    with st.status(t("data.rebuilding", lang), expanded=True) as status:
        bar = st.progress(0.0)

        interrupted: list[BaseException] = []

        def on_step(name: str, number: int, total: int) -> None:
            step = t(f"data.step.{number}", lang)
            try:
                bar.progress(
                    number / total, text=t("data.step", lang, n=number, total=total, step=step)
                )
            except (RerunException, StopException) as exc:
                # A click while rebuilding asks for a rerun, which Streamlit raises here: finish
                # the build first (else it would be thrown away), then honour the click.
                interrupted.append(exc)

        try:
            manifest = build(on_step)
        except (PantauZonaError, OSError) as exc:
            status.update(label=t("data.failed", lang), state="error")
            st.error(
                t(
                    "data.error",
                    lang,
                    error=escape_markdown(error_text(str(exc), lang), max_length=300),
                )
            )
            return
        status.update(label=t("data.done", lang), state="complete")
    start, end = (pd.Timestamp(d).date() for d in manifest["date_range"])
    st.session_state[FLASH] = t(
        "data.rebuilt", lang, start=format_date(start, lang), end=format_date(end, lang)
    )
    st.session_state.pop(filters.DAY_KEY, None)  # the date filter moves to the newest day
    st.rerun()  # every page reads the new build (and a click made meanwhile is followed)


def upload_section(kind: str) -> None:
    label = t("data.upload", lang, kind=t(f"data.kind.{kind}", lang))
    uploaded = st.file_uploader(label, type=["csv", "parquet"], key=f"upload_{kind}")
    if uploaded is None:
        return
    content = uploaded.getvalue()
    cumulative = kind == "cases" and st.checkbox(
        t("data.cumulative", lang), key="cumulative_cases", help=t("data.cumulative_help", lang)
    )
    codes = None
    if kind == "cases":
        # One widget per language: in Chromium, after a language switch, one keyed select kept
        # showing the English label of its value (tests/test_dashboard_browser.py). The choice
        # carries over.
        chosen = st.selectbox(
            t("data.codes", lang),
            CODES,
            index=CODES.index(st.session_state.get(CODES_CHOICE, "detect")),
            format_func=lambda option: t(f"data.codes.{option}", lang),
            key=f"codes_cases_{lang}",
            help=t("data.codes_help", lang),
        )
        st.session_state[CODES_CHOICE] = chosen
        codes = None if chosen == "detect" else chosen
    try:
        report = loading.check_upload(
            kind, uploaded.name, content, cumulative=cumulative, codes=codes
        )
    except PantauZonaError as exc:
        st.error(
            t(
                "data.refused",
                lang,
                error=escape_markdown(error_text(str(exc), lang), max_length=300),
            )
        )
        return
    show_report(kind, report)
    if st.button(
        t("data.add", lang),
        key=f"add_{kind}",
        type="primary",
        disabled=report.already_loaded or report.accepted == 0,
    ):
        run_build(
            lambda on_step: loading.add_and_rebuild(
                kind, uploaded.name, content, on_step, cumulative=cumulative, codes=codes
            )[1]
        )


def store_section() -> None:
    store = loading.input_store()
    loads = loading.visible_loads()
    st.subheader(t("data.store", lang))
    if not store.loads():
        st.warning(t("data.store_empty", lang, path=escape_markdown(str(store.path))))
        # Plain and wrapped: no low-contrast syntax tokens, no scroll box a keyboard cannot reach.
        st.code(loading.seed_command(), language=None, wrap_lines=True)
        return
    if loads:  # only the loads inside the viewer's region: the others are not theirs to read
        table = pd.DataFrame(loads)
        table["kind"] = [t(f"data.kind.{kind}", lang) for kind in table["kind"]]
        table["scope"] = table["scope"].fillna(t("data.country", lang))
        table["codes"] = [  # a cases load's edition of region codes (kept in 2025 codes)
            t(f"data.codes.{said['edition']}", lang) if isinstance(said, dict) else "—"
            for said in table.get("codes", pd.Series([None] * len(table)))
        ]
        columns = {
            "kind": t("data.col.kind", lang),
            "name": t("data.col.name", lang),
            "read": t("data.read", lang),
            "accepted": t("data.accepted", lang),
            "quarantined": t("data.quarantined", lang),
            "scope": t("data.col.region", lang),
            "codes": t("data.col.codes", lang),
        }
        st.dataframe(table[list(columns)].rename(columns=columns), hide_index=True)
    else:
        st.caption(t("data.none_of_yours", lang))
    if st.button(t("data.rebuild", lang), key="rebuild", icon=":material/refresh:"):
        run_build(loading.rebuild)


flash = st.session_state.pop(FLASH, None)
if flash:
    st.success(flash, icon=":material/check_circle:")
st.markdown(t("data.intro", lang, region=region_words(), max_mb=f"{loading.max_upload_mb():g}"))
for tab, kind in zip(st.tabs([t(f"data.kind.{k}", lang) for k in KINDS]), KINDS, strict=True):
    with tab:
        upload_section(kind)
store_section()
