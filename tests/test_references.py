"""Sources from a reference manager (a Zotero BibLaTeX export, CSL-JSON) beside
sources.yaml, cited with Pandoc's syntax, and the bibliography in the site's CSL style."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from conftest import FIXTURES, TEMPLATES, build, soup
from test_errors import assert_documented

TEA = FIXTURES / "tea"

# As Zotero's BibLaTeX export writes it: its own keys, `journaltitle`, `date`, an
# institutional author in double braces, LaTeX accents, fields the site does not use.
ZOTERO_BIB = r"""
@article{lewis_results_2023,
	title = {The results of the {UK} four-day week pilot},
	volume = {12},
	url = {https://example.org/autonomy/pilot},
	doi = {10.0000/autonomy.2023.12},
	abstract = {A six-month trial of a shorter working week.},
	language = {en},
	number = {3},
	urldate = {2024-01-15},
	journaltitle = {Autonomy Research},
	author = {Lewis, Kyle and Stronge, Will and Kellam, Jack and Kikuchi, Lukas},
	date = {2023-02},
	pages = {45--67},
	keywords = {working time},
	file = {Full Text:/home/editor/Zotero/storage/ABC123/Lewis.pdf:application/pdf},
}

@report{4_day_week_global_results_2022,
	title = {Results of the four-day week trials},
	url = {https://example.org/4dwg/results},
	institution = {4 Day Week Global},
	author = {{4 Day Week Global}},
	date = {2022-11-29},
	langid = {english},
}

@online{martin_semaine_2021,
	title = {La semaine de quatre jours, une id{\'e}e qui fait son chemin},
	url = {https://example.org/presse/semaine},
	journaltitle = {Le Journal des Tests},
	author = {Martin, {\'E}lodie and Dupont, Jean-Pierre},
	urldate = {2024-02-01},
	date = {2021-05-04},
}

@book{Dupont2019,
	location = {Paris},
	title = {Travailler moins},
	publisher = {Éditions Fixture},
	author = {Dupont, Jean-Pierre},
	date = {2019},
}
"""
KEYS = ("lewis_results_2023", "4_day_week_global_results_2022", "martin_semaine_2021", "Dupont2019")
# sources.yaml keeps only what the site says of the exported ones; trial and news are its own.
OWN_FIELDS = (TEA / "data" / "sources.yaml").read_text(encoding="utf-8") + "".join(
    f'- id: {key}\n  kind: {kind}\n  note: "A made-up source for tests."\n'
    for key, kind in zip(KEYS, ("human trial", "report", "news article", "book"), strict=True)
)
PAGE = """\
---
title: Working less
order: 3
---
## What the pilots found

A British pilot reported its results [@lewis_results_2023, p. 4], and so did a
global report [@4_day_week_global_results_2022; @martin_semaine_2021].

As @lewis_results_2023 wrote, few firms went back; a book agrees [see @Dupont2019, pp. 33-35].
The report itself [-@4_day_week_global_results_2022] says the same. Write \\@someone.
"""


def _site(tmp_path: Path, bib: str | None = ZOTERO_BIB, style: str = "", page: str = PAGE) -> Path:
    site = tmp_path / "src"
    shutil.copytree(TEA, site)
    (site / "data" / "sources.yaml").write_text(OWN_FIELDS, encoding="utf-8")
    if bib is not None:
        (site / "data" / "sources.bib").write_text(bib, encoding="utf-8")
        # A Zotero key in a data file's `sources:` list, as anywhere an id of a source goes.
        claims = (site / "data" / "claims.yaml").read_text(encoding="utf-8")
        claims = claims.replace("sources: [trial, news]", "sources: [trial, news, lewis_results_2023]")
        (site / "data" / "claims.yaml").write_text(claims, encoding="utf-8")
    (site / "pages" / "work.md").write_text(page, encoding="utf-8")
    text = (site / "site.yaml").read_text(encoding="utf-8")
    if style:
        text += f"citation_style: {style}\n"
    (site / "site.yaml").write_text(text, encoding="utf-8")
    return site


def _text(el) -> str:
    return " ".join(el.get_text(" ").split())


@pytest.fixture(scope="module")
def zotero_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The tea fixture with a Zotero export, built once under --strict (default style: Vancouver)."""
    tmp = tmp_path_factory.mktemp("zotero")
    out = tmp / "out"
    result = build(_site(tmp), out, "--no-search", "--strict")
    assert result.code == 0, result.err
    return out


def test_a_zotero_export_is_read_as_zotero_writes_it(zotero_site: Path) -> None:
    entries = {
        li["id"].removeprefix("src-"): _text(li) for li in soup(zotero_site / "sources" / "index.html").select("li[id]")
    }
    assert set(KEYS) <= set(entries)
    # BibLaTeX's journaltitle and date; the volume, issue and pages; the DOI linked.
    assert (
        "Lewis K, Stronge W, Kellam J, Kikuchi L. The results of the UK four-day week pilot. "
        "Autonomy Research. 2023;12(3):45–67." in entries["lewis_results_2023"]
    )
    assert "https://doi.org/10.0000/autonomy.2023.12" in entries["lewis_results_2023"]
    # `{{4 Day Week Global}}` is an institution, whole: not "Global 4DW".
    assert entries["4_day_week_global_results_2022"].startswith(
        "Report 4 Day Week Global. Results of the four-day week trials."
    )
    assert "Global 4" not in entries["4_day_week_global_results_2022"]
    assert (
        "Martin É, Dupont JP. La semaine de quatre jours, une idée qui fait son chemin."
        in entries["martin_semaine_2021"]
    )
    assert "Dupont JP. Travailler moins. Éditions Fixture; 2019." in entries["Dupont2019"]


def test_pandoc_citations_in_the_text(zotero_site: Path) -> None:
    page = soup(zotero_site / "work" / "index.html")
    paragraphs = page.select("article p")
    assert paragraphs, "the page has no paragraphs"
    first, second = (_text(p) for p in paragraphs[:2])
    # Numbered per page in order of first use; a locator inside the mark; several as several marks.
    assert [a.get_text() for a in paragraphs[0].select("sup.cite a.cite-link")] == ["[1, p. 4]", "[2]", "[3]"]
    # In the text: the authors' names, then the number; a prefix; the author left out.
    assert "As Lewis et al. [1] wrote" in second
    assert "a book agrees [see 4, pp. 33-35]" in second
    assert "The report itself [2] says the same" in second
    assert "Write @someone." in second and "\\@" not in second
    hrefs = [a["href"] for a in page.select("a.cite-link")]
    assert hrefs == [f"#ref-{k}" for k in ("lewis_results_2023", *KEYS[1:3], "lewis_results_2023", "Dupont2019")] + [
        f"#ref-{KEYS[1]}"
    ]
    # The page's list: one entry per source, in the order of their numbers, each where its marks point.
    assert [li["id"] for li in page.select(".references li")] == [f"ref-{k}" for k in KEYS]
    assert first.startswith("A British pilot")


def test_names_are_used_as_parsed_everywhere(zotero_site: Path) -> None:
    """The fact card names two authors with "and", never "et al."; JSON-LD names people."""
    card = soup(zotero_site / "index.html").select_one(".fact-card .fact-source")
    assert card is not None
    assert _text(card).startswith("Source: Doe and Roe (2020), J Fixture Stud")
    review = [
        json.loads(s.string)
        for s in soup(zotero_site / "claims" / "cure" / "index.html").select('script[type="application/ld+json"]')
    ]
    appearance = next(i for i in review if i.get("@type") == "ClaimReview")["itemReviewed"]["appearance"]
    assert appearance["author"] == [{"@type": "Person", "name": "A Reporter"}]


def test_a_zotero_key_in_a_sources_list(zotero_site: Path) -> None:
    claim = soup(zotero_site / "claims" / "cure" / "index.html")
    based_on = claim.select_one(".based-on")
    assert based_on is not None
    marks = {a["href"]: a.get_text() for a in based_on.select("sup.cite a.cite-link")}
    assert "#ref-lewis_results_2023" in marks
    entry = claim.select_one("#ref-lewis_results_2023")
    assert entry is not None and "The results of the UK four-day week pilot" in _text(entry)


def test_the_author_year_style(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = build(_site(tmp_path, style="author-year"), out, "--no-search", "--strict")
    assert result.code == 0, result.err
    page = soup(out / "work" / "index.html")
    marks = [_text(c) for c in page.select("article .cite")]
    assert marks[:2] == [
        "( Lewis et al. 2023, p. 4 )",
        "( 4 Day Week Global 2022 ; Martin and Dupont 2021 )",
    ]
    second = _text(page.select("article p")[1])
    assert "As Lewis et al. ( 2023 ) wrote" in second
    assert "[see" not in second and "( see Dupont 2019, pp. 33-35 )" in second
    assert "The report itself ( 2022 ) says" in second
    # The style sorts the bibliography (author, then year) and writes entries its own way.
    entries = [_text(li) for li in soup(out / "sources" / "index.html").select("li[id]")]
    assert entries, "the sources page lists nothing"
    lewis = next(e for e in entries if "four-day week pilot" in e)
    assert "Lewis, K., Stronge, W., Kellam, J., Kikuchi, L., 2023. The results of the UK four-day week pilot." in lewis
    order = [li["id"] for li in soup(out / "sources" / "index.html").select("li[id]")]
    assert (
        order.index("src-4_day_week_global_results_2022")
        < order.index("src-trial")
        < order.index("src-lewis_results_2023")
    )


def test_a_site_csl_file_is_used_and_checked(tmp_path: Path) -> None:
    site = _site(tmp_path, style="styles/mine.csl")
    (site / "styles").mkdir()
    own = (TEMPLATES / "styles" / "vancouver.csl").read_text(encoding="utf-8")
    # A site's own variant: the title in italics (through the style's formatting, as <i>).
    own = own.replace('<text variable="title"/>', '<text variable="title" font-style="italic"/>', 1)
    (site / "styles" / "mine.csl").write_text(own, encoding="utf-8")
    out = tmp_path / "out"
    result = build(site, out, "--no-search", "--strict")
    assert result.code == 0, result.err
    entry = soup(out / "sources" / "index.html").select_one("#src-Dupont2019")
    assert entry is not None and [i.get_text() for i in entry.select("i")] == ["Travailler moins"]
    # An edit of the style re-renders what it formats, though the build cache reuses what it can.
    bold = own.replace('font-style="italic"', 'font-weight="bold"', 1)
    (site / "styles" / "mine.csl").write_text(bold, encoding="utf-8")
    result = build(site, out, "--no-search", "--strict")
    assert result.code == 0, result.err
    page = soup(out / "work" / "index.html").select_one("#ref-Dupont2019")
    assert page is not None and [b.get_text() for b in page.select("b")] == ["Travailler moins"]
    assert not page.select("i")

    bad_cases = {
        "<style><oops></style>": r"styles/mine\.csl:1:\d+: error: the citation style is not well-formed XML: ",
        '<style xmlns="http://purl.org/net/xbiblio/csl" version="1.0"><info><title>D</title>'
        '<link href="http://www.zotero.org/styles/apa" rel="independent-parent"/></info></style>': (
            r"styles/mine\.csl:1:1: error: the citation style has no <bibliography>: a dependent style only names "
            r"another one; use its parent style instead: http://www.zotero.org/styles/apa"
        ),
        own.replace("<bibliography ", "<bibliography colour='red' ", 1): (
            r"styles/mine\.csl:\d+:\d+: error: the citation style is not valid CSL: "
        ),
    }
    messages = []
    for text, expected in bad_cases.items():
        (site / "styles" / "mine.csl").write_text(text, encoding="utf-8")
        result = build(site, tmp_path / "bad", "--no-search")
        assert result.code == 1 and re.search(expected, result.err), result.err
        assert "Traceback" not in result.err
        messages += re.findall(r": error: (.*)", result.err)
    for value, expected in (
        ("harvard", r"site\.yaml:\d+:\d+: error: citation_style 'harvard' is not a style: write one of vancouver, "),
        ("styles/none.csl", r"site\.yaml:\d+:\d+: error: citation_style: no file 'styles/none\.csl' in the site's"),
    ):
        text = re.sub(r"citation_style: .*", f"citation_style: {value}", (site / "site.yaml").read_text("utf-8"))
        (site / "site.yaml").write_text(text, encoding="utf-8")
        result = build(site, tmp_path / "bad", "--no-search")
        assert result.code == 1 and re.search(expected, result.err), result.err
        messages += re.findall(r": error: (.*)", result.err)
    assert_documented(messages)


def test_bad_entries_are_errors_at_their_lines_with_no_follow_on(tmp_path: Path) -> None:
    """A missing comma, a missing `}`, a duplicate key: one error each, where it is; the
    entries' sources.yaml lines and citations say nothing more; nothing mangled is published."""
    bib = ZOTERO_BIB.replace(
        "title = {Travailler moins},", "title = {Travailler moins}"
    ).replace(  # the book: a missing comma
        "author = {Martin, {\\'E}lodie and Dupont, Jean-Pierre},", "author = {Martin, {\\'E}lodie and Dupont,"
    )  # the online article: a missing }
    bib += "\n@misc{lewis_results_2023,\n  title = {Again},\n}\n"
    result = build(_site(tmp_path, bib=bib), tmp_path / "out", "--no-search")
    assert result.code == 1
    errors = re.findall(r"(\S+):(\d+):\d+: error: (.*)", result.err)
    lines = ZOTERO_BIB.split("\n")
    missing_brace = next(i for i, line in enumerate(lines) if "Dupont, Jean-Pierre}," in line and "Martin" in line)
    missing_comma = next(i for i, line in enumerate(lines) if "Travailler moins" in line)
    duplicate = len(bib.split("\n")) - 3
    assert [(p.split("/")[-1], int(n)) for p, n, _ in errors] == [
        ("sources.bib", missing_brace + 1),
        ("sources.bib", missing_comma + 1),
        ("sources.bib", duplicate),
    ], result.err
    assert errors[0][2].startswith("BibTeX entry 'martin_semaine_2021' could not be read: Unexpected block start")
    assert errors[1][2].startswith("BibTeX entry 'Dupont2019': a comma is missing at the end of this line")
    assert errors[2][2] == "BibTeX entry 'lewis_results_2023' is in the file twice (first on line 2): keep one"
    assert "Traceback" not in result.err
    assert_documented([m for _, _, m in errors])


def test_citation_mistakes_are_located(tmp_path: Path) -> None:
    page = PAGE + (
        "\nTwo sources with a comma [@lewis_results_2023, @Dupont2019].\n\n"
        "A citation left open [@Dupont2019. And @nobody here.\n"
    )
    result = build(_site(tmp_path, page=page), tmp_path / "out", "--no-search")
    found = re.findall(r"work\.md:(\d+):\d+: (error|warning): (.*)", result.err)
    assert found[:2] == [
        (
            "13",
            "error",
            "sources separated by ',' in [@lewis_results_2023, @Dupont2019]: a ',' starts a page or note, so "
            "'@Dupont2019' would be read as one of @lewis_results_2023; separate sources with ';': "
            "[@lewis_results_2023; @Dupont2019]",
        ),
        (
            "15",
            "warning",
            "citation not closed, so readers would see it as text: [@Dupont2019 has no ']'; close it: [@Dupont2019]",
        ),
    ], result.err
    assert re.match(
        r"15:warning:'@nobody' is not a known source, so it is shown as text.*; to write a plain @, write "
        r"\\@$",
        ":".join(found[2]),
    ), found[2]
    assert result.code == 1
    strict = build(
        _site(tmp_path / "s", page=PAGE + "\nOpen [@Dupont2019.\n"), tmp_path / "o2", "--no-search", "--strict"
    )
    assert strict.code == 1 and re.search(r"work\.md:13:\d+: error: citation not closed", strict.err), strict.err
    assert_documented([m for _, _, m in found])


def test_ids_and_authors_in_yaml_are_checked(tmp_path: Path) -> None:
    site = _site(tmp_path, bib=None)
    text = (site / "data" / "sources.yaml").read_text(encoding="utf-8")
    text = text.replace('authors: "A Reporter"', 'authors: "Not stated"').replace("- id: trial", "- id: trial#1", 1)
    (site / "data" / "sources.yaml").write_text(text, encoding="utf-8")
    result = build(site, tmp_path / "out", "--no-search")
    errors = re.findall(r"sources\.yaml:(\d+):\d+: error: (.*)", result.err)
    assert errors[:2] == [
        (
            "1",
            "id 'trial#1' cannot be used: use letters, digits and '_', with ':.-+/' only between them "
            "(as Zotero's lewis_results_2023)",
        ),
        (
            "11",
            "'authors: Not stated' would be printed as an author's name; leave 'authors' out when a source "
            "names no author (the site then says so in its language)",
        ),
    ], result.err
    assert_documented([m for _, m in errors[:2]])


CSL = [
    {
        "id": "trial",
        "type": "article-journal",
        "title": "Tea and Recall: a randomised trial",
        "container-title": "J Fixture Stud",
        "author": [{"family": "Doe", "given": "Jane"}, {"family": "Röe", "given": "Richard Paul"}],
        "issued": {"date-parts": [[2020, 5]]},
        "volume": "12",
        "issue": "3",
        "page": "45-67",
        "DOI": "10.0000/fixture.1",
    },
    {"id": "Lee_2019", "type": "report", "title": "A report", "author": [{"literal": "A Ministry"}], "publisher": "P"},
]


def test_csl_json_and_a_french_site(tmp_path: Path) -> None:
    site = _site(tmp_path, bib=None)
    own = '- id: trial\n  kind: human trial\n  note: "n"\n- id: Lee_2019\n  kind: report\n  note: "n"\n'
    yaml_text = (site / "data" / "sources.yaml").read_text(encoding="utf-8")
    news = yaml_text[yaml_text.index("- id: news") :].split("\n- id:")[0].replace('  authors: "A Reporter"\n', "")
    (site / "data" / "sources.yaml").write_text(own + news + "\n", encoding="utf-8")
    (site / "data" / "sources.json").write_text(json.dumps(CSL, indent=2, ensure_ascii=False), encoding="utf-8")
    (site / "pages" / "work.md").write_text("---\ntitle: Travail\n---\nUn rapport [@Lee_2019].\n", encoding="utf-8")
    text = (site / "site.yaml").read_text(encoding="utf-8").replace("language: en", "language: fr")
    (site / "site.yaml").write_text(text, encoding="utf-8")
    for name in ("facts.yaml", "claims.yaml"):  # French writes its decimals with a comma
        data = site / "data" / name
        data.write_text(data.read_text(encoding="utf-8").replace("p = 0.03", "p = 0,03"), encoding="utf-8")
    out = tmp_path / "out"
    result = build(site, out, "--no-search")
    assert result.code == 0, result.err
    entries = {li["id"]: _text(li) for li in soup(out / "sources" / "index.html").select("li[id]")}
    # French typography from the French CSL locale: a non-breaking hyphen in page ranges.
    assert (
        "Doe J, Röe RP. Tea and Recall: a randomised trial. J Fixture Stud. 2020;12(3):45\u201167."
        in entries["src-trial"]
    )
    assert "A Ministry. A report. P." in entries["src-Lee_2019"]
    assert "Auteurs non précisés. Tea cures forgetting." in entries["src-news"]
    card = soup(out / "index.html").select_one(".fact-card .fact-source")
    assert card is not None and "Doe et Röe (2020), J Fixture Stud" in _text(card)


def test_an_exported_source_needs_its_own_fields_in_yaml(tmp_path: Path) -> None:
    bib = ZOTERO_BIB + "\n@book{extra,\n  title = {A book},\n  publisher = {P},\n  year = 1999,\n}\n"
    result = build(_site(tmp_path, bib=bib), tmp_path / "out", "--no-search")
    assert result.code == 1
    errors = re.findall(r"(\S+):(\d+):\d+: error: (.*)", result.err)
    assert len(errors) == 1, result.err
    path, line, message = errors[0]
    assert path.endswith("data/sources.bib") and int(line) == len(ZOTERO_BIB.split("\n")) + 1
    assert message.startswith("source 'extra' has no entry in sources.yaml")
    assert_documented([message])


def test_bad_csl_json_is_located(tmp_path: Path) -> None:
    site = _site(tmp_path, bib=None)
    (site / "data" / "sources.json").write_text('[\n  {"id": "trial",\n   "title": "x",}\n]\n', encoding="utf-8")
    result = build(site, tmp_path / "out", "--no-search")
    assert result.code == 1
    assert re.search(r"data/sources\.json:3:\d+: error: CSL-JSON could not be read: ", result.err), result.err
    no_title = [{"id": "trial", "type": "book"}]
    (site / "data" / "sources.json").write_text(json.dumps(no_title, indent=1), encoding="utf-8")
    result = build(site, tmp_path / "out", "--no-search")
    assert re.search(r"data/sources\.json:3:1: error: CSL-JSON entry 'trial' has no title", result.err), result.err
    assert_documented(re.findall(r": error: (.*)", result.err))


def test_an_error_in_an_exported_field_points_at_the_export(tmp_path: Path) -> None:
    """A value from sources.bib that fails a check is reported at its entry in sources.bib, not
    at sources.yaml (where the editor would find nothing to fix)."""
    bib = ZOTERO_BIB.replace("url = {https://example.org/4dwg/results}", "url = {ftp://example.org/4dwg/results}")
    result = build(_site(tmp_path, bib=bib), tmp_path / "out", "--no-search")
    assert result.code == 1
    errors = re.findall(r"(\S+):(\d+):\d+: error: (.*)", result.err)
    line = ZOTERO_BIB.split("\n").index("@report{4_day_week_global_results_2022,") + 1
    assert [(p.split("/")[-1], int(n), m) for p, n, m in errors] == [
        ("sources.bib", line, "'url' must be a full web address (https://...)")
    ], result.err


def test_an_edit_of_the_export_is_rebuilt_with_the_cache(tmp_path: Path) -> None:
    site, out = _site(tmp_path), tmp_path / "out"
    assert build(site, out, "--no-search").code == 0
    bib = site / "data" / "sources.bib"
    bib.write_text(bib.read_text(encoding="utf-8").replace("Travailler moins", "Travailler mieux"), encoding="utf-8")
    result = build(site, out, "--no-search")
    assert result.code == 0, result.err
    for page in (out / "work" / "index.html", out / "sources" / "index.html"):
        text = page.read_text(encoding="utf-8")
        assert "Travailler mieux" in text and "Travailler moins" not in text, page
