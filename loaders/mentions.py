"""Finding the graph's entities in running text, erring on the side of missing a mention.

A wrong MENTIONS edge ties a real person to a text about someone else, so the rule
is deliberately strict (documented in docs/formats.md and docs/identity.md):

* Words are compared folded (`graph.search.fold`: case, diacritics and Cyrillic
  transliteration removed), must be capitalised in the text, and the words of one
  name must follow each other with nothing but spaces between them.
* A **person** is linked only by a full name or multi-word alias written exactly
  (after folding), its words in order or reversed ("Zhylanbayev Marat").
* A name joined by a hyphen to a further word ("Tasbolatova-Sarsen") is not that name.
* Everything else that looks like a person is only *near* (`Match.exact` is False), and
  becomes a candidate for an editor (`graph.identity`), never a link: a full name with
  words of five letters or more one edit away (a typo, a transliteration variant or a
  case ending, "Barylk"/"Barlyk", "Sadykov"/"Sadykova"), of eight or more two; and a
  person's **surname alone** where it is distinctive (at least five letters, no other
  person in the graph shares it even approximately) in a report that names the person
  in full somewhere.
* Other entities are found by a name or alias of at least two significant words
  (capitalised as in the graph), an all-capitals acronym ("DCK"), or a one-word
  primary name of four letters or more. One-word aliases that are ordinary words
  or country names ("Kazakhstan") never match.
* Where matches overlap, the longest wins. Groups and sources are never matched.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rapidfuzz.distance import OSA

from graph.search import fold
from schema.models import Node
from schema.vocabulary import NodeKind

_WORD = re.compile(r"\w+")
#: a hyphen joining a further word to a name's last word, or a word to its first
_HYPHENED = re.compile(r"[-\u2010\u2011]\w+")
_HYPHENED_BEFORE = re.compile(r"\w+[-\u2010\u2011]$")
_SUPERSCRIPTS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹", "          ")
STOPWORDS = frozenset({"the", "of", "and", "for", "in", "on", "a", "an", "to", "de", "la", "s"})


@dataclass(frozen=True)
class Word:
    norm: str
    text: str
    start: int
    end: int
    joined: bool = False  # only spaces separate it from the previous word

    @property
    def capitalised(self) -> bool:
        return self.text[:1].isupper() or self.text[:1].isdigit()


@dataclass(frozen=True)
class Match:
    node_id: str
    start: int  # character offsets in the paragraph
    end: int
    words: int
    how: str  # "full name", "surname", "name"
    #: the words are the name's, exactly (folded): a link; otherwise a candidate
    exact: bool = True


@dataclass(frozen=True)
class Pattern:
    node_id: str
    words: tuple[str, ...]
    capitals: tuple[bool, ...]
    person: bool
    how: str


def words_of(text: str) -> list[Word]:
    """The text's words, folded, with their character offsets (footnote marks removed)."""
    clean = text.translate(_SUPERSCRIPTS)
    out: list[Word] = []
    for m in _WORD.finditer(clean):
        norm = fold(m.group()).replace(" ", "")
        if norm:
            joined = bool(out) and not clean[out[-1].end:m.start()].strip()
            out.append(Word(norm, m.group(), m.start(), m.end(), joined))
    return out


def similar(a: str, b: str) -> bool:
    """Equal, or a small misspelling of a long enough word with the same first letter."""
    if a == b:
        return True
    shortest = min(len(a), len(b))
    if shortest < 5 or a[0] != b[0]:
        return False
    return OSA.distance(a, b) <= (2 if shortest >= 8 else 1)


