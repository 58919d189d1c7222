"""The vocabulary of the graph: node kinds, relationship types, sensitivity.

Everything else in the project asks this module for names instead of repeating
them. The tables are data: the docs generator, the loader's validation and the
Neo4j label escaping all read them. `check_vocabulary()` runs at import time so
that a broken model fails fast, before any data is touched.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum
from typing import NamedTuple


class NodeKind(StrEnum):
    PERSON = "person"
    ORGANISATION = "organisation"
    AGENCY = "agency"
    CASE = "case"
    LAW = "law"
    EVENT = "event"
    LIST = "list"
    SOURCE = "source"


class Sensitivity(StrEnum):
    PUBLIC = "public"
    RESTRICTED = "restricted"


class Certainty(StrEnum):
    """How the source holds a fact: as its own statement, or as someone's claim."""

    STATED = "stated"
    ALLEGED = "alleged"  # an accusation, indictment or official claim
    REPORTED = "reported"  # eyewitness or media reports the source relays


class Privacy(StrEnum):
    """What a value may tell the public, declared for every field and property.

    The public view (`graph.public`) reads these flags; nothing else decides what a
    public visitor sees of a record.
    """

    PLAIN = "plain"  # a number, date, flag or closed code: shown as stored, on every record
    TEXT = "text"  # free text: restricted persons' names are removed from it; withheld
    #                from a restricted record itself
    IDENTIFYING = "identifying"  # says who or where someone is: withheld from a restricted
    #                record and from every relationship touching one, scrubbed elsewhere


class Prop(NamedTuple):
    """A declared property: its JSON type and its privacy flag."""

    type: str
    privacy: Privacy


def plain(ptype: str) -> Prop:
    return Prop(ptype, Privacy.PLAIN)


def text(ptype: str) -> Prop:
    return Prop(ptype, Privacy.TEXT)


def identifying(ptype: str) -> Prop:
    return Prop(ptype, Privacy.IDENTIFYING)


#: The property that marks a record standing for a whole state or a generic collective ("the
#: Kazakhstani authorities", "law enforcement", a government as a whole) rather than one body
#: or group; its value says why, in the data. Nearly everyone in the graph is linked to such a
#: record, so a connection through it tells an analyst nothing: path queries do not pass
#: through it and views do not expand it unless asked (`graph.generic`).
GENERIC = "generic"

#: Neo4j labels for each kind (CamelCase, as Neo4j style prefers).
KIND_LABELS: dict[NodeKind, str] = {
    NodeKind.PERSON: "Person",
    NodeKind.ORGANISATION: "Organisation",
    NodeKind.AGENCY: "Agency",
    NodeKind.CASE: "Case",
    NodeKind.LAW: "Law",
    NodeKind.EVENT: "Event",
    NodeKind.LIST: "List",
    NodeKind.SOURCE: "Source",
}

