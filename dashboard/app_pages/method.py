"""Metodologi / Method: the rules of the build being shown, read from its config.json."""

import streamlit as st

from dashboard import data, filters, method_tables
from dashboard.i18n import format_date, t
from dashboard.panels import MARKDOWN_COLOURS

view = filters.current_view()
lang = view.lang
config = data.config()
manifest = data.manifest()
st.title(t("page.method", lang))
st.markdown(t("method.body", lang))
start, end = manifest["date_range"]
st.caption(
    t(
        "method.build",
        lang,
        preset=config["name"],
        start=format_date(view.day.fromisoformat(start), lang) if view.day else start,
        end=format_date(view.day.fromisoformat(end), lang) if view.day else end,
        resolutions=", ".join(str(r) for r in config["cells"]["resolutions"]),
    )
)

st.subheader(t("method.levels", lang))
for risk, colour in MARKDOWN_COLOURS.items():
    st.markdown(f":{colour}[:material/hexagon:] {t(f'risk.{risk}', lang)}")

st.subheader(t("method.criteria", lang))
st.markdown(t("method.worst", lang))
for n, criterion in enumerate(config["risk"]["criteria"], start=1):
    st.markdown(f"**{method_tables.criterion_title(n, criterion, lang)}**")
    st.table(method_tables.criterion_table(criterion, lang))

st.subheader(t("method.no_data", lang))
st.markdown(method_tables.no_data_text(config, manifest, lang))

st.subheader(t("method.privacy", lang))
st.markdown(method_tables.privacy_text(config, lang))

st.subheader(t("method.population", lang))
st.markdown(t("method.population_body", lang))
st.table(method_tables.population_sources(lang))

st.subheader(t("method.sources", lang))
st.dataframe(method_tables.data_sources(lang), hide_index=True)
st.caption(t("method.sources_more", lang, path=str(data.data_readme())))

st.subheader(t("method.backtest_heading", lang))
st.markdown(t("method.backtest_intro", lang))
st.table(method_tables.backtest_table(lang))
verdict = "method.backtest_shown" if data.outlook_shown() else "method.backtest_hidden"
st.markdown(t(verdict, lang))
