"""Editors' review of identity candidates: the open queue, and a decision on one.

Decisions made here are kept beside the store (`graph.review`) and count from the next
read; `repgraph review export` moves them into the dataset to be committed. Every
decision, refused or not, is in the audit log. The public sees none of it (401).
"""

from __future__ import annotations

from typing import Annotated

import anyio.to_thread
from fastapi import APIRouter, HTTPException, Path, Request
from fastapi.responses import HTMLResponse
from pydantic import BaseModel, Field

from api.audit import AuditedRoute
from api.deps import StoreDep
from api.errors import ErrorBody, Responses
from api.security import PUBLIC, Audience, EditorDep
from api.views.render import render
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


def review_files(request: Request) -> ReviewFiles:
    """The files of the store the app reads (`graph.with_decisions` wrapped it)."""
    files: ReviewFiles = request.app.state.store.files
    return files


@reading.get("/review", response_model=ReviewQueue, summary="Open identity candidates "
             "(editors only)", responses=EDITORS_ONLY,
             description="Candidates an import proposed (a near name that may be a stored "
                         "entity), closest first, each with the evidence of both sides: "
                         "names, sources and paragraphs.")
async def open_candidates(request: Request, editor: EditorDep,
                          store: StoreDep) -> ReviewQueue:
    files = review_files(request)
    return ReviewQueue(items=await anyio.to_thread.run_sync(files.open_candidates, store))


@deciding.post("/review/{candidate}", response_model=Decision, summary="Decide a candidate "
               "(editors only)", responses={**EDITORS_ONLY, 404: {
                   "model": ErrorBody, "description": "no candidate with this id"}},
               description="Records the editor's judgement, in the audit log too. `same` "
                           "makes the two one entity from the next read; `undone` takes "
                           "the last decision back.")
async def decide(request: Request, editor: EditorDep, store: StoreDep,
                 candidate: CandidateId, body: DecisionIn) -> Decision:
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
