"""Property: over any graph, nothing that identifies a restricted person reaches the public.

Hypothesis draws small graphs (persons with names in several scripts, hostile
characters and aliases; organisations; cases named after persons; an agency;
cited edges whose notes and descriptions quote names) and marks each person
restricted at random. A public client then asks every API endpoint, every page
and every export about every entity, and no answer may contain a restricted
person's name or alias, a distinctive word of it (one no public person's name
uses, compared as `graph.names` folds words) or an id that names them (their own
id, or a public id built on such a word), in any escaping the output uses (raw,
HTML, JSON, CSV). `test_privacy_differential` proves the stronger property; this
one looks at the bytes, as a reader would.
"""

from __future__ import annotations

import html
import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from api.app import create_app
from exporters.formats import FORMATS
from graph.memory import MemoryStore
from graph.names import MIN_DISTINCTIVE, NameMatcher, key, stems
from graph.public import PublicView
from schema.models import STORED, Citation, Edge, Node
from schema.vocabulary import NodeKind, Sensitivity
from tests.conftest import app_settings

SECRET = "property-test-secret"
SOURCE = "src"
LATIN = ("zha", "nur", "bek", "tov", "yer", "kal", "dy", "gul", "mur", "sa", "ly", "rat", "ai",
         "bol", "ser", "khan")
SPICE = ("é", "ü", "ö", "ş", "ğ", "ı", "ñ", "ł", "ø", "ß", "ә", "қ", "ң", "ө", "ұ", "ү", "і")
CYRILLIC = ("Жан", "Нұр", "бек", "ов", "Қал", "Әли", "ұлы", "Сер", "гүл", "Ерж")
DECORATIONS = ("{a} {b}", "{a} {b} {c}", "{a} O'{b}", '{a} "{b}" {c}', "{a} <{b}>", "{a} & {b}",
               "{a}-{b}", "{a} `{b}`", "{a}  {b}", "{a} O'{b} \"{c}\" <&>")


@st.composite
def words(draw: st.DrawFn) -> str:
    if draw(st.booleans()):
        word = "".join(draw(st.lists(st.sampled_from(CYRILLIC), min_size=1, max_size=3)))
    else:
        word = "".join(draw(st.lists(st.sampled_from(LATIN), min_size=1, max_size=3)))
        if draw(st.booleans()):
            at = draw(st.integers(0, len(word)))
            word = word[:at] + draw(st.sampled_from(SPICE)) + word[at:]
    return word.capitalize() if draw(st.integers(0, 4)) else word


@st.composite
def names(draw: st.DrawFn) -> str:
    template = draw(st.sampled_from(DECORATIONS))
    return template.format(a=draw(words()), b=draw(words()), c=draw(words()))


@dataclass
class PersonSpec:
    name: str
    aliases: list[str]
    restricted: bool


EDGE_KINDS = ("FAMILY_OF", "TARGETED_THROUGH_RELATIVE", "ASSOCIATE_OF", "MEMBER_OF", "DETAINED",
              "DEFENDANT_IN")


