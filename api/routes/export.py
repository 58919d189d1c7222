"""Downloads of the whole graph in the interchange formats (CSV, FollowTheMoney, GraphML, GEXF)."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query
from fastapi.responses import Response

from api.deps import SettingsDep, StoreDep
from api.limits import within_time_limit
from exporters.formats import FORMATS

router = APIRouter(tags=["export"])

ExportName = Literal["csv", "ftm", "graphml", "gexf"]


@router.get("/export", response_class=Response, responses={200: {"content": {
    f.media_type: {} for f in FORMATS.values()}, "description": "the graph as a file"}})
async def export(
    store: StoreDep,
    settings: SettingsDep,
    format: Annotated[ExportName, Query(description="csv (a zip of nodes.csv and edges.csv), "
                                       "ftm (FollowTheMoney JSON lines), graphml or gexf")],
) -> Response:
    fmt = FORMATS[format]
    content = await within_time_limit(store, settings, "export",
                                      lambda: fmt.render(store),
                                      limit_s=settings.export_timeout_s, inline=False)
    return Response(content=content, media_type=fmt.media_type,
                    headers={"Content-Disposition": f'attachment; filename="{fmt.filename}"'})
