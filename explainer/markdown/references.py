"""Stage 4a, Markdown: the references of the site's syntax (syntax.py), as elements:

- `[@id]`, `[@a; @b]`, `[@a, p. 4]`, `[-@a]`, `@a`  citations, numbered per page in order of
                          first use, or author and year, per the style
- `[[claim:id]]`          a claim's quote with its verdict badge, linking to the claim page
- `[[fact:id]]`           the fact's number with a card (its source, words and status)
- `\\4`                    a number marked as not data: the backslash dropped
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from typing import Any

from markdown.inlinepatterns import InlineProcessor

from ..core.errors import Location
from ..core.suggest import did_you_mean, suggest_id
from .citations import CitationError, Cite, parse_cluster
from .hooks import CITATION, CLAIM_REF, FACT_REF, hook_element
from .state import MarkdownSite, PageState, Stateful, StateHolder, relative_url


class CitationProcessor(Stateful, InlineProcessor):
    """A citation cluster `[@a; @b, p. 4]`, or `@a` in the text (in_text)."""

    def __init__(self, pattern: str, holder: StateHolder, in_text: bool = False) -> None:
        super().__init__(pattern)
        self.holder = holder
        self.in_text = in_text

    def handleMatch(self, m: re.Match[str], data: str) -> tuple[etree.Element | str | None, int | None, int | None]:
        where = self.state.locate(m.group(0))
        diags, sources = self.site.diags, self.site.data.sources
        if self.in_text:
            cites = [Cite(m.group(1), locator=(m.group(2) or "").strip(), in_text=True)]
            if cites[0].key not in sources and not diags.is_broken("source", cites[0].key):
                diags.warning(
                    where,
                    f"'@{cites[0].key}' is not a known source, so it is shown as text"
                    f"{suggest_id(cites[0].key, sources)}; to write a plain @, write \\@",
                )
                return None, None, None
        else:
            try:
                cites = parse_cluster(m.group(1))
            except CitationError as exc:
                diags.error(where, str(exc))
                return "", m.start(0), m.end(0)
        found = []
        for cite in cites:
            if cite.key in sources:
                found.append(cite)
            elif not diags.is_broken("source", cite.key):  # else reported where it is defined
                diags.error(where, f"unknown source id '{cite.key}' in citation{suggest_id(cite.key, sources)}")
        if not found:
            return "", m.start(0), m.end(0)
        element = citation_element(found, self.state, self.site, where, self.holder.drawn)
        return (element if element is not None else ""), m.start(0), m.end(0)


def citation_element(
    cites: list[Cite],
    state: PageState,
    site: MarkdownSite,
    where: Location | None = None,
    drawn: dict[int, Location] | None = None,
) -> etree.Element | None:
    """The marks of cited sources, as the theme's citation hook draws them: `[1][2]` (a number
    each, linking to the page's list) or "(Doe and Roe 2020; Lee et al. 2021, p. 4)", per the
    style; in the text, the authors first. None: the hook failed (reported). drawn: in
    Markdown, StateHolder.drawn (hook_element)."""
    sources = site.data.sources
    items = [
        {
            "key": cite.key,
            "source": sources[cite.key],
            "number": state.cite(cite.key),
            "prefix": cite.prefix,
            "locator": cite.locator,
            "who": "" if cite.in_text or cite.suppress_author else named(sources[cite.key], site),
        }
        for cite in cites
    ]
    values = {
        "cites": items,
        "numeric": site.numeric_citations,
        "in_text": cites[0].in_text,
        "named": named(sources[cites[0].key], site),
    }
    return hook_element(site, CITATION, where or state.location, values, drawn)


def named(source: Any, site: MarkdownSite) -> str:
    """A source as a citation names it: its authors' short names, else its venue or title."""
    words = site.strings
    return source.authors.short(words.text("authors_and"), words.text("et_al")) or source.venue or source.title


