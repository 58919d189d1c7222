"""The source reader: every citation leads to the words that state it, for each audience."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from html import unescape
from html.parser import HTMLParser
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from graph.memory import MemoryStore
from graph.names import PLACEHOLDER, WITHHELD
from graph.store import GraphStore
from schema.models import Citation, Edge, Node
from schema.vocabulary import NodeKind, Sensitivity
from tests.conftest import EDITOR_KEY, app_settings
from tests.sourcetext import SOURCE_ID, parse, source
from tests.test_sources_text import words

_SECTION = re.compile(r'<section class="paragraph" id="([^"]+)"[^>]*>(.*?)</section>', re.S)
_TAG = re.compile(r"<[^>]+>")
_MARKER = re.compile(r'<sup class="note">.*?</sup>')
_BREAK = re.compile(r"</(?:p|li|h2|ul)>|<br>")


def sections(html: str) -> dict[str, str]:
    """Each paragraph's anchor and its words, as the page shows them (footnote markers
    left out)."""
    return {anchor: " ".join(unescape(_TAG.sub("", _BREAK.sub(" ", _MARKER.sub("", body))))
                             .split()) for anchor, body in _SECTION.findall(html)}


def _all_citations(store: GraphStore) -> list[Citation]:
    found: list[Citation] = []
    for record in [*store.iter_nodes(), *store.iter_edges()]:
        found += record.citations
        found += [c for s in record.statements for c in s.citations]
        if isinstance(record, Node):
            found += [c for step in record.history for c in step.citations]
    return found


def test_every_citation_leads_to_its_paragraph(kz_client: TestClient, kz_store: GraphStore) -> None:
    hrefs = sorted({c.href for c in _all_citations(kz_store)})
    assert f"/sources/{SOURCE_ID}#p-3.7" in hrefs
    held = {s["id"] for s in kz_client.get("/api/sources").json() if s["text"]}
    for href in hrefs:
        path, _, anchor = href.partition("#")
        page = kz_client.get(path)
        assert page.status_code == 200, href
        if anchor and path.removeprefix("/sources/") in held:
            # a source whose text is not held here shows its metadata and public address
            assert f'id="{anchor}"' in page.text, href


def test_api_citations_carry_their_href(public_client: TestClient) -> None:
    body = public_client.get("/api/entities/marat-zhylanbayev").json()
    citations = [c for r in body["relations"] for c in r["citations"]] + body["citations"]
    assert citations
    for c in citations:
        assert c["href"] == Citation.model_validate(c).href
        assert c["href"].startswith(f"/sources/{c['source']}#p-") == bool(c["paragraph"])


def test_the_reader_shows_each_paragraph_under_the_number_the_text_gives_it(
        public_client: TestClient) -> None:
    """Checked against the tests' own cut of the text (`tests/sourcetext.py`)."""
    page = public_client.get(f"/sources/{SOURCE_ID}")
    assert page.status_code == 200
    shown = sections(page.text)
    expected = parse(source())
    assert [a for a in shown if a.removeprefix("p-") in expected.blocks] == [
        f"p-{label}" for label in expected.blocks]
    for label, text in expected.blocks.items():
        if label == "front":
            assert shown["p-front"].startswith(words(text))
        else:
            assert words(shown[f"p-{label}"]) == words(text), label
    # its footnotes, linked from their markers
    assert page.text.count('<li id="fn-') == len(expected.footnote_urls)
    assert '<a href="#fn-32" id="fnref-32">32</a>' in page.text
    assert "shared/sources" not in page.text


def test_the_api_gives_the_paragraphs_the_page_shows(public_client: TestClient) -> None:
    body = public_client.get(f"/api/sources/{SOURCE_ID}").json()
    page = sections(public_client.get(f"/sources/{SOURCE_ID}").text)
    assert [p["href"] for p in body["paragraphs"]] == [
        f"/sources/{SOURCE_ID}#{anchor}" for anchor in page]
    para = {p["paragraph"]: p for p in body["paragraphs"]}
    assert para["3.5"]["text"].startswith("The Kazakhstani authorities persecute")
    assert para["3.5"]["footnotes"] == [32]
    assert para["4"]["heading"] == "4. Conclusions"
    assert body["text"] is True and len(body["footnotes"]) == 36
    assert body["uses"]["relationships"] > 100
    listed = public_client.get("/api/sources").json()
    assert {s["id"] for s in listed} >= {SOURCE_ID, "planted-test-records"}
    assert "shared/sources" not in str(body) + str(listed)


def test_the_public_reads_the_text_without_restricted_names(
        public_client: TestClient, kz_client: TestClient) -> None:
    for path in ("/sources/planted-test-records", "/api/sources/planted-test-records"):
        public, editor = public_client.get(path), kz_client.get(path)
        assert public.status_code == editor.status_code == 200
        text = (str(public.headers) + public.text).lower()
        assert not [t for t in ("tasbolatov", "тасболатов", "nurtazin") if t in text], path
        assert "Aigerim Tasbolatova" in editor.text and "Serik Nurtazin" in editor.text
    public, editor = (c.get("/sources/planted-test-records").text
                      for c in (public_client, kz_client))
    assert list(sections(public)) == list(sections(editor)) == ["p-front", "p-1", "p-2"]
    assert PLACEHOLDER in sections(public)["p-1"] and "Daulet Sarsenbayev" in public
    assert WITHHELD in public  # the first footnote's address names her
    assert "https://news.example/raid-on-a-flat" in public


def _serve(tmp_path: Path, store: GraphStore, texts: dict[str, str]) -> TestClient:
    folder = tmp_path / "sources"
    folder.mkdir(exist_ok=True)
    for name, text in texts.items():
        (folder / name).write_text(text, encoding="utf-8")
    return TestClient(create_app(app_settings(tmp_path, sources=folder), store=store))


