"""Loader fuzzing: corrupted native, CSV and FtM files are refused cleanly and change nothing.

Valid files (a real dataset file, slices of the CSV and FollowTheMoney exports of
the dataset) are corrupted at random by a seeded loop: flipped bytes, truncation,
deleted, duplicated or swapped lines, swapped values, values of the wrong type,
huge values, control characters, invalid UTF-8. Each corrupted file is loaded
into an embedded store holding the dataset. The loader may only raise
`InvalidData`, and then the store (its stats and its snapshot, byte for byte) is
unchanged. A corruption that happens to stay valid may write; the write must then
be all-or-nothing: the store equals a fresh copy of the old one with that file
loaded.
"""

from __future__ import annotations

import json
import os
import random
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from exporters.csv_format import csv_tables
from exporters.ftm import ftm_lines
from graph.errors import InvalidData
from graph.memory import SNAPSHOT, MemoryStore
from graph.store import GraphStore
from loaders import csv_format, ftm, native
from loaders.yamlsource import read_yaml
from schema.models import Citation, merge_citations
from tests.conftest import DATASET

CORRUPTIONS_PER_FORMAT = 120
NATIVE_FILE = DATASET / "kz-upr48-2024" / "case-sadykov.yaml"

Corruption = Callable[[random.Random, bytes], bytes]


def _lines(data: bytes) -> list[bytes]:
    return data.split(b"\n")


def flip_bytes(rng: random.Random, data: bytes) -> bytes:
    out = bytearray(data)
    for _ in range(rng.randint(1, 8)):
        out[rng.randrange(len(out))] ^= 1 << rng.randrange(8)
    return bytes(out)


def truncate(rng: random.Random, data: bytes) -> bytes:
    return data[:rng.randrange(len(data))]


def delete_line(rng: random.Random, data: bytes) -> bytes:
    lines = _lines(data)
    del lines[rng.randrange(len(lines))]
    return b"\n".join(lines)


def duplicate_line(rng: random.Random, data: bytes) -> bytes:
    lines = _lines(data)
    at = rng.randrange(len(lines))
    lines.insert(rng.randrange(len(lines)), lines[at])
    return b"\n".join(lines)


def swap_lines(rng: random.Random, data: bytes) -> bytes:
    lines = _lines(data)
    a, b = rng.randrange(len(lines)), rng.randrange(len(lines))
    lines[a], lines[b] = lines[b], lines[a]
    return b"\n".join(lines)


SEPARATORS = (b": ", b",", b'":')


def swap_values(rng: random.Random, data: bytes) -> bytes:
    """Two values on one line trade places (a name where an id belongs, ...)."""
    lines = _lines(data)
    at = rng.randrange(len(lines))
    sep = rng.choice(SEPARATORS)
    parts = lines[at].split(sep)
    if len(parts) > 2:
        a, b = rng.sample(range(len(parts)), 2)
        parts[a], parts[b] = parts[b], parts[a]
    lines[at] = sep.join(parts)
    return b"\n".join(lines)


WRONG_TYPES = (b"[1, 2]", b"{a: 1}", b'{"a": 1}', b"true", b"null", b"-1", b"12345", b"1.5",
               b"[]", b"{}", b'""', b"2019-13-45", b"!!binary AAAA", b"&a [*a]", b"*nope",
               b"[[[[[[", b"0x1F", b".inf", b"~")


def wrong_type(rng: random.Random, data: bytes) -> bytes:
    """A value after a separator replaced by a value of another type."""
    lines = _lines(data)
    at = rng.randrange(len(lines))
    sep = rng.choice(SEPARATORS)
    head, found, tail = lines[at].partition(sep)
    if found:
        rest = tail.split(b",", 1)
        lines[at] = head + sep + rng.choice(WRONG_TYPES) + (b"," + rest[1] if len(rest) > 1
                                                             else b"")
    return b"\n".join(lines)


HUGE = (b"x" * 1_000_000, b"9" * 5000, b"[" * 5000, b"{a: " * 3000, b'{"a":' * 5000,
        "Ж".encode() * 200_000, b"1" + b"0" * 400, b"- " * 5000)


