"""Stage 4, render: the site menu, worked out once per build and drawn by `menu.html`.

The menu lists the top-level pages, then one entry per top-level folder of pages, then the
registry's generated pages that have a menu label. A folder's entry is its `index.md` page
if it has one, else a link to its first page, labelled with the folder's name. The folder of
the page being shown is unfolded: its pages are listed under its entry. So every page is at
most two steps from any page (its folder's entry, then the page), and a page's menu grows
with the number of top-level entries and the size of its own folder, not with the site.

A site may name its header menu in `site.yaml` (`menu:`, at most MAX_ITEMS entries, in
reading order, each a page, folder or generated page, optionally with a shorter label);
every entry it leaves out is listed in the footer's menu instead, so no page is lost.

The menu's HTML is drawn by the theme's `menu.html` once per build for each depth of page
(its links are relative), part (header or footer) and unfolded folder; a page's menu is that
text with its own link marked `aria-current="page"`, not a template run for every page,
which made a site's build time grow with the square of its pages.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jinja2 import Template
from markupsafe import Markup, escape

from ..core.errors import Location, SiteError
from ..core.suggest import did_you_mean
from ..core.yamlio import YSeq
from ..kinds.data import SiteData
from ..kinds.pages import Page
from ..markdown.state import relative_url

_NATURAL = re.compile(r"(\d+)")
_BLOCK = re.compile(r"\[\[block:([\w-]+)\]\]")
MAX_ITEMS = 7  # a header menu a reader takes in at a glance, on one row of a wide screen
HOME = ("/", "index")  # how `menu:` names the home page
PARTS = ("header", "more")


@dataclass(frozen=True)
class Entry:
    title: str
    url: str
    folder: str = ""  # the top-level folder whose pages unfold under this entry, if any


class Menu:
    """The site menu: what it lists (entries, header, more, folders, key) and its HTML for a page (html)."""

    def __init__(
        self,
        pages: list[Page],
        data: SiteData,
        words: Callable[[str], str],
        template: Callable[[], Template],
        chosen: tuple[Any, ...] = (),
        where: Location | None = None,
        unread: Callable[[str], bool] = lambda name: False,
        lead: tuple[Entry, ...] = (),
    ) -> None:
        self.lead = lead  # entries before the pages' (a series' front door: its home, archive, topics)
        self.pages = pages
        self.data = data
        self.words = words  # an interface text by its key (Renderer.words)
        self.template = template  # the theme's menu.html (getting it records the use)
        self.chosen = chosen  # site.yaml's `menu`
        self.where = where
        self.unread = unread  # a name of a page that failed to read (reported there, not again here)
        self._entries: list[Entry] | None = None
        self._folders: dict[str, list[Entry]] | None = None
        self._header: tuple[list[Entry], list[SiteError]] | None = None
        self._drawn: dict[tuple[int, str, str, str], str] = {}
        self._drawn_with: Template | None = None

    def folders(self) -> dict[str, list[Entry]]:
        """Top-level folder -> the pages in it (and in its subfolders), in page order; a
        folder's own index page is its entry, not one of its pages."""
        if self._folders is None:
            found: dict[str, list[Entry]] = {}
            for p in self.pages:
                if "/" in p.slug:
                    found.setdefault(p.slug.split("/", 1)[0], []).append(Entry(p.title, p.url))
            self._folders = found
        return self._folders

    def entries(self) -> list[Entry]:
        """Every top-level entry, in order."""
        if self._entries is None:
            folders = self.folders()
            home = self.words("nav_home")
            entries = [*self.lead] + [
                Entry(p.title if p.slug else home, p.url, p.slug if p.slug in folders else "")
                for p in self.pages
                if "/" not in p.slug
            ]
            indexed = {e.folder for e in entries}
            for name in sorted(folders.keys() - indexed, key=_natural):
                entries.append(Entry(_folder_title(name), folders[name][0].url, name))
            for kind, page in self.data.kinds.menu_pages():
                if getattr(self.data, kind.name) or (page.always and page.menu_when_empty):
                    entries.append(Entry(self.words(page.menu), self.data.kinds.page_url(kind, page)))
            self._entries = entries
        return self._entries

    def header(self) -> list[Entry]:
        """The header menu: the site's `menu:` in its order with its labels, or every entry."""
        return self._chosen()[0]

    def more(self) -> list[Entry]:
        """The entries the header leaves out, in menu order: the footer's menu."""
        shown = {e.url for e in self.header()}
        return [e for e in self.entries() if e.url not in shown]

    def problems(self) -> list[SiteError]:
        """What is wrong with site.yaml's `menu:`, each at its item."""
        return self._chosen()[1]

    def _chosen(self) -> tuple[list[Entry], list[SiteError]]:
        if self._header is None:
            prefix = self.data.kinds.url_prefix
            where = self.where or Location(Path("site.yaml"))
            chosen = resolve(self.chosen, self.entries(), where, prefix, self.unread) if self.chosen else None
            self._header = chosen or (self.entries(), [])
        return self._header

    def block_pages(self) -> dict[str, str]:
        """[[block:name]] -> the URL of the first page (in menu order) that draws it: where a
        generated page links for what that block says (a claim page to the limits' texts)."""
        found: dict[str, str] = {}
        for p in self.pages:
            for name in _BLOCK.findall(p.body):
                found.setdefault(name, p.url)
        return found

    def key(self) -> tuple[tuple[str, ...], ...]:
        """What the menu shows, in order: an output that shows the menu changes when this does
        (part of the cache's key; the preview's test for re-rendering the menu's outputs)."""
        folded = [(name, e.title, e.url) for name, pages in sorted(self.folders().items()) for e in pages]
        header = tuple((e.title, e.url) for e in self.header())
        blocks = tuple(sorted(self.block_pages().items()))
        return (*header, ("--",), *((e.title, e.url) for e in self.more()), *folded, ("--",), *blocks)

    def for_page(self, current_url: str) -> list[dict[str, object]]:
        """The header's entries as the page at current_url links them (for templates)."""
        return [
            {"title": e.title, "url": relative_url(current_url, e.url), "current": e.url == current_url}
            for e in self.header()
        ]

    def html(self, current_url: str, root: str = "", error_page: bool = False, part: str = "header") -> Markup:
        """The menu's list (the header's, or the footer's: part "more") as the page at
        current_url shows it; empty when it has no entries. root: links from the site's root
        path instead (the error page, served at any address), with nothing marked."""
        slug = current_url.rstrip("/")
        folder = slug.split("/", 1)[0] if slug.split("/", 1)[0] in self.folders() else ""
        drawn = self._draw(current_url.count("/"), root, folder, part)
        if not error_page:
            # The last link to the page: in its unfolded folder when it is one of the folder's
            # pages (the folder's entry may link the same page).
            mark = f'<a href="{escape(self._href(current_url, current_url, root))}">'
            before, found, after = drawn.rpartition(mark)
            if found:
                drawn = before + mark[:-1] + ' aria-current="page">' + after
        return Markup(drawn)  # noqa: S704 - drawn by the autoescaped menu.html

    def _draw(self, depth: int, root: str, folder: str, part: str) -> str:
        """The menu's HTML for pages at this depth with this folder unfolded, drawn once per
        build (and again when the template changed, as in the preview)."""
        template = self.template()
        if template is not self._drawn_with:
            self._drawn, self._drawn_with = {}, template
        key = (depth, root, folder, part)
        if key not in self._drawn:
            here = "x/" * depth  # any page at this depth: relative links depend on the depth only
            entries = self.header() if part == "header" else self.more()
            links = [
                {
                    "title": e.title,
                    "href": self._href(here, e.url, root),
                    "children": [
                        {"title": p.title, "href": self._href(here, p.url, root)} for p in self.folders()[folder]
                    ]
                    if folder and e.folder == folder
                    else [],
                }
                for e in entries
            ]
            self._drawn[key] = template.render(links=links, part=part).strip() if links else ""
        return self._drawn[key]

    @staticmethod
    def _href(current_url: str, url: str, root: str) -> str:
        link = relative_url(current_url, url)
        return (root + link).replace("/./", "/") if root else link



