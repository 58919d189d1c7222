"""Who is who: the candidates importers propose, the decisions editors make, and the
resolver that follows from the decisions.

After nomenklatura's `Resolver`: matching only ever *proposes* that two records are one
entity (a `Candidate`); an editor *decides* (a `Decision`: same, different or unsure), and
the decision is data, kept in files and applied on every read. Undoing a decision is one
more decision (`undone`), after which the pair is open again. What follows from the
decisions, for the graph, is:

- each set of entities joined by "same" is one entity under one canonical id, the stored
  side's: an entity already in the graph keeps its id when an import's record is found to
  be it, so published links never break, and every other id of the set answers with it;
- a name found in a text near a stored name becomes a MENTIONS relationship only when an
  editor says it is that person ("same" on a mention candidate);
- "different" means the pair is never proposed again.

`graph.resolved` applies this to a store's records; this module only keeps the data.
"""

from __future__ import annotations

import hashlib
import itertools
import json
from collections.abc import Iterable
from datetime import UTC, datetime
from enum import StrEnum
from typing import TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from graph.errors import InvalidData, Problem
from graph.search import fold
from schema.models import Citation, Edge, Node
from schema.vocabulary import NodeKind, Sensitivity

_M = TypeVar("_M", bound=BaseModel)
_SERIALS = itertools.count(1)


class Judgement(StrEnum):
    SAME = "same"
    DIFFERENT = "different"
    UNSURE = "unsure"
    #: takes back the pair's last decision: the candidate is open again
    UNDONE = "undone"


class Side(BaseModel):
    """One side of a candidate: a stored entity, or a name as an import writes it."""

    model_config = ConfigDict(extra="forbid")

    #: the entity's id; None for a name written in a text (a mention)
    id: str | None = None
    name: str
    kind: NodeKind
    #: where this side is stated: the sources and paragraphs (the evidence an editor reads)
    citations: list[Citation] = Field(default_factory=list)
    #: the record was restricted when proposed (a candidate naming it is kept private)
    restricted: bool = False


class Candidate(BaseModel):
    """A proposal that two sides are one entity, waiting for an editor's decision."""

    model_config = ConfigDict(extra="forbid")

    id: str
    stored: Side
    incoming: Side
    #: how close the names are, 0-100 (`graph.candidates`)
    score: float
    #: what kind of nearness: transliteration, ending, prefix, similar, ...
    how: str
    #: for a name in a text: the MENTIONS relationship that "same" adds
    mention: Edge | None = None
    #: what proposed it ("import:text", "import:ftm", ...) and when
    proposed_by: str
    at: str

    @property
    def incoming_key(self) -> str:
        return incoming_key(self.incoming, self.mention)


class Decision(BaseModel):
    """An editor's judgement on one candidate. The last one for a candidate counts."""

    model_config = ConfigDict(extra="forbid")

    candidate: str
    stored: str
    #: the incoming entity's id; None when the candidate is a mention in a text
    incoming: str | None = None
    mention: Edge | None = None
    judgement: Judgement
    #: the merged entity's sensitivity, when the editor sets it; otherwise a merge keeps
    #: the most restricted of its records (a merge never makes a restricted person public)
    sensitivity: Sensitivity | None = None
    by: str
    at: str
    note: str | None = None
    #: it touches a restricted record, so it is kept in the private tier, never committed
    private: bool | None = None


def incoming_key(side: Side, mention: Edge | None) -> str:
    """What identifies the incoming side: its id, or, for a mention, the text's source and
    the name as written (folded)."""
    if mention is not None:
        return f"{mention.source}#{fold(side.name)}"
    assert side.id is not None
    return side.id


def candidate_id(stored: str, incoming: str) -> str:
    """A candidate's id: the same pair is the same candidate, however often proposed."""
    digest = hashlib.sha256(f"{stored}\x1f{incoming}".encode()).hexdigest()
    return f"cand-{digest[:16]}"


def now() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


# -- reading and writing the files --------------------------------------------------

def read_lines(path: str, lines: Iterable[str], model: type[_M]) -> list[_M]:
    """Records of one JSON Lines file. Raises `InvalidData` naming the file and line."""
    problems: list[Problem] = []
    out: list[_M] = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            out.append(model.model_validate(json.loads(line)))
        except (ValueError, ValidationError) as exc:
            first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            problems.append(Problem(path, number, model.__name__.lower(), first))
    if problems:
        raise InvalidData(problems)
    return out


def line_of(record: BaseModel) -> str:
    return json.dumps(record.model_dump(mode="json", exclude_none=True),
                      ensure_ascii=False, sort_keys=True) + "\n"


# -- the resolver ----------------------------------------------------------------

