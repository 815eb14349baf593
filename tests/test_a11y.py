"""Accessibility (WCAG 2.2 AA) in a real Chromium: axe-core on every page in light and dark
colour schemes, keyboard use (skip link, visible focus, tooltips, menu), no sideways
scrolling at 360 px, 200% zoom, print, and figures that read well on a phone."""

from __future__ import annotations

import math
import os
import re
import shutil
from pathlib import Path

import pytest
import yaml
from axe_playwright_python.sync_playwright import Axe
from conftest import PATIENCE, SITE_SRC, html_pages, soup
from playwright.sync_api import Browser, BrowserContext, Page, expect
from site_server import Served

AXE = Axe()
AXE_OPTIONS = {
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"],
    },
    "resultTypes": ["violations"],
}
GLOSSARY = {t["term"]: t for t in yaml.safe_load((SITE_SRC / "data" / "glossary.yaml").read_text(encoding="utf-8"))}
FIGURE_PAGES = ("study/", "mechanisms/", "people/")

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def all_pages(real_site: Path) -> list[Path]:
    return html_pages(real_site)


def new_page(
    browser: Browser, width: int = 1280, height: int = 800, scheme: str = "light"
) -> tuple[BrowserContext, Page]:
    context = browser.new_context(viewport={"width": width, "height": height}, color_scheme=scheme)
    return context, context.new_page()


def violations(page: Page) -> list[str]:
    result = AXE.run(page, options=AXE_OPTIONS)
    return [
        f"{v['id']} ({v['impact']}): {', '.join(str(n['target']) for n in v['nodes'][:3])}"
        for v in result.response["violations"]
    ]


# --- axe-core ----------------------------------------------------------------------------


@pytest.mark.parametrize(("scheme", "width"), [("light", 1280), ("dark", 1280), ("light", 360), ("dark", 360)])
def test_axe_finds_no_violations_on_any_page(
    browser: Browser, served: Served, all_pages: list[Path], scheme: str, width: int
) -> None:
    context, page = new_page(browser, width, 800, scheme)
    problems = {}
    for path in all_pages:
        page.goto(served.url(path))
        found = violations(page)
        if found:
            problems[path.name if path.name == "404.html" else served.url(path)] = found
    context.close()
    assert problems == {}
    assert len(all_pages) >= 20


@pytest.mark.parametrize(("scheme", "width"), [("light", 360), ("dark", 360), ("light", 1280), ("dark", 1280)])
def test_axe_finds_no_violations_with_popups_open(browser: Browser, served: Served, scheme: str, width: int) -> None:
    """Search results (after "Show more"), a glossary card, a citation card (opened by
    keyboard, then by a tap) and the phone menu, each open."""
    context = browser.new_context(
        viewport={"width": width, "height": 800}, color_scheme=scheme, has_touch=True, is_mobile=width < 600
    )
    page = context.new_page()
    page.goto(served.root + "claims/weeks/")
    page.get_by_role("searchbox").fill("marrow")
    expect(page.locator(".search-list li").first).to_be_visible(timeout=PATIENCE * 1000)
    page.locator(".search-more").click()
    expect(page.locator(".search-list li")).to_have_count(16)
    assert violations(page) == []
    page.keyboard.press("Escape")
    page.locator(".term-link").first.focus()
    expect(page.locator(".term .tip").first).to_be_visible()
    assert violations(page) == []
    page.locator(".cite-link").first.focus()
    expect(page.locator(".cite-item .tip").first).to_be_visible()
    assert violations(page) == []
    for selector in (".term", ".cite-item"):
        page.locator("h1").tap()  # closes any open card
        page.locator(f"#evidence ~ p {selector} a").first.tap()
        expect(page.locator(".tip-open > .tip")).to_be_visible()
        assert violations(page) == []
    if width < 600:
        page.get_by_role("button", name="Menu").click()
        expect(page.locator("#site-nav")).to_be_visible()
        assert violations(page) == []
    context.close()


# --- keyboard ----------------------------------------------------------------------------


def test_skip_link_is_first_visible_on_focus_and_moves_to_main(browser: Browser, served: Served) -> None:
    context, page = new_page(browser)
    page.goto(served.root + "study/")
    skip = page.locator(".skip-link")
    assert skip.bounding_box()["y"] < 0, "hidden until focused"
    page.keyboard.press("Tab")
    expect(skip).to_be_focused()
    box = skip.bounding_box()
    assert box["y"] >= 0 and box["height"] > 10
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    page.keyboard.press("Tab")
    inside = page.evaluate("document.querySelector('main').contains(document.activeElement)")
    assert inside, "the next Tab lands in the main content"
    context.close()


