"""Attack (issue 19): the source reader, timelines and `ref` properties must not carry a
restricted person into anything public."""

from __future__ import annotations

import io
import json
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from graph.memory import MemoryStore
from schema.models import Citation, Edge, Node
from schema.vocabulary import NodeKind, Sensitivity
from tests.conftest import EDITOR_KEY, app_settings

R = Sensitivity.RESTRICTED


def _body(response: object) -> str:
    r = response
    assert hasattr(r, "headers") and hasattr(r, "content")
    if r.headers.get("content-type", "").startswith("application/zip"):
        with zipfile.ZipFile(io.BytesIO(r.content)) as z:
            return " ".join(z.read(n).decode() for n in z.namelist())
    return str(r.headers) + r.content.decode()


def _cite(source: str = "report") -> list[Citation]:
    return [Citation(source=source, paragraph="1.1")]


# -- a `ref` stated by two sources ----------------------------------------------------------

@pytest.fixture
def refs(tmp_path: Path) -> Iterator[TestClient]:
    """Public relationships whose `triggered_by` / `concerning` name restricted records, each
    stated by two sources: the relationship keeps `statements`, one per value."""
    store = MemoryStore()
    store.write([
        Node(id="report", kind=NodeKind.SOURCE, name="Report"),
        Node(id="other-report", kind=NodeKind.SOURCE, name="Other report"),
        Node(id="police", kind=NodeKind.AGENCY, name="Police", citations=_cite()),
        Node(id="ministry", kind=NodeKind.AGENCY, name="Ministry", citations=_cite()),
        Node(id="anna-public", kind=NodeKind.PERSON, name="Anna Publicova", citations=_cite()),
        # ids that do not name them: nothing but the view's rules keeps them out
        Node(id="hidden-p1", kind=NodeKind.PERSON, name="Aigerim Tasbolatova", sensitivity=R,
             roles=["relative"], citations=_cite()),
        Node(id="hidden-p2", kind=NodeKind.PERSON, name="Serik Nurtazin", sensitivity=R,
             citations=_cite()),
    ], [])
    for source in ("report", "other-report"):
        store.write([], [
            Edge(type="DETAINED", source="police", target="anna-public",
                 properties={"triggered_by": "hidden-p1"}, citations=_cite(source)),
            Edge(type="REQUESTED", source="police", target="ministry",
                 properties={"request": "extradition", "concerning": "hidden-p2"},
                 citations=_cite(source)),
        ])
    edge = store.find_edges(["police|DETAINED|anna-public"])["police|DETAINED|anna-public"]
    assert any(s.field == "properties.triggered_by" for s in edge.statements)  # the premise
    with TestClient(create_app(app_settings(tmp_path), store=store)) as client:
        yield client


def test_a_stated_reference_to_a_restricted_record_is_withheld(refs: TestClient) -> None:
    """`_properties` withholds a reference to a restricted record, but the relationship's
    statements carried the stored id as it was, into every export."""
    paths = [f"/api/export?format={f}" for f in ("csv", "graphml", "gexf", "ftm")]
    paths += [f"{p}/{i}" for i in ("anna-public", "police", "ministry")
              for p in ("/api/entities", "/entities", "/viz/entity", "/embed/entity")]
    paths += ["/api/entities/anna-public/timeline", "/viz/graph"]
    for path in paths:
        r = refs.get(path)
        assert r.status_code == 200, path
        body = _body(r)
        assert "hidden-p" not in body, path
    editor = refs.get("/api/export?format=csv", headers={"X-API-Key": EDITOR_KEY})
    assert "hidden-p1" in _body(editor)  # the editor's export keeps it


# -- markup that splits a name in a source's text ----------------------------------------------

SPLIT = {
    "strong": "**Tasbo**latova",
    "marker": "Tasbo^{1}latova",
    "link": "[Tasbo](https://ok.example/a)latova",
    "nested": "[**Tasbo**](https://ok.example/b)latova",
}


