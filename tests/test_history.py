"""Status and roles over time: dated steps, "as of" a source's date, newest first everywhere.

The person and the sources are fictional; three reports dated 2022, 2023 and 2025 say
what happened to him, each as much as it knew.
"""

from __future__ import annotations

import csv
import io
import json
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.deps import public_views
from cli.main import main
from config import get_settings
from exporters.csv_format import csv_tables
from exporters.gephi import node_attributes
from graph import open_store
from graph.errors import InvalidData
from graph.identity import Judgement, entity_candidate
from graph.memory import MemoryStore
from graph.public import PublicView
from graph.resolved import ResolvedStore
from graph.review import ReviewFiles
from graph.store import GraphStore
from loaders import csv_format, native
from schema.models import Citation, Node, Step
from tests.conftest import EDITOR_KEY, app_settings

PERSON = "arman-fictiv"
#: (field, value, date, as_of) newest first, as the three reports state them
EXPECTED = [
    ("status", "released", None, "2025-02-01"),
    ("status", "convicted", None, "2023-06-10"),
    ("status", "imprisoned", "2023-05", None),
    ("role", "blogger", None, "2022-03-01"),
    ("status", "in_custody", "2022-01-10", None),
]


def _source(source_id: str, date: str) -> str:
    return (f"  - id: {source_id}\n    kind: source\n    name: Report {date[:4]}\n"
            f"    date: \"{date}\"\n    cite: [front]\n")


def _file(path: Path, source_id: str, date: str, person: str, extra: str = "",
          person_id: str = PERSON) -> Path:
    path.write_text(f"source: {source_id}\nnodes:\n{_source(source_id, date)}"
                    f"  - id: {person_id}\n    kind: person\n    name: Arman Fictiv\n"
                    f"{person}{extra}", encoding="utf-8")
    return path


#: each report's own id for him: ids are local to the source that defines them
OWN_IDS = [PERSON, f"{PERSON}-2023", f"{PERSON}-2025"]


@pytest.fixture
def reports(tmp_path: Path) -> list[Path]:
    """Three sources: arrested (dated), then imprisoned (dated) and convicted (as of), then
    released (as of the 2025 report)."""
    return [
        _file(tmp_path / "a.yaml", "report-2022", "2022-03-01",
              "    roles: [blogger]\n    status: [{value: in_custody, date: 2022-01-10, "
              "cite: [\"1.2\"]}]\n    cite: [\"1.1\"]\n"),
        _file(tmp_path / "b.yaml", "report-2023", "2023-06-10",
              "    status: [convicted, {value: imprisoned, date: 2023-05}]\n    cite: [\"2\"]\n",
              person_id=OWN_IDS[1]),
        _file(tmp_path / "c.yaml", "report-2025", "2025-02-01",
              "    status: [released]\n    cite: [\"4\"]\n", person_id=OWN_IDS[2]),
    ]


def join(store: GraphStore, files: ReviewFiles) -> None:
    """An editor's decisions that the three reports' records are one man."""
    found = store.find_nodes(OWN_IDS)
    for other in OWN_IDS[1:]:
        candidate = entity_candidate(found[PERSON], found[other], 90, "exact", "test")
        files.propose([candidate])
        files.decide(store, candidate.id, Judgement.SAME, by="test", over_api=True)


def load_each(reports: list[Path], store: GraphStore) -> GraphStore:
    """One load per source, as each new report is added. Each report defines its own record
    of him (ids are local to their source), and an editor's decisions join the three: the
    store returned reads them as one (`graph.resolved`)."""
    place = Path(tempfile.mkdtemp(prefix="history-"))
    files = ReviewFiles(place / "data.jsonl", place / "private.jsonl", place / "pending.jsonl",
                        place / "candidates.jsonl")
    resolved = ResolvedStore(store, files)
    for report in reports:
        native.load([report], resolved)
    join(resolved, files)
    return resolved


def _steps(node: Node) -> list[tuple[str, str, str | None, str | None]]:
    return [(s.field, s.value, s.date, s.as_of) for s in node.history]


def test_a_history_across_three_sources_reads_newest_first(blank_store: GraphStore,
                                                           reports: list[Path]) -> None:
    blank_store = load_each(reports, blank_store)
    node = blank_store.get_node(PERSON)
    assert _steps(node) == EXPECTED
    # the lists still hold every value stated, so queries over them answer as before
    assert set(node.status) == {"in_custody", "convicted", "imprisoned", "released"}
    assert node.roles == ["blogger"]
    cited = {s.value: [(c.source, c.paragraph) for c in s.citations] for s in node.history}
    assert cited["in_custody"] == [("report-2022", "1.2")]  # its own citation
    assert cited["blogger"] == [("report-2022", "1.1")]  # a plain one cites the record
    assert cited["imprisoned"] == [("report-2023", "2")]  # a dated one without cite: the record's
    assert cited["released"] == [("report-2025", "4")]


