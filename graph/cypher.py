"""Every Cypher statement of the Neo4j backend, as named constants and a few builders.

Values always travel as `$parameters`. Only two things are ever put into a
statement's text: a label or relationship type, which must come from the schema
vocabulary and passes through `escape`, and a hop bound, which must be a small
integer (Cypher accepts no parameter there). The lint test runs every statement
here, and every builder's output for every vocabulary name, through Neo4j's own
parser.

Node records keep their queryable scalars (id, kind, name, sensitivity, ...) as
properties and their nested data (citations, history, kind properties) as JSON strings,
so that a record reads back exactly as it was written. `load` names the
multi-transaction load that last touched an element, which lets such a load
clean up after itself if it fails (a one-transaction write needs no stamp).
"""

from __future__ import annotations

from schema.vocabulary import KIND_LABELS, RELATIONS, NodeKind

#: The label every node carries besides its kind, so that one constraint covers all ids.
ENTITY = "Entity"
#: The longest path a path builder accepts; well above any configured hop cap.
HOPS_LIMIT = 16

_NAMES: frozenset[str] = frozenset(KIND_LABELS.values()) | frozenset(RELATIONS)


def escape(name: str) -> str:
    """A label or relationship type ready for Cypher text; only vocabulary names pass.

    Backquoting alone would make any string safe to embed, but a label that is not
    in the vocabulary is a bug or an attack either way, so it is refused outright.
    """
    if name not in _NAMES:
        raise ValueError(f"{name!r} is not a label or relationship type of the vocabulary")
    return f"`{name}`"


def _hops(max_hops: int) -> int:
    if isinstance(max_hops, bool) or not isinstance(max_hops, int) or not 1 <= max_hops <= HOPS_LIMIT:
        raise ValueError(f"max_hops must be an integer from 1 to {HOPS_LIMIT}, got {max_hops!r}")
    return max_hops


# -- schema -------------------------------------------------------------------
CONSTRAINT_ENTITY_ID = (
    "CREATE CONSTRAINT entity_id IF NOT EXISTS FOR (n:Entity) REQUIRE n.id IS UNIQUE"
)
INDEX_ENTITY_LOAD = "CREATE INDEX entity_load IF NOT EXISTS FOR (n:Entity) ON (n.load)"
CONSTRAINT_META_KEY = (
    "CREATE CONSTRAINT repgraph_meta_key IF NOT EXISTS FOR (m:RepgraphMeta) REQUIRE m.key IS UNIQUE"
)
SCHEMA = (CONSTRAINT_ENTITY_ID, INDEX_ENTITY_LOAD, CONSTRAINT_META_KEY)

# -- the content's version ------------------------------------------------------
#: The label of repgraph's own bookkeeping nodes. They have neither the `Entity` label,
#: which every entity read matches, nor any relationship, so no entity read sees them,
#: and `clear` leaves them.
META = "RepgraphMeta"
#: The last statement of every transaction in which repgraph changes the content: a new
#: random version on the one meta node with the key `$key`, and when it was written.
BUMP_VERSION = (
    "MERGE (m:RepgraphMeta {key: $key}) SET m.version = $version, m.written = datetime()"
)
VERSION = "MATCH (m:RepgraphMeta {key: $key}) RETURN m.version AS version"

# -- reading ------------------------------------------------------------------
#: What a row describing a relationship returns, shared by every edge read.
_EDGE_COLUMNS = "properties(r) AS edge, type(r) AS type, startNode(r).id AS source, endNode(r).id AS target"

