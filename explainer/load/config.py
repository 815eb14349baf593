"""Stage 1, config: the command's options and `site.yaml`, checked.

May read `site.yaml`; touches nothing else.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from ..core.errors import Diagnostics, Location, SiteError
from ..core.schema import Field, check_mapping
from ..core.yamlio import YMap, YSeq, load_yaml_file
from .citation_style import CitationStyle, load_citation_style
from .series import EXPLAINER_FILE, SLUG_RE, Series, inherit
from .strings import Strings, load_strings

PACKAGE = Path(__file__).resolve().parent.parent  # explainer/
# What a site is about, for search engines: `health` makes its pages MedicalWebPage
# (structured_data.py); anything else is a plain WebPage.
TOPICS = ("general", "health")
URL_PREFIX_RE = re.compile(r"^(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?/)+$")
SITE_TEMPLATES = "templates"  # a site's own templates, each replacing the theme's of the same name


def builtin_theme() -> Path:
    """The built-in theme: inside the package when installed from a wheel (`explainer/theme`,
    see pyproject.toml), the repository's `templates/` in a source checkout."""
    installed = PACKAGE / "theme"
    return installed if installed.is_dir() else PACKAGE.parent / "templates"


@dataclass(frozen=True)
class BuildOptions:
    source: Path = Path("site_src")
    templates: Path = field(default_factory=builtin_theme)  # the theme; --templates swaps it whole
    out: Path = Path("_site")
    strict: bool = False
    drafts: bool = False
    preview: bool = False  # set by `serve`: injects the reload script, relaxes CSP for it
    search: bool = True  # run Pagefind after the build, when it is installed
    # The kinds of data (a kinds.registry.Registry; None: the built-in kinds), for a program
    # that builds with a kind of its own.
    kinds: Any = None
    # Set when this build is one part of a series (site/series.py): one explainer of it, or
    # its front door (source == series.root).
    series: Series | None = None

    def template_dirs(self) -> list[Path]:
        """Where Jinja looks for a template, first match wins: the site's own, then the theme's."""
        return [self.source / SITE_TEMPLATES, self.templates]

    def strings_dirs(self) -> list[Path]:
        """Folders whose `strings/` hold interface texts, later ones changing earlier ones:
        the built-in theme (every key), a swapped theme, the site."""
        base = builtin_theme()
        theme = [] if self.templates.resolve() == base.resolve() else [self.templates]
        return [base, *theme, self.source]


@dataclass(frozen=True)
class Publisher:
    name: str
    url: str | None = None


@dataclass(frozen=True)
class Person:
    """Someone who wrote or reviewed the site, as the About page and structured data name them."""

    name: str
    credentials: str = ""  # e.g. "MD, professor of endocrinology"
    role: str = ""  # e.g. "wrote the claims pages"


@dataclass(frozen=True)
class Disclaimer:
    """A line the site prints at the foot of every page (e.g. "Not medical advice. ...")."""

    lead: str  # in bold
    text: str = ""


@dataclass(frozen=True)
class SiteConfig:
    path: Path
    title: str
    description: str
    base_url: str
    language: str
    publisher: Publisher
    last_reviewed: str
    about: tuple[str, ...] = ()
    claims_source: str | None = None
    disclaimer: Disclaimer | None = None
    authors: tuple[Person, ...] = ()  # named writers (none: the publisher wrote it)
    reviewers: tuple[Person, ...] = ()  # named reviewers (none: say that none is listed)
    conflicts: str = ""  # the writers' and reviewers' declared interests, as the About page says them
    citation_style: CitationStyle | None = None  # the CSL style of the bibliography (None: not loaded)
    topic: str = "general"  # one of TOPICS
    url_prefix: str = ""  # the folder every page of the explainer is under ("coffee/"); "": the site's root
    # The site's own stylesheets and scripts, after the theme's: paths inside its static/.
    extra_css: tuple[str, ...] = ()
    menu: tuple[Any, ...] = ()  # site.yaml's `menu`: page slugs or {page, label}, checked by render.menu
    extra_js: tuple[str, ...] = ()
    strings: Strings = field(default_factory=lambda: Strings("en"))
    reading_grade: float | None = None  # checks.reading_grade: the highest school grade allowed (checks/reading.py)
    reading_ease: float | None = None  # checks.reading_ease: the lowest Flesch reading ease allowed
    # How a series lists the explainer (its front door, topics, archive, feed): defaults
    # its title, description and last_reviewed.
    question: str = ""
    bottom_line: str = ""
    published: str = ""
    tags: tuple[str, ...] = ()
    extra: dict[str, Any] = field(default_factory=dict)
    raw: YMap | None = field(default=None, compare=False, repr=False)


