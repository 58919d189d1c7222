"""Reading reports: paragraphs, MENTIONS of known entities, and names left for review."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from graph.memory import MemoryStore
from loaders import native
from loaders.text_report import import_report, split_paragraphs

ROOT = Path(__file__).resolve().parent.parent
SOURCES = Path(os.environ.get("REPGRAPH_SOURCES", ROOT.parent / "shared" / "sources"))
FOUNDING = SOURCES / "kz-upr48-joint-submission-2024.txt"
FOUNDING_ID = "kz-upr48-2024"

REPORT = """\
# A test report on Kazakhstan

Prepared for this test; the people in paragraph 1.3 are invented.

## 1. Introduction

1.1. **Жыланбаев Марат** was detained again.¹ Zhylanbayev's lawyer complained.

1.2. Barylk Mendygazyev spoke. Mendygazyev's brother was not named. The case of
Lyudmyla Kozlovska is unrelated to Kozlov.

1.3. Kazakhstan passed a law. **Erlan Testov** and Aliya Examplova were fined, as was
Iskander, with Yerimbetov, Bota.

¹ <https://example.org/one>
"""


@pytest.fixture
def dataset_store(dataset_dir: Path, empty_store: MemoryStore) -> MemoryStore:
    """The founding source's records alone: other sources define their own records of the
    same people, which a text import rightly links to none of (two records, one name) until
    the decisions join them."""
    native.load([dataset_dir / FOUNDING_ID], empty_store)
    return empty_store


def test_numbered_paragraphs_sections_front_matter_and_footnotes() -> None:
    text = "Title\n\n1. Intro\n\n1.1. One\ncontinues\n\n1.2. Two\n- 1. a list item\n\n" \
           "2. Next section\n\n2.1. Three\n\n3. Conclusions\n\nLast words.\n\n" \
           "¹ <https://example.org/a>\n- 2 <https://example.org/b>\n"
    paragraphs, footnotes = split_paragraphs(text)
    assert [(p.label, p.text.splitlines()[0]) for p in paragraphs] == [
        ("front", "Title"), ("1.1", "1.1. One"), ("1.2", "1.2. Two"),
        ("2", "2. Next section"), ("2.1", "2.1. Three"), ("3", "3. Conclusions")]
    assert "a list item" in paragraphs[2].text and "Last words." in paragraphs[-1].text
    assert footnotes == {"1": "https://example.org/a", "2": "https://example.org/b"}


def test_names_match_across_scripts_and_typos_without_false_positives(
        tmp_path: Path, dataset_store: MemoryStore) -> None:
    path = tmp_path / "test-report.md"
    path.write_text(REPORT, encoding="utf-8")
    reading = import_report(path, dataset_store)
    assert reading.mentions == {"marat-zhylanbayev": ["1.1"], "barlyk-mendygazyev": ["1.2"],
                                "lyudmyla-kozlovska": ["1.2"]}, "Kozlov alone is not Kozlovska"
    assert {u.name: u.why for u in reading.unplaced} == {
        "Erlan Testov": "bold", "Aliya Examplova": "capitalised words"}
    source = dataset_store.get_node("test-report")
    assert source.name == "A test report on Kazakhstan"
    assert source.properties["footnotes"] == {"1": "https://example.org/one"}
    edges = dataset_store.incident_edges("test-report")
    assert {e.type for e in edges} == {"MENTIONS"}
    assert [c.paragraph for c in dataset_store.find_edges(
        ["test-report|MENTIONS|marat-zhylanbayev"])["test-report|MENTIONS|marat-zhylanbayev"]
        .citations] == ["1.1"]
    again = import_report(path, dataset_store)
    assert again.write is not None and not again.write.changed_anything


@pytest.mark.skipif(not FOUNDING.exists(), reason=f"founding source not found at {FOUNDING}")
def test_the_founding_source_mentions_every_person_where_the_dataset_cites_them(
        dataset_store: MemoryStore) -> None:
    reading = import_report(FOUNDING, dataset_store, source_id=FOUNDING_ID)
    expected = {(n.id, c.paragraph) for n in dataset_store.iter_nodes()
                if n.kind == "person" and not n.group
                for c in n.citations if c.source == FOUNDING_ID and c.paragraph}
    found = {(node_id, p) for node_id, paras in reading.mentions.items() for p in paras}
    assert len(expected) >= 10
    assert expected - found == set()
    mentioned_groups = [n.id for n in dataset_store.iter_nodes()
                        if n.group and n.id in reading.mentions]
    assert mentioned_groups == []
