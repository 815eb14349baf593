"""The site's pages: its Markdown pages, the registry's generated pages (an entry's page, a
kind's page) and the 404 page, each drawn by its template in a page's context
(render/context.py). `Renderer.jobs()` lists them with the feeds and a series' front door.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from markupsafe import Markup

from ..core.errors import Location
from ..core.urls import output_path
from ..kinds.declare import GeneratedPage, Kind
from ..kinds.pages import Page
from ..markdown.state import PageState
from .templates import page_template_problem
from .uses import CITED_USE, INDEX, RenderedFile

if TYPE_CHECKING:
    from .renderer import Renderer


def page_jobs(renderer: Renderer) -> dict[str, Callable[[], RenderedFile | None]]:
    """The Markdown pages, then the registry's generated pages, by output path in render order."""
    jobs: dict[str, Callable[[], RenderedFile | None]] = {
        p.output_path: partial(render_page, renderer, p) for p in renderer.pages
    }
    # The registry's generated pages: per entry first, those listing citations last.
    data = renderer.data
    kinds = data.kinds
    for kind, page in kinds.generated_pages():
        if page.per_item:
            for item in getattr(data, kind.name).values():
                url = kinds.page_url(kind, page, item.id)
                jobs[output_path(url)] = partial(render_item, renderer, kind, page, item, url)
        elif (page.always and (renderer.series_part() != "" or kind.shared)) or getattr(data, kind.name):
            # A series' front door has the pages of what it shares (its sources), not an empty claims list.
            jobs[output_path(kinds.page_url(kind, page))] = partial(render_kind_page, renderer, kind, page)
    return jobs


def render_page(renderer: Renderer, page: Page) -> RenderedFile | None:
    renderer.begin_output()
    renderer.use("glossary" + INDEX)  # any Markdown may gain a glossary tooltip (and reads that term)
    state = PageState(url=page.url, location=Location(page.source, page.body_line))
    ctx = renderer.context(state, page.title, page.summary or renderer.config.description, page.source)
    body, toc = renderer.markdown.convert(page.body, state, Location(page.source, page.body_line))
    # Safe: HTML from our Markdown stage, which refuses script in raw HTML.
    ctx["page"].update(content=Markup(body), toc=Markup(toc), slug=page.slug)  # noqa: S704
    where = page.template_location or Location(page.source, 1)  # a missing template: the `template:` line
    problem = page_template_problem(renderer.env, page.template) if page.template_location else None
    if problem is not None:
        renderer.diags.error(where, problem)
        renderer.diags.mark_broken("url", page.output_path)
        return None
    return renderer.finish(page.output_path, page.template, ctx, state, where)


def render_item(renderer: Renderer, kind: Kind, page: GeneratedPage, item: Any, url: str) -> RenderedFile | None:
    """The page of one entry (a claim): the template sees it under the kind's singular name."""
    renderer.begin_output()
    renderer.use(kind.name)
    state = PageState(url=url, location=item.location)
    title = kind.title_of(item, renderer.config.strings.quote)
    description = kind.item_description(item) if kind.item_description else renderer.config.description
    ctx = renderer.context(state, title, description, item.location.path, (kind, item))
    ctx[kind.what.replace(" ", "_")] = item
    return renderer.finish(output_path(url), page.template, ctx, state, item.location)


def render_kind_page(renderer: Renderer, kind: Kind, page: GeneratedPage) -> RenderedFile | None:
    url = renderer.data.kinds.page_url(kind, page)
    path = output_path(url)
    folder = url if path != url else url.rpartition("/")[0] + "/"  # a file's page URL is its folder
    title = renderer.words(page.title)
    source = renderer.data.files.get(kind.name)
    out = render_generated(renderer, folder, page.template, title, source, path, page, kind)
    if out is not None and not page.in_sitemap:
        out.in_sitemap, out.state = False, None
    return out


def render_not_found(renderer: Renderer) -> RenderedFile | None:
    title = renderer.config.strings.text("not_found_title")
    not_found = render_generated(renderer, "", "404.html", title, renderer.config.path, path="404.html")
    if not_found is not None:
        not_found.in_sitemap = False
    return not_found


def render_generated(
    renderer: Renderer,
    url: str,
    template: str,
    title: str,
    source: Path | None,
    path: str | None = None,
    page: GeneratedPage | None = None,
    kind: Kind | None = None,  # the kind whose own page it is (its JSON-LD, if it builds one)
) -> RenderedFile | None:
    renderer.begin_output()
    config, data = renderer.config, renderer.data
    state = PageState(url=url, location=Location(source or config.path))
    about = (kind, None) if kind is not None else None
    ctx = renderer.context(state, title, config.description, source or config.path, about)
    if page is not None and page.lists_cited:
        renderer.use(CITED_USE)
        cited = [s.id for s in data.sources.values() if s.id in renderer.cited]
        ctx["cited_sources"] = [data.sources[i] for i in renderer.bibliography().order(cited)]
        ctx["fact_uses"] = {fact_id: sorted(uses.items()) for fact_id, uses in renderer.fact_uses.items()}
    return renderer.finish(path or f"{url}index.html", template, ctx, state, state.location)
