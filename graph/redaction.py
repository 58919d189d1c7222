"""The secret the public view derives ids from, the public ids pinned beside it, and rotation.

A restricted person's pseudonym is `restricted-` and an HMAC of their id under one secret,
unless an editor pinned a `pseudonym` on the record; a public record whose id names a
restricted person gets `redacted-` and an HMAC too; a relationship's public id is made of its
ends' public ids (and its key, masked the same way when it names someone). Rotating the secret
changes all of these and nothing else: a record that names nobody restricted keeps its own id,
and so does a relationship between two such records.

Two files in the data directory, mode 0600 (`graph.privatefiles`), hold what the derivation
needs: the secret, unless `REPGRAPH_REDACTION_SECRET` sets it, and the **pins**: stored ids and
the public ids they keep whatever the secret (`repgraph rotate-secret --keep-published` writes
them). Services notice new ones at their next request, as they notice a new snapshot: by the
files' stamps.
"""

from __future__ import annotations

import os
import secrets
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import orjson

from config import Settings
from graph.errors import RepgraphError
from graph.privatefiles import create_private, write_private
from graph.versions import file_stamp
from schema.vocabulary import PSEUDONYM

SECRET_FILE = ".redaction-secret"
PINS_FILE = ".redaction-pins.json"
_Stamp = tuple[int, int, int] | None


class SecretConfigured(RepgraphError):
    """The secret comes from the environment, which repgraph cannot rewrite."""


@dataclass(frozen=True)
class Keys:
    """What public ids are derived from: one secret, and the public ids pinned by stored id."""

    secret: str
    pins: Mapping[str, str] = field(default_factory=dict)


def read_pins(path: Path) -> dict[str, str]:
    """The pins file's map; a pin that is not a pseudonym's shape is refused, never used."""
    try:
        data = orjson.loads(path.read_bytes())
    except FileNotFoundError:
        return {}
    except orjson.JSONDecodeError as exc:
        raise RepgraphError(f"cannot read the pinned public ids in {path}: {exc}") from exc
    pins = data.get("pins") if isinstance(data, dict) else None
    if not isinstance(pins, dict) or not all(
            isinstance(k, str) and isinstance(v, str) and PSEUDONYM.match(v)
            for k, v in pins.items()):
        raise RepgraphError(f"{path} is not a map of stored ids to pseudonyms")
    return pins


class RedactionKeys:
    """The current `Keys` of one data directory, read again whenever a file changes."""

    def __init__(self, data_dir: Path | None, configured: str | None = None) -> None:
        self.data_dir, self.configured = data_dir, configured
        #: the files' paths as strings: `os.stat` on them is asked on every web request
        self._files = (None if data_dir is None else
                       (os.fspath(data_dir / SECRET_FILE), os.fspath(data_dir / PINS_FILE)))
        self._lock = threading.Lock()
        self._seen: tuple[_Stamp, _Stamp] | None = None
        self._keys = Keys(configured or secrets.token_hex(32))

    @classmethod
    def of(cls, settings: Settings) -> RedactionKeys:
        return cls(settings.data_dir, settings.redaction_secret)

    @property
    def secret_path(self) -> Path | None:
        return None if self.data_dir is None else self.data_dir / SECRET_FILE

    @property
    def pins_path(self) -> Path | None:
        return None if self.data_dir is None else self.data_dir / PINS_FILE

    def current(self) -> Keys:
        """The keys in force: the same object for as long as neither file changes."""
        if self._files is None:
            return self._keys
        secret_file, pins_file = self._files
        secret_stamp = None if self.configured else file_stamp(secret_file)
        if not self.configured and secret_stamp is None:
            create_private(Path(secret_file), secrets.token_hex(32).encode())  # unless another did
            secret_stamp = file_stamp(secret_file)
        seen = (secret_stamp, file_stamp(pins_file))
        if seen == self._seen:
            return self._keys
        with self._lock:
            if seen != self._seen:
                secret = self.configured or Path(secret_file).read_text().strip()
                self._keys, self._seen = Keys(secret, read_pins(Path(pins_file))), seen
            return self._keys

    def rotate(self, pins: Mapping[str, str]) -> None:
        """Pin exactly `pins` (none: remove the pins file), then write a new secret.

        Raises `SecretConfigured` when the environment sets the secret: then only the pins
        are written, and the new secret is for whoever sets the environment."""
        secret_path, pins_path = self.secret_path, self.pins_path
        if secret_path is None or pins_path is None:
            raise RepgraphError("no data directory to keep a secret in")
        if pins:
            write_private(pins_path, orjson.dumps({"format": 1, "pins": dict(sorted(
                pins.items()))}, option=orjson.OPT_INDENT_2))
        else:
            pins_path.unlink(missing_ok=True)
        if self.configured:
            raise SecretConfigured("REPGRAPH_REDACTION_SECRET sets the secret: give it a new "
                                   "value where it is set, and restart the services")
        write_private(secret_path, secrets.token_hex(32).encode())
