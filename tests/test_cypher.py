"""The Cypher module: Neo4j's own parser accepts every statement, and no value is ever formatted in."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from graph import cypher
from schema.vocabulary import KIND_LABELS, RELATIONS, NodeKind

LINTER = Path(__file__).resolve().parent.parent / "tools" / "cypher-lint"
PARAMETER = re.compile(r"\$(\w+)")
#: The only places a number may appear in a statement: a hop bound, and the slice
#: that leaves out a path's two ends.
STRUCTURAL_NUMBERS = re.compile(r"\*\.\.\d+|\[1\.\.-1\]")


def lint(statements: dict[str, str]) -> dict[str, list[dict[str, Any]]]:
    """Diagnostics of Neo4j's language support library for each statement, by name."""
    node = shutil.which("node")
    if node is None or not (LINTER / "node_modules").is_dir():
        pytest.fail("the Cypher linter is not installed: run `npm ci` in tools/cypher-lint "
                    "(.ci/run does) with Node 20")
    payload = {
        "statements": statements,
        "labels": [cypher.ENTITY, cypher.META, *KIND_LABELS.values()],
        "relationshipTypes": sorted(RELATIONS),
        "parameters": {p: None for s in statements.values() for p in PARAMETER.findall(s)},
    }
    done = subprocess.run([node, str(LINTER / "lint.cjs")], input=json.dumps(payload),
                          capture_output=True, text=True, check=True, timeout=120)
    result: dict[str, list[dict[str, Any]]] = json.loads(done.stdout)
    return result


def test_every_statement_passes_neo4js_parser() -> None:
    statements = cypher.all_statements()
    found = lint({**statements, "a broken statement": "MATCH (n:Entity {id: $id) RETURN n"})
    assert [d["severity"] for d in found.pop("a broken statement")].count("error") >= 1, \
        "the linter must catch a syntax error, or this test proves nothing"
    errors = {name: [d["message"] for d in found[name] if d["severity"] == "error"]
              for name in statements}
    assert {name: messages for name, messages in errors.items() if messages} == {}


def test_all_statements_cover_every_builder_and_vocabulary_name() -> None:
    text = "\n".join(cypher.all_statements().values())
    for kind in NodeKind:
        assert cypher.merge_nodes(kind) in text
    for type_ in RELATIONS:
        assert cypher.merge_edges(type_) in text
    assert cypher.shortest_path(cypher.HOPS_LIMIT, None) in text


def test_the_meta_label_is_no_entity_label() -> None:
    assert cypher.META not in {cypher.ENTITY, *KIND_LABELS.values()}
    assert f":{cypher.META} " in cypher.BUMP_VERSION and f":{cypher.META} " in cypher.VERSION


@pytest.mark.parametrize("name", ["Entity", "RepgraphMeta", "person", "KNOWS", "Person`) DETACH DELETE n //",
                                  "FAMILY_OF]->() DELETE r //", "", "`Person`"])
def test_the_escaping_helper_refuses_names_outside_the_vocabulary(name: str) -> None:
    with pytest.raises(ValueError, match="not a label or relationship type of the vocabulary"):
        cypher.escape(name)


def test_the_escaping_helper_backquotes_vocabulary_names() -> None:
    assert cypher.escape("Person") == "`Person`"
    assert cypher.escape("TARGETED_THROUGH_RELATIVE") == "`TARGETED_THROUGH_RELATIVE`"


@pytest.mark.parametrize("hops", [0, cypher.HOPS_LIMIT + 1, True, "3", 2.0])
def test_a_hop_bound_must_be_a_small_integer(hops: Any) -> None:
    with pytest.raises(ValueError, match="max_hops must be an integer"):
        cypher.shortest_path(hops, None)


def test_a_path_filter_refuses_unknown_relationship_types() -> None:
    with pytest.raises(ValueError, match="'KNOWS'"):
        cypher.all_shortest_paths(3, frozenset({"FAMILY_OF", "KNOWS"}))


@pytest.mark.parametrize("name", sorted(cypher.all_statements()))
def test_no_statement_contains_a_formatted_value(name: str) -> None:
    statement = cypher.all_statements()[name]
    assert not re.search(r"['\"]", statement), "string literals are values: pass them as $parameters"
    names = {m[1:-1] for m in re.findall(r"`[^`]*`", statement)}
    assert names <= set(KIND_LABELS.values()) | set(RELATIONS)
    bare = STRUCTURAL_NUMBERS.sub("", re.sub(r"`[^`]*`", "", statement))
    assert not re.search(r"\d", bare.replace("entity_id", "")), "numbers are values too"
