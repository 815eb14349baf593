"""The vocabulary a kind of data is declared in: `Kind`, its `GeneratedPage`s, the `key()`s
of its model, and the figure kinds' `FigureKind`.

A kind's model is a dataclass whose attributes are its keys: `key()` gives each one the
`schema.Field` that checks it (type, choices, reference, custom check...), its default is
the attribute's default, and `model_fields()` reads the Field list back off the class, so
no field or default is written twice. A kind without a model of its own declares its
Fields directly; its entries become `Entry` objects. This module imports no stage.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cached_property
from types import SimpleNamespace
from typing import Any

from ..core.errors import Location, SiteError
from ..core.schema import Field
from ..core.yamlio import YMap

_KEY = "explainer.key"  # where key() keeps a Field's options in a dataclass field's metadata


def key(
    kind: type | tuple[type, ...] = str, *, default: Any = dataclasses.MISSING, factory: Any = None, **options: Any
) -> Any:
    """A model attribute that is a key of the data file: `options` are `schema.Field`'s;
    with a default, the key is optional (an absent or empty key gives the default). With a
    `factory` it is optional too: its `convert` makes the value from what is written (or
    from nothing), and a model made in code gets `factory()`."""
    options = {"kind": kind, **options}
    if factory is not None:
        return dataclasses.field(default_factory=factory, metadata={_KEY: {**options, "default": None}})
    if default is dataclasses.MISSING:
        return dataclasses.field(metadata={_KEY: options})
    options["default"] = default
    if isinstance(default, list | dict | set | tuple) and default == type(default)():
        # An empty collection: each object gets its own list (the model's type), the Field
        # keeps the immutable default it documents.
        return dataclasses.field(default_factory=list, metadata={_KEY: options})
    return dataclasses.field(default=default, metadata={_KEY: options})


def id_key(doc: str = "kebab-case id") -> Any:
    """The `id` key of a kind whose entries others refer to."""
    return key(is_id=True, doc=doc)


@dataclass(kw_only=True)
class Model:
    """What every kind's model holds besides its keys: where its entry was defined."""

    location: Location


def model_fields(model: type) -> tuple[Field, ...]:
    """The keys of a model declared with `key()`, in declaration order, as Fields."""
    found = []
    for f in dataclasses.fields(model):
        if _KEY in f.metadata:
            options = dict(f.metadata[_KEY])
            found.append(Field(f.name, required="default" not in options, **options))
    return tuple(found)


def all_fields(fields: Iterable[Field]) -> Iterable[Field]:
    """Fields and their nested fields, at any depth."""
    for f in fields:
        yield f
        yield from all_fields(f.fields)


@dataclass(frozen=True)
class MarkdownText:
    """Markdown held in a data file, with where it starts so errors point inside it."""

    text: str
    location: Location

    def __str__(self) -> str:
        return self.text


class Entry(SimpleNamespace):
    """An entry of a kind declared without a class of its own: its fields as attributes
    (references resolved, Markdown kept with its location), and where it was defined."""

    location: Location


@dataclass(frozen=True)
class GeneratedPage:
    """A page made from a kind's data: one for the whole kind, or one per entry (`{id}`)."""

    url: str  # "claims/", "claims/{id}/", or a file such as "static/verdicts.css"
    template: str
    # Both by their key in the interface strings (templates/strings/<language>.yaml).
    title: str = ""  # the page's title (per-entry pages: see Kind.item_title)
    menu: str = ""  # label in the site menu ("" = not in the menu)
    menu_when_empty: bool = False  # listed in the menu even when the kind has no entries
    always: bool = False  # made even when the kind has no entries (else only when it has some)
    lists_cited: bool = False  # shows what the other outputs cited: rendered after them
    in_sitemap: bool = True

    @property
    def per_item(self) -> bool:
        return "{id}" in self.url


