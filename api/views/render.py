"""Templates, static files and the per-data-version caches the pages share.

Jinja autoescapes everything; the only unescaped output is `script_json`,
which escapes `<`, `>` and `&` itself. vis-network is served from the copy
inside the installed pyvis package, so pages work offline.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from importlib.resources import files
from pathlib import Path
from typing import Any, Generic, TypeVar
from weakref import WeakKeyDictionary

from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from api.security import VIEWER
from api.views.layout import LayoutCache
from api.views.style import KIND_STYLES, MEASURE_COLOUR, RELATION_COLOUR, RESTRICTED_COLOUR
from graph.store import GraphStore

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")
HERE = Path(__file__).resolve().parent
STATIC_DIR = HERE / "static"
VIS_VERSION = "9.1.2"
VIS_DIR = Path(str(files("pyvis"))) / "lib" / f"vis-{VIS_VERSION}"
VENDOR_FILES = {
    f"vis-network-{VIS_VERSION}.min.js": VIS_DIR / "vis-network.min.js",
    f"vis-network-{VIS_VERSION}.css": VIS_DIR / "vis-network.css",
}

_env = Environment(
    loader=FileSystemLoader(HERE / "templates"),
    autoescape=select_autoescape(default=True, default_for_string=True),
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)
_env.globals.update(
    kind_styles=KIND_STYLES, measure_colour=MEASURE_COLOUR, relation_colour=RELATION_COLOUR,
    restricted_colour=RESTRICTED_COLOUR, vis_js=f"/vendor/vis-network-{VIS_VERSION}.min.js",
    vis_css=f"/vendor/vis-network-{VIS_VERSION}.css",
    viewer=VIEWER.get,  # the editor reading the page, if any: a sign-out form, a warning
)


def check_vendor_files() -> None:
    """Fail at start-up, not on the first page view, if pyvis no longer ships vis-network."""
    missing = [str(p) for p in VENDOR_FILES.values() if not p.is_file()]
    if missing:
        raise RuntimeError(f"vis-network not found in the pyvis package: {', '.join(missing)}")


def render(template: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    html = _env.get_template(template).render(**context)
    return HTMLResponse(html, status_code=status_code)


def data_version(store: GraphStore) -> Hashable:
    """Changes whenever the data a page reads does: the store, or its public view."""
    return (type(store).__name__, store.version)


class PerVersion(Generic[K, V]):
    """Values built from one store's content, each kept until that content changes: one
    table per store object (the editors' store, each version's public view)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._kept: WeakKeyDictionary[GraphStore, tuple[Hashable, dict[K, V]]] = \
            WeakKeyDictionary()

    def get(self, store: GraphStore, key: K, build: Callable[[], V]) -> V:
        version = store.version  # read before the content it describes (`GraphStore.version`)
        with self._lock:
            kept = self._kept.get(store)
            if kept is None or kept[0] != version:
                kept = self._kept[store] = (version, {})
            if key in kept[1]:
                return kept[1][key]
        value = build()
        with self._lock:
            kept[1][key] = value
        return value


class Recent(Generic[K, V]):
    """The values of the `size` keys asked for last (keys should name the data version)."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._items: OrderedDict[K, V] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: K, build: Callable[[], V]) -> V:
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
        value = build()
        with self._lock:
            self._items[key] = value
            while len(self._items) > self.size:
                self._items.popitem(last=False)
        return value


class ViewState:
    """The layouts of recent views, keyed by the data version they were drawn from, and the
    (title, canonical path) of the views oEmbed was asked for, by URL."""

    def __init__(self) -> None:
        self.layouts = LayoutCache()
        self.titles: Recent[Hashable, tuple[str, str]] = Recent(1024)
