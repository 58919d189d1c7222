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
- a single word of their name, of five letters or more, spelled unlike every public
  person's name word (a *distinctive* word): "Yerimbetov" alone, but not a surname
  shared with a public brother; a text word spelled exactly like a public name word
  is the public person's;
- a link, address, handle, hashtag, CamelCase or long run-together word that holds a
  distinctive word or a whole name run together (withheld whole).

The set is finite and documented in docs/ethics.md; a test keeps the two equal.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import combinations, pairwise
from urllib.parse import unquote

from anyascii import anyascii

PLACEHOLDER = "a restricted person"
WITHHELD = "(withheld: it names a restricted person)"

#: spelling variants merged in keys, applied in this order to lower-case ASCII
TRANSLITERATIONS: tuple[tuple[str, str], ...] = (
    ("shch", "sh"), ("sch", "sh"), ("dzh", "j"), ("zh", "j"), ("dj", "j"), ("kh", "h"),
    ("gh", "g"),
    ("ye", "e"), ("yo", "e"), ("yu", "iu"), ("ya", "ia"), ("ts", "c"), ("tz", "c"),
    ("ck", "k"), ("q", "k"), ("x", "h"), ("y", "i"), ("w", "v"),
)
#: letters of Kazakh, Uzbek and Turkish Latin alphabets and ISO 9 that anyascii writes as one
#: plain letter, written as the digraphs the variants above expect
LATIN_LETTERS = {"ş": "sh", "š": "sh", "ž": "zh", "č": "ch", "ğ": "gh", "ǵ": "gh", "ı": "y"}
_LATIN = str.maketrans({**LATIN_LETTERS, **{k.upper(): v for k, v in LATIN_LETTERS.items()}})
#: word endings a name may take in a text (written as a transliteration would write them)
ENDINGS: tuple[str, ...] = (
    # English plural and possessive without the apostrophe
    "s", "es",
    # Russian: masculine and feminine surname and first-name cases, plural
    "a", "u", "e", "y", "i", "om", "ym", "im", "oy", "oi", "ov", "ykh", "ymi",
    "ami", "ah", "ia", "iu", "ei", "ey", "yu", "ya",
    # Kazakh: genitive, dative, accusative, locative, ablative, instrumental, plural
    "nyng", "ning", "dyng", "ding", "tyng", "ting", "nyn", "nin", "dyn", "din", "tyn", "tin",
    "ga", "ge", "ka", "ke", "na", "ne",
    "ny", "ni", "dy", "di", "ty", "ti",
    "da", "de", "ta", "te", "nda", "nde",
    "dan", "den", "tan", "ten", "nan", "nen",
    "men", "ben", "pen",
    "lar", "ler", "dar", "der", "tar", "ter",
)
#: a single name word shorter than this is matched only inside a full name ("Nur", "Mark" and
#: "Asia" are words too)
MIN_DISTINCTIVE = 5
#: ...and a distinctive word, or a whole name run together, is looked for inside links,
#: addresses, handles and run-together words from this length
MIN_IN_LINK = 5

#: letters, and what may sit inside a word without ending it: combining marks (a decomposed
#: "й"), a soft hyphen, zero-width spaces and joiners
_INSIDE = "\u0300-\u036f\u0483-\u0489\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f" \
          "\u00ad\u180e\u200b-\u200f\u2060-\u2069\ufe00-\ufe0f\ufeff"


def _marks() -> tuple[str, dict[int, None]]:
    r"""Every other combining mark and invisible format character (Unicode categories Mn, Me
    and Cf: variation selectors, tag characters, the Arabic letter mark...), as ranges of a
    regex class, and as a table that drops them. A reader does not see them, so inside a
    word they must not end it ("Tasbo\U000e0100latova" shows "Tasbolatova"), and a combining
    letter ("o\u0363") is no letter of the word's spelling. They live in planes 0, 1 and 14."""
    found = [c for c in (*range(0x20000), *range(0xE0000, 0xE1000))
             if unicodedata.category(chr(c)) in ("Mn", "Me", "Cf")]
    ranges: list[list[int]] = []
    for c in found:
        if ranges and ranges[-1][1] == c - 1:
            ranges[-1][1] = c
        else:
            ranges.append([c, c])
    return ("".join(re.escape(chr(a)) + (f"-{re.escape(chr(b))}" if b > a else "")
                    for a, b in ranges), dict.fromkeys(found))


