"""The one FollowTheMoney table: its names exist in FtM, and what it maps both ways comes back."""

from __future__ import annotations

from pathlib import Path

from followthemoney import model

from exporters.ftm import ftm_lines
from graph.memory import MemoryStore
from loaders import ftm
from schema.ftm import EDGES, KINDS, PROPERTIES, SCHEMA_EDGE, properties_of
from schema.models import Citation, Edge, Node
from schema.vocabulary import NodeKind

#: a value of each kind the table reads (FtM checks a website is a URL)
SAMPLES = {"text": "Almaty", "country": "Kazakhstan", "date": "2019-06-13"}
WEBSITE = "https://example.org/a"


def test_every_schema_and_property_the_table_names_exists_in_followthemoney() -> None:
    for row in KINDS:
        assert model.get(row.schema) is not None, row.schema
        assert all(model.get(s) is not None for s in row.imported_from), row
    for prop in PROPERTIES:
        for kind in prop.kinds:
            row = next(k for k in KINDS if k.kind is kind)
            if prop.direction != "import":
                assert prop.ftm in model[row.schema].properties, (row.schema, prop.ftm)
            if prop.direction != "export":
                for schema in row.imported_from:
                    for name in (prop.ftm, *prop.read_also):
                        assert name in model[schema].properties, (schema, name)
    for edge in EDGES:
        assert {edge.source, edge.target, *(p for _, p in edge.properties)} <= \
            model[edge.schema].properties.keys(), edge


def _kind_samples() -> list[Node]:
    cite = [Citation(source="doc")]
    nodes = [Node(id="doc", kind=NodeKind.SOURCE, name="Doc", citations=cite)]
    for row in KINDS:
        if row.imported_from:
            props = {p.prop: WEBSITE if p.prop == "website" else SAMPLES[p.value]
                     for p in properties_of(row.kind, "import")}
            nodes.append(Node(id=f"a-{row.kind}", kind=row.kind, name=f"A {row.kind}",
                              properties=props, citations=cite))
    return nodes


def test_what_the_table_maps_both_ways_comes_back_after_export_and_import(
        tmp_path: Path) -> None:
    cite = [Citation(source="doc")]
    nodes = [*_kind_samples(), Node(id="b-person", kind=NodeKind.PERSON, name="B Person",
                                    citations=cite)]
    ends = {"MEMBER_OF": "a-organisation", "LEADS": "a-organisation"}
    edges = [Edge(type=row.type, source="a-person", target=ends.get(row.type, "b-person"),
                  properties={prop: "sister" for prop, _ in row.properties}, citations=cite)
             for row in SCHEMA_EDGE.values()]
    out = MemoryStore()
    out.write(nodes, edges)
    stream = tmp_path / "out.ftm.json"
    stream.write_bytes(ftm_lines(out))
    back = MemoryStore()
    ftm.load_ftm([stream], back)
    for node in nodes[1:]:
        assert back.get_node(node.id).properties == node.properties, node.id
    for edge in edges:
        (found,) = back.find_edges([edge.id]).values()
        assert found.properties == edge.properties, edge.id
