"""The bar chart figure kind: the fields of its items and options, their checks, and its
layout (narrow for phones, wide for a wide screen's column)."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..core.errors import SiteError
from ..core.schema import Field, check_mapping
from ..core.yamlio import YMap
from ..load.numbers import ENGLISH, NumberFormat
from .declare import FigureKind
from .figure_data import FigureData
from .figure_draw import LINE, NUMBER, PAD, SERIES, SMALL_LINE, WIDE, WIDTH, drawable, option
from .fontmetrics import text_width, wrap_to
from .study import TABLE_FIELDS

if TYPE_CHECKING:
    from .figures import Figure


@dataclass
class Bar:
    label: str
    group: str
    value: float
    text: str  # the value as shown beside the bar, e.g. "−33%" (the figure's own data)
    x: float
    width: float
    y: float  # top of the bar
    group_lines: list[str] = field(default_factory=list)  # the group, above (narrow) or beside (wide) the bar
    group_y: float = 0.0  # baseline of the first group line
    negative: bool = False  # below the reference
    series: int = 0  # 1-based colour of its series; 0: coloured by direction
    text_x: float = 0.0  # where the value text is anchored
    interval: tuple[float, float] | None = None  # x of low and high


@dataclass
class BarHeading:
    lines: list[str]
    y: float  # baseline of the first line


@dataclass
class BarLayout:
    width: int
    height: int
    zero_x: float  # the reference line
    bars: list[Bar]
    headings: list[BarHeading]
    ticks: list[tuple[float, str]]  # (x, plain number)
    axis_y: float
    axis_title: str  # from the figure's `axis`
    plot_x0: float
    plot_x1: float
    bar_height: int = 18


@dataclass
class BarChart:
    """A bar chart drawn twice: narrow for phones, wide for the column of a wide screen."""

    narrow: BarLayout
    wide: BarLayout
    series: list[str]  # the legend: series names, in order of first appearance
    reference: float
    rows: list[tuple[str, str, str]]  # the data table: (label, group, value as printed)
    table: Any = None  # or a table from the data (the figure's `table`), shown instead


def value_text(item: YMap, unit: str, numbers: NumberFormat, change: bool) -> str:
    """The value as printed beside its bar: the item's own `text`, else the number with its
    unit as the site's language writes them, with a sign only when the figure's values are
    changes (`change: true`: "+4%"; a ratio of 0.88 or a count has none)."""
    if item.get("text"):
        return str(item["text"])
    return numbers.text(float(item["value"]), unit, change=change)


def bar_chart(fig: Figure, data: Any, numbers: NumberFormat = ENGLISH) -> BarChart:
    """Items stay in data order (editors put the most important result first); bars start
    at the figure's `reference` (0 unless the data says otherwise, e.g. 1 for a ratio)."""
    items: list[YMap] = list(fig.items)
    reference = float(option(fig, "reference", 0))
    series = list(dict.fromkeys(str(i["series"]) for i in items if i.get("series")))
    texts = [value_text(i, fig.unit, numbers, bool(option(fig, "change", False))) for i in items]
    rows = [(str(i["label"]), str(i.get("group") or ""), t) for i, t in zip(items, texts, strict=True)]
    narrow = bar_layout(fig, items, texts, series, WIDTH, 0, numbers)
    wide = bar_layout(fig, items, texts, series, WIDE, 250, numbers)
    table = resolve(data, option(fig, "table")) if option(fig, "table") else None
    return BarChart(narrow, wide, series, reference, rows, table)


def resolve(data: Any, dotted: str) -> Any:
    """What a dotted path such as `study.results` names in the checked data."""
    first, *rest = dotted.split(".")
    node = getattr(data, first, None)
    for part in rest:
        node = node.get(part) if isinstance(node, dict) else None
    return node


@dataclass
class _Scale:
    reference: float
    low: float
    high: float
    x0: float
    x1: float

    def x(self, value: float) -> float:
        return self.x0 + (value - self.low) * (self.x1 - self.x0) / ((self.high - self.low) or 1.0)


def _bar_scale(items: list[YMap], reference: float, x0: float, x1: float) -> _Scale:
    ends = [reference, *(float(i[k]) for i in items for k in ("value", "low", "high") if k in i)]
    return _Scale(reference, min(ends), max(ends), x0, x1)


def bar_layout(
    fig: Figure,
    items: list[YMap],
    texts: list[str],
    series: list[str],
    width: int,
    label_width: int,
    numbers: NumberFormat = ENGLISH,
) -> BarLayout:
    """One drawing of the bars: each measure's heading, then one bar per comparison (its
    group above the bar when narrow, beside it when `label_width` leaves room)."""
    longest = max(text_width(t, 14, "bold") for t in texts)
    room = min(width * 0.3, max(40.0, longest + 10))  # a bold value label like "−56%" beside the bar
    scale = _bar_scale(items, float(option(fig, "reference", 0)), PAD + label_width + room, width - PAD - room)
    bars: list[Bar] = []
    headings: list[BarHeading] = []
    y, previous = 4.0, None
    for item, text in zip(items, texts, strict=True):
        label, group = str(item["label"]), str(item.get("group") or "")
        if label != previous:
            lines = wrap_to(label, width - 2 * PAD, 15, "bold")
            y += 6 if previous is not None else 0
            headings.append(BarHeading(lines, y + 15))
            y, previous = y + LINE * len(lines) + 2, label
        bar, y = _place_bar(item, text, group, series, scale, y, label_width)
        bars.append(bar)
    axis_y = y + 2
    ticks = [(scale.x(t), numbers.text(t)) for t in nice_ticks(scale.low, scale.high)]
    title = str(option(fig, "axis", "") or "")
    ref_x = scale.x(scale.reference)
    return BarLayout(width, int(axis_y + 44), ref_x, bars, headings, ticks, axis_y, title, scale.x0, scale.x1)


