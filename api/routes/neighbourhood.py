"""The entities around one entity, within a few hops, as nodes and cited edges."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import Field

from api.deps import SettingsDep, StoreDep
from api.errors import NOT_FOUND, TIMED_OUT
from api.limits import within_time_limit
from api.params import OffsetParam, TypesParam, limit_param, type_names
from api.routes.entities import EntityIdParam
from graph import queries
from graph.results import Neighbourhood

router = APIRouter(tags=["entities"])


class NeighbourhoodPage(Neighbourhood):
    """A page of the neighbourhood: `nodes` in breadth-first order, the centre first."""

    limit: int = Field(description="Page size asked for, in nodes.")


@router.get(
    "/entities/{id}/neighbourhood", response_model=NeighbourhoodPage,
    responses={**NOT_FOUND, **TIMED_OUT},
    summary="The entities within a few hops of one entity",
    description="Breadth-first from the entity, ignoring direction. `nodes` is paged by "
                "`offset`/`limit` in breadth-first order (the centre is always included); "
                "`edges` are the cited relationships between the nodes of this page. "
                "`truncated` is true when more nodes follow; `total_nodes` and `total_edges` count the "
                "whole neighbourhood. "
                "`depth` above `REPGRAPH_MAX_DEPTH` (default 3) is refused with 422; the query "
                "runs under the time limit `REPGRAPH_QUERY_TIMEOUT_S` and answers 503 past it.",
)
async def neighbourhood(
    id: EntityIdParam,
    store: StoreDep,
    settings: SettingsDep,
    depth: Annotated[int, Query(ge=1, le=10, description=(
        "How many hops out to go; the configured cap (default 3) applies."))] = 1,
    limit: Annotated[int, limit_param(100, what="nodes")] = 100,
    offset: OffsetParam = 0,
    types: TypesParam = None,
    expand_generic: Annotated[bool, Query(description=(
        "Go on from generic actors (records standing for a whole state or collective, such "
        "as the Kazakhstani authorities). By default they are listed but not expanded: "
        "their relationships reach nearly everyone."))] = False,
) -> NeighbourhoodPage:
    found = await within_time_limit(store, settings, "neighbourhood", lambda: queries.neighbourhood(
        store, id, depth=depth, limit=limit, offset=offset, types=type_names(types),
        expand_generic=expand_generic, settings=settings))
    return NeighbourhoodPage(**dict(found), limit=limit)
