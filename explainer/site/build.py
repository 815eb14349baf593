"""The whole build, stage by stage: config -> content -> data -> render -> check -> output.

`build_site` renders in memory and reports every problem at once; `write_site` puts a
successful build on disk atomically.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..core import cancel
from ..core.errors import BuildFailed, Diagnostics, Location, SiteError
from ..core.files import source_files
from ..core.urls import url_of
from ..incremental.cache import BuildCache, Details, Manifest, Unit, for_manifest
from ..incremental.changes import THEME_STATIC
from ..incremental.graph import Fingerprints
from ..incremental.hashes import digest
from ..kinds.data import SiteData, load_data
from ..kinds.pages import Page, load_pages, read_page, refuse_home_page
from ..kinds.registry import Registry
from ..load.config import BuildOptions, SiteConfig, load_site_config
from ..load.series import EXPLAINERS
from ..output.search import INDEX_FOLDER, SearchIndex, pagefind_available
from ..output.write import (
    OutputChanged,
    OutputRefused,
    robots,
    sitemap,
    static_files,
    write_atomically,
    write_failed,
)
from ..render.parallel import PageResult, read_pages, render_pages

if TYPE_CHECKING:  # imported where used: a build with nothing to do needs neither Jinja nor Markdown
    from ..render.renderer import RenderedFile, Renderer

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
    unchanged: bool = False  # nothing changed since the cached build: nothing to write
    count: int | None = None  # the page count, when `rendered` is not known (unchanged)
    reported: list[SiteError] = field(default_factory=list)  # diagnostics before --strict (cached)
    ids: dict[str, set[str]] = field(default_factory=dict)  # output path -> ids, where the link check parsed it
    menu: tuple[tuple[str, ...], ...] = ()  # what the menu shows (Menu.key)
    search: SearchIndex | None = None  # fed every page while rendering; written by write_site

    @property
    def page_count(self) -> int:
        if self.count is not None:
            return self.count
        return sum(1 for f in self.rendered if f.path.endswith(".html"))

    @property
    def cached(self) -> int:
        """How many outputs were taken from the cache instead of rendered."""
        return sum(1 for f in self.rendered if getattr(f, "from_cache", None) is not None)


def build_site(
    options: BuildOptions, cache: BuildCache | None = None, jobs: int | None = None, search: SearchIndex | None = None
) -> SiteBuild:
    """Render everything in memory; raises BuildFailed with every error found. With a cache,
    outputs whose inputs did not change are taken from the last build (see cache.py). jobs:
    processes to render pages with (None: one per core when there are enough pages).
    search: an index (open_search) fed every page as it is rendered; write_site writes it."""
    started = time.perf_counter()
    diags = Diagnostics()
    for folder, what in ((options.source, "source"), (options.templates, "templates")):
        if not folder.is_dir():
            diags.error(Location(folder), f"{what} folder not found")
    if diags.errors:
        raise BuildFailed(diags)
    if cache is not None and cache.unchanged():
        return _unchanged(cache, options, diags, started)
    config = load_site_config(options.source, diags, options)
    series = options.series
    pages, data = _content(options, config, cache, jobs, diags)
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
    prose = (options.source, config, pages)
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
    build.search = search
    build.menu = renderer.menu.key()
    return build


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


def _unchanged(cache: BuildCache, options: BuildOptions, diags: Diagnostics, started: float) -> SiteBuild:
    """The build when no input changed: the last build's output stands, its warnings again."""
    diags.items = list(cache.old.diagnostics)
    if options.strict:
        diags.promote_warnings()
    if diags.errors:
        raise BuildFailed(diags)
    build = SiteBuild(None, [], None, [], {}, diags, seconds=time.perf_counter() - started)  # type: ignore[arg-type]
    build.cache, build.unchanged, build.count = cache, True, cache.old.page_count
    return build


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
    """Renderer.render_all, with the pages spread over every core when there are enough
    (see parallel.py), then the other outputs, in the same order. With a cache, an output
    whose key is unchanged is taken from the last build; units gets every output's key
    and diagnostics (what the cache records). feed gets every output as soon as it and
    every output before it are there (the same order whatever is cached or parallel)."""
    from ..render.renderer import cited_input

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


def own_scope(options: BuildOptions) -> Path | None:
    """In a series, the folder whose sources and terms this part reports unused (the front
    door's data is the series' shared entries: series.py checks them over every explainer);
    None outside a series (check_site then checks the links too)."""
    series = options.series
    if series is None:
        return None
    return options.source / (EXPLAINERS if series.slug_of(options.source) == "" else "")


def check_site(
    rendered: list[RenderedFile],
    targets: set[str],
    data: SiteData,
    cited: set[str],
    diags: Diagnostics,
    strict: bool,
    ids: dict[str, set[str]],
    prose: tuple[Path, SiteConfig, list[Page]] | None = None,
    own: Path | None = None,
) -> list[SiteError]:
    """The checks after rendering, the same for a build and a preview rebuild: every link
    (ids: anchors already parsed, by output), the prose (prose: the source folder, config and
    pages: numbers traced to facts, quotations, reading grade), then sources never cited and
    terms never used (not after an error: they are usually its echo), then --strict. Returns
    what was reported before --strict (the cache replays it); raises BuildFailed on any error.
    own: in a series, the folder whose sources and terms are this build's to report unused."""
    cancel.check()  # the preview is stopping: the checks are not wanted
    from ..checks.links import check_links

    if own is None:  # a series checks its parts' links at once (series.py): a link may lead into another part
        check_links(rendered, targets, diags, ids)
    if prose is not None:
        check_prose(*prose, data, diags)
    if not diags.errors:
        warn_unused(data, cited, rendered, diags, own)
    reported = list(diags.items)
    if strict:
        diags.promote_warnings()
    if diags.errors:
        raise BuildFailed(diags)
    return reported


