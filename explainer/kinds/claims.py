"""The `claims` kind (`data/claims.yaml`): what the article says, each with its verdict,
evidence, limits and sources; a page per claim and a page listing them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .declare import GeneratedPage, Kind, MarkdownText, Model, id_key, key

if TYPE_CHECKING:
    from .limits import Limit
    from .sources import Source
    from .verdicts import Verdict


@dataclass(kw_only=True)
class Claim(Model):
    id: str = id_key()
    quote: str = key(doc="exact words from the article")
    said_by: str = key()
    verdict: Verdict = key(ref="verdicts")
    summary: str = key(doc="the verdict in one plain sentence")
    for_you: str = key(default="", doc="what it means for a reader, in one line")
    rests_on: str = key(default="", doc="what the verdict rests on, shown with it (e.g. a study's abstract alone)")
    evidence: MarkdownText = key(markdown=True)
    limits: list[Limit] = key(list, ref="limits", mirror="weakens", default=())
    sources: list[Source] = key(list, ref="sources", min_items=1)


def short_title(quote: str, marks: Callable[[str], str], limit: int = 70) -> str:
    """A claim's quote in the language's quotation marks, cut at a word after limit characters."""
    quote = quote.strip()
    return marks(quote if len(quote) <= limit else f"{quote[:limit].rsplit(' ', 1)[0]}\u2026")


KIND = Kind(
    "claims",
    "claim",
    make=Claim,
    pages=(
        GeneratedPage("claims/{id}/", "claim.html"),
        GeneratedPage("claims/", "claims.html", "claims_title", "nav_claims", always=True),
    ),
    item_title=lambda claim, marks: short_title(claim.quote, marks),
    item_description=lambda claim: claim.summary,
    structured_data="ClaimReview",
    reference="claim",
    doc="a list, in the order they appear in the article",
)
