"""What each source brings to the record: what it defines, and which people and cases it
adds to the graph or confirms.

Sources are read in the order they were published. A person or case counts once, as the
entity the identity decisions make of it (`graph.resolved`): the first source that states it
adds it, and every later one that states it again confirms it. So a list that names the
same prisoners in each of its updates adds them once, in its first version.
"""

from __future__ import annotations

from collections.abc import Mapping

from pydantic import BaseModel, Field

from graph.results import NodeRef
from graph.store import GraphStore
from schema.models import Node
from schema.vocabulary import NodeKind

#: the kinds whose distinct entities are counted per source
COUNTED = {NodeKind.PERSON: "people", NodeKind.CASE: "cases"}


class SourceCoverage(BaseModel):
    source: NodeRef
    date: str | None = None
    nodes: int = Field(0, description="Records the source defines (ids local to it).")
    relationships: int = Field(0, description="Relationships citing it.")
    people_added: int = Field(0, description="Distinct people no earlier source states.")
    people_confirmed: int = Field(0, description="Distinct people an earlier source states.")
    cases_added: int = 0
    cases_confirmed: int = 0


class Coverage(BaseModel):
    sources: list[SourceCoverage]
    people: int = Field(description="Distinct people across every source, each once.")
    cases: int = Field(description="Distinct cases across every source, each once.")


def coverage(store: GraphStore) -> Coverage:
    """Per source, oldest first; groups (an unnamed number of people) are not counted."""
    base: GraphStore = getattr(store, "stored", store)
    redirects: Mapping[str, str] = store.redirects() if hasattr(store, "redirects") else {}
    nodes = list(base.iter_nodes())
    sources = sorted((n for n in nodes if n.kind is NodeKind.SOURCE),
                     key=lambda s: (not s.properties.get("date"),
                                    str(s.properties.get("date", "")), s.id))
    rows = {s.id: SourceCoverage(source=NodeRef.of(s), date=s.properties.get("date"))
            for s in sources}
    stated: dict[str, dict[str, set[str]]] = {s.id: {k: set() for k in COUNTED.values()}
                                              for s in sources}
    for node in nodes:
        if node.source in rows and node.kind is not NodeKind.SOURCE:
            rows[node.source].nodes += 1
        if node.kind in COUNTED and not node.group:
            for source in _stating(node, rows):
                stated[source][COUNTED[node.kind]].add(redirects.get(node.id, node.id))
    for edge in base.iter_edges():
        for source in {c.source for c in edge.citations} & rows.keys():
            rows[source].relationships += 1
    seen: dict[str, set[str]] = {k: set() for k in COUNTED.values()}
    for source in rows:
        for what, ids in stated[source].items():
            setattr(rows[source], f"{what}_added", len(ids - seen[what]))
            setattr(rows[source], f"{what}_confirmed", len(ids & seen[what]))
            seen[what] |= ids
    return Coverage(sources=list(rows.values()), people=len(seen["people"]),
                    cases=len(seen["cases"]))


def _stating(node: Node, sources: Mapping[str, object]) -> set[str]:
    """The sources that state an entity: the one that defines it, and any its citations
    name (a source adding its own citation to another's record)."""
    named = {c.source for c in node.citations} | ({node.source} if node.source else set())
    return named & sources.keys()
