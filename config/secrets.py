"""Secrets kept beside the data: created once, readable by the service's user only.

Every worker of one service reads the same file, so a secret made by the first
worker to start is the one all of them use (the file appears whole or not at
all: it is written under a temporary name and linked into place).
"""

from __future__ import annotations

import contextlib
import os
import secrets
import tempfile
from pathlib import Path


def stored_secret(path: Path) -> str:
    """The secret in `path`, made (64 hex digits, mode 0600) if there is none yet."""
    try:
        return _read(path)
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")  # mode 0600
    try:
        with os.fdopen(fd, "w") as out:
            out.write(secrets.token_hex(32))
            out.flush()
            os.fsync(out.fileno())
        with contextlib.suppress(FileExistsError):  # another process was first: use theirs
            os.link(tmp, path)
    finally:
        os.unlink(tmp)
    return _read(path)


def _read(path: Path) -> str:
    value = path.read_text().strip()
    if not value:
        raise ValueError(f"{path}: the secret file is empty; delete it to have a new one made")
    return value
