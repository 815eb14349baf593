"""Search: Pagefind indexes the main content only, and the search box works in a real
Chromium under the site's Content-Security-Policy, loading nothing from other origins."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from conftest import PATIENCE, html_pages, soup
from playwright.sync_api import Browser, Page, expect
from site_server import Served


@pytest.fixture
def page(browser: Browser, served: Served) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1000, "height": 800})
    tab = context.new_page()
    tab.other_origins = []  # type: ignore[attr-defined]
    tab.console_errors = []  # type: ignore[attr-defined]
    host = served.root.split("/")[2]
    tab.on("request", lambda r: r.url.split("/")[2] != host and tab.other_origins.append(r.url))
    tab.on(
        "console",
        # The error page's own 404 status is expected; anything else is not.
        lambda m: (
            m.type == "error" and "no/such/page" not in m.location.get("url", "") and tab.console_errors.append(m.text)
        ),
    )
    tab.on("pageerror", lambda e: tab.console_errors.append(str(e)))
    yield tab
    context.close()


def test_every_content_page_marks_only_its_article_for_the_index(real_site: Path) -> None:
    for path in html_pages(real_site):
        doc = soup(path)
        bodies = doc.select("[data-pagefind-body]")
        if path.name == "404.html":
            assert bodies == [], "the error page must stay out of search results"
            continue
        assert len(bodies) == 1 and bodies[0].name == "article", path
        assert bodies[0].find_parent("main") is not None
        for outside in doc.select("header, nav, footer, search"):
            assert outside.find_parent(attrs={"data-pagefind-body": True}) is None, path
    assert (real_site / "pagefind" / "pagefind.js").is_file()
    meta = (real_site / "pagefind" / "pagefind-entry.json").read_text()
    pages = len([p for p in html_pages(real_site) if p.name != "404.html"])
    assert f'"page_count":{pages}' in meta


def test_search_box_on_every_page_loads_pagefind_from_the_site_itself(real_site: Path) -> None:
    for path in html_pages(real_site):
        doc = soup(path)
        box = doc.select_one("search.search[data-bundle]")
        assert box is not None, path
        bundle = box["data-bundle"]
        assert "://" not in bundle and not bundle.startswith("//"), bundle
        label = doc.find("label", attrs={"for": "search-input"})
        assert label is not None and label.get_text(strip=True)
        scripts = [s["src"] for s in doc.select("script[src]")]
        assert any(s.endswith("static/search.js") for s in scripts)
        assert all("://" not in s for s in scripts)
        assert doc.select("script:not([src]):not([type='application/ld+json'])") == [], "no inline script"


def type_query(page: Page, text: str) -> None:
    page.get_by_role("searchbox", name="Search this site").click()
    page.keyboard.type(text, delay=20)


@pytest.mark.browser
def test_typing_marrow_shows_results_and_a_result_opens_its_page(page: Page, served: Served) -> None:
    # Start deep in the site, so the relative bundle path and result URLs are exercised.
    page.goto(served.root + "claims/weeks/")
    type_query(page, "marrow")
    results = page.locator(".search-list li")
    expect(results.first).to_be_visible(timeout=PATIENCE * 1000)
    assert results.count() >= 3
    summary = page.locator("#search-status")
    expect(summary).to_contain_text("marrow")
    assert page.locator(".search-list mark").count() > 0, "matches are highlighted in the excerpts"
    hrefs = [a.get_attribute("href") for a in page.locator(".search-list a").all()]
    prefix = urlsplit(served.root).path
    assert hrefs and all(h.startswith(prefix) for h in hrefs), hrefs
    # Keyboard only: down into the results, Enter follows the first one.
    title = page.locator(".search-list a").first.inner_text()
    page.keyboard.press("ArrowDown")
    expect(page.locator(".search-list a").first).to_be_focused()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.startswith(served.root) and page.url != served.root + "claims/weeks/"
    assert " ".join(page.locator("h1").inner_text().split()) == " ".join(title.split())
    assert "marrow" in page.locator("article").inner_text().lower()
    assert page.other_origins == []  # type: ignore[attr-defined]
    assert page.console_errors == [], "CSP or script errors"  # type: ignore[attr-defined]


@pytest.mark.browser
def test_escape_closes_results_and_a_word_with_no_match_says_so(page: Page, served: Served) -> None:
    page.goto(served.root)
    type_query(page, "marrow")
    panel = page.locator("#search-results")
    expect(panel).to_be_visible(timeout=PATIENCE * 1000)
    page.keyboard.press("Escape")
    expect(panel).to_be_hidden()
    expect(page.get_by_role("searchbox")).to_be_focused()
    page.get_by_role("searchbox").fill("")
    type_query(page, "kkkkkk")  # Pagefind also matches one-letter words (initials) that start a query
    expect(page.locator("#search-status")).to_contain_text("No pages match", timeout=PATIENCE * 1000)
    assert page.console_errors == []  # type: ignore[attr-defined]


@pytest.mark.browser
def test_the_index_holds_articles_without_header_nav_or_footer(page: Page, served: Served, real_site: Path) -> None:
    """Read back what Pagefind stored for every page that matches a common word."""
    home = soup(real_site / "index.html")
    chrome = [
        " ".join(
            home.select("footer p")[-1].get_text(" ").split()[-7:]
        ),  # "Every fact on this site links to its source."
        " ".join(a.get_text() for a in home.select("nav.site-nav a")[:3]),  # "Home The study How it might work"
        "Skip to main content",
    ]
    page.goto(served.root)
    contents = page.evaluate(
        """async (bundle) => {
            const pagefind = await import(bundle);
            const found = await pagefind.search("the");
            return Promise.all(found.results.map(async r => (await r.data()).content));
        }""",
        served.root + "pagefind/pagefind.js",
    )
    assert len(contents) >= 15
    for content in contents:
        text = " ".join(content.split())
        for piece in chrome:
            assert piece not in text
    assert any("marrow" in c.lower() for c in contents)


@pytest.mark.browser
def test_search_works_on_the_error_page_at_any_depth(page: Page, served: Served) -> None:
    response = page.goto(served.root + "no/such/page/")
    assert response is not None and response.status == 404
    background = page.evaluate("getComputedStyle(document.querySelector('.site-header')).backgroundColor")
    assert background not in ("rgba(0, 0, 0, 0)", "transparent"), "the stylesheet loads from the root path"
    type_query(page, "marrow")
    expect(page.locator(".search-list li").first).to_be_visible(timeout=PATIENCE * 1000)
    assert page.console_errors == []  # type: ignore[attr-defined]


@pytest.mark.browser
def test_a_query_in_the_address_runs_on_load(page: Page, served: Served) -> None:
    """The form works without our script too: it sends ?q=, which the page then searches."""
    page.goto(served.root + "study/?q=osmium")
    expect(page.locator(".search-list li").first).to_be_visible(timeout=PATIENCE * 1000)
    assert page.get_by_role("searchbox").input_value() == "osmium"


@pytest.mark.browser
def test_the_summary_counts_every_match_and_show_more_lists_them_all(page: Page, served: Served) -> None:
    """The count is Pagefind's own total, not the number shown; "Show more" adds the rest
    a few at a time, and keyboard focus lands on the first new result."""
    page.goto(served.root + "claims/weeks/")
    total = page.evaluate(
        "async (bundle) => (await (await import(bundle)).search('marrow')).results.length",
        served.root + "pagefind/pagefind.js",
    )
    assert total > 8, "the test needs more matches than one batch"
    type_query(page, "marrow")
    results = page.locator(".search-list li")
    expect(results.first).to_be_visible(timeout=PATIENCE * 1000)
    expect(page.locator("#search-summary")).to_contain_text(f"{total} pages match")
    expect(results).to_have_count(8)  # waits: typing may run a search again and redraw the list
    more = page.locator(".search-more")
    while more.is_visible():
        shown = results.count()
        more.click()
        expect(results).to_have_count(min(shown + 8, total))
        expect(results.nth(shown).locator("a")).to_be_focused()
    assert results.count() == total
    hrefs = [a.get_attribute("href") for a in page.locator(".search-list a").all()]
    assert len(set(hrefs)) == total, "no result twice"
    expect(page.locator("#search-summary")).to_have_text(f"{total} pages match \u201cmarrow\u201d")
    assert page.console_errors == []  # type: ignore[attr-defined]


@pytest.mark.browser
@pytest.mark.parametrize("width", [360, 1280])
def test_the_results_panel_stays_inside_the_screen(browser: Browser, served: Served, width: int) -> None:
    context = browser.new_context(viewport={"width": width, "height": 740})
    tab = context.new_page()
    tab.goto(served.root + "claims/weeks/")
    tab.get_by_role("searchbox").fill("marrow")
    panel = tab.locator("#search-results")
    expect(tab.locator(".search-list li").first).to_be_visible(timeout=PATIENCE * 1000)
    box = panel.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= width, box
    assert tab.evaluate("document.documentElement.scrollWidth") <= width
    context.close()


# --- search that tells the truth (issue 19) ----------------------------------------------


def test_cards_citations_and_source_lists_are_kept_out_of_the_index(real_site: Path) -> None:
    """What is indexed is the page's own prose: a card (a glossary entry, a fact's source),
    a citation mark and a list of sources are marked data-pagefind-ignore; reference pages
    weigh less than the explanations; a claim's page carries its verdict as metadata."""
    pages = [p for p in html_pages(real_site) if soup(p).select_one("[data-pagefind-body]")]
    assert len(pages) > 10
    for path in pages:
        doc = soup(path)
        for element in doc.select("[data-pagefind-body] .tip, sup.cite, section.references"):
            assert element.find_parent(attrs={"data-pagefind-ignore": True}) or element.has_attr(
                "data-pagefind-ignore"
            ), (path, str(element)[:80])
    for name in ("facts", "sources", "glossary", "corrections"):
        weighted = soup(real_site / name / "index.html").select("[data-pagefind-body] [data-pagefind-weight]")
        assert weighted and all(float(w["data-pagefind-weight"]) < 1 for w in weighted), name
    claim = soup(real_site / "claims" / "weeks" / "index.html").select_one("[data-pagefind-body]")
    assert claim["data-pagefind-meta"] == "verdict:Partly overstated"


@pytest.mark.browser
@pytest.mark.parametrize("nonsense", ["zzzz", "qqqqxj", "xqzt"])
def test_nonsense_finds_nothing(page: Page, served: Served, nonsense: str) -> None:
    page.goto(served.root)
    type_query(page, nonsense)
    expect(page.locator("#search-status")).to_contain_text("No pages match", timeout=10_000)
    expect(page.locator(".search-list li")).to_have_count(0)
    page.get_by_role("searchbox").fill("")
    type_query(page, "marr")  # a real word's start still finds it
    expect(page.locator(".search-list li").first).to_be_visible(timeout=10_000)
