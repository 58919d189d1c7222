"""`repgraph`: load data, look at the graph and ask it questions from a terminal.

Entities can be named by id or by name (or alias): case, diacritics and script do not
matter, but a name must be exact. Anything else runs nothing: the command exits 2 and
lists the closest candidates, so an answer never refers to someone else. `--closest`
on a query takes the closest candidate instead, and says which.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from collections.abc import Sequence
from pathlib import Path

import orjson
from pydantic import BaseModel

from api import audit
from cli import analyse, editors, interop, review, tiers
from cli import report as reports
from cli.rotate import rotate_secret
from config import Settings, get_settings
from graph import open_store, queries
from graph.coverage import Coverage, coverage
from graph.errors import Ambiguous, InvalidData, RepgraphError, Unresolved
from graph.public import PublicViews
from graph.redaction import RedactionKeys
from graph.results import Path as GraphPath
from graph.results import SensitivityChange, TimelineEntry
from graph.search import Hit, SearchIndex, resolve_id
from graph.store import GraphStore
from loaders import native
from loaders.formats import FORMATS, ImportOptions
from schema.vocabulary import Certainty


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="repgraph", description=__doc__.splitlines()[0])
    p.add_argument("--json", action="store_true", help="print results as JSON")
    sub = p.add_subparsers(dest="command", required=True)

    load = sub.add_parser("load", help="validate and load dataset files or directories")
    load.add_argument("paths", nargs="*", type=Path,
                      help="default: the dataset folder; the private data tier is loaded "
                           "beside it (docs/ethics.md)")
    load.add_argument("--replace", action="store_true",
                      help="make the store hold exactly these records")
    load.add_argument("--check", action="store_true", help="validate only, write nothing")

    stats = sub.add_parser("stats", help="counts by node kind and relationship type")
    stats.add_argument("--by-source", action="store_true",
                       help="per source, oldest first: records it defines, relationships "
                            "citing it, and the distinct people and cases it adds or confirms")
    stats.add_argument("--beyond", metavar="SOURCE",
                       help="with --by-source: also count the people no record of SOURCE states")
    review.add_parsers(sub)
    reports.add_parsers(sub)
    analyse.add_parsers(sub)
    rotate = sub.add_parser("rotate-secret", help="replace the secret pseudonyms derive from "
                                                  "(docs/ethics.md)")
    rotate.add_argument("--keep-published", action="store_true",
                        help="pin every public id the old secret derived, so that published "
                             "URLs keep working; never after a leak")
    sub.add_parser("touch", help="after editing Neo4j by hand: a new content version, so that "
                                 "running services rebuild what they cached")

    search = sub.add_parser("search", help="find entities by name")
    search.add_argument("text")
    search.add_argument("--kind")
    search.add_argument("--limit", type=int, default=10)

    q = sub.add_parser("query", help="ask the graph a question").add_subparsers(
        dest="query", required=True)
    naming = argparse.ArgumentParser(add_help=False)
    naming.add_argument("--closest", action="store_true",
                        help="a name that is no entity's: take the closest match (printed) "
                             "instead of listing candidates and exiting 2")
    path = q.add_parser("path", help="how are two entities connected?", parents=[naming])
    path.add_argument("source")
    path.add_argument("target")
    path.add_argument("--max-hops", type=int)
    path.add_argument("--all", action="store_true", help="all shortest paths that read differently")
    path.add_argument("--ranked", action="store_true",
                      help="the shortest connections scored, best first, with each score's terms")
    path.add_argument("--through-generic", action="store_true",
                      help="let paths pass through generic actors (the authorities as a whole)")
    path.add_argument("--types", help="comma-separated relationship types to follow")
    path.add_argument("--avoid", help="comma-separated entities to route around")
    rel = q.add_parser("relatives", help="who was targeted through relatives", parents=[naming])
    rel.add_argument("--target")
    rel.add_argument("--relative")
    nb = q.add_parser("neighbours", help="entities around one entity", parents=[naming])
    nb.add_argument("entity")
    nb.add_argument("--depth", type=int, default=1)
    nb.add_argument("--limit", type=int, default=50)
    links = q.add_parser("case-links", help="cases linked to a case", parents=[naming])
    links.add_argument("case")
    tl = q.add_parser("timeline", parents=[naming], help="dated facts of an entity: status and "
                      "roles newest first, then relationships oldest first")
    tl.add_argument("entity")

    interop.add_parsers(sub)
    editors.add_parsers(sub)

    serve = sub.add_parser("serve", help="run the web service")
    serve.add_argument("--host")
    serve.add_argument("--port", type=int)
    serve.add_argument("--load", type=Path, nargs="*",
                       help="load these dataset paths (none: the dataset folder and the "
                            "private data tier) before serving")
    return p


class _Names:
    """Names typed on the command line, made ids (`graph.search.resolve_id`); the search
    index is built once, and only if some name is not an id."""

    def __init__(self, store: GraphStore, closest: bool) -> None:
        self.store, self.closest = store, closest
        self._index: SearchIndex | None = None

    def __call__(self, ref: str) -> str:
        if self.store.has_node(ref):
            return ref
        self._index = self._index or SearchIndex.of(self.store)
        try:
            return resolve_id(self.store, self._index, ref)
        except Ambiguous:
            raise  # two entities of that name: the closest is no better than the other
        except Unresolved as exc:
            best = exc.candidates[:1]
            if not self.closest or not best or (
                    len(exc.candidates) > 1 and exc.candidates[1].score == best[0].score):
                raise
            print(f"(--closest: taking {ref!r} as {_candidate(best[0])}, "
                  f"{best[0].match} {best[0].score})", file=sys.stderr)
            return best[0].node.id


def _candidate(hit: Hit) -> str:
    return f"{hit.node.name} [{hit.node.id}] ({hit.node.kind.value})"


def _unresolved(exc: Unresolved) -> str:
    """What the CLI prints for a name it would not guess: the error, then the candidates."""
    lines = [f"error: {exc}"]
    if isinstance(exc, Ambiguous):
        lines.append("which one: " + ", ".join(map(_candidate, exc.candidates))
                     + "; name it by id")
    elif exc.candidates:
        lines.append("did you mean: " + ", ".join(map(_candidate, exc.candidates))
                     + " (or pass --closest to take the first)")
    else:
        lines.append("no entity has a similar name (repgraph search NAME finds ids)")
    return "\n".join(lines)


def _hit_row(hit: Hit) -> dict[str, object]:
    return {"id": hit.node.id, "kind": hit.node.kind.value, "name": hit.node.name,
            "match": hit.match.value, "score": hit.score}


def _search_text(found: dict[str, list[dict[str, object]]]) -> str:
    """Matches, then weak ones under "similar names": those are not answers."""
    def lines(rows: list[dict[str, object]]) -> list[str]:
        return [f"{r['score']!s:>5}  {r['match']!s:<7} {r['kind']!s:<12} {r['name']} [{r['id']}]"
                for r in rows]
    text = lines(found["items"]) or ["no match"]
    if found["similar"]:
        text += ["", "similar names (not matches):", *lines(found["similar"])]
    return "\n".join(text)


def _emit(result: object, as_json: bool, text: str) -> None:
    if as_json:
        data = ([r.model_dump(mode="json") if isinstance(r, BaseModel) else r for r in result]
                if isinstance(result, list) else
                result.model_dump(mode="json") if isinstance(result, BaseModel) else result)
        sys.stdout.write(orjson.dumps(data, option=orjson.OPT_INDENT_2).decode() + "\n")
    else:
        print(text)


def _when(date: str | None) -> str:
    """" in 2017", " in 2019-06", or " on 2019-06-13": the source's dates may be partial."""
    if not date:
        return ""
    return f" {'on' if date.count('-') == 2 else 'in'} {date}"


