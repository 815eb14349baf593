"""An output tree's files as the build sees them: walked with os.scandir, no stat calls
(10,000-page sites walk it on every build)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path


def scan_tree(root: Path) -> Iterator[tuple[str, os.DirEntry[str]]]:
    """Every entry under root as (relative POSIX path, entry), hidden ones and folders included."""
    todo = [(str(root), "")]
    while todo:
        folder, prefix = todo.pop()
        try:
            entries = list(os.scandir(folder))
        except (FileNotFoundError, NotADirectoryError):
            continue
        for entry in entries:
            rel = prefix + entry.name
            yield rel, entry
            if entry.is_dir(follow_symlinks=False):
                todo.append((entry.path, rel + "/"))


def walk(root: Path) -> tuple[dict[str, int], set[str]]:
    """Files (relative path -> inode, from the directory listing) and folders under root."""
    files: dict[str, int] = {}
    folders: set[str] = set()
    for rel, entry in scan_tree(root):
        if entry.is_dir(follow_symlinks=False):
            folders.add(rel)
        else:
            files[rel] = entry.inode()
    return files, folders


def file_names(root: Path) -> set[str]:
    """The relative paths of every file (not folder) under root."""
    return {rel for rel, entry in scan_tree(root) if not entry.is_dir(follow_symlinks=False)}
