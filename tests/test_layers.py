"""Pages a phone can read (issue 19): every explanatory page of the real site is at most
eight phone screens tall at 360 px with its main point on the first screen; a long page
folds its detail (`{: .fold }` on a heading) and its list of sources, which open in
place, when a link leads into them, and all at once for printing."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import build, soup
from playwright.sync_api import Browser
from site_server import Served

SCREEN = 740  # a phone's screen at 360 px wide, less the browser's bars
MAX_SCREENS = 8
# Reference pages, read by looking things up, not from the top: held to no height.
REFERENCE = {"glossary/", "sources/", "facts/", "corrections/", "claims/"}


def explanatory_pages(site: Path) -> list[str]:
    """The addresses below the site root of the editor's pages and the claim pages."""
    found = []
    for path in sorted(site.rglob("index.html")):
        address = path.relative_to(site).parent.as_posix() + "/"
        address = "" if address == "./" else address
        if address.split("/")[0] in ("pagefind", "static") or address in REFERENCE:
            continue
        if soup(path).select_one("main article"):
            found.append(address)
    return found


@pytest.mark.browser
def test_explanatory_pages_fit_eight_phone_screens_with_their_point_on_the_first(
    browser: Browser, served: Served, real_site: Path
) -> None:
    pages = explanatory_pages(real_site)
    assert len(pages) >= 15 and "" in pages and "people/" in pages, pages
    context = browser.new_context(viewport={"width": 360, "height": SCREEN})
    page = context.new_page()
    too_tall, point_late = [], []
    for address in pages:
        page.goto(served.root + address)
        page.evaluate("document.fonts.ready")
        height = page.evaluate("document.documentElement.scrollHeight")
        if height > MAX_SCREENS * SCREEN:
            too_tall.append(f"{address or '/'}: {height} px")
        # The main point: a claim page's verdict, else the first thing said after the title.
        point = page.locator("main .verdict-box, main article > h1 ~ :is(p, h2, ul, div, section)").first
        top = point.evaluate("e => e.getBoundingClientRect().top + window.scrollY")
        if top > SCREEN:
            point_late.append(f"{address or '/'}: starts at {top:.0f} px")
    context.close()
    assert too_tall == [], f"over {MAX_SCREENS * SCREEN} px at 360 px: {too_tall}"
    assert point_late == [], point_late


def test_the_people_page_leads_with_what_to_do_and_charts_the_fractures(real_site: Path) -> None:
    """Its first section says what kind of exercise, how often, supervised or not, and
    safety, then charts the fracture results in people with their intervals."""
    article = soup(real_site / "people" / "index.html").select_one("article")
    first = article.select_one("h2")
    assert first.get_text() == "What should I do?"
    section = []
    for sibling in first.find_next_siblings():
        if sibling.name == "h2" or sibling.select_one("summary > h2"):
            break
        section.append(sibling)
    said = " ".join(" ".join(s.get_text(" ").split()) for s in section)
    for topic in ("What kind of exercise.", "How often, and how long.", "Supervised or not.", "Safety."):
        assert topic in said, topic
    assert "for every 100 people who exercised" in said, "what the ratios mean per 100 people"
    chart = next(s for s in section if s.name == "figure")
    assert chart["id"] == "fig-fractures"
    svg = chart.select_one("svg")
    assert len(svg.select("path.interval")) == 4, "each ratio with its 95% interval"


def test_a_folded_heading_folds_its_section_and_keeps_its_anchor(tea_copy: Path, tmp_path: Path) -> None:
    page = tea_copy / "pages" / "folded.md"
    page.write_text(
        "---\ntitle: Folded\norder: 9\n---\n## Open part\n\nSaid first.\n\n"
        "## More detail {: .fold }\n\nThe detail.\n\n### Its own part\n\nDeeper.\n\n## After\n\nNot folded.\n",
        encoding="utf-8",
    )
    result = build(tea_copy, tmp_path / "out", "--no-search", "--strict")
    assert result.code == 0, result.err
    article = soup(tmp_path / "out" / "folded" / "index.html").select_one("article")
    folds = article.select("details.fold")
    assert len(folds) == 1 and not folds[0].has_attr("open")
    heading = folds[0].select_one(":scope > summary > h2")
    assert heading.get_text() == "More detail" and heading["id"] == "more-detail" and not heading.get("class")
    assert [p.get_text() for p in folds[0].select(":scope > p")] == ["The detail.", "Deeper."]
    assert folds[0].select_one(":scope > h3").get_text() == "Its own part"
    after = article.find("h2", string="After")
    assert after.find_parent("details") is None and after.find_next_sibling("p").get_text() == "Not folded."


@pytest.mark.browser
def test_folds_open_for_a_link_into_them_and_for_printing(browser: Browser, served: Served) -> None:
    context = browser.new_context(viewport={"width": 360, "height": SCREEN})
    page = context.new_page()
    page.goto(served.root + "study/")
    folds = page.locator("main details.fold")
    assert folds.count() >= 3
    assert all(not folds.nth(i).evaluate("d => d.open") for i in range(folds.count()))
    sources = page.locator("main .references details")
    assert not sources.evaluate("d => d.open")
    page.locator("main sup.cite a").first.click()
    assert sources.evaluate("d => d.open"), "a citation mark's link opens the folded list"
    anchor = page.locator("main details.fold summary h2").first.get_attribute("id")
    page.goto(served.root + "study/#" + anchor)
    page.reload()
    assert page.locator(f"#{anchor}").evaluate("h => h.closest('details').open"), "a link to a folded heading opens it"
    page.goto(served.root + "study/")
    page.evaluate("window.dispatchEvent(new Event('beforeprint'))")
    assert page.evaluate("[...document.querySelectorAll('main details')].every(d => d.open)")
    context.close()
