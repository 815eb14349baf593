"""Incremental rebuilds for the live preview: from the files that changed to the outputs to redo.

What a change re-renders is the build cache's rule (incremental/graph.py: each output's
recorded uses); a page's title or order also redoes the outputs that show the menu, a
static file is copied, and what the graph cannot follow (site.yaml; a file added or
removed; a folder moved) is a full build. The link check then runs over the whole site, the
prose checks over the pages and data whose inputs changed (site/check.py): an incremental
result equals a full build's, bytes and findings. Failed changes are retried with the next."""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from ..checks.links import check_links
from ..core.errors import BuildFailed, Diagnostics, Location
from ..core.fileops import replace_file, under
from ..core.files import why_not_a_file
from ..incremental.changes import THEME_STATIC, ChangeKind, Roots, classify, is_temporary
from ..incremental.graph import Fingerprints, stale
from ..incremental.hashes import file_digest
from ..kinds.data import SiteData, load_data
from ..kinds.pages import Page, read_page, sort_pages
from ..load.config import BuildOptions, SiteConfig
from ..output.write import static_files, write_atomically
from ..render.renderer import Renderer
from ..render.templates import make_environment
from ..render.uses import NAV_USE, RenderedFile, cited_input, note_uses
from ..site.build import SiteBuild, build_site
from ..site.check import Found, Prose, check_config_refs, check_site, own_scope
from .search import carry_search_index

__all__ = ["Outcome", "Rebuilder", "is_temporary"]


@dataclass
class Outcome:
    """What one rebuild did."""

    ok: bool
    diags: Diagnostics
    full: bool = False
    reason: str = ""  # why a full build ran
    rendered: list[str] = field(default_factory=list)  # outputs rendered again
    written: list[str] = field(default_factory=list)  # output paths whose bytes changed on disk
    seconds: float = 0.0


@dataclass
class _State:
    """The last good build: what is on disk, and what each output used."""

    config: SiteConfig
    pages: list[Page]
    data: SiteData
    files: dict[str, RenderedFile]  # in render order
    extra: dict[str, bytes]  # sitemap.xml, robots.txt: change only with the set of pages
    statics: dict[str, Path]
    templates: set[str]  # every file name in the templates folder
    cited_seen: dict[str, frozenset[str]]  # outputs that list cited sources -> what they listed
    menu: tuple[tuple[str, str], ...]  # Menu.key() of this build
    hashes: dict[str, str]  # what each thing an output used was when it rendered (incremental/graph.py)

    @classmethod
    def from_build(cls, build: SiteBuild, templates: set[str], hashes: dict[str, str]) -> _State:
        files = {f.path: f for f in build.rendered}
        extra = {p: c for p, c in build.files.items() if p not in files}
        return cls(
            build.config,
            build.pages,
            build.data,
            files,
            extra,
            build.statics,
            templates,
            _cited(files),
            build.menu,
            hashes,
        )


@dataclass
class _Changes:
    """A batch of changed paths, sorted by what they are (see changes.classify)."""

    pages: list[Page]  # the page list, with the changed pages read again
    page_outputs: set[str] = field(default_factory=set)  # the outputs of the changed pages
    data: set[str] = field(default_factory=set)  # changed data files, by name
    templates: set[str] = field(default_factory=set)  # changed templates, by name
    statics: bool = False  # a static file changed: copy the static files again


class _Full(Exception):
    """This change needs a full build; the message says why."""


class _Batch:
    """A batch of changed paths, read against the last good build: what each path is, and
    whether the preview can redo just what used it (else _Full)."""

    def __init__(self, rebuilder: Rebuilder, st: _State) -> None:
        self.options = rebuilder.options
        self.source, self.templates, self.roots = rebuilder.source, rebuilder.templates, rebuilder.roots
        self.st = st

    def gather(self, paths: set[Path], diags: Diagnostics) -> _Changes:
        """The batch sorted by kind; raises _Full for a change that needs a full build."""
        st = self.st
        changes = _Changes(list(st.pages))
        for path in sorted(paths):
            if is_temporary(path):
                continue
            if path.is_dir():
                raise _Full(f"folder {path.name} appeared")
            if not path.exists() and any(under(known, path) for known in _inputs(st, self.templates)):
                raise _Full(f"folder {path.name} was removed")
            kind = classify(path, self.roots)
            if kind is ChangeKind.PAGE:
                changes.pages, outputs = self.page_changed(changes.pages, path, diags)
                changes.page_outputs |= outputs
            elif kind is ChangeKind.DATA:
                changes.data.add(self.data_name(path))
            elif kind is ChangeKind.TEMPLATE:
                name = path.relative_to(self.templates).as_posix()
                if path.is_file() != (name in st.templates):
                    raise _Full(f"template {name} was added or removed")
                changes.templates.add(name)
            elif kind is ChangeKind.STATIC:
                changes.statics = True
            elif kind is ChangeKind.CONFIG:
                raise _Full(f"{path.name} changed")
        return changes

    def page_changed(self, pages: list[Page], path: Path, diags: Diagnostics) -> tuple[list[Page], set[str]]:
        """The page list with this page read again, and the outputs that it renders."""
        old = next((p for p in pages if Path(os.path.abspath(p.source)) == path), None)
        reason = why_not_a_file(path, self.source) if os.path.lexists(path) else None  # load_pages' rule
        if reason is not None:
            if old is not None:
                raise _Full(f"page {path.name} is not a file any more")
            diags.warning(Location(path), f"skipped: {reason}")
            return pages, set()
        if not path.exists():
            if old is not None:
                raise _Full(f"page {path.name} was removed")
            return pages, set()
        page = read_page(Path(self.options.source) / path.relative_to(self.source), self.pages_dir, diags)
        if page is None:  # its error is in diags; links to it are not reported again
            if old is not None:
                diags.mark_broken("url", old.output_path)
            return pages, set()
        if page.draft and not self.options.drafts:
            if old is not None:
                raise _Full(f"page {path.name} became a draft")
            return pages, set()
        if old is None:
            raise _Full(f"page {path.name} was added")
        page.prefix = old.prefix
        return sort_pages([page if p is old else p for p in pages]), {page.output_path}

    @property
    def pages_dir(self) -> Path:
        return Path(self.options.source) / "pages"

    def data_name(self, path: Path) -> str:
        for name, known in self.st.data.files.items():
            if Path(os.path.abspath(known)) == path:
                if not path.is_file():
                    raise _Full(f"data file {path.name} was removed")
                return name
        raise _Full(f"data file {path.name} was added")


