"""Every kind of data a site holds, declared once: its file, its fields, its pages.

A `Kind` says what one data file holds (`data/<name>.yaml`): the fields of each entry
(type, required, choices, default, a reference to another kind, a custom check), the
class its entries become, the pages generated from it (URL, template, menu label) and its
structured data. Everything else is derived from these declarations: the order files are
loaded in, their validation, the cross-reference checks, the dependency map the build
cache and the live preview use, the generated pages and menu entries, the URLs the
generator keeps for itself, and the field tables of `docs/content-model.md`.

Adding a kind of data is one `Kind(...)` in `KINDS` (plus its template, if it has pages).
This module imports no stage: every stage may read it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import PurePosixPath
from types import SimpleNamespace
from typing import Any

from ..core.errors import Location, SiteError
from ..core.yamlio import Field, YMap, YSeq, check_mapping, describe, kind_name, suggest
from ..load.names import Authors, authors_from_yaml, check_authors
from ..load.references import KEY_RULE, SOURCE_KEY_RE
from .facts import FACT_FIELDS, Fact, check_fact

# --- URLs: every URL and output path the generator makes goes through these two ----------

# A site with several explainers would give each its own prefix ("coffee/"): set it here.
URL_PREFIX = ""


def site_url(path: str) -> str:
    """The URL (relative to the site root) of a generated or page path like "claims/x/"."""
    return f"{URL_PREFIX}{path}"


def output_path(url: str) -> str:
    """The file an URL is written to: "claims/x/" -> "claims/x/index.html"."""
    return f"{url}index.html" if url == "" or url.endswith("/") else url


# Outputs the site makes whatever its data: no page may take their names.
SITE_OUTPUTS = ("404", "static", "pagefind", "sitemap.xml", "robots.txt")


# --- the declarations' vocabulary ----------------------------------------------------------


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

    def url_for(self, ident: str = "") -> str:
        return site_url(self.url.replace("{id}", ident))


@dataclass(frozen=True)
class Kind:
    """One kind of data: a file in `data/`, its entries' fields, what is made from it."""

    name: str  # the file's stem, `SiteData.<name>` and `data.<name>` in templates
    what: str  # one entry, as messages say it: "glossary term"
    fields: tuple[Field, ...]
    make: type | None = None  # the class an entry becomes (None: an Entry; a mapping file: its checked YAML)
    shape: str = "list"  # "list" of entries, or "mapping": the file is one entry
    items_key: str = ""  # a mapping file whose entries are the list under this key
    file_fields: tuple[Field, ...] = ()  # such a file's other keys: `data.<field>` in templates
    pages: tuple[GeneratedPage, ...] = ()
    item_title: Callable[[Any], str] | None = None  # per-entry page: its title
    item_description: Callable[[Any], str] | None = None  # per-entry page: its meta description
    structured_data: str = ""  # schema.org type of its JSON-LD (structured_data.py builds it)
    blocks: tuple[str, ...] = ()  # the `[[block:...]]` templates that draw this kind
    sort: Callable[[Any], Any] | None = None  # order of `data.<name>` in templates (default: file order)
    reads_any: bool = False  # its entries may hold data of any file (figures' `data:` paths)
    check: Callable[[YMap, Any], list[SiteError]] | None = None  # a check of a whole entry
    doc: str = ""  # one line for docs/content-model.md

    @property
    def whole_file(self) -> bool:
        """The file is one entry (study.yaml), kept as its checked YAML; else its entries
        become objects (of `make`, or Entry)."""
        return self.shape == "mapping" and not self.items_key

    @property
    def keyed(self) -> bool:
        """Entries have ids: a table by id (else a plain list)."""
        return any(f.is_id for f in self.fields)

    @property
    def refs(self) -> set[str]:
        """The kinds whose ids its entries (or its file's other keys) hold, at any depth."""
        return {f.ref for f in _all_fields((*self.fields, *self.file_fields)) if f.ref}

    @property
    def item_page(self) -> GeneratedPage | None:
        return next((p for p in self.pages if p.per_item), None)

    def url_of(self, ident: str) -> str:
        page = self.item_page
        assert page is not None, f"{self.name} has no page per entry"
        return page.url_for(ident)


def _all_fields(fields: Iterable[Field]) -> Iterable[Field]:
    for f in fields:
        yield f
        yield from _all_fields(f.fields)


# --- the model: what each kind's entries become ---------------------------------------------


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


