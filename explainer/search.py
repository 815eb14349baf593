"""Full-text search: runs Pagefind over the finished site (before it is swapped in).

Pagefind indexes only what is marked `data-pagefind-body` (the main content), so nav and
footer stay out of results. Without the `pagefind` package the site builds without search.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from .errors import BuildFailed, Diagnostics, Location


def pagefind_available() -> bool:
    try:
        import pagefind  # noqa: F401
    except ImportError:
        return False
    return True


def build_search_index(site_dir: Path) -> None:
    if not pagefind_available():
        return
    result = subprocess.run(
        [sys.executable, "-m", "pagefind", "--site", str(site_dir), "--output-subdir", "pagefind", "--quiet"],
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        diags = Diagnostics()
        diags.error(Location(site_dir), f"search index failed: {result.stderr.strip() or result.stdout.strip()}")
        raise BuildFailed(diags)
