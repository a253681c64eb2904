"""A Streamlit session without a browser: the websocket protocol of the installed ``streamlit``.

The browser's part of the conversation, as far as a load test needs it: connect to
``/_stcore/stream`` (subprotocol ``streamlit``), send a ``BackMsg.rerun_script`` carrying the
``ClientState`` (query string, page, every widget's value), read ``ForwardMsg``\\s until the run's
``script_finished``. Like the browser, the session keeps the value of every widget the last run
drew, so a change to one widget is sent together with the others' values; widgets are found by
the key the app gave them (Streamlit puts the key at the end of the widget id).

Only the widgets a load test drives are modelled: radio and selectbox (``string_value``),
select_slider (``string_array_value``, a ``Slider`` with ``options``). Exceptions drawn by a run
are kept (``Run.exceptions``); the caller decides they are errors.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ClientState_pb2 import ClientState
from streamlit.proto.Element_pb2 import Element
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState, WidgetStates
from streamlit.runtime.state.common import user_key_from_element_id

STREAM_PATH = "/_stcore/stream"
#: ``script_finished`` values that end a run (an early finish is followed by another run).
RUN_ENDS = frozenset({ForwardMsg.FINISHED_SUCCESSFULLY, ForwardMsg.FINISHED_WITH_COMPILE_ERROR})
LOOPBACK = frozenset({"127.0.0.1", "localhost", "::1"})


@dataclass(frozen=True)
class Widget:
    """A widget the last run drew: its id, its kind, its options and the value it holds."""

    id: str
    kind: str  # "radio", "selectbox" or "slider"
    options: tuple[str, ...]
    value: tuple[str, ...]  # one formatted option (a slider's list has one per thumb)

    @property
    def key(self) -> str | None:
        """The key the app gave the widget (``None`` when it has none)."""
        return user_key_from_element_id(self.id)


@dataclass
class Run:
    """What one rerun took and drew."""

    seconds: float = 0.0
    status: str = ""
    exceptions: list[str] = field(default_factory=list)
    widgets: dict[str, Widget] = field(default_factory=dict)  # by widget id
    elements: int = 0


def stream_url(url: str) -> str:
    """The websocket address of the server at ``url``; refuses anything but loopback.

    >>> stream_url("http://127.0.0.1:8501")
    'ws://127.0.0.1:8501/_stcore/stream'
    """
    parts = urlsplit(url)
    if parts.scheme != "http" or parts.hostname not in LOOPBACK:
        msg = f"The load test talks to a server on this machine only (http://127.0.0.1:…), not {url!r}."
        raise ValueError(msg)
    return f"ws://{parts.netloc}{STREAM_PATH}"


def widget_from_element(element: Element, known: dict[str, Widget] | None = None) -> Widget | None:
    """The widget an element draws, with its value; ``None`` for other elements.

    As in the browser, the value is the one the server sets (``set_value``, e.g. from session
    state), else the value the client already holds for this widget id (``known``), else the
    widget's default.
    """
    kind = element.WhichOneof("type")
    if kind in ("radio", "selectbox"):
        proto = getattr(element, kind)
        options = tuple(proto.options)
        set_value = (proto.raw_value,) if proto.set_value else None
        default = (options[proto.default],) if proto.HasField("default") and options else ()
    elif kind == "slider" and element.slider.options:  # a select_slider
        proto = element.slider
        options = tuple(proto.options)
        set_value = tuple(proto.raw_value) if proto.set_value else None
        default = tuple(options[int(i)] for i in proto.default)
    else:
        return None
    held = (known or {}).get(proto.id)
    if set_value is not None:
        value = set_value
    elif held is not None and all(v in options for v in held.value):
        value = held.value
    else:
        value = default
    return Widget(proto.id, "slider" if kind == "slider" else kind, options, value)


def widget_state(widget: Widget) -> WidgetState:
    """The ``WidgetState`` the browser sends for ``widget``'s value."""
    state = WidgetState(id=widget.id)
    if widget.kind == "slider":
        state.string_array_value.data.extend(widget.value)
    elif widget.value:
        state.string_value = widget.value[0]
    return state


def rerun_message(
    widgets: dict[str, Widget], *, query_string: str = "", page_script_hash: str = ""
) -> BackMsg:
    """The ``rerun_script`` message for the widgets' values, the URL's query and the page."""
    states = WidgetStates(widgets=[widget_state(w) for w in widgets.values() if w.value])
    client_state = ClientState(
        query_string=query_string, page_script_hash=page_script_hash, widget_states=states
    )
    return BackMsg(rerun_script=client_state)


