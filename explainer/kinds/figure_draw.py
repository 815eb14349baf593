"""What every figure kind's layout shares: the drawings' sizes, numbers as printed, and the
limits of what can be drawn.

Every figure is drawn at build time, so readers need no JavaScript to see it. Figures are
laid out for a phone first: a narrow drawing (WIDTH user units) that a 360 px screen shows
at about its natural size, so 15-unit text stays about 14 px; wide screens cap the size in
CSS. Text is measured and wrapped with the real widths of the font the theme ships for
figures (`fontmetrics`), so a drawing looks the same on every device whatever fonts it has;
a browser test checks no text leaves its drawing or overlaps other text. Each figure kind
(figure_bar.py, figure_timeline.py, figure_pathways.py, figure_ladder.py) holds the fields
of its items, checked by the data stage, and its geometry: positions for the SVG templates
in `templates/figures/`. Pure functions; the templates draw, these measure.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..core.errors import SiteError
from ..core.yamlio import YMap

if TYPE_CHECKING:
    from .figures import Figure

WIDTH = 340  # viewBox width of the narrow drawings (phones)
WIDE = 680  # viewBox width of the wide drawings (a wide screen's text column)
PAD = 8  # inner margin
LINE = 20  # line height of 15-unit text
SMALL_LINE = 18  # line height of 13-14-unit text

SERIES = 6  # colours a chart can tell apart (templates/static/site.css, figure section)


def signed(value: float, unit: str) -> str:
    return f"{'+' if value > 0 else ''}{plain(value)}{unit}"


def plain(value: float) -> str:
    """A number exactly as the data has it (44, 0.88, 229119: never rounded, never in
    e-notation for a whole number), with a true minus sign, which reads better."""
    whole = value == int(value) and abs(value) < 1e15
    return (str(int(value)) if whole else repr(float(value))).replace("-", "\u2212")


def option(fig: Figure, name: str, default: Any = None) -> Any:
    return fig.options.get(name, default)


def when_text(fig: Figure, at: float) -> str:
    return str(option(fig, "when", "{at}")).replace("{at}", plain(at))


NUMBER = (int, float)
LARGEST = 1e12  # beyond this a drawing's arithmetic loses its digits


def drawable(item: YMap, keys: tuple[str, ...]) -> list[SiteError]:
    return [
        SiteError(item.value_loc(k), f"'{k}' is too large to draw: keep it between -{LARGEST:g} and {LARGEST:g}")
        for k in keys
        if k in item and abs(item[k]) > LARGEST
    ]
