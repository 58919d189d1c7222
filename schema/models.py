"""Typed records of the graph: nodes, edges, citations and partial dates.

These models are the one shape that loaders produce, stores keep, queries return
and the API serialises. They validate against the vocabulary, so a record that
exists is a record the vocabulary allows.
"""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal
from urllib.parse import quote

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    ValidationInfo,
    computed_field,
    model_validator,
)

from schema.text import refused_character, refused_in
from schema.vocabulary import (
    KIND_PROPERTIES,
    MEASURES,
    PSEUDONYM,
    RELATIONS,
    ROLES,
    STATUSES,
    Certainty,
    NodeKind,
    Sensitivity,
    is_valid_id,
)

_DATE = re.compile(r"^(\d{4})(?:-(0[1-9]|1[0-2])(?:-(0[1-9]|[12]\d|3[01]))?)?$")
#: a numbered paragraph ("2.10"); anything else sorts first, by its text
_PARAGRAPH = re.compile(r"^\d{1,9}(?:\.\d{1,9})*$")
_DURATION = re.compile(r"^P(?=\d)(?:\d+Y)?(?:\d+M)?(?:\d+D)?$")


def _check_date(value: str) -> str:
    if not _DATE.match(value):
        raise ValueError(f"{value!r} is not a date: write YYYY, YYYY-MM or YYYY-MM-DD")
    return value


def _check_id(value: str) -> str:
    if not is_valid_id(value):
        raise ValueError(
            f"{value!r} is not a valid id: use lower-case letters, digits and single hyphens"
        )
    return value


def _check_pseudonym(value: str) -> str:
    if not value.startswith("restricted-") or not PSEUDONYM.match(value):
        raise ValueError(f"{value!r} is not a pseudonym: write restricted- and 16 hex digits")
    return value


#: The validation context of records read back from a store. Their text was checked when
#: they came in; a record stored before a rule existed must stay readable, not stop the store.
STORED = {"stored": True}


def _incoming(info: ValidationInfo) -> bool:
    return not (isinstance(info.context, dict) and info.context.get("stored"))


def _check_text(value: str, info: ValidationInfo) -> str:
    problem = refused_character(value) if _incoming(info) else None
    if problem:
        raise ValueError(problem)
    return value


def _check_property_text(value: Any, info: ValidationInfo) -> Any:
    problem = refused_in(value) if _incoming(info) else None
    if problem:
        raise ValueError(problem)
    return value


#: Free text: any characters XML 1.0 exports can carry (see `schema.text`).
Text = Annotated[str, AfterValidator(_check_text)]
PropertyValue = Annotated[Any, AfterValidator(_check_property_text)]
#: A date known to the year, the month or the day: "2019", "2019-06", "2019-06-13".
PartialDate = Annotated[str, AfterValidator(_check_date)]
EntityId = Annotated[str, AfterValidator(_check_id)]


def date_precision(value: str) -> str:
    """Precision of a partial date: "year", "month" or "day"."""
    return {4: "year", 7: "month", 10: "day"}[len(value)]


def paragraph_anchor(paragraph: str) -> str:
    """The id a source's reader gives a paragraph ("p-3.7", "p-front")."""
    return f"p-{quote(paragraph, safe='')}"


def source_href(source: str, paragraph: str | None = None, footnote: int | None = None) -> str:
    """A same-origin link to a source's reader, at a paragraph or else at a footnote."""
    page = f"/sources/{quote(source, safe='')}"
    if paragraph:
        return f"{page}#{paragraph_anchor(paragraph)}"
    return page if footnote is None else f"{page}#fn-{footnote}"


