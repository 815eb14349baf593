"""Stage 4c, render: pages and generated pages through Markdown and Jinja, in memory.

Takes the checked config, pages and data; returns every output file as bytes plus what
each one used (render/uses.py). Writes nothing to disk (that is `output.py`'s job). The
`Renderer` is what every output shares: the data as it records reads, the Jinja
environment, the Markdown stage, the menu, the template context (render/context.py), the
bibliography; and `jobs()`, every output by path: the pages (render/pages.py), the feeds
(render/feeds.py) or a series' front door (render/front_door.py).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from markupsafe import Markup

from ..core import cancel
from ..core.errors import Diagnostics, Location, SiteError
from ..kinds.data import SiteData
from ..kinds.pages import Page
from ..load.config import BuildOptions, SiteConfig
from ..load.numbers import for_language
from ..markdown.extension import MarkdownRenderer
from ..markdown.state import MarkdownSite, PageState
from . import structured_data
from .bibliography import CSL_TYPES, Bibliography, Words
from .context import TemplateContext
from .feeds import feed_jobs
from .front_door import front_door_jobs
from .inserts import Inserts
from .menu import Entry, Menu
from .pages import page_jobs, render_not_found
from .templates import make_environment, template_error
from .uses import NAV_USE, RenderedFile, UsedView, note_uses, recording


class Renderer:
    def __init__(
        self, config: SiteConfig, pages: list[Page], data: SiteData, options: BuildOptions, diags: Diagnostics
    ) -> None:
        self.config = config
        self.pages = pages
        self.used: set[str] = set()  # what the output being rendered used (RenderedFile.data)
        self.data = recording(data, self.use)
        data = self.data
        self.options = options
        self.diags = diags
        self.env = _environment(options)
        self.urls = data.kinds.urls
        pages_dir = options.source / "pages"
        page_urls = {p.source.relative_to(pages_dir).as_posix(): p.url for p in pages}
        self.inserts = Inserts(self)
        self.context = TemplateContext(self)
        self.markdown = _markdown(config, data, diags, page_urls, self.inserts.shortcode, self.inserts.hook)
        if options.series is not None:
            self.markdown.site.elsewhere = options.series.claims
        self.words = partial(interface_text, config.strings)
        self.numbers = for_language(config.language)  # figures' and tables' numbers, as the language writes them
        raw_menu = config.raw.get("menu") if config.raw is not None else None
        where = config.raw.value_loc("menu") if raw_menu else Location(config.path)
        self.menu = Menu(
            pages,
            data,
            self.words,
            lambda: self.env.get_template("menu.html"),
            raw_menu or (),
            where,
            unread=lambda name: any(diags.is_broken("page", f"{name}{end}") for end in (".md", "/index.md")),
            lead=self.front_door_menu(),
        )
        for problem in self.menu.problems():
            diags.add(problem)
        self.data_view = UsedView(data.for_templates(), self.use, data.kinds)
        self.cited: set[str] = set()
        self.context_for: dict[int, dict[str, Any]] = {}  # id(PageState) -> its template context
        self.fact_uses: dict[str, dict[str, str]] = {}  # fact id -> {url: title} of the outputs printing it
        self._bibliography: Bibliography | None = None

    def series_part(self) -> str | None:
        """In a series: the explainer this build is ("" for the front door); else None."""
        series = self.options.series
        return series.slug_of(self.options.source) if series is not None else None

    def front_door_menu(self) -> tuple[Entry, ...]:
        """A series' front door leads its menu with its home page, archive and topics."""
        if self.series_part() != "":
            return ()
        url = self.urls.url_for
        return tuple(
            Entry(self.words(key), url(name))
            for name, key in (
                ("series", "nav_home"),
                ("archive", "series_archive_title"),
                ("topics", "series_topics_title"),
            )
        )

    # --- the site ----------------------------------------------------------------------

    def jobs(self) -> dict[str, Callable[[], RenderedFile | None]]:
        """Every output file by path, with how to render it, in render order. The live
        preview runs only the jobs whose inputs changed."""
        jobs = page_jobs(self)
        series, part = self.options.series, self.series_part()
        if part == "":  # a series' front door: its lists; its feeds are every explainer's (site/series.py)
            assert series is not None
            jobs.update(front_door_jobs(self, series.cards))
        else:
            jobs.update(feed_jobs(self))
        if not part:  # one error page for a whole site
            jobs["404.html"] = partial(render_not_found, self)
        return jobs

    def bibliography(self) -> Bibliography:
        """Every source in the site's CSL style, formatted once (on first use) per build."""
        self.use("sources")
        if self._bibliography is None:
            config, sources = self.config, self.data.sources
            style = config.citation_style
            assert style is not None  # a loaded config has its style
            words = Words(config.strings.text("authors_not_stated"), config.strings.text("et_al"))
            self._bibliography = Bibliography(style, config.language, words)
            own = {k.name: k.schema_type for k in self.data.tables.get("source_kinds") or ()}
            types = {
                s.id: CSL_TYPES.get(own.get(s.kind) or structured_data.KIND_TYPES.get(s.kind, ""), "article")
                for s in sources.values()
            }
            self._bibliography.format(sources.values(), types)
        return self._bibliography

    def menu_html(self, current_url: str, root: str, error_page: bool, part: str = "header") -> Markup:
        self.use(NAV_USE)
        return self.menu.html(current_url, root, error_page, part)

    def note_output(self, file: RenderedFile) -> None:
        note_uses(self.cited, self.fact_uses, file)  # rendered here, in a worker or from the cache

    def finish(
        self, path: str, template: str, ctx: dict[str, Any], state: PageState, where: Location
    ) -> RenderedFile | None:
        loader = self.env.loader
        try:
            html = self.env.get_template(template).render(ctx)
        except SiteError as exc:
            self.diags.add(exc)
            self.diags.mark_broken("url", path)  # links to it are not reported again
            return None
        except Exception as exc:  # noqa: BLE001 - every template failure becomes a located error
            self.diags.add(template_error(exc, self.options.template_dirs(), where))
            self.diags.mark_broken("url", path)
            return None
        finally:
            self.context_for.pop(id(state), None)
        used = set(loader.used)  # type: ignore[union-attr]
        done = RenderedFile(path, html.encode("utf-8"), where, state, used, ctx["page"]["title"], data=set(self.used))
        self.note_output(done)
        return done

    def begin_output(self) -> None:
        """Start recording what one output uses (templates and data, its Markdown's too)."""
        cancel.check()  # the preview is stopping: no more outputs
        self.env.loader.used = set()  # type: ignore[union-attr]
        self.used = set()

    def use(self, name: str) -> None:
        self.used.add(name)


