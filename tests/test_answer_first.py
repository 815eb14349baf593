"""Answer first (issue 13), the generator's part: the verdicts at a glance (claims grouped
by verdict, each claim page's verdict on the scale, the front page's claim rows), cards
that open in place on a tap, wide tables that say they scroll, who made the site and its
corrections. Built on the real site as a realistic fixture (and the tea fixture); what the
real site itself says first is tests/site/test_layers.py."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml
from conftest import SITE_SRC, build, html_pages, soup
from playwright.sync_api import Browser, expect
from site_server import Served

from explainer.load.strings import apostrophes

CLAIMS = yaml.safe_load((SITE_SRC / "data" / "claims.yaml").read_text(encoding="utf-8"))
VERDICTS = yaml.safe_load((SITE_SRC / "data" / "verdicts.yaml").read_text(encoding="utf-8"))
LIMITS = yaml.safe_load((SITE_SRC / "data" / "limits.yaml").read_text(encoding="utf-8"))
SCALE = [v["id"] for v in sorted(VERDICTS, key=lambda v: -v["rating"])]


def test_claims_index_groups_the_claims_by_verdict_instead_of_repeating_the_home_list(real_site: Path) -> None:
    page = soup(real_site / "claims" / "index.html")
    groups = page.select("section.verdict-group")
    assert [g.h2["id"] for g in groups] == [f"verdict-{v}" for v in SCALE]
    for group, verdict in zip(groups, SCALE, strict=True):
        ids = [a["href"].strip("/").split("/")[-1] for a in group.select(".claim-card-link")]
        assert ids == [c["id"] for c in CLAIMS if c["verdict"] == verdict]
        assert group.select(".badge") == [], "the group's heading says the verdict once"
        assert group.select(".claim-card-summary, .verdict-def") == [], "their words are said elsewhere"
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
    # What each step means is said once, where the scale is drawn on its own: linked from here.
    more = article.select_one(".vscale-more a")
    assert more is not None and article.select(".vscale-def") == []
    scale_page, _, anchor = more["href"].partition("#")
    explained = soup((real_site / "claims" / claim["id"] / scale_page / "index.html").resolve())
    scale = explained.select_one(f"#{anchor}")
    assert scale is not None and all(d.get_text(strip=True) for d in scale.select(".vscale-def"))
    assert len(scale.select(".vscale-def")) == len(SCALE), "each step says what it means"
    # One list of sources: every source of the verdict is cited, and listed once.
    assert len(article.select("section.references")) == 1
    listed = [li["id"] for li in article.select("section.references li")]
    assert {f"ref-{s}" for s in claim["sources"]} <= set(listed) and len(listed) == len(set(listed))


# --- in a browser ---------------------------------------------------------------------------


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
    page.goto(served.root + "study/")  # the results table is wider than a phone
    page.evaluate("document.querySelectorAll('details').forEach(d => { d.open = true; })")
    scroller = page.locator(".table-scroll.is-scrollable")
    expect(scroller).to_have_count(1)
    assert scroller.evaluate("el => el.scrollWidth > el.clientWidth")
    cue = page.locator(".scroll-cue").first
    expect(cue).to_be_visible()
    assert cue.evaluate("el => el.nextElementSibling.classList.contains('table-scroll')")
    page.set_viewport_size({"width": 1280, "height": 800})
    expect(page.locator(".scroll-cue")).to_have_count(0)
    context.close()


# --- trust: who made it, corrections, the printable summary ----------------------------------

CORRECTIONS = yaml.safe_load((SITE_SRC / "data" / "corrections.yaml").read_text(encoding="utf-8"))


def test_named_authors_and_reviewers_show_with_credentials(tea_copy: Path, tmp_path: Path) -> None:
    site = tea_copy / "site.yaml"
    site.write_text(
        site.read_text(encoding="utf-8")
        + 'authors: [{name: "Ana Writer", credentials: "MSc, science journalist"}]\n'
        + 'reviewers: [{name: "Ben Reviewer", credentials: "PhD, nutrition", role: "checked every claim"}]\n'
        + 'conflicts: "None declared by the writers or the reviewer."\n',
        encoding="utf-8",
    )
    (tea_copy / "pages" / "about.md").write_text("---\ntitle: About\n---\n[[block:about-team]]\n", encoding="utf-8")
    result = build(tea_copy, tmp_path / "out", "--no-search", "--strict")
    assert result.code == 0, result.err
    page = soup(tmp_path / "out" / "about" / "index.html")
    people = [" ".join(li.get_text(" ").split()) for li in page.select(".people li")]
    assert people == ["Ana Writer , MSc, science journalist", "Ben Reviewer , PhD, nutrition: checked every claim"]
    assert "None declared" in page.select_one(".about-team").get_text()
    ld = json.loads(page.select_one('script[type="application/ld+json"]').string)
    assert ld["author"] == [{"@type": "Person", "name": "Ana Writer", "description": "MSc, science journalist"}]
    assert ld["reviewedBy"][0]["name"] == "Ben Reviewer"


def test_corrections_log_and_the_pages_it_touched(real_site: Path) -> None:
    assert len(CORRECTIONS) >= 6
    log = soup(real_site / "corrections" / "index.html").select(".correction")
    assert len(log) == len(CORRECTIONS)
    # About explains how we correct and links to the log; the log itself is said once, on its page.
    about = soup(real_site / "about" / "index.html")
    assert about.select(".corrections-log") == [] and about.select_one('main a[href$="corrections/"]') is not None
    touched: dict[str, str] = {}
    for c in CORRECTIONS:
        for url in c["pages"]:
            path = real_site / url.strip("/") / "index.html"
            assert path.is_file(), url  # every page named exists
            touched[str(path)] = max(touched.get(str(path), ""), str(c["date"]))
    for path in html_pages(real_site):
        if path.name != "index.html":
            continue
        page = soup(path)
        ld = json.loads(page.select_one('script[type="application/ld+json"]').string)
        note = page.select_one("details.corrections-note")
        if str(path) in touched:
            assert ld["dateModified"] == touched[str(path)], path
            assert note is not None and note.select_one("a")["href"].endswith("corrections/"), path
        else:
            assert "dateModified" not in ld and note is None, path


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        ("date: 2026-13-02", r"corrections\.yaml:1:9: error: 'date' must be a date, YYYY-MM-DD"),
        ("pages: [people.md]", r"corrections\.yaml:\d+:\d+: error: 'pages' lists pages by their address"),
    ],
)
def test_a_bad_correction_is_a_located_error(tea_copy: Path, tmp_path: Path, edit: str, message: str) -> None:
    from test_errors import assert_documented

    entry = '- date: 2026-12-02\n  what: "A fix."\n  why: "A reason."\n  pages: ["/"]\n'
    key = edit.split(":")[0]
    entry = re.sub(rf"^(- |  ){key}: .*$", lambda m: m.group(1) + edit, entry, flags=re.M)
    (tea_copy / "data" / "corrections.yaml").write_text(entry, encoding="utf-8")
    result = build(tea_copy, tmp_path / "out", "--no-search")
    assert result.code == 1
    assert re.search(message, result.err), result.err
    assert "Traceback" not in result.err
    assert_documented(re.findall(r": error: (.*)", result.err))


def test_the_front_page_lists_each_claim_as_a_row_that_opens_in_place(real_site: Path) -> None:
    rows = soup(real_site / "index.html").select(".claim-rows > li.claim-row")
    assert len(rows) == len(CLAIMS)
    for row, claim in zip(rows, CLAIMS, strict=True):
        summary = row.select_one("details.claim-more > summary")
        assert summary.select_one("q").get_text() == "\u201c" + apostrophes(" ".join(claim["quote"].split())) + "\u201d"
        badge = summary.select_one(".badge")
        assert badge["class"][1] == f"verdict-{claim['verdict']}" and badge.select_one("svg.vmark")
        why = " ".join(summary.select_one(".claim-why").get_text().split())
        assert why == apostrophes(" ".join(claim["summary"].split()))
        link = row.select_one("a.claim-card-link")
        assert link["href"] == f"claims/{claim['id']}/"
    assert not (real_site / "summary").exists(), "the front page is the summary: no second copy"


@pytest.mark.browser
def test_a_limit_in_the_matrix_opens_its_text_and_printing_opens_them_all(browser: Browser, served: Served) -> None:
    context = browser.new_context(viewport={"width": 360, "height": 740})
    page = context.new_page()
    page.goto(served.root + "limits/")
    folded = page.locator("details.limit-more")
    assert folded.count() == len(LIMITS)
    assert page.locator("details.limit-more[open]").count() == 0
    page.locator(f"#row-{LIMITS[1]['id']} th a").click()
    expect(page.locator(f"details.limit-more:has(#limit-{LIMITS[1]['id']})")).to_have_attribute("open", "")
    expect(page.locator(f"#limit-{LIMITS[1]['id']}")).to_be_in_viewport()
    page.goto(served.root + f"limits/#limit-{LIMITS[2]['id']}")
    expect(page.locator(f"details.limit-more:has(#limit-{LIMITS[2]['id']})")).to_have_attribute("open", "")
    page.evaluate("window.dispatchEvent(new Event('beforeprint'))")
    assert page.locator("details.limit-more[open]").count() == len(LIMITS)
    page.evaluate("window.dispatchEvent(new Event('afterprint'))")
    assert page.locator("details.limit-more[open]").count() == 2  # the two a link opened
    context.close()
