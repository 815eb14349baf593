"""The build cache of a series (site/series.py): an explainer none of whose inputs changed is
not built again, its files are taken from the previous output.

One record per explainer, in `.cache/explainer/<out>-<id>/series.json` (plain JSON read
back into these record types only, cachefile.py), from the last successful build: the key
of its inputs, the bytes' hash of every file it wrote, and what the series needs of it
without building it (its card for the front door, its sitemap addresses, the links that
lead out of it, the sources it cited and terms it used, its warnings).

An explainer's key is everything its build reads: the generator, the build's options, the
theme, the series' site.yaml and shared data/, every file of its own folder, and the claims
of the other explainers its pages name ([[claim:slug/id]] prints their quote and verdict).
What lists the explainers (the front door, topics, archive, the site's feeds, sitemap and
search index) is made again every build, from the records. A file is taken from the
previous output only when it is as the last build left it: its size, mtime and inode the
ones recorded after the swap (as the build cache trusts its outputs), or else its bytes
hashing to what was recorded; anything else (a damaged record, a file changed or missing)
builds that explainer again.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..core.errors import Location, SiteError
from ..core.fileops import signature
from . import cachefile
from .cache import cache_dir
from .hashes import digest, file_digest, generator_fingerprint, tree_files

FORMAT = 3  # bump when the layout (or cachefile's encoding) changes
FILE = "series.json"
CROSS_REF = re.compile(r"\[\[claim:([a-z0-9-]+)/")  # another explainer's claim, named in a page


@dataclass
class PartRecord:
    """One explainer as the last build made it."""

    key: str
    card: Any  # load.series.Card
    files: dict[str, str] = field(default_factory=dict)  # output path -> sha of its bytes
    statics: dict[str, str] = field(default_factory=dict)  # output path -> its own static file
    sitemap: list[str] = field(default_factory=list)  # its URLs in the sitemap
    links: list[tuple[str, str, Location]] = field(default_factory=list)  # links out of it: (url, anchor, where)
    cited: list[str] = field(default_factory=list)  # source ids its pages cite
    terms: list[str] = field(default_factory=list)  # glossary term ids its pages use
    diagnostics: list[SiteError] = field(default_factory=list)  # its warnings, shown again
    pages: int = 0


@dataclass
class SeriesManifest:
    format: int = FORMAT
    parts: dict[str, PartRecord] = field(default_factory=dict)
    # Every file of the output as the build left it (size, mtime, inode): a file still so is
    # trusted without reading it, as the build cache trusts its outputs; any other is hashed.
    tree: dict[str, tuple[int, int, int]] = field(default_factory=dict)
    claims: dict[str, tuple[str, dict[str, Any]]] = field(default_factory=dict)  # slug -> (its files' digest, claims)


class SeriesCache:
    """The records of one series' output folder, and the keys of its explainers now."""

    def __init__(self, options: Any, warn: list[str]) -> None:
        self.options = options
        self.path = cache_dir(options) / FILE
        self.out = options.out
        self.old = self._load(warn)
        self.shas: dict[str, str] = {}
        self.expect: dict[str, tuple[int, int, int]] = {}  # output path -> the file checked (write_atomically)
        self.tables: dict[str, tuple[str, dict[str, Any]]] = {}  # the claims tables of this build (claims)

    def _load(self, warn: list[str]) -> SeriesManifest:
        from ..load.series import Card

        if not self.path.is_file():
            return SeriesManifest()
        try:
            found = cachefile.read(
                self.path, {"SeriesManifest": SeriesManifest, "PartRecord": PartRecord, "Card": Card}
            )
        except (OSError, ValueError, TypeError, KeyError, AttributeError, cachefile.Unreadable):
            found = None
        if not isinstance(found, SeriesManifest) or found.format != FORMAT:
            warn.append(
                f"{self.path}: the series' cache could not be read (not ours, or damaged): building every explainer"
            )
            return SeriesManifest()
        return found

    def _sha(self, path: str) -> str:
        if path not in self.shas:
            self.shas[path] = file_digest(Path(path))
        return self.shas[path]

    def key(self, slug: str, claims: Mapping[str, Any]) -> str:
        """What the explainer's build reads (see the module's docstring), as one digest."""
        o = self.options
        root = o.source
        own = root / "explainers" / slug
        parts: list[str] = [generator_fingerprint(), repr((str(o.out), o.strict, o.drafts, o.search, slug))]
        named: set[str] = set()
        for label, folder in (("own", own), ("theme", o.templates), ("data", root / "data")):
            for rel, path in sorted(tree_files(folder).items()):
                parts.append(f"{label}/{rel}:{self._sha(path)}")
                if label == "own" and rel.endswith(".md"):
                    named |= set(CROSS_REF.findall(Path(path).read_text(encoding="utf-8", errors="replace")))
        site_yaml = root / "site.yaml"
        parts.append(f"site.yaml:{self._sha(str(site_yaml)) if site_yaml.is_file() else ''}")
        for other in sorted(named - {slug}):
            parts.append(f"claims/{other}:{sorted(claims.get(other, {}).items())!r}")
        return digest(*parts)

    def reusable(self, slug: str, key: str) -> PartRecord | None:
        """The explainer's record, if its inputs are the ones it was built from and every file
        it wrote is still in the output with the bytes recorded."""
        record = self.old.parts.get(slug)
        if record is None or record.key != key:
            return None
        seen: dict[str, tuple[int, int, int]] = {}
        for rel, sha in record.files.items():
            before = self._intact(rel, sha)
            if before is None:
                return None
            seen[rel] = before
        self.expect.update(seen)
        return record

    def _intact(self, rel: str, sha: str | None) -> tuple[int, int, int] | None:
        """The output file's signature if it is as the last build left it: its signature the
        one recorded, or else (sha given) its bytes hashing to sha; None if not."""
        path = self.out / rel
        before = signature(path)
        if before is None:
            return None
        if self.old.tree.get(rel) == before:
            return before
        try:
            if sha is None or digest(path.read_bytes()) != sha or signature(path) != before:
                return None
        except OSError:
            return None
        return before

    def claims(self, slug: str, files: list[Path], make: Callable[[], dict[str, Any]]) -> dict[str, Any]:
        """An explainer's claims as [[claim:slug/id]] prints them (site.series.claims_of):
        made again only when one of the files they are read from changed."""
        key = digest(*(f"{f}:{self._sha(str(f)) if f.is_file() else ''}" for f in files))
        known = self.old.claims.get(slug)
        table = known[1] if known is not None and known[0] == key else make()
        self.tables[slug] = (key, table)
        return table

    def index_folder(self, folder: str) -> dict[str, Path] | None:
        """A folder of the previous search index (one part: "pagefind/part-x/", or the first,
        "pagefind/", without the others' folders inside it), if every file the last build left
        in it is still as it was (output.search.SearchIndex.reuse)."""
        inner = "pagefind/part-"
        files: dict[str, Path] = {}
        for rel in self.old.tree:
            if not rel.startswith(folder) or (folder == "pagefind/" and rel.startswith(inner)):
                continue
            before = self._intact(rel, None)
            if before is None:
                return None
            self.expect[rel] = before
            files[rel] = self.out / rel
        return files or None

    def save(self, parts: dict[str, PartRecord]) -> None:
        """The records, and the output as it now is (after the swap)."""
        tree = {rel: sig for rel, path in tree_files(self.out).items() if (sig := signature(path)) is not None}
        self.path.parent.mkdir(parents=True, exist_ok=True)
        cachefile.write(self.path, SeriesManifest(FORMAT, parts, tree, self.tables))