@st.composite
def graphs(draw: st.DrawFn) -> tuple[list[Node], list[Edge]]:
    people = draw(st.lists(st.builds(PersonSpec, names(), st.lists(names(), max_size=2),
                                     st.booleans()), min_size=2, max_size=5))
    cite = [Citation(source=SOURCE, paragraph="1.1")]
    nodes = [Node(id=SOURCE, kind=NodeKind.SOURCE, name="Source document"),
             Node(id="security-agency", kind=NodeKind.AGENCY, name="Security Agency",
                  citations=cite)]
    persons: list[str] = []
    for i, spec in enumerate(people):
        node_id = f"{slug(spec.name)}-{i}"
        persons.append(node_id)
        nodes.append(Node(id=node_id, kind=NodeKind.PERSON, name=spec.name[:300],
                          aliases=spec.aliases, description=f"About {spec.name}",
                          properties={"place": draw(names())},
                          sensitivity=Sensitivity.RESTRICTED if spec.restricted
                          else Sensitivity.PUBLIC,
                          citations=[Citation(source=SOURCE, note=f"{spec.name} said so")]))
    orgs = []
    for j in range(draw(st.integers(0, 2))):
        about = draw(st.sampled_from(people)).name
        orgs.append(f"org-{j}")
        nodes.append(Node(id=f"org-{j}", kind=NodeKind.ORGANISATION,
                          name=f"{draw(words())} Movement", description=f"Founded by {about}",
                          citations=cite))
    cases = []
    for k, i in enumerate(sorted(set(draw(st.lists(st.integers(0, len(people) - 1),
                                                       max_size=3))))):
        surname = people[i].name.split()[-1]
        case_id = f"case-{slug(surname)}-{k}"
        cases.append(case_id)
        nodes.append(Node(id=case_id, kind=NodeKind.CASE, name=f"Case against {people[i].name}",
                          citations=cite))
    edges: dict[str, Edge] = {}
    for kind, a, b in draw(st.lists(st.tuples(st.sampled_from(EDGE_KINDS), st.integers(0, 99),
                                              st.integers(0, 99)), max_size=10)):
        src, dst = persons[a % len(persons)], persons[b % len(persons)]
        note = {"note": f"with {people[b % len(people)].name}"}
        if kind == "MEMBER_OF":
            if not orgs:
                continue
            dst, props = orgs[b % len(orgs)], {"role": people[a % len(people)].name}
        elif kind == "DEFENDANT_IN":
            if not cases:
                continue
            dst, props = cases[b % len(cases)], note
        elif kind == "DETAINED":
            src, props = "security-agency", note
        elif src == dst:
            continue
        else:
            props = {"FAMILY_OF": {"relation": "brother"},
                     "TARGETED_THROUGH_RELATIVE": {"measures": ["arrest"],
                                                   "purpose": people[b % len(people)].name},
                     "ASSOCIATE_OF": {}}[kind]
        edge = Edge(type=kind, source=src, target=dst, properties=props, date="2020-01",
                    citations=[Citation(source=SOURCE, paragraph="2.1",
                                        note=f"on {people[a % len(people)].name}")])
        edges.setdefault(edge.id, edge)
    return nodes, list(edges.values())


def slug(text: str) -> str:
    return "-".join(filter(None, (key(w) for w in re.findall(r"\w+", text)))) or "p"


@dataclass
class Secrets:
    """What must never reach the public, and the ids by which the public may ask."""

    phrases: set[str]
    words: set[str]
    ids: set[str]
    public_ids: dict[str, str]

    @classmethod
    def of(cls, nodes: list[Node]) -> Secrets:
        restricted = [n for n in nodes if n.restricted]
        public_stems = {s for n in nodes if n.kind is NodeKind.PERSON
                        and not n.restricted for label in (n.name, *n.aliases)
                        for w in re.findall(r"[^\W\d_]+", label) for s in stems(w)}
        words = {w for n in restricted for label in (n.name, *n.aliases)
                 for w in re.findall(r"[^\W\d_]+", label) if key(w)}
        distinctive = {w for w in words if len(key(w)) >= MIN_DISTINCTIVE
                       and not stems(w) & public_stems}
        # a label whose only words public persons use too is ambiguous in text: a lone
        # "Bek" may be the public Bek; only labels with a distinctive word or two words count,
        # and none that a public person's own label spells out (a public alias "Kal Nur" is
        # published as such, whoever else is called Kal Nur)
        public_labels = [_keys(label) for n in nodes if n.kind is NodeKind.PERSON
                         and not n.restricted for label in (n.name, *n.aliases)]
        phrases = {label for n in restricted for label in (n.name, *n.aliases)
                   if (set(_keys(label)) & {key(d) for d in distinctive}
                       or len(set(_keys(label))) >= 2)
                   and not any(_within(_keys(label), public) for public in public_labels)}
        slugs = {key(w) for w in distinctive}
        ids = {n.id for n in restricted} | {n.id for n in nodes
                                              if slugs & set(re.split(r"[-.]", n.id))}
        store = MemoryStore()
        store.write(nodes, [])
        view = PublicView(store, SECRET, 0)
        return cls(phrases, distinctive, ids, {n.id: view.public_id(n.id) for n in nodes})

    def leaks(self, text: str) -> list[str]:
        found = []
        for view in _readings(text):
            lowered = view.lower()
            found += [p for p in self.phrases
                      if re.search(rf"(?<!\w){re.escape(p.lower())}(?!\w)", lowered)]
            found += [w for w in self.words
                      if re.search(rf"(?<!\w){re.escape(w)}(?!\w)", view, re.IGNORECASE)]
            found += [i for i in self.ids
                      if re.search(rf"(?<![a-z0-9.-]){re.escape(i)}(?![a-z0-9-])", view)]
        return sorted(set(found))


def _keys(label: str) -> tuple[str, ...]:
    """A label's words as `graph.names` folds them, in order (words that fold to nothing
    left out)."""
    return tuple(filter(None, (key(w) for w in re.findall(r"[^\W\d_]+", label))))


