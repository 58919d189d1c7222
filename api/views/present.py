"""Nodes, edges and citations as a reader sees them: plain strings.

The network side panel and the entity page both show these records, so the
wording lives in one place. The records come from the store the page reads (the
public view for the public), so nothing here decides what may be shown. Everything
returned is plain text or an http(s) URL; escaping is the template's or the DOM's job.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from api.views.style import kind_label, relation_label
from graph.explain import phrase, words
from graph.store import GraphStore
from schema.models import Citation, Edge, Node
from schema.vocabulary import (
    KIND_PROPERTIES,
    RELATIONS,
    Certainty,
    NodeKind,
    Prop,
    date_words,
)

if TYPE_CHECKING:
    from api.views.reader import Readings


@dataclass(frozen=True)
class CitationView:
    text: str
    url: str | None
    #: the same-origin page where the source says it (`Citation.href`)
    href: str


@dataclass
class Record:
    """One node or edge as shown in a side panel or on a page."""

    heading: str
    kind: str
    facts: list[tuple[str, str]] = field(default_factory=list)
    citations: list[CitationView] = field(default_factory=list)
    links: list[tuple[str, str]] = field(default_factory=list)  # (text, same-origin href)
    restricted: bool = False


#: properties a page does not list: where a source's text was kept (an internal path) and
#: its footnote list, both of which its reader (`/sources/{id}`) shows as links instead
_NOT_SHOWN = {(NodeKind.SOURCE, "path"), (NodeKind.SOURCE, "footnotes")}


def safe_url(url: object) -> str | None:
    """Only web links are ever rendered; anything else (javascript:, data:) is dropped."""
    if not isinstance(url, str):
        return None
    parts = urlsplit(url.strip())
    return url.strip() if parts.scheme in ("http", "https") and parts.netloc else None


def _parts(value: list[dict[str, object]]) -> str:
    """Sub-counts in words: "10 went to trial (2022)"."""
    return "; ".join(f"{p['count']} {p['of']}" + (f" ({p['date']})" if p.get("date") else "")
                     for p in value)


def value_words(value: object) -> str:
    """A stored value as a reader reads it: sub-counts, yes/no, codes and durations in words."""
    if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
        return _parts(value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return ", ".join(words(v) for v in value)
    if isinstance(value, dict):
        return f"{len(value)} entries"
    return words(value)  # codes and durations in words: "pre trial detention", "7 years"


#: names of properties that read badly spelt from their keys ("Org type")
_PROPERTY_WORDS = {"org_type": "type of organisation", "agency_type": "type of agency",
                   "case_type": "type of case", "event_type": "type of event",
                   "list_type": "type of list", "triggered_by": "triggered by"}


def _declared(owner: str, key: str) -> Prop | None:
    """The property `key` as a node kind or a relationship type (`owner`) declares it."""
    if owner in RELATIONS:
        return RELATIONS[owner].properties.get(key)
    kinds = {kind.value: kind for kind in NodeKind}
    return KIND_PROPERTIES[kinds[owner]].get(key) if owner in kinds else None


def property_words(owner: str, key: str) -> str:
    """A property of a node kind or relationship type (`owner`) named for a label: a date says
    what it dates (`date_words`: a source's "date" is when it was "Published"), other keys
    are spelt out in words."""
    spec = _declared(owner, key)
    if spec is not None and spec.type == "date":
        return date_words(owner, key).capitalize()
    return (_PROPERTY_WORDS.get(key) or key.replace("_", " ")).capitalize()


def certainty_words(certainty: Certainty, claimed_by: str | None) -> str:
    """How a source holds a fact, with who claims it when it is a claim: "alleged, according
    to the prosecution"; a fact the source states itself is "stated by the source"."""
    if certainty is Certainty.STATED:
        return "stated by the source"
    return f"{certainty.value}, according to {claimed_by or 'unknown'}"


class Presenter:
    """Turns records into `Record`s, looking up source documents for citation titles and,
    given their texts (`readings`), the words a citation points at."""

    def __init__(self, store: GraphStore, readings: Readings | None = None) -> None:
        self.store = store
        self.readings = readings
        self._sources: dict[str, Node] = {}

    def load_sources(self, citations: Iterable[Citation]) -> None:
        wanted = {c.source for c in citations} - self._sources.keys()
        if wanted:
            self._sources.update(self.store.find_nodes(wanted))

    def citation(self, citation: Citation) -> CitationView:
        source = self._sources.get(citation.source)
        title = source.name if source else citation.source
        parts = [title]
        if citation.paragraph:
            parts.append(f"para. {citation.paragraph}")
        if citation.footnote is not None:
            parts.append(f"footnote {citation.footnote}")
        note = citation.note
        text = ", ".join(parts) + (f" ({note})" if note else "")
        url = safe_url(citation.url) or (safe_url(source.properties.get("url")) if source else None)
        return CitationView(text=text, url=url, href=citation.href)

    def excerpt(self, citation: Citation) -> str | None:
        """The opening words of the cited paragraph, when its source's text is held."""
        source = self._sources.get(citation.source)
        if self.readings is None or source is None or not citation.paragraph:
            return None
        return self.readings.excerpt(self.store, source, citation.paragraph)

    def _named(self, ref: object) -> str:
        """A record named by id in a property, by its name as this audience knows it."""
        found = self.store.find_nodes([str(ref)]).get(str(ref))
        return found.name if found is not None else str(ref)

    def node(self, node: Node) -> Record:
        self.load_sources(node.citations)
        facts: list[tuple[str, str]] = []
        if node.restricted:
            facts.append(("Note", "Restricted: this person's identity is withheld from the "
                                  "public to protect them."))
        if node.aliases:
            facts.append(("Also known as", ", ".join(node.aliases)))
        if node.description:
            facts.append(("Description", node.description))
        if node.roles:
            facts.append(("Roles", value_words(node.roles)))
        if node.status:
            facts.append(("Status", value_words(node.status)))
        if node.group and node.count is not None:
            facts.append(("Number", f"{node.count_qualifier or ''} {node.count}".strip()))
        spec = KIND_PROPERTIES[node.kind]
        for key, value in node.properties.items():
            if (node.kind, key) not in _NOT_SHOWN:
                facts.append((property_words(node.kind.value, key),
                              self._named(value) if spec[key].type == "ref" else value_words(value)))
        return Record(
            heading=node.name[:1].upper() + node.name[1:], kind=kind_label(node.kind),
            facts=facts, citations=[self.citation(c) for c in node.citations],
            links=entity_links(node), restricted=node.restricted,
        )

    def edge(self, edge: Edge, source: Node, target: Node) -> Record:
        self.load_sources(edge.citations)
        heading = f"{source.name} {phrase(edge.type, edge.properties)} {target.name}"
        facts = [("Relationship", relation_label(edge.type))]
        if edge.date:
            facts.append(("Date", f"{edge.date} to {edge.end}" if edge.end else edge.date))
        if edge.certainty is not Certainty.STATED:
            facts.append(("Certainty", certainty_words(edge.certainty, edge.claimed_by)))
        spec = RELATIONS[edge.type].properties
        for key, value in edge.properties.items():
            facts.append((property_words(edge.type, key),
                          self._named(value) if spec[key].type == "ref" else value_words(value)))
        return Record(heading=heading, kind="Relationship", facts=facts,
                      restricted=source.restricted or target.restricted,
                      citations=[self.citation(c) for c in edge.citations])


def entity_links(node: Node) -> list[tuple[str, str]]:
    """Same-origin links from an entity to its page and views."""
    links = [("Entity page", f"/entities/{node.id}"),
             ("Network around it", f"/viz/entity/{node.id}")]
    if node.kind is NodeKind.CASE:
        links.append(("Case network", f"/viz/case/{node.id}"))
    if node.kind is NodeKind.SOURCE:
        links.append(("Read the source", f"/sources/{node.id}"))
    return links
