"""Stage 4, render: the site menu, worked out and drawn once per build.

The menu lists the top-level pages, then one entry per top-level folder of pages, then the
registry's generated pages that have a menu label. A folder's entry is its `index.md` page
if it has one, else a link to its first page, labelled with the folder's name. The folder of
the page being shown is unfolded: its pages are listed under its entry. So every page is at
most two steps from any page (its folder's entry, then the page), and a page's menu grows
with the number of top-level entries and the size of its own folder, not with the site.

The menu's HTML is drawn once per build for each depth of page (its links are relative)
and each unfolded folder; a page's menu is that text with its own link marked
`aria-current="page"`, not a template loop over every entry for every page, which made a
site's build time grow with the square of its pages.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from markupsafe import Markup, escape

from ..kinds.data import SiteData
from ..kinds.pages import Page
from ..markdown.extension import relative_url

_NATURAL = re.compile(r"(\d+)")


@dataclass(frozen=True)
class Entry:
    title: str
    url: str
    folder: str = ""  # the top-level folder whose pages unfold under this entry, if any


class Menu:
    """The site menu: what it lists (entries, folders, key) and its HTML for a page (html)."""

    def __init__(self, pages: list[Page], data: SiteData, words: Callable[[str], str]) -> None:
        self.pages = pages
        self.data = data
        self.words = words  # an interface text by its key (Renderer.words)
        self._entries: list[Entry] | None = None
        self._folders: dict[str, list[Entry]] | None = None
        self._drawn: dict[tuple[int, str, str], tuple[str, str, str]] = {}

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
        """The top-level entries, in order."""
        if self._entries is None:
            folders = self.folders()
            home = self.words("nav_home")
            entries = [
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

    def key(self) -> tuple[tuple[str, ...], ...]:
        """What the menu shows, in order: an output that shows the menu changes when this does
        (part of the cache's key; the preview's test for re-rendering the menu's outputs)."""
        folded = [(name, e.title, e.url) for name, pages in sorted(self.folders().items()) for e in pages]
        return tuple((e.title, e.url) for e in self.entries()) + tuple(folded)

    def for_page(self, current_url: str) -> list[dict[str, object]]:
        """The top-level entries as the page at current_url links them (for templates)."""
        return [
            {"title": e.title, "url": relative_url(current_url, e.url), "current": e.url == current_url}
            for e in self.entries()
        ]

    def html(self, current_url: str, root: str = "", error_page: bool = False) -> Markup:
        """The menu's list as the page at current_url shows it. root: links from the site's
        root path instead (the error page, served at any address), with nothing marked."""
        slug = current_url.rstrip("/")
        folder = slug.split("/", 1)[0] if slug.split("/", 1)[0] in self.folders() else ""
        head, unfolded, tail = self._draw(current_url.count("/"), root, folder)
        if not error_page:
            mark = f'<a href="{escape(self._href(current_url, current_url, root))}">'
            marked = mark[:-1] + ' aria-current="page">'
            # In the unfolded folder when the page is one of its pages (its entry links the same page).
            if mark in unfolded:
                unfolded = unfolded.replace(mark, marked, 1)
            else:
                head = head.replace(mark, marked, 1)
        return Markup(head + unfolded + tail)  # noqa: S704 - titles escaped in _draw

    def _draw(self, depth: int, root: str, folder: str) -> tuple[str, str, str]:
        """The menu's HTML for pages at this depth with this folder unfolded, in three parts
        (up to the folder's entry, the folder's pages, the rest), drawn once per build."""
        key = (depth, root, folder)
        if key not in self._drawn:
            here = "x/" * depth  # any page at this depth: relative links depend on the depth only
            head, unfolded, tail = ["<ul>\n"], [], []
            part = head
            for e in self.entries():
                link = self._link(here, e, root)
                if folder and e.folder == folder:
                    part.append(f"        <li>{link}\n          <ul>\n")
                    unfolded += [f"            <li>{self._link(here, p, root)}</li>\n" for p in self.folders()[folder]]
                    part = tail
                    part.append("          </ul>\n        </li>\n")
                else:
                    part.append(f"        <li>{link}</li>\n")
            part.append("      </ul>")
            self._drawn[key] = ("".join(head), "".join(unfolded), "".join(tail))
        return self._drawn[key]

    def _link(self, here: str, e: Entry, root: str) -> str:
        return f'<a href="{escape(self._href(here, e.url, root))}">{escape(e.title)}</a>'

    @staticmethod
    def _href(current_url: str, url: str, root: str) -> str:
        link = relative_url(current_url, url)
        return (root + link).replace("/./", "/") if root else link


def _folder_title(name: str) -> str:
    """A folder without an index page is labelled with its name: "guides-2" -> "Guides 2"."""
    words = name.replace("-", " ").strip()
    return words[:1].upper() + words[1:]


def _natural(name: str) -> list[object]:
    """section-2 before section-10."""
    return [int(part) if part.isdigit() else part for part in _NATURAL.split(name)]
