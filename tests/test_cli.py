"""The `repgraph` command as a person uses it: real files, a real data directory."""

from __future__ import annotations

import getpass
import json
from collections.abc import Callable
from pathlib import Path

import pytest

from api import audit
from cli.main import main
from config import get_settings


@pytest.fixture
def data_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("REPGRAPH_DATA_DIR", str(tmp_path / "store"))
    get_settings.cache_clear()
    yield tmp_path
    get_settings.cache_clear()


def test_load_then_stats(data_env: Path, dataset_dir: Path,
                         capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["load", str(dataset_dir)]) == 0
    assert "0 changed" in capsys.readouterr().out
    assert main(["stats"]) == 0
    out = capsys.readouterr().out
    assert "backend: memory" in out and "TARGETED_THROUGH_RELATIVE" in out


def test_path_by_exact_names_and_aliases(data_env: Path, dataset_dir: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    main(["load", str(dataset_dir)])
    capsys.readouterr()
    assert main(["query", "path", "iskander yerimbetov", "Mukhtar Ablyazov"]) == 0
    captured = capsys.readouterr()
    assert "[iskander-yerimbetov] - [bota-jardemalie] - [mukhtar-ablyazov]" in captured.out
    assert "Iskander Yerimbetov is the brother of Bota Jardemalie (kz-upr48-2024 para 3.7" \
        in captured.out
    assert "taking" not in captured.err


def test_path_ranked_and_through_generic_actors(data_env: Path, dataset_dir: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    main(["load", str(dataset_dir)])
    capsys.readouterr()
    assert main(["query", "path", "Bota Jardemalie", "case-zhylanbayev", "--max-hops", "5"]) == 0
    assert "connected only through acts of the Kazakhstani authorities" in capsys.readouterr().out
    assert main(["query", "path", "Bota Jardemalie", "case-zhylanbayev", "--max-hops", "5",
                 "--through-generic", "--ranked"]) == 0
    out = capsys.readouterr().out
    assert "[bota-jardemalie] - [kz-authorities]" in out and "score: 3 hops: 3" in out


def test_a_near_name_runs_nothing_and_lists_candidates(data_env: Path, dataset_dir: Path,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    main(["load", str(dataset_dir)])
    capsys.readouterr()
    assert main(["query", "timeline", "Zhilanbayev"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "no entity has the id or name 'Zhilanbayev'" in captured.err
    assert "did you mean: Marat Zhylanbayev [marat-zhylanbayev] (person)," in captured.err
    assert main(["query", "path", "Iskander Yerimbetov", "Ablyazof"]) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and "Mukhtar Ablyazov [mukhtar-ablyazov] (person)" in captured.err


def test_closest_takes_the_best_candidate_and_says_so(data_env: Path, dataset_dir: Path,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    main(["load", str(dataset_dir)])
    capsys.readouterr()
    assert main(["query", "timeline", "Zhilanbayev", "--closest"]) == 0
    captured = capsys.readouterr()
    assert ("--closest: taking 'Zhilanbayev' as Marat Zhylanbayev [marat-zhylanbayev] "
            "(person), similar ") in captured.err
    assert "sentenced in → Criminal case against Marat Zhylanbayev" in captured.out
    assert main(["query", "timeline", "qqqqqqqq", "--closest"]) == 2  # nothing to take


@pytest.mark.parametrize("name", ["marat zhylanbayev", "MARAT ZHYLANBAEV", "Марат Жыланбаев"])
def test_an_exact_name_after_folding_resolves(data_env: Path, dataset_dir: Path,
                                              capsys: pytest.CaptureFixture[str], name: str) -> None:
    main(["load", str(dataset_dir)])
    capsys.readouterr()
    assert main(["query", "timeline", name]) == 0
    captured = capsys.readouterr()
    assert "sentenced in → Criminal case" in captured.out and captured.err.count("\n") <= 1  # the tier note


def test_two_entities_with_one_name_resolve_to_neither(data_env: Path,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    twins = data_env / "twins.yaml"
    twins.write_text("nodes:\n"
                     "  - {id: ali-sadykov-1, kind: person, name: Ali Sadykov}\n"
                     "  - {id: ali-sadykov-2, kind: person, name: ALI SADYKOV, aliases: [Али Садыков]}\n")
    assert main(["load", str(twins)]) == 0
    capsys.readouterr()
    for argv in (["Ali Sadykov"], ["ali sadykov", "--closest"], ["Али Садыков"]):
        assert main(["query", "timeline", *argv]) == 2
        captured = capsys.readouterr()
        assert captured.out == ""
        assert "Ali Sadykov [ali-sadykov-1] (person)" in captured.err
        assert "ALI SADYKOV [ali-sadykov-2] (person)" in captured.err
    assert main(["query", "timeline", "ali-sadykov-2"]) == 0  # an id names one


def test_search_sets_weak_matches_apart(data_env: Path, dataset_dir: Path,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    main(["load", str(dataset_dir)])
    capsys.readouterr()
    assert main(["search", "Marta"]) == 0
    out = capsys.readouterr().out
    head, similar = out.split("similar names (not matches):")
    assert "no match" in head and "Marat Zhylanbayev [marat-zhylanbayev]" in similar
    assert main(["--json", "search", "Жыланбаев"]) == 0
    found = json.loads(capsys.readouterr().out)
    assert found["items"][0]["id"] == "marat-zhylanbayev"
    assert {"match", "score"} <= found["items"][0].keys()


def test_relatives_query(data_env: Path, dataset_dir: Path,
                         capsys: pytest.CaptureFixture[str]) -> None:
    main(["load", str(dataset_dir)])
    capsys.readouterr()
    assert main(["query", "relatives", "--target", "bota-jardemalie"]) == 0
    out = capsys.readouterr().out
    assert "Iskander Yerimbetov (brother) of Bota Jardemalie: arrest, torture in 2017" in out
    assert main(["query", "relatives", "--target", "barlyk-mendygazyev"]) == 0
    assert ("Kalyk Mendygazyev (brother) of Barlyk Mendygazyev: hostage_taking, torture, death"
            in capsys.readouterr().out)


def test_a_bad_file_exits_non_zero_with_every_problem(
        data_env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = data_env / "bad.yaml"
    bad.write_text("nodes:\n  - {id: X, kind: nope, name: x}\n")
    assert main(["load", str(bad)]) == 1
    err = capsys.readouterr().err
    assert f"{bad}:2: nodes[0].id:" in err and f"{bad}:2: nodes[0].kind:" in err
    assert "nothing was written" in err


def test_unknown_entity_exits_non_zero(data_env: Path, dataset_dir: Path,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    main(["load", str(dataset_dir)])
    assert main(["query", "timeline", "qqqqqqqq"]) == 2
    err = capsys.readouterr().err
    assert "no entity has the id or name 'qqqqqqqq'" in err and "no entity has a similar name" in err



def ann_yaml(sensitivity: str) -> str:
    stated = f", sensitivity: {sensitivity}" if sensitivity else ""
    return f"nodes:\n  - {{id: ann, kind: person, name: Ann Example{stated}}}\n"


def ann_csv(sensitivity: str) -> str:
    return f"id,kind,name,sensitivity\nann,person,Ann Example,{sensitivity}\n"


@pytest.mark.parametrize(("command", "name", "text"), [
    (["load"], "ann.yaml", ann_yaml), (["import", "--format", "csv"], "nodes.csv", ann_csv),
    (["serve", "--load"], "ann.yaml", ann_yaml),
], ids=["load", "import-csv", "serve-load"])
def test_a_load_that_makes_a_person_public_warns_and_is_audited(
        data_env: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
        command: list[str], name: str, text: Callable[[str], str]) -> None:
    monkeypatch.setattr("api.server.serve", lambda *args, **kwargs: None)  # load, then no server
    path = data_env / name
    for sensitivity in ("restricted", "", "public"):  # left out, it stays restricted
        path.write_text(text(sensitivity))
        assert main([*command, str(path)]) == 0
    assert capsys.readouterr().err == "warning: ann is now public (was restricted)\n"
    (entry,) = audit.read(get_settings().audit_log_path)
    assert entry["who"] == "cli:" + getpass.getuser() and entry["paths"] == [str(path)]
    assert entry["sensitivity_changes"] == [{"id": "ann", "before": "restricted", "after": "public"}]


def test_touch_has_nothing_to_do_on_the_embedded_store(
        data_env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["touch"]) == 0
    assert "nothing to do" in capsys.readouterr().out
