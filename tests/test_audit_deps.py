"""The dependency audit's decisions (tools/audit_deps.py), on registry answers recorded in
tests/registry_answers/: no test here asks a registry."""

from __future__ import annotations

import io
import json
import threading
from collections.abc import Iterator, Sequence
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar

import pytest
from packaging.specifiers import SpecifierSet

from tools import audit_deps as audit

ANSWERS = Path(__file__).resolve().parent / "registry_answers"
TODAY = date(2026, 11, 30)
PY311, PY312 = "3.11.7", "3.12.4"


def answer(name: str) -> Any:
    return json.loads((ANSWERS / name).read_text(encoding="utf-8"))


EXAMPLELIB = answer("pypi-examplelib.json")
YANKEDLIB = answer("pypi-yankedlib.json")
PACKUMENTS = answer("npm-packuments.json")


def registry(documents: dict[str, Any]) -> audit.Fetch:
    """A fetch that answers from recorded documents, keyed by the package name in the URL."""

    def fetch(url: str) -> Any:
        return documents.get(url.removesuffix("/json").rsplit("/", 1)[-1].replace("%2f", "/"))

    return fetch


def npm_says(stdout: str | None) -> audit.Runner:
    def run(command: Sequence[str], cwd: Path) -> str | None:
        assert list(command[:2]) == ["npm", "audit"]
        return stdout

    return run


# --- PyPI --------------------------------------------------------------------------------


def test_latest_release_with_a_listed_advisory_fails_once_under_all_its_ids() -> None:
    findings, gaps = audit.judge_pypi("examplelib", "3.0.0", EXAMPLELIB, PY312)
    assert gaps == []
    [finding] = findings  # PYSEC and GHSA entries of one advisory; the withdrawn one is ignored
    assert set(finding.ids) == {"PYSEC-2026-9001", "GHSA-abcd-efgh-ijkl", "CVE-2026-90001"}
    assert finding.remedy == "fixed in 3.1.0rc1"
    assert "reads past the end" in finding.why and "osv.dev" in finding.why


def test_older_release_before_the_fix_on_its_line_fails_and_is_partly_unverifiable() -> None:
    findings, gaps = audit.judge_pypi("examplelib", "2.9.3", EXAMPLELIB, PY311)
    [finding] = findings
    assert finding.remedy == "fixed in 2.9.4, 3.1.0rc1"
    [gap] = gaps
    assert "latest release (3.0.0) only" in gap.why
    assert "no newer release installs on Python 3.11.7" not in gap.why  # 2.9.4 and 2.9.5 do


def test_older_release_with_the_fix_on_its_line_passes_but_is_reported() -> None:
    findings, gaps = audit.judge_pypi("examplelib", "2.9.5", EXAMPLELIB, PY311)
    assert findings == []
    [gap] = gaps
    assert gap.why.endswith("2.10.0 is the newest release for Python 3.11.7")  # 3.0.0 needs 3.12


def test_a_fix_on_an_older_line_does_not_cover_a_newer_one() -> None:
    [finding], [gap] = audit.judge_pypi("examplelib", "2.10.0", EXAMPLELIB, PY311)
    assert finding.remedy == "fixed in 3.1.0rc1"
    assert gap.why.endswith("no newer release installs on Python 3.11.7")


def test_the_latest_release_fails_on_its_advisory_even_after_an_earlier_fix_on_its_line() -> None:
    regression = {
        "id": "GHSA-regr-essi-onxx",
        "aliases": [],
        "details": "Came back in 1.2.1.",
        "fixed_in": ["1.2.0"],
    }
    project = {**YANKEDLIB, "vulnerabilities": [regression]}
    [finding], [] = audit.judge_pypi("yankedlib", "1.2.1", project, PY311)
    assert finding.ids == ("GHSA-regr-essi-onxx",) and finding.remedy == "no fixed release is listed"


def test_the_gap_says_what_holds_an_upgrade_back() -> None:
    _, [gap] = audit.judge_pypi("examplelib", "2.9.5", EXAMPLELIB, PY312)
    assert gap.why.endswith("upgrading to 3.0.0 would let it be checked")
    held = [("schemathing", SpecifierSet("<3"))]
    _, [gap] = audit.judge_pypi("examplelib", "2.9.5", EXAMPLELIB, PY312, held)
    assert gap.why.endswith("3.0.0 installs on Python 3.12.4, but schemathing wants <3")


