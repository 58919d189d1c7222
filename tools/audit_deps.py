"""Audit the project's dependencies against what the package registries publish.

Run it with the project's virtual environment (`make audit`). It checks every Python
distribution installed in that environment and every package in the npm lock files of
tools/cypher-lint and tools/axe, and exits non-zero on a known problem that no exception covers.

Why not pip-audit and `npm audit` alone: here only the package registries are reachable.
pip-audit asks PyPI's per-release JSON or OSV, and `npm audit` posts to the registry's
advisory service; where those answer, this script still runs `npm audit` first. What the
registries always answer is used instead:

- PyPI's project JSON (`/pypi/<name>/json`) lists the advisories that affect the latest
  release, each with the releases that fix it, and every release's yanked flag. An
  installed release fails on a yank, and on a listed advisory unless one of its fixed
  releases is in the installed release's own line (same major.minor) and not newer.
  An installed release older than the latest one is reported as partly unverifiable:
  advisories fixed before the latest release are not in that answer.
- npm's package metadata has each version's deprecation notice and integrity hash. A
  notice that speaks of security fails, others are reported; a hash that differs from the
  lock file's fails. Some registry mirrors drop deprecation notices: a package the public
  registry deprecates in every version (DEPRECATION_CANARY) tells whether this one serves
  them, and where it does not, deprecation is reported as unverifiable.

Exceptions live in .ci/audit-exceptions.toml (see that file). Exit status: 0 nothing
failing, 1 a finding that no exception covers, 2 the audit could not run (a registry
unreachable, a bad exceptions or lock file): an audit that did not run proves nothing.
REPGRAPH_AUDIT_SKIP=1 skips it, loudly, on a machine without the network; never under CI.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import time
import tomllib
import urllib.error
import urllib.request
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from functools import partial
from importlib import metadata
from pathlib import Path
from typing import Any, TextIO

from packaging.requirements import InvalidRequirement, Requirement
from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.utils import canonicalize_name
from packaging.version import InvalidVersion, Version

ROOT = Path(__file__).resolve().parent.parent
EXCEPTIONS = ROOT / ".ci" / "audit-exceptions.toml"
NPM_LOCK = ROOT / "tools" / "cypher-lint" / "package-lock.json"
#: every npm lock the tests install from: the Cypher linter and axe-core
NPM_LOCKS = (NPM_LOCK, ROOT / "tools" / "axe" / "package-lock.json")
PYPI = "https://pypi.org/pypi"
NPM_REGISTRY = "https://registry.npmjs.org"
SKIP_VAR = "REPGRAPH_AUDIT_SKIP"
#: Deprecated by the public npm registry in every version it has.
DEPRECATION_CANARY = "inflight"
#: A deprecation notice with one of these is a security notice, and fails the audit.
SECURITY_WORDS = re.compile(r"secur|vulnerab|\bcve-|\bghsa-|exploit|malicious|compromis", re.IGNORECASE)
ECOSYSTEMS = ("pypi", "npm")
EXEMPTION_KEYS = {"ecosystem", "package", "id", "version", "reason", "until"}

#: Parsed JSON as a registry sent it; every use checks the shape it needs.
Json = Any
#: GETs a URL's JSON: None when the registry says it has no such thing (404, 410);
#: raises AuditError when it could not be asked.
Fetch = Callable[[str], Json | None]
#: Runs a command in a folder and gives its standard output; None when it is not installed;
#: raises AuditError when it hangs.
Runner = Callable[[Sequence[str], Path], str | None]


class AuditError(Exception):
    """The audit, or part of it, could not run."""


@dataclass(frozen=True)
class Finding:
    """A known problem with an installed or locked package: it fails the audit."""

    ecosystem: str
    package: str
    version: str
    #: the advisory's id and its aliases, or the check's name ("yanked", "deprecated", "integrity")
    ids: tuple[str, ...]
    why: str
    remedy: str = ""

    @property
    def label(self) -> str:
        aliases = f" ({', '.join(self.ids[1:])})" if len(self.ids) > 1 else ""
        return f"{self.ids[0]}{aliases}"


@dataclass(frozen=True)
class Gap:
    """Something about a package this audit could not check: reported, never failing."""

    ecosystem: str
    package: str
    version: str
    why: str


@dataclass(frozen=True)
class Exemption:
    """One entry of the exceptions file: a finding accepted until a date."""

    ecosystem: str
    package: str
    id: str
    reason: str
    until: date
    version: str | None = None

    def covers(self, finding: Finding) -> bool:
        return (
            self.ecosystem == finding.ecosystem
            and _name(self.ecosystem, self.package) == _name(finding.ecosystem, finding.package)
            and self.id.casefold() in {i.casefold() for i in finding.ids}
            and self.version in (None, finding.version)
        )


@dataclass
class Section:
    """What the audit of one ecosystem found."""

    title: str
    checked: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    gaps: list[Gap] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


@dataclass
class Settlement:
    """The findings split by the exceptions file."""

    failing: list[Finding]
    excused: list[tuple[Finding, Exemption]]
    expired: list[Exemption]
    unused: list[Exemption]


@dataclass(frozen=True)
class Installed:
    name: str
    version: str
    #: why it is not looked up on PyPI, when it is not
    local: str | None = None
    #: its requirements as its metadata states them (PEP 508)
    requires: tuple[str, ...] = ()


def _name(ecosystem: str, package: str) -> str:
    return str(canonicalize_name(package)) if ecosystem == "pypi" else package


# --- Python: PyPI's project JSON -------------------------------------------------------


def installed_distributions() -> list[Installed]:
    """Every distribution this interpreter sees, first one of a name wins (as imports do)."""
    found: dict[str, Installed] = {}
    for dist in metadata.distributions():
        name = canonicalize_name(dist.name or "")
        if not name or name in found:
            continue
        origin = _local_origin(dist.read_text("direct_url.json"))
        found[name] = Installed(name, dist.version, origin, tuple(dist.requires or ()))
    return sorted(found.values(), key=lambda d: d.name)


def _local_origin(direct_url: str | None) -> str | None:
    """PEP 610: a local folder is the project's own code; a VCS checkout is not on PyPI."""
    if not direct_url:
        return None
    try:
        origin = json.loads(direct_url)
    except json.JSONDecodeError:
        return None
    if not isinstance(origin, dict):
        return None
    if "dir_info" in origin:
        return f"installed from the folder {origin.get('url', '?')}"
    if "vcs_info" in origin:
        return f"installed from version control ({origin.get('url', '?')}), not from PyPI"
    return None