def _environment(options: BuildOptions) -> Any:
    """The templates' environment. The parts of a series with the same template folders share
    one (load.series.Series.environments): each template is compiled once per build, not once
    per explainer (templates do not change during a build: auto_reload is off)."""
    if options.series is None:
        return make_environment(options.template_dirs())
    folders = tuple(d for d in options.template_dirs() if d.is_dir())
    known = options.series.environments
    if folders not in known:
        known[folders] = make_environment(list(folders))
    return known[folders]


def _markdown(
    config: SiteConfig,
    data: SiteData,
    diags: Diagnostics,
    page_urls: dict[str, str],
    shortcode: Callable[[str, str, PageState, Location], str],
    hook: Callable[[str, dict[str, Any], Location], str],
) -> MarkdownRenderer:
    """The Markdown stage for this site: its data, its pages' URLs, its language's words for
    citations and facts, and where `[[figure:...]]` and `[[block:...]]` are drawn."""
    numeric = config.citation_style is None or config.citation_style.numeric
    site = MarkdownSite(data, diags, page_urls, shortcode, hook, config.strings, numeric_citations=numeric)
    return MarkdownRenderer(site)


def interface_text(strings: Any, key: str) -> str:
    """An interface text by its key in strings/<language>.yaml (a registry page's title or
    menu label); a key the strings files lack is shown as written."""
    return strings.text(key) if key in strings.texts else key
