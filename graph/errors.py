"""One exception root for the project, with a few meaningful subclasses.

Errors carry what a person needs to act: the file, line and field of bad data,
the id that was not found, the two ends of a path that does not exist.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from graph.search import Hit


class RepgraphError(Exception):
    """Root of every error this project raises on purpose."""


@dataclass(frozen=True)
class Problem:
    """One thing wrong with input data, located as precisely as the input allows."""

    file: str
    line: int | None
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line is not None else self.file
        return f"{where}: {self.field}: {self.message}" if self.field else f"{where}: {self.message}"


class InvalidData(RepgraphError):
    """Input failed validation; nothing was written. Holds every problem found."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        lines = "\n".join(f"  {p}" for p in problems)
        super().__init__(f"{len(problems)} problem(s), nothing was written:\n{lines}")


class NodeNotFound(RepgraphError):
    def __init__(self, node_id: str) -> None:
        self.node_id = node_id
        super().__init__(f"no entity with id {node_id!r}")


class UnknownCandidate(NodeNotFound):
    """No identity candidate has this id (`graph.review`)."""

    def __init__(self, candidate: str) -> None:
        super().__init__(candidate)
        self.args = (f"no candidate with id {candidate!r}",)


class Unresolved(NodeNotFound):
    """A name typed by a person is no id and no stored name or alias: nothing is run on a guess.

    `candidates` are the closest search hits (possibly none), for the person to choose
    from; a not-found answer to the public never carries them (`api/errors.py`).
    """

    def __init__(self, ref: str, candidates: Sequence[Hit]) -> None:
        self.node_id = self.ref = ref
        self.candidates = list(candidates)
        RepgraphError.__init__(self, f"no entity has the id or name {ref!r}")


class Ambiguous(Unresolved):
    """A name that is the name or alias of several entities: none of them is chosen, and
    `candidates` holds them all."""

    def __init__(self, ref: str, candidates: Sequence[Hit]) -> None:
        super().__init__(ref, candidates)
        self.args = (f"{len(self.candidates)} entities have the name {ref!r}",)


class WrongKind(RepgraphError):
    """An id names an entity, but not of the kind the query needs (a person for a case)."""

    def __init__(self, parameter: str, node_id: str, kind: str, expected: str) -> None:
        self.parameter, self.node_id, self.kind, self.expected = parameter, node_id, kind, expected
        super().__init__(f"{node_id!r} is a {kind}, not a {expected}")


class NoPath(RepgraphError):
    def __init__(self, source: str, target: str, max_hops: int) -> None:
        self.source, self.target, self.max_hops = source, target, max_hops
        super().__init__(f"no path between {source!r} and {target!r} within {max_hops} hops")


class LimitExceeded(RepgraphError):
    """A parameter is above a configured cap (hops, depth, page size)."""

    def __init__(self, parameter: str, value: int, cap: int) -> None:
        self.parameter, self.value, self.cap = parameter, value, cap
        super().__init__(f"{parameter}={value} is above the cap of {cap}")


class InvalidParameter(RepgraphError, ValueError):
    """A query parameter has a value the query cannot use (unknown type, bad mode, ...).

    A `ValueError` too, so callers that only know the standard library still catch it.
    """

    def __init__(self, parameter: str, message: str) -> None:
        self.parameter = parameter
        super().__init__(message)


class CannotDecide(InvalidParameter):
    """A decision the data cannot take: one entity of two kinds, a sensitivity without a
    merge."""


class QueryTimeout(RepgraphError):
    """A query ran past its time limit."""


class StoreUnavailable(RepgraphError):
    """The store cannot be reached or opened (server down, bad credentials, locked files)."""


class DecisionsUnreadable(StoreUnavailable):
    """A file of identity decisions has lines that cannot be read: nothing is answered
    without the decisions. The message names each file and line, for operators only."""
