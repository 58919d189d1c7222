"""What a load of the dataset reads: `data/` and, beside it, the private data tier.

Restricted records are never committed (docs/ethics.md, section 4). They live in a private
tier: a folder in the dataset's own format, one folder per source, that git ignores
(`REPGRAPH_PRIVATE_DATASET_DIR`, default `private/`). Whenever a command loads the dataset
folder, it loads the private tier in the same all-or-nothing batch, so that an edge in one
may end at a record of the other, and a `--replace` keeps both. Where there is no private
tier, the dataset loads alone and the command says so.
"""

from __future__ import annotations

import stat
from collections.abc import Sequence
from pathlib import Path

from config import Settings


def _same(a: Path, b: Path) -> bool:
    return a.resolve() == b.resolve()


def dataset_paths(paths: Sequence[Path], settings: Settings) -> tuple[list[Path], str | None]:
    """The paths to load (the dataset folder when none are given) with the private tier
    added beside the dataset folder, and a line for the person running the command, if any.

    Raises ValueError when the private tier is there but is not a folder."""
    dataset, private = settings.dataset_dir, settings.private_dataset_dir
    wanted = list(paths) or [dataset]
    if not any(_same(p, dataset) for p in wanted) or any(_same(p, private) for p in wanted):
        return wanted, None
    if not private.exists():
        return wanted, (f"no private data tier at {private}: loading {dataset} alone, "
                        "without restricted records")
    if not private.is_dir():
        raise ValueError(f"the private data tier {private} is not a folder")
    open_to_others = stat.S_IMODE(private.stat().st_mode) & 0o077
    note = (f"warning: the private data tier {private} is open to other users "
            f"(mode {stat.S_IMODE(private.stat().st_mode):o}); chmod 700 it"
            if open_to_others else None)
    return [*wanted, private], note
