"""The built-in theme, overridden file by file; `new` makes content only; the theme is
found from an installed wheel too; nothing of the first story in a second explainer."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
import time
import venv
from pathlib import Path

import pytest
from conftest import FIXTURES, ROOT, build, run_cli, soup

from explainer.load.config import BuildOptions
from explainer.serve.rebuild import Rebuilder

CAFE = FIXTURES / "cafe"

# Words of the first story (a 2017 mouse study of exercise, marrow fat and bone) that must
# not reach a second explainer's pages from the generator or its theme.
STORY_WORDS = (
    "bone",
    "bones",
    "osteoporosis",
    "marrow",
    "mouse",
    "mice",
    "Styner",
    "diet",
    "diets",
    "wheel",
    "wheels",
    "running",
    "runners",
    "exercise",
    "week",
    "weeks",
    "theory",
    "theories",
    "trabecular",
    "fat",
    "obese",
    "obesity",
    "birth",
    "doctor",
    "medical",
    "health",
    "treatment",
    "osteoblast",
    "adipocyte",
)


def _site(tmp_path: Path, source: Path = CAFE) -> Path:
    site = tmp_path / "src"
    shutil.copytree(source, site)
    return site


def test_a_site_template_replaces_the_theme_one_of_that_name(tmp_path: Path) -> None:
    site = _site(tmp_path)
    (site / "templates").mkdir()
    theme_glossary = (ROOT / "templates" / "glossary.html").read_text(encoding="utf-8")
    (site / "templates" / "glossary.html").write_text(
        theme_glossary.replace("<h1>{{ page.title }}</h1>", '<h1 class="mine">{{ page.title }}</h1>'), "utf-8"
    )
    (site / "static").mkdir(exist_ok=True)
    (site / "static" / "favicon.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"/>', encoding="utf-8")
    out = tmp_path / "out"
    result = run_cli("build", "--source", site, "--out", out, "--no-search", "--strict")  # no --templates
    assert result.code == 0, result.err
    assert soup(out / "glossary" / "index.html").select_one("h1.mine") is not None
    assert soup(out / "index.html").select_one("h1").get("class") is None  # the rest is the theme's
    assert (out / "static" / "site.css").read_bytes() == (ROOT / "templates" / "static" / "site.css").read_bytes()
    assert (out / "static" / "favicon.svg").read_text() == '<svg xmlns="http://www.w3.org/2000/svg"/>'


def test_templates_option_swaps_the_whole_theme(tmp_path: Path) -> None:
    theme = tmp_path / "theme"
    shutil.copytree(ROOT / "templates", theme)
    page = (theme / "page.html").read_text(encoding="utf-8")
    (theme / "page.html").write_text(page.replace('<article class="page', '<article data-theme="other" class="page'))
    (theme / "static" / "site.css").write_text("body{color:#111}\n", encoding="utf-8")
    out = tmp_path / "out"
    assert build(_site(tmp_path), out, "--no-search", templates=theme).code == 0
    assert soup(out / "index.html").select_one("article")["data-theme"] == "other"
    assert (out / "static" / "site.css").read_text() == "body{color:#111}\n"


def test_the_preview_takes_a_site_template_edit(tmp_path: Path) -> None:
    site = _site(tmp_path)
    out = tmp_path / "preview"
    rebuilder = Rebuilder(BuildOptions(source=site, out=out, search=False, preview=True))
    assert rebuilder.full().ok
    assert "mine" not in (out / "glossary" / "index.html").read_text()
    override = site / "templates" / "glossary.html"
    override.parent.mkdir()
    theme_glossary = (ROOT / "templates" / "glossary.html").read_text(encoding="utf-8")
    override.write_text(theme_glossary.replace("<h1>", '<h1 class="mine">'), encoding="utf-8")
    assert rebuilder.update([override.parent, override]).ok
    assert soup(out / "glossary" / "index.html").select_one("h1.mine") is not None
    override.write_text(theme_glossary.replace("<h1>", '<h1 class="again">'), encoding="utf-8")
    assert rebuilder.update([override]).ok
    assert soup(out / "glossary" / "index.html").select_one("h1.again") is not None


def test_new_makes_content_only_and_its_next_steps_work_as_printed(tmp_path: Path) -> None:
    target = tmp_path / "my explainer"
    started = time.perf_counter()
    made = run_cli("new", target, cwd=tmp_path)
    assert made.code == 0, made.err
    assert sorted(p.name for p in target.iterdir()) == ["site_src"]  # no copy of the theme
    assert not (target / "site_src" / "templates").exists()
    steps = [line.split("#")[0].strip() for line in made.out.splitlines() if line.startswith("  ")]
    assert steps[0] == f"cd {shlex.quote(str(target))}"
    serve, build_cmd = steps[1], steps[2]
    assert serve.endswith(" serve") and build_cmd.endswith(" build --strict")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}  # as installed: the package importable anywhere
    done = subprocess.run(f"{steps[0]} && {build_cmd}", shell=True, capture_output=True, text=True, env=env)
    took = time.perf_counter() - started
    assert done.returncode == 0, done.stderr
    assert "warning" not in done.stdout + done.stderr
    print(f"new -> built second explainer: {took:.2f} s")
    site = target / "_site"
    home = soup(site / "index.html")
    assert home.h1.get_text() == "Do bus lanes make buses faster?"
    assert len(home.select(".claim-card")) == 2
    assert (site / "claims" / "twice-as-fast" / "index.html").is_file()
    assert (site / "study" / "index.html").is_file()
    assert soup(site / "study" / "index.html").select("figure.fig-bar svg")
    assert len(soup(site / "glossary" / "index.html").select(".glossary-list dt")) == 2
    assert len(soup(site / "sources" / "index.html").select(".bibliography li")) == 2
    # The printed serve command starts the preview (on a free port here: 8000 may be taken).
    port = _free_port()
    proc = subprocess.Popen(
        f"{steps[0]} && exec {serve} --port {port} --no-search",
        shell=True,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        line = ""
        deadline = time.monotonic() + 60
        while "previewing" not in line and time.monotonic() < deadline:
            line = proc.stdout.readline()
        assert "previewing" in line and f":{port}/" in line, line
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_new_refuses_a_folder_with_files(tmp_path: Path) -> None:
    (tmp_path / "x").mkdir()
    (tmp_path / "x" / "keep.txt").write_text("mine")
    result = run_cli("new", tmp_path / "x")
    assert result.code == 2
    assert "folder exists and is not empty" in result.err
    assert (tmp_path / "x" / "keep.txt").read_text() == "mine"


def test_a_second_explainer_shows_nothing_of_the_first_story(tmp_path: Path) -> None:
    """The example `new` makes (bus lanes) and the French fixture (coffee), built with the
    built-in theme: none of the first story's words in any output file."""
    assert run_cli("new", tmp_path / "bus").code == 0
    sites = {"bus": tmp_path / "bus" / "site_src", "cafe": CAFE}
    pattern = re.compile(r"\b(" + "|".join(STORY_WORDS) + r")\b", re.IGNORECASE)
    for name, source in sites.items():
        for rel in source.rglob("*"):  # the sites' own words must not hold them either
            if rel.is_file():
                assert not pattern.search(rel.read_text(encoding="utf-8")), rel
        out = tmp_path / f"out-{name}"
        assert build(source, out, "--strict").code == 0
        # What readers, screen readers and search engines meet. Not the theme's CSS and scripts:
        # class names style every block the theme has (.theory for [[block:theories]]), and
        # script code speaks of a "mouse" pointer; their interface text comes from the strings
        # file through data-* attributes, which are in the HTML checked here.
        files = [p for p in out.rglob("*") if p.is_file() and p.suffix in (".html", ".svg", ".xml", ".txt")]
        assert len(files) > 8
        for path in files:
            if "pagefind" in path.parts:
                continue  # Pagefind's own code, not ours
            found = pattern.findall(path.read_text(encoding="utf-8"))
            assert not found, f"{path.relative_to(out)}: {sorted(set(found))}"


