"""Honesty rules for the real site: what the explainer says is traceable to its own facts.

Everything is checked against the project's own data: `site_src/data/facts.yaml` (every
number the site states, with its source and that source's words), `sources.yaml`, and
the full texts the site keeps in `site_src/sources/` (the seed news article). Nothing
here reads outside the repository.
"""

from __future__ import annotations

import re
from pathlib import Path

import textstat
import yaml
from conftest import SITE_SRC, build, copy_site, html_pages, soup

from explainer.load.strings import apostrophes


def load(name: str) -> list[dict]:
    return yaml.safe_load((SITE_SRC / "data" / f"{name}.yaml").read_text(encoding="utf-8"))


CLAIMS = load("claims")
LIMITS = load("limits")
FACTS = load("facts")
SOURCES = {s["id"]: s for s in load("sources")}
FACT_BY_ID = {f["id"]: f for f in FACTS}
SEED = SITE_SRC / "sources" / "bonehealthnow2018.txt"
PERCENT = re.compile(r"(?<![\w.])(\d+(?:\.\d+)?)\s?%")
NUMBER = re.compile(r"(?<![\w./])\d+(?:\.\d+)?(?![\w])")
MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
DATE = re.compile(rf"\b(?:\d{{1,2}} )?(?:{MONTHS}) \d{{4}}\b")
YEAR = re.compile(r"\b(?:19|20)\d{2}\b")
# Marked by the theme as not data: label numbers (a claim's number in a list) and dates.
NOT_DATA = ".label-num, time"
# Numbers that are labels, not data: list numbers of headings ("2. A small study"), "Theory 1",
# the level of a confidence interval ("95% CI"), and the count of claims the site checks.
LABEL = re.compile(rf"\u00a7\s*\d+\. |\bTheory \d+\b|\b95(?=% CI\b)|\b{len(CLAIMS)}(?= claims\b)")


def visible_text(page_soup, *, drop: str = "") -> str:
    main = page_soup.select_one("main") or page_soup
    for el in main.select("script, style" + (f", {drop}" if drop else "")):
        el.decompose()
    return main.get_text(" ", strip=True)


def fact_sources(fact: dict, seen: frozenset[str] = frozenset()) -> set[str]:
    """The sources a fact rests on: its own, or for a reading those of the facts it is drawn from."""
    if fact.get("source"):
        return {fact["source"]}
    found: set[str] = set()
    for other in fact.get("drawn_from", []):
        if other not in seen:
            found |= fact_sources(FACT_BY_ID[other], seen | {fact["id"]})
    return found


def values_backed_by(cited: set[str], *, percent: bool = False) -> set[float]:
    """Absolute values of the facts resting only on sources in `cited` (percentages alone if asked)."""
    return {
        abs(float(n["value"]))
        for fact in FACTS
        if fact_sources(fact) and fact_sources(fact) <= cited
        for n in fact.get("numbers", [])
        if not percent or str(n.get("unit", "")).startswith("%")
    }


def cited_on(page_soup) -> set[str]:
    """Sources cited on a page, those of the facts it prints ([[fact:id]] links to #fact-<id>),
    and those of every claim whose summary the page shows."""
    cited = {li["id"].removeprefix("ref-") for li in page_soup.select(".references li[id^=ref-]")}
    for link in page_soup.select('a[href*="#fact-"]'):
        fact = FACT_BY_ID.get(link["href"].split("#fact-", 1)[1])
        if fact is not None:
            cited |= fact_sources(fact)
    text = page_soup.get_text(" ", strip=True)
    for claim in CLAIMS:
        if claim["summary"].strip() in text:
            cited |= set(claim["sources"])
    return cited


def story_pages(site: Path) -> list[Path]:
    """Every page but the generated list of facts, whose numbers are the facts themselves."""
    pages = [p for p in html_pages(site) if p.relative_to(site).parts[0] != "facts"]
    assert len(pages) > 10, pages
    return pages


def prose_numbers(page_soup, drop: str) -> list[str]:
    """The numbers a reader sees in a page's main text, labels and dates taken out."""
    for heading in page_soup.select("main h2, main h3, main h4"):
        heading.insert(0, "\u00a7")  # marks where a heading starts, for its list number
    text = visible_text(page_soup, drop=drop).replace(",", "")
    text = LABEL.sub(" ", DATE.sub(" ", text))
    years = {str(source["year"]) for source in SOURCES.values() if source.get("year")}
    text = YEAR.sub(lambda m: " " if m.group() in years else m.group(), text)
    return NUMBER.findall(text)


