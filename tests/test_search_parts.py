"""Search in parts: the index comes in parts made by Pagefind's command line (so its memory stays
bounded), cut where the pages' paths say (so an edit changes one part), each part of the
previous output kept when its pages are the same, and a reader searches the parts as one."""

from __future__ import annotations

import json
import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import PATIENCE, SITE_SRC, TEMPLATES, html_pages, soup
from playwright.sync_api import Browser, Page, expect
from site_server import base_path, serve

from explainer.cli import main as cli
from explainer.output import search

PART_PAGES = 4


def _build(out: Path, *extra: str, source: Path = SITE_SRC) -> None:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(search, "PART_PAGES", PART_PAGES)
        code = cli.main(["build", "--source", str(source), "--templates", str(TEMPLATES), "--out", str(out), *extra])
    assert code == 0


@pytest.fixture(scope="module")
def parted_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real site built in this process with at most PART_PAGES pages a part."""
    out = tmp_path_factory.mktemp("parted") / "_site"
    _build(out, "--no-cache")
    return out


def indexed_pages(site: Path) -> list[Path]:
    return [p for p in html_pages(site) if soup(p).select("[data-pagefind-body]")]


def _parts(site: Path) -> list[str]:
    return ["", *json.loads((site / "pagefind" / "parts.json").read_text())["parts"]]


def _page_counts(site: Path) -> list[int]:
    counts = []
    for folder in _parts(site):
        entry = json.loads((site / "pagefind" / folder / "pagefind-entry.json").read_text())
        counts.append(sum(lang["page_count"] for lang in entry["languages"].values()))
    return counts


def test_the_index_comes_in_parts_that_together_hold_every_page_once(parted_site: Path) -> None:
    pages = indexed_pages(parted_site)
    assert len(pages) > 2 * PART_PAGES
    counts = _page_counts(parted_site)
    assert len(counts) >= len(pages) // PART_PAGES
    assert sum(counts) == len(pages) and max(counts) <= PART_PAGES and min(counts) >= 1


def test_a_small_site_has_one_part_and_an_empty_list(real_site: Path) -> None:
    assert json.loads((real_site / "pagefind" / "parts.json").read_text())["parts"] == []
    assert not list((real_site / "pagefind").glob("part-*"))


def test_parts_are_cut_where_the_paths_say_so_an_edit_changes_one_part() -> None:
    pages = {f"s{i // 50}/p{i}/index.html": f"sha{i}" for i in range(1000)}
    parts = search.plan_parts(pages, "1.0")
    assert 4 <= len(parts) <= 20
    assert [rel for p in parts for rel in p.pages] == sorted(pages)  # each page once, in order
    edited = search.plan_parts(pages | {"s3/p170/index.html": "new"}, "1.0")
    changed = [i for i, (a, b) in enumerate(zip(parts, edited, strict=True)) if a != b]
    assert len(changed) == 1 and "s3/p170/index.html" in parts[changed[0]].pages
    added = search.plan_parts(pages | {"s3/p170b/index.html": "sha"}, "1.0")
    assert len({p.key for p in parts} - {p.key for p in added}) <= 2  # its part, at most the next
    assert search.plan_parts(pages, "2.0")[0].key != parts[0].key  # another Pagefind: made again


def test_a_one_page_edit_makes_only_the_changed_parts_again(tmp_path: Path) -> None:
    src = tmp_path / "site_src"
    shutil.copytree(SITE_SRC, src)
    out = tmp_path / "out"
    _build(out, source=src)  # with the cache, as editors build
    before = {f: (out / "pagefind" / f / "pagefind-entry.json").stat().st_ino for f in _parts(out)}
    assert len(before) > 2
    page = src / "pages" / "study.md"
    page.write_text(page.read_text(encoding="utf-8") + "\n\nAn added sentence about zebrafish.\n", encoding="utf-8")
    _build(out, source=src)
    after = {f: (out / "pagefind" / f / "pagefind-entry.json").stat().st_ino for f in _parts(out)}
    kept = [f for f in after if f in before]  # same name: same pages, same bytes
    assert kept and len(kept) < len(after)  # the edited page's part is new, others are kept...
    assert all(before[f] == after[f] for f in kept if f)  # ...as the very files (hard links), not made again
    clean = tmp_path / "clean"
    _build(clean, "--no-cache", source=src)
    assert _parts(clean) == _parts(out)
    files = sorted(f.relative_to(clean) for f in (clean / "pagefind").rglob("*") if f.is_file())
    assert files == sorted(f.relative_to(out) for f in (out / "pagefind").rglob("*") if f.is_file())
    for rel in files:  # kept parts are what indexing again makes, byte for byte
        assert (clean / rel).read_bytes() == (out / rel).read_bytes(), rel


def test_pagefind_settings_of_the_editors_shell_or_folder_do_not_change_the_index(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Pagefind's command line reads PAGEFIND_* variables and a pagefind.yml in its working
    folder, and pagefind.service runs the binary PAGEFIND_BINARY_PATH names: the index a build
    makes is the same whatever the editor's shell and folder hold."""
    plain = tmp_path / "plain"
    _build(plain, "--no-cache")
    other = tmp_path / "other-pagefind"
    other.write_text(f"#!/bin/sh\ntouch {tmp_path / 'ran'}\nexit 1\n", encoding="utf-8")
    other.chmod(0o755)
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(other))
    monkeypatch.setenv("PAGEFIND_EXCLUDE_SELECTORS", "p, h1, h2, li")
    monkeypatch.setenv("PAGEFIND_ROOT_SELECTOR", "footer")
    (tmp_path / "pagefind.yml").write_text('exclude_selectors: ["p", "h1", "h2", "li"]\n', encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    odd = tmp_path / "odd"
    _build(odd, "--no-cache")
    files = sorted(f.relative_to(plain) for f in (plain / "pagefind").rglob("*") if f.is_file())
    assert len(files) > 10 and sum(_page_counts(plain)) == len(indexed_pages(plain))
    assert files == sorted(f.relative_to(odd) for f in (odd / "pagefind").rglob("*") if f.is_file())
    for rel in files:
        assert (plain / rel).read_bytes() == (odd / rel).read_bytes(), rel
    assert not (tmp_path / "ran").exists()  # the project's own Pagefind made it


@pytest.fixture
def tab(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1000, "height": 800})
    page = context.new_page()
    page.errors = []  # type: ignore[attr-defined]
    page.on("console", lambda m: m.type == "error" and page.errors.append(m.text))
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    yield page
    context.close()