FOCUS_STATE = """() => {
  const el = document.activeElement;
  const style = getComputedStyle(el);
  const box = el.getBoundingClientRect();
  return {tag: el.tagName, cls: el.className, outline: style.outlineStyle,
          width: parseFloat(style.outlineWidth), visible: box.width > 0 && box.height > 0};
}"""

FOCUSABLE = """() => [...document.querySelectorAll(
  'a[href], button:not([hidden]), input, summary, [tabindex="0"]')].filter(el => {
    const s = getComputedStyle(el); const b = el.getBoundingClientRect();
    const folded = el.closest('details:not([open]) > :not(summary)');  // reached once opened
    return s.visibility !== 'hidden' && s.display !== 'none' && b.width > 0 && b.height > 0 && !folded;
  }).length"""


@pytest.mark.parametrize("address", ["", "claims/weeks/", "study/"])
def test_every_control_is_reached_by_tab_and_shows_focus(browser: Browser, served: Served, address: str) -> None:
    context, page = new_page(browser)
    page.goto(served.root + address)
    expected = page.evaluate(FOCUSABLE)
    seen = 0
    for _ in range(expected + 5):
        page.keyboard.press("Tab")
        state = page.evaluate(FOCUS_STATE)
        if state["tag"] == "BODY":
            break
        seen += 1
        assert state["visible"], state
        assert state["outline"] != "none" and state["width"] >= 2, f"no visible focus on {state}"
    assert seen >= expected > 10, (seen, expected)
    context.close()


def check_tooltip(page: Page, link_selector: str, expected_text: str) -> None:
    link = page.locator(link_selector).first
    for _ in range(300):  # keyboard only: Tab until the link has focus
        page.keyboard.press("Tab")
        if link.evaluate("el => el === document.activeElement"):
            break
    expect(link).to_be_focused()
    tip_id = link.get_attribute("aria-describedby")
    assert tip_id, "the tooltip is announced with the link"
    tip = page.locator(f"#{tip_id}")
    assert tip.get_attribute("role") == "tooltip"
    expect(tip).to_be_visible()
    assert expected_text in " ".join(tip.inner_text().split())
    box = tip.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= page.viewport_size["width"], "inside the screen"
    page.keyboard.press("Escape")
    expect(tip).to_be_hidden()
    expect(link).to_be_focused()  # Escape hides the tip without moving focus
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Tab")
    expect(tip).to_be_visible()


@pytest.mark.parametrize("width", [1280, 360])
def test_glossary_and_citation_tooltips_open_on_focus_and_close_on_escape(
    browser: Browser, served: Served, real_site: Path, width: int
) -> None:
    context, page = new_page(browser, width)
    page.goto(served.root + "claims/weeks/")
    term = soup(real_site / "claims" / "weeks" / "index.html").select_one(".term-link")
    shown = term.get_text().lower()
    definition = next(t for t in GLOSSARY.values() if shown in [n.lower() for n in [t["term"], *t.get("aliases", [])]])
    check_tooltip(page, ".term-link", " ".join(definition["definition"].split()))
    # The source's title, as the citation names it ("Source 1: <title>"): whatever the CSL style.
    first_cite = soup(real_site / "claims" / "weeks" / "index.html").select_one(".cite-link")
    title = first_cite["aria-label"].split(": ", 1)[1]
    check_tooltip(page, ".cite-link", " ".join(title.split()))
    context.close()


def test_phone_menu_opens_and_closes_by_keyboard(browser: Browser, served: Served) -> None:
    context, page = new_page(browser, 360)
    page.goto(served.root + "study/")
    nav = page.locator("#site-nav")
    expect(nav).to_be_hidden()
    button = page.get_by_role("button", name="Menu")
    for _ in range(5):
        page.keyboard.press("Tab")
        if button.evaluate("el => el === document.activeElement"):
            break
    expect(button).to_be_focused()
    page.keyboard.press("Enter")
    assert button.get_attribute("aria-expanded") == "true"
    expect(nav).to_be_visible()
    page.keyboard.press("Tab")  # the search box comes next, then the links
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('#site-nav') !== null")
    page.keyboard.press("Escape")
    expect(nav).to_be_hidden()
    expect(button).to_be_focused()
    assert button.get_attribute("aria-expanded") == "false"
    context.close()


