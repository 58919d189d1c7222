"""oEmbed 1.0 (https://oembed.com): a content system that is given a view's URL asks
`/oembed?url=...` for the HTML to embed it, and gets an iframe of the view's `/embed/` page.

The answer is always the public one, read from the public view of the store whoever asks
(a signed-in editor too): what a content system receives ends up in an article. A URL is
answered when it is one of this service's view pages (`/viz/...`) or embeds
(`/embed/...`) at its public address, and its view can be built; every other URL, an id
or a name that names no entity, and a bad parameter get one and the same 404, so the
answer for a restricted person is that for an id that does not exist. The view is built
as its page builds it (`api.routes.pages.view_spec`), under the same rate limit and
time limit. Only JSON is answered: other formats get 501, as the specification says.
"""

from __future__ import annotations

import math
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse

from api.deps import SettingsDep, public_views
from api.routes.pages import (
    TooMany,
    ViewAddress,
    view_address,
    view_spec,
    view_state,
    within_view_limits,
)
from api.views.embedding import oembed_html
from api.views.render import data_version
from config import Settings
from graph.errors import QueryTimeout, RepgraphError, StoreUnavailable

router = APIRouter(include_in_schema=False)

#: the iframe's size when the consumer sets no maximum
DEFAULT_WIDTH, DEFAULT_FRAME_HEIGHT = 640, 560
#: the text alternative's line under the iframe: its height, and the width of a character
#: (a generous estimate for a 16 px sans-serif), to reserve room for it as it wraps
TEXT_LINE_PX, CHARACTER_PX = 24, 8
#: a smaller iframe shows too little of a network to be worth a text line less
MIN_FRAME_HEIGHT = 180
TEXT_WORDS = ": the entities and relationships as text"


def _error(status: int, message: str, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse({"detail": message}, status_code=status, headers=headers)


def no_view() -> JSONResponse:
    """One 404 for every URL with nothing to embed: it says nothing about which part failed."""
    return _error(404, "no embeddable view at this url")


def embedded_address(settings: Settings, url: str) -> ViewAddress | None:
    """The view `url` names, if it is a view page or embed at the public address."""
    base = settings.public_base_url
    for prefix in ("/viz/", "/embed/"):
        if url.startswith(base + prefix):
            path, _, query = url[len(base) + len(prefix) - 1:].partition("?")
            return view_address(path.partition("#")[0], query.partition("#")[0])
    return None


def sizes(title: str, maxwidth: int | None, maxheight: int | None) -> tuple[int, int, int, bool]:
    """(width, height, the iframe's height, whether the text line is shown): the defaults,
    each cut to its maximum independently. The height includes the text line's estimated
    height; where that would leave the iframe under `MIN_FRAME_HEIGHT`, the line is left
    out rather than break the maximum."""
    width = min(DEFAULT_WIDTH, maxwidth or DEFAULT_WIDTH)
    lines = math.ceil(len(title + TEXT_WORDS) * CHARACTER_PX / width)
    text = lines * TEXT_LINE_PX
    height = min(DEFAULT_FRAME_HEIGHT + text, maxheight or DEFAULT_FRAME_HEIGHT + text)
    with_text = height - text >= MIN_FRAME_HEIGHT
    return width, height, height - text if with_text else height, with_text


@router.get("/oembed")
async def oembed(request: Request, settings: SettingsDep,
                 url: Annotated[str, Query(min_length=1, max_length=4000)],
                 maxwidth: Annotated[int | None, Query(ge=1)] = None,
                 maxheight: Annotated[int | None, Query(ge=1)] = None,
                 format: str = "json") -> JSONResponse:
    """The oEmbed answer (type `rich`) for one of this service's view URLs."""
    if format != "json":
        return _error(501, "only format=json is answered")
    address = embedded_address(settings, url)
    if address is None:
        return no_view()
    store = public_views(request.app.state).get()  # never an editor's store

    def title_and_path() -> tuple[str, str]:
        spec = view_spec(store, settings, address)
        return spec.title, spec.path

    key = (data_version(store), address.view, address.id, tuple(address.query.multi_items()))
    try:
        title, path = await within_view_limits(request, store, settings, lambda: view_state(
            request).titles.get(key, title_and_path))
    except TooMany as exc:
        return _error(429, f"too many views from your address; retry in {exc.wait} s",
                      {"Retry-After": str(exc.wait)})
    except (QueryTimeout, StoreUnavailable) as exc:
        return _error(503, str(exc))
    except (RepgraphError, ValueError):
        return no_view()
    base = settings.public_base_url
    width, height, frame_height, with_text = sizes(title, maxwidth, maxheight)
    return JSONResponse({
        "type": "rich", "version": "1.0", "title": title,
        "provider_name": "repgraph", "provider_url": f"{base}/",
        "cache_age": settings.public_cache_s,
        "html": oembed_html(base, title, path, width, frame_height, with_text),
        "width": width, "height": height,
    })
