"""Shared test helpers: real builds into temp folders, and the CLI as a subprocess."""

from __future__ import annotations

import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

ROOT = Path(__file__).resolve().parent.parent
SITE_SRC = ROOT / "site_src"
TEMPLATES = ROOT / "templates"
FIXTURES = ROOT / "tests" / "fixtures"
# How long a test waits for something that should happen (a page served, a rebuild shown).
# Waits return as soon as it happens, so only a broken build waits this long: generous,
# so that a machine busy with other work (another test run beside this one) does not fail.
PATIENCE = 180.0


@dataclass
class Result:
    code: int
    out: str
    err: str


def run_cli(*args: str | Path, cwd: Path = ROOT, timeout: float = 120) -> Result:
    proc = subprocess.run(
        [sys.executable, str(ROOT / "build.py"), *map(str, args)],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    return Result(proc.returncode, proc.stdout, proc.stderr)


def build(source: Path, out: Path, *extra: str, templates: Path = TEMPLATES, cwd: Path = ROOT) -> Result:
    return run_cli("build", "--source", source, "--templates", templates, "--out", out, *extra, cwd=cwd)


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html5lib")


def copy_site(dest: Path, source: Path = SITE_SRC) -> Path:
    shutil.copytree(source, dest)
    return dest


@pytest.fixture(scope="session")
def real_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real site_src built once (with search) for every test that only reads it."""
    out = tmp_path_factory.mktemp("real") / "_site"
    result = build(SITE_SRC, out)
    assert result.code == 0, result.err
    return out


@pytest.fixture(scope="session")
def tea_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small fixture explainer on another topic, built with the same templates."""
    out = tmp_path_factory.mktemp("tea") / "_site"
    result = build(FIXTURES / "tea", out, "--no-search")
    assert result.code == 0, result.err
    return out


@pytest.fixture
def tea_copy(tmp_path: Path) -> Path:
    """A writable copy of the fixture site, for tests that break it."""
    return copy_site(tmp_path / "src", FIXTURES / "tea")


@pytest.fixture(scope="module")
def browser():  # type: ignore[no-untyped-def]
    """One Debian Chromium per test module (Playwright drives it; see site_server.launch_chromium)."""
    from playwright.sync_api import expect, sync_playwright
    from site_server import launch_chromium

    expect.set_options(timeout=PATIENCE * 1000)  # Playwright's 5 s default failed on a busy machine
    with sync_playwright() as pw:
        chromium = launch_chromium(pw)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def served(real_site: Path):  # type: ignore[no-untyped-def]
    """The real build over http on 127.0.0.1, under its base_url's path."""
    from site_server import base_path, serve

    with serve(real_site, base_path(SITE_SRC / "site.yaml")) as running:
        yield running


@pytest.fixture(scope="module")
def preview(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """The preview of a copy of site_src and the theme, one per test module (see
    preview_server.py); stopped as Ctrl-C stops it, with no traceback in what it printed."""
    from preview_server import start_preview, stop_preview

    running = start_preview(tmp_path_factory.mktemp("preview"))
    try:
        yield running
    finally:
        _, err = stop_preview(running)
        assert "Traceback" not in err, err


def html_pages(site: Path) -> list[Path]:
    """Every HTML page of a built site; never none (a loop over no pages proves nothing)."""
    pages = sorted(p for p in site.rglob("*.html") if "pagefind" not in p.parts)
    assert pages, f"no HTML pages under {site}"
    return pages
