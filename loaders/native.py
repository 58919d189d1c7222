"""The native dataset format: reviewable YAML (or JSON) files under `data/`.

A file holds `nodes:` and `edges:` lists and names its default `source:`, the
document its citations refer to. Records are validated one by one, then
checked against each other and against what the store already holds, and only
if every check passes is anything written. See `data/README.md` for the format.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from graph.errors import InvalidData, Problem
from graph.results import WriteReport
from graph.store import GraphStore, redefinition
from loaders.jsonsource import read_json
from loaders.yamlsource import Lines, YamlSyntaxError, line_of, read_yaml
from schema.models import STEP_FIELDS, Citation, Edge, Node, Step, merge_citations, merge_steps
from schema.vocabulary import RELATIONS, NodeKind

NODE_FIELDS = {"id", "kind", "name", "aliases", "description", "roles", "status", "sensitivity",
               "pseudonym", "group", "count", "count_qualifier"}
EDGE_KEYS = {"type", "from", "to", "key", "date", "end", "certainty", "claimed_by"}
DATE_KEYS = {"date", "end", "founded", "opened", "died"}
_CITE = re.compile(r"^(?P<para>front|[0-9]+(?:\.[0-9]+)*)?\s*(?:fn\s*(?P<fn>[0-9]+))?$")
#: keys of a dated status or role entry (`status: [{value: released, date: 2025}]`)
STEP_KEYS = {"value", "date", "as_of", "cite"}
#: pydantic field names back to the keys a person writes in the file
_FIELD_TO_KEY = {"citations": "cite", "source": "from", "target": "to"}
#: short keys a citation may be written with, by the field they fill
_CITE_FIELD = {"para": "paragraph", "fn": "footnote"}
SUFFIXES = {".yaml", ".yml", ".json"}


@dataclass
class Located:
    """A validated record and where it came from."""

    record: Node | Edge
    file: str
    line: int | None
    cites: list[tuple[Citation, tuple[str | int, ...]]] = field(default_factory=list)
    #: the status and role entries written as plain values, which date "as of" the source
    plain: list[tuple[str, str]] = field(default_factory=list)
    #: the dated entries, their citations not yet checked against the sources
    steps: list[Step] = field(default_factory=list)
    #: the file's `source:`, whose publication date plain entries are "as of"
    source: str | None = None


@dataclass
class Batch:
    nodes: list[Located] = field(default_factory=list)
    edges: list[Located] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def dataset_files(paths: Iterable[Path]) -> list[Path]:
    """Files to load: the paths themselves, or the dataset files below directories, sorted."""
    out: list[Path] = []
    for path in paths:
        if path.is_dir():
            out.extend(sorted(p for p in path.rglob("*") if p.suffix in SUFFIXES
                              and not p.name.startswith(".")))
        else:
            out.append(path)
    return out


def _read(path: Path) -> tuple[Any, Lines]:
    return read_json(path) if path.suffix == ".json" else read_yaml(path)


def _field_name(base: str, loc: tuple[str | int, ...]) -> tuple[str, tuple[str | int, ...]]:
    """A pydantic error location as the key path a person wrote in the file."""
    parts: list[str | int] = []
    for i, part in enumerate(loc):
        if part == "properties" and i == 0:
            continue
        parts.append(_FIELD_TO_KEY.get(part, part) if isinstance(part, str) and i == 0 else part)
    text = base + "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in parts)
    return text, tuple(parts)


def _citation(raw: Any, default_source: str | None) -> Citation:
    if isinstance(raw, int | float):
        raw = str(raw)
    if isinstance(raw, str):
        m = _CITE.match(raw.strip())
        if not m or not (m["para"] or m["fn"]):
            raise ValueError(f"{raw!r} is not a citation: write '2.7', '2.7 fn9' or 'front'")
        if default_source is None:
            raise ValueError("short citations need a file-level 'source:'")
        return Citation(source=default_source, paragraph=m["para"],
                        footnote=int(m["fn"]) if m["fn"] else None)
    if isinstance(raw, dict):
        data = {"source": default_source, **{_CITE_FIELD.get(k, k): v for k, v in raw.items()}}
        if isinstance(data.get("paragraph"), int | float):
            data["paragraph"] = str(data["paragraph"])
        return Citation.model_validate(data)
    raise ValueError(f"a citation is text like '2.7 fn9' or a mapping, not {raw!r}")


def _citation_problems(exc: ValueError, raw: Any, name: str, lines: Lines,
                       loc: tuple[str | int, ...], base: str) -> Iterator[Problem]:
    """A citation's problems, each at the key it is about (`para`, `note`) when it has one."""
    if not isinstance(exc, ValidationError):
        yield Problem(name, line_of(lines, loc), base, str(exc))
        return
    written = {_CITE_FIELD.get(k, k): k for k in raw} if isinstance(raw, dict) else {}
    for err in exc.errors():
        key = written.get(str(err["loc"][0]), str(err["loc"][0])) if err["loc"] else None
        where = (*loc, key) if key else loc
        yield Problem(name, line_of(lines, where), f"{base}.{key}" if key else base,
                      err["msg"].removeprefix("Value error, "))


