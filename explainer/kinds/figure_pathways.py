"""The pathways figure kind: one column per mechanism, its steps drawn as boxes in the
style of their status (measured, inferred, known)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..core.errors import SiteError
from ..core.schema import Field
from ..core.yamlio import YMap
from .declare import FigureKind
from .figure_draw import PAD
from .fontmetrics import wrap_to
from .theories import STEP_STATUSES, step_list
from .theories import steps as steps_of

if TYPE_CHECKING:
    from .figures import Figure


# A line of a step's text and the gap an arrow takes: tight enough that the two columns,
# stacked on a phone, fit in two of its screens.
LINE, ARROW = 20, 26


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
            h = LINE * len(lines) + 14 + tag
            boxes.append({"y": y, "h": h, "lines": lines, "status": status, "text_y": y + 23 + tag})
            y += h + ARROW  # room for the arrow
        columns.append(Column(title_lines, boxes, int(y - 24)))
    return columns


def _pathway_rules(holder: YMap, key: str) -> list[SiteError]:
    return [e for item in holder[key] for e in step_list(item, "steps")]


PATHWAY_ITEMS = Field(
    "items",
    list,
    fields=(Field("name"), Field("steps", list, doc="text, or {text, status: " + " | ".join(STEP_STATUSES) + "}")),
    check=_pathway_rules,
)


PATHWAYS = FigureKind("pathways", lambda fig, data, numbers: pathways(fig), PATHWAY_ITEMS)