class ClaimRefProcessor(Stateful, InlineProcessor):
    def __init__(self, pattern: str, holder: StateHolder) -> None:
        super().__init__(pattern)
        self.holder = holder

    def handleMatch(self, m: re.Match[str], data: str) -> tuple[etree.Element | str, int, int]:
        where = self.state.locate(m.group(0))
        found = self.claim(m.group(1), where)
        if found is None:
            return "", m.start(0), m.end(0)
        url, text, verdict_id, label = found
        values = {"href": relative_url(self.state.url, url), "quote": text, "verdict_id": verdict_id, "label": label}
        element = hook_element(self.site, CLAIM_REF, where, values, self.holder.drawn)
        return (element if element is not None else ""), m.start(0), m.end(0)

    def claim(self, ident: str, where: Location) -> tuple[str, str, str, str] | None:
        """(URL, quote, verdict id, verdict label) of this site's claim `id`, or, in a series,
        of another explainer's `slug/id` (MarkdownSite.elsewhere); None: reported."""
        if "/" in ident:
            slug, _, own = ident.partition("/")
            theirs = self.site.elsewhere.get(slug)
            if theirs is not None and own in theirs:
                return theirs[own]
            if theirs is None:
                hint = (
                    f"{suggest_id(slug, self.site.elsewhere)}" if self.site.elsewhere else " (this site is no series)"
                )
                self.site.diags.error(where, f"no explainer '{slug}' for [[claim:{ident}]]{hint}")
            else:
                hint = suggest_id(own, theirs)
                self.site.diags.error(where, f"unknown claim id '{own}' in explainer '{slug}'{hint}")
            return None
        claim = self.site.data.claims.get(ident)
        if claim is None:
            if not self.site.diags.is_broken("claim", ident):  # else reported where it is defined
                hint = suggest_id(ident, self.site.data.claims)
                self.site.diags.error(where, f"unknown claim id '{ident}'{hint}")
            return None
        url = self.site.data.kinds.urls.url_for("claims", claim.id)
        return url, claim.quote, claim.verdict.id, claim.verdict.label


class NumberPassProcessor(InlineProcessor):
    def handleMatch(self, m: re.Match[str], data: str) -> tuple[str, int, int]:
        return "", m.start(0), m.end(0)


class FactRefProcessor(Stateful, InlineProcessor):
    """`[[fact:id]]`: the fact's `says`, a link to its entry on the Facts page (so it works
    without JavaScript), and a card shown on hover, focus and tap (site.js's tip holders)."""

    def __init__(self, pattern: str, holder: StateHolder) -> None:
        super().__init__(pattern)
        self.holder = holder

    def handleMatch(self, m: re.Match[str], data: str) -> tuple[etree.Element | str, int, int]:
        facts = getattr(self.site.data, "facts", {})
        fact = facts.get(m.group(1))
        where = self.state.locate(m.group(0))
        if fact is None:
            if not self.site.diags.is_broken("fact", m.group(1)):  # else reported where it is defined
                self.site.diags.error(where, f"unknown fact id '{m.group(1)}'{did_you_mean(m.group(1), facts)}")
            return "", m.start(0), m.end(0)
        if fact.id not in self.state.facts_used:
            self.state.facts_used.append(fact.id)
        url = self.site.data.kinds.urls.url_for("facts", fact.id)
        element = fact_element(fact, url, self.state, self.site, where, self.holder.drawn)
        return (element if element is not None else ""), m.start(0), m.end(0)


def fact_element(
    fact: Any, url: str, state: PageState, site: MarkdownSite, where: Location, drawn: dict[int, Location]
) -> etree.Element | None:
    """The fact's `says`, linking to its entry, with its card, as the theme's hook draws them."""
    source = ""
    if fact.source is not None:
        source = short_source(fact.source, site) + (f", {fact.where}" if fact.where else "")
    values = {
        "fact": fact,
        "href": relative_url(state.url, url),
        "card_id": f"fact-{state.next_tooltip_id()}",
        "source": source,
        "drawn": "; ".join(f"{f.says} ({f.statement})" for f in fact.drawn_from),
    }
    return hook_element(site, FACT_REF, where, values, drawn)


def short_source(source: Any, site: MarkdownSite) -> str:
    """`Doe et al. (year), venue`: a card has room for little more."""
    words = site.strings
    name = source.authors.short(words.text("authors_and"), words.text("et_al"))
    year = f" ({source.year})" if source.year else ""
    return ", ".join(p for p in (f"{name}{year}".strip(), source.venue) if p)
