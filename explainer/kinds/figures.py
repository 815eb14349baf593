"""Figure kinds: the fields of each kind's items (checked by the data stage, see the end of
this module) and its geometry: positions for the SVG templates in `templates/figures/`.
Pure functions; the templates draw, this only checks and measures.

Every figure is drawn at build time, so readers need no JavaScript to see it. Figures are
laid out for a phone first: a narrow drawing (WIDTH user units) that a 360 px screen shows
at about its natural size, so 15-unit text stays about 14 px; wide screens cap the size in
CSS. Text is measured and wrapped here with the real widths of the font the theme ships for
figures (`fontmetrics`), so a drawing looks the same on every device whatever fonts it has;
a browser test checks no text leaves its drawing or overlaps other text.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, field
from typing import Any

from ..core.errors import SiteError
from ..core.yamlio import Field, YMap, check_mapping
from .fontmetrics import text_width, widest, wrap_to
from .registry import KINDS as KINDS_OF_DATA
from .registry import STEP_STATUSES, TABLE_FIELDS, Figure, FigureKind, figure_kinds, step_list
from .registry import steps as steps_of

WIDTH = 340  # viewBox width of the narrow drawings (phones)
WIDE = 680  # viewBox width of the wide drawings (a wide screen's text column)
PAD = 8  # inner margin
LINE = 20  # line height of 15-unit text
SMALL_LINE = 18  # line height of 13-14-unit text


# --- bar chart -------------------------------------------------------------------------

SERIES = 6  # colours a chart can tell apart (templates/static/site.css, figure section)


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


def signed(value: float, unit: str) -> str:
    return f"{'+' if value > 0 else ''}{plain(value)}{unit}"


def plain(value: float) -> str:
    """A number exactly as the data has it (44, 0.88, 229119: never rounded, never in
    e-notation for a whole number), with a true minus sign, which reads better."""
    whole = value == int(value) and abs(value) < 1e15
    return (str(int(value)) if whole else repr(float(value))).replace("-", "\u2212")


def value_text(item: YMap, reference: float, unit: str) -> str:
    """The value as printed beside its bar: the item's own `text`, else the number with its
    unit, signed when bars start at 0 (a change), plain otherwise (a ratio of 0.88)."""
    if item.get("text"):
        return str(item["text"])
    value = float(item["value"])
    return signed(value, unit) if reference == 0 else f"{plain(value)}{unit}"


def bar_chart(fig: Figure, data: Any) -> BarChart:
    """Items stay in data order (editors put the most important result first); bars start
    at the figure's `reference` (0 unless the data says otherwise, e.g. 1 for a ratio)."""
    items: list[YMap] = list(fig.items)
    reference = float(option(fig, "reference", 0))
    series = list(dict.fromkeys(str(i["series"]) for i in items if i.get("series")))
    texts = [value_text(i, reference, fig.unit) for i in items]
    rows = [(str(i["label"]), str(i.get("group") or ""), t) for i, t in zip(items, texts, strict=True)]
    narrow = bar_layout(fig, items, texts, series, WIDTH, 0)
    wide = bar_layout(fig, items, texts, series, WIDE, 250)
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
    fig: Figure, items: list[YMap], texts: list[str], series: list[str], width: int, label_width: int
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
    ticks = [(scale.x(t), plain(t)) for t in nice_ticks(scale.low, scale.high)]
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


# --- timeline --------------------------------------------------------------------------


@dataclass
class Label:
    lines: list[str]
    x: float
    y: float  # baseline of the first line
    anchor: str = "start"
    small: bool = False  # 14-unit text, 18-unit lines (else 15 and 20)


@dataclass
class Mark:
    """A moment: a dot on the time axis."""

    x: float
    y: float
    label: Label


@dataclass
class Band:
    """A stretch of time: a band along the time axis."""

    x: float
    y: float
    w: float
    h: float
    label: Label
    colour: int  # 1-based, by order


