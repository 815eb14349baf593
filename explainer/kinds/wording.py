"""The `wording` kind (`data/wording.yaml`, optional): phrasings the site never wants, with
the wording to use instead, for the wording check (checks/wording.py)."""

from __future__ import annotations

import re

from ..core.errors import SiteError
from ..core.schema import Field, each_matching
from ..core.yamlio import YMap
from .declare import Kind


def wording_pattern(entry: YMap, name: str) -> list[SiteError]:
    """A wording rule's `avoid`: a phrase, or a regular expression as Python's `re` reads it."""
    try:
        found = re.compile(str(entry[name]), re.IGNORECASE)
    except re.error as exc:
        return [
            SiteError(
                entry.value_loc(name),
                f"'{name}' is not a valid pattern: {exc} (write a phrase, or a regular expression; "
                "put a backslash before ( ) [ ] . * + ? | to mean the character itself)",
            )
        ]
    if found.search(""):
        return [SiteError(entry.value_loc(name), f"'{name}' matches empty text, so it would match everywhere")]
    return []


SKIP_PATH_RE = re.compile(r"^(?!.*\.\.)(?:pages|data)/[\w./-]+\.(?:md|ya?ml)(?:#[\w-]+)?$")  # no ".."


skip_paths = each_matching(
    SKIP_PATH_RE,
    'files by their path in the source folder ("pages/about.md", '
    '"data/corrections.yaml", or one key of a data file: "data/claims.yaml#quote")',
)


KIND = Kind(
    "wording",
    "wording rule",
    fields=(
        Field("avoid", check=wording_pattern, doc="a phrase, or a regular expression; any case, whole words"),
        Field("use", doc="the wording to use instead, shown with each hit"),
        Field("why", required=False, default="", doc="why, shown with each hit"),
        Field("skip", list, required=False, check=skip_paths, default=(), doc="files (or file#key) it skips"),
    ),
    doc="optional, a list: phrasings the site never wants, with the wording to use instead (the wording check)",
)
