"""The `corrections` kind (`data/corrections.yaml`): the corrections log, shown by
`[[block:corrections]]`, on its own page, on each page it touched and as that page's
dateModified."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from ..core.errors import SiteError
from ..core.schema import Field, each_matching
from ..core.yamlio import YMap
from .declare import GeneratedPage, Kind


def iso_date(entry: YMap, name: str) -> list[SiteError]:
    try:
        date.fromisoformat(str(entry[name]))
    except ValueError:
        return [SiteError(entry.value_loc(name), f"'{name}' must be a date, YYYY-MM-DD")]
    return []


SITE_PATH_RE = re.compile(r"^/$|^/?(?:[a-z0-9][a-z0-9._-]*/)+$")


site_paths = each_matching(
    SITE_PATH_RE,
    "pages by their address from the site's root, ending in '/' "
    '("/" for the home page, "people/", "claims/some-id/")',
)


def page_urls(loader: Any, entry: YMap, values: dict[str, Any]) -> bool:
    """The pages touched, as their URLs ("/" is the home page: "" or the site's url_prefix)."""
    values["pages"] = tuple(loader.kinds.urls.url_for("pages", str(p)) for p in entry["pages"])
    return True


KIND = Kind(
    "corrections",
    "correction",
    fields=(
        Field("date", check=iso_date, doc="YYYY-MM-DD"),
        Field("what", doc="what changed, in one or two sentences"),
        Field("why", doc="why it changed"),
        Field("pages", list, check=site_paths, min_items=1, doc='touched: "/", "study/"'),
    ),
    pages=(GeneratedPage("corrections/", "corrections.html", "corrections_title", "nav_corrections"),),
    complete=page_urls,
    blocks=("corrections",),
    sort=lambda c: (c.date, c.what),
    doc="a list: the corrections log, shown by [[block:corrections]], on each page touched and as its dateModified",
)