def test_thirteen_claims_each_with_a_page_a_verdict_and_a_source(real_site: Path) -> None:
    assert len(CLAIMS) == 13
    for claim in CLAIMS:
        page = soup(real_site / "claims" / claim["id"] / "index.html")
        assert page.select_one(".verdict-box .badge").get_text(strip=True)
        # as the page writes apostrophes (’), like Markdown
        assert page.select_one(".verdict-summary").get_text(strip=True) == apostrophes(claim["summary"].strip())
        assert page.select(".references li"), claim["id"]


def test_the_sites_wording_rules_catch_what_the_second_expert_check_removed(tmp_path: Path) -> None:
    """data/wording.yaml: the old phrasings are hits (the real site builds --strict, so it has none)."""
    from test_facts import check

    site = copy_site(tmp_path / "src")
    old = [
        "In young mice without bone loss, running raised trabecular bone.",
        "A small p value means a difference is unlikely to be luck alone.",
        "The MRI agreed with the osmium measure, and stiffness showed only a trend.",
        "Obesity had no effect on it. The shell changed with diet, not exercise.",
        "Fat cells shrank, the fat-burning marker rose, and it was the only randomised trial.",
        'The release says fat cells "dropped by more than half" and running "was building bone".',
    ]
    page = site / "pages" / "study.md"
    first = len(page.read_text(encoding="utf-8").splitlines()) + 2
    page.write_text(page.read_text(encoding="utf-8") + "\n" + "\n\n".join(old) + "\n", encoding="utf-8")
    result = check(site)
    hits = [line for line in result.err.splitlines() if "wording this site avoids" in line]
    found = [re.search(r"'([^']+)'; write", h).group(1).lower() for h in hits]
    assert found == [
        "without bone loss",
        "running raised",
        "raised trabecular bone",  # two rules, two hits
        "luck",
        "agreed with the osmium",
        "only a trend",
        "obesity had no effect",
        "changed with diet, not exercise",
        "shrank",
        "fat-burning marker",
        "the only randomised trial",
    ], result.err  # and nothing in the quotation marks of the last line
    assert all(f"study.md:{first + 2 * i}:" in hits[j] for j, i in enumerate([0, 0, 0, 1, 2, 2, 3, 3, 4, 4, 4]))


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


def test_facts_are_complete_and_rest_on_known_sources() -> None:
    """Every fact names a known source and its words, or (a reading) the facts it is drawn from."""
    assert len(FACTS) > 100
    ids = [f["id"] for f in FACTS]
    assert len(ids) == len(set(ids))
    for fact in FACTS:
        assert fact["status"] in ("checked", "unconfirmed", "reading"), fact["id"]
        if fact["status"] == "reading":
            assert fact["drawn_from"] and set(fact["drawn_from"]) <= set(ids) - {fact["id"]}, fact["id"]
            assert fact_sources(fact), fact["id"]
        else:
            assert fact["source"] in SOURCES, fact["id"]
            assert (fact.get("words") or fact.get("noted", "")).strip() and fact["where"].strip(), fact["id"]
        # Every number a fact holds is stated in its statement (signs aside: "33% smaller").
        stated = {abs(float(n)) for n in re.findall(r"\d+(?:\.\d+)?", fact["statement"].replace(",", ""))}
        for number in fact.get("numbers", []):
            assert abs(float(number["value"])) in stated, (fact["id"], number["value"])


def test_facts_quoting_a_kept_text_quote_it_exactly() -> None:
    """A fact whose source the site keeps in full (the seed article) holds that text's exact words."""
    kept = {p.stem: p.read_text(encoding="utf-8") for p in (SITE_SRC / "sources").glob("*.txt")}
    assert "bonehealthnow2018" in kept
    quoted = 0
    for fact in FACTS:
        if fact.get("source") in kept:
            assert fact["words"] in kept[fact["source"]], fact["id"]
            quoted += 1
    assert quoted >= 3


