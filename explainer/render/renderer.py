"""Stage 4c, render: pages and generated pages through Markdown and Jinja, in memory.

Takes the checked config, pages and data; returns every output file as bytes plus what
each one used. Writes nothing to disk (that is `output.py`'s job).
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

from markupsafe import Markup

from .. import __version__
from ..core import cancel
from ..core.errors import Diagnostics, Location, SiteError
from ..core.urls import output_path
from ..kinds.data import MarkdownText, SiteData
from ..kinds.declare import GeneratedPage, Kind
from ..kinds.figures import FIGURE_KINDS
from ..kinds.pages import Page
from ..kinds.registry import Registry
from ..load.config import BuildOptions, SiteConfig
from ..load.numbers import for_language
from ..markdown.citations import Cite
from ..markdown.extension import MarkdownRenderer
from ..markdown.hooks import HOOK_DIR
from ..markdown.references import citation_element
from ..markdown.state import MarkdownSite, PageState, relative_url
from . import structured_data
from .bibliography import CSL_TYPES, Bibliography, Words
from .menu import Entry, Menu
from .templates import TemplateLines, data_needs, make_environment, page_template_problem, template_error

BLOCK_DIR = "blocks"
FIGURE_DIR = "figures"
# Site-wide inputs an output can use besides data files (see RenderedFile.data).
NAV_USE = "@nav"  # the menu: page titles and order
CITED_USE = "@cited"  # the sources every other output cited (the bibliography)
# A use names a data file ("claims": read whole), one of its entries ("glossary#p-value") or its
# index ("glossary@index": the ids and names its entries are matched by); incremental/graph.py.
RECORD, INDEX = "#", "@index"
WRITTEN_AFTER_CHECKS = ("pagefind/",)  # the search index: made after the links are checked


@dataclass
class RenderedFile:
    path: str  # relative to the output root, with forward slashes
    content: bytes
    source: Location  # what an error about this file should point at
    state: PageState | None = None  # citations, links and terms of a rendered page
    templates: set[str] = field(default_factory=set)
    title: str = ""
    in_sitemap: bool = True
    # Data files (by name, as in SiteData.files) and site-wide inputs (NAV_USE, CITED_USE)
    # this output read: the live preview re-renders it only when one of them changes.
    data: set[str] = field(default_factory=set)


class _UsedDict(dict):  # type: ignore[type-arg]
    """A SiteData table that reports each read, so a render knows which data files it used.
    Truth tests (len) are not reported: the nav only asks whether a table is empty."""

    def __init__(self, table: dict[str, Any], name: str, use: Callable[[str], None]) -> None:
        super().__init__(table)
        self._name, self.use = name, use

    def __getitem__(self, key: str) -> Any:
        self.use(f"{self._name}{RECORD}{key}")  # one entry: only its edits make this output stale
        return super().__getitem__(key)

    def get(self, key: str, default: Any = None) -> Any:
        self.use(f"{self._name}{RECORD}{key}")
        return super().get(key, default)

    def __contains__(self, key: object) -> bool:
        self.use(f"{self._name}{RECORD}{key}")
        return super().__contains__(key)

    def __iter__(self) -> Iterator[str]:
        self.use(self._name)
        return super().__iter__()

    def values(self) -> Any:
        self.use(self._name)
        return super().values()

    def items(self) -> Any:
        self.use(self._name)
        return super().items()


class _UsedView(dict):  # type: ignore[type-arg]
    """The templates' `data` view, reporting which file each `data.<name>` comes from."""

    def __init__(self, view: dict[str, Any], use: Callable[[str], None], kinds: Registry) -> None:
        super().__init__(view)
        self.use = use
        self.kinds = kinds

    def __getitem__(self, key: str) -> Any:
        self.use(self.kinds.view_file(key))
        return super().__getitem__(key)

    def get(self, key: str, default: Any = None) -> Any:
        self.use(self.kinds.view_file(key))
        return super().get(key, default)


