"""Case folding that agrees with the regex engine's IGNORECASE, for a fast first check.

Checking every public answer for restricted names with case-insensitive patterns is
the costliest step of the trust boundary. Lower-casing the answer once and matching
lower-cased patterns case-sensitively finds the same names about twice as fast, but
only where `str.lower()` and `re.IGNORECASE` agree. They disagree on a few
characters: `re` treats some pairs as equal whose lower cases differ ("ſ" and "s",
"ı" and "i", old Cyrillic "ᲀ" and "в"), "İ" lower-cases to two characters, and
`str.lower()` turns a final "Σ" into "ς". `RARE` lists them with the ordinary
character each stands for.

A text holding any of them is checked with the IGNORECASE patterns instead, so the
fast path never decides about a character it does not model.
`tests/test_casefold.py` derives the table again from the running interpreter, over
every code point, and fails if it has changed.
"""

from __future__ import annotations

import re

#: characters whose IGNORECASE class is wider than their `str.lower()` (or whose lower
#: case depends on context), each with the lower-case character it is read as
RARE: dict[str, str] = {
    "\u00b5": "\u03bc", "\u0130": "\u0069", "\u0131": "\u0069", "\u017f": "\u0073",
    "\u0345": "\u03b9", "\u03a3": "\u03c3", "\u03c2": "\u03c3", "\u03d0": "\u03b2",
    "\u03d1": "\u03b8", "\u03d5": "\u03c6", "\u03d6": "\u03c0", "\u03f0": "\u03ba",
    "\u03f1": "\u03c1", "\u03f5": "\u03b5", "\u1c80": "\u0432", "\u1c81": "\u0434",
    "\u1c82": "\u043e", "\u1c83": "\u0441", "\u1c84": "\u0442", "\u1c85": "\u0442",
    "\u1c86": "\u044a", "\u1c87": "\u0463", "\u1c88": "\ua64b", "\u1e9b": "\u1e61",
    "\u1fbe": "\u03b9", "\u1fd3": "\u0390", "\u1fe3": "\u03b0", "\ufb06": "\ufb05",
}

#: finds any character the fast path does not model
HAS_RARE = re.compile("[" + "".join(map(re.escape, RARE)) + "]")


def fold(text: str) -> str:
    """The text as the fast check reads it: each character lower-cased on its own, a rare
    one replaced by the character IGNORECASE equates it with."""
    return "".join(RARE.get(char) or char.lower() for char in text)
