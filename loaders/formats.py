"""The import formats by name: the files each reads, the media types of an upload, and the
one function that validates and writes it.

`repgraph load`, `repgraph import` and `POST /api/import` all go through this table,
so that a format reads the same from a terminal and over HTTP. Every load is
all-or-nothing (per file for FtM streams and reports, as their loaders say) and
raises `InvalidData` listing every problem with its file, line and field.
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from graph.errors import InvalidData, Problem
from graph.identity import Candidate
from graph.results import SensitivityChange, WriteReport
from graph.review import ReviewFiles
from graph.store import GraphStore
from loaders import csv_format, ftm, native, text_report


@dataclass(frozen=True)
class ImportOptions:
    #: make the store hold exactly these records (native and CSV)
    replace: bool = False
    #: the source node the records cite (FtM streams and text reports)
    source_id: str | None = None
    source_url: str | None = None
    source_name: str | None = None
    #: the most a zip of CSV files may unpack to; None: no limit
    max_unpacked_bytes: int | None = None
    #: the review queue near names go to (`loaders.linking`); None: only reported
    review: ReviewFiles | None = None


@dataclass
class Imported:
    """What an import did, in the same shape for every format."""

    summary: str
    #: the write (of the last file, for formats written file by file)
    write: WriteReport = field(default_factory=WriteReport)
    #: every sensitivity change of every write
    sensitivity_changes: list[SensitivityChange] = field(default_factory=list)
    #: what the format tells beyond the write, as JSON data (FtM's counts, a report's
    #: mentions); None when the write report says it all
    details: Any = None
    #: near names the import did not link, proposed to an editor
    candidates: list[Candidate] = field(default_factory=list)

    @property
    def as_json(self) -> Any:
        """What `--json` prints: the format's details, or the write report."""
        return self.write if self.details is None else self.details


Loader = Callable[[Sequence[Path], GraphStore, ImportOptions], Imported]


@dataclass(frozen=True)
class ImportFormat:
    name: str
    load: Loader
    #: the media types an upload of it may be sent as
    media_types: tuple[str, ...] = ()
    #: offered by `POST /api/import`, under this name when the upload has none ...
    upload_name: str | None = None
    #: ... and ending in one of these (the first is appended otherwise; none: any name)
    upload_suffixes: tuple[str, ...] = ()
    #: what an upload of it holds, for the API's documentation
    upload_holds: str = ""


def _written(write: WriteReport) -> Imported:
    return Imported(write.summary(), write, write.sensitivity_changes)


def _queued(done: Imported, options: ImportOptions) -> Imported:
    """The import with its candidates in the review queue, and said in its summary."""
    if not done.candidates:
        return done
    added = options.review.propose(done.candidates) if options.review is not None else 0
    where = (f"{added} new in the review queue (repgraph review)" if options.review is not None
             else "no review queue was given: they are only listed here")
    done.summary += (f"\n{len(done.candidates)} near name(s) not linked, waiting for an editor's "
                     f"decision: {where}")
    if isinstance(done.details, dict):
        done.details["candidates"] = [c.id for c in done.candidates]
    return done


def _native(paths: Sequence[Path], store: GraphStore, options: ImportOptions) -> Imported:
    return _written(native.load(paths, store, replace=options.replace))


def _csv(paths: Sequence[Path], store: GraphStore, options: ImportOptions) -> Imported:
    write, candidates = csv_format.load_for_review(
        paths, store, replace=options.replace, max_unpacked_bytes=options.max_unpacked_bytes)
    done = _written(write)
    done.candidates = candidates
    return _queued(done, options)


def _ftm(paths: Sequence[Path], store: GraphStore, options: ImportOptions) -> Imported:
    found = ftm.load_ftm(paths, store, source_id=options.source_id,
                         source_url=options.source_url, source_name=options.source_name,
                         review=options.review)
    return _queued(Imported(
        found.summary(), found.write or WriteReport(), found.sensitivity_changes, {
            "imported": dict(found.imported), "matched": found.matched,
            "decided": found.decided,
            "skipped": {s: dict(r) for s, r in found.skipped.items()},
            "ignored_topics": dict(found.ignored_topics)}, found.candidates), options)


def _text(paths: Sequence[Path], store: GraphStore, options: ImportOptions) -> Imported:
    readings = [text_report.import_report(p, store, source_id=options.source_id) for p in paths]
    writes = [r.write for r in readings if r.write is not None]
    return _queued(Imported(
        "\n\n".join(r.summary() for r in readings), writes[-1] if writes else WriteReport(),
        [c for w in writes for c in w.sensitivity_changes],
        [{"source": r.source.id, "mentions": r.mentions,
          "candidates": [c.id for c in r.candidates],
          "unplaced": [{"name": u.name, "paragraphs": list(u.paragraphs), "why": u.why}
                       for u in r.unplaced]} for r in readings],
        [c for r in readings for c in r.candidates]), options)


FORMATS: dict[str, ImportFormat] = {f.name: f for f in (
    ImportFormat("native", _native, ("application/yaml", "application/json"), "upload.yaml",
                 (".yaml", ".yml", ".json"), "one dataset file in YAML or JSON, with `source`, "
                 "`nodes` and `edges` (docs/formats.md)"),
    ImportFormat("csv", _csv, ("application/zip",), "upload.zip", (".zip",),
                 "a zip archive holding `nodes.csv` and `edges.csv` at its top level"),
    ImportFormat("ftm", _ftm, ("application/x-ndjson",), "upload.ftm.json", (),
                 "FollowTheMoney entities, one JSON object per line"),
    ImportFormat("text", _text),
)}
#: the formats `POST /api/import` takes
UPLOADS = tuple(name for name, f in FORMATS.items() if f.upload_name)
_UNSAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")


def upload_name(fmt: str, filename: str | None) -> str:
    """A safe file name for an upload: the base name with unsafe characters replaced, the
    format's default when nothing usable is left, and a suffix the format reads."""
    spec = FORMATS[fmt]
    assert spec.upload_name is not None, f"{fmt} is not an upload format"
    name = _UNSAFE_NAME.sub("_", Path(filename).name) if filename else ""
    if not name.strip("."):  # "/", "..": nothing left of the name to use
        return spec.upload_name
    if spec.upload_suffixes and not name.endswith(spec.upload_suffixes):
        name += spec.upload_suffixes[0]
    return name


def load_upload(fmt: str, body: bytes, name: str, store: GraphStore,
                options: ImportOptions) -> Imported:
    """Load an uploaded file (named by `upload_name`) through a temporary folder, with its
    problems naming the upload, never the folder."""
    with tempfile.TemporaryDirectory(prefix="repgraph-import-") as tmp:
        path = Path(tmp) / name
        path.write_bytes(body)
        try:
            return FORMATS[fmt].load([path], store, options)
        except InvalidData as exc:
            raise InvalidData([Problem(p.file.replace(f"{tmp}/", ""), p.line, p.field,
                                       p.message) for p in exc.problems]) from exc