class Item:
    """An entry of a kind with its own page: it knows its URL."""

    KIND = ""
    id: str

    @property
    def url(self) -> str:
        return KINDS[self.KIND].url_of(self.id)


@dataclass
class Source:
    id: str
    kind: str
    title: str
    note: str
    location: Location
    authors: Authors = field(default_factory=Authors)  # names, parsed once where sources enter
    venue: str = ""
    year: int = 0  # 0: the year is not known
    volume: str = ""
    issue: str = ""
    pages: str = ""
    details: str = ""
    doi: str = ""
    pmid: str = ""
    url: str = ""
    status: str = "checked"

    @property
    def link(self) -> str:
        if self.doi:
            return f"https://doi.org/{self.doi}"
        return self.url


@dataclass
class Verdict:
    id: str
    label: str
    definition: str
    color: str
    color_dark: str
    rating: int
    location: Location


@dataclass
class Claim(Item):
    KIND = "claims"
    id: str
    quote: str
    said_by: str
    verdict: Verdict
    summary: str
    evidence: MarkdownText
    limits: list[Limit]
    sources: list[Source]
    location: Location
    for_you: str = ""
    rests_on: str = ""


@dataclass
class Limit:
    id: str
    title: str
    explanation: MarkdownText
    sources: list[Source]
    weakens: list[Claim]
    location: Location


@dataclass
class Term:
    id: str
    term: str
    definition: str
    location: Location
    aliases: list[str] = field(default_factory=list)

    @property
    def names(self) -> list[str]:
        return [self.term, *self.aliases]


@dataclass
class Theory:
    id: str
    name: str
    idea: str
    steps: list[str]
    evidence: MarkdownText
    missing: MarkdownText
    sources: list[Source]
    location: Location
    favoured_by: str = ""


@dataclass
class Figure:
    id: str
    kind: str
    title: str
    caption: str
    description: str
    items: Any
    location: Location
    unit: str = ""
    options: dict[str, Any] = field(default_factory=dict)  # its kind's own keys (FigureKind.options)


@dataclass
class Criterion:
    name: str
    rating: str
    reason: str
    location: Location


# --- figure kinds: declared beside their layout code (figures.py) -----------------------------


@dataclass(frozen=True)
class FigureKind:
    """A kind of figure: the fields of its items, checked by the data stage, and its layout.

    `items` is a Field for the whole `items:` value (or what `data:` points at), so its
    type, item fields, references and custom check (rules across items) are checked like
    any data; None: not checked here. `options` are the kind's own keys in figures.yaml,
    beside the keys every figure has. `layout(figure, data)` gives what its template draws."""

    name: str
    layout: Callable[[Figure, Any], Any]
    items: Field | None = None
    options: tuple[Field, ...] = ()
    check: Callable[[YMap, Any], list[SiteError]] | None = None  # a check of the entry, with the loader


FIGURE_KINDS: dict[str, FigureKind] = {}


def figure_kinds(*kinds: FigureKind) -> dict[str, FigureKind]:
    """Register figure kinds (figures.py calls this as it is imported). Their own keys join
    the keys a figures.yaml entry may have; `figure_entry` says which kind has which."""
    for kind in kinds:
        FIGURE_KINDS[kind.name] = kind
    own = {f.name: f for k in FIGURE_KINDS.values() for f in k.options}
    figures = KINDS["figures"]
    common = tuple(f for f in figures.fields if f.name not in own and f.name not in FIGURE_OPTION_NAMES)
    FIGURE_OPTION_NAMES[:] = list(own)
    KINDS["figures"] = replace(figures, fields=(*common, *own.values()))
    return FIGURE_KINDS


FIGURE_OPTION_NAMES: list[str] = []  # every figure kind's own keys


def figure_options(values: dict[str, Any]) -> dict[str, Any]:
    """Take the figure kinds' own keys out of an entry's values: the ones it gave."""
    return {name: v for name in FIGURE_OPTION_NAMES if (v := values.pop(name, None)) is not None}


def figure_kind_names() -> tuple[str, ...]:
    return tuple(FIGURE_KINDS)


# --- custom checks -------------------------------------------------------------------------

HEX_RE = re.compile(r"^#[0-9a-fA-F]{6}$")


def hex_colour(entry: YMap, key: str) -> list[SiteError]:
    if HEX_RE.match(str(entry[key])):
        return []
    return [SiteError(entry.value_loc(key), f"'{key}' must be a colour like #1b5e20")]


