"""Speed must not change a byte: parallel and cached builds against a clean serial build,
and the build cache's invalidation (what must make a page render again)."""

from __future__ import annotations

import functools
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import FIXTURES, ROOT, TEMPLATES, build
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

sys.path.insert(0, str(ROOT / "bench"))
from corpus import make_corpus

REUSED = re.compile(r"(\d+) unchanged output\(s\) reused from the cache")


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def inodes(root: Path) -> dict[str, int]:
    return {p.relative_to(root).as_posix(): p.stat().st_ino for p in root.rglob("*") if p.is_file()}


def assert_same_tree(got: Path, want: Path) -> None:
    a, b = tree(got), tree(want)
    assert sorted(a) == sorted(b), set(a) ^ set(b)
    different = [rel for rel in a if a[rel] != b[rel]]
    assert not different, f"{len(different)} files differ, e.g. {different[:5]}"


def reused(stdout: str) -> int:
    m = REUSED.search(stdout)
    assert m, stdout
    return int(m.group(1))


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The benchmark's synthetic corpus, 300 pages in sections, plus the tea fixture's data
    and, on every seventh page, a citation, a claim and a glossary term (so per-page state
    and the bibliography, which depends on every page, are part of the comparison)."""
    root = tmp_path_factory.mktemp("corpus")
    src = make_corpus(300, root, ("ours",))["ours"]
    shutil.copytree(FIXTURES / "tea" / "data", src / "data", dirs_exist_ok=True)
    for i, page in enumerate(sorted((src / "pages").rglob("page-*.md"))):
        if i % 7 == 0:
            with page.open("a", encoding="utf-8") as handle:
                handle.write(
                    "\nA tea trial [@trial] said catechin helps; the news [@news] said more: [[claim:cure]].\n"
                )
    return src


def test_parallel_and_cached_builds_are_byte_identical_to_a_clean_serial_build(corpus: Path, tmp_path: Path) -> None:
    src = tmp_path / "site_src"
    shutil.copytree(corpus, src)
    serial, parallel, cached = tmp_path / "serial", tmp_path / "parallel", tmp_path / "cached"

    result = build(src, serial, "--no-search", "--no-cache", "--jobs", "1")
    assert result.code == 0, result.err
    assert "section-6/page-49/index.html" in tree(serial)
    result = build(src, parallel, "--no-search", "--no-cache", "--jobs", "2")
    assert result.code == 0, result.err
    assert_same_tree(parallel, serial)

    result = build(src, cached, "--no-search", "--jobs", "2")  # cold: fills the cache
    assert result.code == 0, result.err
    assert reused(result.out) == 0
    assert_same_tree(cached, serial)

    # Edit two pages (one gains a citation, so the bibliography changes too) and rebuild.
    first = src / "pages" / "section-2" / "page-3.md"
    first.write_text(first.read_text(encoding="utf-8") + "\nNow citing [@news] here too.\n", encoding="utf-8")
    second = src / "pages" / "section-5" / "page-9.md"
    second.write_text(second.read_text(encoding="utf-8").replace("## Background", "## Background, edited"), "utf-8")
    before = inodes(cached)
    result = build(src, cached, "--no-search", "--jobs", "2")
    assert result.code == 0, result.err
    rendered = (".html", ".css", "feed.xml", "claims.json")  # what the renderer makes: pages, the colours, the feeds
    total = len([p for p in tree(cached) if p.endswith(rendered) and not p.startswith("static/site")])
    assert 0 < reused(result.out) < total  # most outputs came from the cache, not all

    shutil.rmtree(serial)
    result = build(src, serial, "--no-search", "--no-cache", "--jobs", "1")
    assert result.code == 0, result.err
    assert_same_tree(cached, serial)
    after = inodes(cached)
    # Unchanged files are the previous output's files (hard links), changed ones are new.
    assert after["section-1/page-1/index.html"] == before["section-1/page-1/index.html"]
    assert after["section-2/page-3/index.html"] != before["section-2/page-3/index.html"]
    assert "Now citing" in (cached / "section-2" / "page-3" / "index.html").read_text(encoding="utf-8")

    result = build(src, cached, "--no-search", "--jobs", "2")
    assert result.code == 0 and "nothing changed" in result.out, result.out
    assert inodes(cached) == after
    assert_same_tree(cached, serial)

    # Now the build starts from the tree the last swap replaced (the spare) and must fix all
    # of it: a page removed, a page added, a static file added, one more page edited.
    (src / "pages" / "section-3" / "page-40.md").unlink()
    for page in (src / "pages").rglob("*.md"):  # links to it now go to the next page
        text = page.read_text(encoding="utf-8")
        if "section-3/page-40.md" in text:
            page.write_text(text.replace("section-3/page-40.md", "section-3/page-41.md"), encoding="utf-8")
    (src / "pages" / "section-2" / "page-39.md").write_text(  # link the new page from a reachable one
        (src / "pages" / "section-2" / "page-39.md").read_text(encoding="utf-8") + "\n[New](new.md)\n", "utf-8"
    )
    (src / "pages" / "section-2" / "new.md").write_text("---\ntitle: New\n---\nA new page.\n", encoding="utf-8")
    (src / "static").mkdir(exist_ok=True)
    (src / "static" / "extra.txt").write_text("extra\n", encoding="utf-8")
    result = build(src, cached, "--no-search", "--jobs", "2")
    assert result.code == 0, result.err
    shutil.rmtree(serial)
    assert build(src, serial, "--no-search", "--no-cache", "--jobs", "1").code == 0
    assert_same_tree(cached, serial)
    assert not (cached / "section-3" / "page-40").exists()


@pytest.fixture
def tea(tmp_path: Path) -> tuple[Path, Path, Path]:
    """A writable copy of the tea fixture and of the templates, and an output folder."""
    src = shutil.copytree(FIXTURES / "tea", tmp_path / "src")
    templates = shutil.copytree(TEMPLATES, tmp_path / "templates")
    return src, templates, tmp_path / "out"


def _build(tea: tuple[Path, Path, Path], *extra: str) -> str:
    src, templates, out = tea
    result = build(src, out, "--no-search", *extra, templates=templates)
    assert result.code == 0, result.err
    return result.out


def _page(tea: tuple[Path, Path, Path], rel: str = "evidence/index.html") -> str:
    return (tea[2] / rel).read_text(encoding="utf-8")


def test_a_template_change_renders_every_page_again(tea: tuple[Path, Path, Path]) -> None:
    _build(tea)
    page = tea[1] / "page.html"
    page.write_text(page.read_text(encoding="utf-8").replace("<h1>", '<h1 class="edited">'), encoding="utf-8")
    out = _build(tea)
    assert '<h1 class="edited">' in _page(tea) and '<h1 class="edited">' in _page(tea, "index.html")
    assert "unchanged output(s) reused" in out


def test_a_data_change_renders_again(tea: tuple[Path, Path, Path]) -> None:
    _build(tea)
    glossary = tea[0] / "data" / "glossary.yaml"
    text = glossary.read_text(encoding="utf-8")
    assert "definition:" in text
    glossary.write_text(re.sub(r"definition: .*", 'definition: "A freshly edited definition."', text, count=1), "utf-8")
    _build(tea)
    assert "A freshly edited definition." in _page(tea)


def test_site_yaml_change_renders_again(tea: tuple[Path, Path, Path]) -> None:
    _build(tea)
    site = tea[0] / "site.yaml"
    site.write_text(site.read_text(encoding="utf-8").replace("Does green tea sharpen memory?", "Tea, edited"), "utf-8")
    _build(tea)
    assert "Tea, edited" in _page(tea) and "Tea, edited" in _page(tea, "claims/cure/index.html")


def test_a_new_generator_version_renders_again(tea: tuple[Path, Path, Path], tmp_path: Path) -> None:
    _build(tea)
    assert 'content="explainer 0.' in _page(tea)
    # The same generator with another version number, run from its own copy.
    gen = tmp_path / "generator"
    shutil.copytree(ROOT / "explainer", gen / "explainer", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "build.py", gen / "build.py")
    init = gen / "explainer" / "__init__.py"
    init.write_text(re.sub(r'__version__ = ".*"', '__version__ = "99.0.0"', init.read_text(encoding="utf-8")), "utf-8")
    src, templates, out = tea
    proc = subprocess.run(
        [sys.executable, str(gen / "build.py"), "build", "--source", str(src), "--templates", str(templates),
         "--out", str(out), "--no-search"],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert reused(proc.stdout) == 0
    assert 'content="explainer 99.0.0"' in _page(tea) and 'content="explainer 99.0.0"' in _page(tea, "index.html")


def test_a_page_edit_renders_that_page_and_links_the_rest(tea: tuple[Path, Path, Path]) -> None:
    _build(tea)
    before = inodes(tea[2])
    evidence = tea[0] / "pages" / "evidence.md"
    evidence.write_text(evidence.read_text(encoding="utf-8") + "\nOne more edited sentence.\n", encoding="utf-8")
    out = _build(tea)
    assert "One more edited sentence." in _page(tea)
    after = inodes(tea[2])
    assert after["evidence/index.html"] != before["evidence/index.html"]
    unchanged = [rel for rel in before if rel != "evidence/index.html" and after.get(rel) == before[rel]]
    assert "index.html" in unchanged and "claims/cure/index.html" in unchanged
    assert reused(out) >= 5


def test_an_unchanged_page_linking_to_a_removed_anchor_still_fails_the_build(tea: tuple[Path, Path, Path]) -> None:
    """The home page is not rendered again, but its link to evidence#the-trial is checked again."""
    _build(tea)
    evidence = tea[0] / "pages" / "evidence.md"
    evidence.write_text(evidence.read_text(encoding="utf-8").replace("## The trial", "## The study"), "utf-8")
    src, templates, out = tea
    result = build(src, out, "--no-search", templates=templates)
    assert result.code == 1 and "#the-trial" in result.err and "index.md" in result.err


