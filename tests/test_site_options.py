"""Site options and theme conveniences: the page type from site.yaml's `topic`, the site's
own `extra_css` / `extra_js`, `--version`, `theme list` / `theme copy`, and `new`'s next
steps as the user ran the program."""

from __future__ import annotations

import json
import os
import re
import shlex
import subprocess
import sys
import venv
from pathlib import Path
from typing import Any

import pytest
from conftest import FIXTURES, ROOT, build, copy_site, html_pages, run_cli, soup

CAFE = FIXTURES / "cafe"


def _json_ld(site: Path) -> dict[str, list[dict[str, Any]]]:
    """Each built page's JSON-LD objects, by the page's path in the site."""
    pages = html_pages(site)
    assert pages
    return {
        path.relative_to(site).as_posix(): [
            json.loads(s.string) for s in soup(path).select('script[type="application/ld+json"]')
        ]
        for path in pages
    }


def _check_page_types(site: Path, page_type: str) -> None:
    """Every page one WebPage (or MedicalWebPage), and what it holds: an editor's page an
    Article, a claim page a ClaimReview, a page the generator lists nothing more."""
    found = _json_ld(site)
    editors = {"index.html", "details/index.html"}  # the fixture's pages/index.md and details.md
    claims = {p for p in found if p.startswith("claims/") and p != "claims/index.html"}
    assert editors <= set(found) and claims and "sources/index.html" in found and "glossary/index.html" in found
    for path, items in found.items():
        if path == "404.html":
            assert [i["@type"] for i in items] == ["WebPage"] and "medicalAudience" not in items[0]
            continue
        page = items[0]
        assert page["@type"] == page_type, path
        if page_type == "MedicalWebPage":
            assert page["medicalAudience"] == {"@type": "MedicalAudience", "audienceType": "Patient"}, path
        else:
            assert "medicalAudience" not in page, path
        types = [i["@type"] for i in items[1:]]
        if path in editors:
            assert types == ["Article"], path
            article = items[1]
            assert page["mainEntity"] == {"@id": article["@id"]} and article["@id"] == page["url"] + "#article"
            assert article["mainEntityOfPage"] == {"@id": page["url"]}
            assert article["headline"] == article["name"] == page["name"] and article["inLanguage"] == "fr"
            assert article["author"] == [page["publisher"]]  # no authors in site.yaml: the publisher wrote it
        elif path in claims:
            assert types == ["ClaimReview"], path
            assert page["mainEntity"] == {"@id": items[1]["@id"]}
        else:  # the claims, sources, glossary... lists
            assert types == [] and "mainEntity" not in page, path


def test_pages_are_web_pages_unless_the_site_says_its_topic_is_health(tmp_path: Path) -> None:
    source = copy_site(tmp_path / "src", CAFE)
    assert build(source, tmp_path / "general", "--no-search").code == 0
    _check_page_types(tmp_path / "general", "WebPage")
    site_yaml = source / "site.yaml"
    site_yaml.write_text(site_yaml.read_text(encoding="utf-8") + "topic: health\n", encoding="utf-8")
    assert build(source, tmp_path / "health", "--no-search").code == 0
    # The error page stays a WebPage; every other page is medical content, for the public.
    _check_page_types(tmp_path / "health", "MedicalWebPage")


def test_an_unknown_topic_is_a_located_error(tmp_path: Path) -> None:
    source = copy_site(tmp_path / "src", CAFE)
    site_yaml = source / "site.yaml"
    lines = site_yaml.read_text(encoding="utf-8").count("\n")
    site_yaml.write_text(site_yaml.read_text(encoding="utf-8") + "topic: heath\n", encoding="utf-8")
    result = build(source, tmp_path / "out", "--no-search")
    assert result.code == 1
    assert re.search(
        rf"site\.yaml:{lines + 1}:8: error: 'topic' must be one of: general, health \(got 'heath'\)", result.err
    ), result.err


def test_extra_css_and_js_are_linked_after_the_theme_s_on_every_page(tmp_path: Path) -> None:
    source = copy_site(tmp_path / "src", CAFE)
    (source / "static").mkdir(exist_ok=True)
    (source / "static" / "mine.css").write_text("body { outline: 0 }\n", encoding="utf-8")
    (source / "static" / "js").mkdir()
    (source / "static" / "js" / "mine.js").write_text("void 0;\n", encoding="utf-8")
    site_yaml = source / "site.yaml"
    site_yaml.write_text(
        site_yaml.read_text(encoding="utf-8") + "extra_css: [mine.css]\nextra_js: [js/mine.js]\n", encoding="utf-8"
    )
    out = tmp_path / "out"
    result = build(source, out, "--no-search", "--strict")
    assert result.code == 0, result.err
    assert (out / "static" / "mine.css").is_file() and (out / "static" / "js" / "mine.js").is_file()
    claims = soup(out / "claims" / "index.html")
    sheets = [link["href"] for link in claims.select('link[rel="stylesheet"]')]
    assert sheets == ["../static/site.css", "../static/verdicts.css", "../static/mine.css"]
    assert [s["src"] for s in claims.select("script[src]")][-1] == "../static/js/mine.js"
    assert soup(out / "index.html").select('link[href="static/mine.css"]')


