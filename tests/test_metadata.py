"""Metadata and discovery: titles, descriptions, canonical URLs, Open Graph and Twitter
cards with a real share image, language, favicon, sitemap.xml (checked against the
sitemaps.org schema), robots.txt and the friendly 404 page."""

from __future__ import annotations

import struct
import xml.etree.ElementTree as ET
from pathlib import Path

import yaml
from conftest import FIXTURES, SITE_SRC, html_pages, soup
from lxml import etree

SITE = yaml.safe_load((SITE_SRC / "site.yaml").read_text(encoding="utf-8"))
SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"

# The sitemaps.org protocol (https://www.sitemaps.org/protocol.html) as an XML Schema:
# <urlset> of up to 50,000 <url>s; each has <loc> (an absolute URI of 12 to 2,048
# characters), then optional <lastmod> (W3C date or date-time), <changefreq> (one of seven
# words) and <priority> (0.0 to 1.0), in that order.
SITEMAP_SCHEMA = f"""<?xml version="1.0" encoding="UTF-8"?>
<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="{SITEMAP_NS}"
           xmlns="{SITEMAP_NS}" elementFormDefault="qualified">
  <xs:element name="urlset">
    <xs:complexType><xs:sequence>
      <xs:element name="url" type="Url" maxOccurs="50000"/>
    </xs:sequence></xs:complexType>
  </xs:element>
  <xs:complexType name="Url"><xs:sequence>
    <xs:element name="loc"><xs:simpleType><xs:restriction base="xs:anyURI">
      <xs:minLength value="12"/><xs:maxLength value="2048"/>
    </xs:restriction></xs:simpleType></xs:element>
    <xs:element name="lastmod" minOccurs="0"><xs:simpleType>
      <xs:union memberTypes="xs:date xs:dateTime"/>
    </xs:simpleType></xs:element>
    <xs:element name="changefreq" minOccurs="0"><xs:simpleType><xs:restriction base="xs:string">
      <xs:enumeration value="always"/><xs:enumeration value="hourly"/><xs:enumeration value="daily"/>
      <xs:enumeration value="weekly"/><xs:enumeration value="monthly"/><xs:enumeration value="yearly"/>
      <xs:enumeration value="never"/>
    </xs:restriction></xs:simpleType></xs:element>
    <xs:element name="priority" minOccurs="0"><xs:simpleType><xs:restriction base="xs:decimal">
      <xs:minInclusive value="0.0"/><xs:maxInclusive value="1.0"/>
    </xs:restriction></xs:simpleType></xs:element>
  </xs:sequence></xs:complexType>
</xs:schema>
"""


def address(site: Path, path: Path, base_url: str) -> str:
    return base_url + path.relative_to(site).as_posix().removesuffix("index.html")


def meta(doc, key: str) -> str | None:  # type: ignore[no-untyped-def]
    tag = doc.find("meta", attrs={"property": key}) or doc.find("meta", attrs={"name": key})
    return tag["content"] if tag else None


def content_pages(site: Path) -> list[Path]:
    """Every page but the error page; never none."""
    pages = [p for p in html_pages(site) if p.name != "404.html"]
    assert pages, f"no pages but the error page under {site}"
    return pages


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def test_every_page_has_its_own_title_description_canonical_and_language(real_site: Path) -> None:
    titles = set()
    for path in content_pages(real_site):
        doc = soup(path)
        title = doc.title.get_text()
        assert SITE["title"] in title, path
        titles.add(title)
        description = meta(doc, "description")
        assert description and 50 <= len(description) <= 300, (path, description)
        assert doc.select_one('link[rel="canonical"]')["href"] == address(real_site, path, SITE["base_url"])
        assert doc.html["lang"] == SITE["language"]
        assert len(doc.select("h1")) == 1, path
    assert len(titles) == len(content_pages(real_site)), "titles are unique"


