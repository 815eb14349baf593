"""Folds (issue 19): a heading marked `{: .fold }` folds its section in place, keeping its
anchor; in a browser a fold opens when a link leads into it (the list of sources too, from
a citation mark) and every fold opens for printing."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import build, soup
from playwright.sync_api import Browser
from site_server import Served

SCREEN = 740  # a phone's screen at 360 px wide, less the browser's bars


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
