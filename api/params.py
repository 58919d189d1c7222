"""Query parameters and page metadata shared by several routes.

Relationship types are an enum in the OpenAPI document, built from the schema
vocabulary, so clients see the allowed values and an unknown one is a 422 that
names `types` before any query runs.
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum
from typing import Annotated, TypeVar

from fastapi import Query
from pydantic import BaseModel, Field

from schema.vocabulary import RELATIONS

T = TypeVar("T")

#: The relationship types of the vocabulary, as an OpenAPI enum.
RelationTypeName = StrEnum(  # type: ignore[misc]
    "RelationTypeName", {name: name for name in sorted(RELATIONS)})

TypesParam = Annotated[
    list[RelationTypeName] | None,
    Query(description="Only follow these relationship types. Repeat the parameter for "
                      "several: `types=FAMILY_OF&types=REPRESENTED`. Default: all types.",
          examples=[["FAMILY_OF", "REPRESENTED"]]),
]
OffsetParam = Annotated[int, Query(ge=0, le=1_000_000,
                                   description="How many items to skip (paging).")]


def limit_param(default: int, cap: int = 500, what: str = "items") -> object:
    """A `limit` query parameter; larger answers are paged, and the page says so."""
    return Query(ge=1, le=cap, description=f"At most this many {what} per page "
                                           f"(1..{cap}, default {default}).")


def type_names(types: list[RelationTypeName] | None) -> list[str] | None:
    return [t.value for t in types] if types else None


class Page(BaseModel):
    """Where this page sits in the whole answer."""

    offset: int = Field(description="Items skipped before this page.")
    limit: int = Field(description="Page size asked for.")
    returned: int = Field(description="Items in this page.")
    total: int = Field(description="Items in the whole answer.")
    truncated: bool = Field(description="True when more items follow this page: ask again "
                                        "with `offset` + `returned`.")


def page_of(items: Sequence[T], offset: int, limit: int) -> tuple[list[T], Page]:
    """Cut one page from a complete answer and describe it."""
    chunk = list(items[offset:offset + limit])
    return chunk, Page(offset=offset, limit=limit, returned=len(chunk), total=len(items),
                       truncated=offset + len(chunk) < len(items))
