"""Editors' write API: the same validated, all-or-nothing loads as the command line."""

from __future__ import annotations

import hashlib
import io
import re
import tempfile
import zipfile
import zlib
from pathlib import Path
from typing import Annotated, Any, Literal

import anyio.to_thread
from fastapi import APIRouter, HTTPException, Query, Request
from pydantic import BaseModel

from api import audit
from api.deps import SettingsDep, StoreDep
from api.security import EditorDep
from graph.errors import InvalidData, Problem
from graph.results import WriteReport
from graph.store import GraphStore
from loaders import csv_format, ftm, native

router = APIRouter(tags=["import"])

ImportFormat = Literal["native", "csv", "ftm"]
_SAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")
DEFAULT_NAMES = {"native": "upload.yaml", "csv": "upload.zip", "ftm": "upload.ftm.json"}


class ImportResult(BaseModel):
    format: ImportFormat
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


#: a CSV zip may unpack to at most this multiple of the upload cap (no zip bombs)
UNPACKED_FACTOR = 10


def _csv_files(body: bytes, folder: Path, cap: int) -> list[Path]:
    """The zip's top-level CSV files, written into `folder`. Any archive that cannot be
    read (corrupt, truncated, encrypted, an unknown compression, too large unpacked) is
    invalid data, not a server error."""
    def invalid(message: str) -> InvalidData:
        return InvalidData([Problem("upload.zip", None, "", message)])

    try:
        with zipfile.ZipFile(io.BytesIO(body)) as archive:
            members = [i for i in archive.infolist()
                       if i.filename.endswith(".csv") and "/" not in i.filename]
            if not members:
                raise invalid("no .csv files at the top of the zip")
            if sum(i.file_size for i in members) > cap * UNPACKED_FACTOR:
                raise invalid(f"the CSV files unpack to more than {cap * UNPACKED_FACTOR} bytes")
            for info in members:
                (folder / info.filename).write_bytes(archive.read(info))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, ValueError,
            NotImplementedError, RuntimeError, zlib.error) as exc:
        raise invalid(f"CSV uploads are a zip of nodes.csv and edges.csv: {exc}") from exc
    return [folder / i.filename for i in members]


def _load(fmt: str, body: bytes, filename: str, store: GraphStore,
          cap: int) -> ImportResult:
    with tempfile.TemporaryDirectory(prefix="repgraph-import-") as tmp:
        folder = Path(tmp)
        try:
            if fmt == "csv":
                report = csv_format.load_tables(_csv_files(body, folder, cap), store)
                return ImportResult(format="csv", filename=filename, summary=report.summary(),
                                    write=report)
            path = folder / filename
            path.write_bytes(body)
            if fmt == "native":
                report = native.load([path], store)
                return ImportResult(format="native", filename=filename,
                                    summary=report.summary(), write=report)
            found = ftm.load_ftm([path], store)
            return ImportResult(format="ftm", filename=filename, summary=found.summary(),
                                write=found.write or WriteReport(), details={
                                    "imported": dict(found.imported),
                                    "skipped": {s: dict(r) for s, r in found.skipped.items()},
                                    "ignored_topics": dict(found.ignored_topics)})
        except InvalidData as exc:
            # name the uploaded file, not the temporary folder it was written to
            raise InvalidData([p.__class__(p.file.replace(f"{tmp}/", ""), p.line, p.field,
                                           p.message) for p in exc.problems]) from exc


@router.post("/import", response_model=ImportResult, summary="Import data (editors only)",
             description="The request body is the file: native YAML or JSON, a zip of "
                         "nodes.csv and edges.csv, or FollowTheMoney JSON lines. Everything is "
                         "validated before anything is written; an invalid file changes nothing "
                         "and the answer (422) lists every problem with its file, line and "
                         "field. Every attempt is recorded in the audit log.",
             openapi_extra={"requestBody": {"required": True, "content": {
                 media: {"schema": {"type": "string", "format": "binary"}} for media in (
                     "application/yaml", "application/json", "application/zip",
                     "application/x-ndjson", "application/octet-stream")}}},
             responses={401: {"description": "no or wrong editor API key"},
                        413: {"description": "the upload is over the size limit"},
                        422: {"description": "invalid data; nothing was written"}})
async def import_data(
    request: Request,
    editor: EditorDep,
    store: StoreDep,
    settings: SettingsDep,
    format: Annotated[ImportFormat, Query(description="native, csv or ftm")],
    filename: Annotated[str | None, Query(max_length=120, description="the file's name, "
                                          "used in error messages (.yaml, .json, ...)")] = None,
) -> ImportResult:
    body = await _body(request, settings.max_import_bytes)
    name = _SAFE_NAME.sub("_", Path(filename).name) if filename else ""
    if not name.strip("."):  # "/", "..": nothing left of the name to use
        name = DEFAULT_NAMES[format]
    if format == "native" and not name.endswith((".yaml", ".yml", ".json")):
        name += ".yaml"
    entry = {"who": editor.who, "action": "import", "format": format, "filename": name,
             "bytes": len(body), "sha256": hashlib.sha256(body).hexdigest()}
    try:
        result = await anyio.to_thread.run_sync(_load, format, body, name, store,
                                              settings.max_import_bytes)
    except InvalidData as exc:
        audit.record(settings.audit_log_path, **entry, result="invalid",
                     problems=len(exc.problems))
        raise
    except Exception as exc:
        audit.record(settings.audit_log_path, **entry, result="error", error=type(exc).__name__)
        raise
    audit.record(settings.audit_log_path, **entry, result="ok", summary=result.summary,
                 sensitivity_changes=[c.model_dump(mode="json")
                                      for c in result.write.sensitivity_changes])
    return result
