"""Editors sign in on the pages with their key, and sign out.

The forms are protected against cross-site requests twice over: the cookies are
SameSite=Strict, and each form carries a token the server checks (for sign-in,
an HMAC of a nonce kept in a cookie scoped to /signin; for sign-out, an HMAC of
the session id). Sign-in attempts are limited per client address, and every
attempt, accepted or refused, goes in the audit log with the editor's name but
never the key.
"""

from __future__ import annotations

import math
from typing import Annotated, Any
from urllib.parse import parse_qs

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response
from markupsafe import escape

from api import audit
from api.clients import client_address, served_over_tls
from api.deps import SettingsDep
from api.editors import EditorKeys
from api.errors import ErrorBody
from api.ratelimit import TokenBuckets
from api.security import PUBLIC, Audience
from api.sessions import (
    COOKIE,
    NONCE_TTL_S,
    SIGNIN_COOKIE,
    TLS_COOKIE,
    Session,
    Sessions,
    same,
)
from api.views.render import render

router = APIRouter(tags=["editors"])
_HTML = {"content": {"text/html": {"schema": {"type": "string"}}}}


def _form_body(fields: dict[str, str], required: list[str]) -> dict[str, Any]:
    """The url-encoded form a route reads itself (not through FastAPI), for its document."""
    return {"requestBody": {"required": True, "content": {
        "application/x-www-form-urlencoded": {"schema": {
            "type": "object", "required": required,
            "properties": {k: {"type": "string", "description": v} for k, v in fields.items()},
        }}}}}


def see_other(path: str) -> Response:
    """A 303 with a small page of its own (a link), as every answer here has a body."""
    return HTMLResponse(f'<a href="{escape(path)}">Continue</a>', 303,
                        headers={"location": path})
FORM_BYTES = 4096


def _local(target: str | None) -> str:
    """Where to go after signing in: a path on this site, never another site."""
    if target and target.startswith("/") and not target.startswith(("//", "/\\")):
        return target
    return "/"


def _cookie(name: str, value: str, *, max_age: int, path: str, tls: bool) -> str:
    secure = "; Secure" if tls else ""
    return f"{name}={value}; Max-Age={max_age}; Path={path}; HttpOnly; SameSite=Strict{secure}"


def session_cookie_name(tls: bool) -> str:
    return TLS_COOKIE if tls else COOKIE


def _form_page(request: Request, status: int, next_path: str, message: str = "") -> Response:
    sessions: Sessions = request.app.state.sessions
    nonce = sessions.new_nonce()
    page = render("signin.html", status, title="Editor sign-in", next_path=next_path,
                  token=sessions.signin_token(nonce), message=message)
    page.headers["cache-control"] = "no-store"
    page.headers.append("set-cookie", _cookie(SIGNIN_COOKIE, nonce, max_age=NONCE_TTL_S,
                                              path="/signin", tls=served_over_tls(request)))
    return page


@router.get("/signin", response_class=Response, summary="The editors' sign-in form",
            description="An HTML form; its token is bound to a nonce cookie scoped to /signin.",
            responses={200: _HTML})
async def signin_form(request: Request,
                      next: Annotated[str | None, Query(max_length=2000)] = None) -> Response:
    return _form_page(request, 200, _local(next))


async def small_form(request: Request) -> dict[str, str]:
    """The fields of a small url-encoded form; nothing for anything else."""
    body = b""
    async for chunk in request.stream():
        body += chunk
        if len(body) > FORM_BYTES:
            return {}
    if request.headers.get("content-type", "").split(";")[0].strip() != \
            "application/x-www-form-urlencoded":
        return {}
    try:
        fields = parse_qs(body.decode("utf-8", "replace"), max_num_fields=10)
    except ValueError:  # too many fields
        return {}
    return {k: v[0] for k, v in fields.items()}