def test_a_static_file_change_is_copied(tea: tuple[Path, Path, Path]) -> None:
    (tea[0] / "static").mkdir(exist_ok=True)
    extra = tea[0] / "static" / "extra.css"
    extra.write_text("p { color: red; }\n", encoding="utf-8")
    _build(tea)
    extra.write_text("p { color: blue; }\n", encoding="utf-8")
    out = _build(tea)
    assert "nothing changed" not in out
    assert (tea[2] / "static" / "extra.css").read_text(encoding="utf-8") == "p { color: blue; }\n"


def test_an_output_file_changed_by_hand_is_rendered_again(tea: tuple[Path, Path, Path]) -> None:
    _build(tea)
    good = (tea[2] / "evidence" / "index.html").read_bytes()
    (tea[2] / "evidence" / "index.html").write_bytes(b"tampered")
    out = _build(tea)
    assert "nothing changed" not in out
    assert (tea[2] / "evidence" / "index.html").read_bytes() == good


def test_nothing_changed_writes_nothing(tea: tuple[Path, Path, Path]) -> None:
    _build(tea)
    before = {rel: (p.stat().st_ino, p.stat().st_mtime_ns) for rel, p in _files(tea[2]).items()}
    out = _build(tea)
    assert "nothing changed" in out
    assert {rel: (p.stat().st_ino, p.stat().st_mtime_ns) for rel, p in _files(tea[2]).items()} == before


