"""Figure geometry: turns figure data into positions for the SVG templates in
`templates/figures/`. Pure functions; the templates draw, this only measures.

Every figure is drawn at build time, so readers need no JavaScript to see it.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass, field
from typing import Any

from .data import Figure


@dataclass
class Bar:
    label: str
    group: str
    value: float
    text: str  # the value as shown, e.g. "-33%"
    x: float
    width: float
    y: float
    label_lines: list[str] = field(default_factory=list)
    negative: bool = False


@dataclass
class BarLayout:
    width: int
    height: int
    zero_x: float
    bars: list[Bar]
    ticks: list[tuple[float, str]]  # (x, label)
    axis_y: float


def signed(value: float, unit: str) -> str:
    number = f"{value:+g}".replace("-", "\u2212")  # a true minus sign reads better
    return f"{number}{unit}"


def bar_layout(fig: Figure, width: int = 520, label_chars: int = 44) -> BarLayout:
    items = [i for i in fig.items if isinstance(i, dict)]
    values = [float(i["value"]) for i in items]
    low, high = min([0.0, *values]), max([0.0, *values])
    span = (high - low) or 1.0
    pad_left, pad_right = 70.0, 70.0  # room for value labels on either side
    plot = width - pad_left - pad_right
    scale = plot / span
    zero_x = pad_left + (0 - low) * scale
    bars: list[Bar] = []
    y = 10.0
    for item, value in zip(items, values, strict=True):
        label = str(item.get("label", ""))
        group = str(item.get("group", ""))
        lines = textwrap.wrap(f"{label}" + (f" ({group})" if group else ""), label_chars) or [""]
        y_bar = y + 20 * len(lines) + 4
        x = zero_x + min(0.0, value) * scale
        bars.append(Bar(label, group, value, signed(value, fig.unit), x, abs(value) * scale, y_bar, lines, value < 0))
        y = y_bar + 30
    step = _nice_step(span)
    ticks = []
    tick = (low // step) * step
    while tick <= high + 1e-9:
        if tick >= low - 1e-9:
            ticks.append((zero_x + tick * scale, signed(tick, fig.unit) if tick else "0"))
        tick += step
    return BarLayout(width, int(y + 30), zero_x, bars, ticks, y + 6)


def _nice_step(span: float) -> float:
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 500, 1000):
        if span / step <= 6:
            return float(step)
    return span / 5


@dataclass
class TimelineLayout:
    width: int
    height: int
    events: list[dict[str, Any]]  # x, week, lines
    axis_y: float
    x0: float
    x1: float
    groups: list[dict[str, Any]]  # x, y, w, h, label, n


def timeline_layout(fig: Figure, width: int = 520) -> TimelineLayout:
    items = fig.items
    events_in = items.get("timeline", []) if isinstance(items, dict) else items
    groups_in = items.get("groups", []) if isinstance(items, dict) else []
    weeks = [float(e["week"]) for e in events_in]
    first, last = 0.0, max(weeks or [1.0])
    x0, x1 = 30.0, width - 30.0
    scale = (x1 - x0) / ((last - first) or 1)
    events = []
    y = 20.0
    for e, week in zip(events_in, weeks, strict=True):
        lines = textwrap.wrap(f"Week {week:g}: {e['label']}", 50)
        events.append({"x": x0 + (week - first) * scale, "week": week, "lines": lines, "y": y})
        y += 22 * len(lines) + 8
    axis_y = y + 16
    groups = []
    box_w, box_h, gap = (width - 3 * 10) / 2, 56.0, 10.0
    gy = axis_y + 40
    for i, g in enumerate(groups_in):
        col, row = i % 2, i // 2
        groups.append(
            {
                "x": gap + col * (box_w + gap),
                "y": gy + row * (box_h + gap),
                "w": box_w,
                "h": box_h,
                "label": str(g.get("label", "")),
                "n": g.get("n", ""),
            }
        )
    rows = (len(groups_in) + 1) // 2
    height = gy + rows * (box_h + gap) + 10 if groups else axis_y + 30
    return TimelineLayout(width, int(height), events, axis_y, x0, x1, groups)


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
        title_lines = textwrap.wrap(str(name), 26)
        y = 16 + 24 * len(title_lines) + 10
        boxes = []
        for step in steps:
            lines = textwrap.wrap(str(step), chars)
            h = 22 * len(lines) + 16
            boxes.append({"y": y, "h": h, "lines": lines})
            y += h + 34  # room for the arrow
        columns.append(Column(title_lines, boxes, int(y - 24)))
    return columns


@dataclass
class Rung:
    label: str
    lines: list[str]
    sources: list[Any]
    y: float
    h: float


def ladder_rungs(fig: Figure, sources: dict[str, Any], width: int = 520) -> tuple[list[Rung], int]:
    """Levels are given lowest first; the top of the picture is the strongest evidence."""
    levels = list(fig.items)
    rungs = []
    y = 10.0
    for level in reversed(levels):
        found = [sources[s] for s in level.get("sources", []) if s in sources]
        names = "; ".join(_short(s) for s in found)
        lines = textwrap.wrap(names, 56) if names else ["(none cited)"]
        h = 30 + 20 * len(lines) + 12
        rungs.append(Rung(str(level.get("label", "")), lines, found, y, h))
        y += h + 8
    return rungs, int(y + 24)


def _short(source: Any) -> str:
    first = source.authors.split(",")[0].split(" ")[0] if source.authors else source.id
    return f"{first} {source.year}"
