"""Check: every internal link an editor wrote leads to a file of the built site, every
`#anchor` to an id on that page, and every page can be reached from the menu.
Reads rendered HTML only; writes nothing.
"""

from __future__ import annotations

import difflib
import posixpath
import re
from collections.abc import Callable
from html.parser import HTMLParser
from urllib.parse import unquote, urljoin, urlparse

from .errors import Diagnostics, Location
from .render import RenderedFile


class _Ids(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name == "id" and value:
                self.ids.add(value)


def ids_in(html: bytes) -> set[str]:
    parser = _Ids()
    parser.feed(html.decode("utf-8"))
    return parser.ids


def _hint(word: str, known: set[str] | list[str], prefix: str = "") -> str:
    hint = difflib.get_close_matches(word, sorted(known), n=1)
    return f"; did you mean '{prefix}{hint[0]}'?" if hint else ""


def check_links(
    files: list[RenderedFile],
    other_paths: set[str],
    diags: Diagnostics,
    ids_cache: dict[str, set[str]] | None = None,
) -> None:
    """ids_cache (path -> ids on that page) may be kept between runs by a caller that drops
    the entries of pages it re-rendered (the live preview): parsing pages is most of the cost."""
    by_path = {f.path: f for f in files}
    ids_cache = {} if ids_cache is None else ids_cache
    for f in files:
        if f.state is None:
            continue
        for target_url, anchor, where in f.state.links:
            target_path = target_url + "index.html" if target_url in ("",) or target_url.endswith("/") else target_url
            if diags.is_broken("url", target_path):
                continue  # that page failed to render; its own error says why
            if target_path not in by_path and target_path not in other_paths:
                if target_url + "/index.html" in by_path:
                    target_path = target_url + "/index.html"
                else:
                    known = [p.removesuffix("index.html") for p in by_path] + sorted(other_paths)
                    diags.error(
                        where,
                        f"link to '/{target_url}' leads nowhere: no page or file of the site has that address"
                        + _hint(target_url, known, "/"),
                    )
                    continue
            if anchor and target_path in by_path:
                if target_path not in ids_cache:
                    ids_cache[target_path] = ids_in(by_path[target_path].content)
                if anchor not in ids_cache[target_path]:
                    diags.error(
                        where,
                        f"link to '#{anchor}' on '/{target_url}': no such anchor on that page"
                        + _hint(anchor, ids_cache[target_path], "#"),
                    )
    check_reachable(files, diags)


# --- every page reachable from the menu -------------------------------------------------

_HREF_RE = re.compile(rb'<a\s[^>]*?href="([^"#]*)', re.IGNORECASE)


def _page_url(path: str) -> str:
    return path.removesuffix("index.html")


def _is_content_page(f: RenderedFile) -> bool:
    return f.source.path.suffix == ".md" and f.path.endswith("index.html")


def check_reachable(files: list[RenderedFile], diags: Diagnostics) -> None:
    """Warn about a page no reader can find: the menu lists top-level pages and generated
    sections, so a nested page (pages/guides/x.md) needs a link from a page that is found."""
    pages = {_page_url(f.path): f for f in files if _is_content_page(f)}
    nested = {url for url in pages if url.count("/") > 1}
    if not nested:
        return
    # Roots: whatever the menu and the templates show on every page.
    roots = [_page_url(f.path) for f in files if f.path.endswith(".html") and _page_url(f.path) not in nested]
    # Markdown links first (already collected, so free); templates' links only if needed.
    unreached = nested - _reach(roots, files, lambda f: [url for url, _, _ in f.state.links] if f.state else [])
    if unreached:
        unreached -= _reach(roots, files, _hrefs)
    for url in sorted(unreached):
        page = pages[url]
        slug = url.rstrip("/")
        diags.warning(
            Location(page.source.path, 1, 1),
            f"page '/{url}' is not reachable: the menu lists only top-level pages and no page links to it; "
            f"link to it from another page, e.g. [{page.title or slug}]({slug}.md)",
        )


def _reach(roots: list[str], files: list[RenderedFile], links_of: Callable[[RenderedFile], list[str]]) -> set[str]:
    by_url = {_page_url(f.path): f for f in files if f.path.endswith(".html")}
    seen: set[str] = set()
    todo = [r for r in roots if r in by_url]
    while todo:
        url = todo.pop()
        if url in seen:
            continue
        seen.add(url)
        for target in links_of(by_url[url]):
            target = _normalise(target)
            if target in by_url and target not in seen:
                todo.append(target)
    return seen


def _normalise(url: str) -> str:
    """A site-relative URL as a page key: "guides/x" -> "guides/x/", "a/index.html" -> "a/"."""
    url = url.split("#", 1)[0].removesuffix("index.html")
    if url and not url.endswith("/") and "." not in posixpath.basename(url):
        url += "/"
    return url


def _hrefs(f: RenderedFile) -> list[str]:
    """The site-relative targets of every <a href> in a rendered page (its templates' links too)."""
    base = "http://site.invalid/" + f.path
    found = []
    for match in _HREF_RE.finditer(f.content):
        target = urlparse(urljoin(base, unquote(match.group(1).decode("utf-8", "replace"))))
        if target.netloc == "site.invalid":
            found.append(target.path.lstrip("/"))
    return found
