"""An outside attack on the view surfaces added in issue 22, pinned: the expansion step
(`/viz/expand/{id}`), oEmbed, and the SVG download.

Each attack asks with no key, about a restricted person and about nobody (or of the
service that never held her, `without_her`), and requires one answer: status, headers
but Date, and body. A step or a picture must never carry a restricted name, alias or
real id, and hostile names must reach a downloaded SVG only as text.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.deps import public_views
from config import Settings
from graph.memory import MemoryStore
from graph.store import GraphStore
from loaders import native
from tests.browser import chromium, live_server, recorded_page, wait_ready
from tests.conftest import DATASET, EDITOR_KEY, PLANTED, answer, app_settings
from tests.test_views_browser import XSS_NAMES, XSS_YAML

BASE = Settings().public_base_url
HER = "aigerim-tasbolatova"
NOBODY = "aigerim-tasbolova"
#: ways of writing her id or name that a lenient lookup might still take
HER_REFS = [HER, "Aigerim Tasbolatova", "Айгерим Тасболатова", "case-tasbolatova",
            "AIGERIM-TASBOLATOVA", f" {HER}", f"{HER}\u200b", "ａｉｇｅｒｉｍ-tasbolatova",
            f"{HER}.json", f"{HER};x", "x" * 5000]
SVG_NS = "{http://www.w3.org/2000/svg}"


def secrets_of(store: GraphStore) -> set[str]:
    """Every restricted person's name, aliases and real id, lower-cased, and the words of
    the planted records that would name her (her surname in two scripts, her case)."""
    restricted = [n for n in store.iter_nodes() if n.restricted and not n.group]
    assert {HER, "serik-nurtazin"} <= {n.id for n in restricted}
    return {s.lower() for n in restricted for s in (n.name, *n.aliases, n.id)} | {
        "tasbolatov", "тасболатов", "nurtazin", "case-tasbolatova"}


def named(text: str, secrets: set[str]) -> list[str]:
    return [s for s in secrets if s in text.lower()]


@pytest.fixture(scope="module")
def clients(kz_store: GraphStore, tmp_path_factory: pytest.TempPathFactory
            ) -> Iterator[dict[str, TestClient]]:
    """The public (no key) and an editor, over the dataset, the rate limit out of the way."""
    with ExitStack() as stack:
        yield {who: stack.enter_context(TestClient(
            create_app(app_settings(tmp_path_factory.mktemp(who), rate_limit_burst=1_000_000),
                       store=kz_store), headers=headers))
            for who, headers in (("public", {}), ("editor", {"X-API-Key": EDITOR_KEY}))}


@pytest.fixture(scope="module")
def attacker(clients: dict[str, TestClient]) -> TestClient:
    return clients["public"]


@pytest.fixture(scope="module")
def editor(clients: dict[str, TestClient]) -> TestClient:
    return clients["editor"]


def test_no_step_the_public_can_ask_for_names_a_restricted_person(
        attacker: TestClient, kz_store: GraphStore) -> None:
    """Every entity of the public view expanded, the pseudonyms too: nodes, edge ids,
    details, excerpts and citations."""
    secrets = secrets_of(kz_store)
    public = public_views(attacker.app.state).get()  # type: ignore[attr-defined]
    ids = [n.id for n in public.iter_nodes()]
    assert "restricted-0123456789abcdef" in ids  # her pseudonym is among them
    for node_id in ids:
        step = attacker.get(f"/viz/expand/{quote(node_id, safe='')}")
        assert step.status_code == 200, node_id
        assert not named(step.text + str(step.headers), secrets), node_id


@pytest.mark.parametrize("ref", HER_REFS)
@pytest.mark.parametrize("query", ["", "?types=FAMILY_OF", "?types=LOVES", "?types=&types=,",
                                   "?types=TARGETED_THROUGH_RELATIVE,FAMILY_OF"])
def test_expanding_her_is_answered_as_by_the_graph_without_her(
        attacker: TestClient, without_her: TestClient, ref: str, query: str) -> None:
    url = f"/viz/expand/{quote(ref, safe='')}{query}"
    asked = attacker.get(url, follow_redirects=False)
    assert asked.status_code in (404, 422)
    assert answer(asked) == answer(without_her.get(url, follow_redirects=False)), url
    nobody = attacker.get(f"/viz/expand/{NOBODY}{query}", follow_redirects=False)
    assert answer(asked) == answer(nobody), url  # an id's 404 never echoes it


#: every place an oEmbed URL can name her, `{}` for the name or id
OEMBED_NAMING = ["/viz/entity/{}?depth=2&types=FAMILY_OF", "/embed/case/{}",
                 "/viz/path?source={}&target=daulet-planted&mode=all",
                 "/embed/path?source=bota-jardemalie&target=daulet-planted&avoid=kz-police,{}",
                 "/viz/path?source=bota-jardemalie&target=daulet-planted&avoid=x&avoid={}"]
#: maximums and formats a consumer might send, well-formed or not
OEMBED_OPTIONS: list[dict[str, str]] = [
    {}, {"maxwidth": "0"}, {"maxheight": "-5"}, {"maxwidth": "x"}, {"maxheight": "1e3"},
    {"maxwidth": "9" * 5000}, {"maxwidth": "1", "maxheight": "1"}, {"format": "xml"},
    {"format": ""}]


@pytest.mark.parametrize("pattern", OEMBED_NAMING)
@pytest.mark.parametrize("options", OEMBED_OPTIONS, ids=str)
def test_oembed_of_her_urls_answers_as_for_nobody_whoever_asks(
        attacker: TestClient, editor: TestClient, without_her: TestClient,
        pattern: str, options: dict[str, str]) -> None:
    nobody = attacker.get("/oembed", params={"url": BASE + pattern.format(NOBODY), **options})
    for ref in HER_REFS[:4]:
        params = {"url": BASE + pattern.format(quote(ref)), **options}
        asked = attacker.get("/oembed", params=params)
        assert answer(asked) == answer(nobody) == answer(without_her.get("/oembed", params=params))
        signed_in = editor.get("/oembed", params=params)
        assert (signed_in.status_code, signed_in.content) == (asked.status_code, asked.content)


@pytest.fixture(scope="module")
def hostile_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[GraphStore]:
    """The dataset, the planted restricted records and the hostile names of the XSS test."""
    folder = tmp_path_factory.mktemp("hostile")
    (folder / "xss.yaml").write_text(XSS_YAML, encoding="utf-8")
    store = MemoryStore(tmp_path_factory.mktemp("hostile-store") / "store")
    native.load([DATASET, PLANTED, folder], store, replace=True)
    yield store
    store.close()


def _downloaded_svg(base: str, path: str) -> str:
    with chromium() as (_, browser):
        tab, rec = recorded_page(browser)
        tab.goto(base + path)
        wait_ready(tab)
        for node_id in tab.evaluate("window.repgraphView.nodes.getIds()"):  # every step in
            tab.evaluate("(id) => window.repgraphView.expand(id)", node_id)
        tab.wait_for_function("document.body.hasAttribute('data-expanded')")
        tab.wait_for_timeout(500)
        with tab.expect_download() as info:
            tab.locator("#download-svg").click()
        text = Path(info.value.path()).read_text(encoding="utf-8")
        assert (rec.errors, rec.dialogs) == ([], [])
        return text


def _active_parts(root: ET.Element) -> list[object]:
    """Whatever in an SVG could run or lead somewhere: elements that embed or link, event
    handler attributes, any link attribute, and any `javascript:` value."""
    found: list[object] = []
    for element in root.iter():
        tag = element.tag.removeprefix(SVG_NS)
        if tag in {"script", "foreignObject", "a", "image", "use", "iframe", "animate", "set"}:
            found.append(tag)
        found += [(tag, k, v) for k, v in element.attrib.items()
                  if k.lower().startswith("on") or "href" in k.lower()
                  or "javascript:" in v.lower()]
    return found


@pytest.mark.browser
@pytest.mark.parametrize("path", ["/viz/entity/xss-img?depth=2", "/embed/case/xss-case",
                                  "/viz/relatives", "/embed/entity/daulet-planted?depth=2"])
def test_a_downloaded_svg_has_hostile_names_as_text_and_no_restricted_name(
        hostile_store: GraphStore, path: str) -> None:
    with live_server(hostile_store, Settings(rate_limit_burst=100_000)) as server:
        text = _downloaded_svg(server.base, path)
    root = ET.fromstring(text)
    assert _active_parts(root) == []
    assert not named(text, secrets_of(hostile_store))
    if "xss" in path:
        words = {t.text for t in root.iter(f"{SVG_NS}text")}
        assert set(XSS_NAMES) <= words, "each hostile name is drawn, as the words it is"