#: Properties each kind may carry beyond the common fields (name, aliases, ...):
#: the expected JSON type and what the value may tell the public.
KIND_PROPERTIES: dict[NodeKind, dict[str, Prop]] = {
    NodeKind.PERSON: {
        "nationality": identifying("str"),
        "place": identifying("str"),
        "occupation": identifying("str"),
        "born": identifying("date"),
        "died": identifying("date"),
        "subcounts": text("subcounts"),  # parts of a group: "3 of them women"
    },
    NodeKind.ORGANISATION: {
        "org_type": text("str"),  # movement, party, foundation, bank, criminal group, ...
        "founded": plain("date"),
        "country": text("str"),
        "website": text("str"),
        "registered": plain("bool"),
        "registered_on": plain("date"),  # official registration, when it differs from founding
        "generic": text("str"),  # see GENERIC
        "headquarters": text("str"),
        "offices": text("list"),
    },
    NodeKind.AGENCY: {
        "agency_type": text("str"),  # security service, police, court, ministry, ...
        "country": text("str"),
        "international": plain("bool"),
        "generic": text("str"),  # see GENERIC
    },
    NodeKind.CASE: {
        "case_type": text("str"),  # criminal, administrative, civil, foreign criminal
        "case_number": text("str"),
        "country": text("str"),
        "opened": plain("date"),
        "outcome": text("str"),  # convicted, dropped, dismissed, amnesty, pending, ...
        "charges": text("list"),  # charges as the source words them when it names no article
        "subcounts": text("subcounts"),  # parts of a group of cases: "10 went to trial"
    },
    NodeKind.LAW: {
        "jurisdiction": text("str"),
        "code": text("str"),  # e.g. "Criminal Code"
        "article": text("str"),
        "title": text("str"),
        "enacted": plain("date"),  # when the law, or this article of it, came in
    },
    NodeKind.EVENT: {
        "event_type": text("str"),
        "place": text("str"),
        "date": plain("date"),  # when the event happened, to the precision the source gives
        "end": plain("date"),
        "subcounts": text("subcounts"),
    },
    NodeKind.LIST: {
        "list_type": text("str"),  # financial blacklist, wanted list, ...
        # figures the source gives about the list, in the shape of subcounts:
        # {count: 188, of: "US dollars (about): ...", date: "2024"}
        "figures": text("subcounts"),
    },
    NodeKind.SOURCE: {
        "title": text("str"),
        "date": plain("date"),
        "publisher": text("str"),
        "submitters": text("list"),
        "occasion": text("str"),
        "path": text("str"),
        "url": text("str"),
        "footnotes": text("footnotes"),
        # a copy elsewhere, cited only when the publisher's own page could not be read
        "mirror": text("str"),
        # what of the document could be read ("the introduction and list items 1-30"),
        # when not all of it
        "coverage": text("str"),
        # totals the document itself states ("56 victims"), beside what the graph records
        "stated_counts": text("subcounts"),
        # the locators its citations may use ("1", "2.3", "item 14"), for a document whose
        # text is not held: every citation of it must name one
        "sections": text("list"),
        # every person the document names in its lists, as it spells them: each must be a
        # record of this source (the dataset tests check it)
        "listed": text("list"),
    },
}

#: What each date-typed property dates, as a timeline says it. A date property of a kind
#: may have its own words ("source.date" is when it was published); `check_vocabulary`
#: requires words for every date property, so that every date reaches a timeline.
DATE_WORDS: dict[str, str] = {
    "born": "born", "died": "died", "founded": "founded", "registered_on": "registered",
    "opened": "opened", "enacted": "came into force", "event.date": "took place",
    "event.end": "ended", "source.date": "published", "known_since": "known since",
    "answered": "answered", "decided": "decided",
}


def date_words(owner: str, prop: str) -> str:
    """The words for a date property of a kind or relationship type (`DATE_WORDS`)."""
    return DATE_WORDS.get(f"{owner}.{prop}") or DATE_WORDS[prop]


ROLES: frozenset[str] = frozenset(
    {
        "activist",
        "civil_activist",
        "journalist",
        "blogger",
        "lawyer",
        "human_rights_defender",
        "opposition_leader",
        "opposition_member",
        "political_prisoner",
        "former_political_prisoner",
        "official",
        "businessman",
        "philanthropist",
        "eco_activist",
        "un_expert",
        "politician",
        "criminal_group_leader",
        "relative",
        "observer",
        "student",
        "human_rights_expert",
        "protester",
    }
)

STATUSES: frozenset[str] = frozenset(
    {
        "imprisoned",
        "pre_trial_detention",
        "released",
        "restricted_freedom",
        "exiled",
        "refugee",
        "asylum_seeker",
        "deceased",
        "in_custody",
        "wanted",
        "listed",
        "convicted",
        "amnestied",
        "on_trial",
    }
)