def _words(path: Path) -> set[str]:
    article = soup(path).select_one("[data-pagefind-body]")
    return set(re.findall(r"[a-z]{6,}", article.get_text(" ").lower())) if article else set()


@pytest.mark.browser
def test_a_reader_finds_pages_of_every_part(parted_site: Path, tab: Page) -> None:
    """A word found on one page only, for the first page indexed and for the last: both are
    found from the search box, so the later parts are merged into the first."""
    pages = indexed_pages(parted_site)
    assert pages
    words = {p: _words(p) for p in pages}
    in_order = sorted(pages, key=lambda p: p.relative_to(parted_site).as_posix())
    first, last = in_order[0], in_order[-1]  # in the first part and in the last
    with serve(parted_site, base_path(SITE_SRC / "site.yaml")) as served:
        for page in (first, last):
            others = {w[:5] for p, ws in words.items() if p != page for w in ws}  # stems match "agree", "agrees"
            word = sorted(w for w in words[page] if w[:5] not in others)[0]
            tab.goto(served.root + "study/")
            tab.get_by_role("searchbox").fill(word)
            link = tab.locator(".search-list a").first
            expect(link).to_be_visible(timeout=PATIENCE * 1000)
            rel = page.parent.relative_to(parted_site).as_posix()
            want = base_path(SITE_SRC / "site.yaml") + ("" if rel == "." else rel + "/")
            hrefs = [a.get_attribute("href") for a in tab.locator(".search-list a").all()]
            assert want in hrefs, (word, hrefs)
    assert tab.errors == []  # type: ignore[attr-defined]


def test_a_part_pagefind_cannot_make_is_pagefinds_message_and_leaves_no_folder_of_its_own(tmp_path: Path) -> None:
    site = tmp_path / "site"
    (site / "a").mkdir(parents=True)
    (site / "a" / "index.html").write_text(
        "<html><body><main data-pagefind-body><h1>Tea</h1><p>Green tea.</p></main></body></html>", encoding="utf-8"
    )
    (site / "b{x},y").mkdir()  # a name with the glob's own characters: still found
    shutil.copyfile(site / "a" / "index.html", site / "b{x},y" / "index.html")
    (tmp_path / "file").write_text("not a folder", encoding="utf-8")
    part = search.Part(("a/index.html", "b{x},y/index.html"), "k" * 40)
    maker = search._PartMaker(site)
    maker.add(part, tmp_path / "file" / "pagefind")
    maker.add(part, tmp_path / "ok")
    assert "Not a directory" in maker.wait()
    entry = json.loads((tmp_path / "ok" / "pagefind-entry.json").read_text())  # the other part was made
    assert entry["languages"]["unknown"]["page_count"] == 2
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file", "ok", "site"]  # no config folder left


def test_without_the_projects_pagefind_no_part_is_made_by_another(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No binary from pagefind[bin]: the part is a located failure, never a `pagefind` found on PATH."""
    other = tmp_path / "bin" / "pagefind"
    other.parent.mkdir()
    other.write_text(f"#!/bin/sh\ntouch {tmp_path / 'ran'}\n", encoding="utf-8")
    other.chmod(0o755)
    monkeypatch.setenv("PATH", f"{other.parent}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setattr(search, "pagefind_executable", lambda: None)
    maker = search._PartMaker(tmp_path)
    maker.add(search.Part(("a/index.html",), "k" * 40), tmp_path / "pagefind")
    assert maker.wait() == "Pagefind's binary is not installed (pip install 'pagefind[bin]')"
    assert not (tmp_path / "ran").exists() and not (tmp_path / "pagefind").exists()
