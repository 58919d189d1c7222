"""A source document's text, cut the way its citations address it.

Reports are cited by paragraph number, as UN and NGO submissions number them ("2.7").
When a text has such multi-level numbers, a single number ("4. Conclusions") starts a
section whose unnumbered text is paragraph "4"; otherwise single numbers are the
paragraphs. Numbers must increase, so a table of contents or a numbered list inside a
paragraph does not start a new one. Text before the first paragraph is "front". Footnote
lines ("¹ <https://...>", " - 12 <https://...>", "[^3]: https://...") are the footnote
list, not paragraph text.

The text importer (`loaders.text_report`) cuts a new report into these paragraphs; the
reader (`/sources/{id}`) shows each one under its number, as `pieces`: a section's
heading, runs of text, list items ("- ..."). Lines broken without a blank line are one
run. A report's pages were joined, so a run that follows a blank line continues the one
before when it starts in lower case, or, past the front matter, when the one before stops
mid-sentence ("... it consists of" / "terms that are not ...", "... in Belgium in" /
"2013, Jardemalie ...").
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from typing import Literal

from schema.models import paragraph_anchor

_PARA = re.compile(r"^\s*(?:#+\s*)?(\d+(?:\.\d+)+)\.?\s+(?=\S)")
_SECTION = re.compile(r"^\s*(?:#+\s*)?(\d+)\.\s+(?=\S)")
_FOOTNOTE = re.compile(r"^\s*(?:[-*]\s*)?(?:\[\^)?([⁰¹²³⁴⁵⁶⁷⁸⁹]+|\d{1,3})(?:\]:)?\s+"
                       r"<?(https?://[^\s>]+)>?\s*$")
SUPERSCRIPT = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789")
_ITEM = re.compile(r"^\s*[-*•]\s+")
_NUMBER = re.compile(r"^\s*(?:#+\s*)?\d+(?:\.\d+)*\.?\s+")
#: a section heading: a number and words, not a table-of-contents line ending in a page
_HEADING = re.compile(r"^\s*(?:#+\s*)?\d+\.\s+\S.*[^\d.\s]\s*$")
#: what may follow the end of a sentence: emphasis, quotes, footnote markers
_TRAILING = re.compile(r"(?:[*_\"'”’»)]|\^\{[\d,\s]*\}|[⁰¹²³⁴⁵⁶⁷⁸⁹])+$")
_SENTENCE_END = ".:;!?"


@dataclass(frozen=True)
class Paragraph:
    label: str  # "front", "2.7", "4"
    line: int
    text: str


def _number(label: str) -> tuple[int, ...]:
    return tuple(int(p) for p in label.split("."))


def split_paragraphs(text: str) -> tuple[list[Paragraph], dict[str, str]]:
    """The text's paragraphs in order, and its footnotes (number -> URL)."""
    lines = text.splitlines()
    levels = any(_PARA.match(line) for line in lines)
    footnotes: dict[str, str] = {}
    chunks: list[tuple[str, int, list[str]]] = [("front", 1, [])]
    current: tuple[int, ...] = ()
    for number, line in enumerate(lines, start=1):
        note = _FOOTNOTE.match(line)
        if note:
            footnotes[note[1].translate(SUPERSCRIPT)] = note[2]
            continue
        found = _PARA.match(line) if levels else _SECTION.match(line)
        if found is None and levels and current:
            found = _SECTION.match(line)  # a section heading once the paragraphs have begun
        if found and _number(found[1]) > current:
            current = _number(found[1])
            chunks.append((found[1], number, []))
        chunks[-1][2].append(line)
    paragraphs = [Paragraph(label, line, "\n".join(body).strip())
                  for label, line, body in chunks]
    return [p for p in paragraphs if p.text], footnotes


PieceKind = Literal["heading", "text", "item"]


@dataclass(frozen=True)
class Piece:
    """A heading, a run of text or a list item, as written (with its inline markup)."""

    kind: PieceKind
    text: str


@dataclass(frozen=True)
class Block:
    """One citable paragraph: its label ("3.7", "front", "4") and what it holds (a numbered
    paragraph's number is its label, not part of its first piece)."""

    label: str
    line: int
    pieces: tuple[Piece, ...]
    #: a numbered paragraph, whose number is its label (and no longer starts its text);
    #: else the front matter, or a section ("4. Conclusions"), whose heading is a piece
    numbered: bool = False

    @property
    def anchor(self) -> str:
        """The id the reader gives it, which a citation's `href` points at."""
        return paragraph_anchor(self.label)


@dataclass(frozen=True)
class SourceText:
    """A whole text: its paragraphs in order and its footnote list (number -> URL; None
    for one withheld from its readers)."""

    blocks: tuple[Block, ...]
    footnotes: Mapping[int, str | None]

    def block(self, label: str) -> Block | None:
        return next((b for b in self.blocks if b.label == label), None)

    def redacted(self, text: Callable[[str], str],
                 url: Callable[[str], str | None]) -> SourceText:
        """The same text with every piece passed through `text` and every footnote URL
        through `url` (which gives None for one to withhold). The structure is cut first, so that what a piece
        becomes cannot move a paragraph or a footnote."""
        return SourceText(
            tuple(replace(b, pieces=tuple(replace(p, text=text(p.text)) for p in b.pieces))
                  for b in self.blocks),
            {n: None if found is None else url(found) for n, found in self.footnotes.items()})


def read_text(text: str) -> SourceText:
    """Cut a text into its paragraphs, each into pieces, and read its footnote list."""
    paragraphs, footnotes = split_paragraphs(text)
    levels = any("." in p.label for p in paragraphs)
    blocks = []
    for i, para in enumerate(paragraphs):
        section = levels and "." not in para.label and para.label != "front"
        pieces = _pieces(para.text, joins=para.label != "front", heading=section)
        if para.label == "front" and i + 1 < len(paragraphs) and pieces \
                and _HEADING.match(pieces[-1].text):
            # the first section's heading ends the front matter ("1. Introduction")
            pieces[-1] = Piece("heading", pieces[-1].text)
        numbered = not section and para.label != "front"
        if numbered and pieces:  # the number is the label, which the reader shows apart
            pieces[0] = Piece(pieces[0].kind, _NUMBER.sub("", pieces[0].text, count=1))
        blocks.append(Block(para.label, para.line, tuple(pieces), numbered=numbered))
    return SourceText(tuple(blocks), {int(n): u for n, u in footnotes.items()})


def _pieces(text: str, joins: bool, heading: bool) -> list[Piece]:
    """Text runs and list items, and with `heading` a first line that is a section's
    heading. With `joins`, a run that follows a blank line continues one that stops
    mid-sentence."""
    pieces: list[Piece] = []
    after_blank = True
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line in ("-", "*", "•"):
            after_blank = True
            continue
        if heading and not pieces and _HEADING.match(line):
            pieces.append(Piece("heading", line))
        elif _ITEM.match(line):
            pieces.append(Piece("item", _ITEM.sub("", line)))
        elif pieces and pieces[-1].kind != "heading" and (
                not after_blank or line[0].islower()
                or (joins and not _ends_sentence(pieces[-1].text))):
            pieces[-1] = replace(pieces[-1], text=f"{pieces[-1].text} {line}")
        else:
            pieces.append(Piece("text", line))
        after_blank = False
    return pieces


def _ends_sentence(text: str) -> bool:
    core = _TRAILING.sub("", text.rstrip())
    return not core or core[-1] in _SENTENCE_END
