"""A site in French, built the way a French editor writes it (tests/fixtures/travail: a
made-up four-day-week trial, sources exported from Zotero as BibLaTeX, with Zotero's keys,
formatted by the site's own CSL style, styles/auteur-date-fr.csl): numbers read and
printed as French writes them (Babel's CLDR data: "1,4 %", "2 500"), French quotation
marks with their no-break spaces wherever the theme quotes, quotations in « » checked
against their source, and data numbers that YAML would misread refused with the fix."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import FIXTURES, PATIENCE, ROOT, build, html_pages, soup
from test_errors import assert_documented

from explainer.load.numbers import for_language

TRAVAIL = FIXTURES / "travail"
NBSP, NNBSP, MINUS = "\u00a0", "\u202f", "\u2212"


@pytest.fixture(scope="module")
def travail(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("travail") / "_site"
    result = build(TRAVAIL, out, "--strict", "--no-search")
    assert result.code == 0, result.err
    assert "warning" not in result.err + result.out
    return out


def _copy(tmp_path: Path) -> Path:
    return Path(shutil.copytree(TRAVAIL, tmp_path / "src"))


def _add_to_essay(source: Path, text: str) -> int:
    """Append text to the fixture's essay page; the number of lines the page had before."""
    page = source / "pages" / "essai.md"
    before = page.read_text(encoding="utf-8")
    page.write_text(before + text, encoding="utf-8")
    return before.count("\n")


def _check(source: Path, tmp_path: Path, *extra: str) -> tuple[int, str]:
    result = build(source, tmp_path / "out", "--no-search", *extra)
    return result.code, result.err


def test_numbers_are_formatted_and_read_as_each_language_writes_them() -> None:
    fr, en = for_language("fr"), for_language("en")
    assert fr.text(1.4, "%") == f"1,4{NBSP}%" and en.text(1.4, "%") == "1.4%"
    assert fr.text(2500) == f"2{NNBSP}500" and en.text(2500) == "2,500"
    assert fr.text(2017, grouped=False) == "2017"
    assert fr.text(-39.9, "%", change=True) == f"{MINUS}39,9{NBSP}%"
    assert fr.text(1.4, "%", change=True) == f"+1,4{NBSP}%" and fr.text(1.4, "%") == f"1,4{NBSP}%"
    assert fr.text(0.125) == "0,125"  # never rounded
    for text, value in ((f"2{NNBSP}500", 2500), ("2 500", 2500), (f"1,4{NBSP}%", 1.4), ("\u221239,9", -39.9)):
        m = fr.prose_re.search(text)
        assert m is not None and fr.parse(*m.groups()) == value, text
    m = en.prose_re.search("1,234.5")
    assert m is not None and en.parse(*m.groups()) == 1234.5
    # "En 2022, 61" is two numbers in French, not a decimal; "2022 500" is not one number.
    assert [m.group(0) for m in fr.prose_re.finditer("En 2022, 61 entreprises")] == ["2022", "61"]
    assert [m.group(0) for m in fr.prose_re.finditer("en 2022 500 salariés")] == ["2022", "500"]


