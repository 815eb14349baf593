"""Fact cards in a real Chromium (issue 11): a `[[fact:id]]` card opens on hover, keyboard
focus and tap, closes on Escape, a second tap follows the link, and axe-core finds no
violation with a card open (light and dark, phone and desktop). Built on the tea fixture."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import FIXTURES
from playwright.sync_api import Browser, Page, expect
from site_server import Served, base_path, serve
from test_a11y import AXE, AXE_OPTIONS  # one rule set for every axe run

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def tea_served(tea_site: Path):  # type: ignore[no-untyped-def]
    with serve(tea_site, base_path(FIXTURES / "tea" / "site.yaml")) as running:
        yield running


def open_home(browser: Browser, served: Served, **context: object) -> tuple[object, Page]:
    ctx = browser.new_context(**{"viewport": {"width": 1280, "height": 800}, **context})
    page = ctx.new_page()
    page.goto(served.root)
    return ctx, page


def violations(page: Page) -> list[str]:
    result = AXE.run(page, options=AXE_OPTIONS)
    return [f"{v['id']}: {[n['target'] for n in v['nodes'][:3]]}" for v in result.response["violations"]]


def test_card_opens_on_hover_and_closes_on_escape(browser: Browser, tea_served: Served) -> None:
    ctx, page = open_home(browser, tea_served)
    card = page.locator(".fact .fact-card").first
    expect(card).to_be_hidden()
    page.locator(".fact-ref").first.hover()
    expect(card).to_be_visible()
    expect(card).to_contain_text("word recall improved by 12%")
    page.keyboard.press("Escape")
    expect(card).to_be_hidden()
    ctx.close()  # type: ignore[attr-defined]


def test_card_opens_on_keyboard_focus_and_closes_on_escape(browser: Browser, tea_served: Served) -> None:
    ctx, page = open_home(browser, tea_served)
    link = page.locator(".fact-ref").nth(1)
    card = page.locator(".fact .fact-card").nth(1)
    for _ in range(40):  # Tab from the top until the second fact has focus
        page.keyboard.press("Tab")
        if link.evaluate("el => el === document.activeElement"):
            break
    else:
        pytest.fail("Tab never reached the fact reference")
    expect(card).to_be_visible()
    expect(card).to_contain_text("40 adults aged 50 to 70 were randomised")
    page.keyboard.press("Escape")
    expect(card).to_be_hidden()
    assert link.evaluate("el => el === document.activeElement")  # Escape does not move focus
    ctx.close()  # type: ignore[attr-defined]


def test_tap_opens_the_card_and_a_second_tap_follows_the_link(browser: Browser, tea_served: Served) -> None:
    ctx, page = open_home(browser, tea_served, has_touch=True, viewport={"width": 360, "height": 800})
    link = page.locator(".fact-ref").first
    card = page.locator(".fact .fact-card").first
    link.tap()
    expect(card).to_be_visible()
    assert page.url == tea_served.root  # the first tap stays on the page
    page.keyboard.press("Escape")
    expect(card).to_be_hidden()
    link.tap()
    expect(card).to_be_visible()
    link.tap()
    page.wait_for_url("**/facts/#fact-recall-gain")
    expect(page.locator("#fact-recall-gain")).to_be_visible()
    ctx.close()  # type: ignore[attr-defined]


def test_tap_elsewhere_closes_an_open_card(browser: Browser, tea_served: Served) -> None:
    ctx, page = open_home(browser, tea_served, has_touch=True, viewport={"width": 360, "height": 800})
    page.locator(".fact-ref").nth(2).tap()
    card = page.locator(".fact .fact-card").nth(2)
    expect(card).to_be_visible()
    page.locator("h1").tap()
    expect(card).to_be_hidden()
    ctx.close()  # type: ignore[attr-defined]


@pytest.mark.parametrize(("scheme", "width"), [("light", 1280), ("dark", 360)])
def test_axe_finds_no_violations_with_a_card_open(
    browser: Browser, tea_served: Served, scheme: str, width: int
) -> None:
    ctx, page = open_home(browser, tea_served, color_scheme=scheme, viewport={"width": width, "height": 800})
    page.locator(".fact-ref").first.focus()
    card = page.locator(".fact .fact-card").first
    expect(card).to_be_visible()
    box = card.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width  # inside the screen
    assert violations(page) == []
    page.goto(tea_served.root + "facts/")
    assert violations(page) == []
    ctx.close()  # type: ignore[attr-defined]


@pytest.mark.parametrize(("scheme", "width"), [("light", 1280), ("dark", 360)])
def test_a_card_of_our_notes_reads_as_notes_and_passes_axe(
    browser: Browser, served: Served, scheme: str, width: int
) -> None:
    """The real site's facts whose notes give the source's number in their own words (`noted`):
    the open card labels them as our notes, with no quotation marks, and axe finds nothing."""
    ctx = browser.new_context(viewport={"width": width, "height": 800}, color_scheme=scheme)
    page = ctx.new_page()
    page.goto(served.root + "study/")
    holder = page.locator('.fact:has(a[href$="#fact-running-weeks"])').first  # noted, no exact words
    holder.locator(".fact-ref").focus()
    card = holder.locator(".fact-card")
    expect(card).to_be_visible()
    expect(card.locator(".fact-noted")).to_contain_text("Our notes of the source (not its exact words):")
    expect(card.locator("q")).to_have_count(0)
    assert violations(page) == []
    page.goto(served.root + "facts/")
    expect(page.locator("p.fact-noted").first).to_be_visible()
    assert violations(page) == []
    ctx.close()


# --- cards that behave, on the real site (issue 19) ---------------------------------------

REFERENCES = "a.cite-link, a.term-link, a.fact-ref"
CARD_BOX = """(link) => { const h = link.closest('.term, .cite-item, .tip-holder'); const t = h.querySelector('.tip');
  const r = t.getBoundingClientRect(); return {top: r.top, bottom: r.bottom, left: r.left, right: r.right,
  shown: getComputedStyle(t).display !== 'none'}; }"""


@pytest.fixture(scope="module")
def real_served(real_site: Path):  # type: ignore[no-untyped-def]
    from conftest import SITE_SRC

    with serve(real_site, base_path(SITE_SRC / "site.yaml")) as running:
        yield running


def _hits(card: dict, box: dict) -> bool:
    return card["left"] < box["right"] and box["left"] < card["right"] and card["top"] < box["bottom"] and (
        box["top"] < card["bottom"]
    )


@pytest.mark.parametrize("width", [360, 1280])
def test_every_card_stays_on_screen_and_off_the_next_reference(
    browser: Browser, real_served: Served, width: int
) -> None:
    """Each reference's card, opened by a tap, stays inside the screen (above its link when
    there is no room below) and never covers the next reference on the page."""
    ctx = browser.new_context(viewport={"width": width, "height": 740}, has_touch=True, is_mobile=width < 600)
    page = ctx.new_page()
    page.goto(real_served.root + "claims/weeks/")
    links = page.locator(f"main {REFERENCES}")
    count = links.count()
    assert count > 10
    above = 0
    for i in range(count):
        link = links.nth(i)
        link.scroll_into_view_if_needed()
        page.locator("h1").tap()  # closes any open card
        link.tap()
        card = link.evaluate(CARD_BOX)
        assert card["shown"], i
        assert card["left"] >= 0 and card["right"] <= width, (i, card)
        assert card["top"] >= 0 and card["bottom"] <= 740, (i, card)
        if i + 1 < count:
            following = links.nth(i + 1).evaluate("el => el.getBoundingClientRect().toJSON()")
            assert not _hits(card, following), (i, link.inner_text(), card, following)
        above += link.evaluate("el => el.closest('.tip-above') !== null")
    ctx.close()
    assert above > 0, "no card ever needed to open above its link: the test did not reach the bottom of a screen"


def test_a_card_has_a_close_button_that_closes_it(browser: Browser, real_served: Served) -> None:
    ctx = browser.new_context(viewport={"width": 360, "height": 740}, has_touch=True, is_mobile=True)
    page = ctx.new_page()
    page.goto(real_served.root + "claims/weeks/")
    for selector in (".term-link", ".cite-link", ".fact-ref"):
        link = page.locator(f"#evidence ~ p {selector}").first
        link.tap()
        tip = page.locator(".tip-open > .tip")
        expect(tip).to_be_visible()
        close = tip.get_by_role("button", name="Close")
        box = close.bounding_box()
        assert box and box["width"] >= 44 and box["height"] >= 44
        close.tap()
        expect(page.locator(".tip-open")).to_have_count(0)
        assert not link.evaluate(CARD_BOX)["shown"]
    ctx.close()


def test_a_citation_card_says_what_the_source_is_and_links_to_it(browser: Browser, real_served: Served) -> None:
    import yaml
    from conftest import SITE_SRC

    sources = {s["id"]: s for s in yaml.safe_load((SITE_SRC / "data" / "sources.yaml").read_text(encoding="utf-8"))}
    ctx = browser.new_context(viewport={"width": 360, "height": 740}, has_touch=True, is_mobile=True)
    page = ctx.new_page()
    page.goto(real_served.root + "claims/weeks/")
    cite = page.locator("#evidence ~ p .cite-link").first
    source = sources[cite.get_attribute("href").removeprefix("#ref-")]
    cite.tap()
    tip = page.locator(".tip-open > .tip")
    expect(tip).to_be_visible()
    text = tip.inner_text()
    assert source["kind"].lower() in text.lower() and source["note"] in text and source["title"] in text
    assert source["authors"] not in text, "the card says who in short, not the whole author list"
    link = tip.get_by_role("link", name="Open the source")
    href = link.get_attribute("href")
    assert href == (f"https://doi.org/{source['doi']}" if source.get("doi") else source["url"])
    box = link.bounding_box()
    assert box and box["height"] >= 24
    ctx.close()


def test_terms_and_facts_are_marked_differently(browser: Browser, real_served: Served) -> None:
    ctx = browser.new_context(viewport={"width": 1280, "height": 800})
    page = ctx.new_page()
    page.goto(real_served.root + "claims/weeks/")
    style = """el => { const s = getComputedStyle(el); return [s.color, s.textDecorationStyle]; }"""
    term = page.locator("main a.term-link").first.evaluate(style)
    fact = page.locator("main .fact-checked a.fact-ref").first.evaluate(style)
    assert term != fact and term[1] != fact[1], (term, fact)
    ctx.close()