def resolve(
    chosen: Any,
    entries: list[Entry],
    base: Location,
    prefix: str = "",
    unread: Callable[[str], bool] = lambda name: False,
) -> tuple[list[Entry], list[SiteError]]:
    """site.yaml's `menu:` as entries, in its order with its labels, and what is wrong with
    it, each at its item. An entry is named by its address below the site's url_prefix
    ("study", "claims/", "/" the home page) or its folder's name; one naming a page that
    failed to read is left out without a second error (one mistake, one error)."""
    by_name = {e.url.removeprefix(prefix).strip("/") or "/": e for e in entries} | {
        e.folder: e for e in entries if e.folder
    }
    seq = chosen if isinstance(chosen, YSeq) else None
    picked: list[Entry] = []
    errors: list[SiteError] = []
    for i, item in enumerate(chosen):
        where = seq.loc(i) if seq is not None else base
        target, label = _item(item)
        if target is None:
            errors.append(SiteError(where, "a menu entry is a page's name (about), a folder, a generated page "
                                    "(claims/), or {page: ..., label: ...}"))
            continue
        name = "/" if target.strip("/") in ("", *HOME) else target.strip("/")
        entry = by_name.get(name)
        if entry is None and unread(name):
            continue
        if entry is None:
            known = sorted(n for n in by_name if n != "/")
            errors.append(SiteError(where, f"the menu names '{target}', which is no page, folder or generated "
                                    f"page{did_you_mean(name, known) or '; known: /, ' + ', '.join(known)}"))
        elif any(e.url == entry.url for e in picked):
            errors.append(SiteError(where, f"the menu names '{target}' twice"))
        else:
            picked.append(Entry(label or entry.title, entry.url, entry.folder))
    if len(chosen) > MAX_ITEMS:
        errors.append(SiteError(base, f"the menu has {len(chosen)} entries: keep it "
                                f"to {MAX_ITEMS} at most (the others are listed in the footer's menu)"))
    return picked, errors

def _item(item: Any) -> tuple[str | None, str]:
    """(target, label) of one `menu:` entry: "about", or {page: about, label: About}."""
    if isinstance(item, str):
        return item, ""
    if isinstance(item, dict) and isinstance(item.get("page"), str) and set(item) <= {"page", "label"}:
        return item["page"], str(item.get("label") or "")
    return None, ""


def _folder_title(name: str) -> str:
    """A folder without an index page is labelled with its name: "guides-2" -> "Guides 2"."""
    words = name.replace("-", " ").strip()
    return words[:1].upper() + words[1:]


def _natural(name: str) -> list[object]:
    """section-2 before section-10."""
    return [int(part) if part.isdigit() else part for part in _NATURAL.split(name)]
