"""Stage 5, output: sitemap, robots.txt and static files, written atomically.

The build writes a complete site into a temporary folder beside the output and swaps it
in only when everything succeeded, so readers (and the live preview) never see a half
site, and a failed or killed build leaves the previous output as it was. Which folders may
be replaced is guard.py's; the temporary folders, the lock and the swap are swap.py's.
"""

from __future__ import annotations

import errno
import os
import shutil
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from contextlib import suppress
from pathlib import Path
from typing import TYPE_CHECKING
from xml.sax.saxutils import escape

from ..core import cancel
from ..core.errors import Diagnostics, Location
from ..core.fileops import signature
from ..core.files import source_files
from ..load.config import SiteConfig
from .guard import MARKER, OutputRefused, guard_output, marker_text
from .swap import claim, keep, remove_leftovers, swap, swap_lock, temp_name
from .tree import walk

if TYPE_CHECKING:
    from .search import SearchIndex

WRITERS = 4  # threads creating the output's files


class OutputChanged(Exception):
    """A file this build meant to keep from the previous output is not that file any more."""


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
    index: SearchIndex | None = None,
    meanwhile: Callable[[], None] | None = None,
) -> None:
    """Write every file into a fresh folder (and index: the search index, a part as soon as
    its pages are written; meanwhile runs while the last parts are made), run finish on it,
    swap it in.

    links: output path -> a file of the previous output with exactly these bytes (the build
    cache's unchanged outputs), hard-linked into the new folder instead of written (the old
    folder is never modified: the swap stays all-or-nothing). after_swap runs under the
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

    protected: folders out may not be, hold or lie in (see guard_output), checked again here."""
    refused = guard_output(out, protected)
    if refused is not None:
        raise OutputRefused(refused)
    out = out.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    remove_leftovers(out)
    tmp = temp_name(out)
    try:
        if spare is None or not claim(spare, tmp):
            tmp.mkdir()
        _fill(tmp, files, statics, links or {}, out, expect, index, meanwhile)
        if finish is not None:
            finish(tmp)
        (tmp / MARKER).write_bytes(marker_text(tmp))  # unlinked by _fill: never a shared file
        with swap_lock(out):
            old = swap(tmp, out)
            if after_swap is not None:
                after_swap()
            if spare is not None and old.exists() and keep(old, spare):
                return
        shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        if index is not None:
            index.abandon()
        shutil.rmtree(tmp, ignore_errors=True)
        raise


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


def _fill(
    tmp: Path,
    files: dict[str, bytes],
    statics: dict[str, Path],
    links: dict[str, Path],
    out: Path,
    expect: dict[str, tuple[int, int, int]] | None = None,
    index: SearchIndex | None = None,
    meanwhile: Callable[[], None] | None = None,
) -> None:
    """Make tmp hold exactly statics, links and files (each in order of its path, told to the
    index once in place), then meanwhile runs while the index is finished. tmp is empty or a claimed spare."""
    if index is not None:
        index.begin(tmp)
    written = index.written if index is not None else (lambda rel: None)
    present, folders = walk(tmp)
    wanted = set(files) | set(statics) | set(links)
    for rel in present.keys() - wanted:
        os.unlink(tmp / rel)
    needed = {parent for rel in wanted for parent in _parents(rel)}
    for folder in sorted(folders - needed, key=lambda f: -f.count("/")):
        with suppress(OSError):
            os.rmdir(tmp / folder)  # emptied above
    expect = expect or {}
    # The inodes of the files links point to, where the caller did not say which they must be.
    live = walk(out)[0] if present and out.is_dir() and links.keys() - expect.keys() else {}
    made: set[Path] = {tmp / f for f in folders & needed} | {tmp}
    for rel, source in sorted(statics.items()):
        target = _fresh(tmp, rel, present, made)
        shutil.copyfile(source, target)
        written(rel)
    for rel, source in sorted(links.items()):
        sig = expect.get(rel)
        _link(tmp, rel, source, sig, sig[2] if sig is not None else _inode(source, out, live), present, made)
        written(rel)
    _write_files(tmp, files, present, made, written)
    if meanwhile is not None:
        meanwhile()
    if index is not None:
        index.end()
    cancel.check()  # asked to stop while writing (a library may have swallowed the Ctrl-C): no swap


def _link(
    tmp: Path,
    rel: str,
    source: Path,
    sig: tuple[int, int, int] | None,
    inode: int | None,
    present: dict[str, int],
    made: set[Path],
) -> None:
    """tmp/rel made the file source (a hard link); sig: the signature it must have, inode: its
    inode number (as sig says, or as the live output's was)."""
    if rel in present and inode == present[rel]:
        # The spare already has this very file: the checked file exists, and two files
        # never share an inode number at once.
        return
    target = _fresh(tmp, rel, present, made)
    try:
        os.link(source, target)
    except OSError as exc:
        if exc.errno not in (errno.EXDEV, errno.EPERM, errno.EMLINK, errno.ENOTSUP):
            raise
        if sig is not None and signature(source) != tuple(sig):
            raise OutputChanged(rel) from None
        shutil.copyfile(source, target)  # a file system without hard links
        return
    if sig is not None and signature(target) != tuple(sig):
        raise OutputChanged(rel)


def _write_files(
    tmp: Path, files: dict[str, bytes], present: dict[str, int], made: set[Path], written: Callable[[str], None]
) -> None:
    def write(item: tuple[str, bytes]) -> str:
        _fresh(tmp, item[0], present, made).write_bytes(item[1])
        return item[0]

    # Creating files is the kernel's work, which it does on every core at once: a few threads
    # write a 1,000-page site in a third of the time one takes. Told in order of the paths.
    pool = ThreadPoolExecutor(WRITERS)
    try:
        for rel in pool.map(write, sorted(files.items())):
            written(rel)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _fresh(tmp: Path, rel: str, present: dict[str, int], made: set[Path]) -> Path:
    """tmp/rel ready to be created: its folder exists, no file is there (unlinked, never
    truncated: a spare's file may be the live output's file under another name)."""
    target = tmp / rel
    if rel in present:
        os.unlink(target)
        del present[rel]
    _mkdir(target.parent, made)
    return target


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


def _mkdir(folder: Path, made: set[Path]) -> None:
    if folder not in made:
        folder.mkdir(parents=True, exist_ok=True)
        made.add(folder)
