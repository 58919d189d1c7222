"""Security headers on every response: a strict Content-Security-Policy and framing rules.

Pages load scripts and styles only from this origin and carry their data as
inert JSON, so the policy needs no 'unsafe-inline'. Embeds (`/embed/...`) may
be framed by the origins the `embed_frame_ancestors` setting lists; every
other page refuses to be framed. Every answer is for this origin only
(`Cross-Origin-Resource-Policy: same-origin`) except `embed.js`, which the pages
that embed a view load.
"""

from __future__ import annotations

import re

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


DOCS_PATHS = frozenset({"/docs", "/redoc", "/docs/oauth2-redirect"})
#: the script that newsrooms' pages load with an embed snippet (from their own origin)
HOST_SCRIPT = "/static/embed.js"


def policy_headers(path: str, embed_ancestors: str) -> dict[bytes, bytes]:
    """The Content-Security-Policy and framing rule for a path (`api.middleware` sets them)."""
    if path.startswith(EMBED_PREFIX):
        return {b"content-security-policy":
                f"{_POLICY}; frame-ancestors {embed_ancestors}".encode()}
    if path in DOCS_PATHS:
        # Swagger UI starts from an inline script; everything else stays on this origin
        # (its files are served from the package, not a CDN).
        return {b"content-security-policy": _DOCS_POLICY.encode(), b"x-frame-options": b"DENY"}
    unframed = {b"content-security-policy": f"{_POLICY}; frame-ancestors 'none'".encode(),
                b"x-frame-options": b"DENY"}
    if path == HOST_SCRIPT:  # other origins' pages load it; it is the same for everyone
        unframed[b"cross-origin-resource-policy"] = b"cross-origin"
    return unframed
