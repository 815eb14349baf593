"""Issue 22: a newsroom's site, many explainers on one site (site/series.py).

A series is made here as an editor makes one: `new --explainer SLUG --source DIR` twice,
then edited (another title, date and topic; a source and a glossary term shared by the
series, the term's definition replaced by one explainer; a claim of one explainer cited
from the other). It builds under --strict, with search, and every test reads that build."""

from __future__ import annotations

import json
import shutil
import time
from pathlib import Path

import pytest
from conftest import PATIENCE, build, html_pages, run_cli, soup
from lxml import etree
from test_feeds import atom_errors

SHARED_SOURCE = """\
- id: city-data
  kind: report
  authors: [{institution: "Example City Transport Office"}]
  title: "Traffic counts on Example City's main roads (an example)"
  venue: "Example City"
  year: 2025
  note: "A made-up source both example explainers cite."
"""
SHARED_TERM = """\
- id: lane
  term: lane
  aliases: [lanes]
  definition: "A strip of a road kept for one kind of traffic (the series' definition)."
"""
OWN_TERM = """
- id: lane
  term: lane
  aliases: [lanes]
  definition: "A strip of road kept for cycles (the cycling explainer's own definition)."
"""


def make_series(root: Path) -> Path:
    source = root / "series"
    for slug in ("bus-lanes", "cycle-lanes"):
        result = run_cli("new", "--explainer", slug, "--source", source)
        assert result.code == 0, result.err
    (source / "data" / "sources.yaml").write_text(SHARED_SOURCE, encoding="utf-8")
    (source / "data" / "glossary.yaml").write_text(SHARED_TERM, encoding="utf-8")
    cycle = source / "explainers" / "cycle-lanes"
    settings = cycle / "explainer.yaml"
    text = settings.read_text(encoding="utf-8")
    for old, new in (
        ('title: "Do bus lanes make buses faster?"', 'title: "Do cycle lanes slow cars?"'),
        ('question: "Do bus lanes make buses faster?"', 'question: "Do cycle lanes slow cars down?"'),
        ("tags: [transport]", "tags: [transport, cycling]"),
    ):
        text = text.replace(old, new)
    text = "\n".join("published: 2025-06-01" if line.startswith("published:") else line for line in text.splitlines())
    settings.write_text(text + "\n", encoding="utf-8")
    with (cycle / "data" / "glossary.yaml").open("a", encoding="utf-8") as out:
        out.write(OWN_TERM)
    for slug, extra in (
        (
            "cycle-lanes",
            "Counts of cars on the same roads came from the city [@city-data]. Lanes were"
            " also weighed in [[claim:bus-lanes/on-time]].",
        ),
        ("bus-lanes", "The city also counted traffic on the road [@city-data], and its lanes."),
    ):
        with (source / "explainers" / slug / "pages" / "study.md").open("a", encoding="utf-8") as out:
            out.write(f"\n{extra}\n")
    return source