class Rebuilder:
    """Keeps the last good build in memory and on disk at `options.out`, and updates both."""

    def __init__(self, options: BuildOptions) -> None:
        self.options = options
        self.out = Path(os.path.abspath(options.out))
        self.source = Path(os.path.abspath(options.source))
        self.templates = Path(os.path.abspath(options.templates))
        self.roots = Roots(self.source, self.templates)
        self.state: _State | None = None
        self.pending: set[Path] = set()  # changes not yet in a good build
        self.env = None  # the Jinja environment, kept so templates compile once
        self.ids_cache: dict[str, set[str]] = {}  # the link check's parsed ids, per output
        self.checked: Found = {}  # the prose checks' findings of each page and of the data (site/check.py)

    # --- entry points --------------------------------------------------------------------

    def full(self, reason: str = "first build") -> Outcome:
        started = time.perf_counter()
        self.ids_cache = {}  # a failed incremental attempt may have filled it with pages never written
        try:
            build = build_site(self.options, checked=self.checked)
        except BuildFailed as failed:
            return Outcome(False, failed.diagnostics, True, reason, seconds=time.perf_counter() - started)
        old = self.state
        write_atomically(self.out, build.files, build.statics, finish=partial(carry_search_index, self.out))
        templates = set(make_environment(self.options.template_dirs()).list_templates())
        self.state = _State.from_build(build, templates, self._fingerprints(build.data).table(build.rendered))
        self.pending.clear()
        self.env = None
        files = self.state.files
        written = [
            p for p, f in files.items() if old is None or p not in old.files or old.files[p].content != f.content
        ]
        return Outcome(True, build.diags, True, reason, list(files), written, time.perf_counter() - started)

    def update(self, changed: Iterable[Path | str]) -> Outcome:
        """Rebuild after these files changed (added, modified or removed)."""
        self.pending |= {Path(os.path.abspath(p)) for p in changed}
        if self.state is None:
            return self.full("no good build yet")
        started = time.perf_counter()
        try:
            outcome = self._incremental(self.state, set(self.pending))
        except _Full as why:
            return self.full(str(why))
        if not outcome.ok:
            # Report exactly what `build` would (every error, not only those of the outputs redone).
            return self.full("the changed sources have errors")
        self.pending.clear()
        outcome.seconds = time.perf_counter() - started
        return outcome

    # --- the incremental path ------------------------------------------------------------

    def _incremental(self, st: _State, paths: set[Path]) -> Outcome:
        diags = Diagnostics()
        changes = _Batch(self, st).gather(paths, diags)
        if diags.errors:
            return Outcome(False, diags)
        data = st.data
        if changes.data:
            data = load_data(self.options.source, diags, st.data.kinds, st.config.language)
            check_config_refs(st.config, data, diags)
        renderer = Renderer(st.config, changes.pages, data, self.options, diags)
        if changes.templates:
            self.env = None  # auto_reload is off: compiled templates stay until dropped
        renderer.env = self.env = self.env or renderer.env
        jobs = renderer.jobs()
        if set(jobs) != set(st.files):
            raise _Full("the set of pages changed")
        now = self._fingerprints(data)
        targets = _targets(st, changes, now, renderer.menu.key() != st.menu)
        files, rendered = self._render(st, renderer, jobs, targets)
        statics = _statics(self.options, st, changes)
        try:
            check_site(
                list(files.values()),
                set(statics) | set(files) | set(st.extra),
                data,
                renderer.cited,
                diags,
                self.options.strict,
                self.ids_cache,
                Prose(self.options.source, st.config, changes.pages, None, now, self.checked),
                own=own_scope(self.options),
            )
        except BuildFailed:
            return Outcome(False, diags)
        written = _write_changed(self.out, st, files, rendered, statics, paths)
        self.state = _State(
            st.config,
            changes.pages,
            data,
            files,
            st.extra,
            statics,
            st.templates,
            _cited(files),
            renderer.menu.key(),
            now.table(files.values()),
        )
        return Outcome(True, diags, rendered=rendered, written=written)

    def _render(
        self, st: _State, renderer: Renderer, jobs: dict[str, Any], targets: set[str]
    ) -> tuple[dict[str, RenderedFile], list[str]]:
        """Every output, in render order: the targets rendered again, the rest kept. An output
        that lists what the others cited is redone when that changed (render.uses.cited_input)."""
        files: dict[str, RenderedFile] = {}
        rendered: list[str] = []
        renderer.cited = set()  # what the outputs so far cited, as a full build has it
        renderer.fact_uses = {}  # and the facts they printed
        for path, job in jobs.items():
            cited = cited_input(path, renderer.cited, renderer.fact_uses, renderer.data.kinds)
            if path in targets or (cited is not None and st.cited_seen.get(path) != cited):
                new = job()  # adds its citations to renderer.cited
                rendered.append(path)
                if new is None:
                    continue  # its error is in diags
                files[path] = new
                self.ids_cache.pop(path, None)
            else:
                files[path] = st.files[path]
                renderer.note_output(files[path])
        return files, rendered

    def _fingerprints(self, data: SiteData) -> Fingerprints:
        """What the sources are now, hashed as the build cache hashes them."""
        return Fingerprints(data, self.options.template_dirs(), file_digest)

    def warm(self) -> None:
        """Compile the templates the site uses and parse its pages' anchors now, so the next
        edit does not wait for either. The preview calls this after the browser was told."""
        if self.state is None:
            return
        if self.env is None:
            self.env = make_environment(self.options.template_dirs())
        st = self.state
        # The link check's parse of each linked page, kept (the check itself is thrown away).
        check_links(
            list(st.files.values()), set(st.statics) | set(st.files) | set(st.extra), Diagnostics(), self.ids_cache
        )
        for name in sorted(set().union(*(f.templates for f in st.files.values()))):
            try:
                self.env.get_template(name)
            except Exception:  # noqa: BLE001, S112 - a broken template is reported when a page uses it
                continue


