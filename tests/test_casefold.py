"""The fast check for restricted names agrees with case-insensitive matching.

`Redactor.needs` decides whether a public answer is redacted at all, so a miss
there leaks a name. It lower-cases the answer and matches folded terms; these
tests prove, over every code point of the running interpreter, that this finds
exactly what `re.IGNORECASE` finds for any text without a `RARE` character, and
then compare the two on generated names and answers.
"""

from __future__ import annotations

import json
import re
import sys
from collections import defaultdict

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from graph.casefold import HAS_RARE, RARE, fold
from graph.redaction import PLACEHOLDER, Redactor
from schema.models import Node
from schema.vocabulary import NodeKind, Sensitivity

EVERY_CHAR = "".join(chr(c) for c in range(sys.maxunicode + 1) if not 0xD800 <= c <= 0xDFFF)
#: every character with a case, and the lower case of each: outside it, a character
#: is its own lower case
_HAS_CASE = {c for c in EVERY_CHAR if c.lower() != c or c.upper() != c}
CASED = sorted(_HAS_CASE | {c.lower() for c in _HAS_CASE if len(c.lower()) == 1})
CASED_TEXT = "".join(CASED)
ORDINARY = [c for c in CASED if c not in RARE]


def test_outside_the_cased_characters_ignorecase_matches_only_the_character_itself() -> None:
    cased = set(CASED)
    uncased = "".join(c for c in EVERY_CHAR if c not in cased)
    cased_class = re.compile("[" + "".join(map(re.escape, CASED)) + "]", re.IGNORECASE)
    assert cased_class.findall(uncased) == []


def test_folding_matches_ignorecase_on_every_ordinary_character() -> None:
    """For each pattern character, IGNORECASE matches exactly the ordinary characters
    whose lower case is its fold (rare ones are left to the fallback)."""
    by_lower: dict[str, set[str]] = defaultdict(set)
    for c in ORDINARY:
        by_lower[c.lower()].add(c)
    wrong = {}
    for char in CASED:
        matched = set(re.findall(re.escape(char), CASED_TEXT, re.IGNORECASE)) - set(RARE)
        folded = by_lower.get(fold(char), set())
        if matched != folded:
            wrong[char] = sorted(matched ^ folded)
    assert wrong == {}


def test_lower_case_keeps_each_ordinary_character_one_character_and_a_word_character() -> None:
    word = re.compile(r"\w")
    assert [c for c in ORDINARY if len(c.lower()) != 1] == []
    assert [c for c in ORDINARY if bool(word.match(c)) != bool(word.match(c.lower()))] == []


@given(st.text(alphabet=st.sampled_from([*CASED[:400], *"ΣσςΟΔ", " ", "-", "'", '"', "\\"])))
@settings(max_examples=300, deadline=None, database=None)
def test_lower_casing_a_text_without_rare_characters_is_folding_it_character_by_character(
        text: str) -> None:
    """str.lower() has one context rule (a final capital sigma); Σ is rare for that."""
    if not HAS_RARE.search(text):
        assert text.lower() == fold(text)


# -- the fast check against the redacting patterns ---------------------------------------------

NAME_PARTS = ("Ali", "İlyas", "Strauß", "ſerik", "Iskander", "Жан", "Қал", "ОДОΣ", "ıdırıs",
              "Yerimbetov", "ᲀера", "Émile", "o'Neil")
AROUND = ("", " ", "x", "_", "-", ".", "1", '"', "\\u", "<", "a restricted person", "İ", "ſ",
          "Σ", "ΣΑ", "\\n", "\\\\n", "\\t", "\\u001F", "\\u0020")


@st.composite
def answers(draw: st.DrawFn) -> tuple[Redactor, str]:
    """A redactor for a few restricted names and a text made of pieces of them, in other
    cases, escaped for JSON or not, with characters around them."""
    names = draw(st.lists(st.lists(st.sampled_from(NAME_PARTS), min_size=1, max_size=3)
                          .map(" ".join), min_size=1, max_size=3))
    nodes = [Node(id=f"p{i}", kind=NodeKind.PERSON, name=name,
                  sensitivity=Sensitivity.RESTRICTED) for i, name in enumerate(names)]
    pieces = []
    for _ in range(draw(st.integers(1, 6))):
        piece = draw(st.sampled_from([*names, *NAME_PARTS, "p0", "p1-x", "case-p0"]))
        piece = draw(st.sampled_from([piece, piece.upper(), piece.lower(), piece.swapcase(),
                                      json.dumps(piece)[1:-1], json.dumps(piece)]))
        pieces.append(draw(st.sampled_from(AROUND)) + piece + draw(st.sampled_from(AROUND)))
    return Redactor(nodes, "secret"), "".join(pieces)


@given(answers())
@settings(max_examples=500, deadline=None, database=None)
def test_the_fast_check_agrees_with_the_redacting_patterns(case: tuple[Redactor, str]) -> None:
    redactor, text = case
    slow = any(p is not None and p.search(text)
               for p in (redactor._ids, redactor._names, redactor._words))
    assert redactor.needs(text) == bool(slow)
    if not slow:
        assert redactor.text(text) == text


@pytest.mark.parametrize("written", ["İlyas Amanov", "ILYAS AMANOV", "ilyas amanov",
                                     "ılyas amanov"])
def test_a_name_with_a_dotted_capital_i_is_scrubbed(written: str) -> None:
    """Its lower case is two characters ("i" and a combining dot), which the patterns once
    required, so "İlyas" did not match itself."""
    node = Node(id="p", kind=NodeKind.PERSON, name="İlyas Amanov",
                sensitivity=Sensitivity.RESTRICTED)
    redactor = Redactor([node], "secret")
    assert redactor.needs(f"met {written} there")
    assert redactor.text(f"met {written} there") == f"met {PLACEHOLDER} there"