def test_pins_come_from_requirements_outside_extras() -> None:
    dists = [
        audit.Installed(
            "schemathing", "1.0", requires=("examplelib<3,>=2.9", "extra-only<1; extra == 'dev'")
        ),
        audit.Installed("other", "2.0", requires=("Example_Lib>=2",)),
    ]
    found = audit.pins(dists)
    assert sorted(who for who, _ in found["examplelib"]) == ["schemathing"]
    assert [who for who, _ in found["example-lib"]] == ["other"]
    assert "extra-only" not in found


def test_a_yanked_release_fails_with_its_reason() -> None:
    findings, gaps = audit.judge_pypi("yankedlib", "1.2.0", YANKEDLIB, PY311)
    [finding] = findings
    assert finding.ids == ("yanked",)
    assert "Deletes files outside its cache folder" in finding.why
    assert [g.package for g in gaps] == ["yankedlib"]  # and 1.2.1 is newer


def test_a_local_build_is_judged_by_its_public_version() -> None:
    assert audit.judge_pypi("yankedlib", "1.2.1+cpu", YANKEDLIB, PY311) == ([], [])


def test_what_pypi_does_not_know_is_a_gap_not_a_finding() -> None:
    assert audit.judge_pypi("nowhere", "1.0", None, PY311)[0] == []
    [gap] = audit.judge_pypi("nowhere", "1.0", None, PY311)[1]
    assert "not on PyPI" in gap.why
    findings, [missing, older] = audit.judge_pypi("yankedlib", "0.9", YANKEDLIB, PY311)
    assert findings == [] and missing.why == "release 0.9 is not on PyPI"
    assert "latest release (1.2.1) only" in older.why
    findings, [gap] = audit.judge_pypi("yankedlib", "not-a-version", YANKEDLIB, PY311)
    assert findings == [] and "cannot be compared" in gap.why


def test_local_folders_are_skipped_and_registry_failures_are_errors() -> None:
    def fetch(url: str) -> Any:
        if "broken" in url:
            raise audit.AuditError("HTTP 503 from the index")
        return registry({"examplelib": EXAMPLELIB})(url)

    dists = [
        audit.Installed("repgraph", "0.1.0", local="installed from the folder file:///work"),
        audit.Installed("examplelib", "3.0.0"),
        audit.Installed("broken", "1.0"),
    ]
    section = audit.audit_python(dists, fetch, PY312, workers=2)
    assert section.checked == ["examplelib 3.0.0"]
    assert section.skipped == ["repgraph 0.1.0: installed from the folder file:///work"]
    assert [f.package for f in section.findings] == ["examplelib"]
    assert section.errors == ["broken 1.0: HTTP 503 from the index"]


def test_direct_url_tells_a_local_folder_from_an_index_install() -> None:
    assert audit._local_origin('{"dir_info": {"editable": true}, "url": "file:///work/main"}')
    assert audit._local_origin('{"vcs_info": {"vcs": "git"}, "url": "https://example.org/x.git"}')
    assert audit._local_origin('{"archive_info": {}, "url": "file:///wheels/x.whl"}') is None
    assert audit._local_origin(None) is None


# --- npm ---------------------------------------------------------------------------------


def test_npm_audit_report_gives_one_finding_per_advisory_on_its_package() -> None:
    packages = audit.locked_packages(ANSWERS / "npm-lock.json")
    section = audit.audit_npm(
        ANSWERS / "npm-lock.json", registry({}), npm_says(json.dumps(answer("npm-audit-report.json")))
    )
    [finding] = section.findings  # "wrapper" is affected only through parsetool
    assert (finding.package, finding.version) == ("parsetool", "1.2.5")
    assert finding.ids == ("GHSA-mnop-qrst-uvwx", "npm-1099999")
    assert section.checked == [f"{p.name} {p.version}" for p in packages]


@pytest.mark.parametrize("stdout", [json.dumps(answer("npm-audit-refused.json")), None, "npm ERR! oops"])
def test_when_npm_audit_is_refused_the_registry_metadata_decides(stdout: str | None) -> None:
    section = audit.audit_npm(ANSWERS / "npm-lock.json", registry(PACKUMENTS), npm_says(stdout))
    assert "did not run" in section.notes[0]
    if stdout and "405" in stdout:
        assert "405 Method Not Allowed" in section.notes[0]
    failing = {(f.package, f.ids[0]) for f in section.findings}
    assert failing == {("parsetool", "deprecated"), ("@scope/tampered", "integrity")}
    assert any("wrapper 2.0.0 is deprecated (not for security): Renamed" in n for n in section.notes)
    gaps = {g.package: g.why for g in section.gaps}
    assert gaps == {
        "gone": "not in the registry",
        "forked": "not from the registry (git+ssh://git@example.org/forked.git#abc)",
    }
    assert "linked" not in " ".join(section.checked)