@dataclass(frozen=True)
class RelationType:
    """One relationship type: what it means, what it may join, what it may carry."""

    name: str
    description: str
    sources: frozenset[NodeKind]
    targets: frozenset[NodeKind]
    directed: bool = True
    required: tuple[str, ...] = ()
    properties: dict[str, Prop] = field(default_factory=dict)


def _kinds(*kinds: NodeKind) -> frozenset[NodeKind]:
    return frozenset(kinds)


P, O, A, C, L, E, LI, S = (
    NodeKind.PERSON,
    NodeKind.ORGANISATION,
    NodeKind.AGENCY,
    NodeKind.CASE,
    NodeKind.LAW,
    NodeKind.EVENT,
    NodeKind.LIST,
    NodeKind.SOURCE,
)
ACTORS = _kinds(P, O, A)
TARGETS = _kinds(P, O)

#: What a measure may carry beyond its own properties: the event that set it off, as the
#: source says ("arrested after the protest at the EU Delegation"). The value is the id of a
#: stored record; the public view withholds it when that record is restricted.
TRIGGER: dict[str, Prop] = {"triggered_by": identifying("ref")}

MEASURES: frozenset[str] = frozenset(
    {
        "arrest",
        "detention",
        "pre_trial_detention",
        "administrative_arrest",
        "preventive_detention",
        "fine",
        "torture",
        "accounts_blocked",
        "bank_card_blocked",
        "pension_blocked",
        "iin_blocked",
        "travel_ban",
        "threats",
        "pressure",
        "harassment",
        "intimidation",
        "surveillance",
        "espionage",
        "kidnapping_attempt",
        "kidnapping",
        "assassination",
        "wanted_list",
        "mutual_legal_assistance_request",
        "seizure_of_business",
        "criminal_complaint",
        "criminal_prosecution",
        "questioning",
        "refusal_to_register",
        "replacement_of_sentence",
        "hostage_taking",
        "death",
        "financial_exclusion",
        "shooting",
        "persecution",
        "beating",
        "discrediting",
        "obstruction_of_investigation",
    }
)

