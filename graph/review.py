"""The review queue and the decision files: where candidates wait and decisions are kept.

Decisions are data, in JSON Lines files that every read of the graph applies
(`graph.resolved`):

- `<dataset>/decisions.jsonl`: made with the CLI about public records; committed, so git
  is their history;
- `<private tier>/decisions.jsonl`: the same for decisions that touch a restricted
  record, whose names and ids are never committed (docs/ethics.md, section 4);
- `<data dir>/decisions.jsonl`: made over the API, until `repgraph review export` moves
  them into the two files above.

Candidates wait in `<data dir>/candidates.jsonl` (mode 0600: a candidate may name a
restricted person). A candidate with a decision that counts leaves the queue; "undone"
opens it again. Every file is appended to, one line per record, so that two writers
never lose each other's lines.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from config import Settings
from graph.errors import CannotDecide, DecisionsUnreadable, InvalidData, UnknownCandidate
from graph.identity import Candidate, Decision, Judgement, Resolver, line_of, now, read_lines
from graph.store import GraphStore
from graph.versions import file_stamp
from schema.vocabulary import Sensitivity

Stamp = tuple[tuple[int, int, int] | None, ...]


def _read(path: Path) -> list[str]:
    try:
        return path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        return []


def _append(path: Path, lines: Iterable[str], private: bool) -> None:
    data = "".join(lines).encode()
    if not data:
        return
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700 if private else 0o777)
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600 if private else 0o644)
    try:
        os.write(fd, data)
    finally:
        os.close(fd)


def _later_than(previous: Decision | None) -> str:
    """Now, or a second after the pair's last decision if that is not earlier: decisions
    count in the order of their time, to the second, across files, so an undo made in the
    same second as an import's automatic decision must still come after it."""
    at = now()
    if previous is None or previous.at < at:
        return at
    later = datetime.fromisoformat(previous.at.replace("Z", "+00:00")) + timedelta(seconds=1)
    return later.isoformat().replace("+00:00", "Z")


