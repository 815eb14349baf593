"""`new DIR`: a minimal working site (site.yaml, one page, one claim, one source, one
term) plus a copy of the templates, for an editor starting another explainer."""

from __future__ import annotations

import shutil
from pathlib import Path

from .errors import Location, SiteError

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"

FILES = {
    "site_src/site.yaml": """\
title: "My explainer"
description: "What one study really shows."
base_url: "https://example.org/my-explainer/"
language: en
publisher: {name: "The editors"}
last_reviewed: 2026-01-01
""",
    "site_src/pages/index.md": """\
---
title: My explainer
summary: What one study really shows.
order: 1
---
The news said something big [@news]. We checked the claim [[claim:big]].

A meta-analysis pools many studies; this one is a single study [@study].
""",
    "site_src/data/sources.yaml": """\
- id: study
  kind: human trial
  authors: "Author A, Author B"
  title: "The study's title"
  venue: "Journal name"
  year: 2026
  note: "The study the news story is about."
- id: news
  kind: news article
  authors: "A reporter"
  title: "The news story's headline"
  venue: "A news site"
  year: 2026
  note: "The story whose claims this site weighs."
""",
    "site_src/data/verdicts.yaml": """\
- id: supported
  label: Supported
  definition: "The evidence backs the claim as stated."
  color: "#1b5e20"
  color_dark: "#81c784"
  rating: 2
- id: overstated
  label: Overstated
  definition: "The evidence points the same way but is weaker than the claim."
  color: "#8e2a00"
  color_dark: "#ffab91"
  rating: 1
""",
    "site_src/data/claims.yaml": """\
- id: big
  quote: "The exact words of the claim"
  said_by: The news story
  verdict: overstated
  summary: "One plain sentence with the verdict."
  evidence: |
    What the study found [@study].
  sources: [study]
""",
    "site_src/data/limits.yaml": """\
- id: single
  title: "One study"
  explanation: "A single study can be wrong [@study]."
  sources: [study]
  weakens: [big]
""",
    "site_src/data/glossary.yaml": """\
- id: meta-analysis
  term: meta-analysis
  definition: "A study that pools the results of many studies."
""",
}


def scaffold(target: Path) -> None:
    if target.exists() and any(target.iterdir()):
        raise SiteError(Location(target), "folder exists and is not empty; choose a new folder")
    for rel, text in FILES.items():
        path = target / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    (target / "site_src" / "static").mkdir(exist_ok=True)
    shutil.copytree(TEMPLATES, target / "templates")
