"""HTML pages: home and search, entity pages, and each network view as a page and an embed.

Every view answers under `/viz/...` (full page with filters, legend and the
embed snippet) and `/embed/...` (the bare network, frameable). What a view shows is
read from its address, its URL after the prefix (`view_address`, `view_spec`), the same
way for a page and for an oEmbed answer (`api.routes.oembed`); the routes declare their
parameters so that FastAPI checks them and documents them. A name typed for a
path is taken only when it is an id or an entity's exact name or alias; anything
else gets a page to choose from (`_choice_page`), never a guess. Pages read the
store they are given (`StoreDep`): the public view for the public, so restricted
persons appear only as pseudonymous records, and no template asks who is asking.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Annotated, Any, Literal, TypeVar
from urllib.parse import unquote, urlencode

import orjson
from fastapi import APIRouter, Query, Request
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, RedirectResponse, Response
from pydantic import Field, TypeAdapter, ValidationError
from starlette.datastructures import QueryParams

from api.deps import SettingsDep, StoreDep
from api.limits import within_time_limit
from api.ratelimit import spend
from api.routes.search import search_index
from api.views.embedding import discovery_href, embed_snippet
from api.views.entity import entity_page_context
from api.views.network import NetworkView, build_network, script_json
from api.views.present import Presenter
from api.views.render import VENDOR_FILES, ViewState, data_version, render
from api.views.specs import (
    ViewSpec,
    case_spec,
    entity_spec,
    graph_spec,
    parse_kinds,
    parse_types,
    path_spec,
    relatives_spec,
    split_list,
)
from api.views.subgraphs import ViewGraph, entity_view
from config import Settings
from graph.errors import Ambiguous, LimitExceeded, NodeNotFound, QueryTimeout, RepgraphError, Unresolved
from graph.results import Stats
from graph.search import Hit, resolve_id
from graph.store import GraphStore
from schema.models import Node
from schema.vocabulary import RELATIONS, NodeKind, relation_words

router = APIRouter(include_in_schema=False)
T = TypeVar("T")
ListParam = Annotated[list[str], Query()]


def view_state(request: Request) -> ViewState:
    state: ViewState | None = getattr(request.app.state, "views", None)
    if state is None:
        state = request.app.state.views = ViewState()
    return state


def _failure(exc: Exception) -> tuple[int, str, str]:
    """An error's status, title and message, for a page or a JSON answer alike."""
    if isinstance(exc, NodeNotFound):
        return 404, "Not found", "There is no entity with this id."
    if isinstance(exc, LimitExceeded | ValueError):
        return 422, "Cannot show this view", str(exc)
    if isinstance(exc, QueryTimeout):
        return 503, "This took too long", str(exc)
    return 500, "Something went wrong", "The view could not be built. Please try again later."


def error_page(exc: Exception) -> HTMLResponse:
    status, title, message = _failure(exc)
    return render("error.html", status, title=title, message=message)


def _network(request: Request, store: GraphStore, settings: Settings,
             address: ViewAddress) -> tuple[ViewSpec, ViewGraph, NetworkView]:
    """Query, cap and lay out a view: the part that may run past the time limit."""
    state = view_state(request)
    version = data_version(store)
    spec = view_spec(store, settings, address)
    graph = spec.graph.capped(settings.view_max_nodes, settings.view_max_edges)
    positions = state.layouts.get(
        (version, spec.path, settings.view_max_nodes, settings.view_max_edges),
        [n.id for n in graph.nodes], [(e.source, e.target) for e in graph.edges])
    return spec, graph, build_network(graph, positions, Presenter(store, request.app.state.readings),
                                      centre=spec.centre)


def refused_page(wait: int, what: str) -> HTMLResponse:
    """The 429 page for a client that has spent its rate limit."""
    refused = render("error.html", 429, title="Too many requests",
                     message=f"Too many {what} from your address; retry in {wait} s.")
    refused.headers["Retry-After"] = str(wait)
    return refused


def too_many(request: Request, what: str) -> HTMLResponse | None:
    """A 429 page when this client has spent its rate limit (`api.ratelimit`), else None:
    for pages as expensive as the API's costliest answers."""
    wait = spend(request)
    return refused_page(wait, what) if wait > 0 else None


class TooMany(Exception):
    """The client has spent its rate limit; `wait` seconds until it may ask again."""

    def __init__(self, wait: int) -> None:
        super().__init__(f"retry in {wait} s")
        self.wait = wait