def _versions(values: Iterable[object]) -> list[Version]:
    parsed = []
    for value in values:
        try:
            parsed.append(Version(str(value)))
        except InvalidVersion:
            continue
    return parsed


def _releases(project: Mapping[str, Any]) -> dict[Version, list[dict[str, Any]]]:
    releases = project.get("releases")
    if not isinstance(releases, dict):
        return {}
    out: dict[Version, list[dict[str, Any]]] = {}
    for key, files in releases.items():
        try:
            out[Version(key)] = [f for f in files if isinstance(f, dict)] if isinstance(files, list) else []
        except InvalidVersion:
            continue
    return out


def _python_ok(requires: object, python: str) -> bool:
    if not isinstance(requires, str) or not requires.strip():
        return True
    try:
        return SpecifierSet(requires).contains(python, prereleases=True)
    except InvalidSpecifier:
        return True


def _newest_for(releases: Mapping[Version, list[dict[str, Any]]], python: str) -> Version | None:
    """The newest final release with a file that is not yanked and installs on this Python."""
    usable = [
        v
        for v, files in releases.items()
        if not v.is_prerelease
        and any(not f.get("yanked") and _python_ok(f.get("requires_python"), python) for f in files)
    ]
    return max(usable, default=None)


def pins(dists: Iterable[Installed]) -> dict[str, list[tuple[str, SpecifierSet]]]:
    """Who requires each package with which versions (extras left out): what can hold one back."""
    found: dict[str, list[tuple[str, SpecifierSet]]] = {}
    for dist in dists:
        for line in dist.requires:
            try:
                requirement = Requirement(line)
            except InvalidRequirement:
                continue
            if requirement.specifier and (
                requirement.marker is None or requirement.marker.evaluate({"extra": ""})
            ):
                found.setdefault(canonicalize_name(requirement.name), []).append(
                    (dist.name, requirement.specifier)
                )
    return found


