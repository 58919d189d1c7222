"""Editors' write API: the same validated, all-or-nothing loads as the command line
(`loaders.formats`), every attempt in the audit log (`api.audit.AuditedRoute`)."""

from __future__ import annotations

import hashlib
from typing import Annotated, Any, Literal, get_args

import anyio.to_thread
from fastapi import APIRouter, HTTPException, Query, Request
from pydantic import BaseModel

from api.audit import AuditedRoute
from api.deps import SettingsDep, StoreDep
from api.errors import ErrorBody
from api.security import EditorDep
from graph.errors import InvalidData, Problem
from graph.results import WriteReport
from loaders.formats import FORMATS, UPLOADS, ImportOptions, load_upload, upload_name

router = APIRouter(tags=["import"], route_class=AuditedRoute)

UploadFormat = Literal["native", "csv", "ftm"]
assert set(get_args(UploadFormat)) == set(UPLOADS), "the formats loaders.formats offers"
#: a CSV zip may unpack to at most this multiple of the upload cap (no zip bombs)
UNPACKED_FACTOR = 10


class ImportResult(BaseModel):
    format: UploadFormat
    filename: str
    summary: str
    write: WriteReport
    details: dict[str, Any] = {}


async def _body(request: Request, cap: int) -> bytes:
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > cap:
        raise HTTPException(413, f"the upload is larger than the {cap} byte limit")
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > cap:
            raise HTTPException(413, f"the upload is larger than the {cap} byte limit")
        chunks.append(chunk)
    return b"".join(chunks)


def _body_schema(holds: str) -> dict[str, Any]:
    return {"schema": {"type": "string", "format": "binary", "minLength": 1,
                       "description": holds}}


#: a native file sent as JSON: its top level (each record is checked by the loader)
_NATIVE_JSON = {"type": "object", "additionalProperties": False,
                "anyOf": [{"required": ["nodes"]}, {"required": ["edges"]}],
                "properties": {"source": {"type": "string"},
                               # a section may be empty (null), as `nodes:` alone is in YAML
                               "nodes": {"type": ["array", "null"], "items": {"type": "object"}},
                               "edges": {"type": ["array", "null"], "items": {"type": "object"}}},
                "description": f"`format=native`: {FORMATS['native'].upload_holds}"}
#: each format's media types, saying what a body of it holds; octet-stream for any of them
_BODIES = {media: _body_schema(f"`format={name}`: {FORMATS[name].upload_holds}")
           for name in UPLOADS for media in FORMATS[name].media_types} | {
    "application/json": {"schema": _NATIVE_JSON},
    "application/octet-stream": _body_schema("any of the formats, as `format` names it")}


@router.post("/import", response_model=ImportResult, summary="Import data (editors only)",
             description="The request body is the file: native YAML or JSON, a zip of "
                         "nodes.csv and edges.csv, or FollowTheMoney JSON lines. Everything is "
                         "validated before anything is written; an invalid file changes nothing "
                         "and the answer (422) lists every problem with its file, line and "
                         "field. Every attempt, refused or not, is recorded in the audit log.",
             openapi_extra={"requestBody": {"required": True, "content": _BODIES}},
             responses={401: {"model": ErrorBody,
                              "description": "no or wrong editor API key"},
                        413: {"model": ErrorBody,
                              "description": "the upload is over the size limit"},
                        422: {"description": "invalid data (an empty body too), or a bad "
                              "parameter; nothing was written"},
                        503: {"model": ErrorBody, "description": "the store is unavailable"}})
async def import_data(
    request: Request,
    editor: EditorDep,  # only editors get past this; AuditedRoute records who
    store: StoreDep,
    settings: SettingsDep,
    format: Annotated[UploadFormat, Query(description="native, csv or ftm")],
    filename: Annotated[str | None, Query(max_length=120, description="the file's name, "
                                          "used in error messages (.yaml, .json, ...)")] = None,
) -> ImportResult:
    entry: dict[str, Any] = request.state.audit  # AuditedRoute records it, whatever happens
    name = upload_name(format, filename)
    entry.update(format=format, filename=name)
    body = await _body(request, settings.max_import_bytes)
    if not body:
        raise InvalidData([Problem(name, None, "", "the request body is empty: send the file "
                                   "to import as the body")])
    entry.update(bytes=len(body), sha256=hashlib.sha256(body).hexdigest())
    options = ImportOptions(max_unpacked_bytes=settings.max_import_bytes * UNPACKED_FACTOR,
                            review=request.app.state.store.files)
    done = await anyio.to_thread.run_sync(load_upload, format, body, name, store, options)
    entry.update(summary=done.summary, sensitivity_changes=[
        c.model_dump(mode="json") for c in done.sensitivity_changes])
    return ImportResult(format=format, filename=name, summary=done.summary, write=done.write,
                        details=done.details if isinstance(done.details, dict) else {})