def test_without_javascript_the_links_stay_open(browser: Browser, served: Served) -> None:
    context = browser.new_context(viewport={"width": 360, "height": 800}, java_script_enabled=False)
    page = context.new_page()
    page.goto(served.root + "study/")
    expect(page.locator("#site-nav")).to_be_visible()
    expect(page.locator(".nav-toggle")).to_be_hidden()
    context.close()


def test_figure_data_table_opens_by_keyboard(browser: Browser, served: Served) -> None:
    context, page = new_page(browser, 360)
    page.goto(served.root + "study/")
    summary = page.locator(".fig-data summary").first
    summary.focus()
    page.keyboard.press("Enter")
    expect(page.locator(".fig-data table").first).to_be_visible()
    context.close()


# --- small screens, zoom and print -------------------------------------------------------

NO_SIDEWAYS = "document.documentElement.scrollWidth <= document.documentElement.clientWidth"


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_no_page_scrolls_sideways_at_360px(
    browser: Browser, served: Served, all_pages: list[Path], scheme: str
) -> None:
    context, page = new_page(browser, 360, 780, scheme)
    wide = []
    for path in all_pages:
        page.goto(served.url(path))
        if not page.evaluate(NO_SIDEWAYS):
            wide.append(served.url(path))
        # Figures and anything else stay inside the screen; a wide table scrolls in its own box.
        sticking_out = page.evaluate(
            """[...document.querySelectorAll('main *')]
               .filter(el => !(el.parentElement && el.parentElement.closest('.table-scroll')))
               .filter(el => el.getBoundingClientRect().right > document.documentElement.clientWidth + 0.5)
               .map(el => el.tagName + '.' + el.className)"""
        )
        assert sticking_out == [], (served.url(path), sticking_out)
    context.close()
    assert wide == []


def test_every_citation_tooltip_stays_on_screen_at_360px(browser: Browser, served: Served) -> None:
    context, page = new_page(browser, 360)
    page.goto(served.root + "claims/weeks/")
    links = page.locator(".cite-link")
    assert links.count() > 3
    for i in range(links.count()):
        links.nth(i).focus()
        tip = page.locator(f"#{links.nth(i).get_attribute('aria-describedby')}")
        box = tip.bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= 360, i
        assert page.evaluate(NO_SIDEWAYS), i
    context.close()


@pytest.mark.parametrize("how", ["page zoom", "text only"])
def test_text_stays_readable_at_200_percent(browser: Browser, served: Served, all_pages: list[Path], how: str) -> None:
    """Page zoom 200% on a 1280 px window is a 640 px layout; text-only zoom doubles the
    root font size. Either way nothing may need sideways scrolling or overlap the header."""
    width = 640 if how == "page zoom" else 1280
    context, page = new_page(browser, width, 800)
    for path in all_pages:
        page.goto(served.url(path))
        if how == "text only":
            page.evaluate("document.documentElement.style.setProperty('font-size', '200%')")
        assert page.evaluate(NO_SIDEWAYS), served.url(path)
        body_size = page.evaluate(
            "parseFloat(getComputedStyle(document.querySelector('article p:not([class])')).fontSize)"
        )
        assert body_size >= (32 if how == "text only" else 16), served.url(path)
        header_bottom = page.evaluate("document.querySelector('.site-header').getBoundingClientRect().bottom")
        main_top = page.evaluate("document.querySelector('main').getBoundingClientRect().top")
        assert header_bottom <= main_top + 1
    context.close()


def test_print_hides_nav_and_search_and_prints_source_links(browser: Browser, served: Served) -> None:
    context, page = new_page(browser)
    page.goto(served.root + "study/")
    page.emulate_media(media="print")
    for selector in (".site-header", ".site-nav", ".search", ".skip-link", ".nav-toggle"):
        assert page.evaluate(f"getComputedStyle(document.querySelector('{selector}')).display") == "none", selector
    # A source link shows its address as its own text; any other outside link gets it after.
    sources = page.evaluate(
        "[...document.querySelectorAll('main a.source-link')].map(a => [a.textContent.trim(), a.href])"
    )
    assert sources and all(text == href for text, href in sources)
    others = page.evaluate(
        """[...document.querySelectorAll('main a[href^="http"]:not(.source-link)')]
           .map(a => [a.getAttribute('href'), getComputedStyle(a, '::after').content])"""
    )
    assert all(href in content for href, content in others), others
    # The site's own text has no such link today, so add one to check the rule.
    added = page.evaluate(
        """() => { const a = document.createElement('a'); a.href = 'https://example.org/paper';
                   a.textContent = 'a paper'; document.querySelector('main p').append(a);
                   return getComputedStyle(a, '::after').content; }"""
    )
    assert "https://example.org/paper" in added
    page.emulate_media(media="screen")
    assert page.evaluate("getComputedStyle(document.querySelector('.site-header')).display") != "none"
    context.close()