def _not_latest(
    mine: Version,
    latest: Version,
    releases: Mapping[Version, list[dict[str, Any]]],
    python: str,
    held_by: Sequence[tuple[str, SpecifierSet]],
) -> str:
    if mine > latest:
        return f"newer than the latest final release {latest}, whose advisories are all PyPI lists"
    why = f"PyPI lists advisories for its latest release ({latest}) only: any fixed after {mine} go unseen"
    newest = _newest_for(releases, python)
    if newest is None or newest <= mine:
        return f"{why}; no newer release installs on Python {python}"
    holds = [f"{who} wants {spec}" for who, spec in held_by if not spec.contains(newest, prereleases=True)]
    if holds:
        return f"{why}; {newest} installs on Python {python}, but {' and '.join(holds)}"
    if newest == latest:
        return f"{why}; upgrading to {latest} would let it be checked"
    return f"{why}; {newest} is the newest release for Python {python}"


def _merge_aliases(findings: list[Finding]) -> list[Finding]:
    """PyPI lists one advisory once per database (PYSEC, GHSA): one finding each."""
    merged: list[Finding] = []
    for finding in findings:
        for n, seen in enumerate(merged):
            if set(finding.ids) & set(seen.ids):
                merged[n] = replace(seen, ids=seen.ids + tuple(i for i in finding.ids if i not in seen.ids))
                break
        else:
            merged.append(finding)
    return merged


def _advisory_text(entry: Mapping[str, Any]) -> str:
    text = entry.get("summary") or entry.get("details") or "no description"
    first = " ".join(str(text).split())
    short = first if len(first) <= 160 else first[:157] + "..."
    link = entry.get("link")
    return f"{short} {link}" if link else short


def judge_pypi(
    name: str,
    installed: str,
    project: Json | None,
    python: str,
    held_by: Sequence[tuple[str, SpecifierSet]] = (),
) -> tuple[list[Finding], list[Gap]]:
    """Decide from PyPI's project JSON whether an installed release fails, and what is unknown."""
    if not isinstance(project, dict):
        return [], [Gap("pypi", name, installed, "not on PyPI (it answers 404): nothing is known about it")]
    try:
        mine = Version(Version(installed).public)
        latest = Version(str(project["info"]["version"]))
    except (InvalidVersion, KeyError, TypeError) as exc:
        return [], [Gap("pypi", name, installed, f"versions cannot be compared ({exc})")]
    releases = _releases(project)
    findings: list[Finding] = []
    gaps: list[Gap] = []
    files = releases.get(mine)
    if files is None:
        gaps.append(Gap("pypi", name, installed, f"release {mine} is not on PyPI"))
    elif files and all(f.get("yanked") for f in files):
        reason = next((f["yanked_reason"] for f in files if f.get("yanked_reason")), "no reason given")
        findings.append(
            Finding(
                "pypi",
                name,
                installed,
                ("yanked",),
                f"release {mine} is yanked: {reason}",
                f"install another release (the latest is {latest})",
            )
        )
    advisories = project.get("vulnerabilities")
    for entry in advisories if isinstance(advisories, list) else []:
        if not isinstance(entry, dict) or entry.get("withdrawn") or not entry.get("id"):
            continue
        fixes = _versions(entry.get("fixed_in") or [])
        if mine != latest and any(f <= mine and f.release[:2] == mine.release[:2] for f in fixes):
            continue
        later = sorted(f for f in fixes if f > mine)
        remedy = f"fixed in {', '.join(map(str, later))}" if later else "no fixed release is listed"
        ids = (str(entry["id"]), *(str(a) for a in entry.get("aliases") or []))
        findings.append(Finding("pypi", name, installed, ids, _advisory_text(entry), remedy))
    if mine != latest:
        gaps.append(Gap("pypi", name, installed, _not_latest(mine, latest, releases, python, held_by)))
    return _merge_aliases(findings), gaps


