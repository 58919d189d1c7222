"""Dates and numbers that only free text holds: facts no query, timeline or export can see.

A description or note that says "forced to leave in 2019" while no field of the record
holds 2019 keeps a fact out of every timeline. This lint reads descriptions and notes for
dates and numbers, and reports each one that no structured field nearby holds: the
record's own dates, counts and durations, those of its relationships and of the records at
their other ends, or their names ("Article 405"). What remains is either a fact to
structure or a mention to explain: `Exception` rows say why a finding is left as text.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from graph.store import GraphStore
from schema.models import Edge, Node
from schema.vocabulary import KIND_PROPERTIES, RELATIONS

MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august",
          "september", "october", "november", "december")
_MONTH = "|".join(MONTHS)
_DATES = re.compile(
    rf"\b(?:(?P<day>\d{{1,2}}) (?P<dmonth>{_MONTH}) (?P<dyear>\d{{4}})"
    rf"|(?P<month>{_MONTH}) (?:of )?(?P<myear>\d{{4}})"
    r"|(?P<iso>\d{4}-\d{2}(?:-\d{2})?)"
    r"|(?P<year>(?:1[89]|20)\d\d)(?:s\b)?)\b", re.I)
#: a number that is not a date: "874", "1,151", "USD 188"; not "3.7" (a paragraph)
_NUMBER = re.compile(r"(?<![\d.,\-])\d{1,3}(?:,\d{3})+(?![\d.,]\d)|(?<![\d.,\-])\d+(?![\d.,]?\d)")
#: numbers written as words ("only ten went to trial", "twenty-four"); "one" is left out,
#: as it is more often a pronoun ("one of them") than a count
_UNITS = ("one", "two", "three", "four", "five", "six", "seven", "eight", "nine")
_TEENS = ("ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen",
          "eighteen", "nineteen")
_TENS = ("twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")
NUMBER_WORDS = {**{w: str(n) for n, w in enumerate(_UNITS[1:], start=2)},
                **{w: str(n) for n, w in enumerate(_TEENS, start=10)},
                **{w: str(10 * n) for n, w in enumerate(_TENS, start=2)}}
_NUMBER_WORD = re.compile(
    rf"\b(?:(?P<tens>{'|'.join(_TENS)})[- ](?P<unit>{'|'.join(_UNITS)})|{'|'.join(NUMBER_WORDS)})\b",
    re.I)
#: words before a number that make it a reference, not a quantity
_REFERENCE = re.compile(
    r"(?:article|articles|art\.|para|paragraph|paragraphs|fn|footnote|footnotes|part|parts|"
    r"no\.|number|session|§)\s*(?:[\d.\-–]+\s*(?:,|and|or)?\s*)*$", re.I)
#: fields of free text the lint reads
TEXT_FIELDS = ("description", "note")


@dataclass(frozen=True)
class Finding:
    record: str
    field: str
    kind: str  # "date" or "number"
    text: str  # as written: "April 2024", "874"
    value: str  # normalised: "2024-04", "874"

    def key(self) -> tuple[str, str, str]:
        return (self.record, self.field, self.text)


@dataclass(frozen=True)
class Explained:
    """A finding left as text on purpose, and why."""

    record: str
    field: str
    text: str
    why: str

    def key(self) -> tuple[str, str, str]:
        return (self.record, self.field, self.text)


def dates_in(text: str) -> Iterator[tuple[str, str]]:
    """(as written, normalised partial date) for each date in a text."""
    for m in _DATES.finditer(text):
        if m["day"]:
            month = MONTHS.index(m["dmonth"].lower()) + 1
            yield m[0], f"{m['dyear']}-{month:02d}-{int(m['day']):02d}"
        elif m["month"]:
            yield m[0], f"{m['myear']}-{MONTHS.index(m['month'].lower()) + 1:02d}"
        elif m["iso"]:
            yield m[0], m["iso"]
        else:
            yield m[0], m["year"]


def numbers_in(text: str) -> Iterator[tuple[str, str]]:
    """(as written, in digits) for each number in a text that counts something: not a date,
    a paragraph or an article."""
    spans = [m.span() for m in _DATES.finditer(text)]
    for m in _NUMBER.finditer(text):
        if any(a <= m.start() < b for a, b in spans):
            continue
        if _REFERENCE.search(text[:m.start()]):
            continue
        yield m[0], m[0].replace(",", "")
    for m in _NUMBER_WORD.finditer(text):
        if m["tens"]:
            units = _UNITS.index(m["unit"].lower()) + 1
            yield m[0], str(int(NUMBER_WORDS[m["tens"].lower()]) + units)
        else:
            yield m[0], NUMBER_WORDS[m[0].lower()]


def _covers(stored: str, mentioned: str) -> bool:
    """A stored date holds a mentioned one at the mention's precision or finer."""
    return stored.startswith(mentioned)


