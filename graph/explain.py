"""A path told in sentences a journalist could quote, one per hop.

Each sentence is built from the relationship itself: its type's words in the
vocabulary (`WORDING`, active when the path runs the way the relationship points,
passive when it runs back), the values that fill the words' slots, the other phrased
properties (`PROPERTY_PHRASES`), its date, its certainty and who makes the claim, and
its citations:

    Iskander Yerimbetov (brother) was subjected to arrest and torture to pressure Bota
    Jardemalie, in 2017 (kz-upr48-2024 para 3.7).
    According to the prosecution (an allegation), X ... (source para 2).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from graph.results import EdgeRef, NodeRef, Path
from schema.models import Citation
from schema.vocabulary import PROPERTY_PHRASES, WORDING, Certainty

_SLOT = re.compile(r"\{(\w+)\}")


def explain(path: Path) -> list[str]:
    """One sentence per hop of `path`, in the order the path runs."""
    return [hop(edge, first, second)
            for edge, first, second in zip(path.edges, path.nodes, path.nodes[1:], strict=False)]


def phrase(type_: str, properties: dict[str, object], *, forward: bool = True) -> str:
    """The relationship's words between its two ends, its slots filled from its values:
    "is the brother of", "was sentenced to imprisonment in"."""
    wording = WORDING[type_]  # every type has its words (`check_vocabulary`)
    return _fill(wording.active if forward else wording.passive, properties)[0]


def hop(edge: EdgeRef, first: NodeRef, second: NodeRef) -> str:
    """The sentence for one relationship, read from `first` to `second`."""
    wording = WORDING[edge.type]
    forward = not edge.directed or edge.source == first.id
    verb, used = _fill(wording.active if forward else wording.passive, edge.properties)
    parts = [first.name, verb, second.name]
    extras = [PROPERTY_PHRASES[name].format(words(edge.properties[name]))
              for name in PROPERTY_PHRASES
              if name not in used and words(edge.properties.get(name))]
    if extras:
        parts[-1] += " " + " ".join(extras)
    when = _when(edge.date, edge.end)
    sentence = " ".join(p for p in parts if p) + (f", {when}" if when else "")
    return f"{_voice(edge)}{sentence}{_cited(edge.citations)}."


def _fill(template: str, properties: dict[str, object]) -> tuple[str, set[str]]:
    """The words with their slots filled from the relationship's values. A slot in brackets
    without a value is dropped with them; a bare one (a required value) reads "measures"."""
    used: set[str] = set(_SLOT.findall(template))
    for name in used:  # an optional value in brackets goes with its brackets
        if not words(properties.get(name)):
            template = template.replace(f" ({{{name}}})", "").replace(f"({{{name}}}) ", "")
    filled = _SLOT.sub(lambda m: words(properties.get(m.group(1))) or "measures", template)
    return filled, used


def words(value: object) -> str:
    """A value in words: lists joined, codes spelt out (`pre_trial_detention`)."""
    if value is None or value == "" or value == []:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list | tuple):
        items = [words(v) for v in value]
        items = [i for i in items if i]
        return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1] \
            if items else ""
    text = str(value)
    if re.fullmatch(r"P(\d+Y)?(\d+M)?(\d+D)?", text):
        return _duration(text)
    return text.replace("_", " ") if re.fullmatch(r"[a-z_]+", text) else text


def _duration(iso: str) -> str:
    units = [(n, unit) for n, unit in re.findall(r"(\d+)([YMD])", iso)]
    names = {"Y": "year", "M": "month", "D": "day"}
    return " and ".join(f"{n} {names[u]}{'s' if n != '1' else ''}" for n, u in units)


def _when(date: str | None, end: str | None) -> str:
    if date and end:
        return f"from {date} to {end}"
    if date:
        return f"on {date}" if len(date) == 10 else f"in {date}"
    return f"until {end}" if end else ""


def _voice(edge: EdgeRef) -> str:
    """An allegation reads as one, with who makes it; a reported fact says it is reported."""
    who = edge.claimed_by
    if edge.certainty is Certainty.ALLEGED:
        return f"According to {who} (an allegation), " if who else "It is alleged that "
    if edge.certainty is Certainty.REPORTED:
        return f"As {who} reports, " if who else "It is reported that "
    return ""


def _cited(citations: Sequence[Citation]) -> str:
    if not citations:
        return ""
    shown = [f"{c.source} {c.locator}".strip() for c in citations[:3]]
    more = f" and {len(citations) - 3} more" if len(citations) > 3 else ""
    return f" ({'; '.join(shown)}{more})"
