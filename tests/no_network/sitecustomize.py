"""An unreachable network for the Python process that has this folder on ``PYTHONPATH``.

Python imports ``sitecustomize`` at start, so this runs before any other code of the process.
Every connection to an address outside loopback fails with ``ENETUNREACH`` and every name lookup
other than ``localhost`` fails with ``EAI_NONAME``, as on a machine with no network; each attempt
is appended, one line each, to the file named by ``PANTAUZONA_NETWORK_LOG``.
"""

from __future__ import annotations

import errno
import ipaddress
import os
import socket
from typing import Any

_LOG = os.environ["PANTAUZONA_NETWORK_LOG"]
_LOCAL_NAMES = frozenset({"localhost", "localhost.localdomain", "ip6-localhost"})
_INTERNET = (socket.AF_INET, socket.AF_INET6)
_connect, _connect_ex, _sendto = (
    socket.socket.connect,
    socket.socket.connect_ex,
    socket.socket.sendto,
)
_getaddrinfo, _gethostbyname = socket.getaddrinfo, socket.gethostbyname
_gethostbyname_ex, _gethostbyaddr = socket.gethostbyname_ex, socket.gethostbyaddr


def _record(line: str) -> None:
    with open(_LOG, "a", encoding="utf-8") as log:
        log.write(f"{line}\n")


def _host(host: Any) -> str:
    return host.decode() if isinstance(host, bytes) else str(host)


def _is_numeric(host: str) -> bool:
    try:
        ipaddress.ip_address(host.split("%")[0])
    except ValueError:
        return False
    return True


def _is_loopback(host: str) -> bool:
    if _is_numeric(host):
        return ipaddress.ip_address(host.split("%")[0]).is_loopback
    return host.casefold() in _LOCAL_NAMES


def _refuse_outside(sock: socket.socket, address: Any, what: str) -> None:
    if sock.family in _INTERNET and not _is_loopback(_host(address[0])):
        _record(f"{what} {address!r}")
        msg = f"network unreachable (test): {what} {address!r}"
        raise OSError(errno.ENETUNREACH, msg)


def _guarded_connect(self: socket.socket, address: Any) -> None:
    _refuse_outside(self, address, "connect")
    return _connect(self, address)


def _guarded_connect_ex(self: socket.socket, address: Any) -> int:
    _refuse_outside(self, address, "connect")
    return _connect_ex(self, address)


def _guarded_sendto(self: socket.socket, data: bytes, *args: Any) -> int:
    _refuse_outside(self, args[-1], "sendto")
    return _sendto(self, data, *args)


def _refuse_lookup(host: Any, what: str) -> None:
    if host is None:
        return
    name = _host(host)
    if not (_is_numeric(name) or _is_loopback(name) or name == ""):
        _record(f"{what} {name!r}")
        msg = f"name lookup refused (test): {name!r}"
        raise socket.gaierror(socket.EAI_NONAME, msg)


def _guarded_getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
    _refuse_lookup(host, "getaddrinfo")
    return _getaddrinfo(host, *args, **kwargs)


def _guarded_gethostbyname(host: str) -> str:
    _refuse_lookup(host, "gethostbyname")
    return _gethostbyname(host)


def _guarded_gethostbyname_ex(host: str) -> Any:
    _refuse_lookup(host, "gethostbyname_ex")
    return _gethostbyname_ex(host)


def _guarded_gethostbyaddr(host: str) -> Any:
    _refuse_lookup(host, "gethostbyaddr")
    return _gethostbyaddr(host)


socket.socket.connect = _guarded_connect  # type: ignore[method-assign]
socket.socket.connect_ex = _guarded_connect_ex  # type: ignore[method-assign]
socket.socket.sendto = _guarded_sendto  # type: ignore[method-assign]
socket.getaddrinfo = _guarded_getaddrinfo
socket.gethostbyname = _guarded_gethostbyname
socket.gethostbyname_ex = _guarded_gethostbyname_ex
socket.gethostbyaddr = _guarded_gethostbyaddr
