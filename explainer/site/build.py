"""The whole build, stage by stage: config -> content -> data -> render -> check -> output.

`build_site` renders in memory and reports every problem at once (the checks after
rendering: check.py); `write_site` (write.py) puts a successful build on disk atomically.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ..core import cancel
from ..core.errors import BuildFailed, Diagnostics, Location, SiteError
from ..core.files import source_files
from ..core.urls import url_of
from ..incremental.cache import BuildCache
from ..incremental.changes import THEME_STATIC
from ..incremental.graph import Fingerprints
from ..incremental.hashes import digest, file_digest
from ..kinds.data import SiteData, load_data
from ..kinds.pages import Page, load_pages, read_page, refuse_home_page
from ..kinds.registry import Registry
from ..load.config import BuildOptions, SiteConfig, load_site_config
from ..output.search import SearchIndex, pagefind_available
from ..output.write import robots, sitemap, static_files
from ..render.parallel import PageResult, read_pages, render_pages
from ..render.uses import RenderedFile, cited_input
from .check import Found, Prose, check_config_refs, check_site, own_scope

if TYPE_CHECKING:  # imported where used: a build with nothing to do needs neither Jinja nor Markdown
    from ..render.renderer import Renderer

PageReader = Callable[[Path, Path, Diagnostics], Page | None]


@dataclass
class SiteBuild:
    config: SiteConfig
    pages: list[Page]
    data: SiteData
    rendered: list[RenderedFile]
    statics: dict[str, Path]
    diags: Diagnostics
    files: dict[str, bytes] = field(default_factory=dict)  # output path -> bytes rendered this time
    seconds: float = 0.0
    # With a cache (see cache.py): outputs reused from the last build, and their keys.
    cache: BuildCache | None = None
    units: dict[str, tuple[str, list[SiteError]]] = field(default_factory=dict)  # path -> (key, diagnostics)
    reported: list[SiteError] = field(default_factory=list)  # diagnostics before --strict (cached)
    ids: dict[str, set[str]] = field(default_factory=dict)  # output path -> ids, where the link check parsed it
    menu: tuple[tuple[str, ...], ...] = ()  # what the menu shows (Menu.key)
    search: SearchIndex | None = None  # fed every page while rendering; written by write_site
    checked: Found = field(default_factory=dict)  # the prose checks' findings of each part (site/check.py)

    @property
    def page_count(self) -> int:
        return sum(1 for f in self.rendered if f.path.endswith(".html"))

    @property
    def cached(self) -> int:
        """How many outputs were taken from the cache instead of rendered."""
        return sum(1 for f in self.rendered if getattr(f, "from_cache", None) is not None)


def build_site(
    options: BuildOptions,
    cache: BuildCache | None = None,
    jobs: int | None = None,
    search: SearchIndex | None = None,
    checked: Found | None = None,
) -> SiteBuild:
    """Render everything in memory; raises BuildFailed with every error found. With a cache,
    outputs whose inputs did not change are taken from the last build (see cache.py). jobs:
    processes to render pages with (None: one per core when there are enough pages).
    search: an index (open_search) fed every page as it is rendered; write_site writes it.
    checked: where the prose checks keep each part's findings (the live preview's; with a
    cache and no checked, the last build's, kept in the cache)."""
    started = time.perf_counter()
    diags = Diagnostics()
    for folder, what in ((options.source, "source"), (options.templates, "templates")):
        if not folder.is_dir():
            diags.error(Location(folder), f"{what} folder not found")
    if diags.errors:
        raise BuildFailed(diags)
    config = load_site_config(options.source, diags, options)
    cancel.check()  # a stop asked for while a library swallowed its KeyboardInterrupt (see cancel.py)
    series = options.series
    pages, data = _content(options, config, cache, jobs, diags)
    cancel.check()
    check_config_refs(config, data, diags)
    if config is None:
        raise BuildFailed(diags)
    # Render even after data errors (bad entries were dropped), so one run reports them all.

    from ..render.renderer import Renderer

    renderer = Renderer(config, pages, data, options, diags)
    units: dict[str, tuple[str, list[SiteError]]] = {}
    feed = _feeder(search) if search is not None else None
    rendered = render_site(renderer, pages, cache, units, jobs, feed)
    statics = static_files(options.templates / THEME_STATIC, options.source / "static", diags=diags)
    files = {f.path: f.content for f in rendered if getattr(f, "from_cache", None) is None}
    if series is None:  # a series has one of each for all its explainers (series.py)
        files["sitemap.xml"] = sitemap(config, [url_of(f.path) for f in rendered if f.in_sitemap])
        files["robots.txt"] = robots(config)
    ids = cache.known_ids(rendered) if cache is not None else {}
    prose = _prose(options, config, pages, data, cache, checked)
    reported = check_site(
        rendered,
        set(statics) | set(files),
        data,
        renderer.cited,
        diags,
        options.strict,
        ids,
        prose,
        own=own_scope(options),
    )
    build = SiteBuild(config, pages, data, rendered, statics, diags, files, time.perf_counter() - started)
    build.cache, build.units, build.reported, build.ids = cache, units, reported, ids
    build.search, build.checked = search, prose.found
    build.menu = renderer.menu.key()
    return build


