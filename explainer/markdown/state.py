"""Stage 4a, Markdown: what the site's Markdown processors share: the page being converted
(PageState: what its render collects, and where a snippet of it is) and the site
(MarkdownSite: its data and what the rest of the build lends the Markdown stage)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..core.errors import Diagnostics, Location
from ..core.yamlio import TextLines
from ..kinds.data import SiteData
from ..load.strings import Strings


def relative_url(from_url: str, to_url: str) -> str:
    """Relative link from the page at from_url ("" or "study/") to to_url ("claims/x/#a")."""
    depth = from_url.count("/")
    return "../" * depth + to_url if (depth or to_url) else "./"


@dataclass
class PageState:
    """What one page's render collects: its citations, glossary uses and links."""

    url: str  # the page's URL relative to the site root, e.g. "study/"
    location: Location  # where the Markdown being converted starts
    text: str = ""  # the Markdown being converted, to find the line of a problem
    citations: list[str] = field(default_factory=list)  # source ids, in order of first citation
    terms_used: set[str] = field(default_factory=set)
    facts_used: list[str] = field(default_factory=list)  # fact ids, in order of first use (the Facts page lists uses)
    links: list[tuple[str, str, Location]] = field(default_factory=list)  # (target url, anchor, where)
    tooltip_count: int = 0
    _search_from: dict[str, int] = field(default_factory=dict)
    _lines: tuple[str, TextLines] | None = field(default=None, repr=False, compare=False)

    def locate(self, snippet: str) -> Location:
        """Best-effort line of a snippet in the Markdown: its next occurrence after the last one found."""
        start = self._search_from.get(snippet, 0)
        index = self.text.find(snippet, start)
        if index < 0:
            index = self.text.find(snippet)
        if index < 0:
            return self.location
        self._search_from[snippet] = index + 1
        if self._lines is None or self._lines[0] is not self.text:
            self._lines = (self.text, TextLines(self.text))  # built once per text, not per lookup
        line, col = self._lines[1].at(index)  # as editors count lines
        line -= 1
        base = self.location
        # base.col is where the text starts: a quoted YAML value's column, or a `|` block's indent.
        return Location(base.path, base.line + line, base.col + col - 1)

    def cite(self, source_id: str) -> int:
        if source_id not in self.citations:
            self.citations.append(source_id)
        return self.citations.index(source_id) + 1

    def next_tooltip_id(self) -> str:
        self.tooltip_count += 1
        return f"tip-{self.tooltip_count}"


@dataclass
class MarkdownSite:
    """What the extensions need from the rest of the build."""

    data: SiteData
    diags: Diagnostics
    page_urls: dict[str, str]  # source path relative to pages/ ("study.md") -> page URL ("study/")
    render_shortcode: Callable[[str, str, PageState, Location], str]  # (kind, id, state, where) -> html
    # The theme's markup of a citation, a reference or a tip (hooks.py): (name, values, where) -> html.
    render_hook: Callable[[str, dict[str, Any], Location], str]
    strings: Strings  # the site's language's words (authors' "and" and "et al.")
    generated_urls: set[str] = field(default_factory=set)  # "claims/", "sources/", ...
    # In a series: every explainer's claims, for [[claim:slug/id]] (load.config.Series.claims).
    elsewhere: Mapping[str, Mapping[str, tuple[str, str, str, str]]] = field(default_factory=dict)
    numeric_citations: bool = True  # the style's citations are numbers ([1]); else author and year
    _source_of_url: dict[str, str] | None = field(default=None, repr=False)
    _term_names: list[tuple[str, str]] | None = field(default=None, repr=False)

    def term_names(self) -> list[tuple[str, str]]:
        """(name, term id) of every glossary term, longest name first. Read once, past the
        render's use recording (dict.values of the table): what a page depends on is this index
        (the renderer records `glossary@index`) and the terms it marks, not the whole glossary."""
        if self._term_names is None:
            found = [(name, term.id) for term in dict.values(self.data.glossary) for name in term.names]
            self._term_names = sorted(found, key=lambda pair: len(pair[0]), reverse=True)
        return self._term_names

    def source_of_url(self) -> dict[str, str]:
        """page URL -> source path: a dict, not a scan of page_urls per link (that was O(pages) per link)."""
        if self._source_of_url is None:
            self._source_of_url = {}
            for source, url in self.page_urls.items():
                self._source_of_url.setdefault(url, source)
        return self._source_of_url


class Stateful:
    """Mixin: every processor reads the page being converted from the shared holder."""

    holder: StateHolder

    @property
    def state(self) -> PageState:
        return self.holder.state

    @property
    def site(self) -> MarkdownSite:
        return self.holder.site


class StateHolder:
    def __init__(self, site: MarkdownSite) -> None:
        self.site = site
        self.state = PageState(url="", location=Location(Path(".")))
        self.trusted_html: set[int] = set()  # stash indices our own processors stored
        # id() of each node the theme's render hooks drew -> where its reference is written (hooks.py)
        self.drawn: dict[int, Location] = {}
        self.checked = False  # RawHtmlCheck ran on this conversion
        self.sanitise = False  # this fragment holds raw markup: RawHtmlSanitiser runs
        self.kept: dict[str, str] = {}  # token -> our own HTML, set aside while sanitising
