"""HTML pages: home and search, entity pages, and each network view as a page and an embed.

Every view answers under `/viz/...` (full page with filters, legend and the
embed snippet) and `/embed/...` (the bare network, frameable). A name typed for a
path is taken only when it is an id or an entity's exact name or alias; anything
else gets a page to choose from (`_choice_page`), never a guess. Pages read the
store they are given (`StoreDep`): the public view for the public, so restricted
persons appear only as pseudonymous records, and no template asks who is asking.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any, Literal
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response
from markupsafe import escape

from api.deps import SettingsDep, StoreDep
from api.limits import within_time_limit
from api.ratelimit import spend
from api.routes.search import search_index
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
from api.views.subgraphs import ViewGraph
from config import Settings
from graph.errors import Ambiguous, LimitExceeded, NodeNotFound, QueryTimeout, RepgraphError, Unresolved
from graph.results import Stats
from graph.search import Hit, resolve_id
from graph.store import GraphStore
from schema.models import Node
from schema.vocabulary import RELATIONS, NodeKind, relation_words

router = APIRouter(include_in_schema=False)
ListParam = Annotated[list[str], Query()]


def _state(request: Request) -> ViewState:
    state: ViewState | None = getattr(request.app.state, "views", None)
    if state is None:
        state = request.app.state.views = ViewState()
    return state


def error_page(exc: Exception) -> HTMLResponse:
    if isinstance(exc, NodeNotFound):
        return render("error.html", 404, title="Not found",
                      message="There is no entity with this id.")
    if isinstance(exc, LimitExceeded | ValueError):
        return render("error.html", 422, title="Cannot show this view", message=str(exc))
    if isinstance(exc, QueryTimeout):
        return render("error.html", 503, title="This took too long", message=str(exc))
    return render("error.html", 500, title="Something went wrong",
                  message="The view could not be built. Please try again later.")


def _network(request: Request, store: GraphStore, settings: Settings,
             build: Callable[[], ViewSpec]) -> tuple[ViewSpec, ViewGraph, NetworkView]:
    """Query, cap and lay out a view: the part that may run past the time limit."""
    state = _state(request)
    version = data_version(store)
    spec = build()
    graph = spec.graph.capped(settings.view_max_nodes, settings.view_max_edges)
    positions = state.layouts.get(
        (version, spec.path, settings.view_max_nodes, settings.view_max_edges),
        [n.id for n in graph.nodes], [(e.source, e.target) for e in graph.edges])
    return spec, graph, build_network(graph, positions, Presenter(store, request.app.state.readings),
                                      centre=spec.centre)


def too_many(request: Request, what: str) -> HTMLResponse | None:
    """A 429 page when this client has spent its rate limit (`api.ratelimit`), else None:
    for pages as expensive as the API's costliest answers."""
    wait = spend(request)
    if wait <= 0:
        return None
    refused = render("error.html", 429, title="Too many requests",
                     message=f"Too many {what} from your address; retry in {wait} s.")
    refused.headers["Retry-After"] = str(wait)
    return refused


async def _view(request: Request, store: GraphStore, settings: Settings,
                build: Callable[[], ViewSpec]) -> HTMLResponse:
    """Build, cap, lay out and render a view, as a full page or an embed.

    Views are as expensive as the API's neighbourhoods and paths, so they spend from
    the same per-client rate limit. Links that leave the page (the embed snippet) use
    the configured public address, never the request's Host header."""
    embed = request.url.path.startswith("/embed/")
    if (refused := too_many(request, "views")) is not None:
        return refused
    try:
        spec, graph, view = await within_time_limit(
            store, settings, "view", lambda: _network(request, store, settings, build),
            inline=False)  # layout and drawing take long between checkpoints
    except (RepgraphError, ValueError) as exc:
        return error_page(exc)
    embed_url = f"{settings.public_base_url}/embed{spec.path}"
    snippet = (f'<iframe src="{escape(embed_url)}" title="{escape(spec.title)}" width="100%" '
               f'height="600" style="border:0" loading="lazy"></iframe>')
    return render("embed.html" if embed else "view.html", spec=spec, view=view, graph=graph,
                  data_json=script_json(view.data), full_url=f"/viz{spec.path}",
                  embed_url=embed_url, snippet=str(snippet), relation_types=_relation_choices(),
                  node_kinds=list(NodeKind))


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
    return await _view(request, store, settings, lambda: entity_spec(
        store, settings, entity_id, depth, parse_types(types), expand_generic))


@router.get("/viz/path", response_class=HTMLResponse)
@router.get("/embed/path", response_class=HTMLResponse)
async def path_network(request: Request, store: StoreDep, settings: SettingsDep,
                       source: Annotated[str, Query(min_length=1, max_length=200)],
                       target: Annotated[str, Query(min_length=1, max_length=200)],
                       mode: Literal["shortest", "all", "ranked"] = "shortest",
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

    return await _view(request, store, settings, lambda: path_spec(
        store, source, target, mode, [n.id for n in around if n.id], through_generic))


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
    return await _view(request, store, settings, lambda: relatives_spec(store))


@router.get("/viz/case/{case_id}", response_class=HTMLResponse)
@router.get("/embed/case/{case_id}", response_class=HTMLResponse)
async def case_network(request: Request, store: StoreDep, settings: SettingsDep,
                       case_id: str) -> HTMLResponse:
    return await _view(request, store, settings,
                       lambda: case_spec(store, case_id))


@router.get("/viz/graph", response_class=HTMLResponse)
@router.get("/embed/graph", response_class=HTMLResponse)
async def whole_network(request: Request, store: StoreDep, settings: SettingsDep,
                        kinds: ListParam = []) -> HTMLResponse:  # noqa: B006
    return await _view(request, store, settings, lambda: graph_spec(store, parse_kinds(kinds)))


@router.get("/vendor/{name}")
def vendor(name: str) -> Response:
    """vis-network from the installed pyvis package: the pages never need a CDN."""
    path = VENDOR_FILES.get(name)
    if path is None:
        return Response("not found", status_code=404, media_type="text/plain")
    return FileResponse(path, headers={"Cache-Control": "public, max-age=86400"})
