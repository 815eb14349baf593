"""What only a whole series says, once for all its explainers (site/series.py builds the
parts): the build's result (`SeriesBuild`), every part's files in one tree, the sitemap,
robots.txt and the site's feeds, the link check over every part, the shared entries no
explainer uses, and the write to disk.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

from ..core.errors import BuildFailed, Diagnostics, Location
from ..core.urls import SITE_FILES, output_path, url_of
from ..incremental.hashes import digest
from ..incremental.series import PartRecord, SeriesCache
from ..load.config import BuildOptions, SiteConfig
from ..markdown.state import PageState
from ..output.search import SearchIndex
from ..output.write import robots, sitemap
from ..render.feeds import atom_document, data_feed, entries_of
from ..render.uses import RenderedFile
from .build import SiteBuild
from .check import warn_unused
from .write import reported_write


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
    cache: None = None

    @property
    def page_count(self) -> int:
        return sum(part.page_count for part in self.parts) + sum(r.pages for r in self.reused.values())

    @property
    def cached(self) -> int:
        """Files taken from the previous output."""
        return sum(len(r.files) for r in self.reused.values())


def site_files(build: SeriesBuild, front: SiteBuild, options: BuildOptions) -> None:
    """The files of the whole site: the sitemap, robots.txt, the feeds; and every page the
    search index holds (those of reused explainers too)."""
    config = front.config
    urls = [url_of(f.path) for p in build.parts for f in p.rendered if f.in_sitemap]
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


def join_parts(build: SeriesBuild, diags: Diagnostics, theme: Path) -> None:
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


def check_series(build: SeriesBuild, front: SiteBuild, strict: bool) -> None:
    """What only the whole site can check: every link (into any part; a reused explainer's
    links out of it again, and anchors on its pages as the previous output has them), the
    shared sources and terms no explainer uses; then --strict (check.check_site's rule,
    once for the site)."""
    from ..checks.links import check_links

    diags = build.diags
    rendered = [f for part in build.parts for f in part.rendered]
    links = [link for f in rendered if f.state is not None for link in f.state.links]
    links += [link for record in build.reused.values() for link in record.links]
    anchored = {output_path(url) for url, anchor, _ in links if anchor}  # pages whose ids are read
    rendered += [f for record in build.reused.values() for f in _as_rendered(build.out, record, anchored)]
    check_links(rendered, set(build.statics) | set(build.files), diags)
    if not diags.errors:
        cited = set().union(*(cited_by(part) for part in build.parts), *(r.cited for r in build.reused.values()))
        used = {t for r in build.reused.values() for t in r.terms}
        reused_state = PageState(url="", location=Location(front.config.path), terms_used=used)
        extra = [RenderedFile("", b"", Location(front.config.path), reused_state)]
        warn_unused(front.data, cited, rendered + extra, diags, front.config.path.parent / "data")
    if strict:
        diags.promote_warnings()
    if diags.errors:
        raise BuildFailed(diags)


def _as_rendered(out: Path, record: PartRecord, anchored: set[str]) -> list[RenderedFile]:
    """A reused explainer's pages as the link check reads them: those a link's #anchor
    points into with their bytes in the previous output, its home page carrying the links
    that lead out of it."""
    files = []
    for rel in record.files:
        if rel.endswith(".html"):
            state = None
            if rel == record.card.url + "index.html":
                state = PageState(url=record.card.url, location=Location(out / rel), links=list(record.links))
            content = (out / rel).read_bytes() if rel in anchored else b""
            files.append(RenderedFile(rel, content, Location(out / rel), state))
    return files


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
    cache), the search index; then the cache's records. A failure is write.reported_write's."""
    from ..output.write import write_atomically

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
    with reported_write(options.out):
        write_atomically(
            options.out,
            build.files,
            statics,
            index=index,
            links=links,
            after_swap=(lambda: build.cache_file.save(records)) if build.cache_file is not None else None,
            expect=build.expect,
            protected=(options.source, options.templates),
        )


def cited_by(part: SiteBuild) -> set[str]:
    return {s for f in part.rendered if f.state is not None for s in f.state.citations}