@dataclass(frozen=True)
class Kind:
    """One kind of data: a file in `data/`, its entries' fields, what is made from it."""

    name: str  # the file's stem, `SiteData.<name>` and `data.<name>` in templates
    what: str  # one entry, as messages say it: "glossary term"
    make: type | None = None  # the model an entry becomes (its keys: key()); None: an Entry
    fields: tuple[Field, ...] = ()  # without a model: the entries' fields; with one: read off it
    extra_fields: tuple[Field, ...] = ()  # keys beside the model's, which it gathers (figures' options)
    shape: str = "list"  # "list" of entries, or "mapping": the file is one entry
    items_key: str = ""  # a mapping file whose entries are the list under this key
    file_fields: tuple[Field, ...] = ()  # such a file's other keys: `data.<field>` in templates
    pages: tuple[GeneratedPage, ...] = ()
    anchor: str = ""  # without a page per entry: an entry's id on its kind's page ("src-{id}"), for url_for
    reference: str = ""  # the word of `[[word:id]]`, Markdown's link to one entry (url_for(name, id))
    # An entry's title (its page's, a `[[word:id]]` link's text), given the entry and the
    # language's quotation marks (Strings.quote); without it, the entry's id.
    item_title: Callable[[Any, Callable[[str], str]], str] | None = None
    item_description: Callable[[Any], str] | None = None  # per-entry page: its meta description
    # Its JSON-LD: the schema.org type of a builder of render/structured_data.py ("ClaimReview"),
    # or the kind's own builder, (config, data, page, entry) -> a JSON-LD object or None; called
    # with the entry on an entry's page, with None on the kind's own page and on a page that
    # shows one of its blocks.
    structured_data: str | Callable[..., dict[str, Any] | None] = ""
    blocks: tuple[str, ...] = ()  # the `[[block:...]]` templates that draw this kind
    sort: Callable[[Any], Any] | None = None  # order of `data.<name>` in templates (default: file order)
    by_id: bool = False  # templates look its entries up by id (`data.<name>` is its table)
    reads_any: bool = False  # its entries may hold data of any file (figures' `data:` paths)
    check: Callable[[YMap, Any], list[SiteError]] | None = None  # a check of a whole entry
    # Fills in what the entry's keys alone do not give (a figure's items, from its `data:`
    # path), with the loader; False: the entry cannot be made (reported).
    complete: Callable[[Any, YMap, dict[str, Any]], bool] | None = None
    doc: str = ""  # one line for docs/content-model.md
    # A series may keep its entries once, in its own data/, for every explainer; an
    # explainer's entry of the same id replaces the series' (site/series.py).
    shared: bool = False

    def __post_init__(self) -> None:
        if self.make is not None and dataclasses.is_dataclass(self.make):
            assert not self.fields, f"{self.name}: the fields are the model's keys, declared once"
            object.__setattr__(self, "fields", (*model_fields(self.make), *self.extra_fields))

    @property
    def whole_file(self) -> bool:
        """The file is one entry (study.yaml), kept as its checked YAML; else its entries
        become objects (of `make`, or Entry)."""
        return self.shape == "mapping" and not self.items_key

    @property
    def keyed(self) -> bool:
        """Entries have ids: a table by id (else a plain list)."""
        return any(f.is_id for f in self.fields)

    @cached_property  # asked for each output a build looks up in its cache
    def refs(self) -> frozenset[str]:
        """The kinds whose ids its entries (or its file's other keys) hold, at any depth."""
        return frozenset(f.ref for f in all_fields((*self.fields, *self.file_fields)) if f.ref)

    @property
    def item_page(self) -> GeneratedPage | None:
        return next((p for p in self.pages if p.per_item), None)

    def title_of(self, item: Any, marks: Callable[[str], str]) -> str:
        """An entry's page title, on its page and in the site's feeds (its id without item_title)."""
        return self.item_title(item, marks) if self.item_title else item.id

    @property
    def own_page(self) -> GeneratedPage | None:
        """The kind's page for all its entries (claims/), if it has one."""
        return next((p for p in self.pages if not p.per_item), None)


@dataclass(frozen=True)
class FigureKind:
    """A kind of figure: the fields of its items, checked by the data stage, and its layout.

    `items` is a Field for the whole `items:` value (or what `data:` points at), so its
    type, item fields, references and custom check (rules across items) are checked like
    any data; None: not checked here. `options` are the kind's own keys in figures.yaml,
    beside the keys every figure has. `layout(figure, data)` gives what its template draws."""

    name: str
    layout: Callable[[Any, Any, Any], Any]  # (figure, data, the language's NumberFormat)
    items: Field | None = None
    options: tuple[Field, ...] = ()
    check: Callable[[YMap, Any], list[SiteError]] | None = None  # a check of the entry, with the loader