def _prose(
    options: BuildOptions,
    config: SiteConfig,
    pages: list[Page],
    data: SiteData,
    cache: BuildCache | None,
    checked: Found | None,
) -> Prose:
    """What the prose checks read, and the findings of each part kept from the last time:
    the caller's (the preview's), else the build cache's."""
    prose = Prose(options.source, config, pages, cache.parsed.scores() if cache is not None else None)
    if checked is None and cache is not None:
        checked = dict(cache.details.checked)
    if checked is not None:
        sha_of = cache.sha_of if cache is not None else file_digest
        prose.now, prose.found = Fingerprints(data, options.template_dirs(), sha_of), checked
    return prose


def _content(
    options: BuildOptions, config: SiteConfig | None, cache: BuildCache | None, jobs: int | None, diags: Diagnostics
) -> tuple[list[Page], SiteData]:
    """The pages and the data, as the kinds (under the site's url_prefix) make them. In a
    series (series.py), an explainer also reads the series' shared data and has its own
    feeds; the front door has no home page of its own and may have no pages at all."""
    prefix = config.url_prefix if config is not None else ""
    series = options.series
    slug = series.slug_of(options.source) if series is not None else ""
    kinds = (options.kinds or Registry()).at(prefix, prefix if slug else "")
    front_door = series is not None and not slug
    reserved = kinds.reserved_slugs() | set(series.reserved() if front_door and series is not None else ())
    if front_door and not (options.source / "pages").is_dir():
        pages: list[Page] = []
    else:
        reader = _page_reader(options, cache, jobs)
        pages = load_pages(options.source, diags, options.drafts, reader, reserved, kinds.url_prefix)
    if front_door:
        refuse_home_page(pages, diags)
    language = config.language if config is not None else "en"
    if cache is not None:
        return pages, cache.parsed.load_data(options.source, diags, kinds, language)
    return pages, load_data(options.source, diags, kinds, language, series.root if series and slug else None)


def _page_reader(options: BuildOptions, cache: BuildCache | None, workers: int | None) -> PageReader:
    """What load_pages reads each page with: the cache's parsed pages first, then pages
    parsed ahead over every core (when there are enough), then content.read_page."""
    pages_dir = options.source / "pages"
    todo = source_files(pages_dir, ".md", None, root=options.source)  # load_pages warns about the rest
    if cache is not None:
        todo = [path for path in todo if cache.parsed.known_page(path) is None]
    ahead = read_pages(todo, pages_dir, workers)
    fallback = cache.parsed.read_page if cache is not None else read_page

    def reader(path: Path, pages_dir: Path, diags: Diagnostics) -> Page | None:
        got = ahead.pop(path, None)
        if got is None:
            return fallback(path, pages_dir, diags)
        page, items, broken = got
        diags.items.extend(items)
        diags.broken |= broken
        if cache is not None and page is not None and not items:
            cache.parsed.remember_page(path, page)
        return page

    return reader


