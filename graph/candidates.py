"""Stored entities whose names are near an incoming name: candidates for an editor, never links.

An importer links an incoming name to a stored entity only on an id, or on a name or alias
that folds (`graph.search.fold`) to the same words: `NearNames.exact`. Every other name that
may be the same one (another transliteration, a case ending, a shortened or extended word, a
typo, the words in another order, a given name or patronymic more or less) is a *candidate*
(`Near`) that an editor decides on. Matching proposes; it never merges.

Comparing every incoming name with every stored one would mean 10^9 comparisons for an import
of 10^4 persons into 10^5. Instead every stored word is filed, once, under a few blocking keys
(docs/identity.md, "How near names are found"):

- its *key*, `graph.names.key`: ASCII, lower case, transliteration variants merged
  ("Жыланбаев", "Zhylanbayev", "Jylanbaev" -> "jilanbaev"), and a Latin "x" read as "ks";
- its *stems*: the key less a Russian or Kazakh case ending (`graph.names.readings`,
  "Жыланбаеву" -> "jilanbaev") or a surname suffix (`SURNAME_SUFFIXES`, "Ayanov" -> "aian");
- its *deletion keys*: its first six letters less any one of them, and its first five, so that
  two words one typo or transposition apart share a key ("Iksander"/"Iskander": "ikand"), and
  its first six consonants, for vowels written otherwise ("Oldoylkyzy"/"Oldyolkyzy");
- its place in the sorted vocabulary, where the words that begin with a word are a range
  ("Bota" -> "Botagoz").

An incoming word is compared only with the stored words under its own keys (once per distinct
word), and an incoming name only with the stored names that hold words related to two of its
words (sets intersected in C, not names compared in Python): a name of two words or more must
match a stored name of two words or more on two of them (`NearNames.near`).
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from itertools import combinations

from rapidfuzz.distance import OSA

from graph.names import LATIN_LETTERS, key, readings
from graph.search import fold
from schema.models import Node
from schema.vocabulary import NodeKind

#: How a near name relates to the stored one, from closest to farthest. A name's `how` is the
#: farthest relation any of its words needs.
HOW = ("exact", "reordered", "transliteration", "ending", "extension", "shortened", "similar",
       "given-name")
#: The highest score each `how` may reach (the score scale, docs/identity.md); a name's score
#: is this times how much of it matches, weighed by word length and relation.
CAP = {"exact": 100.0, "reordered": 98.0, "transliteration": 95.0, "ending": 90.0,
       "extension": 88.0, "shortened": 85.0, "similar": 85.0, "given-name": 80.0}
#: How much one word pair counts towards the score, by relation ("similar": times its
#: similarity).
_WORD_WEIGHT = {"same": 1.0, "transliteration": 0.97, "ending": 0.92, "extension": 0.9,
                "shortened": 0.85, "similar": 0.95}
#: Endings that make a surname of a name or a stem (keyed): "Ayan" -> "Ayanov", "Bilash" ->
#: "Bilashuly"; checked before case endings, which include "-ov".
SURNAME_SUFFIXES = ("ov", "ev", "ova", "eva", "in", "ina", "uli", "kizi")
#: Two words are *similar* from this optimal-string-alignment similarity (a typo or
#: transposition in 4 letters or more).
SIMILAR = 0.75
#: Words shorter than this (keyed) are matched only by key, stem or as a prefix of a longer
#: word: "Ali" against "Alia" says nothing.
MIN_FUZZY = 4
#: A word key shorter than this is never a shortened form ("Bo" of "Bota"; "Zhan" keys to "jan").
MIN_SHORTENED = 3
#: At most this many longer words are taken for a word they begin with.
_PREFIX_CAP = 200
#: Head length for deletion keys (as `graph.search._stems`).
_HEAD = 6
#: Kinds never matched: sources are documents, not names of someone.
NOT_MATCHED = frozenset({NodeKind.SOURCE})
#: The score under which `propose` keeps a candidate back.
MIN_SCORE = 50.0

_LATIN = str.maketrans({**LATIN_LETTERS, **{k.upper(): v for k, v in LATIN_LETTERS.items()}})
_VOWELS = re.compile("[aeiou]")
_RANK = {how: i for i, how in enumerate(HOW)}


@dataclass(frozen=True)
class Near:
    node_id: str  # the stored entity
    label: str  # its name or alias that matched
    written: str  # the name as the incoming side writes it
    score: float  # 0-100, higher is closer (CAP gives each `how` its ceiling)
    how: str  # one of HOW; "exact" is a link, every other a candidate


@dataclass(frozen=True)
class _Label:
    node_id: str
    kind: NodeKind
    text: str
    folded: str
    words: tuple[str, ...]  # folded words
    keys: tuple[str, ...]  # their keys, in the same order


def word_key(word: str) -> str:
    """The blocking key of one folded word: `graph.names.key`, a Latin "x" read as "ks"."""
    return key(word.replace("x", "ks"))


def _split(name: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The folded words of a name, and their keys (words with no letters dropped)."""
    words = fold(name).split()
    latin = fold(name.translate(_LATIN)).split()  # "Şynğys": "sh", "gh" as names.key expects
    keyed = [word_key(w) for w in (latin if len(latin) == len(words) else words)]
    pairs = [(w, k) for w, k in zip(words, keyed, strict=True) if k]
    return tuple(w for w, _ in pairs), tuple(k for _, k in pairs)


