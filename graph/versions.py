"""Version numbers for the embedded store's contents, snapshots not yet loaded included.

The embedded store sees another process's write as a new snapshot file, and loads
it on its next read, which may take seconds on a large graph. Its `version` must
not wait for that: it says which content the next read will see, from one `stat`.
A snapshot seen on disk but not yet loaded gets its number when first asked for,
and keeps it once loaded, so that a cache built when the change was seen is not
built again after the load.
"""

from __future__ import annotations

import itertools
import os
import threading

#: A snapshot file as `os.stat` tells it apart: inode, modification time (ns), size.
Stamp = tuple[int, int, int]


def file_stamp(path: str | os.PathLike[str]) -> Stamp | None:
    """What tells one content of a file from the next without reading it (inode, time,
    size); None when there is no file."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return None
    return (st.st_ino, st.st_mtime_ns, st.st_size)

#: One counter for the whole process: no two contents, of one store or of two, share a number.
_numbers = itertools.count(1)


class Versions:
    """The number of the content a store has published, and of the snapshot it has yet to load."""

    def __init__(self) -> None:
        #: held for a few instructions, never while a snapshot loads
        self._lock = threading.Lock()
        self._published: tuple[Stamp | None, int] = (None, next(_numbers))
        self._pending: tuple[Stamp | None, int] | None = None

    def of(self, on_disk: Stamp | None) -> int:
        """The number of the content a read will see, given the snapshot now on disk (None
        for a store without one, or whose snapshot is gone)."""
        stamp, number = self._published
        if on_disk == stamp:
            return number
        with self._lock:
            stamp, number = self._published
            if on_disk == stamp:
                return number
            if self._pending is None or self._pending[0] != on_disk:
                self._pending = (on_disk, next(_numbers))
            return self._pending[1]

    def publish(self, stamp: Stamp | None) -> None:
        """The store has just swapped in new content, saved as (or loaded from) `stamp`:
        it takes the number given out for that snapshot, if any, else a new one."""
        with self._lock:
            pending, self._pending = self._pending, None
            if pending is not None and pending[0] == stamp:
                self._published = pending
            else:
                self._published = (stamp, next(_numbers))
