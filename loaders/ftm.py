"""Import a FollowTheMoney entity stream (an OpenSanctions or Aleph export) as cited records.

Only what has a counterpart in the vocabulary is imported; everything else is
counted in the report with the reason it was skipped. Only structured facts are
taken over: names, dates, countries, relationships. Free text (`notes`,
`description`, a sanction's `reason`) and topics are never imported, because in
sanctions data they are the listing authority's own justification. In particular
OpenSanctions tags persons on Kazakhstan's Financial Monitoring Agency list with
`sanction` and `crime.terror`: such a listing becomes a LISTED_ON measure against
the person on the `kz-afm-list` node, and the `crime.terror` topic becomes nothing
at all, neither a role, nor a finding, nor a description.

Every imported record cites one `source` node for the stream (created by the
importer unless it exists), with the entity's FtM id in the citation's note.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from followthemoney.proxy import EntityProxy
from followthemoney.types import registry
from pydantic import ValidationError

from graph.errors import InvalidData, Problem
from graph.identity import Candidate, Judgement, entity_candidate
from graph.results import SensitivityChange, WriteReport
from graph.review import ReviewFiles
from graph.search import fold
from graph.store import GraphStore, merge_edge, merge_node
from loaders.ftm_stream import Entity, read_entities
from loaders.linking import LINKED_KINDS, near_entities
from schema.ftm import PARTY_ROLES, SCHEMA_EDGE, SCHEMA_KIND, PropertyMap, properties_of
from schema.models import Citation, Edge, Node
from schema.vocabulary import RELATIONS, NodeKind, is_valid_id


@dataclass(frozen=True)
class KnownList:
    """A list already in the graph, recognised in a sanction's authority, program or dataset."""

    id: str
    name: str
    phrases: tuple[str, ...]


KNOWN_LISTS = (KnownList(
    "kz-afm-list",
    "List of Organisations and Persons Associated with the Financing of Terrorism and Extremism",
    ("financial monitoring", "afm", "afmrk", "kz afm")),)


@dataclass
class FtmReport:
    """What an import read, what it made of it, and what it skipped and why."""

    read: Counter[str] = field(default_factory=Counter)
    imported: Counter[str] = field(default_factory=Counter)
    skipped: dict[str, Counter[str]] = field(default_factory=dict)
    ignored_topics: Counter[str] = field(default_factory=Counter)
    matched: dict[str, str] = field(default_factory=dict)
    #: new entities whose names are near stored ones: for an editor (`loaders.linking`)
    candidates: list[Candidate] = field(default_factory=list)
    #: by FtM id, new entities whose name or alias folds equal to exactly one stored
    #: entity's of their kind: joined by an automatic identity decision where there is a
    #: review queue (`link_exact`), else left candidates like the near ones
    exact: dict[str, Candidate] = field(default_factory=dict)
    #: the automatic decisions made, by candidate id (`repgraph review show/undo`)
    decided: list[str] = field(default_factory=list)
    write: WriteReport | None = None
    #: of every stream's write, where `write` is the last stream's
    sensitivity_changes: list[SensitivityChange] = field(default_factory=list)

    def skip(self, schema: str, reason: str) -> None:
        self.skipped.setdefault(schema, Counter())[reason] += 1

    def summary(self) -> str:
        lines = [f"read {sum(self.read.values())} entities: " + ", ".join(
            f"{s} {n}" for s, n in sorted(self.read.items()))]
        lines.append("imported: " + (", ".join(f"{s} {n}" for s, n in sorted(self.imported.items()))
                                     or "nothing"))
        lines += [f"matched {ftm_id} to existing {node_id}: its own record, joined by an "
                  "automatic identity decision (exact name or alias)" for ftm_id, node_id in
                  sorted(self.matched.items())]
        if self.decided:
            lines.append("decided 'same' by import:ftm, to see or take back with repgraph "
                         "review show/undo: " + ", ".join(self.decided))
        lines += [f"near {c.incoming.name} [{c.incoming.id}] ~ {c.stored.name} [{c.stored.id}] "
                  f"({c.how}, score {c.score:g}): for review, not linked"
                  for c in self.candidates]
        for schema, reasons in sorted(self.skipped.items()):
            lines += [f"skipped {n} {schema}: {reason}" for reason, n in sorted(reasons.items())]
        if self.ignored_topics:
            lines.append("topics not imported: " + ", ".join(
                f"{t} ({n})" for t, n in sorted(self.ignored_topics.items())))
        if self.write is not None:
            lines.append(self.write.summary())
        return "\n".join(lines)


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-")


