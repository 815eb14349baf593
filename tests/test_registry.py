"""The kinds of data (one module each in explainer/kinds/, listed in registry.py): what is
derived from their list, and the schemas they give data that had none (study.yaml, figure items).

Bad data cases run whole builds through the command line (the fixture of test_errors) and
assert the exact set of located errors: never a traceback, never a cascade.
"""

from __future__ import annotations

import posixpath
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from test_errors import Case, Expect, assert_documented, assert_errors, broken_build  # noqa: F401 - fixture

from explainer.core.errors import BuildFailed
from explainer.core.schema import Field
from explainer.core.urls import output_path
from explainer.kinds import content_model
from explainer.kinds.declare import GeneratedPage, Kind
from explainer.kinds.registry import Registry
from explainer.load.config import BuildOptions
from explainer.output.write import write_atomically
from explainer.serve.rebuild import Rebuilder
from explainer.site.build import build_site

# --- what is derived -------------------------------------------------------------------------


KINDS = Registry()


def test_load_order_puts_what_is_referred_to_first() -> None:
    order = [k.name for k in KINDS.load_order()]
    assert sorted(order) == sorted(KINDS)
    for kind in KINDS.load_order():
        for f in kind.fields:
            if f.ref and not f.mirror:
                assert order.index(f.ref) < order.index(kind.name), (kind.name, f.name)


def test_dependency_map_follows_the_references() -> None:
    deps = KINDS.depends_on()
    # The links data.py makes: a claim holds its verdict, limits and sources; a limit its
    # sources and claims; a theory its sources; the study names its paper.
    assert deps["claims"] == {"verdicts", "limits", "sources"}
    assert deps["limits"] == {"claims", "sources"}
    assert deps["theories"] == {"sources"}
    assert deps["study"] == {"sources"}
    assert deps["figures"] == set(KINDS) - {"figures"}  # a figure may read any file


def test_reserved_urls_are_the_generated_ones() -> None:
    assert {
        "claims",
        "sources",
        "glossary",
        "corrections",
        "facts",  # issue 11
        "404",
        "static",
        "pagefind",
        "sitemap.xml",
        "robots.txt",
        "feed.xml",  # issue 22: the site's feeds
        "claims.json",
    } == KINDS.reserved_slugs()


def test_generated_pages_and_menu_in_order() -> None:
    urls = [p.url for _, p in KINDS.generated_pages()]
    assert urls == ["claims/{id}/", "static/verdicts.css", "claims/", "glossary/", "corrections/", "sources/", "facts/"]
    # Labels are keys of the interface strings (templates/strings/<language>.yaml).
    menu = ["nav_claims", "nav_glossary", "nav_corrections", "nav_sources", "nav_facts"]
    assert [p.menu for _, p in KINDS.menu_pages()] == menu


# --- URLs: every generated page's URL from url_for, every link checked, under a prefix ----------

PREFIX = "explainers/tea/"
EVERY_KIND = {
    "data/source-kinds.yaml": '- {name: "tea survey", schema_type: Report}\n',
    "data/theories.yaml": """theories:
  - id: catechins
    name: "Catechins"
    idea: "A compound of tea reaches the brain."
    steps: ["Tea is drunk", {text: "Catechins reach the brain", status: inferred}]
    evidence: "The trial measured recall only [@trial]."
    missing: "No one measured the brain."
    sources: [trial]
tell_apart: "Measure catechins in the brain [@trial]."
""",
    "data/criteria.yaml": '- {name: "Costs", rating: "Not applicable", reason: "Tea is cheap."}\n',
    "data/wording.yaml": '- {avoid: "miracle", use: "a result", why: "No study shows one."}\n',
    "data/corrections.yaml": """- date: 2025-01-30
  what: "The claim's summary now says the trial was small."
  why: "A reader asked."
  pages: ["/", "claims/cure/", "more/"]
""",
    "pages/more.md": """---
title: More
order: 3
---
The claim [[claim:cure]] and [the glossary](../glossary/) and [the start](index.md).

[[block:claims-at-a-glance]]

[[block:limits]]

[[block:theories]]

[[block:tell-apart]]

[[block:criteria]]

[[block:corrections]]

[[block:study-design]]

[[block:study-results]]

[[block:verdict-scale]]

[[figure:effects]]

[[figure:plan]]

[[figure:steps]]

[[figure:rungs]]
""",
}


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        self.ids.update(v for k, v in attrs if k == "id" and v)
        for name in ("href", "src", "action"):
            value = found.get(name)
            if value is not None and not value.startswith(("https:", "http:", "mailto:", "data:", "/")):
                self.links.append(value)