@router.post(
    "/signin", response_class=Response, status_code=303,
    summary="Sign in on the pages with an editor key",
    description="Opens a browser session (a cookie) and goes on to `next`. A form without "
                "its token, or an hour old, is refused (403); a wrong key is refused (401); "
                "past the sign-in limit, 429.",
    openapi_extra=_form_body({"token": "the form's token", "key": "the editor key",
                              "next": "a path on this site to go to"}, ["token", "key"]),
    responses={303: {**_HTML, "description": "signed in; the session cookie is set"},
               # HTML for the form's own refusals; JSON for a wrong key in X-API-Key
               401: {**_HTML, "model": ErrorBody, "description": "not an editor's key"},
               403: {**_HTML, "description": "the form's token is missing, wrong or old"},
               429: {**_HTML, "model": ErrorBody,
                     "description": "too many refused attempts from this client"}})
async def signin(request: Request, settings: SettingsDep) -> Response:
    """Only refused attempts spend from the client's bucket, so that nobody sharing an
    address can lock an editor out by failing on purpose; but once it is empty, every
    attempt waits, the right key too, or guessing would go on at full speed."""
    limits: TokenBuckets = request.app.state.signin_limits
    client = client_address(request)
    entry = {"action": "signin", "client": client}

    def refused(reason: str) -> None:
        audit.record(settings.audit_log_path, who="unknown", **entry, result=reason)
        limits.take(client)

    wait = limits.wait(client)
    if wait > 0:
        audit.record(settings.audit_log_path, who="unknown", **entry, result="rate-limited")
        page = render("error.html", 429, title="Too many sign-in attempts",
                      message=f"Please wait {math.ceil(wait)} s and try again.")
        page.headers["retry-after"] = str(math.ceil(wait))
        return page
    form = await small_form(request)
    next_path = _local(form.get("next"))
    sessions: Sessions = request.app.state.sessions
    if not sessions.signin_token_holds(request.cookies.get(SIGNIN_COOKIE, ""),
                                       form.get("token", "")):
        refused("bad-form")
        return _form_page(request, 403, next_path, "The form had expired. Please sign in "
                          "again.")
    editors: EditorKeys = request.app.state.editors
    editor = editors.match(form.get("key", "")) if form.get("key") else None
    if editor is None:
        refused("refused")
        return _form_page(request, 401, next_path, "That key is not an editor's key.")
    cookie, session = sessions.open(editor)
    audit.record(settings.audit_log_path, who="editor:" + editor.name, **entry,
                 result="ok", session=session.sid[:8])
    tls = served_over_tls(request)
    answer = see_other(next_path)
    answer.headers.append("set-cookie", _cookie(session_cookie_name(tls), cookie,
                                                max_age=sessions.ttl_s, path="/", tls=tls))
    answer.headers.append("set-cookie", _cookie(SIGNIN_COOKIE, "", max_age=0,
                                                path="/signin", tls=tls))
    return answer


@router.post(
    "/signout", response_class=Response, status_code=303,
    summary="Sign out: end this browser's session",
    description="The form's token is required (403 without it, or with a wrong one).",
    openapi_extra=_form_body({"token": "the sign-out form's token"}, ["token"]),
    responses={303: {**_HTML, "description": "signed out (or there was no session to end)"},
               403: {**_HTML, "description": "the form's token is missing or wrong"}})
async def signout(request: Request, settings: SettingsDep) -> Response:
    """Ends the session for every worker reading the same sign-out file. Without a session
    there is nothing to end, and the answer changes no cookie (no cross-site sign-out)."""
    form = await small_form(request)
    session: Session | None = getattr(request.state, "session", None)
    answer = see_other("/")
    if "token" not in form:
        return render("error.html", 403, title="Not signed out",
                      message="The sign-out form had no token. Please sign out from a page.")
    if session is None:
        return answer
    sessions: Sessions = request.app.state.sessions
    if not same(form.get("token", ""), sessions.csrf(session)):
        return render("error.html", 403, title="Not signed out",
                      message="The sign-out form had expired. Please reload the page "
                              "and sign out again.")
    sessions.sign_out(session)
    audience: Audience = getattr(request.state, "audience", PUBLIC)
    audit.record(settings.audit_log_path, who=audience.who, action="signout",
                 client=client_address(request), result="ok", session=session.sid[:8])
    tls = served_over_tls(request)
    answer.headers.append("set-cookie", _cookie(session_cookie_name(tls), "", max_age=0,
                                                path="/", tls=tls))
    return answer
