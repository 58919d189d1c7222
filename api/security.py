"""Who is asking: the anonymous public, or an editor holding an API key.

Keys are configured only as SHA-256 digests (`REPGRAPH_EDITOR_KEY_HASHES`); a
presented key is hashed and compared with every digest in constant time. A
request that presents a key which matches none is refused (401) rather than
silently treated as public, so that a mistyped key is noticed.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, HTTPException, Request

KEY_HEADER = "x-api-key"


@dataclass(frozen=True)
class Audience:
    editor: bool
    #: who, for the audit log: a short fingerprint of the key's digest, never the key
    who: str

    @property
    def public(self) -> bool:
        return not self.editor


PUBLIC = Audience(editor=False, who="public")


def key_hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def presented_key(headers: Mapping[str, str]) -> str | None:
    """The key from `X-API-Key`, or from `Authorization: Bearer <key>`."""
    key = headers.get(KEY_HEADER)
    if key:
        return key
    auth = headers.get("authorization", "")
    scheme, _, token = auth.partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


def authenticate(key: str | None, digests: list[str]) -> Audience | None:
    """The audience for a presented key; None when a key was given but is wrong."""
    if key is None:
        return PUBLIC
    presented = key_hash(key)
    matched = False
    for digest in digests:  # no early exit: every digest is compared
        matched |= hmac.compare_digest(presented, digest)
    return Audience(editor=True, who="editor:" + presented[:12]) if matched else None


async def _audience(request: Request) -> Audience:
    # async: see api/deps.py (no thread-pool hand-off for a lookup)
    audience: Audience = getattr(request.state, "audience", PUBLIC)
    return audience


async def _editor(request: Request) -> Audience:
    audience = await _audience(request)
    if not audience.editor:
        raise HTTPException(status_code=401, detail="an editor API key is required "
                            "(X-API-Key header or Authorization: Bearer)",
                            headers={"WWW-Authenticate": "Bearer"})
    return audience


EditorDep = Annotated[Audience, Depends(_editor)]
