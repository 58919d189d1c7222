"""Who is asking: the anonymous public, or a named editor.

An editor is known by a key (`X-API-Key` or `Authorization: Bearer`), checked
against the digests in `api.editors`, or by a browser session opened with one
(`api.sessions`). A request that presents a key which matches none is refused
(401) rather than silently treated as public, so that a mistyped key is noticed.
"""

from __future__ import annotations

from collections.abc import Mapping
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, HTTPException, Request

from api.editors import Editor, EditorKeys

KEY_HEADER = "x-api-key"


@dataclass(frozen=True)
class Audience:
    editor: bool
    #: who, for the audit log: "editor:" and the editor's name, or "public"
    who: str

    @property
    def public(self) -> bool:
        return not self.editor


PUBLIC = Audience(editor=False, who="public")


def presented_key(headers: Mapping[str, str]) -> str | None:
    """The key from `X-API-Key`, or from `Authorization: Bearer <key>`."""
    key = headers.get(KEY_HEADER)
    if key:
        return key
    auth = headers.get("authorization", "")
    scheme, _, token = auth.partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


def editor_audience(editor: Editor) -> Audience:
    return Audience(editor=True, who="editor:" + editor.name)


def authenticate(key: str | None, keys: EditorKeys) -> Audience | None:
    """The audience for a presented key; None when a key was given but is wrong."""
    if key is None:
        return PUBLIC
    editor = keys.match(key)
    return editor_audience(editor) if editor is not None else None


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


@dataclass(frozen=True)
class Viewer:
    """What a page says of who reads it: the editor's name, and the CSRF token of the
    sign-out form (None when the editor came with a key rather than a session)."""

    name: str
    csrf: str | None


#: the editor reading the page being rendered, if any (set by `api.middleware`)
VIEWER: ContextVar[Viewer | None] = ContextVar("repgraph_viewer", default=None)
