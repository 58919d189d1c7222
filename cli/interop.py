"""`repgraph import` and `repgraph export`: the interchange formats from the command line."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from exporters.formats import FORMATS, export_to
from graph.results import SensitivityChange
from graph.store import GraphStore
from loaders.formats import FORMATS as IMPORTS
from loaders.formats import ImportOptions


def add_parsers(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    imp = sub.add_parser("import", help="import CSV tables, a FollowTheMoney stream or a report")
    imp.add_argument("--format", required=True, choices=sorted(IMPORTS))
    imp.add_argument("paths", nargs="+", type=Path,
                     help="csv: nodes.csv/edges.csv, their directory or a zip of them; ftm: "
                          "JSON lines; text: a plain-text or Markdown report; native: as "
                          "`repgraph load`")
    imp.add_argument("--source-id", help="ftm/text: id of the source node the records cite")
    imp.add_argument("--source-url", help="ftm: URL of the dataset")
    imp.add_argument("--source-name", help="ftm: title of the dataset")
    exp = sub.add_parser("export", help="write the graph as CSV, FollowTheMoney, GraphML or GEXF")
    exp.add_argument("--format", required=True, choices=sorted(FORMATS))
    exp.add_argument("--out", required=True, type=Path,
                     help="file to write (csv: a directory, or a .zip file)")
    exp.add_argument("--all", action="store_true", dest="everything",
                     help="write every record as stored, restricted persons' names included "
                          "(by default the export is the public view, safe to publish)")


def run(args: argparse.Namespace, store: GraphStore, public: GraphStore,
        ) -> tuple[object, str, list[SensitivityChange]]:
    """Carry out an import or export; returns (result for --json, text for people, the
    sensitivity changes the import wrote). An export writes `public` (the public view)
    unless `--all` asks for the store itself, which it then warns about on stderr."""
    if args.command == "export":
        files = export_to(store if args.everything else public, args.format, args.out)
        if args.everything:
            print(f"warning: {', '.join(map(str, files))} holds every record as stored; it names "
                  f"{store.stats().restricted} restricted persons: never publish it",
                  file=sys.stderr)
            what = "every record as stored"
        else:
            what = "the public view (restricted persons pseudonymised; --all for every record)"
        return [str(f) for f in files], "\n".join(
            [f"exported {what}", *(f"wrote {f}" for f in files)]), []
    done = IMPORTS[args.format].load(args.paths, store, ImportOptions(
        source_id=args.source_id, source_url=args.source_url, source_name=args.source_name,
        review=getattr(store, "files", None)))
    return done.as_json, done.summary, done.sensitivity_changes
