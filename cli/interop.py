"""`repgraph import` and `repgraph export`: the interchange formats from the command line."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from exporters.formats import FORMATS, export_to
from graph.results import SensitivityChange
from graph.store import GraphStore
from loaders import csv_format, ftm, text_report


def add_parsers(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    imp = sub.add_parser("import", help="import CSV tables, a FollowTheMoney stream or a report")
    imp.add_argument("--format", required=True, choices=["csv", "ftm", "text"])
    imp.add_argument("paths", nargs="+", type=Path,
                     help="csv: nodes.csv/edges.csv or their directory; ftm: JSON lines; "
                          "text: a plain-text or Markdown report")
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
    if args.format == "csv":
        report = csv_format.load_tables(args.paths, store)
        return report, report.summary(), report.sensitivity_changes
    if args.format == "ftm":
        ftm_report = ftm.load_ftm(args.paths, store, source_id=args.source_id,
                                  source_url=args.source_url, source_name=args.source_name)
        return ({"imported": dict(ftm_report.imported), "matched": ftm_report.matched,
                 "skipped": {s: dict(r) for s, r in ftm_report.skipped.items()},
                 "ignored_topics": dict(ftm_report.ignored_topics)}, ftm_report.summary(),
                ftm_report.sensitivity_changes)
    readings = [text_report.import_report(p, store, source_id=args.source_id) for p in args.paths]
    return ([{"source": r.source.id, "mentions": r.mentions,
              "unplaced": [{"name": u.name, "paragraphs": list(u.paragraphs), "why": u.why}
                           for u in r.unplaced]} for r in readings],
            "\n\n".join(r.summary() for r in readings),
            [c for r in readings if r.write is not None for c in r.write.sensitivity_changes])