def find_widget(widgets: dict[str, Widget], key: str) -> Widget:
    """The widget the app keyed ``key``; ``KeyError`` (with the keys drawn) when absent."""
    for widget in widgets.values():
        if widget.key == key:
            return widget
    msg = f"no widget with key {key!r} in this run (keys: {sorted(filter(None, (w.key for w in widgets.values())))})"
    raise KeyError(msg)


class Session:
    """One browser tab's worth of Streamlit session, over one websocket.

    Parameters
    ----------
    url
        The server, ``http://127.0.0.1:PORT`` (loopback only).
    timeout_s
        Longest wait for one run to finish; past it, ``TimeoutError``.
    """

    def __init__(self, url: str, *, timeout_s: float = 120.0) -> None:
        self._url = stream_url(url)
        self._timeout_s = timeout_s
        self._socket: websockets.ClientConnection | None = None
        self.widgets: dict[str, Widget] = {}
        self.pages: dict[str, str] = {}  # url path -> page script hash
        self.page_script_hash = ""
        self.query_string = ""

    async def __aenter__(self) -> Session:
        self._socket = await websockets.connect(
            self._url, subprotocols=["streamlit"], max_size=None, open_timeout=self._timeout_s
        )
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self._socket is not None:
            await self._socket.close()

    async def open(self, query_string: str = "") -> Run:
        """The first run, as a browser opening ``/?query_string``."""
        self.query_string = query_string
        return await self._rerun({})

    async def choose(self, key: str, option: str) -> Run:
        """Set the widget keyed ``key`` to ``option`` (a formatted option) and rerun."""
        widget = find_widget(self.widgets, key)
        if option not in widget.options:
            msg = f"{option!r} is not an option of {key!r}"
            raise ValueError(msg)
        chosen = Widget(widget.id, widget.kind, widget.options, (option,))
        return await self._rerun({**self.widgets, widget.id: chosen})

    async def switch_page(self, url_path: str) -> Run:
        """Open the page at ``url_path`` from the navigation, as a click in the sidebar does."""
        return await self._rerun(self.widgets, self.pages[url_path])

    async def _rerun(self, widgets: dict[str, Widget], page_script_hash: str | None = None) -> Run:
        """Send the widgets' values (``widgets`` is then what this client holds) and wait."""
        if self._socket is None:
            msg = "use the session in `async with`"
            raise RuntimeError(msg)
        page = self.page_script_hash if page_script_hash is None else page_script_hash
        message = rerun_message(widgets, query_string=self.query_string, page_script_hash=page)
        run = Run()
        started = time.perf_counter()
        await self._socket.send(message.SerializeToString())
        async with asyncio.timeout(self._timeout_s):
            while not run.status:
                self.read_message(ForwardMsg.FromString(await self._socket.recv()), run, widgets)
        run.seconds = time.perf_counter() - started
        self.widgets = run.widgets
        return run

    def read_message(self, msg: ForwardMsg, run: Run, known: dict[str, Widget]) -> None:
        """Fold one ``ForwardMsg`` into ``run`` (and the session's pages, page and URL).

        ``known`` holds the widget values sent with the rerun (see ``widget_from_element``).
        """
        kind = msg.WhichOneof("type")
        if kind == "new_session":
            self.page_script_hash = msg.new_session.page_script_hash
            run.widgets.clear()  # a new run (after st.rerun or st.switch_page) redraws all
            run.exceptions.clear()
        elif kind == "navigation":
            self.pages = {p.url_pathname: p.page_script_hash for p in msg.navigation.app_pages}
            self.page_script_hash = msg.navigation.page_script_hash or self.page_script_hash
        elif kind == "page_info_changed":
            self.query_string = msg.page_info_changed.query_string
        elif kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
            element = msg.delta.new_element
            run.elements += 1
            if element.WhichOneof("type") == "exception":
                run.exceptions.append(f"{element.exception.type}: {element.exception.message}")
            widget = widget_from_element(element, known)
            if widget is not None:
                run.widgets[widget.id] = widget
        elif kind == "script_finished" and msg.script_finished in RUN_ENDS:
            run.status = ForwardMsg.ScriptFinishedStatus.Name(msg.script_finished)
