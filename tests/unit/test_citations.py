"""Citations without a build: Pandoc's citation syntax, authors as name objects, BibTeX and
BibLaTeX as Zotero exports them, and the CSL bibliography's escaping."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from explainer.core.errors import Diagnostics
from explainer.kinds.sources import Source
from explainer.load.citation_style import BUILT_IN, load_citation_style
from explainer.load.config import builtin_theme
from explainer.load.names import Authors, Name, authors_from_yaml, parse_name
from explainer.load.references import read_bibtex
from explainer.markdown.citations import CitationError, Cite, cited_keys, parse_cluster
from explainer.markdown.syntax import CLUSTER_RE, INTEXT_RE, UNCLOSED_CITATION_RE
from explainer.render.bibliography import Bibliography, Words, to_html

# --- the syntax ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "cites"),
    [
        ("[@smith2020]", [Cite("smith2020")]),
        ("[@a; @b]", [Cite("a"), Cite("b")]),
        ("[@lewis_results_2023, p. 4]", [Cite("lewis_results_2023", locator="p. 4")]),
        ("[see @Dupont2019, pp. 33-35; also @b]", [Cite("Dupont2019", "see", "pp. 33-35"), Cite("b", "also")]),
        ("[-@doe:2020]", [Cite("doe:2020", suppress_author=True)]),
        ("[@a;\n@b]", [Cite("a"), Cite("b")]),
    ],
)
def test_a_cluster_reads_as_pandoc_reads_it(written: str, cites: list[Cite]) -> None:
    m = re.fullmatch(CLUSTER_RE, written)
    assert m is not None
    assert parse_cluster(m.group(1)) == cites


def test_a_comma_between_sources_is_an_error_that_says_the_fix() -> None:
    """`[@a, @b]` is not "fixed" by dropping a: the message gives the cluster to write."""
    m = re.fullmatch(CLUSTER_RE, "[@a, @b]")
    assert m is not None
    with pytest.raises(CitationError, match=r"separate sources with ';': \[@a; @b\]$"):
        parse_cluster(m.group(1))
    with pytest.raises(CitationError, match=r"^a part of a citation names no source: 'see' in \[@a; see\]"):
        parse_cluster("@a; see")


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("As @lewis_results_2023 wrote.", [("lewis_results_2023", None)]),
        ("As @doe2020 [p. 33] says", [("doe2020", "p. 33")]),
        ("Write to editor@example.org today", []),
        ("Escaped \\@someone here", []),
        ("See https://example.org/@user", []),
    ],
)
def test_in_text_citations_and_what_is_not_one(text: str, found: list[tuple[str, str | None]]) -> None:
    assert [(m.group(1), m.group(2)) for m in re.finditer(INTEXT_RE, text)] == found


def test_an_unclosed_citation_is_found_and_a_closed_one_is_not() -> None:
    assert [m.group(1) for m in re.finditer(UNCLOSED_CITATION_RE, "As shown [@smith2020. Then more.")] == ["smith2020"]
    assert not re.search(UNCLOSED_CITATION_RE, "As shown [@smith2020]. Then [@a; @b, p. 4].")


def test_the_prose_checks_read_the_same_keys() -> None:
    assert cited_keys("A [@a; @B_2], then @c and [-@d] but not x@y.z") == ["a", "B_2", "c", "d"]


# --- names -----------------------------------------------------------------------------------


def test_yaml_authors_become_names_once() -> None:
    authors = authors_from_yaml("Styner M, Pagnotti GM, von Stengel S, et al.")
    assert authors == Authors(
        (Name("Styner", "M."), Name("Pagnotti", "G. M."), Name("von Stengel", "S.")),
        more=True,
    )
    listed = authors_from_yaml(["Doe J", {"family": "Roe", "given": "Richard"}, {"institution": "4 Day Week Global"}])
    assert [n.full for n in listed] == ["J. Doe", "Richard Roe", "4 Day Week Global"]
    assert listed.names[2].is_institution and not listed.more
    assert parse_name("A Reporter") == Name("A Reporter")  # kept whole: no guess splits it
    assert authors_from_yaml(None) == Authors()


def test_short_names_never_say_et_al_for_two() -> None:
    assert authors_from_yaml("Doe J").short("and", "et al.") == "Doe"
    assert authors_from_yaml("Doe J, Roe R").short("et", "et al.") == "Doe et Roe"
    assert authors_from_yaml("Doe J, Roe R, Lee K").short("and", "et al.") == "Doe et al."
    assert authors_from_yaml("Doe J, et al.").short("and", "et al.") == "Doe et al."
    assert authors_from_yaml([]).short("and", "et al.") == ""


# --- BibTeX / BibLaTeX -----------------------------------------------------------------------

ZOTERO = r"""
@article{lewis_results_2023,
	title = {The results of the {UK} four-day week pilot},
	journaltitle = {Autonomy Research},
	author = {Lewis, Kyle and R{\"o}e, Richard Paul and von Stengel, S. and others},
	date = {2023-02},
	volume = {12},
	number = {3},
	pages = {45--67},
	eprinttype = {pmid},
	eprint = {123},
}

@report{4_day_week_global_results_2022,
	title = {Results of the four-day week trials},
	institution = {4 Day Week Global},
	author = {{4 Day Week Global}},
	date = {2022-11-29},
}
"""


def _read(tmp_path: Path, text: str) -> tuple[list, Diagnostics]:
    path = tmp_path / "sources.bib"
    path.write_text(text, encoding="utf-8")
    diags = Diagnostics()
    return read_bibtex(path, diags), diags


def test_biblatex_fields_and_an_institution(tmp_path: Path) -> None:
    refs, diags = _read(tmp_path, ZOTERO)
    assert not diags.items
    lewis, report = refs
    assert lewis.id == "lewis_results_2023" and lewis.location.line == 2
    assert lewis.fields["year"] == 2023 and lewis.fields["venue"] == "Autonomy Research"
    assert (lewis.fields["volume"], lewis.fields["issue"], lewis.fields["pages"]) == ("12", "3", "45\u201367")
    assert authors_from_yaml(lewis.fields["authors"]) == Authors(
        (Name("Lewis", "Kyle"), Name("Röe", "Richard Paul"), Name("von Stengel", "S.")), more=True
    )
    assert report.fields["year"] == 2022 and report.fields["venue"] == "4 Day Week Global"
    assert authors_from_yaml(report.fields["authors"]).names == (Name(institution="4 Day Week Global"),)


def test_a_missing_comma_is_an_error_at_its_line_not_a_mangled_entry(tmp_path: Path) -> None:
    refs, diags = _read(tmp_path, "@article{a,\n  title = {One}\n  year = {2020},\n}\n\n@book{b, title = {Two}}\n")
    assert [r.id for r in refs] == ["b"]
    assert [(e.location.line, e.message) for e in diags.errors] == [
        (
            2,
            "BibTeX entry 'a': a comma is missing at the end of this line, so the value of 'title' runs on into "
            "'year = ...'; add ','",
        )
    ]
    assert diags.is_broken("source", "a")


def test_a_missing_brace_gives_the_parsers_reason_once(tmp_path: Path) -> None:
    text = "@article{a,\n  author = {Doe, Jane,\n  title = {One},\n}\n\n@book{b, title = {Two}}\n"
    refs, diags = _read(tmp_path, text)
    assert [r.id for r in refs] == ["b"]
    [error] = diags.errors
    assert error.location.line == 2
    assert error.message.startswith("BibTeX entry 'a' could not be read: Unexpected block start")
    assert error.message.endswith("(a '}' is probably missing at the end of this line)")
    assert diags.is_broken("source", "a")


# --- the bibliography ------------------------------------------------------------------------


def _style(name: str):
    from explainer.core.yamlio import parse_yaml

    raw = parse_yaml(f"citation_style: {name}\n", Path("site.yaml"))
    diags = Diagnostics()
    style = load_citation_style(raw, Path("."), [builtin_theme()], diags)
    assert style is not None, diags.items
    return style


def _source(**values) -> Source:
    from explainer.core.errors import Location

    base = {"id": "x", "kind": "report", "title": "T", "note": "n", "location": Location(Path("s.yaml"))}
    return Source(**(base | values))


def test_the_shipped_styles_are_valid_csl_and_say_their_licence() -> None:
    from citeproc import SCHEMA_PATH
    from lxml import etree

    schema = etree.RelaxNG(etree.parse(SCHEMA_PATH))
    for name in BUILT_IN:
        path = builtin_theme() / "styles" / f"{name}.csl"
        tree = etree.parse(str(path))
        assert schema.validate(tree), (name, schema.error_log)
        rights = tree.getroot().find(".//{http://purl.org/net/xbiblio/csl}rights")
        assert rights is not None and "by-sa/3.0" in rights.get("license"), name
    assert _style("vancouver").numeric and not _style("author-year").numeric


def test_user_text_is_escaped_and_styling_is_ours() -> None:
    bibliography = Bibliography(_style("author-year"), "en", Words("Authors not stated", "et al."))
    evil = _source(id="e", title='<script>alert(1)</script> & "x"', venue="<b>V</b>", year=2020)
    bibliography.format([evil], {"e": "article-journal"})
    html = str(bibliography.entry("e"))
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt; &amp;" in html
    assert "&lt;b&gt;V&lt;/b&gt;" in html
    assert re.sub(r"&\w+;|<(/?)(i|b|sup|sub|span)[^>]*>", "", html).count("<") == 0
    assert str(to_html("A\U000f0000B\U000f0001")) == "A<i>B</i>"  # the formatter's marks, and only they


def test_no_author_says_so_in_the_sites_words_and_the_stop_is_single() -> None:
    bibliography = Bibliography(_style("vancouver"), "fr", Words("Auteurs non précisés", "et al."))
    bibliography.format([_source(title="Vraiment ?", venue="Le Site", year=2018)], {"x": "article-journal"})
    text = str(bibliography.entry("x"))
    assert text == "Auteurs non précisés. Vraiment ? Le Site. 2018."
    assert "?." not in text
