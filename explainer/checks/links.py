"""Check: every internal link an editor wrote leads to a file of the built site, and every
`#anchor` to an id on that page. (Every page can be reached: the menu lists each page, see
menu.py.) Reads rendered HTML only; writes nothing.
"""

from __future__ import annotations

from html.parser import HTMLParser

from ..core.errors import Diagnostics
from ..core.suggest import did_you_mean
from ..render.uses import RenderedFile


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
                        + did_you_mean(target_url, sorted(known), "/"),
                    )
                    continue
            if anchor and target_path in by_path:
                if target_path not in ids_cache:
                    ids_cache[target_path] = ids_in(by_path[target_path].content)
                if anchor not in ids_cache[target_path]:
                    diags.error(
                        where,
                        f"link to '#{anchor}' on '/{target_url}': no such anchor on that page"
                        + did_you_mean(anchor, sorted(ids_cache[target_path]), "#"),
                    )
