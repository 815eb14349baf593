"""Answer first (issue 13): the bottom line and advice on the first phone screen, the
verdicts at a glance, each thing said once, and cards that open in place on a tap."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from conftest import SITE_SRC, soup
from playwright.sync_api import Browser, expect
from site_server import Served

CLAIMS = yaml.safe_load((SITE_SRC / "data" / "claims.yaml").read_text(encoding="utf-8"))
VERDICTS = yaml.safe_load((SITE_SRC / "data" / "verdicts.yaml").read_text(encoding="utf-8"))
LIMITS = yaml.safe_load((SITE_SRC / "data" / "limits.yaml").read_text(encoding="utf-8"))
SCALE = [v["id"] for v in sorted(VERDICTS, key=lambda v: -v["rating"])]


def test_home_opens_with_the_bottom_line_then_what_it_means_for_you(real_site: Path) -> None:
    article = soup(real_site / "index.html").select_one("article")
    first = [el for el in article.find_all(recursive=False) if el.name != "h1"][:4]
    assert [el.name for el in first] == ["h2", "p", "h2", "p"]
    assert first[0].get_text() == "Bottom line" and "answer" in first[0]["class"]
    assert first[2].get_text() == "What this means for you"
    advice = first[3].get_text(" ")
    assert "doctor" in advice and "trial" in advice
    assert first[3].select("sup.cite"), "the trial evidence is cited"


def test_home_counts_the_claims_by_verdict_above_the_list(real_site: Path) -> None:
    glance = soup(real_site / "index.html").select_one(".at-a-glance")
    rows = glance.select(".glance-row")
    used = [v for v in SCALE if any(c["verdict"] == v for c in CLAIMS)]
    assert [r.select_one(".badge")["class"][1] for r in rows] == [f"verdict-{v}" for v in used]
    for row, verdict in zip(rows, used, strict=True):
        numbers = [int(a.get_text()) for a in row.select(".glance-cell")]
        expected = [i + 1 for i, c in enumerate(CLAIMS) if c["verdict"] == verdict]
        assert numbers == expected
        assert row.select_one(".glance-count").get_text(" ", strip=True).startswith(str(len(expected)))
        for a in row.select(".glance-cell"):
            assert glance.select_one(a["href"]) is not None  # each links to its card below
    summary, listing = glance.select_one(".glance-summary"), glance.select_one(".claim-list")
    assert summary.sourceline < listing.sourceline
    assert len(listing.select(".claim-card")) == len(CLAIMS)


def test_claims_index_groups_the_claims_by_verdict_instead_of_repeating_the_home_list(real_site: Path) -> None:
    page = soup(real_site / "claims" / "index.html")
    groups = page.select("section.verdict-group")
    assert [g.h2["id"] for g in groups] == [f"verdict-{v}" for v in SCALE]
    for group, verdict in zip(groups, SCALE, strict=True):
        ids = [a["href"].strip("/").split("/")[-1] for a in group.select(".claim-card-link")]
        assert ids == [c["id"] for c in CLAIMS if c["verdict"] == verdict]
        assert group.select(".badge") == [], "the group's heading says the verdict once"
    home_order = [a["href"] for a in soup(real_site / "index.html").select(".claim-card-link")]
    index_order = [a["href"].replace("../", "") for a in page.select(".claim-card-link")]
    assert sorted(home_order) == sorted(index_order) and home_order != index_order


@pytest.mark.parametrize("claim", CLAIMS, ids=[c["id"] for c in CLAIMS])
def test_each_claim_page_opens_with_its_verdict_and_marks_it_on_the_scale(real_site: Path, claim: dict) -> None:
    page = soup(real_site / "claims" / claim["id"] / "index.html")
    article = page.select_one("article")
    box = article.select_one(".verdict-box")
    assert box.sourceline < article.select_one("#evidence").sourceline
    assert box.select_one(".badge")["class"][1] == f"verdict-{claim['verdict']}"
    steps = article.select(".vscale-step")
    assert [s.select_one(".vscale-bar")["class"][1] for s in steps] == [f"verdict-{v}" for v in SCALE]
    marked = [s for s in steps if s.get("aria-current") == "true"]
    assert len(marked) == 1 and "is-current" in marked[0]["class"]
    assert marked[0].select_one(".vscale-bar")["class"][1] == f"verdict-{claim['verdict']}"
    assert "This claim" in marked[0].get_text()
    assert all(s.select_one(".vscale-def").get_text(strip=True) for s in steps), "each step says what it means"
    # One list of sources: every source of the verdict is cited, and listed once.
    assert len(article.select("section.references")) == 1
    listed = [li["id"] for li in article.select("section.references li")]
    assert {f"ref-{s}" for s in claim["sources"]} <= set(listed) and len(listed) == len(set(listed))


def test_limits_page_is_summary_then_one_matrix_then_each_limit_once(real_site: Path) -> None:
    article = soup(real_site / "limits" / "index.html").select_one("article")
    headings = [h.get_text() for h in article.select("h2")]
    assert headings[0] == "In short"
    matrix = article.select_one("table.matrix")
    assert len(matrix.select("tbody tr")) == len(LIMITS)
    assert len(matrix.select("thead th.matrix-claim")) == len(CLAIMS)
    for tip in article.select(".tip"):
        tip.decompose()
    text = " ".join(article.get_text(" ").split())
    for limit in LIMITS:
        first_words = " ".join(limit["explanation"].split()[:6])
        assert text.count(first_words) == 1, limit["id"]
    assert article.select(".weakens-list") == []


def test_mechanisms_page_draws_the_steps_once(real_site: Path) -> None:
    """The pathways figure draws each theory's steps; the cards below do not list them again."""
    page = soup(real_site / "mechanisms" / "index.html").select_one("article")
    theories = yaml.safe_load((SITE_SRC / "data" / "theories.yaml").read_text(encoding="utf-8"))["theories"]
    drawn = " ".join(" ".join(svg.get_text(" ").split()) for svg in page.select("figure svg"))
    for figure in page.select("figure"):
        figure.decompose()
    rest = " ".join(page.get_text(" ").split())
    for theory in theories:
        for step in theory["steps"]:
            assert step in drawn
            assert step not in rest


