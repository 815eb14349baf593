"""Stage 1, config: what a series (several explainers on one site, site/series.py) is made
of, as every later stage reads it: where its explainers are, the cards the front door lists,
the claims one explainer may cite of another, and how an explainer's settings take the
series' site.yaml keys it leaves out.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..core.errors import Location, SiteError
from ..core.urls import SERIES_PAGES
from ..core.yamlio import YMap

EXPLAINERS = "explainers"  # a series' folder of explainers: explainers/<slug>/
SERIES_RESERVED = ("archive", "topics")  # the front door's lists (core.urls.SERIES_PAGES)
# A slug (an explainer's folder, a topic tag) is an address: lower-case letters, digits, hyphens.
SLUG_RE = re.compile(r"^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$")
NOT_EXPLAINERS = (*SERIES_PAGES, "static", "pagefind")  # the front door's pages' names, the site's own folders


def is_series(source: Path) -> bool:
    """A site folder with an explainers/ folder holds a series."""
    return (source / EXPLAINERS).is_dir()


def slug_problem(name: str) -> str | None:
    """Why `name` cannot be an explainer's address (/name/), or None."""
    if SLUG_RE.match(name) and name not in NOT_EXPLAINERS:
        return None
    return f"an explainer's address (/{name}/) is lower-case letters, digits and hyphens, and not " + ", ".join(
        f"'{n}'" for n in NOT_EXPLAINERS
    )


EXPLAINER_FILE = "explainer.yaml"  # an explainer's settings in a series (site.yaml's keys it changes)


@dataclass(frozen=True)
class Card:
    """An explainer as the series' front door, topics and archive list it."""

    slug: str
    url: str  # its home page, from the site's root: "coffee/"
    title: str
    question: str
    bottom_line: str
    published: str  # YYYY-MM-DD
    tags: tuple[str, ...] = ()
    verdicts: tuple[tuple[str, str, int], ...] = ()  # (verdict id, label, claims with it), in scale order


@dataclass(frozen=True)
class Series:
    """A site of several explainers (site/series.py): its folder, and what every part of it
    may read of the others: each explainer's claims by id ([[claim:slug/id]]: its URL, quote
    and verdict), and the explainers' cards (the front door's lists)."""

    root: Path
    title: str = ""  # the series' own (site.yaml's), which every explainer's header links to its front door with
    # slug -> claim id -> (its page's URL, its quote, its verdict's id, the verdict's label)
    claims: Mapping[str, Mapping[str, tuple[str, str, str, str]]] = field(default_factory=dict)
    cards: tuple[Card, ...] = ()
    # Template folders -> their environment, shared by the parts of one build (render.renderer).
    environments: dict[tuple[Path, ...], Any] = field(default_factory=dict, compare=False, repr=False)
    slugs: tuple[str, ...] = ()  # its explainers' folders, in order

    def reserved(self) -> tuple[str, ...]:
        """The first URL segments the front door's own pages may not take."""
        return (*SERIES_RESERVED, *self.slugs)

    def slug_of(self, source: Path) -> str:
        """The explainer a source folder is ("" for the front door)."""
        return "" if source == self.root else source.name


# What only the series' site.yaml says: one for the whole site.
SERIES_ONLY = ("base_url", "language", "url_prefix")
EXPLAINER_OWN = ("title", "description", "last_reviewed")  # what no explainer takes from the series


def inherit(own: YMap, path: Path, site: Any, slug: str) -> YMap:
    """An explainer's settings in a series: its explainer.yaml, and for every key it leaves
    out the series' site.yaml (errors about such a key point at site.yaml). Its pages are
    under its slug (url_prefix: <slug>/); base_url and language are the site's alone."""
    for key in SERIES_ONLY:
        if key in own:
            raise SiteError(
                own.loc(key),
                f"'{key}' is the whole site's: set it in the series' site.yaml, not in an explainer's {path.name}"
                + (f" (this explainer's pages are under {slug}/, its folder's name)" if key == "url_prefix" else ""),
            )
    missing = [key for key in EXPLAINER_OWN if key not in own]
    if missing:
        raise SiteError(
            own.loc(),
            f"{path.name} needs its own {', '.join(repr(k) for k in missing)}: each explainer of a series has its"
            " own title, description and review date (the other keys come from the series' site.yaml)",
        )
    if not isinstance(site, YMap):
        return own
    merged = YMap(own)
    merged.__dict__.update(own.__dict__)
    merged.origins = dict(own.__dict__.get("origins", {}))
    for key, value in site.items():
        if key in own or key in ("menu", "url_prefix"):  # a menu names the front door's pages
            continue
        merged[key] = value
        merged.origins[key] = site.value_loc(key)
    merged["url_prefix"] = str(site.get("url_prefix") or "") + f"{slug}/"
    merged.origins["url_prefix"] = Location(path.parent)
    return merged
