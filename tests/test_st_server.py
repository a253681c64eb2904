"""The server a load test measures: its figures from /proc and Streamlit's metrics, its config."""

from __future__ import annotations

import os
import tomllib

from benchmarks import st_server


def test_cache_memory_is_read_from_streamlit_metrics() -> None:
    text = (
        "# TYPE cache_memory_bytes gauge\n"
        'cache_memory_bytes{cache_type="st_cache_data",cache="dashboard.data._map_layers"} 3145728\n'
        'cache_memory_bytes{cache_type="st_cache_data",cache="dashboard.data._map_layers"} 1048576\n'
        'cache_memory_bytes{cache_type="st_cache_resource",cache="dashboard.data._open"} 1\n'
        'session_events_total{type="new session"} 3\n'
    )
    assert st_server.parse_cache_metrics(text) == {
        "dashboard.data._map_layers": 4.0,
        "resource dashboard.data._open": 1 / 2**20,
    }


def test_process_figures_come_from_proc() -> None:
    assert st_server.process_rss_mb(os.getpid()) > 10  # this interpreter with pytest loaded
    assert st_server.process_cpu_s(os.getpid()) > 0


def test_the_server_does_not_collect_garbage_after_every_run() -> None:
    """The load benchmark's finding, kept: Streamlit's forced GC stalls every session."""
    config = tomllib.loads((st_server.REPO / ".streamlit" / "config.toml").read_text())
    assert config["runner"]["postScriptGC"] is False
