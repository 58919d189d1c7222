"""Reading a FollowTheMoney entity stream: one JSON object per line, located by its line.

Each entity is read as written and then cleaned by the followthemoney library.
The library drops characters it cannot use without a word; values the import
would store are checked as written first (`schema.text`), so that a damaged
source is refused and reported, not silently changed.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import orjson
from followthemoney import model
from followthemoney.exc import FollowTheMoneyException
from followthemoney.proxy import EntityProxy
from followthemoney.types import registry

from graph.errors import Problem
from schema.ftm import SCHEMA_EDGE, SCHEMA_KIND, properties_of
from schema.text import refused_character


@dataclass
class Entity:
    proxy: EntityProxy
    data: dict[str, Any]
    line: int


def read_entities(path: Path, problems: list[Problem]) -> list[Entity]:
    """The stream's entities, cleaned by the followthemoney library, with their line numbers."""
    out: list[Entity] = []
    try:
        lines = path.read_bytes().splitlines()
    except OSError as exc:
        problems.append(Problem(str(path), None, "", f"cannot read: {exc.strerror or exc}"))
        return out
    for number, raw in enumerate(lines, start=1):
        if not raw.strip():
            continue
        try:
            data = orjson.loads(raw)
            if not isinstance(data, dict) or not data.get("id"):
                raise ValueError("an entity is a JSON object with an id")
            if not isinstance(data.get("schema"), str) or not isinstance(
                    data.get("properties", {}), dict):
                raise ValueError("an entity has a schema name and a properties object")
            proxy = model.get_proxy(data, cleaned=False)
            refused = [Problem(str(path), number, where, why)
                       for where, why in _refused_values(data, proxy.schema.name)]
        except orjson.JSONDecodeError as exc:
            problems.append(Problem(str(path), number, "", f"not valid JSON: {exc}"))
            continue
        # the library's own checks stop at ValueError; odd shapes inside it raise the others
        except (ValueError, TypeError, AttributeError, FollowTheMoneyException) as exc:
            problems.append(Problem(str(path), number, "schema", str(exc)))
            continue
        problems.extend(refused)
        if not refused:
            out.append(Entity(proxy, data, number))
    return out


#: what the import keeps of the relationship schemata it reads outside the table's rows:
#: the ends, and the name of the list a sanction puts its entity on
_OTHER_RELATIONSHIPS = {"Sanction": ("entity", "program", "authority"),
                        "CourtCaseParty": ("party", "case")}


@cache
def _taken_over(name: str) -> frozenset[str]:
    """The properties of a schema whose values the import keeps (besides the id): the
    entity's names and mapped properties, a relationship's ends and properties, and the
    `sourceUrl` every citation takes. Empty for a schema the import skips."""
    schema = model.get(name)
    if schema is None:
        return frozenset()
    if name in SCHEMA_KIND:
        names = {p.name for p in schema.properties.values() if p.type == registry.name}
        rows = properties_of(SCHEMA_KIND[name], "import")
        return frozenset({"sourceUrl", *names, *(p for r in rows for p in (r.ftm, *r.read_also))})
    if name in SCHEMA_EDGE:
        row = SCHEMA_EDGE[name]
        return frozenset({"sourceUrl", row.source, row.target, *(p for _, p in row.properties)})
    kept = _OTHER_RELATIONSHIPS.get(name)
    return frozenset({"sourceUrl", *kept}) if kept else frozenset()


def _refused_values(data: dict[str, Any], schema: str) -> Iterator[tuple[str, str]]:
    """(field, why) for every value the import would store that holds a refused character,
    read as written: the library would silently drop the character, and the editor would
    never learn that the source is damaged."""
    taken = _taken_over(schema)
    if not taken:
        return
    problem = refused_character(str(data["id"]))
    if problem:
        yield "id", problem
    properties: dict[str, Any] = data.get("properties", {})
    for prop in sorted(taken & properties.keys()):
        values = properties[prop] if isinstance(properties[prop], list) else [properties[prop]]
        for i, value in enumerate(values):
            problem = refused_character(value) if isinstance(value, str) else None
            if problem:
                yield f"properties.{prop}[{i}]", problem
