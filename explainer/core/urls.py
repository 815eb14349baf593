"""Every URL of a page the site makes: `Urls.url_for(kind, id)`, and the file a URL is
written to (`output_path`).

One `Urls` per build, made from the kinds' pages (kinds.registry.Registry.urls) and the
site's `url_prefix` (site.yaml: the explainer's folder in a bigger site, "coffee/"), is
what templates (the `url_for` global), the Markdown stage and the renderer ask. Markdown
pages are the kind `pages`: `url_for("pages", "study")`, and `url_for("pages")` the home page.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from .suggest import did_you_mean

PAGES = "pages"  # the Markdown pages, as url_for names them
# The site's own files at its root, whatever the url_prefix: one for all its explainers.
SITE_FILES = {"feed": "feed.xml", "claims_feed": "claims.json"}
# A series' own pages (site/series.py), at the site's root: its front door lists its
# explainers ("explainer": an explainer's home page), "topic" one tag's explainers.
SERIES_PAGES = {"series": "", "explainer": "{id}/", "archive": "archive/", "topics": "topics/", "topic": "topics/{id}/"}


class UnknownKind(LookupError):
    """url_for was asked for a kind (or a kind's entry page) the site does not make."""


@dataclass(frozen=True)
class Urls:
    prefix: str = ""  # "" or a folder such as "coffee/": every page of the explainer is under it
    pages: Mapping[str, str] = field(default_factory=dict)  # kind -> its own page: "claims/"
    entries: Mapping[str, str] = field(default_factory=dict)  # kind -> an entry's: "claims/{id}/", "sources/#src-{id}"
    files_prefix: str = ""  # the folder of SITE_FILES: "" (the site's root), or an explainer's in a series

    def url_for(self, kind: str, ident: str = "") -> str:
        """The URL, from the site's root, of a kind's page ("claims/"), of one entry
        ("claims/x/", "sources/#src-x"), of a Markdown page (kind "pages"), or of a file of
        the whole site (SITE_FILES: "feed" is "feed.xml")."""
        if kind == PAGES:
            return page_url(self.prefix, ident)
        if kind in SITE_FILES and not ident:
            return self.files_prefix + SITE_FILES[kind]
        if kind in SERIES_PAGES:
            return SERIES_PAGES[kind].replace("{id}", ident)
        table, what = (self.entries, "a page or place per entry") if ident else (self.pages, "a page")
        pattern = table.get(kind)
        if pattern is None:
            known = sorted({PAGES, *table, *(() if ident else SITE_FILES)})
            raise UnknownKind(
                f"url_for: no kind '{kind}' with {what}{did_you_mean(kind, known)} (kinds: {', '.join(known)})"
            )
        return self.prefix + pattern.replace("{id}", ident)


def page_url(prefix: str, slug: str) -> str:
    """A Markdown page's URL: "" or "study/", under the prefix."""
    slug = slug.strip("/")
    return f"{prefix}{slug}/" if slug else prefix


def url_of(path: str) -> str:
    """The URL a written file is served at: "claims/x/index.html" -> "claims/x/" (output_path's inverse)."""
    return path.removesuffix("index.html")


def output_path(url: str) -> str:
    """The file an URL is written to: "claims/x/" -> "claims/x/index.html"."""
    return f"{url}index.html" if url == "" or url.endswith("/") else url
