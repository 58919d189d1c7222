"""Characters XML cannot carry are refused at import, located, and the XML exports stay whole.

A NUL that came in through a CSV import once made every GraphML and GEXF export a
file no XML parser reads. Every importer now refuses such characters, naming the
file, the line and the field, and writes nothing.
"""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Iterator
from pathlib import Path

import orjson
import pytest
from fastapi.testclient import TestClient
from pydantic import ValidationError

from api.app import create_app
from cli.main import main
from config import get_settings
from exporters.gephi import gexf, graphml
from graph.memory import SNAPSHOT, MemoryStore
from loaders import native
from schema.models import Citation, Node
from schema.text import refused_character
from tests.conftest import DATASET, EDITOR_KEY, app_settings


def xml_char(code: int) -> bool:
    """XML 1.0's `Char` production, written out from the specification."""
    return code in (0x9, 0xA, 0xD) or 0x20 <= code <= 0xD7FF or 0xE000 <= code <= 0xFFFD \
        or 0x10000 <= code <= 0x10FFFF


def test_exactly_what_xml_cannot_carry_and_del_and_c1_are_refused() -> None:
    refused = {c for c in range(0x110000) if refused_character(chr(c)) is not None}
    assert refused == {c for c in range(0x110000) if not xml_char(c) or 0x7F <= c <= 0x9F}


def _storable_text() -> str:
    """Every character a record may hold, once each."""
    return "".join(chr(c) for c in range(0x110000) if refused_character(chr(c)) is None)


def test_every_character_a_record_may_hold_leaves_well_formed_graphml_and_gexf() -> None:
    text = _storable_text()
    store = MemoryStore()
    store.write([Node(id="doc", kind="source", name="Doc"),
                 Node(id="ann", kind="person", name="Ann\tE\u2028x\U0001F600", description=text,
                      citations=[Citation(source="doc", note=text)])], [])
    for export in (graphml, gexf):
        root = ET.fromstring(export(store))  # expat: any character XML refuses is an error
        found = {value for el in root.iter() for value in (el.text, *el.attrib.values())}
        # as element text, an XML parser reads CR as LF; attribute values keep it escaped
        assert {text, text.replace("\r", "\n")} & found, export.__name__


def test_without_the_check_one_nul_breaks_the_export() -> None:
    """Why the check exists: a record that bypasses validation makes GraphML unreadable."""
    store = MemoryStore()
    store.write([Node.model_construct(**Node(id="ann", kind="person", name="Ann").__dict__
                                      | {"name": "Ann\x00"})], [])
    with pytest.raises(ET.ParseError):
        ET.fromstring(graphml(store))


@pytest.mark.parametrize(("kind", "properties", "where", "message"), [
    ("source", {"footnotes": {"3": "https://example.org/\x00"}}, "footnotes", "['3']: U+0000"),
    ("organisation", {"offices": ["Almaty", "Astana\x07"]}, "offices", "[1]: U+0007"),
    ("person", {"place": "\ud800"}, "place", "U+D800 at character 1"),
])
def test_property_values_are_checked_to_the_item(kind: str, properties: dict[str, object],
                                                 where: str, message: str) -> None:
    with pytest.raises(ValidationError) as refused:
        Node(id="x", kind=kind, name="X", properties=properties)
    (error,) = refused.value.errors()
    assert error["loc"] == ("properties", where)
    assert error["msg"].removeprefix("Value error, ").startswith(message)


def test_a_stored_record_with_a_refused_character_stays_readable(tmp_path: Path) -> None:
    """Data stored before the rule must not stop the store from opening."""
    (tmp_path / SNAPSHOT).write_bytes(orjson.dumps({"format": 1, "nodes": [
        {"id": "ann", "kind": "person", "name": "Ann\u0000"}], "edges": []}))
    assert MemoryStore(tmp_path).get_node("ann").name == "Ann\x00"


# -- every importer, over the command line --------------------------------------------------
YAML = 'source: kz-upr48-2024\nnodes:\n  - id: ann-x\n    kind: person\n    name: "Ann\\0X"\n' \
       '    cite: ["2.7"]\n'
