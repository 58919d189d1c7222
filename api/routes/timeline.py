"""An entity's dated facts in order, each with its citations."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter
from pydantic import BaseModel, Field

from api.deps import SettingsDep, StoreDep
from api.errors import NOT_FOUND
from api.limits import within_time_limit
from api.params import OffsetParam, Page, limit_param, page_of
from api.routes.entities import EntityIdParam
from graph import queries
from graph.results import NodeRef, TimelineEntry

router = APIRouter(tags=["entities"])


class Timeline(BaseModel):
    entity: NodeRef
    entries: list[TimelineEntry] = Field(description=(
        "Dated relationships of the entity, oldest first. `date` may be a year, a month or a "
        "day (`precision` says which); undated facts are left out."))
    page: Page


@router.get(
    "/entities/{id}/timeline", response_model=Timeline, responses=NOT_FOUND,
    summary="An entity's dated facts, in order",
    description="Every relationship of the entity that the source dates (arrests, sentences, "
                "listings, decisions), oldest first, with its citations.",
)
async def timeline(
    id: EntityIdParam,
    store: StoreDep,
    settings: SettingsDep,
    limit: Annotated[int, limit_param(100, what="entries")] = 100,
    offset: OffsetParam = 0,
) -> Timeline:
    entity, entries = await within_time_limit(
        store, settings, "timeline", lambda: (store.get_node(id), queries.timeline(store, id)))
    page_entries, page = page_of(entries, offset, limit)
    return Timeline(entity=NodeRef.of(entity), entries=page_entries, page=page)