def test_a_hanging_npm_audit_falls_back_too() -> None:
    def hangs(command: Sequence[str], cwd: Path) -> str | None:
        raise audit.AuditError("`npm audit` ran past 600 s")

    section = audit.audit_npm(ANSWERS / "npm-lock.json", registry(PACKUMENTS), hangs)
    assert section.notes[0].startswith("`npm audit` did not run (`npm audit` ran past 600 s)")
    assert {f.package for f in section.findings} == {"parsetool", "@scope/tampered"}


def test_a_registry_that_drops_deprecation_notices_leaves_deprecation_unverified() -> None:
    stripped = {
        name: json.loads(json.dumps(doc).replace('"deprecated"', '"was_deprecated"'))
        for name, doc in PACKUMENTS.items()
    }
    section = audit.audit_npm(ANSWERS / "npm-lock.json", registry(stripped), npm_says(None))
    assert {f.ids[0] for f in section.findings} == {"integrity"}
    unverified = {g.package for g in section.gaps if "serves no deprecation notices" in g.why}
    assert unverified == {"wrapper", "parsetool", "@scope/tampered", "clean"}


def test_an_old_lock_file_is_an_error() -> None:
    with pytest.raises(audit.AuditError, match="lockfileVersion 1"):
        audit.locked_packages(ANSWERS / "npm-packuments.json")


# --- exceptions and the whole run -----------------------------------------------------------


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "audit-exceptions.toml"
    path.write_text(text, encoding="utf-8")
    return path


EXCUSE_ALIAS = """
[[exception]]
ecosystem = "pypi"
package = "ExampleLib"
id = "cve-2026-90001"
version = "3.0.0"
reason = "repgraph never calls examplelib.parse"
until = 2026-12-31
"""


def test_an_exception_matches_any_alias_of_its_package_at_its_version_until_its_date(tmp_path: Path) -> None:
    [exemption] = audit.load_exemptions(write(tmp_path, EXCUSE_ALIAS))
    [finding] = audit.judge_pypi("examplelib", "3.0.0", EXAMPLELIB, PY312)[0]
    assert exemption.covers(finding)
    assert not exemption.covers(audit.judge_pypi("examplelib", "2.9.3", EXAMPLELIB, PY311)[0][0])
    settled = audit.settle([finding], [exemption], TODAY)
    assert settled.failing == [] and settled.excused == [(finding, exemption)]
    settled = audit.settle([finding], [exemption], date(2027, 1, 1))
    assert settled.failing == [finding] and settled.expired == [exemption]
    settled = audit.settle([], [exemption], TODAY)
    assert settled.unused == [exemption]


ENTRY = '[[exception]]\npackage = "x"\nid = "y"\n'


@pytest.mark.parametrize(
    ("text", "complaint"),
    [
        (ENTRY + 'ecosystem = "pypi"\nuntil = 2027-01-01\n', "'reason'"),
        (ENTRY + 'ecosystem = "pypi"\nreason = "z"\nuntil = "soon"\n', "'until'"),
        (ENTRY + 'ecosystem = "cargo"\nreason = "z"\nuntil = 2027-01-01\n', "one of"),
        (ENTRY + 'ecosystem = "npm"\nreason = "z"\nuntil = 2027-01-01\nwho = 1\n', "unknown"),
        ("[[exceptions]]\n", "only [[exception]]"),
        ("[[exception]\n", "cannot read"),
    ],
)
def test_a_bad_exceptions_file_stops_the_audit(tmp_path: Path, text: str, complaint: str) -> None:
    with pytest.raises(audit.AuditError, match=complaint.replace("[", r"\[")):
        audit.load_exemptions(write(tmp_path, text))


def run(tmp_path: Path, exceptions: str, documents: dict[str, Any], npm: str | None) -> tuple[int, str]:
    out = io.StringIO()
    fetch = registry(documents)
    dists = [audit.Installed("examplelib", "3.0.0"), audit.Installed("yankedlib", "1.2.1")]
    status = audit.run_audit(
        sections=[
            ("PyPI", lambda: audit.audit_python(dists, fetch, PY312, workers=1)),
            ("npm", lambda: audit.audit_npm(tmp_path / "package-lock.json", fetch, npm_says(npm))),
        ],
        exemptions_path=write(tmp_path, exceptions),
        today=TODAY,
        out=out,
    )
    return status, out.getvalue()