class _UsedList(list):  # type: ignore[type-arg]
    """A list (the nav) that reports being read, and is made only then (most pages draw the
    menu with `menu()` and never read it)."""

    def __init__(self, make: Callable[[], list[Any]], use: Callable[[], None]) -> None:
        super().__init__()
        self.make, self.use = make, use

    def _read(self) -> None:
        self.use()
        if self.make is not None:
            self.extend(self.make())
            self.make = None  # type: ignore[assignment]

    def __iter__(self) -> Iterator[Any]:
        self._read()
        return super().__iter__()

    def __getitem__(self, index: Any) -> Any:
        self._read()
        return super().__getitem__(index)

    def __len__(self) -> int:
        self._read()
        return super().__len__()


class Renderer:
    def __init__(
        self, config: SiteConfig, pages: list[Page], data: SiteData, options: BuildOptions, diags: Diagnostics
    ) -> None:
        self.config = config
        self.pages = pages
        self.used: set[str] = set()  # what the output being rendered used (RenderedFile.data)
        self.data = _recording(data, self.use)
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
        self.data_view = _UsedView(data.for_templates(), self.use, data.kinds)
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
        jobs: dict[str, Callable[[], RenderedFile | None]] = {
            p.output_path: partial(self.render_page, p) for p in self.pages
        }
        # The registry's generated pages: per entry first, those listing citations last.
        kinds = self.data.kinds
        for kind, page in kinds.generated_pages():
            if page.per_item:
                for item in getattr(self.data, kind.name).values():
                    url = kinds.page_url(kind, page, item.id)
                    jobs[output_path(url)] = partial(self.render_item, kind, page, item, url)
            elif (page.always and (self.series_part() != "" or kind.shared)) or getattr(self.data, kind.name):
                # A series' front door has the pages of what it shares (its sources), not an empty claims list.
                jobs[output_path(kinds.page_url(kind, page))] = partial(self.render_kind_page, kind, page)
        from .feeds import feed_jobs  # they make RenderedFiles of this module

        series, part = self.options.series, self.series_part()
        if part == "":  # a series' front door: its lists; its feeds are every explainer's (site/series.py)
            from .front_door import front_door_jobs

            assert series is not None
            jobs.update(front_door_jobs(self, series.cards))
        else:
            jobs.update(feed_jobs(self))
        if not part:  # one error page for a whole site
            jobs["404.html"] = self.render_not_found
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

    def render_kind_page(self, kind: Kind, page: GeneratedPage) -> RenderedFile | None:
        url = self.data.kinds.page_url(kind, page)
        path = output_path(url)
        folder = url if path != url else url.rpartition("/")[0] + "/"  # a file's page URL is its folder
        title = self.words(page.title)
        out = self.render_generated(folder, page.template, title, self.data.files.get(kind.name), path, page, kind)
        if out is not None and not page.in_sitemap:
            out.in_sitemap, out.state = False, None
        return out

    def render_not_found(self) -> RenderedFile | None:
        not_found = self.render_generated(
            "", "404.html", self.config.strings.text("not_found_title"), self.config.path, path="404.html"
        )
        if not_found is not None:
            not_found.in_sitemap = False
        return not_found

    def menu_html(self, current_url: str, root: str, error_page: bool, part: str = "header") -> Markup:
        self.use(NAV_USE)
        return self.menu.html(current_url, root, error_page, part)

    def note_output(self, file: RenderedFile) -> None:
        note_uses(self.cited, self.fact_uses, file)  # rendered here, in a worker or from the cache

    # --- pages -------------------------------------------------------------------------

    def render_page(self, page: Page) -> RenderedFile | None:
        self.begin_output()
        self.use("glossary" + INDEX)  # any Markdown may gain a glossary tooltip (and reads that term)
        state = PageState(url=page.url, location=Location(page.source, page.body_line))
        ctx = self.context(state, page.title, page.summary or self.config.description, page.source)
        body, toc = self.markdown.convert(page.body, state, Location(page.source, page.body_line))
        # Safe: HTML from our Markdown stage, which refuses script in raw HTML.
        ctx["page"].update(content=Markup(body), toc=Markup(toc), slug=page.slug)  # noqa: S704
        where = page.template_location or Location(page.source, 1)  # a missing template: the `template:` line
        problem = page_template_problem(self.env, page.template) if page.template_location else None
        if problem is not None:
            self.diags.error(where, problem)
            self.diags.mark_broken("url", page.output_path)
            return None
        return self.finish(page.output_path, page.template, ctx, state, where)

    def render_item(self, kind: Kind, page: GeneratedPage, item: Any, url: str) -> RenderedFile | None:
        """The page of one entry (a claim): the template sees it under the kind's singular name."""
        self.begin_output()
        self.use(kind.name)
        state = PageState(url=url, location=item.location)
        title = kind.title_of(item, self.config.strings.quote)
        description = kind.item_description(item) if kind.item_description else self.config.description
        ctx = self.context(state, title, description, item.location.path, (kind, item))
        ctx[kind.what.replace(" ", "_")] = item
        return self.finish(output_path(url), page.template, ctx, state, item.location)

    def render_generated(
        self,
        url: str,
        template: str,
        title: str,
        source: Path | None,
        path: str | None = None,
        page: GeneratedPage | None = None,
        kind: Kind | None = None,  # the kind whose own page it is (its JSON-LD, if it builds one)
    ) -> RenderedFile | None:
        self.begin_output()
        state = PageState(url=url, location=Location(source or self.config.path))
        about = (kind, None) if kind is not None else None
        ctx = self.context(state, title, self.config.description, source or self.config.path, about)
        if page is not None and page.lists_cited:
            self.use(CITED_USE)
            cited = [s.id for s in self.data.sources.values() if s.id in self.cited]
            ctx["cited_sources"] = [self.data.sources[i] for i in self.bibliography().order(cited)]
            ctx["fact_uses"] = {fact_id: sorted(uses.items()) for fact_id, uses in self.fact_uses.items()}
        return self.finish(path or f"{url}index.html", template, ctx, state, state.location)

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


