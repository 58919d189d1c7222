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
from graph.results import HistoryEntry, NodeRef, TimelineEntry

router = APIRouter(tags=["entities"])


class Timeline(BaseModel):
    entity: NodeRef
    entries: list[TimelineEntry] = Field(description=(
        "Dated relationships of the entity, oldest first. `date` may be a year, a month or a "
        "day (`precision` says which); undated facts are left out."))
    page: Page
    history: list[HistoryEntry] = Field(default_factory=list, description=(
        "A person's statuses and roles over time, newest first, each dated by its source "
        "(`date`) or, when the source gives no date, as of the source's publication (`as_of`), "
        "with the sources that state it. Not paged."))


@router.get(
    "/entities/{id}/timeline", response_model=Timeline, responses=NOT_FOUND,
    summary="An entity's dated facts, in order",
    description="Every relationship of the entity that the source dates (arrests, sentences, "
                "listings, decisions), oldest first, with its citations; and a person's status "
                "and roles over time (`history`), newest first, each with its source.",
)
async def timeline(
    id: EntityIdParam,
    store: StoreDep,
    settings: SettingsDep,
    limit: Annotated[int, limit_param(100, what="entries")] = 100,
    offset: OffsetParam = 0,
) -> Timeline:
    entity, entries, history = await within_time_limit(
        store, settings, "timeline", lambda: (store.get_node(id), queries.timeline(store, id),
                                              queries.history(store, id)))
    page_entries, page = page_of(entries, offset, limit)
    return Timeline(entity=NodeRef.of(entity), entries=page_entries, page=page, history=history)