def huge_value(rng: random.Random, data: bytes) -> bytes:
    at = rng.randrange(len(data))
    return data[:at] + rng.choice(HUGE) + data[at:]


CONTROL = (b"\x00", b"\x01", b"\x07", b"\x1b[2J", b"\x7f", b"\r", b"\x0b\x0c",
           "\u202e".encode(), "\u2028".encode(), "\ufeff".encode(), b"\t")


def control_characters(rng: random.Random, data: bytes) -> bytes:
    out = data
    for _ in range(rng.randint(1, 4)):
        at = rng.randrange(len(out))
        out = out[:at] + rng.choice(CONTROL) + out[at:]
    return out


INVALID_UTF8 = (b"\xff", b"\xfe\xff", b"\xc3", b"\xe2\x82", b"\xed\xa0\x80", b"\xc0\xaf",
                b"\xf8\x88\x80\x80\x80")


def invalid_utf8(rng: random.Random, data: bytes) -> bytes:
    at = rng.randrange(len(data))
    return data[:at] + rng.choice(INVALID_UTF8) + data[at:]


CORRUPTIONS: tuple[Corruption, ...] = (
    flip_bytes, truncate, delete_line, duplicate_line, swap_lines, swap_values, wrong_type,
    huge_value, control_characters, invalid_utf8)


# -- the valid files ---------------------------------------------------------------------------

