"""Editors in the browser: sign-in with a key, sessions, CSRF, sign-out, named keys that
come and go without a restart, and the caching headers of answers that depend on who asks.
All over HTTP, against the bundled data and the planted restricted person."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from api import audit
from api.app import create_app
from api.editors import Editor, add_editor, key_hash, revoke_editor
from api.sessions import COOKIE, SIGNIN_COOKIE, TLS_COOKIE, Sessions
from cli.main import main
from config import Settings, get_settings
from graph.memory import MemoryStore
from loaders import native
from tests.conftest import DATASET, EDITOR_KEY, PLANTED, app_settings

RESTRICTED_ID = "aigerim-tasbolatova"
RESTRICTED_NAME = "Aigerim Tasbolatova"
PSEUDONYM = "restricted-0123456789abcdef"


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[MemoryStore]:
    store = MemoryStore(tmp_path_factory.mktemp("editors") / "store")
    native.load([DATASET, PLANTED], store, replace=True)
    yield store
    store.close()


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return app_settings(tmp_path / "app")


@pytest.fixture
def client(store: MemoryStore, settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(settings, store=store)) as client:
        yield client


def sign_in(client: TestClient, key: str = EDITOR_KEY, next_path: str = "/") -> object:
    form = client.get("/signin")
    token = re.search(r'action="/signin">\s*<input type="hidden" name="token" value="([^"]+)"',
                      form.text)
    assert token, form.text
    return client.post("/signin", data={"token": token[1], "key": key, "next": next_path},
                       follow_redirects=False)


def set_cookies(response: object) -> list[str]:
    return response.headers.get_list("set-cookie")  # type: ignore[attr-defined,no-any-return]


def test_the_sign_in_form_carries_a_token_bound_to_a_strict_cookie(client: TestClient) -> None:
    page = client.get("/signin")
    assert page.status_code == 200 and 'type="password"' in page.text
    assert page.headers["cache-control"] == "no-store"
    (nonce,) = [c for c in set_cookies(page) if c.startswith(SIGNIN_COOKIE + "=")]
    assert "HttpOnly" in nonce and "SameSite=Strict" in nonce and "Path=/signin" in nonce


def test_an_editor_signs_in_and_reads_the_names_the_public_does_not(
        client: TestClient, settings: Settings) -> None:
    assert RESTRICTED_NAME not in client.get(f"/entities/{PSEUDONYM}").text
    answer = sign_in(client, next_path=f"/entities/{RESTRICTED_ID}")
    assert answer.status_code == 303  # type: ignore[attr-defined]
    assert answer.headers["location"] == f"/entities/{RESTRICTED_ID}"  # type: ignore[attr-defined]
    (cookie,) = [c for c in set_cookies(answer) if c.startswith(COOKIE + "=")]
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and "Path=/" in cookie
    assert "Secure" not in cookie  # plain HTTP here: a Secure cookie would never come back
    page = client.get(f"/entities/{RESTRICTED_ID}")
    assert page.status_code == 200 and RESTRICTED_NAME in page.text
    assert "Editor view" in page.text and 'action="/signout"' in page.text
    assert client.get(f"/api/entities/{RESTRICTED_ID}").json()["name"] == RESTRICTED_NAME
    (entry,) = [e for e in audit.read(settings.audit_log_path) if e["action"] == "signin"]
    assert entry["who"] == "editor:key-" + key_hash(EDITOR_KEY)[:12] and entry["result"] == "ok"


def test_the_session_cookie_is_secure_and_host_only_over_tls(
        store: MemoryStore, settings: Settings) -> None:
    with TestClient(create_app(settings, store=store), base_url="https://testserver") as client:
        answer = sign_in(client)
        (cookie,) = [c for c in set_cookies(answer) if c.startswith(TLS_COOKIE + "=")]
        assert "; Secure" in cookie and "Path=/;" in cookie and "Domain" not in cookie
        assert client.get(f"/api/entities/{RESTRICTED_ID}").status_code == 200
        # a cookie without the prefix (which a sibling subdomain could set) is not read first
        client.cookies[COOKIE] = "x.y"
        assert client.get(f"/api/entities/{RESTRICTED_ID}").status_code == 200


def test_a_wrong_key_is_refused_audited_and_never_written_down(
        client: TestClient, settings: Settings) -> None:
    wrong = "not-the-editor-key-0123456789"
    answer = sign_in(client, key=wrong)
    assert answer.status_code == 401  # type: ignore[attr-defined]
    assert not [c for c in set_cookies(answer) if c.startswith(COOKIE + "=")]
    (entry,) = audit.read(settings.audit_log_path)
    assert entry["action"] == "signin" and entry["result"] == "refused"
    assert wrong not in settings.audit_log_path.read_text()
    assert key_hash(wrong) not in settings.audit_log_path.read_text()


def test_a_sign_in_without_the_form_token_is_refused(client: TestClient) -> None:
    # a cross-site form cannot read the token, nor send the SameSite=Strict nonce cookie
    answer = client.post("/signin", data={"token": "forged", "key": EDITOR_KEY},
                         follow_redirects=False)
    assert answer.status_code == 403
    assert not [c for c in set_cookies(answer) if c.startswith(COOKIE + "=")]
    client.get("/signin")  # a nonce cookie, but a token made for another nonce
    answer = client.post("/signin", data={"token": "A" * 43, "key": EDITOR_KEY},
                         follow_redirects=False)
    assert answer.status_code == 403


def test_sign_in_attempts_are_limited_per_client(store: MemoryStore, tmp_path: Path) -> None:
    settings = app_settings(tmp_path, signin_per_minute=1, signin_burst=2)
    with TestClient(create_app(settings, store=store)) as client:
        # signing in with the right key spends nothing: nobody is locked out by using it
        assert [sign_in(client).status_code for _ in range(3)] == [303] * 3  # type: ignore[attr-defined]
        bare = client.post("/signin", content=b"", follow_redirects=False)
        assert bare.status_code == 403  # a refused attempt, which spends
        codes = [sign_in(client, key="wrong").status_code for _ in range(2)]  # type: ignore[attr-defined]
        assert codes == [401, 429]
        limited = sign_in(client)  # once spent, even the right key waits its turn
        assert limited.status_code == 429  # type: ignore[attr-defined]
        assert int(limited.headers["retry-after"]) >= 1  # type: ignore[attr-defined]
        results = [e["result"] for e in audit.read(settings.audit_log_path)]
        assert results == ["ok"] * 3 + ["bad-form", "refused", "rate-limited", "rate-limited"]


def test_wrong_api_keys_are_limited_like_sign_in_attempts(
        store: MemoryStore, tmp_path: Path) -> None:
    settings = app_settings(tmp_path, signin_per_minute=1, signin_burst=2)
    with TestClient(create_app(settings, store=store)) as client:
        codes = [client.get("/api/health", headers={"X-API-Key": f"guess-{i}"}).status_code
                 for i in range(3)]
        assert codes == [401, 401, 429]
        assert client.get("/api/health").status_code == 200  # the public is not held up


def test_odd_input_is_refused_not_crashed_on(client: TestClient) -> None:
    odd = client.get("/api/health", headers=[(b"cookie", b"repgraph_session=eyJ4.\xe9\xff")])
    assert odd.status_code == 200
    client.get("/signin")
    for data in ({"token": "\u00e9", "key": EDITOR_KEY},
                 {f"field{i}": "x" for i in range(11)}):
        assert client.post("/signin", data=data).status_code == 403


def test_an_old_sign_in_form_is_refused(client: TestClient) -> None:
    sessions = _app_sessions(client.app)  # type: ignore[arg-type]
    old = sessions.new_nonce(now=time.time() - 2 * 3600)
    client.cookies.set(SIGNIN_COOKIE, old, path="/signin")
    answer = client.post("/signin", data={"token": sessions.signin_token(old),
                                          "key": EDITOR_KEY}, follow_redirects=False)
    assert answer.status_code == 403


def test_signing_out_without_a_session_changes_no_cookie(client: TestClient) -> None:
    answer = client.post("/signout", data={"token": "any"}, follow_redirects=False)
    assert answer.status_code == 303 and not set_cookies(answer)
    untokened = client.post("/signout", data={}, follow_redirects=False)
    assert untokened.status_code == 403 and not set_cookies(untokened)


def test_a_shared_sign_out_file_ends_sessions_on_every_machine(
        store: MemoryStore, tmp_path: Path) -> None:
    shared = {"session_secret": "s" * 64, "signed_out_file": tmp_path / "signed-out"}
    one, two = (app_settings(tmp_path / name, **shared) for name in ("one", "two"))
    with TestClient(create_app(one, store=store)) as first, \
            TestClient(create_app(two, store=store)) as second:
        sign_in(first)
        second.cookies[COOKIE] = first.cookies[COOKIE]
        assert second.get(f"/api/entities/{RESTRICTED_ID}").status_code == 200
        token = re.search(r'name="token" value="([^"]+)"', first.get("/").text)
        assert token
        first.post("/signout", data={"token": token[1]})
        assert second.get(f"/api/entities/{RESTRICTED_ID}").status_code == 404


def test_an_editor_view_offers_no_embed_code(client: TestClient) -> None:
    public = client.get("/viz/entity/daulet-planted")
    assert 'id="embed-snippet"' in public.text and RESTRICTED_NAME not in public.text
    sign_in(client)
    editor = client.get("/viz/case/case-tasbolatova")
    assert RESTRICTED_NAME in editor.text and 'id="embed-snippet"' not in editor.text


def test_the_next_page_is_on_this_site(client: TestClient) -> None:
    for target in ("//evil.example/", "https://evil.example/", "/\\evil.example"):
        assert sign_in(client, next_path=target).headers["location"] == "/"  # type: ignore[attr-defined]


def test_sign_out_needs_its_token_and_ends_the_session_in_every_worker(
        store: MemoryStore, settings: Settings) -> None:
    with TestClient(create_app(settings, store=store)) as client, \
            TestClient(create_app(settings, store=store)) as other_worker:
        sign_in(client)
        cookie = client.cookies[COOKIE]
        other_worker.cookies[COOKIE] = cookie  # one secret, shared through the data dir
        assert other_worker.get(f"/api/entities/{RESTRICTED_ID}").status_code == 200
        assert client.post("/signout", data={"token": "forged"}).status_code == 403
        assert client.get(f"/api/entities/{RESTRICTED_ID}").status_code == 200
        page = client.get("/")
        token = re.search(r'name="token" value="([^"]+)"', page.text)
        assert token
        out = client.post("/signout", data={"token": token[1]}, follow_redirects=False)
        assert out.status_code == 303
        for private in (settings.signed_out_path, settings.data_dir / ".session-secret"):
            assert private.stat().st_mode & 0o777 == 0o600, private
        assert any(c.startswith(COOKIE + "=;") and "Max-Age=0" in c for c in set_cookies(out))
        # the cookie kept by an attacker (or another tab) no longer opens anything
        for worker in (client, other_worker):
            worker.cookies.clear()
            worker.cookies[COOKIE] = cookie
            assert worker.get(f"/api/entities/{RESTRICTED_ID}").status_code == 404
            assert RESTRICTED_NAME not in worker.get(f"/entities/{PSEUDONYM}").text


def _app_sessions(app: FastAPI) -> Sessions:
    sessions: Sessions = app.state.sessions
    return sessions


def test_sessions_expire(store: MemoryStore, settings: Settings) -> None:
    app = create_app(settings, store=store)
    editor = Editor("key-" + key_hash(EDITOR_KEY)[:12], key_hash(EDITOR_KEY))
    expired, _ = _app_sessions(app).open(editor, now=time.time() - settings.session_ttl_s - 1)
    live, _ = _app_sessions(app).open(editor)
    with TestClient(app) as client:
        client.cookies[COOKIE] = live
        assert client.get(f"/api/entities/{RESTRICTED_ID}").status_code == 200
        client.cookies[COOKIE] = expired
        answer = client.get(f"/api/entities/{RESTRICTED_ID}")
        assert answer.status_code == 404
        assert any(c.startswith(COOKIE + "=;") for c in set_cookies(answer))


def test_a_forged_cookie_reads_exactly_what_the_public_reads(client: TestClient) -> None:
    for path in (f"/entities/{PSEUDONYM}", f"/api/entities/{RESTRICTED_ID}", "/api/search"):
        params = {"q": RESTRICTED_NAME} if path == "/api/search" else None
        plain = client.get(path, params=params)
        client.cookies[COOKIE] = "eyJzaWQiOiJ4In0.forged"
        forged = client.get(path, params=params)
        client.cookies.clear()
        assert (forged.status_code, forged.content) == (plain.status_code, plain.content)


def test_a_session_never_authorises_a_write(client: TestClient) -> None:
    sign_in(client)
    answer = client.post("/api/import", params={"format": "native"}, content=b"nodes: []")
    assert answer.status_code == 401


def test_keys_come_and_go_without_a_restart(client: TestClient, settings: Settings) -> None:
    key = add_editor(settings.editor_keys_path, "aliya")
    assert settings.editor_keys_path.stat().st_mode & 0o077 == 0
    headers = {"X-API-Key": key}
    assert client.get(f"/api/entities/{RESTRICTED_ID}", headers=headers).status_code == 200
    sign_in(client, key=key)
    assert client.get(f"/api/entities/{RESTRICTED_ID}").status_code == 200
    (entry,) = [e for e in audit.read(settings.audit_log_path) if e["action"] == "signin"]
    assert entry["who"] == "editor:aliya"
    revoke_editor(settings.editor_keys_path, "aliya")
    assert client.get(f"/api/entities/{RESTRICTED_ID}", headers=headers).status_code == 401
    assert client.get(f"/api/entities/{RESTRICTED_ID}").status_code == 404  # session ended
    # a new key under the same name does not revive the old sessions
    add_editor(settings.editor_keys_path, "aliya")
    assert client.get(f"/api/entities/{RESTRICTED_ID}").status_code == 404


def test_a_broken_keys_file_grants_nothing(client: TestClient, settings: Settings) -> None:
    key = add_editor(settings.editor_keys_path, "aliya")
    settings.editor_keys_path.write_text('{"editors": [{"name": "aliya"}]}')
    assert client.get("/api/health", headers={"X-API-Key": key}).status_code == 401
    assert client.get("/api/health", headers={"X-API-Key": EDITOR_KEY}).status_code == 200


def test_the_cli_adds_lists_and_revokes_editors(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("REPGRAPH_DATA_DIR", str(tmp_path))
    get_settings.cache_clear()
    try:
        assert main(["editor", "add", "dana"]) == 0
        key = capsys.readouterr().out.strip()
        assert main(["editor", "add", "dana"]) == 2  # one key per name
        assert "already an editor" in capsys.readouterr().err
        assert main(["editor", "list"]) == 0
        assert re.search(rf"dana\s+key {key_hash(key)[:12]}", capsys.readouterr().out)
        assert main(["editor", "revoke", "dana"]) == 0
        assert main(["editor", "revoke", "dana"]) == 2
        actions = [e["action"] for e in audit.read(get_settings().audit_log_path)]
        assert actions == ["editor-add", "editor-revoke"]
        assert key not in (tmp_path / "editor-keys.json").read_text()
    finally:
        get_settings.cache_clear()


@pytest.mark.parametrize("path", [f"/api/entities/{PSEUDONYM}", f"/entities/{PSEUDONYM}",
                                  "/api/search?q=journalist", "/viz/relatives", "/"])
def test_answers_that_depend_on_the_audience_say_so_to_caches(
        client: TestClient, settings: Settings, path: str) -> None:
    public = client.get(path)
    assert public.status_code == 200
    for answer in (public, client.get(path, headers={"X-API-Key": EDITOR_KEY})):
        vary = {v.strip().lower() for v in answer.headers["vary"].split(",")}
        assert {"cookie", "x-api-key", "authorization"} <= vary
    assert public.headers["cache-control"] == f"private, max-age={settings.public_cache_s}"
    editor = client.get(path, headers={"X-API-Key": EDITOR_KEY})
    assert editor.headers["cache-control"] == "private, no-store"


def test_errors_and_refusals_are_not_cached(client: TestClient) -> None:
    assert client.get(f"/api/entities/{RESTRICTED_ID}").headers["cache-control"] == "no-store"
    bad_key = client.get("/api/health", headers={"X-API-Key": "wrong"})
    assert bad_key.status_code == 401 and bad_key.headers["cache-control"] == "no-store"
    assert "cookie" in bad_key.headers["vary"].lower()
    shared = client.get("/static/site.css")
    assert "cookie" not in shared.headers.get("vary", "").lower()
