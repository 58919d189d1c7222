"""Files that hold restricted names, written so that only the service's user can read them.

The store's snapshot, the audit log, the pseudonym secret and the pinned public ids name
restricted persons or can tie a pseudonym to one; the editor keys, the session secret and the
sign-out list open the way to them (docs/ethics.md lists them all). repgraph writes
each as a file of mode 0600 in a directory it creates with mode 0700. A directory that already
exists keeps its mode: it may be one an administrator set up on purpose.
"""

from __future__ import annotations

import os
import secrets
import tempfile
from pathlib import Path

FILE_MODE, DIR_MODE = 0o600, 0o700


def private_dir(path: Path) -> Path:
    """`path`, created (with its parents) as a directory of mode 0700 if it is not there."""
    if not path.is_dir():
        path.mkdir(mode=DIR_MODE, parents=True, exist_ok=True)
        path.chmod(DIR_MODE)  # mkdir's mode is cut by the umask; this one is not
    return path


def write_private(path: Path, data: bytes, prefix: str = ".tmp-") -> None:
    """Replace `path` with `data` atomically: a temporary file of mode 0600 beside it, synced
    and renamed over it, so that a reader or a crash sees the old content or the new."""
    tmp = _temporary(path, data, prefix)
    try:
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    _sync_dir(path.parent)


def create_private(path: Path, data: bytes) -> bool:
    """Create `path` holding `data`, of mode 0600, unless it exists; False then (another
    process made it first, and its content is the one to use). A reader never sees the file
    half-written: it appears, whole, by a hard link to a finished temporary file."""
    tmp = _temporary(path, data, ".new-")
    try:
        os.link(tmp, path)
    except FileExistsError:
        return False
    finally:
        Path(tmp).unlink(missing_ok=True)
    _sync_dir(path.parent)
    return True


def stored_secret(path: Path) -> str:
    """The secret kept in `path`, made once (64 hex digits) by whichever process asks first;
    every worker then reads the same one."""
    create_private(path, secrets.token_hex(32).encode())
    value = path.read_text().strip()
    if not value:
        raise ValueError(f"{path}: the secret file is empty; delete it to have a new one made")
    return value


def _temporary(path: Path, data: bytes, prefix: str) -> str:
    """A synced temporary file of mode 0600 holding `data`, beside `path`."""
    private_dir(path.parent)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=prefix, suffix=".tmp")  # mode 0600
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return tmp


def _sync_dir(path: Path) -> None:
    dir_fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)
