"""Reading a FollowTheMoney entity stream: one JSON object per line, located by its line."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson
from followthemoney import model
from followthemoney.exc import FollowTheMoneyException
from followthemoney.proxy import EntityProxy

from graph.errors import Problem


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
        except orjson.JSONDecodeError as exc:
            problems.append(Problem(str(path), number, "", f"not valid JSON: {exc}"))
            continue
        # the library's own checks stop at ValueError; odd shapes inside it raise the others
        except (ValueError, TypeError, AttributeError, FollowTheMoneyException) as exc:
            problems.append(Problem(str(path), number, "schema", str(exc)))
            continue
        out.append(Entity(proxy, data, number))
    return out
