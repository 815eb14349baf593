"""An output of the render stage and what it used: `RenderedFile`, the names of the uses
besides data files, the data tables that report each read, and the rule that gives the
listing pages (the bibliography, the Facts page) what the outputs before them cited and
printed. incremental/graph.py turns the uses into what a change re-renders.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from ..core.errors import Location
from ..core.urls import output_path
from ..kinds.data import SiteData
from ..kinds.registry import Registry
from ..markdown.state import PageState

# Site-wide inputs an output can use besides data files (see RenderedFile.data).
NAV_USE = "@nav"  # the menu: page titles and order
CITED_USE = "@cited"  # the sources every other output cited (the bibliography)
# A use names a data file ("claims": read whole), one of its entries ("glossary#p-value") or its
# index ("glossary@index": the ids and names its entries are matched by); incremental/graph.py.
RECORD, INDEX = "#", "@index"


@dataclass
class RenderedFile:
    path: str  # relative to the output root, with forward slashes
    content: bytes
    source: Location  # what an error about this file should point at
    state: PageState | None = None  # citations, links and terms of a rendered page
    templates: set[str] = field(default_factory=set)
    title: str = ""
    in_sitemap: bool = True
    # Data files (by name, as in SiteData.files) and site-wide inputs (NAV_USE, CITED_USE)
    # this output read: the live preview re-renders it only when one of them changes.
    data: set[str] = field(default_factory=set)


class _UsedDict(dict):  # type: ignore[type-arg]
    """A SiteData table that reports each read, so a render knows which data files it used.
    Truth tests (len) are not reported: the nav only asks whether a table is empty."""

    def __init__(self, table: dict[str, Any], name: str, use: Callable[[str], None]) -> None:
        super().__init__(table)
        self._name, self.use = name, use

    def __getitem__(self, key: str) -> Any:
        self.use(f"{self._name}{RECORD}{key}")  # one entry: only its edits make this output stale
        return super().__getitem__(key)

    def get(self, key: str, default: Any = None) -> Any:
        self.use(f"{self._name}{RECORD}{key}")
        return super().get(key, default)

    def __contains__(self, key: object) -> bool:
        self.use(f"{self._name}{RECORD}{key}")
        return super().__contains__(key)

    def __iter__(self) -> Iterator[str]:
        self.use(self._name)
        return super().__iter__()

    def values(self) -> Any:
        self.use(self._name)
        return super().values()

    def items(self) -> Any:
        self.use(self._name)
        return super().items()


class UsedView(dict):  # type: ignore[type-arg]
    """The templates' `data` view, reporting which file each `data.<name>` comes from."""

    def __init__(self, view: dict[str, Any], use: Callable[[str], None], kinds: Registry) -> None:
        super().__init__(view)
        self.use = use
        self.kinds = kinds

    def __getitem__(self, key: str) -> Any:
        self.use(self.kinds.view_file(key))
        return super().__getitem__(key)

    def get(self, key: str, default: Any = None) -> Any:
        self.use(self.kinds.view_file(key))
        return super().get(key, default)


class UsedList(list):  # type: ignore[type-arg]
    """A list (the nav) that reports being read, and is made only then (most pages draw the
    menu with `menu()` and never read it)."""

    def __init__(self, make: Callable[[], list[Any]], use: Callable[[], None]) -> None:
        super().__init__()
        self.make, self.use = make, use

    def _read(self) -> None:
        self.use()
        if self.make is not None:
            self.extend(self.make())
            self.make = None  # type: ignore[assignment]

    def __iter__(self) -> Iterator[Any]:
        self._read()
        return super().__iter__()

    def __getitem__(self, index: Any) -> Any:
        self._read()
        return super().__getitem__(index)

    def __len__(self) -> int:
        self._read()
        return super().__len__()


def recording(data: SiteData, use: Callable[[str], None]) -> SiteData:
    """A shallow copy of data whose tables report reads (by file name) to use."""
    copied = copy.copy(data)
    for name, kind in data.kinds.items():
        if kind.keyed and kind.shape == "list":
            setattr(copied, name, _UsedDict(getattr(data, name), name, use))
    return copied


def note_uses(cited: set[str], fact_uses: dict[str, dict[str, str]], file: RenderedFile) -> None:
    """What the listing pages read of an output rendered before them: the sources it cited
    (the bibliography), the facts it printed (the Facts page)."""
    state = file.state
    if state is None:
        return
    cited.update(state.citations)
    for fact_id in getattr(state, "facts_used", ()):
        fact_uses.setdefault(fact_id, {}).setdefault(state.url, file.title)


def fact_use_keys(fact_uses: dict[str, dict[str, str]]) -> list[str]:
    """The Facts page's input besides citations: which output (URL, title) printed which fact."""
    return [f"fact:{fact_id}>{url}>{title}" for fact_id, uses in fact_uses.items() for url, title in uses.items()]


def bibliography_paths(kinds: Registry) -> set[str]:
    """The outputs that list what the other outputs cited (the kinds' `lists_cited` pages)."""
    return {output_path(kinds.page_url(k, page)) for k, page in kinds.generated_pages() if page.lists_cited}


def cited_input(
    path: str, cited: set[str], fact_uses: dict[str, dict[str, str]] | None = None, kinds: Registry | None = None
) -> frozenset[str] | None:
    """The bibliography rule, for the cache and the preview alike: an output that lists what
    the others cited (and the Facts page, what facts they printed) has as an input the sources
    cited and facts printed by the outputs rendered before it (`cited`, `fact_uses`: the
    renderer's at its turn). Other outputs: None."""
    if path not in bibliography_paths(kinds or Registry()):
        return None
    return frozenset(cited) | frozenset(fact_use_keys(fact_uses or {}))
