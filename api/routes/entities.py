"""One entity with all its fields and a page of its cited relationships."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path
from pydantic import Field

from api.deps import SettingsDep, StoreDep
from api.errors import NOT_FOUND
from api.limits import within_time_limit
from api.params import OffsetParam, Page, TypesParam, limit_param, type_names
from graph import queries
from graph.results import Fact, Relation
from graph.statements import facts_of
from schema.models import Node

router = APIRouter(tags=["entities"])

EntityIdParam = Annotated[str, Path(
    description="Entity id, a lower-case slug as returned by `/api/search`.",
    examples=["bota-jardemalie"])]


class EntityDetail(Node):
    """The entity's own fields, then its relationships as seen from it."""

    relations: list[Relation] = Field(description=(
        "Relationships touching the entity, ordered by relationship id. `direction` is `out` "
        "when the entity is the source, `in` when it is the target; `other` is the entity at "
        "the other end. Every relationship carries its citations."))
    relations_page: Page = Field(description="Which slice of the relationships this is.")
    facts: list[Fact] = Field(default_factory=list, description=(
        "Each field's values with the sources that state them (\"stated by N sources\"); "
        "where sources give different values of a field that holds one, all are listed, "
        "side by side, and `disagreement` is true."))


@router.get(
    "/entities/{id}", response_model=EntityDetail, responses=NOT_FOUND,
    summary="An entity and its cited relationships",
    description="All fields of the entity (name, aliases, roles, status, kind-specific "
                "properties, citations; for a person, `history`: its statuses and roles over "
                "time, newest first, each dated by its source or as of the source's "
                "publication, with citations) and one page of its relationships, each with the "
                "entity at the other end and the citations that state it. Use `limit` and "
                "`offset` to page through the relationships of well-connected entities.",
)
async def entity(
    id: EntityIdParam,
    store: StoreDep,
    settings: SettingsDep,
    types: TypesParam = None,
    limit: Annotated[int, limit_param(100, what="relationships")] = 100,
    offset: OffsetParam = 0,
) -> EntityDetail:
    found = await within_time_limit(store, settings, "entity", lambda: queries.relations(
        store, id, offset=offset, limit=limit, types=type_names(types), settings=settings))
    page = Page(offset=offset, limit=limit, returned=len(found.items), total=found.total,
                truncated=found.truncated)
    return EntityDetail(**found.entity.model_dump(), relations=found.items, relations_page=page,
                        facts=facts_of(found.entity))
