"""The `study` kind (`data/study.yaml`, a mapping): the study the site is about, its paper,
and its design and results as tables (`[[block:study-design]]`, `[[block:study-results]]`)."""

from __future__ import annotations

from ..core.errors import SiteError
from ..core.schema import Field
from ..core.yamlio import YMap
from .declare import Kind

# A table from data (the study's design and results): the first column holds each row's label.
TABLE_FIELDS = (
    Field("caption", required=False, doc="shown above the table"),
    Field("columns", list, each=str, doc="the header, first column included"),
    Field("rows", list, fields=(Field("label"), Field("values", list, each=(str, int, float))), doc="label, values"),
    Field("note", required=False, doc="shown under the table"),
)


def rows_fit(entry: YMap, name: str) -> list[SiteError]:
    """A table row holds one value for each column after the first (the row's label)."""
    table = entry[name]
    width = len(table["columns"]) - 1
    return [
        SiteError(
            row.value_loc("values"),
            f"this row has {len(row['values'])} value(s) for {width} column(s) after the first; give one per column",
        )
        for row in table["rows"]
        if len(row["values"]) != width
    ]


KIND = Kind(
    "study",
    "study",
    fields=(
        Field("citation", required=False, ref="sources", doc="the study's own paper"),
        Field("design", dict, required=False, fields=TABLE_FIELDS, check=rows_fit, doc="[[block:study-design]]"),
        Field("results", dict, required=False, fields=TABLE_FIELDS, check=rows_fit, doc="[[block:study-results]]"),
    ),
    shape="mapping",
    structured_data="ScholarlyArticle",
    blocks=("study-design", "study-results"),
    doc="a mapping: the study the site is about, its design and results as tables",
)
