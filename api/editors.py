"""Editors and their keys: who may read everything and write.

Each key is kept only as a SHA-256 digest, under its editor's name, in a JSON
file that `repgraph editor add|revoke|list` edits (`editor_keys_file`, by
default `<data dir>/editor-keys.json`, mode 0600). The service looks at the
file's `stat` on every request and reads it again when it changed, so a key
added or revoked counts from the next request, in every worker, without a
restart. Digests may also come from the environment
(`REPGRAPH_EDITOR_KEY_HASHES`: `name:digest` or a bare digest).

A file that cannot be read as an editors file grants nothing (it fails closed)
and says why on stderr once per change.
"""

from __future__ import annotations

import fcntl
import hashlib
import hmac
import os
import re
import secrets
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson

from graph.privatefiles import private_dir, write_private

NAME = re.compile(r"[a-z0-9][a-z0-9._-]{0,39}")
DIGEST = re.compile(r"[0-9a-f]{64}")


@dataclass(frozen=True)
class Editor:
    name: str
    digest: str  # SHA-256 hex digest of the key

    @property
    def fingerprint(self) -> str:
        """Names the key (not the editor) in sessions, listings and the audit log."""
        return self.digest[:12]


def key_hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def configured_editor(item: str) -> Editor:
    """An entry of `REPGRAPH_EDITOR_KEY_HASHES`: `name:digest`, or a bare digest."""
    name, _, digest = item.rpartition(":")
    return Editor(name or "key-" + digest[:12], digest)


class EditorKeys:
    """The editors the service knows now: the file's (reread when it changes) and the
    configured ones."""

    def __init__(self, path: Path, configured: list[str]) -> None:
        self.path = path
        self._configured = tuple(configured_editor(item) for item in configured)
        self._seen: tuple[int, int, int] | None = None
        self._from_file: tuple[Editor, ...] = ()
        self._lock = threading.Lock()

    def editors(self) -> tuple[Editor, ...]:
        try:
            st = self.path.stat()
            seen: tuple[int, int, int] | None = (st.st_ino, st.st_mtime_ns, st.st_size)
        except FileNotFoundError:
            seen = None
        with self._lock:
            if seen != self._seen:
                self._from_file = _read_or_nothing(self.path) if seen else ()
                self._seen = seen
            return self._from_file + self._configured

    def match(self, key: str) -> Editor | None:
        """The editor holding `key`, comparing with every digest in constant time."""
        presented = key_hash(key)
        found = None
        for editor in self.editors():  # no early exit
            if hmac.compare_digest(presented, editor.digest):
                found = editor
        return found

    def holding(self, name: str, fingerprint: str) -> Editor | None:
        """The editor `name` if it still holds the key `fingerprint` (a session stays
        valid only as long as the key it was opened with)."""
        for editor in self.editors():
            if editor.name == name and hmac.compare_digest(editor.fingerprint, fingerprint):
                return editor
        return None


def _read_or_nothing(path: Path) -> tuple[Editor, ...]:
    try:
        return tuple(Editor(e["name"], e["sha256"]) for e in read_file(path))
    except (OSError, ValueError) as exc:
        print(f"repgraph: {exc}; no editor key from this file is accepted until it is "
              "fixed", file=sys.stderr)
        return ()


def read_file(path: Path) -> list[dict[str, Any]]:
    """The file's entries, checked; `ValueError` naming the file and entry if broken."""
    try:
        entries = orjson.loads(path.read_bytes())["editors"]
    except FileNotFoundError:
        return []
    except (orjson.JSONDecodeError, KeyError, TypeError) as exc:
        raise ValueError(f"{path}: not an editors file ({exc})") from exc
    if not isinstance(entries, list):
        raise ValueError(f"{path}: `editors` must be a list")
    for i, entry in enumerate(entries):
        if not (isinstance(entry, dict) and isinstance(entry.get("name"), str)
                and NAME.fullmatch(entry["name"]) and isinstance(entry.get("sha256"), str)
                and DIGEST.fullmatch(entry["sha256"])):
            raise ValueError(f"{path}: editors[{i}] needs a `name` (lower-case letters, "
                             "digits, . _ -) and a `sha256` digest (64 hex digits)")
    return entries


# -- editing the file (the command line) ---------------------------------------


@contextmanager
def _editing(path: Path) -> Iterator[list[dict[str, Any]]]:
    """Read, change and replace the file under a lock, so two edits never lose one."""
    private_dir(path.parent)
    lock_fd = os.open(path.with_name(path.name + ".lock"), os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(lock_fd, fcntl.LOCK_EX)
        entries = read_file(path)
        yield entries
        write_private(path, orjson.dumps({"editors": entries}, option=orjson.OPT_INDENT_2))
    finally:
        os.close(lock_fd)


def add_editor(path: Path, name: str) -> str:
    """Give `name` a new key; returns the key, which is shown once and never stored."""
    if not NAME.fullmatch(name):
        raise ValueError(f"editor name {name!r}: use 1-40 lower-case letters, digits, . _ -")
    key = secrets.token_urlsafe(32)
    with _editing(path) as entries:
        if any(e["name"] == name for e in entries):
            raise ValueError(f"{path}: there is already an editor named {name!r}; revoke "
                             "that key first to give them a new one")
        entries.append({"name": name, "sha256": key_hash(key),
                        "added": datetime.now(UTC).isoformat(timespec="seconds")})
    return key


def revoke_editor(path: Path, name: str) -> None:
    with _editing(path) as entries:
        kept = [e for e in entries if e["name"] != name]
        if len(kept) == len(entries):
            raise ValueError(f"{path}: no editor named {name!r}")
        entries[:] = kept
