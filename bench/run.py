"""`make bench`: run every benchmark script in turn; each prints its own figures."""

from __future__ import annotations

import subprocess
import sys

#: Benchmark modules, each runnable alone as `python -m <module>`.
SCRIPTS = [
    "bench.http_load",
]


def main() -> int:
    failed = []
    for script in SCRIPTS:
        print(f"== {script}", flush=True)
        if subprocess.run([sys.executable, "-m", script], check=False).returncode != 0:
            failed.append(script)
    if failed:
        print(f"failed: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
