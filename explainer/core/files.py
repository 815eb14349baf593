"""Which files of a source tree are inputs: the one answer build, check, the build cache
and the preview's watcher all act on.

A file is read only if it is what it seems: a regular file, inside the tree it was found
in (a link may point elsewhere inside it, never out of it), and not an editor's lock,
swap or backup file. Anything else is skipped with a warning naming it and why; nothing is
ever opened before this says it is a regular file, so a pipe (FIFO) named like a page
cannot hang the build, and a link loop or a linked folder is never walked.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from .errors import Diagnostics, Location

# Names editors and downloads write while saving: never inputs, skipped without a word.
EDITOR_SUFFIXES = ("~", ".swp", ".swx", ".swo", ".tmp", ".part", ".crdownload", ".bak", ".orig")


def editor_file(name: str) -> bool:
    """Hidden files (`.#page.md`, Emacs's lock, is one), `#page.md#`, `page.md~`, swap files."""
    return name.startswith((".", "#")) or name.endswith(EDITOR_SUFFIXES) or name.isdigit()


def why_not_a_file(path: Path, root: Path) -> str | None:
    """Why path (found under root) is not an input file, or None when it is a regular file
    inside root. Reads the file's metadata only, never its content."""
    try:
        st = os.lstat(path)
    except OSError:
        return "it is gone"
    if stat.S_ISLNK(st.st_mode):
        try:
            target = path.resolve(strict=True)
        except FileNotFoundError:
            return "a link to nothing (a broken symlink)"
        except (RuntimeError, OSError):
            return "a link that loops"
        if not target.is_relative_to(root.resolve()):
            return "a link to outside the source folder, not followed"
        try:
            st = os.stat(target)
        except OSError:
            return "a link to nothing (a broken symlink)"
        if stat.S_ISDIR(st.st_mode):
            return "a linked folder (links to folders are not followed)"
    if stat.S_ISDIR(st.st_mode):
        return "a folder"
    if not stat.S_ISREG(st.st_mode):
        return "not a regular file (a pipe, socket or device)"
    return None


def is_regular_file(path: Path | str) -> bool:
    """A regular file, following links (for hashing: never open a pipe)."""
    try:
        return stat.S_ISREG(os.stat(path).st_mode)
    except OSError:
        return False


def source_files(
    folder: Path, suffix: str | None, diags: Diagnostics | None, root: Path | None = None, recursive: bool = True
) -> list[Path]:
    """The input files in folder (and its subfolders when recursive), sorted: those whose
    name ends with suffix (every file when None), regular, inside root (default: folder).
    Each other entry that would have matched is a warning in diags (None: say nothing)."""
    root = root or folder
    found: list[Path] = []
    todo = [folder]
    while todo:
        current = todo.pop()
        try:
            entries = sorted(os.scandir(current), key=lambda e: e.name)
        except OSError:
            continue
        for entry in entries:
            path = Path(entry.path)
            if editor_file(entry.name):
                continue
            if entry.is_dir(follow_symlinks=False):
                if suffix is not None and entry.name.endswith(suffix):
                    _skip(diags, path, f"a folder named like a file ({entry.name}); rename it")
                elif recursive:
                    todo.append(path)
                continue
            if suffix is not None and not entry.name.endswith(suffix):
                continue
            reason = why_not_a_file(path, root)
            if reason is None:
                found.append(path)
            elif not (reason.startswith("a linked folder") and not recursive):
                _skip(diags, path, reason)
    return sorted(found)


def _skip(diags: Diagnostics | None, path: Path, reason: str) -> None:
    if diags is not None:
        diags.warning(Location(path), f"skipped: {reason}")