def render_site(
    renderer: Renderer,
    pages: list[Page],
    cache: BuildCache | None = None,
    units: dict[str, tuple[str, list[SiteError]]] | None = None,
    workers: int | None = None,
    feed: Callable[[RenderedFile], None] | None = None,
) -> list[RenderedFile]:
    """Every output of Renderer.jobs(), returned in its order: the pages first, spread over
    every core when there are enough (see parallel.py), then the other outputs. With a
    cache, an output whose key is unchanged is taken from the last build; units gets every
    output's key and diagnostics (what the cache records). feed gets every output as soon
    as it and every output before it are there (the same order whatever is cached or
    parallel)."""
    jobs = renderer.jobs()
    page_jobs = {p.output_path: p for p in pages if p.output_path in jobs}
    units = {} if units is None else units
    site_key = cache.site_key(_structure(renderer, pages)) if cache is not None else ""
    # An output's key: what it is (base) and what each thing it used is now (incremental/graph.py).
    now = Fingerprints(renderer.data, renderer.options.template_dirs(), cache.sha_of) if cache is not None else None
    bases: dict[str, str] = {}
    results: dict[str, PageResult] = {}
    todo: list[Page] = []
    for path, page in page_jobs.items():
        bases[path] = digest(site_key, path, cache.sha_of(page.source)) if cache is not None else ""
        hit = cache.lookup(path, bases[path], now) if cache is not None and now is not None else None
        if hit is not None:
            results[path] = _replay(renderer, *hit)
        else:
            todo.append(page)
    in_order = _InOrder(list(page_jobs), results, feed)
    queue = iter(todo)
    render_pages(renderer, todo, workers, each=lambda result: in_order.arrived(next(queue).output_path, result))
    in_order.flush()  # pages after the last one rendered (cached)
    rendered = []
    for path, job in jobs.items():
        if path in page_jobs:
            result = results[path]
        else:
            # The bibliography and the Facts page: what the outputs before them cited and printed.
            cited = cited_input(path, renderer.cited, renderer.fact_uses, renderer.data.kinds)
            bases[path] = digest(site_key, path, *sorted(cited or ())) if cache is not None else ""
            hit = cache.lookup(path, bases[path], now) if cache is not None and now is not None else None
            result = _replay(renderer, *hit) if hit is not None else _run(renderer, job)
            if feed is not None and result.file is not None:
                feed(result.file)
        key = now.key(bases[path], result.file) if now is not None and result.file is not None else ""
        units[path] = (key, result.diagnostics)
        if result.file is not None:
            rendered.append(result.file)
    return rendered


class _InOrder:
    """Hands each page's output to feed in page order, as soon as it and every page before it
    are there (cached ones at once, rendered ones as they arrive), so what is fed, and in what
    order, does not depend on the cache or on parallel rendering."""

    def __init__(
        self, paths: list[str], results: dict[str, PageResult], feed: Callable[[RenderedFile], None] | None
    ) -> None:
        self.paths, self.results, self.feed, self.next = paths, results, feed, 0

    def arrived(self, path: str, result: PageResult) -> None:
        self.results[path] = result
        self.flush()

    def flush(self) -> None:
        while self.feed is not None and self.next < len(self.paths) and self.paths[self.next] in self.results:
            file = self.results[self.paths[self.next]].file
            if file is not None:
                self.feed(file)
            self.next += 1


def _run(renderer: Renderer, job: Callable[[], RenderedFile | None]) -> PageResult:
    diags = renderer.diags
    before, broken = len(diags.items), set(diags.broken)
    file = job()
    return PageResult(file, diags.items[before:], diags.broken - broken)


def _replay(renderer: Renderer, file: RenderedFile, diagnostics: list[SiteError]) -> PageResult:
    """A cached output counts as rendered: its diagnostics and citations join the build's."""
    renderer.diags.items.extend(diagnostics)
    renderer.note_output(file)
    return PageResult(file, diagnostics, set())


def _structure(renderer: Renderer, pages: list[Page]) -> str:
    """What every page's render reads about the other pages: their paths and URLs (links),
    and the menu (top-level titles and order)."""
    pages_dir = renderer.options.source / "pages"
    listing = [f"{p.source.relative_to(pages_dir).as_posix()}>{p.url}" for p in pages]
    menu = [">".join(item) for item in renderer.menu.key()]
    return digest(*listing, "|", *menu)


def open_search(options: BuildOptions) -> SearchIndex | None:
    """The search index a build feeds (None without Pagefind)."""
    if not options.search or not pagefind_available():
        return None
    return SearchIndex()


def _feeder(search: SearchIndex) -> Callable[[RenderedFile], None]:
    def feed(file: RenderedFile) -> None:
        if file.path.endswith(".html") and file.in_sitemap:
            search.add(file.path)  # a cached page's bytes stay unread

    return feed
