"""Pages over HTTP: security headers, redaction of restricted persons, caps and escaping."""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterator
from html import unescape
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.deps import public_views
from api.headers import frame_ancestors
from api.views.layout import layout
from api.views.network import script_json
from bench.synthetic import synthetic_graph
from config import Settings
from graph.memory import MemoryStore
from graph.names import PLACEHOLDER
from graph.store import GraphStore
from schema.models import Node
from schema.vocabulary import NodeKind


@pytest.fixture(scope="module")
def client(kz_store: GraphStore) -> Iterator[TestClient]:
    # one client reads every page: views spend from the rate limit, so it is lifted here
    with TestClient(create_app(Settings(rate_limit_burst=100_000), kz_store)) as found:
        yield found


def _public_pages(view: GraphStore) -> list[str]:
    """Every page a reader can reach by following links, by the ids the public knows."""
    urls = ["/", "/viz/relatives", "/embed/relatives", "/viz/graph", "/embed/graph?kinds=person",
            "/viz/path?source=bota-jardemalie&target=mukhtar-ablyazov&mode=all", "/sources"]
    for node in view.iter_nodes():
        urls += [f"/entities/{node.id}", f"/viz/entity/{node.id}?depth=2"]
        if node.kind is NodeKind.CASE:
            urls.append(f"/embed/case/{node.id}")
        if node.kind is NodeKind.SOURCE:  # the planted records' text names them
            urls.append(f"/sources/{node.id}")
    return urls


def _view_data(html: str) -> dict[str, object]:
    found = re.search(r'<script type="application/json" id="view-data">(.*?)</script>', html, re.S)
    assert found, "the page carries its data"
    data: dict[str, object] = json.loads(found.group(1))
    return data


def test_restricted_persons_are_never_named_on_public_pages(client: TestClient,
                                                            kz_store: GraphStore) -> None:
    restricted = [n for n in kz_store.iter_nodes() if n.restricted and not n.group]
    assert {"aigerim-tasbolatova", "serik-nurtazin"} <= {n.id for n in restricted}
    secrets = {s for n in restricted for s in (n.name, *n.aliases, n.id)} | {
        "Tasbolatova", "Тасболатов", "Nurtazin", "tasbolatova-summoned", "case-tasbolatova"}
    for url in _public_pages(public_views(client.app.state).get()):  # type: ignore[attr-defined]
        response = client.get(url)
        assert response.status_code == 200, url
        leaked = [s for s in secrets if s.lower() in response.text.lower()]
        assert not leaked, f"{url} names {leaked}"
    relatives = client.get("/viz/relatives").text
    assert PLACEHOLDER in relatives and "restricted-0123456789abcdef" in relatives
    around = client.get("/viz/entity/daulet-planted", params={"depth": 2}).text
    assert f"Administrative case against {PLACEHOLDER}" in around


def test_restricted_persons_are_answered_like_unknown_ids(client: TestClient) -> None:
    unknown = client.get("/entities/no-such-entity")
    assert unknown.status_code == 404
    for url in ("/entities/aigerim-tasbolatova", "/entities/case-tasbolatova",
                "/entities/serik-nurtazin"):
        response = client.get(url)
        assert (response.status_code, response.text) == (404, unknown.text), url
    for url in ("/viz/entity/aigerim-tasbolatova", "/embed/case/case-tasbolatova"):
        assert client.get(url).text == client.get(url.replace("aigerim-tasbolatova",
                                                              "no-such-entity")).text, url


def test_public_pages_show_text_with_restricted_names_removed(client: TestClient) -> None:
    page = client.get("/entities/daulet-planted").text
    assert f"His sister {PLACEHOLDER} was questioned; the {PLACEHOLDER} family" in page
    assert "(withheld: it names a restricted person)" in page
    assert "Тасбол" not in page


def test_every_page_has_a_strict_policy_and_only_embeds_may_be_framed(client: TestClient) -> None:
    for url in ("/", "/entities/bota-jardemalie", "/viz/relatives", "/viz/graph",
                "/static/view.js", "/api/health"):
        headers = client.get(url).headers
        policy = headers["content-security-policy"]
        assert "script-src 'self'" in policy and "unsafe-inline" not in policy, url
        assert policy.endswith("frame-ancestors 'none'"), url
        assert headers["x-frame-options"] == "DENY", url
    embed = client.get("/embed/relatives").headers
    assert embed["content-security-policy"].endswith("frame-ancestors *")
    assert "x-frame-options" not in embed


def test_the_embed_frame_ancestors_come_from_the_setting(kz_store: GraphStore) -> None:
    settings = Settings(embed_frame_ancestors="https://news.example.org 'self'")
    with TestClient(create_app(settings, kz_store)) as client:
        policy = client.get("/embed/graph").headers["content-security-policy"]
    assert policy.endswith("frame-ancestors https://news.example.org 'self'")
    for bad in ("https://a.org; script-src *", "", "https://a.org\r\nX-Evil: 1"):
        with pytest.raises(ValueError, match="embed_frame_ancestors"):
            frame_ancestors(bad)


