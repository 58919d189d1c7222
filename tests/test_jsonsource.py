"""Native JSON files are read with the line of every value, like YAML files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from loaders.jsonsource import read_json
from loaders.yamlsource import YamlSyntaxError
from tests.conftest import DATASET


@pytest.mark.parametrize("source", sorted(DATASET.rglob("*.yaml")), ids=lambda p: p.name)
def test_a_dataset_file_as_json_reads_as_the_standard_library_reads_it(
        tmp_path: Path, source: Path) -> None:
    text = json.dumps(yaml.safe_load(source.read_text(encoding="utf-8")), indent=1,
                      ensure_ascii=False, default=str)
    path = tmp_path / "file.json"
    path.write_text(text, encoding="utf-8")
    data, lines = read_json(path)
    assert data == json.loads(text)
    rows = text.split("\n")
    for loc, line in lines.items():  # each value starts on its line, after its key if any
        key = f'"{loc[-1]}":' if loc and isinstance(loc[-1], str) else ""
        assert key in rows[line - 1], (loc, rows[line - 1])


def test_values_are_located_by_their_lines(tmp_path: Path) -> None:
    path = tmp_path / "a.json"
    path.write_text('{"nodes": [\n  {"id": "a",\n   "name":\n     "A"},\n  [1, {}]\n],\n'
                    ' "edges": []}', encoding="utf-8")
    data, lines = read_json(path)
    assert data == {"nodes": [{"id": "a", "name": "A"}, [1, {}]], "edges": []}
    assert lines[("nodes", 0)] == 2 and lines[("nodes", 0, "name")] == 4
    assert lines[("nodes", 1, 1)] == 5 and lines[("edges",)] == 7


@pytest.mark.parametrize(("text", "line"), [
    ('{"a": 1,\n "b": 2\n "c": 3}', 3),
    ('{"a": [1,\n 2,\n ]}', 3),
    ('{"a": 1}\n{"b": 2}', 2),
    ("", 1),
    ('{"a": "\x01"}', 1),
])
def test_a_syntax_error_names_its_line(tmp_path: Path, text: str, line: int) -> None:
    path = tmp_path / "bad.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(YamlSyntaxError) as info:
        read_json(path)
    assert info.value.line == line and info.value.message.startswith("JSON syntax:")
    with pytest.raises(json.JSONDecodeError):
        json.loads(text)
