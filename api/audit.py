"""The append-only audit log of every write: who, when, what, and the result.

One JSON object per line, appended with O_APPEND and fsync so that entries
from concurrent writers never interleave and a crash loses at most the entry
being written. The log never holds API keys, only a fingerprint of their digest.
"""

from __future__ import annotations

import os
import threading
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson

from graph.privatefiles import private_dir

_lock = threading.Lock()


def record(path: Path, **entry: Any) -> None:
    line = orjson.dumps({"time": datetime.now(UTC).isoformat(timespec="milliseconds"),
                         **entry}) + b"\n"
    private_dir(path.parent)  # entries name the records a write changed
    with _lock:
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            os.write(fd, line)
            os.fsync(fd)
        finally:
            os.close(fd)


def read(path: Path) -> list[dict[str, Any]]:
    if not path.exists():
        return []
    return [orjson.loads(line) for line in path.read_bytes().splitlines() if line.strip()]
