"""Write the analyst notebooks from the cells below, without outputs.

The notebooks are generated so that they are reviewed as plain text and never
committed with outputs (which could carry the names of restricted persons).
Run `python notebooks/build.py` after editing a cell; `tests/test_notebooks.py`
fails when a notebook differs from what this script writes.
"""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from nbcells import NOTEBOOKS  # noqa: E402

KERNELSPEC = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}


def notebook(cells: list[tuple[str, str]]) -> nbformat.NotebookNode:
    nb = new_notebook(metadata={"kernelspec": KERNELSPEC,
                                "language_info": {"name": "python"}})
    for number, (kind, text) in enumerate(cells):
        text = text.strip("\n")
        cell = new_markdown_cell(text) if kind == "md" else new_code_cell(text)
        cell["id"] = f"cell-{number:02d}"  # stable ids: rebuilding changes nothing
        nb.cells.append(cell)
    return nb


def render(cells: list[tuple[str, str]]) -> str:
    return nbformat.writes(notebook(cells)) + "\n"


def main() -> None:
    for name, cells in NOTEBOOKS.items():
        path = HERE / name
        path.write_text(render(cells), encoding="utf-8")
        print(f"wrote {path.relative_to(HERE.parent)}")


if __name__ == "__main__":
    main()
