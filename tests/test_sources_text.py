"""Source texts cut into the paragraphs citations name, and found only inside their directory.

The founding source is cut by the product (`sources.text`) and, independently, by the
tests' own reading of it (`tests/sourcetext.py`): the two must agree on every paragraph's
number, words and footnote markers.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from schema.models import Citation, Node
from schema.vocabulary import NodeKind
from sources.inline import Span, notes, opening, plain, spans
from sources.library import SourceLibrary
from sources.text import SourceText, read_text
from tests.sourcetext import parse, source

_MARKUP = re.compile(r"\*+|\^\{[\d,\s]+\}|[⁰¹²³⁴⁵⁶⁷⁸⁹]+")
_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)|<(https?://[^>\s]+)>")


def words(text: str) -> str:
    """Text as a reader reads it, for comparing two cuts: no markup, no footnote markers,
    no list bullets, links by their labels, single spaces."""
    text = _LINK.sub(lambda m: m[1] if m[1] is not None else m[2], text)
    text = re.sub(r"^\s*-\s+", "", _MARKUP.sub("", text), flags=re.M)
    return " ".join(text.split())


@pytest.fixture(scope="module")
def founding() -> SourceText:
    return read_text(source())


def test_every_paragraph_is_under_the_number_the_text_gives_it(founding: SourceText) -> None:
    expected = parse(source())
    ours = {b.label: b for b in founding.blocks}
    # the tests' cut has the front matter, 1.1 ... 3.7 and 4; ours also has the headings of
    # sections 2 and 3, in their place
    assert [b.label for b in founding.blocks if b.label in expected.blocks] == list(expected.blocks)
    assert {b.label for b in founding.blocks} - set(expected.blocks) == {"2", "3"}
    for label, text in expected.blocks.items():
        block = ours[label]
        read = words(" ".join(p.text for p in block.pieces))
        if block.numbered:
            read = f"{label}. {read}"
        if label == "front":  # the tests' front matter stops before "1. Introduction"
            assert read.startswith(words(text)) and read.endswith("1. Introduction"), label
        else:
            assert read == words(text), label
        assert set(notes(" ".join(p.text for p in block.pieces))) == expected.markers(label)
    assert founding.footnotes == expected.footnote_urls


def test_page_breaks_join_a_paragraph_and_list_items_stay_in_theirs(founding: SourceText) -> None:
    def kinds(label: str) -> list[str]:
        block = founding.block(label)
        assert block is not None
        return [p.kind for p in block.pieces]

    assert kinds("2.5") == ["text"]  # "... it consists of" / "terms that are not ..."
    assert kinds("2.7") == ["text"] + ["item"] * 6  # an item broken by a page too
    assert kinds("2.9") == ["text"] + ["item"] * 4
    assert kinds("3.4") == ["text", "text"]  # "Kudaibergenov was shot ..." is a new run
    assert kinds("3.7") == ["text"] + ["item"] * 3  # "Belgium in" / "2013, Jardemalie"
    assert kinds("4") == ["heading", "text", "text"]
    assert kinds("2") == ["heading"]
    three_seven = founding.block("3.7")
    assert three_seven is not None and "Belgium in 2013, Jardemalie" in three_seven.pieces[1].text


def test_a_text_without_multi_level_numbers_has_numbered_paragraphs() -> None:
    text = read_text("Title\n\n1. First one,\nwrapped.\n\n2. Second.³\n\n³ <https://a.example/3>\n")
    assert [(b.label, b.numbered, [p.text for p in b.pieces]) for b in text.blocks] == [
        ("front", False, ["Title"]), ("1", True, ["First one, wrapped."]),
        ("2", True, ["Second.³"])]
    assert text.footnotes == {3: "https://a.example/3"}


def test_inline_markup_is_told_apart_and_nothing_is_lost() -> None:
    found = spans("**Bold ¹²** and *it*^{17, 18} [x](#) <https://a.example/b> http://c.example/d.")
    assert [(s.kind, s.text) for s in found] == [
        ("strong", "Bold ¹²"), ("text", " and "), ("em", "it"), ("note", "17"), ("note", "18"),
        ("text", " "), ("link", "x"), ("text", " "), ("link", "https://a.example/b"),
        ("text", " "), ("link", "http://c.example/d"), ("text", ".")]
    assert found[0].inner == (Span("text", "Bold "), Span("note", "12"))
    assert plain("a **b**¹ ^{2} c") == "a b c"
    assert notes("x¹ y^{2, 1}") == [1, 2]
    assert opening("one two three four", 3) == "one two three …"
    assert opening("one two", 3) == "one two"


def test_redaction_keeps_the_structure() -> None:
    text = read_text("1.1. Ann Smith spoke.¹\n\n1.2. Nothing.\n\n¹ <https://a.example/ann-smith>\n")
    redacted = text.redacted(lambda t: t.replace("Ann Smith", "someone"),
                             lambda u: None if "ann" in u else u)
    assert [b.label for b in redacted.blocks] == ["1.1", "1.2"]
    assert redacted.blocks[0].pieces[0].text == "someone spoke.¹"
    assert redacted.footnotes == {1: None}


def _source(path: str | None) -> Node:
    return Node(id="report", kind=NodeKind.SOURCE, name="A report",
                properties={} if path is None else {"path": path},
                citations=[Citation(source="report")])


def test_a_text_is_found_by_its_file_name_inside_the_directory_only(tmp_path: Path) -> None:
    folder = tmp_path / "sources"
    folder.mkdir()
    (folder / "report.txt").write_text("1.1. Words.\n", encoding="utf-8")
    (folder / ".hidden.txt").write_text("1.1. Hidden.\n", encoding="utf-8")
    (tmp_path / "outside.txt").write_text("1.1. Outside.\n", encoding="utf-8")
    os.symlink(tmp_path / "outside.txt", folder / "link.txt")
    library = SourceLibrary(folder)
    for path in ("shared/sources/report.txt", "/anywhere/else/report.txt", "report.txt",
                 "C:\\reports\\report.txt"):
        assert library.file_of(_source(path)) == (folder / "report.txt").resolve(), path
    for path in (None, "", "../outside.txt", "sources/../../outside.txt", "link.txt",
                 ".hidden.txt", "..", "missing.txt", "report.txt/"):
        found = library.file_of(_source(path))
        assert found is None or found == (folder / "report.txt").resolve(), path
    assert library.file_of(_source("link.txt")) is None
    assert library.file_of(_source("../outside.txt")) is None
    person = Node(id="someone", kind=NodeKind.PERSON, name="Someone",
                  properties={}, citations=[Citation(source="report")])
    assert library.file_of(person) is None


def test_a_text_is_read_again_when_its_file_changes(tmp_path: Path) -> None:
    (tmp_path / "report.txt").write_text("1.1. First.\n", encoding="utf-8")
    library = SourceLibrary(tmp_path)
    first = library.text(_source("report.txt"))
    assert first is not None and library.text(_source("report.txt")) is first
    (tmp_path / "report.txt").write_text("1.1. Second, longer.\n", encoding="utf-8")
    second = library.text(_source("report.txt"))
    assert second is not None and second[1].blocks[0].pieces[0].text == "Second, longer."
