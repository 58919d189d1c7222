"""Name search that forgives case, diacritics, Cyrillic script and small misspellings.

Every name and alias is folded to plain lower-case ASCII (`anyascii` transliterates
Cyrillic and strips diacritics), then matched exactly, by prefix, or by
`rapidfuzz` similarity. The index is rebuilt when the store's content changes.

Each hit says how it matched (`Match`): the id, the name or an alias (after folding), a
prefix (the query begins the name, or is whole words of it), or a similar name. A
similar name scoring below `WEAK_BELOW` is a weak match: callers list it apart, as a
"similar name", never as an answer.

Search proposes; it never decides who someone is. `SearchIndex.resolve` turns what a
person typed into an entity only for an id or an exact name or alias (after folding);
anything else raises `Unresolved` with the closest hits as candidates, and a name that
several entities share raises `Ambiguous` with all of them.

A small graph (the real dataset) is scanned whole for every query. A large one
would make that scan cost hundreds of milliseconds, so its names are also indexed
by word (`_WordIndex`): a query only scores the few hundred names that share a word,
or something close to one, with it. Both paths give the final score with `_score`.
"""

from __future__ import annotations

import gc
import heapq
import re
from bisect import bisect_right
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from enum import StrEnum

from anyascii import anyascii
from rapidfuzz import fuzz, process

from graph.errors import Ambiguous, Unresolved
from graph.store import GraphStore
from schema.models import Node
from schema.vocabulary import NodeKind

_NON_WORD = re.compile(r"[^a-z0-9]+")
#: Below this many names every query scans them all, so answers there are exhaustive.
SCAN_BELOW = 5_000
#: A similar name scoring below this is a weak match ("similar names"): never an answer.
#: 'Marta' is 78 like 'Marat Zhylanbaev', 'Nazarbayev' 69 like 'Tokayev'; a one-letter
#: slip in a full name ('Bota Jardemali') stays above 85.
WEAK_BELOW = 80.0
#: How many of the closest hits an `Unresolved` carries as candidates.
CANDIDATES = 5


def fold(text: str) -> str:
    """Lower-case ASCII words: 'Жыланбаев' -> 'zhylanbaev', 'Aolaín' -> 'aolain'."""
    if not text.isascii():  # anyascii leaves ASCII unchanged; skipping it halves build time
        text = anyascii(text)
    return _NON_WORD.sub(" ", text.lower()).strip()


class Match(StrEnum):
    """How a hit matched the query, from the surest to the loosest."""

    ID = "id"
    NAME = "name"
    ALIAS = "alias"
    PREFIX = "prefix"
    SIMILAR = "similar"


@dataclass(frozen=True)
class Hit:
    node: Node
    score: float
    matched: str
    match: Match = Match.SIMILAR

    @property
    def weak(self) -> bool:
        """A similar name below `WEAK_BELOW`: listed apart, never taken as the answer."""
        return self.match is Match.SIMILAR and self.score < WEAK_BELOW


