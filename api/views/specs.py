"""Each view as a `ViewSpec`: its title, its canonical URL and the part of the graph it shows.

The canonical URL (after `/viz` or `/embed`) names entities by id and lists
filters in a fixed order, so an embed pasted into an article keeps pointing at
the same view while showing current data.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import quote, urlencode

from api.views.present import Presenter
from api.views.relatives import TargetingRow, targeting_rows
from api.views.style import KIND_STYLES
from api.views.subgraphs import (
    ViewGraph,
    case_view,
    entity_view,
    path_view,
    relatives_view,
    whole_view,
)
from config import Settings
from graph import queries
from graph.explain import words
from graph.store import GraphStore
from schema.vocabulary import RELATIONS, NodeKind, relation_words


@dataclass
class ViewSpec:
    title: str
    intro: str
    path: str  # canonical, e.g. "/entity/bota-jardemalie?depth=2"
    graph: ViewGraph
    centre: str | None = None
    controls: str | None = None  # which filter form the full page shows
    form: dict[str, object] = field(default_factory=dict)
    #: a path view's answer in words, and each path's sentences and score terms
    summary: str = ""
    explanations: list[tuple[list[str], list[str]]] = field(default_factory=list)
    #: the relatives view's answer as table rows (None: the view has no table)
    targetings: list[TargetingRow] | None = None


def split_list(values: list[str]) -> list[str]:
    """`?types=A,B&types=C` -> [A, B, C]: accepts both commas and repeated parameters."""
    return [v.strip() for raw in values for v in raw.split(",") if v.strip()]


def _canonical(base: str, params: dict[str, str]) -> str:
    query = urlencode({k: v for k, v in params.items() if v}, safe=",")
    return f"{base}?{query}" if query else base


def parse_types(values: list[str]) -> list[str]:
    types = sorted(set(split_list(values)))
    unknown = [t for t in types if t not in RELATIONS]
    if unknown:
        raise ValueError(f"unknown relationship types: {', '.join(unknown)}; "
                         f"known: {', '.join(sorted(RELATIONS))}")
    return types


def parse_kinds(values: list[str]) -> list[NodeKind]:
    names = set(split_list(values))
    known = {k.value for k in NodeKind}
    unknown = sorted(names - known)
    if unknown:
        raise ValueError(f"unknown kinds: {', '.join(unknown)}; known: {', '.join(sorted(known))}")
    return [k for k in NodeKind if k.value in names]


def entity_spec(store: GraphStore, settings: Settings, entity_id: str,
                depth: int, types: list[str], expand_generic: bool = False) -> ViewSpec:
    limit = min(settings.view_max_nodes, settings.max_page)
    graph = entity_view(store, entity_id, depth=depth, types=types or None, limit=limit,
                        expand_generic=expand_generic)
    name = store.get_node(entity_id).name
    hops = "one step" if depth == 1 else f"{depth} steps"
    filtered = f", through {', '.join(relation_words(t) for t in types)} only" if types else ""
    return ViewSpec(
        title=f"Network around {name}", centre=entity_id, controls="entity",
        intro=f"Everyone and everything within {hops} of {name}{filtered}.",
        path=_canonical(f"/entity/{quote(entity_id)}",
                        {"depth": str(depth), "types": ",".join(types),
                         "expand_generic": "true" if expand_generic else ""}),
        graph=graph, form={"depth": depth, "types": types, "max_depth": settings.max_depth,
                           "expand_generic": expand_generic},
    )


def path_spec(store: GraphStore, source: str, target: str, mode: str,
              avoid: list[str] | None = None, through_generic: bool = False) -> ViewSpec:
    avoid = avoid or []
    graph, found = path_view(store, source, target, mode=mode, avoid=avoid,
                             through_generic=through_generic)
    names = store.find_nodes([source, target, *avoid])
    a, b = names[source].name, names[target].name
    which = {"all": "All shortest connections", "ranked": "The shortest connections, ranked",
             }.get(mode, "The shortest connection")
    around = f", around {', '.join(names[i].name for i in avoid)}" if avoid else ""
    generic = "" if through_generic else ", not through generic actors (a whole state)"
    return ViewSpec(
        title=f"How {a} connects to {b}", controls="path", graph=graph,
        intro=f"{which} between {a} and {b}, in either direction{around}{generic}.",
        path=_canonical("/path", {"source": source, "target": target, "mode": mode,
                                  "avoid": ",".join(avoid),
                                  "through_generic": "true" if through_generic else ""}),
        form={"source": source, "target": target, "mode": mode, "avoid": avoid,
              "source_name": a, "target_name": b,
              "avoid_names": [names[i].name for i in avoid],
              "through_generic": through_generic},
        summary=found.summary,
        explanations=[(p.explanation, p.score_parts) for p in found.paths],
    )


def relatives_spec(store: GraphStore) -> ViewSpec:
    """The graph and the table of one answer of the query, so that the two always agree."""
    found = queries.targeted_through_relatives(store)
    return ViewSpec(
        title="Targeted through relatives", path="/relatives", graph=relatives_view(store, found),
        intro="People pressured through members of their families: the relatives, the person "
              "the pressure was aimed at, and the measures taken against the relatives.",
        targetings=targeting_rows(found, Presenter(store)),
    )


def case_spec(store: GraphStore, case_id: str) -> ViewSpec:
    graph = case_view(store, case_id)
    name = store.get_node(case_id).name
    return ViewSpec(
        title=name, centre=case_id, path=f"/case/{quote(case_id)}", graph=graph,
        intro="The case, its defendants, charges and agencies, and other cases that share them.",
    )


def graph_spec(store: GraphStore, kinds: list[NodeKind]) -> ViewSpec:
    chosen = words([KIND_STYLES[k].label.lower() for k in kinds])  # "people and cases"
    return ViewSpec(
        title="The whole graph" if not kinds else f"The graph: {chosen}",
        intro="Every entity of the chosen kinds and the relationships between them.",
        path=_canonical("/graph", {"kinds": ",".join(k.value for k in kinds)}),
        graph=whole_view(store, frozenset(kinds) or None), controls="graph",
        form={"kinds": [k.value for k in kinds]},
    )
