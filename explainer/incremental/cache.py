"""The build cache: content hashes on disk, so a rebuild redoes only what changed.

Lives with the project, in `.cache/explainer/` beside the source folder (`site_src/` ->
`.cache/explainer/_site-<id>/manifest.json`), one manifest per (output, source, templates);
never beside the output (`--out ~/site` must not write into `~/.cache/`). Its files are plain
JSON read back into our own record types only (cachefile.py): a cache file from elsewhere
cannot run code, and one that is damaged or not ours is ignored with one warning (a full
build). It records, from the last successful build:

- a fingerprint of every input: the generator (its version and its code), the libraries
  that shape HTML (Markdown, Jinja), the build options, every file under `templates/`,
  `site.yaml`, every data file, every page, and the static files (path, size, mtime);
- per output file: the key it was rendered from, the hash of its bytes, and what the build
  needs from it without re-rendering (its citations, links, glossary terms, diagnostics);
- the output tree as it left it: every file's size, mtime and inode; the reading scores;
- the prose checks' findings of each page and of the data, with the key of what each read
  (site/check.py), so a one-page edit re-checks that page's prose, as the preview does.

How a build uses it (site/build.py): nothing changed and the output is as the cache left it:
nothing to do; else an output whose key (below) is unchanged is not rendered again, and its
file is hard-linked from the previous output into the new one (so are files whose bytes did
not change). The new tree is built beside the old one and swapped in whole (output/write.py).

What a change re-renders is the one dependency graph's rule (graph.py): each output is
keyed by what every render reads (hashes.py: the generator, the options, site.yaml, the
strings) and by the hashes of what it recorded using (templates, data files or entries).
A wrong cache hit would publish stale pages; a miss only costs time. The cache trusts an
output file only while its size, mtime and inode are the ones recorded, so a file changed
by anything else is rendered again; and the writer checks again that each link reached
that very file, so a concurrent build that swapped its output in meanwhile makes this
build fail ("build again") instead of publishing bytes nobody checked.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..core.errors import BuildFailed, Diagnostics, SiteError
from ..core.fileops import Signature, signature
from ..render.parallel import without_caches
from . import cachefile
from .hashes import InputHashes, InputSignature, digest, tree_files
from .parsed import ParsedSources

if TYPE_CHECKING:
    from ..kinds.data import SiteData
    from ..kinds.pages import Page
    from ..load.config import BuildOptions
    from ..render.uses import RenderedFile
    from .graph import Fingerprints

FORMAT = 7  # bump when the manifest's layout (or cachefile's encoding) changes
MANIFEST = "manifest.json"  # small: enough to tell that nothing changed
DETAILS = "details.json"  # per output and per page; read only when something changed
STAGED = ".details-"  # + a build's token: its details, written before its output is swapped in
CACHE_FOLDER = Path(".cache") / "explainer"  # beside the source folder


@dataclass
class Unit:
    """One output file as the last build made it."""

    key: str  # what it was rendered from (see site.py)
    sha: str  # its bytes
    file: RenderedFile  # path, state (citations, links, terms), templates...; content dropped
    diagnostics: list[SiteError]  # what its render reported (warnings)
    ids: set[str] | None = None  # the ids in its HTML, when the link check parsed it (anchors)


@dataclass
class Details:
    """The big part of the manifest, in its own file, loaded only when a build needs it."""

    token: str = ""  # the same as its Manifest's: a pair written by one build
    units: dict[str, Unit] = field(default_factory=dict)  # by output path
    shas: dict[str, str] = field(default_factory=dict)  # output path -> sha of its bytes (all we wrote)
    pages: dict[str, tuple[str, Page]] = field(default_factory=dict)  # source path -> (its sha, parsed)
    data: tuple[str, SiteData, list[SiteError]] | None = None  # key, loaded data, warnings
    scores: dict[str, float] = field(default_factory=dict)  # reading scores (checks/reading.py Scores)
    # The prose checks' findings of each page and of the data: name -> (key, findings) (site/check.py).
    checked: dict[str, tuple[str, list[SiteError]]] = field(default_factory=dict)


@dataclass
class Manifest:
    format: int = FORMAT
    token: str = ""
    inputs: str = ""  # fingerprint of every input and option (nothing changed: nothing to do)
    tree: dict[str, Signature] = field(default_factory=dict)  # every file in the output
    statics: dict[str, tuple[str, int, int]] = field(default_factory=dict)  # out path -> (source, size, mtime)
    search: str | None = None  # unused since the index comes in parts named by their pages (kept: older caches load)
    diagnostics: list[SiteError] = field(default_factory=list)  # the whole build's
    page_count: int = 0
    # Input file -> (its signature, its content hash) when hashed, and when that was: a file
    # whose signature is unchanged is not read again (as git's index does), unless it changed
    # within RACY_NS of being hashed, where a same-size edit could keep the signature.
    hashes: dict[str, tuple[InputSignature, str]] = field(default_factory=dict)
    hashed_ns: int = 0
    details: Details = field(default_factory=Details, repr=False)  # saved apart (see DETAILS)


class BuildCache:
    """The manifest of one output folder, and the fingerprints of the current inputs."""

    def __init__(self, options: BuildOptions) -> None:
        self.options = options
        self.out = options.out.resolve()
        self.dir = cache_dir(options)
        self.problem: str | None = None  # why the cache on disk was ignored, if it was
        self.old = self._load()
        self._details: Details | None = None
        self.parsed = ParsedSources(self)
        self.now = InputHashes(options, self.old)
        self.inputs = self.now.fingerprint()
        self.hits = 0  # outputs taken from the last build this time
        self.linked = 0  # output files hard-linked from the previous output

    # --- reading ------------------------------------------------------------------------

    def _load(self) -> Manifest:
        manifest = self._read(MANIFEST, Manifest, details=False)
        if manifest is None or manifest.format != FORMAT or not _manifest_shape(manifest):
            if manifest is not None and self.problem is None:
                self.problem = "made by another version of the generator" if manifest.format != FORMAT else "damaged"
            return Manifest()
        return manifest

    @property
    def details(self) -> Details:
        """The last build's per-output records (read on first use)."""
        if self._details is None:
            details = self._read(DETAILS, Details, details=True) if self.old.token else None
            ok = isinstance(details, Details) and details.token == self.old.token and _details_shape(details)
            if details is not None and not ok and self.problem is None:
                self.problem = "damaged"
            self._details = details if ok else Details()  # type: ignore[assignment]
        assert self._details is not None
        return self._details

    def _read(self, name: str, kind: type, details: bool) -> Any:
        try:
            value = cachefile.read(self.dir / name, _record_types(details))
        except cachefile.Unreadable as exc:
            self.problem = f"{name}: {exc}"
            return None
        if value is not None and not isinstance(value, kind):
            self.problem = f"{name}: not a {kind.__name__}"
            return None
        return value

    def known_ids(self, files: list[RenderedFile]) -> dict[str, set[str]]:
        """The ids (anchor targets) of outputs taken from the cache, as the link check wants them."""
        found = {}
        for f in files:
            if getattr(f, "from_cache", None) is not None:
                ids = self.details.units[f.path].ids
                if ids is not None:
                    found[f.path] = ids
        return found

    def sha_of(self, path: Path | str) -> str:
        return self.now.sha_of(path)

    def site_key(self, structure: str) -> str:
        """The part of every output's key shared by all: render inputs and the site's
        structure (page paths and URLs, the menu), given by the caller."""
        return digest(self.now.render_inputs(), structure)

    def unchanged(self) -> bool:
        """True when no input changed since the last build and its output is untouched."""
        old = self.old
        if not old.inputs or old.inputs != self.inputs:
            return False
        present = tree_files(self.out)
        if present.keys() != old.tree.keys():
            return False
        return all(signature(path) == old.tree[rel] for rel, path in present.items())

    def replay(self, strict: bool) -> Diagnostics:
        """Nothing changed: the last build's diagnostics, as --strict makes them (BuildFailed)."""
        diags = Diagnostics(list(self.old.diagnostics))
        if strict:
            diags.promote_warnings()
        if diags.errors:
            raise BuildFailed(diags)
        return diags

    def trusted(self, rel: str) -> Path | None:
        """The previous output's file at rel, if it is still exactly what the cache recorded."""
        recorded = self.old.tree.get(rel)
        path = self.out / rel
        return path if recorded is not None and signature(path) == recorded else None

    def lookup(self, rel: str, base: str, now: Fingerprints) -> tuple[RenderedFile, list[SiteError]] | None:
        """The last build's output at rel if it is intact and was rendered from this base and
        from what everything it used then is now (its key; incremental/graph.py)."""
        unit = self.details.units.get(rel)
        if unit is None or unit.key != now.key(base, unit.file):
            return None
        path = self.trusted(rel)
        if path is None:
            return None
        self.hits += 1
        return cached_file(unit.file, path), list(unit.diagnostics)

    def reusable(self, rel: str, content_sha: str) -> Path | None:
        """The previous output's file at rel when its bytes are content_sha (to hard-link)."""
        if self.details.shas.get(rel) != content_sha:
            return None
        return self.trusted(rel)

    def reusable_static(self, rel: str, source: Path) -> Path | None:
        recorded = self.old.statics.get(rel)
        sig = signature(source)
        if recorded is None or sig is None or recorded != (str(source), sig[0], sig[1]):
            return None
        return self.trusted(rel)

    def reusable_folder(self, folder: str, leave: str | None = None) -> dict[str, Path] | None:
        """The previous output's files under folder ("pagefind/part-x/"), but not under
        leave, if every one of them is as this cache recorded it."""
        files = {
            rel: self.out / rel
            for rel in self.old.tree
            if rel.startswith(folder) and not (leave and rel.startswith(leave))
        }
        if not files or any(self.trusted(rel) is None for rel in files):
            return None
        return files

    # --- writing ------------------------------------------------------------------------

    def stage(self, manifest: Manifest) -> None:
        """Write the build's details before its output is swapped in (the writer calls this
        while Pagefind indexes, leaving a core idle: details are most of a save's work)."""
        manifest.token = manifest.details.token = digest(self.inputs, str(os.getpid()), str(time.time_ns()))
        manifest.details.pages, manifest.details.scores = self.parsed.pages, self.parsed.scores_used()
        manifest.details.data = None  # loaded data is not kept (its types are many; loading is quick)
        if not _stage(self.dir, manifest.token, manifest.details):
            manifest.token = ""  # save() then writes no manifest: the next build is a full one

    def save(self, manifest: Manifest) -> None:
        """Record the build that was just swapped in (under the output's swap lock, after stage)."""
        manifest.inputs = self.inputs
        manifest.hashes, manifest.hashed_ns = self.now.hashes, self.now.started_ns
        manifest.tree = {rel: sig for rel, path in tree_files(self.out).items() if (sig := signature(path))}
        details, manifest.details = manifest.details, Details()
        try:
            _commit(self.dir, manifest)
        finally:
            manifest.details = details


