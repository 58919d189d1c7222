"""Reading a new report: numbered paragraphs, MENTIONS of known entities, names to review.

The report becomes a `source` node and every known entity it names gets one
MENTIONS edge from the source, citing each paragraph that names it. Nothing else
is inferred: who did what to whom is for a person to record, with the paragraph
in hand. Names that look like people but match nothing in the graph are listed
for review, never added. See `loaders.mentions` for the matching rule.

Paragraphs are numbered as in UN and NGO submissions ("2.7."), and cut as the
reader cuts them (`sources.text`); footnote lines ("¹ <https://...>") become the
source's footnotes instead of paragraph text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError
from rapidfuzz import fuzz

from graph.candidates import NearNames
from graph.errors import InvalidData, Problem
from graph.identity import Candidate, mention_candidate
from graph.results import WriteReport
from graph.search import fold
from graph.store import GraphStore
from loaders.mentions import Match, NameMatcher, Word, words_of
from schema.models import Citation, Edge, Node
from schema.text import refused_character
from schema.vocabulary import NodeKind, is_valid_id
from sources.text import Paragraph, split_paragraphs

_BOLD = re.compile(r"\*\*(.+?)\*\*", re.S)
_LIST_SPLIT = re.compile(r",|;|\band\b|:")
#: capitalised words that start institutions, places and sentences, not personal names
COMMON_CAPITALISED = frozenset({
    "a", "according", "address", "after", "agency", "also", "although", "an", "and", "another", "april",
    "article", "as", "assembly", "at", "august", "bank", "before", "belgian", "belgium", "but", "by",
    "case", "choice", "city", "civic", "civil", "code", "commissioner", "committee", "conclusions",
    "contents", "convention", "copyright", "council", "court", "criminal", "december", "declaration",
    "democratic", "department", "despite", "dialogue", "during", "elections", "email", "eu", "european",
    "extremist", "facebook", "february", "federation", "financing", "following", "for", "former",
    "foundation", "freedom", "from", "fund", "government", "group", "he", "her", "high", "his",
    "however", "human", "in", "international", "introduction", "it", "italian", "its", "january",
    "july", "june", "kazakhstan", "kazakhstani", "law", "list", "lithuania", "lithuanian", "manager",
    "many", "march", "may", "ministry", "movement", "national", "nations", "november", "october", "of",
    "office", "on", "open", "osce", "our", "pace", "parliament", "parliamentary", "party", "periodic",
    "police", "president", "project", "protocol", "rapporteur", "region", "republic", "review", "right",
    "rights", "russia", "russian", "september", "she", "since", "some", "special", "state", "states",
    "street", "submission", "supreme", "table", "terrorist", "the", "their", "there", "these", "they",
    "this", "to", "uk", "ukraine", "ukrainian", "un", "union", "united", "universal", "us", "usa", "we",
    "website", "what", "when", "where", "which", "while", "who", "whom", "with", "working",
})


@dataclass(frozen=True)
class Unplaced:
    name: str
    paragraphs: tuple[str, ...]
    why: str  # "bold" or "capitalised words"


@dataclass
class ReportReading:
    source: Node
    paragraphs: list[Paragraph]
    mentions: dict[str, list[str]] = field(default_factory=dict)  # node id -> paragraphs
    unplaced: list[Unplaced] = field(default_factory=list)
    #: names near a stored entity's, each waiting for an editor (`graph.identity`)
    candidates: list[Candidate] = field(default_factory=list)
    write: WriteReport | None = None

    def summary(self) -> str:
        lines = [f"{self.source.name} [{self.source.id}]: {len(self.paragraphs)} paragraphs, "
                 f"{len(self.mentions)} known entities mentioned"]
        lines += [f"  {node_id}: {', '.join(paras)}" for node_id, paras in self.mentions.items()]
        if self.candidates:
            lines.append("near names, linked only if an editor decides (repgraph review):")
            lines += [f"  {c.incoming.name} ~ {c.stored.name} [{c.stored.id}] ({c.how}, "
                      f"score {c.score:g}; "
                      f"{', '.join(x.paragraph or '' for x in c.incoming.citations)})"
                      for c in self.candidates]
        if self.unplaced:
            lines.append("names not in the graph, for review:")
            lines += [f"  {u.name} ({u.why}; {', '.join(u.paragraphs)})" for u in self.unplaced]
        if self.write is not None:
            lines.append(self.write.summary())
        return "\n".join(lines)


def _title(paragraphs: list[Paragraph], path: Path) -> str:
    front = paragraphs[0].text if paragraphs and paragraphs[0].label == "front" else ""
    for line in front.splitlines():
        if line.startswith("# "):
            return line[2:].strip()[:300]
    return path.name


def report_source(path: Path, paragraphs: list[Paragraph], footnotes: dict[str, str],
                  source_id: str | None) -> Node:
    node_id = source_id or re.sub(r"[^a-z0-9]+", "-", fold(path.stem)).strip("-")
    if not is_valid_id(node_id):
        raise InvalidData([Problem(str(path), None, "source", f"{node_id!r} is not a valid id; "
                                   "name the source with --source-id")])
    props: dict[str, object] = {"path": str(path)}
    if footnotes:
        props["footnotes"] = footnotes
    try:
        return Node(id=node_id, kind=NodeKind.SOURCE, name=_title(paragraphs, path),
                    properties=props, citations=[Citation(source=node_id, paragraph="front")])
    except ValidationError as exc:
        raise InvalidData([Problem(str(path), None, ".".join(map(str, e["loc"])),
                                   e["msg"].removeprefix("Value error, "))
                           for e in exc.errors()]) from exc


def _refused_text(path: Path, text: str, paragraphs: list[Paragraph],
                  footnotes: dict[str, str]) -> list[Problem]:
    """What is wrong with the text the source node keeps: its title and footnote URLs. The
    rest of a report is read, never stored, so a page break's form feed may stay in it."""
    lines = text.split("\n")  # as an editor counts them (splitlines also splits at a form feed)
    kept = [("title", _title(paragraphs, path)),
            *((f"footnote {number}", url) for number, url in footnotes.items())]
    return [Problem(str(path), next((n for n, line in enumerate(lines, 1) if value in line), None),
                    field, why) for field, value in kept if (why := refused_character(value))]