def _format_path(p: GraphPath) -> str:
    """The path's sentences, then its chain of ids (and, ranked, its score's terms)."""
    head = f"{p.length} hop(s)" + (f", score {p.score:g}" if p.score is not None else "") + ":"
    lines = [head, *(f"  {sentence}" for sentence in p.explanation)]
    lines.append("  " + " - ".join(f"[{n.id}]" for n in p.nodes))
    lines += [f"    score: {part}" for part in p.score_parts]
    return "\n".join(lines)


def _touch(store: GraphStore) -> str:
    from graph.neo4j import Neo4jStore

    base = getattr(store, "base", store)  # under the decisions (`graph.resolved`)
    if not isinstance(base, Neo4jStore):
        return "nothing to do: the embedded store notices a changed snapshot by itself"
    return f"version: {base.touch()}"


def _run_query(args: argparse.Namespace, store: GraphStore) -> None:
    resolve = _Names(store, args.closest)
    if args.query == "path":
        src, dst = resolve(args.source), resolve(args.target)
        answer = queries.connection(
            store, src, dst, max_hops=args.max_hops,
            mode="ranked" if args.ranked else "all" if args.all else "shortest",
            types=args.types.split(",") if args.types else None,
            avoid=[resolve(a) for a in args.avoid.split(",")] if args.avoid else (),
            through_generic=args.through_generic)
        text = "\n\n".join([answer.summary, *map(_format_path, answer.paths)])
        _emit(answer.paths, args.json, text)
    elif args.query == "relatives":
        target = resolve(args.target) if args.target else None
        relative = resolve(args.relative) if args.relative else None
        items = queries.targeted_through_relatives(store, target, relative)
        text = "\n".join(
            f"{r.relative.name} ({r.relation or 'relative'}) of {r.target.name}: "
            f"{', '.join(r.measures)}{_when(r.date)} "
            f"[{'; '.join(c.source + ' ' + c.locator for c in r.citations)}]" for r in items)
        _emit(items, args.json, text or "no one found")
    elif args.query == "neighbours":
        nb = queries.neighbourhood(store, resolve(args.entity), depth=args.depth,
                                   limit=args.limit)
        text = "\n".join(f"{n.kind:<12} {n.name} [{n.id}]" for n in nb.nodes)
        if nb.truncated:
            text += f"\n... {nb.total_nodes - len(nb.nodes)} more"
        _emit(nb, args.json, text)
    elif args.query == "case-links":
        links = queries.case_links(store, resolve(args.case))
        text = "\n".join(f"{lk.case.name} [{lk.case.id}] shares " + "; ".join(
            f"{cat}: {', '.join(n.name for n in ns)}" for cat, ns in lk.shared.items())
            for lk in links)
        _emit(links, args.json, text or "no linked cases")
    elif args.query == "timeline":
        entity = resolve(args.entity)
        entries, history = queries.timeline(store, entity), queries.history(store, entity)
        lines = [timeline_line(e) for e in entries]
        if history:
            lines = ["status and roles, newest first:", *(
                f"{h.date or (f'as of {h.as_of}' if h.as_of else 'undated'):<16} {h.field:<6} "
                f"{h.value:<22} "
                f"{', '.join(s.name for s in h.sources)}" for h in history),
                *(["dated facts, oldest first:"] if lines else []), *lines]
        # in JSON, the shape of the API's timeline: {"entries": [...], "history": [...]}
        _emit({"entries": [e.model_dump(mode="json") for e in entries],
               "history": [h.model_dump(mode="json") for h in history]},
              args.json, "\n".join(lines) or "no dated facts")


