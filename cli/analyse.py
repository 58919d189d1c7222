"""`repgraph analyse`: brokers and communities of the whole network (`graph.analysis`)."""

from __future__ import annotations

import argparse

from config import Settings
from graph import analysis
from graph.public import PublicViews
from graph.redaction import RedactionKeys
from graph.store import GraphStore
from schema.vocabulary import NodeKind


def add_parsers(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    analyse = sub.add_parser("analyse", help="brokers and communities of the whole network")
    what = analyse.add_subparsers(dest="analysis", required=True)
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--through-generic", action="store_true",
                        help="include generic actors (left out by default: they would top "
                             "every list)")
    common.add_argument("--types", help="comma-separated relationship types to follow")
    common.add_argument("--public", action="store_true",
                        help="as the public reads it: restricted persons under pseudonyms")
    brokers = what.add_parser("brokers", parents=[common],
                              help="who bridges otherwise separate parts of the network")
    brokers.add_argument("--limit", type=int, default=20)
    brokers.add_argument("--kind", action="append", type=NodeKind, choices=list(NodeKind),
                         help="only list entities of this kind (repeatable)")
    brokers.add_argument("--sample", type=int,
                         help="estimate from this many pivots (default: exact up to "
                              f"{analysis.EXACT_UP_TO:,} entities, sampled above)")
    groups = what.add_parser("communities", parents=[common],
                             help="the groups the network falls into (Louvain)")
    groups.add_argument("--limit", type=int, default=20)


def run(args: argparse.Namespace, store: GraphStore,
        settings: Settings) -> tuple[analysis.Brokers | analysis.Communities, str]:
    """The answer, and the same in plain text."""
    if args.public:
        store = PublicViews(store, RedactionKeys.of(settings)).get()
    types = [t.strip() for t in args.types.split(",")] if args.types else None
    if args.analysis == "brokers":
        found = analysis.brokers(store, through_generic=args.through_generic, types=types,
                                 kinds=args.kind, limit=args.limit, sample=args.sample)
        return found, brokers_text(found)
    groups = analysis.communities(store, through_generic=args.through_generic, types=types,
                                  limit=args.limit)
    return groups, communities_text(groups)


def brokers_text(found: analysis.Brokers) -> str:
    how = ("exact" if found.method == "exact" else
           f"estimated from {found.pivots:,} pivots drawn with a fixed seed")
    lines = [f"brokers over {found.entities:,} entities and {found.relationships:,} linked pairs "
             f"(betweenness, {how}; generic actors "
             f"{'included' if found.through_generic else 'left out'}):"]
    for rank, b in enumerate(found.brokers, 1):
        lines += [f"{rank:>3}. {b.entity.name} [{b.entity.id}] score {b.score:.4f}, "
                  f"linked to {b.degree}",
                  f"     {b.explanation}."]
    return "\n".join(lines)


def communities_text(groups: analysis.Communities) -> str:
    lines = [f"{groups.total} communities over {groups.entities:,} entities (Louvain, seed "
             f"{groups.seed}, modularity {groups.modularity:.2f}; generic actors "
             f"{'included' if groups.through_generic else 'left out'}):"]
    for c in groups.communities:
        names = ", ".join(m.entity.name for m in c.most_connected)
        lines += [f"#{c.number}: {c.explanation}.", f"     most connected: {names}"]
    return "\n".join(lines)
