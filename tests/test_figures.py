"""Figures and the study tables: every kind's items and study.yaml are checked against their
schemas (a located error for each bad value, never a traceback), and what a figure says
(units, axis, reference line, the start and unit of time, table columns) comes from the
site's data, not from the theme.

The fixture is the tea site plus figures of every kind and a study.yaml of its own (a
two-group design of people, a hazard ratio), written here so the other tests' fixture
stays as it is.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import FIXTURES, TEMPLATES, soup
from test_errors import Case, Edit, Expect, Run, apply, assert_documented, assert_errors

from explainer.cli.main import main

FIGURES_YAML = """\
- id: effects
  kind: bar
  title: "Changes after twelve cups"
  caption: "Made-up changes, for tests."
  description: "Recall rose by 12%; sleep fell by 5%."
  unit: "%"
  axis: "Change (%)"
  change: true
  items:
    - {label: "Word recall", group: "Tea vs water", value: 12, series: "Memory"}
    - {label: "Sleep", group: "Tea vs water", value: -5, series: "Sleep"}
- id: risk
  kind: bar
  title: "Risk of forgetting"
  caption: "A made-up hazard ratio."
  description: "Hazard ratio 0.88 (0.80 to 0.97)."
  reference: 1
  axis: "Hazard ratio"
  table: study.results
  items:
    - {label: "Forgetting", group: "Three cups a day vs none", value: 0.88, low: 0.8, high: 0.97}
- id: plan
  kind: timeline
  title: "The trial's plan"
  caption: "From enrolment to the last test."
  description: "Enrolment, then tea for two years, then a test."
  start: "Enrolment"
  when: "Year {at}"
  items:
    - {from: 0, to: 2, label: "Tea or water every day"}
    - {at: 2, label: "Memory test"}
- id: steps
  kind: pathways
  title: "How tea might help"
  caption: "One idea."
  description: "Tea is drunk; catechins reach the brain."
  items:
    - {name: "Catechins", steps: ["Tea is drunk", {text: "Catechins reach the brain", status: inferred}]}
- id: rungs
  kind: ladder
  title: "Where the evidence sits"
  caption: "Trials sit high."
  description: "One rung: the trial."
  items:
    - {label: "Trials", sources: [trial]}
"""
STUDY_YAML = """\
citation: trial
design:
  caption: "The two groups"
  columns: ["Group", "Drink", "People"]
  rows:
    - {label: "Tea", values: ["Green tea", 229119]}
    - {label: "Water", values: ["Water", 118]}
results:
  columns: ["Measure", "Tea vs water"]
  rows:
    - {label: "Recall", values: ["+12%"]}
"""
PAGE = """\
---
title: Figures
order: 3
---
## All of them

[[figure:effects]]

[[figure:risk]]

[[figure:plan]]

[[figure:steps]]

[[figure:rungs]]

[[block:study-design]]

