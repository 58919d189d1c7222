"""01: exploring the Kazakhstan graph with the Python API."""

from __future__ import annotations

from nbcells.common import CLEANUP, SETUP

CELLS: list[tuple[str, str]] = [
    ("md", """
# Exploring the Kazakhstan graph

This notebook walks through the questions analysts ask of repgraph, using its Python API
directly (no web server):

1. find people, cases and bodies by name, in any script;
2. read everything recorded about one entity, each fact with its citation;
3. find how two entities are connected;
4. list who was targeted through their relatives;
5. find cases that share defendants, laws, agencies or organisations;
6. see who *bridges* otherwise separate parts of the network, and what that does and does not
   mean.

It loads the bundled dataset (`data/`, drawn from the 2024 joint submission to the UN Universal
Periodic Review) into a temporary embedded store that is deleted at the end. Nothing here
changes your own store under `var/graph/`.

**Restricted persons.** Relatives named only as relatives and private persons are
`restricted`. Their records are not in `data/` but in the private data tier (`private/`, never
committed), which this notebook loads where your checkout has one. It shows them as *a restricted
person* with an opaque id. Set `SHOW_RESTRICTED = True` only if your work needs their names, and
never copy those names into anything you publish (see `docs/ethics.md`).
"""),
    ("code", SETUP),
    ("code", """
# Leave this False unless you need the names of relatives and private persons.
SHOW_RESTRICTED = False

stats = store.stats()
print(f"{stats.nodes} entities, {stats.edges} cited relationships, "
      f"{stats.groups} unnamed groups, {stats.restricted} restricted")
stats.nodes_by_kind
"""),
    ("md", """
Every answer below reads `graph`: the public view of the store (`graph.public`), the records as
a public visitor gets them, each entity once as the identity decisions join the sources. A restricted person there is *a restricted person* with a
pseudonymous id, and their names are removed from every other record (a case named after a
relative, say). With `SHOW_RESTRICTED = True`, `graph` is the store itself. `cites()` prints
where the source states a fact: `para 3.5, fn 32` is paragraph 3.5, footnote 32.
"""),
    ("code", """
from config import Settings
from graph import with_decisions
from graph.public import PublicView

# the records as the identity decisions join them: several sources name one person
resolved = with_decisions(store, Settings(dataset_dir=DATASET, private_dataset_dir=PRIVATE))
graph = resolved if SHOW_RESTRICTED else PublicView(resolved, "this notebook only",
                                                    resolved.version)


def label(entity) -> str:
    \"\"\"Name and id of a node or node reference.\"\"\"
    return f"{entity.name} [{entity.id}]"


def cites(citations) -> str:
    return "; ".join(c.locator for c in citations)
"""),
    ("md", """
## 1. Search

Search forgives case, diacritics, Cyrillic script and small misspellings. Each hit has a score
out of 100, the name or alias it matched, and how it matched: `id`, `name`, `alias`, `prefix`
or `similar`. A similar name below `WEAK_BELOW` is weak (`hit.weak`): a suggestion, never an
answer. Ids are what every other function takes.
"""),
    ("code", """
from graph.search import SearchIndex

index = SearchIndex(list(graph.searchable_nodes()))
for query in ["Жыланбаев", "zhylanbaev", "Jardemali", "Article 405", "Financial Monitoring", "Marta"]:
    hits = index.search(query, limit=3)
    print(f"{query!r}:")
    for hit in hits:
        weak = "  (weak: only a similar name)" if hit.weak else ""
        print(f"   {hit.score:5}  {hit.match:<8} {hit.node.kind.value:<12} {label(hit.node)}{weak}")
"""),
    ("md", """
To turn a name into an id, `index.resolve` takes only an id, or a name or alias that is exact
once case, diacritics and script are set aside. A near name may be someone else, so anything
else raises `Unresolved` with the closest hits as candidates (and `Ambiguous` when several
entities have that name): choose one of them by id.
"""),
    ("code", """
from graph.errors import Unresolved

print(label(index.resolve("Марат Жыланбаев")))
try:
    index.resolve("Marta")
except Unresolved as exc:
    print(exc, "- did you mean:", ", ".join(label(h.node) for h in exc.candidates[:3]))
"""),
    ("md", """
## 2. One entity, every fact with its citation

`queries.relations` returns the entity and a page of its relationships. `direction` says which
way a relationship points (`out`: the entity is its subject). A fact the source reports as an
allegation carries `certainty` (`alleged` or `reported`) and `claimed_by`, who makes the claim.
"""),
    ("code", """
from graph import queries

facts = queries.relations(graph, "marat-zhylanbayev")
person = facts.entity
print(label(person), "|", ", ".join(person.roles), "|", ", ".join(person.status))
print(person.description)
print("cited at:", cites(person.citations))
print()
for rel in facts.items:
    arrow = "->" if rel.direction == "out" else "<-"
    when = f" {rel.date}" if rel.date else ""
    claim = f" ({rel.certainty.value}, claimed by {rel.claimed_by})" if rel.claimed_by else ""
    print(f"{arrow} {rel.type:<16} {label(rel.other)}{when}{claim}  [{cites(rel.citations)}]")
"""),
    ("md", """
A citation with a footnote carries the footnote's URL, so a reader can go to the document the
source relies on:
"""),
    ("code", """
for citation in person.citations:
    print(f"{citation.locator:<16} {citation.url or '(no footnote URL)'}")
"""),
    ("md", """
`LISTED_ON kz-afm-list` records that he was put on the Financial Monitoring Agency's list of
persons "associated with the financing of terrorism and extremism". That is a **measure taken
against him**, never a finding that he financed anything; write about it that way.

The same facts in date order (dates are as precise as the source gives them). A timeline holds
every date the record keeps: dated relationships, a listing known only since a date, a death or a
case's opening, a dated change of status, and the date of an event the person was targeted in:
"""),
    ("code", """
for entry in queries.timeline(graph, "marat-zhylanbayev"):
    other = label(entry.other) if entry.other else ""
    print(f"{entry.date:<11} {entry.words:<16} {other}  [{cites(entry.citations)}]")
"""),
    ("md", """
## 3. How are two entities connected?

`queries.paths` finds the shortest chains of cited relationships between two ids, ignoring
direction (at most `max_hops` steps, 6 by default). Every step carries its citation, so a chain
can be checked paragraph by paragraph.
"""),
    ("code", """
def show_path(path) -> None:
    print(f"{path.length} step(s)")
    print("  ", label(path.nodes[0]))
    for edge, node in zip(path.edges, path.nodes[1:], strict=True):
        arrow = "->" if edge.target == node.id else "<-"
        print(f"     {arrow} {edge.type}  [{cites(edge.citations)}]")
        print("  ", label(node))


for path in queries.paths(graph, "vladimir-kozlov", "case-zhylanbayev"):
    show_path(path)
"""),
    ("md", """
Read a path for what it says: Kozlov and Zhylanbayev are both on the Financial Monitoring
Agency's list. Sharing a list, a law or a generic actor such as "Kazakhstani authorities" (used
where the source names no specific body) connects two entities in the graph without saying they
ever dealt with each other.

`avoid` routes around entities, and `types` follows only some relationship types. `mode="all"`
returns every shortest path. An empty list means no path within the hop limit;
`queries.shortest_path` raises `NoPath` instead, networkx-style.
"""),
    ("code", """
from graph.errors import NoPath

print("Every shortest path that avoids the generic actor and the list:\\n")
for path in queries.paths(graph, "mukhtar-ablyazov", "case-kaluova-405", mode="all",
                          avoid=["kz-authorities", "kz-afm-list"]):
    show_path(path)

print("\\nOnly through defendants, cases and the articles they are charged under:\\n")
for path in queries.paths(graph, "daniyar-khasenov", "case-kaluova-405",
                          types=["DEFENDANT_IN", "CHARGED_UNDER"]):
    show_path(path)
print()

try:
    queries.shortest_path(graph, "yerulan-amirov", "marat-zhylanbayev")
except NoPath as exc:
    print(exc)
"""),
    ("md", """
The first answer runs through another Article 405 case that concerns DCK: two cases under the
same article of the Criminal Code are linked in the graph, but that is all the link says.
And no path is not evidence of no connection: the dataset holds what one document states, and
it says nothing that ties Yerulan Amirov's case to the rest.

## 4. Who was targeted through their relatives

Pressure on exiled critics often falls on the family at home. `targeted_through_relatives`
lists each relative, the person the pressure was aimed at, the family relation, the measures
and their citations. The two relatives in `data/` are public: the source names each the target
of violations in his own right. Relatives named only as relatives are restricted: with the
private data tier loaded, they appear here too, without names.
"""),
    ("code", """
for item in queries.targeted_through_relatives(graph):
    when = f" ({item.date})" if item.date else ""
    print(f"{label(item.relative)}, {item.relation or 'relative'} of {label(item.target)}")
    print(f"    {', '.join(item.measures)}{when}  [{cites(item.citations)}]")
"""),
    ("md", """
Filter by the person aimed at (`target=`) or by the relative (`relative=`):
"""),
    ("code", """
for item in queries.targeted_through_relatives(graph, target="bota-jardemalie"):
    print(label(item.relative), "->", ", ".join(item.measures), f"[{cites(item.citations)}]")
"""),
    ("md", """
## 5. Links between cases

`case_links` finds other cases that share a defendant, a law or article, an agency or an
organisation with a case, strongest first. Here: the Article 405 case against Nurgul Kaluova.
"""),
    ("code", """
for link in queries.case_links(graph, "case-kaluova-405"):
    shared = "; ".join(f"{category}: {', '.join(label(n) for n in nodes)}"
                       for category, nodes in link.shared.items())
    print(f"{link.strength}  {label(link.case)}\\n     shares {shared}")
"""),
    ("md", """
## 6. Who bridges otherwise separate parts of the network?

Some entities sit between groups that would otherwise have little to do with each other in the
data. networkx measures this on an **undirected** graph (direction does not matter for
"who lies between whom"). We leave out the source document itself and the relationships that
only describe the document (who wrote it, whom it is addressed to), so that the report does not
connect everything it mentions.
"""),
    ("code", """
import networkx as nx

DOCUMENT_ONLY = {"AUTHORED", "ADDRESSED_TO", "MENTIONS"}
nodes = {n.id: n for n in graph.iter_nodes() if n.kind.value != "source"}

network = nx.Graph()
network.add_nodes_from(nodes)
for edge in graph.iter_edges():
    if edge.type not in DOCUMENT_ONLY and edge.source in nodes and edge.target in nodes:
        network.add_edge(edge.source, edge.target)

parts = sorted(nx.connected_components(network), key=len, reverse=True)
print(f"{network.number_of_nodes()} entities, {network.number_of_edges()} linked pairs")
print(f"{len(parts)} separate parts; the largest holds {len(parts[0])} entities, "
      f"the next ones {[len(p) for p in parts[1:6]]}")
"""),
    ("md", """
**Betweenness centrality**, in plain words: take every pair of entities and the shortest routes
between them; an entity's score is the share of those routes that pass through it (0 = none,
1 = all). A high score means that, *in this data*, many connections run through that entity.
"""),
    ("code", """
def top_bridges(graph, count=10):
    scores = nx.betweenness_centrality(graph)
    for node_id, score in sorted(scores.items(), key=lambda kv: -kv[1])[:count]:
        print(f"{score:6.3f}  {nodes[node_id].kind.value:<12} {label(nodes[node_id])}")


top_bridges(network)
"""),
    ("md", """
"Kazakhstani authorities" comes first by far. That says more about how the source was written
and coded than about power: the dataset uses this generic actor wherever the text says "the
authorities" or "was blocked" without naming a body, so it touches many unrelated cases.
Unnamed groups ("relatives", "civilians") play a similar role. Leave both out and look again:
"""),
    ("code", """
specific = network.subgraph(
    node_id for node_id, node in nodes.items()
    if node_id != "kz-authorities" and not node.group
)
top_bridges(specific)
"""),
    ("md", """
Two more structural views, also on the undirected graph:

- **Articulation points** (cut vertices): entities whose removal splits a part of the network
  into more pieces. They are the only recorded link between some entities and the rest.
- **Bridges**: single relationships whose removal splits a part in two. Below, the bridges
  that hold the most entities on their smaller side, with the citation of the relationship
  behind them.
"""),
    ("code", """
cut_points = sorted(nx.articulation_points(specific))
print(f"{len(cut_points)} articulation points, e.g.:",
      ", ".join(label(nodes[i]) for i in cut_points[:8]))

edges_between = {}
for edge in graph.iter_edges():
    edges_between.setdefault(frozenset((edge.source, edge.target)), []).append(edge)

cut_off = []
for a, b in nx.bridges(specific):
    rest = specific.copy()
    rest.remove_edge(a, b)
    smaller = min(len(nx.node_connected_component(rest, a)), len(nx.node_connected_component(rest, b)))
    cut_off.append((smaller, a, b))

print()
for smaller, a, b in sorted(cut_off, reverse=True)[:5]:
    print(f"{smaller:3} entities hang on: {label(nodes[a])} -- {label(nodes[b])}")
    for edge in edges_between[frozenset((a, b))]:
        print(f"        {edge.type}  [{cites(edge.citations)}]")
"""),
    ("md", """
### What these measures mean, and what they do not

- They describe **this dataset**: what one document chose to report, and how it was coded
  (generic actors, groups). A person the document mentions once can look peripheral even if
  central in reality; a catch-all actor looks central because of how the data is written.
- A high score is a **prompt to read the cited paragraphs**, not a finding. It does not show
  that anyone organised, controlled, funded or knew about anything. Paths through a shared list,
  law or agency do not show that two people ever dealt with each other.
- For victims and their relatives, being "between" cases reflects what was done *to* them.
  Never present a ranking of people as a finding about them.
- No path, or a separate part of the network, means the source ties nothing together there;
  it is not evidence that there is no connection.
- With a few hundred entities, one added source can reorder the scores. Re-run after adding
  data, and report the reasoning and the citations, not the numbers.

The temporary store is deleted here:
"""),
    ("code", CLEANUP),
]
