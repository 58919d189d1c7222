"""A `ViewGraph` as pyvis network data plus side-panel details, ready to embed in a page.

pyvis builds the vis-network node and edge records and the base options; the
options are then tightened for large, static networks (no physics, straight
edges). Node titles are plain strings, which vis-network 9 shows with
`innerText`; nothing here is ever meant to be parsed as HTML.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass, field
from typing import Any

import orjson
from markupsafe import Markup
from pyvis.network import Network

from api.views.astext import TextView
from api.views.layout import Positions
from api.views.present import Presenter, Record
from api.views.style import (
    KIND_STYLES,
    RESTRICTED_COLOUR,
    edge_colour,
    edge_dashed,
    is_measure,
    kind_label,
    relation_label,
)
from api.views.subgraphs import ViewGraph
from graph.generic import is_generic
from schema.models import Citation, Node
from schema.vocabulary import NodeKind

LABEL_MAX = 42
BIG_VIEW = 300  # edges; above this, edges are hidden while dragging or zooming
#: nodes; above this, a label is drawn only once zoomed in far enough to read it
CROWDED = 150
LABEL_THRESHOLD = 10  # px on screen below which a crowded view leaves a label out
#: a generic actor with more links than this in a view starts collapsed into a badge; with
#: fewer it buries nothing, and its links may be what the view is about (the relatives view)
GENERIC_FOLD = 4
CURVE_STEP = 0.35  # how much further each pair of parallel edges bends (`fanned_out`)

_OPTIONS: dict[str, Any] = {
    "physics": {"enabled": False},
    "layout": {"improvedLayout": False},
    "nodes": {
        "size": 14,
        "borderWidth": 1.5,
        "font": {"size": 14, "color": "#202124", "strokeWidth": 4, "strokeColor": "#ffffff",
                 "face": "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif"},
    },
    "edges": {
        "smooth": False,
        "width": 1.4,
        "selectionWidth": 2,
        "color": {"inherit": False},
        "arrows": {"to": {"scaleFactor": 0.55}},
        "font": {"size": 11, "color": "#3c4043", "strokeWidth": 3, "strokeColor": "#ffffff",
                 "align": "middle"},
    },
    "interaction": {"hover": True, "tooltipDelay": 150, "navigationButtons": False,
                    "keyboard": {"enabled": True, "bindToWindow": False, "autoFocus": False}},
}


@dataclass
class NetworkView:
    """What a view page needs: the JSON for the browser and counts for the text around it."""

    data: dict[str, Any]
    kinds: list[NodeKind]
    node_count: int
    edge_count: int
    has_restricted: bool
    has_measures: bool
    has_uncertain: bool
    #: the same entities and relationships as tables, for the page's text alternative
    text: TextView = field(default_factory=TextView)


def _short(text: str) -> str:
    return text if len(text) <= LABEL_MAX else text[: LABEL_MAX - 1].rstrip() + "…"


def _merge(base: dict[str, Any], extra: dict[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in extra.items():
        out[key] = _merge(out[key], value) if isinstance(value, dict) and isinstance(
            out.get(key), dict) else value
    return out


def _node_style(node: Node, centre: bool) -> dict[str, Any]:
    style = KIND_STYLES[node.kind]
    if node.restricted:
        return {"shape": style.shape, "color": {"background": "#ffffff", "border": RESTRICTED_COLOUR},
                "borderWidth": 2, "shapeProperties": {"borderDashes": [4, 3]}}
    extra: dict[str, Any] = {"shape": style.shape, "color": style.colour}
    if centre:
        extra.update(size=22, borderWidth=3, font={"size": 16, "bold": True})
    return extra


def fanned_out(ends: list[tuple[str, str]]) -> dict[int, dict[str, Any]]:
    """A curve of its own for each of several edges joining the same two nodes, by the
    edge's position in `ends`; an edge alone between its two nodes stays straight.

    Drawn straight, a family tie and the pressure through it would lie on top of each
    other, labels and all. The curves alternate sides and bend further out two by two.
    vis-network bends clockwise or anticlockwise as seen from an edge's own `from`, so an
    edge drawn the other way round takes the opposite direction to land on its side.
    """
    pairs: dict[tuple[str, str], list[int]] = {}
    for number, (a, b) in enumerate(ends):
        pairs.setdefault((min(a, b), max(a, b)), []).append(number)
    curves: dict[int, dict[str, Any]] = {}
    for (first, _), numbers in pairs.items():
        if len(numbers) < 2:
            continue
        for rank, number in enumerate(numbers):
            clockwise = (rank % 2 == 0) == (ends[number][0] == first)
            curves[number] = {"enabled": True, "type": "curvedCW" if clockwise else "curvedCCW",
                              "roundness": round(CURVE_STEP * (rank // 2 + 1), 3)}
    return curves


def build_network(graph: ViewGraph, positions: Positions, presenter: Presenter,
                  centre: str | None = None) -> NetworkView:
    by_id = {n.id: n for n in graph.nodes}
    net = Network(directed=True)
    net.toggle_physics(False)
    details: dict[str, dict[str, Any]] = {}
    generic: list[str] = []  # drawn collapsed at first (explore.js): their links reach everyone
    links = Counter(end for e in graph.edges for end in (e.source, e.target))
    excerpts: dict[str, str | None] = {}  # a citation's href -> the words it points at
    text = TextView()
    for node in graph.nodes:
        x, y = positions.get(node.id, (0.0, 0.0))
        net.add_node(node.id, label=_short(node.name),
                     title=f"{node.name}\n{kind_label(node.kind)}", x=x, y=y, physics=False,
                     **_node_style(node, centre == node.id))
        details[f"n:{node.id}"] = _record(presenter.node(node))
        text.add_entity(node)
        if is_generic(node) and node.id != centre and links[node.id] > GENERIC_FOLD:
            generic.append(node.id)
        _excerpts(presenter, node.citations, excerpts)
    curves = fanned_out([(e.source, e.target) for e in graph.edges])
    for number, edge in enumerate(graph.edges):
        source, target = by_id[edge.source], by_id[edge.target]
        eid = edge.id  # stable, so that a step added in place (`/viz/expand`) merges with it
        label = relation_label(edge.type)
        curve = {"smooth": curves[number]} if number in curves else {}
        net.add_edge(edge.source, edge.target, id=eid, label=label,
                     title=f"{source.name} — {label} — {target.name}",
                     arrows="to" if edge.directed else "",
                     color={"color": edge_colour(edge.type), "highlight": edge_colour(edge.type)},
                     dashes=edge_dashed(edge.certainty), **curve)
        record = presenter.edge(edge, source, target)
        details[f"e:{eid}"] = _record(record)
        text.add_relation(edge, source, target, record.citations)
        _excerpts(presenter, edge.citations, excerpts)
    big = len(graph.edges) > BIG_VIEW
    options = _merge(orjson.loads(net.options.to_json()), _OPTIONS)
    if len(graph.nodes) > CROWDED:
        options = _merge(options, {"nodes": {"scaling": {"label": {
            "drawThreshold": LABEL_THRESHOLD}}}})
    if big:
        # Drawing thousands of outlined labels costs most of a frame in software
        # rendering: hide edges while moving, and label them only when zoomed in.
        options = _merge(options, {
            "interaction": {"hideEdgesOnDrag": True, "hideEdgesOnZoom": True},
            "edges": {"font": {"strokeWidth": 0}, "scaling": {"label": {"drawThreshold": 8}}},
        })
    return NetworkView(
        data={"nodes": net.nodes, "edges": net.edges, "options": options, "details": details,
              "generic": generic, "centre": centre,
              "excerpts": {href: words for href, words in excerpts.items() if words}},
        kinds=[k for k in NodeKind if any(n.kind is k for n in graph.nodes)],
        node_count=len(net.nodes), edge_count=len(net.edges),
        has_restricted=any(n.restricted for n in graph.nodes),
        has_measures=any(is_measure(e.type) for e in graph.edges),
        has_uncertain=any(edge_dashed(e.certainty) for e in graph.edges),
        text=text.sorted(),
    )


def _excerpts(presenter: Presenter, citations: list[Citation],
              out: dict[str, str | None]) -> None:
    """The cited paragraphs' opening words, each looked up once however many cite it."""
    for citation in citations:
        if citation.href not in out:
            out[citation.href] = presenter.excerpt(citation)


def _record(record: Record) -> dict[str, Any]:
    return asdict(record)


def script_json(value: object) -> Markup:
    """JSON that can sit inside a <script> element: no `<`, `>` or `&` survives literally.

    The page reads it with `JSON.parse(element.textContent)`, so a name such as
    `</script><script>alert(1)</script>` stays a string.
    """
    text = orjson.dumps(value).decode()
    for char, escape in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"),
                         ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(char, escape)
    return Markup(text)
