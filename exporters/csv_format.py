"""The graph as `nodes.csv` and `edges.csv`, in the columns `loaders.csv_format` reads back."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any, BinaryIO, TextIO

from exporters.records import checked, graph_records, in_memory
from graph.store import GraphStore
from loaders.csv_format import EDGE_COLUMNS, NODE_COLUMNS, join_list
from schema.models import Citation, Edge, Node, Statement


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True) if value else ""


def _citations(citations: list[Citation]) -> str:
    return _json([c.model_dump(exclude_none=True) for c in citations])


def _statements(statements: list[Statement]) -> str:
    """Every value with its sources, for records built from several (JSON, like citations)."""
    return _json([s.model_dump(mode="json", exclude_none=True) for s in statements])


def node_row(node: Node) -> list[str]:
    cells = {
        "id": node.id, "kind": node.kind.value, "name": node.name,
        "aliases": join_list(node.aliases), "description": node.description or "",
        "roles": join_list(node.roles), "status": join_list(node.status),
        "sensitivity": node.sensitivity.value, "pseudonym": node.pseudonym or "",
        "group": "true" if node.group else "",
        "count": "" if node.count is None else str(node.count),
        "count_qualifier": node.count_qualifier or "", "properties": _json(node.properties),
        "citations": _citations(node.citations), "statements": _statements(node.statements),
        "history": _json([s.model_dump(mode="json", exclude_none=True) for s in node.history]),
        "source": node.source or "",
    }
    return [cells[c] for c in NODE_COLUMNS]


def edge_row(edge: Edge) -> list[str]:
    cells = {
        "type": edge.type, "source": edge.source, "target": edge.target, "key": edge.key or "",
        "date": edge.date or "", "end": edge.end or "", "certainty": edge.certainty.value,
        "claimed_by": edge.claimed_by or "", "properties": _json(edge.properties),
        "citations": _citations(edge.citations), "statements": _statements(edge.statements),
    }
    return [cells[c] for c in EDGE_COLUMNS]


def _write_table(out: TextIO, header: Sequence[str], rows: Iterable[list[str]]) -> None:
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(checked(rows))


def _tables(store: GraphStore) -> Iterator[tuple[str, Sequence[str], Iterator[list[str]]]]:
    """(file name, header, rows) of the two tables."""
    nodes, edges = graph_records(store)
    yield "nodes.csv", NODE_COLUMNS, map(node_row, nodes)
    yield "edges.csv", EDGE_COLUMNS, map(edge_row, edges)


def csv_tables(store: GraphStore) -> dict[str, str]:
    """File name -> CSV text for the two tables."""
    tables = {}
    for name, header, rows in _tables(store):
        out = io.StringIO()
        _write_table(out, header, rows)
        tables[name] = out.getvalue()
    return tables


def write_csv_zip(store: GraphStore, out: BinaryIO) -> None:
    """Both tables in one zip archive, for a single download, written row by row."""
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, header, rows in _tables(store):
            with archive.open(name, "w") as member, \
                    io.TextIOWrapper(member, encoding="utf-8", newline="") as text:
                _write_table(text, header, rows)


def csv_zip(store: GraphStore) -> bytes:
    return in_memory(write_csv_zip, store)


def write_csv(store: GraphStore, out: Path) -> list[Path]:
    """Write `nodes.csv` and `edges.csv` into the directory `out` (a `.zip` path writes an archive)."""
    if out.suffix == ".zip":
        with out.open("wb") as file:
            write_csv_zip(store, file)
        return [out]
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, header, rows in _tables(store):
        with (out / name).open("w", encoding="utf-8", newline="") as file:
            _write_table(file, header, rows)
        written.append(out / name)
    return written
