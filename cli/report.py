"""`repgraph report disagreements`: every fact whose sources give different values."""

from __future__ import annotations

import argparse
import json

from graph.statements import disagreements, stated_by
from graph.store import GraphStore
from schema.models import Edge, Node


def add_parsers(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    report = sub.add_parser("report", help="reports over the whole store")
    kinds = report.add_subparsers(dest="report", required=True)
    kinds.add_parser("disagreements", help="facts whose sources give different values, "
                                           "each value with its sources")


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


def run(args: argparse.Namespace, store: GraphStore) -> int:
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