@pytest.fixture(scope="module")
def series(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("series")
    source = make_series(root)
    out = root / "_site"
    result = build(source, out, "--strict")
    assert result.code == 0, result.err + result.out
    return source, out


def test_every_explainer_is_under_its_own_address(series: tuple[Path, Path]) -> None:
    _, out = series
    for slug in ("bus-lanes", "cycle-lanes"):
        for page in ("", "study/", "claims/", "claims/on-time/", "glossary/", "sources/"):
            assert (out / slug / page / "index.html").is_file(), f"{slug}/{page}"
        assert (out / slug / "feed.xml").is_file() and (out / slug / "claims.json").is_file()
    for page in ("", "archive/", "topics/", "topics/transport/", "topics/cycling/"):
        assert (out / page / "index.html").is_file(), page
    assert (out / "404.html").is_file() and not (out / "bus-lanes" / "404.html").exists()
    assert not (out / "claims").exists(), "the front door has no claims of its own"
    sitemap = (out / "sitemap.xml").read_text(encoding="utf-8")
    assert "bus-lanes/claims/on-time/" in sitemap and "cycle-lanes/study/" in sitemap and "topics/cycling/" in sitemap
    assert not list(out.rglob("*/sitemap.xml")), "one sitemap for the site"


def test_the_front_door_lists_explainers_newest_first_with_their_verdicts(series: tuple[Path, Path]) -> None:
    _, out = series
    home = soup(out / "index.html")
    cards = home.select(".series-card")
    assert [c.select_one(".series-card-title a")["href"] for c in cards] == ["bus-lanes/", "cycle-lanes/"]
    first = cards[0]
    assert first.select_one(".series-card-title").get_text(strip=True) == "Do bus lanes make buses faster?"
    assert "far less than the news said" in first.select_one(".series-card-line").get_text()
    meta = first.select_one(".series-card-meta").get_text(" ", strip=True)
    assert "1 Supported" in meta and "1 Overstated" in meta
    assert cards[1].select_one("time")["datetime"] == "2025-06-01"
    assert [a.get_text() for a in home.select(".series-topics a")] == ["cycling", "transport"]
    menu = [a.get_text(strip=True) for a in home.select(".menu-header a")]
    assert menu[:3] == ["Home", "All explainers", "Topics"]


def test_the_archive_groups_by_year_and_topics_list_their_explainers(series: tuple[Path, Path]) -> None:
    _, out = series
    archive = soup(out / "archive" / "index.html")
    years = [h.get_text() for h in archive.select("section h2")]
    assert years == sorted(years, reverse=True) and "2025" in years and len(years) == 2
    assert next(a["href"] for a in archive.select("#year-2025 ~ ol a")) == "../cycle-lanes/"
    cycling = soup(out / "topics" / "cycling" / "index.html")
    assert [a["href"] for a in cycling.select(".series-card-title a")] == ["../../cycle-lanes/"]
    transport = soup(out / "topics" / "transport" / "index.html")
    assert len(transport.select(".series-card")) == 2


def test_shared_entries_serve_every_explainer_and_an_own_one_replaces_it(series: tuple[Path, Path]) -> None:
    _, out = series
    for slug in ("bus-lanes", "cycle-lanes"):
        sources = (out / slug / "sources" / "index.html").read_text(encoding="utf-8")
        assert "Traffic counts on Example City" in sources, slug
    bus = (out / "bus-lanes" / "glossary" / "index.html").read_text(encoding="utf-8")
    cycle = (out / "cycle-lanes" / "glossary" / "index.html").read_text(encoding="utf-8")
    assert "the series&#39; definition" in bus or "the series' definition" in bus
    assert "own definition" in cycle and "series&#39; definition" not in cycle and "series' definition" not in cycle


def test_a_claim_of_another_explainer_is_linked_with_its_verdict(series: tuple[Path, Path]) -> None:
    _, out = series
    page = soup(out / "cycle-lanes" / "study" / "index.html")
    refs = [a for a in page.select("a.claim-ref") if "bus-lanes" in a["href"]]
    assert len(refs) == 1
    assert refs[0]["href"] == "../../bus-lanes/claims/on-time/"
    assert refs[0].select_one(".badge").get_text() == "Supported"


def test_the_sites_feeds_hold_every_explainers_items(series: tuple[Path, Path]) -> None:
    _, out = series
    feed = json.loads((out / "claims.json").read_text(encoding="utf-8"))
    urls = sorted(item["url"] for item in feed["dataFeedElement"])
    assert len(urls) == 4 and all(u.startswith("https://example.org/explainers/") for u in urls)
    assert any("/cycle-lanes/claims/on-time/" in u for u in urls)
    own = json.loads((out / "bus-lanes" / "claims.json").read_text(encoding="utf-8"))
    assert len(own["dataFeedElement"]) == 2
    atom = etree.parse(str(out / "feed.xml"))
    assert atom_errors(atom) == []
    ids = atom.xpath("//a:entry/a:id/text()", namespaces={"a": "http://www.w3.org/2005/Atom"})
    assert ids == ["https://example.org/explainers/bus-lanes/", "https://example.org/explainers/cycle-lanes/"]


def test_every_page_links_only_to_pages_of_the_site(series: tuple[Path, Path]) -> None:
    """The series' link check ran over every part; here the built pages say the same."""
    _, out = series
    pages = html_pages(out)
    assert len(pages) >= 20
    for page in pages:
        for link in soup(page).select("a[href]"):
            href = link["href"].split("#")[0]
            if not href or href.startswith(("http", "mailto:")) or page.name == "404.html":
                continue
            target = (page.parent / href).resolve()
            assert (target / "index.html").is_file() or target.is_file(), f"{page}: {href}"


def test_a_single_explainer_site_shows_nothing_of_a_series(tea_site: Path) -> None:
    home = (tea_site / "index.html").read_text(encoding="utf-8")
    assert "series-link" not in home and "search-filter" not in home and "data-pagefind-filter" not in home


# --- what an editor may get wrong -----------------------------------------------------------


@pytest.fixture
def copy(series: tuple[Path, Path], tmp_path: Path) -> Path:
    return Path(shutil.copytree(series[0], tmp_path / "series"))


def failing(source: Path, tmp_path: Path) -> str:
    result = build(source, tmp_path / "out", "--strict", "--no-search")
    assert result.code == 1, result.out
    assert "Traceback" not in result.err
    assert not (tmp_path / "out").exists(), "nothing is written"
    return result.err


def test_an_explainer_may_not_set_what_is_the_whole_sites(copy: Path, tmp_path: Path) -> None:
    settings = copy / "explainers" / "bus-lanes" / "explainer.yaml"
    settings.write_text(
        settings.read_text(encoding="utf-8") + 'base_url: "https://example.org/other/"\n', encoding="utf-8"
    )
    err = failing(copy, tmp_path)
    assert "explainers/bus-lanes/explainer.yaml:11:1: error: 'base_url' is the whole site's" in err


def test_an_explainer_needs_its_own_title(copy: Path, tmp_path: Path) -> None:
    settings = copy / "explainers" / "cycle-lanes" / "explainer.yaml"
    lines = [line for line in settings.read_text(encoding="utf-8").splitlines() if not line.startswith("title:")]
    settings.write_text("\n".join(lines) + "\n", encoding="utf-8")
    err = failing(copy, tmp_path)
    assert "explainers/cycle-lanes/explainer.yaml:" in err and "needs its own 'title'" in err


def test_an_explainer_folder_must_be_an_address(copy: Path, tmp_path: Path) -> None:
    shutil.copytree(copy / "explainers" / "bus-lanes", copy / "explainers" / "Bus Lanes")
    err = failing(copy, tmp_path)
    assert "explainers/Bus Lanes:1:1: error: an explainer's folder name is its address" in err


def test_an_unknown_explainer_or_claim_is_located(copy: Path, tmp_path: Path) -> None:
    page = copy / "explainers" / "bus-lanes" / "pages" / "study.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nSee [[claim:cycle-lane/on-time]].\n", encoding="utf-8")
    err = failing(copy, tmp_path)
    line = len(page.read_text(encoding="utf-8").splitlines())
    assert f"explainers/bus-lanes/pages/study.md:{line}:5: error: no explainer 'cycle-lane'" in err
    assert "did you mean 'cycle-lanes'?" in err