NODES_BY_ID = "UNWIND $ids AS id MATCH (n:Entity {id: id}) RETURN properties(n) AS node"
ALL_NODES = "MATCH (n:Entity) RETURN properties(n) AS node ORDER BY n.id"
#: Every node's kind, and its element id for writes later in the same transaction.
NODE_KINDS = "MATCH (n:Entity) RETURN n.id AS id, n.kind AS kind, elementId(n) AS element"
EDGES_BY_ID = (
    "UNWIND $rows AS row MATCH (:Entity {id: row.source})-[r {id: row.id}]->() "
    f"RETURN {_EDGE_COLUMNS}"
)
ALL_EDGES = (
    "MATCH ()-[r]->() WHERE $types IS NULL OR type(r) IN $types "
    f"RETURN {_EDGE_COLUMNS} ORDER BY r.id"
)
ALL_EDGE_IDS = "MATCH ()-[r]->() RETURN r.id AS id"
_INCIDENT = "MATCH (:Entity {id: $id})-[r]-() WHERE $types IS NULL OR type(r) IN $types WITH DISTINCT r"
INCIDENT_EDGES = f"{_INCIDENT} ORDER BY r.id RETURN {_EDGE_COLUMNS}"
INCIDENT_EDGES_PAGE = f"{_INCIDENT} ORDER BY r.id SKIP $offset LIMIT $limit RETURN {_EDGE_COLUMNS}"
DEGREE = "MATCH (:Entity {id: $id})-[r]-() RETURN count(DISTINCT r) AS degree"
STEP_EDGES = (
    "UNWIND $steps AS step "
    "MATCH (:Entity {id: step.a})-[r]-(:Entity {id: step.b}) "
    "WHERE $types IS NULL OR type(r) IN $types "
    f"RETURN step.i AS step, {_EDGE_COLUMNS} ORDER BY step, r.id"
)
NODE_COUNTS = (
    "MATCH (n:Entity) RETURN n.kind AS kind, count(n) AS nodes, "
    "count(CASE WHEN n.group THEN n END) AS groups, "
    "count(CASE WHEN n.sensitivity = $restricted THEN n END) AS restricted"
)
EDGE_COUNTS = "MATCH ()-[r]->() RETURN type(r) AS type, count(r) AS edges"


def nodes_of_kind(kind: NodeKind) -> str:
    return f"MATCH (n:Entity:{escape(KIND_LABELS[kind])}) RETURN properties(n) AS node ORDER BY n.id"


def _path_pattern(max_hops: int, types: frozenset[str] | None) -> str:
    kinds = "|".join(escape(t) for t in sorted(types)) if types else ""
    return f"(s)-[{':' + kinds if kinds else ''}*..{_hops(max_hops)}]-(t)"


def shortest_path(max_hops: int, types: frozenset[str] | None) -> str:
    """One shortest undirected path; the caller picks the edges of each step itself."""
    return (
        "MATCH (s:Entity {id: $source}) MATCH (t:Entity {id: $target}) "
        f"MATCH p = shortestPath({_path_pattern(max_hops, types)}) "
        "WHERE none(x IN nodes(p)[1..-1] WHERE x.id IN $avoid) "
        "RETURN [x IN nodes(p) | x.id] AS nodes"
    )


def all_shortest_paths(max_hops: int, types: frozenset[str] | None) -> str:
    """Every shortest undirected path, one row per choice of parallel edges, in a stable order."""
    return (
        "MATCH (s:Entity {id: $source}) MATCH (t:Entity {id: $target}) "
        f"MATCH p = allShortestPaths({_path_pattern(max_hops, types)}) "
        "WHERE none(x IN nodes(p)[1..-1] WHERE x.id IN $avoid) "
        "WITH [x IN nodes(p) | x.id] AS nodes, [r IN relationships(p) | r.id] AS edges "
        "RETURN nodes, edges ORDER BY reverse(nodes), edges LIMIT $limit"
    )


# -- writing ------------------------------------------------------------------
#: What a node write returns: each row's id and the element it wrote, so that the
#: relationships of the same transaction can reach their endpoints without an index lookup.
_WRITTEN = "RETURN row.id AS id, elementId(n) AS element"


def merge_nodes(kind: NodeKind) -> str:
    """Create or overwrite nodes of one kind; rerunning it changes nothing."""
    return (
        f"UNWIND $rows AS row MERGE (n:Entity:{escape(KIND_LABELS[kind])} {{id: row.id}}) "
        f"SET n = row.props {_WRITTEN}"
    )


def create_nodes(kind: NodeKind) -> str:
    """Create nodes of one kind that the same transaction has just seen to be absent.

    Only for ids the write plan, read in this very transaction, did not find: a
    retried transaction reads the plan again, so a retry still changes nothing,
    and should another writer store one of these ids meanwhile, the uniqueness
    constraint refuses the CREATE and the write is planned afresh. Anything that
    may already exist goes through `merge_nodes`. A MERGE on two labels costs
    several times a CREATE on the stand-in, and looks every id up first on any
    server.
    """
    return (
        f"UNWIND $rows AS row CREATE (n:Entity:{escape(KIND_LABELS[kind])}) "
        f"SET n = row.props {_WRITTEN}"
    )