def test_cached_warnings_still_fail_strict(tea: tuple[Path, Path, Path]) -> None:
    page = tea[0] / "pages" / "evidence.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nSee [a plain link](http://example.com/).\n", "utf-8")
    out = _build(tea)
    assert "warning" in out or "warning(s)" in out
    src, templates, dest = tea
    result = build(src, dest, "--no-search", "--strict", templates=templates)
    assert result.code == 1 and "plain http" in result.err


def test_a_failed_cached_build_leaves_the_output_as_it_was(tea: tuple[Path, Path, Path]) -> None:
    _build(tea)
    before, ids = tree(tea[2]), inodes(tea[2])
    page = tea[0] / "pages" / "evidence.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nCiting [@nobody].\n", encoding="utf-8")
    src, templates, out = tea
    result = build(src, out, "--no-search", templates=templates)
    assert result.code == 1 and "nobody" in result.err
    assert tree(out) == before and inodes(out) == ids
    assert not [p for p in out.parent.iterdir() if p.name.startswith((".out.tmp-", ".out.old-"))]


def test_search_index_is_reused_when_no_page_changed(tea: tuple[Path, Path, Path], tmp_path: Path) -> None:
    pytest.importorskip("pagefind")
    src, templates, out = tea
    assert build(src, out, templates=templates).code == 0
    index = {rel: ino for rel, ino in inodes(out).items() if rel.startswith("pagefind/")}
    assert index
    (src / "static").mkdir(exist_ok=True)
    (src / "static" / "note.txt").write_text("a new static file\n", encoding="utf-8")  # no HTML changes
    assert build(src, out, templates=templates).code == 0
    assert {rel: ino for rel, ino in inodes(out).items() if rel.startswith("pagefind/")} == index
    clean = tmp_path / "clean"
    assert build(src, clean, "--no-cache", templates=templates).code == 0
    assert_same_tree(out, clean)


