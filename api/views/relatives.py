"""Who was targeted through their relatives, as rows of a table a reader can scan.

The graph of `/viz/relatives` shows the same answer, but there a reader has to open
edge after edge. Each row here is one `RelativeTargeting` of the analysts' query, in
its order (target, then relative, then date), told in words: the relation ("brother
of ..."), the measures, the measures recorded against the relative elsewhere, the date
to the precision the source gives, who makes a claim that is not simply stated, and
the citations as every other page shows them (`Presenter.citation`).

The rows come from the store the page reads: for the public that is the public view,
where a restricted relative is a pseudonymous record, so nothing here decides what
may be shown.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass

from api.views.present import CitationView, Presenter
from graph.explain import words
from graph.results import Measure, NodeRef, RelativeTargeting
from schema.models import Citation, date_precision
from schema.vocabulary import WORDING, Certainty


@dataclass(frozen=True)
class Person:
    """One end of a targeting: a name as this audience knows it and its entity page."""

    id: str
    name: str
    href: str
    restricted: bool

    @classmethod
    def of(cls, ref: NodeRef) -> Person:
        return cls(id=ref.id, name=ref.name, href=f"/entities/{ref.id}", restricted=ref.restricted)


@dataclass(frozen=True)
class TargetingRow:
    """One targeting in words, ready for a table row."""

    target: Person
    relative: Person
    #: the relative's relation to the target: "brother of Bota Jardemalie"
    relation: str
    #: the measures taken to reach the target: "arrest and torture"
    measures: str
    #: measures recorded against the relative elsewhere: "detained (2017) by ..."
    related: list[str]
    #: the date as the source gives it ("2017-10") and in words ("October 2017")
    date: str | None
    when: str
    #: "" where the source states it; else "alleged, according to ..."
    certainty: str
    citations: list[CitationView]


def when(date: str | None) -> str:
    """A partial date in words, no more precise than the source: "2017", "October 2017",
    "5 October 2017"."""
    if not date:
        return ""
    precision = date_precision(date)
    if precision == "year":
        return date
    month = calendar.month_name[int(date[5:7])]
    if precision == "month":
        return f"{month} {date[:4]}"
    return f"{int(date[8:10])} {month} {date[:4]}"


def relation_of(item: RelativeTargeting) -> str:
    """The family relation in words; a relation the sources do not give reads as the
    vocabulary's words for a relative ("is a relative of")."""
    if item.relation:
        return f"{words(item.relation)} of {item.target.name}"
    passive = WORDING["FAMILY_OF"].passive  # "is a relative of"
    return f"{passive.removeprefix('is ')} {item.target.name}"


def measure_words(measure: Measure) -> str:
    """A measure against the relative: "detained (2017) by Kazakhstani authorities"."""
    text = words(measure.measures)
    if measure.date:
        text += f" ({when(measure.date)})"
    if measure.by is not None:
        text += f" by {measure.by.name}"
    return text


def certainty_words(certainty: Certainty, claimed_by: str | None) -> str:
    """Nothing where the source states it; else how certain, and who says so."""
    if certainty is Certainty.STATED:
        return ""
    return f"{certainty.value}, according to {claimed_by}" if claimed_by else certainty.value


def _cited(item: RelativeTargeting) -> list[Citation]:
    """The targeting's citations, then those of the measures listed with it, each once."""
    seen: dict[str, Citation] = {}
    for citation in [*item.citations, *(c for m in item.related_measures for c in m.citations)]:
        seen.setdefault(citation.href, citation)
    return list(seen.values())


def targeting_rows(items: list[RelativeTargeting], presenter: Presenter) -> list[TargetingRow]:
    """`items` (from `graph.queries.targeted_through_relatives`, in its order) as rows."""
    rows = []
    for item in items:
        citations = _cited(item)
        presenter.load_sources(citations)
        rows.append(TargetingRow(
            target=Person.of(item.target), relative=Person.of(item.relative),
            relation=relation_of(item), measures=words(item.measures),
            related=[measure_words(m) for m in item.related_measures],
            date=item.date, when=when(item.date),
            certainty=certainty_words(item.certainty, item.claimed_by),
            citations=[presenter.citation(c) for c in citations]))
    return rows
