"""The timeline figure kind: moments and stretches of time, drawn to scale (down the page
on a phone, across a wide screen), with the fields of its items and options."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..core.errors import SiteError
from ..core.schema import Field
from ..core.yamlio import YMap
from ..load.numbers import ENGLISH, NumberFormat
from .declare import FigureKind
from .figure_draw import LINE, NUMBER, PAD, SERIES, SMALL_LINE, WIDE, WIDTH, drawable, option
from .fontmetrics import text_width, widest, wrap_to

if TYPE_CHECKING:
    from .figures import Figure


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


def when_text(fig: Figure, at: float, numbers: NumberFormat = ENGLISH) -> str:
    """A time as the figure's `when` writes it; no thousands separator (a year: 2017)."""
    return str(option(fig, "when", "{at}")).replace("{at}", numbers.text(at, grouped=False))


def timeline(fig: Figure, numbers: NumberFormat = ENGLISH) -> Timeline:
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


def _moment(item: YMap) -> list[SiteError]:
    """A timeline item is a moment (`at`) or a stretch of time (`from` ... `to`)."""
    if too_large := drawable(item, ("at", "from", "to")):
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


TIMELINE = FigureKind("timeline", lambda fig, data, numbers: timeline(fig, numbers), TIMELINE_ITEMS, TIMELINE_OPTIONS)
