from __future__ import annotations

import re
from pathlib import Path

from graph.names import ENDINGS, MIN_DISTINCTIVE, MIN_IN_LINK, TRANSLITERATIONS
from schema.docs import render

ROOT = Path(__file__).resolve().parent.parent


def test_data_model_reference_is_current() -> None:
    checked_in = (ROOT / "docs" / "data-model.md").read_text(encoding="utf-8")
    assert checked_in == render(), "regenerate with: make docs"


def test_ethics_lists_exactly_the_name_forms_the_public_view_matches() -> None:
    """The set of 'their names' is documented: the guide and graph/names.py must agree."""
    ethics = (ROOT / "docs" / "ethics.md").read_text(encoding="utf-8")
    section = ethics.split("### Which words are a restricted person's name")[1].split("###")[0]
    assert re.findall(r"`([a-z]+)`→`([a-z]+)`", section) == list(TRANSLITERATIONS)
    assert re.findall(r"`-([a-z]+)`", section) == list(ENDINGS)
    assert f"at least {MIN_DISTINCTIVE} letters" in section and f"at least {MIN_IN_LINK}" in section
