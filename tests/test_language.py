"""Interface language: every word the theme prints comes from the strings file of the
site's `language`; a site changes single strings in its own `strings/<lang>.yaml`."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml
from conftest import FIXTURES, PATIENCE, ROOT, build, soup
from test_errors import assert_documented

CAFE = FIXTURES / "cafe"  # a small site in French
STRINGS = ROOT / "templates" / "strings"


def _fragments(value: object) -> list[str]:
    """The literal parts of a strings-file value, placeholders cut out."""
    texts = value.values() if isinstance(value, dict) else value if isinstance(value, list) else [value]
    return [part.strip(" \u00a0\u202f:;.,()") for text in texts for part in re.split(r"\{\w+\}", str(text))]


@pytest.fixture(scope="module")
def french_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("fr") / "_site"
    result = build(CAFE, out, "--strict")
    assert result.code == 0, result.err
    return out


def test_a_french_site_shows_no_english_interface_text(french_site: Path) -> None:
    english = yaml.safe_load((STRINGS / "en.yaml").read_text(encoding="utf-8"))
    french = yaml.safe_load((STRINGS / "fr.yaml").read_text(encoding="utf-8"))
    same = {f for value in french.values() for f in _fragments(value)}
    words = sorted({f for value in english.values() for f in _fragments(value) if len(f) > 3 and f not in same})
    assert "Skip to main content" in words and "Sources on this page" in words and "November" in words
    pages = sorted(french_site.rglob("*.html"))
    assert len(pages) >= 7
    for path in pages:
        # Everything a reader or a screen reader meets: text and attributes; not schema.org's type names.
        html = re.sub(r'<script type="application/ld\+json">.*?</script>', "", path.read_text("utf-8"), flags=re.S)
        found = [w for w in words if w in html]
        assert not found, f"{path.relative_to(french_site)} shows English interface text: {found}"


def test_french_interface_texts_and_dates(french_site: Path) -> None:
    home = soup(french_site / "index.html")
    assert home.html["lang"] == "fr"
    assert home.select_one(".skip-link").get_text() == "Aller au contenu"
    nav = [a.get_text() for a in home.select(".site-nav a")]
    assert nav == ["Accueil", "Les détails", "Affirmations", "Glossaire", "Sources"]
    footer = home.select_one(".site-footer").get_text(" ", strip=True)
    assert "Relu le 14 août 2025 par La rédaction." in footer
    assert home.select_one(".site-footer time")["datetime"] == "2025-08-14"
    search = home.select_one("search.search")
    assert search["data-search-count-other"] == "{count} pages correspondent à «\u00a0{query}\u00a0»"
    claims = soup(french_site / "claims" / "index.html")
    assert "Nous avons vérifié 2 affirmations." in claims.get_text()
    assert claims.title.get_text().startswith("Les affirmations vérifiées | ")
    cite = home.select_one("sup.cite a")
    assert cite["aria-label"] == "Source 1\u00a0: Café et longévité"
    figure = soup(french_site / "details" / "index.html").select_one("figure.fig-bar")
    assert figure.select_one(".fig-legend").get_text(" ", strip=True) == "plus haut plus bas"
    assert figure.select_one("details summary").get_text() == "Les chiffres sous forme de tableau"
    not_found = soup(french_site / "404.html")
    assert not_found.h1.get_text() == "Page introuvable"


def test_no_disclaimer_unless_the_site_has_one(french_site: Path, tmp_path: Path) -> None:
    assert not soup(french_site / "index.html").select(".advice")
    site = tmp_path / "src"
    shutil.copytree(CAFE, site)
    with (site / "site.yaml").open("a", encoding="utf-8") as f:
        f.write('disclaimer: {lead: "Pas un avis médical.", text: "Parlez-en à votre médecin."}\n')
    assert build(site, tmp_path / "out").code == 0
    advice = soup(tmp_path / "out" / "glossary" / "index.html").select_one(".advice")
    assert advice.get_text() == "Pas un avis médical. Parlez-en à votre médecin."
    assert advice.strong.get_text() == "Pas un avis médical."


def test_a_site_changes_single_strings(tmp_path: Path) -> None:
    site = tmp_path / "src"
    shutil.copytree(CAFE, site)
    (site / "strings").mkdir()
    (site / "strings" / "fr.yaml").write_text(
        'nav_claims: "Vérifications"\nsearch_count: {one: "{count} résultat", other: "{count} résultats"}\n',
        encoding="utf-8",
    )
    assert build(site, tmp_path / "out", "--no-search").code == 0
    home = soup(tmp_path / "out" / "index.html")
    assert "Vérifications" in [a.get_text() for a in home.select(".site-nav a")]
    assert home.select_one("search.search")["data-search-count-one"] == "{count} résultat"
    assert "Glossaire" in home.select_one(".site-nav").get_text()  # the rest is the theme's


@pytest.mark.parametrize(
    ("file_text", "line", "message"),
    [
        ('nav_claim: "X"\n', 1, r"unknown interface string 'nav_claim'; did you mean 'nav_claims'\?"),
        ('skip_link: "Aller {au contenu"\n', 1, r"'skip_link': has a stray '\{'"),
        ("months: [jan, fev]\n", 1, r"'months': needs the twelve month names"),
        ('search_count: {one: "x"}\n', 1, r"'search_count': a text with a count has two forms"),
        ("nav_home: [a, b]\n", 1, r"'nav_home': needs a text in quotes, not a list"),
    ],
)
def test_a_bad_strings_file_is_a_located_error(tmp_path: Path, file_text: str, line: int, message: str) -> None:
    site = tmp_path / "src"
    shutil.copytree(CAFE, site)
    (site / "strings").mkdir()
    (site / "strings" / "fr.yaml").write_text(file_text, encoding="utf-8")
    result = build(site, tmp_path / "out", "--no-search")
    assert result.code == 1
    assert re.search(rf"strings/fr\.yaml:{line}:\d+: error: {message}", result.err), result.err
    assert "Traceback" not in result.err
    assert_documented(re.findall(r": error: (.*)", result.err))


def test_a_language_without_strings_names_the_ones_there_are(tmp_path: Path) -> None:
    site = tmp_path / "src"
    shutil.copytree(CAFE, site)
    text = (site / "site.yaml").read_text(encoding="utf-8").replace("language: fr", "language: de")
    (site / "site.yaml").write_text(text, encoding="utf-8")
    result = build(site, tmp_path / "out", "--no-search")
    assert result.code == 1
    expected = r"site\.yaml:4:11: error: no interface strings for language 'de': the theme has en, fr"
    assert re.search(expected, result.err), result.err
    assert_documented(re.findall(r": error: (.*)", result.err))
    # A site may bring a language of its own, with every key.
    (site / "strings").mkdir()
    english = (STRINGS / "en.yaml").read_text(encoding="utf-8")
    (site / "strings" / "de.yaml").write_text(english.replace('nav_home: "Home"', 'nav_home: "Start"'), "utf-8")
    assert build(site, tmp_path / "out", "--no-search").code == 0
    assert "Start" in soup(tmp_path / "out" / "index.html").select_one(".site-nav").get_text()
    (site / "strings" / "de.yaml").write_text('nav_home: "Start"\n', encoding="utf-8")
    result = build(site, tmp_path / "out", "--no-search")
    assert result.code == 1
    assert re.search(r"strings/de\.yaml:1:1: error: interface strings missing for 'de': also_called, ", result.err)
    assert_documented(re.findall(r": error: (.*)", result.err))


def test_regional_language_reads_its_base_file(tmp_path: Path) -> None:
    site = tmp_path / "src"
    shutil.copytree(CAFE, site)
    text = (site / "site.yaml").read_text(encoding="utf-8").replace("language: fr", "language: fr-CA")
    (site / "site.yaml").write_text(text, encoding="utf-8")
    assert build(site, tmp_path / "out", "--no-search").code == 0
    home = soup(tmp_path / "out" / "index.html")
    assert home.html["lang"] == "fr-CA"
    assert home.select_one(".skip-link").get_text() == "Aller au contenu"


def test_every_key_in_both_shipped_languages() -> None:
    english = yaml.safe_load((STRINGS / "en.yaml").read_text(encoding="utf-8"))
    french = yaml.safe_load((STRINGS / "fr.yaml").read_text(encoding="utf-8"))
    assert sorted(english) == sorted(french)


def test_every_string_is_used_by_the_theme() -> None:
    """A key no template or module asks for is a leftover (or a misspelling)."""
    english = yaml.safe_load((STRINGS / "en.yaml").read_text(encoding="utf-8"))
    code = "".join(p.read_text(encoding="utf-8") for p in (ROOT / "templates").rglob("*.html"))
    code += "".join(p.read_text(encoding="utf-8") for p in (ROOT / "explainer").rglob("*.py"))
    unused = [k for k in english if k not in ("date", "months") and f'"{k}"' not in code]
    assert not unused


@pytest.mark.browser
def test_search_speaks_the_site_language(french_site: Path, browser) -> None:  # type: ignore[no-untyped-def]
    from playwright.sync_api import expect
    from site_server import base_path, serve

    with serve(french_site, base_path(CAFE / "site.yaml")) as running:
        context = browser.new_context(viewport={"width": 1000, "height": 800})
        page = context.new_page()
        page.goto(running.root)
        box = page.get_by_role("searchbox")
        box.fill("qqqqqq")
        status = page.locator("#search-status")
        # CSP forbids eval, so no wait_for_function: Playwright's expect polls from outside.
        expect(status).to_have_text("Aucune page ne correspond à «\u00a0qqqqqq\u00a0»", timeout=PATIENCE * 1000)
        box.fill("cohorte")
        found = re.compile(r"^\d pages? correspond(ent)? à «\u00a0cohorte\u00a0»$")
        expect(status).to_have_text(found, timeout=PATIENCE * 1000)
        assert box.get_attribute("placeholder") == "Rechercher sur ce site"
        context.close()