def test_a_source_without_a_text_here_links_its_public_address(tmp_path: Path) -> None:
    store = MemoryStore()
    store.write([Node(id="remote", kind=NodeKind.SOURCE, name="A remote report",
                      properties={"url": "https://reports.example/remote", "path": "gone.txt"}),
                 Node(id="someone", kind=NodeKind.PERSON, name="Someone",
                      citations=[Citation(source="remote", paragraph="2.1")])], [])
    with _serve(tmp_path, store, {}) as client:
        page = client.get("/sources/remote")
        assert page.status_code == 200 and "not held here" in page.text
        assert 'href="https://reports.example/remote"' in page.text
        body = client.get("/api/sources/remote").json()
        assert (body["text"], body["paragraphs"], body["url"]) == (
            False, [], "https://reports.example/remote")
        href = client.get("/api/entities/someone").json()["citations"][0]["href"]
        assert href == "/sources/remote#p-2.1" and client.get(href).status_code == 200
        for missing in ("/sources/someone", "/sources/nobody"):
            assert client.get(missing).status_code == 404
        assert client.get("/api/sources/nobody").status_code == 404
        assert client.get("/api/sources/someone").json()["parameter"] == "id"


HOSTILE = """<script>alert(1)</script> Front "matter' <!-- x -->

1.1. A [link](javascript:alert(2)) and <javascript:alert(3)> and "><img src=x onerror=alert(4)>
and **<b onmouseover=alert(5)>bold</b>** and [fine](https://ok.example/a"onmouseover="alert(6)).¹

1.2. Then https://ok.example/x'><svg/onload=alert(7)> and <https://ok.example/"><script>>.²

¹ https://ok.example/"onmouseover="alert(8)
² <https://ok.example/fine>
"""


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))


def test_a_hostile_text_is_shown_as_text(tmp_path: Path) -> None:
    store = MemoryStore()
    store.write([Node(id="hostile", kind=NodeKind.SOURCE, name="<svg onload=alert(9)>",
                      properties={"path": "hostile.txt", "url": "javascript:alert(10)"}),
                 Node(id="someone", kind=NodeKind.PERSON, name="Someone", citations=[
                     Citation(source="hostile", paragraph='1.1" onmouseover="alert(11)')])], [])
    with _serve(tmp_path, store, {"hostile.txt": HOSTILE}) as client:
        for path in ("/sources/hostile", "/sources", "/entities/someone"):
            page = client.get(path)
            assert page.status_code == 200, path
            parser = _Tags()
            parser.feed(page.text)
            names = {tag for tag, _ in parser.tags}
            assert not names & {"script", "img", "iframe", "object", "embed"}, path
            assert path == "/entities/someone" or "svg" not in names
            for tag, attrs in parser.tags:
                for name, value in attrs:
                    assert not name.startswith("on"), (path, tag, name)
                    if name in ("href", "src", "action"):
                        assert value is not None and value.startswith(
                            ("/", "#", "http://", "https://")), (path, tag, value)
                        assert "javascript" not in value.lower(), (path, value)
        reader = client.get("/sources/hostile").text
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in reader
        assert 'href="https://ok.example/fine"' in reader
        assert "/sources/hostile#p-1.1%22%20onmouseover%3D%22alert%2811%29" in client.get(
            "/entities/someone").text


def test_the_reading_follows_the_data(tmp_path: Path) -> None:
    """Cached per data version: a person restricted later is withheld at the next request."""
    store = MemoryStore()
    report = Node(id="report", kind=NodeKind.SOURCE, name="Report",
                  properties={"path": "report.txt"})
    ann = Node(id="ann-testova", kind=NodeKind.PERSON, name="Ann Testova",
               citations=[Citation(source="report", paragraph="1.1")])
    store.write([report, ann], [])
    text = {"report.txt": "1.1. Ann Testova was detained.\n"}
    with _serve(tmp_path, store, text) as client:
        assert "Ann Testova was detained" in client.get("/sources/report").text
        store.write([ann.model_copy(update={"sensitivity": Sensitivity.RESTRICTED})], [])
        page = client.get("/sources/report").text
        assert "Testova" not in page and f"{PLACEHOLDER} was detained" in page
        editor = client.get("/sources/report", headers={"X-API-Key": EDITOR_KEY}).text
        assert "Ann Testova was detained" in editor


@pytest.fixture
def viewed(tmp_path: Path) -> Iterator[TestClient]:
    store = MemoryStore()
    store.write([Node(id="report", kind=NodeKind.SOURCE, name="Report",
                      properties={"path": "report.txt"}),
                 Node(id="a", kind=NodeKind.PERSON, name="Anna"),
                 Node(id="b", kind=NodeKind.PERSON, name="Boris")],
                [Edge(type="ASSOCIATE_OF", source="a", target="b",
                      citations=[Citation(source="report", paragraph="1.2")])])
    text = {"report.txt": "1.1. Nothing.\n\n1.2. " + " ".join(f"w{i}" for i in range(40))}
    with _serve(tmp_path, store, text) as client:
        yield client


def test_a_view_carries_the_cited_paragraphs_opening_words(viewed: TestClient) -> None:
    for prefix in ("viz", "embed"):
        page = viewed.get(f"/{prefix}/entity/a").text
        found = re.search(r'id="view-data">(.*?)</script>', page, re.S)
        assert found is not None
        data = json.loads(found.group(1))
        (edge_key,) = [k for k in data["details"] if k.startswith("e:")]
        (cite,) = data["details"][edge_key]["citations"]
        assert cite["href"] == "/sources/report#p-1.2"
        assert data["excerpts"] == {
            "/sources/report#p-1.2": " ".join(f"w{i}" for i in range(25)) + " …"}
