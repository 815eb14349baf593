"""The `verdicts` kind (`data/verdicts.yaml`): the ratings a claim can get, best first, with
the colours of their badges (`static/verdicts.css` is generated from them)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..core.errors import SiteError
from ..core.yamlio import YMap
from .declare import GeneratedPage, Kind, Model, id_key, key

HEX_RE = re.compile(r"^#[0-9a-fA-F]{6}$")
# The shapes the theme draws beside a verdict's label (templates/macros.html, verdict_mark),
# so a verdict reads without its colour.
VERDICT_MARKS = ("check", "check-outline", "question", "minus", "warning", "cross", "dot")


def hex_colour(entry: YMap, name: str) -> list[SiteError]:
    if HEX_RE.match(str(entry[name])):
        return []
    return [SiteError(entry.value_loc(name), f"'{name}' must be a colour like #1b5e20")]


@dataclass(kw_only=True)
class Verdict(Model):
    id: str = id_key()
    label: str = key()
    definition: str = key()
    color: str = key(check=hex_colour, doc="badge background in light mode (white text)")
    color_dark: str = key(check=hex_colour, doc="badge background in dark mode (black text)")
    rating: int = key(int, doc="higher = better supported")
    mark: str = key(default="dot", choices=VERDICT_MARKS, doc="the shape beside the label")


KIND = Kind(
    "verdicts",
    "verdict",
    make=Verdict,
    shared=True,
    pages=(
        GeneratedPage("static/verdicts.css", "verdicts.css", "verdict_colours_title", in_sitemap=False, always=True),
    ),
    doc="a list, best first",
)
