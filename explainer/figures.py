"""Figure geometry: turns figure data into positions for the SVG templates in
`templates/figures/`. Pure functions; the templates draw, this only measures.

Every figure is drawn at build time, so readers need no JavaScript to see it. Figures are
laid out for a phone first: a narrow drawing (WIDTH user units) that a 360 px screen shows
at about its natural size, so 15-unit text stays about 14 px; wide screens cap the size in
CSS. Text is wrapped here by character count (CHARS_AT_15 fits WIDTH at 15 units with the
widest common system font), and a browser test checks no text leaves its drawing.
"""

from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass, field
from typing import Any

from .registry import Figure, FigureKind, figure_kinds
from .yamlio import Field

WIDTH = 340  # viewBox width of the single-column figures
PAD = 8  # inner margin
LINE = 20  # line height of 15-unit text
SMALL_LINE = 18  # line height of 13-14-unit text


def wrap(text: str, chars: int) -> list[str]:
    return textwrap.wrap(text, chars, break_on_hyphens=False) or [""]


def chars_for(width: float, size: float = 15) -> int:
    """How many characters of text at `size` fit in `width` units (DejaVu Sans averages ~0.6 em)."""
    return max(8, int(width / (size * 0.6)))


# --- bar chart -------------------------------------------------------------------------


@dataclass
class Bar:
    label: str
    group: str
    value: float
    text: str  # the value as shown beside the bar, e.g. "−33%" (the figure's own data)
    x: float
    width: float
    y: float  # top of the bar
    group_lines: list[str] = field(default_factory=list)  # the group, above the bar
    group_y: float = 0.0  # baseline of the first group line
    negative: bool = False


@dataclass
class BarHeading:
    lines: list[str]
    y: float  # baseline of the first line


@dataclass
class BarLayout:
    width: int
    height: int
    zero_x: float
    bars: list[Bar]
    headings: list[BarHeading]
    ticks: list[tuple[float, str]]  # (x, plain number)
    axis_y: float
    axis_title: str  # e.g. "Change (%)"
    plot_x0: float
    plot_x1: float
    bar_height: int = 18


def signed(value: float, unit: str) -> str:
    number = f"{value:+g}".replace("-", "\u2212")  # a true minus sign reads better
    return f"{number}{unit}"


def plain(value: float) -> str:
    """A tick label: the bare number, no sign or unit (those are not facts, just the scale)."""
    return f"{value:g}".replace("-", "\u2212")


def bar_layout(fig: Figure, width: int = WIDTH) -> BarLayout:
    """Bars grouped under a heading per measure; each bar has its group above it.

    Consecutive items with the same label share one heading, so a reader on a phone sees
    "Fat-cell size" once, then one bar per comparison.
    """
    items = [i for i in fig.items if isinstance(i, dict)]
    values = [float(i["value"]) for i in items]
    low, high = min([0.0, *values]), max([0.0, *values])
    span = (high - low) or 1.0
    value_room = 48.0  # a value label like "−56%" beside the bar end
    plot_x0, plot_x1 = PAD + value_room, width - PAD - value_room
    scale = (plot_x1 - plot_x0) / span
    zero_x = plot_x0 + (0 - low) * scale
    bars: list[Bar] = []
    headings: list[BarHeading] = []
    y = 4.0
    previous = None
    for item, value in zip(items, values, strict=True):
        label = str(item.get("label", ""))
        group = str(item.get("group", ""))
        if label != previous:
            lines = wrap(label, chars_for(width - 2 * PAD))
            y += 8 if previous is not None else 0
            headings.append(BarHeading(lines, y + 15))
            y += LINE * len(lines) + 2
            previous = label
        group_lines = wrap(group, chars_for(width - 2 * PAD, 14)) if group else []
        group_y = y + 13
        y += SMALL_LINE * len(group_lines) + 2
        x = zero_x + min(0.0, value) * scale
        bars.append(
            Bar(label, group, value, signed(value, fig.unit), x, abs(value) * scale, y, group_lines, group_y, value < 0)
        )
        y += 18 + 10
    axis_y = y + 2
    ticks = []
    step = _nice_step(span)
    tick = (low // step) * step
    while tick <= high + 1e-9:
        if tick >= low - 1e-9:
            ticks.append((zero_x + tick * scale, plain(tick)))
        tick += step
    title = f"Change ({fig.unit.strip()})" if fig.unit.strip() else "Change"
    return BarLayout(width, int(axis_y + 44), zero_x, bars, headings, ticks, axis_y, title, plot_x0, plot_x1)


def _nice_step(span: float) -> float:
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 500, 1000):
        if span / step <= 6:  # at most seven ticks: a phone has room for short labels only
            return float(step)
    return span / 6


# --- timeline --------------------------------------------------------------------------


@dataclass
class TimelineEvent:
    week: float
    when: str  # "Week 4"
    lines: list[str]
    y: float  # centre of the marker


@dataclass
class TimelineGroup:
    lines: list[str]
    count: str  # "7 mice"
    y: float
    h: float


@dataclass
class TimelineLayout:
    width: int
    height: int
    line_x: float  # the vertical time line
    text_x: float
    start_y: float  # birth (week 0)
    end_y: float
    events: list[TimelineEvent]
    groups: list[TimelineGroup]
    groups_y: float  # top of the groups heading