async def within_view_limits(request: Request, store: GraphStore, settings: Settings,
                             work: Callable[[], T]) -> T:
    """Run `work` (which reads `store` to build a view) as every view answer does, page,
    embed or oEmbed: it spends one token of the client's rate limit (`TooMany` when there
    is none left), then runs in a worker thread within the view time limit (layout and
    drawing take long between checkpoints)."""
    wait = spend(request)
    if wait > 0:
        raise TooMany(wait)
    return await within_time_limit(store, settings, "view", work, inline=False)


async def _view(request: Request, store: GraphStore, settings: Settings,
                address: ViewAddress) -> HTMLResponse:
    """Build, cap, lay out and render a view, as a full page or an embed.

    Views are as expensive as the API's neighbourhoods and paths, so they spend from
    the same per-client rate limit. Links that leave the page (the embed snippet, the
    oEmbed discovery link) use the configured public address, never the request's Host
    header."""
    embed = request.url.path.startswith("/embed/")
    try:
        spec, graph, view = await within_view_limits(
            request, store, settings, lambda: _network(request, store, settings, address))
    except TooMany as exc:
        return refused_page(exc.wait, "views")
    except (RepgraphError, ValueError) as exc:
        return error_page(exc)
    base = settings.public_base_url
    return render("embed.html" if embed else "view.html", spec=spec, view=view, graph=graph,
                  data_json=script_json(view.data), full_url=f"/viz{spec.path}",
                  embed_url=f"{base}/embed{spec.path}",
                  snippet=str(embed_snippet(base, spec.title, spec.path)),  # shown as text
                  oembed_href=discovery_href(base, spec.path), relation_types=_relation_choices(),
                  node_kinds=list(NodeKind))


Mode = Literal["shortest", "all", "ranked"]
MAX_REF = 200  # the longest id or name a path view takes
_DEPTH = TypeAdapter(Annotated[int, Field(ge=1)])
_FLAG = TypeAdapter(bool)
_MODE: TypeAdapter[Mode] = TypeAdapter(Mode)
#: the views a URL can name after `/viz` or `/embed`; the first two take an id in the path
WITH_ID, WITHOUT_ID = ("entity", "case"), ("path", "relatives", "graph")


@dataclass(frozen=True)
class ViewAddress:
    """A view as its URL names it after `/viz` or `/embed`: which view, the id in its path
    (entity and case views; else ""), and its query."""

    view: str
    id: str = ""
    query: QueryParams = field(default_factory=QueryParams)


def view_address(path: str, query: str = "") -> ViewAddress | None:
    """The view that `path` (a URL's path after `/viz` or `/embed`, still percent-encoded)
    and `query` name, or None where the page routes would answer 404. An encoded slash in
    an id matches no route (the server decodes the path before routing), nor here."""
    parts = path.split("/")
    if parts[0] != "":
        return None
    if len(parts) == 2 and parts[1] in WITHOUT_ID:
        return ViewAddress(parts[1], "", QueryParams(query))
    ident = unquote(parts[2]) if len(parts) == 3 else ""
    if parts[1] in WITH_ID and ident and "/" not in ident:
        return ViewAddress(parts[1], ident, QueryParams(query))
    return None


def _option(query: QueryParams, name: str, adapter: TypeAdapter[T], default: T) -> T:
    """One query parameter, read as FastAPI reads a page's parameter of that type."""
    value = query.get(name)
    if value is None:
        return default
    try:
        return adapter.validate_strings(value)
    except ValidationError:
        raise ValueError(f"{name}: not a valid value") from None


def _entity_id(store: GraphStore, parameter: str, ref: str | None) -> str:
    """The id that `ref` names (an id or an exact name, as the path page takes them)."""
    if ref is None or not 0 < len(ref) <= MAX_REF:
        raise ValueError(f"{parameter}: give an id or a name of 1 to {MAX_REF} characters")
    named = _name(store, parameter, ref)
    if named.id is None:
        raise NodeNotFound(ref)
    return named.id


def view_spec(store: GraphStore, settings: Settings, address: ViewAddress) -> ViewSpec:
    """The spec of the view at `address`, by the builders of `api.views.specs`: what a
    page, an embed and an oEmbed answer for that URL all show. Raises `NodeNotFound` for
    an id or name that names no entity, `ValueError` for a bad parameter."""
    q = address.query
    if address.view == "entity":
        return entity_spec(store, settings, address.id, _option(q, "depth", _DEPTH, 1),
                           parse_types(q.getlist("types")),
                           _option(q, "expand_generic", _FLAG, False))
    if address.view == "path":
        source, target = (_entity_id(store, name, q.get(name)) for name in ("source", "target"))
        avoid = [_entity_id(store, "avoid", ref) for ref in split_list(q.getlist("avoid"))]
        return path_spec(store, source, target, _option(q, "mode", _MODE, "shortest"), avoid,
                         _option(q, "through_generic", _FLAG, False))
    if address.view == "case":
        return case_spec(store, address.id)
    if address.view == "graph":
        return graph_spec(store, parse_kinds(q.getlist("kinds")))
    return relatives_spec(store)


