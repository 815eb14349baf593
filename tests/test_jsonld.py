"""Structured data: every JSON-LD block of every built page, read back with extruct and
checked field by field against site.yaml and the data files it came from."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import extruct
import yaml
from conftest import FIXTURES, SITE_SRC, build, copy_site, html_pages, soup

SITE = yaml.safe_load((SITE_SRC / "site.yaml").read_text(encoding="utf-8"))
SOURCES = {s["id"]: s for s in yaml.safe_load((SITE_SRC / "data" / "sources.yaml").read_text(encoding="utf-8"))}
CLAIMS = yaml.safe_load((SITE_SRC / "data" / "claims.yaml").read_text(encoding="utf-8"))
VERDICTS = {v["id"]: v for v in yaml.safe_load((SITE_SRC / "data" / "verdicts.yaml").read_text(encoding="utf-8"))}
STUDY = yaml.safe_load((SITE_SRC / "data" / "study.yaml").read_text(encoding="utf-8"))
PAGE_TYPES = {"MedicalWebPage", "WebPage"}


def json_ld(path: Path, site: Path, base_url: str) -> list[dict[str, Any]]:
    url = base_url + path.relative_to(site).as_posix().removesuffix("index.html")
    data = extruct.extract(path.read_text(encoding="utf-8"), base_url=url, syntaxes=["json-ld"], uniform=False)
    return data["json-ld"]


def of_type(items: list[dict[str, Any]], *types: str) -> list[dict[str, Any]]:
    return [i for i in items if i.get("@type") in types]


def canonical(path: Path) -> str:
    link = soup(path).select_one('link[rel="canonical"]')
    return link["href"] if link else ""


def test_every_page_has_one_web_page_with_the_required_fields(real_site: Path) -> None:
    checked = 0
    for path in html_pages(real_site):
        items = json_ld(path, real_site, SITE["base_url"])
        assert all(i.get("@context") == "https://schema.org" for i in items), path
        pages = of_type(items, *PAGE_TYPES)
        assert len(pages) == 1, path
        page = pages[0]
        is_error_page = path.name == "404.html"
        assert page["@type"] == ("WebPage" if is_error_page else "MedicalWebPage"), path
        doc = soup(path)
        assert page["name"] and page["name"] in doc.title.get_text(), path
        assert page["description"] == doc.select_one('meta[name="description"]')["content"], path
        assert page["inLanguage"] == SITE["language"] == doc.html["lang"]
        assert page["lastReviewed"] == str(SITE["last_reviewed"])
        assert page["publisher"]["@type"] == "Organization"
        assert page["publisher"]["name"] == SITE["publisher"]["name"]
        assert [a["name"] for a in page["about"]] == SITE["about"]
        if not is_error_page:
            assert (
                page["url"]
                == canonical(path)
                == SITE["base_url"] + path.relative_to(real_site).as_posix().removesuffix("index.html")
            )
        checked += 1
    assert checked >= 20


def test_each_claim_page_has_one_claim_review_of_its_exact_quote(real_site: Path) -> None:
    article = SOURCES[SITE["claims_source"]]
    best = max(v["rating"] for v in VERDICTS.values())
    worst = min(v["rating"] for v in VERDICTS.values())
    for claim in CLAIMS:
        path = real_site / "claims" / claim["id"] / "index.html"
        items = json_ld(path, real_site, SITE["base_url"])
        reviews = of_type(items, "ClaimReview")
        assert len(reviews) == 1, claim["id"]
        review = reviews[0]
        assert review["claimReviewed"] == claim["quote"]
        assert review["url"] == canonical(path)
        assert review["datePublished"] == str(SITE["last_reviewed"])
        assert review["author"]["@type"] == "Organization" and review["author"]["name"] == SITE["publisher"]["name"]
        verdict = VERDICTS[claim["verdict"]]
        rating = review["reviewRating"]
        assert rating["@type"] == "Rating"
        assert rating["ratingValue"] == verdict["rating"]
        assert (rating["bestRating"], rating["worstRating"]) == (best, worst)
        assert rating["alternateName"] == verdict["label"]
        assert worst <= rating["ratingValue"] <= best
        item = review["itemReviewed"]
        assert item["@type"] == "Claim"
        appearance = item["appearance"]
        assert appearance["url"] == article["url"]
        assert appearance["headline"] == article["title"]
        # The seed article names no author; then none is invented (its publisher is given).
        if not article.get("authors"):
            assert "author" not in appearance
            assert appearance["publisher"]["name"] == article["venue"]
        else:
            assert appearance["author"]
        # The page's visible verdict is the one the markup states.
        assert soup(path).select_one(".verdict-box .badge").get_text(strip=True) == verdict["label"]


def test_only_claim_pages_have_claim_reviews(real_site: Path) -> None:
    for path in html_pages(real_site):
        reviews = of_type(json_ld(path, real_site, SITE["base_url"]), "ClaimReview")
        is_claim = path.parent.parent.name == "claims" and path.parent.name in {c["id"] for c in CLAIMS}
        assert len(reviews) == (1 if is_claim else 0), path


def test_the_study_page_describes_the_paper_as_a_scholarly_article(real_site: Path) -> None:
    source = SOURCES[STUDY["citation"]]
    found = {
        path: of_type(json_ld(path, real_site, SITE["base_url"]), "ScholarlyArticle") for path in html_pages(real_site)
    }
    with_article = [p for p, items in found.items() if items]
    # The page that draws the study's own blocks (design and results) is the study page.
    assert with_article == [real_site / "study" / "index.html"]
    article = found[with_article[0]][0]
    assert article["name"] == source["title"]
    # "Styner M, Pagnotti GM": each a person, family name and initials kept apart.
    names = [(a["familyName"], a["givenName"], a["name"]) for a in article["author"]]
    written = [n.strip().rsplit(" ", 1) for n in source["authors"].split(",")]
    assert names == [(f, ". ".join(i) + ".", f"{'. '.join(i)}. {f}") for f, i in written]
    assert all(a["@type"] == "Person" for a in article["author"])
    assert article["isPartOf"] == {"@type": "Periodical", "name": source["venue"]}
    assert article["datePublished"] == str(source["year"])
    assert f"https://doi.org/{source['doi']}" in article["sameAs"]
    assert {"@type": "PropertyValue", "propertyID": "DOI", "value": source["doi"]} in article["identifier"]
    # The page itself is our Article (its main entity), about the paper.
    items = json_ld(with_article[0], real_site, SITE["base_url"])
    page, ours = of_type(items, "MedicalWebPage")[0], of_type(items, "Article")[0]
    assert page["mainEntity"] == {"@id": ours["@id"]} and ours["about"] == [{"@id": article["@id"]}]


def test_the_fixture_site_gets_the_same_kinds_from_its_own_data(tea_site: Path) -> None:
    """No study file, a named news author: nothing about the real site leaks in."""
    tea = yaml.safe_load((FIXTURES / "tea" / "site.yaml").read_text(encoding="utf-8"))
    all_items = [i for p in html_pages(tea_site) for i in json_ld(p, tea_site, tea["base_url"])]
    assert of_type(all_items, "ScholarlyArticle") == []
    review = of_type(json_ld(tea_site / "claims" / "cure" / "index.html", tea_site, tea["base_url"]), "ClaimReview")[0]
    assert review["itemReviewed"]["appearance"]["author"] == [{"@type": "Person", "name": "A Reporter"}]
    assert review["author"]["name"] == tea["publisher"]["name"]
    assert all(
        i.get("@type") != "MedicalWebPage" or i["about"] == [{"@type": "Thing", "name": "memory"}] for i in all_items
    )


def test_json_ld_cannot_be_broken_out_of_by_the_text_it_carries(tmp_path: Path) -> None:
    """A page summary (it reaches the JSON-LD unchanged) that tries to close the script element."""
    summary = 'Tea "cures" </script><script>alert(1)</script> & <!-- forgets'
    source = copy_site(tmp_path / "src", FIXTURES / "tea")
    page_md = source / "pages" / "evidence.md"
    text = page_md.read_text(encoding="utf-8").replace("order: 2\n", f"order: 2\nsummary: {json.dumps(summary)}\n", 1)
    page_md.write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    result = build(source, out, "--no-search")
    assert result.code == 0, result.err
    page = out / "evidence" / "index.html"
    html = page.read_text(encoding="utf-8")
    assert "<script>alert" not in html
    assert len(soup(page).select("script")) == len(soup(out / "index.html").select("script"))
    web_page = of_type(json_ld(page, out, "https://example.com/tea/"), "MedicalWebPage")[0]
    assert web_page["description"] == summary
