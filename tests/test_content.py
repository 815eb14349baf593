"""Honesty rules for the real site: what the explainer says is traceable to the facts.

Reads ../shared/facts/ and ../shared/seed/ when they are present (they sit beside the
repository in our workspace and in CI); the tests that need them skip elsewhere.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import textstat
import yaml
from conftest import FACTS, SEED, SITE_SRC, build, html_pages, soup

CLAIMS = yaml.safe_load((SITE_SRC / "data" / "claims.yaml").read_text(encoding="utf-8"))
LIMITS = yaml.safe_load((SITE_SRC / "data" / "limits.yaml").read_text(encoding="utf-8"))
needs_facts = pytest.mark.skipif(not FACTS.is_dir(), reason="../shared/facts/ not present")
PERCENT = re.compile(r"(\d+(?:[.,]\d+)?)\s?%")


def facts_text() -> str:
    return "\n".join(p.read_text(encoding="utf-8") for p in sorted(FACTS.glob("*.md")))


def visible_text(page_soup, *, drop: str = "") -> str:
    main = page_soup.select_one("main") or page_soup
    for el in main.select("script, style" + (f", {drop}" if drop else "")):
        el.decompose()
    return main.get_text(" ", strip=True)


def test_twelve_claims_each_with_a_page_a_verdict_and_a_source(real_site: Path) -> None:
    assert len(CLAIMS) == 12
    for claim in CLAIMS:
        page = soup(real_site / "claims" / claim["id"] / "index.html")
        assert page.select_one(".verdict-box .badge").get_text(strip=True)
        assert page.select_one(".verdict-summary").get_text(strip=True) == claim["summary"].strip()
        assert page.select(".references li"), claim["id"]


@pytest.mark.skipif(not SEED.is_file(), reason="seed article not present")
def test_claim_quotes_are_exact_words_of_the_article() -> None:
    article = SEED.read_text(encoding="utf-8")
    for claim in CLAIMS:
        assert claim["quote"] in article, claim["id"]


def test_strict_build_every_source_cited_and_every_term_used(tmp_path: Path) -> None:
    """--strict turns 'never cited' and 'never used' warnings into errors."""
    result = build(SITE_SRC, tmp_path / "out", "--strict", "--no-search")
    assert result.code == 0, result.err
    assert "warning" not in result.err


def test_every_citation_resolves_on_its_page(real_site: Path) -> None:
    cited = 0
    for path in html_pages(real_site):
        page = soup(path)
        for link in page.select("a.cite-link"):
            assert page.find(id=link["href"][1:]) is not None, (path, link["href"])
            cited += 1
    assert cited > 50


@needs_facts
def test_every_percentage_on_the_site_is_in_the_facts(real_site: Path) -> None:
    known = {float(n.replace(",", ".")) for n in PERCENT.findall(facts_text())}
    problems = []
    for path in html_pages(real_site):
        text = visible_text(soup(path))
        for number in PERCENT.findall(text):
            if float(number.replace(",", ".")) not in known:
                problems.append(f"{path.relative_to(real_site)}: {number}%")
    assert problems == []


@needs_facts
def test_every_number_in_the_prose_is_in_the_facts(real_site: Path) -> None:
    """Numbers in the editors' prose (not citation marks, list numbers or source details)."""
    facts = facts_text()
    known = set(re.findall(r"\d+(?:\.\d+)?", facts.replace(",", "")))
    problems, checked = [], 0
    for path in html_pages(real_site):
        text = visible_text(soup(path), drop="sup.cite, .references, .bibliography, .fig-svg, .kicker")
        for number in re.findall(r"(?<![\w.])\d+(?:\.\d+)?", text.replace(",", "")):
            checked += 1
            if number not in known:
                problems.append(f"{path.relative_to(real_site)}: {number}")
    assert problems == []
    assert checked > 100  # the site states many numbers; an empty scan would prove nothing


def test_reading_grade_of_home_and_claim_summaries_is_9_or_lower(real_site: Path) -> None:
    home = soup(real_site / "index.html").select_one("article")
    for el in home.select("sup.cite, .claim-list"):
        el.decompose()
    grade = textstat.flesch_kincaid_grade(home.get_text(" ", strip=True))
    assert grade <= 9, grade
    for claim in CLAIMS:
        assert textstat.flesch_kincaid_grade(claim["summary"]) <= 9, claim["id"]


def test_all_limits_and_both_theories_are_explained(real_site: Path) -> None:
    limits_page = soup(real_site / "limits" / "index.html")
    shown = [s["aria-labelledby"] for s in limits_page.select("section.limit")]
    assert shown == [f"limit-{limit['id']}" for limit in LIMITS]
    if FACTS.is_dir():
        numbered = re.findall(r"^\d+\. \*\*", (FACTS / "limits.md").read_text(encoding="utf-8"), re.M)
        assert len(LIMITS) == len(numbered)
    for limit in LIMITS:
        section = limits_page.select_one(f'section[aria-labelledby="limit-{limit["id"]}"]')
        claim_links = {a["href"].strip("/").split("/")[-1] for a in section.select(".weakens-list a")}
        assert claim_links == set(limit["weakens"])
    mechanisms = soup(real_site / "mechanisms" / "index.html")
    assert len(mechanisms.select("section.theory")) == 2
    reading = mechanisms.select_one(".editors-reading")
    assert reading is not None and "editors" in reading.get_text()


def test_unconfirmed_sources_are_marked(real_site: Path) -> None:
    sources = yaml.safe_load((SITE_SRC / "data" / "sources.yaml").read_text(encoding="utf-8"))
    bib = soup(real_site / "sources" / "index.html")
    for source in sources:
        entry = bib.find(id=f"src-{source['id']}")
        assert entry is not None, source["id"]
        marked = entry.select_one(".unconfirmed") is not None
        assert marked == (source.get("status") == "unconfirmed"), source["id"]


def test_not_medical_advice_on_every_page(real_site: Path) -> None:
    for path in html_pages(real_site):
        assert "Not medical advice" in soup(path).get_text(), path
