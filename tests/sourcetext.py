"""Read the founding source's text the way its citations refer to it.

The dataset cites the submission by locator: `front` for the front matter, `1.1` ... `3.7`
for numbered paragraphs and `4` for the unnumbered Conclusions (section 4). This module cuts
the text into those blocks, finds the footnote markers each block carries and the URL of
every footnote, and lists the names the source sets in bold, so that tests can hold the
dataset to the text instead of to a copy of it.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCE_FILE = "kz-upr48-joint-submission-2024.txt"
SOURCE_ID = "kz-upr48-2024"

_SUPERSCRIPT = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789")
_PARAGRAPH = re.compile(r"^(\d+\.\d+)\.\s", re.M)
#: Section headings end in a letter; table-of-contents lines end in a page number.
_SECTION = re.compile(r"^(\d)\. \S.*[A-Za-z]$", re.M)
_FOOTNOTE_LINE = re.compile(
    r"^\s*(?:-\s*)?(?P<n>[⁰¹²³⁴⁵⁶⁷⁸⁹]+|\d+)\s+<?(?P<url>https?://[^\s>]+)>?\s*$", re.M)
_MARKER = re.compile(r"\^\{(?P<group>[\d,\s]+)\}|(?P<sup>[⁰¹²³⁴⁵⁶⁷⁸⁹]+)")
_BOLD = re.compile(r"\*\*(.+?)\*\*", re.S)
_HEADING = re.compile(r"^Case of (?:political killing of )?(?P<name>.+?):$")
_NAME_WORD = re.compile(r"^[A-Z][a-z]+(?:[-'][A-Za-z][a-z]+)*$")
_CAPITALISED_PAIR = re.compile(r"\b[A-Z][a-z]+(?: [A-Z][a-z]+)+\b")


def source_path() -> Path:
    """The source text: under $REPGRAPH_SOURCES, else in ../shared/sources beside the repo."""
    folder = os.environ.get("REPGRAPH_SOURCES")
    return (Path(folder) if folder else ROOT.parent / "shared" / "sources") / SOURCE_FILE


@dataclass(frozen=True)
class SourceText:
    blocks: dict[str, str]  # locator -> text of that block
    footnote_urls: dict[int, str]  # footnote number -> URL, from the footnote list

    def markers(self, locator: str) -> set[int]:
        """Footnote numbers whose markers appear in one block."""
        found: set[int] = set()
        for m in _MARKER.finditer(self.blocks[locator]):
            if m["group"]:
                found.update(int(n) for n in m["group"].replace(" ", "").split(",") if n)
            else:
                found.add(int(m["sup"].translate(_SUPERSCRIPT)))
        return found


def parse(text: str) -> SourceText:
    """Cut the text into citable blocks and read its footnote list."""
    first_note = _FOOTNOTE_LINE.search(text)
    if first_note is None:
        raise ValueError("no footnote list found in the source text")
    body = text[:first_note.start()]
    cuts: list[tuple[int, str | None]] = []
    for m in _SECTION.finditer(body):
        # "4. Conclusions" is the only section whose text is not numbered paragraphs.
        cuts.append((m.start(), m[1] if m[1] == "4" else None))
    cuts.extend((m.start(), m[1]) for m in _PARAGRAPH.finditer(body))
    cuts.sort()
    blocks = {"front": body[:cuts[0][0]]}
    for (start, name), (end, _) in zip(cuts, [*cuts[1:], (len(body), None)], strict=True):
        if name is not None:
            blocks[name] = body[start:end]
    urls = {int(m["n"].translate(_SUPERSCRIPT)): m["url"]
            for m in _FOOTNOTE_LINE.finditer(text, first_note.start())}
    return SourceText(blocks, urls)


def bold_person_names(text: str) -> tuple[set[str], list[str]]:
    """Person names set in bold, and the bold spans skipped because they are not names.

    A span is a list of names when, after dropping a "Case of ...:" heading around it and
    splitting it at commas and "and", every part is one to four capitalised words (a surname
    alone, as in "**Mukhamedkarim**", counts). Anything else -- a phrase or sentence with a
    lower-case word, such as "**a minimum of 1,273 people were convicted ...**" -- is skipped,
    and returned so that a test can check the names inside it some other way.
    """
    names: set[str] = set()
    skipped: list[str] = []
    for raw in _BOLD.findall(text):
        span = " ".join(raw.split())
        heading = _HEADING.match(span)
        if heading:
            span = heading["name"]
        parts = [p.strip() for p in re.split(r",\s*|\s+and\s+", span) if p.strip()]
        if parts and all(1 <= len(p.split()) <= 4 and all(_NAME_WORD.match(w) for w in p.split())
                         for p in parts):
            names.update(parts)
        else:
            skipped.append(span)
    return names, skipped


def capitalised_phrases(span: str) -> set[str]:
    """Runs of two or more capitalised words: the candidates for names inside a sentence."""
    return set(_CAPITALISED_PAIR.findall(span))


@cache
def source() -> str:
    """The whole source text."""
    return source_path().read_text(encoding="utf-8")


def paragraph(locator: str) -> str:
    """The text of one citable block ("3.7", "front", "4")."""
    blocks = parse(source()).blocks
    assert locator in blocks, f"no paragraph {locator} in the source"
    return blocks[locator]