RELATION_TYPES: tuple[RelationType, ...] = (
    RelationType("MEMBER_OF", "Is a member, supporter or part of an organisation.",
                 _kinds(P, O), _kinds(O), properties={"role": text("str")}),
    RelationType("LEADS", "Leads or chairs an organisation or body.",
                 _kinds(P), _kinds(O, A), properties={"role": text("str")}),
    RelationType("FOUNDED", "Founded an organisation.", _kinds(P, O), _kinds(O)),
    RelationType("FAMILY_OF", "Source is the <relation> of target (brother, wife, ...).",
                 _kinds(P), _kinds(P), required=("relation",), properties={"relation": text("str")}),
    RelationType("ASSOCIATE_OF", "Named as an associate of another person.", _kinds(P), _kinds(P),
                 directed=False),
    RelationType("TARGETED_THROUGH_RELATIVE",
                 "Source, a relative, was subjected to measures to pressure the target.",
                 _kinds(P), _kinds(P), required=("measures",),
                 properties={"relation": text("str"), "measures": plain("measures"),
                             "purpose": text("str"), **TRIGGER}),
    RelationType("DEFENDANT_IN", "Prosecuted, accused or investigated in a case; `decided` is when "
                 "the case was decided for them (a dismissal, a verdict), as the source dates it.",
                 _kinds(P, O), _kinds(C), properties={"role": text("str"), "decided": plain("date"),
                                                      "note": identifying("str")}),
    RelationType("COMPLAINANT_IN", "Filed the complaint that opened a case.",
                 _kinds(P, O, A), _kinds(C)),
    RelationType("CHARGED_UNDER", "The case was brought under a law or article.",
                 _kinds(C), _kinds(L), properties={"part": text("str"), "charge": text("str")}),
    RelationType("OPENED_BY", "The case was opened by an agency.", _kinds(C), _kinds(A)),
    RelationType("INVESTIGATED_BY", "The case was investigated by an agency.", _kinds(C), _kinds(A)),
    RelationType("PROSECUTED_BY", "The case was prosecuted by an agency.", _kinds(C), _kinds(A)),
    RelationType("TRIED_BY", "The case was heard by a court.", _kinds(C), _kinds(A),
                 properties={"closed": plain("bool")}),
    RelationType("SENTENCED_IN", "Sentenced in a case.", _kinds(P), _kinds(C),
                 required=("sentence",),
                 properties={"sentence": text("str"), "term": plain("duration"), "note": identifying("str")}),
    RelationType("CASE_OUTCOME", "A decision ending or changing a case (dropped, dismissed, amnesty).",
                 _kinds(A), _kinds(C), required=("outcome",),
                 properties={"outcome": text("str"), "note": identifying("str")}),
    RelationType("LISTED_ON", "Placed on a list. A measure taken against the person, not a finding.",
                 _kinds(P, O), _kinds(LI),
                 # known_since: when the source says the listing became known, where it gives
                 # no date for the listing itself ("in April 2024 it became known that...")
                 properties={"known_since": plain("date"), "note": identifying("str"), **TRIGGER}),
    RelationType("MAINTAINS", "Keeps a list.", _kinds(A, O), _kinds(LI)),
    RelationType("BLOCKED_ACCOUNTS", "Blocked the target's bank accounts, cards, pension or IIN.",
                 _kinds(A, O), TARGETS,
                 properties={"asset": text("str"), "note": identifying("str"), **TRIGGER}),
    RelationType("DETAINED", "Arrested or held the target.", ACTORS, TARGETS,
                 properties={"form": text("str"), "place": identifying("str"),
                             "note": identifying("str"), **TRIGGER}),
    RelationType("TORTURED", "Subjected the target to torture or ill-treatment.", ACTORS, TARGETS,
                 properties={"note": identifying("str"), **TRIGGER}),
    RelationType("ACTED_AGAINST", "Another repressive measure against the target.",
                 ACTORS, _kinds(P, O, A), required=("measures",),
                 properties={"measures": plain("measures"), "count": plain("int"),
                             "note": identifying("str"), **TRIGGER}),
    RelationType("DESIGNATED_EXTREMIST", "Declared an organisation extremist or banned it.",
                 _kinds(A), _kinds(O)),
    RelationType("PARTICIPATED_IN", "Took part in an event.", _kinds(P, O, A), _kinds(E),
                 properties={"role": text("str"), "note": identifying("str")}),
    RelationType("SUSPECTED_OF", "Named as a suspect in an event or case.",
                 _kinds(P, O), _kinds(E, C), properties={"note": identifying("str")}),
    RelationType("REPRESENTED", "Gave legal representation or defence to the target.",
                 _kinds(P, O), _kinds(P, O)),
    RelationType("ASYLUM_DECISION", "Granted or refused asylum or refugee status to the target.",
                 _kinds(A), _kinds(P), required=("decision",),
                 properties={"decision": text("str"), "note": identifying("str")}),
    RelationType("APPLIED_FOR_ASYLUM",
                 "Applied to a state for asylum or refugee status; `outcome` says where it stands "
                 "(pending) when the source gives no decision.",
                 _kinds(P), _kinds(A), properties={"outcome": text("str"), "note": identifying("str")}),
    RelationType("LEFT_COUNTRY",
                 "Left the country whose state or authorities the target stands for, on the date: "
                 "fled, forced out, or went into exile, as the source says.",
                 _kinds(P), _kinds(A), required=("country",),
                 properties={"country": text("str"), "destination": identifying("str"),
                             "forced": plain("bool"), "because": identifying("str"),
                             "note": identifying("str"), **TRIGGER}),
    RelationType("TARGET_OF",
                 "Was the target or victim of an event (shot, attacked, abducted in it), or of the "
                 "acts a case tried; a victim is not a participant. The date is when it happened; "
                 "`decided` is when the case was decided (a verdict), as the source dates it.",
                 _kinds(P, O), _kinds(E, C),
                 properties={"measures": plain("measures"), "harm": text("str"),
                             "decided": plain("date"), "note": identifying("str")}),
    RelationType("REQUESTED",
                 "One state or agency made a request of another (mutual legal assistance, "
                 "extradition); `answer` and `answered` say how and when it was met.",
                 _kinds(A), _kinds(A), required=("request",),
                 properties={"request": text("str"), "concerning": identifying("ref"),
                             "answer": text("str"), "answered": plain("date"),
                             "note": identifying("str")}),
    RelationType("RATIFIED", "A state ratified or acceded to a treaty.", _kinds(A), _kinds(L)),
    RelationType("FINDING",
                 "An international body's, an NGO's or the source document's own finding about a "
                 "person, organisation, case or agency.",
                 _kinds(P, O, A, S), _kinds(P, O, C, A), required=("finding",),
                 properties={"finding": text("str")}),
    RelationType("STATED", "A statement by an official or body about someone or something.",
                 ACTORS, _kinds(P, O, A, C, E, L), required=("statement",),
                 properties={"statement": text("str")}),
    RelationType("SUPERVISED", "One body directed or supervised another.", _kinds(A, P), _kinds(O, A)),
    RelationType("PART_OF", "Is a unit of a larger body, or an article of a larger law.",
                 _kinds(A, O, L), _kinds(A, O, L)),
    RelationType("SUPPORTED", "Gave support, funding, help or advocacy to the target.",
                 _kinds(P, O, A), _kinds(P, O, A, C, LI), properties={"support": text("str")}),
    RelationType("AUTHORED", "Wrote or submitted a source document.", _kinds(P, O), _kinds(S),
                 properties={"role": text("str")}),
    RelationType("RELATED_CASE", "Two cases are connected as the source states.",
                 _kinds(C), _kinds(C), directed=False, properties={"note": identifying("str")}),
    RelationType("CONCERNS", "A case or event concerns an organisation or event.",
                 _kinds(C, E), _kinds(O, E, A)),
    RelationType("MENTIONS", "A source paragraph mentions the entity (text import).",
                 _kinds(S), frozenset(NodeKind) - {S}),
    RelationType("ADDRESSED_TO",
                 "Sent its information or appeal to a body: a submission asking bodies to consider "
                 "its facts, a movement that informs the UN of its monitoring.",
                 _kinds(P, O, S), _kinds(O, A), properties={"note": identifying("str")}),
    RelationType("FOLLOWED",
                 "Came after an event, as the source places it in time (a prosecution 'shortly "
                 "after' elections); says nothing about cause unless the note does.",
                 _kinds(C, E), _kinds(E), properties={"note": identifying("str")}),
)

