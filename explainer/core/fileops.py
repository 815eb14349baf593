"""Small file operations every stage shares: a file replaced atomically, a file's stat
signature, whether a path lies inside a folder. Each written once, here."""

from __future__ import annotations

import itertools
import os
from collections.abc import Callable
from pathlib import Path

Signature = tuple[int, int, int]  # size, mtime_ns, inode: a file unchanged since it was seen

_counter = itertools.count()


def replace_file(target: Path, write: Callable[[Path], object], temp_folder: Path | None = None) -> None:
    """Replace `target` atomically: `write(temp)` fills a temporary file, renamed over the
    target, so a reader sees the old file or the new, never half. The temporary file lies
    beside the target, or in `temp_folder` (on the same file system: the served folder's
    parent, so nothing half-written ever shows inside it); it never outlives a failure."""
    temp = (temp_folder or target.parent) / f".{target.name}.{os.getpid()}-{next(_counter)}"
    try:
        write(temp)
        os.replace(temp, target)
    finally:
        temp.unlink(missing_ok=True)


def signature(path: Path | str) -> Signature | None:
    """What tells a file changed without reading it (None: there is no such file)."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_size, st.st_mtime_ns, st.st_ino


def under(path: Path, folder: Path) -> bool:
    """`path` is inside `folder` (not the folder itself)."""
    return path != folder and path.is_relative_to(folder)
