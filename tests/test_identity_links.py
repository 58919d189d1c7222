"""Importers link only what is certain: an id, or a name or stored alias equal after folding.
Near names (a longer or shorter surname, one letter changed, another transliteration, the
same given name with another surname) are never linked: they wait in the review queue
with their evidence, and a decision links them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from config import Settings
from graph import with_decisions
from graph.identity import Judgement
from graph.memory import MemoryStore
from graph.review import ReviewFiles
from graph.store import GraphStore
from loaders import native
from loaders.formats import FORMATS, ImportOptions
from tests.conftest import DATASET, app_settings

#: each line a name written in a report, and whether it is Marat Zhylanbayev's exactly
ADVERSARIAL = {
    "Marat Zhylanbayeva": "surname extension (a case or feminine ending)",
    "Marat Zhylanbay": "shortened surname",
    "Marat Zhylanbayey": "one letter changed",
    "Marat Jylanbaev": "transliteration variant not stored as an alias",
    "Marat Sadykov": "the same given name with another surname",
    "Marat Zhylanbayev-Sadykov": "a double-barrelled surname that starts with the stored one",
}
EXACT = ["Marat Zhylanbayev", "MARAT ZHYLANBAYEV", "Zhylanbayev Marat",
         "Marat Zhylanbaev",  # a stored alias
         "Марат Жыланбаев"]  # the alias in Cyrillic: equal after folding the script


@pytest.fixture
def store(tmp_path: Path) -> GraphStore:
    """The founding source's records alone: later sources hold their own record of him
    (`kibhr7-marat-zhylanbaev`, spelt like his stored alias), which only a decision joins,
    so with them a bare name would name two records."""
    base = MemoryStore(tmp_path / "store")
    native.load([DATASET / "kz-upr48-2024"], base, replace=True)
    return base


def review_settings(tmp_path: Path) -> Settings:
    return app_settings(tmp_path / "var", dataset_dir=tmp_path / "data",
                        private_dataset_dir=tmp_path / "private")


def _review(tmp_path: Path) -> ReviewFiles:
    return ReviewFiles.of(review_settings(tmp_path))


def _report(tmp_path: Path, name: str, body: str) -> Path:
    path = tmp_path / f"{name}.md"
    path.write_text(f"# {name}\n\n1. Facts\n\n1.1. {body}\n\n1.2. Nothing else.\n",
                    encoding="utf-8")
    return path


@pytest.mark.parametrize("written", sorted(ADVERSARIAL))
def test_a_near_name_in_a_text_is_never_linked_without_a_decision(
        tmp_path: Path, store: GraphStore, written: str) -> None:
    review = _review(tmp_path)
    path = _report(tmp_path, "near-report", f"{written} was detained in Almaty.")
    done = FORMATS["text"].load([path], store, ImportOptions(review=review))
    assert done.details[0]["mentions"] == {}, ADVERSARIAL[written]
    assert not store.edges_between("near-report", "marat-zhylanbayev")
    proposed = [c for c in done.candidates if c.stored.id == "marat-zhylanbayev"]
    if written == "Marat Sadykov":  # another person altogether: at most proposed, never linked
        return
    (candidate,) = proposed
    assert candidate.incoming.name == written and candidate.incoming.id is None
    assert [(c.source, c.paragraph) for c in candidate.incoming.citations] == [
        ("near-report", "1.1")]
    assert candidate.id in {c.id for c in review.open_candidates(store)}


@pytest.mark.parametrize("written", EXACT)
def test_an_exact_name_or_stored_alias_in_a_text_is_linked(
        tmp_path: Path, store: GraphStore, written: str) -> None:
    path = _report(tmp_path, "exact-report", f"{written} was detained in Almaty.")
    done = FORMATS["text"].load([path], store, ImportOptions(review=_review(tmp_path)))
    assert done.details[0]["mentions"] == {"marat-zhylanbayev": ["1.1"]}
    assert not [c for c in done.candidates if c.stored.id == "marat-zhylanbayev"]


def test_a_decided_mention_is_linked_and_undoing_unlinks_it(tmp_path: Path,
                                                            store: GraphStore) -> None:
    review = _review(tmp_path)
    resolved = with_decisions(store, app_settings(tmp_path / "var", dataset_dir=tmp_path / "data",
                                                  private_dataset_dir=tmp_path / "private"))
    path = _report(tmp_path, "near-report", "Marat Jylanbaev was detained in Almaty.")
    done = FORMATS["text"].load([path], resolved, ImportOptions(review=review))
    (candidate,) = [c for c in done.candidates if c.stored.id == "marat-zhylanbayev"]
    review.decide(resolved, candidate.id, Judgement.SAME, by="test", over_api=False)
    (edge,) = resolved.edges_between("near-report", "marat-zhylanbayev")
    assert [c.paragraph for c in edge.citations] == ["1.1"]
    review.decide(resolved, candidate.id, Judgement.UNDONE, by="test", over_api=False)
    assert not resolved.edges_between("near-report", "marat-zhylanbayev")


def _ftm_person(tmp_path: Path, name: str) -> Path:
    path = tmp_path / "people.ftm.json"
    path.write_text(json.dumps({"id": "NK-1", "schema": "Person",
                                "properties": {"name": [name]}}) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("written", sorted(set(ADVERSARIAL) - {"Marat Sadykov"}))
def test_ftm_links_exact_names_only_and_proposes_near_ones(
        tmp_path: Path, store: GraphStore, written: str) -> None:
    done = FORMATS["ftm"].load([_ftm_person(tmp_path, written)], store,
                               ImportOptions(review=_review(tmp_path)))
    assert done.details["matched"] == {}
    (candidate,) = [c for c in done.candidates if c.stored.id == "marat-zhylanbayev"]
    assert candidate.incoming.id != "marat-zhylanbayev"
    assert store.get_node("marat-zhylanbayev").name == "Marat Zhylanbayev"
    assert written not in store.get_node("marat-zhylanbayev").aliases


def test_ftm_links_an_exact_alias(tmp_path: Path, store: GraphStore) -> None:
    """By a decision, reversible: the entity stays its own record, under its own source."""
    review = _review(tmp_path)
    done = FORMATS["ftm"].load([_ftm_person(tmp_path, "Марат Жыланбаев")], store,
                               ImportOptions(review=review))
    assert done.details["matched"] == {"NK-1": "marat-zhylanbayev"}
    assert done.candidates == []
    (decided,) = done.details["decided"]
    decision = review.resolver().decided(decided)
    assert decision is not None and (decision.judgement, decision.by, decision.note) == (
        Judgement.SAME, "import:ftm", "exact name or alias")
    assert [c.id for c in review.candidates().values()] == [decided]
    assert store.get_node("ftm-nk-1").source == "ftm-people-ftm"
    assert with_decisions(store, review_settings(tmp_path)).get_node("ftm-nk-1").id == \
        "marat-zhylanbayev"


def test_ftm_without_a_review_queue_leaves_an_exact_name_a_candidate(
        tmp_path: Path, store: GraphStore) -> None:
    done = FORMATS["ftm"].load([_ftm_person(tmp_path, "Марат Жыланбаев")], store,
                               ImportOptions())
    assert done.details["matched"] == {} and done.details["decided"] == []
    assert [(c.stored.id, c.incoming.id, c.how) for c in done.candidates] == [
        ("marat-zhylanbayev", "ftm-nk-1", "exact")]
    assert "Марат Жыланбаев" not in store.get_node("marat-zhylanbayev").aliases
    assert store.get_node("ftm-nk-1").name == "Марат Жыланбаев"


def _table(tmp_path: Path, person_id: str, name: str, paragraph: str) -> Path:
    """A CSV table from a fictional source defining one person."""
    tables = tmp_path / "tables"
    tables.mkdir()
    (tables / "nodes.csv").write_text(
        'id,kind,name,citations\n'
        'csv-source,source,A table (fictional),"[{""source"": ""csv-source""}]"\n'
        f'{person_id},person,{name},"[{{""source"": ""csv-source"", '
        f'""paragraph"": ""{paragraph}""}}]"\n', encoding="utf-8")
    (tables / "edges.csv").write_text("type,source,target,citations\n", encoding="utf-8")
    return tables


def test_csv_rows_with_near_names_wait_for_review(tmp_path: Path, store: GraphStore) -> None:
    tables = _table(tmp_path, "m-jylanbaev", "Marat Jylanbaev", "2")
    review = _review(tmp_path)
    done = FORMATS["csv"].load([tables], store, ImportOptions(review=review))
    (candidate,) = [c for c in done.candidates if c.stored.id == "marat-zhylanbayev"]
    assert candidate.incoming.id == "m-jylanbaev"
    assert store.get_node("m-jylanbaev").name == "Marat Jylanbaev"
    assert "near name" in done.summary and candidate.id in {c.id for c in
                                                            review.open_candidates(store)}


def test_a_table_row_with_a_stored_name_under_its_own_id_waits_for_review(
        tmp_path: Path, store: GraphStore) -> None:
    """A row's id is the table's own: the same name is a candidate, never a silent merge."""
    tables = _table(tmp_path, "row-7", "Marat Zhylanbayev", "7")
    done = FORMATS["csv"].load([tables], store, ImportOptions(review=_review(tmp_path)))
    assert [(c.stored.id, c.incoming.id, c.how, c.score) for c in done.candidates] == [
        ("marat-zhylanbayev", "row-7", "exact", 100.0)]