class SearchIndex:
    def __init__(self, nodes: list[Node], scan_below: int = SCAN_BELOW) -> None:
        """`scan_below`: name count under which no word index is built (0: always build)."""
        self.nodes = {n.id: n for n in nodes}
        self._keys: list[str] = []
        self._owners: list[str] = []
        #: folded name or alias -> its keys: exact look-ups never scan
        self._exact: dict[str, list[int]] = {}
        for node in nodes:
            for label in dict.fromkeys([node.name, *node.aliases]):
                key = fold(label)
                self._exact.setdefault(key, []).append(len(self._keys))
                self._keys.append(key)
                self._owners.append(node.id)
        self._words: _WordIndex | None = None
        if len(self._keys) >= scan_below:
            with _collector_paused():
                self._words = _WordIndex(self._keys, [self.nodes[o] for o in self._owners])

    @property
    def uses_word_index(self) -> bool:
        """Whether queries go through the word index (a large graph) or scan every name."""
        return self._words is not None

    @classmethod
    def of(cls, store: GraphStore) -> SearchIndex:
        return cls(list(store.iter_nodes()))

    def search(self, query: str, kind: NodeKind | None = None, limit: int = 10,
               min_score: float = 60.0) -> list[Hit]:
        """Hits by score (best first), each with how it matched; the caller sets weak ones
        (`Hit.weak`) apart. An exact id comes first; an exact name or alias is always found,
        on a large graph too."""
        q = fold(query)
        by_id = self.nodes.get(query.strip())
        if by_id is not None and kind is not None and by_id.kind != kind:
            by_id = None
        if not q:
            return [Hit(by_id, 100.0, by_id.id, Match.ID)] if by_id else []
        candidates = set(self._candidates(q, min_score) if self._words is None
                         else self._words.shortlist(q, kind, max(_SHORTLIST, 2 * limit)))
        candidates.update(self._exact.get(q, ()))
        best: dict[str, tuple[float, str]] = {}
        for idx in sorted(candidates):
            key = self._keys[idx]
            score = _score(q, key)
            if score < min_score:
                continue
            owner = self._owners[idx]
            if kind is not None and self.nodes[owner].kind != kind:
                continue
            if owner not in best or score > best[owner][0]:
                best[owner] = (score, key)
        if by_id is not None:
            best.pop(by_id.id, None)
        ranked = sorted(best.items(), key=lambda kv: (-kv[1][0], self.nodes[kv[0]].name))
        hits = [Hit(self.nodes[i], round(s, 1), m, self._match(q, self.nodes[i], m))
                for i, (s, m) in ranked[:limit]]
        if by_id is not None:
            hits = [Hit(by_id, 100.0, by_id.id, Match.ID), *hits[:limit - 1]]
        return hits

    @staticmethod
    def _match(q: str, node: Node, key: str) -> Match:
        if q == key:
            return Match.NAME if key == fold(node.name) else Match.ALIAS
        if key.startswith(q) or f" {q} " in f" {key} ":
            return Match.PREFIX
        return Match.SIMILAR

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

    def resolve(self, ref: str) -> Node:
        """The entity a person means by `ref`: its id, or its name or an alias after folding.

        Nothing else is taken, however close: a near name may be someone else. Raises
        `Ambiguous` (with every entity of that name) when the name is not one entity's,
        and `Unresolved` (with up to `CANDIDATES` closest hits) when nothing has it.
        """
        if ref in self.nodes:
            return self.nodes[ref]
        q = fold(ref)
        owners = list(dict.fromkeys(self._owners[k] for k in self._exact.get(q, ())))
        if len(owners) == 1:
            return self.nodes[owners[0]]
        if owners:
            nodes = sorted((self.nodes[o] for o in owners), key=lambda n: (n.name, n.id))
            raise Ambiguous(ref, [Hit(n, 100.0, q, self._match(q, n, q)) for n in nodes])
        raise Unresolved(ref, self.search(ref, limit=CANDIDATES) if q else [])


def resolve_id(store: GraphStore, index: SearchIndex, ref: str) -> str:
    """`ref` if the store holds that id (a pseudonym too, which search never finds), else
    the id of the entity `index.resolve` finds for it; raises as `SearchIndex.resolve`."""
    if store.has_node(ref):
        return ref
    return index.resolve(ref).id


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


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Keep the cyclic garbage collector out of an index build.

    The build allocates hundreds of thousands of lists and strings (none in cycles),
    enough to set off full collections that walk every object of a large graph;
    those took over half the build time of a 10^5-node index.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


#: Names a query scores exactly on a large graph: well over a page of answers.
_SHORTLIST = 200
#: Names taken from one word's list, beyond those short enough to tie at the fuzzy cap.
_PER_WORD = 50
#: Words kept per query word: those containing it (shortest first), and those close to it.
_CONTAINING = 500
_CLOSE = 50
#: Similarity a word needs to count as close to a query word.
_CLOSE_CUTOFF = 65.0
#: How well a word matches a query word: the same word, a word containing it, or at
#: most this close (so that a close word never outranks one holding the query word).
_SAME, _CONTAINS, _CLOSEST = 100.0, 99.0, 98.0
#: Length of the word beginnings that group words for the look-up of close words.
_STEM = 5


def _stems(word: str) -> set[str]:
    """The word's beginning, and that beginning one letter longer less each letter in turn.

    Two words one edit apart (a typo, a transposition, 'bayev' against 'baev') share
    a stem wherever the edit is, so a query word need only be compared with the
    words under its stems instead of the whole vocabulary.
    """
    head = word[:_STEM + 1]
    stems = {head[:i] + head[i + 1:] for i in range(len(head))}
    stems.add(word[:_STEM])
    return stems


