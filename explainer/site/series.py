"""A series: several explainers on one site (a newsroom's), each under its own folder.

    site_src/
      site.yaml                 the site's settings: base_url, language, publisher...
      data/                     entries every explainer may use: sources, glossary terms,
                                verdicts, source kinds (Kind.shared); an explainer's own
                                entry of the same id replaces the series' one
      pages/                    the site's own pages (about...), optional; not index.md
      static/                   the site's static files
      explainers/<slug>/        one explainer: explainer.yaml (its title, description,
                                last_reviewed, question, bottom_line, published, tags, and
                                any site.yaml key it changes), pages/, data/

Each explainer is built as a whole site is (build.build_site), its pages under `<slug>/`,
its feeds at `<slug>/feed.xml` and `<slug>/claims.json`; then the front door (the series'
folder, built the same way) lists them: its home page (newest first), a page per topic,
the archive by year (render/front_door.py). What only the whole site can say is said here,
once: the sitemap, robots.txt, the site's feeds (every explainer's claims and entries), the
link check over every part (a link may lead into another explainer: [[claim:slug/id]]),
and the shared sources and terms that no explainer uses. One search index holds every
part's pages, each marked with its explainer (a filter of the search box).

A site without an `explainers/` folder is one explainer, built as before.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path

from ..core.errors import BuildFailed, Diagnostics, Location, SiteError
from ..core.urls import Urls, output_path, url_of
from ..core.yamlio import YMap, YSeq, load_yaml_file
from ..incremental.hashes import digest
from ..incremental.series import PartRecord, SeriesCache
from ..kinds.registry import Registry
from ..load.config import BuildOptions
from ..load.series import EXPLAINERS, Card, Series, slug_problem
from ..output.search import SearchIndex
from ..render.parallel import MIN_PAGES_PER_WORKER, forked_pool, worker_count
from .build import SiteBuild, build_site
from .series_site import SeriesBuild, check_series, cited_by, join_parts, site_files


def build_series(
    options: BuildOptions, jobs: int | None = None, search: SearchIndex | None = None, use_cache: bool = False
) -> SeriesBuild:
    """Build every explainer (with the cache: every explainer whose inputs changed, the
    others' files are taken from the previous output), then the front door, in memory;
    raises BuildFailed with every error of every part."""
    started = time.perf_counter()
    root = options.source
    diags = Diagnostics()
    slugs = explainer_slugs(root, diags)
    build = SeriesBuild([], diags, search=search, out=options.out)
    cache = SeriesCache(options, build.notes) if use_cache else None
    series = series_of(root, options.kinds, slugs, cache)
    keys = {slug: cache.key(slug, series.claims) if cache is not None else "" for slug in slugs}
    for slug in slugs:
        old = cache.reusable(slug, keys[slug]) if cache is not None else None
        if old is not None:
            build.reused[slug] = old
    built = build_parts(options, series, [s for s in slugs if s not in build.reused], jobs)
    cards: list[Card] = []
    for slug in slugs:  # in order, whichever process built it
        if slug in build.reused:
            cards.append(build.reused[slug].card)
            diags.items.extend(build.reused[slug].diagnostics)
            continue
        part, card, reported = built[slug]
        diags.items.extend(reported.items)
        diags.broken |= reported.broken
        if part is None or card is None:  # reported: links to its claims from the others are not reported again
            for url, *_ in series.claims[slug].values():
                diags.mark_broken("url", output_path(url))
            continue
        build.parts.append(part)
        cards.append(card)
        build.records[slug] = record_of(part, keys[slug], card)
        if search is not None:
            for f in part.rendered:
                if f.path.endswith(".html") and f.in_sitemap:
                    search.add(f.path)
    if search is not None:  # one part (or more) per explainer, labelled with its title (search.plan_grouped)
        search.groups = {card.url: card.title for card in cards}
    front = _part(replace(options, series=replace(series, cards=tuple(cards))), jobs, search, diags)
    if front is None:
        raise BuildFailed(diags)
    build.parts.append(front)
    join_parts(build, diags, options.templates.resolve())
    if cache is not None:
        build.cache_file, build.expect = cache, cache.expect
    site_files(build, front, options)
    check_series(build, front, options.strict)
    build.seconds = time.perf_counter() - started
    return build


Built = tuple[SiteBuild | None, Card | None, Diagnostics]  # an explainer's build, its card, what it reported
_JOB: tuple[BuildOptions, Series, int | None] | None = None  # set in the parent just before forking


def build_parts(options: BuildOptions, series: Series, slugs: list[str], jobs: int | None) -> dict[str, Built]:
    """Each explainer's build: in this process, or spread over every core (forked workers,
    as render/parallel.py renders pages) when there are enough explainers; the same result."""
    workers = worker_count(len(slugs) * MIN_PAGES_PER_WORKER) if jobs is None else min(jobs, len(slugs))
    if workers <= 1 or len(slugs) < 2 * workers:
        return {slug: _build_one(options, series, slug, jobs) for slug in slugs}
    global _JOB
    _JOB = (options, series, 1)
    try:
        with forked_pool(workers) as pool:
            return dict(zip(slugs, pool.map(_remote, slugs, chunksize=1), strict=True))
    finally:
        _JOB = None


def _remote(slug: str) -> Built:
    assert _JOB is not None
    options, series, jobs = _JOB
    part, card, reported = _build_one(options, series, slug, jobs)
    if part is not None:  # sent back: only what the series reads of it (site/series_site.py, record_of)
        part.config = PartSettings(part.config.url_prefix, part.config.path)  # type: ignore[assignment]
        part.data = None  # type: ignore[assignment]
        part.pages = []
    return part, card, reported


@dataclass(frozen=True)
class PartSettings:
    """What the series reads of an explainer's settings once it is built."""

    url_prefix: str
    path: Path


