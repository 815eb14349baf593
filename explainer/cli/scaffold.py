"""`new DIR`: a small complete explainer to start from (home, one page, two claims with
verdicts, sources, a limit, a glossary and one figure) on a made-up example topic. It
builds under `--strict` as it is. Content only: the theme stays the generator's own, so
the new site gets every fix to it; a site changes single templates in `site_src/templates/`.
"""

from __future__ import annotations

import shlex
from datetime import date
from pathlib import Path

from ..core.errors import Location, SiteError

SITE_YAML = """\
# The explainer's settings (every key: docs/content-model.md in the generator).
title: "Do bus lanes make buses faster?"
description: "An example explainer about a made-up study: replace it with your own."
base_url: "https://example.org/my-explainer/"
language: en          # en or fr: the language of the menu, dates and other interface text
publisher: {{name: "The editors"}}
last_reviewed: {today}
about: [bus lanes]
claims_source: news   # the source whose claims the site weighs
# A line at the foot of every page, if your topic needs one:
# disclaimer: {{lead: "Not advice.", text: "This site explains research."}}
"""

FILES = {
    "pages/index.md": """\
---
title: Do bus lanes make buses faster?
summary: What a made-up study of one bus lane shows, claim by claim.
order: 1
---
**This is an example explainer.** Every study, number and claim on it is made up, to
show how the pieces fit. Replace them with your own.

A news story said the new bus lane on Main Street made buses twice as fast [@news]. The
city's own study measured bus journey times before and after the lane opened [@study]. We checked the
story's claims against it: [[claim:twice-as-fast]] is the headline.

[[block:claims-at-a-glance]]

[What the study measured](study.md) explains the study and its limits.

## The verdicts we use

[[block:verdict-scale]]
""",
    "pages/study.md": """\
---
title: What the study measured
summary: How the made-up study timed buses, what it found, and what it cannot tell us.
order: 2
---
The study timed buses on Main Street, which got a bus lane, and on Park Road, which did
not, before and after the lane opened [@study]. Comparing the two roads shows what changed
with the lane rather than with the season or the traffic.

[[figure:journey-times]]

Buses on Main Street got faster and kept better to their timetable: their
punctuality rose [@study]. The change on Park Road was small. See [[claim:twice-as-fast]]
for how this compares with the news story.

## What it cannot tell us

[[block:limits]]
""",
    "data/sources.yaml": """\
# Every source the site cites: [@id] in the text. kind: what sort of source it is.
# Kept in Zotero? Export a sources.bib beside this file: then only kind and note go here.
- id: study
  kind: report
  authors: [{institution: "Example City Transport Office"}]
  title: "Bus journey times before and after the Main Street bus lane (an example)"
  venue: "Example City"
  year: 2026
  note: "A made-up study, for the example. Replace it with the study your explainer is about."
- id: news
  kind: news article
  authors: "A Reporter"
  title: "New bus lane makes buses twice as fast (an example)"
  venue: "The Example Times"
  year: 2026
  note: "A made-up news story whose claims the example weighs."
""",
    "data/verdicts.yaml": """\
# The verdict scale: each claim gets one. Colours: light and dark themes, with enough contrast.
- id: supported
  label: Supported
  definition: "The evidence backs the claim as stated."
  color: "#1b5e20"
  color_dark: "#81c784"
  rating: 2
- id: overstated
  label: Overstated
  definition: "The evidence points the same way but says less than the claim."
  color: "#8e2a00"
  color_dark: "#ffab91"
  rating: 1
""",
    "data/claims.yaml": """\
# The claims the site weighs: each gets its own page at claims/<id>/.
- id: twice-as-fast
  quote: "The new bus lane made buses twice as fast"
  said_by: The news story
  verdict: overstated
  summary: "Buses got faster on Main Street, but nowhere near twice as fast."
  evidence: |
    The study found shorter journey times on Main Street after the lane opened, and
    little change on Park Road, which has no lane [@study]. That is a real gain, but
    far from halving the journey.
  limits: [one-street]
  sources: [study, news]
- id: on-time
  quote: "Buses on Main Street now keep to their timetable"
  said_by: The news story
  verdict: supported
  summary: "The study found better punctuality on Main Street after the lane opened."
  evidence: |
    More Main Street buses arrived on time after the lane opened [@study].
  sources: [study]
""",
    "data/limits.yaml": """\
# What weakens the claims: shown on the claims' pages and with [[block:limits]].
- id: one-street
  title: "One street, one year"
  explanation: >
    The study timed one street with a lane and one without, for one year [@study].
    Other streets may differ.
  sources: [study]
  weakens: [twice-as-fast]
""",
    "data/glossary.yaml": """\
# Terms explained where they first appear on each page, and on the glossary page.
- id: punctuality
  term: punctuality
  definition: "How closely buses keep to their timetable."
- id: journey-time
  term: journey time
  aliases: [journey times]
  definition: "How long a bus takes from the first stop of a route to the last."
""",
    "data/figures.yaml": """\
# Figures drawn from data, placed with [[figure:id]] alone on a line.
- id: journey-times
  kind: bar
  title: "Change in bus journey times after the lane opened (example data)"
  caption: "Made-up example data: replace it with your study's numbers."
  description: >
    Bar chart. Journey times fell by 20% on Main Street, which got a bus lane, and by 2%
    on Park Road, which did not.
  unit: "%"
  axis: "Change in journey time (%)"
  change: true   # the values are changes: printed with their sign
  items:
    - {label: "Main Street (bus lane)", value: -20}
    - {label: "Park Road (no lane)", value: -2}
""",
}


