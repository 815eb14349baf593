"""The `glossary` kind (`data/glossary.yaml`): terms and their aliases, matched in the
prose as whole words (a tooltip there), and listed on the glossary page."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..core.errors import SiteError
from ..core.schema import describe
from ..core.yamlio import YMap, YSeq
from .declare import GeneratedPage, Kind, Model, id_key, key


def phrases(noun: str) -> Callable[[YMap, str], list[SiteError]]:
    """Each item of a list must be a word or phrase."""

    def check(entry: YMap, name: str) -> list[SiteError]:
        items = entry[name]
        errors = []
        for i, item in enumerate(items):
            if not isinstance(item, str) or not item.strip():
                where = items.loc(i) if isinstance(items, YSeq) else entry.value_loc(name)
                errors.append(SiteError(where, f"each {noun} must be a word or phrase, not {describe(item)}"))
        return errors

    return check


def texts(value: Any) -> list[str]:
    return [str(v) for v in value or ()]


@dataclass(kw_only=True)
class Term(Model):
    id: str = id_key()
    term: str = key()
    definition: str = key()
    aliases: list[str] = key(list, check=phrases("alias"), convert=texts, default=())

    @property
    def names(self) -> list[str]:
        return [self.term, *self.aliases]


def unique_terms(entry: YMap, loader: Any) -> list[SiteError]:
    """A term or alias names one glossary entry only: the tooltip could not say which."""
    seen: dict[str, tuple[str, int]] = loader.__dict__.setdefault("glossary_words", {})
    aliases = entry.get("aliases") or []
    words = [("term", entry["term"], entry.value_loc("term"))]
    words += [
        ("alias", a, aliases.loc(i) if isinstance(aliases, YSeq) else entry.value_loc("aliases"))
        for i, a in enumerate(aliases)
    ]
    errors = []
    for what, word, where in words:
        folded = " ".join(str(word).lower().split())
        other = seen.get(folded)
        if other is not None and other[0] != entry["id"]:
            errors.append(
                SiteError(
                    where,
                    f"term defined twice in the glossary: the {what} '{word}' is also a term or alias of "
                    f"'{other[0]}' (line {other[1]}); keep it in one entry",
                )
            )
        elif other is None:
            seen[folded] = (entry["id"], where.line)
    return errors


KIND = Kind(
    "glossary",
    "glossary term",
    make=Term,
    shared=True,
    check=unique_terms,
    anchor="term-{id}",
    pages=(GeneratedPage("glossary/", "glossary.html", "glossary_title", "nav_glossary", always=True),),
    sort=lambda term: term.term.lower(),
    doc="a list; terms and aliases are matched case-insensitively as whole words",
)
