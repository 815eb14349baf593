"""Issue 22, item 3: the site's feeds. `/claims.json` is a schema.org DataFeed of every
ClaimReview on the site, each the one its claim page prints; `/feed.xml` is an Atom feed
(RFC 4287) of the explainer and its corrections, valid against the RFC's own schema
(tests/fixtures/atom/rfc4287.rng), linked from every page's head, byte-identical for the
same sources, and re-rendered by the build cache and the preview when what it lists changes."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import pytest
import yaml
from conftest import FIXTURES, SITE_SRC, TEMPLATES, build, html_pages, soup
from lxml import etree

from explainer.incremental.cache import BuildCache
from explainer.load.config import BuildOptions
from explainer.output.write import write_atomically
from explainer.serve.rebuild import Rebuilder
from explainer.site.build import build_site
from explainer.site.write import write_site

ATOM = "http://www.w3.org/2005/Atom"
NS = {"atom": ATOM}
SCHEMA = FIXTURES / "atom" / "rfc4287.rng"
RNG, SCH = "http://relaxng.org/ns/structure/1.0", "http://www.ascc.net/xml/schematron"
BASE = yaml.safe_load((SITE_SRC / "site.yaml").read_text(encoding="utf-8"))["base_url"]
CORRECTIONS = yaml.safe_load((SITE_SRC / "data" / "corrections.yaml").read_text(encoding="utf-8"))
TEA_BASE = yaml.safe_load((FIXTURES / "tea" / "site.yaml").read_text(encoding="utf-8"))["base_url"]
# Two corrections of one day for the fixture site (which has none): no numbers, so the fact
# check has nothing to trace.
TEA_CORRECTIONS = """\
- date: 2025-02-03
  what: "The claim page now says which news story made the claim."
  why: "A reader should be able to find the story."
  pages: [claims/cure/, evidence/]
- date: 2025-02-03
  what: "The home page links to the claim it mentions."
  why: "So that the verdict is one click away."
  pages: ["/"]
