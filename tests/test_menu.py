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


# --- the real site's menu: chosen in site.yaml, in reading order -----------------------


def test_the_real_menu_has_at_most_seven_entries_and_the_footer_lists_every_other_page(real_site: Path) -> None:
    import yaml
    from conftest import SITE_SRC

    chosen = yaml.safe_load((SITE_SRC / "site.yaml").read_text(encoding="utf-8"))["menu"]
    pages = [p for p in html_pages(real_site) if p.name == "index.html"]
    assert len(pages) > 10
    for path in pages:
        rel = path.relative_to(real_site).as_posix()
        doc = soup(path)
        header = doc.select("nav.site-nav > ul > li > a")
        assert len(header) == len(chosen) <= 7, rel
        assert header[0].get_text() == "Home" and header[-1].get_text() == "About"
    home = menu(real_site, "index.html")
    footer = {
        ("" if t == "." else t + "/")
        for a in soup(real_site / "index.html").select("nav.footer-nav a")
        for t in [(real_site / a["href"]).resolve().relative_to(real_site.resolve()).as_posix()]
    }
    top = {p.relative_to(real_site).parent.as_posix() + "/" for p in pages if p.parent.parent == real_site}
    reached = {href for _, href, *_ in home} | footer
    assert top - {"./"} <= reached | {""}, sorted(top - reached)
    assert not ({href for _, href, *_ in home} & footer), "a page in both menus"
    # The footer marks the page shown when it lists it.
    assert soup(real_site / "glossary" / "index.html").select('nav.footer-nav [aria-current="page"]')


def menu_case(tea_copy: Path, tmp_path: Path, menu_yaml: str) -> tuple[int, str]:
    with (tea_copy / "site.yaml").open("a", encoding="utf-8") as f:
        f.write(menu_yaml)
    result = build(tea_copy, tmp_path / "out", "--no-search")
    return result.code, result.err


def test_a_chosen_menu_shows_its_entries_in_its_order_with_its_labels(tea_copy: Path, tmp_path: Path) -> None:
    code, err = menu_case(tea_copy, tmp_path, 'menu: [evidence, "/", {page: glossary/, label: Words}]\n')
    assert code == 0, err
    links = menu(tmp_path / "out", "evidence/index.html")
    assert [(t, href, cur) for t, href, cur, _ in links] == [
        ("The evidence", "evidence/", True),
        ("Home", "", False),
        ("Words", "glossary/", False),
    ]
    footer = [a.get_text() for a in soup(tmp_path / "out" / "index.html").select("nav.footer-nav a")]
    assert "Words" not in footer and "Glossary" not in footer and "Sources" in footer


@pytest.mark.parametrize(
    ("menu_yaml", "line", "message"),
    [
        ("menu: [evidense]\n", 10, "the menu names 'evidense', which is no page, folder or generated page; "
         "did you mean 'evidence'?"),
        ("menu: [evidence, evidence]\n", 10, "the menu names 'evidence' twice"),
        ("menu:\n  - {page: evidence, title: Evidence}\n", 11, "a menu entry is a page's name (about), a folder"),
        ("menu: [a, b, c, d, e, f, g, h]\n", 10, "the menu has 8 entries: keep it to 7 at most"),
    ],
)
def test_a_bad_menu_is_a_located_error(tea_copy: Path, tmp_path: Path, menu_yaml: str, line: int, message: str) -> None:
    from test_errors import assert_documented

    code, err = menu_case(tea_copy, tmp_path, menu_yaml)
    assert code == 1 and "Traceback" not in err
    hits = [e for e in err.splitlines() if message in e]
    assert hits, err
    assert hits[0].startswith(f"{tea_copy / 'site.yaml'}:{line}:") or f"site.yaml:{line}:" in hits[0], hits[0]
    assert not (tmp_path / "out").exists()
    assert_documented([hits[0].split("error: ", 1)[1]])


# --- in a browser: one row on a wide screen, a short menu on a phone, claim to claim, the glossary ----


@pytest.mark.browser
def test_the_menu_is_one_row_at_1280px_and_short_on_a_phone(browser, served) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.goto(served.root + "study/")
    tops = page.evaluate("[...document.querySelectorAll('#site-nav>ul>li')].map(li => li.getBoundingClientRect().y)")
    assert 0 < len(tops) <= 7 and max(tops) - min(tops) < 2, tops
    context.close()
    context = browser.new_context(viewport={"width": 360, "height": 740}, has_touch=True, is_mobile=True)
    page = context.new_page()
    page.goto(served.root + "study/")
    page.get_by_role("button", name="Menu").click()
    height = page.evaluate("document.querySelector('#site-nav').getBoundingClientRect().height")
    assert 0 < height <= 220, height
    sizes = page.evaluate("[...document.querySelectorAll('#site-nav a')].map(a => a.getBoundingClientRect().height)")
    assert min(sizes) >= 44, sizes  # still easy to tap
    context.close()


def test_claim_pages_link_the_claims_before_and_after_in_order(real_site: Path) -> None:
    import yaml
    from conftest import SITE_SRC

    ids = [c["id"] for c in yaml.safe_load((SITE_SRC / "data" / "claims.yaml").read_text(encoding="utf-8"))]
    assert len(ids) > 3
    for i, claim in enumerate(ids):
        doc = soup(real_site / "claims" / claim / "index.html")
        prev, nxt = doc.select_one("nav.claim-steps a[rel=prev]"), doc.select_one("nav.claim-steps a[rel=next]")
        assert (prev is None) == (i == 0) and (nxt is None) == (i == len(ids) - 1), claim
        if prev:
            assert prev["href"] == f"../../claims/{ids[i - 1]}/"
        if nxt:
            assert nxt["href"] == f"../../claims/{ids[i + 1]}/"


@pytest.mark.browser
def test_the_glossary_marks_the_term_arrived_at_and_links_back(browser, served) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.goto(served.root + "claims/weeks/")
    link = page.locator("#evidence ~ p a.term-link").first
    target = link.get_attribute("href").split("#")[1]
    page.evaluate("window.scrollTo(0, 900)")
    link.click()
    page.wait_for_url(f"**/glossary/#{target}")
    term = page.locator(f"#{target}")
    marked = term.evaluate("el => getComputedStyle(el).backgroundColor")
    other = page.locator(".glossary-term:not(:target)").first.evaluate("el => getComputedStyle(el).backgroundColor")
    assert marked != other
    back = page.locator(f"#{target} + dd a.glossary-back")
    assert back.is_visible() and back.inner_text() == "Back to where you were reading"
    back.click()
    page.wait_for_url("**/claims/weeks/")
    context.close()
