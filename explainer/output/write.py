"""Stage 5, output: sitemap, robots.txt and static files, written atomically.

The build writes a complete site into a temporary folder beside the output and swaps it
in only when everything succeeded, so readers (and the live preview) never see a half
site, and a failed or killed build leaves the previous output as it was.
"""

from __future__ import annotations

import errno
import fcntl
import hashlib
import os
import re
import shutil
import tempfile
import uuid
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from xml.sax.saxutils import escape

from ..core.errors import Diagnostics, Location
from ..core.fileops import signature
from ..core.files import source_files
from ..load.config import SiteConfig

TMP_MARK = ".tmp-"
OLD_MARK = ".old-"
# Written into every output: the folder is this generator's, and these are the files it
# wrote. A build replaces only a folder that is new, empty or marked, and only while it
# holds nothing else (see guard_output).
MARKER = ".explainer-output"
_MARKER_HEAD = "explainer output: the next build replaces this folder. Files it wrote:\n"


def marker_text(root: Path) -> bytes:
    """The marker of a filled output folder: every file under it, one per line, sorted."""
    names = sorted(rel for rel, entry in scan_tree(root) if not entry.is_dir(follow_symlinks=False))
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
    if not target.exists():
        return None
    try:
        present = {rel for rel, entry in scan_tree(target) if not entry.is_dir(follow_symlinks=False)}
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


def static_files(*roots: Path, diags: Diagnostics | None = None) -> dict[str, Path]:
    """Output path ("static/site.css") -> source file; later roots override earlier ones.
    Only regular files inside the tree each root is in (core.files); diags gets the rest."""
    found: dict[str, Path] = {}
    for root in roots:
        for path in source_files(root, None, diags, root=root.parent):
            found["static/" + path.relative_to(root).as_posix()] = path
    return found


def sitemap(config: SiteConfig, urls: Iterable[str]) -> bytes:
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">']
    for url in sorted(set(urls)):
        lines.append(
            f"  <url><loc>{escape(config.base_url + url)}</loc><lastmod>{escape(config.last_reviewed)}</lastmod></url>"
        )
    lines.append("</urlset>")
    return ("\n".join(lines) + "\n").encode("utf-8")


