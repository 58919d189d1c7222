"""The export formats by name, with the media type and file name a download needs."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from exporters.csv_format import write_csv, write_csv_zip
from exporters.ftm import write_ftm
from exporters.gephi import write_gexf, write_graphml
from exporters.records import Writer, in_memory
from graph.store import GraphStore


@dataclass(frozen=True)
class ExportFormat:
    name: str
    media_type: str
    filename: str
    write: Writer  # (store, binary file) -> None

    def render(self, store: GraphStore) -> bytes:
        return in_memory(self.write, store)


FORMATS: dict[str, ExportFormat] = {f.name: f for f in (
    ExportFormat("csv", "application/zip", "repgraph-csv.zip", write_csv_zip),
    ExportFormat("ftm", "application/x-ndjson", "repgraph.ftm.json", write_ftm),
    ExportFormat("graphml", "application/graphml+xml", "repgraph.graphml", write_graphml),
    ExportFormat("gexf", "application/gexf+xml", "repgraph.gexf", write_gexf),
)}


def export_to(store: GraphStore, name: str, out: Path) -> list[Path]:
    """Write one format to `out` (for CSV a directory, or a `.zip` file). Returns the files.

    A file is written beside `out` and renamed into place, so that an export that fails
    leaves no half-written file under the name asked for."""
    if name == "csv" and out.suffix != ".zip":
        return write_csv(store, out)
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_name(f".{out.name}.partial")
    try:
        with partial.open("wb") as file:
            FORMATS[name].write(store, file)
        partial.replace(out)
    finally:
        partial.unlink(missing_ok=True)
    return [out]