def test_every_percentage_on_the_site_is_a_fact_of_a_source_cited_on_its_page(real_site: Path) -> None:
    problems, checked = [], 0
    for path in story_pages(real_site):
        page = soup(path)
        known = values_backed_by(cited_on(page), percent=True)
        text = LABEL.sub(" ", visible_text(page, drop=f".references, .bibliography, {NOT_DATA}, .fact-card"))
        for number in PERCENT.findall(text):
            checked += 1
            if float(number) not in known:
                problems.append(f"{path.relative_to(real_site)}: {number}%")
    assert problems == [], problems
    assert checked > 50


def test_every_number_in_the_prose_is_a_fact_of_a_source_cited_on_its_page(real_site: Path) -> None:
    """Numbers in the prose (not citation marks, dates, list numbers or source details) are facts.

    A number must be a value of a fact whose source (or, for an editors' reading, whose
    facts' sources) the same page cites. Years count only as dates: in a date, or the
    publication year of a source in sources.yaml.
    """
    problems, checked = [], 0
    for path in story_pages(real_site):
        page = soup(path)
        known = values_backed_by(cited_on(page))
        drop = "sup.cite, .references, .bibliography, .fig-svg, .kicker, .label-num, .fact-card"
        for number in prose_numbers(page, drop):
            checked += 1
            if float(number) not in known:
                problems.append(f"{path.relative_to(real_site)}: {number}")
    assert problems == [], problems
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
    # Which claims each limit weakens is said once, in the limits-by-claims matrix.
    for limit in LIMITS:
        row = limits_page.select_one(f"tr#row-{limit['id']}")
        assert {td["data-claim"] for td in row.select("td.hit")} == set(limit["weakens"])
        assert row.select_one("th a")["href"] == f"#limit-{limit['id']}"
    assert len(limits_page.select(".limit .weakens-list, .limit .badge")) == 0
    mechanisms = soup(real_site / "mechanisms" / "index.html")
    assert len(mechanisms.select("section.theory")) == 2
    reading = mechanisms.select_one(".editors-reading")
    assert reading is not None and "editors" in reading.get_text()


def test_unconfirmed_sources_are_marked(real_site: Path) -> None:
    bib = soup(real_site / "sources" / "index.html")
    for source in SOURCES.values():
        entry = bib.find(id=f"src-{source['id']}")
        assert entry is not None, source["id"]
        marked = entry.select_one(".unconfirmed") is not None
        assert marked == (source.get("status") == "unconfirmed"), source["id"]


def test_not_medical_advice_on_every_page(real_site: Path) -> None:
    for path in html_pages(real_site):
        assert "Not medical advice" in soup(path).get_text(), path


def test_a_source_whose_year_is_not_known_shows_none(real_site: Path) -> None:
    """highfatmice's year is not confirmed: the bibliography and its schema.org data give no year."""
    from explainer.core.errors import Location
    from explainer.kinds.sources import Source
    from explainer.render.structured_data import creative_work

    assert "year" not in SOURCES["highfatmice"]
    entry = soup(real_site / "sources" / "index.html").find(id="src-highfatmice").get_text(" ", strip=True)
    assert "J Cell Physiol" in entry
    assert not re.search(r"\(\d+\)", entry), entry
    source = Source(id="x", kind="mouse study", title="T", venue="V", note="N", location=Location("x"))
    assert "datePublished" not in creative_work(source)
    assert creative_work(Source(**{**vars(source), "year": 2017}))["datePublished"] == "2017"


def test_about_page_names_nobody_the_site_yaml_does_not_name(real_site: Path) -> None:
    site = yaml.safe_load((SITE_SRC / "site.yaml").read_text(encoding="utf-8"))
    assert not site.get("authors") and not site.get("reviewers")
    team = soup(real_site / "about" / "index.html").select_one(".about-team")
    text = " ".join(team.get_text(" ").split())
    assert site["publisher"]["name"] in text and "No individual author is named" in text
    assert "No named reviewer is listed for this site." in text
    assert team.select(".people") == []


def test_the_real_mechanisms_figure_marks_its_steps(real_site: Path) -> None:
    fig = soup(real_site / "mechanisms" / "index.html").select_one("figure.fig-pathways")
    tags = [t.get_text() for t in fig.select("text.step-tag")]
    # Measured: the end differences (smaller and fewer fat cells, more bone); the rest is inferred or known.
    assert tags.count("Measured") == 3 and "Inferred, not measured" in tags
    assert len(fig.select("rect.step-box")) == len(tags) == 10
