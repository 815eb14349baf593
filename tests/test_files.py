"""Files are what they seem (issue 17): links out of the source tree, broken links, loops,
folders named like pages, pipes and other special files, editors' lock and backup files
are skipped with a warning naming them (or silently, for editors' files), never followed
out of the tree, never a hang, never a traceback, in build, check and the preview alike
(one rule: explainer/core/files.py)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from conftest import FIXTURES, TEMPLATES, html_pages, run_cli

from explainer.core.files import editor_file, source_files, why_not_a_file
from explainer.incremental.changes import ChangeKind, Roots, classify
from explainer.load.config import BuildOptions
from explainer.serve.rebuild import Rebuilder

SECRET = "root:x:0:0:the secret outside the tree"


@pytest.fixture
def site(tmp_path: Path) -> Path:
    src = shutil.copytree(FIXTURES / "tea", tmp_path / "src")
    (tmp_path / "outside.txt").write_text(SECRET + "\n", encoding="utf-8")
    (tmp_path / "outside.md").write_text(f"---\ntitle: Outside\n---\n{SECRET}\n", encoding="utf-8")
    (src / "static").mkdir(exist_ok=True)
    return src


def plant_everything(src: Path) -> dict[str, str]:
    """Every kind of odd file, each where the build looks; -> path: what the warning says."""
    pages, static, data = src / "pages", src / "static", src / "data"
    outside = src.parent
    (static / "passwd.txt").symlink_to(outside / "outside.txt")
    (pages / "stolen.md").symlink_to(outside / "outside.md")
    (pages / "broken.md").symlink_to(pages / "nothing-here.md")
    (pages / "loop.md").symlink_to(pages / "loop.md")
    (pages / "folder.md").mkdir()
    (pages / "folder.md" / "inner.md").write_text("---\ntitle: Inner\n---\nText.\n", encoding="utf-8")
    (pages / "up").symlink_to(pages.parent)  # a folder loop
    os.mkfifo(pages / "fifo.md")
    os.mkfifo(static / "fifo.css")
    os.mkfifo(data / "fifo.yaml")
    (src / "sources").mkdir(exist_ok=True)
    os.mkfifo(src / "sources" / "fifo.txt")
    (pages / ".#evidence.md").symlink_to("someone@host.1234:1700000000")  # Emacs's lock: a broken link
    (pages / "evidence.md~").write_text("backup", encoding="utf-8")
    (pages / "#evidence.md#").write_text("autosave", encoding="utf-8")
    (pages / ".evidence.md.swp").write_bytes(b"\x00swap")
    return {
        "static/passwd.txt": "a link to outside the source folder",
        "pages/stolen.md": "a link to outside the source folder",
        "pages/broken.md": "a link to nothing",
        "pages/loop.md": "a link that loops",
        "pages/folder.md": "a folder named like a file",
        "pages/fifo.md": "not a regular file",
        "static/fifo.css": "not a regular file",
        "data/fifo.yaml": "not a regular file",
        "sources/fifo.txt": "not a regular file",
    }


def test_odd_files_are_warnings_in_build_and_check_and_nothing_leaks(site: Path, tmp_path: Path) -> None:
    expected = plant_everything(site)
    out = tmp_path / "out"
    for command in (
        ("check",),
        ("build", "--out", str(out), "--no-search"),
        ("build", "--out", str(out), "--no-search"),
    ):
        result = run_cli(command[0], "--source", site, "--templates", TEMPLATES, *command[1:], timeout=60)
        assert result.code == 0, result.err
        assert "Traceback" not in result.err
        for rel, reason in expected.items():
            lines = [line for line in result.err.splitlines() if f"src/{rel}:1:1: warning: skipped: {reason}" in line]
            assert len(lines) == 1, (rel, result.err)
        for quiet in ("#evidence.md#", "evidence.md~", ".#evidence.md", "swp", "up:"):
            assert quiet not in result.err, result.err
    published = [p for p in out.rglob("*") if p.is_file()]
    assert len(published) > 10
    assert not any(SECRET in p.read_text(encoding="utf-8", errors="replace") for p in published)
    assert not (out / "static" / "passwd.txt").exists() and not (out / "stolen").exists()
    assert (out / "evidence" / "index.html").is_file()
    strict = run_cli("build", "--source", site, "--out", tmp_path / "s", "--no-search", "--strict", timeout=60)
    assert strict.code == 1 and "error: skipped: a link to outside the source folder" in strict.err


def test_links_inside_the_tree_are_followed(site: Path, tmp_path: Path) -> None:
    (site / "static" / "real.txt").write_text("ours\n", encoding="utf-8")
    (site / "static" / "alias.txt").symlink_to(site / "static" / "real.txt")
    (site / "pages" / "again.md").write_text("---\ntitle: Again\n---\nTea again.\n", encoding="utf-8")
    (site / "pages" / "alias.md").symlink_to(site / "pages" / "again.md")
    result = run_cli("build", "--source", site, "--out", tmp_path / "out", "--no-search")
    assert "skipped" not in result.err
    assert (tmp_path / "out" / "static" / "alias.txt").read_text(encoding="utf-8") == "ours\n"


def test_a_site_template_linked_out_of_the_tree_is_not_read(site: Path, tmp_path: Path) -> None:
    (tmp_path / "evil.html").write_text(SECRET, encoding="utf-8")
    (site / "templates").mkdir()
    (site / "templates" / "page.html").symlink_to(tmp_path / "evil.html")
    result = run_cli("build", "--source", site, "--out", tmp_path / "out", "--no-search", timeout=60)
    assert result.code == 1 and "Traceback" not in result.err
    assert "page.html (skipped: a link to outside the source folder" in result.err
    assert not (tmp_path / "out").exists()


def test_the_one_rule() -> None:
    for name in (".#about.md", "#about.md#", "about.md~", ".about.md.swp", "about.md.bak", "4913", ".hidden.md"):
        assert editor_file(name), name
    for name in ("about.md", "a~b.md", "index.md"):
        assert not editor_file(name), name


def test_the_preview_watcher_follows_the_same_rule(site: Path, tmp_path: Path) -> None:
    """Editors' files are not changes; a pipe, a broken link or a link out of the tree
    that appears while the preview runs is skipped with the build's warning, no hang."""
    roots = Roots(site.resolve(), TEMPLATES.resolve())
    for name in (".#evidence.md", "evidence.md~", "#evidence.md#"):
        assert classify(site.resolve() / "pages" / name, roots) is ChangeKind.IGNORE
    out = tmp_path / "preview"
    rebuilder = Rebuilder(BuildOptions(source=site, templates=TEMPLATES, out=out, preview=True, search=False))
    assert rebuilder.full().ok
    pages = site / "pages"
    os.mkfifo(pages / "fifo.md")
    (pages / "stolen.md").symlink_to(site.parent / "outside.md")
    (pages / "broken.md").symlink_to(pages / "nothing.md")
    for name, reason in (("fifo.md", "not a regular file"), ("stolen.md", "outside"), ("broken.md", "to nothing")):
        outcome = rebuilder.update([pages / name])
        assert outcome.ok, outcome.diags.items
        assert any(reason in str(e) for e in outcome.diags.warnings), (name, outcome.diags.items)
    assert not (out / "stolen").exists()
    assert not any(SECRET in p.read_text("utf-8", errors="replace") for p in html_pages(out))


def test_source_files_never_opens_what_it_skips(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "a.md")  # opening it would block this test forever
    (tmp_path / "b.md").write_text("x", encoding="utf-8")
    assert source_files(tmp_path, ".md", None) == [tmp_path / "b.md"]
    assert why_not_a_file(tmp_path / "a.md", tmp_path) == "not a regular file (a pipe, socket or device)"