def check_config_refs(config: SiteConfig | None, data: SiteData, diags: Diagnostics) -> None:
    """What site.yaml names in the data (the live preview runs this again after a data edit)."""
    claims_source = config.claims_source if config is not None else None
    if claims_source and claims_source not in data.sources and not diags.is_broken("source", claims_source):
        assert config is not None and config.raw is not None
        diags.error(config.raw.value_loc("claims_source"), f"unknown source id '{claims_source}'")


def check_prose(source: Path, config: SiteConfig, pages: list[Page], data: SiteData, diags: Diagnostics) -> None:
    """The prose checks: numbers traced to facts, quotations exact, reading grade, the site's wording rules."""
    from ..checks.numbers import check_facts, reading_of
    from ..checks.reading import check_reading_grade
    from ..checks.wording import check_wording

    reading = reading_of(config)
    check_facts(source, pages, data, diags, config.claims_source, reading)
    check_reading_grade(config, pages, data, diags)
    check_wording(source, pages, data, diags, reading)


def write_site(build: SiteBuild, options: BuildOptions) -> None:
    """Put the build on disk (atomically, see output.py); a failure is reported_write's."""
    with reported_write(options.out):
        _write_site(build, options)


@contextmanager
def reported_write(out: Path) -> Iterator[None]:
    """A write of the output whose failure is one located error (BuildFailed), with the
    previous site unchanged: a folder the build may not replace, an output another build
    changed meanwhile, a full disk or a folder that cannot be written."""
    try:
        yield
    except OutputRefused as refused:
        diags = Diagnostics()
        diags.error(Location(out), str(refused))
        raise BuildFailed(diags) from None
    except OutputChanged as changed:
        diags = Diagnostics()
        diags.error(
            Location(out / str(changed)),
            "the output changed while this build ran (did another build finish first?); build again",
        )
        raise BuildFailed(diags) from None
    except OSError as exc:
        raise BuildFailed(write_failed(out, exc)) from None


def _write_site(build: SiteBuild, options: BuildOptions) -> None:
    if build.unchanged:
        return  # the output already is this build
    cache = build.cache
    index = build.search if options.search else None
    protected = (options.source, options.templates)
    if cache is None:
        if index is not None:
            index.use_digests({rel: digest(content) for rel, content in build.files.items() if rel.endswith(".html")})
        write_atomically(
            options.out, build.files, build.statics, finish=index.write if index else None, protected=protected
        )
        return
    files, statics, links, shas = _reusable(build, cache)
    units = {
        f.path: Unit(key, shas[f.path], for_manifest(f), reported, build.ids.get(f.path))
        for f in build.rendered
        if f.path in build.units
        for key, reported in [build.units[f.path]]
    }
    manifest = Manifest(
        details=Details(units=units, shas=shas),
        statics={rel: (str(src), *_size_mtime(src)) for rel, src in build.statics.items()},
        diagnostics=build.reported,
        page_count=build.page_count,
    )

    if index is not None:  # the parts of the index made from exactly these pages: kept
        index.use_digests(shas)
        parts = f"{INDEX_FOLDER}/part-"  # inside the first part's folder: not the first part's
        links.update(index.reuse(lambda f: cache.reusable_folder(f, leave=None if f.startswith(parts) else parts)))

    write_atomically(
        options.out,
        files,
        statics,
        finish=index.write if index is not None else None,
        links=links,
        after_swap=lambda: cache.save(manifest),
        spare=cache.dir / "spare",
        expect={rel: cache.old.tree[rel] for rel in links if rel in cache.old.tree},
        protected=protected,
    )
    cache.linked = len(links)


def _reusable(
    build: SiteBuild, cache: BuildCache
) -> tuple[dict[str, bytes], dict[str, Path], dict[str, Path], dict[str, str]]:
    """What must be written, and what the previous output already holds: (files to write,
    static files to copy, output path -> the previous output's file to hard-link, output
    path -> sha of its bytes)."""
    files, statics = dict(build.files), dict(build.statics)
    links: dict[str, Path] = {}  # output path -> the previous output's file with the same bytes
    shas: dict[str, str] = {}
    for f in build.rendered:
        old = getattr(f, "from_cache", None)
        if old is not None:
            links[f.path], shas[f.path] = old, cache.details.units[f.path].sha
    for rel, content in list(files.items()):
        shas[rel] = digest(content)
        same = cache.reusable(rel, shas[rel])
        if same is not None:  # rendered again, same bytes: keep the file (and its mtime)
            links[rel] = same
            del files[rel]
    for rel, source in list(statics.items()):
        same = cache.reusable_static(rel, source)
        if same is not None:
            links[rel] = same
            del statics[rel]
    return files, statics, links, shas


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


def _size_mtime(path: Path) -> tuple[int, int]:
    st = path.stat()
    return st.st_size, st.st_mtime_ns


def warn_unused(
    data: SiteData, cited: set[str], rendered: list[RenderedFile], diags: Diagnostics, own: Path | None = None
) -> None:
    """Sources never cited and terms never used. own: the source folder; an entry written
    outside it (a series' shared one) is the series' to check, over all its explainers."""

    def mine(entry: Any) -> bool:
        return own is None or entry.location.path.is_relative_to(own)

    for source in data.sources.values():
        if source.id not in cited and mine(source):
            diags.warning(source.location, f"source '{source.id}' is never cited")
    used = set().union(*(f.state.terms_used for f in rendered if f.state)) if rendered else set()
    for term in data.glossary.values():
        if term.id not in used and mine(term):
            diags.warning(term.location, f"glossary term '{term.id}' is never used on any page")
