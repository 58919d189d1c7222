"""Which characters a stored text may hold: what XML 1.0 carries, less invisible controls.

GraphML and GEXF are XML 1.0, whose characters leave out the C0 controls but tab,
line feed and carriage return, the surrogates, and U+FFFE and U+FFFF: one of them
in one name makes the whole export a file no XML parser reads. DEL (U+007F) and
the C1 controls (U+0080 to U+009F) are legal XML 1.0, but they are refused too:
they are invisible, no text in any script needs them, and they are nearly always
the mark of text decoded with the wrong encoding (Windows-1252 quotes read as
Latin-1 become U+0091 to U+0094), which leaves a name that looks right and never
matches. YAML, the native format, refuses all of them written raw as well.
"""

from __future__ import annotations

import re

_REFUSED = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def _what(char: str) -> str:
    code = ord(char)
    if code < 0x20:
        return "a control character, which XML exports cannot carry; remove it"
    if code <= 0x9F:
        return ("an invisible control character, usually the mark of text decoded with the "
                "wrong encoding; remove it, or read the file in its own encoding")
    if 0xD800 <= code <= 0xDFFF:
        return "half of a surrogate pair, which XML exports cannot carry; remove it"
    return "not a character, and XML exports cannot carry it; remove it"


def refused_character(text: str) -> str | None:
    """Why `text` cannot be stored (its first refused character and where), or None."""
    found = _REFUSED.search(text)
    if found is None:
        return None
    return f"U+{ord(found.group()):04X} at character {found.start() + 1} is {_what(found.group())}"


def refused_in(value: object, where: str = "") -> str | None:
    """The same for a property value: text, or lists and maps of text, the first problem
    prefixed with where it is (`['1']: U+0000 at ...`)."""
    if isinstance(value, str):
        problem = refused_character(value)
        return f"{where}: {problem}" if problem and where else problem
    items = value.items() if isinstance(value, dict) else \
        enumerate(value) if isinstance(value, list) else ()
    for key, item in items:
        inner = f"{where}[{key!r}]" if isinstance(key, str) else f"{where}[{key}]"
        problem = (refused_in(key, inner) if isinstance(key, str) else None) \
            or refused_in(item, inner)
        if problem:
            return problem
    return None
