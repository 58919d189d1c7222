"""The founding source text, cut into numbered paragraphs, for checking answers against it."""

from __future__ import annotations

import re
from functools import cache

from tests.conftest import SOURCE_TEXT

_HEADING = re.compile(r"^\d+\.(?:\d+\.)?\s", re.MULTILINE)


@cache
def source() -> str:
    return SOURCE_TEXT.read_text(encoding="utf-8")


def paragraph(number: str) -> str:
    """The text of paragraph `number` ("3.7"), up to the next numbered paragraph."""
    text = source()
    start = re.search(rf"^{re.escape(number)}\.\s", text, re.MULTILINE)
    assert start is not None, f"no paragraph {number} in the source"
    following = _HEADING.search(text, start.end())
    return text[start.start():following.start() if following else len(text)]
