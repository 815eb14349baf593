"""A deterministic synthetic corpus of N Markdown pages, in three flavours from the same text.

- ours:    site_src/site.yaml, site_src/pages/index.md, site_src/pages/section-K/page-N.md
- mkdocs:  docs/index.md, docs/section-K/page-N.md, mkdocs.yml
- pelican: content/pages/index.md, content/pages/section-K/page-N.md, pelicanconf.py

Every page is about 650 words with headings, lists, emphasis, a table and links to other
pages (same section and another section). Pages live in sections of SECTION_SIZE pages so
that our top-level nav stays the same size whatever N is. The same seed and N always give
the same bytes.

Usage: python bench/corpus.py N DEST [--flavours ours,mkdocs,pelican]
"""

from __future__ import annotations

import argparse
import random
import shutil
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

SECTION_SIZE = 50
SEED = 20170425
FLAVOURS = ("ours", "mkdocs", "pelican")

WORDS = [
    "bone",
    "marrow",
    "fat",
    "cell",
    "mouse",
    "study",
    "exercise",
    "diet",
    "wheel",
    "running",
    "week",
    "group",
    "measure",
    "result",
    "density",
    "volume",
    "adipose",
    "tissue",
    "tibia",
    "femur",
    "stem",
    "signal",
    "energy",
    "fuel",
    "lean",
    "obese",
    "control",
    "scan",
    "image",
    "count",
    "size",
    "change",
    "trial",
    "evidence",
    "claim",
    "source",
    "review",
    "model",
    "human",
    "sample",
    "effect",
    "method",
    "analysis",
    "fraction",
    "loss",
    "gain",
    "strength",
    "structure",
    "skeleton",
    "muscle",
    "insulin",
    "glucose",
    "hormone",
    "metabolism",
    "young",
    "old",
    "female",
    "male",
    "treatment",
    "response",
    "baseline",
    "outcome",
    "finding",
    "limit",
    "question",
    "answer",
    "reader",
    "editor",
    "research",
    "paper",
    "journal",
    "author",
    "data",
    "point",
]
FILLER = [
    "the",
    "a",
    "of",
    "in",
    "and",
    "to",
    "with",
    "for",
    "on",
    "by",
    "from",
    "that",
    "this",
    "was",
    "were",
    "is",
    "are",
    "as",
    "at",
    "which",
]

BASE_URL = "https://example.org/corpus/"


@dataclass(frozen=True)
class PageSpec:
    section: int  # 1-based
    number: int  # 1-based within the section
    title: str

    @property
    def rel(self) -> str:
        """Path relative to the pages folder, without .md."""
        return f"section-{self.section}/page-{self.number}"


def page_specs(n: int) -> list[PageSpec]:
    """N - 1 section pages (the home page is the Nth)."""
    specs = []
    for i in range(max(n - 1, 0)):
        section, number = i // SECTION_SIZE + 1, i % SECTION_SIZE + 1
        specs.append(PageSpec(section, number, f"Section {section} page {number}"))
    return specs