def test_pages_load_nothing_from_other_origins(client: TestClient) -> None:
    for url in ("/", "/entities/marat-zhylanbayev", "/viz/graph", "/embed/relatives"):
        html = client.get(url).text
        # a rel="alternate" link (oEmbed discovery) names an address; browsers load nothing
        loaded = re.sub(r'<link rel="alternate"[^>]*>', "", html)
        for attr in re.findall(r'<(?:script|link|img|iframe)\b[^>]*\b(?:src|href)="([^"]+)"', loaded):
            assert attr.startswith("/") and not attr.startswith("//"), (url, attr)
    assert client.get("/vendor/vis-network-9.1.2.min.js").status_code == 200


def test_page_data_cannot_close_its_script_element() -> None:
    text = str(script_json({"name": "</script><script>alert(1)</script>", "note": "a & b"}))
    assert "<" not in text and ">" not in text and "&" not in text
    assert json.loads(text) == {"name": "</script><script>alert(1)</script>", "note": "a & b"}


def test_embed_snippet_points_at_a_stable_readable_url(client: TestClient) -> None:
    html = client.get("/viz/entity/bota-jardemalie", params={"depth": 2, "types": "FAMILY_OF,DETAINED"}).text
    snippet = re.search(r'<textarea id="embed-snippet"[^>]*>(.*?)</textarea>', html, re.S)
    assert snippet
    # the public address (unset here: where `repgraph serve` listens), not the Host header
    assert ("&lt;iframe src=&#34;http://127.0.0.1:8000/embed/entity/bota-jardemalie"
            "?depth=2&amp;amp;types=DETAINED,FAMILY_OF&#34;") in snippet.group(1)


def test_names_typed_into_the_path_form_redirect_to_ids(client: TestClient) -> None:
    for source, target in (("Bota Jardemalie", "mukhtar ablyazov"), ("bota-jardemalie", "Mukhtar Ablyazov")):
        response = client.get("/viz/path", params={"source": source, "target": target},
                              follow_redirects=False)
        assert response.status_code == 303
        assert response.headers["location"] == (
            "/viz/path?source=bota-jardemalie&target=mukhtar-ablyazov&mode=shortest")


def _choices(html: str) -> list[str]:
    """The candidates' links on a choice page, in order."""
    return [unescape(href) for href in re.findall(r'<a class="candidate" href="([^"]+)">', html)]


@pytest.mark.parametrize("base", ["/viz/path", "/embed/path"])
def test_a_name_in_no_record_gets_a_choice_page_not_someone_else(client: TestClient,
                                                                 base: str) -> None:
    response = client.get(base, params={"source": "Tokaeva", "target": "Bota Jardemalie",
                                        "mode": "all"}, follow_redirects=False)
    assert response.status_code == 200 and "location" not in response.headers
    assert "Which one did you mean?" in response.text and "view-data" not in response.text
    assert "How Tokayev connects" not in response.text
    links = _choices(response.text)
    # each candidate fills in its id; the name that was exact becomes its id too
    assert f"{base}?source=tokayev&target=bota-jardemalie&mode=all" in links
    assert all(link.startswith(f"{base}?source=") for link in links)
    assert "Similar names" in response.text and ">person<" in response.text


def test_each_name_that_is_not_exact_gets_its_own_candidates(client: TestClient) -> None:
    response = client.get("/viz/path", params={"source": "Bota Jardemali", "target": "Ablyazof"})
    assert response.status_code == 200
    links = _choices(response.text)
    assert "/viz/path?source=bota-jardemalie&target=Ablyazof&mode=shortest" in links
    assert "/viz/path?source=Bota+Jardemali&target=mukhtar-ablyazov&mode=shortest" in links
    # the typed names stay in the form, to be corrected
    assert 'value="Bota Jardemali"' in response.text and 'value="Ablyazof"' in response.text


def test_a_name_nothing_resembles_still_gets_the_page(client: TestClient) -> None:
    response = client.get("/viz/path", params={"source": "qqqqqqqq", "target": "bota-jardemalie"})
    assert response.status_code == 200 and _choices(response.text) == []
    assert "nor one like it" in response.text


def test_two_entities_of_one_name_are_both_offered(tmp_path: Path) -> None:
    store = MemoryStore(tmp_path / "twins")
    store.write([Node(id=f"ali-{i}", kind=NodeKind.PERSON, name="Ali Sadykov",
                      description=f"the {n} one") for i, n in ((1, "first"), (2, "second"))], [])
    with TestClient(create_app(Settings(data_dir=tmp_path), store)) as twins:
        response = twins.get("/viz/path", params={"source": "ali sadykov", "target": "ali-1"},
                             follow_redirects=False)
    assert response.status_code == 200 and "Several entities have this name" in response.text
    assert _choices(response.text) == ["/viz/path?source=ali-1&target=ali-1&mode=shortest",
                                       "/viz/path?source=ali-2&target=ali-1&mode=shortest"]
    assert "the first one" in response.text and "the second one" in response.text