def web_address(entry: YMap, key: str) -> list[SiteError]:
    if str(entry[key]).startswith(("https://", "http://")):
        return []
    return [SiteError(entry.value_loc(key), f"'{key}' must be a full web address (https://...)")]


def iso_date(entry: YMap, key: str) -> list[SiteError]:
    try:
        date.fromisoformat(str(entry[key]))
    except ValueError:
        return [SiteError(entry.value_loc(key), f"'{key}' must be a date, YYYY-MM-DD")]
    return []


SITE_PATH_RE = re.compile(r"^/$|^/?(?:[a-z0-9][a-z0-9._-]*/)+$")


def site_paths(entry: YMap, key: str) -> list[SiteError]:
    """Pages of the site by their address from its root: "/" (home), "people/", "claims/x/"."""
    bad = [p for p in entry[key] if not isinstance(p, str) or not SITE_PATH_RE.match(p)]
    if not bad:
        return []
    return [
        SiteError(
            entry.value_loc(key),
            f"'{key}' lists pages by their address from the site's root, ending in '/' "
            f'("/" for the home page, "people/", "claims/some-id/"); not {describe(bad[0])}',
        )
    ]


def _site_paths(paths: Any) -> tuple[str, ...]:
    return tuple(site_url(f"{p.strip('/')}/" if p.strip("/") else "") for p in map(str, paths or ()))


def phrases(noun: str) -> Callable[[YMap, str], list[SiteError]]:
    """Each item of a list must be a word or phrase."""

    def check(entry: YMap, key: str) -> list[SiteError]:
        items = entry[key]
        errors = []
        for i, item in enumerate(items):
            if not isinstance(item, str) or not item.strip():
                where = items.loc(i) if isinstance(items, YSeq) else entry.value_loc(key)
                errors.append(SiteError(where, f"each {noun} must be a word or phrase, not {describe(item)}"))
        return errors

    return check


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


def figure_entry(entry: YMap, loader: Any) -> list[SiteError]:
    """Items inline or from a path, and only the keys of the figure's own kind."""
    if ("data" in entry) == ("items" in entry):
        return [SiteError(entry.loc(), "a figure needs exactly one of 'data' (a path like study.chart) or 'items'")]
    kind = FIGURE_KINDS[entry["kind"]]
    own = [f.name for f in kind.options]
    listed = f"; its own fields are: {', '.join(own)}" if own else "; it has no fields of its own"
    errors = [
        SiteError(entry.loc(name), f"'{name}' is not a field of a {kind.name} figure{listed}")
        for name in FIGURE_OPTION_NAMES
        if name in entry and name not in own
    ]
    return errors or (kind.check(entry, loader) if kind.check else [])


# A table from data (the study's design and results): the first column holds each row's label.
TABLE_FIELDS = (
    Field("caption", required=False, doc="shown above the table"),
    Field("columns", list, each=str, doc="the header, first column included"),
    Field("rows", list, fields=(Field("label"), Field("values", list, each=(str, int, float))), doc="label, values"),
    Field("note", required=False, doc="shown under the table"),
)


def rows_fit(entry: YMap, key: str) -> list[SiteError]:
    """A table row holds one value for each column after the first (the row's label)."""
    table = entry[key]
    width = len(table["columns"]) - 1
    return [
        SiteError(
            row.value_loc("values"),
            f"this row has {len(row['values'])} value(s) for {width} column(s) after the first; give one per column",
        )
        for row in table["rows"]
        if len(row["values"]) != width
    ]


# How a step of a mechanism stands in the study: drawn differently in a pathways figure.
STEP_STATUSES = ("measured", "inferred", "known")


class Step(str):
    """A step of a mechanism: its text, and whether the study measured it (`status`)."""

    status: str = ""


def step_list(entry: YMap, key: str) -> list[SiteError]:
    """Each step is text, or `{text: ..., status: measured | inferred | known}`."""
    items, errors = entry[key], []
    fields = (Field("text"), Field("status", required=False, choices=STEP_STATUSES))
    for i, item in enumerate(items):
        where = items.loc(i) if isinstance(items, YSeq) else entry.value_loc(key)
        if isinstance(item, YMap):
            errors += check_mapping(item, fields, where, "a step")
        elif not isinstance(item, str) or not item.strip():
            errors.append(
                SiteError(where, f"each step must be text or {{text: ..., status: ...}}, not {describe(item)}")
            )
    return errors


