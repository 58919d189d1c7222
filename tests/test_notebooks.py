"""The analyst notebooks are generated, current, and committed without outputs.

Running them is `make notebooks` (`pytest --nbmake notebooks/`); these checks keep
what is committed reviewable and free of outputs, which could carry the names of
restricted persons.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import nbformat
import pytest

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"


def _build_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("notebook_build", NOTEBOOKS / "build.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


BUILD = _build_script()


def test_every_notebook_comes_from_the_build_script() -> None:
    committed = sorted(p.name for p in NOTEBOOKS.glob("*.ipynb"))
    assert committed == sorted(BUILD.NOTEBOOKS)
    assert len(committed) >= 3


@pytest.mark.parametrize("name", sorted(BUILD.NOTEBOOKS))
def test_notebook_is_current(name: str) -> None:
    checked_in = (NOTEBOOKS / name).read_text(encoding="utf-8")
    assert checked_in == BUILD.render(BUILD.NOTEBOOKS[name]), \
        "regenerate with: .venv/bin/python notebooks/build.py"


@pytest.mark.parametrize("name", sorted(BUILD.NOTEBOOKS))
def test_notebook_is_committed_without_outputs(name: str) -> None:
    nb = nbformat.read(NOTEBOOKS / name, as_version=4)
    nbformat.validate(nb)
    assert nb.metadata.kernelspec.name == "python3"
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, cell.source[:60]
