"""Attack (issue 18): statements, history and source must not carry a restricted person
into anything public: API, pages, embeds, exports."""

from __future__ import annotations

import io
import zipfile

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from config import Settings
from graph import with_decisions
from graph.identity import Judgement, entity_candidate
from graph.memory import MemoryStore
from graph.review import ReviewFiles
from graph.store import GraphStore
from schema.models import Citation, Edge, Node, Step
from schema.vocabulary import NodeKind, Sensitivity

FIRST, SECOND = "first-report", "second-report"
SECRETS = ("Petrov", "Vanya", "ivan-petrov", "ivan-p-2", "SECRETDESC", "SECRETNOTE",
           "secret.example", "SECRETEDGE", "Shymkent")


@pytest.fixture
def settings(command_settings: Settings) -> Settings:
    return command_settings


def _source(source_id: str) -> Node:
    return Node(id=source_id, kind=NodeKind.SOURCE, name=f"The {source_id} (fictional)",
                properties={"path": f"texts/{source_id}.txt"},
                citations=[Citation(source=source_id)])


#: the sources' texts, which name the restricted brother as the records do
TEXTS = {
    FIRST: "1. Erlan Testov says his brother Ivan Petrov was detained in 2020.¹\n\n"
           "¹ <https://news.example/ivan-petrov>\n",
    SECOND: "1. Yerlan Testov's brother, I. Petrov (Vanya Petrovich to his friends), was "
            "detained.\n\n2. Vanya's family was warned.\n",
}


def _cite(source: str, note: str | None = None, url: str | None = None) -> Citation:
    return Citation(source=source, paragraph="1", note=note, url=url)


def _merge(store: GraphStore, settings: Settings, a: str, b: str) -> None:
    nodes = store.find_nodes([a, b])
    candidate = entity_candidate(nodes[a], nodes[b], 90, "transliteration", "test")
    files = ReviewFiles.of(settings)
    files.propose([candidate])
    files.decide(store, candidate.id, Judgement.SAME, by="test", over_api=False)


def _build(settings: Settings) -> GraphStore:
    store = with_decisions(MemoryStore(), settings)
    ivan = Node(id="ivan-petrov", kind=NodeKind.PERSON, name="Ivan Petrov",
                aliases=["Vanya Petrovich"], description="SECRETDESC one",
                sensitivity=Sensitivity.RESTRICTED, roles=["relative"],
                properties={"place": "Shymkent"},
                citations=[_cite(FIRST, "SECRETNOTE a", "https://secret.example/ivan")],
                history=[Step(field="role", value="relative", date="2020",
                              citations=[_cite(FIRST, "SECRETNOTE step")])])
    ivan2 = Node(id="ivan-p-2", kind=NodeKind.PERSON, name="I. Petrov",
                 description="SECRETDESC two", sensitivity=Sensitivity.RESTRICTED,
                 roles=["relative"], properties={"place": "Shymkent district"},
                 citations=[_cite(SECOND, "SECRETNOTE b", "https://secret.example/ip")])
    erlan = Node(id="erlan-testov", kind=NodeKind.PERSON, name="Erlan Testov",
                 description="A fictional blogger.", roles=["blogger"],
                 citations=[_cite(FIRST, "brother of Ivan Petrov")],
                 history=[Step(field="status", value="in_custody", date="2021",
                               citations=[_cite(FIRST, "with his brother Ivan Petrov",
                                                "https://news.example/ivan-petrov")])])
    erlan2 = Node(id="erlan-testov-2", kind=NodeKind.PERSON, name="Yerlan Testov",
                  description="Blogger whose brother Ivan Petrov was detained.",
                  roles=["activist"],
                  citations=[_cite(SECOND, "Vanya Petrovich said so",
                                   "https://news.example/vanya-petrovich")])
    edges = [
        Edge(type="FAMILY_OF", source="ivan-petrov", target="erlan-testov", date="2020",
             properties={"relation": "brother Ivan Petrov"},
             citations=[_cite(FIRST, "SECRETEDGE a", "https://secret.example/e1")]),
        Edge(type="FAMILY_OF", source="ivan-p-2", target="erlan-testov-2", date="2021",
             properties={"relation": "elder brother"},
             citations=[_cite(SECOND, "SECRETEDGE b", "https://secret.example/e2")]),
    ]
    store.write([_source(FIRST), _source(SECOND), ivan, ivan2, erlan, erlan2], edges)
    _merge(store, settings, "ivan-petrov", "ivan-p-2")
    _merge(store, settings, "erlan-testov", "erlan-testov-2")
    return store