def steps(value: Any) -> list[Step]:
    out = []
    for item in value or ():
        step = Step(item["text"] if isinstance(item, dict) else item)
        step.status = str(item.get("status") or "") if isinstance(item, dict) else ""
        out.append(step)
    return out


def _texts(value: Any) -> list[str]:
    return [str(v) for v in value or ()]


def _short_title(quote: str, limit: int = 70) -> str:
    quote = quote.strip()
    return f"\u201c{quote}\u201d" if len(quote) <= limit else f"\u201c{quote[:limit].rsplit(' ', 1)[0]}\u2026\u201d"


# --- the kinds ---------------------------------------------------------------------------

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


def known_source_kind(entry: YMap, loader: Any) -> list[SiteError]:
    """A source's kind is a built-in one or one the site added (loaded before sources)."""
    known = source_kind_names(loader.data.tables.get("source_kinds") or ())
    kind = entry["kind"]
    if kind in known:
        return []
    return [
        SiteError(
            entry.value_loc("kind"),
            f"unknown kind of source '{kind}'{suggest(kind, set(known))} (kinds: {', '.join(known)}); "
            f"add a kind of your own to data/source-kinds.yaml as '- name: {kind}'",
        )
    ]


def wording_pattern(entry: YMap, key: str) -> list[SiteError]:
    """A wording rule's `avoid`: a phrase, or a regular expression as Python's `re` reads it."""
    try:
        found = re.compile(str(entry[key]), re.IGNORECASE)
    except re.error as exc:
        return [
            SiteError(
                entry.value_loc(key),
                f"'{key}' is not a valid pattern: {exc} (write a phrase, or a regular expression; "
                "put a backslash before ( ) [ ] . * + ? | to mean the character itself)",
            )
        ]
    if found.search(""):
        return [SiteError(entry.value_loc(key), f"'{key}' matches empty text, so it would match everywhere")]
    return []


SKIP_PATH_RE = re.compile(r"^(?:pages|data)/[\w./-]+\.(?:md|ya?ml)(?:#[\w-]+)?$")


def skip_paths(entry: YMap, key: str) -> list[SiteError]:
    """Files of the site by their path in the source folder, a data file's key after `#`."""
    bad = [p for p in entry[key] if not isinstance(p, str) or not SKIP_PATH_RE.match(p) or ".." in p]
    if not bad:
        return []
    return [
        SiteError(
            entry.value_loc(key),
            f"'{key}' lists files by their path in the source folder (\"pages/about.md\", "
            "\"data/corrections.yaml\", or one key of a data file: \"data/claims.yaml#quote\"); "
            f"not {describe(bad[0])}",
        )
    ]


CRITERION_RATINGS = ("Satisfactory", "Not satisfactory", "Not applicable")

_ID = Field("id", is_id=True, doc="kebab-case id")