def coverage_table(found: Coverage, beyond: str | None = None) -> str:
    """`stats --by-source` as a table a terminal shows."""
    head = (f"{'source':<34} {'date':<10} {'nodes':>6} {'rels':>6} "
            f"{'people +new/=seen':>18} {'cases +new/=seen':>17}")
    rows = [f"{r.source.id[:34]:<34} {r.date or '':<10} {r.nodes:>6} {r.relationships:>6} "
            f"{f'+{r.people_added}/={r.people_confirmed}':>18} "
            f"{f'+{r.cases_added}/={r.cases_confirmed}':>17}" for r in found.sources]
    total = f"distinct people: {found.people}; distinct cases: {found.cases}"
    base = next((r for r in found.sources if r.source.id == beyond), None)
    if base is not None:
        total += (f"; people no record of {beyond} states: "
                  f"{found.people - base.people_added - base.people_confirmed}")
    return "\n".join([head, *rows, total])


def timeline_line(entry: TimelineEntry) -> str:
    """One dated fact on one line: when, what, with whom, where the source says it."""
    when = f"{entry.date} to {entry.end}" if entry.end else entry.date
    what = entry.words
    if entry.other is not None:
        what += (" → " if entry.direction == "out" else " ← ") + entry.other.name
    if entry.certainty is not Certainty.STATED:
        what += f" ({entry.certainty.value}, according to {entry.claimed_by or 'unknown'})"
    cited = "; ".join(f"{c.source} {c.locator}" for c in entry.citations[:2])
    return f"{when:<22} {what}" + (f"  [{cited}]" if cited else "")