_MARKS, _DROP_MARKS = _marks()
_LETTERS = re.compile(f"(?:[^\\W\\d_]|[{_INSIDE}{_MARKS}])+")
#: a run of text with no white space that is not a plain word: a link, an address, a
#: handle, a hashtag, percent-encoding, words joined by dots or underscores, CamelCase
_CHUNK = re.compile(r"[^\s.,;:!?()\[\]{}\"'«»“”]\S*[^\s.,;:!?()\[\]{}\"'«»“”]")
_COMPOUND = re.compile(r"[@#/%_.:+=~]")
#: a plain word this long is looked into too: names run together in lower case
LONG_WORD = 12
_NOT_LETTER = re.compile(r"[^a-z]+")
#: what may stand between two words of one name: up to five spaces, hyphens, quotes, dots...
#: but not a line break
_JOIN = re.compile(r"[^\w\n]{1,5}")
_REPEAT = re.compile(r"(.)\1+")


@lru_cache(maxsize=65_536)
def key(word: str) -> str:
    """The folded spelling of one word: 'Ерімбетовым' -> 'erimbetovim'."""
    if not word.isascii():
        word = anyascii(unicodedata.normalize("NFC", word).translate(_DROP_MARKS)
                        .translate(_LATIN))
    folded = _NOT_LETTER.sub("", word.lower())
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
    """The stems a text word (as a key) may be: itself, and itself less each listed ending.
    An ending that starts with the letter the stem ends with lost that letter when doubled
    letters were merged ("Нұртазиннің" folds to "nurtazining": "nurtazin" and "-ning")."""
    out = [word_key]
    for ending in _ENDINGS_BY_LAST.get(word_key[-1:], ()):
        if len(word_key) > len(ending) and word_key.endswith(ending):
            out.append(word_key[:-len(ending)])
        merged = ending[1:]
        if merged and len(word_key) > len(merged) and word_key.endswith(merged) \
                and word_key[-len(merged) - 1] == ending[0]:
            out.append(word_key[:-len(merged)])
    return out


@dataclass(frozen=True)
class _Person:
    distinctive: frozenset[str]  # keys of the words no public person's name uses
    labels: frozenset[tuple[str, ...]]  # each label's word keys, in order