def _within(words: tuple[str, ...], label: tuple[str, ...]) -> bool:
    """Whether `words` run, in order and next to each other, within `label`."""
    return any(label[i:i + len(words)] == words for i in range(len(label) - len(words) + 1))


_JSON_ESCAPE = re.compile(r"\\u([0-9a-fA-F]{4})")


def _readings(text: str) -> Iterator[str]:
    """The text as a reader (or a parser) may read it: raw, HTML-, JSON- and CSV-unescaped."""
    yield text
    yield html.unescape(text)
    unjson = _JSON_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), text).replace('\\"', '"')
    yield unjson
    yield html.unescape(unjson)
    yield text.replace('""', '"')


def _bodies(response: httpx.Response) -> Iterator[str]:
    if response.headers.get("content-type", "").startswith("application/zip"):
        with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
            for name in archive.namelist():
                yield archive.read(name).decode()
    else:
        yield response.text


def public_urls(nodes: list[Node], secrets: Secrets, pairs: list[tuple[int, int]]) -> list[str]:
    ids = [secrets.public_ids[n.id] for n in nodes]
    urls = ["/", "/api/relatives", "/viz/relatives", "/embed/relatives", "/viz/graph",
            "/embed/graph", "/api/stats", *(f"/api/export?format={f}"
                                            for f in ("csv", "ftm", "graphml", "gexf"))]
    for node in nodes:
        pid = secrets.public_ids[node.id]
        urls += [f"/api/entities/{pid}", f"/api/entities/{pid}/neighbourhood?depth=2",
                 f"/api/entities/{pid}/timeline", f"/entities/{pid}", f"/viz/entity/{pid}",
                 f"/embed/entity/{pid}?depth=2", f"/api/relatives?target={pid}"]
        if node.kind is NodeKind.CASE:
            urls += [f"/api/cases/{pid}/links", f"/viz/case/{pid}", f"/embed/case/{pid}"]
        for label in (node.name, *node.aliases):
            urls.append("/api/search?" + httpx.QueryParams({"q": label[:200]}).__str__())
    for a, b in pairs:
        query = httpx.QueryParams({"source": ids[a % len(ids)], "target": ids[b % len(ids)]})
        urls += [f"/api/paths?{query}&mode=all", f"/viz/path?{query}&mode=all"]
    return urls


@given(graph=graphs(), pairs=st.lists(st.tuples(st.integers(0, 99), st.integers(0, 99)),
                                      min_size=1, max_size=3))
@settings(max_examples=12, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture,
                                 HealthCheck.data_too_large])
def test_no_public_answer_names_a_restricted_person(
        graph: tuple[list[Node], list[Edge]], pairs: list[tuple[int, int]],
        tmp_path: Path) -> None:
    nodes, edges = graph
    store = MemoryStore()
    store.write(nodes, edges)
    secrets = Secrets.of(nodes)
    app = create_app(app_settings(tmp_path, redaction_secret=SECRET, rate_limit_burst=100_000),
                     store=store)
    with TestClient(app) as client:
        for url in public_urls(nodes, secrets, pairs):
            response = client.get(url)
            assert response.status_code < 500, (url, response.text[:300])
            for body in _bodies(response):
                assert not secrets.leaks(body), (url, secrets.leaks(body), body[:2000])
        for restricted in secrets.ids & {n.id for n in nodes if n.restricted}:
            for url in (f"/api/entities/{restricted}", f"/entities/{restricted}",
                        f"/viz/entity/{restricted}"):
                assert client.get(url).status_code == 404, url


# -- the leaks this property found, pinned ---------------------------------------------------

def test_the_public_csv_export_is_redacted_like_every_other_format(
        public_client: TestClient) -> None:
    """The zip was not textual, so a case named after a restricted person went out as is."""
    response = public_client.get("/api/export", params={"format": "csv"})
    tables = list(_bodies(response))
    assert len(tables) == 2 and "a restricted person" in tables[0]
    assert not any(t in body for body in tables
                   for t in ("Tasbolatova", "aigerim-tasbolatova", "case-tasbolatova"))


def test_a_name_with_a_sharp_s_is_scrubbed_as_written() -> None:
    """Casefolded terms ("strauss") no longer matched the name as written ("Strauß")."""
    anna = Node(id="anna-strauss", kind=NodeKind.PERSON, name="Anna Strauß",
                sensitivity=Sensitivity.RESTRICTED)
    matcher = NameMatcher([(anna.name, *anna.aliases)], [])
    assert "Strauß" not in matcher.scrub("Anna Strauß met Strauß; ANNA STRAUß")


