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

import json
import re
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

from ..core.errors import BuildFailed, Diagnostics, Location, SiteError
from ..core.urls import SERIES_PAGES, SITE_FILES, Urls, output_path
from ..core.yamlio import YMap, YSeq, load_yaml_file
from ..incremental.hashes import digest
from ..incremental.series import PartRecord, SeriesCache
from ..kinds.registry import Registry
from ..load.config import BuildOptions, SiteConfig
from ..load.series import EXPLAINERS, Card, Series
from ..markdown.extension import PageState
from ..output.search import SearchIndex
from ..output.write import robots, sitemap
from ..render.feeds import atom_document, data_feed, entries_of
from ..render.renderer import RenderedFile
from .build import SiteBuild, build_site, warn_unused

SLUG_RE = re.compile(r"^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$")


def is_series(source: Path) -> bool:
    """A site folder with an explainers/ folder holds a series."""
    return (source / EXPLAINERS).is_dir()


@dataclass
class SeriesBuild:
    """Every part's build (the explainers', then the front door's) and the site's files."""

    parts: list[SiteBuild]
    diags: Diagnostics
    files: dict[str, bytes] = field(default_factory=dict)  # output path -> bytes, every part's and the site's
    statics: dict[str, Path] = field(default_factory=dict)
    seconds: float = 0.0
    search: SearchIndex | None = None
    out: Path = Path()
    reused: dict[str, PartRecord] = field(default_factory=dict)  # explainers taken from the previous output
    records: dict[str, PartRecord] = field(default_factory=dict)  # explainers built now
    notes: list[str] = field(default_factory=list)  # about the cache (a record that could not be read)
    cache_file: SeriesCache | None = None
    expect: dict[str, tuple[int, int, int]] = field(default_factory=dict)
    unchanged: bool = False  # as a SiteBuild says it (the CLI's report)
    cache: None = None

    @property
    def page_count(self) -> int:
        return sum(part.page_count for part in self.parts) + sum(r.pages for r in self.reused.values())

    @property
    def cached(self) -> int:
        """Files taken from the previous output."""
        return sum(len(r.files) for r in self.reused.values())


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
    own = _mapping(root / "site.yaml")
    kinds, prefix = options.kinds or Registry(), str(own.get("url_prefix") or "")
    series = Series(
        root,
        str(own.get("title", "")),
        claims={slug: claims_of(root, slug, kinds.at(f"{prefix}{slug}/").urls) for slug in slugs},
        slugs=tuple(slugs),
    )
    build = SeriesBuild([], diags, search=search, out=options.out)
    cache = SeriesCache(options, build.notes) if use_cache else None
    cards: list[Card] = []
    for slug in slugs:
        key = cache.key(slug, series.claims) if cache is not None else ""
        old = cache.reusable(slug, key) if cache is not None else None
        if old is not None:
            build.reused[slug] = old
            cards.append(old.card)
            diags.items.extend(old.diagnostics)
            continue
        part = _part(replace(options, source=root / EXPLAINERS / slug, series=series), jobs, search, diags)
        if part is None:  # reported: links to its claims from the others are not reported again
            for url, *_ in series.claims[slug].values():
                diags.mark_broken("url", output_path(url))
        else:
            build.parts.append(part)
            cards.append(card_of(part, slug))
            build.records[slug] = record_of(part, key, cards[-1])
    if search is not None:  # one part (or more) per explainer, labelled with its title (search.plan_grouped)
        search.groups = {card.url: card.title for card in cards}
    front = _part(replace(options, series=replace(series, cards=tuple(cards))), jobs, search, diags)
    if front is None:
        raise BuildFailed(diags)
    build.parts.append(front)
    _join(build, diags, options.templates.resolve())
    if cache is not None:
        build.cache_file, build.expect = cache, cache.expect
    _site_files(build, front, options)
    _check(build, front, options.strict)
    build.seconds = time.perf_counter() - started
    return build