def scaffold(target: Path) -> None:
    """Write the example explainer into target/site_src."""
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise SiteError(Location(target), "folder exists and is not empty; choose a new folder")
    files = {"site.yaml": SITE_YAML.format(today=date.today().isoformat()), **FILES}
    _write(target / "site_src", files, target, "create the new explainer", folders=("static",))


SERIES_YAML = """\
# The series' settings: the whole site's (every key: docs/editing.md, "Run a series").
# Each explainer in explainers/<slug>/ has its own explainer.yaml, and takes the rest from here.
title: "Our explainers"
description: "Explainers that weigh news claims against the evidence, one story at a time."
base_url: "https://example.org/explainers/"
language: en
publisher: {{name: "The editors"}}
last_reviewed: {today}
"""

EXPLAINER_YAML = """\
# This explainer's settings; every other key comes from the series' site.yaml.
title: "Do bus lanes make buses faster?"
description: "An example explainer about a made-up study: replace it with your own."
last_reviewed: {today}
published: {today}
question: "Do bus lanes make buses faster?"
bottom_line: "In the made-up example study, yes, but far less than the news said."
tags: [transport]     # topic pages: /topics/<tag>/
about: [bus lanes]
claims_source: news   # the source whose claims the explainer weighs
"""


def scaffold_explainer(source: Path, slug: str, program: str) -> str:
    """Add the example explainer to the series in source, at source/explainers/<slug>/
    (a series is started there when source does not exist); returns what to do next."""
    from ..load.series import EXPLAINERS, slug_problem

    problem = slug_problem(slug)
    if problem is not None:
        raise SiteError(Location(Path(slug)), f"'{slug}' cannot be an explainer's address: {problem}")
    today = date.today().isoformat()
    files: dict[str, str] = {}
    if not source.exists():
        files = {"site.yaml": SERIES_YAML.format(today=today), "data/verdicts.yaml": FILES["data/verdicts.yaml"]}
    elif not (source / "site.yaml").is_file():
        raise SiteError(Location(source / "site.yaml"), "no site.yaml here: --source names the series' folder")
    elif not (source / EXPLAINERS).is_dir() and (source / "pages").is_dir():
        raise SiteError(
            Location(source),
            "this site is one explainer (pages/ and data/ at its top): to make it a series, move its pages/ and"
            f" data/ into {EXPLAINERS}/<slug>/, rename its site.yaml there explainer.yaml with only its own keys, and"
            " write a site.yaml for the series (docs/editing.md, 'Run a series'); then add explainers",
        )
    folder = source / EXPLAINERS / slug
    if folder.exists():
        raise SiteError(Location(folder), f"{EXPLAINERS}/{slug} exists: choose another SLUG")
    shared_verdicts = "data/verdicts.yaml" in files or (source / "data" / "verdicts.yaml").is_file()
    files[f"{EXPLAINERS}/{slug}/explainer.yaml"] = EXPLAINER_YAML.format(today=today)
    for rel, text in FILES.items():
        if not (rel == "data/verdicts.yaml" and shared_verdicts):  # the series' scale serves
            files[f"{EXPLAINERS}/{slug}/{rel}"] = text
    _write(source, files, source, "add the explainer")
    return f"""\
Added the example explainer {folder}, at /{slug}/ of the site: an example about bus lanes.
Next steps:
  {program} build --source {shlex.quote(str(source))} --strict
Edit {folder}/: explainer.yaml, pages/*.md and data/*.yaml. Entries shared by every explainer
(sources, glossary terms, verdicts) go in {source / "data"}/. See "Run a series" in docs/editing.md."""


def _write(root: Path, files: dict[str, str], where: Path, what: str, folders: tuple[str, ...] = ()) -> None:
    """Write every file (and make every folder) under root, or none: on a failure, remove
    what this run wrote; the error, at where, says it could not `what`."""
    written: list[Path] = []
    try:
        for rel, text in files.items():
            path = root / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            with path.open("x", encoding="utf-8") as out:  # never over a file the editor has
                out.write(text)
            written.append(path)
        for folder in folders:
            (root / folder).mkdir()
    except OSError as exc:
        for path in written:  # only what this run wrote
            path.unlink(missing_ok=True)
        place = f" ({exc.filename})" if exc.filename else ""
        raise SiteError(
            Location(where), f"cannot {what} here: {exc.strerror or exc}{place}; choose a folder you can write to"
        ) from None


def next_steps(target: Path, program: str) -> str:
    """What `new` prints: commands that work exactly as shown."""
    return f"""\
Created a new explainer in {target}: an example about bus lanes, to replace with yours.
Next steps:
  cd {shlex.quote(str(target))}
  {program} serve             # preview at http://127.0.0.1:8000/, updated as you save
  {program} build --strict    # the site to publish, in _site/
Edit site_src/: pages/*.md for the pages, data/*.yaml for claims, sources, glossary and
figures. "Start a new explainer" in the generator's docs/editing.md walks through it."""