def _stage(folder: Path, token: str, details: Details) -> bool:
    """Write details under a name of their own (STAGED + token), for _commit to rename in. A
    build that fails between the two leaves them named by no manifest: the next commit
    removes them."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        cachefile.write(folder / f"{STAGED}{token}", details)
        return True
    except OSError:
        return False


def _commit(folder: Path, manifest: Manifest) -> None:
    """The staged details in place, then the manifest that names them (a manifest never
    names details not there)."""
    try:
        if manifest.token:
            os.replace(folder / f"{STAGED}{manifest.token}", folder / DETAILS)
            cachefile.write(folder / MANIFEST, manifest)
        for left in folder.glob(f"{STAGED}*"):  # of builds that failed after staging
            left.unlink(missing_ok=True)
    except OSError:
        # The output is written; without a manifest the next build is a full one. A stale
        # manifest stays harmless: it trusts no file whose size, mtime or inode changed.
        pass


def cache_dir(options: BuildOptions) -> Path:
    """Where the cache of this (output, source, templates) lives: with the project."""
    out, source = options.out.resolve(), options.source.resolve()
    ident = digest(str(out), str(source), str(options.templates.resolve()))[:12]
    return source.parent / CACHE_FOLDER / f"{out.name}-{ident}"


def _record_types(details: bool) -> dict[str, type]:
    """The dataclasses a cache file may hold (cachefile.py rebuilds nothing else)."""
    types: dict[str, type] = {"Manifest": Manifest, "Details": Details, "Unit": Unit}
    if details:  # only the details hold rendered files; importing them loads the kinds
        from ..kinds.pages import Page
        from ..markdown.state import PageState
        from ..render.uses import RenderedFile

        types |= {"Page": Page, "PageState": PageState, "RenderedFile": RenderedFile}
    return types


def _manifest_shape(m: Manifest) -> bool:
    """The manifest's fields hold what this code reads from them (a file from elsewhere may not)."""
    return (
        all(isinstance(v, str) for v in (m.token, m.inputs))
        and isinstance(m.hashed_ns, int)
        and all(isinstance(sig, tuple) and len(sig) == 3 for sig in m.tree.values())
        and all(isinstance(h, tuple) and len(h) == 2 and isinstance(h[0], tuple) for h in m.hashes.values())
        and all(isinstance(st, tuple) and len(st) == 3 for st in m.statics.values())
        and all(isinstance(e, SiteError) for e in m.diagnostics)
    )