def _parsed(html: bytes) -> _Links:
    parser = _Links()
    parser.feed(html.decode())
    return parser


@pytest.fixture
def every_kind(tmp_path: Path) -> Path:
    """The tea fixture with a file of every built-in kind and a page drawing every block and
    figure kind, its pages under a url_prefix."""
    from conftest import FIXTURES
    from test_figures import FIGURES_YAML, STUDY_YAML

    src = shutil.copytree(FIXTURES / "tea", tmp_path / "src")
    site = src / "site.yaml"
    site.write_text(site.read_text(encoding="utf-8") + f"url_prefix: {PREFIX}\n", encoding="utf-8")
    for rel, text in {**EVERY_KIND, "data/figures.yaml": FIGURES_YAML, "data/study.yaml": STUDY_YAML}.items():
        (src / rel).write_text(text, encoding="utf-8")
    return src


def test_every_kind_under_a_url_prefix_builds_with_no_broken_link(every_kind: Path, tmp_path: Path) -> None:
    """Every link of every page (Markdown's, the templates', the menu's) resolves to a built
    file and its #anchor to an id there, read back from the HTML alone."""
    from conftest import TEMPLATES

    assert {p.stem.replace("-", "_") for p in (every_kind / "data").glob("*.yaml")} == set(KINDS)
    build = build_site(BuildOptions(source=every_kind, templates=TEMPLATES, out=tmp_path / "out", search=False))
    assert not build.diags.errors
    built = set(build.files) | set(build.statics)
    pages = {path: _parsed(html) for path, html in build.files.items() if path.endswith(".html")}
    assert len(pages) >= 10 and f"{PREFIX}more/index.html" in pages
    # Every page of the explainer is under the prefix; the site's own files stay at the root.
    assert {p for p in pages if not p.startswith(PREFIX)} == {"404.html"}
    assert f"{PREFIX}static/verdicts.css" in build.files and "static/site.css" in built
    broken = []
    for path, page in pages.items():
        assert page.links, path
        for link in page.links if path != "404.html" else ():  # the error page links from the root
            target, _, anchor = posixpath.normpath(posixpath.join(posixpath.dirname(path), link)).partition("#")
            target = target.removeprefix(".")
            file = target if target in built else posixpath.join(target, "index.html").lstrip("/")
            if file not in built and file.rstrip("/") not in built:
                broken.append(f"{path}: {link}")
            elif anchor and file in pages and anchor not in pages[file].ids:
                broken.append(f"{path}: {link} (no #{anchor})")
    assert not broken, broken


def test_a_broken_link_written_in_a_template_is_located(every_kind: Path, tmp_path: Path) -> None:
    from conftest import TEMPLATES

    tpl = shutil.copytree(TEMPLATES, tmp_path / "tpl")
    claim = tpl / "claim.html"
    lines = claim.read_text(encoding="utf-8").splitlines(keepends=True)
    at = next(i for i, line in enumerate(lines) if "url_for('claims')" in line)
    lines[at] = lines[at].replace("url_for('claims')", "'claimz/'")
    claim.write_text("".join(lines), encoding="utf-8")
    with pytest.raises(BuildFailed) as failed:
        build_site(BuildOptions(source=every_kind, templates=tpl, out=tmp_path / "out", search=False))
    errors = {(e.location.path.name, e.location.line, e.message) for e in failed.value.diagnostics.errors}
    message = "link to '/claimz/' leads nowhere: no page or file of the site has that address"
    assert errors == {("claim.html", at + 1, message)}  # the template's line, once