class NameMatcher:
    def __init__(self, nodes: list[Node]) -> None:
        self.patterns: list[Pattern] = []
        self.surnames: dict[str, str] = {}  # folded surname -> person id, distinctive only
        persons = [n for n in nodes if n.kind is NodeKind.PERSON and not n.group]
        for node in nodes:
            if node.group or node.kind is NodeKind.SOURCE:
                continue
            for i, label in enumerate(dict.fromkeys([node.name, *node.aliases])):
                self._add(node, label, primary=i == 0)
        last = {p.id: fold(p.name).split()[-1] for p in persons if len(fold(p.name).split()) > 1}
        for pid, surname in last.items():
            shared = any(similar(surname, other) for oid, other in last.items() if oid != pid)
            if len(surname) >= 5 and not shared:
                self.surnames[surname] = pid

    def _add(self, node: Node, label: str, primary: bool) -> None:
        raw = _WORD.findall(label)
        words = tuple(fold(w).replace(" ", "") for w in raw)
        capitals = tuple(w[:1].isupper() or w[:1].isdigit() for w in raw)
        significant = [w for w in words if w not in STOPWORDS]
        person = node.kind is NodeKind.PERSON
        if person and len(words) >= 2:
            self.patterns.append(Pattern(node.id, words, capitals, True, "full name"))
        elif not person and len(significant) >= 2:
            self.patterns.append(Pattern(node.id, words, capitals, False, "name"))
        elif not person and len(raw) == 1 and (
                (raw[0].isupper() and len(raw[0]) >= 2) or (primary and len(raw[0]) >= 4)):
            self.patterns.append(Pattern(node.id, words, (True,), False, "name"))

    def _at(self, pattern: Pattern, words: list[Word], i: int) -> bool | None:
        """Whether the pattern is at word `i`: True exactly, False nearly (a person's name
        misspelt), None not at all."""
        window = words[i:i + len(pattern.words)]
        if len(window) < len(pattern.words) or not all(w.joined for w in window[1:]):
            return None
        if pattern.person:
            if not all(w.capitalised for w in window):
                return None
            written = tuple(w.norm for w in window)
            if written in (pattern.words, tuple(reversed(pattern.words))):
                return True
            near = (all(similar(p, w) for p, w in zip(pattern.words, written, strict=True))
                    or all(similar(p, w) for p, w in
                           zip(reversed(pattern.words), written, strict=True)))
            return False if near else None
        if all(p == w.norm and (w.capitalised or not cap) for p, w, cap
               in zip(pattern.words, window, pattern.capitals, strict=True)):
            return True
        return None

    def full_matches(self, text: str) -> list[Match]:
        words = words_of(text)
        by_initial: dict[str, list[int]] = {}
        for i, word in enumerate(words):
            by_initial.setdefault(word.norm[0], []).append(i)
        found: list[Match] = []
        for pattern in self.patterns:
            n = len(pattern.words)
            starts = {pattern.words[0][0], pattern.words[-1][0] if pattern.person else ""}
            for i in sorted(j for c in starts for j in by_initial.get(c, [])):
                at = self._at(pattern, words, i)
                if at is not None:
                    start, end = words[i].start, words[i + n - 1].end
                    # a name with a hyphenated word more ("Tasbolatova-Sarsen") is another name
                    after = _HYPHENED.match(text, end) if pattern.person else None
                    before = _HYPHENED_BEFORE.search(text, 0, start) if pattern.person else None
                    if after or before:
                        at = False  # written out whole, for the editor to read
                        start, end = (before.start() if before else start,
                                      after.end() if after else end)
                    found.append(Match(pattern.node_id, start, end, n, pattern.how, exact=at))
        return found

    def surname_matches(self, text: str, named: set[str]) -> list[Match]:
        """Distinctive surnames of persons the report names in full somewhere."""
        return [Match(pid, w.start, w.end, 1, "surname", exact=False) for w in words_of(text)
                if w.capitalised and (pid := self.surnames.get(w.norm)) in named]

    @staticmethod
    def resolve(matches: list[Match]) -> list[Match]:
        """Non-overlapping matches, the longest first: 'Alga Kazakhstan' over 'Alga'.

        A person's full name inside the name of another entity ('Yerulan Amirov case')
        is kept as well: naming a case after someone mentions them.
        """
        chosen: list[Match] = []
        for m in sorted(matches, key=lambda m: (not m.exact, -m.words, -(m.end - m.start),
                                                m.start)):
            if all(m.end <= c.start or m.start >= c.end or m.node_id == c.node_id
                   or (m.how == "full name" and c.how == "name"
                       and c.start <= m.start and m.end <= c.end)
                   for c in chosen):
                chosen.append(m)
        return sorted(chosen, key=lambda m: m.start)