class TemplateContext:
    """What a template sees: `site`, `data`, `page`, `nav`, and the functions it may call
    (`md`, `cite`, `figure`, `structured_data`...), each bound to the page being rendered."""

    def __init__(self, renderer: Renderer) -> None:
        self.renderer = renderer
        self.lines = TemplateLines(lambda: renderer.env, renderer.options.template_dirs())

    def __call__(
        self, state: PageState, title: str, description: str, source: Path, item: tuple[Any, Any] | None = None
    ) -> dict[str, Any]:
        r = self.renderer
        ctx: dict[str, Any] = {
            "site": r.config,
            "data": r.data_view,
            "page": {
                "title": title,
                "description": description,
                "url": state.url,
                "canonical": r.config.base_url + state.url,
                "content": "",
                "toc": "",
                "slug": None,
            },
            "nav": _UsedList(partial(r.menu.for_page, state.url), partial(r.use, NAV_USE)),
            "menu": lambda root="", error_page=False, part="header": r.menu_html(state.url, root, error_page, part),
            "rel": partial(self.rel, state),
            "url_for": r.urls.url_for,
            # The page that draws [[block:name]] (or None): read like the menu, so a move re-renders.
            "block_page": lambda name: r.use(NAV_USE) or r.menu.block_pages().get(name),
            "md": lambda text: self.md(text, state),
            "cite": lambda source_id: self.cite(source_id, state),
            "references": lambda: self.references(state),
            "reference": lambda source: r.bibliography().entry(source.id),  # its CSL-formatted text
            "cite_marks": lambda sources: self.cite_marks(sources, state),
            "numeric_citations": r.config.citation_style is None or r.config.citation_style.numeric,
            # Safe: both are built by our own autoescaped templates / escaped JSON.
            "figure": lambda figure_id: Markup(r.inserts.figure(figure_id, state, state.location)),  # noqa: S704
            "json_ld": lambda value: Markup(_json_for_script(value)),  # noqa: S704
            "t": r.config.strings,  # the interface texts of the site's language
            "date": r.config.strings.date,
            "number": r.numbers.shown,  # a value of the data as the language writes it (tables)
            "preview": r.options.preview,
            "generator": f"explainer {__version__}",
            # In a series: its name and front door, which every explainer's header links to.
            "series": r.options.series if r.series_part() else None,
            "front_door": r.series_part() == "",
            "blocks_used": set(),  # names of the [[block:...]]s this page's Markdown drew
        }
        ctx["structured_data"] = lambda error_page=False: self.structured_data(ctx, error_page, item)
        r.context_for[id(state)] = ctx
        return ctx

    def structured_data(
        self, ctx: dict[str, Any], error_page: bool, item: tuple[Any, Any] | None
    ) -> list[dict[str, Any]]:
        """The page's JSON-LD objects (see structured_data.py); called by base.html's head."""
        r = self.renderer
        reads = structured_data.READS if item is None else (*structured_data.READS, item[0].name)
        for name in reads:  # what the builders read, and the kind of the page (its own builder's)
            r.use(name)
        return structured_data.page_items(r.config, r.data, ctx["page"], item, ctx["blocks_used"], error_page)

    def rel(self, state: PageState, target: str) -> str:
        """A link from this page to `target` (a URL from the site's root), checked after the
        build like a link written in Markdown, at the template line that wrote it."""
        if not target.startswith(WRITTEN_AFTER_CHECKS):
            url, _, anchor = target.partition("#")
            state.links.append((url, anchor, self.lines.here(state.location)))
        return relative_url(state.url, target)

    def md(self, text: MarkdownText | str, state: PageState) -> Markup:
        r = self.renderer
        r.use("glossary" + INDEX)
        return Markup(r.markdown.convert_data(text, state))  # noqa: S704 - our Markdown stage's HTML

    def references(self, state: PageState) -> list[tuple[int, Any]]:
        """The page's sources with their numbers: in citation order (numbered styles) or as
        the style sorts them (author-year)."""
        r = self.renderer
        numbers = {s: i + 1 for i, s in enumerate(state.citations)}
        return [(numbers[s], r.data.sources[s]) for s in r.bibliography().order(state.citations)]

    def cite_marks(self, sources: list[Any], state: PageState) -> Markup:
        """Sources cited from a template (a claim's "based on"), marked as Markdown marks them."""
        if not sources:
            return Markup("")
        for source in sources:
            self.cite(source.id, state)
        element = citation_element([Cite(s.id) for s in sources], state, self.renderer.markdown.site)
        if element is None:
            return Markup("")  # the theme's hook failed (reported)
        # Safe: an element tree whose texts and attributes etree escapes.
        return Markup(ElementTree.tostring(element, encoding="unicode", method="html"))  # noqa: S704

    def cite(self, source_id: str, state: PageState) -> int:
        if source_id not in self.renderer.data.sources:
            raise SiteError(state.location, f"unknown source id '{source_id}'")
        return state.cite(source_id)