class Citation(BaseModel):
    """Where a fact is stated: a source document, a paragraph, a footnote and its URL."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    source: EntityId
    paragraph: Text | None = None
    footnote: int | None = None
    url: Text | None = None
    note: Text | None = None

    @model_validator(mode="before")
    @classmethod
    def _drop_derived(cls, data: Any) -> Any:
        """`locator` and `href` are derived, so a serialised citation read back ignores them."""
        if isinstance(data, dict) and ("locator" in data or "href" in data):
            data = {k: v for k, v in data.items() if k not in ("locator", "href")}
        return data

    @computed_field  # type: ignore[prop-decorator]
    @property
    def locator(self) -> str:
        """Where in the source, for people: "para 3.7, fn 14", or "document" when unknown."""
        parts = []
        if self.paragraph:
            parts.append(f"para {self.paragraph}")
        if self.footnote is not None:
            parts.append(f"fn {self.footnote}")
        return ", ".join(parts) or "document"

    @computed_field  # type: ignore[prop-decorator]
    @property
    def href(self) -> str:
        """Where a reader reads it: the source's page (`/sources/{id}`), at the paragraph
        (`#p-3.7`), else at the footnote (`#fn-14`). The page links the source's public
        address when it holds no text of it."""
        return source_href(self.source, self.paragraph, self.footnote)

    def key(self) -> tuple[str, tuple[int, ...], str, int, str]:
        """Sort key in reading order: front matter first, then 1.1, 1.2, ..., 2.10."""
        para = self.paragraph or ""
        order = tuple(int(p) for p in para.split(".")) if _PARAGRAPH.match(para) else (-1,)
        return (self.source, order, para, self.footnote or 0, self.note or "")


def merge_citations(a: list[Citation], b: list[Citation]) -> list[Citation]:
    """Union of two citation lists, in a stable order."""
    if not b and len(a) <= 1:
        return list(a)
    seen = {c.key(): c for c in a}
    for c in b:
        seen.setdefault(c.key(), c)
    return sorted(seen.values(), key=Citation.key)


#: which `Node` list a step of a history belongs to, by the step's `field`
STEP_FIELDS: dict[str, str] = {"status": "status", "role": "roles"}


class Step(BaseModel):
    """One dated value of a person's status or roles, as one source states it.

    `date` is the date the source gives for the change (arrested in 2022); a source
    that only says how things stood gives `as_of`, its publication date. A history
    lists steps newest first (`Step.when`), each with the citations that state it.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    field: Literal["status", "role"]
    value: str
    date: PartialDate | None = None
    as_of: PartialDate | None = None
    citations: list[Citation] = Field(default_factory=list)

    @model_validator(mode="after")
    def _check(self) -> Step:
        allowed = STATUSES if self.field == "status" else ROLES
        if self.value not in allowed:
            raise ValueError(f"unknown {self.field} {self.value!r}; "
                             f"allowed: {', '.join(sorted(allowed))}")
        return self

    @property
    def when(self) -> str:
        """The date the step is ordered by: the stated date, else the "as of" date."""
        return self.date or self.as_of or ""

    def key(self) -> tuple[str, str, str, str]:
        """Two steps with the same key are one statement; their citations are merged."""
        return (self.field, self.value, self.date or "", self.as_of or "")


def merge_steps(a: list[Step], b: list[Step]) -> list[Step]:
    """Union of two histories, one step per key with citations merged, newest first."""
    seen: dict[tuple[str, str, str, str], Step] = {}
    for step in (*a, *b):
        prev = seen.get(step.key())
        seen[step.key()] = step if prev is None else prev.model_copy(
            update={"citations": merge_citations(prev.citations, step.citations)})
    ordered = sorted(seen.values(), key=Step.key)
    return sorted(ordered, key=lambda s: s.when, reverse=True)
def cited_source(citations: list[Citation]) -> str | None:
    """The one source all these citations name; None when they name several or none."""
    named = {c.source for c in citations}
    return named.pop() if len(named) == 1 else None


_SUBCOUNT_KEYS = {"count", "of", "date"}


def _is_subcount(value: Any) -> bool:
    """One part of a group: how many, what they are, and as of when where the source says."""
    return (isinstance(value, dict) and {"count", "of"} <= value.keys() <= _SUBCOUNT_KEYS
            and isinstance(value["count"], int) and not isinstance(value["count"], bool)
            and value["count"] >= 0 and isinstance(value["of"], str) and bool(value["of"])
            and (value.get("date") is None
                 or (isinstance(value["date"], str) and bool(_DATE.match(value["date"])))))