def test_the_public_choice_page_for_a_restricted_name_is_that_of_the_graph_without_her(
        client: TestClient, kz_store: GraphStore, without_her: TestClient) -> None:
    restricted = [n for n in kz_store.iter_nodes() if n.restricted and not n.group]
    secrets = {s.lower() for n in restricted for s in (n.name, *n.aliases, n.id)} | {
        "tasbolatov", "тасболатов", "nurtazin", "restricted-"}
    for typed in ("Aigerim Tasbolatova", "aigerim-tasbolatova", "Тасболатова"):
        params = {"source": typed, "target": "bota-jardemalie", "mode": "ranked",
                  "avoid": "kz-police"}
        response = client.get("/viz/path", params=params, follow_redirects=False)
        never = without_her.get("/viz/path", params=params, follow_redirects=False)
        assert (response.status_code, response.text) == (never.status_code, never.text), typed
        assert response.status_code == 200
        assert not [s for s in secrets if s in response.text.replace(typed, "").lower()]


def test_an_editor_is_offered_and_redirected_to_restricted_persons(kz_client: TestClient) -> None:
    response = kz_client.get("/viz/path", params={"source": "Aigerim Tasbolatova",
                                                  "target": "bota-jardemalie"},
                             follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"].startswith("/viz/path?source=aigerim-tasbolatova&")


def test_bad_view_parameters_get_a_clear_page(client: TestClient) -> None:
    response = client.get("/viz/graph?kinds=person,planet")
    assert response.status_code == 422 and "unknown kinds: planet" in response.text
    response = client.get("/viz/entity/bota-jardemalie?types=LOVES")
    assert response.status_code == 422 and "unknown relationship types: LOVES" in response.text
    assert client.get("/viz/entity/bota-jardemalie?depth=99").status_code == 422


def test_large_views_are_capped_and_say_what_was_left_out(tmp_path: Path) -> None:
    store = MemoryStore(tmp_path / "big")
    nodes, edges = synthetic_graph(600, 1500)
    store.write(nodes, edges)
    settings = Settings(view_max_nodes=400, view_max_edges=700)
    with TestClient(create_app(settings, store)) as client:
        html = client.get("/viz/graph").text
    data = _view_data(html)
    assert isinstance(data["nodes"], list) and isinstance(data["edges"], list)
    assert (len(data["nodes"]), len(data["edges"])) == (400, 700)
    kept = {n["id"] for n in data["nodes"]}
    between = sum(1 for e in edges if e.source in kept and e.target in kept)
    assert f"200 entities and {1500 - 700} relationships were left out" in " ".join(html.split())
    assert between >= 700


def test_large_layouts_are_repeatable_and_keep_every_component_in_view() -> None:
    nodes, edges = synthetic_graph(600, 1500)
    ids = [n.id for n in nodes]
    links = [(e.source, e.target) for e in edges]
    first = layout(ids, links)
    assert first == layout(ids, links) and set(first) == set(ids)
    radii = sorted(math.hypot(x, y) for x, y in first.values())
    # The isolated source node must not sit so far out that the network shrinks to a dot.
    assert radii[-1] < 3 * radii[len(radii) // 2]


def test_a_trigger_and_subcounts_read_as_words_on_pages(kz_client: TestClient) -> None:
    page = kz_client.get("/entities/marat-zhylanbayev").text
    assert "Triggered by:</span> Protest in front of the Delegation of the EU" in page
    assert "protest-eu-delegation-astana</" not in page
    cases = kz_client.get("/entities/torture-cases-2022").text
    assert "10 went to trial" in cases and "&#39;count&#39;" not in cases


def _drawn(client: TestClient, path: str) -> dict[str, object]:
    page = client.get(path)
    assert page.status_code == 200, path
    return _view_data(page.text)


def test_generic_actors_with_many_links_start_collapsed_and_few_links_stay_drawn(
        client: TestClient) -> None:
    """The authorities reach nearly everyone two steps from a critic: folded. In the relatives
    view their few links are the measures taken against the relatives: drawn."""
    crowded = _drawn(client, "/viz/entity/bota-jardemalie?depth=2&expand_generic=true")
    assert "kz-authorities" in crowded["generic"]  # type: ignore[operator]
    relatives = _drawn(client, "/viz/relatives")
    drawn = {n["id"] for n in relatives["nodes"]}  # type: ignore[attr-defined]
    assert "kz-authorities" in drawn and relatives["generic"] == []
    centred = _drawn(client, "/viz/entity/kz-authorities")
    assert centred["generic"] == [], "the centre of a view is never folded away"
