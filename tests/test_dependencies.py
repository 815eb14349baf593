"""Issue 18, one dependency graph: the build cache re-renders exactly the outputs that used
what changed (a page, a data file, one entry of it, a template), as the preview does, and
what it reuses is byte-identical to a clean build."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import FIXTURES, TEMPLATES

from explainer.incremental.cache import BuildCache
from explainer.load.config import BuildOptions
from explainer.site.build import build_site
from explainer.site.write import write_site


def _build(src: Path, out: Path, cache: bool = True) -> set[str]:
    """Build (with the cache) and return the outputs rendered this time, not reused."""
    options = BuildOptions(source=src, templates=TEMPLATES, out=out, search=False)
    build = build_site(options, BuildCache(options) if cache else None, jobs=1)
    write_site(build, options)
    assert build.rendered, "the build made no output"
    return {f.path for f in build.rendered if getattr(f, "from_cache", None) is None}


def _tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture
def site(tmp_path: Path) -> Path:
    src = tmp_path / "src"
    shutil.copytree(FIXTURES / "tea", src)
    return src


CASES = {
    # One glossary term's definition: the page that marks it and the glossary page.
    "a glossary term": (
        "data/glossary.yaml",
        'definition: "A compound found in tea."',
        'definition: "A compound found in green tea."',
        {"evidence/index.html", "glossary/index.html"},
    ),
    # One page's Markdown: that page only (its title and the menu are unchanged).
    "a page": ("pages/evidence.md", "only its first use gets a tooltip", "only its first use has a tooltip", None),
    # The claim template: the claim pages, not the other pages.
    "a template": ("TEMPLATE claim.html", "</article>", "</article>\n", None),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_an_edit_re_renders_just_the_outputs_that_used_it(site: Path, tmp_path: Path, case: str) -> None:
    where, old, new, expected = CASES[case]
    out = tmp_path / "out"
    everything = _build(site, out)
    assert len(everything) > 5
    if where.startswith("TEMPLATE "):
        (site / "templates").mkdir(exist_ok=True)  # the site's own copy of one theme template
        name = where.split()[1]
        shutil.copy(TEMPLATES / name, site / "templates" / name)
        _build(site, out)
        where = f"templates/{name}"
    _edit(site / where, old, new)
    again = _build(site, out)
    if expected is None:
        claim_pages = {p for p in everything if p.startswith("claims/") and p != "claims/index.html"}
        expected = {"evidence/index.html"} if case == "a page" else claim_pages
        assert expected and expected < everything
    assert again == expected, f"re-rendered {sorted(again)}"
    clean = tmp_path / "clean"
    _build(site, clean, cache=False)
    assert _tree(out) == _tree(clean), "the cached build differs from a clean build"


def test_a_term_s_names_changing_re_renders_every_page_that_could_mark_it(site: Path, tmp_path: Path) -> None:
    """The glossary's index (ids and names) is read by every Markdown conversion: a new alias
    may mark a word on any page."""
    out = tmp_path / "out"
    everything = _build(site, out)
    _edit(site / "data" / "glossary.yaml", "aliases: [catechins]", "aliases: [catechins, compound]")
    again = _build(site, out)
    pages = {p for p in everything if p.endswith(".html") and not p.startswith("glossary/")}
    assert "evidence/index.html" in again and len(again) >= len(pages) // 2
    clean = tmp_path / "clean"
    _build(site, clean, cache=False)
    assert _tree(out) == _tree(clean)


def test_the_cache_rechecks_only_what_changed_and_finds_what_a_clean_build_finds(tmp_path: Path) -> None:
    """The prose checks' findings of each page and of the data are kept by the cache and redone
    only when what they read changed (site/check.py): after each edit, `build` (with the
    cache, lax and --strict) says what `build --no-cache` says, warnings and errors alike."""
    from conftest import build

    src = shutil.copytree(FIXTURES / "tea", tmp_path / "src")
    evidence, index, facts = (src / name for name in ("pages/evidence.md", "pages/index.md", "data/facts.yaml"))
    _edit(evidence, "Catechin is", "Recall rose by 12% [@trial]. Catechin is")  # traced: a value of trial's fact

    def said(out: str, *extra: str) -> tuple[int, list[str]]:
        got = build(src, tmp_path / out, "--no-search", *extra)
        assert "Traceback" not in got.err, got.err
        return got.code, sorted(line for line in got.err.splitlines() if ": warning: " in line or ": error: " in line)

    def same_as_clean(*untraced_at: str) -> None:
        lax, clean = said("lax"), said("clean", "--no-cache")
        assert lax == clean and lax[0] == 0
        assert [w.split("/")[-1].split(": warning")[0] for w in lax[1] if "not traced" in w] == list(untraced_at)
        strict, clean_strict = said("strict", "--strict"), said("clean-strict", "--strict", "--no-cache")
        assert strict == clean_strict and strict[0] == (1 if untraced_at else 0)

    same_as_clean()
    _edit(index, "A small trial", "A small trial of 77 people")  # an untraced number on one page
    same_as_clean("index.md:6:18")
    twelve, thirteen = 'says: "12%"\n  numbers:\n    - {value: 12,', 'says: "13%"\n  numbers:\n    - {value: 13,'
    _edit(facts, twelve, thirteen)  # evidence.md's 12% is untraced now, evidence.md unchanged
    same_as_clean("evidence.md:7:62", "index.md:6:18")
    _edit(facts, thirteen, twelve)
    same_as_clean("index.md:6:18")
    _edit(index, "A small trial of 77 people", "A small trial")
    same_as_clean()
