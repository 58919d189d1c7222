"""Editors' browser sessions: a signed cookie, a CSRF token per session, a sign-out list.

The cookie holds the session id, the editor's name, the fingerprint of the key
they signed in with and the expiry, signed with HMAC-SHA256 under the session
secret (`REPGRAPH_SESSION_SECRET`, or a file made once beside the data), so
every worker can check it. A session ends when it expires, when its editor's
key is revoked or replaced (`api.editors.EditorKeys.holding`), or when the
editor signs out: the id then goes on a short list of signed-out sessions, kept
in a file every worker reads, until it would have expired anyway.

CSRF tokens are HMACs too: for a session, of its id; for the sign-in form (no
session yet), of a random nonce held in a short-lived cookie scoped to /signin.
"""

from __future__ import annotations

import base64
import binascii
import fcntl
import hashlib
import hmac
import os
import secrets
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import orjson

from api.editors import Editor
from graph.privatefiles import private_dir, write_private

COOKIE = "repgraph_session"
#: the name over TLS: a `__Host-` cookie cannot be set by a sibling subdomain, nor for
#: another path (browsers refuse it unless it is Secure, host-only and for /)
TLS_COOKIE = "__Host-" + COOKIE
SIGNIN_COOKIE = "repgraph_signin"
NONCE_TTL_S = 3600


def same(a: str, b: str) -> bool:
    """Constant-time equality of two texts from a request (any characters at all)."""
    return hmac.compare_digest(a.encode("utf-8", "surrogateescape"),
                               b.encode("utf-8", "surrogateescape"))


@dataclass(frozen=True)
class Session:
    sid: str
    editor: str  # the editor's name
    key: str  # fingerprint of the key the session was opened with
    expires: int  # Unix seconds


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.b64decode(text + "=" * (-len(text) % 4), altchars=b"-_", validate=True)


class Sessions:
    def __init__(self, secret: str, ttl_s: int, signed_out: Path) -> None:
        """`signed_out` must be one file for every worker and machine: a sign-out shows
        only where that file is read."""
        self._secret = hashlib.sha256(b"repgraph-session\0" + secret.encode()).digest()
        self.ttl_s = ttl_s
        self._signed_out = SignedOut(signed_out)

    def _mac(self, purpose: str, data: bytes) -> str:
        return _b64(hmac.new(self._secret, purpose.encode() + b"\0" + data,
                             hashlib.sha256).digest())

    def open(self, editor: Editor, now: float | None = None) -> tuple[str, Session]:
        """A new session for `editor`, and the cookie value that carries it."""
        expires = int(now if now is not None else time.time()) + self.ttl_s
        session = Session(secrets.token_hex(16), editor.name, editor.fingerprint, expires)
        payload = orjson.dumps([session.sid, session.editor, session.key, session.expires])
        return f"{_b64(payload)}.{self._mac('session', payload)}", session

    def read(self, cookie: str, now: float | None = None) -> Session | None:
        """The session a cookie carries, if its signature holds and it has not ended."""
        body, _, mac = cookie.partition(".")
        try:
            payload = _unb64(body)
        except (binascii.Error, ValueError):
            return None
        if not same(mac, self._mac("session", payload)):
            return None
        try:
            session = Session(*orjson.loads(payload))
        except (orjson.JSONDecodeError, TypeError):
            return None
        if session.expires <= (now if now is not None else time.time()):
            return None
        return None if self._signed_out.contains(session.sid) else session

    def sign_out(self, session: Session) -> None:
        self._signed_out.add(session.sid, session.expires)

    def csrf(self, session: Session) -> str:
        return self._mac("csrf", session.sid.encode())

    def new_nonce(self, now: float | None = None) -> str:
        """For the sign-in form's cookie: when it was made, and a random part."""
        return f"{int(now if now is not None else time.time())}.{secrets.token_urlsafe(16)}"

    def signin_token(self, nonce: str) -> str:
        return self._mac("signin", nonce.encode("utf-8", "surrogateescape"))

    def signin_token_holds(self, nonce: str, token: str, now: float | None = None) -> bool:
        """The form's token was made for this nonce, within the last `NONCE_TTL_S`."""
        made, _, _ = nonce.partition(".")
        age = (now if now is not None else time.time()) - int(made) if made.isdigit() else -1
        return 0 <= age <= NONCE_TTL_S and same(token, self.signin_token(nonce))


class SignedOut:
    """Ids of sessions ended by signing out, with their expiry, in a file shared by
    every worker (reread when its `stat` changes; expired ids are dropped on write)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._seen: tuple[int, int, int] | None = None
        self._ids: frozenset[str] = frozenset()
        self._lock = threading.Lock()

    def contains(self, sid: str) -> bool:
        try:
            st = self.path.stat()
        except FileNotFoundError:
            return False
        seen = (st.st_ino, st.st_mtime_ns, st.st_size)
        with self._lock:
            if seen != self._seen:
                self._ids = frozenset(self._entries())
                self._seen = seen
            return sid in self._ids

    def _entries(self) -> dict[str, int]:
        try:
            lines = self.path.read_text().split()
        except FileNotFoundError:
            return {}
        return {sid: int(exp) for sid, exp in zip(lines[::2], lines[1::2], strict=False)
                if exp.isdigit()}

    def add(self, sid: str, expires: int) -> None:
        private_dir(self.path.parent)
        lock_fd = os.open(self.path.with_name(self.path.name + ".lock"),
                          os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(lock_fd, fcntl.LOCK_EX)
            now = time.time()
            entries = {s: e for s, e in self._entries().items() if e > now}
            entries[sid] = expires
            write_private(self.path, "".join(f"{s} {e}\n" for s, e in entries.items()).encode())
        finally:
            os.close(lock_fd)