def test_open_graph_and_twitter_cards_with_a_real_share_image(real_site: Path) -> None:
    for path in content_pages(real_site):
        doc = soup(path)
        url = address(real_site, path, SITE["base_url"])
        assert meta(doc, "og:url") == url
        assert meta(doc, "og:title") and meta(doc, "og:title") in doc.title.get_text()
        assert meta(doc, "og:description") == meta(doc, "description") == meta(doc, "twitter:description")
        assert meta(doc, "og:type") in {"website", "article"}
        assert meta(doc, "og:site_name") == SITE["title"]
        assert meta(doc, "twitter:card") == "summary_large_image"
        image = meta(doc, "og:image")
        assert image == meta(doc, "twitter:image")
        assert image.startswith(SITE["base_url"]), "share images need an absolute address"
        assert meta(doc, "og:image:alt")
        file = real_site / image.removeprefix(SITE["base_url"])
        assert file.is_file(), image
        assert png_size(file) == (int(meta(doc, "og:image:width")), int(meta(doc, "og:image:height"))) == (1200, 630)
    # The real site has its own card, not the theme's neutral one.
    own = (SITE_SRC / "static" / "share.png").read_bytes()
    assert (real_site / "static" / "share.png").read_bytes() == own


def test_a_site_without_its_own_card_gets_the_themes(tea_site: Path) -> None:
    tea = yaml.safe_load((FIXTURES / "tea" / "site.yaml").read_text(encoding="utf-8"))
    image = meta(soup(tea_site / "index.html"), "og:image")
    assert image == tea["base_url"] + "static/share.png"
    assert png_size(tea_site / "static" / "share.png") == (1200, 630)


def test_svg_favicon_on_every_page(real_site: Path) -> None:
    for path in html_pages(real_site):
        icon = soup(path).select_one('link[rel="icon"]')
        assert icon["type"] == "image/svg+xml"
    svg = ET.parse(real_site / "static" / "favicon.svg").getroot()
    assert svg.tag == "{http://www.w3.org/2000/svg}svg" and svg.get("viewBox")


def test_sitemap_is_valid_and_lists_every_page_but_the_error_page(real_site: Path) -> None:
    schema = etree.XMLSchema(etree.fromstring(SITEMAP_SCHEMA.encode()))
    sitemap = etree.parse(str(real_site / "sitemap.xml"))
    assert schema.validate(sitemap), schema.error_log
    locs = [el.text for el in sitemap.iter(f"{{{SITEMAP_NS}}}loc")]
    expected = {address(real_site, p, SITE["base_url"]) for p in content_pages(real_site)}
    assert sorted(locs) == sorted(expected), "every page once, nothing else"
    assert all(el.text == str(SITE["last_reviewed"]) for el in sitemap.iter(f"{{{SITEMAP_NS}}}lastmod"))
    assert (real_site / "sitemap.xml").stat().st_size < 50 * 1024 * 1024


def test_the_sitemap_schema_rejects_a_broken_sitemap() -> None:
    """The schema above is not a rubber stamp."""
    schema = etree.XMLSchema(etree.fromstring(SITEMAP_SCHEMA.encode()))
    bad = [
        f'<urlset xmlns="{SITEMAP_NS}"><url><lastmod>2020-01-01</lastmod></url></urlset>',  # no loc
        f'<urlset xmlns="{SITEMAP_NS}"><url><loc>https://e.org/a</loc><lastmod>May 2020</lastmod></url></urlset>',
        f'<urlset xmlns="{SITEMAP_NS}"><url><loc>https://e.org/a</loc><priority>2</priority></url></urlset>',
        "<urlset><url><loc>https://example.org/a</loc></url></urlset>",  # no namespace
    ]
    for text in bad:
        assert not schema.validate(etree.fromstring(text.encode())), text


def test_robots_txt_names_the_sitemap(real_site: Path) -> None:
    lines = (real_site / "robots.txt").read_text(encoding="utf-8").splitlines()
    assert "User-agent: *" in lines
    assert f"Sitemap: {SITE['base_url']}sitemap.xml" in lines
    assert "Disallow: /" not in lines


def test_friendly_404_page(real_site: Path) -> None:
    doc = soup(real_site / "404.html")
    text = doc.select_one("main").get_text(" ")
    assert "no page at this address" in text
    assert meta(doc, "robots") == "noindex"
    assert doc.select_one('link[rel="canonical"]') is None
    root = "/" + SITE["base_url"].split("/", 3)[3]
    # Served at any missing address, so every link starts from the site's root path.
    for tag, attr in (("a", "href"), ("link", "href"), ("script", "src"), ("img", "src")):
        for el in doc.select(f"{tag}[{attr}]"):
            value = el[attr]
            assert value.startswith((root, "#")), value
    main_links = [a["href"] for a in doc.select("main a")]
    assert root in main_links and root + "claims/" in main_links
    assert doc.select_one("search input[type=search]") is not None
    assert doc.select_one('nav [aria-current="page"]') is None