@dataclass
class TimelineLayout:
    width: int
    height: int
    axis: tuple[float, float, float, float]  # x1, y1, x2, y2 of the time axis
    marks: list[Mark]
    bands: list[Band]
    ticks: list[Label]  # the times, written as the figure's `when` says (or its `start`)
    leaders: list[tuple[float, float, float, float]]  # lines from a mark to its label
    start: tuple[float, float] | None = None  # where time 0 is, when the figure names it


@dataclass
class Timeline:
    narrow: TimelineLayout  # vertical: time runs down the page
    wide: TimelineLayout  # horizontal: time runs to the right


@dataclass
class _Span:
    start: float
    end: float | None  # None: a moment
    label: str

    @property
    def middle(self) -> float:
        return self.start if self.end is None else (self.start + self.end) / 2


def option(fig: Figure, name: str, default: Any = None) -> Any:
    return fig.options.get(name, default)


def when_text(fig: Figure, at: float) -> str:
    return str(option(fig, "when", "{at}")).replace("{at}", plain(at))


def timeline(fig: Figure) -> Timeline:
    """Items sorted by time, drawn to scale: stretches of time as bands (so a long stretch
    is a band with its words, not an empty gap), moments as dots."""
    spans = sorted(
        (
            _Span(float(i["at"]), None, str(i["label"]))
            if "at" in i
            else _Span(float(i["from"]), float(i["to"]), str(i["label"]))
            for i in fig.items
        ),
        key=lambda s: (s.start, s.end is not None),
    )
    start = str(option(fig, "start", "") or "")
    origin = min(0.0, spans[0].start) if start else spans[0].start
    times = sorted({origin, *(s.start for s in spans), *(s.end for s in spans if s.end is not None)})
    ticks = [(t, start if start and t == 0 else when_text(fig, t)) for t in times]
    return Timeline(vertical_timeline(spans, ticks, start != ""), horizontal_timeline(spans, ticks, start != ""))


def vertical_timeline(spans: list[_Span], ticks: list[tuple[float, str]], named_start: bool) -> TimelineLayout:
    """Time runs down a line; the times on its left, each item's words on its right, at its
    moment or beside the middle of its band. The scale is the smallest at which no words
    overlap (so the drawing stays short), and never so large it runs off the page."""
    longest = max(text_width(t, 14, "bold") for _, t in ticks)
    line_x = min(140.0, PAD + longest + 14)
    text_x = line_x + 26
    labels = [wrap_to(s.label, WIDTH - text_x - PAD, 14) for s in spans]
    order = sorted(range(len(spans)), key=lambda i: spans[i].middle)
    per_unit = _vertical_scale(spans, labels, order, ticks)
    origin, top = ticks[0][0], 20.0

    def y(t: float) -> float:
        return top + (t - origin) * per_unit

    marks, bands, bottom = [], [], y(ticks[-1][0])
    previous = top - 30
    for i in order:
        span, lines = spans[i], labels[i]
        first = y(span.middle) + (5 if span.end is None else 5 - SMALL_LINE * (len(lines) - 1) / 2)
        first = max(first, previous + 6 + 15)  # only when two items share a moment
        label = Label(lines, text_x, first, small=True)
        previous = first + SMALL_LINE * (len(lines) - 1)
        bottom = max(bottom, previous + 8)
        if span.end is None:
            marks.append(Mark(line_x, y(span.start), label))
        else:
            colour = len(bands) % SERIES + 1
            bands.append(Band(line_x + 8, y(span.start), 8, y(span.end) - y(span.start), label, colour))
    tick_labels = [Label([text], line_x - 14, y(t) + 5, "end") for t, text in ticks]
    start = (line_x, y(0.0)) if named_start else None
    axis = (line_x, top, line_x, y(ticks[-1][0]))
    return TimelineLayout(WIDTH, int(bottom + 12), axis, marks, bands, tick_labels, [], start)