#: What a value of each property type must be (`schema.vocabulary.PROPERTY_TYPES`).
_PROPERTY_CHECKS: dict[str, Any] = {
    "str": lambda v: isinstance(v, str),
    "int": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "bool": lambda v: isinstance(v, bool),
    "date": lambda v: isinstance(v, str) and bool(_DATE.match(v)),
    "duration": lambda v: isinstance(v, str) and bool(_DURATION.match(v)),
    "list": lambda v: isinstance(v, list) and all(isinstance(x, str) for x in v),
    "measures": lambda v: isinstance(v, list) and bool(v)
    and all(isinstance(x, str) and x in MEASURES for x in v),
    "footnotes": lambda v: isinstance(v, dict)
    and all(isinstance(k, str) and k.isdigit() and isinstance(x, str) for k, x in v.items()),
    "ref": lambda v: isinstance(v, str) and is_valid_id(v),
    "subcounts": lambda v: isinstance(v, list) and bool(v) and all(map(_is_subcount, v)),
}


def _check_property(owner: str, name: str, ptype: str, value: Any) -> None:
    ok = _PROPERTY_CHECKS[ptype](value)
    if not ok:
        hint = {
            "measures": f"a non-empty list from: {', '.join(sorted(MEASURES))}",
            "duration": "an ISO 8601 duration such as P7Y or P1Y6M",
            "date": "YYYY, YYYY-MM or YYYY-MM-DD",
            "footnotes": "a mapping of footnote numbers to URLs",
            "ref": "the id of a stored record",
            "subcounts": "a non-empty list of {count: N, of: what they are}, "
                         "with an optional date",
        }.get(ptype, ptype)
        raise ValueError(f"{owner} property {name!r} must be {hint}, got {value!r}")


