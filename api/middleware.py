"""The trust boundary, as one ASGI middleware around the whole app.

It decides the audience of every request (public, or a named editor by API key
or browser session) and adds the headers every response carries: the security
headers, and on every answer that depends on the audience `Vary` and a private
`Cache-Control`, so that no shared cache hands an editor's answer to the public
and browsers keep public answers only briefly. It does not look at bodies: what
the public may see is decided by the records it reads (`graph.public`, via
`api.deps.StoreDep`), not by rewriting answers.

A session cookie counts only for reading (GET, HEAD) and for signing out, whose
form carries a CSRF token: writes need the key itself.
"""

from __future__ import annotations

import math
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

import orjson
from starlette.requests import HTTPConnection, cookie_parser

from api import audit
from api.clients import client_address
from api.editors import Editor, EditorKeys
from api.headers import frame_ancestors, policy_headers
from api.ratelimit import TokenBuckets
from api.security import PUBLIC, VIEWER, Audience, Viewer, authenticate, editor_audience, presented_key
from api.sessions import COOKIE, TLS_COOKIE, Session, Sessions
from config import Settings

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

SECURITY_HEADERS = {
    b"x-content-type-options": b"nosniff",
    b"referrer-policy": b"no-referrer",  # readers following a citation stay private
    b"cross-origin-opener-policy": b"same-origin",
    b"cross-origin-resource-policy": b"same-origin",
    b"permissions-policy": b"camera=(), microphone=(), geolocation=(), interest-cohort=()",
}
#: files that are the same for everyone (their routes set their own caching)
SHARED_PREFIXES = ("/static/", "/vendor/")
VARY = b"Cookie, X-API-Key, Authorization"
SESSION_METHODS = frozenset({"GET", "HEAD"})
SIGNOUT_PATH = "/signout"


class TrustMiddleware:
    def __init__(self, app: ASGIApp, settings: Settings, editors: EditorKeys,
                 sessions: Sessions, key_attempts: TokenBuckets) -> None:
        self.app, self.settings = app, settings
        self.editors, self.sessions = editors, sessions
        self.key_attempts = key_attempts
        self.embed_ancestors = frame_ancestors(settings.embed_frame_ancestors)
        self.public_cache = f"private, max-age={settings.public_cache_s}".encode()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1")
                   for k, v in scope.get("headers", [])}
        fixed = {**SECURITY_HEADERS, **policy_headers(scope["path"], self.embed_ancestors)}
        key = presented_key(headers)
        audience = authenticate(key, self.editors)
        if audience is None:
            await self._refuse_key(scope, send, list(fixed.items()), key)
            return
        session, stale = None, []
        cookies = cookie_parser(headers.get("cookie", ""))
        present = [name for name in (TLS_COOKIE, COOKIE) if cookies.get(name)]
        if audience is PUBLIC and present and (scope["method"] in SESSION_METHODS
                                               or scope["path"] == SIGNOUT_PATH):
            found = self._session(cookies[present[0]])
            if found is None:
                stale = [_clear(name) for name in present]
            else:
                session, editor = found
                audience = editor_audience(editor)
        state = scope.setdefault("state", {})
        state["audience"], state["session"] = audience, session
        csrf = self.sessions.csrf(session) if session is not None else None
        viewer = VIEWER.set(Viewer(audience.who.removeprefix("editor:"), csrf)
                            if audience.editor else None)
        shared = scope["path"].startswith(SHARED_PREFIXES)

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                kept = [(k, v) for k, v in message.get("headers", []) if k.lower() not in fixed]
                if not shared:
                    kept = self._private(kept, audience, message["status"], scope["method"])
                kept.extend((b"set-cookie", clear) for clear in stale)
                message["headers"] = [*kept, *fixed.items()]
            await send(message)

        try:
            await self.app(scope, receive, send_with_headers)
        finally:
            VIEWER.reset(viewer)

    async def _refuse_key(self, scope: Scope, send: Send,
                          fixed: list[tuple[bytes, bytes]], key: str | None) -> None:
        """A wrong key: 401, or 429 once the client has spent its sign-in attempts (the
        same bucket as the sign-in form's), so that keys cannot be guessed at speed."""
        wait = self.key_attempts.take(client_address(HTTPConnection(scope)))
        audit.refused_key(self.settings.audit_log_path, scope, key, 429 if wait > 0 else 401)
        common = [*fixed, (b"vary", VARY), (b"cache-control", b"no-store")]
        if wait > 0:
            await _reply(send, 429, {"detail": "too many wrong keys; retry in "
                                     f"{math.ceil(wait)} s"},
                         [*common, (b"retry-after", str(math.ceil(wait)).encode())])
            return
        await _reply(send, 401, {"detail": "invalid API key"},
                     [*common, (b"www-authenticate", b"Bearer")])

    def _session(self, cookie: str) -> tuple[Session, Editor] | None:
        """The cookie's session and editor, if it is valid and its key not revoked."""
        session = self.sessions.read(cookie)
        editor = session and self.editors.holding(session.editor, session.key)
        return (session, editor) if session and editor else None

    def _private(self, headers: list[tuple[bytes, bytes]], audience: Audience, status: int,
                 method: str) -> list[tuple[bytes, bytes]]:
        """`Vary` on the audience's headers, and caching only by the reader's browser:
        never for editors, briefly for public answers that succeeded."""
        vary = [v for k, v in headers if k.lower() == b"vary"]
        out = [(k, v) for k, v in headers if k.lower() != b"vary"]
        out.append((b"vary", b", ".join([*vary, VARY])))
        if not any(k.lower() == b"cache-control" for k, _ in out):
            public_ok = not audience.editor and status == 200 and method in SESSION_METHODS
            out.append((b"cache-control", self.public_cache if public_ok else
                        b"private, no-store" if audience.editor else b"no-store"))
        return out


def _clear(name: str) -> bytes:
    secure = "; Secure" if name == TLS_COOKIE else ""
    return f"{name}=; Max-Age=0; Path=/; HttpOnly; SameSite=Strict{secure}".encode()


async def _reply(send: Send, status: int, content: dict[str, str],
                 headers: list[tuple[bytes, bytes]]) -> None:
    body = orjson.dumps(content)
    await send({"type": "http.response.start", "status": status, "headers": [
        (b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
        *headers]})
    await send({"type": "http.response.body", "body": body})
