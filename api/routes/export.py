"""Downloads of the whole graph in the interchange formats (CSV, FollowTheMoney, GraphML, GEXF)."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query
from fastapi.responses import Response

from api.deps import StoreDep
from exporters.formats import FORMATS

router = APIRouter(tags=["export"])

ExportName = Literal["csv", "ftm", "graphml", "gexf"]


@router.get("/export", response_class=Response, responses={200: {"content": {
    f.media_type: {} for f in FORMATS.values()}, "description": "the graph as a file"}})
def export(
    store: StoreDep,
    format: Annotated[ExportName, Query(description="csv (a zip of nodes.csv and edges.csv), "
                                       "ftm (FollowTheMoney JSON lines), graphml or gexf")],
) -> Response:
    fmt = FORMATS[format]
    return Response(content=fmt.render(store), media_type=fmt.media_type,
                    headers={"Content-Disposition": f'attachment; filename="{fmt.filename}"'})
