"""The `figures` kind (`data/figures.yaml`): figures drawn as inline SVG by
`[[figure:id]]`, each of one figure kind. The figure kinds are listed here, explicitly; each
declares the fields of its items and its own keys in its module (figure_bar.py...), and
those keys join the keys a figure may have."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..core.errors import SiteError
from ..core.yamlio import YMap
from .declare import FigureKind, Kind, Model, id_key, key
from .figure_bar import BAR
from .figure_data import FigureData
from .figure_ladder import LADDER
from .figure_pathways import PATHWAYS
from .figure_timeline import TIMELINE

FIGURE_KINDS: dict[str, FigureKind] = {k.name: k for k in (BAR, TIMELINE, PATHWAYS, LADDER)}
# Every figure kind's own keys (one Field per name), beside the keys every figure has.
OPTION_FIELDS = tuple({f.name: f for k in FIGURE_KINDS.values() for f in k.options}.values())


@dataclass(kw_only=True)
class Figure(Model):
    id: str = id_key()
    kind: str = key(choices=tuple(FIGURE_KINDS))
    title: str = key(doc="SVG <title>")
    caption: str = key()
    description: str = key(doc="text alternative")
    data: str | None = key(default=None, doc="dotted path into the data, e.g. theories or study.timeline")
    items: Any = key(list, default=None)  # inline, or what `data` points at
    unit: str = key(default="")
    options: dict[str, Any] = field(default_factory=dict)  # its kind's own keys (FigureKind.options)


def figure_entry(entry: YMap, loader: Any) -> list[SiteError]:
    """Items inline or from a path, and only the keys of the figure's own kind."""
    if ("data" in entry) == ("items" in entry):
        return [SiteError(entry.loc(), "a figure needs exactly one of 'data' (a path like study.chart) or 'items'")]
    kind = FIGURE_KINDS[entry["kind"]]
    own = [f.name for f in kind.options]
    listed = f"; its own fields are: {', '.join(own)}" if own else "; it has no fields of its own"
    errors = [
        SiteError(entry.loc(f.name), f"'{f.name}' is not a field of a {kind.name} figure{listed}")
        for f in OPTION_FIELDS
        if f.name in entry and f.name not in own
    ]
    return errors or (kind.check(entry, loader) if kind.check else [])


def complete_figure(loader: Any, entry: YMap, values: dict[str, Any]) -> bool:
    """A figure's items, from where they are (checked against its kind), and its kind's own
    keys gathered in `options`; False when its items cannot be had (reported)."""
    items = FigureData(loader).items(entry, FIGURE_KINDS[entry["kind"]])
    if items is None:
        return False
    values["items"] = items
    values["options"] = {f.name: v for f in OPTION_FIELDS if (v := values.pop(f.name, None)) is not None}
    return True


KIND = Kind(
    "figures",
    "figure",
    make=Figure,
    extra_fields=OPTION_FIELDS,
    by_id=True,
    reads_any=True,
    check=figure_entry,
    complete=complete_figure,
    doc="a list",
)