class NameMatcher:
    """Finds and removes mentions of restricted persons in text.

    `restricted` gives each restricted person's labels (name and aliases); `public`
    every public person's labels, whose words are therefore not distinctive.
    """

    def __init__(self, restricted: Iterable[Sequence[str]], public: Iterable[str]) -> None:
        public = list(public)
        public_labels = [{key(w) for w in _LETTERS.findall(label)} - {""} for label in public]
        #: public names' words: a text word spelled (folded) exactly like one is never a
        #: mention on its own ("Tasbolatov" is the public man, even beside a restricted
        #: "Tasbolatova", whose name is then still a mention when written out)
        self._public_words: set[str] = set().union(*public_labels)
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
        compound_terms: set[str] = set()  # distinctive words and whole names run together
        for labels in restricted:
            index = len(self._people)
            distinctive: set[str] = set()
            written: set[tuple[str, ...]] = set()
            for label in labels:
                words = _LETTERS.findall(label)
                written.add(tuple(k for k in map(key, words) if k))
                joined = "".join(key(w) for w in words)
                if len(joined) >= MIN_IN_LINK and len(words) > 1:
                    compound_terms.add(joined)
                for word in words:
                    name_key = key(word)
                    if not name_key:
                        continue
                    if len(name_key) >= MIN_DISTINCTIVE and name_key not in self._public_words:
                        distinctive.add(name_key)
                    for stem in stems(word):
                        self._stems.setdefault(stem, {}).setdefault(index, name_key)
            compound_terms |= {d for d in distinctive if len(d) >= MIN_IN_LINK}
            self._people.append(_Person(frozenset(distinctive), frozenset(written)))
        self._compound = _alternation(compound_terms)

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

    def spans(self, text: str) -> list[tuple[int, int, str]]:
        """Where the text mentions a restricted person, and what each span becomes: sorted,
        non-overlapping; a link or handle that holds a name is withheld whole."""
        if not self._people:
            return []
        named = [(s, e) for s, e, _ in self.mentions(text)]
        withheld = self._compounds(text, named)
        merged: list[tuple[int, int, str]] = []
        for start, end, replacement in sorted([(s, e, PLACEHOLDER) for s, e in named]
                                              + withheld):
            if merged and start < merged[-1][1]:  # overlapping: one span covering both,
                # withheld whole if either part is ("ЖанЖан Жанжан": the first word a
                # run-together compound, the two words a name)
                last = merged[-1]
                merged[-1] = (last[0], max(last[1], end),
                              WITHHELD if WITHHELD in (last[2], replacement) else PLACEHOLDER)
            else:
                merged.append((start, end, replacement))
        return merged

    def _mention_end(self, text: str, words: list[tuple[int, int, str]], start: int,
                     person: int) -> int:
        """The last word of a mention of `person` that starts at word `start`, or -1."""
        seen: set[str] = set()
        run: list[str] = []
        end = start
        for j in range(start, len(words)):
            if j > start and not _JOIN.fullmatch(text, words[j - 1][1], words[j][0]):
                break
            name_key = self._owners(words[j][2]).get(person)
            if name_key is None:
                break
            seen.add(name_key)
            run.append(name_key)
            end = j
        if len(run) >= 2 and tuple(run) in self._people[person].labels \
                and frozenset(seen) not in self._public_runs:
            return end  # a whole label of two words or more, as written ("Жан Жан")
        if seen & self._people[person].distinctive and not any(
                self._ambiguous(words[k][2]) for k in range(start, end + 1)):
            return end
        if len(seen) >= 2 and frozenset(seen) not in self._public_runs:
            return end
        return -1

    def _ambiguous(self, word_key: str) -> bool:
        """Whether a text word is spelled as a public person's name word."""
        return word_key in self._public_words

    def _compounds(self, text: str, named: list[tuple[int, int]]) -> list[tuple[int, int, str]]:
        """Links, addresses, handles, hashtags and run-together words that hold a name:
        each whole run of text without white space, folded after percent-decoding. A long
        plain word is looked into only when no name was found in it word by word."""
        if self._compound is None:
            return []
        out = []
        for chunk in _CHUNK.finditer(text):
            word = chunk.group(0)
            camel = any(a.islower() and b.isupper() for a, b in pairwise(word))
            if _COMPOUND.search(word) or camel:
                pass
            elif not (_LETTERS.fullmatch(word) and len(word) >= LONG_WORD) or any(
                    chunk.start() <= s < chunk.end() for s, _ in named):
                continue
            if self._names_in(word):
                out.append((chunk.start(), chunk.end(), WITHHELD))
        return out

    def _names_in(self, chunk: str) -> bool:
        assert self._compound is not None
        for _ in range(3):  # double and triple percent-encoding too
            decoded = unquote(chunk)
            if decoded == chunk:
                break
            chunk = decoded
        return self._compound.search(key(chunk)) is not None

    def names(self, text: str) -> bool:
        return bool(self.spans(text))

    def scrub(self, text: str) -> str:
        """The text with each mention replaced: a name by PLACEHOLDER, a link, address or
        handle that holds one by WITHHELD."""
        spans = self.spans(text)
        if not spans:
            return text
        out, last = [], 0
        for start, end, replacement in spans:
            out.append(text[last:start])
            out.append(replacement)
            last = end
        out.append(text[last:])
        return "".join(out)

    def url(self, url: str) -> str | None:
        """A link as the public may follow it: None when its address names someone."""
        if self._compound is not None and self._names_in(url):
            return None
        return url if not self.spans(url) else None


def _alternation(terms: set[str]) -> re.Pattern[str] | None:
    """One regex for any of the terms, as a trie ("ab(?:c|d)", not "abc|abd"): with
    thousands of restricted persons a flat alternation tries every term at every place."""
    if not terms:
        return None
    trie: dict[str, dict] = {}  # type: ignore[type-arg]
    for term in terms:
        node = trie
        for char in term:
            node = node.setdefault(char, {})
        node[""] = {}
    return re.compile(_trie(trie))


def _trie(node: dict[str, dict]) -> str:  # type: ignore[type-arg]
    branches = [re.escape(char) + _trie(child) for char, child in sorted(node.items()) if char]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    return f"(?:{body})?" if "" in node else body