def _public_text(settings: Settings, store: GraphStore) -> dict[str, str]:
    out: dict[str, str] = {}
    texts = settings.data_dir / "texts"
    texts.mkdir(parents=True, exist_ok=True)
    for source_id, text in TEXTS.items():
        (texts / f"{source_id}.txt").write_text(text, encoding="utf-8")
    settings = settings.model_copy(update={"sources": texts})
    with TestClient(create_app(settings, store=store)) as client:
        for path in ("/sources", "/api/sources", *(f"{prefix}/{source_id}" for source_id in TEXTS
                                                   for prefix in ("/sources", "/api/sources"))):
            r = client.get(path)
            assert r.status_code == 200, path
            out[path] = r.text
        assert "was detained" in out[f"/sources/{FIRST}"]  # the text is read
        for fmt in ("csv", "graphml", "gexf", "ftm"):
            r = client.get(f"/api/export?format={fmt}")
            assert r.status_code == 200, (fmt, r.text)
            if fmt == "csv":
                with zipfile.ZipFile(io.BytesIO(r.content)) as z:
                    out[fmt] = " ".join(z.read(n).decode() for n in z.namelist())
            else:
                out[fmt] = r.text
        ids = ["erlan-testov", "erlan-testov-2"]
        search = client.get("/api/search", params={"q": "a"}).text
        out["search"] = search
        for node_id in ids:
            for path in (f"/api/entities/{node_id}", f"/api/timeline/{node_id}",
                         f"/entities/{node_id}", f"/embed/entity/{node_id}",
                         f"/api/neighbourhood/{node_id}"):
                r = client.get(path)
                out[path] = f"{r.status_code} {r.text}"
        # the restricted neighbour by its public id
        body = client.get("/api/entities/erlan-testov").json()
        others = {r["other"]["id"] for r in body["relations"]}
        for other in sorted(o for o in others if o and o.startswith("restricted-")):
            for path in (f"/api/entities/{other}", f"/api/timeline/{other}",
                         f"/entities/{other}", f"/embed/entity/{other}"):
                r = client.get(path)
                out[path] = f"{r.status_code} {r.text}"
    return out


def _leaks(out: dict[str, str]) -> list[tuple[str, str]]:
    return [(where, s) for where, text in out.items() for s in SECRETS if s in text]


def test_merged_restricted_and_public_statements_leak_nothing(settings: Settings) -> None:
    store = _build(settings)
    out = _public_text(settings, store)
    assert any(k.startswith("/api/entities/restricted-") for k in out), out.keys()
    assert _leaks(out) == []


def _dangling_source_store() -> MemoryStore:
    """A record defined by (and citing) a source document that is not stored as a record,
    whose id names a restricted person; and a relationship two sources state, whose key
    names one."""
    store = MemoryStore()
    letter = "letter-of-ivan-petrov"
    store.write([_source(FIRST), _source(SECOND),
                 Node(id="ivan-petrov", kind=NodeKind.PERSON, name="Ivan Petrov",
                      sensitivity=Sensitivity.RESTRICTED, citations=[_cite(FIRST)]),
                 Node(id="erlan-testov", kind=NodeKind.PERSON, name="Erlan Testov",
                      source=letter, citations=[_cite(letter)]),
                 Node(id="foo-bar", kind=NodeKind.PERSON, name="Foo Bar",
                      citations=[_cite(FIRST)])],
                [Edge(type="ASSOCIATE_OF", source="erlan-testov", target="foo-bar",
                      key="trial-ivan-petrov", citations=[_cite(source)])
                 for source in (FIRST, SECOND)][:1])
    store.write([], [Edge(type="ASSOCIATE_OF", source="erlan-testov", target="foo-bar",
                          key="trial-ivan-petrov", citations=[_cite(SECOND)])])
    return store


def test_a_source_id_naming_a_restricted_person_is_masked_even_when_not_stored() -> None:
    from graph.public import PublicView

    view = PublicView(_dangling_source_store(), "secret", 1)
    erlan = view.get_node("erlan-testov")
    assert erlan.source is not None and erlan.source.startswith("redacted-")
    assert all(c.source == erlan.source for c in erlan.citations)
    text = " ".join(n.model_dump_json() for n in view.iter_nodes())
    assert "petrov" not in text.lower()


def test_a_key_statement_shows_the_relationships_public_key() -> None:
    from graph.public import PublicView

    view = PublicView(_dangling_source_store(), "secret", 1)
    (edge,) = view.iter_edges()
    assert edge.key is not None and edge.key.startswith("k")
    assert [s.value for s in edge.statements if s.field == "key"] == [edge.key]
