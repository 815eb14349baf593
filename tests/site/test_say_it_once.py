"""Say each thing once: no two pages of the built real site share many sentences.

A page's sentences are the prose a reader reads in its article: cards (which repeat a
glossary entry or a fact where it is used), citation marks, the list of sources and the
corrections note are left out, as are short sentences (labels such as "Our verdict:"). The overlap of page A with page
B is the share of A's sentences that B also has, word for word; the worst pair is printed
(run with -s to see it) and must stay under WORST_OVERLAP.

And what the real site's pages say once by design: each limit's text once on the limits
page (which claims it weakens in one matrix), each theory's steps once (drawn in the
pathways figure), the study's design and results once on the study page.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from pathlib import Path

import yaml
from conftest import SITE_SRC, html_pages, soup

# When issue 19 was filed: 97% (34 of the 35 sentences of corrections/ were on about/; the
# summary, the home page and the claims index were largely one page three times). On main
# just before it landed (d4be564): 69% by this check (claims/reverse-osteoporosis/ on
# claims/headline/). After: 27% (claims/same-stem-cells/ on the home page: its summary is the
# home row's one line why).
WORST_OVERLAP = 0.35
CLAIMS = yaml.safe_load((SITE_SRC / "data" / "claims.yaml").read_text(encoding="utf-8"))
LIMITS = yaml.safe_load((SITE_SRC / "data" / "limits.yaml").read_text(encoding="utf-8"))
MIN_WORDS = 6  # shorter "sentences" are labels and headings, not something said
# Cards, citation marks, source lists and the corrections note (a correction is shown, by
# design, on each page it changed and in the log) are records, not what a page says.
LEFT_OUT = ".tip, .cite, .references, .corrections-note, .visually-hidden, script, style, [data-pagefind-ignore]"
SENTENCE_END = re.compile(r"(?<=[.!?])[\"”’)]*\s+(?=[\"“‘(]?[A-Z0-9])")


@dataclass(frozen=True)
class Overlap:
    share: float
    page: str
    other: str
    shared: int
    of: int

    def __str__(self) -> str:
        return f"{self.share:.0%} of {self.page}'s {self.of} sentences ({self.shared}) are also on {self.other}"


def sentences(path: Path) -> set[str]:
    article = soup(path).select_one("main article") or soup(path).select_one("main")
    assert article is not None, path
    for element in article.select(LEFT_OUT):
        element.decompose()
    text = re.sub(r"\s+", " ", article.get_text(" ")).strip()
    found = {re.sub(r"\s+([.,;:!?)])", r"\1", s).strip().lower() for s in SENTENCE_END.split(text)}
    return {s for s in found if len(s.split()) >= MIN_WORDS}


def overlaps(site: Path) -> list[Overlap]:
    pages = {str(p.relative_to(site).parent) + "/": sentences(p) for p in html_pages(site) if p.name == "index.html"}
    assert len(pages) >= 10
    found = []
    for (a, sa), (b, sb) in itertools.permutations(pages.items(), 2):
        if sa:
            shared = len(sa & sb)
            found.append(Overlap(shared / len(sa), a, b, shared, len(sa)))
    return sorted(found, key=lambda o: (-o.share, -o.shared, o.page, o.other))


def test_sentences_are_split_as_a_reader_reads_them(tmp_path: Path) -> None:
    page = tmp_path / "index.html"
    page.write_text(
        "<main><article><p>Mice ran on wheels for six weeks, the study says. "
        '<span class="tip">A card that repeats the glossary word for word here.</span>'
        'Their bones grew denser than before the running began.<sup class="cite">[1]</sup> Short one.</p>'
        '<section class="references"><p>Smith J, Jones K (2017). A title of a paper on mice.</p></section>'
        "</article></main>",
        encoding="utf-8",
    )
    assert sentences(page) == {
        "mice ran on wheels for six weeks, the study says.",
        "their bones grew denser than before the running began.",
    }


def test_no_two_pages_say_the_same_sentences(real_site: Path) -> None:
    found = overlaps(real_site)
    assert found
    worst = found[0]
    print(f"\nworst sentence overlap: {worst}")
    for other in found[1:5]:
        print(f"  then: {other}")
    assert worst.share <= WORST_OVERLAP, str(worst)


# --- said once by design ---------------------------------------------------------------------


def test_limits_page_is_summary_then_one_matrix_then_each_limit_once(real_site: Path) -> None:
    article = soup(real_site / "limits" / "index.html").select_one("article")
    headings = [h.get_text() for h in article.select("h2")]
    assert headings[0] == "In short"
    matrix = article.select_one("table.matrix")
    assert len(matrix.select("tbody tr")) == len(LIMITS)
    assert len(matrix.select("thead th.matrix-claim")) == len(CLAIMS)
    for tip in article.select(".tip"):
        tip.decompose()
    text = " ".join(article.get_text(" ").split())
    sections = article.select("section.limit")
    assert [s["aria-labelledby"] for s in sections] == [f"limit-{limit['id']}" for limit in LIMITS]
    for section in sections:
        first = " ".join(section.select_one("details > p").get_text(" ").split())
        assert len(first) > 40 and text.count(first) == 1, section["aria-labelledby"]
    assert article.select(".weakens-list") == []


def test_mechanisms_page_draws_the_steps_once(real_site: Path) -> None:
    """The pathways figure draws each theory's steps; the cards below do not list them again."""
    page = soup(real_site / "mechanisms" / "index.html").select_one("article")
    theories = yaml.safe_load((SITE_SRC / "data" / "theories.yaml").read_text(encoding="utf-8"))["theories"]
    drawn = " ".join(" ".join(svg.get_text(" ").split()) for svg in page.select("figure svg"))
    for figure in page.select("figure"):
        figure.decompose()
    rest = " ".join(page.get_text(" ").split())
    for theory in theories:
        for step in theory["steps"]:
            step = step["text"] if isinstance(step, dict) else step  # a step may carry its status
            assert step in drawn
            assert step not in rest


def test_study_page_gives_the_design_and_the_results_once(real_site: Path) -> None:
    page = soup(real_site / "study" / "index.html")
    main = page.select_one("main")
    assert len(main.select("figure.fig-timeline")) == 1 and len(main.select("table.study-design")) == 1
    assert len(main.select("figure.fig-bar")) == 1
    # The results table is the chart's numbers, a click away; not a second table on the page.
    results = main.select("table.fig-table")
    assert len(results) == 1 and results[0].find_parent("details") is not None
    assert not main.select("table.results")
    chart = main.select_one("figure.fig-bar")
    assert chart.select_one(".fig-title").get_text().strip()
    # The most important result first: the chart's first bar is the bone result, in its own colour.
    first = chart.select_one("svg.fig-narrow text.heading").get_text()
    assert "bone" in first.lower()
    legend = [li.get_text() for li in chart.select(".fig-legend li")]
    assert len(legend) >= 2 and legend[0] == "Bone"