PERSON_FIELDS = (Field("name"), Field("credentials", required=False), Field("role", required=False))
SITE_FIELDS = [
    Field("title"),
    Field("description"),
    Field("base_url"),
    Field("language"),
    Field("publisher", dict),
    Field("last_reviewed", str),
    Field("about", list, required=False),
    Field("claims_source", required=False),
    Field("extra", dict, required=False),
    Field("disclaimer", dict, required=False),
    Field("authors", list, required=False, fields=PERSON_FIELDS),
    Field("reviewers", list, required=False, fields=PERSON_FIELDS),
    Field("conflicts", required=False),
    Field("checks", dict, required=False),
    Field("citation_style", required=False),
    Field("topic", required=False, choices=TOPICS),
    Field("url_prefix", required=False),
    Field("extra_css", list, required=False),
    Field("extra_js", list, required=False),
    Field("menu", list, required=False),  # the header menu in reading order; checked by render.menu
    Field("question", required=False),
    Field("bottom_line", required=False),
    Field("published", str, required=False),
    Field("tags", list, required=False),
]
PUBLISHER_FIELDS = [Field("name"), Field("url", required=False)]
DISCLAIMER_FIELDS = [Field("lead"), Field("text", required=False)]
CHECKS_FIELDS = [
    Field("reading_grade", (int, float), required=False),
    Field("reading_ease", (int, float), required=False),
]


def load_site_config(source: Path, diags: Diagnostics, options: BuildOptions | None = None) -> SiteConfig | None:
    """Read and check `site.yaml` and its language's interface strings; problems go to
    diags and the result is None."""
    read = _read_settings(source, diags, options)
    if read is None:
        return None
    path, raw = read
    errors = check_mapping(raw, SITE_FIELDS, Location(path), path.name)
    if not errors and isinstance(raw, YMap):
        errors += _site_errors(raw, source)
    if errors:
        for err in errors:
            diags.add(err)
        return None
    options = options or BuildOptions(source=source)
    strings = load_strings(str(raw["language"]), raw.value_loc("language"), options.strings_dirs(), diags)
    style = load_citation_style(raw, source, [options.templates, builtin_theme()], diags)
    if strings is None or style is None:
        return None
    pub = raw["publisher"]
    note = raw.get("disclaimer")
    return SiteConfig(
        path=path,
        title=raw["title"],
        description=raw["description"],
        base_url=raw["base_url"],
        language=raw["language"],
        publisher=Publisher(pub["name"], pub.get("url")),
        last_reviewed=str(raw["last_reviewed"]),
        about=tuple(str(a) for a in raw.get("about") or ()),
        claims_source=raw.get("claims_source"),
        citation_style=style,
        topic=str(raw.get("topic") or "general"),
        url_prefix=str(raw.get("url_prefix") or ""),
        extra_css=tuple(str(p) for p in raw.get("extra_css") or ()),
        menu=tuple(raw.get("menu") or ()),
        extra_js=tuple(str(p) for p in raw.get("extra_js") or ()),
        disclaimer=Disclaimer(note["lead"], note.get("text") or "") if note else None,
        authors=_people(raw.get("authors")),
        reviewers=_people(raw.get("reviewers")),
        conflicts=str(raw.get("conflicts") or ""),
        strings=strings,
        reading_grade=(raw.get("checks") or {}).get("reading_grade"),
        reading_ease=(raw.get("checks") or {}).get("reading_ease"),
        question=str(raw.get("question") or raw["title"]),
        bottom_line=str(raw.get("bottom_line") or raw["description"]),
        published=str(raw.get("published") or raw["last_reviewed"]),
        tags=tuple(str(t) for t in raw.get("tags") or ()),
        extra=dict(raw.get("extra") or {}),
        raw=raw,
    )


def _read_settings(source: Path, diags: Diagnostics, options: BuildOptions | None) -> tuple[Path, Any] | None:
    """site.yaml as read (None: reported); in a series, an explainer's explainer.yaml with
    what it takes from the series' site.yaml (series.inherit)."""
    series = options.series if options is not None else None
    slug = series.slug_of(source) if series is not None else ""
    path = source / (EXPLAINER_FILE if slug else "site.yaml")
    if not path.is_file():
        what = "every explainer of a series needs one" if slug else "every site needs one"
        diags.error(Location(path), f"{path.name} not found: {what} (see docs/editing.md)")
        return None
    try:
        raw = load_yaml_file(path)
        if slug and series is not None and isinstance(raw, YMap):
            raw = inherit(raw, path, load_yaml_file(series.root / "site.yaml"), slug)
    except SiteError as exc:
        diags.add(exc)
        return None
    return path, raw


