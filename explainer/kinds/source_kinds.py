"""The `source_kinds` kind (`data/source-kinds.yaml`): kinds of source a site uses besides
the built-in ones, each with its schema.org type. Loaded before sources, whose kinds are
checked against it."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ..core.schema import Field
from .declare import Kind

# The kinds of source every site knows; a site adds its own in data/source-kinds.yaml.
SOURCE_KINDS = (
    "cell study",
    "animal study",
    "case report",
    "case series",
    "case-control study",
    "cross-sectional study",
    "cohort study",
    "human observational study",
    "randomised trial",
    "human trial",
    "review",
    "systematic review",
    "meta-analysis",
    "guideline",
    "report",
    "book",
    "web page",
    "press release",
    "news article",
)


def source_kind_names(site_kinds: Iterable[Any]) -> tuple[str, ...]:
    """The built-in source kinds, then the site's own (data/source-kinds.yaml)."""
    own = tuple(str(getattr(k, "name", "")) for k in site_kinds if getattr(k, "name", ""))
    return SOURCE_KINDS + tuple(k for k in own if k not in SOURCE_KINDS)


KIND = Kind(
    "source_kinds",
    "source kind",
    shared=True,
    fields=(
        Field("name", doc="as a source's kind: says it"),
        Field("schema_type", required=False, default="", doc="schema.org type, e.g. Report (default: CreativeWork)"),
    ),
    doc="optional, a list: kinds of source the site uses besides the built-in ones",
)
