"""The app starts with the network unreachable, and tries no outside address while it starts.

``streamlit run dashboard/app.py`` runs on the tiny build with ``tests/no_network`` on
``PYTHONPATH``: its ``sitecustomize`` makes every connection outside loopback fail with
``ENETUNREACH`` and every name lookup other than ``localhost`` fail, and logs each attempt.
Without ``browser.serverAddress`` in ``.streamlit/config.toml``, streamlit asks
checkip.amazonaws.com for the machine's external address and logs "Did not auto detect external
IP"; with it, the banner shows the one configured URL and nothing leaves the machine.
"""

from __future__ import annotations

import errno
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from benchmarks.st_server import free_port

REPO = Path(__file__).resolve().parent.parent
NO_NETWORK = Path(__file__).resolve().parent / "no_network"
HEALTHY_WITHIN_S = 30


def _offline_env(attempts: Path, **extra: str) -> dict[str, str]:
    """This process's environment with the network made unreachable for the child."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(NO_NETWORK), env.get("PYTHONPATH")]))
    env["PANTAUZONA_NETWORK_LOG"] = str(attempts)
    env.update(extra)
    return env


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
            return response.status == 200
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return False


@contextmanager
def _serve_offline(build: Path, attempts: Path, log: Path) -> Iterator[str]:
    """``streamlit run`` as ``make run`` starts it (options from the config only), offline."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = _offline_env(
        attempts, PANTAUZONA_BUILD=str(build), PANTAUZONA_DATA=str(build.parent / "data")
    )
    command = [sys.executable, "-m", "streamlit", "run", "dashboard/app.py"]
    command += ["--server.port", str(port)]
    with log.open("wb") as log_file:
        server = subprocess.Popen(
            command, cwd=REPO, env=env, stdout=log_file, stderr=subprocess.STDOUT
        )
        try:
            deadline = time.monotonic() + HEALTHY_WITHIN_S
            while not _healthy(url):
                if server.poll() is not None or time.monotonic() > deadline:
                    msg = f"streamlit did not become healthy offline:\n{log.read_text()}"
                    raise AssertionError(msg)
                time.sleep(0.25)  # polling a process that is starting
            yield url
        finally:
            server.terminate()
            try:
                server.wait(timeout=15)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()


def test_the_guard_refuses_and_records_outside_connections(tmp_path: Path) -> None:
    attempts = tmp_path / "network.log"
    probe = (
        "import socket, urllib.request\n"
        "for url in ('http://checkip.amazonaws.com', 'http://192.0.2.1'):\n"
        "    try:\n"
        "        urllib.request.urlopen(url, timeout=1)\n"
        "    except OSError as exc:\n"
        "        print(exc)\n"
        "with socket.create_server(('127.0.0.1', 0)) as server:\n"
        "    socket.create_connection(server.getsockname(), timeout=1).close()\n"
        "print('loopback ok')\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe],
        env=_offline_env(attempts),
        capture_output=True,
        text=True,
        timeout=30,
        check=True,
    )
    assert result.stdout.splitlines() == [
        f"<urlopen error [Errno {socket.EAI_NONAME}] name lookup refused (test): "
        "'checkip.amazonaws.com'>",
        f"<urlopen error [Errno {errno.ENETUNREACH}] network unreachable (test): "
        "connect ('192.0.2.1', 80)>",
        "loopback ok",
    ]
    assert attempts.read_text().splitlines() == [
        "getaddrinfo 'checkip.amazonaws.com'",
        "connect ('192.0.2.1', 80)",
    ]


@pytest.mark.slow
def test_the_app_starts_offline_without_reaching_outside(
    tiny_build_dir: Path, tmp_path: Path
) -> None:
    attempts, log = tmp_path / "network.log", tmp_path / "streamlit.log"
    with _serve_offline(tiny_build_dir, attempts, log) as url:
        port = url.rsplit(":", 1)[1]
        with urllib.request.urlopen(f"{url}/", timeout=5) as response:
            assert response.status == 200
    text = log.read_text()
    assert "external IP" not in text
    assert f"URL: http://localhost:{port}" in text  # browser.serverAddress, the one URL shown
    assert "Network URL" not in text
    assert "External URL" not in text
    assert not attempts.exists(), attempts.read_text()
