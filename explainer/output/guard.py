"""The output guard: which folder a build may replace whole. Every output carries a marker
listing the files the build wrote; a build replaces only a folder that is new, empty or
marked, and only while it holds nothing else."""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from .tree import file_names

MARKER = ".explainer-output"
_MARKER_HEAD = "explainer output: the next build replaces this folder. Files it wrote:\n"


class OutputRefused(Exception):
    """The output folder is not one the build may replace (the reason is the message)."""


def marker_text(root: Path) -> bytes:
    """The marker of a filled output folder: every file under it, one per line, sorted."""
    names = sorted(file_names(root))
    return (_MARKER_HEAD + "".join(f"{n}\n" for n in names if n != MARKER)).encode("utf-8")


def _marked_files(out: Path) -> set[str] | None:
    """The files the marker of out lists, None when out carries no marker of ours."""
    try:
        text = (out / MARKER).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    if not text.startswith(_MARKER_HEAD):
        return None
    return set(text[len(_MARKER_HEAD) :].splitlines()) | {MARKER}


def guard_output(out: Path, protected: Iterable[Path]) -> str | None:
    """Why out must not be built into, or None. The build then replaces out whole, so it
    may only be a folder that is new, empty, or an earlier output of this generator that
    holds nothing but what that build wrote. protected: the source folder, the theme...:
    out may be none of them, inside none, above none."""
    try:
        target = out.resolve()
    except (OSError, RuntimeError) as exc:  # a symlink loop
        return f"the output folder cannot be resolved ({exc}); choose another folder with --out"
    refused = _misplaced(target, protected)
    if refused is not None or not target.exists():
        return refused
    try:
        present = file_names(target)
    except OSError as exc:
        return f"the output folder cannot be read ({exc.strerror}); choose another folder with --out"
    if not present:
        return None  # empty, or only empty folders
    listed = _marked_files(target)
    if listed is None:
        return (
            f"the output folder is not empty and was not written by this generator (no {MARKER} file): "
            "the build would replace everything in it; choose a new or empty folder with --out, "
            "or delete this one if it is an earlier build of the site"
        )
    extra = sorted(present - listed)
    if extra:
        shown = ", ".join(extra[:3]) + (f" and {len(extra) - 3} more" if len(extra) > 3 else "")
        return (
            f"the output folder holds files the last build did not write ({shown}): the build would delete "
            "them; move them out (a file to publish belongs in the source's static/ folder), then build again"
        )
    return None


def _misplaced(target: Path, protected: Iterable[Path]) -> str | None:
    """Why the resolved target is no place for an output whatever it holds, or None."""
    home = Path.home().resolve()
    named = [(Path.cwd().resolve(), "the current folder")]
    named += [(p.resolve(), f"the folder {os.path.relpath(p)}") for p in protected]
    if target == Path(target.anchor):
        return "the output folder is the root of the file system; choose another folder with --out"
    if target == home:
        return "the output folder is your home folder; choose another folder with --out (e.g. --out _site)"
    for folder, what in named:
        if target == folder:
            return f"the output folder is {what}; choose another folder with --out (e.g. --out _site)"
        if folder.is_relative_to(target):
            return f"the output folder holds {what}; choose a folder outside it with --out (e.g. --out _site)"
        if target.is_relative_to(folder) and what != "the current folder":
            return f"the output folder is inside {what}; choose a folder outside it with --out (e.g. --out _site)"
    if target.exists() and not target.is_dir():
        return "the output is an existing file, not a folder; choose a folder with --out"
    return None
