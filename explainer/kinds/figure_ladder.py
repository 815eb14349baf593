"""The evidence ladder figure kind: levels of evidence, lowest first, each with the sources
standing on it by their short names."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..core.schema import Field
from .declare import FigureKind
from .figure_draw import LINE, PAD, SMALL_LINE, WIDE, WIDTH
from .fontmetrics import wrap_to

if TYPE_CHECKING:
    from .figures import Figure


@dataclass
class Rung:
    label: str
    lines: list[str]  # the sources on this rung, as short names
    note_lines: list[str]
    sources: list[Any]
    y: float
    h: float
    label_lines: list[str] = field(default_factory=list)


@dataclass
class LadderLayout:
    width: int
    height: int
    rungs: list[Rung]


@dataclass
class Ladder:
    narrow: LadderLayout
    wide: LadderLayout


def ladder(fig: Figure, sources: dict[str, Any]) -> Ladder:
    return Ladder(ladder_rungs(fig, sources, WIDTH), ladder_rungs(fig, sources, WIDE))


def ladder_rungs(fig: Figure, sources: dict[str, Any], width: int = WIDTH) -> LadderLayout:
    """Levels are given lowest first; the top of the picture is the strongest evidence."""
    rungs = []
    y = 30.0  # room for the top end's words above the top rung
    inner = width - 2 * PAD - 24
    for level in reversed(list(fig.items)):
        found = [sources[s] for s in level.get("sources", []) if s in sources]
        names = "; ".join(short_name(s) for s in found)
        lines = wrap_to(names, inner, 14) if names else []
        note = str(level.get("note") or "")
        note_lines = wrap_to(note, inner, 13, "italic") if note else []
        label_lines = wrap_to(str(level.get("label", "")), inner, 15, "bold")
        h = 14 + LINE * len(label_lines) + SMALL_LINE * (max(1, len(lines)) + len(note_lines)) + 10
        rungs.append(Rung(str(level.get("label", "")), lines, note_lines, found, y, h, label_lines))
        y += h + 8
    return LadderLayout(width, int(y + 22), rungs)


def short_name(source: Any) -> str:
    """ "Smith 2020": first author's family name (or institution) and year; without a named
    author, the source id.

    An id like `pelvis2007` already ends in the year, so it reads "Pelvis 2007".
    """
    first = source.authors.first
    year = str(getattr(source, "year", "") or "")
    if first is not None:
        return f"{first.short}\u00a0{year}".strip()  # no break between name and year
    ident = str(source.id)
    if year and ident.endswith(year) and len(ident) > len(year):
        stem = ident[: -len(year)].replace("-", " ").replace("_", " ").strip()
        return f"{stem[:1].upper()}{stem[1:]}\u00a0{year}"
    return f"{ident}\u00a0{year}".strip()


LADDER_OPTIONS = (
    Field("top", required=False, doc="the words at the strong end (default: the theme's 'Stronger evidence')"),
    Field("bottom", required=False, doc="the words at the weak end"),
)
LADDER_ITEMS = Field(
    "items",
    list,
    fields=(Field("label"), Field("sources", list, required=False, ref="sources"), Field("note", required=False)),
)


LADDER = FigureKind("ladder", lambda fig, data, numbers: ladder(fig, data.sources), LADDER_ITEMS, LADDER_OPTIONS)
