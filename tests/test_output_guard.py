"""The build writes only into a folder that is new, empty, or an earlier output of this
generator holding nothing else; every other `--out` is one clear error and nothing on disk
changes (issue 17's cases: the source folder, the project, $HOME, a user's folder, a file,
a folder inside the source, a folder holding the source...)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import FIXTURES, ROOT, TEMPLATES, copy_site

from explainer.output.guard import MARKER, guard_output
from explainer.output.swap import remove_leftovers


def tree(folder: Path) -> dict[str, bytes | None]:
    """Every entry's bytes (folders and links as None), by path: equal means untouched."""
    found: dict[str, bytes | None] = {}
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder).as_posix()
        found[rel] = path.read_bytes() if path.is_file() and not path.is_symlink() else None
    return found


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A project folder: the fixture site in site_src/, a user's docs/ folder and a file."""
    root = tmp_path / "project"
    root.mkdir()
    copy_site(root / "site_src", FIXTURES / "tea")
    (root / "docs").mkdir()
    (root / "docs" / "notes.txt").write_text("mine\n", encoding="utf-8")
    (root / "FILE").write_text("a file\n", encoding="utf-8")
    return root


def run(project: Path, *args: str, home: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, HOME=str(home or project.parent / "home"))
    return subprocess.run(
        [sys.executable, str(ROOT / "build.py"), "build", "--source", "site_src", "--templates", str(TEMPLATES), *args],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )


REFUSED = {
    "site_src": "is the folder site_src",
    ".": "is the current folder",
    "": "is the current folder",
    "docs": "not empty and was not written by this generator",
    "FILE": "an existing file",
    "site_src/static/gen": "inside the folder site_src",
    "site_src/pages": "inside the folder site_src",
    "..": "holds the current folder",
}


@pytest.mark.parametrize("out", list(REFUSED))
def test_a_bad_out_is_one_error_and_nothing_is_touched(project: Path, out: str) -> None:
    before = tree(project.parent)
    for extra in ((), ("--no-cache",)):
        result = run(project, "--out", out, "--no-search", *extra)
        assert result.returncode == 2, result.stderr
        errors = [line for line in result.stderr.splitlines() if ": error: " in line]
        assert len(errors) == 1 and REFUSED[out] in errors[0], result.stderr
        assert "--out" in errors[0] and "nothing was written" in result.stderr
        assert "Traceback" not in result.stderr
        assert tree(project.parent) == before


def test_home_is_refused(project: Path, tmp_path: Path) -> None:
    home = tmp_path / "home"
    (home / "Documents").mkdir(parents=True)
    (home / "Documents" / "thesis.tex").write_text("years of work\n", encoding="utf-8")
    (home / MARKER).write_text("explainer output: the next build replaces this folder. Files it wrote:\n")
    before = tree(tmp_path)
    result = run(project, "--out", str(home), "--no-search", home=home)
    assert result.returncode == 2 and "your home folder" in result.stderr, result.stderr
    assert tree(tmp_path) == before


def test_the_root_and_theme_are_refused(project: Path) -> None:
    """Checked without a build: nothing could be touched if the guard had a bug."""
    assert "root of the file system" in (guard_output(Path("/"), ()) or "")
    assert "inside the folder" in (guard_output(TEMPLATES / "static" / "x", (TEMPLATES,)) or "")
    theme = Path("/nonexistent/theme")
    assert "holds the folder" in (guard_output(theme.parent, (theme,)) or "")


def test_a_symlink_to_the_source_is_the_source(project: Path) -> None:
    (project / "link").symlink_to(project / "site_src")
    before = tree(project)
    result = run(project, "--out", "link", "--no-search")
    assert result.returncode == 2 and "is the folder site_src" in result.stderr, result.stderr
    assert tree(project) == before


def test_new_empty_and_marked_outputs_are_built_and_rebuilt(project: Path) -> None:
    (project / "empty").mkdir()
    for out in ("new/site", "empty"):
        for extra in ((), ("--no-cache",), ()):
            result = run(project, "--out", out, "--no-search", *extra)
            assert result.returncode == 0, result.stderr
        marker = (project / out / MARKER).read_text(encoding="utf-8").splitlines()
        written = sorted(p.relative_to(project / out).as_posix() for p in (project / out).rglob("*") if p.is_file())
        assert "index.html" in marker[1:] and sorted([*marker[1:], MARKER]) == written
    assert tree(project / "docs") == {"notes.txt": b"mine\n"}


def test_a_file_added_to_the_output_is_never_deleted(project: Path) -> None:
    assert run(project, "--out", "_site", "--no-search").returncode == 0
    (project / "_site" / "CNAME").write_text("example.org\n", encoding="utf-8")
    (project / "_site" / "notes").mkdir()
    (project / "_site" / "notes" / "draft.html").write_text("mine\n", encoding="utf-8")
    before = tree(project)
    for extra in ((), ("--no-cache",)):
        result = run(project, "--out", "_site", "--no-search", *extra)
        assert result.returncode == 2, result.stderr
        assert "did not write (CNAME, notes/draft.html)" in result.stderr and "static/" in result.stderr
        assert tree(project) == before
    (project / "_site" / "CNAME").unlink()
    (project / "_site" / "notes" / "draft.html").unlink()
    assert run(project, "--out", "_site", "--no-search").returncode == 0


def test_an_output_without_the_marker_is_refused_even_if_it_looks_like_one(project: Path) -> None:
    assert run(project, "--out", "_site", "--no-search").returncode == 0
    (project / "_site" / MARKER).write_text("not ours\n", encoding="utf-8")
    before = tree(project)
    result = run(project, "--out", "_site", "--no-search")
    assert result.returncode == 2 and "no .explainer-output file" in result.stderr
    assert tree(project) == before


def test_only_its_own_leftovers_are_removed(tmp_path: Path) -> None:
    out = tmp_path / "_site"
    ours = tmp_path / f"._site.tmp-{2**22 + 7}-0123abcd"  # a pid no process has
    theirs = [tmp_path / "._site.tmp-backup", tmp_path / "._site.old-mine", tmp_path / "._site.tmp-1-notours"]
    for folder in [ours, *theirs]:
        folder.mkdir()
        (folder / "f").write_text("x")
    remove_leftovers(out)
    assert not ours.exists()
    assert all((folder / "f").exists() for folder in theirs)
