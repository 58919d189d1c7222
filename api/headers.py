"""Security headers on every response: a strict Content-Security-Policy and framing rules.

Pages load scripts and styles only from this origin and carry their data as
inert JSON, so the policy needs no 'unsafe-inline'. Embeds (`/embed/...`) may
be framed by the origins the `embed_frame_ancestors` setting lists; every
other page refuses to be framed.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable

from fastapi import FastAPI, Request, Response

from graph.settings import Settings

EMBED_PREFIX = "/embed/"

_POLICY = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
           "connect-src 'self'; font-src 'self'; base-uri 'none'; form-action 'self'")
_DOCS_POLICY = ("default-src 'self'; script-src 'self' 'unsafe-inline'; "
                "style-src 'self' 'unsafe-inline'; img-src 'self' data:; worker-src 'self' blob:; "
                "frame-ancestors 'none'")
# Sources such as https://news.example.org, *.example.org, 'self', 'none' or *.
_SOURCE = re.compile(r"^(?:\*|'self'|'none'|(?:https?://)?(?:\*\.)?[A-Za-z0-9.-]+(?::\d+)?)$")


def frame_ancestors(value: str) -> str:
    """Validate the setting so that it cannot smuggle other directives into the header."""
    sources = value.split()
    if not sources or not all(_SOURCE.match(s) for s in sources):
        raise ValueError(
            f"embed_frame_ancestors={value!r}: give space-separated origins such as "
            "\"https://news.example.org 'self'\", or * for any origin"
        )
    return " ".join(sources)


def install_security_headers(app: FastAPI, settings: Settings) -> None:
    embed_ancestors = frame_ancestors(settings.embed_frame_ancestors)
    docs = {"/docs", "/redoc", "/docs/oauth2-redirect"}

    @app.middleware("http")
    async def security_headers(request: Request,
                               call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        response = await call_next(request)
        headers = response.headers
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("Referrer-Policy", "no-referrer")  # readers following a citation stay private
        if request.url.path.startswith(EMBED_PREFIX):
            headers["Content-Security-Policy"] = f"{_POLICY}; frame-ancestors {embed_ancestors}"
        elif request.url.path in docs:
            # Swagger UI and ReDoc start from inline scripts; everything else stays on
            # this origin (their files are served from the package, not a CDN).
            headers["Content-Security-Policy"] = _DOCS_POLICY
            headers["X-Frame-Options"] = "DENY"
        else:
            headers["Content-Security-Policy"] = f"{_POLICY}; frame-ancestors 'none'"
            headers["X-Frame-Options"] = "DENY"
        return response