def test_url_for_names_every_kind_with_a_page() -> None:
    urls = KINDS.at("coffee/").urls
    assert urls.url_for("claims", "x") == "coffee/claims/x/"
    assert urls.url_for("claims") == "coffee/claims/"
    assert urls.url_for("sources", "x") == "coffee/sources/#src-x"
    assert urls.url_for("facts", "x") == "coffee/facts/#fact-x"
    assert urls.url_for("glossary", "x") == "coffee/glossary/#term-x"
    assert urls.url_for("verdicts") == "coffee/static/verdicts.css"
    assert urls.url_for("pages") == "coffee/" and urls.url_for("pages", "study") == "coffee/study/"
    with pytest.raises(LookupError, match=r"no kind 'claim' with a page; did you mean 'claims'\?"):
        urls.url_for("claim")


# --- schemas where there were none: study.yaml and figure items ---------------------------------

STUDY = """citation: trial
design:
  columns: ["Group", "Drink", "People"]
  rows:
    - {label: "Tea", values: ["Green tea", 20]}
results:
  columns: ["Measure", "Tea vs water"]
  rows:
    - {label: "Recall", values: ["+12%"]}
"""
BAR = """- id: chart
  kind: bar
  title: "T"
  caption: "C"
  description: "D"
  items:
    - {label: "Recall", value: 12}
"""

CASES = [
    Case(
        "study-value-mapping",
        {"data/study.yaml": STUDY.replace('["+12%"]', "[{a: 1}]")},
        (Expect("data/study.yaml", 9, r"each item of 'values' must be text or a number, not a mapping"),),
    ),
    Case(
        "study-value-list",
        {"data/study.yaml": STUDY.replace("20]", "[1, 2]]")},
        (Expect("data/study.yaml", 5, r"each item of 'values' must be text or a number, not a list"),),
    ),
    Case(
        "study-values-misspelt",
        {"data/study.yaml": STUDY.replace('values: ["+12%"]', 'valeus: ["+12%"]')},
        (Expect("data/study.yaml", 9, r"unknown key 'valeus' in each item of 'rows'; did you mean 'values'\?"),),
    ),
    Case(
        "study-unknown-citation",
        {"data/study.yaml": STUDY.replace("citation: trial", "citation: trail")},
        (Expect("data/study.yaml", 1, r"unknown source id 'trail'; did you mean 'trial'\?"),),
    ),
    Case(
        "study-unknown-key",
        {"data/study.yaml": STUDY + "desing: {}\n"},
        (Expect("data/study.yaml", 10, r"unknown key 'desing' in study.yaml; did you mean 'design'\?"),),
    ),
    Case(
        "study-columns-text",
        {"data/study.yaml": STUDY.replace('columns: ["Measure", "Tea vs water"]', "columns: x")},
        (Expect("data/study.yaml", 7, r"'columns' must be a list, not 'x'"),),
    ),
    Case(
        "study-not-a-mapping",
        {"data/study.yaml": "- 1\n- 2\n"},
        (Expect("data/study.yaml", 1, r"study.yaml must be a mapping"),),
    ),
    Case(
        "bar-value-text",
        {"data/figures.yaml": BAR.replace("value: 12", 'value: "abc"')},
        (Expect("data/figures.yaml", 7, r"'value' must be a number, not 'abc'"),),
    ),
    Case(
        "bar-value-misspelt",
        {"data/figures.yaml": BAR.replace("value: 12", "valeu: 12")},
        (Expect("data/figures.yaml", 7, r"unknown key 'valeu' in each item of 'items'; did you mean 'value'\?"),),
    ),
    Case(
        "bar-value-list",
        {"data/figures.yaml": BAR.replace("value: 12", "value: [1, 2]")},
        (Expect("data/figures.yaml", 7, r"'value' must be a number, not a list"),),
    ),
    Case(
        "ladder-unknown-source",
        {"data/figures.yaml": BAR.replace("kind: bar", "kind: ladder").replace("value: 12", "sources: [tria]")},
        (Expect("data/figures.yaml", 7, r"unknown source id 'tria'; did you mean 'trial'\?"),),
    ),
]


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_bad_study_or_figure_data_gets_one_located_error(case: Case, broken_build) -> None:  # noqa: F811
    run = broken_build(case.edits, case.template_edits, case.args)
    assert_errors(run, case.errors)
    assert_documented([e["msg"] for e in run.errors])