def audit_python(
    dists: Sequence[Installed], fetch: Fetch, python: str, *, index: str = PYPI, workers: int = 8
) -> Section:
    section = Section(f"PyPI: {len(dists)} distributions installed for Python {python}")
    remote = [d for d in dists if d.local is None]
    section.skipped = [f"{d.name} {d.version}: {d.local}" for d in dists if d.local is not None]

    def ask(dist: Installed) -> Json | AuditError | None:
        try:
            return fetch(f"{index}/{dist.name}/json")
        except AuditError as exc:
            return exc

    with ThreadPoolExecutor(max_workers=workers) as pool:
        answers = list(pool.map(ask, remote))
    holds = pins(dists)
    for dist, answer in zip(remote, answers, strict=True):
        if isinstance(answer, AuditError):
            section.errors.append(f"{dist.name} {dist.version}: {answer}")
            continue
        findings, gaps = judge_pypi(dist.name, dist.version, answer, python, holds.get(dist.name, []))
        section.checked.append(f"{dist.name} {dist.version}")
        section.findings += findings
        section.gaps += gaps
    return section


# --- npm: `npm audit`, else the registry's package metadata ---------------------------


@dataclass(frozen=True)
class Locked:
    name: str
    version: str
    integrity: str | None
    resolved: str | None


