"""A deterministic synthetic corpus of N Markdown pages, in four flavours from the same text,
in two shapes.

- ours:    site_src/site.yaml, site_src/pages/index.md, site_src/pages/section-K/page-N.md
- mkdocs:  docs/index.md, docs/section-K/page-N.md, mkdocs.yml
- pelican: content/pages/index.md, content/pages/section-K/page-N.md, pelicanconf.py
- hugo:    content/_index.md, content/section-K/page-N.md, hugo.toml and a minimal layout
           of its own (layouts/) whose menu is the same as ours (see HUGO_MENU)

Shapes: "folders" puts pages in sections of SECTION_SIZE pages (section-K/page-N); "flat"
puts every page at the top level (page-N), so every generator's menu lists every page.

Every page is about 650 words with headings, lists, emphasis, a table and links to other
pages (same section and another section). The same seed, N and shape always give the
same bytes (the page text does not depend on the shape, only the paths do).

Usage: python bench/corpus.py N DEST [--flavours ours,mkdocs,pelican,hugo] [--flat]
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
FLAVOURS = ("ours", "mkdocs", "pelican", "hugo")
SHAPES = ("flat", "folders")

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
    section: int  # 1-based (in the flat shape: only to choose which pages a page links to)
    number: int  # 1-based within the section
    title: str
    flat: bool = False
    index: int = 0  # 1-based over the whole corpus

    @property
    def rel(self) -> str:
        """Path relative to the pages folder, without .md."""
        return f"page-{self.index}" if self.flat else f"section-{self.section}/page-{self.number}"

    @property
    def order(self) -> int:
        return self.index if self.flat else self.number

    @property
    def seed(self) -> str:
        """The page's text depends on its place, not on the shape."""
        return f"section-{self.section}/page-{self.number}"


def page_specs(n: int, flat: bool = False) -> list[PageSpec]:
    """N - 1 pages (the home page is the Nth)."""
    specs = []
    for i in range(max(n - 1, 0)):
        section, number = i // SECTION_SIZE + 1, i % SECTION_SIZE + 1
        title = f"Page {i + 1}" if flat else f"Section {section} page {number}"
        specs.append(PageSpec(section, number, title, flat, i + 1))
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
    rng = random.Random(f"{SEED}-{spec.seed}")
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
            out.append(f"- {link(home, s, f'Section {s.section}' if not s.flat else s.title)}")
    return "\n".join(out) + "\n"


# --- flavours ---------------------------------------------------------------------------


def _relative_md(from_spec: PageSpec, to_spec: PageSpec) -> str:
    """Relative to the folder of the linking page's file."""
    prefix = "" if from_spec.section == 0 or from_spec.flat else "../"
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
        _write(pages / f"{s.rel}.md", f"---\ntitle: {s.title}\norder: {s.order}\n---\n{body}")
    return root


def write_mkdocs(dest: Path, specs: list[PageSpec]) -> Path:
    root = dest / "mkdocs"
    docs = root / "docs"
    # Defaults otherwise (theme "mkdocs", search plugin): what a new MkDocs site gets.
    config = f"site_name: Synthetic corpus\nsite_url: {BASE_URL}\nuse_directory_urls: true\n"
    _write(root / "mkdocs.yml", config)
    _write(root / "mkdocs-nosearch.yml", config + "plugins: []\n")  # the same without its lunr index
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


