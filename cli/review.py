"""`repgraph review`: the candidates waiting for an editor, and the editor's decisions.

Decisions made here are written into the dataset (`data/decisions.jsonl`, or the private
tier's when they touch a restricted record), where git is their history; `export` moves
those made over the API there too (`graph.review`).
"""

from __future__ import annotations

import argparse
import json

from api import audit
from config import Settings
from graph.identity import Candidate, Judgement, Side
from graph.review import ReviewFiles
from graph.store import GraphStore
from loaders.linking import across_sources, named_pair
from schema.vocabulary import Sensitivity


def add_parsers(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    review = sub.add_parser("review", help="candidates for one entity: list them, decide them")
    actions = review.add_subparsers(dest="review")
    actions.add_parser("list", help="open candidates, closest first (the default)")
    show = actions.add_parser("show", help="one candidate with its evidence")
    show.add_argument("candidate")
    decide = actions.add_parser("decide", help="same (merge), different (never propose again) "
                                               "or unsure")
    decide.add_argument("candidate")
    decide.add_argument("judgement", choices=[j.value for j in Judgement if j is not
                                              Judgement.UNDONE])
    decide.add_argument("--sensitivity", choices=[s.value for s in Sensitivity],
                        help="with same: the merged entity's sensitivity (otherwise the most "
                             "restricted of the two records)")
    decide.add_argument("--note", help="why, for the next editor")
    undo = actions.add_parser("undo", help="take back a candidate's decision (it is open again)")
    undo.add_argument("candidate")
    actions.add_parser("export", help="move decisions made over the API into the dataset")
    scan = actions.add_parser(
        "scan", help="propose records that different sources define under near or equal "
                     "names (after loading a new source); nothing is joined until decided")
    scan.add_argument("--source", help="only this source's records against the others'")
    pair = actions.add_parser(
        "pair", help="propose two records you hold to be one entity, whatever their names; "
                     "prints the candidate to decide")
    pair.add_argument("stored", help="the id to keep")
    pair.add_argument("incoming", help="the id to join to it")


def _side(side: Side) -> str:
    where = "; ".join(f"{c.source} {c.locator}" for c in side.citations) or "no citation"
    ident = f" [{side.id}]" if side.id else " (a name in a text)"
    return f"{side.name}{ident} ({side.kind.value}): {where}"


def describe(candidate: Candidate) -> str:
    lines = [f"{candidate.id}  score {candidate.score:g}  {candidate.how}",
             f"  stored:   {_side(candidate.stored)}",
             f"  incoming: {_side(candidate.incoming)}"]
    if candidate.mention is not None:
        lines.append(f"  same: {candidate.mention.source} MENTIONS {candidate.mention.target}")
    return "\n".join(lines)


def _stored(store: GraphStore) -> GraphStore:
    """The records as loaded, before any decision joins them (`graph.resolved`)."""
    return getattr(store, "stored", store)


def run(args: argparse.Namespace, store: GraphStore, settings: Settings, who: str) -> int:
    files = ReviewFiles.of(settings)
    action = args.review or "list"
    if action == "list":
        waiting = files.open_candidates(store)
        if args.json:
            print(json.dumps([c.model_dump(mode="json", exclude_none=True) for c in waiting],
                             ensure_ascii=False, indent=2))
        else:
            print("\n".join(map(describe, waiting)) or "no open candidates")
        return 0
    if action == "show":
        candidate = files.candidates().get(args.candidate)
        if candidate is None:
            print(f"error: no candidate with id {args.candidate!r}")
            return 2
        decided = files.resolver().decided(candidate.id)
        print(describe(candidate))
        print(f"  decided: {decided.judgement.value} by {decided.by} at {decided.at}"
              if decided else "  open")
        return 0
    if action == "scan":
        found = across_sources(_stored(store).iter_nodes(), f"scan:{who}", source=args.source)
        added = files.propose(found)
        print(f"{len(found)} candidate(s) across sources, {added} new in the queue; "
              "see `repgraph review`")
        return 0
    if action == "pair":
        nodes = _stored(store).find_nodes([args.stored, args.incoming])
        missing = [i for i in (args.stored, args.incoming) if i not in nodes]
        if missing:
            print(f"error: no record with the id {missing[0]!r}")
            return 2
        candidate = named_pair(nodes[args.stored], nodes[args.incoming], f"pair:{who}")
        files.propose([candidate])
        print(describe(candidate))
        return 0
    if action == "export":
        public, private = files.export()
        print(f"moved {public} decision(s) to {files.committed} and {private} to {files.private}")
        return 0
    judgement = Judgement.UNDONE if action == "undo" else Judgement(args.judgement)
    sensitivity = getattr(args, "sensitivity", None)
    decision = files.decide(store, args.candidate, judgement, by=who, over_api=False,
                            sensitivity=Sensitivity(sensitivity) if sensitivity else None,
                            note=getattr(args, "note", None))
    path = files.private if decision.private else files.committed
    audit.record(settings.audit_log_path, who=who, action="review-decide",
                 candidate=decision.candidate, judgement=decision.judgement.value)
    print(f"{decision.candidate}: {decision.judgement.value}, written to {path}")
    return 0
