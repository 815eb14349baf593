"""Figure kinds: the fields of each kind's items (checked by the data stage, see the end of
this module) and its geometry: positions for the SVG templates in `templates/figures/`.
Pure functions; the templates draw, this only checks and measures.

Every figure is drawn at build time, so readers need no JavaScript to see it. Figures are
laid out for a phone first: a narrow drawing (WIDTH user units) that a 360 px screen shows
at about its natural size, so 15-unit text stays about 14 px; wide screens cap the size in
CSS. Text is wrapped here by character count (CHARS_AT_15 fits WIDTH at 15 units with the
widest common system font), and a browser test checks no text leaves its drawing.
"""

from __future__ import annotations

import math
import re
import textwrap
from dataclasses import dataclass, field
from typing import Any

from .errors import SiteError
from .registry import Figure, FigureKind, figure_kinds
from .yamlio import Field, YMap

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


def value_text(item: YMap, reference: float, unit: str) -> str:
    """The value as printed beside its bar: the item's own `text`, else the number with its
    unit, signed when bars start at 0 (a change), plain otherwise (a ratio of 0.88)."""
    if item.get("text"):
        return str(item["text"])
    value = float(item["value"])
    return signed(value, unit) if reference == 0 else f"{plain(value)}{unit}"


def bar_layout(fig: Figure, width: int = WIDTH) -> BarLayout:
    """Bars grouped under a heading per measure; each bar has its group above it, and
    starts at the figure's `reference` (0 unless the data says otherwise, e.g. 1 for a ratio).

    Consecutive items with the same label share one heading, so a reader on a phone sees
    "Fat-cell size" once, then one bar per comparison. Items stay in data order.
    """
    items: list[YMap] = list(fig.items)
    reference = float(option(fig, "reference", 0))
    ends = [reference, *(float(i[k]) for i in items for k in ("value", "low", "high") if k in i)]
    low, high = min(ends), max(ends)
    span = (high - low) or 1.0
    value_room = 48.0  # a value label like "−56%" beside the bar end
    plot_x0, plot_x1 = PAD + value_room, width - PAD - value_room
    scale = (plot_x1 - plot_x0) / span
    zero_x = plot_x0 + (reference - low) * scale
    bars: list[Bar] = []
    headings: list[BarHeading] = []
    y = 4.0
    previous = None
    for item in items:
        value = float(item["value"])
        label, group = str(item["label"]), str(item.get("group") or "")
        if label != previous:
            lines = wrap(label, chars_for(width - 2 * PAD))
            y += 8 if previous is not None else 0
            headings.append(BarHeading(lines, y + 15))
            y += LINE * len(lines) + 2
            previous = label
        group_lines = wrap(group, chars_for(width - 2 * PAD, 14)) if group else []
        group_y = y + 13
        y += SMALL_LINE * len(group_lines) + 2
        x = zero_x + (min(reference, value) - reference) * scale
        length = abs(value - reference) * scale
        text = value_text(item, reference, fig.unit)
        bars.append(Bar(label, group, value, text, x, length, y, group_lines, group_y, value < reference))
        y += 18 + 10
    axis_y = y + 2
    ticks = [(zero_x + (t - reference) * scale, plain(t)) for t in nice_ticks(low, high)]
    title = str(option(fig, "axis", "") or fig.unit.strip())
    return BarLayout(width, int(axis_y + 44), zero_x, bars, headings, ticks, axis_y, title, plot_x0, plot_x1)


def nice_ticks(low: float, high: float, most: int = 7) -> list[float]:
    """Round numbers from low to high, at most `most` of them (a phone has room for short
    labels only): steps of 1, 2, 2.5 or 5 times a power of ten."""
    span = (high - low) or 1.0
    power = 10.0 ** math.floor(math.log10(span / (most - 1)))
    step = next(power * m for m in (1, 2, 2.5, 5, 10) if span / (power * m) <= most - 1)
    first, last = math.ceil(low / step - 1e-9), math.floor(high / step + 1e-9)
    return [round(k * step, 10) + 0.0 for k in range(first, last + 1)]


