"""The export formats by name, with the media type and file name a download needs."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from exporters.csv_format import csv_zip, write_csv
from exporters.ftm import ftm_lines
from exporters.gephi import gexf, graphml
from graph.store import GraphStore


@dataclass(frozen=True)
class ExportFormat:
    name: str
    media_type: str
    filename: str
    render: Callable[..., bytes]  # (store) -> bytes


FORMATS: dict[str, ExportFormat] = {f.name: f for f in (
    ExportFormat("csv", "application/zip", "repgraph-csv.zip", csv_zip),
    ExportFormat("ftm", "application/x-ndjson", "repgraph.ftm.json", ftm_lines),
    ExportFormat("graphml", "application/graphml+xml", "repgraph.graphml", graphml),
    ExportFormat("gexf", "application/gexf+xml", "repgraph.gexf", gexf),
)}


def export_to(store: GraphStore, name: str, out: Path) -> list[Path]:
    """Write one format to `out` (for CSV a directory, or a `.zip` file). Returns the files."""
    if name == "csv":
        return write_csv(store, out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(FORMATS[name].render(store))
    return [out]