def test_good_study_and_figure_data_build(broken_build) -> None:  # noqa: F811
    run = broken_build({"data/study.yaml": STUDY, "data/figures.yaml": BAR})
    assert run.code == 0, run.err


# --- the worked example of docs/architecture.md: a program's own kind, defined here alone -------
# What a program adds to build an explainer with questions and answers: the kind (FAQS and its
# JSON-LD builder, below) and its page's template (FAQ_TEMPLATE, in the site's templates/).


def faq_page(config: Any, data: Any, page: dict[str, Any], faq: Any) -> dict[str, Any] | None:
    """schema.org's FAQPage, on the kind's own page (faq None): each question with its answer,
    the answer's Markdown without its citations."""
    if faq is not None:
        return None  # no page per question
    return {
        "@context": "https://schema.org",
        "@type": "FAQPage",
        "@id": f"{page['canonical']}#faq",
        "inLanguage": config.language,
        "mainEntity": [
            {
                "@type": "Question",
                "name": f.question,
                "acceptedAnswer": {"@type": "Answer", "text": re.sub(r"\s*\[@[^\]]*\]", "", str(f.answer))},
            }
            for f in data.faqs.values()
        ],
    }


FAQS = Kind(
    "faqs",
    "question",
    fields=(
        Field("id", is_id=True),
        Field("question"),
        Field("answer", markdown=True),
        Field("sources", list, required=False, ref="sources", default=()),
    ),
    pages=(GeneratedPage("faqs/", "faqs.html", "Questions and answers", "FAQ"),),
    anchor="faq-{id}",  # url_for("faqs", id): faqs/#faq-<id>, its place on the page
    reference="faq",  # [[faq:id]] in Markdown links there, with its title (the question) as the text
    item_title=lambda faq, marks: faq.question,
    structured_data=faq_page,
    doc="a list: questions readers ask, each with a short answer",
)
FAQ_TEMPLATE = """{% extends "base.html" %}
{% block main %}
<article class="page faqs" data-pagefind-body>
  <h1>{{ page.title }}</h1>
  {% for faq in data.faqs %}
  <section id="faq-{{ faq.id }}">
    <h2>{{ faq.question }}</h2>
    {{ md(faq.answer) }}
  </section>
  {% endfor %}
  {{ m.references(references()) }}
</article>
{% endblock %}
"""
FAQ_DATA = """- id: which-tea
  question: "Which tea did the trial use?"
  answer: "Green tea, brewed fresh each day [@trial]."
  sources: [trial]
"""
QUESTION = "Which tea did the trial use?"


@pytest.fixture
def faq_site(tmp_path: Path) -> Path:
    """The fixture site with a FAQ: its data file and, in the site's own templates/, its
    page's template (the theme is the built-in one, untouched)."""
    from conftest import FIXTURES

    src = shutil.copytree(FIXTURES / "tea", tmp_path / "src")
    (src / "templates").mkdir()
    (src / "templates" / "faqs.html").write_text(FAQ_TEMPLATE, encoding="utf-8")
    (src / "data" / "faqs.yaml").write_text(FAQ_DATA, encoding="utf-8")
    return src


WITH_FAQS = KINDS.with_kinds(FAQS)


def _options(src: Path, out: Path, preview: bool = False) -> BuildOptions:
    return BuildOptions(source=src, out=out, search=False, preview=preview, kinds=WITH_FAQS)


def _json_ld(html: str) -> list[dict[str, Any]]:
    import extruct

    return extruct.extract(html, syntaxes=["json-ld"], uniform=False)["json-ld"]


