"""The `sources` kind (`data/sources.yaml`, or a reference manager's export beside it):
every source the site cites, listed on the bibliography page."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..core.errors import SiteError
from ..core.suggest import did_you_mean
from ..core.yamlio import YMap
from ..load.names import Authors, authors_from_yaml, check_authors
from ..load.references import KEY_RULE, SOURCE_KEY_RE
from .declare import GeneratedPage, Kind, Model, key
from .source_kinds import source_kind_names


def web_address(entry: YMap, name: str) -> list[SiteError]:
    if str(entry[name]).startswith(("https://", "http://")):
        return []
    return [SiteError(entry.value_loc(name), f"'{name}' must be a full web address (https://...)")]


@dataclass(kw_only=True)
class Source(Model):
    id: str = key(is_id=True, id_rule=(SOURCE_KEY_RE, KEY_RULE), doc="its citation key, as Zotero writes it")
    kind: str = key(doc="a built-in kind (cohort study, randomised trial, news article...) or one of the site's")
    # Names, parsed once where sources enter.
    authors: Authors = key(
        (str, list),
        factory=Authors,
        check=check_authors,
        convert=authors_from_yaml,
        doc='"Smith J, Jones K, et al.", or a list of names, {family, given} or {institution}; '
        "leave out when not stated",
    )
    title: str = key()
    venue: str = key(default="", doc="journal, publisher or website")
    year: int = key(int, default=0, doc="leave out when the year is not known")
    note: str = key(doc="one line")
    volume: str = key((str, int), default="", convert=str)
    issue: str = key((str, int), default="", convert=str)
    pages: str = key((str, int), default="", convert=str, doc="e.g. 1692-1702")
    details: str = key(default="", doc="anything else, printed after the reference")
    doi: str = key(default="", doc="link = https://doi.org/<doi>")
    pmid: str = key((str, int), default="", convert=str)
    url: str = key(default="", check=web_address, doc="used when there is no doi")
    status: str = key(default="checked", choices=("checked", "unconfirmed"))

    @property
    def link(self) -> str:
        if self.doi:
            return f"https://doi.org/{self.doi}"
        return self.url


def known_source_kind(entry: YMap, loader: Any) -> list[SiteError]:
    """A source's kind is a built-in one or one the site added (loaded before sources)."""
    known = source_kind_names(loader.data.tables.get("source_kinds") or ())
    kind = entry["kind"]
    if kind in known:
        return []
    return [
        SiteError(
            entry.value_loc("kind"),
            f"unknown kind of source '{kind}'{did_you_mean(kind, set(known))} (kinds: {', '.join(known)}); "
            f"add a kind of your own to data/source-kinds.yaml as '- name: {kind}'",
        )
    ]


KIND = Kind(
    "sources",
    "source",
    make=Source,
    shared=True,
    check=known_source_kind,
    anchor="src-{id}",
    pages=(
        GeneratedPage(
            "sources/",
            "sources.html",
            "sources_title",
            "nav_sources",
            menu_when_empty=True,
            lists_cited=True,
            always=True,
        ),
    ),
    doc="a list: every source the site cites",
)
