"""The browserless Streamlit client of the load test: messages and widgets, without a server."""

from __future__ import annotations

import pytest
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.Element_pb2 import Element
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from benchmarks.st_client import (
    Run,
    Session,
    Widget,
    find_widget,
    rerun_message,
    stream_url,
    widget_from_element,
    widget_state,
)

PROVINCE_ID = "$$ID-0123abcd-region_0"
DAY_ID = "$$ID-4567ef01-day"
PROVINCES = ("— Semua —", "DKI Jakarta", "Jawa Barat")
DAYS = ("8 Jul 2021", "9 Jul 2021", "10 Jul 2021")


def _selectbox(*, set_value: bool = False, raw: str = "", default: int | None = 0) -> Element:
    element = Element()
    box = element.selectbox
    box.id = PROVINCE_ID
    box.options.extend(PROVINCES)
    if default is not None:
        box.default = default
    box.set_value = set_value
    if raw:
        box.raw_value = raw
    return element


def _select_slider(*, set_value: bool = False, raw: str = "") -> Element:
    element = Element()
    slider = element.slider
    slider.id = DAY_ID
    slider.options.extend(DAYS)
    slider.default.append(0)
    slider.set_value = set_value
    if raw:
        slider.raw_value.append(raw)
    return element


def test_stream_url_is_the_websocket_of_a_loopback_server() -> None:
    assert stream_url("http://127.0.0.1:8501") == "ws://127.0.0.1:8501/_stcore/stream"
    assert stream_url("http://localhost:9000/") == "ws://localhost:9000/_stcore/stream"


@pytest.mark.parametrize("url", ["http://10.0.0.5:8501", "https://127.0.0.1:8501", "ws://[::2]:1"])
def test_stream_url_refuses_other_machines(url: str) -> None:
    with pytest.raises(ValueError, match=r"talks to a server on this machine only .* not '"):
        stream_url(url)


def test_a_widget_is_found_by_the_key_at_the_end_of_its_id() -> None:
    widget = widget_from_element(_selectbox())
    assert widget == Widget(PROVINCE_ID, "selectbox", PROVINCES, ("— Semua —",))
    assert widget.key == "region_0"
    assert find_widget({widget.id: widget}, "region_0") is widget
    with pytest.raises(
        KeyError, match=r"no widget with key 'region_1' in this run \(keys: \['region_0'\]\)"
    ):
        find_widget({widget.id: widget}, "region_1")


def test_widget_value_set_by_the_server_wins() -> None:
    held = {PROVINCE_ID: Widget(PROVINCE_ID, "selectbox", PROVINCES, ("Jawa Barat",))}
    widget = widget_from_element(_selectbox(set_value=True, raw="DKI Jakarta"), held)
    assert widget.value == ("DKI Jakarta",)


def test_widget_keeps_the_value_the_client_holds_else_its_default() -> None:
    held = {PROVINCE_ID: Widget(PROVINCE_ID, "selectbox", PROVINCES, ("Jawa Barat",))}
    assert widget_from_element(_selectbox(default=0), held).value == ("Jawa Barat",)
    assert widget_from_element(_selectbox(default=2)).value == ("Jawa Barat",)
    assert widget_from_element(_selectbox(default=None)).value == ()
    gone = {PROVINCE_ID: Widget(PROVINCE_ID, "selectbox", PROVINCES, ("Bali",))}  # not an option
    assert widget_from_element(_selectbox(default=1), gone).value == ("DKI Jakarta",)


def test_select_slider_value_is_its_formatted_option() -> None:
    assert widget_from_element(_select_slider()).value == ("8 Jul 2021",)
    widget = widget_from_element(_select_slider(set_value=True, raw="10 Jul 2021"))
    assert (widget.kind, widget.key, widget.value) == ("slider", "day", ("10 Jul 2021",))


def test_elements_that_are_not_driven_widgets_are_ignored() -> None:
    markdown = Element()
    markdown.markdown.body = "PantauZona"
    numeric = Element()
    numeric.slider.id = "$$ID-89-zoom"  # a numeric slider has no options
    assert widget_from_element(markdown) is None
    assert widget_from_element(numeric) is None


def test_rerun_message_carries_query_page_and_every_value() -> None:
    province = Widget(PROVINCE_ID, "selectbox", PROVINCES, ("Jawa Barat",))
    day = Widget(DAY_ID, "slider", DAYS, ("9 Jul 2021",))
    empty = Widget("$$ID-ff-region_1", "selectbox", (), ())
    wire = rerun_message(
        {w.id: w for w in (province, day, empty)}, query_string="lang=en", page_script_hash="abc"
    ).SerializeToString()
    state = BackMsg.FromString(wire).rerun_script
    assert (state.query_string, state.page_script_hash) == ("lang=en", "abc")
    sent = {w.id: w for w in state.widget_states.widgets}
    assert set(sent) == {PROVINCE_ID, DAY_ID}  # a widget without a value sends nothing
    assert sent[PROVINCE_ID].string_value == "Jawa Barat"
    assert list(sent[DAY_ID].string_array_value.data) == ["9 Jul 2021"]
    assert widget_state(day).WhichOneof("value") == "string_array_value"


def _fold(*messages: ForwardMsg, known: dict[str, Widget] | None = None) -> tuple[Session, Run]:
    session, run = Session("http://127.0.0.1:1"), Run()
    for message in messages:
        session.read_message(message, run, known or {})
    return session, run


def _delta(element: Element) -> ForwardMsg:
    message = ForwardMsg()
    message.delta.new_element.CopyFrom(element)
    return message


def test_a_run_ends_at_its_successful_script_finished_not_at_an_early_one() -> None:
    early = ForwardMsg(script_finished=ForwardMsg.FINISHED_EARLY_FOR_RERUN)
    done = ForwardMsg(script_finished=ForwardMsg.FINISHED_SUCCESSFULLY)
    _, run = _fold(_delta(_selectbox()), early)
    assert run.status == ""
    _, run = _fold(_delta(_selectbox()), early, done)
    assert run.status == "FINISHED_SUCCESSFULLY"


def test_folding_messages_keeps_pages_url_widgets_and_exceptions() -> None:
    navigation = ForwardMsg()
    navigation.navigation.page_script_hash = "map-hash"
    for path, page_hash in (("", "map-hash"), ("trends", "trends-hash")):
        navigation.navigation.app_pages.add(url_pathname=path, page_script_hash=page_hash)
    url = ForwardMsg()
    url.page_info_changed.query_string = "lang=id&page=map"
    failure = Element()
    failure.exception.type = "KeyError"
    failure.exception.message = "'31.71'"
    session, run = _fold(navigation, url, _delta(_selectbox()), _delta(failure))
    assert session.pages == {"": "map-hash", "trends": "trends-hash"}
    assert session.page_script_hash == "map-hash"
    assert session.query_string == "lang=id&page=map"
    assert list(run.widgets) == [PROVINCE_ID]
    assert run.exceptions == ["KeyError: '31.71'"]
    assert run.elements == 2


def test_a_new_run_within_the_rerun_forgets_what_the_interrupted_one_drew() -> None:
    failure = Element()
    failure.exception.type = "ValueError"
    restart = ForwardMsg()
    restart.new_session.page_script_hash = "trends-hash"
    session, run = _fold(_delta(_selectbox()), _delta(failure), restart, _delta(_select_slider()))
    assert list(run.widgets) == [DAY_ID]
    assert run.exceptions == []
    assert session.page_script_hash == "trends-hash"