class Resolver:
    """What a sequence of decisions (oldest first) says about identity."""

    def __init__(self, decisions: Iterable[Decision],
                 candidates: Iterable[Candidate] = ()) -> None:
        #: tells this resolver from every other one made in this process (store versions)
        self.serial = next(_SERIALS)
        self.latest: dict[str, Decision] = {}
        for decision in decisions:
            self.latest[decision.candidate] = decision
        #: imported entities that may be a restricted person (an open or unsure candidate
        #: pairs them with one): read as restricted until an editor says "different" (or
        #: "same", which makes them that person)
        self.withheld = frozenset(
            c.incoming.id for c in candidates
            if c.stored.restricted and c.incoming.id and c.mention is None
            and self.latest.get(c.id, _OPEN).judgement in (Judgement.UNSURE, Judgement.UNDONE))
        self._parent: dict[str, str] = {}
        #: a decision's sensitivity, by its stored id, with the ids the entity held when it
        #: was decided: "public" covers only those records (see `sensitivity`)
        self._sensitivity: dict[str, tuple[Sensitivity, frozenset[str]]] = {}
        self.mentions: list[Edge] = []
        for decision in sorted(self.latest.values(), key=lambda d: d.at):
            if decision.judgement is not Judgement.SAME:
                continue
            if decision.mention is not None:
                self.mentions.append(decision.mention)
            elif decision.incoming is not None:
                self._join(decision.stored, decision.incoming)
            if decision.sensitivity is not None:
                self._sensitivity.pop(decision.stored, None)  # the last one counts
                self._sensitivity[decision.stored] = (decision.sensitivity,
                                                      self._set_of(decision.stored))
        self.redirects: dict[str, str] = {i: self.canonical(i) for i in self._parent
                                          if self.canonical(i) != i}

    def _root(self, node_id: str) -> str:
        while node_id in self._parent:
            node_id = self._parent[node_id]
        return node_id

    def _join(self, stored: str, incoming: str) -> None:
        """The incoming entity's set joins the stored one's, under the stored set's id."""
        keep, other = self._root(stored), self._root(incoming)
        if keep != other:
            self._parent[other] = keep

    def canonical(self, node_id: str) -> str:
        return self._root(node_id)

    def _set_of(self, node_id: str) -> frozenset[str]:
        """Every id joined with `node_id` so far, itself included."""
        root = self._root(node_id)
        return frozenset({root, node_id, *(i for i in self._parent if self._root(i) == root)})

    @property
    def has_effects(self) -> bool:
        """Whether any decision changes the graph (a merge, a mention, a withheld record)."""
        return bool(self._parent or self.mentions or self.withheld)

    def members(self) -> dict[str, list[str]]:
        """Every canonical id that stands for several, with all of them (itself first)."""
        groups: dict[str, list[str]] = {}
        for other, keep in sorted(self.redirects.items()):
            groups.setdefault(keep, [keep]).append(other)
        return groups

    def sensitivity(self, canonical: str) -> tuple[Sensitivity, frozenset[str]] | None:
        """The sensitivity a decision set for the merged entity, if one did (the last), with
        the ids the entity held then: a record joined later by a decision that set none was
        not judged, so "public" does not cover it (`graph.resolved.merge_records`)."""
        found = None
        for member, decided in self._sensitivity.items():
            if self.canonical(member) == canonical:
                found = decided
        return found

    def decided(self, candidate: str) -> Decision | None:
        """The decision that counts for a candidate; None if it is open."""
        decision = self.latest.get(candidate)
        return None if decision is None or decision.judgement is Judgement.UNDONE else decision


def _side(node: Node) -> Side:
    return Side(id=node.id, name=node.name, kind=node.kind, citations=node.citations,
                restricted=node.restricted)


def entity_candidate(stored: Node, incoming: Node, score: float, how: str,
                     proposed_by: str) -> Candidate:
    """A proposal that an imported entity is one already stored."""
    return Candidate(id=candidate_id(stored.id, incoming.id), stored=_side(stored),
                     incoming=_side(incoming), score=round(score, 1), how=how,
                     proposed_by=proposed_by, at=now())


def mention_candidate(stored: Node, source: str, written: str, paragraphs: Iterable[str],
                      score: float, how: str, proposed_by: str) -> Candidate:
    """A proposal that a name a text writes (in these paragraphs of `source`) is a stored
    entity; "same" adds the MENTIONS relationship, citing the paragraphs."""
    cites = [Citation(source=source, paragraph=p) for p in paragraphs]
    side = Side(name=written, kind=stored.kind, citations=cites)
    edge = Edge(type="MENTIONS", source=source, target=stored.id, citations=cites)
    return Candidate(id=candidate_id(stored.id, f"{source}#{fold(written)}"),
                     stored=_side(stored), incoming=side, score=round(score, 1), how=how,
                     mention=edge, proposed_by=proposed_by, at=now())


#: what an undecided candidate counts as
_OPEN = Decision(candidate="", stored="", judgement=Judgement.UNDONE, by="", at="")