def relabel_nodes(old: NodeKind, new: NodeKind) -> str:
    """Move nodes to another kind before they are merged under their new label."""
    return (
        f"UNWIND $ids AS id MATCH (n:Entity:{escape(KIND_LABELS[old])} {{id: id}}) "
        f"REMOVE n:{escape(KIND_LABELS[old])} SET n:{escape(KIND_LABELS[new])}"
    )


def merge_edges(type_: str) -> str:
    """Create or overwrite relationships of one type, matched by their edge id."""
    return (
        "UNWIND $rows AS row MATCH (s:Entity {id: row.source}) MATCH (t:Entity {id: row.target}) "
        f"MERGE (s)-[r:{escape(type_)} {{id: row.id}}]->(t) SET r = row.props"
    )


#: A batch's relationship ends, by the element ids the same transaction read or wrote.
_ENDS_BY_ELEMENT = (
    "UNWIND $rows AS row MATCH (s:Entity) WHERE elementId(s) = row.source "
    "MATCH (t:Entity) WHERE elementId(t) = row.target "
)


def merge_edges_between(type_: str) -> str:
    """`merge_edges` with endpoints given by element id, valid within one transaction.

    The element ids come from the node writes and the plan of the same
    transaction (Neo4j promises nothing about them across transactions), and a
    seek by element id spares the two index lookups per row that otherwise
    bound a load's speed.
    """
    return f"{_ENDS_BY_ELEMENT}MERGE (s)-[r:{escape(type_)} {{id: row.id}}]->(t) SET r = row.props"


def create_edges_between(type_: str) -> str:
    """Create relationships that the same transaction has just seen to be absent.

    The counterpart of `create_nodes` for relationships: only for those with an
    end that the same transaction has just created, which no other transaction
    can see yet, with ends by element id as in `merge_edges_between`. A MERGE
    must first look at the relationships of its start node, which makes it the
    slowest step of a load on the stand-in.
    """
    return f"{_ENDS_BY_ELEMENT}CREATE (s)-[r:{escape(type_)}]->(t) SET r = row.props"


DELETE_NODES = "UNWIND $ids AS id MATCH (n:Entity {id: id}) DETACH DELETE n"
DELETE_EDGES = "UNWIND $rows AS row MATCH (:Entity {id: row.source})-[r {id: row.id}]->() DELETE r"
#: Undo of a failed load: only what that load created, found by id and load stamp.
DELETE_LOADED_NODES = "UNWIND $ids AS id MATCH (n:Entity {id: id, load: $load}) DETACH DELETE n"
DELETE_LOADED_EDGES = (
    "UNWIND $rows AS row MATCH (:Entity {id: row.source})-[r {id: row.id, load: $load}]->() DELETE r"
)
#: Clearing in bounded transactions: repeat until it deletes nothing.
DELETE_SOME_NODES = "MATCH (n:Entity) WITH n LIMIT $batch DETACH DELETE n RETURN count(*) AS deleted"

def all_statements() -> dict[str, str]:
    """Every statement this module can produce, by name; the lint test walks them all."""
    out = {name: value for name, value in globals().items()
           if name.isupper() and not name.startswith("_") and name not in ("ENTITY", "META")
           and isinstance(value, str)}
    for kind in NodeKind:
        out[f"nodes_of_kind({kind})"] = nodes_of_kind(kind)
        out[f"merge_nodes({kind})"] = merge_nodes(kind)
        out[f"create_nodes({kind})"] = create_nodes(kind)
        for other in NodeKind:
            if other is not kind:
                out[f"relabel_nodes({kind}, {other})"] = relabel_nodes(kind, other)
    for type_ in RELATIONS:
        out[f"merge_edges({type_})"] = merge_edges(type_)
        out[f"merge_edges_between({type_})"] = merge_edges_between(type_)
        out[f"create_edges_between({type_})"] = create_edges_between(type_)
        out[f"shortest_path(3, {type_})"] = shortest_path(3, frozenset({type_}))
    for hops in range(1, HOPS_LIMIT + 1):
        out[f"shortest_path({hops})"] = shortest_path(hops, None)
        out[f"all_shortest_paths({hops})"] = all_shortest_paths(hops, None)
    every = frozenset(RELATIONS)
    out["all_shortest_paths(every type)"] = all_shortest_paths(6, every)
    return out
