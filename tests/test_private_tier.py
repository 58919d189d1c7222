"""The private data tier: restricted records beside the dataset, loaded with it, never committed."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from cli.main import main
from config import Settings, get_settings
from graph import open_store
from tests.conftest import ROOT

#: a fictional restricted relative in the private tier, related to a person in data/
TIER_FILE = """\
source: kz-upr48-2024
nodes:
  - id: tier-test-relative
    kind: person
    name: Ainur Tiertestova
    roles: [relative]
    sensitivity: restricted
    description: Fictional, for a test.
    cite: ["2.9"]
edges:
  - {type: FAMILY_OF, from: tier-test-relative, to: daniyar-khasenov, relation: sister,
     cite: ["2.9"]}
"""


@pytest.fixture
def tier(tmp_path: Path, dataset_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A data directory of its own, the bundled dataset as the dataset folder, and a private
    tier folder (not yet created) beside it."""
    private = tmp_path / "private"
    monkeypatch.setenv("REPGRAPH_DATA_DIR", str(tmp_path / "store"))
    monkeypatch.setenv("REPGRAPH_DATASET_DIR", str(dataset_dir))
    monkeypatch.setenv("REPGRAPH_PRIVATE_DATASET_DIR", str(private))
    get_settings.cache_clear()
    yield private
    get_settings.cache_clear()


def _write_tier(private: Path, text: str = TIER_FILE) -> None:
    (private / "kz-upr48-2024").mkdir(parents=True)
    private.chmod(0o700)
    (private / "kz-upr48-2024" / "relatives.yaml").write_text(text)


def _stored(node_id: str) -> bool:
    with open_store(get_settings()) as store:
        return store.has_node(node_id)


def test_loading_the_dataset_loads_the_private_tier_beside_it(
        tier: Path, dataset_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _write_tier(tier)
    assert main(["load", "--replace", str(dataset_dir)]) == 0
    assert capsys.readouterr().err == ""
    assert _stored("tier-test-relative") and _stored("daniyar-khasenov")
    assert main(["load"]) == 0  # no path: the dataset folder, and the tier with it
    assert "0 changed" in capsys.readouterr().out


def test_without_a_private_tier_the_dataset_loads_alone_and_says_so_once(
        tier: Path, dataset_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["load", str(dataset_dir)]) == 0
    err = capsys.readouterr().err
    assert err == (f"no private data tier at {tier}: loading {dataset_dir} alone, "
                   "without restricted records\n")
    assert _stored("daniyar-khasenov") and not _stored("tier-test-relative")


def test_a_bad_record_in_the_private_tier_loads_nothing(
        tier: Path, dataset_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _write_tier(tier, TIER_FILE.replace("to: daniyar-khasenov", "to: nobody-at-all"))
    assert main(["load", str(dataset_dir)]) == 1
    assert "nobody-at-all" in capsys.readouterr().err
    assert not _stored("daniyar-khasenov"), "the dataset and the tier are one batch"


def test_loading_a_single_file_does_not_add_the_private_tier(
        tier: Path, dataset_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _write_tier(tier)
    assert main(["load", str(dataset_dir / "kz-upr48-2024" / "source.yaml")]) == 0
    assert capsys.readouterr().err == "" and not _stored("tier-test-relative")


def test_serve_load_without_paths_loads_the_dataset_and_the_tier(
        tier: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("api.server.serve", lambda *args, **kwargs: None)  # load, then no server
    _write_tier(tier)
    assert main(["serve", "--load"]) == 0
    assert _stored("tier-test-relative") and _stored("daniyar-khasenov")


def test_a_private_tier_open_to_other_users_is_loaded_with_a_warning(
        tier: Path, dataset_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _write_tier(tier)
    tier.chmod(0o755)
    assert main(["load", "--check", str(dataset_dir)]) == 0
    assert capsys.readouterr().err == (f"warning: the private data tier {tier} is open to "
                                       "other users (mode 755); chmod 700 it\n")


def test_a_private_tier_that_is_not_a_folder_is_an_error(
        tier: Path, dataset_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    tier.write_text("")
    assert main(["load", str(dataset_dir)]) == 2
    assert "is not a folder" in capsys.readouterr().err


def test_the_private_tier_is_never_committed() -> None:
    """git ignores the default private tier, whatever it holds."""
    if not (ROOT / ".git").exists():
        pytest.skip("not a git checkout")
    default: Path = Settings.model_fields["private_dataset_dir"].default
    assert default.parts[0] != "var", "`make clean` deletes var/"
    for path in (default / "kz-upr48-2024" / "persons.yaml", default / "README.md"):
        ignored = subprocess.run(["git", "-C", str(ROOT), "check-ignore", "-q", str(path)],
                                 check=False)
        assert ignored.returncode == 0, f"{path} is not ignored by git"
