"""Typed answers of the queries. Every relationship a result uses carries its citations."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from schema.models import Citation, Edge, Node, Step, date_precision
from schema.vocabulary import Certainty, NodeKind, Sensitivity


class NodeRef(BaseModel):
    id: str
    kind: NodeKind
    name: str
    group: bool = False
    restricted: bool = False

    @classmethod
    def of(cls, node: Node) -> NodeRef:
        # built from an already validated record: nothing to check again (hot in path queries)
        return cls.model_construct(id=node.id, kind=node.kind, name=node.name, group=node.group,
                   restricted=node.restricted)


class EdgeRef(BaseModel):
    id: str
    type: str
    source: str
    target: str
    directed: bool = True
    date: str | None = None
    end: str | None = None
    certainty: Certainty = Certainty.STATED
    claimed_by: str | None = None
    properties: dict[str, object] = Field(default_factory=dict)
    citations: list[Citation]

    @classmethod
    def of(cls, edge: Edge) -> EdgeRef:
        # built from an already validated record: nothing to check again (hot in path queries)
        return cls.model_construct(id=edge.id, type=edge.type, source=edge.source, target=edge.target,
                   directed=edge.directed, date=edge.date, end=edge.end,
                   certainty=edge.certainty, claimed_by=edge.claimed_by,
                   properties=edge.properties, citations=edge.citations)


class Path(BaseModel):
    length: int
    nodes: list[NodeRef]
    edges: list[EdgeRef]
    explanation: list[str] = Field(default_factory=list, description=(
        "One sentence per hop, in the order the path runs, built from the relationship's "
        "own values and ending with its citations (`graph.explain`)."))
    score: float | None = Field(default=None, description=(
        "`mode=ranked` only: the path's score, lower first (`graph.connections`)."))
    score_parts: list[str] = Field(default_factory=list, description=(
        "`mode=ranked` only: the terms of the score, in words."))


class Neighbourhood(BaseModel):
    centre: NodeRef
    depth: int
    nodes: list[NodeRef]
    edges: list[EdgeRef]
    total_nodes: int
    offset: int
    truncated: bool
    total_edges: int = 0  # relationships among all `total_nodes`, not only this page


class Measure(BaseModel):
    """Something done to a relative, with when and where the source says so."""

    type: str
    measures: list[str]
    by: NodeRef | None = None
    date: str | None = None
    citations: list[Citation]


class RelativeTargeting(BaseModel):
    relative: NodeRef
    target: NodeRef
    relation: str | None
    measures: list[str]
    date: str | None
    certainty: Certainty
    claimed_by: str | None = Field(None, description=(
        "Who makes the claim, where `certainty` is not `stated`."))
    citations: list[Citation]
    related_measures: list[Measure] = Field(default_factory=list)


class CaseLink(BaseModel):
    case: NodeRef
    shared: dict[str, list[NodeRef]]
    strength: int


class TimelineEntry(BaseModel):
    """One dated fact about an entity: a relationship, a date of its own, a step of its
    status or roles, or the date of an event or case it is linked to."""

    date: str
    precision: str
    end: str | None = None
    fact: Literal["relationship", "property", "status", "role", "linked"] = Field(
        "relationship", description=(
            "What is dated: a `relationship` of the entity; a `property` of its own (died, "
            "founded, opened...); a `status` or `role` step of a person; or the date of an "
            "event or case it is `linked` to by an undated relationship. A status the source "
            "gives only as of its own date is in `history`, not here."))
    field: str = Field("date", description=(
        "The field that gives the date: `date`, `known_since`, `answered`, `died`, "
        "`opened`, ..."))
    words: str = Field("", description="What the date marks, in words: \"died\", \"known since\".")
    value: object | None = Field(None, description="A step's status or role; a sub-count.")
    type: str | None = None
    direction: str | None = None  # "out" when the entity is the source, "in" when the target
    other: NodeRef | None = None
    properties: dict[str, object] = Field(default_factory=dict)
    certainty: Certainty = Certainty.STATED
    claimed_by: str | None = None
    citations: list[Citation] = Field(default_factory=list)

    @property
    def order(self) -> tuple[str, str, str, str]:
        return (self.date, self.type or self.fact, self.other.id if self.other else "",
                self.field)


class FactValue(BaseModel):
    """One value of a fact, with the sources that state it."""

    value: object
    #: the sources stating it, each once: "stated by N sources"
    stated_by: list[str]
    citations: list[Citation]
    #: why the record shows this value first, when the data says so
    shown_first: str | None = None


class Fact(BaseModel):
    """One field of a record, every value its sources give, side by side."""

    field: str
    values: list[FactValue]
    #: the sources give different values where one only can be true
    disagreement: bool = False
class HistoryEntry(BaseModel):
    """One step of a person's status or roles over time, with the sources that state it."""

    field: str = Field(description="`status` or `role`.")
    value: str = Field(description="A status or role from the vocabulary.")
    date: str | None = Field(description="The date the source gives for it, if any.")
    as_of: str | None = Field(description=(
        "Without a stated date: the publication date of the source, which says this held then."))
    precision: str | None = Field(description="`year`, `month` or `day` of `date`, else `as_of`.")
    sources: list[NodeRef] = Field(description="The source documents the citations refer to.")
    citations: list[Citation]

    @classmethod
    def of(cls, step: Step, sources: dict[str, Node]) -> HistoryEntry:
        when = step.date or step.as_of
        cited = dict.fromkeys(c.source for c in step.citations if c.source in sources)
        return cls(field=step.field, value=step.value, date=step.date, as_of=step.as_of,
                   precision=date_precision(when) if when else None,
                   sources=[NodeRef.of(sources[i]) for i in cited], citations=step.citations)