_KIND_LIST = (
    Kind(  # before sources: their kinds are checked against it
        "source_kinds",
        "source kind",
        (
            Field("name", doc="as a source's kind: says it"),
            Field(
                "schema_type", required=False, default="", doc="schema.org type, e.g. Report (default: CreativeWork)"
            ),
        ),
        doc="optional, a list: kinds of source the site uses besides the built-in ones",
    ),
    Kind(
        "sources",
        "source",
        (
            Field("id", is_id=True, id_rule=(SOURCE_KEY_RE, KEY_RULE), doc="its citation key, as Zotero writes it"),
            Field("kind", doc="a built-in kind (cohort study, randomised trial, news article...) or one of the site's"),
            Field(
                "authors",
                (str, list),
                required=False,
                check=check_authors,
                convert=authors_from_yaml,
                doc='"Smith J, Jones K, et al.", or a list of names, {family, given} or {institution}; '
                "leave out when not stated",
            ),
            Field("title"),
            Field("venue", required=False, default="", doc="journal, publisher or website"),
            Field("year", int, required=False, default=0, doc="leave out when the year is not known"),
            Field("note", doc="one line"),
            Field("volume", (str, int), required=False, default="", convert=str),
            Field("issue", (str, int), required=False, default="", convert=str),
            Field("pages", (str, int), required=False, default="", convert=str, doc="e.g. 1692-1702"),
            Field("details", required=False, default="", doc="anything else, printed after the reference"),
            Field("doi", required=False, default="", doc="link = https://doi.org/<doi>"),
            Field("pmid", (str, int), required=False, default="", convert=str),
            Field("url", required=False, default="", check=web_address, doc="used when there is no doi"),
            Field("status", required=False, default="checked", choices=("checked", "unconfirmed")),
        ),
        make=Source,
        check=known_source_kind,
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
    ),
    Kind(
        "verdicts",
        "verdict",
        (
            _ID,
            Field("label"),
            Field("definition"),
            Field("color", check=hex_colour, doc="badge background in light mode (white text)"),
            Field("color_dark", check=hex_colour, doc="badge background in dark mode (black text)"),
            Field("rating", int, doc="higher = better supported"),
        ),
        make=Verdict,
        pages=(
            GeneratedPage(
                "static/verdicts.css", "verdicts.css", "verdict_colours_title", in_sitemap=False, always=True
            ),
        ),
        doc="a list, best first",
    ),
    Kind(
        "claims",
        "claim",
        (
            _ID,
            Field("quote", doc="exact words from the article"),
            Field("said_by"),
            Field("verdict", ref="verdicts"),
            Field("summary", doc="the verdict in one plain sentence"),
            Field("for_you", required=False, default="", doc="what it means for a reader, in one line"),
            Field(
                "rests_on",
                required=False,
                default="",
                doc="what the verdict rests on, shown with it (e.g. a study's abstract alone)",
            ),
            Field("evidence", markdown=True),
            Field("limits", list, required=False, ref="limits", mirror="weakens", default=()),
            Field("sources", list, ref="sources", min_items=1),
        ),
        make=Claim,
        pages=(
            GeneratedPage("claims/{id}/", "claim.html"),
            GeneratedPage("claims/", "claims.html", "claims_title", "nav_claims", always=True),
        ),
        item_title=lambda claim: _short_title(claim.quote),
        item_description=lambda claim: claim.summary,
        structured_data="ClaimReview",
        doc="a list, in the order they appear in the article",
    ),
    Kind(
        "limits",
        "limit",
        (
            _ID,
            Field("title"),
            Field("explanation", markdown=True),
            Field("sources", list, ref="sources"),
            Field("weakens", list, ref="claims", mirror="limits"),
        ),
        make=Limit,
        doc="a list",
    ),
    Kind(
        "glossary",
        "glossary term",
        (
            _ID,
            Field("term"),
            Field("definition"),
            Field("aliases", list, required=False, check=phrases("alias"), convert=_texts, default=()),
        ),
        make=Term,
        check=unique_terms,
        pages=(GeneratedPage("glossary/", "glossary.html", "glossary_title", "nav_glossary", always=True),),
        sort=lambda term: term.term.lower(),
        doc="a list; terms and aliases are matched case-insensitively as whole words",
    ),
    Kind(
        "theories",
        "theory",
        (
            _ID,
            Field("name"),
            Field("idea"),
            Field(
                "steps",
                list,
                check=step_list,
                convert=steps,
                doc="the mechanism, step by step: text, or {text, status: measured | inferred | known}",
            ),
            Field("evidence", markdown=True),
            Field("missing", markdown=True),
            Field("sources", list, ref="sources"),
            Field("favoured_by", required=False, default=""),
        ),
        make=Theory,
        shape="mapping",
        items_key="theories",
        file_fields=(Field("tell_apart", markdown=True, doc="what experiment could tell them apart"),),
        doc="a mapping: `theories` (a list) and `tell_apart`",
    ),
    Kind(
        "criteria",
        "criterion",
        (Field("name"), Field("rating", choices=CRITERION_RATINGS), Field("reason")),
        make=Criterion,
        doc="a list: news-quality ratings, shown by [[block:criteria]]",
    ),
    Kind(
        "corrections",
        "correction",
        (
            Field("date", check=iso_date, doc="YYYY-MM-DD"),
            Field("what", doc="what changed, in one or two sentences"),
            Field("why", doc="why it changed"),
            Field("pages", list, check=site_paths, convert=_site_paths, min_items=1, doc='touched: "/", "people/"'),
        ),
        pages=(GeneratedPage("corrections/", "corrections.html", "corrections_title"),),
        blocks=("corrections",),
        sort=lambda c: (c.date, c.what),
        doc="a list: the corrections log, shown by [[block:corrections]], on each page touched and as its dateModified",
    ),
    Kind(
        "wording",
        "wording rule",
        (
            Field("avoid", check=wording_pattern, doc="a phrase, or a regular expression; any case, whole words"),
            Field("use", doc="the wording to use instead, shown with each hit"),
            Field("why", required=False, default="", doc="why, shown with each hit"),
            Field(
                "skip", list, required=False, check=skip_paths, default=(), doc="files (or file#key) it skips"
            ),
        ),
        doc="optional, a list: phrasings the site never wants, with the wording to use instead (the wording check)",
    ),
    Kind(
        "study",
        "study",
        (
            Field("citation", required=False, ref="sources", doc="the study's own paper"),
            Field("design", dict, required=False, fields=TABLE_FIELDS, check=rows_fit, doc="[[block:study-design]]"),
            Field("results", dict, required=False, fields=TABLE_FIELDS, check=rows_fit, doc="[[block:study-results]]"),
        ),
        shape="mapping",
        structured_data="ScholarlyArticle",
        blocks=("study-design", "study-results"),
        doc="a mapping: the study the site is about, its design and results as tables",
    ),
    Kind(
        "figures",
        "figure",
        (
            _ID,
            Field("kind", choices=figure_kind_names),
            Field("title", doc="SVG <title>"),
            Field("caption"),
            Field("description", doc="text alternative"),
            Field("data", required=False, doc="dotted path into the data, e.g. theories or study.timeline"),
            Field("items", list, required=False),
            Field("unit", required=False, default=""),
        ),
        make=Figure,
        sort=None,
        reads_any=True,
        check=figure_entry,
        doc="a list",
    ),
    Kind(
        "facts",
        "fact",
        FACT_FIELDS,
        make=Fact,
        # Lists where each fact is printed, so it comes after every output that may print one.
        pages=(GeneratedPage("facts/", "facts.html", "facts_title", "nav_facts", lists_cited=True),),
        check=check_fact,
        doc="a list: every number the site states, with its source's exact words (see facts.py)",
    ),
)