def test_the_french_fixture_prints_numbers_and_quotes_the_french_way(travail: Path) -> None:
    essai = soup(travail / "essai" / "index.html")
    figure = essai.select_one("figure.fig-bar")
    shown = [t.get_text() for t in figure.select("svg text")]
    # A change (change: true in the data) carries its sign; "%" after a no-break space.
    assert f"+1,4{NBSP}%" in shown and f"{MINUS}39,9{NBSP}%" in shown
    assert "+1.4%" not in shown and not any(re.fullmatch(r"[+\u2212]?\d+\.\d+%?", t) for t in shown)
    assert [td.get_text() for td in figure.select("td") if td.get_text()] == [f"+1,4{NBSP}%", f"{MINUS}39,9{NBSP}%"]
    quoted = f"«{NBSP}Quatre jours, et bien plus productifs{NBSP}»"
    claim = soup(travail / "claims" / "productifs" / "index.html")
    assert claim.title.get_text().startswith(quoted + " | ")
    assert claim.select_one('meta[property="og:title"]')["content"] == quoted
    assert claim.select_one('meta[name="twitter:title"]')["content"] == quoted
    assert claim.select_one("h1 q").get_text() == quoted
    legend = [li.get_text(" ", strip=True) for li in essai.select(".matrix-key li, .limits li")]
    assert legend and all("«\u00a0" in item for item in legend if "Quatre" in item)
    facts = soup(travail / "facts" / "index.html")
    uses = [a.get_text() for a in facts.select(".fact-uses a")]
    assert uses
    assert facts.select_one(".fact-key-sample").get_text() == "Un fait"  # no sample number that is no fact
    pages = html_pages(travail)
    assert len(pages) >= 8
    for path in pages:
        html = re.sub(r'<script type="application/ld\+json">.*?</script>', "", path.read_text("utf-8"), flags=re.S)
        assert "\u201c" not in html and "\u201d" not in html, f"{path}: English quotation marks on a French page"
        assert "« " not in html and " »" not in html, f"{path}: « » without their no-break spaces"


def test_the_french_fixture_is_a_web_page_not_medical_content(travail: Path) -> None:
    pages = html_pages(travail)
    assert pages
    for path in pages:
        html = path.read_text(encoding="utf-8")
        assert "MedicalWebPage" not in html and "medicalAudience" not in html, path
    items = [json.loads(s.string) for s in soup(travail / "essai" / "index.html").select("script[type$=json]")]
    assert [i["@type"] for i in items] == ["WebPage", "Article"]  # an explanation: an Article in a WebPage
    assert items[1]["headline"] == "L\u2019essai en détail" and items[1]["inLanguage"] == "fr"
    assert items[0]["mainEntity"] == {"@id": items[1]["@id"]}
    listed = [
        json.loads(s.string)["@type"] for s in soup(travail / "facts" / "index.html").select("script[type$=json]")
    ]
    assert listed == ["WebPage"]  # a list the generator makes: a WebPage alone


def _entries(page: Path) -> dict[str, str]:
    """Each source's reference as the style wrote it (no-break spaces kept), by its key."""
    return {
        li["id"].removeprefix("src-"): re.sub(r"[ \t\n]+", " ", li.select_one("p:not([class])").get_text()).strip()
        for li in soup(page).select("li[id]")
    }


def test_the_zotero_export_is_formatted_by_the_site_s_csl_style_in_french(travail: Path, tmp_path: Path) -> None:
    entries = _entries(travail / "sources" / "index.html")
    # Zotero's keys as they come; BibLaTeX's journaltitle and date read; the style's French
    # words ("et", "vol.", "nᵒ", "p.") and quotation marks with their no-break spaces.
    assert list(entries) == [  # sorted by author, as the style says
        "martin_semaine_2023",
        "observatoire_invente_du_travail_bilan_2024",
        "petit_quatre_2023",
    ]
    assert entries["martin_semaine_2023"].startswith(
        f"MARTIN, C. et BERNARD, L. 2023. «{NBSP}La semaine de quatre jours dans 61 entreprises : "
        f"un essai{NBSP}». Revue inventée du travail, vol. 12, nᵒ 2, p. 45\u201167. https://doi.org/10.0000/travail.1"
    ), entries["martin_semaine_2023"]
    # {{Observatoire inventé du travail}}: an institution, whole, as the style writes a name;
    # apostrophes as every text of the page writes them.
    assert (
        "OBSERVATOIRE INVENTÉ DU TRAVAIL. 2024. Bilan d\u2019une année d\u2019essais de la semaine de quatre jours. "
        in (entries["observatoire_invente_du_travail_bilan_2024"])
    )
    assert (
        f"PETIT, A. 2023. «{NBSP}Quatre jours, et bien plus productifs{NBSP}». Le Quotidien inventé."
        in (entries["petit_quatre_2023"])
    )
    sources = soup(travail / "sources" / "index.html")
    kinds = [p.get_text() for p in sources.select("li[id] .source-kind")]
    assert kinds == ["Essai randomisé", "Rapport", "Article de presse"]  # named in French (source-kinds.yaml)
    assert [i.get_text() for i in sources.select("li[id] i")] == [
        "Revue inventée du travail",
        "Bilan d\u2019une année d\u2019essais de la semaine de quatre jours",
        "Le Quotidien inventé",
    ]
    # An author-date style: citations in the text are author and year, two authors joined by "et".
    marks = [" ".join(c.get_text(" ").split()) for c in soup(travail / "index.html").select("article .cite")]
    assert marks[:2] == ["( Martin et Bernard 2023 )", "( Petit 2023 )"], marks
    # Without the site's style, the same export reads in the default (Vancouver) one: the style did the above.
    source = _copy(tmp_path)
    site = source / "site.yaml"
    text = site.read_text(encoding="utf-8")
    site.write_text(text.replace("citation_style: styles/auteur-date-fr.csl\n", ""), encoding="utf-8")
    out = tmp_path / "vancouver"
    assert build(source, out, "--no-search", "--strict").code == 0
    default = _entries(out / "sources" / "index.html")["martin_semaine_2023"]
    assert "Martin C, Bernard L. La semaine de quatre jours dans 61 entreprises : un essai." in default, default
    assert "MARTIN" not in default