def _name_like(word: Word) -> bool:
    return word.text[:1].isupper() and not word.text.isupper() \
        and word.norm not in COMMON_CAPITALISED


def _candidates(text: str) -> list[tuple[str, int, int, str]]:
    """Name-like spans: pieces of bold text, and runs of two or three capitalised words."""
    out: list[tuple[str, int, int, str]] = []
    for bold in _BOLD.finditer(text):
        start = bold.start(1)
        for piece in _LIST_SPLIT.split(bold[1]):
            words = piece.split()
            offset = bold[1].find(piece)
            if 2 <= len(words) <= 4 and all(w[:1].isupper() for w in words):
                out.append((" ".join(words), start + offset, start + offset + len(piece), "bold"))
    runs: list[list[Word]] = []
    prev: Word | None = None
    for word in words_of(text):
        if _name_like(word):
            joined = prev is not None and runs and runs[-1][-1] is prev \
                and text[prev.end:word.start] == " "
            if joined:
                runs[-1].append(word)
            else:
                runs.append([word])
        prev = word
    for run in runs:
        if 2 <= len(run) <= 3:
            first, last = run[0], run[-1]
            out.append((text[first.start:last.end], first.start, last.end, "capitalised words"))
    return out


def read_report(path: Path, store: GraphStore, source_id: str | None = None,
                ) -> tuple[list[Node], list[Edge], ReportReading]:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InvalidData([Problem(str(path), None, "", f"cannot read: {exc}")]) from exc
    paragraphs, footnotes = split_paragraphs(text)
    refused = _refused_text(path, text, paragraphs, footnotes)
    if refused:
        raise InvalidData(refused)
    source = report_source(path, paragraphs, footnotes, source_id)
    source = store.find_nodes([source.id]).get(source.id, source)
    if source.kind is not NodeKind.SOURCE:
        raise InvalidData([Problem(str(path), None, "source",
                                   f"{source.id!r} exists and is a {source.kind}, not a source")])
    stored = list(store.iter_nodes())
    matcher = NameMatcher(stored)
    full = {p.label: matcher.full_matches(p.text) for p in paragraphs}
    named = {m.node_id for ms in full.values() for m in ms if m.how == "full name" and m.exact}
    reading = ReportReading(source, paragraphs)
    unplaced: dict[str, Unplaced] = {}
    near: dict[tuple[str, str], tuple[str, list[str]]] = {}  # (id, folded) -> written, paras
    for para in paragraphs:
        found: list[Match] = NameMatcher.resolve(
            full[para.label] + matcher.surname_matches(para.text, named))
        for m in found:
            if not m.exact:
                written = para.text[m.start:m.end]
                entry = near.setdefault((m.node_id, fold(written)), (written, []))
                if para.label not in entry[1]:
                    entry[1].append(para.label)
                continue
            cited = reading.mentions.setdefault(m.node_id, [])
            if para.label not in cited:
                cited.append(para.label)
        for name, start, end, why in _candidates(para.text):
            if any(m.start < end and start < m.end for m in found):
                continue
            key = fold(name)
            prev = unplaced.get(key)
            paras = (*prev.paragraphs, para.label) if prev else (para.label,)
            unplaced[key] = Unplaced(prev.name if prev else name, tuple(dict.fromkeys(paras)),
                                     prev.why if prev else why)
    reading.unplaced = list(unplaced.values())
    by_id = {n.id: n for n in stored}
    reading.candidates = [
        mention_candidate(by_id[node_id], source.id, written, paras,
                          fuzz.ratio(folded, fold(by_id[node_id].name)),
                          "surname" if len(folded.split()) == 1 else "similar", "import:text")
        for (node_id, folded), (written, paras) in near.items()
        # a near name of someone the same paragraphs name exactly adds nothing to review
        if not set(paras) <= set(reading.mentions.get(node_id, []))]
    if reading.unplaced:  # names in no record may still be near one (another spelling)
        index = NearNames(n for n in stored if n.kind is NodeKind.PERSON and not n.group)
        taken = {c.id for c in reading.candidates}
        for unknown in reading.unplaced:
            for hit in index.near(unknown.name, NodeKind.PERSON):
                proposal = mention_candidate(by_id[hit.node_id], source.id, unknown.name,
                                             unknown.paragraphs, hit.score, hit.how,
                                             "import:text")
                named = set(reading.mentions.get(hit.node_id, []))
                if hit.how != "exact" and proposal.id not in taken and not set(
                        unknown.paragraphs) <= named:
                    taken.add(proposal.id)
                    reading.candidates.append(proposal)
    edges = [Edge(type="MENTIONS", source=source.id, target=node_id,
                  citations=[Citation(source=source.id, paragraph=p) for p in paras])
             for node_id, paras in reading.mentions.items()]
    return [source], edges, reading


def import_report(path: Path, store: GraphStore, *, source_id: str | None = None) -> ReportReading:
    """Read a report and write its source node and MENTIONS edges in one atomic write."""
    nodes, edges, reading = read_report(path, store, source_id)
    reading.write = store.write(nodes, edges)
    return reading