def locked_packages(lock: Path) -> list[Locked]:
    try:
        data = json.loads(lock.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise AuditError(f"cannot read {lock}: {exc}") from exc
    packages = data.get("packages") if isinstance(data, dict) else None
    if not isinstance(packages, dict):
        raise AuditError(f"{lock} has no 'packages' (lockfileVersion 1?): run `npm install` to update it")
    found = []
    for key, entry in packages.items():
        if "node_modules/" not in key or not isinstance(entry, dict) or entry.get("link"):
            continue
        name = entry.get("name") or key.rsplit("node_modules/", 1)[1]
        if "version" in entry:
            found.append(Locked(name, str(entry["version"]), entry.get("integrity"), entry.get("resolved")))
    return found


def _npm_audit_report(stdout: str | None) -> tuple[dict[str, Any] | None, str]:
    """`npm audit --json`'s report, or None and why there is none."""
    if stdout is None:
        return None, "npm is not installed"
    try:
        answer = json.loads(stdout)
    except json.JSONDecodeError:
        return None, f"its output is not JSON: {stdout.strip()[:200]!r}"
    if isinstance(answer, dict) and isinstance(answer.get("vulnerabilities"), dict):
        return answer, ""
    if isinstance(answer, dict):
        error = answer.get("error")
        detail = answer.get("message") or (error.get("summary") if isinstance(error, dict) else None)
        return None, str(detail or "no report in its output")
    return None, "no report in its output"


def judge_npm_audit(report: Mapping[str, Any], packages: Sequence[Locked]) -> list[Finding]:
    """Findings from a report `npm audit` did produce: each advisory on the package it names."""
    versions: dict[str, list[str]] = {}
    for package in packages:
        versions.setdefault(package.name, []).append(package.version)
    findings = []
    for name, entry in report["vulnerabilities"].items():
        vias = entry.get("via") if isinstance(entry, dict) else None
        for via in vias if isinstance(vias, list) else []:
            if not isinstance(via, dict):
                continue  # a package name: the advisory is on that package, listed itself
            url = str(via.get("url") or "")
            ghsa = re.search(r"GHSA(-[0-9a-z]{4}){3}", url)
            ids = (*([ghsa.group(0)] if ghsa else []), f"npm-{via.get('source')}")
            findings.append(
                Finding(
                    "npm",
                    name,
                    ", ".join(versions.get(name, ["?"])),
                    ids,
                    f"{via.get('severity', '?')}: {via.get('title', 'no title')} {url}".strip(),
                    f"affected {via.get('range', '?')}",
                )
            )
    return findings


def _sri(value: object) -> dict[str, str]:
    hashes = {}
    for part in str(value or "").split():
        algorithm, _, digest = part.partition("-")
        if digest:
            hashes[algorithm] = digest
    return hashes


def judge_npm_metadata(
    package: Locked, document: Json | None, registry: str, deprecations_served: bool
) -> tuple[list[Finding], list[Gap], list[str]]:
    """Decide from a package's registry metadata: findings, gaps and notes."""
    if package.resolved and not package.resolved.startswith(registry):
        return (
            [],
            [Gap("npm", package.name, package.version, f"not from the registry ({package.resolved})")],
            [],
        )
    versions = document.get("versions") if isinstance(document, dict) else None
    if not isinstance(versions, dict):
        return [], [Gap("npm", package.name, package.version, "not in the registry")], []
    meta = versions.get(package.version)
    if not isinstance(meta, dict):
        return [], [Gap("npm", package.name, package.version, "this version is not in the registry")], []
    findings, gaps, notes = [], [], []
    notice = meta.get("deprecated")
    if isinstance(notice, str) and notice.strip():
        if SECURITY_WORDS.search(notice):
            findings.append(
                Finding(
                    "npm",
                    package.name,
                    package.version,
                    ("deprecated",),
                    f"deprecated for security: {notice}",
                    "move to a version without the notice",
                )
            )
        else:
            notes.append(f"{package.name} {package.version} is deprecated (not for security): {notice}")
    elif not deprecations_served:
        gaps.append(
            Gap(
                "npm",
                package.name,
                package.version,
                f"this registry serves no deprecation notices (none on {DEPRECATION_CANARY}, "
                "deprecated upstream), so deprecation was not checked",
            )
        )
    mine, theirs = _sri(package.integrity), _sri((meta.get("dist") or {}).get("integrity"))
    if any(mine[a] != theirs[a] for a in mine.keys() & theirs.keys()):
        findings.append(
            Finding(
                "npm",
                package.name,
                package.version,
                ("integrity",),
                "the lock file's integrity hash differs from the registry's",
                "find out who changed the package or the lock before anything else",
            )
        )
    return findings, gaps, notes


def _npm_url(registry: str, name: str) -> str:
    return f"{registry}/{name.replace('/', '%2f')}"


def audit_npm(lock: Path, fetch: Fetch, run: Runner, *, registry: str = NPM_REGISTRY) -> Section:
    packages = locked_packages(lock)
    section = Section(f"npm: {len(packages)} packages locked in {_shown(lock)}")
    try:
        report, refusal = _npm_audit_report(
            run(["npm", "audit", "--json", "--package-lock-only"], lock.parent)
        )
    except AuditError as exc:
        report, refusal = None, str(exc)
    if report is not None:
        section.notes.append("`npm audit` ran against the registry's advisory service")
        section.checked = [f"{p.name} {p.version}" for p in packages]
        section.findings = judge_npm_audit(report, packages)
        return section
    section.notes.append(f"`npm audit` did not run ({refusal}); read the registry's package metadata instead")
    try:
        canary = fetch(_npm_url(registry, DEPRECATION_CANARY))
        documents = {name: fetch(_npm_url(registry, name)) for name in sorted({p.name for p in packages})}
    except AuditError as exc:
        section.errors.append(str(exc))
        return section
    canary_versions = canary.get("versions") if isinstance(canary, dict) else None
    served = isinstance(canary_versions, dict) and any(
        isinstance(v, dict) and v.get("deprecated") for v in canary_versions.values()
    )
    for package in packages:
        findings, gaps, notes = judge_npm_metadata(package, documents[package.name], registry, served)
        section.checked.append(f"{package.name} {package.version}")
        section.findings += findings
        section.gaps += gaps
        section.notes += notes
    return section


# --- exceptions -----------------------------------------------------------------------


def load_exemptions(path: Path) -> list[Exemption]:
    if not path.exists():
        return []
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise AuditError(f"cannot read {path}: {exc}") from exc
    if set(data) - {"exception"}:
        other = sorted(set(data) - {"exception"})
        raise AuditError(f"{path}: only [[exception]] tables belong there, not {other}")
    exemptions = []
    for n, entry in enumerate(data.get("exception", []), 1):
        where = f"{path.name}, exception {n}"
        unknown = set(entry) - EXEMPTION_KEYS
        if unknown:
            raise AuditError(f"{where}: unknown keys {sorted(unknown)}")
        for key in ("ecosystem", "package", "id", "reason"):
            if not isinstance(entry.get(key), str) or not entry[key].strip():
                raise AuditError(f"{where}: '{key}' must be a non-empty string")
        if entry["ecosystem"] not in ECOSYSTEMS:
            raise AuditError(f"{where}: ecosystem must be one of {ECOSYSTEMS}")
        if "version" in entry and not isinstance(entry["version"], str):
            raise AuditError(f"{where}: 'version' must be a string")
        until = entry.get("until")
        if isinstance(until, datetime):
            until = until.date()
        if not isinstance(until, date):
            raise AuditError(f"{where}: 'until' must be a date such as 2027-01-31 (no quotes)")
        exemptions.append(
            Exemption(
                entry["ecosystem"],
                entry["package"],
                entry["id"],
                entry["reason"],
                until,
                entry.get("version"),
            )
        )
    return exemptions


def settle(findings: Sequence[Finding], exemptions: Sequence[Exemption], today: date) -> Settlement:
    live = [e for e in exemptions if e.until >= today]
    failing, excused = [], []
    for finding in findings:
        cover = next((e for e in live if e.covers(finding)), None)
        if cover is None:
            failing.append(finding)
        else:
            excused.append((finding, cover))
    used = {id(e) for _, e in excused}
    return Settlement(
        failing, excused, [e for e in exemptions if e.until < today], [e for e in live if id(e) not in used]
    )


# --- the report -----------------------------------------------------------------------


def _shown(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(ROOT))
    except ValueError:
        return str(path)


def _write_section(section: Section, out: TextIO) -> None:
    print(f"\n{section.title}", file=out)
    print(f"  looked up: {len(section.checked)}", file=out)
    for line in section.notes:
        print(f"  note: {line}", file=out)
    for line in section.skipped:
        print(f"  skipped: {line}", file=out)
    by_why: dict[str, list[str]] = {}
    for gap in section.gaps:
        by_why.setdefault(gap.why, []).append(f"{gap.package} {gap.version}")
    if section.gaps:
        print(f"  unverifiable, not failing ({len(section.gaps)}):", file=out)
    for why, packages in by_why.items():
        print(f"    {', '.join(packages)}: {why}", file=out)
    for line in section.errors:
        print(f"  ERROR, registry not answering: {line}", file=out)


def _write_exemption_hint(finding: Finding, today: date, out: TextIO) -> None:
    print("    to accept it for now, add to .ci/audit-exceptions.toml (with a real reason):", file=out)
    print("      [[exception]]", file=out)
    print(f'      ecosystem = "{finding.ecosystem}"', file=out)
    print(f'      package = "{finding.package}"', file=out)
    print(f'      id = "{finding.ids[0]}"', file=out)
    if "," not in finding.version:
        print(f'      version = "{finding.version}"', file=out)
    print('      reason = "why it does not affect repgraph, or why it must wait"', file=out)
    print(f"      until = {today + timedelta(days=60)}", file=out)


def run_audit(
    *,
    sections: Sequence[tuple[str, Callable[[], Section]]],
    exemptions_path: Path,
    today: date,
    out: TextIO,
) -> int:
    """Runs each section's audit, prints the report, and gives the exit status."""
    print(f"Dependency audit, {today} (tools/audit_deps.py; exceptions: {_shown(exemptions_path)})", file=out)
    try:
        exemptions = load_exemptions(exemptions_path)
    except AuditError as exc:
        print(f"\nAUDIT DID NOT RUN: {exc}", file=out)
        return 2
    done: list[Section] = []
    for name, audit in sections:
        try:
            done.append(audit())
        except AuditError as exc:
            done.append(Section(f"{name}: could not start", errors=[str(exc)]))
    for section in done:
        _write_section(section, out)
    settled = settle([f for s in done for f in s.findings], exemptions, today)
    print(f"\nExceptions: {len(exemptions)} in the file", file=out)
    for finding, exemption in settled.excused:
        print(
            f"  excused until {exemption.until}: {finding.ecosystem} {finding.package} {finding.version} "
            f"{finding.label}: {exemption.reason}",
            file=out,
        )
    for exemption in settled.expired:
        print(
            f"  EXPIRED on {exemption.until}, no longer honoured: {exemption.ecosystem} {exemption.package} "
            f"{exemption.id}",
            file=out,
        )
    for exemption in settled.unused:
        print(
            f"  matches nothing now (remove it?): {exemption.ecosystem} {exemption.package} {exemption.id}",
            file=out,
        )
    if settled.failing:
        print(f"\nFAILING ({len(settled.failing)}):", file=out)
    for finding in settled.failing:
        print(f"  {finding.ecosystem} {finding.package} {finding.version}: {finding.label}", file=out)
        print(f"    {finding.why}", file=out)
        if finding.remedy:
            print(f"    remedy: {finding.remedy}", file=out)
        _write_exemption_hint(finding, today, out)
    errors = [e for s in done for e in s.errors]
    if errors:
        print(
            f"\nAUDIT INCOMPLETE: {len(errors)} registry question(s) went unanswered (listed above).",
            file=out,
        )
        print(
            f"An audit that did not run proves nothing, so this fails; offline, {SKIP_VAR}=1 skips it.",
            file=out,
        )
    counts = [
        f"{sum(len(s.checked) for s in done)} looked up",
        f"{sum(len(s.gaps) for s in done)} unverifiable",
        f"{sum(len(s.skipped) for s in done)} skipped",
        f"{len(settled.excused)} excused",
        f"{len(settled.failing)} failing",
        f"{len(errors)} unanswered",
    ]
    print(f"\naudit: {', '.join(counts)}", file=out)
    return 1 if settled.failing else 2 if errors else 0


# --- the real registries --------------------------------------------------------------


def fetch_json(url: str, *, attempts: int = 3, timeout: float = 60) -> Json | None:
    headers = {"Accept": "application/json", "User-Agent": "repgraph-audit"}
    request = urllib.request.Request(url, headers=headers)
    problem = f"{url}: not asked"
    for attempt in range(1, attempts + 1):
        try:
            with urllib.request.urlopen(request, timeout=timeout) as answer:
                return json.load(answer)
        except urllib.error.HTTPError as exc:
            if exc.code in (404, 410):
                return None
            problem = f"HTTP {exc.code} from {url}"
            if exc.code < 500 and exc.code != 429:
                raise AuditError(problem) from exc
        except (urllib.error.URLError, TimeoutError, OSError, json.JSONDecodeError) as exc:
            problem = f"{url}: {getattr(exc, 'reason', exc)}"
        if attempt < attempts:
            time.sleep(2**attempt)
    raise AuditError(f"{problem} (after {attempts} tries)")


def run_command(command: Sequence[str], cwd: Path) -> str | None:
    try:
        done = subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=600, check=False)
    except FileNotFoundError:
        return None
    except subprocess.TimeoutExpired as exc:
        raise AuditError(f"`{' '.join(command)}` ran past {exc.timeout:.0f} s") from exc
    return done.stdout