def _relation_choices() -> list[tuple[str, str]]:
    """The relationship filter's options: each type by its words, in the order of the words."""
    return sorted(((t, relation_words(t)) for t in RELATIONS), key=lambda c: (c[1], c[0]))


@router.get("/", response_class=HTMLResponse)
async def home(request: Request, store: StoreDep, settings: SettingsDep) -> HTMLResponse:
    def cases_and_stats() -> tuple[list[tuple[str, str]], Stats]:
        cases = sorted(((n.id, n.name) for n in store.iter_nodes(NodeKind.CASE)),
                       key=lambda c: (c[1], c[0]))
        return cases, store.stats()
    try:
        cases, stats = await within_time_limit(store, settings, "home page", cases_and_stats)
    except RepgraphError as exc:
        return error_page(exc)
    return render("home.html", cases=cases, stats=stats)


@router.get("/entities/{entity_id}", response_class=HTMLResponse)
async def entity_page(request: Request, store: StoreDep, settings: SettingsDep,
                      entity_id: str) -> HTMLResponse:
    def context_of() -> dict[str, Any]:
        return entity_page_context(store, entity_id)
    try:
        context = await within_time_limit(store, settings, "entity page", context_of)
    except RepgraphError as exc:
        return error_page(exc)
    return render("entity.html", **context)


@router.get("/viz/entity/{entity_id}", response_class=HTMLResponse)
@router.get("/embed/entity/{entity_id}", response_class=HTMLResponse)
async def entity_network(request: Request, store: StoreDep, settings: SettingsDep,
                         entity_id: str, depth: Annotated[int, Query(ge=1)] = 1,
                         types: ListParam = [],  # noqa: B006
                         expand_generic: bool = False) -> HTMLResponse:
    return await _view(request, store, settings,
                       ViewAddress("entity", entity_id, request.query_params))


@router.get("/viz/expand/{entity_id}")
async def expand_step(request: Request, store: StoreDep, settings: SettingsDep, entity_id: str,
                      types: ListParam = []) -> Response:  # noqa: B006
    """One step out from an entity, as network data that a view adds in place (`view.js`).

    The reader's own store answers, so a public visitor asking for a restricted person's
    id gets the same 404 as for an id that names nobody."""
    def step() -> NetworkView:
        wanted = parse_types(types)
        graph = entity_view(store, entity_id, depth=1, types=wanted or None,
                            limit=min(settings.view_max_nodes, settings.max_page))
        graph = graph.capped(settings.view_max_nodes, settings.view_max_edges)
        return build_network(graph, {}, Presenter(store, request.app.state.readings))
    try:
        view = await within_view_limits(request, store, settings, step)
    except TooMany as exc:
        return JSONResponse({"detail": f"Too many views from your address; {exc}."},
                            status_code=429, headers={"Retry-After": str(exc.wait)})
    except (RepgraphError, ValueError) as exc:
        status, _, message = _failure(exc)
        return JSONResponse({"detail": message}, status_code=status)
    return Response(orjson.dumps(view.data), media_type="application/json",
                    headers={"Cache-Control": "no-store"})