class Inserts:
    """What pages draw from data: `[[block:...]]` templates and figures, each rendered by
    its template into the page's HTML (errors located at the shortcode or the figure)."""

    def __init__(self, renderer: Renderer) -> None:
        self.renderer = renderer
        self.lines = TemplateLines(lambda: renderer.env, renderer.options.template_dirs())

    def shortcode(self, kind: str, name: str, state: PageState, where: Location) -> str:
        """The HTML of `[[figure:id]]` or `[[block:name]]` in a page's Markdown."""
        r = self.renderer
        if kind == "figure":
            return self.figure(name, state, where)
        ctx = r.context_for.get(id(state))
        template = f"{BLOCK_DIR}/{name}.html"
        if ctx is None:
            r.diags.error(where, f"[[block:{name}]] can only be used in a page")
            return ""
        if template not in r.env.list_templates():
            known = sorted(t[len(BLOCK_DIR) + 1 : -5] for t in r.env.list_templates() if t.startswith(BLOCK_DIR))
            r.diags.error(where, f"unknown block '{name}'; blocks are: {', '.join(known)}")
            return ""
        missing = self.missing_data(name, template)
        if missing:
            r.diags.error(where, missing)
            return ""
        ctx["blocks_used"].add(name)
        try:
            return r.env.get_template(template).render(ctx)
        except Exception as exc:  # noqa: BLE001
            r.diags.add(template_error(exc, r.options.template_dirs(), where))
            return ""

    def hook(self, name: str, values: dict[str, Any], where: Location) -> str:
        """The theme's markup of a citation, a reference or a tip (markdown/hooks.py), drawn by
        templates/render/<name>.html with the site's strings (t) and the values."""
        r = self.renderer
        try:
            return r.env.get_template(f"{HOOK_DIR}/{name}.html").render(t=r.config.strings, **values)
        except Exception as exc:  # noqa: BLE001
            r.diags.add(template_error(exc, r.options.template_dirs(), where))
            return ""

    def missing_data(self, block: str, template: str) -> str:
        """What a block needs from the data and the site lacks, as a message ("" if nothing):
        drawn without it, the block would fail in its template or print "None"."""
        view = self.renderer.data_view
        for name, key in data_needs(self.renderer.env, template):
            stem = self.renderer.data.kinds.view_file(name)
            file = f"data/{stem.replace('_', '-')}.yaml"
            value = dict.get(view, name)
            if value is None or (isinstance(value, list | dict | str) and not value):
                if stem == name and stem in self.renderer.data.files:
                    continue  # the file is there: its own errors (or its emptiness) say enough
                where = file if stem == name else f"'{name}' in {file}"
                return f"block '{block}' needs {where}, which the site does not have: add it, or remove the block"
            if key and not (key in value if isinstance(value, dict) else hasattr(value, key)):
                return f"block '{block}' needs '{key}' in {file}: add it, or remove the block"
        return ""

    def figure(self, figure_id: str, state: PageState, where: Location) -> str:
        """A figure drawn as inline SVG by its kind's template, from its kind's layout."""
        r = self.renderer
        fig = r.data.figures.get(figure_id)
        if fig is None:
            from ..core.suggest import suggest_id

            if r.diags.is_broken("figure", figure_id):
                return ""  # reported where it is defined
            r.diags.error(where, f"unknown figure id '{figure_id}'{suggest_id(figure_id, r.data.figures)}")
            return ""
        ctx = dict(r.context_for.get(id(state)) or {})
        ctx.update(fig=fig, layout=FIGURE_KINDS[fig.kind].layout(fig, r.data, r.numbers))
        try:
            return r.env.get_template(f"{FIGURE_DIR}/{fig.kind}.html").render(ctx)
        except Exception as exc:  # noqa: BLE001
            r.diags.add(template_error(exc, r.options.template_dirs(), fig.location))
            return ""


