"""The registry of data kinds (explainer/registry.py): what is derived from it, and the
schemas it gives data that had none (study.yaml, figure items).

Bad data cases run whole builds through the command line (the fixture of test_errors) and
assert the exact set of located errors: never a traceback, never a cascade.
"""

from __future__ import annotations

import pytest
from test_errors import Case, Expect, assert_documented, assert_errors, broken_build  # noqa: F401 - fixture

from explainer import registry
from explainer.content import RESERVED_SLUGS
from explainer.registry import KINDS, depends_on, load_order

# --- what is derived -------------------------------------------------------------------------


def test_load_order_puts_what_is_referred_to_first() -> None:
    order = [k.name for k in load_order()]
    assert sorted(order) == sorted(KINDS)
    for kind in load_order():
        for f in kind.fields:
            if f.ref and not f.mirror:
                assert order.index(f.ref) < order.index(kind.name), (kind.name, f.name)


def test_dependency_map_follows_the_references() -> None:
    deps = depends_on()
    # The links data.py makes: a claim holds its verdict, limits and sources; a limit its
    # sources and claims; a theory its sources; the study names its paper.
    assert deps["claims"] == {"verdicts", "limits", "sources"}
    assert deps["limits"] == {"claims", "sources"}
    assert deps["theories"] == {"sources"}
    assert deps["study"] == {"sources"}
    assert deps["figures"] == set(KINDS) - {"figures"}  # a figure may read any file


def test_reserved_urls_are_the_generated_ones() -> None:
    assert {"claims", "sources", "glossary", "404", "static", "pagefind", "sitemap.xml", "robots.txt"} == RESERVED_SLUGS


def test_generated_pages_and_menu_in_order() -> None:
    urls = [p.url for _, p in registry.generated_pages()]
    assert urls == ["claims/{id}/", "static/verdicts.css", "claims/", "glossary/", "sources/"]
    # Labels are keys of the interface strings (templates/strings/<language>.yaml).
    assert [p.menu for _, p in registry.menu_pages()] == ["nav_claims", "nav_glossary", "nav_sources"]


def test_one_url_prefix_moves_every_generated_url(monkeypatch: pytest.MonkeyPatch) -> None:
    from explainer.content import Page
    from explainer.errors import Location
    from explainer.registry import Claim

    monkeypatch.setattr(registry, "URL_PREFIX", "coffee/")
    claim = Claim("x", "q", "s", None, "s", None, [], [], Location("c.yaml"))  # type: ignore[arg-type]
    page = Page(source=Location("p.md").path, slug="study", title="t", body="", body_line=1)
    assert claim.url == "coffee/claims/x/"
    assert page.url == "coffee/study/" and page.output_path == "coffee/study/index.html"


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
    Case("study-value-mapping", {"data/study.yaml": STUDY.replace('["+12%"]', "[{a: 1}]")},
         (Expect("data/study.yaml", 9, r"each item of 'values' must be text or a number, not a mapping"),)),
    Case("study-value-list", {"data/study.yaml": STUDY.replace("20]", "[1, 2]]")},
         (Expect("data/study.yaml", 5, r"each item of 'values' must be text or a number, not a list"),)),
    Case("study-values-misspelt", {"data/study.yaml": STUDY.replace('values: ["+12%"]', 'valeus: ["+12%"]')},
         (Expect("data/study.yaml", 9, r"unknown key 'valeus' in each item of 'rows'; did you mean 'values'\?"),)),
    Case("study-unknown-citation", {"data/study.yaml": STUDY.replace("citation: trial", "citation: trail")},
         (Expect("data/study.yaml", 1, r"unknown source id 'trail'; did you mean 'trial'\?"),)),
    Case("study-unknown-key", {"data/study.yaml": STUDY + "desing: {}\n"},
         (Expect("data/study.yaml", 10, r"unknown key 'desing' in study.yaml; did you mean 'design'\?"),)),
    Case("study-columns-text", {"data/study.yaml": STUDY.replace('columns: ["Measure", "Tea vs water"]', "columns: x")},
         (Expect("data/study.yaml", 7, r"'columns' must be a list, not 'x'"),)),
    Case("study-not-a-mapping", {"data/study.yaml": "- 1\n- 2\n"},
         (Expect("data/study.yaml", 1, r"study.yaml must be a mapping"),)),
    Case("bar-value-text", {"data/figures.yaml": BAR.replace("value: 12", 'value: "abc"')},
         (Expect("data/figures.yaml", 7, r"'value' must be a number, not 'abc'"),)),
    Case("bar-value-misspelt", {"data/figures.yaml": BAR.replace("value: 12", "valeu: 12")},
         (Expect("data/figures.yaml", 7, r"unknown key 'valeu' in each item of 'items'; did you mean 'value'\?"),)),
    Case("bar-value-list", {"data/figures.yaml": BAR.replace("value: 12", "value: [1, 2]")},
         (Expect("data/figures.yaml", 7, r"'value' must be a number, not a list"),)),
    Case("ladder-unknown-source",
         {"data/figures.yaml": BAR.replace("kind: bar", "kind: ladder").replace("value: 12", "sources: [tria]")},
         (Expect("data/figures.yaml", 7, r"unknown source id 'tria'; did you mean 'trial'\?"),)),
]


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_bad_study_or_figure_data_gets_one_located_error(case: Case, broken_build) -> None:  # noqa: F811
    run = broken_build(case.edits, case.template_edits, case.args)
    assert_errors(run, case.errors)
    assert_documented([e["msg"] for e in run.errors])


def test_good_study_and_figure_data_build(broken_build) -> None:  # noqa: F811
    run = broken_build({"data/study.yaml": STUDY, "data/figures.yaml": BAR})
    assert run.code == 0, run.err
