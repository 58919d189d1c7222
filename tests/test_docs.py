from __future__ import annotations

from pathlib import Path

from schema.docs import render

ROOT = Path(__file__).resolve().parent.parent


def test_data_model_reference_is_current() -> None:
    checked_in = (ROOT / "docs" / "data-model.md").read_text(encoding="utf-8")
    assert checked_in == render(), "regenerate with: make docs"