# --- figures on a phone ------------------------------------------------------------------

FIGURE_TEXT = """(svg) => {
  const view = svg.viewBox.baseVal;
  const scale = svg.getBoundingClientRect().width / view.width;
  return [...svg.querySelectorAll('text')].map(t => {
    const b = t.getBBox();
    return {text: t.textContent, x: b.x, y: b.y, w: b.width, h: b.height, vw: view.width, vh: view.height,
            px: parseFloat(getComputedStyle(t).fontSize) * scale};
  });
}"""

RGB = re.compile(r"[\d.]+")


def luminance(color: str) -> float:
    r, g, b = (float(v) / 255 for v in RGB.findall(color)[:3])
    lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in (r, g, b)]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def contrast(a: str, b: str) -> float:
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def overlaps(a: dict, b: dict) -> bool:
    slack = 1.0
    return (
        a["x"] + slack < b["x"] + b["w"]
        and b["x"] + slack < a["x"] + a["w"]
        and a["y"] + slack < b["y"] + b["h"]
        and b["y"] + slack < a["y"] + a["h"]
    )


def figure_problems(page: Page, address: str, scheme: str) -> tuple[list[str], int]:
    """What is wrong with each figure drawing shown on the page (text outside its drawing,
    under 12 px, overlapping other text, or with too little contrast), and how many were checked."""
    problems: list[str] = []
    checked = 0
    page.evaluate("document.fonts.ready.then(() => true)")
    for svg in page.locator("svg.fig-svg >> visible=true").all():
        texts = svg.evaluate(FIGURE_TEXT)
        assert texts
        for t in texts:
            if not (t["x"] >= -0.5 and t["x"] + t["w"] <= t["vw"] + 0.5):
                problems.append(f"{address}: {t['text']!r} leaves the figure")
            if not (t["y"] >= -0.5 and t["y"] + t["h"] <= t["vh"] + 0.5):
                problems.append(f"{address}: {t['text']!r} leaves the figure")
            if t["px"] < 12:
                problems.append(f"{address}: {t['text']!r} is {t['px']:.1f} px on a phone")
        for i, a in enumerate(texts):
            problems += [f"{address}: {a['text']!r} overlaps {b['text']!r}" for b in texts[i + 1 :] if overlaps(a, b)]
        colours = svg.evaluate(
            """svg => {
              const bg = getComputedStyle(document.body).backgroundColor;
              const pick = sel => [...svg.querySelectorAll(sel)].map(el => getComputedStyle(el).fill);
              return {bg, text: pick('text'), shapes: pick('.bar, .marker, .fig-narrow .span')};
            }"""
        )
        boxes = svg.evaluate(
            "svg => [...svg.querySelectorAll('.rung, .step-box, .group-box, .fig-wide .span')]"
            ".map(r => getComputedStyle(r).fill)"
        )
        backgrounds = [colours["bg"], *boxes]
        for fill in colours["text"]:
            worst = min(contrast(fill, bg) for bg in backgrounds)
            if worst < 4.5:
                problems.append(f"{address} {scheme}: text {fill} on {backgrounds}: {worst:.2f}")
        problems += [
            f"{address} {scheme}: shape {fill}" for fill in colours["shapes"] if contrast(fill, colours["bg"]) < 3
        ]
        checked += 1
    return problems, checked


@pytest.mark.parametrize(("scheme", "width"), [("light", 360), ("dark", 360), ("light", 1280), ("dark", 1280)])
def test_figures_read_well_at_360px(browser: Browser, served: Served, scheme: str, width: int) -> None:
    """Each figure's drawing for the screen (narrow on a phone, wide on a desktop): text
    inside the drawing, at least 12 px, not overlapping, with enough contrast."""
    context, page = new_page(browser, width, 780, scheme)
    problems, checked = [], 0
    for address in FIGURE_PAGES:
        page.goto(served.root + address)
        found, count = figure_problems(page, address, scheme)
        problems, checked = problems + found, checked + count
    context.close()
    assert problems == []
    assert checked >= 4


