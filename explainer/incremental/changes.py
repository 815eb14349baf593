"""What a changed file is, for the build cache and the live preview alike.

Both decide what a change invalidates from the same answer: `classify(path, roots)` says
which kind of input a path is (a page, a data file, a template, a static file, site.yaml,
or nothing the build reads), from its place in the folders alone. It touches no file, so
it is tested without a site (as Zola tests its `detect_change_kind`). What each kind of
change redoes:

| kind | cache (cache.py) | preview (rebuild.py) |
|---|---|---|
| PAGE | that page's key | that page, and the menu's outputs if its title or order changed |
| DATA | every render's key | the outputs that read that file (registry.depends_on) |
| TEMPLATE | every render's key | the outputs that used that template |
| STATIC | size and mtime only: copied | copied |
| CONFIG | every render's key | a full build |
| IGNORE | not an input | nothing |
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from pathlib import Path

from ..core.fileops import under
from ..core.files import editor_file

THEME_STATIC = "static"  # templates/static/: the theme's CSS and JS, copied before site_src/static/


class ChangeKind(Enum):
    PAGE = "page"  # site_src/pages/**/*.md
    DATA = "data"  # site_src/data/*.yaml
    TEMPLATE = "template"  # templates/** but templates/static/
    STATIC = "static"  # site_src/static/**, templates/static/**
    CONFIG = "config"  # site_src/site.yaml, site_src/templates/**, site_src/strings/**
    IGNORE = "ignore"  # anything else: editors' temp files, other folders


@dataclass(frozen=True)
class Roots:
    """The folders a build reads (absolute)."""

    source: Path
    templates: Path


def is_temporary(path: Path) -> bool:
    return _temporary(path.name)


def _temporary(name: str) -> bool:
    return editor_file(name)  # the rule of core.files, which build and check follow


def classify(path: Path, roots: Roots) -> ChangeKind:
    """The kind of input `path` (absolute) is, from where it sits; reads no file."""
    if is_temporary(path):
        return ChangeKind.IGNORE
    if under(path, roots.templates):
        return theme_kind(path.relative_to(roots.templates).parts)
    if not under(path, roots.source):
        return ChangeKind.IGNORE
    return source_kind(path.relative_to(roots.source).parts)


def theme_kind(parts: tuple[str, ...] | list[str]) -> ChangeKind:
    """classify() of a path in the theme's folder, given as its parts below the folder."""
    if _temporary(parts[-1]):
        return ChangeKind.IGNORE
    return ChangeKind.STATIC if parts[0] == THEME_STATIC else ChangeKind.TEMPLATE


def source_kind(parts: tuple[str, ...] | list[str]) -> ChangeKind:
    """classify() of a path in the source folder, given as its parts below the folder (the
    build cache sorts a whole tree with it, without making a Path of each file)."""
    name = parts[-1]
    if _temporary(name):
        return ChangeKind.IGNORE
    first = parts[0]
    if (first == "site.yaml" and len(parts) == 1) or first in ("templates", "strings"):  # the site's own theme
        return ChangeKind.CONFIG
    if first == "data" and len(parts) == 2 and name in ("sources.bib", "sources.json"):
        return ChangeKind.CONFIG  # a reference manager's export: read with sources.yaml, a full build
    if first == "static":
        return ChangeKind.STATIC
    if name.endswith(".csl"):
        return ChangeKind.CONFIG  # a citation style site.yaml may name: every reference may change
    if first == "pages" and name.endswith(".md") and len(name) > 3:
        return ChangeKind.PAGE
    if first == "data" and len(parts) == 2 and name.endswith(".yaml") and len(name) > 5:
        return ChangeKind.DATA
    return ChangeKind.IGNORE
