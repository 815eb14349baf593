"""Stage 2, content: Markdown pages with YAML front matter, read from `pages/`.

Reads files under `pages/`; knows nothing of data, templates or output.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Collection
from dataclasses import dataclass
from pathlib import Path

from ..core.errors import Diagnostics, Location, SiteError
from ..core.files import source_files
from ..core.schema import Field, check_mapping
from ..core.urls import output_path, page_url
from ..core.yamlio import ID_RE, YMap, decode_utf8, editor_lines, parse_yaml

FRONT_MATTER_FIELDS = [
    Field("title"),
    Field("summary", required=False),
    Field("order", (int, float), required=False),
    Field("draft", bool, required=False),
    Field("template", required=False),
]


@dataclass
class Page:
    source: Path  # the .md file
    slug: str  # "" for the home page, else e.g. "study" or "guides/diet"
    title: str
    body: str  # the Markdown after the front matter
    body_line: int  # the file line on which body starts (1-based)
    summary: str = ""
    order: float = 0.0
    draft: bool = False
    template: str = "page.html"
    template_location: Location | None = None  # the front matter's `template:` line, if any
    prefix: str = ""  # the site's url_prefix (load_pages sets it)

    @property
    def url(self) -> str:
        """The page's URL relative to the site root: "" or "study/" (under the prefix)."""
        return page_url(self.prefix, self.slug)

    @property
    def output_path(self) -> str:
        return output_path(self.url)


def split_front_matter(text: str, path: Path) -> tuple[YMap, str, int]:
    """Split `---` front matter from the body; returns (front matter, body, body's first line)."""
    lines = editor_lines(text)  # not splitlines(): editors do not break lines at U+2028
    if not lines or lines[0].strip() != "---":
        raise SiteError(
            Location(path, 1, 1),
            "front matter missing: a page must start with a line '---', then 'title: ...', then '---'",
        )
    for i, line in enumerate(lines[1:], start=1):  # noqa: B007 - i is used after the loop
        if line.strip() in ("---", "..."):
            break
    else:
        raise SiteError(Location(path, 1, 1), "front matter not closed: add a line '---' after it")
    meta = parse_yaml("".join(lines[1:i]), path, line_offset=1)
    if meta is None:
        meta = YMap()
        meta.path, meta.line, meta.col = path, 2, 1
        meta.key_marks, meta.value_marks, meta.value_styles, meta.block_indents = {}, {}, {}, {}
    return meta, "".join(lines[i + 1 :]), i + 2


def url_name(name: str) -> str:
    """A file name as it can be a URL: lower case ASCII letters, digits, single hyphens."""
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", plain).strip("-") or "page"


def slug_for(path: Path, pages_dir: Path) -> str:
    parts = list(path.relative_to(pages_dir).with_suffix("").parts)
    if parts[-1] == "index":
        parts.pop()
    return "/".join(parts)


def read_page(path: Path, pages_dir: Path, diags: Diagnostics) -> Page | None:
    """One page, or None after reporting its problems to diags."""
    try:
        page = _read_page(path, pages_dir, diags)
    except SiteError as exc:
        diags.add(exc)
        page = None
    if page is None:
        # Already reported: links to this page should not each report it again.
        diags.mark_broken("page", path.relative_to(pages_dir).as_posix())
    return page


def _read_page(path: Path, pages_dir: Path, diags: Diagnostics) -> Page | None:
    text = decode_utf8(path.read_bytes(), path)
    meta, body, body_line = split_front_matter(text, path)
    errors = check_mapping(meta, FRONT_MATTER_FIELDS, Location(path, 1, 1), "front matter")
    if errors:
        for err in errors:
            diags.add(err)
        return None
    slug = slug_for(path, pages_dir)
    for part in slug.split("/") if slug else []:
        if not ID_RE.match(part):
            better = url_name(part)
            rel = path.relative_to(pages_dir).as_posix()
            # Links written to the name it should have are not reported again: one mistake, one error.
            diags.mark_broken("page", rel.replace(part, better))
            raise SiteError(
                Location(path),
                f"page file name '{part}' may use only a-z, 0-9 and hyphens (it becomes the page's URL); "
                f"rename {'it' if rel.endswith(part + '.md') else 'the folder'} to {better}"
                f"{'.md' if rel.endswith(part + '.md') else ''}",
            )
    return Page(
        source=path,
        slug=slug,
        title=str(meta["title"]),
        body=body,
        body_line=body_line,
        summary=str(meta.get("summary") or ""),
        order=float(meta.get("order") or 0),
        draft=bool(meta.get("draft") or False),
        template=str(meta.get("template") or "page.html"),
        template_location=meta.value_loc("template") if "template" in meta else None,
    )


def load_pages(
    source: Path,
    diags: Diagnostics,
    drafts: bool = False,
    reader: Callable[[Path, Path, Diagnostics], Page | None] = read_page,
    reserved: Collection[str] = (),
    prefix: str = "",
) -> list[Page]:
    """Every page under `pages/`, in nav order; problems go to diags. reader reads one
    page (the build cache passes one that skips files it parsed before); `reserved` are the
    first URL segments the generator fills (the kinds' pages: Registry.reserved_slugs);
    `prefix` the site's url_prefix, which every page's URL starts with."""
    pages_dir = source / "pages"
    home = output_path(page_url(prefix, ""))  # with no home page, links to it are not reported again
    if not pages_dir.is_dir():
        diags.error(Location(pages_dir), "no pages/ folder: add at least pages/index.md")
        diags.mark_broken("url", home)
        return []
    pages: list[Page] = []
    by_slug: dict[str, Page] = {}
    files = source_files(pages_dir, ".md", diags, root=source)
    if not files:
        diags.error(Location(pages_dir), "pages/ has no page: add pages/index.md, the home page")
        diags.mark_broken("url", home)
    for path in files:
        page = reader(path, pages_dir, diags)
        if page is None:  # reported: links to it (a template's too) are not reported again
            diags.mark_broken("url", output_path(page_url(prefix, slug_for(path, pages_dir))))
            continue
        page.prefix = prefix
        rel = path.relative_to(pages_dir).as_posix()
        if page.slug.split("/")[0] in reserved:
            diags.error(Location(path), f"the URL '{page.slug}/' is generated by the site; rename this page")
            diags.mark_broken("page", rel)
            continue
        if page.draft and not drafts:
            diags.mark_broken("draft", rel)  # so a link to it can say why it is missing
            continue
        if page.slug in by_slug:
            other = by_slug[page.slug].source
            diags.error(
                Location(path),
                f"two pages have the URL '/{page.url}': this one and {Location(other).display_path()};"
                " rename or move one of them",
            )
            diags.mark_broken("page", rel)
            continue
        by_slug[page.slug] = page
        pages.append(page)
    if pages and "" not in by_slug and not diags.is_broken("page", "index.md"):
        diags.error(Location(pages_dir), "no home page: add pages/index.md")
        diags.mark_broken("url", home)
    return sort_pages(pages)


def sort_pages(pages: list[Page]) -> list[Page]:
    return sorted(pages, key=lambda p: (p.slug != "", p.order, p.title, p.slug))


def refuse_home_page(pages: list[Page], diags: Diagnostics) -> None:
    """A series' front door (site/series.py) is made from its explainers: a home page of its own is an error."""
    for page in pages:
        if page.slug == "":
            diags.error(
                Location(page.source),
                "a series' home page lists its explainers: remove pages/index.md (the welcome text is"
                " site.yaml's description), or move it into an explainer's folder",
            )
