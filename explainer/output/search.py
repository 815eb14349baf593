"""Full-text search: a Pagefind index of every page's article, in parts, made by Pagefind's
own command line (the binary its Python package ships) from the pages the build wrote.

What is indexed is what a reader searches: the element each template marks
`data-pagefind-body` (the article; menu, header, footer and the page's head stay out),
given to Pagefind as its root selector, so Pagefind reads only that element of each page
(it skips a page without one); the pages are those of the sitemap (not the 404 page). Its first heading is the result's
title, its headings the result's sections; `data-pagefind-ignore` (fact cards) stays out.

The index comes in parts, each made by its own run of Pagefind: Pagefind holds a whole
index in memory, about 165 KB a page while writing it, so parts bound its memory on big
sites, and two are made at a time (both cores). The pages, in order of their paths, are
cut into parts where a page's path hashes to 0 modulo the part size (content-defined
boundaries): editing a page changes only its own part, adding one at most its own part and
the next. A part is named after a digest of Pagefind's version and its pages' paths and
bytes, so a part of the previous output with the same name holds exactly the index that
would be made again: the build cache hard-links it instead (`reuse`), and a one-page edit
re-indexes one part, not the site. The first part is the `pagefind/` bundle itself, the
others are `pagefind/part-<digest>/`, listed in `pagefind/parts.json`, which the site's
search script merges into the first (Pagefind's `mergeIndex`), so a reader searches them
as one.

Without the `pagefind` package the site builds without search.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ..core.errors import BuildFailed, Diagnostics, Location
from .swap import release, temp_folder

INDEX_FOLDER = "pagefind"
PARTS_FILE = "parts.json"
PART_PAGES = 2000  # most pages in one part: Pagefind's memory while writing one is about 165 KB a page
AT_ONCE = 2  # parts made at the same time, each by its own Pagefind process
ROOT = "[data-pagefind-body]"  # Pagefind reads only this element of each page


def pagefind_executable() -> str | None:
    """The Pagefind binary the project's dependency (`pagefind[bin]`) installed, or None. Not
    one named by PAGEFIND_BINARY_PATH or found on PATH (as pagefind.service would take): the
    index is made by the one binary the project pins. (pagefind.service's lookup also imports
    asyncio: 0.02 s of each build.)"""
    try:
        from pagefind_bin import get_executable
    except ImportError:
        return None
    try:
        return str(get_executable())
    except OSError:  # FileNotFoundError: the package without its binary
        return None


def pagefind_available() -> bool:
    return pagefind_executable() is not None


def _pagefind_version() -> str:
    from importlib import metadata

    try:
        return metadata.version("pagefind")
    except metadata.PackageNotFoundError:
        return "?"


@dataclass(frozen=True)
class Part:
    pages: tuple[str, ...]  # output paths, e.g. "study/index.html"
    key: str  # digest of Pagefind's version and the pages' paths and bytes (and its label)
    label: str = ""  # in a series: the explainer all its pages are of (the search box's filter)

    def folder(self, first: bool) -> str:
        return f"{INDEX_FOLDER}/" if first else f"{INDEX_FOLDER}/part-{self.key[:16]}/"


def part_size(pages: int, most: int = PART_PAGES) -> int:
    """The average part: an eighth of the site, a power of two (so it changes only when the
    site doubles or halves), from 32 pages up to half the largest part."""
    size = 32
    while size * 8 < pages and size * 2 <= most // 2:
        size *= 2
    return min(size, most)


def plan_parts(pages: dict[str, str], version: str, most: int = PART_PAGES) -> list[Part]:
    """pages: output path -> digest of its bytes. Parts in order of the paths; a site of
    up to two average parts is one part."""
    size = part_size(len(pages), most)
    parts: list[list[str]] = [[]]
    for rel in sorted(pages):
        current = parts[-1]
        current.append(rel)
        cut = _hash(rel) % size == 0 and len(current) >= size // 4  # no tiny parts
        if len(pages) > 2 * size and (cut or len(current) >= most):
            parts.append([])
    if len(parts) > 1 and not parts[-1]:
        parts.pop()
    return [Part(tuple(p), _digest(version, *(f"{rel}:{pages[rel]}" for rel in p))) for p in parts]


def plan_grouped(pages: dict[str, str], version: str, groups: dict[str, str], most: int = PART_PAGES) -> list[Part]:
    """A series' parts: the pages of no group (its front door) first, then each group's
    (an explainer's folder "slug/" -> its title) in order of the folders, each as plan_parts
    cuts it, labelled. The search box narrows a search to one explainer by merging each
    part with its label as a filter (search.js; Pagefind's own filters are written in a
    different order each build), and an edit to one explainer re-indexes only its parts."""
    found: dict[str, dict[str, str]] = {}
    for rel, sha in pages.items():
        group = next((g for g in groups if rel.startswith(g)), "")
        found.setdefault(group, {})[rel] = sha
    parts: list[Part] = []
    for group in sorted(found, key=lambda g: (g != "", g)):
        label = groups.get(group, "")
        for part in plan_parts(found[group], version, most):
            parts.append(Part(part.pages, _digest(part.key, label), label) if label else part)
    return parts


def _hash(rel: str) -> int:
    return int.from_bytes(hashlib.blake2b(rel.encode("utf-8"), digest_size=8).digest(), "little")


def _digest(*parts: str) -> str:
    h = hashlib.blake2b(digest_size=20)
    for part in parts:
        data = part.encode("utf-8")
        h.update(len(data).to_bytes(8, "little") + data)
    return h.hexdigest()


class SearchIndex:
    """The site's index: fed every page as it is rendered (`add`), planned into parts,
    parts of the previous output kept (`reuse`), the others made by Pagefind while the new
    output is written (`begin`, `written`, `end`; write_atomically calls them)."""

    def __init__(self, part_pages: int | None = None) -> None:
        self.part_pages = part_pages or PART_PAGES
        self.version = _pagefind_version()
        self.marked: set[str] = set()  # output paths of the pages to index
        self.digests: dict[str, str] = {}  # output path -> digest of its bytes (the build's, see use_digests)
        self.reused: set[str] = set()  # keys of parts kept from the previous output
        self.listed = False  # parts.json kept from the previous output (the same parts)
        self.groups: dict[str, str] = {}  # a series: an explainer's folder ("slug/") -> its title (plan_grouped)
        # While the new output is written (begin .. end):
        self._maker: _PartMaker | None = None  # the Pagefind runs
        self._parts: list[Part] = []
        self._waiting: dict[str, int] = {}  # a page not written yet -> its part's place
        self._left: dict[int, int] = {}  # a part's place -> how many of its pages are not written yet

    def add(self, rel: str) -> None:
        """Note one page a reader can land on (its output path, e.g. "study/index.html"):
        the pages of the sitemap. Pagefind skips any without the element marked for it."""
        self.marked.add(rel)

    def use_digests(self, digests: dict[str, str]) -> None:
        """The digest of every page's bytes, as the build computed them (one digest of each page)."""
        self.digests = digests

    def parts(self) -> list[Part]:
        pages = {rel: self.digests[rel] for rel in self.marked}
        if self.groups:
            return plan_grouped(pages, self.version, self.groups, self.part_pages)
        return plan_parts(pages, self.version, self.part_pages)

    def reuse(self, previous: Callable[[str], dict[str, Path] | None]) -> dict[str, Path]:
        """Files of the previous output's parts that are still right: previous(folder) gives
        that folder's files (output path -> file), or None when it cannot be trusted."""
        links: dict[str, Path] = {}
        parts = self.parts()
        for i, part in enumerate(parts):
            files = previous(part.folder(i == 0))
            listed = files.pop(f"{INDEX_FOLDER}/{PARTS_FILE}", None) if files else None
            if files and (i > 0 or self._listed(listed) == self._listing(parts)["first"]):
                links.update(files)
                self.reused.add(part.key)
            if i == 0 and listed is not None and self._listed(listed, whole=True) == self._listing(parts):
                links[f"{INDEX_FOLDER}/{PARTS_FILE}"] = listed  # the same list: the same file
                self.listed = True
        return links

    @staticmethod
    def _listed(path: Path | None, whole: bool = False) -> object:
        """What a previous parts.json says (the first part's key, or all of it)."""
        try:
            listed = json.loads(path.read_text(encoding="utf-8")) if path is not None else {}
            return listed if whole else listed.get("first")
        except (OSError, ValueError, AttributeError):
            return None

    @staticmethod
    def _listing(parts: list[Part]) -> dict[str, object]:
        listing: dict[str, object] = {
            "first": parts[0].key,
            "parts": [p.folder(False).removeprefix(f"{INDEX_FOLDER}/") for p in parts[1:]],
        }
        labels = {p.folder(False).removeprefix(f"{INDEX_FOLDER}/"): p.label for p in parts[1:] if p.label}
        if labels:  # a series: each explainer's parts, by its title
            listing["labels"] = labels
        return listing

    def begin(self, site: Path) -> None:
        """The build's new output folder is being filled (write_atomically): each part is
        made as soon as all its pages are written (`written`), while the rest are."""
        self._maker, self._parts, self._waiting, self._left = _PartMaker(site), self.parts(), {}, {}
        for i, part in enumerate(self._parts):
            if part.key not in self.reused:
                self._left[i] = len(set(part.pages))
                self._waiting.update(dict.fromkeys(part.pages, i))

    def written(self, rel: str) -> None:
        """One file of the new output is in place."""
        i = self._waiting.pop(rel, None)
        if i is not None:
            self._left[i] -= 1
            if not self._left[i]:
                self._start(i)
        self._maker.poll()

    def end(self) -> None:
        """Every file is written: make the parts not made yet, wait for all, write parts.json."""
        for i in sorted(i for i, left in self._left.items() if left):
            self._start(i)
        failed = self._maker.wait()
        if failed:
            self._fail(failed)
        if not self.listed:
            listing = json.dumps(self._listing(self._parts)) + "\n"
            (self._maker.site / INDEX_FOLDER / PARTS_FILE).write_text(listing, encoding="utf-8")

    def abandon(self) -> None:
        """The write failed: stop every Pagefind run."""
        if self._maker is not None:
            self._maker.stop()

    def _start(self, i: int) -> None:
        self._left[i] = 0
        self._maker.add(self._parts[i], self._maker.site / self._parts[i].folder(i == 0))

    def _fail(self, message: str) -> None:
        diags = Diagnostics()
        diags.error(Location(Path(INDEX_FOLDER)), f"search index failed: {message}")
        raise BuildFailed(diags)


class _PartMaker:
    """Runs of Pagefind's command line, AT_ONCE at a time, one a part. A part's run reads just
    its pages of site: its config file names them (`glob`), so no page is copied or linked
    anywhere. (Pagefind's Python API answers each request at best 100 ms after it is done,
    its reader sleeping between answers: four requests a part cost 0.4 s where the command
    takes 0.13 s for the same index, byte for byte. Its own filters are not used: their index
    comes out in another order on each run.)"""

    def __init__(self, site: Path) -> None:
        self.site = site
        self.executable = pagefind_executable()  # None: no part can be made (never another binary)
        # Pagefind reads PAGEFIND_* variables, and a config file in its working folder: it
        # runs in a folder holding only the config written here, with no such variable, so
        # nothing but this config decides the index.
        self.env = {k: v for k, v in os.environ.items() if not k.upper().startswith("PAGEFIND")}
        self.queue: list[tuple[Part, Path]] = []
        self.running: list[tuple[subprocess.Popen[bytes], Path]] = []
        self.failed = ""  # what the first run that failed said

    def add(self, part: Part, target: Path) -> None:
        self.queue.append((part, target))
        self.poll()

    def poll(self) -> None:
        """Collect the runs that ended; start queued ones while fewer than AT_ONCE run."""
        for proc, folder in [r for r in self.running if r[0].poll() is not None]:
            self.running.remove((proc, folder))
            self._ended(proc, folder)
        if self.executable is None and self.queue:
            self.queue.clear()
            self.failed = self.failed or "Pagefind's binary is not installed (pip install 'pagefind[bin]')"
        while self.queue and len(self.running) < AT_ONCE:
            part, target = self.queue.pop(0)
            folder = temp_folder(self.site)
            config = {"site": str(self.site.absolute()), "output_path": str(target.absolute()), "root_selector": ROOT}
            config["glob"] = "{" + ",".join(_GLOB_SPECIAL.sub(r"\\\g<0>", rel) for rel in part.pages) + "}"
            (folder / "pagefind.json").write_text(json.dumps(config), encoding="utf-8")
            with open(folder / "said.txt", "wb") as said:  # a file, not a pipe: a long message never blocks it
                proc = subprocess.Popen(
                    [self.executable, "--silent"], cwd=folder, env=self.env, stdout=said, stderr=subprocess.STDOUT
                )
            self.running.append((proc, folder))

    def wait(self) -> str:
        """Every part made: what the first run that failed said, or ""."""
        while self.queue or self.running:
            proc, folder = self.running.pop(0)
            proc.wait()
            self._ended(proc, folder)
            self.poll()
        return self.failed

    def stop(self) -> None:
        self.queue.clear()
        for proc, folder in self.running:
            proc.kill()
            proc.wait()
            release(folder)
        self.running.clear()

    def _ended(self, proc: subprocess.Popen[bytes], folder: Path) -> None:
        if proc.returncode != 0 and not self.failed:
            said = (folder / "said.txt").read_bytes().decode("utf-8", "replace").strip()
            self.failed = said or f"Pagefind exited with code {proc.returncode}"
        release(folder)


_GLOB_SPECIAL = re.compile(r"[\\*?\[\]{},!]")  # written with a backslash before it in a glob