def _site_files(build: SeriesBuild, front: SiteBuild, options: BuildOptions) -> None:
    """The files of the whole site: the sitemap, robots.txt, the feeds; and every page the
    search index holds (those of reused explainers too)."""
    config = front.config
    urls = [_url_of(f.path) for p in build.parts for f in p.rendered if f.in_sitemap]
    urls += [url for record in build.reused.values() for url in record.sitemap]
    build.files["sitemap.xml"] = sitemap(config, urls)
    build.files["robots.txt"] = robots(config)
    feeds = {slug: _feeds_of(build, record) for slug, record in build.reused.items()}
    feeds |= {p.config.url_prefix.rstrip("/"): _own_feeds(p) for p in build.parts[:-1]}
    build.files.update(site_feeds(config, [feeds[slug] for slug in sorted(feeds)]))
    if build.search is not None:
        for record in build.reused.values():
            for url in record.sitemap:
                if output_path(url).endswith(".html"):
                    build.search.add(output_path(url))


def _own_feeds(part: SiteBuild) -> tuple[bytes, bytes]:
    prefix = part.config.url_prefix
    return part.files[prefix + SITE_FILES["claims_feed"]], part.files[prefix + SITE_FILES["feed"]]


def _feeds_of(build: SeriesBuild, record: PartRecord) -> tuple[bytes, bytes]:
    """A reused explainer's feeds, from the previous output (checked by the cache)."""
    prefix = record.card.url
    return tuple((build.out / (prefix + SITE_FILES[name])).read_bytes() for name in ("claims_feed", "feed"))  # type: ignore[return-value]


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
        [_url_of(f.path) for f in part.rendered if f.in_sitemap],
        outside,
        sorted(_cited(part)),
        sorted({t for f in part.rendered if f.state for t in f.state.terms_used}),
        [d for d in part.diags.items],
        part.page_count,
    )


def explainer_slugs(root: Path, diags: Diagnostics) -> list[str]:
    """The explainers' folders, by name; a name that cannot be an address is an error."""
    slugs = []
    for folder in sorted((root / EXPLAINERS).iterdir()):
        if folder.name.startswith(".") or not folder.is_dir():
            continue
        if not SLUG_RE.match(folder.name) or folder.name in SERIES_PAGES or folder.name in ("static", "pagefind"):
            diags.error(
                Location(folder),
                f"an explainer's folder name is its address (/{folder.name}/): use lower-case letters, digits and"
                " hyphens, and not 'archive', 'topics', 'static' or 'pagefind'; rename the folder",
            )
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


def _join(build: SeriesBuild, diags: Diagnostics, theme: Path) -> None:
    """Every part's files in one tree: a file two parts write differently is an error (a page
    of the front door named like an explainer is refused before this). Static files: the
    series' own and each explainer's replace the theme's; two different ones of the same
    name are an error."""
    for part in build.parts:
        for path, content in part.files.items():
            if build.files.get(path, content) != content:
                diags.error(Location(part.config.path), f"two parts of the series write '{path}' differently")
            build.files[path] = content

    def themed(path: Path) -> bool:
        return path.resolve().is_relative_to(theme)

    for part in [build.parts[-1], *build.parts[:-1]]:  # the series' own static files first
        for path, source in part.statics.items():
            have = build.statics.get(path)
            if have is None or (themed(have) and not themed(source)):
                build.statics[path] = source
            elif not themed(source) and have != source and have.read_bytes() != source.read_bytes():
                diags.error(
                    Location(source),
                    f"two parts of the series have a different {path} ({Location(have).display_path()}):"
                    " keep one, in the series' static/ folder",
                )


def _check(build: SeriesBuild, front: SiteBuild, strict: bool) -> None:
    """What only the whole site can check: every link (into any part; a reused explainer's
    links out of it again, and anchors on its pages as the previous output has them), the
    shared sources and terms no explainer uses; then --strict (build.check_site's rule,
    once for the site)."""
    from ..checks.links import check_links

    diags = build.diags
    rendered = [f for part in build.parts for f in part.rendered]
    rendered += [f for record in build.reused.values() for f in _as_rendered(build.out, record)]
    check_links(rendered, set(build.statics) | set(build.files), diags)
    if not diags.errors:
        cited = set().union(*(_cited(part) for part in build.parts), *(r.cited for r in build.reused.values()))
        used = {t for r in build.reused.values() for t in r.terms}
        reused_state = PageState(url="", location=Location(front.config.path), terms_used=used)
        extra = [RenderedFile("", b"", Location(front.config.path), reused_state)]
        warn_unused(front.data, cited, rendered + extra, diags, front.config.path.parent / "data")
    if strict:
        diags.promote_warnings()
    if diags.errors:
        raise BuildFailed(diags)