def _refer(src: Path, reference: str) -> tuple[int, int]:
    """A sentence with `reference` at the end of the fixture's evidence page: its line and column."""
    evidence = src / "pages" / "evidence.md"
    text = evidence.read_text(encoding="utf-8")
    evidence.write_text(f"{text}\nReaders ask: {reference}.\n", encoding="utf-8")
    return len(text.splitlines()) + 2, len("Readers ask: ") + 1


def test_worked_example_a_faq_page_from_one_registry_entry(faq_site: Path, tmp_path: Path) -> None:
    src = faq_site
    evidence = (src / "pages" / "evidence.md").read_text(encoding="utf-8")
    _refer(src, "[[faq:which-tea]]")
    build = build_site(_options(src, tmp_path / "out"))
    html = {f.path: f.content.decode() for f in build.rendered}
    assert WITH_FAQS.urls.url_for("faqs") == "faqs/"
    assert WITH_FAQS.urls.url_for("faqs", "which-tea") == "faqs/#faq-which-tea"
    faq = html[output_path(WITH_FAQS.urls.url_for("faqs"))]
    assert "<h1>Questions and answers</h1>" in faq and QUESTION in faq
    assert '<section id="faq-which-tea">' in faq  # the place url_for names
    assert 'href="#ref-trial"' in faq  # the answer's Markdown, citation and all
    assert 'href="faqs/"' in html["index.html"] and ">FAQ<" in html["index.html"]  # in the menu
    assert "faqs/" in build.files["sitemap.xml"].decode()
    # Its JSON-LD, from the kind's own builder: the page's main entity.
    items = _json_ld(faq)
    (web_page,) = [i for i in items if i["@type"] in ("WebPage", "MedicalWebPage")]
    (faq_ld,) = [i for i in items if i["@type"] == "FAQPage"]
    assert web_page["mainEntity"] == {"@id": faq_ld["@id"]} and faq_ld["@id"].endswith("/faqs/#faq")
    answer = {"@type": "Answer", "text": "Green tea, brewed fresh each day."}
    assert faq_ld["mainEntity"] == [{"@type": "Question", "name": QUESTION, "acceptedAnswer": answer}]
    assert not [i for i in _json_ld(html["index.html"]) if i["@type"] == "FAQPage"]  # its page's alone
    # [[faq:id]] in Markdown: a link to the question's place on the FAQ page, the question as its text.
    link = f'<a class="kind-ref kind-ref-faqs" href="../faqs/#faq-which-tea">{QUESTION}</a>'
    assert f"Readers ask: {link}." in html["evidence/index.html"]
    # That link is the theme's render hook, templates/render/kind-ref.html: the site's copy replaces it.
    own = src / "templates" / "render" / "kind-ref.html"
    own.parent.mkdir()
    own.write_text('<cite class="my-{{ word }}"><a href="{{ href }}">{{ entry.question }}</a> ({{ kind }})</cite>\n')
    mine = build_site(_options(src, tmp_path / "own")).files["evidence/index.html"].decode()
    assert f'Readers ask: <cite class="my-faq"><a href="../faqs/#faq-which-tea">{QUESTION}</a> (faqs)</cite>.' in mine
    assert 'class="kind-ref' not in mine
    own.unlink()
    # Without a faqs.yaml (nor the reference to it), no page and no menu entry.
    (src / "data" / "faqs.yaml").unlink()
    (src / "pages" / "evidence.md").write_text(evidence, encoding="utf-8")
    build = build_site(_options(src, tmp_path / "out2"))
    assert not any(f.path.startswith("faqs/") for f in build.rendered)
    assert ">FAQ<" not in build.files["index.html"].decode()


# The generator's code and theme (the theme's font licence mentions a FAQ of its own).
GENERATOR_FILES = (".py", ".html", ".css", ".js", ".yaml", ".csl", ".svg", ".md")


def test_worked_example_no_generator_module_names_the_kind() -> None:
    """The kind's declaration and its template are all of it: the generator has no word for it."""
    from conftest import ROOT

    files = [
        p for folder in ("explainer", "templates") for p in (ROOT / folder).rglob("*") if p.suffix in GENERATOR_FILES
    ]
    assert len(files) > 100
    assert [p for p in files if "faq" in p.read_text(encoding="utf-8").lower()] == []


