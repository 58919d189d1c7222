"""`repgraph import`/`export` and `GET /api/export`, end to end on real files and a real app."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from pathlib import Path

import networkx as nx
import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from cli.main import main
from config import get_settings
from graph.memory import MemoryStore
from graph.store import GraphStore
from tests.conftest import PLANTED


@pytest.fixture
def data_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("REPGRAPH_DATA_DIR", str(tmp_path / "store"))
    get_settings.cache_clear()
    yield tmp_path
    get_settings.cache_clear()


def _without_decisions(data_env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The stored graph exactly, with no identity decision read over it: a round trip of
    the records themselves (an export with decisions is the graph as they make it, whose
    merged records are not the stored ones)."""
    monkeypatch.setenv("REPGRAPH_DATASET_DIR", str(data_env / "no-decisions"))
    get_settings.cache_clear()


def test_export_csv_then_import_it_into_another_store(
        data_env: Path, dataset_dir: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    _without_decisions(data_env, monkeypatch)
    assert main(["load", str(dataset_dir)]) == 0
    assert main(["export", "--all", "--format", "csv", "--out", str(data_env / "csv")]) == 0
    assert main(["export", "--format", "gexf", "--out", str(data_env / "g.gexf")]) == 0
    assert nx.read_gexf(data_env / "g.gexf").number_of_nodes() > 40
    monkeypatch.setenv("REPGRAPH_DATA_DIR", str(data_env / "other"))
    get_settings.cache_clear()
    capsys.readouterr()
    assert main(["import", "--format", "csv", str(data_env / "csv")]) == 0
    assert "0 changed" in capsys.readouterr().out
    assert MemoryStore(data_env / "other").stats() == MemoryStore(data_env / "store").stats()


def test_a_csv_zip_exported_imports_back_and_its_problems_name_archive_and_table(
        data_env: Path, dataset_dir: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    _without_decisions(data_env, monkeypatch)
    assert main(["load", str(dataset_dir)]) == 0
    archive = data_env / "export.zip"
    assert main(["export", "--all", "--format", "csv", "--out", str(archive)]) == 0
    capsys.readouterr()
    assert main(["import", "--format", "csv", str(archive)]) == 0
    assert "0 added, 0 changed" in capsys.readouterr().out
    with zipfile.ZipFile(data_env / "bad.zip", "w") as bad:
        bad.writestr("nodes.csv", "id,kind,name\nx,nope,X\n")
    assert main(["import", "--format", "csv", str(data_env / "bad.zip")]) == 1
    assert f"{data_env / 'bad.zip'}/nodes.csv:2: kind:" in capsys.readouterr().err


def test_the_cli_exports_the_public_view_unless_told_to_write_everything(
        data_env: Path, dataset_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["load", str(dataset_dir), str(PLANTED)]) == 0
    capsys.readouterr()
    assert main(["export", "--format", "ftm", "--out", str(data_env / "public.json")]) == 0
    said = capsys.readouterr()
    public = (data_env / "public.json").read_text()
    assert "exported the public view" in said.out and not said.err
    assert "restricted-0123456789abcdef" in public and "Tasbolatova" not in public
    assert main(["export", "--all", "--format", "ftm", "--out", str(data_env / "all.json")]) == 0
    said = capsys.readouterr()
    assert "Tasbolatova" in (data_env / "all.json").read_text()
    assert "warning:" in said.err and "restricted persons: never publish it" in said.err


def test_import_text_lists_mentions_and_names_to_review(
        data_env: Path, dataset_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    main(["load", str(dataset_dir)])
    report = data_env / "note.txt"
    report.write_text("1.1. Bota Jardemalie met Erlan Testov.\n", encoding="utf-8")
    capsys.readouterr()
    assert main(["import", "--format", "text", str(report)]) == 0
    out = capsys.readouterr().out
    assert "bota-jardemalie: 1.1" in out and "Erlan Testov (capitalised words; 1.1)" in out


def test_a_bad_csv_import_exits_1(data_env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = data_env / "nodes.csv"
    bad.write_text("id,kind,name\nx,nope,X\n", encoding="utf-8")
    assert main(["import", "--format", "csv", str(bad)]) == 1
    assert f"{bad}:2: kind:" in capsys.readouterr().err


@pytest.mark.parametrize(("fmt", "media_type", "filename"), [
    ("csv", "application/zip", "repgraph-csv.zip"),
    ("ftm", "application/x-ndjson", "repgraph.ftm.json"),
    ("graphml", "application/graphml+xml", "repgraph.graphml"),
    ("gexf", "application/gexf+xml", "repgraph.gexf"),
])
def test_api_export_returns_a_named_file_of_the_right_type(
        kz_store: GraphStore, fmt: str, media_type: str, filename: str) -> None:
    with TestClient(create_app(store=kz_store)) as client:
        response = client.get("/api/export", params={"format": fmt})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(media_type)
    assert response.headers["content-disposition"] == f'attachment; filename="{filename}"'
    if fmt == "csv":
        names = zipfile.ZipFile(io.BytesIO(response.content)).namelist()
        assert sorted(names) == ["edges.csv", "nodes.csv"]
    if fmt == "ftm":
        assert len(response.content.splitlines()) > kz_store.stats().nodes


def test_api_export_rejects_an_unknown_format(kz_store: GraphStore) -> None:
    with TestClient(create_app(store=kz_store)) as client:
        assert client.get("/api/export", params={"format": "xlsx"}).status_code == 422