class _WordIndex:
    """The words of the folded names, each with the names (keys) that hold it.

    A query keeps the names whose words match its words best (the same word, a word
    containing it, a word close to it); `SearchIndex` scores only those exactly.
    """

    def __init__(self, keys: list[str], owners: list[Node]) -> None:
        self._lengths = [len(key) for key in keys]
        self._kinds = [node.kind for node in owners]
        self._names = [node.name for node in owners]
        # Shortest names first, then by entity name: `_score` ranks equally good matches
        # in that order, so a long list can be cut after its first entries.
        order = sorted(range(len(keys)), key=self._names.__getitem__)
        order.sort(key=self._lengths.__getitem__)  # stable: by name within a length
        postings: dict[str, list[int]] = {}
        for k in order:
            for word in keys[k].split():
                postings.setdefault(word, []).append(k)
        # tuples of ints and of strings drop out of the garbage collector's sight, lists
        # do not: a full collection would otherwise walk these half a million entries
        self._postings = {word: tuple(keys_) for word, keys_ in postings.items()}
        self._words = sorted(self._postings)
        self._words.sort(key=len)
        self._text = "".join(f"{w}\n" for w in self._words)  # for substring look-ups
        self._starts: list[int] = []
        offset = 0
        for word in self._words:
            self._starts.append(offset)
            offset += len(word) + 1
        by_stem: dict[str, list[str]] = {}
        for word in self._words:
            for stem in _stems(word):
                if stem in by_stem:
                    by_stem[stem].append(word)
                else:
                    by_stem[stem] = [word]
        self._by_stem = {stem: tuple(words) for stem, words in by_stem.items()}

    def shortlist(self, q: str, kind: NodeKind | None, size: int) -> list[int]:
        """The `size` keys whose words best match the words of `q` (longer ones weigh more)."""
        qwords = list(dict.fromkeys(q.split()))
        total = sum(map(len, qwords))
        merit: dict[int, float] = {}
        having_all = self._having_all(qwords, kind, size)
        for qword in qwords:
            best = dict.fromkeys(having_all, _SAME)
            for word, similarity in self._similar(qword).items():
                # A name holding the whole query scores 85 + 10 * len(q) / len(name), capped
                # at 89, so every such name up to this length ties there (then goes by name).
                tie_length = int(2.5 * len(q)) if similarity == _CONTAINS and len(qwords) == 1 else 0
                for k in self._head(self._postings[word], kind, tie_length):
                    if best.get(k, 0.0) < similarity:
                        best[k] = similarity
            weight = len(qword) / total
            for k, similarity in best.items():
                merit[k] = merit.get(k, 0.0) + weight * similarity
        lengths, names = self._lengths, self._names
        return heapq.nsmallest(size, merit, key=lambda k: (-merit[k], lengths[k], names[k]))

    def _similar(self, qword: str) -> dict[str, float]:
        """Words like `qword`, each with how well it matches (see `_SAME`)."""
        found: dict[str, float] = {}
        at = self._text.find(qword)
        while at != -1 and len(found) < _CONTAINING:
            i = bisect_right(self._starts, at) - 1
            word = self._words[i]
            found[word] = _SAME if word == qword else _CONTAINS
            at = self._text.find(qword, self._starts[i] + len(word) + 1)
        near = list({w for stem in _stems(qword) for w in self._by_stem.get(stem, ())})
        closeness = dict.fromkeys(near, 0.0)
        # whole-word similarity, and for a longer word how well it holds the query word
        # (a typo in a longer word's beginning)
        longer = [w for w in near if len(w) > len(qword)]
        for words, scorer in ((near, fuzz.ratio), (longer, fuzz.partial_ratio)):
            for word, score, _ in process.extract(qword, words, scorer=scorer, limit=None,
                                                  score_cutoff=_CLOSE_CUTOFF):
                closeness[word] = max(closeness[word], score)
        # the closest first; of equally close words, those nearest the query word's length
        ranked = heapq.nlargest(_CLOSE, (w for w in near if closeness[w]), key=lambda w: (
            closeness[w], -abs(len(w) - len(qword)), w))  # the word last: same order every run
        for word in ranked:
            found.setdefault(word, min(closeness[word], _CLOSEST))
        return found

    def _head(self, posting: tuple[int, ...], kind: NodeKind | None,
              tie_length: int) -> Sequence[int]:
        """The first names of `posting` (of `kind`): `_PER_WORD`, and any up to `tie_length`."""
        if kind is None and len(posting) <= _PER_WORD:
            return posting
        taken: list[int] = []
        for k in posting:
            if kind is not None and self._kinds[k] is not kind:
                continue
            if len(taken) >= _PER_WORD and self._lengths[k] > tie_length:
                break
            taken.append(k)
        return taken

    def _having_all(self, qwords: list[str], kind: NodeKind | None, size: int) -> list[int]:
        """Keys holding every word of a query of several words, however common the words.

        Cutting each word's list short could lose the names that hold them all.
        """
        if len(qwords) < 2 or any(w not in self._postings for w in qwords):
            return []
        lists = sorted((self._postings[w] for w in qwords), key=len)
        common = set(lists[0]).intersection(*lists[1:])
        if kind is not None:
            common = {k for k in common if self._kinds[k] is kind}
        return heapq.nsmallest(size, common, key=lambda k: (self._lengths[k], self._names[k]))