def _details_shape(d: Details) -> bool:
    return (
        all(isinstance(u, Unit) and hasattr(u.file, "path") for u in d.units.values())
        and all(isinstance(p, tuple) and len(p) == 2 for p in d.pages.values())
        and all(
            isinstance(c, tuple) and len(c) == 2 and isinstance(c[0], str) and isinstance(c[1], list)
            for c in d.checked.values()
        )
        and all(isinstance(e, SiteError) for c in d.checked.values() for e in c[1])
    )


_cached_class: type | None = None


def cached_file(recorded: RenderedFile, path: Path) -> RenderedFile:
    """A copy of a recorded output whose bytes are read from path (the previous output's
    file) only if someone asks: the link check reads the few pages that anchors point into.
    `from_cache` tells the writer to hard-link path instead of writing bytes."""
    global _cached_class
    if _cached_class is None:
        from ..render.uses import RenderedFile  # here: importing it loads the kinds

        class CachedFile(RenderedFile):
            @property  # type: ignore[override]
            def content(self) -> bytes:
                if self._bytes is None:
                    self._bytes = self.from_cache.read_bytes()
                return self._bytes

            @content.setter
            def content(self, value: bytes | None) -> None:
                self._bytes = value

        _cached_class = CachedFile
    copy = _cached_class.__new__(_cached_class)
    copy.__dict__.update(recorded.__dict__)
    copy.__dict__.update(_bytes=None, from_cache=path)
    return copy


def for_manifest(file: RenderedFile) -> RenderedFile:
    """A RenderedFile without its bytes (the manifest keeps hashes, the output keeps bytes)."""
    from ..render.uses import RenderedFile

    kept: dict[str, Any] = {k: v for k, v in vars(file).items() if k not in ("content", "_bytes", "from_cache")}
    copy = RenderedFile.__new__(RenderedFile)
    copy.__dict__.update(kept)
    copy.content = b""
    copy.state = without_caches(file.state)
    return copy
