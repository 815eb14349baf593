"""The site's feeds, at its root: `claims.json`, a schema.org `DataFeed` of every
ClaimReview on the site (what fact-check aggregators read), and `feed.xml`, an Atom feed
(RFC 4287) of the explainer and of its corrections.

Both are outputs like the pages: `Renderer.jobs()` lists them and each records what it
reads (the claims and what a ClaimReview holds, the corrections), so the build cache and
the live preview re-render them when one of those changes (incremental/graph.py). A
ClaimReview is the one its claim's page prints (`structured_data.entry_entity`, from the
same title and address). Every date comes from the data (site.yaml's `last_reviewed`, the
corrections' `date`), never from the clock, so the same sources give the same bytes;
every address is site.yaml's `base_url` and a `url_for` URL.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit
from xml.etree import ElementTree

from ..core.errors import Location
from ..core.urls import output_path
from ..kinds.claims import short_title
from ..load.strings import apostrophes
from . import structured_data
from .uses import RenderedFile

if TYPE_CHECKING:
    from ..load.config import SiteConfig
    from .renderer import Renderer

ATOM = "http://www.w3.org/2005/Atom"
CORRECTIONS = "corrections"  # the kind the Atom feed lists besides the explainer
HTML, ATOM_TYPE = "text/html", "application/atom+xml"


def feed_jobs(renderer: Renderer) -> dict[str, Callable[[], RenderedFile | None]]:
    """The feeds by output path, for Renderer.jobs()."""
    urls = renderer.urls
    return {
        # The ClaimReviews read what a claim page's JSON-LD reads (and the claims, as iterated).
        output_path(urls.url_for("claims_feed")): partial(
            _output, renderer, "claims_feed", claims_feed, structured_data.READS
        ),
        output_path(urls.url_for("feed")): partial(_output, renderer, "feed", atom_feed, (CORRECTIONS,)),
    }


def _output(
    renderer: Renderer, name: str, make: Callable[[Renderer, str], bytes], reads: tuple[str, ...]
) -> RenderedFile:
    """One feed as an output, with what it read (RenderedFile.data): the data files in
    `reads` (the corrections are a list, which does not report its reads) and whatever
    its tables reported."""
    renderer.begin_output()
    for used in reads:
        renderer.use(used)
    path = renderer.urls.url_for(name)
    content = make(renderer, renderer.config.base_url + path)
    return RenderedFile(path, content, Location(renderer.config.path), in_sitemap=False, data=set(renderer.used))


# --- claims.json --------------------------------------------------------------------------


def claims_feed(renderer: Renderer, address: str) -> bytes:
    """Every ClaimReview of the site as a schema.org DataFeed: each a DataFeedItem with the
    review's address, when it was published and when a correction last touched its page."""
    config, data = renderer.config, renderer.data
    elements = []
    for page, kind, item in reviewed_entries(renderer):
        review = structured_data.entry_entity(config, data, page, kind, item)
        if review is None:
            continue
        published = review["datePublished"]
        elements.append(
            {
                "@type": "DataFeedItem",
                "url": review["url"],
                "dateCreated": published,
                "dateModified": max(published, structured_data.last_corrected(data, page["url"])),
                "item": review,
            }
        )
    return data_feed(config, elements, address)


def data_feed(config: SiteConfig, elements: list[dict[str, Any]], address: str) -> bytes:
    """The DataFeed document of these items (an explainer's, or a series' every explainer's)."""
    feed = {
        "@context": structured_data.CONTEXT,
        "@type": "DataFeed",
        "@id": address,
        "url": address,
        "name": apostrophes(config.title),
        "description": apostrophes(config.description),
        "inLanguage": config.language,
        "publisher": structured_data.publisher(config),
        "dateModified": max([config.last_reviewed, *(e["dateModified"] for e in elements)]),
        "dataFeedElement": elements,
    }
    return (json.dumps(feed, ensure_ascii=False, sort_keys=True, indent=1) + "\n").encode("utf-8")


def reviewed_entries(renderer: Renderer) -> Iterator[tuple[dict[str, str], Any, Any]]:
    """(page, kind, entry) of every entry whose page prints a review (the kinds that name
    ClaimReview: claims), in file order; page as the entry's page gives it to its JSON-LD."""
    config, kinds = renderer.config, renderer.data.kinds
    for kind in kinds.values():
        page = kind.item_page
        if kind.structured_data != "ClaimReview" or page is None:
            continue
        for item in getattr(renderer.data, kind.name).values():
            url = kinds.page_url(kind, page, item.id)
            title = kind.title_of(item, config.strings.quote)
            yield {"title": title, "url": url, "canonical": config.base_url + url}, kind, item


# --- feed.xml -----------------------------------------------------------------------------


@dataclass(frozen=True)
class FeedEntry:
    """One entry of the Atom feed; dates as YYYY-MM-DD."""

    id: str
    title: str
    updated: str
    link: str
    category: str
    summary: str = ""
    content: str = ""
    related: tuple[str, ...] = ()


