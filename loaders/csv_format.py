"""Spreadsheet interchange: a `nodes.csv` and an `edges.csv` with documented columns, as
files, in a directory, or at the top of a zip (what the CSV export and the import API use).

The columns are listed in `docs/formats.md`. Lists (aliases, roles, status) are
`;`-separated cells, properties and citations are JSON, so a spreadsheet stays
readable while nothing is lost on a round trip. Rows are validated with the same
records and the same cross-checks as the native loader (`native.check_batch`), and
every problem names the file, the line and the column; nothing is written unless
every row of every file is valid.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
import zlib
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from graph.errors import InvalidData, Problem
from graph.identity import Candidate
from graph.results import WriteReport
from graph.store import GraphStore
from loaders.linking import near_entities
from loaders.native import Batch, Located, check_batch
from schema.models import STEP_FIELDS, Citation, Edge, Node, Step

NODE_COLUMNS = ("id", "kind", "name", "aliases", "description", "roles", "status", "sensitivity",
                "pseudonym", "group", "count", "count_qualifier", "properties", "citations",
                "statements", "history", "source")
EDGE_COLUMNS = ("type", "source", "target", "key", "date", "end", "certainty", "claimed_by",
                "properties", "citations", "statements")
NODE_REQUIRED = ("id", "kind", "name")
EDGE_REQUIRED = ("type", "source", "target", "citations")
LIST_COLUMNS = {"aliases", "roles", "status"}
#: labels the native cross-checks use, as the column a spreadsheet user sees
_NATIVE_FIELD = {"from": "source", "to": "target", "cite": "citations"}
#: model-level messages (no pydantic location) and the column they are about
_MESSAGE_COLUMN = (("unknown roles", "roles"), ("unknown status", "status"),
                   ("roles and status apply", "roles"), ("count is for groups", "count"),
                   ("unknown relationship type", "type"), ("needs claimed_by", "claimed_by"),
                   ("is before date", "end"), ("does not match its endpoints", "key"),
                   ("propert", "properties"), ("requires", "properties"))


def split_list(cell: str) -> list[str]:
    r"""A `;`-separated cell as a list; `\;` is a literal semicolon, `\\` a backslash."""
    items, current, chars = [], [], iter(cell)
    for ch in chars:
        if ch == "\\":
            current.append(next(chars, "\\"))
        elif ch == ";":
            items.append("".join(current).strip())
            current = []
        else:
            current.append(ch)
    items.append("".join(current).strip())
    return [item for item in items if item]


def join_list(values: Iterable[str]) -> str:
    return ";".join(v.replace("\\", "\\\\").replace(";", "\\;") for v in values)


def _column_of(loc: tuple[Any, ...], message: str) -> str:
    """The column a pydantic error is about, with the JSON path inside it if any."""
    if loc:
        head, *rest = loc
        return str(head) + "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in rest)
    return next((col for text, col in _MESSAGE_COLUMN if text in message), "")


def _parse_cell(column: str, cell: str) -> Any:
    """One non-empty cell as the value the record expects; ValueError explains what is wrong."""
    if column in LIST_COLUMNS:
        return split_list(cell)
    if column == "group":
        flag = cell.strip().lower()
        if flag not in {"true", "false", "yes", "no", "1", "0"}:
            raise ValueError(f"{cell!r} is not true or false")
        return flag in {"true", "yes", "1"}
    if column == "count":
        try:
            return int(cell)
        except ValueError:
            raise ValueError(f"{cell!r} is not a whole number") from None
    if column in {"properties", "citations", "statements", "history"}:
        try:
            value = json.loads(cell)
        except json.JSONDecodeError as exc:
            raise ValueError(f"not valid JSON: {exc.msg} at character {exc.pos}") from None
        except (ValueError, RecursionError) as exc:  # 5,000-digit numbers, deep nesting
            raise ValueError(f"not usable JSON: {exc}") from None
        expected = dict if column == "properties" else list
        if not isinstance(value, expected):
            raise ValueError(f"must be a JSON {'object' if expected is dict else 'list'}")
        return value
    return cell


def _citations(raw: list[Any], name: str, line: int, problems: list[Problem]) -> list[Citation]:
    out: list[Citation] = []
    for j, item in enumerate(raw):
        if isinstance(item, dict) and isinstance(item.get("paragraph"), int | float):
            item = {**item, "paragraph": str(item["paragraph"])}
        try:
            out.append(Citation.model_validate(item))
        except ValidationError as exc:
            for err in exc.errors():
                field = _column_of(("citations", j, *err["loc"]), "")
                problems.append(Problem(name, line, field, err["msg"]))
    return out


def _history(node: Node) -> tuple[list[tuple[str, str]], list[Step]]:
    """The node's steps, to check against the sources like its citations, and the status
    and role values no step dates, which are "as of" the cited source like native plain ones."""
    dated = {(s.field, s.value) for s in node.history}
    plain = [(f, v) for f, key in STEP_FIELDS.items() for v in getattr(node, key)
             if (f, v) not in dated]
    return plain, list(node.history)


def _rows(name: str, text: str, problems: list[Problem]) -> Iterator[tuple[int, dict[str, str]]]:
    """(line, row) pairs after the header, where line is the first physical line of the row."""
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [h.strip() for h in next(reader, [])]
        start = reader.line_num + 1
        for cells in reader:
            if any(c.strip() for c in cells):
                if len(cells) > len(header):
                    problems.append(Problem(name, start, "", f"{len(cells)} cells but "
                                            f"{len(header)} columns in the header"))
                else:
                    yield start, dict(zip(header, cells, strict=False))
            start = reader.line_num + 1
    except csv.Error as exc:
        problems.append(Problem(name, reader.line_num, "", f"CSV syntax: {exc}"))


def _table_kind(name: str, text: str, problems: list[Problem]) -> str | None:
    """'nodes' or 'edges', told apart by the header, with unknown or missing columns reported."""
    try:
        header = [h.strip() for h in next(csv.reader(io.StringIO(text, newline="")), [])]
    except csv.Error as exc:
        problems.append(Problem(name, 1, "", f"CSV syntax: {exc}"))
        return None
    kind, columns, required = (("nodes", NODE_COLUMNS, NODE_REQUIRED) if "kind" in header
                               else ("edges", EDGE_COLUMNS, EDGE_REQUIRED))
    bad = [Problem(name, 1, col, f"unknown column; expected {', '.join(columns)}")
           for col in header if col not in columns]
    bad += [Problem(name, 1, col, "required column is missing")
            for col in required if col not in header]
    problems.extend(bad)
    return None if bad else kind


def parse_table(name: str, text: str, batch: Batch) -> None:
    """Validate every row of one CSV table into `batch`, collecting every problem."""
    kind = _table_kind(name, text, batch.problems)
    if kind is None:
        return
    model = Node if kind == "nodes" else Edge
    for line, row in _rows(name, text, batch.problems):
        data: dict[str, Any] = {}
        before = len(batch.problems)
        for column, cell in row.items():
            if not cell.strip():
                continue
            try:
                data[column] = _parse_cell(column, cell.strip())
            except ValueError as exc:
                batch.problems.append(Problem(name, line, column, str(exc)))
        cites = _citations(data.pop("citations", []), name, line, batch.problems)
        if len(batch.problems) > before:
            continue
        try:
            record = model.model_validate({**data, "citations": cites})
        except ValidationError as exc:
            for err in exc.errors():
                msg = err["msg"].removeprefix("Value error, ")
                batch.problems.append(Problem(name, line, _column_of(tuple(err["loc"]), msg), msg))
            continue
        target = batch.nodes if kind == "nodes" else batch.edges
        target.append(Located(record, name, line, [(c, ()) for c in cites],
                              *_history(record) if isinstance(record, Node) else ([], [])))


def table_files(paths: Iterable[Path]) -> list[Path]:
    """The files to read: the paths themselves, or the `.csv` files in directories."""
    out: list[Path] = []
    for path in paths:
        out.extend(sorted(path.glob("*.csv")) if path.is_dir() else [path])
    return out


def _tables(files: list[Path], problems: list[Problem],
            max_unpacked_bytes: int | None) -> Iterator[tuple[str, str]]:
    """(name, text) of every table: each CSV file, and the CSV files at the top of each zip."""
    for path in files:
        if not path.exists():
            problems.append(Problem(str(path), None, "", "no such file or directory"))
        elif path.suffix.lower() == ".zip":
            yield from zip_tables(path, problems, max_unpacked_bytes)
        else:
            try:
                yield str(path), path.read_text(encoding="utf-8-sig")
            except (OSError, UnicodeDecodeError) as exc:
                problems.append(Problem(str(path), None, "", f"cannot read: {exc}"))


def read_tables(paths: Iterable[Path], store: GraphStore, *,
                max_unpacked_bytes: int | None = None) -> tuple[list[Node], list[Edge]]:
    """Parse and cross-check CSV files (or zips of them); raise `InvalidData` with every
    problem, or return the records."""
    paths = list(paths)
    files = table_files(paths)
    batch = Batch()
    for name, text in _tables(files, batch.problems, max_unpacked_bytes):
        parse_table(name, text, batch)
    problems = [Problem(p.file, p.line, _NATIVE_FIELD.get(p.field, p.field), p.message)
                for p in check_batch(batch, store)]
    if not files:
        problems.append(Problem(", ".join(map(str, paths)) or "<none>", None, "",
                                "no CSV files found"))
    if problems:
        raise InvalidData(problems)
    return ([n.record for n in batch.nodes if isinstance(n.record, Node)],
            [e.record for e in batch.edges if isinstance(e.record, Edge)])


def load_tables(paths: Iterable[Path], store: GraphStore, *, replace: bool = False,
                max_unpacked_bytes: int | None = None) -> WriteReport:
    """Validate every row of every file, then write them in one atomic store write."""
    return load_for_review(paths, store, replace=replace,
                           max_unpacked_bytes=max_unpacked_bytes)[0]


def load_for_review(paths: Iterable[Path], store: GraphStore, *, replace: bool = False,
                    max_unpacked_bytes: int | None = None,
                    ) -> tuple[WriteReport, list[Candidate]]:
    """`load_tables`, and the new rows whose names are near a stored entity's.

    A row's id is the file's own statement of identity: a row with a new id is a new
    entity, even where a stored one has the same name; that pair, like every near name,
    waits for an editor (`loaders.linking`)."""
    from graph.memory import MemoryStore

    nodes, edges = read_tables(paths, MemoryStore() if replace else store.stored,
                               max_unpacked_bytes=max_unpacked_bytes)
    stored = [] if replace else list(store.iter_nodes())
    known = {n.id for n in stored}
    candidates = near_entities([n for n in nodes if n.id not in known], stored, "import:csv")
    return store.write(nodes, edges, replace=replace), candidates


def zip_tables(path: Path, problems: list[Problem],
               max_unpacked_bytes: int | None) -> list[tuple[str, str]]:
    """The CSV files at the top of a zip, as ("<zip>/nodes.csv", text). An archive that
    cannot be read (corrupt, truncated, encrypted, an unknown compression, larger unpacked
    than `max_unpacked_bytes`) is a problem of the data like any other."""
    def invalid(message: str) -> list[tuple[str, str]]:
        problems.append(Problem(str(path), None, "", message))
        return []

    try:
        with zipfile.ZipFile(path) as archive:
            members = [i for i in archive.infolist()
                       if i.filename.endswith(".csv") and "/" not in i.filename]
            if not members:
                return invalid("no .csv files at the top of the zip")
            unpacked = sum(i.file_size for i in members)
            if max_unpacked_bytes is not None and unpacked > max_unpacked_bytes:
                return invalid(f"the CSV files unpack to more than {max_unpacked_bytes} bytes")
            found = [(f"{path}/{i.filename}", archive.read(i)) for i in members]
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, ValueError,
            NotImplementedError, RuntimeError, zlib.error) as exc:
        return invalid(f"not a readable zip of nodes.csv and edges.csv: {exc}")
    out: list[tuple[str, str]] = []
    for name, data in found:
        try:
            out.append((name, data.decode("utf-8-sig")))
        except UnicodeDecodeError as exc:
            problems.append(Problem(name, None, "", f"cannot read: {exc}"))
    return out
