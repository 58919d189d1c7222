"""Name search that forgives case, diacritics, Cyrillic script and small misspellings.

Every name and alias is folded to plain lower-case ASCII (`anyascii` transliterates
Cyrillic and strips diacritics), then matched exactly, by prefix, or by
`rapidfuzz` similarity. The index is rebuilt when the store's content changes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from anyascii import anyascii
from rapidfuzz import fuzz, process

from graph.errors import NodeNotFound
from graph.store import GraphStore
from schema.models import Node
from schema.vocabulary import NodeKind

_NON_WORD = re.compile(r"[^a-z0-9]+")


def fold(text: str) -> str:
    """Lower-case ASCII words: 'Жыланбаев' -> 'zhylanbaev', 'Aolaín' -> 'aolain'."""
    return _NON_WORD.sub(" ", anyascii(text).lower()).strip()


@dataclass(frozen=True)
class Hit:
    node: Node
    score: float
    matched: str


class SearchIndex:
    def __init__(self, nodes: list[Node]) -> None:
        self.nodes = {n.id: n for n in nodes}
        self._keys: list[str] = []
        self._owners: list[str] = []
        for node in nodes:
            for label in dict.fromkeys([node.name, *node.aliases]):
                self._keys.append(fold(label))
                self._owners.append(node.id)

    @classmethod
    def of(cls, store: GraphStore) -> SearchIndex:
        return cls(list(store.iter_nodes()))

    def search(self, query: str, kind: NodeKind | None = None, limit: int = 10,
               min_score: float = 60.0) -> list[Hit]:
        q = fold(query)
        if not q:
            return []
        best: dict[str, tuple[float, str]] = {}
        for idx in sorted(self._candidates(q, min_score)):
            key = self._keys[idx]
            score = _score(q, key)
            if score < min_score:
                continue
            owner = self._owners[idx]
            if kind is not None and self.nodes[owner].kind != kind:
                continue
            if owner not in best or score > best[owner][0]:
                best[owner] = (score, key)
        ranked = sorted(best.items(), key=lambda kv: (-kv[1][0], self.nodes[kv[0]].name))
        return [Hit(self.nodes[i], round(s, 1), m) for i, (s, m) in ranked[:limit]]

    def _candidates(self, q: str, min_score: float) -> set[int]:
        """Keys that might reach `min_score`, found by rapidfuzz's native scorers.

        `_score` is Python, too slow to call on every key of a large graph; it can only
        reach `min_score` where plain, partial or token-sorted similarity does, so those
        three passes (in C) give a superset to score exactly.
        """
        found: set[int] = set()
        for scorer in (fuzz.ratio, fuzz.partial_ratio, fuzz.token_sort_ratio):
            found.update(idx for _, _, idx in process.extract(
                q, self._keys, scorer=scorer, limit=None, score_cutoff=min_score))
        return found

    def resolve(self, ref: str) -> tuple[Node, bool]:
        """An entity by id, or by the closest name. Returns (node, exact)."""
        if ref in self.nodes:
            return self.nodes[ref], True
        hits = self.search(ref, limit=1, min_score=75.0)
        if not hits:
            raise NodeNotFound(ref)
        return hits[0].node, hits[0].score >= 100.0


def _score(query: str, key: str, **_: object) -> float:
    """100 for an exact name; 90-99 when the query is whole words of the name (the closer
    to the whole name, the higher); otherwise fuzzy similarity, capped below those."""
    if query == key:
        return 100.0
    if f" {query} " in f" {key} ":
        return 90.0 + 9.0 * len(query) / len(key)
    score = fuzz.ratio(query, key)
    if len(query) >= 4:
        # a fragment of a long name should rank below the same fragment of a short one
        coverage = min(1.0, len(query) / len(key))
        score = max(score, fuzz.partial_ratio(query, key) * (0.85 + 0.1 * coverage),
                    fuzz.token_sort_ratio(query, key) * 0.95)
    return float(min(score, 89.0))
