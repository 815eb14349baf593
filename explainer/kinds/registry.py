"""The kinds of data the generator knows, listed explicitly, and what is derived from a list
of kinds: the order files are loaded in, the dependency map the build cache and the live
preview use, the generated pages and menu entries, the URLs the generator keeps for itself.

Each kind is declared once, in its own module (`claims.py`, `sources.py`...: its model,
fields, checks and pages); importing them registers nothing. A `Registry` is made from a
list of kinds when a build needs one, and derives its tables then, so a kind added to the
list is in every table.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property
from pathlib import PurePosixPath

from ..core.urls import SITE_FILES, Urls
from . import (
    claims,
    corrections,
    criteria,
    facts,
    figures,
    glossary,
    limits,
    source_kinds,
    sources,
    study,
    theories,
    verdicts,
    wording,
)
from .declare import GeneratedPage, Kind, all_fields

# In declaration order: the order of `data.<name>`, of the docs' tables, and of a cycle's loading.
BUILT_IN: tuple[Kind, ...] = (
    source_kinds.KIND,  # before sources: their kinds are checked against it
    sources.KIND,
    verdicts.KIND,
    claims.KIND,
    limits.KIND,
    glossary.KIND,
    theories.KIND,
    criteria.KIND,
    corrections.KIND,
    wording.KIND,
    study.KIND,
    figures.KIND,
    facts.KIND,
)

# Outputs the site makes whatever its data: no page may take their names.
SITE_OUTPUTS = ("404", "static", "pagefind", "sitemap.xml", "robots.txt", *SITE_FILES.values())


@dataclass(frozen=True)
class Registry:
    """A list of kinds, and the tables derived from it; `url_prefix` is the folder every page
    of the explainer is under (site.yaml's `url_prefix`, "" for the site's root)."""

    kinds: tuple[Kind, ...] = BUILT_IN
    url_prefix: str = ""
    files_prefix: str = ""  # where the site's own files (feeds) are: "" (its root), or an explainer's folder

    def with_kinds(self, *more: Kind) -> Registry:
        """These kinds and more (a kind of the same name replaces the one listed)."""
        names = {k.name for k in more}
        return Registry((*(k for k in self.kinds if k.name not in names), *more), self.url_prefix, self.files_prefix)

    def at(self, url_prefix: str, files_prefix: str = "") -> Registry:
        """The same kinds, their pages under `url_prefix` (and the feeds under files_prefix:
        an explainer of a series has its own, the series' are at its root)."""
        if (url_prefix, files_prefix) == (self.url_prefix, self.files_prefix):
            return self
        return Registry(self.kinds, url_prefix, files_prefix)

    def shared(self) -> tuple[Kind, ...]:
        """The kinds a series may keep once for all its explainers (its own data/)."""
        return tuple(k for k in self.kinds if k.shared)

    @cached_property
    def urls(self) -> Urls:
        """Every kind's pages: its own (claims/) and each entry's (claims/{id}/, or a place on
        its kind's page: sources/#src-{id})."""
        pages, entries = {}, {}
        for kind in self.kinds:
            own = kind.own_page
            if own is not None:
                pages[kind.name] = own.url
            if kind.item_page is not None:
                entries[kind.name] = kind.item_page.url
            elif own is not None and kind.anchor:
                entries[kind.name] = f"{own.url}#{kind.anchor}"
        return Urls(self.url_prefix, pages, entries, self.files_prefix)

    @cached_property
    def by_name(self) -> dict[str, Kind]:
        return {kind.name: kind for kind in self.kinds}

    def __getitem__(self, name: str) -> Kind:
        return self.by_name[name]

    def __contains__(self, name: object) -> bool:
        return name in self.by_name

    def __iter__(self) -> Iterator[str]:
        return iter(self.by_name)

    def get(self, name: str) -> Kind | None:
        return self.by_name.get(name)

    def items(self) -> list[tuple[str, Kind]]:
        return list(self.by_name.items())

    def values(self) -> tuple[Kind, ...]:
        return self.kinds

    @cached_property
    def references(self) -> dict[str, Kind]:
        """The word of `[[word:id]]` -> its kind, for every kind that declares one."""
        found: dict[str, Kind] = {}
        for kind in self.kinds:
            other = found.setdefault(kind.reference, kind) if kind.reference else kind
            word = kind.reference
            if other is not kind:  # a program's kind taking a word already taken
                raise ValueError(f"kinds '{other.name}' and '{kind.name}' both declare the reference [[{word}:id]]")
            if word and kind.name not in self.urls.entries:
                raise ValueError(f"kind '{kind.name}' declares [[{word}:id]], but its entries have no page nor anchor")
        return found

    @cached_property
    def file_kinds(self) -> dict[str, str]:
        """Data file -> the kind of id it defines, as error messages and Diagnostics.broken name it."""
        return {kind.name: kind.what for kind in self.kinds}

    def load_order(self) -> list[Kind]:
        """Kinds in an order where what is referred to comes before what refers to it. A link
        named from both sides (`mirror`) does not order them: it is joined after all loaded."""
        done: list[Kind] = []
        waiting = list(self.kinds)
        while waiting:
            for kind in waiting:
                needs = {f.ref for f in all_fields(kind.fields) if f.ref and not f.mirror} - {kind.name}
                if needs <= {k.name for k in done} | (needs - set(self.by_name)):
                    done.append(kind)
                    waiting.remove(kind)
                    break
            else:  # a cycle: declaration order decides
                done.append(waiting.pop(0))
        return done

    def depends_on(self) -> dict[str, set[str]]:
        """Each kind -> the kinds whose objects its objects hold (directly)."""
        return self._depends_on

    @cached_property
    def _depends_on(self) -> dict[str, set[str]]:
        names = set(self.by_name)
        return {k.name: (names if k.reads_any else k.refs) - {k.name} for k in self.kinds}

    def view_file(self, name: str) -> str:
        """The data file a templates' `data.<name>` reads (`tell_apart` lives in theories.yaml)."""
        for kind in self.kinds:
            if any(f.name == name for f in kind.file_fields):
                return kind.name
        return name

    def page_url(self, kind: Kind, page: GeneratedPage, ident: str = "") -> str:
        """The URL of one of a kind's pages (of the entry `ident`, for a page per entry)."""
        return self.urls.url_for(kind.name, ident if page.per_item else "")

    def generated_pages(self) -> list[tuple[Kind, GeneratedPage]]:
        """Every generated page, in render order: pages per entry, the kinds' own pages, then
        those that list what the others cited (they must know all of it)."""
        pages = [(k, p) for k in self.kinds for p in k.pages]
        return [(k, p) for k, p in pages if p.per_item] + sorted(
            ((k, p) for k, p in pages if not p.per_item), key=lambda kp: kp[1].lists_cited
        )

    def menu_pages(self) -> list[tuple[Kind, GeneratedPage]]:
        return [(k, p) for k, p in self.generated_pages() if p.menu]

    def reserved_slugs(self) -> set[str]:
        """First URL segments the generator fills: a page may not take them."""
        names = {PurePosixPath(p.url).parts[0] for _, p in self.generated_pages()}
        return names | set(SITE_OUTPUTS)
