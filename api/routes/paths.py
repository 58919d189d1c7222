"""How two entities are connected: the shortest chains of cited relationships."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from api.deps import SettingsDep, StoreDep
from api.errors import NOT_FOUND, TIMED_OUT
from api.limits import within_time_limit
from api.params import TypesParam, type_names
from graph import queries
from graph.results import Path

router = APIRouter(tags=["paths"])


class PathMode(StrEnum):
    SHORTEST = "shortest"
    ALL = "all"


class Paths(BaseModel):
    paths: list[Path] = Field(description=(
        "Paths from `source` to `target`, shortest first; each lists its nodes in order and "
        "the cited relationship used for every step. Empty when there is no path within "
        "`max_hops`."))
    max_hops: int = Field(description="The hop limit that was applied.")
    truncated: bool = Field(description=(
        "True when `mode=all` stopped at `limit` paths and more shortest paths may exist."))


@router.get(
    "/paths", response_model=Paths, responses={**NOT_FOUND, **TIMED_OUT},
    summary="Shortest paths between two entities",
    description="Connects two entities through cited relationships, ignoring their direction. "
                "`source` and `target` are entity ids (find them with `/api/search`). "
                "`mode=shortest` returns one shortest path; `mode=all` returns every shortest "
                "path, one per combination of relationships, up to `limit`. No path within "
                "`max_hops` is a 200 with an empty list; an unknown id is a 404 naming it. "
                "`max_hops` above `REPGRAPH_MAX_HOPS_CAP` (default 8) is refused with 422; the "
                "query runs under the time limit `REPGRAPH_QUERY_TIMEOUT_S` and answers 503 "
                "past it.",
)
async def paths(
    store: StoreDep,
    settings: SettingsDep,
    source: Annotated[str, Query(min_length=1, max_length=200, description="Entity id to start from.",
                                 examples=["iskander-yerimbetov"])],
    target: Annotated[str, Query(min_length=1, max_length=200, description="Entity id to reach.",
                                 examples=["mukhtar-ablyazov"])],
    max_hops: Annotated[int | None, Query(ge=1, le=100, description=(
        "Longest path to look for, in relationships (default `REPGRAPH_DEFAULT_MAX_HOPS`, 6; "
        "at most `REPGRAPH_MAX_HOPS_CAP`, 8)."))] = None,
    mode: Annotated[PathMode, Query(description="`shortest`: one path; `all`: every shortest "
                                                "path.")] = PathMode.SHORTEST,
    types: TypesParam = None,
    avoid: Annotated[list[str] | None, Query(description=(
        "Entity ids the paths must not pass through (repeat for several), e.g. to look "
        "for a connection that does not go through a well-known hub."))] = None,
    limit: Annotated[int, Query(ge=1, le=100, description=(
        "At most this many paths (also capped by `REPGRAPH_MAX_PATHS`)."))] = 10,
) -> Paths:
    hops = settings.default_max_hops if max_hops is None else max_hops
    found = await within_time_limit(store, settings, "paths", lambda: queries.paths(
        store, source, target, max_hops=hops, mode=mode.value, types=type_names(types),
        avoid=avoid or (), limit=limit, settings=settings))
    capped = mode is PathMode.ALL and len(found) >= min(limit, settings.max_paths)
    return Paths(paths=found, max_hops=hops, truncated=capped)
