"""Read JSON while remembering the line of every value, as `loaders.yamlsource` does for YAML.

The standard library parses each string, number and literal; this module walks
the objects and arrays around them, so that a problem in a JSON file points at
its line like one in a YAML file. Values are what `json.loads` gives, duplicate
keys included (the last one wins).
"""

from __future__ import annotations

import bisect
import json
import re
from pathlib import Path
from typing import Any

from loaders.yamlsource import Lines, YamlSyntaxError

_WHITESPACE = " \t\n\r"


class _Reader:
    def __init__(self, text: str) -> None:
        self.text, self.lines = text, Lines()
        self.starts = [0] + [m.end() for m in re.finditer("\n", text)]
        self.decoder = json.JSONDecoder()

    def line(self, pos: int) -> int:
        return bisect.bisect_right(self.starts, pos)

    def skip(self, pos: int) -> int:
        while pos < len(self.text) and self.text[pos] in _WHITESPACE:
            pos += 1
        return pos

    def expect(self, pos: int, chars: str, what: str) -> int:
        pos = self.skip(pos)
        if pos >= len(self.text) or self.text[pos] not in chars:
            raise json.JSONDecodeError(f"Expecting {what}", self.text, pos)
        return pos

    def value(self, pos: int, path: tuple[str | int, ...]) -> tuple[Any, int]:
        pos = self.skip(pos)
        self.lines[path] = self.line(pos)
        opening = self.text[pos:pos + 1]
        if opening == "{":
            return self.mapping(pos + 1, path)
        if opening == "[":
            return self.sequence(pos + 1, path)
        return self.decoder.raw_decode(self.text, pos)

    def mapping(self, pos: int, path: tuple[str | int, ...]) -> tuple[dict[str, Any], int]:
        out: dict[str, Any] = {}
        pos = self.skip(pos)
        if self.text[pos:pos + 1] == "}":
            return out, pos + 1
        while True:
            pos = self.expect(pos, '"', "property name enclosed in double quotes")
            key, pos = self.decoder.raw_decode(self.text, pos)
            pos = self.expect(pos, ":", "':' delimiter")
            out[key], pos = self.value(pos + 1, (*path, key))
            pos = self.expect(pos, ",}", "',' delimiter")
            if self.text[pos] == "}":
                return out, pos + 1
            pos += 1

    def sequence(self, pos: int, path: tuple[str | int, ...]) -> tuple[list[Any], int]:
        out: list[Any] = []
        pos = self.skip(pos)
        if self.text[pos:pos + 1] == "]":
            return out, pos + 1
        while True:
            item, pos = self.value(pos, (*path, len(out)))
            out.append(item)
            pos = self.expect(pos, ",]", "',' delimiter")
            if self.text[pos] == "]":
                return out, pos + 1
            pos += 1


def read_json(path: Path) -> tuple[Any, Lines]:
    """The document's data and a map from each value's path to its 1-based line."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise YamlSyntaxError(None, f"JSON syntax: not UTF-8 text: {exc}") from exc
    reader = _Reader(text)
    try:
        data, end = reader.value(0, ())
        if reader.skip(end) != len(text):
            raise json.JSONDecodeError("Extra data", text, reader.skip(end))
    except json.JSONDecodeError as exc:
        raise YamlSyntaxError(exc.lineno, f"JSON syntax: {exc}") from exc
    except (ValueError, RecursionError) as exc:  # 5,000-digit ints, nesting
        raise YamlSyntaxError(None, f"JSON syntax: {exc}") from exc
    return data, reader.lines