# --- timeline --------------------------------------------------------------------------


@dataclass
class TimelineEvent:
    at: float
    when: str  # "Week 4", from the figure's `when`
    lines: list[str]
    y: float  # centre of the marker
    end_y: float | None = None  # a stretch of time ends here


@dataclass
class TimelineLayout:
    width: int
    height: int
    line_x: float  # the vertical time line
    text_x: float
    start_y: float
    end_y: float
    events: list[TimelineEvent]
    start: str  # what time 0 is ("" when the line starts at the first item)


def option(fig: Figure, name: str, default: Any = None) -> Any:
    return fig.options.get(name, default)


def when_text(fig: Figure, at: float) -> str:
    return str(option(fig, "when", "{at}")).replace("{at}", plain(at))


def timeline_layout(fig: Figure, width: int = WIDTH) -> TimelineLayout:
    """A vertical time line (time runs down the page), spaced in proportion to time.

    Vertical because a phone is narrow: each item's words get the full width beside the
    line. The scale is the smallest that still leaves room for every item's text.
    """
    line_x, text_x = 84.0, 100.0
    chars = chars_for(width - text_x - PAD)
    entries = []
    for item in fig.items:
        at = float(item["at"] if "at" in item else item["from"])
        end = float(item["to"]) if "to" in item else None
        when = when_text(fig, at) if end is None else f"{when_text(fig, at)}\u2013{plain(end)}"
        entries.append((at, end, when, wrap(str(item["label"]), chars)))
    entries.sort(key=lambda e: e[0])
    start = str(option(fig, "start", "") or "")
    origin = min(0.0, entries[0][0]) if start else entries[0][0]
    start_y = 24.0
    per_unit = 4.0
    times = [origin] + [e[0] for e in entries]
    needs = [14.0] + [LINE * len(e[3]) + 12 for e in entries]
    for i in range(1, len(times)):
        gap = times[i] - times[i - 1]
        if gap > 0:
            per_unit = max(per_unit, needs[i - 1] / gap)
    per_unit = min(per_unit, 2000 / max(1.0, times[-1] - origin))  # huge spans stay drawable
    events = [
        TimelineEvent(
            at,
            when,
            lines,
            start_y + 8 + (at - origin) * per_unit,
            None if end is None else start_y + 8 + (end - origin) * per_unit,
        )
        for at, end, when, lines in entries
    ]
    end_y = max(max(e.y, e.end_y or e.y) for e in events)
    last_text = max(e.y + LINE * len(e.lines) for e in events)
    height = int(max(end_y, last_text) + 16)
    return TimelineLayout(width, height, line_x, text_x, start_y, end_y, events, start)


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
# A figure kind's `items` Field (see registry.FigureKind) declares the fields of its items
# and, as its check, the rules across fields and items; its `options` are its own keys in
# figures.yaml. The data stage checks figure data against them, so a layout can trust it.

NUMBER = (int, float)
LARGEST = 1e12  # beyond this a drawing's arithmetic loses its digits


def _drawable(item: YMap, keys: tuple[str, ...]) -> list[SiteError]:
    return [
        SiteError(item.value_loc(k), f"'{k}' is too large to draw: keep it between -{LARGEST:g} and {LARGEST:g}")
        for k in keys
        if k in item and abs(item[k]) > LARGEST
    ]


def _interval(item: YMap) -> list[SiteError]:
    """low and high come together and hold the value between them."""
    if too_large := _drawable(item, ("value", "low", "high")):
        return too_large
    if ("low" in item) != ("high" in item):
        key = "low" if "low" in item else "high"
        return [SiteError(item.loc(key), "an interval needs both 'low' and 'high'")]
    if "low" in item and not item["low"] <= item["value"] <= item["high"]:
        numbers = f"'low' ({item['low']}) <= 'value' ({item['value']}) <= 'high' ({item['high']})"
        return [SiteError(item.loc("low"), f"the interval must hold the value: {numbers} is not true")]
    return []


