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
from graph.results import NodeRef, Path

router = APIRouter(tags=["paths"])


class PathMode(StrEnum):
    SHORTEST = "shortest"
    ALL = "all"
    RANKED = "ranked"


class Paths(BaseModel):
    paths: list[Path] = Field(description=(
        "Paths from `source` to `target`, shortest first (`mode=ranked`: best score first); "
        "each lists its nodes in order, the cited relationship used for every step and one "
        "sentence per step (`explanation`). No two read the same. Empty when there is no "
        "path within `max_hops`."))
    summary: str = Field(description="The answer in words, including when the only "
                                     "connection runs through a generic actor.")
    avoided: list[NodeRef] = Field(description=(
        "Generic actors (a whole state, 'the authorities', a government) left out of the "
        "paths although a shorter or the only connection runs through them; "
        "`through_generic=true` includes them."))
    through_generic: bool = Field(description="Whether generic actors could be hops.")
    max_hops: int = Field(description="The hop limit that was applied.")
    truncated: bool = Field(description=(
        "True when `mode=all` stopped at `limit` paths and more shortest paths may exist."))


@router.get(
    "/paths", response_model=Paths, responses={**NOT_FOUND, **TIMED_OUT},
    summary="Shortest paths between two entities",
    description="Connects two entities through cited relationships, ignoring their direction. "
                "`source` and `target` are entity ids (find them with `/api/search`). "
                "`mode=shortest` returns one shortest path; `mode=all` returns every shortest "
                "path that reads differently, up to `limit`; `mode=ranked` scores the shortest "
                "connections (hops, how connected each entity passed through is, steps that "
                "are alleged or reported) and returns the best first, one per sequence of "
                "entities, each with `score` and `score_parts`. Generic actors (the "
                "authorities as a whole) are not hops unless `through_generic=true`; `avoided` "
                "and `summary` say when they were left out. No path within "
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
                                                "path; `ranked`: scored, best first.")
                    ] = PathMode.SHORTEST,
    types: TypesParam = None,
    avoid: Annotated[list[str] | None, Query(description=(
        "Entity ids the paths must not pass through (repeat for several), e.g. to look "
        "for a connection that does not go through a well-known hub."))] = None,
    limit: Annotated[int, Query(ge=1, le=100, description=(
        "At most this many paths (also capped by `REPGRAPH_MAX_PATHS`)."))] = 10,
    through_generic: Annotated[bool, Query(description=(
        "Let paths pass through generic actors (records standing for a whole state or "
        "collective, such as the Kazakhstani authorities), which connect nearly everyone."
        ))] = False,
) -> Paths:
    hops = settings.default_max_hops if max_hops is None else max_hops
    found = await within_time_limit(store, settings, "paths", lambda: queries.connection(
        store, source, target, max_hops=hops, mode=mode.value, types=type_names(types),
        avoid=avoid or (), limit=limit, through_generic=through_generic, settings=settings))
    capped = mode is not PathMode.SHORTEST and len(found.paths) >= min(limit, settings.max_paths)
    return Paths(paths=found.paths, summary=found.summary, avoided=found.avoided,
                 through_generic=found.through_generic, max_hops=hops, truncated=capped)
