"""03: a network view and its embed snippet, built in Python and shown offline."""

from __future__ import annotations

from nbcells.common import CLEANUP, SETUP

CELLS: list[tuple[str, str]] = [
    ("md", """
# Making a network view for an article

repgraph's web service draws interactive network views (`/viz/...`) and offers each one as an
embed (`/embed/...`) to paste into an article. This notebook builds the same view from Python,
the way the service does, shows it here **without any CDN** (vis-network comes from the copy
inside the installed pyvis package), and prints the embed snippet.

Public views always withhold restricted persons (relatives, private persons): they keep their
place in the network as "a restricted person", without name or id.
"""),
    ("code", SETUP),
    ("md", """
## 1. Choose the view

A view is described by a `ViewSpec`: a title, an introduction, its canonical URL path and the
part of the graph it shows. The builders in `api.views.specs` match the service's pages:

| builder | page |
| --- | --- |
| `entity_spec(store, settings, id, depth, types)` | `/viz/entity/{id}?depth=&types=` |
| `path_spec(store, source, target, mode)` | `/viz/path?source=&target=&mode=` |
| `case_spec(store, case_id)` | `/viz/case/{id}` |
| `relatives_spec(store)` | `/viz/relatives` |
| `graph_spec(store, kinds)` | `/viz/graph?kinds=` |

Each reads the store it is given. A view for publication reads the public view
(`graph.public.PublicView`), as the service does for every visitor without a key: restricted
persons are then records with a pseudonymous id and no name.

Here: everything within one step of Marat Zhylanbayev.
"""),
    ("code", """
from graph.public import PublicView
from config import Settings
from api.views.specs import entity_spec

settings = Settings()
public = PublicView(store, "this notebook only", store.version)
spec = entity_spec(public, settings, "marat-zhylanbayev", depth=1, types=[])
print(spec.title)
print(spec.intro)
print("path:", spec.path)
"""),
    ("md", """
## 2. Build the network

The service caps very large views, lays them out on the server (seeded, so the same data
always gives the same picture) and turns them into vis-network data with pyvis. Every node and
edge carries a side-panel record with its citations.
"""),
    ("code", """
from api.views.layout import layout
from api.views.network import build_network
from api.views.present import Presenter

graph = spec.graph.capped(settings.view_max_nodes, settings.view_max_edges)
positions = layout([n.id for n in graph.nodes], [(e.source, e.target) for e in graph.edges])
view = build_network(graph, positions, Presenter(public), centre=spec.centre)
print(f"{view.node_count} entities, {view.edge_count} relationships; "
      f"restricted persons shown: {view.has_restricted}; measures: {view.has_measures}")
"""),
    ("md", """
## 3. Show it here, offline

`standalone_page` puts the view into one self-contained HTML page: vis-network's script and
style sheet are inlined from the pyvis package, the data sits in an inert JSON script element
(escaped by the service's `script_json`), and the service's own `view.js` draws it and shows a
node's or relationship's citations on click. The page is displayed in an `<iframe srcdoc>`, so
it cannot touch the notebook, and it requests nothing from the network.
"""),
    ("code", '''
import html

from IPython.display import HTML, display

from api.views.network import script_json
from api.views.render import STATIC_DIR, VIS_DIR


def standalone_page(spec, view) -> str:
    """The view as one HTML document with every script and style inlined."""
    vis_js = (VIS_DIR / "vis-network.min.js").read_text(encoding="utf-8")
    vis_css = (VIS_DIR / "vis-network.css").read_text(encoding="utf-8")
    view_js = (STATIC_DIR / "view.js").read_text(encoding="utf-8")
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{html.escape(spec.title)}</title>
<style>{vis_css}</style>
<style>
  body {{ font-family: system-ui, sans-serif; margin: 0; display: flex; }}
  #network {{ flex: 1; height: 560px; border-right: 1px solid #ddd; }}
  aside {{ width: 260px; padding: 0 12px; font-size: 13px; overflow: auto; height: 560px; }}
</style></head>
<body class="embed">
<div id="network" role="img" aria-label="{html.escape(spec.title)}"></div>
<aside><h2 id="panel-heading" tabindex="-1">Details</h2>
<div id="panel-body"><p>Select an entity or a relationship to see its sources.</p></div></aside>
<script type="application/json" id="view-data">{script_json(view.data)}</script>
<script>{vis_js}</script>
<script>{view_js}</script>
</body></html>"""


page = standalone_page(spec, view)
for tag in ("<script src", "<link", "@import"):
    assert tag not in page, f"the page would load something from elsewhere: {tag}"


def show(page: str) -> None:
    """Display a page in a sandboxed frame: its scripts run, but apart from the notebook."""
    frame = (f'<iframe srcdoc="{html.escape(page, quote=True)}" width="100%" height="580" '
             f'style="border:1px solid #ccc" sandbox="allow-scripts"></iframe>')
    display(HTML(f"<div>{frame}</div>"))


show(page)
'''),
    ("md", """
## 4. The embed snippet for an article

The service's full view page offers this snippet (written by the same function,
`api.views.embedding.embed_snippet`). It points at the `/embed/` page of the canonical path, so
the embed keeps showing this view with current data; it is titled with the view's title, links
the view's entities and relationships as text, and loads `embed.js`, which sizes the iframe to
the embed (without scripts it keeps a 4:3 box). `BASE_URL` is the service's public address,
`REPGRAPH_PUBLIC_URL`, as the service itself uses it (unset, where `make serve` listens:
`http://127.0.0.1:8000`). Content systems that read oEmbed need only the view page's address.
"""),
    ("code", """
from api.views.embedding import embed_snippet

BASE_URL = settings.public_base_url
print(embed_snippet(BASE_URL, spec.title, spec.path))
"""),
    ("md", """
## 5. A view with restricted persons

The view of people targeted through their relatives shows what the public view does: each
restricted relative (from the private data tier, where it is loaded) keeps its place and its
measures, but not its name or id.
"""),
    ("code", """
from api.views.specs import relatives_spec

spec = relatives_spec(public)
graph = spec.graph.capped(settings.view_max_nodes, settings.view_max_edges)
positions = layout([n.id for n in graph.nodes], [(e.source, e.target) for e in graph.edges])
view = build_network(graph, positions, Presenter(public), centre=spec.centre)
labels = sorted({node["label"] for node in view.data["nodes"]})
print(f"{view.node_count} entities; restricted persons withheld: {view.has_restricted}")
print(labels)
restricted_names = [n.name for n in store.iter_nodes() if n.restricted]
assert not any(name in str(view.data) for name in restricted_names), "a restricted name leaked"
show(standalone_page(spec, view))
"""),
    ("code", CLEANUP),
]