def _date_text(value: Any) -> Any:
    return str(value) if isinstance(value, int) and not isinstance(value, bool) else value


def _history(raw: dict[str, Any], source: str | None, loc: tuple[str | int, ...], base: str,
             name: str, lines: Lines, problems: list[Problem],
             ) -> tuple[dict[str, Any], list[tuple[str, str]], list[Step]]:
    """`raw` with its status and roles lists as plain values, the entries written plainly,
    and the dated entries as steps (`{value: imprisoned, date: 2023-11-30, cite: ["3.5"]}`)."""
    plain: list[tuple[str, str]] = []
    steps: list[Step] = []
    out = dict(raw)
    for step_field, key in STEP_FIELDS.items():
        entries = raw.get(key)
        if not isinstance(entries, list):
            continue
        values: list[Any] = []
        for j, entry in enumerate(entries):
            if not isinstance(entry, dict):
                values.append(entry)
                if isinstance(entry, str):
                    plain.append((step_field, entry))
                continue
            where, text = (*loc, key, j), f"{base}.{key}[{j}]"
            unknown = sorted(set(entry) - STEP_KEYS)
            if unknown:
                problems.append(Problem(name, line_of(lines, (*where, unknown[0])), text,
                                        f"unknown key {unknown[0]!r}; expected "
                                        f"{', '.join(sorted(STEP_KEYS))}"))
                continue
            raw_cites = entry.get("cite") or []
            try:
                if not isinstance(raw_cites, list):
                    raise ValueError("expected a list of citations")
                steps.append(Step.model_validate({
                    "field": step_field, "value": entry.get("value"),
                    "date": _date_text(entry.get("date")), "as_of": _date_text(entry.get("as_of")),
                    "citations": [_citation(c, source) for c in raw_cites]}))
            except (ValueError, ValidationError) as exc:
                # the step's own check (loc ()) is about its value
                found = ([(str(e["loc"][0]) if e["loc"] else "value", e["msg"])
                          for e in exc.errors()]
                         if isinstance(exc, ValidationError) else [("cite", str(exc))])
                for part, msg in found:
                    part = "cite" if part == "citations" else part
                    problems.append(Problem(name, line_of(lines, (*where, part) if part else where),
                                            f"{text}.{part}" if part else text,
                                            msg.removeprefix("Value error, ")))
                continue
            values.append(entry.get("value"))
        out[key] = values
    return out, plain, steps


def _split(raw: dict[str, Any], fixed: set[str]) -> dict[str, Any]:
    data = {k: v for k, v in raw.items() if k in fixed}
    props = {k: v for k, v in raw.items() if k not in fixed and k != "cite"}
    for key in DATE_KEYS:
        for holder in (data, props):
            if isinstance(holder.get(key), int) and not isinstance(holder.get(key), bool):
                holder[key] = str(holder[key])
    if props:
        data["properties"] = props
    return data


