"""Generate the data model reference (docs/data-model.md) from the vocabulary.

The vocabulary is the one source of truth; this page is derived from it, and a
test fails when the checked-in page is out of date. Regenerate with
`python -m schema.docs > docs/data-model.md` (or `make docs`).
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

from schema.vocabulary import (
    CASE_LINK_TYPES,
    GENERIC,
    KIND_LABELS,
    KIND_PROPERTIES,
    MEASURE_TYPES,
    MEASURES,
    RELATION_TYPES,
    ROLES,
    STATUSES,
    WORDING,
    Certainty,
    Sensitivity,
)

COMMON_NODE_FIELDS = [
    ("id", "stable lower-case slug, local to the source that defines the record"),
    ("kind", "one of the node kinds below"),
    ("name", "the name as the source writes it"),
    ("aliases", "other spellings, transliterations and names"),
    ("description", "a short neutral summary in our own words"),
    ("roles", "persons only: " + ", ".join(sorted(ROLES))),
    ("status", "persons only: " + ", ".join(sorted(STATUSES))),
    ("history", "persons only: statuses and roles over time, newest first; each step a `status` "
     "or `role` with the `date` the source gives, else `as_of` its publication date, and "
     "its citations. Every value is also in `status` or `roles`"),
    ("sensitivity", " or ".join(s.value for s in Sensitivity)
     + "; restricted persons are redacted in public views"),
    ("group", "true for unnamed groups the source describes ('his relatives')"),
    ("count, count_qualifier", "for groups: the figure the source gives, and e.g. 'at least'"),
    ("citations", "where the source states the node's facts"),
    ("source", "the source that defines the record (a dataset file's `source:`; a source "
     "defines itself): another source refers to it by its id, never defines it again"),
]

COMMON_EDGE_FIELDS = [
    ("type", "a relationship type below"),
    ("source, target", "node ids (written `from`/`to` in dataset files)"),
    ("key", "tells apart two relationships of one type between the same nodes"),
    ("date, end", "YYYY, YYYY-MM or YYYY-MM-DD; the length gives the precision"),
    ("certainty", ", ".join(c.value for c in Certainty)
     + "; anything but stated needs `claimed_by`"),
    ("claimed_by", "who makes the claim (an indictment, eyewitnesses, ...)"),
    ("citations", "at least one: source id, paragraph, footnote and its URL"),
]


def _table(header: tuple[str, ...], rows: Sequence[tuple[str, ...]]) -> list[str]:
    out = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    out += ["| " + " | ".join(cell.replace("|", "\\|") for cell in row) + " |" for row in rows]
    return out


def render() -> str:
    lines = ["# Data model", "",
             "Generated from `schema/vocabulary.py` by `python -m schema.docs`; do not edit by hand.",
             "", "## Node kinds", ""]
    lines += _table(("kind", "Neo4j label", "extra properties"), [
        (k.value, KIND_LABELS[k],
         ", ".join(f"`{p}` ({t.type}, {t.privacy})" for p, t in KIND_PROPERTIES[k].items()))
        for k in KIND_LABELS])
    lines += ["", "Every node has these fields:", ""]
    lines += _table(("field", "meaning"), COMMON_NODE_FIELDS)
    lines += ["", "## Relationship types", ""]
    lines += _table(("type", "meaning", "from", "to", "directed", "properties (* required)"), [
        (r.name, r.description, ", ".join(sorted(k.value for k in r.sources)),
         ", ".join(sorted(k.value for k in r.targets)), "yes" if r.directed else "no",
         ", ".join(f"`{p}`{'*' if p in r.required else ''} ({t.type}, {t.privacy})"
                   for p, t in r.properties.items()))
        for r in RELATION_TYPES])
    lines += ["", "Every relationship has these fields:", ""]
    lines += _table(("field", "meaning"), COMMON_EDGE_FIELDS)
    lines += ["", "## Measures", "",
              "Relationship types that record a measure taken against someone: "
              + ", ".join(f"`{m}`" for m in sorted(MEASURE_TYPES)) + ".",
              "A listing (`LISTED_ON`) is a measure against the person, never a finding about them.",
              "", "Values of the `measures` property: "
              + ", ".join(f"`{m}`" for m in sorted(MEASURES)) + ".",
              "", "## Wording", "",
              "How each relationship reads on pages, views, timelines and in path explanations "
              "(`WORDING`): its label, and the words between its two ends read forward (source "
              "to target) and back. `{property}` is filled from the relationship's value.", ""]
    lines += _table(("type", "label", "forward", "back"), [
        (name, w.label, w.active, w.passive) for name, w in WORDING.items()])
    lines += ["", "## Generic actors", "",
              f"A record whose `{GENERIC}` property is set stands for a whole state or a generic "
              "collective (\"the authorities\"); the value says why. Paths do not pass through "
              "it, views do not expand it and it links no cases, unless asked "
              "(`through_generic`, `expand_generic`).",
              "", "## Case links", "",
              "Two cases are linked when they share a node through these types: "
              + ", ".join(f"`{t}` ({c})" for t, c in CASE_LINK_TYPES.items()) + ".", ""]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.stdout.write(render())