KINDS: dict[str, Kind] = {kind.name: kind for kind in _KIND_LIST}


def load_order() -> list[Kind]:
    """Kinds in an order where what is referred to comes before what refers to it. A link
    named from both sides (`mirror`) does not order them: it is joined after all loaded."""
    done: list[Kind] = []
    waiting = list(KINDS.values())
    while waiting:
        for kind in waiting:
            needs = {f.ref for f in _all_fields(kind.fields) if f.ref and not f.mirror} - {kind.name}
            if needs <= {k.name for k in done} | (needs - set(KINDS)):
                done.append(kind)
                waiting.remove(kind)
                break
        else:  # a cycle: declaration order decides
            done.append(waiting.pop(0))
    return done


def depends_on() -> dict[str, set[str]]:
    """Each kind -> the kinds whose objects its objects hold (directly)."""
    return {name: (set(KINDS) if kind.reads_any else kind.refs) - {name} for name, kind in KINDS.items()}


def view_file(name: str) -> str:
    """The data file a templates' `data.<name>` reads (`tell_apart` lives in theories.yaml)."""
    for kind in KINDS.values():
        if any(f.name == name for f in kind.file_fields):
            return kind.name
    return name


def generated_pages() -> list[tuple[Kind, GeneratedPage]]:
    """Every generated page, in render order: pages per entry, the kinds' own pages, then
    those that list what the others cited (they must know all of it)."""
    pages = [(k, p) for k in KINDS.values() for p in k.pages]
    return [(k, p) for k, p in pages if p.per_item] + sorted(
        ((k, p) for k, p in pages if not p.per_item), key=lambda kp: kp[1].lists_cited
    )


def menu_pages() -> list[tuple[Kind, GeneratedPage]]:
    return [(k, p) for k, p in generated_pages() if p.menu]


def reserved_slugs() -> set[str]:
    """First URL segments the generator fills: a page may not take them."""
    names = {PurePosixPath(p.url).parts[0] for _, p in generated_pages()}
    return names | set(SITE_OUTPUTS)


# --- docs/content-model.md: the field tables, generated from the declarations ---------------

TABLE_START = (
    "<!-- fields: {name} (generated from explainer/kinds/registry.py;"
    " to refresh: python -m explainer.kinds.registry) -->"
)
TABLE_END = "<!-- /fields -->"
CONTENT_MODEL = "docs/content-model.md"