def robots(config: SiteConfig) -> bytes:
    return f"User-agent: *\nAllow: /\n\nSitemap: {config.base_url}sitemap.xml\n".encode()


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
def _swap_lock(out: Path):
    """Serialises the final swap of concurrent builds into the same output."""
    with open(lock_path(out), "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


_IN_USE: set[Path] = set()  # temp folders of this process that are still being filled


def temp_folder(out: Path) -> Path:
    """A new empty folder beside out (so renames into the output are atomic), removed by the
    next build if this one is killed. The caller removes it (release) when done with it."""
    out.parent.mkdir(parents=True, exist_ok=True)
    path = out.parent / f".{out.name}{TMP_MARK}{os.getpid()}-{uuid.uuid4().hex[:8]}"
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
    with _swap_lock(out):  # no swap is half done while we hold it
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


def write_atomically(
    out: Path,
    files: dict[str, bytes],
    statics: dict[str, Path],
    finish: Callable[[Path], None] | None = None,
    links: dict[str, Path] | None = None,
    after_swap: Callable[[], None] | None = None,
    spare: Path | None = None,
    expect: dict[str, tuple[int, int, int]] | None = None,
    protected: Iterable[Path] = (),
) -> None:
    """Write every file into a fresh folder, run finish (e.g. the search index) on it, swap it in.

    links: output path -> a file of the previous output with exactly these bytes (the build
    cache's unchanged outputs), hard-linked into the new folder instead of written: the old
    folder is never modified, so the swap stays all-or-nothing. after_swap runs under the
    swap lock right after the swap (the cache records the tree it now describes).

    spare: where to keep the replaced site for the next build (the cache's folder). The next
    build then starts from that tree instead of an empty folder, fixing only what differs:
    on big sites creating and deleting thousands of folders per build is most of a small
    rebuild. The spare is never the output; its files are only ever unlinked or created,
    never written in place (many are hard links shared with the live output).

    expect: the (size, mtime_ns, inode) of the file each link must reach (the file the cache
    checked). A link that reaches another file (a concurrent build swapped its output in
    meanwhile) raises OutputChanged before anything is swapped: those bytes were never checked.
    Inode numbers alone would not do: a replaced file can get the freed number back.

    protected: folders out may not be, hold or lie in (see guard_output); checked again
    here, right before anything is removed, whatever the caller checked before."""
    refused = guard_output(out, protected)
    if refused is not None:
        raise OutputRefused(refused)
    out = out.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    remove_leftovers(out)
    tmp = out.parent / f".{out.name}{TMP_MARK}{os.getpid()}-{uuid.uuid4().hex[:8]}"
    try:
        if spare is None or not _claim(spare, tmp):
            tmp.mkdir()
        _fill(tmp, files, statics, links or {}, out, expect)
        if finish is not None:
            finish(tmp)
        (tmp / MARKER).write_bytes(marker_text(tmp))  # unlinked by _fill: never a shared file
        with _swap_lock(out):
            old = _swap(tmp, out)
            if after_swap is not None:
                after_swap()
            if spare is not None and old.exists() and _keep(old, spare):
                return
        shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def _claim(spare: Path, tmp: Path) -> bool:
    """Take the spare tree as this build's temp folder (atomic: one build gets it)."""
    try:
        os.rename(spare, tmp)
    except OSError:
        return False
    return True


def _keep(old: Path, spare: Path) -> bool:
    """Keep the replaced site as the spare (called under the swap lock)."""
    try:
        spare.parent.mkdir(parents=True, exist_ok=True)
        if spare.exists():
            return False  # another build kept one meanwhile
        os.rename(old, spare)
    except OSError:
        return False
    return True


def write_failed(out: Path, exc: OSError) -> Diagnostics:
    """The one error of a build that could not write its output (nothing was swapped in)."""
    reason = exc.strerror or str(exc)
    if exc.errno == errno.ENOSPC:
        todo = "free some space on that disk, or build into another folder with --out"
    elif exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        todo = "make the output folder's parent folder writable, or build into another folder with --out"
    else:
        todo = "fix the cause above, or build into another folder with --out"
    where = f" ({exc.filename})" if exc.filename else ""
    diags = Diagnostics()
    diags.error(
        Location(out),
        f"could not write the site: {reason}{where}; the site that was there is unchanged; {todo}",
    )
    return diags


class OutputRefused(Exception):
    """The output folder is not one the build may replace (the reason is the message)."""


class OutputChanged(Exception):
    """A file this build meant to keep from the previous output is not that file any more."""


def _fill(
    tmp: Path,
    files: dict[str, bytes],
    statics: dict[str, Path],
    links: dict[str, Path],
    out: Path,
    expect: dict[str, tuple[int, int, int]] | None = None,
) -> None:
    """Make tmp hold exactly statics, links and files. tmp is empty or a claimed spare."""
    present, folders = _walk(tmp)
    wanted = set(files) | set(statics) | set(links)
    for rel in present.keys() - wanted:
        os.unlink(tmp / rel)
    needed = {parent for rel in wanted for parent in _parents(rel)}
    for folder in sorted(folders - needed, key=lambda f: -f.count("/")):
        with suppress(OSError):
            os.rmdir(tmp / folder)  # emptied above
    expect = expect or {}
    # The inodes of the files links point to, where the caller did not say which they must be.
    live = _walk(out)[0] if present and out.is_dir() and links.keys() - expect.keys() else {}
    made: set[Path] = {tmp / f for f in folders & needed} | {tmp}
    for rel, source in statics.items():
        target = _fresh(tmp, rel, present, made)
        shutil.copyfile(source, target)
    for rel, source in links.items():
        sig = expect.get(rel)
        inode = sig[2] if sig is not None else _inode(source, out, live)
        if rel in present and inode == present[rel]:
            # The spare already has this very file: the checked file exists, and two files
            # never share an inode number at once.
            continue
        target = _fresh(tmp, rel, present, made)
        try:
            os.link(source, target)
        except OSError as exc:
            if exc.errno not in (errno.EXDEV, errno.EPERM, errno.EMLINK, errno.ENOTSUP):
                raise
            if sig is not None and signature(source) != tuple(sig):
                raise OutputChanged(rel) from None
            shutil.copyfile(source, target)  # a file system without hard links
            continue
        if sig is not None and signature(target) != tuple(sig):
            raise OutputChanged(rel)
    for rel, content in files.items():
        _fresh(tmp, rel, present, made).write_bytes(content)


def _fresh(tmp: Path, rel: str, present: dict[str, int], made: set[Path]) -> Path:
    """tmp/rel ready to be created: its folder exists, no file is there (unlinked, never
    truncated: a spare's file may be the live output's file under another name)."""
    target = tmp / rel
    if rel in present:
        os.unlink(target)
        del present[rel]
    _mkdir(target.parent, made)
    return target


def scan_tree(root: Path) -> Iterator[tuple[str, os.DirEntry[str]]]:
    """Every entry under root as (relative POSIX path, entry), hidden ones and folders included.
    Plain strings and os.scandir, no stat calls: 10,000-page sites walk this on every build."""
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


def _walk(root: Path) -> tuple[dict[str, int], set[str]]:
    """Files (relative path -> inode, from the directory listing) and folders under root."""
    files: dict[str, int] = {}
    folders: set[str] = set()
    for rel, entry in scan_tree(root):
        if entry.is_dir(follow_symlinks=False):
            folders.add(rel)
        else:
            files[rel] = entry.inode()
    return files, folders


def _parents(rel: str) -> list[str]:
    parts = rel.split("/")[:-1]
    return ["/".join(parts[: i + 1]) for i in range(len(parts))]


def _inode(source: Path, out: Path, live: dict[str, int]) -> int | None:
    try:
        return live[source.relative_to(out).as_posix()]
    except (ValueError, KeyError):
        try:
            return source.stat().st_ino
        except OSError:
            return None


def _swap(new: Path, out: Path) -> Path:
    """Put the folder new in out's place (under the swap lock); returns where the previous
    site now is. Two renames: the previous site aside, then the new one in. Between them,
    for a moment, out is missing; a build killed right there leaves the previous site in
    the `.old-` folder, which the next build puts back first (remove_leftovers)."""
    old = out.parent / f".{out.name}{OLD_MARK}{os.getpid()}-{uuid.uuid4().hex[:8]}"
    if out.exists():
        os.rename(out, old)
    os.rename(new, out)
    return old


def _mkdir(folder: Path, made: set[Path]) -> None:
    if folder not in made:
        folder.mkdir(parents=True, exist_ok=True)
        made.add(folder)