def _recording(data: SiteData, use: Callable[[str], None]) -> SiteData:
    """A shallow copy of data whose tables report reads (by file name) to use."""
    copied = copy.copy(data)
    for name, kind in data.kinds.items():
        if kind.keyed and kind.shape == "list":
            setattr(copied, name, _UsedDict(getattr(data, name), name, use))
    return copied


def note_uses(cited: set[str], fact_uses: dict[str, dict[str, str]], file: RenderedFile) -> None:
    """What the listing pages read of an output rendered before them: the sources it cited
    (the bibliography), the facts it printed (the Facts page)."""
    state = file.state
    if state is None:
        return
    cited.update(state.citations)
    for fact_id in getattr(state, "facts_used", ()):
        fact_uses.setdefault(fact_id, {}).setdefault(state.url, file.title)


def fact_use_keys(fact_uses: dict[str, dict[str, str]]) -> list[str]:
    """The Facts page's input besides citations: which output (URL, title) printed which fact."""
    return [f"fact:{fact_id}>{url}>{title}" for fact_id, uses in fact_uses.items() for url, title in uses.items()]


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


def bibliography_paths(kinds: Registry) -> set[str]:
    """The outputs that list what the other outputs cited (the kinds' `lists_cited` pages)."""
    return {output_path(kinds.page_url(k, page)) for k, page in kinds.generated_pages() if page.lists_cited}


def cited_input(
    path: str, cited: set[str], fact_uses: dict[str, dict[str, str]] | None = None, kinds: Registry | None = None
) -> frozenset[str] | None:
    """The bibliography rule, for the cache and the preview alike: an output that lists what
    the others cited (and the Facts page, what facts they printed) has as an input the sources
    cited and facts printed by the outputs rendered before it (`cited`, `fact_uses`: the
    renderer's at its turn). Other outputs: None."""
    if path not in bibliography_paths(kinds or Registry()):
        return None
    return frozenset(cited) | frozenset(fact_use_keys(fact_uses or {}))


def interface_text(strings: Any, key: str) -> str:
    """An interface text by its key in strings/<language>.yaml (a registry page's title or
    menu label); a key the strings files lack is shown as written."""
    return strings.text(key) if key in strings.texts else key


def _json_for_script(value: Any) -> str:
    """JSON that cannot close its <script> element early."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, indent=1)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