class Statement(BaseModel):
    """One value of one field of a record, with the sources that state it.

    A record from one source needs none: each of its values is stated by its citations
    (`graph.statements.statements_of`). A record built from several (entities an editor
    judged the same) keeps every value each source gave: a value stated by several is one
    statement with all their citations, and different values are all kept, side by side.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    #: the field: "description", "roles", "properties.place", "date", ...
    field: str
    value: PropertyValue
    citations: list[Citation] = Field(min_length=1)
    #: why this value is the one the record shows first, when the data says so
    shown_first: Text | None = None


class Node(BaseModel):
    """An entity: a person, organisation, agency, case, law, event, list or source."""

    model_config = ConfigDict(extra="forbid")

    id: EntityId
    kind: NodeKind
    name: Text = Field(min_length=1, max_length=300)
    aliases: list[Text] = Field(default_factory=list)
    description: Text | None = None
    roles: list[str] = Field(default_factory=list)
    status: list[str] = Field(default_factory=list)
    sensitivity: Sensitivity = Sensitivity.PUBLIC
    #: the public id of a restricted record, pinned: kept through renames and secret
    #: rotations so that published links and embeds keep working (else derived from the id)
    pseudonym: Annotated[str, AfterValidator(_check_pseudonym)] | None = None
    group: bool = False
    count: int | None = Field(default=None, ge=0)
    count_qualifier: Text | None = None
    properties: dict[str, PropertyValue] = Field(default_factory=dict)
    citations: list[Citation] = Field(default_factory=list)
    #: every value with its sources, for a record built from several (`Statement`)
    statements: list[Statement] = Field(default_factory=list)
    #: dated statuses and roles, newest first; every value is also in `status` or `roles`
    history: list[Step] = Field(default_factory=list)
    #: the source that defines this record: ids are local to it (data/README.md). A source
    #: defines itself; a record that names none takes the one source its citations name
    #: (older snapshots), or stays None when they name several or none
    source: EntityId | None = None

    @model_validator(mode="after")
    def _check(self) -> Node:
        self.citations = merge_citations(self.citations, [])
        if self.history:
            self.history = merge_steps(self.history, [])
            for step in self.history:
                values = getattr(self, STEP_FIELDS[step.field])
                if step.value not in values:
                    values.append(step.value)
        if self.kind is NodeKind.SOURCE:
            self.source = self.id
        elif self.source is None:
            self.source = cited_source(self.citations)
        # an alias that repeats the name (or another alias) says nothing, and merging
        # would drop it on the next load, so that a reload would seem to change the node
        self.aliases = [a for a in dict.fromkeys(self.aliases) if a != self.name]
        allowed = KIND_PROPERTIES[self.kind]
        for name, value in self.properties.items():
            if name not in allowed:
                raise ValueError(
                    f"{self.kind} has no property {name!r}; allowed: {', '.join(sorted(allowed))}"
                )
            _check_property(self.kind.value, name, allowed[name].type, value)
        bad_roles = [r for r in self.roles if r not in ROLES]
        if bad_roles:
            raise ValueError(f"unknown roles {bad_roles}; allowed: {', '.join(sorted(ROLES))}")
        bad_status = [s for s in self.status if s not in STATUSES]
        if bad_status:
            raise ValueError(f"unknown status {bad_status}; allowed: {', '.join(sorted(STATUSES))}")
        if (self.roles or self.status or self.history) and self.kind is not NodeKind.PERSON:
            raise ValueError("roles and status apply to persons only")
        if self.count is not None and not self.group:
            raise ValueError("count is for groups: set group: true")
        parts = self.properties.get("subcounts")
        if parts and not self.group:
            raise ValueError("subcounts are parts of a group: set group: true")
        too_many = [p["count"] for p in parts or () if self.count is not None and p["count"] > self.count]
        if too_many:
            raise ValueError(f"a subcount ({too_many[0]}) exceeds the group's count ({self.count})")
        return self

    @property
    def restricted(self) -> bool:
        return self.sensitivity is Sensitivity.RESTRICTED


def edge_id(type_: str, source: str, target: str, key: str | None = None) -> str:
    """Stable edge id from its endpoints and type, so that a reload merges instead of adding."""
    base = f"{source}|{type_}|{target}"
    return f"{base}|{key}" if key else base


class Edge(BaseModel):
    """A cited relationship between two nodes."""

    model_config = ConfigDict(extra="forbid")

    id: str = ""
    type: str
    source: EntityId
    target: EntityId
    key: Text | None = None
    date: PartialDate | None = None
    end: PartialDate | None = None
    certainty: Certainty = Certainty.STATED
    claimed_by: Text | None = None
    properties: dict[str, PropertyValue] = Field(default_factory=dict)
    citations: list[Citation] = Field(min_length=1)
    #: every value with its sources, for a relationship several sources state (`Statement`)
    statements: list[Statement] = Field(default_factory=list)

    @model_validator(mode="after")
    def _check(self) -> Edge:
        self.citations = merge_citations(self.citations, [])
        rel = RELATIONS.get(self.type)
        if rel is None:
            raise ValueError(f"unknown relationship type {self.type!r}")
        for name, value in self.properties.items():
            if name not in rel.properties:
                allowed = ", ".join(sorted(rel.properties)) or "none"
                raise ValueError(f"{self.type} has no property {name!r}; allowed: {allowed}")
            _check_property(self.type, name, rel.properties[name].type, value)
        missing = [p for p in rel.required if p not in self.properties]
        if missing:
            raise ValueError(f"{self.type} requires {', '.join(missing)}")
        if self.end and self.date and self.end < self.date:
            raise ValueError(f"end {self.end} is before date {self.date}")
        if self.certainty is not Certainty.STATED and not self.claimed_by:
            raise ValueError(f"a {self.certainty} fact needs claimed_by: who claims it")
        expected = edge_id(self.type, self.source, self.target, self.key)
        if self.id and self.id != expected:
            raise ValueError(f"id {self.id!r} does not match its endpoints ({expected!r})")
        self.id = expected
        return self

    @property
    def directed(self) -> bool:
        return RELATIONS[self.type].directed
