"""The FollowTheMoney export, checked by the followthemoney library itself."""

from __future__ import annotations

from collections import Counter
from typing import Any

import orjson
import pytest
from followthemoney import model
from followthemoney.exc import InvalidData as FtmInvalidData
from followthemoney.types import registry

from exporters.ftm import MEASURE_TOPIC, ftm_lines
from graph.store import GraphStore

RISK_TOPICS = {"crime", "crime.terror", "sanction", "wanted", "poi"}


@pytest.fixture(scope="module")
def exported(kz_store: GraphStore) -> list[dict[str, Any]]:
    return [orjson.loads(line) for line in ftm_lines(kz_store).splitlines()]


def problems_of(data: dict[str, Any], ids: dict[str, str]) -> list[str]:
    """Everything the library objects to in one entity, plus dangling or ill-typed references."""
    schema = model.get(data["schema"])
    if schema is None or schema.abstract:
        return [f"{data['schema']} is not a concrete schema"]
    problems: list[str] = []
    try:
        schema.validate(data)
    except FtmInvalidData as exc:
        problems.append(f"{data['id']}: {exc} {exc.errors}")
    props = data["properties"]
    problems += [f"{data['id']}: required {p} missing" for p in schema.required if not props.get(p)]
    problems += [f"{data['id']}: unknown property {p}" for p in props if p not in schema.properties]
    cleaned = model.get_proxy(data, cleaned=False).to_dict()["properties"]
    if cleaned != props:
        problems.append(f"{data['id']}: values change when the library cleans them: {props}")
    for name, values in props.items():
        prop = schema.properties.get(name)
        if prop is None or prop.type is not registry.entity:
            continue
        for ref in values:
            target = model.get(ids.get(ref, ""))
            if target is None or prop.range is None or not target.is_a(prop.range):
                problems.append(f"{data['id']}.{name} -> {ref} ({ids.get(ref)}) not a {prop.range}")
    return problems


def test_every_exported_entity_passes_the_library_validation(
        exported: list[dict[str, Any]]) -> None:
    ids = {e["id"]: e["schema"] for e in exported}
    assert len(ids) == len(exported)
    assert [p for e in exported for p in problems_of(e, ids)] == []


def test_kinds_and_relationships_map_to_their_ftm_schemata(
        exported: list[dict[str, Any]], kz_store: GraphStore) -> None:
    by_id = {e["id"]: e for e in exported}
    assert by_id["bota-jardemalie"]["schema"] == "Person"
    assert by_id["dck"]["schema"] == "Organization"
    assert by_id["kz-financial-monitoring-agency"]["schema"] == "PublicBody"
    assert by_id["kz-upr48-2024"]["schema"] == "Document"
    counts = Counter(e["schema"] for e in exported)
    stats = kz_store.stats()
    groups = {n.id for n in kz_store.iter_nodes() if n.group}
    between_persons = [e for e in kz_store.iter_edges(["FAMILY_OF"])
                       if not {e.source, e.target} & groups]
    assert counts["Family"] == len(between_persons) > 0
    assert counts["Sanction"] == (stats.edges_by_type.get("LISTED_ON", 0)
                                  + stats.edges_by_type.get("DESIGNATED_EXTREMIST", 0))
    (family,) = [e for e in exported if e["schema"] == "Family"
                 and e["properties"]["relative"] == ["iskander-yerimbetov"]]
    assert family["properties"]["person"] == ["bota-jardemalie"]
    assert family["properties"]["relationship"] == ["brother"]


def test_a_listing_is_a_measure_never_a_risk_finding(exported: list[dict[str, Any]]) -> None:
    listings = [e for e in exported if e["schema"] == "Sanction"
                and e["properties"]["entity"] == ["marat-zhylanbayev"]]
    assert listings and all("Financial Monitoring Agency of Kazakhstan"
                            in s["properties"]["authority"] for s in listings)
    person = next(e for e in exported if e["id"] == "marat-zhylanbayev")
    assert MEASURE_TOPIC in person["properties"]["topics"]
    topics = {t for e in exported for t in e["properties"].get("topics", [])}
    assert not topics & RISK_TOPICS


def test_every_entity_carries_its_source_as_provenance(exported: list[dict[str, Any]]) -> None:
    sourced = [e for e in exported if e["schema"] != "Document"]
    assert all(e["properties"].get("publisher") and e["properties"].get("proof") for e in sourced)
    urls = {u for e in sourced for u in e["properties"].get("sourceUrl", [])}
    assert "https://rus.azattyq.org/a/32899148.html" in urls
