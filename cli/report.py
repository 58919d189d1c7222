"""`repgraph report`: whole-store reports.

- `disagreements`: every fact whose sources give different values;
- `unstructured`: dates and numbers that only descriptions and notes hold (`graph.unstructured`).
"""

from __future__ import annotations

import argparse
import json
import random

from config import Settings
from graph.statements import disagreements, stated_by
from graph.store import GraphStore
from graph.unstructured import exception_files, read_exceptions, unstructured
from schema.models import Edge, Node


def add_parsers(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    report = sub.add_parser("report", help="reports over the whole store")
    kinds = report.add_subparsers(dest="report", required=True)
    kinds.add_parser("disagreements", help="facts whose sources give different values, "
                                           "each value with its sources")
    lint = kinds.add_parser(
        "unstructured", help="dates and numbers that only a description or note holds; exits 1 "
                             "when one is neither structured nor explained")
    lint.add_argument("--all", action="store_true",
                      help="list the explained ones too, with why they stay text")
    sample = kinds.add_parser(
        "sample", help="relationships drawn at random, each with what it says and where, for "
                       "reading against the source (a precision check)")
    sample.add_argument("--size", type=int, default=40)
    sample.add_argument("--seed", type=int, default=0, help="the same seed draws the same sample")
    sample.add_argument("--source", action="append", default=[],
                        help="only relationships citing this source (repeatable)")
    sample.add_argument("--not-source", action="append", default=[],
                        help="leave out relationships citing this source (repeatable)")


def _rows(store: GraphStore) -> list[dict[str, object]]:
    records: list[Node | Edge] = [*store.iter_nodes(), *store.iter_edges()]
    rows: list[dict[str, object]] = []
    for record in records:
        for field, statements in disagreements(record).items():
            name = record.name if isinstance(record, Node) else record.type
            rows.append({"record": record.id, "name": name,
                         "field": field, "values": [
                             {"value": s.value, "stated_by": stated_by(s),
                              "citations": [c.locator for c in s.citations],
                              **({"shown_first": s.shown_first} if s.shown_first else {})}
                             for s in statements]})
    return sorted(rows, key=lambda r: (str(r["record"]), str(r["field"])))


def run(args: argparse.Namespace, store: GraphStore, settings: Settings) -> int:
    if args.report == "unstructured":
        return _unstructured(args, store, settings)
    if args.report == "sample":
        return _sample(args, store)
    rows = _rows(store)
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return 0
    if not rows:
        print("no disagreements: where sources state a fact, they give the same value")
        return 0
    for row in rows:
        print(f"{row['name']} [{row['record']}] {row['field']}:")
        for value in row["values"]:  # type: ignore[attr-defined]
            first = f"  (shown first: {value['shown_first']})" if "shown_first" in value else ""
            print(f"  {json.dumps(value['value'], ensure_ascii=False)}  stated by "
                  f"{', '.join(value['stated_by'])}: {'; '.join(value['citations'])}{first}")
    return 0


def _unstructured(args: argparse.Namespace, store: GraphStore, settings: Settings) -> int:
    explained = {e.key(): e for e in read_exceptions(exception_files(settings.dataset_dir))}
    findings = unstructured(store)
    rows = [{"record": f.record, "field": f.field, "kind": f.kind, "text": f.text,
             "value": f.value, "why": explained[f.key()].why if f.key() in explained else None}
            for f in findings if args.all or f.key() not in explained]
    open_ = sum(1 for r in rows if r["why"] is None)
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
    else:
        for r in rows:
            why = f"  (explained: {r['why']})" if r["why"] else ""
            print(f"{r['record']} {r['field']}: {r['kind']} {r['text']!r}{why}")
        print(f"{open_} not structured and not explained; {len(findings) - open_} explained "
              f"(in {settings.dataset_dir}/*/unstructured-exceptions.csv)")
    return 1 if open_ else 0


def _sample(args: argparse.Namespace, store: GraphStore) -> int:
    """Relationships drawn at random (sorted by id first, so a seed draws the same ones from
    the same data), each as a reader checks it: who, what, the values, and the citations."""
    wanted, unwanted = set(args.source), set(args.not_source)
    pool = sorted((e for e in store.iter_edges()
                   if (not wanted or wanted & {c.source for c in e.citations})
                   and not unwanted & {c.source for c in e.citations}), key=lambda e: e.id)
    drawn = random.Random(args.seed).sample(pool, min(args.size, len(pool)))
    names = store.find_nodes({i for e in drawn for i in (e.source, e.target)})
    sources = store.find_nodes({c.source for e in drawn for c in e.citations})
    rows = [{"n": n, "id": e.id, "says": f"{names[e.source].name} {e.type} {names[e.target].name}",
             "date": e.date, "certainty": e.certainty.value, "claimed_by": e.claimed_by,
             "properties": e.properties,
             "citations": [f"{c.source} {c.locator} " + str(
                 c.url or (sources[c.source].properties.get("url") if c.source in sources
                           else "") or "") for c in e.citations]}
            for n, e in enumerate(drawn, start=1)]
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return 0
    for r in rows:
        print(f"{r['n']:>3}. {r['says']}" + (f" ({r['date']})" if r["date"] else "")
              + (f" [{r['certainty']}, {r['claimed_by']}]" if r["certainty"] != "stated" else ""))
        if r["properties"]:
            print(f"     {json.dumps(r['properties'], ensure_ascii=False)}")
        for c in r["citations"]:  # type: ignore[union-attr]
            print(f"     - {c}")
    print(f"{len(rows)} of {len(pool)} relationships (seed {args.seed})")
    return 0