class Writer:
    """Builds one page's Markdown; `link` differs per flavour, nothing else does."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def words(self, count: int) -> str:
        out = []
        for i in range(count):
            word = self.rng.choice(WORDS) if i % 3 else self.rng.choice(FILLER)
            out.append(word)
        return " ".join(out)

    def sentence(self, count: int) -> str:
        text = self.words(count)
        return text[0].upper() + text[1:] + "."

    def paragraph(self, sentences: int) -> str:
        parts = []
        for i in range(sentences):
            words = self.sentence(self.rng.randint(10, 16)).split(" ")
            if i == 1:  # emphasis and strong emphasis somewhere in each paragraph
                words[2] = f"*{words[2]}*"
            if i == 2:
                words[3] = f"**{words[3]}**"
            parts.append(" ".join(words))
        return " ".join(parts)


class _Outside(Sequence[PageSpec]):
    """specs without specs[start:start + size], without copying the list."""

    def __init__(self, specs: list[PageSpec], start: int, size: int) -> None:
        self.specs, self.start, self.size = specs, start, size

    def __len__(self) -> int:
        return len(self.specs) - self.size

    def __getitem__(self, i: int) -> PageSpec:  # type: ignore[override]
        return self.specs[i if i < self.start else i + self.size]


def page_markdown(spec: PageSpec, specs: list[PageSpec], link: callable) -> str:  # type: ignore[valid-type]
    """About 650 words of Markdown for one page; `link(from_spec, to_spec, text)` writes a link."""
    rng = random.Random(f"{SEED}-{spec.rel}")
    w = Writer(rng)
    # Specs are in section order, SECTION_SIZE to a section: slice, do not scan (10,000 pages).
    start = (spec.section - 1) * SECTION_SIZE
    block = specs[start : start + SECTION_SIZE]
    same = [s for s in block if s != spec]
    other: Sequence[PageSpec] = _Outside(specs, start, len(block)) or same
    following = [s for s in same if s.number == spec.number + 1]  # every page is reachable from its section's first
    targets = following + (rng.sample(same, min(2, len(same))) if same else []) + ([rng.choice(other)] if other else [])
    links = [link(spec, t, t.title) for t in targets]
    out = [w.paragraph(6), ""]
    out += ["## Background", "", w.paragraph(7), ""]
    if links:
        out += [f"See also {', '.join(links)}.", ""]
    out += ["## What was measured", "", w.paragraph(6), ""]
    out += [f"- {w.sentence(8)}" for _ in range(5)] + [""]
    out += ["### Numbers", "", "| Measure | Before | After | Change |", "|---|---|---|---|"]
    for _ in range(4):
        before, after = rng.randint(10, 99), rng.randint(10, 99)
        out.append(f"| {w.words(2)} | {before} | {after} | {after - before:+d} |")
    out += ["", "## What it means", "", w.paragraph(7), ""]
    out += [f"{i}. {w.sentence(7)}" for i in range(1, 5)] + [""]
    out += ["### Open questions", "", w.paragraph(6), ""]
    out += ["### Details", "", w.paragraph(5), ""]
    return "\n".join(out)


def home_markdown(specs: list[PageSpec], link: callable) -> str:  # type: ignore[valid-type]
    """The home page: an intro and a link to the first page of each section."""
    w = Writer(random.Random(f"{SEED}-home"))
    out = [w.paragraph(5), "", "## Sections", ""]
    home = PageSpec(0, 0, "Home")
    for s in specs:
        if s.number == 1:
            out.append(f"- {link(home, s, f'Section {s.section}')}")
    return "\n".join(out) + "\n"


# --- flavours ---------------------------------------------------------------------------


def _relative_md(from_spec: PageSpec, to_spec: PageSpec) -> str:
    prefix = "" if from_spec.section == 0 else "../"
    return f"{prefix}{to_spec.rel}.md"


def link_ours(a: PageSpec, b: PageSpec, text: str) -> str:
    return f"[{text}]({_relative_md(a, b)})"


link_mkdocs = link_ours  # MkDocs resolves relative .md links the same way


def link_pelican(a: PageSpec, b: PageSpec, text: str) -> str:
    return f"[{text}]({{filename}}/pages/{b.rel}.md)"


def write_ours(dest: Path, specs: list[PageSpec]) -> Path:
    root = dest / "site_src"
    pages = root / "pages"
    (root / "data").mkdir(parents=True, exist_ok=True)
    (root / "static").mkdir(exist_ok=True)
    (root / "site.yaml").write_text(
        'title: "Synthetic corpus"\n'
        'description: "A synthetic corpus for the speed benchmark."\n'
        f'base_url: "{BASE_URL}"\n'
        "language: en\n"
        'publisher: {name: "Benchmark"}\n'
        "last_reviewed: 2025-01-01\n",
        encoding="utf-8",
    )
    _write(pages / "index.md", "---\ntitle: Synthetic corpus\n---\n" + home_markdown(specs, link_ours))
    for s in specs:
        body = page_markdown(s, specs, link_ours)
        _write(pages / f"{s.rel}.md", f"---\ntitle: {s.title}\norder: {s.number}\n---\n{body}")
    return root


def write_mkdocs(dest: Path, specs: list[PageSpec]) -> Path:
    root = dest / "mkdocs"
    docs = root / "docs"
    # Defaults otherwise (theme "mkdocs", search plugin): what a new MkDocs site gets.
    _write(root / "mkdocs.yml", f"site_name: Synthetic corpus\nsite_url: {BASE_URL}\nuse_directory_urls: true\n")
    _write(docs / "index.md", "---\ntitle: Synthetic corpus\n---\n" + home_markdown(specs, link_mkdocs))
    for s in specs:
        _write(docs / f"{s.rel}.md", f"---\ntitle: {s.title}\n---\n{page_markdown(s, specs, link_mkdocs)}")
    return root


PELICANCONF = f"""\
AUTHOR = "Benchmark"
SITENAME = "Synthetic corpus"
SITEURL = ""
PATH = "content"
TIMEZONE = "UTC"
DEFAULT_LANG = "en"
PAGE_PATHS = ["pages"]
ARTICLE_PATHS = []
# The slug is the file's path under pages/, so URLs match the other two flavours.
PATH_METADATA = r"pages/(?P<slug>.*)\\.md"
PAGE_URL = "{{slug}}/"
PAGE_SAVE_AS = "{{slug}}/index.html"
RELATIVE_URLS = True
FEED_ALL_ATOM = None
CATEGORY_FEED_ATOM = None
TRANSLATION_FEED_ATOM = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None
DEFAULT_PAGINATION = False
SITE_URL_FOR_BENCH = "{BASE_URL}"
"""


def write_pelican(dest: Path, specs: list[PageSpec]) -> Path:
    root = dest / "pelican"
    pages = root / "content" / "pages"
    _write(root / "pelicanconf.py", PELICANCONF)
    _write(pages / "index.md", "Title: Synthetic corpus\nSlug: home\n\n" + home_markdown(specs, link_pelican))
    for s in specs:
        _write(pages / f"{s.rel}.md", f"Title: {s.title}\n\n{page_markdown(s, specs, link_pelican)}")
    return root


WRITERS = {"ours": write_ours, "mkdocs": write_mkdocs, "pelican": write_pelican}


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def make_corpus(n: int, dest: Path, flavours: tuple[str, ...] = FLAVOURS) -> dict[str, Path]:
    """Write the corpus of n pages (home included) into dest; returns flavour -> project root."""
    specs = page_specs(n)
    roots = {}
    for flavour in flavours:
        target = dest / ("site_src" if flavour == "ours" else flavour)
        if target.exists():
            shutil.rmtree(target)
        roots[flavour] = WRITERS[flavour](dest, specs)
    return roots


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("n", type=int, help="number of pages, home page included")
    parser.add_argument("dest", type=Path)
    parser.add_argument("--flavours", default=",".join(FLAVOURS))
    args = parser.parse_args()
    roots = make_corpus(args.n, args.dest, tuple(args.flavours.split(",")))
    for flavour, root in roots.items():
        print(f"{flavour}: {root}")


if __name__ == "__main__":
    main()