def test_a_shared_source_no_explainer_cites_is_reported_once_at_its_line(copy: Path, tmp_path: Path) -> None:
    shared = copy / "data" / "sources.yaml"
    shared.write_text(
        shared.read_text(encoding="utf-8") + SHARED_SOURCE.replace("city-data", "unused"), encoding="utf-8"
    )
    err = failing(copy, tmp_path)
    assert err.count("source 'unused' is never cited") == 1
    assert "series/data/sources.yaml:8:3: error: source 'unused' is never cited" in err


def test_the_front_door_has_no_home_page_of_its_own(copy: Path, tmp_path: Path) -> None:
    (copy / "pages").mkdir()
    (copy / "pages" / "index.md").write_text("---\ntitle: Home\n---\nHello.\n", encoding="utf-8")
    err = failing(copy, tmp_path)
    assert "pages/index.md:1:1: error: a series' home page lists its explainers" in err


def test_new_explainer_on_a_single_explainer_site_says_how_to_make_it_a_series(tea_copy: Path) -> None:
    result = run_cli("new", "--explainer", "second", "--source", tea_copy)
    assert result.code == 2
    assert "this site is one explainer" in result.err and "explainer.yaml" in result.err
    assert not (tea_copy / "explainers").exists()
    taken = run_cli("new", "--explainer", "archive", "--source", tea_copy)
    assert taken.code == 2 and "cannot be an explainer's address" in taken.err