def _url_problems(raw: YMap, key: str, where: Location, folder: bool = False) -> list[SiteError]:
    """A web address of site.yaml: http(s), a host, nothing that would break out of the
    attribute or the sitemap it is printed in (quotes, spaces, angle brackets, controls)."""
    text = str(raw[key])
    if not text.startswith(("https://", "http://")) or not urlsplit(text).hostname:
        return [SiteError(where, f"{key} must be a web address starting with https://, not {text!r}")]
    bad = next((c for c in text if c in "\"'<>`\\{}|^" or c.isspace() or ord(c) < 32 or ord(c) == 127), None)
    if bad is not None:
        return [SiteError(where, f"{key} holds {bad!r}, which no web address has: percent-encode it or remove it")]
    if folder and not text.endswith("/"):
        return [SiteError(where, f"{key} must end with '/'")]
    return []


def _site_errors(raw: YMap, source: Path) -> list[SiteError]:
    """What the shape of site.yaml's keys does not say: nested mappings, addresses, dates."""
    errors: list[SiteError] = []
    errors += check_mapping(raw["publisher"], PUBLISHER_FIELDS, raw.value_loc("publisher"), "publisher")
    if "disclaimer" in raw:
        errors += check_mapping(raw["disclaimer"], DISCLAIMER_FIELDS, raw.value_loc("disclaimer"), "disclaimer")
    if raw.get("checks") is not None:
        errors += check_mapping(raw["checks"], CHECKS_FIELDS, raw.value_loc("checks"), "checks")
    errors += _url_problems(raw, "base_url", raw.value_loc("base_url"), folder=True)
    if isinstance(raw["publisher"], YMap) and raw["publisher"].get("url"):
        errors += _url_problems(raw["publisher"], "url", raw["publisher"].value_loc("url"))
    for key, suffix in (("extra_css", ".css"), ("extra_js", ".js")):
        errors += _static_list(raw, key, suffix, source / "static")
    errors += _url_prefix(raw)
    for key in ("last_reviewed", "published"):
        if key in raw and not _is_iso_date(str(raw[key])):
            errors.append(SiteError(raw.value_loc(key), f"{key} must be a date, YYYY-MM-DD"))
    errors += _tags(raw)
    return errors


def _tags(raw: YMap) -> list[SiteError]:
    """Topic tags: each names a topic page's address (topics/<tag>/)."""
    items = raw.get("tags") or ()
    return [
        SiteError(
            items.loc(i) if isinstance(items, YSeq) else raw.value_loc("tags"),
            f"a tag is a topic page's address: lower-case letters, digits and hyphens (e.g. 'road-safety'), not {t!r}",
        )
        for i, t in enumerate(items)
        if not isinstance(t, str) or not SLUG_RE.match(t)
    ]


def _url_prefix(raw: YMap) -> list[SiteError]:
    if not raw.get("url_prefix") or URL_PREFIX_RE.match(str(raw["url_prefix"])):
        return []
    return [
        SiteError(
            raw.value_loc("url_prefix"),
            "url_prefix must be a folder of lower-case letters, digits and hyphens ending in '/' "
            f"(e.g. 'coffee/' or 'explainers/coffee/'), not '{raw['url_prefix']}'",
        )
    ]


def _static_list(raw: YMap, key: str, suffix: str, static: Path) -> list[SiteError]:
    """extra_css / extra_js: files of the site's own static/ folder, so pages load nothing
    from another origin (the Content-Security-Policy would block it anyway)."""
    items = raw.get(key)
    if not items:
        return []
    errors = []
    for index, item in enumerate(items):
        where = items.loc(index) if isinstance(items, YSeq) else raw.value_loc(key)
        text = str(item) if isinstance(item, str) else ""
        parts = Path(text).parts
        if not text or text.startswith(("/", "\\")) or ".." in parts or ":" in text:
            errors.append(
                SiteError(
                    where,
                    f"'{key}' lists files of the site's static/ folder, as a path inside it "
                    f"(e.g. 'custom{suffix}' for static/custom{suffix}), not {item!r}: pages load nothing "
                    "from another site",
                )
            )
        elif not text.endswith(suffix):
            errors.append(SiteError(where, f"'{key}' lists {suffix} files: {text!r} is not one"))
        elif not (static / text).is_file():
            errors.append(SiteError(where, f"'{key}': no file static/{text} in the site: add it, or correct the path"))
    return errors


def _people(items: Any) -> tuple[Person, ...]:
    return tuple(Person(p["name"], p.get("credentials") or "", p.get("role") or "") for p in items or ())


def _is_iso_date(text: str) -> bool:
    from datetime import date

    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return len(text) == 10
