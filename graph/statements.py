"""Every value of a record with the sources that state it, and where the sources disagree.

After OpenSanctions' statements: a value is a fact only with the sources that state it. A
record from one source states each of its values by its own citations, so nothing is
stored for it; a record built from several (entities an editor judged the same, a
relationship two sources state) keeps `statements`: every value each source gave, a value
several give being one statement with all their citations. Where a field can hold one
value only (a description, a date, a sentence length) and the sources give two, both are
kept and shown side by side: a *disagreement*. None is silently preferred; the record's
own field shows one of them, and its statement says why (`shown_first`).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import Any

from graph.results import Fact, FactValue
from schema.models import Citation, Edge, Node, Statement, merge_citations

#: the fields of a node that state facts about it, besides its properties
NODE_FIELDS = ("name", "aliases", "description", "roles", "status", "count", "count_qualifier")
#: ... and of a relationship
EDGE_FIELDS = ("key", "date", "end", "certainty", "claimed_by")
#: fields that hold several values: each value is a statement of its own, never a
#: disagreement (two sources naming two roles state two facts)
LIST_FIELDS = frozenset({"aliases", "roles", "status"})
#: fields whose differences are names, not disagreements: the other names become aliases
NAME_FIELDS = frozenset({"name", "aliases"})


def _values(record: Node | Edge) -> Iterable[tuple[str, Any]]:
    fields = NODE_FIELDS if isinstance(record, Node) else EDGE_FIELDS
    for field in fields:
        value = getattr(record, field)
        if field in LIST_FIELDS:
            yield from ((field, v) for v in value)
        elif value is not None:
            yield field, value.value if hasattr(value, "value") else value
    for name, value in record.properties.items():
        if isinstance(value, list) and not any(isinstance(v, dict) for v in value):
            yield from ((f"properties.{name}", v) for v in value)
        else:
            yield f"properties.{name}", value


def several_values(record: Node | Edge, field: str) -> bool:
    """Whether the field holds a list of values (roles, charges), each a fact of its own."""
    if field in LIST_FIELDS:
        return True
    name = field.removeprefix("properties.")
    return name != field and isinstance(record.properties.get(name), list)


def statements_of(record: Node | Edge) -> list[Statement]:
    """Every value of the record with its sources: those it keeps, or else each value of a
    single source's record stated by the record's citations."""
    if record.statements:
        return list(record.statements)
    if not record.citations:
        return []
    return [Statement(field=f, value=v, citations=record.citations) for f, v in _values(record)]


def _key(statement: Statement) -> tuple[str, str]:
    return statement.field, json.dumps(statement.value, sort_keys=True, ensure_ascii=False)


def _joined(statements: Iterable[Statement]) -> dict[tuple[str, str], Statement]:
    """Statements of one value joined into one, with all their citations, in first order."""
    joined: dict[tuple[str, str], Statement] = {}
    for statement in statements:
        key = _key(statement)
        found = joined.get(key)
        joined[key] = statement if found is None else found.model_copy(update={
            "citations": merge_citations(found.citations, statement.citations)})
    return joined


def combine(records: Sequence[Node | Edge], shown: Node | Edge,
            reason: str | None = None) -> list[Statement]:
    """The statements of several records of one fact, joined: a value several state is one
    statement with their citations. Where `shown` (the record built from them) shows one of
    several values of a field, that value's statement records `reason`, if there is one."""
    joined = _joined(s for record in records for s in statements_of(record))
    by_field: dict[str, int] = {}
    for field, _ in joined:
        by_field[field] = by_field.get(field, 0) + 1
    shown_values = {_key(s) for s in statements_of(shown.model_copy(update={"statements": []}))
                    } if shown.citations else set()
    out = []
    for key, statement in joined.items():
        disputed = (by_field[key[0]] > 1 and key[0] not in NAME_FIELDS
                    and not several_values(shown, key[0]))
        out.append(statement.model_copy(update={"shown_first": reason})
                   if reason and disputed and key in shown_values else statement)
    return out


def disagreements(record: Node | Edge) -> dict[str, list[Statement]]:
    """The fields for which the record's sources give more than one value, each with them."""
    by_field: dict[str, list[Statement]] = {}
    for statement in statements_of(record):
        if statement.field not in NAME_FIELDS and not several_values(record, statement.field):
            by_field.setdefault(statement.field, []).append(statement)
    return {f: s for f, s in by_field.items() if len(s) > 1}


def stated_by(statement: Statement) -> list[str]:
    """The sources that state a value, each once, in the order they are cited."""
    return list(dict.fromkeys(c.source for c in statement.citations))


def sources_of(citations: Iterable[Citation]) -> set[str]:
    return {c.source for c in citations}


def facts_of(record: Node | Edge) -> list[Fact]:
    """The record's facts, field by field: every value with the sources that state it, and
    whether they disagree. In the order of the record's fields."""
    by_field: dict[str, list[Statement]] = {}
    for statement in statements_of(record):
        by_field.setdefault(statement.field, []).append(statement)
    disputed = disagreements(record)
    return [Fact(field=field, disagreement=field in disputed, values=[
        FactValue(value=s.value, stated_by=stated_by(s), citations=s.citations,
                  shown_first=s.shown_first) for s in found])
        for field, found in by_field.items()]


def restated(old: Node | Edge, new: Node | Edge) -> list[Statement]:
    """The statements of a record another record states again: what the new one's sources
    said before is replaced by what they say now (a correction), the others' are kept."""
    mine = sources_of(new.citations)
    kept = []
    for statement in statements_of(old):
        others = [c for c in statement.citations if c.source not in mine]
        if others:
            kept.append(statement.model_copy(update={"citations": others}))
    return list(_joined([*kept, *statements_of(new)]).values())
