"""What the last build parsed (pages, data) and scored (reading levels), reused while the
files' bytes are the same: the build cache's (cache.py) memory of its sources."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..core.errors import Diagnostics, SiteError
from .hashes import digest, generator_fingerprint, tree_files

if TYPE_CHECKING:
    from ..checks.reading import Scores
    from ..kinds.data import SiteData
    from ..kinds.pages import Page
    from .cache import BuildCache


class ParsedSources:
    """Pages and data the last build parsed, reused while their files' bytes are the same
    (parsing front matter and checking data costs more than hashing them)."""

    def __init__(self, cache: BuildCache) -> None:
        self.cache = cache
        self.pages: dict[str, tuple[str, Page]] = {}  # what this build parsed or reused (see read_page)
        self.data: tuple[str, SiteData, list[SiteError]] | None = None  # see load_data
        self._scores: Scores | None = None

    def scores(self) -> Scores:
        """The reading scores of the last build's texts, and where this build's go."""
        if self._scores is None:
            from ..checks.reading import Scores  # textstat: only a build that scores needs it

            self._scores = Scores(known=dict(self.cache.details.scores))
        return self._scores

    def scores_used(self) -> dict[str, float]:
        return self._scores.used if self._scores is not None else {}

    def known_page(self, path: Path) -> Page | None:
        """The page parsed from exactly this file's bytes by an earlier build."""
        known = self.cache.details.pages.get(str(path))
        return known[1] if known is not None and known[0] == self.cache.sha_of(path) else None

    def remember_page(self, path: Path, page: Page) -> None:
        """Keep a page that parsed without any problem (problems must be reported again)."""
        self.pages[str(path)] = (self.cache.sha_of(path), page)

    def read_page(self, path: Path, pages_dir: Path, diags: Diagnostics) -> Page | None:
        """content.read_page, parsing a page file only if its bytes changed since last time."""
        from ..kinds.pages import read_page

        page = self.known_page(path)
        if page is not None:
            self.remember_page(path, page)
            return page
        before = len(diags.items)
        page = read_page(path, pages_dir, diags)
        if page is not None and len(diags.items) == before:
            self.remember_page(path, page)
        return page

    def load_data(self, source: Path, diags: Diagnostics, kinds: Any = None, language: str = "en") -> SiteData:
        """data.load_data, or the data the last build loaded from exactly these files, in this
        language (it reads the numbers of facts' texts)."""
        from ..kinds.data import load_data

        files = sorted(tree_files(source / "data").items())
        prefix = kinds.url_prefix if kinds is not None else ""  # in the data's URLs (corrections' pages)
        key = digest(
            generator_fingerprint(),
            str(source),
            prefix,
            language,
            *(f"{rel}:{self.cache.sha_of(path)}" for rel, path in files),
        )
        known = self.cache.details.data
        if known is not None and known[0] == key:
            diags.items.extend(known[2])
            self.data = known
            return known[1]
        # Its own Diagnostics: load_data reads only the marks it sets itself.
        local = Diagnostics()
        data = load_data(source, local, kinds, language)
        diags.items.extend(local.items)
        diags.broken |= local.broken
        if not local.errors and not local.broken:
            self.data = (key, data, list(local.items))
        return data
