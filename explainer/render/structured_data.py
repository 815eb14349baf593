"""Structured data: the schema.org JSON-LD in every page's head.

Every page is a `WebPage` with the site's publisher, review date and topics; a site whose
`topic` is `health` (site.yaml) makes its pages `MedicalWebPage`s with their medical
property (`medicalAudience`: written for the public, patients, not clinicians), the error
page staying a plain `WebPage`. What the page holds is its `mainEntity`: an editor's page
(pages/*.md: the home page, the explanations, About) is an `Article` written by the site's
authors (the publisher if none), about the study's paper (a `ScholarlyArticle`) where it
shows the study's own blocks; a claim page holds one `ClaimReview` of its claim; the pages
the generator lists (claims, sources, glossary, facts, corrections) are `WebPage`s alone,
unless their kind builds its own JSON-LD (`Kind.structured_data`, a function). All of it
comes from `site.yaml` and the data files; nothing here knows about a particular study.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from ..kinds.claims import Claim
from ..kinds.data import SiteData
from ..kinds.declare import Kind
from ..kinds.source_kinds import SOURCE_KINDS
from ..kinds.sources import Source
from ..load.config import SiteConfig
from ..load.names import Authors
from ..load.strings import apostrophes

CONTEXT = "https://schema.org"
# Built-in source kinds (source_kinds.SOURCE_KINDS) as schema.org types; a site's own kinds
# name theirs in data/source-kinds.yaml; anything else is a CreativeWork.
# Every built-in kind not named here is a study or review: a ScholarlyArticle.
_OTHER_TYPES = {
    "news article": "NewsArticle",
    "press release": "Article",
    "report": "Report",
    "book": "Book",
    "web page": "WebPage",
    "guideline": "CreativeWork",
}
KIND_TYPES = {kind: _OTHER_TYPES.get(kind, "ScholarlyArticle") for kind in SOURCE_KINDS}


def page_items(
    config: SiteConfig,
    data: SiteData,
    page: dict[str, Any],
    item: tuple[Kind, Any] | None = None,
    blocks: Iterable[str] = (),
    error_page: bool = False,
) -> list[dict[str, Any]]:
    """The JSON-LD objects of one page, each for its own <script> element: the entry the
    page is about (a claim's ClaimReview) or the kind whose own page it is (`item` is
    (kind, None)), then those of kinds whose blocks it shows (the study's ScholarlyArticle);
    the last is the page's main entity."""
    items = [web_page(config, page, error_page)]
    modified = last_corrected(data, page["url"])
    if modified and not error_page:
        items[0]["dateModified"] = modified
    found = []
    if item is not None:
        found.append(entry_entity(config, data, page, *item))
    for kind in data.kinds.values():
        if kind.structured_data and set(kind.blocks) & set(blocks) and (item is None or kind is not item[0]):
            found.append(builder(kind)(config, data, page, None))
    found = [entity for entity in found if entity is not None]
    if page.get("slug") is not None and not error_page:  # an editor's page (only they have a slug)
        found.append(article(config, page, modified, found))
    for entity in found:
        items[0]["mainEntity"] = {"@id": entity["@id"]}
        items.append(entity)
    return [_typography(item) for item in items]


def entry_entity(
    config: SiteConfig, data: SiteData, page: dict[str, Any], kind: Kind, item: Any
) -> dict[str, Any] | None:
    """The JSON-LD object of the entry a page is about (a claim's ClaimReview), or of the
    kind on its own page (item None), as that page prints it (None: its kind has none); the
    site's feeds (feeds.py) reuse it. page: the page's `title`, `url` (from the site's root)
    and `canonical` (absolute) address."""
    if not kind.structured_data:
        return None
    entity = builder(kind)(config, data, page, item)
    return _typography(entity) if entity is not None else None


def builder(kind: Kind) -> Callable[..., dict[str, Any] | None]:
    """The kind's own JSON-LD builder, or the one of this module its schema.org type names."""
    own = kind.structured_data
    return own if callable(own) else BUILDERS[own][0]


# Kept exactly as written: addresses, and the claim's quote (the words reviewed, verbatim).
ADDRESSES = ("@id", "@context", "url", "sameAs", "claimReviewed")


def _typography(value: Any, key: str = "") -> Any:
    """Texts with the apostrophes the page shows (strings.apostrophes), so a name or a
    description reads the same in the JSON-LD as on the page; addresses as they are."""
    if isinstance(value, dict):
        return {k: _typography(v, k) for k, v in value.items()}
    if isinstance(value, list):
        return [_typography(v, key) for v in value]
    if isinstance(value, str) and key not in ADDRESSES:
        return apostrophes(value)
    return value


def publisher(config: SiteConfig) -> dict[str, Any]:
    org: dict[str, Any] = {
        "@type": "Organization",
        "@id": f"{config.base_url}#publisher",
        "name": config.publisher.name,
    }
    if config.publisher.url:
        org["url"] = config.publisher.url
    return org


def last_corrected(data: SiteData, url: str) -> str:
    """The date of the newest correction that touched the page at url ("" if none)."""
    return max((str(c.date) for c in data.corrections if url in c.pages), default="")


def named(people: Iterable[Any]) -> list[dict[str, Any]]:
    """site.yaml's authors or reviewers as schema.org Persons."""
    out = []
    for person in people:
        item: dict[str, Any] = {"@type": "Person", "name": person.name}
        if person.credentials:
            item["description"] = person.credentials
        out.append(item)
    return out


# MedicalWebPage's own property: an explainer is written for the public (schema.org's
# audience types for medical pages are patients, clinicians and medical researchers).
MEDICAL_AUDIENCE = {"@type": "MedicalAudience", "audienceType": "Patient"}


def web_page(config: SiteConfig, page: dict[str, Any], error_page: bool = False) -> dict[str, Any]:
    medical = config.topic == "health" and not error_page
    item: dict[str, Any] = {
        "@context": CONTEXT,
        "@type": "MedicalWebPage" if medical else "WebPage",
        "name": page["title"],
        "description": page["description"],
        "inLanguage": config.language,
        "lastReviewed": config.last_reviewed,
        "reviewedBy": named(config.reviewers) or publisher(config),
        "publisher": publisher(config),
        "isPartOf": {"@type": "WebSite", "name": config.title, "url": config.base_url},
    }
    if medical:
        item["medicalAudience"] = MEDICAL_AUDIENCE
    if not error_page:  # the error page has no address of its own
        item["@id"] = page["canonical"]
        item["url"] = page["canonical"]
    if config.authors:
        item["author"] = named(config.authors)
    if config.about:
        item["about"] = [{"@type": "Thing", "name": topic} for topic in config.about]
    return item


def article(config: SiteConfig, page: dict[str, Any], modified: str, shown: list[dict[str, Any]]) -> dict[str, Any]:
    """An editor's page as the Article it is: its title, summary, authors, language; about
    the entries it shows (the study's paper)."""
    item: dict[str, Any] = {
        "@context": CONTEXT,
        "@type": "Article",
        "@id": f"{page['canonical']}#article",
        "url": page["canonical"],
        "mainEntityOfPage": {"@id": page["canonical"]},
        "headline": page["title"][:110],  # search engines cut headlines at 110 characters
        "name": page["title"],
        "description": page["description"],
        "inLanguage": config.language,
        "author": named(config.authors) or [publisher(config)],
        "publisher": publisher(config),
    }
    if modified:
        item["dateModified"] = modified
    if shown:
        item["about"] = [{"@id": entity["@id"]} for entity in shown]
    return item


def claim_review(
    config: SiteConfig, data: SiteData, page: dict[str, Any], claim: Claim | None
) -> dict[str, Any] | None:
    if claim is None:  # the page listing the claims reviews none of them itself
        return None
    ratings = [v.rating for v in data.verdicts.values()] or [claim.verdict.rating]
    claim_item: dict[str, Any] = {"@type": "Claim", "name": claim.quote}
    article = data.sources.get(config.claims_source or "")
    if article is not None:
        own = {k.name: k.schema_type for k in data.tables.get("source_kinds") or ()}
        claim_item["appearance"] = creative_work(article, own.get(article.kind) or None)
        claim_item["firstAppearance"] = claim_item["appearance"]
        if article.year:
            claim_item["datePublished"] = str(article.year)
    return {
        "@context": CONTEXT,
        "@type": "ClaimReview",
        "@id": f"{page['canonical']}#claim-review",
        "url": page["canonical"],
        "name": page["title"],
        "claimReviewed": claim.quote,
        "datePublished": config.last_reviewed,
        "inLanguage": config.language,
        "author": publisher(config),
        "reviewRating": {
            "@type": "Rating",
            "ratingValue": claim.verdict.rating,
            "bestRating": max(ratings),
            "worstRating": min(ratings),
            "alternateName": claim.verdict.label,
            "ratingExplanation": claim.summary,
        },
        "itemReviewed": claim_item,
    }


def study_article(config: SiteConfig, data: SiteData, page: dict[str, Any], _item: Any = None) -> dict[str, Any] | None:
    study = data.study
    source_id = study.get("citation") if isinstance(study, dict) else None
    source = data.sources.get(str(source_id)) if source_id else None
    if source is None:
        return None
    article = creative_work(source, "ScholarlyArticle")
    article.update({"@context": CONTEXT, "@id": f"{page['canonical']}#study"})
    return article


def creative_work(source: Source, kind: str | None = None) -> dict[str, Any]:
    """A source as schema.org: title, authors, where and when it appeared, its identifiers."""
    item: dict[str, Any] = {
        "@type": kind or KIND_TYPES.get(source.kind, "CreativeWork"),
        "name": source.title,
        "headline": source.title[:110],  # search engines cut headlines at 110 characters
    }
    if source.year:  # a source whose year is not known has no date
        item["datePublished"] = str(source.year)
    authors = people(source.authors)
    if authors:
        item["author"] = authors
    if item["@type"] == "ScholarlyArticle":
        item["isPartOf"] = {"@type": "Periodical", "name": source.venue}
    else:
        item["publisher"] = {"@type": "Organization", "name": source.venue}
    if source.link:
        item["url"] = source.link
    identifiers, same_as = [], []
    if source.doi:
        identifiers.append({"@type": "PropertyValue", "propertyID": "DOI", "value": source.doi})
        same_as.append(f"https://doi.org/{source.doi}")
    if source.pmid:
        identifiers.append({"@type": "PropertyValue", "propertyID": "PMID", "value": source.pmid})
        same_as.append(f"https://pubmed.ncbi.nlm.nih.gov/{source.pmid}/")
    if identifiers:
        item["identifier"] = identifiers
        item["sameAs"] = same_as
    return item


def people(authors: Authors) -> list[dict[str, str]]:
    """A source's names as schema.org Persons (given and family name) and Organizations."""
    out = []
    for name in authors:
        if name.is_institution:
            out.append({"@type": "Organization", "name": name.full})
        else:
            parts = {"givenName": name.given, "familyName": name.family} if name.given else {}
            out.append({"@type": "Person", "name": name.full, **parts})
    return out


# schema.org type -> (its builder, the data kinds it reads): a kind names its type in its
# declaration (or gives its own builder, which reads its kind: the renderer records that use).
BUILDERS: dict[str, tuple[Callable[..., dict[str, Any] | None], tuple[str, ...]]] = {
    "ClaimReview": (claim_review, ("verdicts", "sources")),
    "ScholarlyArticle": (study_article, ("study", "sources")),
}
# What a page's JSON-LD may read, whatever the page (the preview re-renders it when one changes).
READS = tuple(sorted({"corrections"} | {name for _, reads in BUILDERS.values() for name in reads}))