@pytest.mark.parametrize(
    ("edit", "line", "message"),
    [
        (("question:", "questoin:"), 2, "unknown key 'questoin' in question; did you mean 'question'?"),
        # Unknown ids list the known ones when there are few (issue 12).
        (("[trial]", "[trail]"), 4, "unknown source id 'trail'; did you mean 'trial'? (known ids: trial, news)"),
        (("id: which-tea", "id: Which Tea"), 1, "id 'Which Tea' may use only a-z, 0-9 and single hyphens"),
    ],
)
def test_worked_example_bad_entries_are_located(faq_site: Path, tmp_path: Path, edit, line: int, message: str) -> None:
    src = faq_site
    (src / "data" / "faqs.yaml").write_text(FAQ_DATA.replace(*edit), encoding="utf-8")
    with pytest.raises(BuildFailed) as failed:
        build_site(_options(src, tmp_path / "out"))
    errors = failed.value.diagnostics.errors
    assert [(e.location.path.name, e.location.line, e.message) for e in errors] == [("faqs.yaml", line, message)]


def _located(problems: list[Any]) -> list[tuple[str, int, int, str]]:
    return [(p.location.path.name, p.location.line, p.location.col, p.message) for p in problems]


def test_worked_example_a_reference_to_a_place_the_page_lacks_is_located(faq_site: Path, tmp_path: Path) -> None:
    src = faq_site
    template = src / "templates" / "faqs.html"
    template.write_text(FAQ_TEMPLATE.replace('id="faq-{{ faq.id }}"', 'id="{{ faq.id }}"'), encoding="utf-8")
    line, col = _refer(src, "[[faq:which-tea]]")
    with pytest.raises(BuildFailed) as failed:
        build_site(_options(src, tmp_path / "out"))
    message = "link to '#faq-which-tea' on '/faqs/': no such anchor on that page; did you mean '#which-tea'?"
    assert _located(failed.value.diagnostics.errors) == [("evidence.md", line, col, message)]


def test_worked_example_a_kind_ref_hook_that_makes_broken_markup_is_located(faq_site: Path, tmp_path: Path) -> None:
    src = faq_site
    (src / "templates" / "render").mkdir()
    (src / "templates" / "render" / "kind-ref.html").write_text('<a href="{{ href }}">{{ title }}\n')
    line, col = _refer(src, "[[faq:which-tea]]")
    with pytest.raises(BuildFailed) as failed:
        build_site(_options(src, tmp_path / "out"))
    ((path, at_line, at_col, message),) = _located(failed.value.diagnostics.errors)
    assert (path, at_line, at_col) == ("evidence.md", line, col)
    assert message.startswith("the render hook render/kind-ref.html made markup that is not one well-formed element")
    assert_documented([message])


REFERENCES = "[[claim:id]], [[fact:id]], [[faq:id]], [[figure:id]] and [[block:name]]"


@pytest.mark.parametrize(
    ("reference", "message"),
    [
        ("[[faq:whihc-tea]]", "unknown question id 'whihc-tea'; did you mean 'which-tea'? (known ids: which-tea)"),
        ("[[faq:nope]]", "unknown question id 'nope' (known ids: which-tea)"),
        (
            "[[faqs:which-tea]]",
            "reference not in the form [[faq:id]]: [[faqs:which-tea]] would be shown as it is; "
            "write [[faq:which-tea]] (lower case, singular, no spaces)",
        ),
        (
            "[[faq which tea]]",
            "reference not in the form [[faq:id]]: [[faq which tea]] would be shown as it is; "
            "write [[faq:which-tea]] (lower case, singular, no spaces)",
        ),
        (
            "[[fag:which-tea]]",
            f"unknown kind of reference 'fag' in [[fag:which-tea]]; did you mean [[faq:which-tea]]? "
            f"(references are {REFERENCES})",
        ),
    ],
)
def test_worked_example_bad_references_are_located(faq_site: Path, tmp_path: Path, reference: str, message: str) -> None:  # noqa: E501
    src = faq_site
    line, col = _refer(src, reference)
    with pytest.raises(BuildFailed) as failed:
        build_site(_options(src, tmp_path / "out"))
    assert _located(failed.value.diagnostics.errors) == [("evidence.md", line, col, message)]