RELATIONS: dict[str, RelationType] = {r.name: r for r in RELATION_TYPES}


class Wording(NamedTuple):
    """How a relationship reads, once for every page, view, timeline and explanation.

    `label` names it on an edge or a timeline entry. `active` reads from its source to its
    target ("{a} detained {b}"), `passive` from its target back to its source ("{b} was
    detained by {a}"), so that a path can be told in the order it runs whichever way each
    relationship points. A `{property}` slot is filled from the relationship's own value
    (a required property, or the sentence drops the slot's words); every other phrased
    property is added after it (`PROPERTY_PHRASES`).
    """

    label: str
    active: str
    passive: str


WORDING: dict[str, Wording] = {
    "MEMBER_OF": Wording("member of", "is a member of", "has as a member"),
    "LEADS": Wording("leads", "leads", "is led by"),
    "FOUNDED": Wording("founded", "founded", "was founded by"),
    "FAMILY_OF": Wording("family of", "is the {relation} of", "is a relative of"),
    "ASSOCIATE_OF": Wording("associate of", "is an associate of", "is an associate of"),
    "TARGETED_THROUGH_RELATIVE": Wording(
        "targeted through relative", "({relation}) was subjected to {measures} to pressure",
        "was pressured through {measures} against a relative ({relation}),"),
    "DEFENDANT_IN": Wording("defendant in", "is a defendant in", "has as a defendant"),
    "COMPLAINANT_IN": Wording("complainant in", "filed the complaint that opened",
                              "was opened on a complaint by"),
    "CHARGED_UNDER": Wording("charged under", "was brought under", "was the law applied in"),
    "OPENED_BY": Wording("opened by", "was opened by", "opened"),
    "INVESTIGATED_BY": Wording("investigated by", "was investigated by", "investigated"),
    "PROSECUTED_BY": Wording("prosecuted by", "was prosecuted by", "prosecuted"),
    "TRIED_BY": Wording("tried by", "was heard by", "heard"),
    "SENTENCED_IN": Wording("sentenced in", "was sentenced to {sentence} in",
                            "ended with a sentence of {sentence} for"),
    "CASE_OUTCOME": Wording("case outcome", "decided ({outcome})", "was decided ({outcome}) by"),
    "LISTED_ON": Wording("listed on", "was placed on", "lists"),
    "MAINTAINS": Wording("maintains", "keeps", "is kept by"),
    "BLOCKED_ACCOUNTS": Wording("blocked accounts of", "blocked the accounts of",
                                "had their accounts blocked by"),
    "DETAINED": Wording("detained", "detained", "was detained by"),
    "TORTURED": Wording("tortured", "subjected to torture or ill-treatment",
                        "was subjected to torture or ill-treatment by"),
    "ACTED_AGAINST": Wording("acted against", "subjected to {measures}",
                             "was subjected to {measures} by"),
    "DESIGNATED_EXTREMIST": Wording("declared extremist", "declared extremist or banned",
                                    "was declared extremist or banned by"),
    "PARTICIPATED_IN": Wording("took part in", "took part in", "had as a participant"),
    "SUSPECTED_OF": Wording("suspected in", "is named as a suspect in", "names as a suspect"),
    "REPRESENTED": Wording("represented", "gave legal representation to",
                           "was represented by"),
    "ASYLUM_DECISION": Wording("asylum decision", "decided on asylum ({decision}) for",
                               "had asylum decided ({decision}) by"),
    "APPLIED_FOR_ASYLUM": Wording("applied for asylum to", "applied for asylum to",
                                  "received an asylum application from"),
    "LEFT_COUNTRY": Wording("left the country", "left {country}, out of the reach of",
                            "saw {country} left by"),
    "TARGET_OF": Wording("target of", "was a target or victim of", "targeted"),
    "REQUESTED": Wording("requested", "requested {request} of", "was asked for {request} by"),
    "RATIFIED": Wording("ratified", "ratified", "was ratified by"),
    "FINDING": Wording("finding on", "made a finding ({finding}) on",
                       "was the subject of a finding ({finding}) by"),
    "STATED": Wording("statement on", "made a statement about",
                      "was the subject of a statement by"),
    "SUPERVISED": Wording("supervised", "directed or supervised", "was directed or supervised by"),
    "PART_OF": Wording("part of", "is part of", "includes"),
    "SUPPORTED": Wording("supported", "supported", "was supported by"),
    "AUTHORED": Wording("authored", "wrote or submitted", "was written or submitted by"),
    "RELATED_CASE": Wording("related case", "is connected with", "is connected with"),
    "CONCERNS": Wording("concerns", "concerns", "is the subject of"),
    "MENTIONS": Wording("mentions", "mentions", "is mentioned in"),
    "ADDRESSED_TO": Wording("addressed to", "addressed its information or appeal to",
                            "received information or an appeal from"),
    "FOLLOWED": Wording("followed", "came after", "came before"),
}