def _stems(word: str) -> set[str]:
    """The word less a case ending or a surname suffix, and the word itself."""
    out = set(readings(word))
    out.update(word[:-len(s)] for s in SURNAME_SUFFIXES
               if word.endswith(s) and len(word) - len(s) >= 3)
    return out


def _deletions(word: str) -> set[str]:
    """Keys two words one edit apart share: the head less one letter, the shorter head, and
    the consonants (two vowel changes: "Oldoylkyzy" and "Oldyolkyzy" key to "oldoilkizi" and
    "oldelkizi", both "ldlkz")."""
    if len(word) < MIN_FUZZY:
        return set()
    head = word[:_HEAD]
    out = {head[:i] + head[i + 1:] for i in range(len(head))}
    out.add(word[:_HEAD - 1])
    skeleton = _VOWELS.sub("", word)
    if len(skeleton) >= 3:
        out.add("#" + skeleton[:_HEAD])
    return out


def relate(a: str, b: str) -> tuple[str, float] | None:
    """How two word keys relate, and how much the pair counts: None when not at all."""
    if a == b:
        return "transliteration", _WORD_WEIGHT["transliteration"]
    short, long_ = sorted((a, b), key=len)
    if long_.startswith(short) and long_[len(short):] in SURNAME_SUFFIXES and len(short) >= 3:
        return "extension", _WORD_WEIGHT["extension"]
    stems_a, stems_b = _stems(a), _stems(b)
    if stems_a & stems_b:
        return "ending", _WORD_WEIGHT["ending"]
    if len(short) >= MIN_SHORTENED and long_.startswith(short):
        return "shortened", _WORD_WEIGHT["shortened"]
    if len(short) >= MIN_FUZZY:
        best = max(OSA.normalized_similarity(x, y) for x in stems_a for y in stems_b)
        if best >= SIMILAR:
            return "similar", _WORD_WEIGHT["similar"] * best
    return None