class Relation(BaseModel):
    """One relationship seen from an entity: which way it points and who is at the other end."""

    id: str
    type: str
    direction: str  # "out" when the entity is the source, "in" when it is the target
    other: NodeRef
    properties: dict[str, object]
    date: str | None = None
    end: str | None = None
    certainty: Certainty = Certainty.STATED
    claimed_by: str | None = None
    citations: list[Citation]
    #: the sources stating the relationship, each once
    stated_by: list[str] = Field(default_factory=list)
    #: where the sources give different values (two dates), every value with its sources
    disagreements: list[Fact] = Field(default_factory=list)

    @classmethod
    def of(cls, edge: Edge, entity_id: str, other: Node) -> Relation:
        from graph.statements import facts_of  # the statements build on these results

        return cls(id=edge.id, type=edge.type,
                   direction="out" if edge.source == entity_id else "in",
                   other=NodeRef.of(other), properties=edge.properties, date=edge.date,
                   end=edge.end, certainty=edge.certainty, claimed_by=edge.claimed_by,
                   citations=edge.citations,
                   stated_by=list(dict.fromkeys(c.source for c in edge.citations)),
                   disagreements=[f for f in facts_of(edge) if f.disagreement]
                   if edge.statements else [])


class Relations(BaseModel):
    """A page of an entity's relationships, ordered by edge id, with the full count."""

    entity: Node
    items: list[Relation]
    total: int
    offset: int
    truncated: bool


class SourceUse(BaseModel):
    """What the graph holds from one source document."""

    entities: int = Field(0, description="Entities citing it (for a value, a status or a "
                          "role, or for the record itself).")
    relationships: int = Field(0, description="Relationships citing it.")


class Stats(BaseModel):
    nodes: int
    edges: int
    nodes_by_kind: dict[str, int]
    edges_by_type: dict[str, int]
    groups: int = 0
    restricted: int = 0


class SensitivityChange(BaseModel):
    """A stored node whose sensitivity a write changed, with the value before and after."""

    id: str
    before: Sensitivity
    after: Sensitivity

    @property
    def made_public(self) -> bool:
        return self.after is Sensitivity.PUBLIC


class WriteReport(BaseModel):
    """What a load did: ids added, ids whose content changed, count unchanged, and every
    stored node whose sensitivity changed (a change is also in `nodes_changed`)."""

    nodes_added: list[str] = Field(default_factory=list)
    nodes_changed: list[str] = Field(default_factory=list)
    edges_added: list[str] = Field(default_factory=list)
    edges_changed: list[str] = Field(default_factory=list)
    nodes_removed: list[str] = Field(default_factory=list)
    edges_removed: list[str] = Field(default_factory=list)
    unchanged: int = 0
    sensitivity_changes: list[SensitivityChange] = Field(default_factory=list)

    @property
    def changed_anything(self) -> bool:
        return bool(self.nodes_added or self.nodes_changed or self.edges_added
                    or self.edges_changed or self.nodes_removed or self.edges_removed)

    def summary(self) -> str:
        return (f"nodes: {len(self.nodes_added)} added, {len(self.nodes_changed)} changed; "
                f"edges: {len(self.edges_added)} added, {len(self.edges_changed)} changed; "
                f"{len(self.nodes_removed) + len(self.edges_removed)} removed; "
                f"{self.unchanged} unchanged" + self._sensitivity_summary())

    def _sensitivity_summary(self) -> str:
        if not self.sensitivity_changes:
            return ""
        public = sum(1 for c in self.sensitivity_changes if c.made_public)
        return f"; sensitivity: {len(self.sensitivity_changes)} changed, {public} made public"
