"""What an import links by itself, and what it leaves to an editor.

An importer links a record to a stored entity only on its id, or on a name or alias equal
after folding (case, diacritics, script) to exactly one stored entity of its kind. Every
other nearness (another spelling, a case ending, a shortened or longer name, two stored
entities with the one name) is a `Candidate` for the review queue (`graph.review`), found
by `graph.candidates` without comparing every pair.
"""

from __future__ import annotations

from collections.abc import Iterable

from graph.candidates import NearNames, propose
from graph.identity import Candidate, entity_candidate
from schema.models import Node
from schema.vocabulary import NodeKind

#: kinds an import may hold twice under two ids: the ones named after someone or something
LINKED_KINDS = frozenset(NodeKind) - {NodeKind.SOURCE}


def near_entities(new: Iterable[Node], stored: Iterable[Node], proposed_by: str,
                  ) -> list[Candidate]:
    """Candidates pairing each new record with the stored entities whose names are near."""
    incoming = [n for n in new if n.kind in LINKED_KINDS and not n.group]
    if not incoming:
        return []
    known = {n.id: n for n in stored if n.kind in LINKED_KINDS and not n.group}
    index = NearNames(known.values())
    found = [entity_candidate(known[near.node_id], node, near.score, near.how, proposed_by)
             for node, near in propose(incoming, index)
             if near.node_id != node.id and near.node_id in known]
    # the same name under another id (a table's own id, or two stored entities of that
    # name) is not linked either: an editor says whether it is the same entity
    for node in incoming:
        same = {i for label in (node.name, *node.aliases) for i in index.exact(label, node.kind)}
        found += [entity_candidate(known[i], node, 100.0, "exact", proposed_by)
                  for i in sorted(same - {node.id}) if i in known]
    return found


def across_sources(nodes: Iterable[Node], proposed_by: str, *,
                   source: str | None = None) -> list[Candidate]:
    """Candidates pairing records that different sources define, when their names are near
    or equal: each source's records against every other source's (or only `source`'s against
    the rest). The record of the source published first is the stored side, so that a merge
    keeps the older id. Only proposals: nothing is joined until an editor decides."""
    by_source: dict[str, list[Node]] = {}
    dates: dict[str, str] = {}
    for node in nodes:
        if node.kind is NodeKind.SOURCE:
            dates[node.id] = str(node.properties.get("date", ""))
        elif node.source is not None:
            by_source.setdefault(node.source, []).append(node)
    order = sorted(by_source, key=lambda s: (not dates.get(s), dates.get(s, ""), s))
    found: dict[str, Candidate] = {}
    for i, later in enumerate(order):
        earlier = [n for s in order[:i] for n in by_source[s]]
        if not earlier or (source is not None and source != later and source not in order[:i]):
            continue
        for c in near_entities(by_source[later], earlier, proposed_by):
            found.setdefault(c.id, c)
    return sorted(found.values(), key=lambda c: (-c.score, c.id))


def named_pair(stored: Node, incoming: Node, proposed_by: str) -> Candidate:
    """A candidate an editor names: two records the editor holds to be one, whatever their
    names (a nickname, a name changed by marriage); scored by their names' nearness."""
    index = NearNames([stored])
    if index.exact(incoming.name) or any(index.exact(a) for a in incoming.aliases):
        return entity_candidate(stored, incoming, 100.0, "exact", proposed_by)
    near = index.near(incoming.name, limit=1)
    score, how = (near[0].score, near[0].how) if near else (0.0, "named by an editor")
    return entity_candidate(stored, incoming, score, how, proposed_by)
