"""What a template sees: the site, its data, the page, the menu, and the functions a
template may call, each bound to the page being rendered; what it reads of the data is
recorded as the renderer's use (render/uses.py).
"""

from __future__ import annotations

import json
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any
from xml.etree import ElementTree

from markupsafe import Markup

from .. import __version__
from ..core.errors import SiteError
from ..kinds.data import MarkdownText
from ..markdown.citations import Cite
from ..markdown.references import citation_element
from ..markdown.state import PageState, relative_url
from . import structured_data
from .templates import TemplateLines
from .uses import INDEX, NAV_USE, UsedList

if TYPE_CHECKING:
    from .renderer import Renderer

WRITTEN_AFTER_CHECKS = ("pagefind/",)  # the search index: made after the links are checked


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
            "nav": UsedList(partial(r.menu.for_page, state.url), partial(r.use, NAV_USE)),
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


def _json_for_script(value: Any) -> str:
    """JSON that cannot close its <script> element early."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, indent=1)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
