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
from ..core.urls import SERIES_PAGES, SITE_FILES, Urls
from ..core.yamlio import YMap, YSeq, load_yaml_file
from ..kinds.registry import Registry
from ..load.config import BuildOptions
from ..load.series import EXPLAINERS, Card, Series
from ..output.search import SearchIndex
from ..output.write import robots, sitemap
from ..render.feeds import atom_document, data_feed, entries_of
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
    # As build.write_site reads a SiteBuild: a series is written whole, without the build cache.
    cache: None = None
    unchanged: bool = False

    @property
    def page_count(self) -> int:
        return sum(part.page_count for part in self.parts)


def build_series(options: BuildOptions, jobs: int | None = None, search: SearchIndex | None = None) -> SeriesBuild:
    """Build every explainer, then the front door, in memory; raises BuildFailed with every
    error of every part."""
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
    parts: list[SiteBuild] = []
    cards: list[Card] = []
    for slug in slugs:
        part = _part(replace(options, source=root / EXPLAINERS / slug, series=series), jobs, search, diags)
        if part is not None:
            parts.append(part)
            cards.append(card_of(part, slug))
    front = _part(replace(options, series=replace(series, cards=tuple(cards))), jobs, search, diags)
    if front is None:
        raise BuildFailed(diags)
    parts.append(front)
    build = SeriesBuild(parts, diags, search=search)
    _join(build, diags, options.templates.resolve())
    if front.config is not None:
        build.files["sitemap.xml"] = sitemap(
            front.config, [_url_of(f.path) for p in parts for f in p.rendered if f.in_sitemap]
        )
        build.files["robots.txt"] = robots(front.config)
        build.files.update(site_feeds(front, parts[:-1]))
    _check(build, front, options.strict)
    build.seconds = time.perf_counter() - started
    return build


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
    """What only the whole site can check: every link (into any part), the shared sources
    and terms no explainer uses; then --strict (build.check_site's rule, once for the site)."""
    from ..checks.links import check_links

    diags = build.diags
    rendered = [f for part in build.parts for f in part.rendered]
    check_links(rendered, set(build.statics) | set(build.files), diags)
    if not diags.errors:
        cited = set().union(*(_cited(part) for part in build.parts))
        shared_only = front.data
        warn_unused(shared_only, cited, rendered, diags, front.config.path.parent / "data")
    if strict:
        diags.promote_warnings()
    if diags.errors:
        raise BuildFailed(diags)


def _cited(part: SiteBuild) -> set[str]:
    return {s for f in part.rendered if f.state is not None for s in f.state.citations}


# --- the site's feeds: every explainer's, in one ------------------------------------------


def site_feeds(front: SiteBuild, explainers: list[SiteBuild]) -> dict[str, bytes]:
    """The site's claims.json and feed.xml: every explainer's items and entries, as its own
    feeds have them, newest first (ties: in explainer order)."""
    config = front.config
    elements: list[Any] = []
    entries: list[ElementTree.Element] = []
    for part in explainers:
        prefix = part.config.url_prefix
        elements += json.loads(part.files[prefix + SITE_FILES["claims_feed"]])["dataFeedElement"]
        entries += entries_of(part.files[prefix + SITE_FILES["feed"]])
    elements.sort(key=lambda e: e["dateModified"], reverse=True)
    entries.sort(key=lambda e: e.findtext("updated") or "", reverse=True)
    return {
        SITE_FILES["claims_feed"]: data_feed(config, elements, config.base_url + SITE_FILES["claims_feed"]),
        SITE_FILES["feed"]: atom_document(config, entries, config.base_url + SITE_FILES["feed"], config.base_url),
    }


def _url_of(path: str) -> str:
    return path.removesuffix("index.html")