def test_a_number_written_the_french_way_is_read_whole(tmp_path: Path) -> None:
    source = _copy(tmp_path)
    _add_to_essay(
        source,
        "\nEn 2022, la hausse était de 39,8 % et 2 400 salariés ont répondu [@martin_semaine_2023].\n",
    )
    code, err = _check(source, tmp_path, "--strict")
    assert code == 1
    found = re.findall(r"number not traced to a fact: (\S+(?: \S+)?) \(", err)
    assert found == ["39,8", "2 400"], err  # the decimal and the thousands whole; the year passes
    assert "2022" not in err


def test_the_numbers_report_of_the_docs_runs_on_the_french_site() -> None:
    """`python -m explainer.checks.numbers SOURCE`, as docs/editing.md gives it."""
    run = subprocess.run(
        [sys.executable, "-m", "explainer.checks.numbers", str(TRAVAIL)],
        capture_output=True,
        text=True,
        timeout=PATIENCE,
        cwd=ROOT,
        check=False,
    )
    assert run.returncode == 0 and "Traceback" not in run.stderr, run.stderr
    assert re.fullmatch(
        r"4 facts; numbers in the prose: \d+ fact references, \d+ cited values, 0 untraced; "
        r"[1-9]\d* quotations checked\n",
        run.stdout,
    ), run.stdout


def test_a_says_in_french_is_checked_against_the_fact_s_numbers(tmp_path: Path) -> None:
    source = _copy(tmp_path)
    facts = source / "data" / "facts.yaml"
    facts.write_text(facts.read_text(encoding="utf-8").replace('says: "1,4 %"', 'says: "1,5 %"'), encoding="utf-8")
    code, err = _check(source, tmp_path)
    assert code == 1
    assert re.search(r"facts\.yaml:\d+:\d+: error: 'says' prints 1,5, which is not one of the fact's numbers", err)


def test_a_quotation_in_french_marks_is_checked_against_its_source(tmp_path: Path) -> None:
    source = _copy(tmp_path)
    page = source / "pages" / "index.md"
    text = page.read_text(encoding="utf-8")
    page.write_text(text.replace("a augmenté de 1,4\u00a0% en moyenne", "a bondi de 1,4\u00a0% en moyenne"), "utf-8")
    code, err = _check(source, tmp_path)
    assert code == 1
    expected = r"index\.md:\d+:\d+: error: quotation does not match the words of source 'martin_semaine_2023'"
    assert re.search(expected, err), err