def timeline_layout(fig: Figure, width: int = WIDTH) -> TimelineLayout:
    """A vertical time line (age runs down the page), spaced in proportion to the weeks.

    Vertical because a phone is narrow: each event's words get the full width beside the
    line. The scale is the smallest that still leaves room for every event's text.
    """
    items = fig.items
    events_in = items.get("timeline", []) if isinstance(items, dict) else items
    groups_in = items.get("groups", []) if isinstance(items, dict) else []
    line_x, text_x = 84.0, 100.0
    chars = chars_for(width - text_x - PAD)
    entries = [(float(e["week"]), wrap(str(e["label"]), chars)) for e in events_in]
    entries.sort(key=lambda e: e[0])
    start_y = 24.0
    # Room each event needs below its marker before the next one (its text, plus a gap).
    per_week = 4.0
    weeks = [0.0] + [w for w, _ in entries]
    needs = [14.0] + [LINE * len(lines) + 12 for _, lines in entries]
    for i in range(1, len(weeks)):
        gap = weeks[i] - weeks[i - 1]
        if gap > 0:
            per_week = max(per_week, needs[i - 1] / gap)
    events = [TimelineEvent(week, f"Week {week:g}", lines, start_y + 8 + week * per_week) for week, lines in entries]
    end_y = events[-1].y if events else start_y + 40
    y = end_y + LINE * (len(events[-1].lines) if events else 1) + 16
    groups_y = y
    groups = []
    y += 30
    for g in groups_in:
        count = f"{g['n']} mice" if isinstance(g, dict) and "n" in g else ""
        label = str(g.get("label", "")) if isinstance(g, dict) else str(g)
        lines = wrap(label, chars_for(width - 2 * PAD - 24 - (56 if count else 0)))
        h = LINE * len(lines) + 14
        groups.append(TimelineGroup(lines, count, y, h))
        y += h + 6
    return TimelineLayout(width, int(y + 4), line_x, text_x, start_y, end_y, events, groups, groups_y)


# --- pathways --------------------------------------------------------------------------


@dataclass
class Column:
    title_lines: list[str]
    boxes: list[dict[str, Any]]  # y, h, lines
    height: int


def pathway_columns(fig: Figure, width: int = 300, chars: int = 30) -> list[Column]:
    """One tall column per theory; the page lays the columns side by side or stacked."""
    columns = []
    for theory in fig.items:
        name = getattr(theory, "name", None) or theory.get("name", "")
        steps = getattr(theory, "steps", None) or theory.get("steps", [])
        title_lines = wrap(str(name), chars_for(width - 2 * PAD, 17))
        y = 16 + 24 * len(title_lines) + 10
        boxes = []
        for step in steps:
            lines = wrap(str(step), chars_for(width - 2 * PAD - 20))
            h = 22 * len(lines) + 16
            boxes.append({"y": y, "h": h, "lines": lines})
            y += h + 34  # room for the arrow
        columns.append(Column(title_lines, boxes, int(y - 24)))
    return columns


# --- evidence ladder -------------------------------------------------------------------


@dataclass
class Rung:
    label: str
    lines: list[str]  # the sources on this rung, as short names
    note_lines: list[str]
    sources: list[Any]
    y: float
    h: float
    label_lines: list[str] = field(default_factory=list)


def ladder_rungs(fig: Figure, sources: dict[str, Any], width: int = WIDTH) -> tuple[list[Rung], int]:
    """Levels are given lowest first; the top of the picture is the strongest evidence."""
    levels = list(fig.items)
    rungs = []
    y = 30.0  # room for "Stronger evidence" above the top rung
    inner = width - 2 * PAD - 24
    for level in reversed(levels):
        found = [sources[s] for s in level.get("sources", []) if s in sources]
        names = "; ".join(short_name(s) for s in found)
        lines = wrap(names, chars_for(inner, 14)) if names else ["(none cited)"]
        note = str(level.get("note") or "")
        note_lines = wrap(note, chars_for(inner, 13)) if note else []
        label_lines = wrap(str(level.get("label", "")), chars_for(inner))
        h = 14 + LINE * len(label_lines) + SMALL_LINE * (len(lines) + len(note_lines)) + 10
        rungs.append(Rung(str(level.get("label", "")), lines, note_lines, found, y, h, label_lines))
        y += h + 8
    return rungs, int(y + 22)


NOT_STATED = re.compile(r"^\s*not stated", re.I)


def short_name(source: Any) -> str:
    """ "Styner 2017": first author's surname and year; without a named author, the source id.

    An id like `pelvis2007` already ends in the year, so it reads "Pelvis 2007".
    """
    authors = str(getattr(source, "authors", "") or "")
    year = str(getattr(source, "year", "") or "")
    if authors and not NOT_STATED.match(authors):
        first = authors.split(",")[0].split(" ")[0]
        return f"{first}\u00a0{year}".strip()  # no break between name and year
    ident = str(source.id)
    if year and ident.endswith(year) and len(ident) > len(year):
        stem = ident[: -len(year)].replace("-", " ").strip()
        return f"{stem[:1].upper()}{stem[1:]}\u00a0{year}"
    return f"{ident}\u00a0{year}".strip()


# --- the figure kinds: what each draws from, and its layout ----------------------------------
# A figure kind's `items` Field (see registry.FigureKind) declares the fields of its items;
# the data stage checks figure data against it, so a layout can trust what it gets.

BAR_ITEMS = Field(
    "items",
    list,
    fields=(Field("label"), Field("group", required=False), Field("value", (int, float))),
)
LADDER_ITEMS = Field(
    "items",
    list,
    fields=(Field("label"), Field("sources", list, required=False, ref="sources"), Field("note", required=False)),
)

KINDS = figure_kinds(
    FigureKind("bar", lambda fig, data: bar_layout(fig), BAR_ITEMS),
    FigureKind("timeline", lambda fig, data: timeline_layout(fig)),
    FigureKind("pathways", lambda fig, data: pathway_columns(fig)),
    FigureKind("ladder", lambda fig, data: ladder_rungs(fig, data.sources), LADDER_ITEMS),
)
