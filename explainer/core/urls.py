"""Every URL and output path the generator makes goes through these."""

from __future__ import annotations

# A site with several explainers would give each its own prefix ("coffee/"): set it here.
URL_PREFIX = ""


def site_url(path: str) -> str:
    """The URL (relative to the site root) of a generated or page path like "claims/x/"."""
    return f"{URL_PREFIX}{path}"


def output_path(url: str) -> str:
    """The file an URL is written to: "claims/x/" -> "claims/x/index.html"."""
    return f"{url}index.html" if url == "" or url.endswith("/") else url