def test_loading_again_changes_nothing_and_one_step_from_two_files_is_one(
        blank_store: GraphStore, reports: list[Path], tmp_path: Path) -> None:
    blank_store = load_each(reports, blank_store)
    assert not any(native.load([r], blank_store).changed_anything for r in reports)
    again = tmp_path / "again"
    again.mkdir()
    native.load([_file(again / "d.yaml", "report-2025", "2025-02-01",
                       "    status: [released]\n    cite: [\"5\"]\n", person_id=OWN_IDS[2])],
                blank_store)
    node = blank_store.get_node(PERSON)
    assert _steps(node) == EXPECTED
    assert [c.paragraph for c in node.history[0].citations] == ["4", "5"]


def test_a_dated_entry_is_checked_where_it_is_written(tmp_path: Path) -> None:
    bad = _file(tmp_path / "bad.yaml", "report-2022", "2022-03-01",
                "    status:\n      - {value: jailed, date: 2022-01-10}\n"
                "      - {value: released, when: 2023}\n      - {value: exiled, date: 2023-13}\n")
    with pytest.raises(InvalidData) as raised:
        native.load([bad], MemoryStore())
    found = {(p.line, p.field): p.message for p in raised.value.problems}
    assert "unknown status 'jailed'" in found[(12, "nodes[1].status[0].value")]
    assert "unknown key 'when'" in found[(13, "nodes[1].status[1]")]
    assert "is not a date" in found[(14, "nodes[1].status[2].date")]


def test_the_bundled_dataset_dates_plain_statuses_as_of_its_source(kz_store: GraphStore) -> None:
    node = kz_store.get_node("marat-zhylanbayev")
    assert node.status == ["imprisoned", "listed"]
    assert {(s.field, s.value, s.as_of) for s in node.history} == {
        ("status", "imprisoned", "2024-07-16"), ("status", "listed", "2024-07-16"),
        ("role", "opposition_leader", "2024-07-16"), ("role", "political_prisoner", "2024-07-16")}
    assert all(s.date is None and s.citations == node.citations for s in node.history)


def test_the_bundled_dataset_dates_a_status_the_source_dates(kz_store: GraphStore) -> None:
    """In pre-trial detention "since June 2023", on trial "as of the date of this Submission"."""
    node = kz_store.get_node("duman-mukhamedkarim")
    assert node.status == ["pre_trial_detention", "on_trial"]
    assert {(s.field, s.value, s.date, s.as_of) for s in node.history} == {
        ("status", "pre_trial_detention", "2023-06", None),
        ("status", "on_trial", None, "2024-07-16"), ("role", "journalist", None, "2024-07-16")}


@pytest.fixture
def client(blank_store: GraphStore, reports: list[Path], tmp_path: Path) -> Iterator[TestClient]:
    blank_store = load_each(reports, blank_store)
    app = create_app(app_settings(tmp_path / "app", rate_limit_burst=10_000), store=blank_store)
    with TestClient(app) as found:
        yield found


def test_the_api_and_the_timeline_show_the_history_newest_first(client: TestClient) -> None:
    body = client.get(f"/api/entities/{PERSON}").json()
    assert [(s["field"], s["value"], s["date"], s["as_of"]) for s in body["history"]] == EXPECTED
    timeline = client.get(f"/api/entities/{PERSON}/timeline").json()
    history = timeline["history"]
    assert [(h["value"], h["date"] or h["as_of"]) for h in history] == [
        ("released", "2025-02-01"), ("convicted", "2023-06-10"), ("imprisoned", "2023-05"),
        ("blogger", "2022-03-01"), ("in_custody", "2022-01-10")]
    assert history[0]["sources"][0]["id"] == "report-2025"
    assert history[0]["sources"][0]["name"] == "Report 2025"
    assert history[2]["precision"] == "month"


def test_the_entity_page_lists_the_history_newest_first_with_sources(client: TestClient) -> None:
    html = client.get(f"/entities/{PERSON}").text
    section = html[html.index('id="history-h"'):]
    section = section[:section.index("</section>")]
    order = [section.index(text) for text in (
        "as of 2025-02-01", "Status: released", "Report 2025", "as of 2023-06-10",
        "Status: convicted", "2023-05", "Status: imprisoned", "as of 2022-03-01", "Role: blogger",
        "2022-01-10", "Status: in custody")]
    assert order == sorted(order)


