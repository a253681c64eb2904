"""Who may read what PantauZona writes: builds and the inputs store are private to their owner.

The inputs store holds person ids and exact case points, and a build holds official (unsuppressed)
figures, so both are written as files ``0600`` in folders ``0700``: readable by the account that
runs PantauZona only. When another account must read them (say, the dashboard runs as its own
service user while builds are made by an operator), name a group they share in
``$PANTAUZONA_GROUP``: everything is then given to that group, files ``0640`` and folders
``0750``. The credentials file of :mod:`geo.accounts` stays ``0600`` either way.
"""

from __future__ import annotations

import grp
import os
from pathlib import Path

from geo.errors import ConfigError

GROUP_ENV = "PANTAUZONA_GROUP"


def group() -> int | None:
    """The group id named by ``$PANTAUZONA_GROUP`` (a name or a number), or ``None``."""
    name = os.environ.get(GROUP_ENV, "").strip()
    if not name:
        return None
    try:
        return int(name) if name.isdigit() else grp.getgrnam(name).gr_gid
    except KeyError:
        msg = f"{GROUP_ENV} names the group {name!r}, which does not exist on this machine."
        raise ConfigError(msg) from None


def modes() -> tuple[int, int]:
    """``(folder mode, file mode)``: ``0700, 0600``, or ``0750, 0640`` with a group."""
    return (0o750, 0o640) if group() is not None else (0o700, 0o600)


def secure(path: Path) -> None:
    """Give ``path`` (a file or a folder, not followed if a link) its mode and group."""
    if path.is_symlink():
        return
    gid = group()
    folder, file = modes()
    try:
        if gid is not None:
            os.chown(path, -1, gid)
        path.chmod(folder if path.is_dir() else file)
    except PermissionError:
        msg = f"Cannot give {path} to the group {gid} ({GROUP_ENV}): is this user a member of it?"
        raise ConfigError(msg) from None


def secure_tree(root: Path) -> None:
    """:func:`secure` ``root`` and everything under it."""
    secure(root)
    for folder, dirs, files in os.walk(root):
        for name in dirs + files:
            secure(Path(folder) / name)


def make_dir(path: Path) -> Path:
    """Create ``path`` and any missing parents, each private (see the module docstring)."""
    missing = [p for p in (path, *path.parents) if not p.exists()]
    path.mkdir(parents=True, exist_ok=True)
    for folder in reversed(missing):
        secure(folder)
    return path