@router.get("/viz/path", response_class=HTMLResponse)
@router.get("/embed/path", response_class=HTMLResponse)
async def path_network(request: Request, store: StoreDep, settings: SettingsDep,
                       source: Annotated[str, Query(min_length=1, max_length=MAX_REF)],
                       target: Annotated[str, Query(min_length=1, max_length=MAX_REF)],
                       mode: Mode = "shortest",
                       avoid: ListParam = [],  # noqa: B006
                       through_generic: bool = False) -> Response:
    """The connection between two entities, named by id or by exact name (a form's names
    become ids by a redirect, so that the URL shared is the stable one), around the entities
    in `avoid` (ids or exact names, comma-separated or repeated)."""
    typed = {"source": source, "target": target}
    avoided = split_list(avoid)
    try:
        named = await within_time_limit(store, settings, "view", lambda: [
            _name(store, parameter, ref) for parameter, ref in typed.items()])
        around = await within_time_limit(store, settings, "view", lambda: [
            _name(store, "avoid", ref) for ref in avoided])
    except RepgraphError as exc:
        return error_page(exc)
    unknown = [n.typed for n in around if n.id is None]
    if unknown:
        return error_page(ValueError(
            f"avoid: {', '.join(unknown)} names no single entity; give its id (find it with "
            f"the search) or its exact name"))
    options = {"mode": mode, "avoid": ",".join(n.id or "" for n in around),
               "through_generic": "true" if through_generic else ""}
    if any(n.id is None for n in named):
        return _choice_page(request.url.path, named, options)
    ids = {n.parameter: n.id for n in named}
    if ids != typed or options["avoid"] != ",".join(avoided) or len(avoid) > 1:
        query = urlencode({k: v for k, v in {**ids, **options}.items() if v}, safe=",")
        return RedirectResponse(f"{request.url.path}?{query}", 303)

    return await _view(request, store, settings, ViewAddress("path", "", request.query_params))


@dataclass(frozen=True)
class _Named:
    """What a person typed for one parameter: the id it names, or hits to choose from."""

    parameter: str
    typed: str
    id: str | None
    candidates: list[Hit]
    ambiguous: bool = False


def _name(store: GraphStore, parameter: str, ref: str) -> _Named:
    """An id, or an exact name or alias (`graph.search.resolve_id`); never a near name.
    The candidates come from the reader's own search (the public view for the public)."""
    if store.has_node(ref):  # an id: no index to build
        return _Named(parameter, ref, ref, [])
    try:
        return _Named(parameter, ref, resolve_id(store, search_index(store), ref), [])
    except Unresolved as exc:
        return _Named(parameter, ref, None, exc.candidates, isinstance(exc, Ambiguous))


def _choice_page(path: str, named: list[_Named], options: dict[str, str]) -> HTMLResponse:
    """Which entity was meant: each candidate links to this view with its id filled in, and
    every other option of the question kept.

    Always a 200, like a page of search results, even with nothing to choose: its status
    then says nothing about the name, which may be a restricted person's (the public's
    candidates come from the public search, which never finds one).
    """
    fixed = {n.parameter: n.id or n.typed for n in named}
    kept = {k: v for k, v in options.items() if v}

    def listed(n: _Named, weak: bool) -> list[tuple[Hit, str, str]]:
        """(hit, this view with the hit's id for `n`, short description)"""
        return [(h, f"{path}?{urlencode({**fixed, n.parameter: h.node.id, **kept}, safe=',')}",
                 _short(h.node)) for h in n.candidates if h.weak is weak]

    choices = [{"named": n, "matches": listed(n, False), "similar": listed(n, True)}
               for n in named]
    return render("choose.html", title="Which one did you mean?", choices=choices,
                  form_action=path, typed={n.parameter: n.typed for n in named},
                  options=kept)


def _short(node: Node, length: int = 160) -> str:
    """The first sentence or so of a description, for telling candidates apart."""
    text = " ".join((node.description or "").split())
    return text if len(text) <= length else text[:length].rsplit(" ", 1)[0] + "…"


@router.get("/viz/relatives", response_class=HTMLResponse)
@router.get("/embed/relatives", response_class=HTMLResponse)
async def relatives_network(request: Request, store: StoreDep,
                            settings: SettingsDep) -> HTMLResponse:
    return await _view(request, store, settings, ViewAddress("relatives"))


@router.get("/viz/case/{case_id}", response_class=HTMLResponse)
@router.get("/embed/case/{case_id}", response_class=HTMLResponse)
async def case_network(request: Request, store: StoreDep, settings: SettingsDep,
                       case_id: str) -> HTMLResponse:
    return await _view(request, store, settings, ViewAddress("case", case_id))


@router.get("/viz/graph", response_class=HTMLResponse)
@router.get("/embed/graph", response_class=HTMLResponse)
async def whole_network(request: Request, store: StoreDep, settings: SettingsDep,
                        kinds: ListParam = []) -> HTMLResponse:  # noqa: B006
    return await _view(request, store, settings, ViewAddress("graph", "", request.query_params))


@router.get("/vendor/{name}")
def vendor(name: str) -> Response:
    """vis-network from the installed pyvis package: the pages never need a CDN."""
    path = VENDOR_FILES.get(name)
    if path is None:
        return Response("not found", status_code=404, media_type="text/plain")
    return FileResponse(path, headers={"Cache-Control": "public, max-age=86400"})
