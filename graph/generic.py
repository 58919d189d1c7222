"""Generic actors: records that stand for a whole state or a generic collective.

"The Kazakhstani authorities" acted against nearly everyone in the graph, so a path
through them says nothing an analyst did not know. The data marks such records with
the property `GENERIC` (its value says why); path queries leave them out of
intermediate hops and views do not expand them, unless asked.

The ids are read once per store version: agencies and organisations are a small part
of any graph, and on Neo4j their properties are read like any other record's.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Hashable, Iterable

from graph.store import GraphStore
from schema.models import Node
from schema.vocabulary import GENERIC, KIND_PROPERTIES, NodeKind

#: the kinds that may carry the flag (those whose properties declare it)
GENERIC_KINDS: tuple[NodeKind, ...] = tuple(
    kind for kind, props in KIND_PROPERTIES.items() if GENERIC in props)

_cache: weakref.WeakKeyDictionary[GraphStore, tuple[Hashable, frozenset[str]]] = (
    weakref.WeakKeyDictionary())
_lock = threading.Lock()


def is_generic(node: Node) -> bool:
    return bool(node.properties.get(GENERIC))


def generic_ids(store: GraphStore) -> frozenset[str]:
    """The ids of the store's generic actors, as of its current version."""
    version = store.version
    with _lock:
        cached = _cache.get(store)
    if cached is not None and cached[0] == version:
        return cached[1]
    ids = frozenset(n.id for kind in GENERIC_KINDS for n in store.iter_nodes(kind)
                    if is_generic(n))
    with _lock:
        _cache[store] = (version, ids)
    return ids


def names(nodes: Iterable[Node]) -> str:
    """Generic actors in words, for a sentence: "the Kazakhstani authorities and Belgium"."""
    words = [_the(n.name) for n in nodes]
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + " and " + words[-1]


def _the(name: str) -> str:
    plural = name.split(" (")[0].rstrip().endswith("s")
    return f"the {name}" if plural and not name.lower().startswith("the ") else name
