"""Pages speak in words: no relationship type, ISO duration, snake_case code or Python boolean
reaches a reader as the data stores it.

Every kind of page is read over HTTP, as the public and as an editor, and its text is
collected the way a reader meets it: the text nodes outside scripts, the labels assistive
technology reads (`aria-label`, `title`, `alt`, `placeholder`) and the side-panel records a
network view carries in its data, which the page shows on a click.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from html.parser import HTMLParser

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.deps import public_views
from config import Settings
from graph.store import GraphStore
from schema.vocabulary import RELATIONS, NodeKind, relation_words

#: relationship types as stored: DEFENDANT_IN, and the one-word ones (DETAINED) standing alone
_TYPE = re.compile(r"\b[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+\b|^(?:" + "|".join(RELATIONS) + r")$")
#: ISO 8601 durations (P7Y, P1Y6M) and stored codes (pre_trial_detention, org_type)
_DURATION = re.compile(r"\bP(?:\d+[YMD])+\b")
_SNAKE = re.compile(r"\b[a-z]+(?:_[a-z0-9]+)+\b")
_BOOLEAN = re.compile(r"^(?:True|False|None)$")
#: addresses a source's own text quotes (links, @handles, e-mail) are names, not codes
_URL = re.compile(r"\b(?:https?://|www\.)\S+|\S*@\S+")
_READ_ATTRIBUTES = ("aria-label", "title", "alt", "placeholder")


class _Text(HTMLParser):
    """The text a reader meets on a page, and the inert JSON of a network view."""

    def __init__(self) -> None:
        super().__init__()
        self.texts: list[str] = []
        self.view_data: list[str] = []
        self._in: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        self.texts += [value for name, value in attrs if name in _READ_ATTRIBUTES and value]
        if tag in ("script", "style"):
            self._in.append("data" if found.get("id") == "view-data" else "code")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style") and self._in:
            self._in.pop()

    def handle_data(self, data: str) -> None:
        if not self._in:
            self.texts.append(data)
        elif self._in[-1] == "data":
            self.view_data.append(data)


def _panel_texts(view_data: str) -> Iterator[str]:
    """Every string of the records a view's side panel shows."""
    details = json.loads(view_data)["details"]

    def strings(value: object) -> Iterator[str]:
        if isinstance(value, str):
            yield value
        elif isinstance(value, list | tuple):
            for item in value:
                yield from strings(item)
        elif isinstance(value, dict):
            for key, item in value.items():
                if key not in ("href", "url"):
                    yield from strings(item)

    yield from strings(details)


def codes_in(html: str) -> list[str]:
    """The pieces of a page's text that are codes rather than words."""
    parser = _Text()
    parser.feed(html)
    texts = parser.texts + [t for data in parser.view_data for t in _panel_texts(data)]
    found = []
    for text in texts:
        plain = _URL.sub("", " ".join(text.split()))
        for pattern in (_TYPE, _DURATION, _SNAKE, _BOOLEAN):
            found += [f"{m.group(0)!r} in {plain[:120]!r}" for m in pattern.finditer(plain)]
    return found


def _pages(store: GraphStore) -> list[str]:
    """One of every page kind, and every entity and source page."""
    nodes = list(store.iter_nodes())
    case = next(n.id for n in nodes if n.kind is NodeKind.CASE)
    urls = ["/", "/sources", "/analysis", "/viz/relatives", "/embed/relatives", "/viz/graph",
            "/embed/graph", "/viz/path?source=bota-jardemalie&target=mukhtar-ablyazov&mode=all",
            "/embed/path?source=bota-jardemalie&target=mukhtar-ablyazov&mode=ranked",
            f"/viz/case/{case}", f"/embed/case/{case}", "/viz/entity/bota-jardemalie?depth=2",
            f"/viz/entity/bota-jardemalie?types={','.join(sorted(RELATIONS)[:6])}",
            "/embed/entity/bota-jardemalie", "/viz/path?source=bota&target=nobody-at-all"]
    for node in nodes:
        urls.append(f"/entities/{node.id}")
        if node.kind is NodeKind.SOURCE:
            urls.append(f"/sources/{node.id}")
    return urls


@pytest.fixture(scope="module")
def public(kz_store: GraphStore) -> Iterator[TestClient]:
    with TestClient(create_app(Settings(rate_limit_burst=100_000), kz_store)) as client:
        yield client


def _sweep(client: TestClient, urls: list[str]) -> dict[str, list[str]]:
    found = {}
    for url in urls:
        answer = client.get(url)
        assert answer.status_code == 200, (url, answer.status_code)
        if codes := codes_in(answer.text):
            found[url] = codes
    return found


def test_public_pages_show_no_codes(public: TestClient) -> None:
    view = public_views(public.app.state).get()  # type: ignore[attr-defined]
    assert _sweep(public, _pages(view)) == {}


def test_editor_pages_show_no_codes(kz_client: TestClient, kz_store: GraphStore) -> None:
    assert _sweep(kz_client, [*_pages(kz_store), "/review"]) == {}


def test_the_relationship_filter_offers_the_vocabulary_words(public: TestClient) -> None:
    page = public.get("/viz/entity/bota-jardemalie").text
    options = dict(re.findall(r'<option value="([A-Z_]+)"[^>]*>([^<]*)</option>', page))
    assert set(options) == set(RELATIONS)
    assert {t: w for t, w in options.items() if w != relation_words(t)} == {}


def test_the_sweep_sees_codes_where_they_are() -> None:
    """The patterns find each kind of code, in text, labels and panel records alike."""
    data = json.dumps({"details": {"e:e0": {"facts": [["Sentence", "P7Y"]], "href": "/a_b"}}})
    page = (f'<p>DEFENDANT_IN</p><td>DETAINED</td><p title="pre_trial_detention">x</p>'
            f'<p>True</p><a href="/x_y">https://a.example/x_y</a>'
            f'<script type="application/json" id="view-data">{data}</script>')
    assert [c.split(" in ")[0] for c in codes_in(page)] == [
        "'DEFENDANT_IN'", "'DETAINED'", "'pre_trial_detention'", "'True'", "'P7Y'"]
    assert codes_in("<p>He was detained for 7 years (pre trial detention).</p>"
                    "<p>X: @a_b; e-mail: a_b@c.example</p>") == []