@pytest.mark.slow
def test_the_theme_is_found_from_an_installed_wheel(tmp_path: Path) -> None:
    """Build a wheel, install it into a fresh venv, and build a site from a folder that is
    not the repository: the theme must come from inside the installed package."""
    wheels = tmp_path / "wheels"
    made = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-w", wheels, ROOT],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert made.returncode == 0, made.stderr
    wheel = next(wheels.glob("explainer-*.whl"))
    env_dir = tmp_path / "venv"
    venv.create(env_dir, system_site_packages=True, with_pip=False, symlinks=True)
    python = env_dir / "bin" / "python"
    clean_env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}  # nothing of the checkout
    pip = [sys.executable, "-m", "pip", "--python", str(python)]
    installed = subprocess.run(
        [*pip, "install", "--no-deps", "--no-index", "--ignore-installed", wheel],
        capture_output=True,
        text=True,
        env=clean_env,
    )
    assert installed.returncode == 0, installed.stderr
    assert "Successfully installed explainer" in installed.stdout, installed.stdout
    work = tmp_path / "elsewhere"
    work.mkdir()
    where = subprocess.run(
        [python, "-c", "import explainer.load.config as c; print(c.__file__); print(c.builtin_theme())"],
        capture_output=True,
        text=True,
        cwd=work,
        env=clean_env,
    )
    module, theme = where.stdout.split()
    assert module.startswith(str(env_dir)) and theme.startswith(str(env_dir)), where.stdout
    assert (Path(theme) / "strings" / "fr.yaml").is_file() and (Path(theme) / "static" / "share.png").is_file()
    explainer = env_dir / "bin" / "explainer"
    assert subprocess.run([explainer, "new", "ex"], cwd=work, env=clean_env, capture_output=True).returncode == 0
    done = subprocess.run(
        [explainer, "build", "--strict", "--no-search"], cwd=work / "ex", env=clean_env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert soup(work / "ex" / "_site" / "index.html").select_one(".skip-link").get_text() == "Skip to main content"