def test_a_write_that_fails_after_reusing_the_spare_tree_leaves_the_output_as_it_was(tmp_path: Path) -> None:
    """The spare tree shares files (hard links) with the live output: filling it must never
    write into them. A write that fails after filling it leaves the output byte-identical."""
    from explainer.output.guard import MARKER
    from explainer.output.write import write_atomically

    out, spare = tmp_path / "out", tmp_path / ".cache" / "spare"
    write_atomically(out, {"a/index.html": b"A1", "b/index.html": b"B1"}, {}, spare=spare)
    # Second build: a unchanged (linked), b rewritten; the first tree becomes the spare.
    write_atomically(out, {"b/index.html": b"B2"}, {}, links={"a/index.html": out / "a" / "index.html"}, spare=spare)
    assert spare.is_dir()
    # Third build, from the spare, fails after filling it. It rewrites a, whose file the
    # spare shares with the live output (a was linked, not written, by the second build).
    before, ids = tree(out), inodes(out)
    assert os.stat(spare / "a" / "index.html").st_ino == ids["a/index.html"]

    def fail(tmp: Path) -> None:
        assert (tmp / "a" / "index.html").read_bytes() == b"A3" and (tmp / "b" / "index.html").read_bytes() == b"B2"
        raise RuntimeError("search index failed")

    linked = {"b/index.html": out / "b" / "index.html"}
    with pytest.raises(RuntimeError):
        write_atomically(out, {"a/index.html": b"A3"}, {}, finish=fail, links=linked, spare=spare)
    assert tree(out) == before
    assert before.keys() - {MARKER} == {"a/index.html", "b/index.html"}
    assert (before["a/index.html"], before["b/index.html"]) == (b"A1", b"B2")
    assert inodes(out) == ids
    # And a good build still works (the failed one used up the spare).
    write_atomically(out, {"a/index.html": b"A4"}, {}, links=linked, spare=spare)
    assert tree(out) == {"a/index.html": b"A4", "b/index.html": b"B2", MARKER: tree(out)[MARKER]}


def test_a_kept_file_replaced_during_the_build_fails_it_instead_of_publishing_it(
    tea: tuple[Path, Path, Path],
) -> None:
    """Between the cache's check of an unchanged page and the write, another build swaps its
    output in: the file at that path is then not the one checked, so nothing is swapped."""
    from explainer.core.errors import BuildFailed
    from explainer.incremental.cache import BuildCache
    from explainer.load.config import BuildOptions
    from explainer.site.build import build_site
    from explainer.site.write import write_site

    _build(tea)
    src, templates, out = tea
    evidence = src / "pages" / "evidence.md"
    evidence.write_text(evidence.read_text(encoding="utf-8") + "\nEdited.\n", encoding="utf-8")
    options = BuildOptions(source=src, templates=templates, out=out, search=False)
    build = build_site(options, BuildCache(options))
    home = out / "index.html"
    content = home.read_bytes()
    home.unlink()
    home.write_bytes(content)  # what a concurrent build's swap looks like here: another file
    before = tree(out)
    with pytest.raises(BuildFailed) as failed:
        write_site(build, options)
    assert "the output changed while this build ran" in str(failed.value.diagnostics.items[0])
    assert tree(out) == before