def _as_rendered(out: Path, record: PartRecord) -> list[RenderedFile]:
    """A reused explainer's pages as the link check reads them: their bytes in the previous
    output (for anchors), its home page carrying the links that lead out of it."""
    files = []
    for rel in record.files:
        if rel.endswith(".html"):
            state = None
            if rel == record.card.url + "index.html":
                state = PageState(url=record.card.url, location=Location(out / rel), links=list(record.links))
            files.append(RenderedFile(rel, (out / rel).read_bytes(), Location(out / rel), state))
    return files


def _cited(part: SiteBuild) -> set[str]:
    return {s for f in part.rendered if f.state is not None for s in f.state.citations}


# --- the site's feeds: every explainer's, in one ------------------------------------------


def site_feeds(config: SiteConfig, feeds: list[tuple[bytes, bytes]]) -> dict[str, bytes]:
    """The site's claims.json and feed.xml: every explainer's items and entries, as its own
    feeds (claims.json, feed.xml bytes) have them, newest first (ties: in explainer order)."""
    elements: list[Any] = []
    entries: list[ElementTree.Element] = []
    for claims, atom in feeds:
        elements += json.loads(claims)["dataFeedElement"]
        entries += entries_of(atom)
    elements.sort(key=lambda e: e["dateModified"], reverse=True)
    entries.sort(key=lambda e: e.findtext("updated") or "", reverse=True)
    return {
        SITE_FILES["claims_feed"]: data_feed(config, elements, config.base_url + SITE_FILES["claims_feed"]),
        SITE_FILES["feed"]: atom_document(config, entries, config.base_url + SITE_FILES["feed"], config.base_url),
    }


def write_series(build: SeriesBuild, options: BuildOptions) -> None:
    """Put the series on disk at once (output.write.write_atomically): the files built now,
    the reused explainers' files hard-linked from the previous output (checked by the
    cache), the search index; then the cache's records. Errors as build.write_site's."""
    from ..output.write import OutputChanged, OutputRefused, write_atomically, write_failed

    index = build.search if options.search else None
    links = {rel: build.out / rel for record in build.reused.values() for rel in record.files}
    statics = dict(build.statics)
    for record in build.reused.values():
        statics.update({rel: Path(src) for rel, src in record.statics.items() if rel not in statics})
    if index is not None:
        shas = {rel: digest(content) for rel, content in build.files.items() if rel.endswith(".html")}
        shas |= {rel: sha for r in build.reused.values() for rel, sha in r.files.items() if rel.endswith(".html")}
        index.use_digests(shas)
        if build.cache_file is not None:  # the parts made of exactly these pages: kept
            links.update(index.reuse(build.cache_file.index_folder))
    records = {**build.reused, **build.records}
    try:
        write_atomically(
            options.out,
            build.files,
            statics,
            finish=index.write if index is not None else None,
            links=links,
            after_swap=(lambda: build.cache_file.save(records)) if build.cache_file is not None else None,
            expect=build.expect,
            protected=(options.source, options.templates),
        )
    except OutputRefused as refused:
        failed = Diagnostics()
        failed.error(Location(options.out), str(refused))
        raise BuildFailed(failed) from None
    except OutputChanged as changed:
        failed = Diagnostics()
        failed.error(Location(options.out / str(changed)), "the output changed while this build ran; build again")
        raise BuildFailed(failed) from None
    except OSError as exc:
        raise BuildFailed(write_failed(options.out, exc)) from None


def _url_of(path: str) -> str:
    return path.removesuffix("index.html")