@pytest.fixture
def split(tmp_path: Path) -> Iterator[TestClient]:
    store = MemoryStore()
    store.write([Node(id="report", kind=NodeKind.SOURCE, name="Report",
                      properties={"path": "report.txt"}),
                 Node(id="daulet", kind=NodeKind.PERSON, name="Daulet Sarsenbayev",
                      citations=_cite()),
                 Node(id="aigerim", kind=NodeKind.PERSON, name="Aigerim Tasbolatova",
                      sensitivity=R, citations=_cite())],
                [Edge(type="ASSOCIATE_OF", source="daulet", target="aigerim",
                      citations=_cite())])
    text = "1.1. " + " ".join(f"{form} said so." for form in SPLIT.values()) + \
        "\n\n1.2. The end.\n\n¹ <https://ok.example/note>\n"
    folder = tmp_path / "sources"
    folder.mkdir()
    (folder / "report.txt").write_text(text, encoding="utf-8")
    with TestClient(create_app(app_settings(tmp_path, sources=folder), store=store)) as client:
        yield client


def _visible(html: str) -> str:
    """What a reader sees: the page's words, without tags."""
    return re.sub(r"<[^>]+>", "", html)


def test_markup_inside_a_name_does_not_carry_it_into_the_reader(split: TestClient) -> None:
    """The text was redacted with its markup, and then shown without it: "**Tasbo**latova"
    named nobody to the matcher, and "Tasbolatova" to the reader."""
    api = split.get("/api/sources/report").json()
    (first, _) = api["paragraphs"]
    assert "tasbolatova" not in first["text"].lower(), first["text"]
    assert first["footnotes"] == [1]  # the marker is kept
    page = split.get("/sources/report").text
    assert "tasbolatova" not in _visible(page).lower()
    for prefix in ("viz", "embed"):
        view = split.get(f"/{prefix}/entity/daulet").text
        found = re.search(r'id="view-data">(.*?)</script>', view, re.S)
        assert found is not None
        excerpts = json.loads(found.group(1))["excerpts"]
        assert excerpts and "tasbolatova" not in json.dumps(excerpts).lower(), excerpts
    editor = split.get("/api/sources/report", headers={"X-API-Key": EDITOR_KEY}).json()
    assert "Tasbolatova said so" in editor["paragraphs"][0]["text"]


# -- invisible characters inside a name ---------------------------------------------------------

#: characters a reader does not see, which ended a word for the matcher: a variation selector
#: of plane 14, a tag character, the Arabic letter mark, an interlinear annotation
#: terminator, a Hebrew point and a musical combining mark; and a combining small letter
#: above a vowel, which changed the word's spelling
INVISIBLE = ["\U000e0100", "\U000e0041", "\u061c", "\ufffb", "\u05b0", "\U0001d17b", "\u0363"]


def test_an_invisible_character_inside_a_name_does_not_hide_it(tmp_path: Path) -> None:
    forms = [f"Tasbo{c}latova" for c in INVISIBLE]
    store = MemoryStore()
    store.write([Node(id="report", kind=NodeKind.SOURCE, name="Report",
                      properties={"path": "report.txt"}),
                 Node(id="daulet", kind=NodeKind.PERSON, name="Daulet Sarsenbayev",
                      description=" ".join(f"{f} was warned." for f in forms),
                      citations=_cite()),
                 Node(id="aigerim", kind=NodeKind.PERSON, name="Aigerim Tasbolatova",
                      sensitivity=R, citations=_cite())], [])
    folder = tmp_path / "sources"
    folder.mkdir()
    (folder / "report.txt").write_text(
        "1.1. " + "\n\n".join(f"{f} was warned." for f in forms) + "\n", encoding="utf-8")
    with TestClient(create_app(app_settings(tmp_path, sources=folder), store=store)) as client:
        for path in ("/api/sources/report", "/sources/report", "/api/entities/daulet",
                     "/entities/daulet"):
            r = client.get(path)
            assert r.status_code == 200, path
            text = json.dumps(r.json(), ensure_ascii=False) if path.startswith("/api") \
                else r.text
            shown = "".join(c for c in text if c not in INVISIBLE)
            assert "tasbolatova" not in shown.lower(), path
            assert "a restricted person was warned" in shown, path