@pytest.mark.parametrize(
    ("item", "expected"),
    [
        ('{label: "Productivité horaire", value: 1,4}', r"unknown key '4': inside \{ \} a comma separates keys.*1\.4"),
        ('{label: "Productivité horaire", value: "1,4 %"}', r"'value' must be a number.*value: 1\.4 \(the unit"),
        ('{label: "Productivité horaire", value: "2 500"}', r"'value' must be a number.*value: 2500;"),
    ],
)
def test_a_data_number_written_the_french_way_is_a_located_error_with_the_fix(
    tmp_path: Path, item: str, expected: str
) -> None:
    source = _copy(tmp_path)
    figures = source / "data" / "figures.yaml"
    text = figures.read_text(encoding="utf-8")
    figures.write_text(text.replace('{label: "Productivité horaire", value: 1.4}', item), encoding="utf-8")
    code, err = _check(source, tmp_path)
    assert code == 1 and "Traceback" not in err
    assert re.search(r"figures\.yaml:10:\d+: error: " + expected, err), err


# --- every number a reader sees, near-misses, an empty site -------------------------------


def test_numbers_outside_the_markdown_are_traced_too(tmp_path: Path) -> None:
    source = _copy(tmp_path)
    edits = {
        "data/figures.yaml": ("value: -39.9}", "value: -38.9}"),
        "data/glossary.yaml": ("en une heure de travail.", "en une heure de travail, soit 3,5 % de plus."),
        "data/limits.yaml": ('title: "Une seule année"', 'title: "Une seule année, 12 mois"'),
        "pages/essai.md": ("title: L’essai en détail", "title: L’essai en détail, 2 400 salariés"),
    }
    for rel, (old, new) in edits.items():
        path = source / rel
        text = path.read_text(encoding="utf-8")
        assert old in text, rel
        path.write_text(text.replace(old, new), encoding="utf-8")
    result = build(source, tmp_path / "out", "--no-search")
    assert result.code == 0, result.err
    found = sorted(
        re.findall(r"(\w+\.(?:yaml|md)):(\d+):(\d+): warning: number not traced to a fact: (.+?) \(", result.err)
    )
    assert found == [
        ("essai.md", "2", "27", "2 400"),  # the page's title; read whole, as French writes it
        ("figures.yaml", "11", "40", f"{MINUS}38,9"),  # a bar's value
        ("glossary.yaml", "3", "73", "3,5"),
        ("limits.yaml", "2", "28", "12"),
    ], result.err
    assert build(source, tmp_path / "strict", "--no-search", "--strict").code == 1


def test_dates_in_any_position_pass_in_french(tmp_path: Path) -> None:
    source = _copy(tmp_path)
    _add_to_essay(
        source,
        "\nEn 2022, l’essai a commencé ; il a fini en 2023. Le 1er mars 2023 et le 14 août 2025 aussi.\n",
    )
    result = build(source, tmp_path / "out", "--no-search", "--strict")
    assert result.code == 0, result.err


def test_near_misses_are_located_warnings_and_errors_under_strict(tmp_path: Path) -> None:
    source = _copy(tmp_path)
    page = source / "pages" / "essai.md"
    lines = page.read_text(encoding="utf-8").count("\n")
    page.write_text(page.read_text(encoding="utf-8") + "\nVoir [claim:productifs] et la note[^1].\n", "utf-8")
    result = build(source, tmp_path / "out", "--no-search")
    assert result.code == 0, result.err
    assert f"essai.md:{lines + 2}:6: warning: [claim:productifs] has single brackets" in result.err
    assert "write [[claim:productifs]]" in result.err
    assert f"essai.md:{lines + 2}:35: warning: footnote [^1] has no definition" in result.err
    strict = build(source, tmp_path / "strict", "--no-search", "--strict")
    assert strict.code == 1 and strict.err.count(": error: ") == 2
    # With its definition the footnote is one, and a link's text in single brackets is a link.
    page.write_text(
        page.read_text(encoding="utf-8").replace("[claim:productifs]", "[claim:productifs](#fig-resultats)")
        + "\n[^1]: La note.\n",
        "utf-8",
    )
    assert build(source, tmp_path / "fixed", "--no-search", "--strict").code == 0