def _place_bar(
    item: YMap, text: str, group: str, series: list[str], scale: _Scale, y: float, label_width: int
) -> tuple[Bar, float]:
    """A bar at y, with its group's lines above it, or beside it in a drawing that keeps a
    column of `label_width` for them."""
    beside = label_width > 0
    group_width = label_width if beside else scale.x1 + scale.x0  # narrow: the whole width
    group_lines = wrap_to(group, group_width - 2 * PAD, 14) if group else []
    group_y = y + 13
    if not beside:
        y += SMALL_LINE * len(group_lines) + 2
    value, ref = float(item["value"]), scale.reference
    x0, x1 = sorted((scale.x(ref), scale.x(value)))
    interval = (scale.x(float(item["low"])), scale.x(float(item["high"]))) if "low" in item else None
    negative = value < ref
    reach = (min(x0, interval[0]) if interval else x0) if negative else (max(x1, interval[1]) if interval else x1)
    colour = series.index(str(item["series"])) + 1 if item.get("series") else 0
    bar = Bar(str(item["label"]), group, value, text, x0, x1 - x0, y, group_lines, group_y, negative, colour)
    bar.text_x, bar.interval = reach - 5 if negative else reach + 5, interval
    if beside:
        bar.group_y = y + 14
        y += max(0.0, SMALL_LINE * (len(group_lines) - 1))
    return bar, y + 18 + 8


def nice_ticks(low: float, high: float, most: int = 7) -> list[float]:
    """Round numbers from low to high, at most `most` of them (a phone has room for short
    labels only): steps of 1, 2, 2.5 or 5 times a power of ten."""
    span = (high - low) or 1.0
    power = 10.0 ** math.floor(math.log10(span / (most - 1)))
    step = next(power * m for m in (1, 2, 2.5, 5, 10) if span / (power * m) <= most - 1)
    first, last = math.ceil(low / step - 1e-9), math.floor(high / step + 1e-9)
    return [round(k * step, 10) + 0.0 for k in range(first, last + 1)]


def _interval(item: YMap) -> list[SiteError]:
    """low and high come together and hold the value between them."""
    if too_large := drawable(item, ("value", "low", "high")):
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
    names = list(dict.fromkeys(str(i["series"]) for i in with_series))
    if len(names) > SERIES:
        extra = next(i for i in with_series if i["series"] == names[SERIES])
        errors.append(SiteError(extra.value_loc("series"), f"a chart tells at most {SERIES} series apart by colour"))
    return errors


BAR_ITEMS = Field(
    "items",
    list,
    fields=(
        Field("label", doc="the measure: consecutive bars with one label share a heading"),
        Field("value", NUMBER),
        Field("group", required=False, doc="what the bar compares, shown above it"),
        Field("series", required=False, doc="what the bar is about: its colour and legend entry; all bars or none"),
        Field("text", required=False, doc="the value as printed, instead of the number and unit"),
        Field("low", NUMBER, required=False, doc="an interval around the value: its lower end, drawn as a whisker"),
        Field("high", NUMBER, required=False, doc="its upper end"),
    ),
    check=_bar_rules,
)
BAR_OPTIONS = (
    Field("axis", required=False, doc="the axis title"),
    Field("reference", NUMBER, required=False, doc="where bars start: 0, or 1 for a ratio"),
    Field(
        "change",
        bool,
        required=False,
        doc="true when the values are changes or differences: printed with their sign (+4%); default: no sign",
    ),
    Field("table", required=False, doc="a table in the data (e.g. study.results) shown as the chart's numbers"),
)


def _bar_table(entry: YMap, loader: Any) -> list[SiteError]:
    """A chart's `table` names a table of the data (columns and rows), e.g. study.results."""
    if "table" not in entry:
        return []
    first = str(entry["table"]).split(".")[0]
    if first in loader.kinds and first not in loader.data.tables:
        return []  # a data file with errors, reported there
    where = entry.value_loc("table")
    node = FigureData(loader).lookup(entry["table"], where)
    if node is None:
        return []  # not found: reported by the lookup
    errors = check_mapping(node, TABLE_FIELDS, where, f"the table '{entry['table']}'")
    return [SiteError(where, e.message) for e in errors]


BAR = FigureKind("bar", bar_chart, BAR_ITEMS, BAR_OPTIONS, _bar_table)