@dataclass
class ReviewFiles:
    committed: Path
    private: Path
    pending: Path
    candidates_file: Path
    _cache: tuple[Stamp, Resolver] | None = field(default=None, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @classmethod
    def of(cls, settings: Settings) -> ReviewFiles:
        return cls(settings.dataset_dir / "decisions.jsonl",
                   settings.private_dataset_dir / "decisions.jsonl",
                   settings.data_dir / "decisions.jsonl",
                   settings.data_dir / "candidates.jsonl")

    @property
    def decision_files(self) -> tuple[Path, Path, Path]:
        return (self.committed, self.private, self.pending)

    def stamp(self) -> Stamp:
        """Changes whenever a decision file or the queue does: a few `stat`s, no read."""
        return tuple(file_stamp(p) for p in (*self.decision_files, self.candidates_file))

    # -- decisions -------------------------------------------------------------
    def decisions(self) -> list[Decision]:
        """Every decision, oldest first (a file's order breaks ties)."""
        found = [d for path in self.decision_files
                 for d in read_lines(str(path), _read(path), Decision)]
        return sorted(found, key=lambda d: d.at)

    def resolver(self) -> Resolver:
        """The resolver of the decisions as the files are now (rebuilt when they change).

        Raises `StoreUnavailable` naming each bad line when a file cannot be read: the graph
        is not answered without its decisions (a merge may be what withholds a name)."""
        stamp = self.stamp()
        cached = self._cache
        if cached is not None and cached[0] == stamp:
            return cached[1]
        with self._lock:
            try:
                resolver = Resolver(self.decisions(), self.candidates().values())
            except InvalidData as exc:
                raise DecisionsUnreadable("the identity decisions cannot be read; fix or remove "
                                       "these lines: " + "; ".join(map(str, exc.problems))
                                       ) from exc
            self._cache = (stamp, resolver)
        return resolver

    def record(self, decision: Decision, *, over_api: bool) -> Path:
        """Keep a decision: over the API beside the store, else in the dataset (its private
        tier when it touches a restricted record). Returns the file written."""
        path = self.pending if over_api else self.private if decision.private else self.committed
        _append(path, [line_of(decision)], private=path != self.committed)
        return path

    def export(self) -> tuple[int, int]:
        """Move the decisions made over the API into the dataset: (to the committed file,
        to the private tier). The pending file is emptied only once both are written."""
        pending = read_lines(str(self.pending), _read(self.pending), Decision)
        private = [d for d in pending if d.private]
        public = [d for d in pending if not d.private]
        _append(self.private, map(line_of, private), private=True)
        _append(self.committed, map(line_of, public), private=False)
        if pending:
            self.pending.write_bytes(b"")
        return len(public), len(private)

    # -- candidates ------------------------------------------------------------
    def candidates(self) -> dict[str, Candidate]:
        """Every candidate ever proposed, by id (a later proposal of a pair replaces one)."""
        rows = read_lines(str(self.candidates_file), _read(self.candidates_file), Candidate)
        return {c.id: c for c in rows}

    def propose(self, candidates: Iterable[Candidate]) -> int:
        """Add candidates to the queue; those already there or decided are left out.
        Returns how many were added."""
        known = self.candidates()
        new = [c for c in {c.id: c for c in candidates}.values() if c.id not in known]
        _append(self.candidates_file, map(line_of, new), private=True)
        return len(new)

    def open_candidates(self, store: GraphStore) -> list[Candidate]:
        """Candidates waiting for a decision, closest first: both sides still in the store
        (as `store` resolves them) and not yet one entity."""
        resolver = self.resolver()
        waiting = [c for c in self.candidates().values() if resolver.decided(c.id) is None]
        ids = {c.stored.id for c in waiting} | {c.incoming.id for c in waiting if c.incoming.id}
        ids |= {c.mention.source for c in waiting if c.mention is not None}
        found = store.find_nodes(i for i in ids if i)
        out = []
        for c in waiting:
            if c.stored.id not in found:
                continue
            if c.mention is not None:
                if c.mention.source not in found:
                    continue
            elif c.incoming.id not in found or found[c.incoming.id].id == found[c.stored.id].id:
                continue  # gone, or already one entity through other decisions
            out.append(c)
        return sorted(out, key=lambda c: (-c.score, c.id))

    def decide(self, store: GraphStore, candidate_id: str, judgement: Judgement, *, by: str,
               over_api: bool, sensitivity: Sensitivity | None = None,
               note: str | None = None) -> Decision:
        """Record an editor's decision on a candidate (open, or decided before: a new decision
        replaces the old, and `undone` takes it back)."""
        candidate = self.candidates().get(candidate_id)
        if candidate is None:
            raise UnknownCandidate(candidate_id)
        if candidate.stored.kind is not candidate.incoming.kind:
            raise CannotDecide("candidate", f"{candidate_id}: a {candidate.stored.kind} and a "
                               f"{candidate.incoming.kind} cannot be one entity")
        if sensitivity is not None and judgement is not Judgement.SAME:
            raise CannotDecide("sensitivity", "a sensitivity goes only with the judgement 'same'")
        ids = [i for i in (candidate.stored.id, candidate.incoming.id) if i]
        # as stored and as resolved: a merge an editor made public still names a restricted
        # record, whose id must never reach the committed file (an undo of that merge too)
        records = [*store.find_nodes(ids).values(), *store.stored.find_nodes(ids).values()]
        touches_restricted = any(n.restricted for n in records) or candidate.stored.restricted \
            or candidate.incoming.restricted
        decision = Decision(
            candidate=candidate.id, stored=candidate.stored.id or "",
            incoming=candidate.incoming.id if candidate.mention is None else None,
            mention=candidate.mention, judgement=judgement, sensitivity=sensitivity,
            by=by, at=_later_than(self.resolver().latest.get(candidate.id)), note=note,
            private=touches_restricted or None)
        self.record(decision, over_api=over_api)
        return decision
