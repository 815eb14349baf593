"""The `theories` kind (`data/theories.yaml`, a mapping): the mechanisms that could explain
the result, step by step, and `tell_apart`, what experiment could tell them apart."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..core.errors import SiteError
from ..core.schema import Field, check_mapping, describe
from ..core.yamlio import YMap, YSeq
from .declare import Kind, MarkdownText, Model, id_key, key

if TYPE_CHECKING:
    from .sources import Source

# How a step of a mechanism stands in the study: drawn differently in a pathways figure.
STEP_STATUSES = ("measured", "inferred", "known")


class Step(str):
    """A step of a mechanism: its text, and whether the study measured it (`status`)."""

    status: str = ""


def step_list(entry: YMap, name: str) -> list[SiteError]:
    """Each step is text, or `{text: ..., status: measured | inferred | known}`."""
    items, errors = entry[name], []
    fields = (Field("text"), Field("status", required=False, choices=STEP_STATUSES))
    for i, item in enumerate(items):
        where = items.loc(i) if isinstance(items, YSeq) else entry.value_loc(name)
        if isinstance(item, YMap):
            errors += check_mapping(item, fields, where, "a step")
        elif not isinstance(item, str) or not item.strip():
            errors.append(
                SiteError(where, f"each step must be text or {{text: ..., status: ...}}, not {describe(item)}")
            )
    return errors


def steps(value: Any) -> list[Step]:
    out = []
    for item in value or ():
        step = Step(item["text"] if isinstance(item, dict) else item)
        step.status = str(item.get("status") or "") if isinstance(item, dict) else ""
        out.append(step)
    return out


@dataclass(kw_only=True)
class Theory(Model):
    id: str = id_key()
    name: str = key()
    idea: str = key()
    steps: list[str] = key(
        list,
        check=step_list,
        convert=steps,
        doc="the mechanism, step by step: text, or {text, status: measured | inferred | known}",
    )
    evidence: MarkdownText = key(markdown=True)
    missing: MarkdownText = key(markdown=True)
    sources: list[Source] = key(list, ref="sources")
    favoured_by: str = key(default="")


KIND = Kind(
    "theories",
    "theory",
    make=Theory,
    shape="mapping",
    items_key="theories",
    file_fields=(Field("tell_apart", markdown=True, doc="what experiment could tell them apart"),),
    doc="a mapping: `theories` (a list) and `tell_apart`",
)
