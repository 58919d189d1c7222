"""Source documents: the list of them, and the reader, where a citation leads.

Every citation's `href` (`schema.models.Citation.href`) is `/sources/{id}#p-{paragraph}`:
the reader page shows the source's metadata and, where its text is held
(`sources.library`), the text under its paragraph numbers, each an anchor, its
footnotes linked. A source whose text is not held here links its public address. The
text is read as the store of the request gives it (`api.views.reader`): the public reads
it with restricted persons' names removed, like every other text, and an editor reads it
whole. `/api/sources` and `/api/sources/{id}` answer the same as JSON.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path
from fastapi.responses import HTMLResponse
from pydantic import BaseModel, Field

from api.deps import ReadingsDep, SettingsDep, StoreDep
from api.errors import NOT_FOUND
from api.limits import within_time_limit
from api.routes.pages import error_page
from api.views.present import safe_url
from api.views.reader import Reading, Readings
from api.views.render import PerVersion, render
from graph import queries
from graph.coverage import SourceCoverage, coverage
from graph.errors import NodeNotFound, RepgraphError, WrongKind
from graph.names import WITHHELD
from graph.results import NodeRef, SourceUse
from graph.store import GraphStore
from schema.models import Node, source_href
from schema.vocabulary import NodeKind

router = APIRouter(tags=["sources"])
page = APIRouter(include_in_schema=False)

SourceIdParam = Annotated[str, Path(
    description="A source's id, as citations name it (`source`).", examples=["kz-upr48-2024"])]


class SourceItem(BaseModel):
    """A source document: what it is, where to read it, what the graph holds from it."""

    id: str
    name: str
    title: str | None = None
    authors: list[NodeRef] = Field(default_factory=list, description=(
        "Who wrote or submitted it, as the graph records it (`AUTHORED`)."))
    submitters: list[str] = Field(default_factory=list)
    publisher: str | None = None
    date: str | None = None
    url: str | None = Field(None, description="Its public address, where it has one.")
    href: str = Field(description="Its reader: `/sources/{id}`.")
    text: bool = Field(description="Whether its text is held here, to read under `href`.")
    uses: SourceUse = Field(description="What the graph holds from it.")
    people_added: int = Field(0, description=(
        "Distinct people it states that no source published earlier states (identity "
        "decisions make one person of two sources' records)."))
    people_confirmed: int = Field(0, description="Distinct people an earlier source states too.")
    cases_added: int = 0
    cases_confirmed: int = 0
    coverage: str | None = Field(None, description=(
        "What of the document could be read, where not all of it."))
    stated_counts: list[dict[str, object]] = Field(default_factory=list, description=(
        "Totals the document itself states (\"56 victims\"), beside what the graph records."))
    mirror: str | None = Field(None, description=(
        "A copy elsewhere, cited where the publisher's own page could not be read."))


class SourceParagraph(BaseModel):
    paragraph: str = Field(description="Its number, as citations give it (`3.7`, `front`, `4`).")
    href: str = Field(description="Where the reader shows it: `/sources/{id}#p-{paragraph}`.")
    heading: str | None = None
    text: str = Field(description="Its words, without markup or footnote markers.")
    footnotes: list[int] = Field(description="The footnotes it marks.")


class SourceFootnote(BaseModel):
    number: int
    url: str | None = Field(description="None when its address names a person withheld from "
                                        "the public.")


class SourceDetail(SourceItem):
    """A source document and, where its text is held, the text, paragraph by paragraph."""

    paragraphs: list[SourceParagraph] = Field(default_factory=list)
    footnotes: list[SourceFootnote] = Field(default_factory=list)


_uses: PerVersion[str, dict[str, SourceUse]] = PerVersion()
_coverage: PerVersion[str, dict[str, SourceCoverage]] = PerVersion()


def _covered(store: GraphStore) -> dict[str, SourceCoverage]:
    return _coverage.get(store, "coverage", lambda: {
        row.source.id: row for row in coverage(store).sources})


def _item(store: GraphStore, readings: Readings, node: Node,
          uses: dict[str, SourceUse]) -> SourceItem:
    props = node.properties
    authored = store.incident_edges(node.id, ["AUTHORED"])
    authors = store.find_nodes(e.source for e in authored if e.target == node.id)
    submitters = props.get("submitters")
    return SourceItem(
        id=node.id, name=node.name, title=_text(props.get("title")),
        authors=sorted((NodeRef.of(a) for a in authors.values()), key=lambda a: (a.name, a.id)),
        submitters=[str(s) for s in submitters] if isinstance(submitters, list) else [],
        publisher=_text(props.get("publisher")), date=_text(props.get("date")),
        url=safe_url(props.get("url")), href=source_href(node.id),
        text=readings.library.stamp(node) is not None, uses=uses.get(node.id, SourceUse()),
        **_counts(_covered(store).get(node.id)), coverage=_text(props.get("coverage")),
        stated_counts=list(props.get("stated_counts") or []), mirror=safe_url(props.get("mirror")))


def _counts(row: SourceCoverage | None) -> dict[str, int]:
    if row is None:
        return {}
    return {"people_added": row.people_added, "people_confirmed": row.people_confirmed,
            "cases_added": row.cases_added, "cases_confirmed": row.cases_confirmed}


def _text(value: object) -> str | None:
    return value if isinstance(value, str) else None


def list_sources(store: GraphStore, readings: Readings) -> list[SourceItem]:
    uses = _uses.get(store, "uses", lambda: queries.source_uses(store))
    # oldest first, as the record grew; undated ones last
    return sorted((_item(store, readings, n, uses) for n in store.iter_nodes(NodeKind.SOURCE)),
                  key=lambda s: (not s.date, s.date or "", s.name, s.id))


def read_source(store: GraphStore, readings: Readings,
                source_id: str) -> tuple[SourceItem, Reading | None]:
    node = store.get_node(source_id)
    if node.kind is not NodeKind.SOURCE:
        raise WrongKind("id", source_id, node.kind, NodeKind.SOURCE)
    uses = _uses.get(store, "uses", lambda: queries.source_uses(store))
    return _item(store, readings, node, uses), readings.of(store, node)


@router.get("/sources", response_model=list[SourceItem],
            summary="Every source document, with what the graph holds from it")
async def sources(store: StoreDep, settings: SettingsDep,
                  readings: ReadingsDep) -> list[SourceItem]:
    return await within_time_limit(store, settings, "sources",
                                   lambda: list_sources(store, readings))


@router.get("/sources/{id}", response_model=SourceDetail, responses=NOT_FOUND,
            summary="A source document and its text, paragraph by paragraph",
            description="The metadata of the source and, where its text is held, every "
                        "paragraph under the number citations give it, with its reader link "
                        "(each citation's `href`), and its footnotes. The public reads the text "
                        "with restricted persons' names removed.")
async def source(id: SourceIdParam, store: StoreDep, settings: SettingsDep,
                 readings: ReadingsDep) -> SourceDetail:
    item, reading = await within_time_limit(store, settings, "source",
                                            lambda: read_source(store, readings, id))
    if reading is None:
        return SourceDetail(**item.model_dump())
    return SourceDetail(
        **item.model_dump(),
        paragraphs=[SourceParagraph(paragraph=b.label, href=source_href(item.id, b.label),
                                    heading=b.heading, text=b.text, footnotes=b.notes)
                    for b in reading.blocks],
        footnotes=[SourceFootnote(number=f.number, url=f.url) for f in reading.footnotes])


@page.get("/sources", response_class=HTMLResponse)
async def sources_page(store: StoreDep, settings: SettingsDep,
                       readings: ReadingsDep) -> HTMLResponse:
    try:
        items = await within_time_limit(store, settings, "sources",
                                        lambda: list_sources(store, readings))
    except RepgraphError as exc:
        return error_page(exc)
    return render("sources.html", sources=items)


@page.get("/sources/{source_id}", response_class=HTMLResponse)
async def source_page(store: StoreDep, settings: SettingsDep, readings: ReadingsDep,
                      source_id: str) -> HTMLResponse:
    try:
        item, reading = await within_time_limit(store, settings, "source", lambda: read_source(
            store, readings, source_id))
    except (NodeNotFound, WrongKind):
        return render("error.html", 404, title="Not found",
                      message="There is no source with this id.")
    except RepgraphError as exc:
        return error_page(exc)
    return render("source.html", source=item, reading=reading, withheld=WITHHELD)
