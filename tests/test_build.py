"""The generator end to end: real builds into temp folders, asserting on the HTML."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import urljoin, urlparse

import yaml
from conftest import FIXTURES, SITE_SRC, build, html_pages, run_cli, soup

LOCATED = re.compile(r"^(?P<path>[^:\n]+):(?P<line>\d+):(?P<col>\d+): (?P<sev>error|warning): (?P<msg>.+)$", re.M)


def page_urls(site: Path) -> set[str]:
    return {p.relative_to(site).as_posix() for p in html_pages(site)}


def test_every_page_of_the_real_site_exists_at_its_url(real_site: Path) -> None:
    urls = page_urls(real_site)
    for md in (SITE_SRC / "pages").glob("*.md"):
        expected = "index.html" if md.stem == "index" else f"{md.stem}/index.html"
        assert expected in urls, md
    claims = yaml.safe_load((SITE_SRC / "data" / "claims.yaml").read_text())
    for claim in claims:
        assert f"claims/{claim['id']}/index.html" in urls
    for generated in ("claims/index.html", "sources/index.html", "glossary/index.html", "404.html"):
        assert generated in urls
    assert (real_site / "sitemap.xml").is_file() and (real_site / "robots.txt").is_file()


def test_nav_follows_page_order(tea_site: Path) -> None:
    nav = [a.get_text(strip=True) for a in soup(tea_site / "index.html").select("nav.site-nav a")]
    assert nav == ["Home", "The evidence", "Claims", "Glossary", "Sources", "Facts"]  # Facts: issue 11
    current = soup(tea_site / "evidence" / "index.html").select_one('nav a[aria-current="page"]')
    assert current is not None and current.get_text() == "The evidence"


def test_drafts_are_left_out_unless_asked_for(tea_site: Path, tmp_path: Path) -> None:
    assert not (tea_site / "draft").exists()
    assert build(FIXTURES / "tea", tmp_path / "out", "--drafts", "--no-search").code == 0
    assert (tmp_path / "out" / "draft" / "index.html").is_file()


def test_citations_are_numbered_in_order_and_linked(tea_site: Path) -> None:
    page = soup(tea_site / "evidence" / "index.html")
    links = page.select("sup.cite a.cite-link")
    # The limits block cites the trial again: a source keeps its first number.
    assert [a.get_text() for a in links] == ["[1]", "[2]", "[1]"]
    assert [a["href"] for a in links] == ["#ref-trial", "#ref-news", "#ref-trial"]
    refs = page.select(".references li")
    assert [li["id"] for li in refs] == ["ref-trial", "ref-news"]
    assert refs[0].select_one("a.to-bibliography")["href"] == "../sources/#src-trial"
    home = soup(tea_site / "index.html")
    assert [a.get_text() for a in home.select("sup.cite a")] == ["[1]", "[2]"]
    bib = soup(tea_site / "sources" / "index.html")
    assert {li["id"] for li in bib.select(".bibliography > li")} == {"src-trial", "src-news"}
    assert bib.select_one("#src-trial a.source-link")["href"] == "https://doi.org/10.0000/fixture.1"


def test_claim_references_resolve_to_quote_badge_and_link(tea_site: Path) -> None:
    ref = soup(tea_site / "index.html").select_one("a.claim-ref")
    assert ref["href"] == "claims/cure/"
    assert ref.q.get_text() == "\u201cTea cures forgetting\u201d"  # the language's marks, as text
    assert ref.select_one(".badge.verdict-overstated").get_text() == "Overstated"
    claim = soup(tea_site / "claims" / "cure" / "index.html")
    assert claim.h1.q.get_text() == "\u201cTea cures forgetting\u201d"
    assert claim.select_one(".verdict-box .badge").get_text() == "Overstated"
    # The limit's text is said once, where [[block:limits]] is drawn: the claim page links it.
    assert claim.select_one('a[href$="#limit-small"]') is not None


def test_glossary_term_marked_once_per_page_with_tooltip(tea_site: Path) -> None:
    page = soup(tea_site / "evidence" / "index.html")
    terms = page.select("span.term")
    assert len(terms) == 1
    link = terms[0].select_one("a.term-link")
    assert link.get_text() == "Catechin"
    assert link["href"] == "../glossary/#term-catechin"
    tip = page.find(id=link["aria-describedby"])
    assert tip["role"] == "tooltip" and tip.get_text() == "A compound found in tea."
    assert soup(tea_site / "glossary" / "index.html").find(id="term-catechin") is not None


def test_internal_markdown_links_become_relative(tea_site: Path) -> None:
    hrefs = [a["href"] for a in soup(tea_site / "index.html").select("article a")]
    assert "evidence/#the-trial" in hrefs


def test_sitemap_lists_every_page(real_site: Path) -> None:
    tree = ET.parse(real_site / "sitemap.xml")
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    locs = {loc.text for loc in tree.findall(".//s:loc", ns)}
    base = yaml.safe_load((SITE_SRC / "site.yaml").read_text())["base_url"]
    expected = {base + (u[: -len("index.html")] if u.endswith("index.html") else u)
                for u in page_urls(real_site) if u != "404.html"}
    assert locs == expected
    assert f"Sitemap: {base}sitemap.xml" in (real_site / "robots.txt").read_text()


def test_no_absolute_links_to_other_origins_in_resources(real_site: Path) -> None:
    for path in html_pages(real_site):
        page = soup(path)
        for tag in page.select("[src], link[href], script[src]"):
            url = tag.get("src") or tag.get("href")
            if tag.name == "link" and tag.get("rel") in (["canonical"],):
                continue
            assert not urlparse(url).scheme and not url.startswith("//"), (path, url)


def test_every_internal_link_resolves(real_site: Path) -> None:
    pages = {path: soup(path) for path in html_pages(real_site)}  # each page parsed once
    ids = {path: {tag["id"] for tag in page.select("[id]")} for path, page in pages.items()}
    checked = 0
    for path, page in pages.items():
        if path.name == "404.html":
            continue
        page_url = "http://x/" + path.relative_to(real_site).as_posix()
        for a in page.select("a[href]"):
            target = urlparse(urljoin(page_url, a["href"]))
            if target.netloc != "x":
                continue
            file = real_site / target.path.lstrip("/")
            if target.path.endswith("/"):
                file = file / "index.html"
            assert file.is_file(), (path, a["href"])
            if target.fragment:
                assert target.fragment in ids.get(file, set()), (path, a["href"])
            checked += 1
    assert checked > 100


def test_two_builds_are_byte_identical(tmp_path: Path) -> None:
    outs = [tmp_path / "a", tmp_path / "b"]
    for out in outs:
        assert build(SITE_SRC, out).code == 0
    files_a = sorted(p.relative_to(outs[0]) for p in outs[0].rglob("*") if p.is_file())
    files_b = sorted(p.relative_to(outs[1]) for p in outs[1].rglob("*") if p.is_file())
    assert files_a == files_b
    for rel in files_a:
        assert (outs[0] / rel).read_bytes() == (outs[1] / rel).read_bytes(), rel


def test_failed_build_keeps_the_old_output(tea_copy: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert build(tea_copy, out, "--no-search").code == 0
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    (tea_copy / "pages" / "evidence.md").write_text("---\ntitle: [unclosed\n---\nBody\n")
    result = build(tea_copy, out, "--no-search")
    assert result.code == 1
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".out.tmp")] == []


def test_errors_are_located_all_reported_and_exit_1(tea_copy: Path, tmp_path: Path) -> None:
    (tea_copy / "pages" / "index.md").write_text("---\ntitle: Home\n---\nSee [@nosuch] and [[claim:nope]].\n")
    claims = (tea_copy / "data" / "claims.yaml").read_text().replace("verdict: overstated", "verdict: overstatd")
    (tea_copy / "data" / "claims.yaml").write_text(claims)
    result = build(tea_copy, tmp_path / "out", "--no-search")
    assert result.code == 1
    errors = [m.groupdict() for m in LOCATED.finditer(result.err) if m["sev"] == "error"]
    found = {(Path(e["path"]).name, e["line"], e["msg"].split(" id ")[0]) for e in errors}
    assert ("index.md", "4", "unknown source") in found
    assert ("index.md", "4", "unknown claim") in found
    assert ("claims.yaml", "4", "unknown verdict") in found
    assert "did you mean 'overstated'" in result.err
    assert "Traceback" not in result.err
    assert not (tmp_path / "out").exists()


def test_template_errors_name_the_template_and_line(tmp_path: Path) -> None:
    import shutil

    from conftest import TEMPLATES

    templates = tmp_path / "templates"
    shutil.copytree(TEMPLATES, templates)
    page = (templates / "page.html").read_text().splitlines()
    page.insert(2, "{{ no_such_variable }}")
    (templates / "page.html").write_text("\n".join(page))
    result = build(FIXTURES / "tea", tmp_path / "out", "--no-search", templates=templates)
    assert result.code == 1
    assert re.search(r"page\.html:3:\d+: error: template uses something undefined: 'no_such_variable'", result.err)
    (templates / "page.html").write_text("{% block main %}\n{% if %}\n")
    result = build(FIXTURES / "tea", tmp_path / "out", "--no-search", templates=templates)
    assert re.search(r"page\.html:2:\d+: error: template syntax error", result.err), result.err


def test_usage_errors_exit_2() -> None:
    assert run_cli("frobnicate").code == 2
    assert run_cli("build", "--no-such-flag").code == 2


def test_check_writes_nothing(tmp_path: Path) -> None:
    # The built-in theme is found from any folder (issue 12); a --templates folder that is not there is named.
    result = run_cli("check", "--source", FIXTURES / "tea", "--templates", "no-theme", cwd=tmp_path)
    assert result.code == 1
    assert "templates folder not found" in result.err
    result = run_cli("check", "--source", FIXTURES / "tea", cwd=tmp_path)
    assert result.code == 0, result.err
    assert "checked" in result.out and list(tmp_path.iterdir()) == []


def test_new_scaffolds_a_site_that_builds(tmp_path: Path) -> None:
    target = tmp_path / "mysite"
    assert run_cli("new", target).code == 0
    assert not (target / "templates").exists()  # content only: the theme stays the generator's (issue 12)
    result = run_cli("build", "--source", target / "site_src", "--out", target / "_site", "--strict", "--no-search")
    assert result.code == 0, result.err
    home = soup(target / "_site" / "index.html")
    assert home.select("sup.cite a") and home.select("a.claim-ref") and home.select("span.term")
    assert run_cli("new", target).code == 2  # never overwrites


def test_summary_line_reports_pages_and_time(tmp_path: Path) -> None:
    result = build(FIXTURES / "tea", tmp_path / "out", "--no-search")
    assert re.search(r"wrote \d+ pages to .* in \d+\.\d\d s", result.out)
