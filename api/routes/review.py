"""Editors' review of identity candidates: the open queue, and a decision on one.

Decisions made here are kept beside the store (`graph.review`) and count from the next
read; `repgraph review export` moves them into the dataset to be committed. Every
decision, refused or not, is in the audit log. The public sees none of it (401).
"""

from __future__ import annotations

import math
from typing import Annotated

import anyio.to_thread
from fastapi import APIRouter, HTTPException, Path, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, Response
from pydantic import BaseModel, Field, ValidationError

from api import audit
from api.audit import AuditedRoute
from api.clients import client_address
from api.deps import SettingsDep, StoreDep
from api.editors import EditorKeys
from api.errors import ErrorBody, Responses
from api.limits import within_time_limit
from api.ratelimit import TokenBuckets
from api.routes.signin import see_other, small_form
from api.security import PUBLIC, Audience, EditorDep
from api.views.render import render
from config import Settings
from graph.errors import NodeNotFound, RepgraphError
from graph.identity import Candidate, Decision, Judgement
from graph.review import ReviewFiles
from graph.store import GraphStore
from schema.vocabulary import Sensitivity

reading = APIRouter(tags=["review"])
deciding = APIRouter(tags=["review"], route_class=AuditedRoute)
page = APIRouter(include_in_schema=False)

EDITORS_ONLY: Responses = {401: {"model": ErrorBody, "description": "no or wrong editor API key"}}
CandidateId = Annotated[str, Path(pattern=r"^cand-[0-9a-f]{16}$",
                                  description="a candidate's id, from `GET /api/review`")]


class ReviewQueue(BaseModel):
    items: list[Candidate]


class DecisionIn(BaseModel):
    judgement: Judgement = Field(description="same (one entity: merge), different (never "
                                             "propose again), unsure, or undone (take back "
                                             "the last decision)")
    sensitivity: Sensitivity | None = Field(
        default=None, description="with same: the merged entity's sensitivity; by default "
                                  "the most restricted of the records")
    note: str | None = Field(default=None, max_length=500, description="why")


#: `DecisionIn` as the OpenAPI document gives it (pydantic's own schema keeps its enums under
#: a `$defs` that a reference in the document cannot reach)
_DECISION_SCHEMA = {
    "type": "object", "required": ["judgement"],
    "properties": {
        "judgement": {"type": "string", "enum": [j.value for j in Judgement],
                      "description": "same, different, unsure, or undone"},
        "sensitivity": {"type": ["string", "null"],
                        "enum": [*(s.value for s in Sensitivity), None],
                        "description": "with same: the merged entity's sensitivity"},
        "note": {"type": ["string", "null"], "maxLength": 500, "description": "why"}}}


def review_files(request: Request) -> ReviewFiles:
    """The files of the store the app reads (`graph.with_decisions` wrapped it)."""
    files: ReviewFiles = request.app.state.store.files
    return files


@reading.get("/review", response_model=ReviewQueue, summary="Open identity candidates "
             "(editors only)", responses=EDITORS_ONLY,
             description="Candidates an import proposed (a near name that may be a stored "
                         "entity), closest first, each with the evidence of both sides: "
                         "names, sources and paragraphs.")
async def open_candidates(request: Request, editor: EditorDep, store: StoreDep,
                          settings: SettingsDep) -> ReviewQueue:
    files = review_files(request)
    return ReviewQueue(items=await within_time_limit(
        store, settings, "review", lambda: files.open_candidates(store), inline=False))


@deciding.post("/review/{candidate}", response_model=Decision, summary="Decide a candidate "
               "(editors only)", responses={**EDITORS_ONLY, 404: {
                   "model": ErrorBody, "description": "no candidate with this id"}, 422: {
                   "description": "a body that is not a decision, or a bad candidate id"}},
               openapi_extra={"requestBody": {"required": True, "content": {
                   "application/json": {"schema": _DECISION_SCHEMA}}}},
               description="Records the editor's judgement, in the audit log too. `same` "
                           "makes the two one entity from the next read; `undone` takes "
                           "the last decision back.")
async def decide(request: Request, editor: EditorDep, store: StoreDep,
                 candidate: CandidateId) -> Decision:
    # the body is read here, after the key is checked: the public gets its 401 whatever
    # it sends, and a body that is not JSON is a 422 like any other bad decision
    try:
        body = DecisionIn.model_validate_json(await request.body())
    except ValidationError as exc:
        raise RequestValidationError([{**e, "loc": ("body", *e["loc"])}
                                      for e in exc.errors()]) from exc
    request.state.audit.update(candidate=candidate, judgement=body.judgement.value)
    files = review_files(request)

    def record(store: GraphStore) -> Decision:
        return files.decide(store, candidate, body.judgement, by=editor.who, over_api=True,
                            sensitivity=body.sensitivity, note=body.note)

    return await anyio.to_thread.run_sync(record, store)


@page.get("/review", response_class=HTMLResponse)
async def review_page(request: Request, store: StoreDep) -> HTMLResponse:
    """The queue for a signed-in editor; for anyone else the answer of a path that does
    not exist, so the public learns nothing of it."""
    audience: Audience = getattr(request.state, "audience", PUBLIC)
    if not audience.editor:
        raise HTTPException(404, "Not Found")
    waiting = await anyio.to_thread.run_sync(review_files(request).open_candidates, store)
    return render("review.html", title="Identity review", candidates=waiting)


@page.post("/review/{candidate}", response_class=HTMLResponse)
async def review_form(request: Request, candidate: CandidateId) -> Response:
    """A decision from the review page. It needs the editor's key in the form, as every
    write needs the key itself and never only a session; a cross-site form cannot hold
    it. A wrong key spends from the sign-in attempts of the client's address, and is
    refused before the candidate is looked at, so nothing is learnt of the queue."""
    settings: Settings = request.app.state.settings
    limits: TokenBuckets = request.app.state.signin_limits
    client = client_address(request)
    entry = {"action": "review-decide", "candidate": candidate, "client": client}
    wait = limits.wait(client)
    if wait > 0:
        audit.record(settings.audit_log_path, who="unknown", **entry, status=429,
                     result="rate limited")
        page = render("error.html", 429, title="Too many attempts",
                      message=f"Please wait {math.ceil(wait)} s and try again.")
        page.headers["retry-after"] = str(math.ceil(wait))
        return page
    form = await small_form(request)
    editors: EditorKeys = request.app.state.editors
    editor = editors.match(form["key"]) if form.get("key") else None
    if editor is None:
        limits.take(client)
        audit.record(settings.audit_log_path, who="unknown", **entry, status=401,
                     result="refused")
        return render("error.html", 401, title="Not decided",
                      message="A decision needs an editor's key. Go back and enter yours.")
    who = "editor:" + editor.name
    try:
        judgement = Judgement(form.get("judgement", ""))
        decided = await anyio.to_thread.run_sync(lambda: review_files(request).decide(
            store_for(request), candidate, judgement, by=who, over_api=True,
            note=form.get("note") or None))
    except (ValueError, RepgraphError) as exc:
        audit.record(settings.audit_log_path, who=who, **entry, status=422, result="invalid")
        return render("error.html", 422 if not isinstance(exc, NodeNotFound) else 404,
                      title="Not decided", message=str(exc))
    audit.record(settings.audit_log_path, who=who, **entry, status=303, result="ok",
                 judgement=decided.judgement.value)
    return see_other("/review")


def store_for(request: Request) -> GraphStore:
    """The store itself: the form's editor is known by the key, not by the audience the
    request came with (a form post carries no key header)."""
    store: GraphStore = request.app.state.store
    return store