def parse_file(path: Path, batch: Batch) -> None:
    """Validate one file's records into `batch`, collecting every problem found."""
    name = str(path)
    try:
        doc, lines = _read(path)
    except YamlSyntaxError as exc:
        batch.problems.append(Problem(name, exc.line, "", exc.message))
        return
    except OSError as exc:
        batch.problems.append(Problem(name, None, "", f"cannot read: {exc.strerror or exc}"))
        return
    if not isinstance(doc, dict) or not ({"nodes", "edges"} & set(doc)):
        # an empty file, or one holding something else, is a mistake (the wrong file sent)
        batch.problems.append(Problem(name, line_of(lines, ()) if doc is not None else 1, "",
                                      "expected a mapping with 'nodes' and/or 'edges'"))
        return
    if "source" in doc and not isinstance(doc["source"], str):
        batch.problems.append(Problem(name, line_of(lines, ("source",)), "source",
                                      "expected the id of a source, as text"))
    unknown = sorted(set(doc) - {"source", "nodes", "edges"})
    for key in unknown:
        batch.problems.append(Problem(name, line_of(lines, (key,)), key,
                                      "unknown top-level key; expected source, nodes, edges"))
    source = doc.get("source")
    for section, model, fixed, target in (("nodes", Node, NODE_FIELDS, batch.nodes),
                                          ("edges", Edge, EDGE_KEYS, batch.edges)):
        items = doc.get(section)
        if items is None:  # `nodes:` with nothing after it
            items = []
        if not isinstance(items, list):
            batch.problems.append(Problem(name, line_of(lines, (section,)), section,
                                          "expected a list"))
            continue
        for i, raw in enumerate(items):
            loc: tuple[str | int, ...] = (section, i)
            base = f"{section}[{i}]"
            if not isinstance(raw, dict):
                batch.problems.append(Problem(name, line_of(lines, loc), base, "expected a mapping"))
                continue
            cites: list[tuple[Citation, tuple[str | int, ...]]] = []
            bad = False
            raw_cites = raw.get("cite") or []
            if not isinstance(raw_cites, list):
                batch.problems.append(Problem(name, line_of(lines, (*loc, "cite")), f"{base}.cite",
                                              "expected a list of citations"))
                continue
            for j, c in enumerate(raw_cites):
                try:
                    cites.append((_citation(c, source), (*loc, "cite", j)))
                except (ValueError, ValidationError) as exc:
                    bad = True
                    batch.problems.extend(_citation_problems(exc, c, name, lines, (*loc, "cite", j),
                                                             f"{base}.cite[{j}]"))
            plain: list[tuple[str, str]] = []
            steps: list[Step] = []
            if section == "nodes":
                before = len(batch.problems)
                raw, plain, steps = _history(raw, source, loc, base, name, lines, batch.problems)
                bad = bad or len(batch.problems) > before
            data = _split(raw, fixed)
            if section == "edges":
                data["source"], data["target"] = data.pop("from", None), data.pop("to", None)
            data["citations"] = [c for c, _ in cites]
            if section == "nodes" and isinstance(source, str):
                data["source"] = source  # the file's source defines its records
            try:
                record = model.model_validate(data)
            except ValidationError as exc:
                for err in exc.errors():
                    text, parts = _field_name(base, tuple(err["loc"]))
                    if bad and parts[:1] == ("cite",):
                        continue
                    msg = err["msg"].removeprefix("Value error, ")
                    batch.problems.append(Problem(name, line_of(lines, (*loc, *parts)), text, msg))
                continue
            if bad:
                continue
            target.append(Located(record, name, line_of(lines, loc), cites, plain, steps,
                                  source if isinstance(source, str) else None))


def _resolved(item: Located, cites: Iterable[Citation], sources: dict[str, Node],
              problems: list[Problem], where: str = "cite") -> list[Citation]:
    """The citations whose sources exist, with footnote URLs from each source's footnote list."""
    resolved: list[Citation] = []
    for cite in cites:
        src = sources.get(cite.source)
        if src is None:
            problems.append(Problem(item.file, item.line, where,
                                    f"source {cite.source!r} is not a known source document"))
            continue
        url = cite.url
        if cite.footnote is not None and url is None:
            url = src.properties.get("footnotes", {}).get(str(cite.footnote))
            if url is None:
                problems.append(Problem(item.file, item.line, where, f"footnote {cite.footnote} "
                                        f"is not listed in source {src.id!r}"))
                continue
        resolved.append(cite.model_copy(update={"url": url}))
    return merge_citations(resolved, [])


def _as_of(item: Located, citations: list[Citation], sources: dict[str, Node]) -> str | None:
    """The publication date a plain entry stands "as of": the file's source's, else the
    latest of the sources the record cites."""
    dates = [sources[c.source].properties.get("date") for c in citations if c.source in sources]
    own = sources[item.source].properties.get("date") if item.source in sources else None
    known = [d for d in dates if isinstance(d, str)]
    return own if isinstance(own, str) else max(known, default=None)


def _resolve_citations(batch: Batch, sources: dict[str, Node]) -> Iterator[Problem]:
    """Check cited sources exist and fill in footnote URLs from each source's footnote list;
    date every status and role entry (`Step`), "as of" the source unless it states a date."""
    for item in (*batch.nodes, *batch.edges):
        problems: list[Problem] = []
        citations = _resolved(item, (c for c, _ in item.cites), sources, problems)
        update: dict[str, Any] = {"citations": citations}
        if item.plain or item.steps:
            as_of = _as_of(item, citations, sources)
            steps = [Step(field=f, value=v, as_of=as_of, citations=citations)
                     for f, v in item.plain]
            for step in item.steps:
                cites = _resolved(item, step.citations, sources, problems,
                                  f"{STEP_FIELDS[step.field]}.cite") if step.citations else citations
                undated = step.date is None and step.as_of is None
                steps.append(step.model_copy(update={
                    "citations": cites, "as_of": as_of if undated else step.as_of}))
            update["history"] = merge_steps(steps, [])
        yield from problems
        item.record = item.record.model_copy(update=update)


