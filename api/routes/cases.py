"""Cases linked to a case through what they share: defendants, laws, agencies, organisations."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query
from pydantic import BaseModel, Field

from api.deps import SettingsDep, StoreDep
from api.errors import NOT_FOUND, TIMED_OUT
from api.limits import within_time_limit
from api.params import OffsetParam, Page, limit_param, page_of
from graph import queries
from graph.results import CaseLink, NodeRef

router = APIRouter(tags=["cases"])


class CaseLinks(BaseModel):
    case: NodeRef = Field(description="The case asked about.")
    links: list[CaseLink] = Field(description=(
        "Linked cases, strongest first. `shared` groups what the two cases have in common "
        "by category (`defendants`, `laws`, `agencies`, `organisations`); `strength` counts "
        "the shared entities."))
    page: Page


@router.get(
    "/cases/{id}/links", response_model=CaseLinks, responses={**NOT_FOUND, **TIMED_OUT},
    summary="Cases linked to a case",
    description="Other cases that share a defendant, a law or article, an agency (opened, "
                "investigated, prosecuted or tried by) or an organisation with this case. "
                "An id that names no case, whether unknown or another kind of entity, is a 404 "
                "naming `id`. Generic actors (the Kazakhstani authorities as a whole) link no "
                "cases unless `through_generic=true`. The query runs under the time "
                "limit `REPGRAPH_QUERY_TIMEOUT_S` and answers 503 past it.",
)
async def case_links(
    id: Annotated[str, Path(description="Case id.", examples=["case-kaluova-405"])],
    store: StoreDep,
    settings: SettingsDep,
    limit: Annotated[int, limit_param(100, what="linked cases")] = 100,
    offset: OffsetParam = 0,
    through_generic: Annotated[bool, Query(description=(
        "Count an agency that stands for a whole state (the authorities) as a link; it is "
        "shared by nearly every case."))] = False,
) -> CaseLinks:
    found = await within_time_limit(store, settings, "case links", lambda: queries.case_links(
        store, id, through_generic=through_generic))
    links, page = page_of(found, offset, limit)
    return CaseLinks(case=NodeRef.of(store.get_node(id)), links=links, page=page)
