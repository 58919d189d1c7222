"""The graph as `nodes.csv` and `edges.csv`, in the columns `loaders.csv_format` reads back."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from exporters.records import graph_records
from graph.store import GraphStore
from loaders.csv_format import EDGE_COLUMNS, NODE_COLUMNS, join_list
from schema.models import Citation, Edge, Node


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True) if value else ""


def _citations(citations: list[Citation]) -> str:
    return _json([c.model_dump(exclude_none=True) for c in citations])


def node_row(node: Node) -> list[str]:
    cells = {
        "id": node.id, "kind": node.kind.value, "name": node.name,
        "aliases": join_list(node.aliases), "description": node.description or "",
        "roles": join_list(node.roles), "status": join_list(node.status),
        "sensitivity": node.sensitivity.value, "pseudonym": node.pseudonym or "",
        "group": "true" if node.group else "",
        "count": "" if node.count is None else str(node.count),
        "count_qualifier": node.count_qualifier or "", "properties": _json(node.properties),
        "citations": _citations(node.citations),
    }
    return [cells[c] for c in NODE_COLUMNS]


def edge_row(edge: Edge) -> list[str]:
    cells = {
        "type": edge.type, "source": edge.source, "target": edge.target, "key": edge.key or "",
        "date": edge.date or "", "end": edge.end or "", "certainty": edge.certainty.value,
        "claimed_by": edge.claimed_by or "", "properties": _json(edge.properties),
        "citations": _citations(edge.citations),
    }
    return [cells[c] for c in EDGE_COLUMNS]


def _table(header: Sequence[str], rows: list[list[str]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


def csv_tables(store: GraphStore) -> dict[str, str]:
    """File name -> CSV text for the two tables."""
    nodes, edges = graph_records(store)
    return {"nodes.csv": _table(NODE_COLUMNS, [node_row(n) for n in nodes]),
            "edges.csv": _table(EDGE_COLUMNS, [edge_row(e) for e in edges])}


def csv_zip(store: GraphStore) -> bytes:
    """Both tables in one zip archive, for a single download."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in csv_tables(store).items():
            archive.writestr(name, text)
    return buffer.getvalue()


def write_csv(store: GraphStore, out: Path) -> list[Path]:
    """Write `nodes.csv` and `edges.csv` into the directory `out` (a `.zip` path writes an archive)."""
    if out.suffix == ".zip":
        out.write_bytes(csv_zip(store))
        return [out]
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in csv_tables(store).items():
        (out / name).write_text(text, encoding="utf-8")
        written.append(out / name)
    return written