def _files(root: Path) -> dict[str, Path]:
    return {p.relative_to(root).as_posix(): p for p in root.rglob("*") if p.is_file()}


# --- the fast inline pass gives Python-Markdown's own result --------------------------------

MARKDOWN_BITS = [
    "word", "Word", " ", "  \n", "\n", "\n\n", "*", "**", "_", "__", "`", "``", "\\", "[", "]", "(", ")", "!",
    "<", ">", "&", "&amp;", "'", '"', "--", "---", "...", "-", "#", "|", ":", "<b>", "</b>", "<http://x.org>",
    "[a](b.md)", "![i](x.png)", "[^1]", "x@y.org", "&#8212;", "1.", "- ", "> ", "    code",
    "{: .x}", "{#an-id}", "{", "[TOC]", "\n\n[TOC]\n\n", "## H {: #h }", "\\*", "*[HTML]: Hyper",
    "\t", "\r\n", " \t\n", "<<", ">>", "\\5", "[[", "[@", "[@a]", "[@Bad One]", "[[claim:x]]", "[[fact:y]]",
    "[[figure:z]]", "[TO", "C]",
]  # fmt: skip


@functools.cache
def _renderers() -> tuple[object, object]:
    from explainer.core.errors import Diagnostics
    from explainer.kinds.data import SiteData
    from explainer.load.strings import Strings
    from explainer.markdown.extension import MarkdownRenderer
    from explainer.markdown.state import MarkdownSite

    site = MarkdownSite(
        SiteData(), Diagnostics(), {"a.md": "a/", "b.md": "b/"}, lambda *args: "", lambda *args: "", Strings("en")
    )
    return MarkdownRenderer(site, fast_inline=True), MarkdownRenderer(site, fast_inline=False)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(MARKDOWN_BITS), min_size=1, max_size=60))
def test_fast_inline_pass_matches_python_markdown(bits: list[str]) -> None:
    from explainer.core.errors import Location
    from explainer.markdown.state import PageState

    text = "".join(bits)
    fast, slow = _renderers()
    got = fast.convert(text, PageState("a/", Location(Path("a.md"))), Location(Path("a.md")))  # type: ignore[attr-defined]
    want = slow.convert(text, PageState("a/", Location(Path("a.md"))), Location(Path("a.md")))  # type: ignore[attr-defined]
    assert got == want


def test_fast_inline_pass_matches_on_every_real_page() -> None:
    from explainer.core.errors import Location
    from explainer.markdown.state import PageState

    fast, slow = _renderers()
    pages = sorted((ROOT / "site_src" / "pages").glob("*.md")) + sorted((FIXTURES / "tea" / "pages").glob("*.md"))
    assert pages
    for page in pages:
        text = page.read_text(encoding="utf-8")
        where = Location(page)
        assert fast.convert(text, PageState("a/", where), where) == slow.convert(text, PageState("a/", where), where)  # type: ignore[attr-defined]


def test_jobs_must_be_positive(tmp_path: Path) -> None:
    result = build(FIXTURES / "tea", tmp_path / "out", "--jobs", "0")
    assert result.code == 2 and "--jobs" in result.err
    assert not (tmp_path / "out").exists()


def test_cache_lives_with_the_project_not_beside_the_output(tea: tuple[Path, Path, Path], tmp_path: Path) -> None:
    """Issue 14 moved it: `--out ~/site` must not write into ~/.cache/ (was: beside the output)."""
    src, templates, _ = tea
    out = tmp_path / "elsewhere" / "site"
    assert build(src, out, "--no-search", templates=templates).code == 0
    caches = list((src.parent / ".cache" / "explainer").iterdir())
    assert len(caches) == 1 and caches[0].name.startswith("site-")
    assert (caches[0] / "manifest.json").is_file() and (caches[0] / "details.json").is_file()
    assert sorted(p.name for p in out.parent.iterdir()) == ["site"]  # no cache, no lock beside the output
