"""The whole build, stage by stage: config -> content -> data -> render -> check -> output.

`build_site` renders in memory and reports every problem at once; `write_site` puts a
successful build on disk atomically.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

from .config import BuildOptions, SiteConfig, load_site_config
from .content import Page, load_pages
from .data import SiteData, load_data
from .errors import BuildFailed, Diagnostics, Location
from .link_checker import check_links
from .output import robots, sitemap, static_files, write_atomically
from .render import RenderedFile, Renderer
from .search import build_search_index

THEME_STATIC = "static"  # templates/static/: the theme's CSS and JS, copied before site_src/static/


@dataclass
class SiteBuild:
    config: SiteConfig
    pages: list[Page]
    data: SiteData
    rendered: list[RenderedFile]
    statics: dict[str, Path]
    diags: Diagnostics
    files: dict[str, bytes] = field(default_factory=dict)
    seconds: float = 0.0

    @property
    def page_count(self) -> int:
        return sum(1 for f in self.rendered if f.path.endswith(".html"))


def build_site(options: BuildOptions) -> SiteBuild:
    """Render everything in memory; raises BuildFailed with every error found."""
    started = time.perf_counter()
    diags = Diagnostics()
    for folder, what in ((options.source, "source"), (options.templates, "templates")):
        if not folder.is_dir():
            diags.error(Location(folder), f"{what} folder not found")
    if diags.errors:
        raise BuildFailed(diags)
    config = load_site_config(options.source, diags)
    pages = load_pages(options.source, diags, drafts=options.drafts)
    data = load_data(options.source, diags)
    check_config_refs(config, data, diags)
    if config is None:
        raise BuildFailed(diags)
    # Render even after data errors (bad entries were dropped), so one run reports them all.

    renderer = Renderer(config, pages, data, options, diags)
    rendered = renderer.render_all()
    statics = static_files(options.templates / THEME_STATIC, options.source / "static")
    files = {f.path: f.content for f in rendered}
    files["sitemap.xml"] = sitemap(config, [_url_of(f.path) for f in rendered if f.in_sitemap])
    files["robots.txt"] = robots(config)
    check_links(rendered, set(statics) | set(files), diags)
    warn_unused(data, renderer.cited, rendered, diags)
    if options.strict:
        diags.promote_warnings()
    if diags.errors:
        raise BuildFailed(diags)
    return SiteBuild(config, pages, data, rendered, statics, diags, files, time.perf_counter() - started)


def check_config_refs(config: SiteConfig | None, data: SiteData, diags: Diagnostics) -> None:
    """What site.yaml names in the data (the live preview runs this again after a data edit)."""
    claims_source = config.claims_source if config is not None else None
    if claims_source and claims_source not in data.sources and not diags.is_broken("source", claims_source):
        assert config is not None and config.raw is not None
        diags.error(config.raw.value_loc("claims_source"), f"unknown source id '{claims_source}'")


def write_site(build: SiteBuild, options: BuildOptions) -> None:
    search = build_search_index if options.search else None
    write_atomically(options.out, build.files, build.statics, finish=search)


def warn_unused(data: SiteData, cited: set[str], rendered: list[RenderedFile], diags: Diagnostics) -> None:
    for source in data.sources.values():
        if source.id not in cited:
            diags.warning(source.location, f"source '{source.id}' is never cited")
    used = set().union(*(f.state.terms_used for f in rendered if f.state)) if rendered else set()
    for term in data.glossary.values():
        if term.id not in used:
            diags.warning(term.location, f"glossary term '{term.id}' is never used on any page")


def _url_of(path: str) -> str:
    return path.removesuffix("index.html")
