"""Stage 3, data: the authors of a source, parsed once where sources enter (BibTeX,
CSL-JSON, sources.yaml) into name objects that every later stage uses as they are.

A name is a person (family name, given names or initials) or an institution ("4 Day Week
Global"). `Authors` keeps them in order, and whether the list stops short of the whole
author list (`more`: written "et al." or BibTeX's "and others"), so nothing downstream ever
splits an author string again.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from ..core.errors import SiteError
from ..core.schema import describe
from ..core.yamlio import YMap, YSeq

# "Smith J", "Müller HP", "von Stengel S", "Lee F-K": a family name, then initials.
VANCOUVER_NAME_RE = re.compile(r"^(?P<family>\S.*?)\s+(?P<initials>(?:[A-Z]\.?-?){1,4})$")
ET_AL_RE = re.compile(r"^(?:et\.?\s*al\.?|and others|others)$", re.I)
NAME_KEYS = ("family", "given", "institution")


@dataclass(frozen=True)
class Name:
    """One author: a person (family, given) or an institution (its name, as written)."""

    family: str = ""
    given: str = ""
    institution: str = ""

    @property
    def is_institution(self) -> bool:
        return bool(self.institution)

    @property
    def short(self) -> str:
        """As an author-year citation names it: the family name, or the institution."""
        return self.institution or self.family or self.given

    @property
    def full(self) -> str:
        """ "Jane Doe", "4 Day Week Global": as structured data names it."""
        return self.institution or " ".join(p for p in (self.given, self.family) if p)

    def as_yaml(self) -> dict[str, str]:
        """As sources.yaml writes a name in a list: how an export's names join the YAML entry."""
        if self.institution:
            return {"institution": self.institution}
        return {k: v for k, v in (("family", self.family), ("given", self.given)) if v}

    def csl(self) -> dict[str, str]:
        """As CSL-JSON writes a name (an institution is a literal: never split or initialised)."""
        if self.institution:
            return {"literal": self.institution}
        return {k: v for k, v in (("family", self.family), ("given", self.given)) if v}


@dataclass(frozen=True)
class Authors:
    """A source's authors, in order; none: the source names no author."""

    names: tuple[Name, ...] = ()
    more: bool = False  # the list is cut short ("et al."): the source has other authors

    def __bool__(self) -> bool:
        return bool(self.names)

    def __iter__(self) -> Iterator[Name]:
        return iter(self.names)

    def __len__(self) -> int:
        return len(self.names)

    @property
    def first(self) -> Name | None:
        return self.names[0] if self.names else None

    def short(self, and_word: str, et_al: str) -> str:
        """As a citation names them: "Doe", "Doe and Roe", "Doe et al." ("" when none is named).
        The words are the site's language's (strings files: authors_and, et_al)."""
        if not self.names:
            return ""
        first = self.names[0].short
        if len(self.names) == 1 and not self.more:
            return first
        if len(self.names) == 2 and not self.more:
            return f"{first} {and_word} {self.names[1].short}"
        return f"{first} {et_al}"

    def as_yaml(self) -> list[Any]:
        """As a sources.yaml list (an export's authors join the YAML entry so)."""
        return [n.as_yaml() for n in self.names] + (["et al."] if self.more else [])


def person(family: str, given: str = "") -> Name:
    return Name(family=" ".join(family.split()), given=" ".join(given.split()))


def institution(name: str) -> Name:
    return Name(institution=" ".join(name.split()))


# --- sources.yaml: `authors` as editors write it ---------------------------------------------


def parse_name(text: str) -> Name:
    """One name as sources.yaml writes it: "Smith J" is a family name and initials; any
    other ("A Reporter", "Jane Doe") is kept whole, as the family name: no guess splits it.
    An institution is written {institution: ...}."""
    text = " ".join(text.split())
    m = VANCOUVER_NAME_RE.match(text)
    if m:  # "GM" is two initials: "G. M.", so a style can write them "GM" or "G.M."
        given = re.sub(r"([A-Z])\.?", r"\1. ", m.group("initials")).replace(" -", "-").strip()
        return person(m.group("family"), given)
    return person(text)


def authors_from_yaml(value: Any) -> Authors:
    """`authors:` of sources.yaml, checked by `check_authors` (an export's names join it as a list).

    - a string: names separated by commas, Vancouver style ("Smith J, Jones K, et al.")
    - a list: each a string as above (one name), or {family, given} or {institution}
    - left out or empty: the source names no author
    """
    if not value:
        return Authors()
    parts = [p.strip() for p in value.split(",")] if isinstance(value, str) else list(value)
    names: list[Name] = []
    more = False
    for part in parts:
        if isinstance(part, str) and ET_AL_RE.match(part.strip()):
            more = True
        elif isinstance(part, str) and part.strip():
            names.append(parse_name(part))
        elif isinstance(part, dict) and part.get("institution"):
            names.append(institution(str(part["institution"])))
        elif isinstance(part, dict):
            names.append(person(str(part.get("family") or ""), str(part.get("given") or "")))
    return Authors(tuple(names), more)


def check_authors(entry: YMap, key: str) -> list[SiteError]:
    """`authors` holds names: a string, or a list of strings and {family, given} /
    {institution} mappings."""
    value = entry[key]
    where = entry.value_loc(key)
    if isinstance(value, str):
        if value.strip().lower().startswith("not stated"):
            return [
                SiteError(
                    where,
                    f"'{key}: {value}' would be printed as an author's name; leave '{key}' out when a source "
                    "names no author (the site then says so in its language)",
                )
            ]
        return []
    if not isinstance(value, list):
        return [SiteError(where, f"'{key}' must be text or a list of names, not {describe(value)}")]
    errors = []
    for i, item in enumerate(value):
        at = value.loc(i) if isinstance(value, YSeq) else where
        if isinstance(item, str) and item.strip():
            continue
        if isinstance(item, dict) and item and set(item) <= set(NAME_KEYS):
            if item.get("institution") and (item.get("family") or item.get("given")):
                errors.append(SiteError(at, "a name is a person (family, given) or an institution, not both"))
            elif item.get("institution") or item.get("family"):
                continue
            else:
                errors.append(SiteError(at, "a person needs a 'family' name (or write {institution: ...})"))
            continue
        errors.append(
            SiteError(
                at,
                f'each author is a name ("Smith J"), {{family: Smith, given: Jane}} or {{institution: ...}}, '
                f"not {describe(item)}",
            )
        )
    return errors
