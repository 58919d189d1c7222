"""Read YAML while remembering the line of every value, so errors can point at it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

Lines = dict[tuple[str | int, ...], int]


class YamlSyntaxError(Exception):
    def __init__(self, line: int | None, message: str) -> None:
        self.line, self.message = line, message
        super().__init__(message)


def _convert(node: yaml.Node, path: tuple[str | int, ...], lines: Lines,
             seen: set[int]) -> Any:
    """Plain data from a composed node. An alias makes the composed tree share a node;
    aliases are refused, since one can refer to itself (endless recursion) or expand
    exponentially ("billion laughs"), and a dataset file has no need of them."""
    if id(node) in seen:
        raise YamlSyntaxError(node.start_mark.line + 1, "anchors and aliases (& and *) are "
                              "not supported: write the value out")
    seen.add(id(node))
    lines[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        out: dict[str, Any] = {}
        for key_node, value_node in node.value:
            key = _scalar(key_node)
            if not isinstance(key, str):
                raise YamlSyntaxError(key_node.start_mark.line + 1, f"key {key!r} is not text")
            if key in out:
                raise YamlSyntaxError(key_node.start_mark.line + 1, f"duplicate key {key!r}")
            out[key] = _convert(value_node, (*path, key), lines, seen)
        return out
    if isinstance(node, yaml.SequenceNode):
        return [_convert(v, (*path, i), lines, seen) for i, v in enumerate(node.value)]
    return _scalar(node)


_KEEP_AS_TEXT = {"tag:yaml.org,2002:float", "tag:yaml.org,2002:timestamp"}


def _scalar(node: yaml.Node) -> Any:
    """Scalars as YAML types, except that 2.10 and 2019-06-13 stay text.

    Paragraph numbers would otherwise turn into floats ("2.10" -> 2.1) and dates
    into `datetime.date`; both are kept as written.
    """
    if not isinstance(node, yaml.ScalarNode):
        raise YamlSyntaxError(node.start_mark.line + 1, "expected a plain value")
    if node.tag in _KEEP_AS_TEXT:
        return node.value
    try:
        return yaml.constructor.SafeConstructor().construct_object(node)
    except (ValueError, OverflowError) as exc:  # an int of 5,000 digits, a bad !!int
        raise YamlSyntaxError(node.start_mark.line + 1, f"not a usable value: {exc}") from exc


def read_yaml(path: Path) -> tuple[Any, Lines]:
    """The document's data and a map from each value's path to its 1-based line."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise YamlSyntaxError(None, f"not UTF-8 text: {exc}") from exc
    lines: Lines = {}
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
        return (None if root is None else _convert(root, (), lines, set())), lines
    except yaml.MarkedYAMLError as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark else None
        raise YamlSyntaxError(line, f"YAML syntax: {exc.problem}") from exc
    except yaml.YAMLError as exc:
        raise YamlSyntaxError(None, f"YAML syntax: {exc}") from exc
    except RecursionError:
        raise YamlSyntaxError(None, "YAML nested too deeply") from None


def line_of(lines: Lines, path: tuple[str | int, ...]) -> int | None:
    """The line of the value at `path`, or of its nearest enclosing value."""
    while path:
        if path in lines:
            return lines[path]
        path = path[:-1]
    return lines.get(())