def _blank_font(path: Path) -> None:
    """A font whose every letter is an empty box: the only font of the bare machine. Chromium
    may stop when fontconfig lists no font at all; this one can draw no word of the site."""
    from fontTools.fontBuilder import FontBuilder
    from fontTools.pens.ttGlyphPen import TTGlyphPen

    box = TTGlyphPen(None)
    box.moveTo((50, 0)), box.lineTo((50, 700)), box.lineTo((450, 700)), box.lineTo((450, 0)), box.closePath()
    builder = FontBuilder(1000, isTTF=True)
    builder.setupGlyphOrder([".notdef"])
    builder.setupCharacterMap({})
    builder.setupGlyf({".notdef": box.glyph()})
    builder.setupHorizontalMetrics({".notdef": (500, 0)})
    builder.setupHorizontalHeader(ascent=800, descent=-200)
    builder.setupNameTable({"familyName": "Blank", "styleName": "Regular"})
    builder.setupOS2(sTypoAscender=800, usWinAscent=800, usWinDescent=200)
    builder.setupPost()
    builder.save(str(path))


def test_figures_read_well_on_a_machine_without_fonts(browser: Browser, served: Served, tmp_path: Path) -> None:
    """A browser that finds no font on its machine (fontconfig pointed at an empty folder)
    still draws every figure as laid out: the theme brings its own font."""
    from site_server import CHROMIUM_ARGS

    (tmp_path / "none").mkdir()
    _blank_font(tmp_path / "none" / "blank.ttf")
    conf = tmp_path / "fonts.conf"
    conf.write_text(f"<?xml version='1.0'?><fontconfig><dir>{tmp_path / 'none'}</dir></fontconfig>", encoding="utf-8")
    env = {**os.environ, "FONTCONFIG_FILE": str(conf)}
    bare = browser.browser_type.launch(executable_path=shutil.which("chromium"), args=CHROMIUM_ARGS, env=env)
    problems, checked = [], 0
    for width in (360, 1280):
        context, page = new_page(bare, width, 780)
        for address in FIGURE_PAGES:
            page.goto(served.root + address)
            found, count = figure_problems(page, address, "light")
            problems, checked = problems + found, checked + count
        context.close()
    bare.close()
    assert problems == []
    assert checked >= 8


def test_figure_text_is_drawn_in_the_theme_font_at_the_widths_it_was_laid_out_with(
    browser: Browser, served: Served
) -> None:
    """The layout's widths (read from the theme's font file) are the browser's: every label
    of every figure is drawn in the theme's font, within 0.3% (or half a unit) of the measured width."""
    from explainer.kinds.fontmetrics import text_width

    compared = 0
    for width, address in ((w, a) for w in (360, 1280) for a in FIGURE_PAGES):
        context, page = new_page(browser, width)
        page.goto(served.root + address)
        page.evaluate("document.fonts.ready.then(() => true)")
        assert page.evaluate("document.fonts.check('15px Inter') && document.fonts.check('bold 15px Inter')")
        drawn = page.evaluate(
            """[...document.querySelectorAll('svg.fig-svg text')]
               .filter(t => t.closest('svg').getBoundingClientRect().width > 0).map(t => {
                 const s = getComputedStyle(t);
                 return {text: t.textContent, family: s.fontFamily, size: parseFloat(s.fontSize),
                         style: s.fontStyle === 'italic' ? 'italic'
                                : (parseInt(s.fontWeight) >= 600 ? 'bold' : 'regular'),
                         width: t.getComputedTextLength()};
               })"""
        )
        assert drawn, address
        for d in drawn:
            assert d["family"].split(",")[0].strip("\"' ") == "Inter", d
            expected = text_width(d["text"], d["size"], d["style"])
            assert abs(d["width"] - expected) <= max(0.5, 0.003 * expected), (address, d, expected)
            compared += 1
        context.close()
    assert compared > 100


