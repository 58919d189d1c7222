"""The inline markup of a source's text: emphasis, footnote markers and links.

Texts arrive as plain text with a little Markdown from their conversion: `**bold**`,
`*italic*`, `[label](target)`, `<https://...>`, and footnote markers as superscript digits
("¹⁴") or `^{17, 18}`. Nothing here is HTML and nothing is trusted: a span only says what
the text marks, and whoever draws it escapes the words and decides which links to follow
(`api.views.reader` follows http(s) only).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from sources.text import SUPERSCRIPT

SpanKind = Literal["text", "strong", "em", "note", "link"]

_INLINE = re.compile(
    r"\*\*(?P<strong>[^*].*?)\*\*"
    r"|(?<![\w*])\*(?P<em>[^*\s](?:[^*]*[^*\s])?)\*(?![\w*])"
    r"|\^\{(?P<group>\d+(?:\s*,\s*\d+)*)\}"
    r"|(?P<sup>[⁰¹²³⁴⁵⁶⁷⁸⁹]+)"
    r"|<(?P<auto>https?://[^\s<>]+)>"
    r"|\[(?P<label>[^\]\n]+)\]\((?P<target>[^()\s]*)\)"
    r"|(?P<bare>https?://[^\s<>()\[\]\"']*[^\s<>()\[\]\"'.,;:!?*])",
    re.S)


@dataclass(frozen=True)
class Span:
    """A run of the text: words (`text`, `strong`, `em`), a footnote marker (`note`, its
    number in `text`) or a link (`link`: its label in `text`, its target in `url`)."""

    kind: SpanKind
    text: str
    url: str | None = None
    inner: tuple[Span, ...] = ()  # what `strong` and `em` hold


def spans(text: str) -> list[Span]:
    """The text as spans, in order; every character of it is in one of them, markup aside."""
    out: list[Span] = []
    last = 0
    for m in _INLINE.finditer(text):
        if m.start() > last:
            out.append(Span("text", text[last:m.start()]))
        last = m.end()
        if m["strong"] is not None:
            out.append(Span("strong", m["strong"], inner=tuple(spans(m["strong"]))))
        elif m["em"] is not None:
            out.append(Span("em", m["em"], inner=tuple(spans(m["em"]))))
        elif m["group"] is not None:
            out += [Span("note", n) for n in re.split(r"\s*,\s*", m["group"])]
        elif m["sup"] is not None:
            out.append(Span("note", str(int(m["sup"].translate(SUPERSCRIPT)))))
        elif m["label"] is not None:
            out.append(Span("link", m["label"], url=m["target"]))
        else:
            url = m["auto"] or m["bare"]
            out.append(Span("link", url, url=url))
    if last < len(text):
        out.append(Span("text", text[last:]))
    return out


def plain(text: str) -> str:
    """The words alone: no markup, no footnote markers, white space made single."""
    return " ".join(_joined(spans(text)).split())


def notes(text: str) -> list[int]:
    """The footnote numbers the text marks, in order, each once."""
    found = [int(s.text) for s in _flat(spans(text)) if s.kind == "note"]
    return list(dict.fromkeys(found))


def opening(text: str, words: int) -> str:
    """The first `words` words of a text's plain words, with "…" when there are more."""
    found = plain(text).split()
    return " ".join(found[:words]) + (" …" if len(found) > words else "")


def _flat(found: list[Span] | tuple[Span, ...]) -> list[Span]:
    out: list[Span] = []
    for span in found:
        out += _flat(span.inner) if span.inner else [span]
    return out


def _joined(found: list[Span] | tuple[Span, ...]) -> str:
    return "".join(_joined(s.inner) if s.inner else "" if s.kind == "note" else s.text
                   for s in found)
