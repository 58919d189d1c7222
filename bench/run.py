"""Run every benchmark script in turn; each prints its own figures."""

from __future__ import annotations

import subprocess
import sys

BENCHMARKS = [
    "bench.view_load",
]


def main() -> int:
    failed = 0
    for module in BENCHMARKS:
        print(f"== {module}", flush=True)
        failed += subprocess.call([sys.executable, "-m", module]) != 0
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