def _who() -> str:
    """Who runs the command, for the audit log: "cli:" and the OS user name."""
    try:
        return "cli:" + getpass.getuser()
    except (KeyError, OSError):  # no name for this uid (a container's arbitrary user)
        return f"cli:uid-{os.getuid()}"


def _audit_sensitivity(settings: Settings, action: str, fmt: str, paths: Sequence[Path],
                 changes: Sequence[SensitivityChange]) -> None:
    """Warn of every node a write made public, and put every sensitivity change in the
    audit log, in the shape of the API's import entries."""
    if not changes:
        return
    for change in changes:
        if change.made_public:
            print(f"warning: {change.id} is now public (was {change.before})", file=sys.stderr)
    audit.record(settings.audit_log_path, who=_who(), action=action, format=fmt,
                 paths=[str(p) for p in paths], result="ok",
                 sensitivity_changes=[c.model_dump(mode="json") for c in changes])


def _dataset(paths: Sequence[Path], settings: Settings) -> list[Path]:
    """`paths` with the private data tier beside the dataset folder (`cli.tiers`)."""
    wanted, note = tiers.dataset_paths(paths, settings)
    if note:
        print(note, file=sys.stderr)
    return wanted


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    settings = get_settings()
    try:
        if args.command == "editor":
            return editors.run(args, settings, _who())
        if args.command == "serve":
            from api.server import serve

            if args.load is not None:  # loaded here, not by `serve`, to warn and audit as `load` does
                preload = _dataset(args.load, settings)
                with open_store(settings) as store:
                    report = native.load(preload, store)
                _audit_sensitivity(settings, "load", "native", preload, report.sensitivity_changes)
                print(f"loaded {', '.join(map(str, preload))}: {report.summary()}")
            serve(settings, host=args.host, port=args.port)
            return 0
        with open_store(settings) as store:
            if args.command == "load":
                paths = _dataset(args.paths, settings)
                if args.check:
                    nodes, edges = native.read_dataset(paths, store)
                    print(f"valid: {len(nodes)} nodes, {len(edges)} edges")
                    return 0
                done = FORMATS["native"].load(paths, store, ImportOptions(replace=args.replace))
                _audit_sensitivity(settings, "load", "native", paths, done.sensitivity_changes)
                _emit(done.as_json, args.json, done.summary)
            elif args.command == "stats" and args.by_source:
                by_source = coverage(store)
                _emit(by_source, args.json, coverage_table(by_source, args.beyond))
            elif args.command == "stats":
                stats = store.stats()
                text = "\n".join([
                    f"backend: {store.backend}", f"nodes: {stats.nodes}", f"edges: {stats.edges}",
                    f"groups: {stats.groups}", f"restricted: {stats.restricted}", "by kind:",
                    *(f"  {k:<14} {v}" for k, v in stats.nodes_by_kind.items()),
                    "by relationship type:",
                    *(f"  {k:<26} {v}" for k, v in stats.edges_by_type.items())])
                _emit(stats, args.json, text)
            elif args.command == "review":
                return review.run(args, store, settings, _who())
            elif args.command == "report":
                return reports.run(args, store, settings)
            elif args.command == "analyse":
                analysed, text = analyse.run(args, store, settings)
                _emit(analysed, args.json, text)
            elif args.command == "touch":
                print(_touch(store))
            elif args.command == "rotate-secret":
                print(rotate_secret(store, settings, keep_published=args.keep_published,
                                    who=_who()))
            elif args.command == "search":
                from schema.vocabulary import NodeKind

                kind = NodeKind(args.kind) if args.kind else None
                hits = SearchIndex.of(store).search(args.text, kind=kind, limit=args.limit)
                found = {"items": [_hit_row(h) for h in hits if not h.weak],
                         "similar": [_hit_row(h) for h in hits if h.weak]}
                _emit(found, args.json, _search_text(found))
            elif args.command in ("import", "export"):
                public = PublicViews(store, RedactionKeys.of(settings)).get()
                result, text, changes = interop.run(args, store, public)
                if args.command == "import":
                    _audit_sensitivity(settings, "import", args.format, args.paths, changes)
                _emit(result, args.json, text)
            else:
                _run_query(args, store)
    except InvalidData as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except Unresolved as exc:
        print(_unresolved(exc), file=sys.stderr)
        return 2
    except (RepgraphError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
