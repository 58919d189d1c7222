"""oEmbed (https://oembed.com) over HTTP: the answer's fields, its sizes under a consumer's
maximums, its errors, discovery from the view pages, and what it tells an attacker about a
restricted person (nothing: her id and her name are answered like an id that does not exist).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from html import unescape
from pathlib import Path
from urllib.parse import quote

import httpx
import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from config import Settings
from graph.memory import MemoryStore
from graph.store import GraphStore
from schema.models import Citation, Node
from schema.vocabulary import NodeKind

BASE = Settings().public_base_url  # where the snippets and answers point (unset: serve's)
VIEWS = ["/viz/entity/bota-jardemalie?depth=2&types=DETAINED,FAMILY_OF",
         "/embed/entity/mukhtar-ablyazov",
         "/viz/path?source=bota-jardemalie&target=mukhtar-ablyazov&mode=all",
         "/viz/path?source=Bota%20Jardemalie&target=mukhtar-ablyazov",
         "/embed/relatives", "/viz/graph?kinds=person,case", "/viz/graph"]
UNKNOWN = "no-such-entity"
RESTRICTED_IDS = ["aigerim-tasbolatova", "case-tasbolatova", "serik-nurtazin"]
HER_NAMES = ["Aigerim Tasbolatova", "Айгерим Тасболатова", "Serik Nurtazin"]
#: every place a view URL names an entity, `{}` for it
NAMING = ["/viz/entity/{}", "/embed/entity/{}?depth=2", "/viz/case/{}", "/embed/case/{}",
          "/viz/path?source={}&target=bota-jardemalie",
          "/viz/path?source=bota-jardemalie&target={}&mode=ranked",
          "/embed/path?source=bota-jardemalie&target=mukhtar-ablyazov&avoid={}"]


@pytest.fixture(scope="module")
def client(kz_store: GraphStore) -> Iterator[TestClient]:
    with TestClient(create_app(Settings(rate_limit_burst=100_000), kz_store)) as found:
        yield found


def oembed(client: TestClient, url: str, **params: object) -> httpx.Response:
    return client.get("/oembed", params={"url": url, **params})


def _attributes(tag: str, html: str) -> dict[str, str]:
    found = re.search(rf"<{tag}\b([^>]*)>", html)
    assert found, f"no <{tag}> in {html}"
    return {k: unescape(v) for k, v in re.findall(r'([\w-]+)="([^"]*)"', found.group(1))}


def _page_title(page: str) -> str:
    found = re.search(r"<h1>(?:<a [^>]*>)?([^<]+)", page)
    assert found
    return unescape(found.group(1))


@pytest.mark.parametrize("view", VIEWS)
def test_an_answer_is_a_rich_oembed_of_the_views_embed(client: TestClient, view: str) -> None:
    response = oembed(client, BASE + view)
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    body = response.json()
    assert {k: type(v) for k, v in body.items()} == {
        "type": str, "version": str, "title": str, "provider_name": str, "provider_url": str,
        "cache_age": int, "html": str, "width": int, "height": int}
    assert (body["type"], body["version"], body["provider_name"]) == ("rich", "1.0", "repgraph")
    assert body["provider_url"] == BASE + "/"
    page = client.get(view.replace("/embed/", "/viz/"), follow_redirects=True)
    assert body["title"] == _page_title(page.text)
    preview = re.search(r'<a href="([^"]+)">preview it</a>', page.text)  # the page's embed
    assert preview
    canonical = unescape(preview.group(1)).removeprefix(f"{BASE}/embed")
    frame = _attributes("iframe", body["html"])
    assert frame["src"] == f"{BASE}/embed{canonical}" and frame["title"] == body["title"]
    assert (int(frame["width"]), frame["style"]) == (body["width"], "max-width:100%;border:0")
    link = _attributes("a", body["html"])
    assert link["href"] == f"{BASE}/viz{canonical}#as-text"
    assert unescape(re.sub(r"<[^>]+>", "", body["html"])) == \
        f"{body['title']}: the entities and relationships as text"
    assert "<script" not in body["html"]


@pytest.mark.parametrize(("maxwidth", "maxheight"), [
    (None, None), (1, 1), (50, 30), (120, 200), (200, None), (None, 200), (320, 480),
    (390, 844), (639, 599), (640, 640), (5000, 5000)])
def test_sizes_never_exceed_the_consumers_maximums(client: TestClient, maxwidth: int | None,
                                                   maxheight: int | None) -> None:
    limits = {k: v for k, v in (("maxwidth", maxwidth), ("maxheight", maxheight)) if v}
    for view in (VIEWS[0], VIEWS[2]):
        body = oembed(client, BASE + view, **limits).json()
        frame = _attributes("iframe", body["html"])
        assert body["width"] == int(frame["width"]) == min(640, maxwidth or 640)
        assert body["height"] <= (maxheight or body["height"])
        assert int(frame["height"]) <= body["height"]
        if "#as-text" in body["html"]:  # room is kept for the text under a usable iframe
            assert 180 <= int(frame["height"]) < body["height"]
        else:  # no room for both: the iframe, never a height over the maximum
            assert int(frame["height"]) == body["height"] == maxheight
        if maxheight is None or (maxheight >= 640 and (maxwidth or 640) >= 320):
            assert "#as-text" in body["html"]
        if maxheight is None:
            assert int(frame["height"]) == 560


def test_a_maximum_bounds_only_its_own_side(client: TestClient) -> None:
    wide = oembed(client, BASE + VIEWS[4], maxheight=300).json()
    tall = oembed(client, BASE + VIEWS[4], maxwidth=300).json()
    assert (wide["width"], wide["height"]) == (640, 300)
    assert tall["width"] == 300 and tall["height"] > 560


def test_anything_but_one_of_our_view_urls_gets_the_same_404(client: TestClient) -> None:
    others = [
        "https://evil.example/viz/relatives", f"{BASE}.evil.example/viz/relatives",
        BASE.replace("http://", "https://") + "/viz/relatives", f"{BASE}@evil.example/viz/relatives",
        f"{BASE}/entities/bota-jardemalie", f"{BASE}/viz/", f"{BASE}/viz/nothing",
        f"{BASE}/viz/entity/", f"{BASE}/viz/entity/bota-jardemalie/more", f"{BASE}/api/relatives",
        f"{BASE}/viz/entity/bota%2Fjardemalie", f"{BASE}/vizrelatives", "relatives", "/viz/relatives",
        f"{BASE}/viz/entity/{UNKNOWN}", f"{BASE}/viz/case/bota-jardemalie",  # not a case
        f"{BASE}/viz/entity/bota-jardemalie?depth=0", f"{BASE}/viz/entity/bota-jardemalie?depth=x",
        f"{BASE}/viz/entity/bota-jardemalie?depth=99", f"{BASE}/viz/graph?kinds=planet",
        f"{BASE}/viz/entity/bota-jardemalie?types=LOVES", f"{BASE}/viz/path?source=bota-jardemalie",
        f"{BASE}/viz/path?source=bota-jardemalie&target=mukhtar-ablyazov&mode=longest",
        f"{BASE}/viz/path?source=Bota&target=mukhtar-ablyazov"]  # not an exact name
    answers = {(r.status_code, r.text, r.headers["content-type"])
               for r in (oembed(client, url) for url in others)}
    assert answers == {(404, '{"detail":"no embeddable view at this url"}', "application/json")}


def test_formats_other_than_json_get_501(client: TestClient) -> None:
    for fmt in ("xml", "XML", "yaml"):
        assert oembed(client, BASE + VIEWS[4], format=fmt).status_code == 501
    assert oembed(client, BASE + VIEWS[4], format="json").status_code == 200


def _answer(response: httpx.Response) -> tuple[object, ...]:
    return response.status_code, sorted(response.headers.items()), response.content


def test_a_restricted_person_is_answered_like_an_id_that_does_not_exist(
        client: TestClient, without_her: TestClient) -> None:
    for pattern in NAMING:
        unknown = _answer(oembed(client, BASE + pattern.format(UNKNOWN)))
        assert unknown[0] == 404
        for ref in RESTRICTED_IDS + HER_NAMES:
            url = BASE + pattern.format(quote(ref))
            assert _answer(oembed(client, url)) == unknown, url
            # and exactly what a service that never held her answers
            assert _answer(oembed(client, url)) == _answer(oembed(without_her, url)), url


def test_an_editor_gets_the_public_answer(client: TestClient, kz_client: TestClient) -> None:
    """A content system must never be handed restricted names, whoever set it up."""
    for view in ["/viz/relatives", "/viz/entity/daulet-planted?depth=2",
                 "/viz/entity/aigerim-tasbolatova", "/viz/case/case-tasbolatova"]:
        public, editor = oembed(client, BASE + view), oembed(kz_client, BASE + view)
        assert (editor.status_code, editor.content) == (public.status_code, public.content), view
    assert "Tasbolatova" in kz_client.get("/viz/entity/aigerim-tasbolatova").text  # she is there
    assert oembed(kz_client, f"{BASE}/viz/entity/aigerim-tasbolatova").status_code == 404


@pytest.mark.parametrize("page", ["/viz/entity/bota-jardemalie?depth=2", "/embed/relatives",
                                  "/viz/path?source=bota-jardemalie&target=mukhtar-ablyazov",
                                  "/embed/graph?kinds=person"])
def test_view_pages_name_an_oembed_answer_with_their_title(client: TestClient, page: str) -> None:
    html = client.get(page).text
    links = re.findall(r'<link rel="alternate" type="application/json\+oembed"[^>]*>', html)
    assert len(links) == 1
    link = _attributes("link", links[0])
    assert link["href"].startswith(f"{BASE}/oembed?url=")
    answer = client.get(link["href"])  # an absolute address: the app answers it
    assert answer.status_code == 200
    assert answer.json()["title"] == link["title"] == _page_title(html)


def test_oembed_spends_from_the_views_rate_limit(kz_store: GraphStore) -> None:
    with TestClient(create_app(Settings(rate_limit_burst=2, rate_limit_per_minute=1),
                               kz_store)) as limited:
        assert limited.get("/viz/relatives").status_code == 200
        assert oembed(limited, BASE + "/viz/relatives").status_code == 200
        refused = oembed(limited, BASE + "/viz/relatives")
        assert refused.status_code == 429 and int(refused.headers["retry-after"]) > 0
        assert limited.get("/viz/relatives").status_code == 429
        assert oembed(limited, "https://evil.example/").status_code == 404  # spends nothing


def test_a_renamed_entity_gets_its_new_title_at_once(tmp_path: Path) -> None:
    """Answers are kept per data version: a rename (or a takedown) is not hidden by them."""
    store = MemoryStore(tmp_path / "store")
    cite = [Citation(source="src", paragraph="1")]
    source = Node(id="src", kind=NodeKind.SOURCE, name="A source", citations=cite)
    store.write([source, Node(id="p1", kind=NodeKind.PERSON, name="First Name", citations=cite)], [])
    with TestClient(create_app(Settings(rate_limit_burst=100_000), store)) as app:
        assert oembed(app, f"{BASE}/viz/entity/p1").json()["title"] == "Network around First Name"
        store.write([Node(id="p1", kind=NodeKind.PERSON, name='Other "<b>" Name',
                          citations=cite)], [])
        body = oembed(app, f"{BASE}/viz/entity/p1").json()
    assert body["title"] == 'Network around Other "<b>" Name'
    assert "<b>" not in body["html"] and _attributes("iframe", body["html"])["title"] == body["title"]