@dataclass
class _Known:
    """What the structured fields around a record hold: dates, numbers, and names."""

    dates: set[str]
    numbers: set[str]
    names: str

    def has_date(self, value: str) -> bool:
        return any(_covers(d, value) for d in self.dates)

    def has_number(self, value: str) -> bool:
        return value in self.numbers or re.search(rf"(?<!\d){value}(?!\d)", self.names) is not None


def _record_values(record: Node | Edge, dates: set[str], numbers: set[str],
                   names: list[str]) -> None:
    if isinstance(record, Node):
        spec = KIND_PROPERTIES[record.kind]
        names += [record.name, *record.aliases]
        if record.count is not None:
            numbers.add(str(record.count))
        for step in record.history:
            dates.update(d for d in (step.date, step.as_of) if d)
    else:
        spec = RELATIONS[record.type].properties
        dates.update(d for d in (record.date, record.end) if d)
        if record.key:
            names.append(record.key)
    for prop, value in record.properties.items():
        kind = spec[prop].type if prop in spec else ""
        if kind == "date":
            dates.add(value)
        elif kind == "int":
            numbers.add(str(value))
        elif kind == "duration":
            numbers.update(re.findall(r"\d+", value))
        elif kind == "subcounts":
            numbers.update(str(p["count"]) for p in value)
            dates.update(p["date"] for p in value if p.get("date"))
        elif kind in ("str", "list") and prop in ("article", "code", "title", "case_number",
                                                  "charges", "sentence", "amount"):
            names += value if isinstance(value, list) else [value]


def _known(records: Iterable[Node | Edge]) -> _Known:
    dates: set[str] = set()
    numbers: set[str] = set()
    names: list[str] = []
    for record in records:
        _record_values(record, dates, numbers, names)
    return _Known(dates, numbers, " | ".join(names))


def _texts(record: Node | Edge) -> Iterator[tuple[str, str]]:
    if isinstance(record, Node) and record.description:
        yield "description", record.description
    note = record.properties.get("note")
    if isinstance(note, str):
        yield "note", note


def _findings(record: Node | Edge, known: _Known) -> Iterator[Finding]:
    for field, text in _texts(record):
        for written, value in dates_in(text):
            if not known.has_date(value):
                yield Finding(record.id, field, "date", written, value)
        for written, number in numbers_in(text):
            if not known.has_number(number):
                yield Finding(record.id, field, "number", written, number)


def unstructured(store: GraphStore) -> list[Finding]:
    """Every date and number a description or note holds that no structured field nearby
    does. Nearby: the record; for a record, its relationships and the records they join; for
    a relationship, the records it joins."""
    nodes = {n.id: n for n in store.iter_nodes()}
    found: list[Finding] = []
    for node in nodes.values():
        edges = store.incident_edges(node.id)
        others = [nodes[i] for e in edges for i in (e.source, e.target) if i in nodes]
        found += _findings(node, _known([node, *edges, *others]))
    for edge in store.iter_edges():
        ends = [nodes[i] for i in (edge.source, edge.target) if i in nodes]
        found += _findings(edge, _known([edge, *ends]))
    return sorted(set(found), key=Finding.key)


def read_exceptions(paths: Iterable[Path]) -> list[Explained]:
    """The explained exceptions: `unstructured-exceptions.csv` files (record, field, text,
    why) in the dataset's source folders. A row without a reason is refused."""
    out: list[Explained] = []
    for path in paths:
        with path.open(newline="", encoding="utf-8") as handle:
            for line, row in enumerate(csv.DictReader(handle), start=2):
                if not (row.get("why") or "").strip():
                    raise ValueError(f"{path}:{line}: column 'why' must say why the "
                                     f"{row.get('text')!r} of {row.get('record')} stays text")
                out.append(Explained(row["record"], row["field"], row["text"], row["why"]))
    return out


def exception_files(dataset: Path) -> list[Path]:
    return sorted(dataset.rglob("unstructured-exceptions.csv"))