# --- in a browser ---------------------------------------------------------------------------


@pytest.mark.browser
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_bottom_line_and_advice_fit_the_first_phone_screen(browser: Browser, served: Served, scheme: str) -> None:
    context = browser.new_context(viewport={"width": 360, "height": 740}, color_scheme=scheme)
    page = context.new_page()
    page.goto(served.root)
    bottom = page.evaluate("document.querySelector('.answer-body.for-you').getBoundingClientRect().bottom")
    assert bottom <= 740, bottom
    expect(page.get_by_role("heading", name="Bottom line")).to_be_in_viewport()
    context.close()


@pytest.mark.browser
def test_a_tap_opens_a_glossary_card_in_place_and_a_second_tap_follows_it(browser: Browser, served: Served) -> None:
    context = browser.new_context(viewport={"width": 360, "height": 740}, has_touch=True, is_mobile=True)
    page = context.new_page()
    page.goto(served.root + "claims/weeks/")
    term = page.locator(".term-link").first
    term.scroll_into_view_if_needed()
    term.tap()
    tip = page.locator(f"#{term.get_attribute('aria-describedby')}")
    expect(tip).to_be_visible()
    assert page.url == served.root + "claims/weeks/", "the first tap stays on the page"
    box = tip.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 360
    page.locator("h1").tap()  # a tap elsewhere closes it
    expect(tip).to_be_hidden()
    term.tap()
    expect(tip).to_be_visible()
    with page.expect_navigation():
        term.tap()
    assert "/glossary/" in page.url
    context.close()


@pytest.mark.browser
def test_a_tap_opens_a_citation_card_and_the_reference_links_back(browser: Browser, served: Served) -> None:
    context = browser.new_context(viewport={"width": 360, "height": 740}, has_touch=True, is_mobile=True)
    page = context.new_page()
    page.goto(served.root + "claims/weeks/")
    cite = page.locator("#evidence ~ p .cite-link").first
    cite.scroll_into_view_if_needed()
    before = page.evaluate("window.scrollY")
    cite.tap()
    expect(page.locator(f"#{cite.get_attribute('aria-describedby')}")).to_be_visible()
    assert abs(page.evaluate("window.scrollY") - before) < 5, "no jump on the first tap"
    cite.tap()
    target = cite.get_attribute("href")
    expect(page.locator(target)).to_be_in_viewport()
    cite_id = cite.get_attribute("id")
    back = page.locator(f"{target} a.backref[href='#{cite_id}']")
    expect(back).to_have_count(1)
    back.tap()
    expect(cite).to_be_in_viewport()
    context.close()


@pytest.mark.browser
def test_a_wide_table_says_it_scrolls(browser: Browser, served: Served) -> None:
    context = browser.new_context(viewport={"width": 360, "height": 740})
    page = context.new_page()
    page.goto(served.root + "limits/")
    scroller = page.locator(".matrix-scroll")
    assert scroller.evaluate("el => el.scrollWidth > el.clientWidth")
    expect(page.locator(".matrix-scroll.is-scrollable")).to_have_count(1)
    cue = page.locator(".scroll-cue").first
    expect(cue).to_be_visible()
    assert cue.evaluate("el => el.nextElementSibling.classList.contains('table-scroll')")
    page.set_viewport_size({"width": 1280, "height": 800})
    expect(page.locator(".matrix-scroll + .scroll-cue, .scroll-cue + .matrix-scroll")).to_have_count(0)
    context.close()
