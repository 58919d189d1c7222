"""Finding restricted persons' names in free text, in the forms a text may write them.

A name is matched word by word on a folded key, so that case, diacritics, script
and common transliterations do not matter: each word is written in ASCII
(`anyascii`, which turns Cyrillic into Latin), lower-cased, and a few spelling
variants are merged (`TRANSLITERATIONS`: "Yerimbetov" and "Ерімбетов" both become
"erimbetov"). A text word also matches when it is a name word followed by one of
the documented endings (`ENDINGS`: Russian and Kazakh case endings, English
plurals), or, for a name word ending in a vowel, that word without the vowel
followed by one ("Bota", "Botu", "Boty").

What counts as a mention, for one restricted person:
- a run of adjacent words that are all words of their name, holding two different
  ones ("Iskander Yerimbetov", "Yerimbetov Iskander"), unless a public person's name
  is made of the same words;
- a single word of their name that no public person's name uses (a *distinctive*
  word): "Yerimbetov" alone, but not a surname shared with a public brother;
- a link whose address holds a distinctive word or the whole name run together.

The set is finite and documented in docs/ethics.md; a test keeps the two equal.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import combinations

from anyascii import anyascii

PLACEHOLDER = "a restricted person"
WITHHELD_LINK = "(link withheld: it names a restricted person)"

#: spelling variants merged in keys, applied in this order to lower-case ASCII
TRANSLITERATIONS: tuple[tuple[str, str], ...] = (
    ("shch", "sh"), ("sch", "sh"), ("dzh", "j"), ("zh", "j"), ("dj", "j"), ("kh", "h"),
    ("ye", "e"), ("yo", "e"), ("yu", "iu"), ("ya", "ia"), ("ts", "c"), ("tz", "c"),
    ("ck", "k"), ("q", "k"), ("y", "i"), ("w", "v"),
)
#: word endings a name may take in a text (written as a transliteration would write them)
ENDINGS: tuple[str, ...] = (
    # English plural and possessive without the apostrophe
    "s", "es",
    # Russian: masculine and feminine surname and first-name cases, plural
    "a", "u", "e", "y", "i", "om", "ym", "im", "oy", "oi", "ov", "ykh", "ymi",
    "ami", "ah", "ia", "iu", "ei", "ey", "yu", "ya",
    # Kazakh: genitive, dative, accusative, locative, ablative, instrumental
    "nyng", "ning", "dyng", "ding", "tyng", "ting",
    "ga", "ge", "ka", "ke", "na", "ne",
    "ny", "ni", "dy", "di", "ty", "ti",
    "da", "de", "ta", "te", "nda", "nde",
    "dan", "den", "tan", "ten", "nan", "nen",
    "men", "ben", "pen",
)
#: a single name word shorter than this is matched only inside a full name
MIN_DISTINCTIVE = 3
#: ...and a distinctive word is looked for inside link addresses from this length
MIN_IN_LINK = 5

_LETTERS = re.compile(r"[^\W\d_]+")
_NOT_LETTER = re.compile(r"[^a-z]+")
_LINK = re.compile(r"(?:https?://|www\.)[^\s<>\"']+", re.IGNORECASE)
#: what may stand between two words of one name: up to three spaces, hyphens, quotes, dots...
#: but not a line break
_JOIN = re.compile(r"[^\w\n]{1,3}")
_REPEAT = re.compile(r"(.)\1+")


@lru_cache(maxsize=65_536)
def key(word: str) -> str:
    """The folded spelling of one word: 'Ерімбетовым' -> 'erimbetovim'."""
    folded = _NOT_LETTER.sub("", (word if word.isascii() else anyascii(word)).lower())
    for variant, common in TRANSLITERATIONS:
        if variant in folded:
            folded = folded.replace(variant, common)
    return _REPEAT.sub(r"\1", folded)


def stems(word: str) -> set[str]:
    """The keys a text word may start with when it writes this name word: the word, and
    for a word ending in a vowel, the word without it."""
    out = {key(word)}
    if len(word) > MIN_DISTINCTIVE + 1 and word[-1].lower() in "aeiouy":
        out.add(key(word[:-1]))
    return {s for s in out if s}


#: the folded endings, by their last letter, longest first
_ENDINGS_BY_LAST: dict[str, list[str]] = {}
for _ending in sorted({key(e) for e in ENDINGS} - {""}, key=len, reverse=True):
    _ENDINGS_BY_LAST.setdefault(_ending[-1], []).append(_ending)


def readings(word_key: str) -> list[str]:
    """The stems a text word (as a key) may be: itself, and itself less each listed ending."""
    out = [word_key]
    for ending in _ENDINGS_BY_LAST.get(word_key[-1:], ()):
        if len(word_key) > len(ending) and word_key.endswith(ending):
            out.append(word_key[:-len(ending)])
    return out


@dataclass(frozen=True)
class _Person:
    distinctive: frozenset[str]  # keys of the words no public person's name uses


class NameMatcher:
    """Finds and removes mentions of restricted persons in text.

    `restricted` gives each restricted person's labels (name and aliases); `public`
    every public person's labels, whose words are therefore not distinctive.
    """

    def __init__(self, restricted: Iterable[Sequence[str]], public: Iterable[str]) -> None:
        public_labels = [{key(w) for w in _LETTERS.findall(label)} - {""} for label in public]
        public_words = set().union(*public_labels)
        #: word combinations a public person's name is made of: no mention without a
        #: distinctive word ("Ali Bek" is a public man, not his restricted namesake)
        self._public_runs = {frozenset(c) for label in public_labels if len(label) <= 6
                             for size in range(2, len(label) + 1)
                             for c in combinations(sorted(label), size)}
        self._people: list[_Person] = []
        #: name word stem -> {person index: the key of the name word it belongs to}
        self._stems: dict[str, dict[int, str]] = {}
        #: text word key -> the same, for the words already looked up
        self._forms: dict[str, dict[int, str]] = {}
        link_terms: set[str] = set()  # distinctive words and whole names run together
        for labels in restricted:
            index = len(self._people)
            distinctive: set[str] = set()
            for label in labels:
                words = _LETTERS.findall(label)
                joined = "".join(key(w) for w in words)
                if len(joined) >= MIN_IN_LINK and len(words) > 1:
                    link_terms.add(joined)
                for word in words:
                    name_key = key(word)
                    if not name_key:
                        continue
                    if len(name_key) >= MIN_DISTINCTIVE and name_key not in public_words:
                        distinctive.add(name_key)
                    for stem in stems(word):
                        self._stems.setdefault(stem, {}).setdefault(index, name_key)
            link_terms |= {d for d in distinctive if len(d) >= MIN_IN_LINK}
            self._people.append(_Person(frozenset(distinctive)))
        self._link_terms = sorted(link_terms, key=len, reverse=True)

    @property
    def active(self) -> bool:
        return bool(self._people)

    def _owners(self, word_key: str) -> dict[int, str]:
        """Whose name words a text word writes: {person index: name word key}."""
        found = self._forms.get(word_key)
        if found is None:
            found = {}
            for stem in readings(word_key):
                for person, name_key in self._stems.get(stem, {}).items():
                    found.setdefault(person, name_key)
            if len(self._forms) < 1_000_000:  # a bound on what odd texts can make it hold
                self._forms[word_key] = found
        return found

    def mentions(self, text: str) -> list[tuple[int, int, int]]:
        """Where the text names a restricted person, by word: (start, end, whose), where
        `whose` is the person's place in the order they were given."""
        if not self._people:
            return []
        found: list[tuple[int, int, int]] = []
        words = [(m.start(), m.end(), key(m.group(0))) for m in _LETTERS.finditer(text)]
        i = 0
        while i < len(words):
            owners = sorted(self._owners(words[i][2]))
            ends = [(self._mention_end(text, words, i, p), p) for p in owners]
            end, whose = max(ends, key=lambda e: e[0], default=(-1, -1))
            if end >= i:
                found.append((words[i][0], words[end][1], whose))
                i = end + 1
            else:
                i += 1
        return found

    def spans(self, text: str) -> list[tuple[int, int]]:
        """Where the text mentions a restricted person (by name or in a link): sorted,
        non-overlapping spans."""
        if not self._people:
            return []
        return _merge([(s, e) for s, e, _ in self.mentions(text)] + self._links(text))

    def _mention_end(self, text: str, words: list[tuple[int, int, str]], start: int,
                     person: int) -> int:
        """The last word of a mention of `person` that starts at word `start`, or -1."""
        seen: set[str] = set()
        end = start
        for j in range(start, len(words)):
            if j > start and not _JOIN.fullmatch(text, words[j - 1][1], words[j][0]):
                break
            name_key = self._owners(words[j][2]).get(person)
            if name_key is None:
                break
            seen.add(name_key)
            end = j
        if seen & self._people[person].distinctive:
            return end
        if len(seen) >= 2 and frozenset(seen) not in self._public_runs:
            return end
        return -1

    def _links(self, text: str) -> list[tuple[int, int]]:
        if not self._link_terms or ("://" not in text and "www." not in text.lower()):
            return []
        return [(link.start(), link.end()) for link in _LINK.finditer(text)
                if self._names_in_link(link.group(0))]

    def _names_in_link(self, link: str) -> bool:
        folded = key(link)
        return any(term in folded for term in self._link_terms)

    def names(self, text: str) -> bool:
        return bool(self.spans(text))

    def scrub(self, text: str) -> str:
        """The text with each mention replaced: a link by a note, a name by PLACEHOLDER."""
        spans = self.spans(text)
        if not spans:
            return text
        out, last = [], 0
        for start, end in spans:
            out.append(text[last:start])
            out.append(WITHHELD_LINK if _LINK.fullmatch(text, start, end) else PLACEHOLDER)
            last = end
        out.append(text[last:])
        return "".join(out)

    def url(self, url: str) -> str | None:
        """A link as the public may follow it: None when its address names someone."""
        if self._link_terms and self._names_in_link(url):
            return None
        return url if not self.spans(url) else None


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if out and start <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], end))
        else:
            out.append((start, end))
    return out
