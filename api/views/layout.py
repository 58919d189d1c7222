"""Server-side layout, so that the browser never runs a physics simulation.

Small views use networkx's spring layout. From a few hundred nodes networkx
switches to a sparse solver with a Python loop per node, which is too slow for
a page request, so large views use a vectorised force-directed pass over the
dense distance matrix instead (a 1,000-node view is a 1,000 x 1,000 array).
Both are seeded: the same data always gives the same picture, which keeps
embeds stable, and results are cached by data version.
"""

from __future__ import annotations

import math
import threading
from collections import OrderedDict
from collections.abc import Hashable, Sequence

import networkx as nx
import numpy as np

Positions = dict[str, tuple[float, float]]

SEED = 7
DENSE_FROM = 300  # nodes; below this networkx's own spring layout is fast enough
DENSE_ITERATIONS = 30
GRAVITY = 0.2  # keeps isolated nodes from drifting off and shrinking everything else


def layout(node_ids: Sequence[str], links: Sequence[tuple[str, str]]) -> Positions:
    """Pixel positions for vis-network, spread in proportion to the number of nodes."""
    if not node_ids:
        return {}
    graph = nx.Graph()
    graph.add_nodes_from(node_ids)
    graph.add_edges_from((a, b) for a, b in links if a != b)
    if len(node_ids) < DENSE_FROM:
        raw = nx.spring_layout(graph, seed=SEED, iterations=60)
        coords = np.array([raw[n] for n in node_ids], dtype=float)
    else:
        coords = _dense_spring(graph, list(node_ids), DENSE_ITERATIONS)
    coords -= coords.mean(axis=0)
    extent = float(np.abs(coords).max()) or 1.0
    scale = max(250.0, 70.0 * math.sqrt(len(node_ids)))
    coords *= scale / extent
    return {n: (round(float(x), 1), round(float(y), 1)) for n, (x, y) in zip(node_ids, coords,
                                                                            strict=True)}


def _dense_spring(graph: nx.Graph, order: list[str], iterations: int) -> np.ndarray:
    """Fruchterman-Reingold with all pairwise repulsions at once, cooling linearly, plus a
    weak pull to the centre so that separate components stay in view."""
    count = len(order)
    index = {n: i for i, n in enumerate(order)}
    ends = np.array([(index[a], index[b]) for a, b in graph.edges()], dtype=np.intp).reshape(-1, 2)
    rng = np.random.default_rng(SEED)
    pos = rng.random((count, 2), dtype=np.float32)  # half the memory traffic of float64
    k = math.sqrt(1.0 / count)
    step = 0.1
    cooling = step / (iterations + 1)
    for _ in range(iterations):
        delta = pos[:, None, :] - pos[None, :, :]
        dist2 = np.maximum(np.einsum("ijk,ijk->ij", delta, delta), 1e-6)
        np.fill_diagonal(dist2, np.inf)
        disp = np.einsum("ijk,ij->ik", delta, (k * k) / dist2)
        pull = pos[ends[:, 0]] - pos[ends[:, 1]]
        pull *= np.sqrt((pull * pull).sum(axis=1))[:, None] / k
        np.add.at(disp, ends[:, 0], -pull)
        np.add.at(disp, ends[:, 1], pull)
        disp -= GRAVITY * (pos - pos.mean(axis=0)) / k
        length = np.maximum(np.sqrt((disp * disp).sum(axis=1)), 1e-9)[:, None]
        pos += disp / length * np.minimum(length, step)
        step -= cooling
    return pos


class LayoutCache:
    """A few recent layouts, keyed by data version and view parameters."""

    def __init__(self, size: int = 32) -> None:
        self.size = size
        self._items: OrderedDict[Hashable, Positions] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable, node_ids: Sequence[str],
            links: Sequence[tuple[str, str]]) -> Positions:
        with self._lock:
            found = self._items.get(key)
            if found is not None:
                self._items.move_to_end(key)
                return found
        positions = layout(node_ids, links)
        with self._lock:
            self._items[key] = positions
            if len(self._items) > self.size:
                self._items.popitem(last=False)
        return positions