@pytest.fixture
def clean_lock(tmp_path: Path) -> Iterator[Path]:
    lock = {
        "lockfileVersion": 3,
        "packages": {"": {}, "node_modules/clean": {"version": "4.0.1", "integrity": "sha512-EEEE"}},
    }
    (tmp_path / "package-lock.json").write_text(json.dumps(lock), encoding="utf-8")
    yield tmp_path


def test_a_finding_fails_the_run_and_says_how_to_accept_it(clean_lock: Path) -> None:
    documents = {"examplelib": EXAMPLELIB, "yankedlib": YANKEDLIB, **PACKUMENTS}
    status, out = run(clean_lock, "", documents, None)
    assert status == 1
    assert "FAILING (1):\n  pypi examplelib 3.0.0: PYSEC-2026-9001 (" in out
    assert 'id = "PYSEC-2026-9001"\n      version = "3.0.0"' in out and "until = 2027-01-29" in out
    assert out.rstrip().endswith(
        "audit: 3 looked up, 0 unverifiable, 0 skipped, 0 excused, 1 failing, 0 unanswered"
    )


def test_an_excused_finding_passes_and_is_printed_with_its_reason(clean_lock: Path) -> None:
    documents = {"examplelib": EXAMPLELIB, "yankedlib": YANKEDLIB, **PACKUMENTS}
    status, out = run(clean_lock, EXCUSE_ALIAS, documents, None)
    assert status == 0
    assert "excused until 2026-12-31: pypi examplelib 3.0.0 PYSEC-2026-9001" in out
    assert "repgraph never calls examplelib.parse" in out and "FAILING" not in out


def test_an_unanswered_registry_fails_the_run_as_incomplete(clean_lock: Path) -> None:
    def fetch(url: str) -> Any:
        raise audit.AuditError(f"{url}: Name or service not known")

    out_io = io.StringIO()
    status = audit.run_audit(
        sections=[("npm", lambda: audit.audit_npm(clean_lock / "package-lock.json", fetch, npm_says(None)))],
        exemptions_path=clean_lock / "none.toml",
        today=TODAY,
        out=out_io,
    )
    assert status == 2
    assert "AUDIT INCOMPLETE" in out_io.getvalue() and "REPGRAPH_AUDIT_SKIP=1" in out_io.getvalue()


def test_a_missing_lock_file_is_reported_not_a_crash(tmp_path: Path) -> None:
    status, out = run(tmp_path, "", {"examplelib": EXAMPLELIB, "yankedlib": YANKEDLIB}, None)
    assert status == 1  # the PyPI finding still counts
    assert "npm: could not start" in out and "cannot read" in out


@pytest.mark.parametrize(
    ("environ", "skipped"),
    [
        ({}, False),
        ({"REPGRAPH_AUDIT_SKIP": "0"}, False),
        ({"REPGRAPH_AUDIT_SKIP": "1"}, True),
        ({"REPGRAPH_AUDIT_SKIP": "1", "CI": "true"}, False),
    ],
)
def test_skipping_takes_an_explicit_request_and_never_happens_under_ci(
    environ: dict[str, str], skipped: bool
) -> None:
    assert (audit.skip_reason(environ) is not None) == skipped


# --- the real HTTP client, against a server on this machine ------------------------------


class _Answers(BaseHTTPRequestHandler):
    asked: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        self.asked.append(self.path)
        status = {"/ok": 200, "/missing": 404, "/broken": 500, "/forbidden": 403}[self.path]
        body = b'{"ok": true}' if status == 200 else b""
        self.send_response(status)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def local_registry() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Answers)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def test_fetch_tells_missing_from_unreachable(local_registry: str) -> None:
    assert audit.fetch_json(f"{local_registry}/ok", attempts=1) == {"ok": True}
    assert audit.fetch_json(f"{local_registry}/missing", attempts=1) is None
    with pytest.raises(audit.AuditError, match="HTTP 500"):
        audit.fetch_json(f"{local_registry}/broken", attempts=1)
    with pytest.raises(audit.AuditError, match="HTTP 403"):
        audit.fetch_json(f"{local_registry}/forbidden", attempts=3)
    assert _Answers.asked.count("/forbidden") == 1  # not retried: the answer would not change
