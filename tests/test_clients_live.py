"""Who the client is, over real HTTP: rate limits on views, forwarded headers, Host.

Every server here runs as `repgraph serve` runs it (`tests.live`). The test client
connects from 127.0.0.1, so that address is the socket peer; whether it is a
trusted proxy is up to each test's settings.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI, Request
from pydantic import ValidationError

from api.clients import client_address, served_over_tls
from config import Settings
from graph.memory import MemoryStore
from loaders import native
from tests.conftest import ROOT
from tests.live import live_server, serving

VIEWS = ["/viz/relatives", "/embed/relatives", "/viz/entity/bota-jardemalie",
         "/embed/case/case-zhylanbayev"]
SNIPPET = re.compile(r'<textarea id="embed-snippet"[^>]*>(.*?)</textarea>', re.S)


@pytest.fixture(scope="module")
def kz_memory(dataset_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[MemoryStore]:
    store = MemoryStore(tmp_path_factory.mktemp("clients"))
    native.load([dataset_dir], store)
    yield store
    store.close()


@contextmanager
def _limited(store: MemoryStore, **overrides: object) -> Iterator[httpx.Client]:
    """A live service allowing each client two expensive requests, then one a minute."""
    settings = Settings(data_dir=store.data_dir, rate_limit_burst=2, rate_limit_per_minute=1,
                        **overrides)  # type: ignore[arg-type]
    with live_server(store, settings) as server, \
            httpx.Client(base_url=server.base, timeout=30) as client:
        yield client


@pytest.mark.parametrize("url", VIEWS)
def test_views_and_embeds_are_rate_limited_with_retry_after(kz_memory: MemoryStore,
                                                           url: str) -> None:
    with _limited(kz_memory) as client:
        assert [client.get(url).status_code for _ in range(2)] == [200, 200]
        refused = client.get(url)
        assert refused.status_code == 429
        assert int(refused.headers["retry-after"]) > 0
        assert refused.headers["content-type"].startswith("text/html")
        assert "Too many requests" in refused.text
        # views and the API's expensive routes spend from one budget
        assert client.get("/api/relatives").status_code == 200  # cheap: not limited
        assert client.get("/api/entities/bota-jardemalie/neighbourhood").status_code == 429


def test_a_forged_forwarded_for_from_an_untrusted_peer_does_not_escape_the_limit(
        kz_memory: MemoryStore) -> None:
    with _limited(kz_memory) as client:  # no trusted proxies: the default
        statuses = [client.get("/viz/relatives",
                               headers={"X-Forwarded-For": f"203.0.113.{i}"}).status_code
                    for i in range(4)]
        assert statuses == [200, 200, 429, 429]


def test_behind_a_trusted_proxy_each_forwarded_client_has_its_own_limit(
        kz_memory: MemoryStore) -> None:
    with _limited(kz_memory, trusted_proxies=["127.0.0.1"]) as client:
        def view(forwarded: str) -> int:
            return client.get("/viz/relatives", headers={"X-Forwarded-For": forwarded}).status_code

        assert [view("203.0.113.1") for _ in range(3)] == [200, 200, 429]
        assert view("203.0.113.2") == 200  # another reader behind the same proxy
        # what the client wrote before the proxy's entry is not believed
        assert view("198.51.100.9, 203.0.113.1") == 429


def _echo_app(settings: Settings) -> FastAPI:
    app = FastAPI()
    app.state.settings = settings

    @app.get("/who")
    async def who(request: Request) -> dict[str, object]:
        return {"client": client_address(request), "tls": served_over_tls(request)}

    return app


def _who(trusted: list[str], headers: dict[str, str]) -> dict[str, object]:
    settings = Settings(trusted_proxies=trusted)  # type: ignore[arg-type]
    with serving(_echo_app(settings), settings) as port:
        answer: dict[str, object] = httpx.get(f"http://127.0.0.1:{port}/who",
                                              headers=headers).json()
        return answer


FORWARDED = {"X-Forwarded-For": "198.51.100.9, 203.0.113.1, 10.1.2.3",
             "X-Forwarded-Proto": "https"}


def test_forwarded_headers_from_an_untrusted_peer_are_ignored() -> None:
    assert _who([], FORWARDED) == {"client": "127.0.0.1", "tls": False}
    assert _who(["10.0.0.0/8"], FORWARDED) == {"client": "127.0.0.1", "tls": False}


def test_a_trusted_proxy_names_the_client_and_the_scheme() -> None:
    # the right-most entry that is not one of our proxies: 10.1.2.3 is a proxy of ours
    assert _who(["127.0.0.1", "10.0.0.0/8"], FORWARDED) == {"client": "203.0.113.1",
                                                             "tls": True}
    assert _who(["127.0.0.1"], {"X-Forwarded-For": "203.0.113.1:4711"}) == {
        "client": "203.0.113.1", "tls": False}
    assert _who(["127.0.0.1"], {}) == {"client": "127.0.0.1", "tls": False}


@pytest.mark.parametrize(("public_url", "expected"), [
    (None, "http://127.0.0.1:8000/embed/relatives"),  # where `repgraph serve` listens
    ("https://graph.example.org/kz/", "https://graph.example.org/kz/embed/relatives"),
])
def test_a_forged_host_header_changes_no_url_on_a_page(kz_memory: MemoryStore,
                                                       public_url: str | None,
                                                       expected: str) -> None:
    settings = Settings(data_dir=kz_memory.data_dir, public_url=public_url)
    with live_server(kz_memory, settings) as server, httpx.Client(base_url=server.base) as client:
        honest = client.get("/viz/relatives").text
        forged = client.get("/viz/relatives", headers={"Host": "evil.example"})
        redirect = client.get("/viz/path?source=Bota+Jardemalie&target=mukhtar-ablyazov",
                              headers={"Host": "evil.example"})
    assert forged.status_code == 200 and forged.text == honest
    assert "evil.example" not in forged.text
    snippet = SNIPPET.search(forged.text)
    assert snippet and f"src=&#34;{expected}&#34;" in snippet.group(1)
    assert redirect.status_code == 303 and "evil.example" not in redirect.headers["location"]


@pytest.mark.parametrize("bad", ["graph.example.org", "ftp://graph.example.org",
                                 "https://graph.example.org/?x=1", "https://graph.example.org/#v",
                                 "https://editor@graph.example.org",
                                 'https://graph.example.org/"><script>'])
def test_a_public_url_must_be_a_plain_http_url(bad: str) -> None:
    with pytest.raises(ValidationError, match="public_url must be an http"):
        Settings(public_url=bad)


def test_a_bad_public_url_stops_the_service_at_start_up() -> None:
    started = subprocess.run(
        [sys.executable, "-m", "cli.main", "serve", "--port", "1"], capture_output=True,
        text=True, timeout=60, cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT), "REPGRAPH_PUBLIC_URL": "graph.example.org"})
    assert started.returncode != 0
    assert "public_url must be an http(s) URL" in started.stderr
