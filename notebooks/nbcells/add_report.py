"""02: reading a new report with the text importer, reviewing it, then curating a fact."""

from __future__ import annotations

from nbcells.common import CLEANUP, SETUP

CELLS: list[tuple[str, str]] = [
    ("md", """
# Adding a new report

A new report (an NGO submission, a monitoring note, a court observation) enters repgraph in
three steps:

1. **First pass, by machine.** The text importer (`loaders/text_report.py`, described in
   `docs/formats.md`) records the report as a `source` and links it by `MENTIONS` to every
   entity already in the graph that it names, citing each paragraph. It records nothing else.
2. **Review, by a person.** Check what it matched, and the names it could not place.
3. **Curate.** Write the facts the report states as native YAML records, each with its
   citation, and load them; the loader refuses anything invalid and changes nothing then.

The report below is **invented for this notebook**. Its monitors and lawyer are fictional; the
only facts it gives about real people repeat what the founding source (the 2024 joint UPR
submission) states. Everything happens in a temporary store that is deleted at the end.
"""),
    ("code", SETUP),
    ("md", """
## The report

Paragraphs are numbered the way UN and NGO submissions number them (`2.1.`); a single number
(`2. Cases`) starts a section; footnote lines (`¹ <https://...>`) become the source's footnotes.
"""),
    ("code", '''
REPORT = """\\
# Example monitoring note (invented for the repgraph tutorial)

This note is fictional. It was written to show how the text importer reads a report.

1. About this note

1.1. **Anna Example** and **Boris Sample**, two fictional monitors, wrote this note.

2. Cases

2.1. As the 2024 joint submission reports, Marat Zhylanbayev, chairman of the organising
committee of Alga Kazakhstan, was sentenced to seven years in prison on 30 November 2023.¹

2.2. Жыланбаев Марат is the same person, written in Cyrillic and surname first.
The submission also describes the Article 405 case against Nurgul Kaluova.

2.3. The name Mendygazyev alone is not enough to place anyone: two brothers share it.
Clara Placeholder, a fictional lawyer, is not in the graph.

¹ <https://www.amnesty.org/en/documents/eur57/7495/2023/en/>
"""

report_path = Path(workdir.name) / "example-monitoring-note.md"
report_path.write_text(REPORT, encoding="utf-8")
print(f"wrote {report_path}")
'''),
    ("md", """
## 1. First pass: the text importer

`import_report` reads the file, matches names strictly (a wrong mention would tie a real person
to a text about someone else, so it prefers to miss) and writes the source node and its
`MENTIONS` edges in one atomic write. `--format text` on the command line does the same:
`repgraph import --format text example-monitoring-note.md`.
"""),
    ("code", """
from loaders import text_report

reading = text_report.import_report(report_path, store, source_id="example-monitoring-note")
print(reading.summary())
"""),
    ("md", """
## 2. Review

What it found, paragraph by paragraph. Note what matched: the full name, the Cyrillic name
written surname first, the case and the article. "Mendygazyev" alone matched nothing, because two
people in the graph share that surname.
"""),
    ("code", """
print(f"source: {reading.source.name} [{reading.source.id}]")
print("footnotes:", reading.source.properties.get("footnotes"))
print()
for paragraph in reading.paragraphs:
    found = [node_id for node_id, paras in reading.mentions.items() if paragraph.label in paras]
    print(f"{paragraph.label:>6} (line {paragraph.line}): {', '.join(found) or '-'}")
"""),
    ("md", """
Each `MENTIONS` edge cites the paragraphs that name the entity, so a reviewer can go straight
to them:
"""),
    ("code", """
from graph import queries

for rel in queries.relations(store, "example-monitoring-note").items:
    print(f"{rel.type} {rel.other.name} [{rel.other.id}]",
          "; ".join(c.locator for c in rel.citations))
"""),
    ("md", """
**Names to review** are bold names and runs of capitalised words that match nothing in the
graph. The importer never adds them. For each one, search the graph first: it may be a spelling
the matcher did not accept. Otherwise, decide whether the report supports adding the person,
and with which sensitivity (a relative or private person is `restricted`).
"""),
    ("code", """
from graph.search import SearchIndex

index = SearchIndex.of(store)
for name in reading.unplaced:
    near = index.search(name.name, limit=1, min_score=80)
    hint = f"closest: {near[0].node.name} ({near[0].match} {near[0].score})" if near else "nothing close"
    print(f"{name.name:<20} {name.why:<18} paragraphs {', '.join(name.paragraphs):<6} {hint}")
"""),
    ("md", """
## 3. Curate: record what the report states, with citations

Facts go into native YAML (the format of `data/`, described in `data/README.md`). Short
citations such as `"1.1"` refer to the file's `source:`. Here we record the (fictional) authors.

First, a version with two mistakes, to show what the loader does with bad input: it names
the file, the line and the field of every problem, and writes nothing.
"""),
    ("code", '''
from graph.errors import InvalidData

curated = Path(workdir.name) / "curated"
curated.mkdir()
authors = curated / "authors.yaml"
authors.write_text("""\\
source: example-monitoring-note
nodes:
  - id: anna-example
    kind: person
    name: Anna Example
    description: Fictional monitor, invented for the repgraph tutorial.
    cite: ["1.1"]
edges:
  - {type: AUTHORED, from: anna-example, to: example-monitoring-notes, cite: ["1.1"]}
  - {type: AUTHORED, from: boris-sample, to: example-monitoring-note}
""", encoding="utf-8")

before = store.stats()
try:
    native.load([curated], store)
except InvalidData as exc:
    print(exc)
assert store.stats() == before, "a failed load must change nothing"
'''),
    ("code", '''
authors.write_text("""\\
source: example-monitoring-note
nodes:
  - id: anna-example
    kind: person
    name: Anna Example
    description: Fictional monitor, invented for the repgraph tutorial.
    cite: ["1.1"]
  - id: boris-sample
    kind: person
    name: Boris Sample
    description: Fictional monitor, invented for the repgraph tutorial.
    cite: ["1.1"]
edges:
  - {type: AUTHORED, from: anna-example, to: example-monitoring-note, cite: ["1.1"]}
  - {type: AUTHORED, from: boris-sample, to: example-monitoring-note, cite: ["1.1"]}
""", encoding="utf-8")

print(native.load([curated], store).summary())
'''),
    ("md", """
Loading the same file again changes nothing: ids are stable, so records merge instead of
duplicating.
"""),
    ("code", """
print(native.load([curated], store).summary())
"""),
    ("md", """
The monitors now appear in the graph with their citation, and a second run of the importer
places their names:
"""),
    ("code", """
again = text_report.read_report(report_path, store, source_id="example-monitoring-note")[2]
print("still to review:", [u.name for u in again.unplaced])
for rel in queries.relations(store, "anna-example").items:
    print(rel.type, rel.other.id, "; ".join(c.locator for c in rel.citations))
"""),
    ("md", """
For a real report, the curated files go into `data/<source-id>/` with the report's text where
the tests can check citations against it; `docs/adding-a-source.md` walks through it. Every
fact needs its paragraph, allegations are recorded as allegations with who makes them, and
nothing is added that the report does not state (`docs/ethics.md`).
"""),
    ("code", CLEANUP),
]
