"""The menu: pages in folders appear under their folder, every page is at most two menu
clicks from any page, and a page's menu does not grow with the pages of other folders."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from conftest import FIXTURES, ROOT, build, copy_site, html_pages, soup

sys.path.insert(0, str(ROOT / "bench"))
from corpus import SECTION_SIZE, make_corpus


def page(path: Path, title: str, order: int = 0) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"---\ntitle: {title}\norder: {order}\n---\nSome text about {title}.\n", encoding="utf-8")


@pytest.fixture(scope="module")
def foldered(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The tea fixture plus a folder without an index page and one with an index page."""
    root = tmp_path_factory.mktemp("menu")
    src = copy_site(root / "src", FIXTURES / "tea")
    page(src / "pages" / "how-to" / "brew.md", "Brewing", 2)
    page(src / "pages" / "how-to" / "store.md", "Storing", 1)
    page(src / "pages" / "how-to" / "more" / "cold.md", "Cold brew", 3)
    page(src / "pages" / "kinds" / "index.md", "Kinds of tea", 9)
    page(src / "pages" / "kinds" / "green.md", "Green tea")
    out = root / "out"
    result = build(src, out, "--no-search")
    assert result.code == 0, result.err
    return out


def menu(site: Path, rel: str) -> list[tuple[str, str, bool, int]]:
    """(text, href resolved to a site path, current, nesting level) of each menu link."""
    doc = soup(site / rel)
    here = (site / rel).parent
    links = []
    for a in doc.select("nav.site-nav a"):
        target = (here / a["href"]).resolve().relative_to(site.resolve()).as_posix()
        target = "" if target == "." else target + "/"
        level = len(a.find_parents("ul")) - 1
        links.append((a.get_text(), target, a.get("aria-current") == "page", level))
    return links


def test_folders_are_menu_entries_and_unfold_on_their_pages(foldered: Path) -> None:
    home = menu(foldered, "index.html")
    texts = [t for t, *_ in home]
    # Top-level pages by order (the folder with an index page among them), then folders
    # without one, then the generated pages (whichever the registry lists).
    assert texts[:4] == ["Home", "The evidence", "Kinds of tea", "How to"] and "Sources" in texts[4:]
    assert ("How to", "how-to/store/", False, 0) in home  # its first page, by order
    assert all(level == 0 for *_, level in home), "folded on a page outside the folder"

    inside = menu(foldered, "how-to/brew/index.html")
    nested = [(t, href, cur) for t, href, cur, level in inside if level == 1]
    assert nested == [
        ("Storing", "how-to/store/", False),
        ("Brewing", "how-to/brew/", True),
        ("Cold brew", "how-to/more/cold/", False),
    ]
    assert [t for t, *_ in inside if _[-1] == 0] == texts
    assert sum(cur for _, _, cur, _ in inside) == 1

    index = menu(foldered, "kinds/index.html")
    assert ("Kinds of tea", "kinds/", True, 0) in index
    assert ("Green tea", "kinds/green/", False, 1) in index


def test_every_page_is_at_most_two_menu_clicks_from_any_page(foldered: Path) -> None:
    """A menu entry, then a link on the page it opens (its folder's pages in the unfolded
    menu; the claims on the claims page)."""
    pages = {p.relative_to(foldered).as_posix() for p in html_pages(foldered) if p.name != "404.html"}
    urls = {rel.removesuffix("index.html") for rel in pages}
    for start in pages:
        one = {href for _, href, *_ in menu(foldered, start)}
        two = one | {href for url in one for href in links(foldered, url + "index.html")}
        assert urls <= two, (start, sorted(urls - two))


def links(site: Path, rel: str) -> set[str]:
    here, found = (site / rel).parent, set()
    for a in soup(site / rel).select("a[href]"):
        href = a["href"].split("#")[0]
        if href and "://" not in href and not href.startswith(("/", "mailto:")):
            target = (here / href).resolve().relative_to(site.resolve()).as_posix()
            found.add("" if target == "." else target + "/")
    return found


def test_the_error_page_links_the_menu_from_the_root_and_marks_nothing(foldered: Path) -> None:
    doc = soup(foldered / "404.html")
    hrefs = [a["href"] for a in doc.select("nav.site-nav a")]
    assert hrefs and all(h.startswith("/") for h in hrefs)
    assert doc.select('nav.site-nav [aria-current="page"]') == []


def test_a_pages_menu_does_not_grow_with_other_folders(tmp_path: Path) -> None:
    sizes = {}
    for n in (2 * SECTION_SIZE + 1, 6 * SECTION_SIZE + 1):
        src = make_corpus(n, tmp_path / str(n), ("ours",))["ours"]
        out = tmp_path / f"out-{n}"
        assert build(src, out, "--no-search").code == 0
        links = menu(out, "section-1/page-3/index.html")
        assert len([1 for *_, level in links if level == 1]) == SECTION_SIZE
        sizes[n] = len(links) - len(
            {text for text, *_ in links if text.startswith("Section ") and " page " not in text}
        )
    assert len(set(sizes.values())) == 1, sizes  # the same but for one entry per folder