def test_chart_ticks_are_plain_numbers_and_ladder_names_are_real(real_site: Path) -> None:
    """Ticks are a scale, not facts: no sign or % on them; the axis says what they are."""
    study = soup(real_site / "study" / "index.html")
    bar = study.select_one("figure.fig-bar svg")
    ticks = [t.get_text() for t in bar.select("text.tick") if "axis-title" not in t.get("class", [])]
    assert len(ticks) >= 3 and all(re.fullmatch(r"\u2212?\d+", t) for t in ticks), ticks
    assert bar.select_one("text.axis-title").get_text() == "Runners against mice without wheels (%)"
    ladder = soup(real_site / "people" / "index.html").select_one("figure.fig-ladder svg")
    names = " ".join(t.get_text() for t in ladder.select("text.label"))
    assert "Not " not in names  # a source without a named author shows by its id (e.g. "Pelvis 2007")
    short = [n.strip() for t in ladder.select("text.label") for n in t.get_text().split(";") if n.strip()]
    assert short and all(re.fullmatch(r"[\w-]+( [\w-]+)?\u00a0\d{4}", n) for n in short), short
    for path in html_pages(real_site):
        text = soup(path).get_text()
        assert "et al.." not in text, path


# --- verdicts without colour -------------------------------------------------------------

# Machado, Oliveira and Fernandes (2009), severity 1.0: colour as people with protanopia or
# deuteranopia see it, applied to linear RGB.
CVD = {
    "protanopia": ((0.152286, 1.052583, -0.204868), (0.114503, 0.786281, 0.099216), (-0.003882, -0.048116, 1.051998)),
    "deuteranopia": ((0.367322, 0.860646, -0.227968), (0.280085, 0.672501, 0.047413), (-0.011820, 0.042940, 0.968881)),
}
MIN_DELTA_E = 20  # CIE76: badges that far apart are told apart at a glance


def _linear(color: str) -> list[float]:
    values = [float(v) / 255 for v in RGB.findall(color)[:3]]
    return [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in values]


def _lab(lin: list[float]) -> tuple[float, float, float]:
    x = (0.4124 * lin[0] + 0.3576 * lin[1] + 0.1805 * lin[2]) / 0.95047
    y = 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]
    z = (0.0193 * lin[0] + 0.1192 * lin[1] + 0.9505 * lin[2]) / 1.08883
    f = [t ** (1 / 3) if t > 0.008856 else 7.787 * t + 16 / 116 for t in (x, y, z)]
    return 116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])


def seen_as(color: str, vision: str) -> tuple[float, float, float]:
    lin = _linear(color)
    if vision in CVD:
        lin = [min(1.0, max(0.0, sum(m * c for m, c in zip(row, lin, strict=True)))) for row in CVD[vision]]
    return _lab(lin)


def test_the_colour_blindness_simulation_merges_the_old_greens_browns_and_reds() -> None:
    """The simulation is the real one: the site's verdict colours before issue 19 (green,
    brown, red), far apart for most readers, come out close together under protanopia and
    under deuteranopia, as readers reported ("the same olive")."""
    old = ["rgb(27, 94, 32)", "rgb(122, 74, 0)", "rgb(183, 28, 28)"]
    pairs = [(a, b) for i, a in enumerate(old) for b in old[i + 1 :]]
    assert min(math.dist(seen_as(a, "normal"), seen_as(b, "normal")) for a, b in pairs) > 40
    for vision in CVD:
        assert min(math.dist(seen_as(a, vision), seen_as(b, vision)) for a, b in pairs) < MIN_DELTA_E / 2, vision


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_verdicts_read_without_colour_and_stay_apart_in_red_green_colour_blindness(
    browser: Browser, served: Served, scheme: str
) -> None:
    """Each verdict's badge has its word and its own shape, and keeps text contrast; its
    colour stays apart from every other verdict's, as readers with protanopia or
    deuteranopia see them."""
    verdicts = yaml.safe_load((SITE_SRC / "data" / "verdicts.yaml").read_text(encoding="utf-8"))
    context, page = new_page(browser, 1280, 800, scheme)
    page.goto(served.root + "limits/")
    badges = page.evaluate(
        """[...document.querySelector('.verdict-key').querySelectorAll('.badge')].map(b => ({
             label: b.textContent.trim(), bg: getComputedStyle(b).backgroundColor, fg: getComputedStyle(b).color,
             shape: b.querySelector('svg.vmark') ? b.querySelector('svg.vmark').innerHTML : ''}))"""
    )
    context.close()
    assert [b["label"] for b in badges] == [v["label"] for v in sorted(verdicts, key=lambda v: -v["rating"])]
    shapes = [b["shape"] for b in badges]
    assert all(shapes) and len(set(shapes)) == len(shapes), "each verdict has a shape of its own"
    for b in badges:
        assert contrast(b["fg"], b["bg"]) >= 4.5, b
    for vision in ("normal", *CVD):
        seen = [seen_as(b["bg"], vision) for b in badges]
        closest = min(
            (math.dist(seen[i], seen[j]), badges[i]["label"], badges[j]["label"])
            for i in range(len(seen))
            for j in range(i + 1, len(seen))
        )
        assert closest[0] >= MIN_DELTA_E, (vision, closest)