def _other_source(first: Node | Edge, again: Node | Edge) -> str:
    if not isinstance(first, Node) or not isinstance(again, Node):
        return ""
    if first.source is None or again.source is None or first.source == again.source:
        return ""
    return (f": defined by source {first.source!r} there and by source {again.source!r} here;"
            " ids are local to their source")


def _redefinitions(batch: Batch, store: GraphStore) -> Iterator[Problem]:
    """Records that would redefine an entity another source defines in the store: a file
    refers to another source's entity by its id (an edge's end), it never redefines it."""
    stored = store.find_nodes({item.record.id for item in batch.nodes})
    for item in batch.nodes:
        assert isinstance(item.record, Node)
        why = redefinition(stored.get(item.record.id), item.record)
        if why:
            yield Problem(item.file, item.line, "id", why)


def check_batch(batch: Batch, store: GraphStore) -> list[Problem]:
    """Cross-record checks: unique ids, endpoints that exist with the right kinds, sources.

    Checked against the records as stored, before identity decisions join them: a source's
    record joined to another's is still its own to load again."""
    store = getattr(store, "stored", store)
    problems = list(batch.problems)
    first: dict[str, Located] = {}
    for item in batch.nodes:
        prev = first.setdefault(item.record.id, item)
        if prev is not item:
            problems.append(Problem(item.file, item.line, "id", f"duplicate id {item.record.id!r}"
                                    f" (first at {prev.file}:{prev.line})"
                                    + _other_source(prev.record, item.record)))
    problems.extend(_redefinitions(batch, store))
    endpoints = {e for item in batch.edges if isinstance(item.record, Edge)
                 for e in (item.record.source, item.record.target)}
    cited = {c.source for item in (*batch.nodes, *batch.edges) for c, _ in item.cites}
    stored = store.find_nodes((endpoints | cited) - first.keys())
    kinds = {**{i: n for i, n in stored.items()}, **{i: it.record for i, it in first.items()}}
    seen_edges: dict[str, Located] = {}
    for item in batch.edges:
        edge = item.record
        assert isinstance(edge, Edge)
        prev = seen_edges.setdefault(edge.id, item)
        if prev is not item:
            problems.append(Problem(item.file, item.line, "key", f"duplicate edge {edge.id!r} "
                                    f"(first at {prev.file}:{prev.line}); add a 'key' to tell "
                                    "them apart"))
        rel = RELATIONS[edge.type]
        for end, allowed, label in ((edge.source, rel.sources, "from"),
                                    (edge.target, rel.targets, "to")):
            node = kinds.get(end)
            if node is None:
                problems.append(Problem(item.file, item.line, label, f"unknown entity {end!r}"))
            elif isinstance(node, Node) and node.kind not in allowed:
                names = ", ".join(sorted(k.value for k in allowed))
                problems.append(Problem(item.file, item.line, label, f"{edge.type} cannot "
                                        f"{label.replace('from', 'start').replace('to', 'end')} "
                                        f"at a {node.kind} ({end}); allowed: {names}"))
    sources = {i: n for i, n in kinds.items() if isinstance(n, Node) and n.kind is NodeKind.SOURCE}
    problems.extend(_resolve_citations(batch, sources))
    return problems


def read_dataset(paths: Iterable[Path], store: GraphStore) -> tuple[list[Node], list[Edge]]:
    """Parse and validate files; raise `InvalidData` listing every problem, or return records."""
    files = dataset_files(paths)
    batch = Batch()
    for path in files:
        if not path.exists():
            batch.problems.append(Problem(str(path), None, "", "no such file or directory"))
            continue
        parse_file(path, batch)
    problems = check_batch(batch, store)
    if not files:
        problems.append(Problem(", ".join(map(str, paths)) or "<none>", None, "",
                                "no dataset files found"))
    if problems:
        raise InvalidData(problems)
    nodes = [n.record for n in batch.nodes if isinstance(n.record, Node)]
    edges = [e.record for e in batch.edges if isinstance(e.record, Edge)]
    return nodes, edges


def load(paths: Iterable[Path], store: GraphStore, *, replace: bool = False) -> WriteReport:
    """Validate everything, then write it in one atomic store write.

    With `replace`, the files are validated on their own (not against stored
    entities) and the store ends up holding exactly what they contain.
    """
    from graph.memory import MemoryStore

    nodes, edges = read_dataset(list(paths), MemoryStore() if replace else store.stored)
    return store.write(nodes, edges, replace=replace)