def test_the_cli_timeline_shows_the_history(reports: list[Path], tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("REPGRAPH_DATA_DIR", str(tmp_path / "store"))
    monkeypatch.setenv("REPGRAPH_DATASET_DIR", str(tmp_path / "dataset"))
    get_settings.cache_clear()
    try:
        assert all(main(["load", str(report)]) == 0 for report in reports)
        with open_store(get_settings()) as store:
            join(store, ReviewFiles.of(get_settings()))
        capsys.readouterr()
        assert main(["query", "timeline", PERSON]) == 0
        lines = capsys.readouterr().out.splitlines()
        assert lines[0] == "status and roles, newest first:"
        assert lines[1].split()[:5] == ["as", "of", "2025-02-01", "status", "released"]
        assert lines[1].endswith("Report 2025")
        assert main(["--json", "query", "timeline", PERSON]) == 0
        data = json.loads(capsys.readouterr().out)
        assert [h["value"] for h in data["history"]] == [v for _, v, _, _ in EXPECTED]
    finally:
        get_settings.cache_clear()


def test_a_restricted_persons_history_never_reaches_the_public(
        blank_store: GraphStore, reports: list[Path], tmp_path: Path) -> None:
    blank_store = load_each(reports, blank_store)
    secret = Citation(source="report-2023", paragraph="2", note="Arman's cell in Zhezkazgan")
    blank_store.write([Node(id="dana-restrova", kind="person", name="Dana Restrova",
                            sensitivity="restricted", citations=[secret], history=[
                                Step(field="status", value="exiled", date="2024-04",
                                     citations=[secret]),
                                Step(field="role", value="relative", as_of="2023-06-10")])], [])
    app = create_app(app_settings(tmp_path / "app", rate_limit_burst=10_000), store=blank_store)
    with TestClient(app) as public, TestClient(app, headers={"X-API-Key": EDITOR_KEY}) as editor:
        assert "exiled" in editor.get("/api/entities/dana-restrova").text
        view = public_views(app.state).get()
        hidden = next(n for n in view.iter_nodes() if n.restricted)
        assert (hidden.history, hidden.status, hidden.roles) == ([], [], [])
        for url in (f"/api/entities/{hidden.id}", f"/api/entities/{hidden.id}/timeline",
                    f"/entities/{hidden.id}", "/api/export?format=csv", "/api/export?format=graphml"):
            response = public.get(url)
            assert response.status_code == 200, url
            text = response.content.decode("utf-8", "replace")
            for leak in ("exiled", "2024-04", "Zhezkazgan", "Dana", "dana-restrova"):
                assert leak not in text, (url, leak)


def test_a_public_persons_steps_have_their_citations_rewritten(blank_store: GraphStore,
                                                               reports: list[Path]) -> None:
    blank_store = load_each(reports, blank_store)
    blank_store.write([Node(id="dana-restrova", kind="person", name="Dana Restrova",
                            sensitivity="restricted")], [])
    note = Citation(source="report-2025", paragraph="4", note="as Dana Restrova told it")
    blank_store.write([Node(id=PERSON, kind="person", name="Arman Fictiv", history=[
        Step(field="status", value="released", as_of="2025-02-01", citations=[note])])], [])
    public = PublicView(blank_store, "test-secret", version=1).get_node(PERSON)
    assert public.history[0].value == "released"
    notes = [c.note for c in public.history[0].citations if c.note]
    assert notes == ["as a restricted person told it"]


def test_csv_export_then_import_gives_the_same_history(blank_store: GraphStore,
                                                       reports: list[Path], tmp_path: Path) -> None:
    blank_store = load_each(reports, blank_store)
    tables = csv_tables(blank_store)
    row = next(r for r in csv.DictReader(io.StringIO(tables["nodes.csv"])) if r["id"] == PERSON)
    assert [s["value"] for s in json.loads(row["history"])] == [v for _, v, _, _ in EXPECTED]
    out = tmp_path / "csv"
    out.mkdir()
    for name, text in tables.items():
        (out / name).write_text(text, encoding="utf-8")
    fresh = MemoryStore()
    csv_format.load_tables([out], fresh)
    assert fresh.get_node(PERSON).history == blank_store.get_node(PERSON).history


def test_graphml_and_gexf_carry_the_history_as_json_text(blank_store: GraphStore,
                                                         reports: list[Path]) -> None:
    blank_store = load_each(reports, blank_store)
    attrs = node_attributes(blank_store.get_node(PERSON))
    assert [s["value"] for s in json.loads(attrs["history"])] == [v for _, v, _, _ in EXPECTED]
