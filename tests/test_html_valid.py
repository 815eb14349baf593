"""Valid HTML: every built page passes the Nu HTML Checker (vnu-jar from npm, run with the
machine's Java; scripts/test-env.sh installs both) with 0 errors. One JVM checks every file
at once, plus a page we break on purpose, to prove the checker really looked."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

from conftest import ROOT, html_pages

VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


def nu_errors(files: list[Path]) -> dict[str, list[str]]:
    java = shutil.which("java")
    assert java, "Java not found: scripts/test-env.sh installs it"
    assert VNU.is_file(), "vnu.jar not found: scripts/test-env.sh runs npm install"
    proc = subprocess.run(
        [java, "-jar", str(VNU), "--errors-only", "--format", "json", *map(str, files)],
        capture_output=True,
        text=True,
        timeout=180,
    )
    report = json.loads(proc.stderr or proc.stdout)
    errors: dict[str, list[str]] = {}
    for message in report["messages"]:
        if message["type"] == "error" or message.get("subType") == "fatal":
            where = message.get("url", "?").removeprefix("file:")
            errors.setdefault(where, []).append(f"{message.get('lastLine', '?')}: {message['message']}")
    return errors


def test_every_page_passes_the_nu_html_checker(real_site: Path, tea_site: Path, tmp_path: Path) -> None:
    broken = tmp_path / "broken.html"
    broken.write_text(
        '<!DOCTYPE html><html lang="en"><head><title>x</title></head>'
        "<body><figure><figcaption>a</figcaption><p>b</p><figcaption>c</figcaption></figure></body></html>",
        encoding="utf-8",
    )
    pages = html_pages(real_site) + html_pages(tea_site)
    assert len(pages) > 25
    errors = nu_errors([*pages, broken])
    assert broken.as_posix() in {Path(k).as_posix() for k in errors}, "the checker must flag the broken page"
    errors = {k: v for k, v in errors.items() if Path(k) != broken}
    assert errors == {}
