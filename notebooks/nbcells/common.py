"""Cells the notebooks share: finding the repository and loading the dataset into a temporary store."""

from __future__ import annotations

SETUP = '''
import tempfile
from pathlib import Path

from graph.memory import MemoryStore
from loaders import native


def repository_root() -> Path:
    """The repgraph checkout this notebook runs in (from notebooks/ or the top folder)."""
    for folder in (Path.cwd(), *Path.cwd().parents):
        if (folder / "data" / "kz-upr48-2024").is_dir():
            return folder
    raise FileNotFoundError("Start Jupyter inside the repgraph repository: no data/ folder found.")


DATASET = repository_root() / "data"
#: the private data tier (restricted records, never committed), where this checkout has one
PRIVATE = repository_root() / "private"
workdir = tempfile.TemporaryDirectory(prefix="repgraph-notebook-")
store = MemoryStore(Path(workdir.name) / "graph")
print(native.load([DATASET, *([PRIVATE] if PRIVATE.is_dir() else [])], store).summary())
if not PRIVATE.is_dir():
    print("no private data tier: data/ alone, without restricted records")
'''

CLEANUP = '''
store.close()
workdir.cleanup()
'''