def _build_one(options: BuildOptions, series: Series, slug: str, jobs: int | None) -> Built:
    try:
        part = build_site(replace(options, source=options.source / EXPLAINERS / slug, series=series), None, jobs)
    except BuildFailed as failed:
        return None, None, failed.diagnostics
    return part, card_of(part, slug), part.diags


def record_of(part: SiteBuild, key: str, card: Card) -> PartRecord:
    """What the series' cache keeps of an explainer's build (incremental/series.py)."""
    prefix = part.config.url_prefix
    outside = [
        (url, anchor, where)
        for f in part.rendered
        if f.state is not None
        for url, anchor, where in f.state.links
        if not url.startswith(prefix)
    ]
    folder = part.config.path.parent
    statics = {rel: str(src) for rel, src in part.statics.items() if src.resolve().is_relative_to(folder)}
    return PartRecord(
        key,
        card,
        {rel: digest(content) for rel, content in part.files.items()},
        statics,
        [url_of(f.path) for f in part.rendered if f.in_sitemap],
        outside,
        sorted(cited_by(part)),
        sorted({t for f in part.rendered if f.state for t in f.state.terms_used}),
        [d for d in part.diags.items],
        part.page_count,
    )


def series_of(
    root: Path, kinds: Registry | None = None, slugs: list[str] | None = None, cache: SeriesCache | None = None
) -> Series:
    """What every part of the series at root may read of the others (load.series.Series);
    with the cache, an explainer's claims are read again only when its files changed."""
    own = _mapping(root / "site.yaml")
    if slugs is None:
        slugs = [p.name for p in sorted((root / EXPLAINERS).iterdir()) if p.is_dir() and slug_problem(p.name) is None]
    kinds, prefix = kinds or Registry(), str(own.get("url_prefix") or "")
    claims = {}
    for slug in slugs:
        make = partial(claims_of, root, slug, kinds.at(f"{prefix}{slug}/").urls)
        folder = root / EXPLAINERS / slug / "data"
        read = [folder / "claims.yaml", folder / "verdicts.yaml", root / "data" / "verdicts.yaml", root / "site.yaml"]
        claims[slug] = cache.claims(slug, read, make) if cache is not None else make()
    return Series(root, str(own.get("title", "")), claims=claims, slugs=tuple(slugs))


def explainer_slugs(root: Path, diags: Diagnostics) -> list[str]:
    """The explainers' folders, by name; a name that cannot be an address is an error."""
    slugs = []
    for folder in sorted((root / EXPLAINERS).iterdir()):
        if folder.name.startswith(".") or not folder.is_dir():
            continue
        problem = slug_problem(folder.name)
        if problem is not None:
            diags.error(Location(folder), f"an explainer's folder name is its address: {problem}; rename the folder")
            continue
        slugs.append(folder.name)
    if not slugs and not diags.errors:
        diags.error(Location(root / EXPLAINERS), "explainers/ holds no explainer: add one with `new --explainer SLUG`")
    if diags.errors:
        raise BuildFailed(diags)
    return slugs


def _part(options: BuildOptions, jobs: int | None, search: SearchIndex | None, diags: Diagnostics) -> SiteBuild | None:
    """One part's build; its problems join the series' (None: it failed)."""
    try:
        part = build_site(options, None, jobs, search)
    except BuildFailed as failed:
        diags.items.extend(failed.diagnostics.items)
        diags.broken |= failed.diagnostics.broken
        return None
    diags.items.extend(part.diags.items)
    diags.broken |= part.diags.broken
    return part


def claims_of(root: Path, slug: str, urls: Urls) -> dict[str, tuple[str, str, str, str]]:
    """What [[claim:slug/id]] of another explainer prints: claim id -> (its page's URL, its
    quote, its verdict's id and label), read from the explainer's claims.yaml and its (or the
    series') verdicts.yaml. What cannot be read here is left out: that explainer's own build
    reports it, and a reference to it then is an unknown claim."""
    folder = root / EXPLAINERS / slug
    verdicts = _entries(folder / "data" / "verdicts.yaml") or _entries(root / "data" / "verdicts.yaml")
    labels = {str(v.get("id")): str(v.get("label", "")) for v in verdicts}
    found = {}
    for claim in _entries(folder / "data" / "claims.yaml"):
        ident, verdict = str(claim.get("id", "")), str(claim.get("verdict", ""))
        if ident and verdict in labels:
            found[ident] = (urls.url_for("claims", ident), str(claim.get("quote", "")), verdict, labels[verdict])
    return found


def _mapping(path: Path) -> YMap:
    """A YAML file read for what a part needs of another before that part is built (its
    own build reports what is wrong with it)."""
    try:
        value = load_yaml_file(path) if path.is_file() else None
    except SiteError:
        value = None
    return value if isinstance(value, YMap) else YMap()


def _entries(path: Path) -> list[YMap]:
    if not path.is_file():
        return []
    try:
        value = load_yaml_file(path)
    except SiteError:
        return []
    return [e for e in value if isinstance(e, YMap)] if isinstance(value, YSeq) else []


def card_of(part: SiteBuild, slug: str) -> Card:
    """An explainer as the front door lists it, with how many of its claims got each verdict."""
    config, data = part.config, part.data
    counts: dict[str, int] = {}
    for claim in data.claims.values():
        counts[claim.verdict.id] = counts.get(claim.verdict.id, 0) + 1
    verdicts = tuple((v.id, v.label, counts[v.id]) for v in data.verdicts.values() if v.id in counts)
    return Card(
        slug,
        config.url_prefix,
        config.title,
        config.question,
        config.bottom_line,
        config.published,
        config.tags,
        verdicts,
    )
