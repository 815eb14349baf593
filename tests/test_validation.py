"""Issue 17's validation cases that need more than the fixture site, or time: inline
Markdown renders in time proportional to its length; a figure drawing the wrong kind of
data and `new` into a place that cannot be written are located errors, no traceback."""

from __future__ import annotations

import resource
import shutil
import subprocess
import sys
from pathlib import Path

from conftest import FIXTURES, ROOT, SITE_SRC, run_cli


def check_cpu_seconds(source: Path) -> float:
    """CPU time of one `check` run (CPU, not wall: the test machine is shared)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    proc = subprocess.run(
        [sys.executable, str(ROOT / "build.py"), "check", "--source", str(source)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    assert "Traceback" not in proc.stderr
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def dense_page(tmp_path: Path, name: str, paragraphs: int) -> Path:
    """The fixture with paragraphs of emphasis, each just under the length limit."""
    site = shutil.copytree(FIXTURES / "tea", tmp_path / name)
    if paragraphs:
        body = "\n\n".join(["*a* " * 4_999] * paragraphs)
        (site / "pages" / "dense.md").write_text(f"---\ntitle: Dense\n---\n{body}\n", encoding="utf-8")
    return site


def test_inline_markdown_renders_in_time_proportional_to_its_length(tmp_path: Path) -> None:
    base = check_cpu_seconds(dense_page(tmp_path, "none", 0))  # start-up and the fixture's own pages
    small = check_cpu_seconds(dense_page(tmp_path, "small", 2)) - base  # 40,000 characters
    large = check_cpu_seconds(dense_page(tmp_path, "large", 6)) - base  # 120,000
    assert small > 0.1
    assert large / small < 4.5, (small, large)  # three times the text: about three times the time, not nine


def test_a_figure_drawing_the_wrong_kind_is_a_located_error(tmp_path: Path) -> None:
    site = shutil.copytree(SITE_SRC, tmp_path / "src")
    figures = site / "data" / "figures.yaml"
    text = figures.read_text(encoding="utf-8")
    assert "  data: theories\n" in text
    figures.write_text(text.replace("  data: theories\n", "  data: claims\n", 1), encoding="utf-8")
    result = run_cli("check", "--source", site)
    assert result.code == 1 and "Traceback" not in result.err
    errors = [line for line in result.err.splitlines() if ": error: " in line]
    assert len(errors) == 1, result.err
    assert "data/figures.yaml:" in errors[0] and "a pathways figure cannot draw 'claims'" in errors[0]


def test_new_into_a_place_that_cannot_be_written(tmp_path: Path) -> None:
    (tmp_path / "a-file").write_text("x", encoding="utf-8")
    for target in (tmp_path / "a-file" / "site", Path("/proc/explainer-new-test")):
        result = run_cli("new", target)
        assert result.code == 2 and "Traceback" not in result.err, result.err
        assert "cannot create the new explainer here" in result.err and "choose a folder you can write to" in result.err