"""


# --- validity ---------------------------------------------------------------------------------


def atom_errors(document: etree._ElementTree) -> list[str]:
    """What is wrong with an Atom document by RFC 4287's schema: its RELAX NG grammar, then
    its Schematron rules (in the same file; RELAX NG validators skip them), each run with XPath."""
    schema = etree.parse(str(SCHEMA))
    grammar = etree.RelaxNG(schema)
    errors = [] if grammar.validate(document) else [str(e) for e in grammar.error_log]
    rules = schema.findall(f".//{{{SCH}}}rule")
    assert len(rules) == 3, "the RFC's schema has three Schematron rules"
    for rule in rules:
        for node in document.xpath("//" + rule.get("context"), namespaces=NS):
            for check in rule.findall(f"{{{SCH}}}assert"):
                if not node.xpath(f"boolean({check.get('test')})", namespaces=NS):
                    errors.append(f"{node.findtext('atom:id', namespaces=NS)}: {check.text}")
    return errors


def test_the_schema_catches_what_rfc_4287_forbids() -> None:
    """The validator of these tests fails: a feed without an id, a date without a time, an
    entry with neither a link nor content, an unknown Atom element."""
    good = f"""<feed xmlns="{ATOM}"><id>urn:a</id><title>t</title><updated>2025-01-01T00:00:00Z</updated>
      <author><name>n</name></author><entry><id>urn:b</id><title>e</title>
      <updated>2025-01-01T00:00:00Z</updated><link href="https://example.com/"/></entry></feed>"""
    assert atom_errors(etree.ElementTree(etree.fromstring(good))) == []
    bad = {
        "no id": good.replace("<id>urn:a</id>", ""),
        "a date": good.replace("2025-01-01T00:00:00Z", "2025-01-01", 1),
        "no link": good.replace('<link href="https://example.com/"/>', ""),
        "no author": good.replace("<author><name>n</name></author>", ""),
        "an unknown element": good.replace("<title>e</title>", "<title>e</title><colour>red</colour>"),
    }
    for what, text in bad.items():
        assert atom_errors(etree.ElementTree(etree.fromstring(text))), what


def test_feed_xml_is_valid_atom_with_the_explainer_and_every_correction(real_site: Path) -> None:
    document = etree.parse(str(real_site / "feed.xml"))
    assert atom_errors(document) == []
    feed = document.getroot()
    assert feed.tag == f"{{{ATOM}}}feed" and feed.get("{http://www.w3.org/XML/1998/namespace}lang") == "en"
    entries = feed.findall("atom:entry", NS)
    assert len(entries) == 1 + len(CORRECTIONS) > 1
    ids = [e.findtext("atom:id", namespaces=NS) for e in entries]
    assert len(set(ids)) == len(ids), "entry ids are unique"
    assert ids[0] == BASE, "the explainer: its home page"
    assert all(i.startswith("tag:example.org,2026-12-0") for i in ids[1:]), ids
    updated = [e.findtext("atom:updated", namespaces=NS) for e in entries]
    assert updated == sorted(updated, reverse=True), "newest first"
    assert (
        feed.findtext("atom:updated", namespaces=NS)
        == max(updated)
        == f"{max(str(c['date']) for c in CORRECTIONS)}T00:00:00Z"
    )
    # Every correction, by what it says and when, with the pages it touched.
    by_text = {e.findtext("atom:content", namespaces=NS).split("\n\n")[0]: e for e in entries[1:]}
    for correction in CORRECTIONS:
        entry = by_text[_shown(correction["what"])]
        assert entry.findtext("atom:updated", namespaces=NS) == f"{correction['date']}T00:00:00Z"
        related = [link.get("href") for link in entry.findall("atom:link[@rel='related']", NS)]
        assert related == [BASE + ("" if p == "/" else p) for p in correction["pages"]]


def _shown(text: str) -> str:
    """A text as the site shows it: apostrophes inside words typographic."""
    from explainer.load.strings import apostrophes

    return apostrophes(text)


def test_every_address_in_the_feeds_is_absolute_and_a_built_page(real_site: Path) -> None:
    document = etree.parse(str(real_site / "feed.xml"))
    hrefs = document.xpath("//atom:link/@href", namespaces=NS)
    feed = json.loads((real_site / "claims.json").read_text(encoding="utf-8"))
    hrefs += [feed["url"]] + [e["url"] for e in feed["dataFeedElement"]]
    assert len(hrefs) > 20
    for href in hrefs:
        assert href.startswith(BASE), href
        path = href.removeprefix(BASE)
        assert (real_site / (path + "index.html" if path == "" or path.endswith("/") else path)).is_file(), href


def test_every_page_links_the_atom_feed_from_its_head(real_site: Path) -> None:
    for page in html_pages(real_site):
        links = soup(page).select('head link[rel="alternate"][type="application/atom+xml"]')
        assert len(links) == 1, page
        url = BASE + page.relative_to(real_site).as_posix().removesuffix("index.html")
        if page.name == "404.html":
            assert links[0]["href"] == "/bone-fat-explainer/feed.xml"  # served at any address
        else:
            assert urljoin(url, links[0]["href"]) == BASE + "feed.xml", page


# --- claims.json ------------------------------------------------------------------------------


def page_claim_review(page: Path) -> dict[str, Any]:
    reviews = [
        item
        for script in soup(page).select('script[type="application/ld+json"]')
        for item in [json.loads(script.string)]
        if item.get("@type") == "ClaimReview"
    ]
    assert len(reviews) == 1, page
    return reviews[0]


def test_claims_json_is_a_data_feed_of_the_claim_reviews_the_pages_print(real_site: Path) -> None:
    feed = json.loads((real_site / "claims.json").read_text(encoding="utf-8"))
    assert (feed["@context"], feed["@type"], feed["url"]) == ("https://schema.org", "DataFeed", BASE + "claims.json")
    claim_pages = sorted(p for p in (real_site / "claims").glob("*/index.html"))
    elements = feed["dataFeedElement"]
    assert len(elements) == len(claim_pages) > 10
    by_url = {e["url"]: e for e in elements}
    assert len(by_url) == len(elements)
    for page in claim_pages:
        url = BASE + page.relative_to(real_site).parent.as_posix() + "/"
        element = by_url[url]
        assert element["@type"] == "DataFeedItem"
        assert element["item"] == page_claim_review(page), "the feed's review is the page's, field for field"
        review = element["item"]
        assert review["url"] == url and review["claimReviewed"] and review["reviewRating"]["alternateName"]
        # Modified: the newest correction of the claim's page, as the page's own WebPage says.
        web_page = next(
            json.loads(s.string)
            for s in soup(page).select('script[type="application/ld+json"]')
            if "WebPage" in json.loads(s.string)["@type"]
        )
        assert element["dateCreated"] == review["datePublished"]
        assert element["dateModified"] == max(review["datePublished"], web_page.get("dateModified", ""))
    assert feed["dateModified"] == max(e["dateModified"] for e in elements)


# --- determinism, edits, the cache and the preview --------------------------------------------


@pytest.fixture
def tea(tmp_path: Path) -> Path:
    src = tmp_path / "src"
    shutil.copytree(FIXTURES / "tea", src)
    (src / "data" / "corrections.yaml").write_text(TEA_CORRECTIONS, encoding="utf-8")
    return src


def _feeds(out: Path) -> tuple[bytes, bytes]:
    return (out / "feed.xml").read_bytes(), (out / "claims.json").read_bytes()


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_the_same_sources_give_the_same_feeds_and_a_correction_changes_them(tea: Path, tmp_path: Path) -> None:
    first, again = tmp_path / "first", tmp_path / "again"
    for out in (first, again):
        result = build(tea, out, "--no-search", "--strict")
        assert result.code == 0, result.err
    assert _feeds(first) == _feeds(again), "a rebuild with no change gives byte-identical feeds"
    document = etree.parse(str(first / "feed.xml"))
    assert atom_errors(document) == []
    ids = document.xpath("//atom:entry/atom:id/text()", namespaces=NS)
    assert ids == [
        TEA_BASE,
        "tag:example.com,2025-02-03:/tea/corrections/2",
        "tag:example.com,2025-02-03:/tea/corrections/1",
    ]
    claims = json.loads((first / "claims.json").read_text(encoding="utf-8"))
    assert [e["dateModified"] for e in claims["dataFeedElement"]] == ["2025-02-03"]  # corrected after its review

    _edit(tea / "data" / "corrections.yaml", "which news story made the claim", "which news story first made the claim")
    edited = tmp_path / "edited"
    assert build(tea, edited, "--no-search", "--strict").code == 0
    feed, claims_json = _feeds(edited)
    assert feed != _feeds(first)[0] and claims_json == _feeds(first)[1]
    entry = etree.fromstring(feed).xpath(
        "//atom:entry[atom:id='tag:example.com,2025-02-03:/tea/corrections/1']", namespaces=NS
    )
    assert "which news story first made the claim" in entry[0].findtext("atom:content", namespaces=NS)
    assert etree.fromstring(feed).xpath("//atom:entry/atom:id/text()", namespaces=NS) == ids, "ids stay"

    _edit(tea / "data" / "corrections.yaml", "2025-02-03", "2025-02-07")
    dated = tmp_path / "dated"
    assert build(tea, dated, "--no-search", "--strict").code == 0
    claims = json.loads((dated / "claims.json").read_text(encoding="utf-8"))
    assert [e["dateModified"] for e in claims["dataFeedElement"]] == ["2025-02-07"]
    assert b"<updated>2025-02-07T00:00:00Z</updated>" in (dated / "feed.xml").read_bytes()


def _cached_build(src: Path, out: Path, cache: bool = True) -> set[str]:
    """Build with the cache; the outputs rendered this time (not reused)."""
    options = BuildOptions(source=src, templates=TEMPLATES, out=out, search=False)
    done = build_site(options, BuildCache(options) if cache else None, jobs=1)
    write_site(done, options)
    assert done.rendered, "the build made no output"
    return {f.path for f in done.rendered if getattr(f, "from_cache", None) is None}


def _tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


EDITS = {
    # A claim's verdict sentence: its ClaimReview changes; the Atom feed lists no claim.
    "a claim": ("data/claims.yaml", "cannot show a cure", "cannot prove a cure", {"claims.json"}, {"feed.xml"}),
    # A correction: the Atom feed, and the claims feed, which reads the corrections' dates.
    "a correction": ("data/corrections.yaml", "one click away", "a click away", {"feed.xml", "claims.json"}, set()),
}


@pytest.mark.parametrize("case", sorted(EDITS))
def test_the_build_cache_re_renders_the_feed_that_lists_what_changed(tea: Path, tmp_path: Path, case: str) -> None:
    where, old, new, redone, kept = EDITS[case]
    out = tmp_path / "out"
    everything = _cached_build(tea, out)
    assert {"feed.xml", "claims.json"} <= everything
    assert _cached_build(tea, out) == set(), "nothing changed: nothing rendered"
    before = _feeds(out)
    _edit(tea / where, old, new)
    again = _cached_build(tea, out)
    assert redone <= again and not kept & again, sorted(again)
    assert again < everything
    changed = {
        name
        for name, old_bytes in zip(("feed.xml", "claims.json"), before, strict=True)
        if (out / name).read_bytes() != old_bytes
    }
    assert changed == ({"claims.json"} if case == "a claim" else {"feed.xml"})
    clean = tmp_path / "clean"
    _cached_build(tea, clean, cache=False)
    assert _tree(out) == _tree(clean), "the cached build differs from a clean build"


def test_the_preview_rewrites_the_feed_when_a_correction_changes(tea: Path, tmp_path: Path) -> None:
    out = tmp_path / "preview"
    options = BuildOptions(source=tea, templates=TEMPLATES, out=out, preview=True, search=False)
    rebuilder = Rebuilder(options)
    assert rebuilder.full().ok
    corrections = tea / "data" / "corrections.yaml"
    _edit(corrections, "one click away", "a click away")
    outcome = rebuilder.update([corrections])
    assert outcome.ok and not outcome.full, outcome.reason
    assert "feed.xml" in outcome.written and "claims.json" not in outcome.written, outcome.written
    want = tmp_path / "full"
    write_atomically(want, build_site(BuildOptions(source=tea, templates=TEMPLATES, out=want, preview=True)).files, {})
    assert (out / "feed.xml").read_bytes() == (want / "feed.xml").read_bytes()


def test_under_a_url_prefix_the_feeds_stay_at_the_site_s_root(tea: Path, tmp_path: Path) -> None:
    """An explainer in a folder of a bigger site (url_prefix): the feeds are the site's, at
    its root; their entries' addresses and ids are the explainer's, under its folder."""
    _edit(tea / "site.yaml", "language: en", "language: en\nurl_prefix: green-tea/")
    out = tmp_path / "out"
    result = build(tea, out, "--no-search", "--strict")
    assert result.code == 0, result.err
    assert not (out / "green-tea" / "feed.xml").exists()
    document = etree.parse(str(out / "feed.xml"))
    assert atom_errors(document) == []
    assert document.xpath("//atom:entry/atom:id/text()", namespaces=NS) == [
        TEA_BASE + "green-tea/",
        "tag:example.com,2025-02-03:/tea/green-tea/corrections/2",
        "tag:example.com,2025-02-03:/tea/green-tea/corrections/1",
    ]
    claims = json.loads((out / "claims.json").read_text(encoding="utf-8"))
    assert claims["url"] == TEA_BASE + "claims.json"
    assert [e["url"] for e in claims["dataFeedElement"]] == [TEA_BASE + "green-tea/claims/cure/"]
    page = out / "green-tea" / "claims" / "cure" / "index.html"
    assert claims["dataFeedElement"][0]["item"] == page_claim_review(page)
    link = soup(page).select_one('head link[type="application/atom+xml"]')["href"]
    assert urljoin(TEA_BASE + "green-tea/claims/cure/", link) == TEA_BASE + "feed.xml"