def _date(value: str | None) -> str | None:
    """An FtM date (possibly with a time) as a partial date the graph accepts."""
    if not value:
        return None
    head = value[:10]
    return head if re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", head) else None


def _country(proxy: EntityProxy, *props: str) -> str | None:
    for prop in props:
        code = proxy.first(prop, quiet=True)
        if code:
            return registry.country.caption(code) or code
    return None


def _value(proxy: EntityProxy, row: PropertyMap) -> str | None:
    """The value a property row reads from an entity: its first FtM property that has one."""
    if row.value == "country":
        return _country(proxy, row.ftm, *row.read_also)
    value = next((v for p in (row.ftm, *row.read_also) if (v := proxy.first(p, quiet=True))),
                 None)
    return _date(value) if row.value == "date" else value


class FtmImport:
    """Maps one stream to nodes and edges, resolving entities to existing nodes where certain."""

    def __init__(self, store: GraphStore, source: Node) -> None:
        self.store, self.source = store, source
        self.report = FtmReport()
        self.problems: list[Problem] = []
        self.nodes: dict[str, Node] = {}
        self.edges: dict[str, Edge] = {}
        self.ids: dict[str, str] = {}  # FtM id -> node id
        existing = list(store.iter_nodes())
        self.by_name: dict[tuple[NodeKind, str], set[str]] = {}
        for node in existing:
            for label in (node.name, *node.aliases):
                self.by_name.setdefault((node.kind, fold(label)), set()).add(node.id)
        self.existing = {n.id: n for n in existing}

    def _cite(self, proxy: EntityProxy) -> Citation:
        url = proxy.first("sourceUrl", quiet=True) or self.source.properties.get("url")
        return Citation(source=self.source.id, url=url, note=f"FtM {proxy.schema.name} {proxy.id}")

    def _ours(self, node_id: str) -> bool:
        """Whether a stored record is this stream's source's own (or of no known source)."""
        old = self.existing.get(node_id)
        return old is not None and old.source in (None, self.source.id)

    def _node_id(self, proxy: EntityProxy, kind: NodeKind) -> str:
        """The node this entity is: the record this stream's source stored under the FtM id
        (a correction), else the FtM id if it is a free graph id, else a new id derived from
        it. Ids are local to their source: an entity another source defines, under this id
        or under the same name, is never written into; the same name becomes an identity
        decision (`exact_links`)."""
        assert proxy.id is not None
        old = self.existing.get(proxy.id)
        if old is not None and old.kind is kind and self._ours(proxy.id):
            return proxy.id
        if is_valid_id(proxy.id) and proxy.id not in self.existing:
            return proxy.id  # a stream repgraph exported keeps its ids
        slug = "ftm-" + _slug(proxy.id)
        return slug if is_valid_id(slug) else "ftm-" + hashlib.sha1(proxy.id.encode()).hexdigest()[:16]

    def _add_node(self, node: Node) -> None:
        self.nodes[node.id] = merge_node(self.nodes.get(node.id), node)

    def add_entity(self, ent: Entity, file: str) -> None:
        proxy, kind = ent.proxy, SCHEMA_KIND[ent.proxy.schema.name]
        names = proxy.names
        if not names:
            self.report.skip(proxy.schema.name, "no name")
            return
        node_id = self._node_id(proxy, kind)
        self.ids[proxy.id or ""] = node_id
        name = proxy.caption if proxy.caption in names else names[0]
        props = {row.prop: _value(proxy, row) for row in properties_of(kind, "import")}
        props = {k: v for k, v in props.items() if v}
        try:
            old = self.existing.get(node_id) if self._ours(node_id) else None
            if old is not None:  # keep what the graph says; only add names, facts and a citation
                node = old.model_copy(update={
                    "aliases": [n for n in names if n != old.name],
                    "properties": {**props, **old.properties}, "citations": [self._cite(proxy)]})
                Node.model_validate(node.model_dump())
            else:
                node = Node(id=node_id, kind=kind, name=name,
                            aliases=[n for n in names if n != name], properties=props,
                            citations=[self._cite(proxy)], source=self.source.id)
        except ValidationError as exc:
            for err in exc.errors():
                self.problems.append(Problem(file, ent.line, ".".join(map(str, err["loc"])),
                                             err["msg"]))
            return
        self._add_node(node)
        self.report.imported[proxy.schema.name] += 1

    def exact_links(self, new: Iterable[Node]) -> dict[str, Candidate]:
        """By FtM id, the new entities whose name or alias folds equal to exactly one stored
        entity's of their kind: certain enough to decide, never to write into its record."""
        ftm_ids = {node_id: ftm_id for ftm_id, node_id in self.ids.items()}
        found: dict[str, Candidate] = {}
        for node in new:
            if node.kind not in LINKED_KINDS or node.group or node.id not in ftm_ids:
                continue
            same = set().union(*(self.by_name.get((node.kind, fold(label)), set())
                                 for label in (node.name, *node.aliases))) - {node.id}
            if len(same) == 1:
                stored = self.existing[same.pop()]
                found[ftm_ids[node.id]] = entity_candidate(stored, node, 100.0, "exact",
                                                           "import:ftm")
        return found

    def kind_of(self, node_id: str) -> NodeKind | None:
        node = self.nodes.get(node_id) or self.existing.get(node_id)
        return node.kind if node is not None else None

    def add_edge(self, ent: Entity, file: str, type_: str, src: str | None,
                 tgt: str | None, counted_as: str | None = None, **props: Any) -> None:
        """An edge between two resolved node ids (None: that end was not imported)."""
        schema = counted_as or ent.proxy.schema.name
        if src is None or tgt is None:
            self.report.skip(schema, "an end was not imported")
            return
        rel, src_kind, tgt_kind = RELATIONS[type_], self.kind_of(src), self.kind_of(tgt)
        if src_kind not in rel.sources or tgt_kind not in rel.targets:
            self.report.skip(schema, f"{type_} cannot join a {src_kind} to a {tgt_kind}")
            return
        proxy = ent.proxy
        date = _date(proxy.first("listingDate", quiet=True) or proxy.first("startDate", quiet=True)
                     or proxy.first("date", quiet=True))
        try:
            edge = Edge(type=type_, source=src, target=tgt, date=date,
                        end=_date(proxy.first("endDate", quiet=True)),
                        properties={k: v for k, v in props.items() if v},
                        citations=[self._cite(proxy)])
        except ValidationError as exc:
            for err in exc.errors():
                self.problems.append(Problem(file, ent.line, ".".join(map(str, err["loc"])),
                                             err["msg"].removeprefix("Value error, ")))
            return
        self.edges[edge.id] = merge_edge(self.edges.get(edge.id), edge)
        self.report.imported[schema] += 1

    def known_list(self, *texts: str) -> KnownList | None:
        haystack = f" {' '.join(fold(t) for t in texts)} "
        return next((k for k in KNOWN_LISTS if any(f" {p} " in haystack for p in k.phrases)), None)

    def list_node(self, ent: Entity) -> str | None:
        """The list a Sanction puts its entity on: a known list, or one named by the program."""
        proxy = ent.proxy
        texts = [*proxy.get("authority"), *proxy.get("program"), *proxy.get("programId"),
                 *proxy.get("sourceUrl"), *ent.data.get("datasets", [])]
        known = self.known_list(*texts)
        if known is not None:
            if self.kind_of(known.id) is None:
                self._add_node(Node(id=known.id, kind=NodeKind.LIST, name=known.name,
                                    citations=[self._cite(proxy)]))
            return known.id
        title = proxy.first("program") or proxy.first("authority")
        if not title:
            return None
        list_id = "ftm-list-" + _slug(title)[:100].strip("-")
        if self.kind_of(list_id) is None:
            self._add_node(Node(id=list_id, kind=NodeKind.LIST, name=title,
                                properties={"list_type": "sanctions list"},
                                citations=[self._cite(proxy)]))
        return list_id

    def add_relationship(self, ent: Entity, file: str) -> None:
        proxy, schema = ent.proxy, ent.proxy.schema.name
        ends = {p: self.ids.get(proxy.first(p, quiet=True) or "")
                for p in ("entity", "party", "case")}
        if schema in SCHEMA_EDGE:
            row = SCHEMA_EDGE[schema]
            extra: dict[str, Any] = {prop: proxy.first(ftm_prop, quiet=True)
                                     for prop, ftm_prop in row.properties}
            if row.type == "FAMILY_OF":  # a relation it must have
                extra["relation"] = extra["relation"] or "relative"
            self.add_edge(ent, file, row.type, self.ids.get(proxy.first(row.source) or ""),
                          self.ids.get(proxy.first(row.target) or ""), **extra)
        elif schema == "Sanction":
            list_id = self.list_node(ent) if ends["entity"] else None
            if ends["entity"] is None:
                self.report.skip(schema, "the sanctioned entity was not imported")
            elif list_id is None:
                self.report.skip(schema, "names neither a program nor an authority")
            else:
                self.add_edge(ent, file, "LISTED_ON", ends["entity"], list_id)
        elif schema == "CourtCaseParty":
            roles = " ".join(fold(r) for r in proxy.get("role"))
            party_type = next((t for word, t in PARTY_ROLES if word in roles), None)
            if party_type is None:
                self.report.skip(schema, "party role not recognised: "
                                 + (", ".join(proxy.get("role")) or "none given"))
            else:
                self.add_edge(ent, file, party_type, ends["party"], ends["case"])
        else:
            self.report.skip(schema, "no counterpart in the repgraph vocabulary")

    def listings_from_topics(self, ent: Entity, file: str, sanctioned: set[str]) -> None:
        """A person tagged `sanction` by a dataset of a known list, with no Sanction entity."""
        proxy = ent.proxy
        if "sanction" not in proxy.get("topics") or proxy.id in sanctioned:
            return
        known = self.known_list(*ent.data.get("datasets", []))
        node_id = self.ids.get(proxy.id or "")
        if known is not None and node_id is not None:
            if self.kind_of(known.id) is None:
                self._add_node(Node(id=known.id, kind=NodeKind.LIST, name=known.name,
                                    citations=[self._cite(proxy)]))
            self.add_edge(ent, file, "LISTED_ON", node_id, known.id,
                          counted_as="listing from the sanction topic")


