"""Where source texts are kept: one configured directory, each text found by its file name.

A source record says where its text came from (`path`, such as
`shared/sources/kz-upr48-joint-submission-2024.txt`, or wherever an editor imported a
report from). That path is never opened: only its file name is looked up, in the one
directory the settings name (`REPGRAPH_SOURCES`), and a name that would leave it (a link
out of it, `..`, a hidden file) finds nothing. Texts are read and cut once per version of
the file (`graph.versions.file_stamp`).
"""

from __future__ import annotations

import os
import threading
from collections import OrderedDict
from pathlib import Path, PurePosixPath, PureWindowsPath

from graph.versions import Stamp, file_stamp
from schema.models import Node
from schema.vocabulary import NodeKind
from sources.text import SourceText, read_text

#: texts kept read and cut, the most recently used
CACHED_TEXTS = 64


class SourceLibrary:
    """The texts of the source records, read from `directory`."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self._lock = threading.Lock()
        self._texts: OrderedDict[Path, tuple[Stamp, SourceText]] = OrderedDict()

    def file_name(self, node: Node) -> str | None:
        """The file name a source record's text would have here, if it names one."""
        path = node.properties.get("path")
        if node.kind is not NodeKind.SOURCE or not isinstance(path, str):
            return None
        # a path written on Windows, or with either separator: only its last part counts
        name = PureWindowsPath(PurePosixPath(path.strip()).name).name
        if not name or name.startswith(".") or "\x00" in name:
            return None
        return name

    def file_of(self, node: Node) -> Path | None:
        """The file holding a source record's text: inside the directory, or none."""
        name = self.file_name(node)
        if name is None:
            return None
        try:
            folder = self.directory.resolve(strict=True)
            found = (folder / name).resolve(strict=True)
        except (OSError, RuntimeError):
            return None
        if found.parent != folder or not found.is_file():
            return None
        return found

    def stamp(self, node: Node) -> Stamp | None:
        """What tells this text's versions apart (None: no text is held for the record)."""
        path = self.file_of(node)
        return None if path is None else file_stamp(path)

    def text(self, node: Node) -> tuple[Stamp, SourceText] | None:
        """The record's text, cut into paragraphs, with the stamp of the file it was read
        from; None when no text is held for it or the file cannot be read."""
        path = self.file_of(node)
        stamp = None if path is None else file_stamp(path)
        if path is None or stamp is None:
            return None
        with self._lock:
            cached = self._texts.get(path)
            if cached is not None and cached[0] == stamp:
                self._texts.move_to_end(path)
                return cached
        try:
            with path.open(encoding="utf-8", errors="replace") as file:
                st = os.fstat(file.fileno())  # the version read, whatever changed since
                read = ((st.st_ino, st.st_mtime_ns, st.st_size), read_text(file.read()))
        except OSError:
            return None
        with self._lock:
            self._texts[path] = read
            if len(self._texts) > CACHED_TEXTS:
                self._texts.popitem(last=False)
        return read
