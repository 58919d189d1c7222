"""How the vocabulary maps to FollowTheMoney schemata and properties: one table, both ways.

The exporter (`exporters.ftm`) writes records by these rows and the importer
(`loaders.ftm`) reads entities by them, so that what goes out comes back in the
same place. A row that only one direction uses says so. The tables are plain
data, checked against the vocabulary when this module loads; the followthemoney
library itself checks the FtM names in the tests (`tests/test_ftm_mapping.py`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from schema.vocabulary import KIND_PROPERTIES, RELATIONS, ROLES, NodeKind

Direction = Literal["both", "export", "import"]
K = NodeKind


@dataclass(frozen=True)
class KindSchema:
    kind: NodeKind
    #: what the export writes (a group of persons is a `GROUP_SCHEMA` instead)
    schema: str
    #: the schemata the import reads as this kind; none: never imported
    imported_from: tuple[str, ...]


KINDS = (
    KindSchema(K.PERSON, "Person", ("Person",)),
    KindSchema(K.ORGANISATION, "Organization", ("Organization", "Company")),
    KindSchema(K.AGENCY, "PublicBody", ("PublicBody",)),
    KindSchema(K.CASE, "CourtCase", ("CourtCase",)),
    KindSchema(K.EVENT, "Event", ("Event",)),
    KindSchema(K.SOURCE, "Document", ()),
)
#: a group of people named together is not one person
GROUP_SCHEMA = "LegalEntity"
KIND_SCHEMA = {k.kind: k.schema for k in KINDS}
SCHEMA_KIND = {schema: k.kind for k in KINDS for schema in k.imported_from}


@dataclass(frozen=True)
class PropertyMap:
    """A kind's property and the FtM property it is written to and read from."""

    kinds: frozenset[NodeKind]
    prop: str
    ftm: str
    #: "country": a country name written as an FtM code (fuzzy) and read back as its name;
    #: "date": read back as a partial date (a time is cut off)
    value: Literal["text", "country", "date"] = "text"
    #: further FtM properties the import reads when `ftm` is empty, in order
    read_also: tuple[str, ...] = ()
    direction: Direction = "both"


def _props(kinds: set[NodeKind], prop: str, ftm: str, value: Literal["text", "country", "date"]
           = "text", read_also: tuple[str, ...] = (), direction: Direction = "both",
           ) -> PropertyMap:
    return PropertyMap(frozenset(kinds), prop, ftm, value, read_also, direction)


PROPERTIES = (
    _props({K.PERSON}, "nationality", "nationality", "country", ("citizenship", "country")),
    _props({K.PERSON}, "occupation", "profession"),
    _props({K.PERSON}, "died", "deathDate", "date"),
    _props({K.ORGANISATION, K.AGENCY}, "country", "country", "country", ("jurisdiction", "mainCountry")),
    _props({K.ORGANISATION}, "website", "website"),
    _props({K.ORGANISATION}, "founded", "incorporationDate", "date"),
    _props({K.ORGANISATION}, "org_type", "legalForm", direction="export"),
    _props({K.AGENCY}, "agency_type", "legalForm", direction="export"),
    _props({K.CASE}, "case_number", "caseNumber"),
    _props({K.CASE}, "case_type", "type"),
    _props({K.CASE}, "country", "country", "country"),
    _props({K.CASE}, "opened", "fileDate", "date"),
    _props({K.CASE}, "outcome", "status", direction="export"),
    _props({K.EVENT}, "place", "location"),
    _props({K.EVENT}, "event_type", "summary", direction="export"),
    _props({K.SOURCE}, "date", "publishedAt", direction="export"),
    _props({K.SOURCE}, "submitters", "author", direction="export"),
    _props({K.SOURCE}, "publisher", "publisher", direction="export"),
    _props({K.SOURCE}, "url", "sourceUrl", direction="export"),
)


def properties_of(kind: NodeKind, direction: Literal["export", "import"]) -> list[PropertyMap]:
    """The property rows of one kind that one direction uses, in table order."""
    return [m for m in PROPERTIES if kind in m.kinds and m.direction in ("both", direction)]