[[block:study-results]]
"""


def with_figures(root: Path) -> None:
    (root / "data" / "figures.yaml").write_text(FIGURES_YAML, encoding="utf-8")
    (root / "data" / "study.yaml").write_text(STUDY_YAML, encoding="utf-8")
    (root / "pages" / "figures.md").write_text(PAGE, encoding="utf-8")


def line_of(text: str, snippet: str) -> int:
    return text[: text.index(snippet)].count("\n") + 1


@pytest.fixture
def figure_build(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]):
    """The fixture site with every figure kind and a study.yaml, edited, then built."""

    def run(edits: dict[str, Edit]) -> Run:
        from test_errors import LINE_RE

        shutil.copytree(FIXTURES / "tea", tmp_path / "src")
        with_figures(tmp_path / "src")
        apply(tmp_path / "src", edits)
        monkeypatch.chdir(tmp_path)
        capsys.readouterr()
        code = main(["build", "--source", "src", "--templates", str(TEMPLATES), "--out", "out", "--no-search"])
        err = capsys.readouterr().err
        lines = [m.groupdict() for line in err.splitlines() if (m := LINE_RE.match(line))]
        return Run(code, lines, err)

    return run


def fig(old: str, new: str) -> dict[str, Edit]:
    return {"data/figures.yaml": (old, new)}


def study(old: str, new: str) -> dict[str, Edit]:
    return {"data/study.yaml": (old, new)}


F, S = "data/figures.yaml", "data/study.yaml"
EFFECTS = line_of(FIGURES_YAML, '{label: "Word recall"')
RISK_ITEM = line_of(FIGURES_YAML, '{label: "Forgetting"')
PLAN_FROM = line_of(FIGURES_YAML, "{from: 0")
RISK_ITEMS = FIGURES_YAML[FIGURES_YAML.index('  items:\n    - {label: "Forgetting"') :].split("\n- id")[0].rstrip("\n")
CASES = [
    Case(
        "bar-value-text",
        fig("value: 12,", 'value: "abc",'),
        (Expect(F, EFFECTS, r"'value' must be a number, not 'abc'"),),
    ),
    Case(
        "bar-value-list",
        fig("value: 12,", "value: [1, 2],"),
        (Expect(F, EFFECTS, r"'value' must be a number, not a list"),),
    ),
    Case("bar-value-nan", fig("value: 12,", "value: .nan,"), (Expect(F, EFFECTS, r"'value' must be a number"),)),
    Case(
        "bar-value-misspelt",
        fig("value: 12,", "valeu: 12,"),
        (Expect(F, EFFECTS, r"unknown key 'valeu' in each item of 'items'; did you mean 'value'\?"),),
    ),
    Case(
        "bar-value-missing",
        fig(" value: 12,", ""),
        (Expect(F, EFFECTS, r"each item of 'items' is missing required key 'value'"),),
    ),
    Case(
        "bar-value-huge", fig("value: 12,", "value: 1.0e+300,"), (Expect(F, EFFECTS, r"a number of .*in quotes"),)
    ),
    Case(
        "bar-too-many-series",
        {
            "data/figures.yaml": (
                '  items:\n    - {label: "Word recall"',
                "  items:\n"
                + "".join(f"    - {{label: x, value: 1, series: s{i}}}\n" for i in range(7))
                + '    - {label: "Word recall"',
            )
        },
        (Expect(F, EFFECTS + 6, r"a chart tells at most 6 series apart by colour"),),
    ),
    Case(
        "bar-table-not-found",
        fig("table: study.results", "table: study.result"),
        (
            Expect(
                F,
                line_of(FIGURES_YAML, "reference: 1") + 2,
                r"figure data 'study.result' not found: no 'result'; did you mean 'results'\?",
            ),
        ),
    ),
    Case(
        "bar-table-not-a-table",
        fig("table: study.results", "table: study.citation"),
        (Expect(F, line_of(FIGURES_YAML, "reference: 1") + 2, r"the table 'study.citation' must be a mapping"),),
    ),
    Case(
        "bar-series-partial",
        fig(', series: "Sleep"', ""),
        (Expect(F, EFFECTS + 1, r"give every bar a 'series', or none"),),
    ),
    Case(
        "bar-interval-half",
        fig(", high: 0.97", ""),
        (Expect(F, RISK_ITEM, r"an interval needs both 'low' and 'high'"),),
    ),
    Case(
        "bar-interval-outside",
        fig("low: 0.8", "low: 0.9"),
        (Expect(F, RISK_ITEM, r"the interval must hold the value"),),
    ),
    Case(
        "bar-items-not-a-list",
        fig(RISK_ITEMS, "  data: study.design"),
        (Expect(F, RISK_ITEM - 1, r"figure data 'study.design' must be a list of items, not a mapping"),),
    ),
    Case(
        "bar-items-empty",
        fig(RISK_ITEMS, "  items: []"),
        (Expect(F, RISK_ITEM - 1, r"a bar figure needs at least one item"),),
    ),
    Case(
        "option-of-another-kind",
        fig('  start: "Enrolment"', '  start: "Enrolment"\n  reference: 1'),
        (
            Expect(
                F,
                PLAN_FROM - 2,
                r"'reference' is not a field of a timeline figure; its own fields are: start, when, axis",
            ),
        ),
    ),
    Case(
        "option-wrong-type",
        fig("reference: 1", "reference: one"),
        (Expect(F, line_of(FIGURES_YAML, "reference: 1"), r"'reference' must be a number, not 'one'"),),
    ),
    Case(
        "timeline-when-without-at",
        fig('when: "Year {at}"', 'when: "Year"'),
        (Expect(F, PLAN_FROM - 2, r"'when' must contain \{at\}"),),
    ),
    Case(
        "timeline-at-and-from",
        fig("{from: 0, to: 2,", "{at: 1, from: 0, to: 2,"),
        (Expect(F, PLAN_FROM, r"a timeline item has 'at' \(a moment\) or 'from' and 'to', not both"),),
    ),
    Case(
        "timeline-no-time",
        fig("{at: 2, label", "{label"),
        (Expect(F, PLAN_FROM + 1, r"a timeline item needs 'at' \(a moment\) or both 'from' and 'to'"),),
    ),
    Case(
        "timeline-backwards",
        fig("{from: 0, to: 2,", "{from: 3, to: 2,"),
        (Expect(F, PLAN_FROM, r"'to' \(2\) must come after 'from' \(3\)"),),
    ),
    Case(
        "timeline-week-key",
        fig("{at: 2, label", "{week: 2, label"),
        (Expect(F, PLAN_FROM + 1, r"unknown key 'week' in each item of 'items'"),),
    ),
    Case(
        "pathways-step-not-text",
        fig('"Tea is drunk"', "42"),
        (Expect(F, line_of(FIGURES_YAML, '{name: "Catechins"'), r"each step must be text or \{text: ..., status"),),
    ),
    Case(
        "pathways-step-status-unknown",
        fig("status: inferred", "status: guessed"),
        (
            Expect(
                F, line_of(FIGURES_YAML, '{name: "Catechins"'), r"'status' must be one of: measured, inferred, known"
            ),
        ),
    ),
    Case(
        "pathways-step-without-text",
        fig('{text: "Catechins reach the brain", status: inferred}', "{status: inferred}"),
        (Expect(F, line_of(FIGURES_YAML, '{name: "Catechins"'), r"a step is missing required key 'text'"),),
    ),
    Case(
        "ladder-unknown-source",
        fig("sources: [trial]", "sources: [trail]"),
        (Expect(F, line_of(FIGURES_YAML, "sources: [trial]"), r"unknown source id 'trail'; did you mean 'trial'\?"),),
    ),
    Case(
        "study-row-too-short",
        study('values: ["Water", 118]', 'values: ["Water"]'),
        (Expect(S, 7, r"this row has 1 value\(s\) for 2 column\(s\) after the first"),),
    ),
    Case(
        "study-misspelt-key",
        study("design:", "desing:"),
        (Expect(S, 2, r"unknown key 'desing' in study.yaml; did you mean 'design'\?"),),
    ),
    Case(
        "study-unknown-citation",
        study("citation: trial", "citation: trail"),
        (Expect(S, 1, r"unknown source id 'trail'"),),
    ),
    Case(
        "study-columns-not-list",
        study('columns: ["Measure", "Tea vs water"]', "columns: Measure"),
        (Expect(S, 9, r"'columns' must be a list"),),
    ),
    Case(
        "study-design-not-mapping",
        study('design:\n  caption: "The two groups"', 'design: []\nx:\n  caption: "The two groups"'),
        (
            Expect(S, 2, r"'design' must be a mapping, not a list"),
            Expect(S, 3, r"unknown key 'x' in study.yaml"),
        ),
    ),
    Case(
        "study-value-a-mapping",
        study('values: ["+12%"]', "values: [{a: 1}]"),
        (Expect(S, 11, r"each item of 'values' must be text or a number, not a mapping"),),
    ),
    Case(
        "study-label-missing",
        study('{label: "Recall", ', "{"),
        (Expect(S, 11, r"each item of 'rows' is missing required key 'label'"),),
    ),
]


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_bad_figure_or_study_data_is_one_located_error(case: Case, figure_build: Callable[..., Run]) -> None:
    run = figure_build(case.edits)
    assert_errors(run, case.errors)
    assert_documented([e["msg"] for e in run.errors])


def test_every_figure_kind_and_study_table_builds(figure_build: Callable[..., Run]) -> None:
    run = figure_build({})
    assert run.code == 0, run.err
    page = soup(Path("out") / "figures" / "index.html")
    text = page.get_text(" ")
    # The design table says what the data says: two groups of people, not "four groups" of mice.
    design = page.select_one("table.study-design")
    assert design.select_one("caption").get_text() == "The two groups"
    assert [th.get_text() for th in design.select("thead th")] == ["Group", "Drink", "People"]
    assert "229,119" in design.get_text() and "mice" not in text.lower()  # as English writes it
    # A hazard ratio: bars start at the reference line 1, values print plain, the axis is the data's.
    risk = page.select_one("#fig-risk svg")
    assert risk.select_one("text.axis-title").get_text() == "Hazard ratio"
    assert "0.88" in [t.get_text() for t in risk.select("text.value")]
    ticks = [t.get_text() for t in risk.select("text.tick") if "axis-title" not in t.get("class", [])]
    assert "1" in ticks and all(re.fullmatch(r"\u2212?[\d.]+", t) for t in ticks), ticks
    # A change (change: true): signed, with its unit.
    effects = [t.get_text() for t in page.select("#fig-effects svg.fig-narrow text.value")]
    assert effects == ["+12%", "\u22125%"]
    # Time from the data: its start and how a time is written.
    plan = page.select_one("#fig-plan svg").get_text(" ")
    assert "Enrolment" in plan and "Year 2" in plan
    assert "Birth" not in text and "Week" not in text


def test_a_timeline_without_start_begins_at_its_first_item(figure_build: Callable[..., Run]) -> None:
    run = figure_build(fig('  start: "Enrolment"\n', ""))
    assert run.code == 0, run.err
    plan = soup(Path("out") / "figures" / "index.html").select_one("#fig-plan svg")
    drawn = " ".join(t.get_text() for t in plan.select("text"))
    assert "Enrolment" not in drawn and plan.select_one(".marker-start") is None


def test_charts_are_titled_coloured_by_series_and_drawn_narrow_and_wide(figure_build: Callable[..., Run]) -> None:
    assert figure_build({}).code == 0
    page = soup(Path("out") / "figures" / "index.html")
    effects = page.select_one("#fig-effects")
    assert effects.select_one(".fig-title").get_text() == "Changes after twelve cups"
    # The legend names the series, in data order, each with its colour; bars carry the same colour.
    legend = [(li.get_text(), li.select_one(".key")["class"][-1]) for li in effects.select(".fig-legend li")]
    assert legend == [("Memory", "series-1"), ("Sleep", "series-2")]
    narrow, wide = effects.select("svg.fig-narrow"), effects.select("svg.fig-wide")
    assert len(narrow) == len(wide) == 1
    assert narrow[0]["viewBox"].split()[2] == "340" and wide[0]["viewBox"].split()[2] == "680"
    for svg in (narrow[0], wide[0]):
        assert [r["class"][-1] for r in svg.select("rect.bar")] == ["series-1", "series-2"]
        # Data order: the first item's measure is the first heading.
        assert svg.select("text.heading")[0].get_text() == "Word recall"
    # Each drawing names itself by the figure's title and description (distinct ids).
    ids = [el["id"] for el in effects.select("svg title, svg desc")]
    assert len(ids) == len(set(ids)) == 4
    # Without series, bars are coloured by direction from the reference, with a legend.
    risk = page.select_one("#fig-risk")
    assert [r["class"][-1] for r in risk.select("svg.fig-narrow rect.bar")] == ["bar-neg"]
    assert len(risk.select(".fig-legend li")) == 2
    assert risk.select_one("svg.fig-narrow path.interval") is not None
    # `table:` shows a table of the data as the chart's numbers.
    assert [th.get_text() for th in risk.select(".fig-data thead th")] == ["Measure", "Tea vs water"]


def test_a_timeline_draws_stretches_as_bands_to_scale(figure_build: Callable[..., Run]) -> None:
    assert figure_build({}).code == 0
    plan = soup(Path("out") / "figures" / "index.html").select_one("#fig-plan")
    for variant in ("narrow", "wide"):
        svg = plan.select_one(f"svg.fig-{variant}")
        assert len(svg.select("rect.span")) == 1 and len(svg.select("circle.marker:not(.marker-start)")) == 1
        assert [t.get_text() for t in svg.select("text.when")] == ["Enrolment", "Year 2"]
    # Wide: time runs to the right; the band spans from the start (0) to year 2, like the axis.
    wide = plan.select_one("svg.fig-wide")
    axis = wide.select_one("line.time-line")
    band = wide.select_one("rect.span")
    assert float(band["x"]) == pytest.approx(float(axis["x1"]), abs=0.2)
    assert float(band["x"]) + float(band["width"]) == pytest.approx(float(axis["x2"]), abs=0.2)


def test_pathway_steps_are_marked_measured_or_inferred_in_words_and_style(figure_build: Callable[..., Run]) -> None:
    assert figure_build({}).code == 0
    steps = soup(Path("out") / "figures" / "index.html").select_one("#fig-steps")
    assert [li.get_text() for li in steps.select(".fig-legend li")] == ["Inferred, not measured"]
    boxes = steps.select("rect.step-box")
    assert "step-inferred" in boxes[1]["class"] and not any(c.startswith("step-i") for c in boxes[0]["class"])
    assert [t.get_text() for t in steps.select("text.step-tag")] == ["Inferred, not measured"]
    assert "Catechins reach the brain. (Inferred, not measured)" in steps.select_one("desc").get_text()


def test_every_figure_is_titled_and_a_ladder_says_its_ends_from_data(figure_build: Callable[..., Run]) -> None:
    assert figure_build(fig("  kind: ladder\n", '  kind: ladder\n  top: "Best for drinkers"\n')).code == 0
    page = soup(Path("out") / "figures" / "index.html")
    for figure in page.select("figure.fig"):
        assert figure.select_one(".fig-title").get_text().strip(), figure["id"]
    ticks = [t.get_text() for t in page.select("#fig-rungs svg.fig-narrow text.tick")]
    assert ticks == ["Best for drinkers", "Weaker evidence"]  # the data's words, else the theme's
    assert "people" not in page.select_one("#fig-rungs").get_text()


def test_values_print_exactly_as_the_data_has_them(figure_build: Callable[..., Run]) -> None:
    """Never rounded or in e-notation: a cohort of 229119 is 229,119, a ratio 0.885 is 0.885."""
    assert figure_build(fig("value: 12,", "value: 1234567,")).code == 0
    page = soup(Path("out") / "figures" / "index.html")
    assert "+1,234,567%" in [t.get_text() for t in page.select("#fig-effects svg.fig-narrow text.value")]
    assert "1,234,567" in page.select_one("#fig-effects .fig-data").get_text()
