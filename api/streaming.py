"""Large answers rendered into a temporary file by a worker thread, then streamed.

A whole-graph export is tens of megabytes. Held in memory it would be held twice
(the rendered bytes and the response body), once per concurrent download; here a
worker writes it to an unnamed temporary file (`tempfile.TemporaryFile`: no name
on disk, readable only by the service, gone when closed) and the response sends
it in chunks, closing the file when it is done or the client goes away.
"""

from __future__ import annotations

import io
import os
from collections.abc import AsyncIterator
from typing import BinaryIO

import anyio.to_thread
from starlette.responses import StreamingResponse
from starlette.types import Receive, Scope, Send

from graph.deadline import checkpoint

CHUNK_BYTES = 256 * 1024


class CheckedWrites(io.RawIOBase):
    """A write-only view of `file` that checks the time limit before every write, so that
    an abandoned export stops while it serialises, not only while it reads."""

    def __init__(self, file: BinaryIO) -> None:
        super().__init__()
        self._file = file

    def writable(self) -> bool:
        return True

    def write(self, data: bytes | bytearray | memoryview) -> int:  # type: ignore[override]
        checkpoint()
        return self._file.write(data)


class TemporaryFileResponse(StreamingResponse):
    """Streams `file` (rendered and still open) from its start, then closes it."""

    def __init__(self, file: BinaryIO, media_type: str,
                 headers: dict[str, str] | None = None) -> None:
        size = file.seek(0, os.SEEK_END)
        file.seek(0)
        super().__init__(_chunks(file), media_type=media_type,
                         headers={**(headers or {}), "Content-Length": str(size)})
        self._file = file

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        try:
            await super().__call__(scope, receive, send)
        finally:
            self._file.close()


async def _chunks(file: BinaryIO) -> AsyncIterator[bytes]:
    while chunk := await anyio.to_thread.run_sync(file.read, CHUNK_BYTES):
        yield chunk