@pytest.mark.parametrize(
    ("listed", "expected"),
    [
        ("[missing.css]", "no file static/missing.css in the site"),
        ("['https://cdn.example.com/x.css']", "lists files of the site's static/ folder"),
        ("['//cdn.example.com/x.css']", "lists files of the site's static/ folder"),
        ("['../site.yaml']", "lists files of the site's static/ folder"),
        ("[mine.js]", "lists .css files"),
    ],
)
def test_extra_css_refuses_what_is_not_a_file_of_the_site(tmp_path: Path, listed: str, expected: str) -> None:
    source = copy_site(tmp_path / "src", CAFE)
    (source / "static").mkdir(exist_ok=True)
    (source / "static" / "mine.js").write_text("void 0;\n", encoding="utf-8")
    site_yaml = source / "site.yaml"
    lines = site_yaml.read_text(encoding="utf-8").count("\n")
    site_yaml.write_text(site_yaml.read_text(encoding="utf-8") + f"extra_css: {listed}\n", encoding="utf-8")
    result = build(source, tmp_path / "out", "--no-search")
    assert result.code == 1
    assert f"site.yaml:{lines + 1}:13: error: " in result.err and expected in result.err, result.err
    assert "Traceback" not in result.err


def test_version() -> None:
    result = run_cli("--version")
    assert result.code == 0
    assert re.fullmatch(r"explainer \S+\n", result.out), result.out


def test_theme_copy_copies_one_file_and_never_overwrites(tmp_path: Path) -> None:
    source = copy_site(tmp_path / "site_src", CAFE)
    listed = run_cli("theme", "list")
    assert listed.code == 0
    assert {"base.html", "blocks/limits.html", "static/site.css", "strings/fr.yaml"} <= set(listed.out.split())
    done = run_cli("theme", "copy", "base.html", cwd=tmp_path)
    assert done.code == 0, done.err
    copied = source / "templates" / "base.html"
    assert copied.read_bytes() == (ROOT / "templates" / "base.html").read_bytes()
    assert run_cli("theme", "copy", "limits.html", "--source", source).code == 0  # one file of that name
    assert (source / "templates" / "blocks" / "limits.html").is_file()
    assert run_cli("theme", "copy", "static/site.css", "--source", source).code == 0
    assert (source / "static" / "site.css").is_file()
    copied.write_text(copied.read_text(encoding="utf-8").replace("<body", '<body data-mine=""'), encoding="utf-8")
    again = run_cli("theme", "copy", "base.html", "--source", source)
    assert again.code == 2 and "already exists" in again.err
    assert 'data-mine=""' in copied.read_text(encoding="utf-8")  # the editor's change is kept
    out = tmp_path / "out"
    assert build(source, out, "--no-search", "--strict").code == 0
    assert soup(out / "index.html").body.has_attr("data-mine")
    unknown = run_cli("theme", "copy", "bsae.html", "--source", source)
    assert unknown.code == 2
    assert "no file 'bsae.html'" in unknown.err and "  base.html\n" in unknown.err


def test_new_prints_the_command_the_user_ran(tmp_path: Path) -> None:
    """A venv's `explainer` run by its path (the venv not activated): the steps use that path."""
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(system_site_packages=True).create(env_dir)
    script = env_dir / "bin" / "explainer"
    script.write_text(f"#!{env_dir / 'bin' / 'python'}\nfrom explainer.cli.main import entry_point\nentry_point()\n")
    script.chmod(0o755)
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"}
    made = subprocess.run([str(script), "new", "ex"], cwd=tmp_path, capture_output=True, text=True, env=env)
    assert made.returncode == 0, made.stderr
    steps = [line.split("#")[0].strip() for line in made.stdout.splitlines() if line.startswith("  ")]
    assert steps[1] == f"{shlex.quote(str(script))} serve"
    done = subprocess.run(f"{steps[0]} && {steps[2]}", shell=True, cwd=tmp_path, capture_output=True, env=env)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "ex" / "_site" / "index.html").is_file()
    # From a checkout's build.py: that file's full path, with this interpreter.
    checkout = run_cli("new", tmp_path / "ex2", cwd=tmp_path)
    assert f"{ROOT / 'build.py'} serve" in checkout.out
    assert sys.executable.rsplit("/", 1)[-1] in checkout.out