JSON = orjson.dumps({"source": "kz-upr48-2024", "nodes": [
    {"id": "ann-x", "kind": "person", "name": "Ann", "aliases": ["A\u0093X"],
     "cite": ["2.7"]}]}, option=orjson.OPT_INDENT_2).decode()
CSV_NODES = "id,kind,name,description\nann-x,person,Ann X,\"two\nlines \x00\"\n"
FTM = orjson.dumps({"id": "p-1", "schema": "Person", "properties": {
    "name": ["Ann X"], "alias": ["Ann\uffffX"]}}).decode() + "\n"
REPORT = "# A report \x01 on Bota Jardemalie\n\n1.1. Bota Jardemalie was seen.\n"
#: (command, file name, content, the problem expected: line, field, first words)
CASES = {
    "native yaml": (["load"], "bad.yaml", YAML, "5: nodes[0].name: U+0000 at character 4"),
    "native json": (["load"], "bad.json", JSON, "9: nodes[0].aliases[0]: U+0093 at character 2"),
    "csv": (["import", "--format", "csv"], "nodes.csv", CSV_NODES,
            "2: description: U+0000 at character 11"),
    "ftm": (["import", "--format", "ftm"], "bad.ftm.json", FTM,
            "1: properties.alias[0]: U+FFFF at character 4"),
    "text": (["import", "--format", "text"], "report.md", REPORT,
             "1: title: U+0001 at character 10"),
}


@pytest.fixture
def cli_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A data directory holding the dataset, used by the `repgraph` command."""
    data_dir = tmp_path / "store"
    native.load([DATASET], MemoryStore(data_dir))
    monkeypatch.setenv("REPGRAPH_DATA_DIR", str(data_dir))
    get_settings.cache_clear()
    yield data_dir
    get_settings.cache_clear()


@pytest.mark.parametrize("case", sorted(CASES))
def test_each_importer_refuses_naming_file_line_and_field_and_writes_nothing(
        cli_store: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], case: str) -> None:
    command, name, content, expected = CASES[case]
    path = tmp_path / name
    path.write_bytes(content.encode("utf-8", "surrogatepass"))
    before = (cli_store / SNAPSHOT).read_bytes()
    assert main([*command, str(path)]) == 1
    err = capsys.readouterr().err
    assert f"{path}:{expected}" in err, err
    assert (cli_store / SNAPSHOT).read_bytes() == before
    ET.fromstring(graphml(MemoryStore(cli_store)))


def test_a_text_report_may_hold_page_breaks_it_does_not_store(
        cli_store: Path, tmp_path: Path) -> None:
    """pdftotext marks pages with a form feed: only a report's title and footnotes are kept."""
    path = tmp_path / "report.md"
    path.write_text("# A report\n\n1.1. Bota Jardemalie\x0c was seen.\n", encoding="utf-8")
    assert main(["import", "--format", "text", str(path)]) == 0
    store = MemoryStore(cli_store)
    assert store.has_node("report")
    ET.fromstring(gexf(store))


# -- over the import API ------------------------------------------------------------------------
def _zip(files: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    return buffer.getvalue()


API_CASES = {
    "native": ("bad.yaml", YAML.encode(), "bad.yaml:5: nodes[0].name: U+0000"),
    "csv": ("upload.zip", _zip({"nodes.csv": CSV_NODES}), "upload.zip/nodes.csv:2: description: U+0000"),
    "ftm": ("bad.ftm.json", FTM.encode(), "bad.ftm.json:1: properties.alias[0]: U+FFFF"),
}


@pytest.mark.parametrize("fmt", sorted(API_CASES))
def test_the_import_api_refuses_them_too_and_the_exports_stay_well_formed(
        tmp_path: Path, fmt: str) -> None:
    store = MemoryStore(tmp_path / "store")
    native.load([DATASET], store)
    before = store.stats()
    name, body, expected = API_CASES[fmt]
    with TestClient(create_app(app_settings(tmp_path), store=store),
                    headers={"X-API-Key": EDITOR_KEY}) as client:
        answer = client.post("/api/import", params={"format": fmt, "filename": name},
                             content=body)
        assert answer.status_code == 422, answer.text
        assert any(p.startswith(expected) for p in answer.json()["problems"]), answer.text
        for export in ("graphml", "gexf"):
            ET.fromstring(client.get("/api/export", params={"format": export}).content)
    assert store.stats() == before