def _vertical_scale(
    spans: list[_Span], labels: list[list[str]], order: list[int], ticks: list[tuple[float, str]]
) -> float:
    """Units per unit of time at which consecutive labels (and the times) do not overlap."""

    def reach(i: int) -> tuple[float, float]:  # a label's top and bottom around its anchor
        height = SMALL_LINE * len(labels[i])
        return (-15.0, height - 15) if spans[i].end is None else (-height / 2 - 5, height / 2 - 5)

    per_unit = 1.0
    for a, b in itertools.pairwise(order):
        gap = spans[b].middle - spans[a].middle
        if gap > 0:
            per_unit = max(per_unit, (reach(a)[1] - reach(b)[0] + 6) / gap)
    for (t1, _), (t2, _) in itertools.pairwise(ticks):
        per_unit = max(per_unit, 20 / (t2 - t1))
    return min(per_unit, 1400 / ((ticks[-1][0] - ticks[0][0]) or 1.0))


def horizontal_timeline(spans: list[_Span], ticks: list[tuple[float, str]], named_start: bool) -> TimelineLayout:
    """Time runs to the right, to scale across the width: bands above the axis (in as many
    rows as overlapping stretches need), the times under it, moments' words below those."""
    x0, x1 = PAD + 40.0, WIDE - PAD - 40.0
    origin, last = ticks[0][0], ticks[-1][0]

    def x(t: float) -> float:
        return x0 + (t - origin) * (x1 - x0) / ((last - origin) or 1.0)

    stretches = [s for s in spans if s.end is not None]
    lane_of, lane_ends, heights, texts = [], [], [], []
    for span in stretches:  # each band in the first row free at its start
        left, right = x(span.start), x(span.end or span.start)
        texts.append(wrap_to(span.label, max(right - left - 12, 90), 14))
        lane = next((k for k, end in enumerate(lane_ends) if end <= left + 0.5), len(lane_ends))
        lane_ends[lane : lane + 1] = [right]
        heights[lane : lane + 1] = [max(heights[lane] if lane < len(heights) else 0, SMALL_LINE * len(texts[-1]) + 12)]
        lane_of.append(lane)
    tops = [8.0 + sum(h + 6 for h in heights[:k]) for k in range(len(heights))]
    bands = []
    for span, lane, lines in zip(stretches, lane_of, texts, strict=True):
        left, right = x(span.start), x(span.end or span.start)
        text_left = min(left + 6, WIDE - PAD - widest(lines, 14))
        label = Label(lines, text_left, tops[lane] + 18, small=True)
        bands.append(Band(left, tops[lane], right - left, heights[lane], label, len(bands) % SERIES + 1))
    y = tops[-1] + heights[-1] if heights else 8.0
    axis_y = y + 14
    tick_labels, tick_rows = _row_labels([(x(t), [text]) for t, text in ticks], axis_y + 24, 14, "bold")
    marks, leaders = [], []
    placed, below = _row_labels([(x(s.start), wrap_to(s.label, 200)) for s in spans if s.end is None], tick_rows + 14)
    for label, span in zip(placed, (s for s in spans if s.end is None), strict=True):
        marks.append(Mark(x(span.start), axis_y, label))
        leaders.append((x(span.start), axis_y + 8, x(span.start), label.y - 16))
    start = (x(0.0), axis_y) if named_start else None
    return TimelineLayout(WIDE, int(below + 8), (x0, axis_y, x1, axis_y), marks, bands, tick_labels, leaders, start)


def _row_labels(
    items: list[tuple[float, list[str]]], top: float, size: float = 15, style: str = "regular"
) -> tuple[list[Label], float]:
    """Labels centred under their x, kept inside the drawing; one that would overlap an
    earlier one goes to the next row down. Rows are stacked once every label has its row,
    so a tall label placed late in a row pushes down the rows below it. Returns the labels
    and the bottom of the last row."""
    rights: list[float] = []  # each row's right edge so far
    heights: list[float] = []
    placed: list[tuple[int, float, list[str]]] = []  # row, centre, lines
    for cx, lines in items:
        width = widest(lines, size, style)
        left = min(max(PAD, cx - width / 2), WIDE - PAD - width)
        row = next((k for k, right in enumerate(rights) if right + 10 <= left), len(rights))
        if row == len(rights):
            rights.append(0.0)
            heights.append(0.0)
        rights[row], heights[row] = left + width, max(heights[row], LINE * len(lines))
        placed.append((row, left + width / 2, lines))
    tops = [top + sum(h + 6 for h in heights[:k]) for k in range(len(heights))]
    out = [Label(lines, centre, tops[row] + 15, "middle") for row, centre, lines in placed]
    return out, (tops[-1] + heights[-1]) if tops else top


