"""The preview's search index: made again from the served folder by Pagefind, into a
temporary folder beside it and swapped in, so the browser never finds half an index; a
full rebuild keeps the previous index until then. Writes only the served folder's
`pagefind/` and temporary folders beside the served folder."""

from __future__ import annotations

import itertools
import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path

from ..output.search import pagefind_available

_counter = itertools.count()


def _temp_beside(out: Path) -> Path:
    # Beside the served folder (same file system, so the rename is atomic), never inside it.
    return out.parent / f".{out.name}.write-{os.getpid()}-{next(_counter)}"


def carry_search_index(out: Path, tmp: Path) -> None:
    """A full preview build keeps the previous search index until a fresh one is made."""
    old = out / "pagefind"
    if old.is_dir():
        shutil.copytree(old, tmp / "pagefind")


def refresh_search_index(out: Path, stopping: threading.Event) -> bool:
    """Index the served site again into a temp folder, then swap it in. False if it could not,
    or if `stopping` was set meanwhile (the preview is shutting down: Pagefind is ended)."""
    if not pagefind_available() or not out.is_dir():
        return False
    tmp = _temp_beside(out)
    command = [sys.executable, "-m", "pagefind", "--site", str(out), "--output-path", str(tmp), "--silent"]
    with subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) as indexer:
        while indexer.poll() is None:
            if stopping.wait(0.05):
                indexer.kill()
    if indexer.returncode != 0 or stopping.is_set() or not tmp.is_dir():
        shutil.rmtree(tmp, ignore_errors=True)
        return False
    current, old = out / "pagefind", _temp_beside(out)
    if current.exists():
        os.rename(current, old)
    os.rename(tmp, current)
    shutil.rmtree(old, ignore_errors=True)
    return True
