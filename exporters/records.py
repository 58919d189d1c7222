"""The records an export contains, read once for every format.

An export writes whatever store it is handed: the store itself for editors, its
public view (`graph.public`) for everyone else, so that no format decides what the
public may see.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable, Iterator
from typing import BinaryIO, TypeVar

from graph.deadline import checkpoint
from graph.store import GraphStore
from schema.models import Edge, Node

T = TypeVar("T")
#: writes one format of the graph in `store` to a binary file
Writer = Callable[[GraphStore, BinaryIO], None]


def checked(items: Iterable[T]) -> Iterator[T]:
    """`items`, checking the time limit of the export (if any) before each one: long
    exports stop when the web service has stopped waiting for them."""
    for item in items:
        checkpoint()
        yield item


def graph_records(store: GraphStore) -> tuple[list[Node], list[Edge]]:
    """All nodes and edges, sorted by id so that exports are stable and diffable."""
    nodes = sorted(checked(store.iter_nodes()), key=lambda n: n.id)
    edges = sorted(checked(store.iter_edges()), key=lambda e: e.id)
    return nodes, edges


def in_memory(write: Writer, store: GraphStore) -> bytes:
    """What `write` writes, as bytes (for small graphs and tests; the web service and the
    command line write to files)."""
    buffer = io.BytesIO()
    write(store, buffer)
    return buffer.getvalue()
