"""The real site answers first (issues 13 and 19): the home page opens with the bottom line
and what it means for you, on the first phone screen, and prints as one sheet; every
explanatory page is at most eight phone screens tall at 360 px with its main point on the
first screen; the people page leads with what to do. (How folds work is the generator's:
tests/test_folds.py.)"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from conftest import SITE_SRC, html_pages, soup
from playwright.sync_api import Browser, expect
from site_server import Served

SCREEN = 740  # a phone's screen at 360 px wide, less the browser's bars
MAX_SCREENS = 8
# Reference pages, read by looking things up, not from the top: held to no height.
REFERENCE = {"glossary/", "sources/", "facts/", "corrections/", "claims/"}
CLAIMS = yaml.safe_load((SITE_SRC / "data" / "claims.yaml").read_text(encoding="utf-8"))


def explanatory_pages(site: Path) -> list[str]:
    """The addresses below the site root of the editor's pages and the claim pages."""
    found = []
    for path in html_pages(site):
        if path.name != "index.html":
            continue
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


def test_home_opens_with_the_bottom_line_then_what_it_means_for_you(real_site: Path) -> None:
    article = soup(real_site / "index.html").select_one("article")
    first = [el for el in article.find_all(recursive=False) if el.name != "h1"][:4]
    assert [el.name for el in first] == ["h2", "p", "h2", "p"]
    assert first[0].get_text() == "Bottom line" and "answer" in first[0]["class"]
    assert first[2].get_text() == "What this means for you"
    advice = first[3].get_text(" ")
    assert "doctor" in advice and "trial" in advice
    assert first[3].select("sup.cite"), "the trial evidence is cited"


@pytest.mark.browser
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_bottom_line_and_advice_fit_the_first_phone_screen(browser: Browser, served: Served, scheme: str) -> None:
    context = browser.new_context(viewport={"width": 360, "height": SCREEN}, color_scheme=scheme)
    page = context.new_page()
    page.goto(served.root)
    bottom = page.evaluate("document.querySelector('.answer-body.for-you').getBoundingClientRect().bottom")
    assert bottom <= SCREEN, bottom
    expect(page.get_by_role("heading", name="Bottom line")).to_be_in_viewport()
    context.close()


@pytest.mark.browser
def test_the_front_page_prints_as_the_one_sheet_of_a4_and_of_letter(browser: Browser, served: Served) -> None:
    """The front page is the sheet to take to a doctor: on one sheet, headed by the question
    with the date and the disclaimer, every claim with its verdict and why, the sources."""
    context = browser.new_context()
    page = context.new_page()
    page.goto(served.root)
    for size in ("A4", "Letter"):
        pdf = page.pdf(format=size, print_background=True)
        assert len(re.findall(rb"/Type\s*/Page[^s]", pdf)) == 1, size
    page.emulate_media(media="print")
    for selector in (".site-header", ".print-hint", ".site-footer"):
        assert page.evaluate(f"getComputedStyle(document.querySelector('{selector}')).display") == "none"
    rows = page.locator(".claim-row")
    assert rows.count() == len(CLAIMS)
    for i in range(rows.count()):
        expect(rows.nth(i).locator(".badge")).to_be_visible()
        expect(rows.nth(i).locator(".claim-why")).to_be_visible()
    expect(page.locator(".print-head .print-meta")).to_contain_text("Not medical advice.")
    site = yaml.safe_load((SITE_SRC / "site.yaml").read_text(encoding="utf-8"))
    assert page.locator("h1").inner_text() == site["title"]
    assert page.locator(".references li").count() >= 5
    context.close()