#: Relationship properties that an explanation adds after the verb, in this order, each in
#: its words (`{}` is the value). Notes, free-text statements and references are left out:
#: they are long, and the citation leads to them.
PROPERTY_PHRASES: dict[str, str] = {
    "relation": "({})",
    "measures": "through {}",
    "role": "as {}",
    "form": "({})",
    "asset": "({})",
    "term": "for a term of {}",
    "part": "(part {})",
    "charge": "(charge: {})",
    "outcome": "(outcome: {})",
    "destination": "for {}",
    "harm": "(harm: {})",
    "answer": "(answer: {})",
    "support": "({})",
    "purpose": "(purpose: {})",
}


def relation_words(type_: str) -> str:
    """A relationship type in a reader's words, from `WORDING`: DETAINED reads "detained"."""
    wording = WORDING.get(type_)
    return wording.label if wording else type_.lower().replace("_", " ")

#: Relationship types that record a measure taken against someone.
MEASURE_TYPES: frozenset[str] = frozenset(
    {"BLOCKED_ACCOUNTS", "DETAINED", "TORTURED", "ACTED_AGAINST", "LISTED_ON"}
)

#: Relationships linking a case to what two cases can share.
CASE_LINK_TYPES: dict[str, str] = {
    "DEFENDANT_IN": "defendants",
    "SENTENCED_IN": "defendants",
    "CHARGED_UNDER": "laws",
    "OPENED_BY": "agencies",
    "INVESTIGATED_BY": "agencies",
    "PROSECUTED_BY": "agencies",
    "TRIED_BY": "agencies",
    "CONCERNS": "organisations",
}