def test_unclosed_references_and_a_fact_in_a_link_are_located_at_their_own_occurrence(tmp_path: Path) -> None:
    source = _copy(tmp_path)
    lines = _add_to_essay(
        source,
        "\nVoir [[claim:productifs et [[fact:salaries] puis [@martin_semaine_2023. Fin.\n"
        "\n[[figure:resultats\n"
        "\nUn [lien vers [[fact:entreprises]]](#fig-resultats) ici [@martin_semaine_2023].\n",
    )
    result = build(source, tmp_path / "out", "--no-search")
    assert result.code == 0, result.err
    found = re.findall(r"essai\.md:(\d+):(\d+): warning: (.*)", result.err)
    # The citation left open is found where it is, not at the page's earlier [@martin_semaine_2023].
    assert found == [
        (
            str(lines + 2),
            "6",
            "reference not closed, so readers would see it as text: [[claim:productifs has no ']]'; "
            "close it: [[claim:productifs]]",
        ),
        (
            str(lines + 2),
            "28",
            "reference not closed, so readers would see it as text: [[fact:salaries has no ']]'; "
            "close it: [[fact:salaries]]",
        ),
        (
            str(lines + 2),
            "50",
            "citation not closed, so readers would see it as text: [@martin_semaine_2023 has no "
            "']'; close it: [@martin_semaine_2023]",
        ),
        (
            str(lines + 4),
            "1",
            "reference not closed, so readers would see it as text: [[figure:resultats has no ']]'; "
            "close it: [[figure:resultats]]",
        ),
        (
            str(lines + 6),
            "15",
            "[[fact:entreprises]] is inside a link's text, but it is a link itself, and a link "
            "inside a link is broken: put [[fact:entreprises]] outside the link's [text]",
        ),
    ], result.err
    assert_documented([message.replace("entreprises", "x") for _, _, message in found])  # the docs write ids as x
    strict = build(source, tmp_path / "strict", "--no-search", "--strict")
    assert strict.code == 1 and strict.err.count(": error: ") == 5, strict.err
    assert not (tmp_path / "strict").exists()


def test_an_english_decimal_point_in_french_is_said_so_at_its_place(tmp_path: Path) -> None:
    source = _copy(tmp_path)
    lines = _add_to_essay(
        source,
        "\nLa différence était nette (p = 0.03) [@martin_semaine_2023], en version \\3.11 du logiciel.\n",
    )
    result = build(source, tmp_path / "out", "--no-search")
    assert result.code == 0, result.err
    assert re.findall(r"essai\.md:(\d+):(\d+): warning: (.*)", result.err) == [
        (
            str(lines + 2),
            "32",
            "0.03 has a decimal point: in French (the site's language), write 0,03; a number that is not data, "
            "such as a version: write \\0.03",
        )
    ], result.err  # not "0" and "03" untraced; the version written \3.11 passes
    assert "not traced" not in result.err
    assert_documented(["0.03 has a decimal point: in French (the site's language), write 0,03"])
    assert build(source, tmp_path / "strict", "--no-search", "--strict").code == 1
    # In `says`, what [[fact:id]] prints: an error, and the only one (the fact's numbers still trace the prose).
    facts = source / "data" / "facts.yaml"
    facts.write_text(facts.read_text(encoding="utf-8").replace('says: "1,4 %"', 'says: "1.4 %"'), encoding="utf-8")
    page = source / "pages" / "essai.md"
    page.write_text(page.read_text(encoding="utf-8").replace("0.03", "0,03"), encoding="utf-8")
    code, err = _check(source, tmp_path / "says")
    assert code == 1
    errors = re.findall(r"(\w+\.(?:yaml|md)):(\d+):(\d+): error: (.*)", err)
    assert errors == [
        ("facts.yaml", "22", "9", "'says' writes 1.4 with a decimal point: in French (the site's language), write 1,4")
    ], err
    assert_documented([errors[0][3]])


