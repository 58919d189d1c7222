"""Run every benchmark in turn (`make bench`)."""

from __future__ import annotations

import subprocess
import sys

SCRIPTS = [
    "bench.path_query",
    "bench.analysis",
    "bench.search",
    "bench.candidates",
    "bench.resolved_view",
    "bench.public_view",
    "bench.evidence",
    "bench.http_load",
    "bench.view_load",
    "bench.embed",
    "bench.soak",
    "bench.neo4j_load",
]


def main() -> int:
    failed = 0
    for module in SCRIPTS:
        print(f"\n##### {module}", flush=True)
        failed |= subprocess.call([sys.executable, "-m", module])
    return failed


if __name__ == "__main__":
    raise SystemExit(main())