# --- in a browser ----------------------------------------------------------------------------


def wait_until(get, ok, seconds: float = PATIENCE):  # type: ignore[no-untyped-def]
    """get() once ok(get()) holds (the site's CSP forbids Playwright's string predicates)."""
    deadline = time.monotonic() + seconds
    while not ok(value := get()):
        assert time.monotonic() < deadline, f"timed out; last seen: {value!r}"
        time.sleep(0.1)
    return value


def test_search_covers_the_series_and_filters_by_explainer(browser, series: tuple[Path, Path]) -> None:  # type: ignore[no-untyped-def]
    from site_server import serve

    _, out = series
    with serve(out, "/explainers/") as running:
        page = browser.new_page()
        page.goto(running.url(out / "cycle-lanes" / "study" / "index.html"))
        page.fill("#search-input", "lane")
        page.wait_for_selector(".search-list li")
        page.wait_for_selector("#search-filter:not([hidden])")
        names = page.eval_on_selector_all("#search-filter option", "os => os.map(o => o.value)")
        assert names == ["", "Do bus lanes make buses faster?", "Do cycle lanes slow cars?"]
        shown = lambda: set(page.eval_on_selector_all(".search-explainer", "ls => ls.map(l => l.textContent)"))  # noqa: E731
        both = wait_until(shown, lambda seen: len(seen) == 2)
        assert both == {"Do bus lanes make buses faster?", "Do cycle lanes slow cars?"}
        page.select_option("#search-filter", "Do cycle lanes slow cars?")
        assert wait_until(shown, lambda seen: seen == {"Do cycle lanes slow cars?"}) == {"Do cycle lanes slow cars?"}
        assert page.locator(".search-list li").count() >= 1
        page.close()


def test_every_page_of_the_series_passes_the_nu_html_checker(series: tuple[Path, Path]) -> None:
    from test_html_valid import nu_errors

    pages = html_pages(series[1])
    assert len(pages) >= 20
    assert nu_errors(pages) == {}


@pytest.mark.parametrize(("scheme", "width"), [("light", 1280), ("dark", 1280), ("light", 360), ("dark", 360)])
def test_axe_finds_no_violations_on_the_series_pages(
    browser, series: tuple[Path, Path], scheme: str, width: int
) -> None:  # type: ignore[no-untyped-def]
    """The front door's pages (home, archive, topics, a topic, the error page) and an
    explainer's pages in a series (its header's link to the series, the search box's choice)."""
    from site_server import serve
    from test_a11y import new_page, violations

    _, out = series
    pages = [p for p in html_pages(out) if "bus-lanes" not in p.parts]
    assert len(pages) >= 12
    with serve(out, "/explainers/") as running:
        context, page = new_page(browser, width, 800, scheme)
        problems = {}
        for path in pages:
            page.goto(running.url(path))
            if path.parent.name == "study":  # the search box open, its choice of explainer shown
                page.fill("#search-input", "lane")
                page.wait_for_selector("#search-filter:not([hidden])")
            found = violations(page)
            if found:
                problems[str(path.relative_to(out))] = found
        context.close()
    assert problems == {}


# --- incremental, deterministic ---------------------------------------------------------------


def test_an_edit_rebuilds_that_explainer_only_and_equals_a_clean_build(
    series: tuple[Path, Path], tmp_path: Path
) -> None:
    """With the cache (the default), an explainer whose inputs did not change is taken from the
    previous output; after an edit to one explainer the output is byte for byte a clean build's."""
    source = Path(shutil.copytree(series[0], tmp_path / "series"))
    out = tmp_path / "out"
    assert build(source, out, "--strict").code == 0
    again = build(source, out, "--strict")
    assert again.code == 0 and "(2 unchanged explainer(s)" in again.out, again.out
    page = source / "explainers" / "cycle-lanes" / "pages" / "study.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nOne more sentence about the lanes.\n", encoding="utf-8")
    edited = build(source, out, "--strict")
    assert edited.code == 0 and "(1 unchanged explainer(s)" in edited.out, edited.out
    assert "One more sentence" in (out / "cycle-lanes" / "study" / "index.html").read_text(encoding="utf-8")
    clean = tmp_path / "clean"
    assert build(source, clean, "--strict", "--no-cache").code == 0
    assert tree_bytes(out) == tree_bytes(clean)