#: The privacy of the fields every node, edge and citation has (properties declare their own).
#: A test checks that these tables name every field of the models.
NODE_FIELD_PRIVACY: dict[str, Privacy] = {
    "id": Privacy.PLAIN,  # a restricted record's id is replaced by its pseudonym
    "kind": Privacy.PLAIN, "sensitivity": Privacy.PLAIN, "group": Privacy.PLAIN,
    "count": Privacy.PLAIN, "pseudonym": Privacy.PLAIN,
    "name": Privacy.IDENTIFYING, "aliases": Privacy.IDENTIFYING,
    "description": Privacy.IDENTIFYING, "roles": Privacy.IDENTIFYING,
    "status": Privacy.IDENTIFYING, "count_qualifier": Privacy.TEXT,
    "properties": Privacy.PLAIN,  # each property declares its own flag
    "citations": Privacy.PLAIN,  # see CITATION_FIELD_PRIVACY
    "statements": Privacy.PLAIN,  # each statement takes its field's flag
    "history": Privacy.IDENTIFYING,  # dated statuses and roles, withheld like them
    "source": Privacy.PLAIN,  # the id of the source document that defines the record
}
EDGE_FIELD_PRIVACY: dict[str, Privacy] = {
    "id": Privacy.PLAIN, "type": Privacy.PLAIN, "source": Privacy.PLAIN, "target": Privacy.PLAIN,
    "date": Privacy.PLAIN, "end": Privacy.PLAIN, "certainty": Privacy.PLAIN,
    "key": Privacy.TEXT, "claimed_by": Privacy.TEXT,
    "properties": Privacy.PLAIN, "citations": Privacy.PLAIN,
    "statements": Privacy.PLAIN,  # each statement takes its field's flag
}
CITATION_FIELD_PRIVACY: dict[str, Privacy] = {
    "source": Privacy.PLAIN,  # the public id of the source document
    "paragraph": Privacy.TEXT, "footnote": Privacy.PLAIN,
    # a link to a restricted person's post or profile identifies them; elsewhere, a link
    # whose address names a restricted person is withheld
    "url": Privacy.IDENTIFYING,
    "note": Privacy.IDENTIFYING,
}
#: Fields every edge has, which therefore cannot be used as property names.
EDGE_FIELDS: frozenset[str] = frozenset(EDGE_FIELD_PRIVACY)

