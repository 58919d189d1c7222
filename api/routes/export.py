"""Downloads of the whole graph in the interchange formats (CSV, FollowTheMoney, GraphML, GEXF).

An export is long work: it reads every record (and, for the public, redacts it)
and serialises tens of megabytes. It runs in a worker thread under
`export_timeout_s`, at most `export_concurrency` at a time, writing into a
temporary file that the answer then streams (`api.streaming`). Past the limit the
answer is 503 and the file is closed, so that the abandoned worker stops at its
next write or checkpoint.
"""

from __future__ import annotations

import tempfile
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Annotated, BinaryIO, Literal, cast

import anyio
from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from api.deps import SettingsDep, StoreDep
from api.limits import within_time_limit
from api.streaming import CheckedWrites, TemporaryFileResponse
from config import Settings
from exporters.formats import FORMATS, ExportFormat
from graph.errors import QueryTimeout
from graph.store import GraphStore

router = APIRouter(tags=["export"])

ExportName = Literal["csv", "ftm", "graphml", "gexf"]


@asynccontextmanager
async def _turn(request: Request, settings: Settings) -> AsyncIterator[None]:
    """One of the `export_concurrency` places for rendering, waited for at most
    `export_timeout_s`: each export holds a copy of the graph while it renders."""
    turns: anyio.Semaphore | None = getattr(request.app.state, "export_turns", None)
    if turns is None:
        turns = request.app.state.export_turns = anyio.Semaphore(settings.export_concurrency)
    no_place = True
    with anyio.move_on_after(settings.export_timeout_s):
        await turns.acquire()
        no_place = False
    if no_place:
        raise QueryTimeout(f"other exports kept every place for exports "
                           f"({settings.export_concurrency}) busy for "
                           f"{settings.export_timeout_s:g} s; retry later")
    try:
        yield
    finally:
        turns.release()


def _render(fmt: ExportFormat, store: GraphStore, file: BinaryIO) -> None:
    fmt.write(store, cast(BinaryIO, CheckedWrites(file)))
    file.flush()


@router.get("/export", response_class=Response, responses={200: {"content": {
    f.media_type: {} for f in FORMATS.values()}, "description": "the graph as a file"}})
async def export(
    request: Request,
    store: StoreDep,
    settings: SettingsDep,
    format: Annotated[ExportName, Query(description="csv (a zip of nodes.csv and edges.csv), "
                                       "ftm (FollowTheMoney JSON lines), graphml or gexf")],
) -> Response:
    fmt = FORMATS[format]
    async with _turn(request, settings):
        file = tempfile.TemporaryFile()  # noqa: SIM115 (the response closes it)
        try:
            await within_time_limit(store, settings, "export",
                                    lambda: _render(fmt, store, file),
                                    limit_s=settings.export_timeout_s, inline=False)
        except BaseException:
            file.close()  # an abandoned worker fails at its next write
            raise
    return TemporaryFileResponse(file, fmt.media_type, headers={
        "Content-Disposition": f'attachment; filename="{fmt.filename}"'})