def stream_source(path: Path, source_id: str | None = None, url: str | None = None,
                  name: str | None = None) -> Node:
    """The `source` node every record of the stream cites."""
    # a file name may have nothing to slug (":") or too much (ids are at most 120 long)
    stem = _slug(path.stem)[:100].strip("-") or "stream"
    try:
        return Node(id=source_id or "ftm-" + stem, kind=NodeKind.SOURCE,
                    name=name or f"FollowTheMoney entities from {path.name}",
                    properties={k: v for k, v in {"path": str(path), "url": url}.items() if v})
    except ValidationError as exc:
        raise InvalidData([Problem(str(path), None, "source." + ".".join(map(str, e["loc"])),
                                   e["msg"].removeprefix("Value error, "))
                           for e in exc.errors()]) from exc


def read_ftm(path: Path, store: GraphStore, source: Node | None = None,
             ) -> tuple[list[Node], list[Edge], FtmReport]:
    """Map one entity stream to records; raise `InvalidData` with every problem found."""
    source = store.find_nodes([source.id]).get(source.id, source) if source else stream_source(path)
    importer = FtmImport(store, source)
    entities = read_entities(path, importer.problems)
    report = importer.report
    for ent in entities:
        report.read[ent.proxy.schema.name] += 1
        report.ignored_topics.update(ent.proxy.get("topics", quiet=True))
        if ent.proxy.schema.name in SCHEMA_KIND:
            importer.add_entity(ent, str(path))
    sanctioned = {e.proxy.first("entity") for e in entities if e.proxy.schema.name == "Sanction"}
    for ent in entities:
        if ent.proxy.schema.name not in SCHEMA_KIND:
            importer.add_relationship(ent, str(path))
        elif ent.proxy.schema.name == "Person":
            importer.listings_from_topics(ent, str(path), {s for s in sanctioned if s})
    if importer.problems:
        raise InvalidData(importer.problems)
    nodes = [importer.source, *importer.nodes.values()]
    new = [n for n in importer.nodes.values() if n.id not in importer.existing]
    report.exact = importer.exact_links(new)
    exact = {c.id for c in report.exact.values()}
    report.candidates = [c for c in near_entities(new, importer.existing.values(), "import:ftm")
                         if c.id not in exact]
    return nodes, list(importer.edges.values()), report