def _bar_rules(holder: YMap, key: str) -> list[SiteError]:
    items: list[YMap] = holder[key]
    errors = [e for item in items for e in _interval(item)]
    with_series = [i for i in items if "series" in i]
    if with_series and len(with_series) != len(items):
        lone = next(i for i in items if "series" not in i)
        errors.append(SiteError(lone.loc(), "give every bar a 'series', or none (bars are coloured by their series)"))
    return errors


def _moment(item: YMap) -> list[SiteError]:
    """A timeline item is a moment (`at`) or a stretch of time (`from` ... `to`)."""
    if too_large := _drawable(item, ("at", "from", "to")):
        return too_large
    if "at" in item and ("from" in item or "to" in item):
        return [SiteError(item.loc("at"), "a timeline item has 'at' (a moment) or 'from' and 'to', not both")]
    if "at" not in item and ("from" not in item or "to" not in item):
        return [SiteError(item.loc(), "a timeline item needs 'at' (a moment) or both 'from' and 'to' (a stretch)")]
    if "from" in item and not item["from"] < item["to"]:
        return [SiteError(item.loc("to"), f"'to' ({item['to']}) must come after 'from' ({item['from']})")]
    return []


def _timeline_rules(holder: YMap, key: str) -> list[SiteError]:
    return [e for item in holder[key] for e in _moment(item)]


def _has_at(entry: YMap, key: str) -> list[SiteError]:
    if "{at}" in str(entry[key]):
        return []
    return [SiteError(entry.value_loc(key), "'when' must contain {at}, where the time goes (e.g. 'Year {at}')")]


BAR_ITEMS = Field(
    "items",
    list,
    fields=(
        Field("label", doc="the measure: consecutive bars with one label share a heading"),
        Field("value", NUMBER),
        Field("group", required=False, doc="what the bar compares, shown above it"),
        Field("series", required=False, doc="what the bar is about: its colour and legend entry"),
        Field("text", required=False, doc="the value as printed, instead of the number and unit"),
        Field("low", NUMBER, required=False, doc="an interval around the value"),
        Field("high", NUMBER, required=False),
    ),
    check=_bar_rules,
)
BAR_OPTIONS = (
    Field("axis", required=False, doc="the axis title"),
    Field("reference", NUMBER, required=False, doc="where bars start: 0, or 1 for a ratio"),
)
TIMELINE_ITEMS = Field(
    "items",
    list,
    fields=(
        Field("label"),
        Field("at", NUMBER, required=False, doc="a moment"),
        Field("from", NUMBER, required=False, doc="the start of a stretch of time"),
        Field("to", NUMBER, required=False, doc="its end"),
    ),
    check=_timeline_rules,
)
TIMELINE_OPTIONS = (
    Field("start", required=False, doc="what time 0 is called; without it time starts at the first item"),
    Field("when", required=False, check=_has_at, doc="how a time is written, {at} marking the number"),
    Field("axis", required=False, doc="the axis title"),
)
PATHWAY_ITEMS = Field("items", list, fields=(Field("name"), Field("steps", list, each=str)))
LADDER_ITEMS = Field(
    "items",
    list,
    fields=(Field("label"), Field("sources", list, required=False, ref="sources"), Field("note", required=False)),
)

KINDS = figure_kinds(
    FigureKind("bar", lambda fig, data: bar_layout(fig), BAR_ITEMS, BAR_OPTIONS),
    FigureKind("timeline", lambda fig, data: timeline_layout(fig), TIMELINE_ITEMS, TIMELINE_OPTIONS),
    FigureKind("pathways", lambda fig, data: pathway_columns(fig), PATHWAY_ITEMS),
    FigureKind("ladder", lambda fig, data: ladder_rungs(fig, data.sources), LADDER_ITEMS),
)
