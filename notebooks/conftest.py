"""Notebook runs (`pytest --nbmake notebooks/`): skip a notebook whose feature is not merged yet."""

from __future__ import annotations

import importlib.util

import pytest

#: notebook file -> (module it needs, why it is skipped without it)
NEEDS = {
    "03-make-a-view.ipynb": ("api.views", "needs the network views (api.views, branch `views`)"),
}


def _missing(module: str) -> bool:
    try:
        return importlib.util.find_spec(module) is None
    except ModuleNotFoundError:
        return True


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        need = NEEDS.get(item.path.name)
        if need is not None and _missing(need[0]):
            item.add_marker(pytest.mark.skip(reason=need[1]))
