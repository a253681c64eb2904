"""The Streamlit server a load test measures: started on loopback, read from ``/proc`` and
Streamlit's own ``/_stcore/metrics``.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
#: Environment the server must not inherit (another credentials file, a basemap from the web).
NOT_INHERITED = ("PANTAUZONA_USERS", "PANTAUZONA_TILE_URL", "PANTAUZONA_TILE_ATTRIBUTION")
PAGE_SIZE = os.sysconf("SC_PAGE_SIZE")
TICKS = os.sysconf("SC_CLK_TCK")


def free_port() -> int:
    """A free TCP port on loopback."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _tail(log: Path | None) -> str:
    return f":\n{log.read_text(errors='replace')[-4000:]}" if log else ""


def wait_healthy(
    url: str, server: subprocess.Popen, timeout_s: float = 120, log: Path | None = None
) -> None:
    """Return once ``url`` answers ``/_stcore/health``; raise ``RuntimeError`` (with the end of
    ``log`` when given) if ``server`` exits or ``timeout_s`` passes first."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if server.poll() is not None:
            msg = f"streamlit exited with status {server.returncode} before it was ready"
            raise RuntimeError(msg + _tail(log))
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.25)  # polling a process that is starting
    msg = f"streamlit did not answer /_stcore/health within {timeout_s:.0f} s"
    raise RuntimeError(msg + _tail(log))


@contextmanager
def serve(
    build: Path, options: tuple[str, ...] = (), env: dict[str, str] | None = None
) -> Iterator[tuple[str, int]]:
    """``streamlit run dashboard/app.py`` on ``build``, loopback only; yields its URL and pid.

    ``options`` are Streamlit config options as ``name=value`` (e.g. ``runner.postScriptGC=false``),
    ``env`` variables added to the server's environment.
    """
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = {k: v for k, v in os.environ.items() if k not in NOT_INHERITED} | (env or {})
    env["PANTAUZONA_BUILD"] = str(build)
    command = [sys.executable, "-m", "streamlit", "run", "dashboard/app.py"]
    command += ["--server.address", "127.0.0.1", "--server.port", str(port)]
    command += ["--server.headless", "true", "--browser.gatherUsageStats", "false"]
    command += ["--server.fileWatcherType", "none"]
    for option in options:
        name, _, value = option.partition("=")
        command += [f"--{name}", value]
    with tempfile.TemporaryFile() as log:
        server = subprocess.Popen(command, cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT)
        try:
            wait_healthy(url, server)
            yield url, server.pid
        except RuntimeError:
            log.seek(0)
            sys.stderr.write(log.read().decode(errors="replace")[-4000:])
            raise
        finally:
            server.terminate()
            try:
                server.wait(timeout=15)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()


def process_cpu_s(pid: int) -> float:
    """User + system CPU seconds of process ``pid`` so far (all its threads)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS  # utime, stime


def process_rss_mb(pid: int) -> float:
    """Resident memory of process ``pid`` in MiB."""
    return int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * PAGE_SIZE / 2**20


def cache_memory_mb(url: str) -> dict[str, float]:
    """Memory held by each of the server's caches, MiB by name (``resource`` for a resource).

    From Streamlit's own ``/_stcore/metrics`` (family ``cache_memory_bytes``): the
    ``st.cache_data``/``st.cache_resource`` functions are shared by every session.
    """
    query = f"{url}/_stcore/metrics?families=cache_memory_bytes"
    with urllib.request.urlopen(query, timeout=30) as response:
        return parse_cache_metrics(response.read().decode())


def parse_cache_metrics(text: str) -> dict[str, float]:
    """The ``cache_memory_bytes`` lines of an OpenMetrics text, in MiB by cache name."""
    totals: dict[str, float] = {}
    for line in text.splitlines():
        if not line.startswith("cache_memory_bytes{"):
            continue
        labels, value = line.rsplit(" ", 1)
        fields = dict(part.split("=", 1) for part in labels.split("{", 1)[1].rstrip("}").split(","))
        name = fields.get("cache", '""').strip('"')
        if fields.get("cache_type", "").strip('"') == "st_cache_resource":
            name = f"resource {name}"
        totals[name] = totals.get(name, 0.0) + float(value) / 2**20
    return totals
