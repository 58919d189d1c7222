"""The trust boundary, as one ASGI middleware around the whole app.

For every request it decides the audience (public, or editor by API key). For
public requests it is the single choke point that keeps restricted persons
out of every answer, whatever route produced it:

- ids in the path and query are translated: a pseudonym (`restricted-...`)
  becomes the real id, and a restricted person's real id is answered with 404,
  so the public can neither use nor confirm it;
- every textual response (JSON, HTML, CSV, XML, JSON lines, and the text files in
  a zip download) has their names,
  aliases and ids replaced, and node-shaped objects lose identifying fields.

Routes still do what only they can do (search and export leave restricted
persons out); this layer makes a forgotten case fail safe. It also adds the
security headers every response carries.
"""

from __future__ import annotations

import io
import time
import zipfile
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any
from urllib.parse import parse_qsl, quote, unquote, urlencode

import orjson

from api.headers import frame_ancestors, policy_headers
from api.security import PUBLIC, authenticate, presented_key
from graph.redaction import Redactor, load_secret
from graph.settings import Settings
from graph.store import GraphStore

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

TEXTUAL = ("application/json", "text/", "application/x-ndjson", "application/graphml+xml",
           "application/gexf+xml", "application/xml", "application/zip")
SECURITY_HEADERS = {
    b"x-content-type-options": b"nosniff",
    b"referrer-policy": b"no-referrer",  # readers following a citation stay private
    b"cross-origin-opener-policy": b"same-origin",
    b"cross-origin-resource-policy": b"same-origin",
    b"permissions-policy": b"camera=(), microphone=(), geolocation=(), interest-cohort=()",
}


class RedactorCache:
    """One `Redactor` per store content: rebuilt when the store's version changes, or
    after `ttl` seconds for stores that cannot report a version (Neo4j)."""

    def __init__(self, store: GraphStore, settings: Settings, ttl: float = 5.0) -> None:
        self.store, self.ttl = store, ttl
        data_dir = settings.data_dir if settings.backend == "memory" else None
        self.secret = load_secret(data_dir, settings.redaction_secret)
        self._key: object = None
        self._built = 0.0
        self._redactor = Redactor([], self.secret)

    def get(self) -> Redactor:
        version = getattr(self.store, "version", None)
        now = time.monotonic()
        stale = self._key != version or (version is None and now - self._built > self.ttl)
        if stale or self._built == 0.0:
            self._redactor = Redactor(self.store.iter_nodes(), self.secret)
            self._key, self._built = version, now
        return self._redactor


def redactors(state: Any) -> RedactorCache:
    """The app's redactor cache, made on first use (after the store exists)."""
    cache: RedactorCache | None = getattr(state, "redactors", None)
    if cache is None or cache.store is not state.store:
        cache = RedactorCache(state.store, state.settings)
        state.redactors = cache
    return cache


def _map_value(value: str, redactor: Redactor) -> str | None:
    """A public id in, the real id out; None when the value names a restricted person."""
    parts = value.split(",")
    mapped = [redactor.real_id(p) for p in parts]
    if any(m is None for m in mapped):
        return None
    return ",".join(m for m in mapped if m is not None)


def _rewrite_request(scope: Scope, redactor: Redactor) -> bool:
    """Translate pseudonyms in path and query; False when a restricted id was used."""
    segments = []
    for segment in scope["path"].split("/"):
        mapped = _map_value(unquote(segment), redactor)
        if mapped is None:
            return False
        segments.append(mapped)
    path = "/".join(segments)
    if path != scope["path"]:
        scope["path"] = path
        scope["raw_path"] = quote(path).encode()
    query = scope.get("query_string", b"").decode("latin-1")
    if query:
        pairs = []
        for key, value in parse_qsl(query, keep_blank_values=True):
            mapped = _map_value(value, redactor)
            if mapped is None:
                return False
            pairs.append((key, mapped))
        scope["query_string"] = urlencode(pairs).encode()
    return True


def _redact_zip(body: bytes, redactor: Redactor) -> bytes:
    """A zip of text files (the CSV export) with every member redacted like any text."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(body)) as archive, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as redacted:
        for info in archive.infolist():
            member = archive.read(info)
            try:
                text = member.decode("utf-8")
            except UnicodeDecodeError:
                redacted.writestr(info, member)
                continue
            redacted.writestr(info, redactor.text(text) if redactor.needs(text) else text)
    return out.getvalue()


def _redact_body(body: bytes, content_type: str, redactor: Redactor) -> bytes:
    if content_type.startswith("application/zip"):
        return _redact_zip(body, redactor)
    text = body.decode("utf-8", errors="replace")
    if not redactor.needs(text):
        return body
    if content_type.startswith("application/json"):
        return orjson.dumps(redactor.data(orjson.loads(body)))
    return redactor.text(text).encode()


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
        audience = authenticate(presented_key(headers), self.settings.editor_key_hashes)
        if audience is None:
            await _reply(send, 401, {"detail": "invalid API key"},
                         [*fixed.items(), (b"www-authenticate", b"Bearer")])
            return
        scope.setdefault("state", {})["audience"] = audience
        redactor = None
        if audience is PUBLIC:
            redactor = redactors(scope["app"].state).get()
            if not redactor.active:
                redactor = None
        if redactor is not None and not _rewrite_request(scope, redactor):
            await _reply(send, 404, {"detail": "no entity with this id"}, list(fixed.items()))
            return
        await self.app(scope, receive, _ResponseFilter(send, redactor, fixed))


class _ResponseFilter:
    """Sets the security headers; for public answers, buffers and redacts textual bodies."""

    def __init__(self, send: Send, redactor: Redactor | None,
                 fixed: dict[bytes, bytes]) -> None:
        self.send, self.redactor, self.fixed = send, redactor, fixed
        self.start: Message | None = None
        self.chunks: list[bytes] = []

    async def __call__(self, message: Message) -> None:
        if message["type"] == "http.response.start":
            message["headers"] = [*((k, v) for k, v in message.get("headers", [])
                                    if k.lower() not in self.fixed), *self.fixed.items()]
            content_type = dict(message["headers"]).get(b"content-type", b"").decode()
            if self.redactor is None or not content_type.startswith(TEXTUAL):
                self.redactor = None
                await self.send(message)
                return
            self.start = message
            return
        if message["type"] != "http.response.body" or self.start is None:
            await self.send(message)
            return
        self.chunks.append(message.get("body", b""))
        if message.get("more_body", False):
            return
        assert self.redactor is not None
        content_type = dict(self.start["headers"]).get(b"content-type", b"").decode()
        body = _redact_body(b"".join(self.chunks), content_type, self.redactor)
        self.start["headers"] = [(k, v) for k, v in self.start["headers"]
                                 if k.lower() != b"content-length"]
        self.start["headers"].append((b"content-length", str(len(body)).encode()))
        await self.send(self.start)
        await self.send({"type": "http.response.body", "body": body})


async def _reply(send: Send, status: int, content: dict[str, str],
                 headers: list[tuple[bytes, bytes]]) -> None:
    body = orjson.dumps(content)
    await send({"type": "http.response.start", "status": status, "headers": [
        (b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
        *headers]})
    await send({"type": "http.response.body", "body": body})