def skip_reason(environ: Mapping[str, str]) -> str | None:
    """Why the audit is skipped, when it is: only on request, and never under CI."""
    if environ.get(SKIP_VAR, "") in ("", "0") or environ.get("CI", "").lower() in ("true", "1"):
        return None
    return f"{SKIP_VAR}={environ[SKIP_VAR]}"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--lock", type=Path, action="append", dest="locks",
                        help="an npm lock file; repeat for several (default: "
                             f"{', '.join(_shown(p) for p in NPM_LOCKS)})")
    parser.add_argument("--exceptions", type=Path, default=EXCEPTIONS, help="default: %(default)s")
    args = parser.parse_args(argv)
    skipped = skip_reason(os.environ)
    if os.environ.get(SKIP_VAR, "") not in ("", "0") and skipped is None:
        print(f"{SKIP_VAR} is ignored under CI: the audit runs.")
    if skipped:
        banner = "!" * 78
        print(f"{banner}\nDEPENDENCY AUDIT SKIPPED ({skipped}): nothing was checked.\n{banner}")
        return 0
    python = ".".join(map(str, sys.version_info[:3]))
    registry = os.environ.get("NPM_CONFIG_REGISTRY") or NPM_REGISTRY
    npm_sections: list[tuple[str, Callable[[], Section]]] = [
        (f"npm ({_shown(lock)})", partial(audit_npm, lock, fetch_json, run_command,
                                          registry=registry.rstrip("/")))
        for lock in (args.locks or NPM_LOCKS)]
    return run_audit(
        sections=[
            ("PyPI", lambda: audit_python(installed_distributions(), fetch_json, python)),
            *npm_sections,
        ],
        exemptions_path=args.exceptions,
        today=date.today(),
        out=sys.stdout,
    )


if __name__ == "__main__":
    sys.exit(main())
