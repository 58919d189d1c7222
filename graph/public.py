"""The public audience's view of a store: restricted persons as pseudonymous records.

nomenklatura scopes a store with `store.view(scope)`; here the public reads a
`PublicView`, one per version of the store's content, and everything public (API,
pages, embeds, search, exports, the CLI's export) is a query over it. Privacy is
therefore a property of the records the public is handed, not a filter over the
bytes of an answer:

- a restricted record is replaced by one with a pseudonymous id
  (`restricted-` + 16 hex digits: its pinned `pseudonym`, else an HMAC of its id under
  the one secret), the name "a restricted person" and only the fields and properties
  the vocabulary marks `plain`;
- a public record whose id names a restricted person gets an id `redacted-...`;
- every `text` or `identifying` value of the other records has restricted persons'
  names removed (`graph.names`), and relationships touching a restricted record drop
  their `identifying` properties and citation notes;
- the view knows records only by their public ids: a restricted person's real id is
  as unknown to it as an id that was never stored, so "not found" has one shape.

The view is built lazily: creating one costs nothing, the first read makes one pass
over the nodes (which ids are hidden, which words are names), and each record is
rewritten when it is first read, then cached for the life of the view.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import threading
from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel

from graph.deadline import checkpoint, leave_inline
from graph.errors import RepgraphError
from graph.names import PLACEHOLDER, NameMatcher
from graph.redaction import Keys, RedactionKeys
from graph.results import Stats, WriteReport
from graph.store import GraphStore, RawPath
from schema.models import Citation, Edge, Node, Statement, Step, edge_id
from schema.vocabulary import (
    CITATION_FIELD_PRIVACY,
    EDGE_FIELD_PRIVACY,
    KIND_PROPERTIES,
    NODE_FIELD_PRIVACY,
    RELATIONS,
    NodeKind,
    Privacy,
    Prop,
)

_Record = TypeVar("_Record", bound=BaseModel)
_RANK = {Privacy.PLAIN: 0, Privacy.TEXT: 1, Privacy.IDENTIFYING: 2}
RESTRICTED_GROUP = "restricted persons"
#: what a withheld field becomes
_EMPTY: dict[str, Any] = {"aliases": [], "roles": [], "status": [], "history": []}
RESTRICTED_PREFIX, MASKED_PREFIX = "restricted-", "redacted-"
#: in "all shortest paths" mode, how many paths the view asks the store for before it orders
#: them by public ids and keeps the requested number (more may exist: see docs/ethics.md)
PATH_POOL = 1000
_SLUG_WORDS = re.compile(r"[-.]")


def load_secret(data_dir: Path | None, configured: str | None) -> str:
    """The configured secret, else one generated once and kept beside the data (mode 0600)."""
    return RedactionKeys(data_dir, configured).current().secret


class ReadOnlyView(RepgraphError):
    """The public view cannot be written to."""


class PublicView(GraphStore):
    """A read-only `GraphStore` holding what the public may know of `store`."""

    def __init__(self, store: GraphStore, secret: str, version: Hashable,
                 pins: Mapping[str, str] | None = None) -> None:
        self._store = store
        self._secret = secret.encode()
        #: stored id -> the public id it keeps whatever the secret (`graph.redaction`)
        self._pins = pins or {}
        self._version = version
        self.backend = store.backend
        self.checks_deadlines = store.checks_deadlines
        self._lock = threading.Lock()
        self._built = False
        self._matcher = NameMatcher([], [])
        self._public_ids: dict[str, str] = {}  # hidden real id -> public id
        self._real_ids: dict[str, str] = {}  # public id -> hidden real id
        self._restricted: frozenset[str] = frozenset()
        self._named: list[str] = []  # the public ids of the persons the matcher knows, in order
        self._nodes: dict[str, Node] = {}  # real id -> public record
        self._edges: dict[str, Edge] = {}
        self._edge_real: dict[str, str] = {}  # public edge id -> real edge id
        self._incident: dict[str, list[Edge]] = {}  # real node id -> its edges, public order
        self._plain: set[str] = set()  # unstored ids known to name no restricted person

    @property
    def version(self) -> Hashable:
        return self._version

    # -- building ------------------------------------------------------------
    def _build(self) -> None:
        if self._built:
            return
        leave_inline()  # one pass over every node: not for the event loop
        with self._lock:
            if self._built:
                return
            nodes = list(self._store.iter_nodes())
            hidden = [n for n in nodes if n.restricted]
            self._matcher = NameMatcher(
                [(n.name, *n.aliases) for n in hidden if not n.group],
                [label for n in nodes if n.kind is NodeKind.PERSON and not n.restricted
                 and not n.group for label in (n.name, *n.aliases)])
            self._restricted = frozenset(n.id for n in hidden)
            for node in hidden:
                pinned = self._free(RESTRICTED_PREFIX, node.pseudonym, self._pins.get(node.id))
                self._hide(node.id, pinned or self._derive(RESTRICTED_PREFIX, node.id))
            self._named = [self._public_ids[n.id] for n in hidden if not n.group]
            # an id merged into another entity answers with it (`graph.resolved`): it is
            # known by a pseudonym of its own when that entity is restricted
            redirects = self._store.redirects()
            for other, keep in redirects.items():
                if keep in self._restricted:
                    self._hide(other, self._derive(RESTRICTED_PREFIX, other))
            if self._matcher.active:
                ids = [(n.id, n.restricted) for n in nodes]
                ids += [(o, k in self._restricted) for o, k in redirects.items()]
                for node_id, restricted in ids:
                    masked = None if restricted else self._masked(MASKED_PREFIX, node_id)
                    if masked is not None:
                        masked = self._free(MASKED_PREFIX, self._pins.get(node_id)) or masked
                    # two ids that still meet ("case-x-1" named twice) are told apart in the
                    # order the store gives them, which no name decides
                    while masked is not None and masked in self._real_ids:
                        masked = self._derive(MASKED_PREFIX, masked)
                    if masked is not None:
                        self._hide(node_id, masked)
                    elif not restricted:
                        self._plain.add(node_id)  # looked at once: `public_id` need not again
            self._built = True

    def _free(self, prefix: str, *pinned: str | None) -> str | None:
        """The first pinned public id of this prefix that no record has taken yet (a pin on
        the record, then one beside the secret); None: derive one."""
        return next((p for p in pinned if p and p.startswith(prefix)
                     and p not in self._real_ids), None)

    def _derive(self, prefix: str, real_id: str) -> str:
        return prefix + hmac.new(self._secret, real_id.encode(), hashlib.sha256).hexdigest()[:16]

    def _masked(self, prefix: str, slug: str) -> str | None:
        """A public id for a slug that names restricted persons, None if it names none.

        Derived from the slug with each name replaced by its owner's pseudonym and the
        number of words it took, so it is stable, and the same whatever the restricted
        person is called ("case-yerimbetov" and, after a rename, "case-erimbet" get one id),
        while "case-tasbolatova" and "case-aigerim-tasbolatova" get two."""
        text = _SLUG_WORDS.sub(" ", slug)
        mentions = self._matcher.mentions(text)
        if not mentions:
            return None
        parts, last = [], 0
        for start, end, whose in mentions:
            words = len(text[start:end].split())
            parts += [text[last:start], f"{self._named[whose]}/{words}"]
            last = end
        return self._derive(prefix, "".join([*parts, text[last:]]))

    def _hide(self, real_id: str, public_id: str) -> None:
        self._public_ids[real_id] = public_id
        self._real_ids[public_id] = real_id

    def public_id(self, real_id: str) -> str:
        self._build()
        found = self._public_ids.get(real_id)
        if found is not None:
            return found
        if not self._matcher.active or real_id in self._plain:
            return real_id
        return self._unstored(real_id)

    def _unstored(self, real_id: str) -> str:
        """The public id of an id no record has (a cited source document that is not
        stored, a record's defining source): masked like a record's when it names a
        restricted person, else itself."""
        masked = self._masked(MASKED_PREFIX, real_id)
        with self._lock:
            if real_id in self._public_ids:
                return self._public_ids[real_id]
            if masked is None:
                self._plain.add(real_id)
                return real_id
            while masked in self._real_ids:
                masked = self._derive(MASKED_PREFIX, masked)
            self._hide(real_id, masked)
            return masked

    def hidden_ids(self) -> dict[str, str]:
        """Every stored id the public knows by another (a pseudonym or a `redacted-` id), with
        that id: what a rotation of the secret changes, unless pinned."""
        self._build()
        return dict(self._public_ids)

    def _real(self, public_id: str) -> str | None:
        """The stored id a public id stands for; None for an id the public cannot know."""
        self._build()
        if public_id in self._real_ids:
            return self._real_ids[public_id]
        return None if public_id in self._public_ids else public_id

    # -- rewriting records ---------------------------------------------------
    def _node(self, node: Node) -> Node:
        done = self._nodes.get(node.id)
        if done is None:
            done = self._nodes[node.id] = self._rewrite_node(node)
        return done

    def _rewrite_node(self, node: Node) -> Node:
        spec = KIND_PROPERTIES[node.kind]
        if node.restricted:
            # every field not marked plain is withheld (the vocabulary test keeps
            # NODE_FIELD_PRIVACY complete)
            withheld = {f: _EMPTY.get(f) for f, p in NODE_FIELD_PRIVACY.items()
                        if not _shown(p, hidden=True)}
            return node.model_copy(update={
                **withheld, "id": self.public_id(node.id), "pseudonym": None,
                "source": _maybe(self.public_id, node.source),
                "name": RESTRICTED_GROUP if node.group else PLACEHOLDER,
                "properties": {k: v for k, v in node.properties.items()
                               if _shown(spec[k].privacy, hidden=True)},
                "citations": [self._citation(c, hidden=True) for c in node.citations],
                "statements": self._statements(node.statements, _node_field(spec), True,
                                             refs=_refs(spec))})
        scrub = self._matcher.scrub
        return _updated(node, {
            "id": self.public_id(node.id), "name": scrub(node.name),
            "source": _maybe(self.public_id, node.source),
            "aliases": [scrub(a) for a in node.aliases],
            "description": _maybe(scrub, node.description), "pseudonym": None,
            "count_qualifier": _maybe(scrub, node.count_qualifier),
            "properties": self._properties(node.properties, spec, hidden=False),
            "citations": [self._citation(c, hidden=False) for c in node.citations],
            "statements": self._statements(node.statements, _node_field(spec), False,
                                             refs=_refs(spec)),
            "history": [self._step(step) for step in node.history]})

    def _step(self, step: Step) -> Step:
        """A public record's step: its values are vocabulary words, its citations rewritten."""
        return _updated(step, {"citations": [self._citation(c, hidden=False)
                                             for c in step.citations]})

    def _edge(self, edge: Edge) -> Edge:
        done = self._edges.get(edge.id)
        if done is None:
            done = self._edges[edge.id] = self._rewrite_edge(edge)
            self._edge_real[done.id] = edge.id
        return done

    def _rewrite_edge(self, edge: Edge) -> Edge:
        touches = edge.source in self._restricted or edge.target in self._restricted
        source, target = self.public_id(edge.source), self.public_id(edge.target)
        key = edge.key and (self._masked("k", edge.key) or edge.key)
        update = {
            "id": edge_id(edge.type, source, target, key), "source": source, "target": target,
            "key": key, "claimed_by": _maybe(self._matcher.scrub, edge.claimed_by),
            "properties": self._properties(edge.properties, RELATIONS[edge.type].properties,
                                           hidden=touches, withhold=Privacy.IDENTIFYING),
            "citations": [self._citation(c, hidden=touches) for c in edge.citations],
            # the key is part of the id: every statement of it states the edge's own key,
            # which the public knows masked when it names a restricted person
            "statements": [s if s.field != "key" else _updated(s, {"value": key})
                           for s in self._statements(
                               edge.statements, _edge_field(RELATIONS[edge.type].properties),
                               touches, Privacy.IDENTIFYING,
                               _refs(RELATIONS[edge.type].properties))]}
        return _updated(edge, update)

    def _properties(self, values: dict[str, Any], spec: dict[str, Prop], hidden: bool,
                    withhold: Privacy = Privacy.TEXT) -> dict[str, Any]:
        """Plain values as they are, the others scrubbed, those `_shown` withholds left out."""
        shown = {k: v if spec[k].privacy is Privacy.PLAIN else self._scrub_value(v)
                 for k, v in values.items() if _shown(spec[k].privacy, hidden, withhold)}
        for k in [k for k in shown if spec[k].type == "ref"]:
            # a reference names a record: the public knows it by its public id, and not
            # at all when it is a restricted record (its pseudonym would link the two)
            if values[k] in self._restricted:
                del shown[k]
            else:
                shown[k] = self.public_id(values[k])
        return shown

    def _statements(self, statements: Sequence[Statement], privacy: Callable[[str], Privacy],
                    hidden: bool, withhold: Privacy = Privacy.TEXT,
                    refs: frozenset[str] = frozenset()) -> list[Statement]:
        """Each value with its sources, as the record's own fields are shown: left out where
        the field is withheld, scrubbed where it is text, its citations rewritten."""
        out = []
        for statement in statements:
            flag = privacy(statement.field)
            if not _shown(flag, hidden, withhold):
                continue
            value = statement.value if flag is Privacy.PLAIN \
                else self._scrub_value(statement.value)
            if statement.field in refs and isinstance(statement.value, str):
                # a reference, as `_properties` shows it: by its public id, and not at all
                # when it is a restricted record
                if statement.value in self._restricted:
                    continue
                value = self.public_id(statement.value)
            out.append(_updated(statement, {
                "value": value,
                "citations": [self._citation(c, hidden) for c in statement.citations],
                "shown_first": _maybe(self._matcher.scrub, statement.shown_first)}))
        return out

    def _scrub_value(self, value: Any) -> Any:
        if isinstance(value, str):
            return self._matcher.scrub(value)
        if isinstance(value, list):
            return [self._scrub_value(v) for v in value]
        if isinstance(value, dict):
            return {k: self._scrub_value(v) for k, v in value.items()}
        return value

    def _citation(self, citation: Citation, hidden: bool) -> Citation:
        note_shown = _shown(CITATION_FIELD_PRIVACY["note"], hidden)
        url = citation.url if _shown(CITATION_FIELD_PRIVACY["url"], hidden) else None
        return _updated(citation, {
            "source": self.public_id(citation.source),
            # the paragraph is the evidence's address: scrubbed, never withheld
            "paragraph": _maybe(self._matcher.scrub, citation.paragraph),
            "note": _maybe(self._matcher.scrub, citation.note) if note_shown else None,
            "url": self._matcher.url(url) if url else None})

    # -- the GraphStore contract, read-only -----------------------------------
    def write(self, nodes: Sequence[Node], edges: Sequence[Edge], *,
              replace: bool = False) -> WriteReport:
        raise ReadOnlyView("the public view is read-only")

    def clear(self) -> None:
        raise ReadOnlyView("the public view is read-only")

    def find_nodes(self, ids: Iterable[str]) -> dict[str, Node]:
        wanted: dict[str, str] = {}
        for public_id in ids:
            real = self._real(public_id)
            if real is not None:
                wanted[real] = public_id
        found = self._store.find_nodes(wanted)
        return {wanted[real]: self._node(node) for real, node in found.items()}

    def find_edges(self, ids: Iterable[str]) -> dict[str, Edge]:
        self._build()
        wanted = {self._edge_real.get(i) or self._real_edge_id(i): i for i in ids}
        found = self._store.find_edges(r for r in wanted if r is not None)
        return {wanted[real]: self._edge(e) for real, e in found.items()
                if self._edge(e).id == wanted[real]}

    def _real_edge_id(self, public_id: str) -> str | None:
        parts = public_id.split("|")
        if len(parts) not in (3, 4):
            return None
        source, target = self._real(parts[0]), self._real(parts[2])
        if source is None or target is None:
            return None
        return edge_id(parts[1], source, target, parts[3] if len(parts) == 4 else None)

    def iter_nodes(self, kind: NodeKind | None = None) -> Iterator[Node]:
        self._build()
        for node in self._store.iter_nodes(kind):
            yield self._node(node)

    def redirects(self) -> dict[str, str]:
        """The merged ids by their public ids, each with its entity's public id."""
        return {self.public_id(o): self.public_id(k) for o, k in self._store.redirects().items()}

    def searchable_nodes(self) -> Iterator[Node]:
        """Only what has a public name: a pseudonym is not found by searching."""
        return (n for n in self.iter_nodes() if not n.restricted)

    def redact_text(self, text: str) -> str:
        """Restricted persons' names removed, as from every text field of a record."""
        self._build()
        return self._matcher.scrub(text)

    def redact_url(self, url: str) -> str | None:
        self._build()
        return self._matcher.url(url)

    def iter_edges(self, types: Iterable[str] | None = None) -> Iterator[Edge]:
        self._build()
        for edge in self._store.iter_edges(types):
            yield self._edge(edge)

    def incident_edges(self, node_id: str, types: Iterable[str] | None = None,
                       offset: int = 0, limit: int | None = None) -> list[Edge]:
        checkpoint()  # a cached answer reads no store, and a query must still stop in time
        real = self._real(node_id)
        if real is None:
            return []
        # ordered by the ids the public sees, so the order says nothing of the real ones;
        # kept per node for the life of the view, since every page of it needs them all
        edges = self._incident.get(real)
        if edges is None:
            edges = self._incident[real] = sorted(
                (self._edge(e) for e in self._store.incident_edges(real)), key=lambda e: e.id)
        if types is not None:
            wanted = frozenset(types)
            edges = [e for e in edges if e.type in wanted]
        return edges[offset:None if limit is None else offset + limit]

    def degree(self, node_id: str) -> int:
        real = self._real(node_id)
        return 0 if real is None else self._store.degree(real)

    def find_paths(self, source: str, target: str, *, max_hops: int, all_shortest: bool,
                   types: frozenset[str] | None, avoid: frozenset[str],
                   limit: int) -> list[RawPath]:
        real_source, real_target = self._real(source), self._real(target)
        if real_source is None or real_target is None:
            return []
        real_avoid = frozenset(r for r in map(self._real, avoid) if r is not None)
        # the store orders (and cuts) paths by real ids: ask for a larger pool, then order
        # and cut by public ids; in shortest mode, each step takes the relationship whose
        # public id comes first
        found = self._store.find_paths(real_source, real_target, max_hops=max_hops,
                                       all_shortest=all_shortest, types=types,
                                       avoid=real_avoid,
                                       limit=max(limit, PATH_POOL) if all_shortest else limit)
        paths = []
        for path in found:
            if all_shortest:
                edges = tuple(self._edge(e) for e in path.edges)
            else:
                edges = tuple(min((self._edge(e) for e in self._store.edges_between(u, v, types)),
                                  key=lambda e: e.id)
                              for u, v in zip(path.nodes, path.nodes[1:], strict=False))
            paths.append(RawPath(tuple(self.public_id(n) for n in path.nodes), edges))
        if not all_shortest:
            return paths
        return sorted(paths, key=lambda p: ([self.public_id(n) for n in p.nodes],
                                            [e.id for e in p.edges]))[:limit]

    def stats(self) -> Stats:
        return self._store.stats()


def _updated(record: _Record, update: dict[str, Any]) -> _Record:
    """The record with `update` applied; the record itself when that changes nothing (most
    records name no restricted person, and sharing them saves a copy per read)."""
    if all(getattr(record, k) == v for k, v in update.items()):
        return record
    return record.model_copy(update=update)


def _shown(privacy: Privacy, hidden: bool, withhold: Privacy = Privacy.TEXT) -> bool:
    """Whether a value with this flag is shown on a record that is (or, for a relationship,
    touches) a restricted one: there, values flagged `withhold` or more private are left
    out (text and identifying ones on a record, identifying ones on a relationship);
    every value is shown elsewhere."""
    return not hidden or _RANK[privacy] < _RANK[withhold]


def _node_field(spec: Mapping[str, Prop]) -> Callable[[str], Privacy]:
    """The privacy flag of a node's statement, by its field (a property: its own flag)."""
    def flag(field: str) -> Privacy:
        name = field.removeprefix("properties.")
        return spec[name].privacy if name != field else NODE_FIELD_PRIVACY[field]
    return flag


def _edge_field(spec: Mapping[str, Prop]) -> Callable[[str], Privacy]:
    def flag(field: str) -> Privacy:
        name = field.removeprefix("properties.")
        return spec[name].privacy if name != field else EDGE_FIELD_PRIVACY[field]
    return flag


def _refs(spec: Mapping[str, Prop]) -> frozenset[str]:
    """The statement fields of the properties that reference a record."""
    return frozenset(f"properties.{k}" for k, p in spec.items() if p.type == "ref")


def _maybe(scrub: Any, value: str | None) -> str | None:
    return None if value is None else str(scrub(value))


class PublicViews:
    """The current public view of one store: a new one whenever its version changes, or the
    secret or the pinned ids do (a rotation applies at the next request)."""

    def __init__(self, store: GraphStore, secret: str | RedactionKeys) -> None:
        self.store = store
        self.keys = secret if isinstance(secret, RedactionKeys) else RedactionKeys(None, secret)
        self._view: tuple[PublicView, Keys] | None = None

    def get(self) -> PublicView:
        version, keys = self.store.version, self.keys.current()
        current = self._view
        if current is None or current[0].version != version or current[1] is not keys:
            current = self._view = (
                PublicView(self.store, keys.secret, version, keys.pins), keys)
        return current[0]

