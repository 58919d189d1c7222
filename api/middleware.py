"""The trust boundary, as one ASGI middleware around the whole app.

It decides the audience of every request (public, or editor by API key) and
adds the security headers every response carries. It does not look at bodies:
what the public may see is decided by the records it reads (`graph.public`, via
`api.deps.StoreDep`), not by rewriting answers.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

import orjson

from api import audit
from api.headers import frame_ancestors, policy_headers
from api.security import authenticate, presented_key
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


class TrustMiddleware:
    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app, self.settings = app, settings
        self.embed_ancestors = frame_ancestors(settings.embed_frame_ancestors)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1")
                   for k, v in scope.get("headers", [])}
        fixed = {**SECURITY_HEADERS, **policy_headers(scope["path"], self.embed_ancestors)}
        key = presented_key(headers)
        audience = authenticate(key, self.settings.editor_key_hashes)
        if audience is None:
            audit.refused_key(self.settings.audit_log_path, scope, key)
            await _reply(send, 401, {"detail": "invalid API key"},
                         [*fixed.items(), (b"www-authenticate", b"Bearer")])
            return
        scope.setdefault("state", {})["audience"] = audience

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*((k, v) for k, v in message.get("headers", [])
                                        if k.lower() not in fixed), *fixed.items()]
            await send(message)

        await self.app(scope, receive, send_with_headers)


async def _reply(send: Send, status: int, content: dict[str, str],
                 headers: list[tuple[bytes, bytes]]) -> None:
    body = orjson.dumps(content)
    await send({"type": "http.response.start", "status": status, "headers": [
        (b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
        *headers]})
    await send({"type": "http.response.body", "body": body})