def atom_feed(renderer: Renderer, address: str) -> bytes:
    """The Atom feed: the explainer, then its corrections, newest first."""
    config = renderer.config
    entries = sorted(feed_entries(renderer), key=lambda e: e.updated, reverse=True)  # stable: ties keep their order
    home = config.base_url + renderer.urls.url_for("pages")
    return atom_document(config, [_entry(e) for e in entries], address, home)


def atom_document(config: SiteConfig, entries: list[ElementTree.Element], address: str, home: str) -> bytes:
    """The Atom feed of these entries, in their order (an explainer's, or a series' every
    explainer's, each entry as its explainer's feed has it)."""
    newest = max([_date_time(config.last_reviewed), *(e.findtext("updated") or "" for e in entries)])
    feed = ElementTree.Element("feed", {"xmlns": ATOM, "xml:lang": config.language})
    _text(feed, "id", address)
    _text(feed, "title", apostrophes(config.title))
    _text(feed, "subtitle", apostrophes(config.description))
    _text(feed, "updated", newest)
    ElementTree.SubElement(feed, "link", {"rel": "self", "type": ATOM_TYPE, "href": address})
    ElementTree.SubElement(feed, "link", {"rel": "alternate", "type": HTML, "href": home})
    author = ElementTree.SubElement(feed, "author")
    _text(author, "name", apostrophes(config.publisher.name))
    if config.publisher.url:
        _text(author, "uri", config.publisher.url)
    _text(feed, "generator", "explainer")
    feed.extend(entries)
    ElementTree.indent(feed)
    text = ElementTree.tostring(feed, encoding="unicode")
    return f'<?xml version="1.0" encoding="utf-8"?>\n{text}\n'.encode()


def feed_entries(renderer: Renderer) -> list[FeedEntry]:
    """The explainer (its home page; updated at its review or its newest correction) and
    each correction, with the pages it touched as related links."""
    config, data, urls = renderer.config, renderer.data, renderer.urls
    corrections = list(getattr(data, CORRECTIONS)) if CORRECTIONS in data.kinds else []
    home = config.base_url + urls.url_for("pages")
    entries = [
        FeedEntry(
            id=home,
            title=apostrophes(config.title),
            updated=max([config.last_reviewed, *(str(c.date) for c in corrections)]),
            link=home,
            category="explainer",
            summary=apostrophes(config.description),
        )
    ]
    if not corrections:
        return entries
    log = config.base_url + urls.url_for(CORRECTIONS)
    ids = correction_ids(corrections, config.base_url, urls.url_for(CORRECTIONS))
    for correction, ident in reversed(list(zip(corrections, ids, strict=True))):  # newest first, as the log shows
        why = config.strings.text("correction_why", why=correction.why)
        entries.append(
            FeedEntry(
                id=ident,
                title=apostrophes(short_title(correction.what, str)),
                updated=str(correction.date),
                link=log,
                category="correction",
                content=apostrophes(f"{correction.what}\n\n{why}"),
                related=tuple(config.base_url + url for url in correction.pages),
            )
        )
    return entries


def correction_ids(corrections: list[Any], base_url: str, log_url: str) -> list[str]:
    """A tag: URI (RFC 4151) per correction: the site's host, the correction's date and its
    place among that day's corrections in the file ("tag:example.org,2026-12-02:/corrections/2").
    It stays when the wording is edited or later corrections are added; reordering a
    day's corrections changes it."""
    parts = urlsplit(base_url)
    seen: dict[str, int] = {}
    ids = []
    for correction in corrections:
        day = str(correction.date)
        seen[day] = seen.get(day, 0) + 1
        ids.append(f"tag:{parts.hostname},{day}:{parts.path}{log_url}{seen[day]}")
    return ids


def _entry(entry: FeedEntry) -> ElementTree.Element:
    element = ElementTree.Element("entry")
    _text(element, "id", entry.id)
    _text(element, "title", entry.title)
    _text(element, "updated", _date_time(entry.updated))
    ElementTree.SubElement(element, "link", {"rel": "alternate", "type": HTML, "href": entry.link})
    for url in entry.related:
        ElementTree.SubElement(element, "link", {"rel": "related", "type": HTML, "href": url})
    ElementTree.SubElement(element, "category", {"term": entry.category})
    if entry.summary:
        _text(element, "summary", entry.summary)
    if entry.content:
        _text(element, "content", entry.content, type="text")
    return element


def _text(parent: ElementTree.Element, tag: str, text: str, **attributes: str) -> None:
    ElementTree.SubElement(parent, tag, attributes).text = text


def _date_time(day: str) -> str:
    """A date of the data (YYYY-MM-DD, checked where it enters) as RFC 3339: its midnight, UTC."""
    return f"{day}T00:00:00Z"


def entries_of(feed: bytes) -> list[ElementTree.Element]:
    """The entries of an Atom feed this module wrote, as atom_document takes them."""
    root = ElementTree.fromstring(feed)  # noqa: S314 - the bytes this build just wrote, not input
    entries = []
    for entry in root.findall(f"{{{ATOM}}}entry"):
        for element in entry.iter():  # back to the unprefixed names atom_document writes (xmlns on the feed)
            element.tag = element.tag.removeprefix(f"{{{ATOM}}}")
        entry.tail = None
        entries.append(entry)
    return entries