@dataclass(frozen=True)
class EdgeSchema:
    """A relationship type written as an FtM interval entity with two ends."""

    type: str
    schema: str
    #: the FtM properties holding the relationship's source and its target
    source: str
    target: str
    #: the `role` written when the relationship has none of its own
    role: str | None = None
    #: edge property -> FtM property, both ways
    properties: tuple[tuple[str, str], ...] = ()
    #: whether the import reads `schema` back as this type
    imported: bool = False


EDGES = (
    EdgeSchema("MEMBER_OF", "Membership", "member", "organization",
               properties=(("role", "role"),), imported=True),
    EdgeSchema("LEADS", "Directorship", "director", "organization",
               properties=(("role", "role"),), imported=True),
    EdgeSchema("FAMILY_OF", "Family", "relative", "person",
               properties=(("relation", "relationship"),), imported=True),
    EdgeSchema("ASSOCIATE_OF", "Associate", "person", "associate", imported=True),
    EdgeSchema("REPRESENTED", "Representation", "agent", "client", imported=True),
    EdgeSchema("DEFENDANT_IN", "CourtCaseParty", "party", "case", "defendant"),
    EdgeSchema("SENTENCED_IN", "CourtCaseParty", "party", "case", "sentenced"),
    EdgeSchema("COMPLAINANT_IN", "CourtCaseParty", "party", "case", "complainant"),
    EdgeSchema("OPENED_BY", "CourtCaseParty", "case", "party", "opened the case"),
    EdgeSchema("INVESTIGATED_BY", "CourtCaseParty", "case", "party", "investigator"),
    EdgeSchema("PROSECUTED_BY", "CourtCaseParty", "case", "party", "prosecutor"),
    EdgeSchema("TRIED_BY", "CourtCaseParty", "case", "party", "court"),
    EdgeSchema("CASE_OUTCOME", "CourtCaseParty", "party", "case", "decided the outcome"),
    EdgeSchema("MENTIONS", "Documentation", "document", "entity", "mentioned"),
)
EDGE_SCHEMA = {e.type: e for e in EDGES}
SCHEMA_EDGE = {e.schema: e for e in EDGES if e.imported}

#: import: a `CourtCaseParty` whose role contains the word (folded) is this relationship
PARTY_ROLES = (("defend", "DEFENDANT_IN"), ("accused", "DEFENDANT_IN"),
               ("suspect", "DEFENDANT_IN"), ("respondent", "DEFENDANT_IN"),
               ("plaintiff", "COMPLAINANT_IN"), ("complain", "COMPLAINANT_IN"),
               ("claimant", "COMPLAINANT_IN"))
#: export: relationships that become an FtM `Event` against their target, and its name
MEASURE_EVENTS = {"BLOCKED_ACCOUNTS": "blocking of accounts", "DETAINED": "detention",
                  "TORTURED": "torture", "ACTED_AGAINST": "measures"}
#: export: person roles as FtM role topics (no risk topic is ever written)
ROLE_TOPICS = {"journalist": "role.journo", "blogger": "role.journo", "lawyer": "role.lawyer",
               "activist": "role.act", "civil_activist": "role.act", "eco_activist": "role.act",
               "human_rights_defender": "role.act", "politician": "role.pol",
               "opposition_leader": "role.pol", "opposition_member": "role.pol",
               "official": "role.civil"}


def check_table() -> None:
    """Fail fast when a row names a property, type or role the vocabulary does not have."""
    problems = [f"{m.prop!r} is not a property of {kind}" for m in PROPERTIES
                for kind in m.kinds if m.prop not in KIND_PROPERTIES[kind]]
    problems += [f"{row.type} is not a relationship type" for row in EDGES
                 if row.type not in RELATIONS]
    problems += [f"{row.type} has no property {prop!r}" for row in EDGES
                 if row.type in RELATIONS for prop, _ in row.properties
                 if prop not in RELATIONS[row.type].properties]
    problems += [f"{t} is not a relationship type" for _, t in PARTY_ROLES if t not in RELATIONS]
    problems += [f"{t} is not a relationship type" for t in MEASURE_EVENTS if t not in RELATIONS]
    problems += [f"{r!r} is not a role" for r in ROLE_TOPICS if r not in ROLES]
    if problems:
        raise ValueError("broken FollowTheMoney table: " + "; ".join(problems))


check_table()
