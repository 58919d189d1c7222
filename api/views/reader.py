"""A source's text as its readers read it: redacted for the store they read, then drawn.

The text comes from the source library (`sources.library`), cut into the paragraphs
citations name. It is redacted through the store the page reads (`GraphStore.redact_text`:
the public view removes restricted persons' names, as from every text of a record), so
the reader, the API and the views' excerpts never ask who is asking. Every word is
escaped here; only http(s) addresses become links. Readings are kept per store and
version of its content, and per version of the file.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from markupsafe import Markup, escape

from api.views.present import safe_url
from api.views.render import PerVersion
from graph.store import GraphStore
from graph.versions import Stamp
from schema.models import Node
from sources.inline import Span, notes, opening, plain, spans
from sources.library import SourceLibrary
from sources.text import Block, SourceText

#: how many words of a cited paragraph a view shows when a relationship is clicked
EXCERPT_WORDS = 25


@dataclass(frozen=True)
class ReadBlock:
    """One paragraph as drawn (`html`) and as words (`heading`, `text`)."""

    label: str
    anchor: str
    html: Markup
    heading: str | None
    text: str
    notes: list[int]

    def excerpt(self, words: int = EXCERPT_WORDS) -> str:
        return opening(self.text or self.heading or "", words)


@dataclass(frozen=True)
class Footnote:
    number: int
    url: str | None  # None when withheld from the reader, or not a web address
    marked: bool  # whether the text marks it, so that it can link back to the marker


@dataclass(frozen=True)
class Reading:
    blocks: list[ReadBlock]
    footnotes: list[Footnote]

    def block(self, label: str) -> ReadBlock | None:
        return next((b for b in self.blocks if b.label == label), None)


class Readings:
    """The source texts of one library as each store's readers read them."""

    def __init__(self, library: SourceLibrary) -> None:
        self.library = library
        self._kept: PerVersion[tuple[str, Stamp], Reading] = PerVersion()

    def of(self, store: GraphStore, node: Node) -> Reading | None:
        """The text of a source record as `store`'s readers read it; None when none is held."""
        found = self.library.text(node)
        if found is None:
            return None
        stamp, text = found
        return self._kept.get(store, (node.id, stamp), lambda: draw(
            text.redacted(_as_shown(store.redact_text), store.redact_url)))

    def excerpt(self, store: GraphStore, node: Node, paragraph: str) -> str | None:
        """The opening words of one paragraph, as `store`'s readers read them."""
        reading = self.of(store, node)
        block = None if reading is None else reading.block(paragraph)
        return None if block is None else block.excerpt()


def _as_shown(redact: Callable[[str], str]) -> Callable[[str], str]:
    """Redaction of a piece as its readers read it. Names are looked for in the text with
    its markup, but the reader shows the words without it, so markup or a footnote marker
    inside a name ("**Tasbo**latova", "Tasbo^{1}latova", "[Tasbo](https://...)latova")
    would hide the name from the matcher and show it whole. Where the words shown (markup
    taken away until none is left) still name someone, the piece is shown as those words,
    redacted, its footnote markers after them."""
    def piece(text: str) -> str:
        out = redact(text)
        shown = [plain(out)]
        for _ in range(8):  # markup inside a link's label is only read once the label is
            flat = plain(shown[-1])
            if flat == shown[-1]:
                break
            shown.append(flat)
        if all(redact(words) == words for words in shown):
            return out
        marks = notes(out)
        return redact(shown[-1]) + (f" ^{{{', '.join(map(str, marks))}}}" if marks else "")
    return piece


def draw(text: SourceText) -> Reading:
    """HTML for every paragraph of an already redacted text, and its footnote list."""
    links = {n: safe_url(u) for n, u in text.footnotes.items()}
    seen: set[int] = set()
    blocks = [_block(b, links, seen) for b in text.blocks]
    return Reading(blocks, [Footnote(n, u, n in seen) for n, u in sorted(links.items())])


def _block(block: Block, links: dict[int, str | None], seen: set[int]) -> ReadBlock:
    parts: list[Markup] = []
    items: list[Markup] = []
    heading = None
    body: list[str] = []
    for index, piece in enumerate(block.pieces):
        html = _spans(spans(piece.text), links, seen)
        if piece.kind != "item" and items:
            parts.append(Markup("<ul>{}</ul>").format(Markup("").join(items)))
            items = []
        if piece.kind == "heading":
            heading = heading or plain(piece.text)
            parts.append(Markup('<h2 class="source-heading">{}</h2>').format(html))
            continue
        body.append(plain(piece.text))
        if piece.kind == "item":
            items.append(Markup("<li>{}</li>").format(html))
        elif index == 0 and block.numbered:
            parts.append(Markup('<p><a class="para-number" href="#{}">{}.</a> {}</p>').format(
                block.anchor, block.label, html))
        else:
            parts.append(Markup("<p>{}</p>").format(html))
    if items:
        parts.append(Markup("<ul>{}</ul>").format(Markup("").join(items)))
    return ReadBlock(block.label, block.anchor, Markup("\n").join(parts), heading,
                     "\n\n".join(body), notes(" ".join(p.text for p in block.pieces)))


def _spans(found: list[Span] | tuple[Span, ...], links: dict[int, str | None],
           seen: set[int]) -> Markup:
    out: list[Markup] = []
    for span in found:
        if span.kind == "text":
            out.append(Markup("<br>\n").join(escape(line) for line in span.text.split("\n")))
        elif span.kind in ("strong", "em"):
            tag = "strong" if span.kind == "strong" else "em"
            out.append(Markup(f"<{tag}>{{}}</{tag}>").format(_spans(span.inner, links, seen)))
        elif span.kind == "note":
            out.append(_note(int(span.text), links, seen))
        else:
            url = safe_url(span.url)
            out.append(Markup('<a class="external" href="{}" rel="noopener noreferrer nofollow">'
                              "{}</a>").format(url, span.text) if url else escape(span.text))
    return Markup("").join(out)


def _note(number: int, links: dict[int, str | None], seen: set[int]) -> Markup:
    """A footnote marker: a link to the footnote, the first one also the way back to it."""
    if number not in links:
        return Markup('<sup class="note">{}</sup>').format(number)
    first = number not in seen
    seen.add(number)
    back = Markup(' id="fnref-{}"').format(number) if first else Markup("")
    return Markup('<sup class="note"><a href="#fn-{0}"{1}>{0}</a></sup>').format(number, back)