# Hugo: a minimal layout of its own, with the same menu as ours: Home, the top-level pages
# (by order), each top-level folder as a section linking to its first page, the pages of the
# current page's section listed under it, then Sources. Main content marked for Pagefind,
# which indexes Hugo's output when search is on (Hugo has no search of its own).
HUGO_CONFIG = f"""\
baseURL = "{BASE_URL}"
title = "Synthetic corpus"
locale = "en"
disableKinds = ["taxonomy", "term", "RSS"]
[markup.goldmark.renderHooks.link]
useEmbedded = "fallback"
"""
HUGO_BASEOF = """\
<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ if not .IsHome }}{{ .Title }} | {{ end }}{{ site.Title }}</title></head>
<body>
<header><a href="{{ site.Home.RelPermalink }}">{{ site.Title }}</a>{{ partial "menu.html" . }}</header>
<main><article data-pagefind-body>{{ block "main" . }}{{ end }}</article></main>
<footer><p>Synthetic corpus.</p></footer>
</body>
</html>
"""
HUGO_MENU = """\
{{ $current := . }}
<nav aria-label="Sections"><ul>
<li><a href="{{ site.Home.RelPermalink }}"{{ if .IsHome }} aria-current="page"{{ end }}>Home</a></li>
{{ range site.Home.RegularPages }}{{ if ne .Path "/sources" }}
<li><a href="{{ .RelPermalink }}"{{ if eq . $current }} aria-current="page"{{ end }}>{{ .Title }}</a></li>
{{ end }}{{ end }}
{{ range site.Sections }}
<li><a href="{{ (index .RegularPages 0).RelPermalink }}">{{ .Title }}</a>
{{ if or (eq . $current) ($current.IsDescendant .) }}<ul>
{{ range .RegularPages }}
<li><a href="{{ .RelPermalink }}"{{ if eq . $current }} aria-current="page"{{ end }}>{{ .Title }}</a></li>
{{ end }}</ul>{{ end }}
</li>
{{ end }}
<li><a href="{{ relref . "/sources" }}"{{ if eq .Path "/sources" }} aria-current="page"{{ end }}>Sources</a></li>
</ul></nav>
"""
HUGO_SINGLE = '{{ define "main" }}<h1>{{ .Title }}</h1>{{ .TableOfContents }}{{ .Content }}{{ end }}\n'
HUGO_LIST = (
    '{{ define "main" }}<h1>{{ .Title }}</h1>{{ .Content }}<ul>'
    '{{ range .RegularPages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>{{ end }}\n'
)


def write_hugo(dest: Path, specs: list[PageSpec]) -> Path:
    root = dest / "hugo"
    content = root / "content"
    _write(root / "hugo.toml", HUGO_CONFIG)
    layouts = root / "layouts"
    _write(layouts / "baseof.html", HUGO_BASEOF)
    _write(layouts / "_partials" / "menu.html", HUGO_MENU)
    _write(layouts / "single.html", HUGO_SINGLE)
    _write(layouts / "list.html", HUGO_LIST)
    _write(layouts / "home.html", HUGO_SINGLE)
    _write(content / "_index.md", "---\ntitle: Synthetic corpus\n---\n" + home_markdown(specs, link_hugo))
    _write(content / "sources.md", "---\ntitle: Sources\nweight: 1000000000\n---\nNo sources.\n")
    for s in specs:
        if not s.flat and s.number == 1:
            _write(
                content / f"section-{s.section}" / "_index.md",
                f"---\ntitle: Section {s.section}\nweight: {s.section}\n---\n",
            )
        body = page_markdown(s, specs, link_hugo)
        _write(content / f"{s.rel}.md", f"---\ntitle: {s.title}\nweight: {s.order}\n---\n{body}")
    return root


def link_hugo(a: PageSpec, b: PageSpec, text: str) -> str:
    return f"[{text}](/{b.rel}.md)"  # resolved by Hugo's own link render hook (enableDefault)


WRITERS = {"ours": write_ours, "mkdocs": write_mkdocs, "pelican": write_pelican, "hugo": write_hugo}


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def make_corpus(n: int, dest: Path, flavours: tuple[str, ...] = FLAVOURS, flat: bool = False) -> dict[str, Path]:
    """Write the corpus of n pages (home included) into dest; returns flavour -> project root."""
    specs = page_specs(n, flat)
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
    parser.add_argument("--flat", action="store_true", help="every page at the top level")
    args = parser.parse_args()
    roots = make_corpus(args.n, args.dest, tuple(args.flavours.split(",")), args.flat)
    for flavour, root in roots.items():
        print(f"{flavour}: {root}")


if __name__ == "__main__":
    main()