def test_a_key_to_the_verdicts_is_wherever_badges_are(real_site: Path) -> None:
    """A page that shows verdict badges also shows what they mean: the key (every verdict
    with its shape and word), or on a claim page the scale with its step marked."""
    pages = html_pages(real_site)
    with_badges = 0
    for path in pages:
        doc = soup(path)
        badges = [b for b in doc.select("main .badge") if not b.find_parent(class_="verdict-key")]
        if not badges:
            continue
        with_badges += 1
        assert doc.select_one("main .verdict-key, main .vscale-marked"), path
        # The theme's badges draw the shape; a [[claim:id]] reference's badge (Markdown) says its word only.
        assert all(b.select_one("svg.vmark") for b in badges if not b.find_parent(class_="claim-ref")), path
    assert with_badges >= 3


def test_the_limits_matrix_fits_a_phone(browser: Browser, served: Served) -> None:
    """At 360 px the limits-by-claims matrix stacks (each limit, then the claims it weakens
    by number and verdict): nothing to scroll sideways, every hit still readable."""
    context, page = new_page(browser, 360)
    page.goto(served.root + "limits/")
    fits = page.evaluate(
        """(() => { const t = document.querySelector('.matrix'), box = t.closest('.table-scroll');
                   return [t.getBoundingClientRect().width, box.clientWidth, box.scrollWidth]; })()"""
    )
    assert fits[0] <= fits[1] + 0.5 and fits[2] <= fits[1] + 0.5, fits
    hits = page.evaluate("[...document.querySelectorAll('.matrix .hit-claim')].filter(h => h.offsetWidth > 0).length")
    assert hits == page.locator(".matrix td.hit").count() > 5
    context.close()


@pytest.mark.parametrize("address", ["", "claims/weeks/", "limits/"])
def test_print_is_light_and_headed_by_the_question_date_and_disclaimer(
    browser: Browser, served: Served, address: str
) -> None:
    """Printed from a browser in dark mode, a page is still dark text on white paper (badges
    in their light colours), headed by the site's question, its date and its disclaimer."""
    site = yaml.safe_load((SITE_SRC / "site.yaml").read_text(encoding="utf-8"))
    verdicts = {v["id"]: v for v in yaml.safe_load((SITE_SRC / "data" / "verdicts.yaml").read_text(encoding="utf-8"))}
    context, page = new_page(browser, 1280, 800, "dark")
    page.goto(served.root + address)
    screen_bg = page.evaluate("getComputedStyle(document.body).backgroundColor")
    page.emulate_media(media="print", color_scheme="dark")
    body = page.evaluate("[getComputedStyle(document.body).backgroundColor, getComputedStyle(document.body).color]")
    assert luminance(screen_bg) < 0.1, "the screen really was dark"
    assert luminance(body[0]) > 0.9 and luminance(body[1]) < 0.05, body
    head = page.locator(".print-head")
    expect(head).to_be_visible()
    # The front page's own heading is the question: the head does not print it twice.
    text = " ".join(head.inner_text().split()) + " " + page.locator("main h1").inner_text()
    assert site["title"] in text and site["disclaimer"]["lead"] in text and site["disclaimer"]["text"] in text
    assert page.locator(".site-footer time").inner_text() in text  # the date as the language writes it
    badges = page.evaluate(
        "[...document.querySelectorAll('main .badge')].map(b => [b.className, getComputedStyle(b).backgroundColor])"
    )
    for cls, bg in badges:
        vid = next(c.removeprefix("verdict-") for c in cls.split() if c.startswith("verdict-"))
        light = verdicts[vid]["color"]
        assert bg == "rgb({}, {}, {})".format(*(int(light[i : i + 2], 16) for i in (1, 3, 5))), (cls, bg)
    page.emulate_media(media="screen")
    expect(head).to_be_hidden()
    context.close()
