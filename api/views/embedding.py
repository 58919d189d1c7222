"""What a newsroom pastes to show a view in an article: the embed snippet, and the HTML of
an oEmbed answer (`api.routes.oembed`).

Both are an iframe of the view's `/embed/` page, titled with the view's title, followed by
a link to the view's text alternative (the section `#as-text` of its full page: the
entities and relationships as a table). Every address is the configured public one, never
a request's Host header. The snippet also loads `embed.js`, which sizes the iframe to what
the embed asks for (`frame.js` posts it); without scripts the iframe keeps a fixed ratio,
written as an inline style because the host page is not under our Content-Security-Policy.
The oEmbed HTML carries no script (content systems strip them): fixed pixel sizes instead.
"""

from __future__ import annotations

from urllib.parse import urlencode

from markupsafe import Markup

#: the snippet's iframe without scripts: the full column, a 4:3 box, never under 480 px
FALLBACK_STYLE = "display:block;width:100%;height:auto;aspect-ratio:4/3;min-height:480px;border:0"
FALLBACK_SIZE = (640, 480)
#: the marker `embed.js` looks for: it resizes only iframes that carry it
MARKER = "data-repgraph-embed"


def text_alternative(base: str, title: str, path: str, style: str = "") -> Markup:
    """The paragraph after the iframe: a link to the view's entities and relationships as
    text, named after the view."""
    styled = Markup(' style="{}"').format(style) if style else Markup("")
    return Markup('<p{}><a href="{}">{}: the entities and relationships as text</a></p>').format(
        styled, f"{base}/viz{path}#as-text", title)


def _iframe(base: str, title: str, path: str, attributes: Markup) -> Markup:
    return Markup('<iframe src="{}" title="{}"{} loading="lazy"></iframe>').format(
        f"{base}/embed{path}", title, attributes)


def embed_snippet(base: str, title: str, path: str) -> Markup:
    """The snippet a view page offers: the iframe, its text alternative, and `embed.js`."""
    width, height = FALLBACK_SIZE
    frame = _iframe(base, title, path, Markup(' {} width="{}" height="{}"\n  style="{}"').format(
        Markup(MARKER), width, height, FALLBACK_STYLE))
    script = Markup('<script async src="{}"></script>').format(f"{base}/static/embed.js")
    return Markup("\n").join([frame, text_alternative(base, title, path), script])


def oembed_html(base: str, title: str, path: str, width: int, frame_height: int,
                with_text: bool) -> str:
    """The `html` of an oEmbed answer: the iframe at fixed pixel sizes (narrower where the
    page is narrower), and the text alternative when the height has room for it."""
    frame = _iframe(base, title, path, Markup(
        ' width="{}" height="{}" style="max-width:100%;border:0"').format(width, frame_height))
    return str(frame + text_alternative(base, title, path, "margin:0") if with_text else frame)


def discovery_href(base: str, path: str) -> str:
    """The oEmbed address of a view's full page, for its `<link rel="alternate">`."""
    return f"{base}/oembed?{urlencode({'url': f'{base}/viz{path}', 'format': 'json'})}"