# --- pathways --------------------------------------------------------------------------


@dataclass
class Column:
    title_lines: list[str]
    boxes: list[dict[str, Any]]  # y, h, lines
    height: int


@dataclass
class Pathways:
    columns: list[Column]
    statuses: list[str]  # the step statuses used, in STEP_STATUSES order: the legend


def pathways(fig: Figure) -> Pathways:
    columns = pathway_columns(fig)
    used = {b["status"] for c in columns for b in c.boxes}
    return Pathways(columns, [s for s in STEP_STATUSES if s in used])


def pathway_columns(fig: Figure, width: int = 300) -> list[Column]:
    """One tall column per theory; the page lays the columns side by side or stacked. A
    step whose status the data gives (measured, inferred, known) is drawn in that style,
    with the status named in words at the top of its box."""
    columns = []
    for theory in fig.items:
        name = theory.name if hasattr(theory, "name") else theory["name"]
        texts = theory.steps if hasattr(theory, "steps") else steps_of(theory["steps"])
        title_lines = wrap_to(str(name), width - 2 * PAD, 15, "bold")
        y = 16 + 24 * len(title_lines) + 10
        boxes = []
        for step in texts:
            status = getattr(step, "status", "")
            lines = wrap_to(str(step), width - 2 * PAD - 20)
            tag = 20 if status else 0
            h = 22 * len(lines) + 16 + tag
            boxes.append({"y": y, "h": h, "lines": lines, "status": status, "text_y": y + 26 + tag})
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
    names = list(dict.fromkeys(str(i["series"]) for i in with_series))
    if len(names) > SERIES:
        extra = next(i for i in with_series if i["series"] == names[SERIES])
        errors.append(SiteError(extra.value_loc("series"), f"a chart tells at most {SERIES} series apart by colour"))
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
    Field("table", required=False, doc="a table in the data (e.g. study.results) shown as the chart's numbers"),
)


def _bar_table(entry: YMap, loader: Any) -> list[SiteError]:
    """A chart's `table` names a table of the data (columns and rows), e.g. study.results."""
    if "table" not in entry:
        return []
    first = str(entry["table"]).split(".")[0]
    if first in KINDS_OF_DATA and first not in loader.data.tables:
        return []  # a data file with errors, reported there
    where = entry.value_loc("table")
    node = loader.figure_data().lookup(entry["table"], where)
    if node is None:
        return []  # not found: reported by the lookup
    errors = check_mapping(node, TABLE_FIELDS, where, f"the table '{entry['table']}'")
    return [SiteError(where, e.message) for e in errors]


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


def _pathway_rules(holder: YMap, key: str) -> list[SiteError]:
    return [e for item in holder[key] for e in step_list(item, "steps")]


PATHWAY_ITEMS = Field(
    "items",
    list,
    fields=(Field("name"), Field("steps", list, doc="text, or {text, status: " + " | ".join(STEP_STATUSES) + "}")),
    check=_pathway_rules,
)
LADDER_OPTIONS = (
    Field("top", required=False, doc="the words at the strong end (default: the theme's 'Stronger evidence')"),
    Field("bottom", required=False, doc="the words at the weak end"),
)
LADDER_ITEMS = Field(
    "items",
    list,
    fields=(Field("label"), Field("sources", list, required=False, ref="sources"), Field("note", required=False)),
)

KINDS = figure_kinds(
    FigureKind("bar", bar_chart, BAR_ITEMS, BAR_OPTIONS, _bar_table),
    FigureKind("timeline", lambda fig, data: timeline(fig), TIMELINE_ITEMS, TIMELINE_OPTIONS),
    FigureKind("pathways", lambda fig, data: pathways(fig), PATHWAY_ITEMS),
    FigureKind("ladder", lambda fig, data: ladder(fig, data.sources), LADDER_ITEMS, LADDER_OPTIONS),
)