def link_exact(exact: dict[str, Candidate], store: GraphStore, review: ReviewFiles,
               report: FtmReport) -> None:
    """Join each exact pair by an automatic "same" decision, proposed and decided in the review
    queue (so that `repgraph review show/undo` work on it), kept with the decisions made over
    the API. A pair decided before (by anyone: an editor's undo or "different" included)
    keeps that decision; a pair not joined stays a candidate."""
    review.propose(exact.values())
    latest = review.resolver().latest
    for ftm_id, candidate in sorted(exact.items(), key=lambda pair: pair[0]):
        if candidate.id not in latest:
            review.decide(store, candidate.id, Judgement.SAME, by="import:ftm", over_api=True,
                          note="exact name or alias")
            report.decided.append(candidate.id)
        decided = review.resolver().decided(candidate.id)
        if decided is not None and decided.judgement is Judgement.SAME:
            report.matched[ftm_id] = decided.stored
        else:
            report.candidates.append(candidate)


def load_ftm(paths: Iterable[Path], store: GraphStore, *, source_id: str | None = None,
             source_url: str | None = None, source_name: str | None = None,
             review: ReviewFiles | None = None) -> FtmReport:
    """Import each stream in one atomic write per stream; nothing is written if a stream is bad.

    Each entity is its own record under its source; one whose name is exactly a stored
    entity's is joined to it by an automatic decision in `review` (without one, it is only
    a candidate)."""
    report = FtmReport()
    for path in paths:
        source = stream_source(path, source_id, source_url, source_name)
        nodes, edges, one = read_ftm(path, store, source)
        one.write = store.write(nodes, edges)
        for name in ("read", "imported", "ignored_topics"):
            getattr(report, name).update(getattr(one, name))
        for schema, reasons in one.skipped.items():
            report.skipped.setdefault(schema, Counter()).update(reasons)
        report.candidates += one.candidates
        if review is None:
            report.candidates += one.exact.values()
        else:
            link_exact(one.exact, store, review, report)
        report.write = one.write
        report.sensitivity_changes += one.write.sensitivity_changes
    return report