def test_a_file_changed_in_the_output_builds_its_explainer_again(series: tuple[Path, Path], tmp_path: Path) -> None:
    source = Path(shutil.copytree(series[0], tmp_path / "series"))
    out = tmp_path / "out"
    assert build(source, out, "--no-search").code == 0
    (out / "bus-lanes" / "study" / "index.html").write_text("changed by hand", encoding="utf-8")
    again = build(source, out, "--no-search")
    assert again.code == 0 and "(1 unchanged explainer(s)" in again.out, again.out
    assert "changed by hand" not in (out / "bus-lanes" / "study" / "index.html").read_text(encoding="utf-8")


def test_two_clean_builds_are_byte_identical(series: tuple[Path, Path], tmp_path: Path) -> None:
    """Search included: its parts are labelled per explainer instead of Pagefind's filters,
    whose index Pagefind writes in a different order each run."""
    other = tmp_path / "again"
    assert build(series[0], other, "--strict", "--no-cache").code == 0
    assert tree_bytes(other) == tree_bytes(series[1])
    listing = json.loads((other / "pagefind" / "parts.json").read_text(encoding="utf-8"))
    assert sorted(listing["labels"].values()) == ["Do bus lanes make buses faster?", "Do cycle lanes slow cars?"]
    assert not (other / "pagefind" / "filter").exists() or not list((other / "pagefind" / "filter").iterdir())


def tree_bytes(root: Path) -> dict[str, bytes]:
    files = {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}
    files.pop(".explainer-output", None)  # the marker lists what the build wrote (the same files, maybe reordered)
    assert len(files) > 20
    return files


# --- the preview -------------------------------------------------------------------------------


def test_the_preview_shows_one_explainer_of_a_series_and_follows_its_edits(
    series: tuple[Path, Path], tmp_path: Path
) -> None:
    import http.client
    import os
    import signal
    import subprocess
    import sys

    from conftest import ROOT
    from preview_server import free_port

    source = Path(shutil.copytree(series[0], tmp_path / "series"))
    whole = run_cli("serve", "--source", source)
    assert whole.code == 2 and "the preview shows one explainer of it at a time" in whole.err
    assert "explainers/bus-lanes" in whole.err
    port = free_port()
    explainer = source / "explainers" / "cycle-lanes"
    proc = subprocess.Popen(
        [
            sys.executable,
            str(ROOT / "build.py"),
            "serve",
            "--source",
            str(explainer),
            "--no-search",
            "--port",
            str(port),
        ],
        env=dict(os.environ, PYTHONUNBUFFERED="1"),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )

    def page() -> str:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=PATIENCE)
            conn.request("GET", "/cycle-lanes/study/")
            response = conn.getresponse()
            return response.read().decode("utf-8") if response.status == 200 else ""
        except OSError:
            return ""

    try:
        first = wait_until(page, lambda html: "claim-ref" in html)
        assert 'href="../../bus-lanes/claims/on-time/"' in first  # the other explainer's claim, as in the build
        study = explainer / "pages" / "study.md"
        study.write_text(study.read_text(encoding="utf-8") + "\nA sentence added in the preview.\n", encoding="utf-8")
        wait_until(page, lambda html: "A sentence added in the preview." in html)
    finally:
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=PATIENCE)
    assert "Traceback" not in err
    assert f"http://127.0.0.1:{port}/cycle-lanes/" in err
    assert "have errors" not in err, err


def test_explainers_built_over_two_processes_give_the_same_site(tmp_path: Path) -> None:
    """--jobs 2: the explainers are built by forked workers (site/series.py build_parts), and the
    site is byte for byte the one built in one process, warnings and all."""
    source = tmp_path / "series"
    for slug in ("one", "two", "three", "four"):
        assert run_cli("new", "--explainer", slug, "--source", source).code == 0
    results = {}
    for jobs in ("1", "2"):
        out = tmp_path / f"out-{jobs}"
        result = build(source, out, "--no-search", "--no-cache", "--jobs", jobs)
        assert result.code == 0, result.err
        results[jobs] = (tree_bytes(out), result.err)
    assert results["1"] == results["2"]
