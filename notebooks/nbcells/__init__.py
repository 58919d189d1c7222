"""The cells of each analyst notebook, as (kind, text) pairs: "md" for prose, "code" for Python."""

from __future__ import annotations

from nbcells import add_report, explore, make_view

NOTEBOOKS: dict[str, list[tuple[str, str]]] = {
    "01-explore-kazakhstan.ipynb": explore.CELLS,
    "02-add-a-report.ipynb": add_report.CELLS,
    "03-make-a-view.ipynb": make_view.CELLS,
}