def _slice(text: str, rows: int) -> bytes:
    lines = text.splitlines(keepends=True)
    return "".join(lines[:rows + 1]).encode()


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data directory holding the dataset; each test works on a copy of it."""
    folder = tmp_path_factory.mktemp("fuzz-base")
    store = MemoryStore(folder / "store")
    native.load([DATASET], store)
    tables = csv_tables(store)
    (folder / "nodes.csv").write_bytes(_slice(tables["nodes.csv"], 25))
    (folder / "edges.csv").write_bytes(_slice(tables["edges.csv"], 25))
    lines = ftm_lines(store).splitlines()
    (folder / "sample.ftm.json").write_bytes(b"\n".join(lines[:12] + lines[-12:]) + b"\n")
    return folder


Loader = Callable[[list[Path], GraphStore], object]
LOADERS: dict[str, tuple[Loader, list[str]]] = {
    "native": (lambda paths, store: native.load(paths, store), []),
    "native-json": (lambda paths, store: native.load(paths, store), []),
    "csv": (lambda paths, store: csv_format.load_tables(paths, store), ["nodes.csv",
                                                                        "edges.csv"]),
    "ftm": (lambda paths, store: ftm.load_ftm(paths, store), ["sample.ftm.json"]),
}


def _valid_files(base: Path, fmt: str) -> dict[str, bytes]:
    if fmt == "native":
        return {"case-sadykov.yaml": NATIVE_FILE.read_bytes()}
    if fmt == "native-json":
        return {"case-sadykov.json": json.dumps(read_yaml(NATIVE_FILE)[0], indent=1,
                                                ensure_ascii=False).encode()}
    return {name: (base / name).read_bytes() for name in LOADERS[fmt][1]}


def _copy_store(base: Path, into: Path) -> MemoryStore:
    into.mkdir(parents=True)
    shutil.copy(base / "store" / SNAPSHOT, into / SNAPSHOT)
    return MemoryStore(into)


def _restore(store: MemoryStore, snapshot: bytes) -> None:
    """Put the old snapshot back the way the store writes one (it rereads a replaced file)."""
    assert store.snapshot_path is not None
    tmp = store.snapshot_path.with_suffix(".restore")
    tmp.write_bytes(snapshot)
    os.replace(tmp, store.snapshot_path)


@pytest.mark.parametrize("fmt", list(LOADERS))
def test_a_corrupted_file_is_refused_cleanly_or_loaded_whole(
        fmt: str, base: Path, tmp_path: Path) -> None:
    load = LOADERS[fmt][0]
    valid = _valid_files(base, fmt)
    (tmp_path / "valid").mkdir()
    for name, data in valid.items():
        (tmp_path / "valid" / name).write_bytes(data)
    load([tmp_path / "valid" / name for name in valid],
         _copy_store(base, tmp_path / "check"))  # the untouched files are valid
    store = _copy_store(base, tmp_path / "store")
    assert store.snapshot_path is not None
    before_bytes, before_stats = store.snapshot_path.read_bytes(), store.stats()
    rng = random.Random(f"loader-fuzz-{fmt}")
    outcomes = {"refused": 0, "written": 0}
    for attempt in range(CORRUPTIONS_PER_FORMAT):
        corruption = rng.choice(CORRUPTIONS)
        victim = rng.choice(sorted(valid))
        files = dict(valid, **{victim: corruption(rng, valid[victim])})
        folder = tmp_path / f"try-{attempt}"
        folder.mkdir()
        for name, data in files.items():
            (folder / name).write_bytes(data)
        paths = [folder / name for name in files]
        where = f"{fmt} attempt {attempt}: {corruption.__name__} of {victim}"
        try:
            load(paths, store)
        except InvalidData as exc:
            assert exc.problems, where
            assert store.snapshot_path.read_bytes() == before_bytes, where
            assert store.stats() == before_stats, where
            outcomes["refused"] += 1
            continue
        fresh = _copy_store(base, tmp_path / f"fresh-{attempt}")
        load(paths, fresh)
        assert fresh.snapshot_path is not None
        assert store.snapshot_path.read_bytes() == fresh.snapshot_path.read_bytes(), where
        outcomes["written"] += 1
        _restore(store, before_bytes)
        assert store.stats() == before_stats
    assert outcomes["refused"] > CORRUPTIONS_PER_FORMAT // 4, outcomes


# -- what the fuzz found, pinned ---------------------------------------------------------------

LAUGHS = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{b}: &{b} [{', '.join([f'*{a}'] * 9)}]\n" for a, b in zip("abcdefgh", "bcdefghi", strict=True))
CASES = {
    "self-alias.yaml": (b"nodes: &a [*a]\n", "aliases"),
    "laughs.yaml": (LAUGHS.encode(), "aliases"),
    "deep.yaml": (b"nodes: " + b"[" * 5000, "nested too deeply"),
    "cite.yaml": (b"source: kz-upr48-2024\nnodes:\n  - {id: x, kind: person, name: X, cite: 5}\n",
                  "nodes[0].cite: expected a list"),
    "bigint.yaml": (b"nodes:\n  - {id: x, kind: person, name: X, count: !!int 0xZZ}\n",
                    "not a usable value"),
    "bigint.json": (b'{"nodes": [{"id": "x", "count": ' + b"9" * 5000 + b"}]}", "JSON syntax"),
    "deep.json": (b'{"nodes": ' + b"[" * 100_000 + b"]" * 100_000 + b"}", "JSON syntax"),
    "deep.csv": (b'id,kind,name,properties\nx,person,X,"' + b"[" * 100_000 + b'"\n',
                 "properties: not usable JSON"),
    "schema.ftm.json": (b'{"id": "e1", "schema": ["Person"], "properties": {}}\n',
                        "schema name"),
    "props.ftm.json": (b'{"id": "e1", "schema": "Person", "properties": [["name", "X"]]}\n',
                       "properties object"),
}


@pytest.mark.parametrize("name", list(CASES))
def test_a_hostile_file_is_invalid_data_naming_the_problem(
        name: str, tmp_path: Path, empty_store: MemoryStore) -> None:
    data, expected = CASES[name]
    path = tmp_path / name
    path.write_bytes(data)
    loader = (ftm.load_ftm if name.endswith(".ftm.json") else
              csv_format.load_tables if name.endswith(".csv") else native.load)
    with pytest.raises(InvalidData, match=re.escape(expected)):
        loader([path], empty_store)
    assert empty_store.stats().nodes == 0


def test_a_citation_with_an_odd_paragraph_still_merges() -> None:
    """Sorting took any paragraph starting with a digit for a number ("2{a" crashed a merge)."""
    odd = [Citation(source="s", paragraph="2{a: b"), Citation(source="s", paragraph="9" * 50)]
    assert merge_citations([Citation(source="s", paragraph="2.10")], odd)[0].paragraph == "2{a: b"
