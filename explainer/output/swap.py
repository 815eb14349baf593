"""The folder swap: temporary folders beside the output, the lock that serialises swaps
into one output, the swap itself, the spare tree kept for the next build, and the
leftovers of builds that were killed before they could clean up."""

from __future__ import annotations

import fcntl
import hashlib
import os
import re
import shutil
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

TMP_MARK = ".tmp-"
OLD_MARK = ".old-"

_IN_USE: set[Path] = set()  # temp folders of this process that are still being filled


def lock_path(out: Path) -> Path:
    """The lock of an output folder: in the user's cache folder (XDG_CACHE_HOME, else
    ~/.cache; the system's temp folder if neither can be written), named after the output's
    full path, so every build into that folder, from any project, takes the same lock."""
    name = hashlib.blake2b(str(out).encode("utf-8"), digest_size=10).hexdigest() + ".lock"
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    for folder in (Path(base) / "explainer" / "locks", Path(tempfile.gettempdir()) / "explainer-locks"):
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError:
            continue
        if os.access(folder, os.W_OK):
            return folder / name
    return Path(tempfile.gettempdir()) / f"explainer-{name}"


@contextmanager
def swap_lock(out: Path) -> Iterator[None]:
    """Serialises the final swap of concurrent builds into the same output."""
    with open(lock_path(out), "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def temp_name(out: Path, mark: str = TMP_MARK) -> Path:
    """A new name beside out (so renames into the output are atomic) that remove_leftovers
    knows as this process's."""
    return out.parent / f".{out.name}{mark}{os.getpid()}-{uuid.uuid4().hex[:8]}"


def temp_folder(out: Path) -> Path:
    """A new empty folder beside out, removed by the next build if this one is killed. The
    caller removes it (release) when done with it."""
    out.parent.mkdir(parents=True, exist_ok=True)
    path = temp_name(out)
    path.mkdir()
    _IN_USE.add(path)
    return path


def release(path: Path) -> None:
    _IN_USE.discard(path)
    shutil.rmtree(path, ignore_errors=True)


def _ours(out: Path, mark: str) -> list[Path]:
    """Folders beside out named as this generator names its temp and old folders, exactly."""
    pattern = re.compile(re.escape(f".{out.name}{mark}") + r"([0-9]+)-[0-9a-f]{8}")
    return [p for p in out.parent.glob(f".{glob_escape(out.name)}{mark}*") if pattern.fullmatch(p.name)]


def glob_escape(name: str) -> str:
    return re.sub(r"([*?\[])", r"[\1]", name)


def remove_leftovers(out: Path) -> None:
    """Temp folders of builds that were killed before they could clean up."""
    for path in _ours(out, TMP_MARK):
        pid = path.name.rsplit("-", 2)[-2]
        if path in _IN_USE or _alive(int(pid)):
            continue  # a build running right now
        shutil.rmtree(path, ignore_errors=True)
    with swap_lock(out):  # no swap is half done while we hold it
        olds = sorted(_ours(out, OLD_MARK), key=_mtime)
        if olds and not out.exists():
            # A build was killed between its two renames (where the atomic exchange is not
            # available): the previous site is the newest old folder, so put it back.
            with suppress(FileNotFoundError):
                os.rename(olds.pop(), out)
    for path in olds:
        shutil.rmtree(path, ignore_errors=True)


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return False  # our own leftovers from an earlier build in this process
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def swap(new: Path, out: Path) -> Path:
    """Put the folder new in out's place (under the swap lock); returns where the previous
    site now is. Two renames: the previous site aside, then the new one in. Between them,
    for a moment, out is missing; a build killed right there leaves the previous site in
    the `.old-` folder, which the next build puts back first (remove_leftovers)."""
    old = temp_name(out, OLD_MARK)
    if out.exists():
        os.rename(out, old)
    os.rename(new, out)
    return old


def claim(spare: Path, tmp: Path) -> bool:
    """Take the spare tree as this build's temp folder (atomic: one build gets it)."""
    try:
        os.rename(spare, tmp)
    except OSError:
        return False
    return True


def keep(old: Path, spare: Path) -> bool:
    """Keep the replaced site as the spare (called under the swap lock)."""
    try:
        spare.parent.mkdir(parents=True, exist_ok=True)
        if spare.exists():
            return False  # another build kept one meanwhile
        os.rename(old, spare)
    except OSError:
        return False
    return True