def _holds(f: Field) -> str:
    """What a field holds, in editors' words."""
    if f.ref:
        what = KINDS[f.ref].what if f.ref in KINDS else f.ref
        return f"a list of {what} ids" if f.kind is list else f"a {what} id"
    if f.markdown:
        return "Markdown"
    if f.is_id and f.id_rule is not None:
        return "a citation key (letters, digits, _; :.-+/ inside)"
    if f.is_id:
        return "an id (a-z, 0-9, hyphens)"
    if f.each is not None:
        return f"a list of {kind_name(f.each)}"
    if f.kind is list and f.fields:
        return "a list of mappings"
    return kind_name(f.kind)


def _notes(f: Field) -> str:
    notes = []
    choices = f.choice_list()
    if choices:
        notes.append("one of: " + " \\| ".join(choices))
    if not f.required and f.default not in (None, "", (), 0):
        notes.append(f"default: {f.default}")
    if f.min_items:
        notes.append(f"at least {f.min_items}")
    if f.mirror:
        notes.append(f"a link also counts when the {KINDS[f.ref].what} names it (its `{f.mirror}`)")
    if f.doc:
        notes.append(f.doc)
    return "; ".join(notes).replace("<", "&lt;")  # "SVG <title>" is text, not a tag


def field_rows(fields: Iterable[Field], prefix: str = "") -> list[str]:
    rows = []
    for f in fields:
        name = f"{prefix}{f.name}"
        rows.append(f"| `{name}` | {_holds(f)} | {'yes' if f.required else 'no'} | {_notes(f)} |")
        if f.fields:
            rows += field_rows(f.fields, f"{name}[]." if f.kind is list else f"{name}.")
    return rows


def field_table(kind: Kind) -> str:
    """A kind's fields as a Markdown table (nested keys as `design.rows[].label`)."""
    head = ["| key | holds | required | notes |", "|---|---|---|---|"]
    fields: tuple[Field, ...] = kind.fields
    if kind.items_key:
        each = replace(Field(kind.items_key, list), fields=kind.fields, doc=f"each {kind.what}")
        fields = (each, *kind.file_fields)
    return "\n".join(head + field_rows(fields))


def figure_kinds_table() -> str:
    """Each figure kind: the fields of its items and its own keys in figures.yaml."""

    def cell(fields: Iterable[Field]) -> str:
        said = [(f.name, f.doc or (_holds(f) if _holds(f) != "text" else "")) for f in fields]
        return ", ".join(f"`{name}`" + (f" ({note})" if note else "") for name, note in said) or "–"

    rows = ["| kind | each item | the kind's own fields |", "|---|---|---|"]
    for kind in FIGURE_KINDS.values():
        items = kind.items.fields if kind.items is not None else ()
        rows.append(f"| `{kind.name}` | {cell(items)} | {cell(kind.options)} |")
    return "\n".join(rows)


def generated_tables() -> dict[str, str]:
    """Every table docs/content-model.md holds, by its marker's name."""
    tables = {name: field_table(kind) for name, kind in KINDS.items()}
    tables["figure kinds"] = figure_kinds_table()
    return tables


def refresh_content_model(text: str) -> str:
    """The doc with every generated table replaced by the registry's; a kind with no table
    yet gets a section of its own at the end."""
    for name, table in generated_tables().items():
        start = TABLE_START.format(name=name)
        block = f"{start}\n{table}\n{TABLE_END}"
        if start in text:
            before, rest = text.split(start, 1)
            text = before + block + rest.split(TABLE_END, 1)[1]
        else:
            kind = KINDS.get(name)
            title = f"data/{name}.yaml — {kind.doc}" if kind is not None else name
            text = text.rstrip("\n") + f"\n\n## {title}\n{block}\n"
    return text


if __name__ == "__main__":  # python -m explainer.kinds.registry [docs/content-model.md]
    import sys
    from pathlib import Path

    # This file runs as __main__: the registry the generator uses is explainer.kinds.registry,
    # with the figure kinds registered (figures.py does that as it is imported).
    from explainer.kinds import figures
    from explainer.kinds.registry import refresh_content_model as refresh

    assert figures.KINDS
    doc = Path(sys.argv[1] if len(sys.argv) > 1 else CONTENT_MODEL)
    doc.write_text(refresh(doc.read_text(encoding="utf-8")), encoding="utf-8")
    print(f"refreshed the field tables of {doc}")
