"""Brokers and communities of the whole network (`graph.analysis`), as JSON and as a page.

Both read the whole graph and run networkx between checkpoints, so they run in a worker
thread under the exports' time limit (`export_timeout_s`: like an export, the first answer
after a change reads every record, which on Neo4j is a paged read of the whole graph) and
spend from the per-client rate limit. Answers are kept
per data version: only the first request after a change computes.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from api.deps import SettingsDep, StoreDep
from api.errors import TIMED_OUT
from api.limits import within_time_limit
from api.params import TypesParam, type_names
from api.routes.pages import error_page, too_many
from api.views.render import render
from graph import analysis
from graph.errors import RepgraphError
from schema.vocabulary import NodeKind

router = APIRouter(tags=["analysis"])
#: what the page shows: brokers, communities, and members named per community
PAGE_BROKERS, PAGE_COMMUNITIES, PAGE_MEMBERS = 20, 30, 40

ThroughGenericParam = Annotated[bool, Query(description=(
    "Include generic actors (the Kazakhstani authorities, law enforcement, governments). "
    "Left out by default: they acted against nearly everyone, so they would top every list "
    "of brokers and join every community."))]


@router.get(
    "/analysis/brokers", response_model=analysis.Brokers, responses=TIMED_OUT,
    summary="Who bridges otherwise separate parts of the network",
    description="Entities ranked by betweenness centrality: the share of shortest "
                "connections between two other entities that pass through them. Source "
                "documents and relationships about documents are left out. Exact up to "
                f"{analysis.EXACT_UP_TO:,} entities; above, estimated from a fixed-seed sample "
                "of pivots (`method`, `pivots`). Each broker comes with the communities it "
                "links (numbered as in `/api/analysis/communities`) and an explanation.",
)
async def brokers(
    store: StoreDep,
    settings: SettingsDep,
    through_generic: ThroughGenericParam = False,
    types: TypesParam = None,
    kinds: Annotated[list[NodeKind] | None, Query(description=(
        "Only list entities of these kinds (the network stays whole).  Repeat for several."
    ))] = None,
    limit: Annotated[int, Query(ge=1, le=200, description="At most this many brokers.")] = 20,
) -> analysis.Brokers:
    return await within_time_limit(store, settings, "brokers", lambda: analysis.brokers(
        store, through_generic=through_generic, types=type_names(types), kinds=kinds,
        limit=limit), limit_s=settings.export_timeout_s, inline=False)


@router.get(
    "/analysis/communities", response_model=analysis.Communities, responses=TIMED_OUT,
    summary="The groups the network falls into",
    description="Communities found by Louvain (fixed seed), largest first, each with every "
                "member, its members with most links inside, its commonest relationship types "
                "and an explanation. Source documents and relationships about documents are "
                "left out.",
)
async def communities(
    store: StoreDep,
    settings: SettingsDep,
    through_generic: ThroughGenericParam = False,
    types: TypesParam = None,
    limit: Annotated[int, Query(ge=1, le=500, description="At most this many communities, "
                                                          "largest first.")] = 50,
) -> analysis.Communities:
    return await within_time_limit(store, settings, "communities", lambda: analysis.communities(
        store, through_generic=through_generic, types=type_names(types), limit=limit),
        limit_s=settings.export_timeout_s, inline=False)


page = APIRouter(include_in_schema=False)


@page.get("/analysis", response_class=HTMLResponse)
async def analysis_page(request: Request, store: StoreDep, settings: SettingsDep,
                        through_generic: bool = False) -> HTMLResponse:
    """Brokers and communities as a page, with a toggle for generic actors. As expensive as
    the API's answers the first time, so it spends from the same rate limit."""
    if (refused := too_many(request, "requests")) is not None:
        return refused
    try:
        found, groups = await within_time_limit(store, settings, "analysis", lambda: (
            analysis.brokers(store, through_generic=through_generic, limit=PAGE_BROKERS),
            analysis.communities(store, through_generic=through_generic,
                                 limit=PAGE_COMMUNITIES)), limit_s=settings.export_timeout_s,
            inline=False)
    except RepgraphError as exc:
        return error_page(exc)
    return render("analysis.html", title="Brokers and communities", brokers=found,
                  communities=groups, through_generic=through_generic,
                  shown_members=PAGE_MEMBERS)
