"""Redaction of restricted persons, on plain data (the API and pages build on this)."""

from __future__ import annotations

import json
from pathlib import Path

from graph.redaction import PLACEHOLDER, Redactor, load_secret
from schema.models import Citation, Node
from schema.vocabulary import NodeKind, Sensitivity

CITE = [Citation(source="doc", paragraph="1.1")]
KALYK = Node(id="kalyk-m", kind=NodeKind.PERSON, name="Kalyk Mendygazyev", aliases=["Калык"],
             sensitivity=Sensitivity.RESTRICTED, description="brother", citations=CITE)


def test_restricted_nodes_get_opaque_stable_pseudonyms(tmp_path: Path) -> None:
    secret = load_secret(tmp_path, None)
    assert load_secret(tmp_path, None) == secret, "kept beside the data"
    a, b = Redactor([KALYK], secret), Redactor([KALYK], secret)
    assert a.pseudonyms == b.pseudonyms
    pseudo = a.pseudonyms["kalyk-m"]
    assert pseudo.startswith("restricted-") and "kalyk" not in pseudo
    assert Redactor([KALYK], "other").pseudonyms["kalyk-m"] != pseudo
    assert a.real_id(pseudo) == "kalyk-m"
    assert a.real_id("kalyk-m") is None, "the real id of a restricted person is not public"
    assert a.real_id("someone-public") == "someone-public"


def test_redacting_data_removes_every_identifying_trace() -> None:
    r = Redactor([KALYK], "s")
    payload = {
        "id": "kalyk-m", "name": "Kalyk Mendygazyev", "aliases": ["Калык"],
        "description": "brother", "properties": {"place": "Almaty"},
        "relations": [{"id": "kalyk-m|FAMILY_OF|barlyk", "other": {"id": "barlyk",
                                                                    "name": "Barlyk"}}],
        "note": "Case against KALYK MENDYGAZYEV (Калык)",
    }
    out = r.data(payload)
    text = json.dumps(out, ensure_ascii=False)
    for trace in ("Kalyk", "kalyk", "Калык", "Almaty", "brother"):
        assert trace not in text
    assert out["name"] == PLACEHOLDER and out["id"] == r.pseudonyms["kalyk-m"]
    assert out["relations"][0]["other"] == {"id": "barlyk", "name": "Barlyk"}
    assert out["note"] == f"Case against {PLACEHOLDER} ({PLACEHOLDER})"


def test_escaped_forms_of_names_are_scrubbed_too() -> None:
    evil = KALYK.model_copy(update={"name": "<b>O'Brien & Co</b>", "aliases": []})
    r = Redactor([evil], "s")
    assert PLACEHOLDER in r.text("&lt;b&gt;O&#x27;Brien &amp; Co&lt;/b&gt;")
    assert "Brien" not in r.text("&lt;b&gt;O&#x27;Brien &amp; Co&lt;/b&gt;")


def test_nothing_restricted_means_data_passes_unchanged() -> None:
    r = Redactor([], "s")
    data = {"id": "x", "name": "Anyone"}
    assert r.data(data) is data and not r.active