def _statics(options: BuildOptions, st: _State, changes: _Changes) -> dict[str, Path]:
    """The static files, as build_site lists them (so unchanged ones compare equal)."""
    if not changes.statics:
        return st.statics
    statics = static_files(options.templates / THEME_STATIC, options.source / "static")
    if set(st.statics) - set(statics):
        raise _Full("a static file was removed")
    return statics


def _write_changed(
    out: Path,
    st: _State,
    files: dict[str, RenderedFile],
    rendered: list[str],
    statics: dict[str, Path],
    paths: set[Path],
) -> list[str]:
    """Write the outputs whose bytes changed and the static files that changed; their paths."""
    written = [p for p in rendered if files[p].content != st.files[p].content]
    for rel in written:
        _write_file(out, rel, files[rel].content)
    for rel, src in statics.items():
        if rel not in st.statics or st.statics[rel] != src or Path(os.path.abspath(src)) in paths:
            _copy_file(out, rel, src)
            written.append(rel)
    return written


# --- helpers -----------------------------------------------------------------------------


def _targets(st: _State, changes: _Changes, now: Fingerprints, menu_changed: bool) -> set[str]:
    """The outputs to render again: the changed pages', those that used something whose
    hash changed (a template, a data file or one entry of it: incremental/graph.py), and
    those that show the menu when it changed."""
    targets = set(changes.page_outputs) | stale(st.files, st.hashes, now)
    if menu_changed:
        targets |= {path for path, f in st.files.items() if NAV_USE in f.data}
    return targets


def _cited(files: dict[str, RenderedFile]) -> dict[str, frozenset[str]]:
    """For outputs that list cited sources: the sources cited by the outputs rendered before them."""
    seen: dict[str, frozenset[str]] = {}
    cited: set[str] = set()
    fact_uses: dict[str, dict[str, str]] = {}
    for path, f in files.items():
        listed = cited_input(path, cited, fact_uses)
        if listed is not None:
            seen[path] = listed
        note_uses(cited, fact_uses, f)
    return seen


def _inputs(st: _State, templates: Path) -> Iterable[Path]:
    yield from (Path(os.path.abspath(p.source)) for p in st.pages)
    yield from (Path(os.path.abspath(p)) for p in st.data.files.values())
    yield from (Path(os.path.abspath(p)) for p in st.statics.values())
    yield from (templates / name for name in st.templates)


def _write_file(out: Path, rel: str, content: bytes) -> None:
    """Replace one output file atomically (its temporary file beside the served folder)."""
    (out / rel).parent.mkdir(parents=True, exist_ok=True)
    replace_file(out / rel, lambda temp: temp.write_bytes(content), out.parent)


def _copy_file(out: Path, rel: str, source: Path) -> None:
    (out / rel).parent.mkdir(parents=True, exist_ok=True)
    replace_file(out / rel, lambda temp: shutil.copyfile(source, temp), out.parent)