class NearNames:
    """The names and aliases of stored entities, indexed once for near-name look-ups.

    `comparisons` counts the word pairs and the names compared so far: what blocking saves.
    """

    def __init__(self, nodes: Iterable[Node], *, kinds: Collection[NodeKind] | None = None) -> None:
        self.comparisons = 0
        self._labels: list[_Label] = []
        self._exact: dict[str, list[int]] = {}
        self._multi: dict[str, list[int]] = {}  # word key -> names of two words or more
        self._single: dict[str, list[int]] = {}  # word key -> names of one word
        self._ids: set[str] = set()
        for node in nodes:
            if node.group or node.kind in NOT_MATCHED or (kinds is not None and node.kind not in kinds):
                continue
            self._ids.add(node.id)
            for text in dict.fromkeys([node.name, *node.aliases]):
                words, keys = _split(text)
                if not keys:
                    continue
                index = len(self._labels)
                folded = " ".join(fold(text).split())
                self._labels.append(_Label(node.id, node.kind, text, folded, words, keys))
                self._exact.setdefault(folded, []).append(index)
                postings = self._single if len(keys) == 1 else self._multi
                for k in dict.fromkeys(keys):
                    postings.setdefault(k, []).append(index)
        self._vocab = sorted(self._multi.keys() | self._single.keys())
        self._blocks: dict[str, list[str]] = {}
        for word in self._vocab:
            for stem in _stems(word):
                self._blocks.setdefault("s" + stem, []).append(word)
            for deleted in _deletions(word):
                self._blocks.setdefault("d" + deleted, []).append(word)
        self._related: dict[str, dict[str, tuple[str, float]]] = {}
        self._holding: dict[str, frozenset[int]] = {}

    def __contains__(self, node_id: object) -> bool:
        return node_id in self._ids

    def exact(self, name: str, kind: NodeKind | None = None) -> list[str]:
        """The ids whose name or alias folds equal to `name`: links, not candidates."""
        found = self._exact.get(" ".join(fold(name).split()), [])
        return list(dict.fromkeys(self._labels[i].node_id for i in found
                                  if kind is None or self._labels[i].kind is kind))

    def near(self, name: str, kind: NodeKind | None = None, *, limit: int = 5,
             min_score: float = 0.0) -> list[Near]:
        """The stored entities whose names are near `name`, best first, one entry each.

        A stored name of two words or more is near only when two of its words relate to
        words of `name` ("Marat Zhylanbayev" is not near "Marat Kozlov"); a name of one word,
        or against a name of one word, when that word does.
        """
        words, keys = _split(name)
        if not keys:
            return []
        folded = " ".join(fold(name).split())
        best: dict[str, Near] = {}
        for index in self._generate(keys):
            label = self._labels[index]
            if kind is not None and label.kind is not kind:
                continue
            found = self._verify(name, folded, words, keys, label)
            if found and found.score >= min_score:
                held = best.get(label.node_id)
                if held is None or (found.score, -len(found.label)) > (held.score, -len(held.label)):
                    best[label.node_id] = found
        ranked = sorted(best.values(), key=lambda n: (-n.score, n.label, n.node_id))
        return ranked[:limit]

    def _related_words(self, word: str) -> dict[str, tuple[str, float]]:
        """The stored words related to one incoming word (its blocks only), cached."""
        found = self._related.get(word)
        if found is not None:
            return found
        near: set[str] = set()
        for stem in _stems(word) | {word}:
            near.update(self._blocks.get("s" + stem, ()))
        for deleted in _deletions(word):
            near.update(self._blocks.get("d" + deleted, ()))
        if len(word) >= MIN_SHORTENED:
            start = bisect_left(self._vocab, word)
            for other in self._vocab[start:start + _PREFIX_CAP]:
                if not other.startswith(word):
                    break
                near.add(other)
            near.update(word[:i] for i in range(MIN_SHORTENED, len(word))
                        if word[:i] in self._multi or word[:i] in self._single)
        self.comparisons += len(near)
        found = {}
        for other in near:
            relation = relate(word, other)
            if relation is not None:
                found[other] = relation
        if len(self._related) < 1_000_000:
            self._related[word] = found
        return found

    def _generate(self, keys: tuple[str, ...]) -> set[int]:
        """The stored names that may be near: names of one word holding a word related to
        one of `keys`, and names of more words holding words related to two of them (or to
        the only one)."""
        holders = [self._holders(k) for k in dict.fromkeys(keys)]
        out: set[int] = set()
        for k in dict.fromkeys(keys):
            for word in self._related_words(k):
                out.update(self._single.get(word, ()))
        if len(holders) == 1:
            return out | holders[0]
        for a, b in combinations(holders, 2):
            out |= a & b
        return out

    def _holders(self, word: str) -> frozenset[int]:
        """The names of two words or more holding a word related to `word`, cached."""
        found = self._holding.get(word)
        if found is None:
            ids: set[int] = set()
            for other in self._related_words(word):
                ids.update(self._multi.get(other, ()))
            found = frozenset(ids)
            if len(self._holding) < 200_000:
                self._holding[word] = found
        return found

    def _verify(self, name: str, folded: str, words: tuple[str, ...], keys: tuple[str, ...],
                label: _Label) -> Near | None:
        """`label` as a candidate for `name`, or None when too few of their words relate."""
        self.comparisons += 1
        if folded == label.folded:
            return Near(label.node_id, label.text, name, 100.0, "exact")
        pairs = []
        for i, k in enumerate(keys):
            related = self._related_words(k)
            for j, lk in enumerate(label.keys):
                relation = related.get(lk)
                if relation is not None:
                    how, weight = ("same", 1.0) if words[i] == label.words[j] else relation
                    pairs.append((weight, i, j, how))
        pairs.sort(reverse=True)
        used_q: set[int] = set()
        used_l: dict[int, tuple[int, str, float]] = {}
        for weight, i, j, how in pairs:
            if i not in used_q and j not in used_l:
                used_q.add(i)
                used_l[j] = (i, how, weight)
        if len(used_l) < min(2, len(keys), len(label.keys)):
            return None
        hows = [how for _, how, _ in used_l.values()]
        worst = max((h for h in hows if h != "same"), key=_RANK.__getitem__, default="reordered")
        extra = len(used_l) < max(len(keys), len(label.keys))
        if extra:
            worst = "given-name"
        in_order = [i for _, (i, _, _) in sorted(used_l.items())]
        matched = sum(w * len(label.keys[j]) for j, (_, _, w) in used_l.items())
        unmatched_q = sum(len(k) for i, k in enumerate(keys) if i not in used_q)
        closeness = matched / (sum(map(len, label.keys)) + 0.25 * unmatched_q)
        if in_order != sorted(in_order):
            closeness -= 0.02
        # within its band: of two names near in the same way, the closer one ranks first
        return Near(label.node_id, label.text, name, round(CAP[worst] * min(closeness, 1.0), 1), worst)


def propose(incoming: Iterable[Node], index: NearNames, *, min_score: float = MIN_SCORE,
            limit: int = 5) -> list[tuple[Node, Near]]:
    """For each incoming entity, the stored entities of its kind near its name or an alias.

    An incoming entity that shares an id with a stored one, or whose name or alias folds equal
    to a stored one's, is the importer's link (or, when several stored entities fold equal, its
    ambiguity to report), so it gets no candidates. Groups and sources are never matched.
    """
    out: list[tuple[Node, Near]] = []
    for node in incoming:
        if node.group or node.kind in NOT_MATCHED or node.id in index:
            continue
        names = list(dict.fromkeys([node.name, *node.aliases]))
        if any(index.exact(name, node.kind) for name in names):
            continue
        best: dict[str, Near] = {}
        for name in names:
            for near in index.near(name, node.kind, limit=limit, min_score=min_score):
                if near.node_id not in best or near.score > best[near.node_id].score:
                    best[near.node_id] = near
        ranked = sorted(best.values(), key=lambda n: (-n.score, n.label, n.node_id))
        out.extend((node, near) for near in ranked[:limit])
    return out
