"""Who was targeted through their relatives: the relative, the person aimed at, what was done."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from api.deps import SettingsDep, StoreDep
from api.errors import NOT_FOUND
from api.limits import within_time_limit
from api.params import OffsetParam, Page, limit_param, page_of
from graph import queries
from graph.results import RelativeTargeting

router = APIRouter(tags=["relatives"])


class Relatives(BaseModel):
    items: list[RelativeTargeting] = Field(description=(
        "One item per relative pressured to reach a target, ordered by target then relative: "
        "the family `relation` (the relative is the target's brother, wife, ...), the "
        "`measures` taken against the relative, their citations, and `related_measures`, the "
        "measures recorded against the relative elsewhere in the graph."))
    page: Page


@router.get(
    "/relatives", response_model=Relatives, responses=NOT_FOUND,
    summary="Persons targeted through their relatives",
    description="Relatives who were arrested, threatened or otherwise pressured in order to "
                "reach someone else (usually an exiled critic). Filter by the person aimed at "
                "(`target`), by the relative (`relative`), or both; without filters, every "
                "case in the graph. Relatives are private persons: their records are marked "
                "`restricted`.",
)
async def relatives(
    store: StoreDep,
    settings: SettingsDep,
    target: Annotated[str | None, Query(max_length=200, description=(
        "Entity id of the person the pressure was aimed at."), examples=["bota-jardemalie"])] = None,
    relative: Annotated[str | None, Query(max_length=200, description=(
        "Entity id of the relative who was targeted."), examples=["iskander-yerimbetov"])] = None,
    limit: Annotated[int, limit_param(100)] = 100,
    offset: OffsetParam = 0,
) -> Relatives:
    found = await within_time_limit(store, settings, "relatives", lambda: queries.targeted_through_relatives(
        store, target=target, relative=relative))
    items, page = page_of(found, offset, limit)
    return Relatives(items=items, page=page)