def test_a_quoted_cyrillic_name_is_scrubbed_from_json_lines(tmp_path: Path) -> None:
    """JSON lines keep non-ASCII text but escape quotes: a form the byte scrubber lacked."""
    body = public_answer("/api/export?format=ftm", tmp_path, [
        Node(id="p", kind=NodeKind.PERSON, name='ержан "қал" нұр', citations=CITE,
             sensitivity=Sensitivity.RESTRICTED),
        Node(id="org-a", kind=NodeKind.ORGANISATION, name="Some Movement", citations=CITE,
             description='Met ержан "қал" нұр')])
    assert "ержан" not in body and "Met a restricted person" in body


CITE = [Citation(source=SOURCE, paragraph="1.1")]


def public_answer(url: str, tmp_path: Path, nodes: list[Node]) -> str:
    """What the public gets at `url` from a graph of the source and these nodes."""
    store = MemoryStore()
    store.write([Node(id=SOURCE, kind=NodeKind.SOURCE, name="Source document"), *nodes], [])
    with TestClient(create_app(app_settings(tmp_path, redaction_secret=SECRET),
                               store=store)) as client:
        return client.get(url).text


@pytest.mark.parametrize("fmt", ["gexf", "graphml"])
def test_a_quoted_name_is_scrubbed_from_xml_attributes(fmt: str, tmp_path: Path) -> None:
    """XML attributes escape double quotes but not single ones: a form the variants lacked,
    so a public person's description quoting a restricted name went out in GEXF."""
    nodes = [Node(id="ali-bek", kind=NodeKind.PERSON, name="Ali Bek", citations=CITE,
                  description='Met Ali O\'Bek "Bek" <&> at home'),
             Node(id="ali-o-bek", kind=NodeKind.PERSON, name='Ali O\'Bek "Bek" <&>',
                  citations=CITE, sensitivity=Sensitivity.RESTRICTED)]
    body = public_answer(f"/api/export?format={fmt}", tmp_path, nodes)
    assert "Met a restricted person" in body
    assert Secrets.of(nodes).phrases and not Secrets.of(nodes).leaks(body)


@pytest.mark.parametrize("url", ["/api/entities/org-a", "/api/export?format=ftm"])
def test_a_distinctive_word_after_an_escaped_line_break_is_scrubbed(url: str,
                                                                    tmp_path: Path) -> None:
    """In JSON text the letter of an escape ("\\n", "\\t") stands before the word, so
    "no word character before it" failed and the surname went out unredacted."""
    body = public_answer(url, tmp_path, [
        Node(id="org-a", kind=NodeKind.ORGANISATION, name="Some Movement", citations=CITE,
             description="Notes:\nYerimbetov was detained;\tYerimbetov\rYerimbetov"),
        Node(id="iskander-yerimbetov", kind=NodeKind.PERSON, name="Iskander Yerimbetov",
             citations=CITE, sensitivity=Sensitivity.RESTRICTED)])
    assert "a restricted person was detained" in body
    assert "Yerimbetov" not in body


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_public_export_records_are_scrubbed_before_any_format_writes_them(fmt: str) -> None:
    """The records are scrubbed, not the written text. FtM drops control characters, which
    joined "Seen with\\x1fYerimbetov" into one word that a scrub of the written text missed."""
    store = MemoryStore()
    store.write([Node(id=SOURCE, kind=NodeKind.SOURCE, name="Source document"),
                 # stored before imports refused control characters (schema.text), so read
                 # as stored records are
                 Node.model_validate({"id": "org-a", "kind": "organisation",
                                      "name": "Some Movement",
                                      "aliases": ["Iskander Yerimbetov's group"],
                                      "citations": CITE, "description": "Seen with\x1fYerimbetov",
                                      "properties": {"offices": ["Yerimbetov"]}}, context=STORED),
                 Node(id="iskander-yerimbetov", kind=NodeKind.PERSON, name="Iskander Yerimbetov",
                      citations=CITE, sensitivity=Sensitivity.RESTRICTED)], [])
    written = FORMATS[fmt].render(PublicView(store, SECRET, store.version))
    texts = ([zipfile.ZipFile(io.BytesIO(written)).read(n).decode()
              for n in zipfile.ZipFile(io.BytesIO(written)).namelist()]
             if fmt == "csv" else [written.decode()])
    assert all("Yerimbetov" not in text for text in texts)
    assert any("a restricted person" in text for text in texts)
