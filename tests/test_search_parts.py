"""Search fed from memory: the index holds each page's article, a big site's index comes in
parts (so Pagefind's memory stays bounded), and a reader searches the parts as one."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import SITE_SRC, TEMPLATES, html_pages, soup
from playwright.sync_api import Browser, Page, expect
from site_server import base_path, serve

from explainer.cli import main as cli
from explainer.output import search

PART_PAGES = 4


@pytest.fixture(scope="module")
def parted_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real site built in this process with an index part every PART_PAGES pages."""
    out = tmp_path_factory.mktemp("parted") / "_site"
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(search, "PART_PAGES", PART_PAGES)
        code = cli.main(["build", "--source", str(SITE_SRC), "--templates", str(TEMPLATES), "--out", str(out)])
    assert code == 0
    return out


def indexed_pages(site: Path) -> list[Path]:
    return [p for p in html_pages(site) if soup(p).select("[data-pagefind-body]")]


def test_the_index_comes_in_parts_that_together_hold_every_page_once(parted_site: Path) -> None:
    parts = json.loads((parted_site / "pagefind" / "parts.json").read_text())
    pages = len(indexed_pages(parted_site))
    assert len(parts) == (pages - 1) // PART_PAGES  # all but the first part, which is pagefind/ itself
    counts = []
    for folder in ["", *parts]:
        entry = json.loads((parted_site / "pagefind" / folder / "pagefind-entry.json").read_text())
        counts.append(entry["languages"]["en"]["page_count"])
    assert sum(counts) == pages and max(counts) == PART_PAGES


def test_a_small_site_has_one_part_and_an_empty_list(real_site: Path) -> None:
    assert json.loads((real_site / "pagefind" / "parts.json").read_text()) == []
    assert not list((real_site / "pagefind").glob("part-*"))


def test_a_page_record_is_the_article_text_title_and_language() -> None:
    page = (
        b'<html lang="en-GB"><head><title>T</title><script>var x = "<article>";</script></head><body>'
        b"<nav>Menu words</nav><main><article class=page data-pagefind-body><h1>The <em>title</em></h1>"
        b"<p>Fish &amp; chips</p><script>hidden()</script><p>two\nlines</p></article></main>"
        b"<footer>Footer words</footer></body></html>"
    )
    record = search.page_record("a/b/", page)
    assert record == {
        "url": "/a/b/",
        "language": "en",
        "meta": {"title": "The title"},
        "content": "The title Fish & chips two lines",
    }
    assert search.page_record("404.html", b"<html><body><main>Not found</main></body></html>") is None


@pytest.fixture
def tab(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1000, "height": 800})
    page = context.new_page()
    page.errors = []  # type: ignore[attr-defined]
    page.on("console", lambda m: m.type == "error" and page.errors.append(m.text))
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    yield page
    context.close()


def _words(path: Path) -> set[str]:
    article = soup(path).select_one("[data-pagefind-body]")
    return set(re.findall(r"[a-z]{6,}", article.get_text(" ").lower())) if article else set()


@pytest.mark.browser
def test_a_reader_finds_pages_of_every_part(parted_site: Path, tab: Page) -> None:
    """A word found on one page only, for the first page indexed and for the last: both are
    found from the search box, so the later parts are merged into the first."""
    pages = indexed_pages(parted_site)
    words = {p: _words(p) for p in pages}
    first, last = parted_site / "index.html", parted_site / "sources" / "index.html"
    with serve(parted_site, base_path(SITE_SRC / "site.yaml")) as served:
        for page in (first, last):
            others = set().union(*(w for p, w in words.items() if p != page))
            word = sorted(words[page] - others)[0]
            tab.goto(served.root + "study/")
            tab.get_by_role("searchbox").fill(word)
            link = tab.locator(".search-list a").first
            expect(link).to_be_visible(timeout=10_000)
            rel = page.parent.relative_to(parted_site).as_posix()
            want = base_path(SITE_SRC / "site.yaml") + ("" if rel == "." else rel + "/")
            hrefs = [a.get_attribute("href") for a in tab.locator(".search-list a").all()]
            assert want in hrefs, (word, hrefs)
    assert tab.errors == []  # type: ignore[attr-defined]
