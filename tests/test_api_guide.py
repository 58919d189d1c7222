"""docs/api.md cannot drift from the service: every `curl` example calls an endpoint and
parameters the OpenAPI document declares, with ids that exist in the bundled dataset, and
every endpoint has an example."""

from __future__ import annotations

import itertools
import re
import shlex
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import pytest

from api.app import create_app
from graph.store import GraphStore

GUIDE = Path(__file__).resolve().parent.parent / "docs" / "api.md"
BASE = "http://127.0.0.1:8000"
#: query parameters whose values are entity ids
ID_PARAMETERS = {"source", "target", "avoid", "relative"}
#: ids the guide uses on purpose to show the 404
UNKNOWN_ON_PURPOSE = {"no-such-id"}
_SHELL_BLOCK = re.compile(r"^```sh\n(.*?)^```", re.S | re.M)


@dataclass(frozen=True)
class Example:
    line: str
    path: str
    query: list[tuple[str, str]]
    method: str = "get"


def curl_examples(markdown: str) -> list[Example]:
    """The `curl` commands of the guide's shell blocks: URL path and query parameters."""
    out = []
    for block in _SHELL_BLOCK.findall(markdown):
        for line in block.splitlines():
            if not line.strip().startswith("curl "):
                continue
            lexer = shlex.shlex(line, posix=True, punctuation_chars="|")
            lexer.whitespace_split = True
            lexer.commenters = "#"
            words = list(lexer)
            words = words[:words.index("|")] if "|" in words else words
            urls = [w for w in words if w.startswith(BASE)]
            assert len(urls) == 1, f"expected one {BASE} URL in: {line}"
            url = urlsplit(urls[0])
            query = parse_qsl(url.query, keep_blank_values=True)
            for flag, value in itertools.pairwise(words):
                if flag in ("-d", "--data", "--data-urlencode"):
                    name, _, data = value.partition("=")
                    query.append((name, data))
            method = next((m for f, m in itertools.pairwise(words) if f == "-X"), "GET")
            out.append(Example(line, url.path, query, method.lower()))
    return out


def _template(path: str) -> re.Pattern[str]:
    return re.compile("^" + re.sub(r"\\\{(\w+)\\\}", r"(?P<\1>[^/]+)", re.escape(path)) + "$")


EXAMPLES = curl_examples(GUIDE.read_text(encoding="utf-8"))
OPENAPI = create_app().openapi()


def _operation(example: Example) -> tuple[str, dict[str, str]]:
    matches = [(path, m.groupdict()) for path in OPENAPI["paths"]
               if (m := _template(path).match(example.path))]
    assert len(matches) == 1, f"{example.line}: {example.path} is not an endpoint of the API"
    return matches[0]


def test_the_guide_has_examples() -> None:
    assert len(EXAMPLES) >= len(OPENAPI["paths"])


@pytest.mark.parametrize("example", EXAMPLES, ids=[e.line[8:70] for e in EXAMPLES])
def test_example_calls_a_declared_endpoint_and_parameters(example: Example) -> None:
    path, _ = _operation(example)
    operation = OPENAPI["paths"][path][example.method]
    declared = {p["name"] for p in operation.get("parameters", []) if p["in"] == "query"}
    used = {name for name, _ in example.query}
    assert used <= declared, f"{example.line}: unknown parameters {sorted(used - declared)}"


@pytest.mark.parametrize("example", EXAMPLES, ids=[e.line[8:70] for e in EXAMPLES])
def test_example_uses_ids_from_the_dataset(example: Example, kz_store: GraphStore) -> None:
    _, path_values = _operation(example)
    # a candidate's id names a proposal in the review queue, not an entity
    ids = [v for k, v in path_values.items() if k != "candidate"]
    ids += [v for k, v in example.query if k in ID_PARAMETERS]
    missing = [i for i in ids if i not in UNKNOWN_ON_PURPOSE and not kz_store.has_node(i)]
    assert not missing, f"{example.line}: no such ids in the dataset: {missing}"


def test_every_endpoint_has_an_example() -> None:
    covered = {_operation(e)[0] for e in EXAMPLES}
    assert covered == set(OPENAPI["paths"]), sorted(set(OPENAPI["paths"]) - covered)