def test_a_site_without_a_home_page_is_one_error(tmp_path: Path) -> None:
    source = _copy(tmp_path)
    (source / "pages" / "index.md").unlink()
    result = build(source, tmp_path / "out", "--no-search")
    assert result.code == 1
    assert re.search(r"src/pages:1:1: error: no home page: add pages/index\.md", result.err), result.err
    assert result.err.count(": error: ") == 1, result.err  # every page's menu links home: not reported again
    assert not (tmp_path / "out").exists()


def test_an_empty_pages_folder_is_an_error(tmp_path: Path) -> None:
    source = _copy(tmp_path)
    for page in (source / "pages").glob("*.md"):
        page.unlink()
    result = build(source, tmp_path / "out", "--no-search")
    assert result.code == 1
    assert re.search(r"src/pages:1:1: error: pages/ has no page: add pages/index\.md, the home page", result.err)
    assert result.err.count(": error: ") == 1, result.err
    assert not (tmp_path / "out").exists()


# --- reading level per language -------------------------------------------------------------


def test_french_reading_ease_uses_the_french_formula_and_a_grade_says_it_does_not_know_french(
    tmp_path: Path,
) -> None:
    source = _copy(tmp_path)
    site = source / "site.yaml"
    site.write_text(site.read_text(encoding="utf-8") + "checks: {reading_grade: 8, reading_ease: 40}\n", "utf-8")
    claims = source / "data" / "claims.yaml"
    hard = (
        "Nonobstant d’indéniables considérations méthodologiques, l’intensification organisationnelle "
        "consécutive à la réorganisation hebdomadaire demeure incontestablement hypothétique."
    )
    claims.write_text(
        claims.read_text(encoding="utf-8").replace(
            'summary: "Les arrêts maladie ont baissé de 39,9 % pendant l’essai."', f'summary: "{hard}"'
        ),
        encoding="utf-8",
    )
    result = build(source, tmp_path / "out", "--no-search")
    assert result.code == 0, result.err
    lines = site.read_text(encoding="utf-8").count("\n")
    assert re.search(
        rf"site\.yaml:{lines}:\d+: warning: checks\.reading_grade: no reading grade formula is known for the "
        r"site's language 'fr', so the check does not run \(or checks\.reading_ease, which it has\)",
        result.err,
    ), result.err
    eased = re.findall(r"claims\.yaml:(\d+):\d+: warning: reading ease of the summary of claim '(\w+)' is", result.err)
    assert eased == [("11", "absences")], result.err
    assert "Kandel and Moles, for French" in result.err
    assert "home page" not in result.err  # its short sentences read easily


def test_apostrophes_in_yaml_texts_are_those_markdown_gives_pages(tmp_path: Path) -> None:
    source = _copy(tmp_path)
    limits = source / "data" / "limits.yaml"
    limits.write_text(
        limits.read_text(encoding="utf-8").replace('title: "Une seule année"', "title: \"L'essai n'a duré qu'un an\""),
        encoding="utf-8",
    )
    out = tmp_path / "out"
    assert build(source, out, "--no-search", "--strict").code == 0
    essai = soup(out / "essai" / "index.html")
    titles = [h.get_text(" ", strip=True) for h in essai.select("h3, th")]
    assert "L\u2019essai n\u2019a duré qu\u2019un an" in " ".join(titles), titles
    assert "n'a" not in (out / "essai" / "index.html").read_text(encoding="utf-8")


def test_a_value_is_signed_only_when_the_figure_says_its_values_are_changes(tmp_path: Path) -> None:
    source = _copy(tmp_path)
    figures = source / "data" / "figures.yaml"
    figures.write_text(figures.read_text(encoding="utf-8").replace("  change: true\n", ""), encoding="utf-8")
    out = tmp_path / "out"
    assert build(source, out, "--no-search", "--strict").code == 0
    shown = [t.get_text() for t in soup(out / "essai" / "index.html").select("figure.fig-bar svg text.value")]
    assert shown[:2] == [f"1,4{NBSP}%", f"{MINUS}39,9{NBSP}%"]