@pytest.mark.parametrize(
    ("reference", "at", "message"),  # at: where in `reference` the warning points
    [
        (
            "[faq:which-tea]",
            0,
            "[faq:which-tea] has single brackets, so readers see it as text: write [[faq:which-tea]]",
        ),
        (
            "[[faq:which-tea",
            0,
            "reference not closed, so readers would see it as text: [[faq:which-tea. has no ']]'; "
            "close it: [[faq:which-tea]]",
        ),
        (
            "[the tea, [[faq:which-tea]]](https://example.org/)",
            len("[the tea, "),
            "[[faq:which-tea]] is inside a link's text, but it is a link itself, and a link inside a link is "
            "broken: put [[faq:which-tea]] outside the link's [text]",
        ),
    ],
)
def test_worked_example_near_misses_are_located_warnings(
    faq_site: Path, tmp_path: Path, reference: str, at: int, message: str
) -> None:
    src = faq_site
    line, col = _refer(src, reference)
    build = build_site(_options(src, tmp_path / "out"))
    assert _located(build.diags.warnings) == [("evidence.md", line, col + at, message)]


def test_a_reference_word_is_declared_by_one_kind_with_a_place_per_entry() -> None:
    notes = {"name": "notes", "what": "note", "fields": (Field("id", is_id=True),)}
    taken = Kind(**notes, pages=FAQS.pages, anchor="n-{id}", reference="claim")
    with pytest.raises(ValueError, match=r"kinds 'claims' and 'notes' both declare the reference \[\[claim:id\]\]"):
        _ = KINDS.with_kinds(taken).references  # derived on first use
    with pytest.raises(ValueError, match=r"kind 'notes' declares \[\[note:id\]\], but its entries have no page nor"):
        _ = KINDS.with_kinds(Kind(**notes, reference="note")).references


def test_worked_example_preview_redoes_what_read_the_faqs(faq_site: Path, tmp_path: Path) -> None:
    from test_serve import tree

    src = faq_site
    _refer(src, "[[faq:which-tea]]")
    out = tmp_path / "preview"
    rebuilder = Rebuilder(_options(src, out, preview=True))
    assert rebuilder.full().ok
    faqs = src / "data" / "faqs.yaml"
    faqs.write_text(FAQ_DATA.replace("brewed fresh", "brewed"), encoding="utf-8")
    outcome = rebuilder.update([faqs])
    assert outcome.ok and not outcome.full, outcome.reason
    assert outcome.written == ["faqs/index.html"]  # the page that links to it shows the question alone
    faqs.write_text(FAQ_DATA.replace("Which tea", "What tea"), encoding="utf-8")
    outcome = rebuilder.update([faqs])
    assert outcome.ok and not outcome.full, outcome.reason
    assert outcome.written == ["evidence/index.html", "faqs/index.html"]  # [[faq:which-tea]]'s text
    want = tmp_path / "full"
    write_atomically(want, build_site(_options(src, want, preview=True)).files, {})
    for path in outcome.written:
        assert tree(out)[path] == tree(want)[path]
    assert "What tea did the trial use?</a>" in tree(out)["evidence/index.html"].decode()


# --- docs/content-model.md --------------------------------------------------------------------


def test_content_model_field_tables_are_the_registrys() -> None:
    """Every kind's fields table in docs/content-model.md is generated from the kinds'
    declarations; `python -m explainer.kinds.content_model` refreshes them (and adds a
    section for a new kind)."""
    from conftest import ROOT

    doc = (ROOT / content_model.CONTENT_MODEL).read_text(encoding="utf-8")
    for name in [*KINDS, "figure kinds"]:
        assert content_model.TABLE_START.format(name=name) in doc, f"no fields table for {name}"
    assert content_model.refresh_content_model(doc) == doc, "run: python -m explainer.kinds.content_model"