_ID = re.compile(r"^[a-z0-9]+(?:[-.][a-z0-9]+)*$")
#: the public view's ids for restricted persons and for ids that name one; no record may take one
PSEUDONYM = re.compile(r"^(?:restricted|redacted)-[0-9a-f]{16}$")
_TYPE = re.compile(r"^[A-Z][A-Z0-9_]*$")
PROPERTY_TYPES = {"str", "int", "bool", "date", "duration", "list", "measures", "footnotes",
                  "ref", "subcounts"}
#: the types whose values cannot hold a name: only these may be flagged plain
PLAIN_TYPES = {"int", "bool", "date", "duration", "measures"}


def is_valid_id(value: str) -> bool:
    """Ids are lower-case slugs: letters, digits, single hyphens or dots."""
    return bool(_ID.match(value)) and len(value) <= 120


def _check_prop(owner: str, spec: object, problems: list[str]) -> None:
    if not isinstance(spec, Prop):
        problems.append(f"{owner}: declare it as plain(...), text(...) or identifying(...), "
                        "so that its privacy flag is stated")
        return
    if spec.type not in PROPERTY_TYPES:
        problems.append(f"{owner}: unknown property type {spec.type!r}")
    if not isinstance(spec.privacy, Privacy):
        problems.append(f"{owner}: no privacy flag (plain, text or identifying)")
    elif spec.privacy is Privacy.PLAIN and spec.type not in PLAIN_TYPES:
        problems.append(f"{owner}: a {spec.type} can hold any words, so it cannot be plain; "
                        "flag it text or identifying")


def check_vocabulary(
    relation_types: tuple[RelationType, ...] = RELATION_TYPES,
    kind_properties: dict[NodeKind, dict[str, Prop]] = KIND_PROPERTIES,
) -> None:
    """Fail fast on a broken vocabulary: bad names, unknown property types, clashes."""
    problems: list[str] = []
    names = {r.name for r in relation_types}
    if len(names) != len(relation_types):
        problems.append("duplicate relationship type names")
    if set(KIND_LABELS) != set(NodeKind):
        problems.append("every node kind needs exactly one label")
    for rel in relation_types:
        if rel.name not in WORDING:
            problems.append(f"{rel.name}: needs its words (label, active, passive) in WORDING")
        if not _TYPE.match(rel.name):
            problems.append(f"{rel.name}: type names are UPPER_SNAKE_CASE")
        if not rel.sources or not rel.targets:
            problems.append(f"{rel.name}: needs source and target kinds")
        for prop, spec in rel.properties.items():
            _check_prop(f"{rel.name}.{prop}", spec, problems)
            if prop in EDGE_FIELDS:
                problems.append(f"{rel.name}.{prop}: clashes with a common edge field")
        for prop in rel.required:
            if prop not in rel.properties:
                problems.append(f"{rel.name}: required {prop!r} is not a declared property")
    for kind, props in kind_properties.items():
        for prop, spec in props.items():
            _check_prop(f"{kind}.{prop}", spec, problems)
    dated = [(str(kind), p) for kind, props in kind_properties.items()
             for p, spec in props.items() if isinstance(spec, Prop) and spec.type == "date"]
    dated += [(r.name, p) for r in relation_types
              for p, spec in r.properties.items() if isinstance(spec, Prop) and spec.type == "date"]
    problems += [f"{owner}.{p}: a date needs its words in DATE_WORDS, for timelines"
                 for owner, p in dated if f"{owner}.{p}" not in DATE_WORDS and p not in DATE_WORDS]
    for name in (*CASE_LINK_TYPES, *MEASURE_TYPES):
        if name not in names:
            problems.append(f"{name}: listed as special but not a relationship type")
    if problems:
        raise RuntimeError("broken vocabulary: " + "; ".join(problems))


check_vocabulary()
