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
from markdown.util import AtomicString

from ..core.suggest import did_you_mean, suggest_id
from ..load.strings import apostrophes
from .citations import CitationError, Cite, parse_cluster
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
        return citation_element(found, self.state, self.site), m.start(0), m.end(0)


def citation_element(cites: list[Cite], state: PageState, site: MarkdownSite) -> etree.Element:
    """The marks of cited sources: `[1][2]` (a number each, linking to the page's list) or
    "(Doe and Roe 2020; Lee et al. 2021, p. 4)", per the style; in-text, the authors first."""
    words = site.fact_text
    sources = site.data.sources
    first = sources[cites[0].key]
    named = first.authors.short(words["authors_and"], words["et_al"]) or first.venue or first.title
    if site.numeric_citations:
        wrap = etree.Element("sup", {"class": "cite", "data-pagefind-ignore": ""})  # "[3]" is no page text
        for cite in cites:
            source = sources[cite.key]
            number = state.cite(cite.key)
            label = site.cite_label.format(number=number, title=source.title)
            text = " ".join(p for p in (cite.prefix, f"{number}") if p) + (f", {cite.locator}" if cite.locator else "")
            link = etree.SubElement(wrap, "a", {"href": f"#ref-{cite.key}", "class": "cite-link", "aria-label": label})
            link.text = AtomicString(f"[{text}]")
        if not cites[0].in_text:
            return wrap
        outer = etree.Element("span", {"class": "cite-in-text"})
        outer.text = AtomicString(f"{named} ")
        outer.append(wrap)
        return outer
    wrap = etree.Element("span", {"class": "cite cite-author-year", "data-pagefind-ignore": ""})
    wrap.text = AtomicString(f"{named} (" if cites[0].in_text else "(")
    for i, cite in enumerate(cites):
        state.cite(cite.key)
        source = sources[cite.key]
        who = (
            ""
            if cite.in_text or cite.suppress_author
            else (source.authors.short(words["authors_and"], words["et_al"]) or source.venue or source.title)
        )
        text = " ".join(p for p in (cite.prefix, who, str(source.year or "")) if p)
        link = etree.SubElement(wrap, "a", {"href": f"#ref-{cite.key}", "class": "cite-link"})
        link.text = AtomicString(text + (f", {cite.locator}" if cite.locator else ""))
        link.tail = AtomicString("; " if i < len(cites) - 1 else ")")
    return wrap


class ClaimRefProcessor(Stateful, InlineProcessor):
    def __init__(self, pattern: str, holder: StateHolder) -> None:
        super().__init__(pattern)
        self.holder = holder

    def handleMatch(self, m: re.Match[str], data: str) -> tuple[etree.Element | str, int, int]:
        found = self.claim(m.group(1), m.group(0))
        if found is None:
            return "", m.start(0), m.end(0)
        url, text, verdict_id, label = found
        link = etree.Element("a", {"class": "claim-ref", "href": relative_url(self.state.url, url)})
        quote = etree.SubElement(link, "q")
        # Atomic: editors' text is shown as written, never parsed again as Markdown or HTML.
        quote.text = AtomicString(self.site.fact_text["quote"].format(text=apostrophes(text)))
        quote.tail = " "
        badge = etree.SubElement(link, "span", {"class": f"badge verdict-{verdict_id}"})
        badge.text = AtomicString(apostrophes(label))
        return link, m.start(0), m.end(0)

    def claim(self, ident: str, written: str) -> tuple[str, str, str, str] | None:
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
                self.site.diags.error(self.state.locate(written), f"no explainer '{slug}' for [[claim:{ident}]]{hint}")
            else:
                hint = suggest_id(own, theirs)
                self.site.diags.error(
                    self.state.locate(written), f"unknown claim id '{own}' in explainer '{slug}'{hint}"
                )
            return None
        claim = self.site.data.claims.get(ident)
        if claim is None:
            if not self.site.diags.is_broken("claim", ident):  # else reported where it is defined
                hint = suggest_id(ident, self.site.data.claims)
                self.site.diags.error(self.state.locate(written), f"unknown claim id '{ident}'{hint}")
            return None
        url = self.site.data.kinds.urls.url_for("claims", claim.id)
        return url, claim.quote, claim.verdict.id, claim.verdict.label


# Seen beside the number (not colour alone): unconfirmed facts and readings look different.
FACT_MARKS = {"unconfirmed": "?", "reading": "*"}


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
        target, _, anchor = url.partition("#")
        self.state.links.append((target, anchor, where))
        return fact_element(fact, url, self.state, self.site.fact_text), m.start(0), m.end(0)


def fact_element(fact: Any, url: str, state: PageState, text: dict[str, str]) -> etree.Element:
    card_id = f"fact-{state.next_tooltip_id()}"
    # tip-holder: site.js opens the card on hover, focus and tap, as for terms and citations.
    wrap = etree.Element("span", {"class": f"fact fact-{fact.status} tip-holder"})
    link = etree.SubElement(
        wrap,
        "a",
        {"class": "fact-ref", "href": relative_url(state.url, url), "aria-describedby": card_id},
    )
    # Atomic: editors' text is shown as written, never parsed again as Markdown or HTML.
    link.text = AtomicString(apostrophes(fact.says))
    if fact.status in FACT_MARKS:
        mark = etree.SubElement(link, "span", {"class": "fact-mark", "aria-hidden": "true"})
        mark.text = FACT_MARKS[fact.status]
    card = etree.SubElement(
        wrap, "span", {"class": "tip fact-card", "role": "tooltip", "id": card_id, "data-pagefind-ignore": ""}
    )
    _card_line(card, "fact-status", text[f"fact_{fact.status}"])
    if fact.words:
        words = text["quote"].format(text=fact.words)
        etree.SubElement(card, "q", {"class": "fact-words"}).text = AtomicString(words)
    if fact.noted:  # a paraphrase: labelled as ours, never in quotation marks
        _card_line(card, "fact-noted", text["fact_noted"].format(noted=fact.noted))
    if fact.source is not None:
        where = f", {fact.where}" if fact.where else ""
        _card_line(card, "fact-source", text["fact_source"].format(source=short_source(fact.source, text) + where))
    if fact.drawn_from:
        drawn = "; ".join(f"{f.says} ({f.statement})" for f in fact.drawn_from)
        _card_line(card, "fact-drawn", text["fact_drawn_from"].format(facts=drawn))
    return wrap


def _card_line(card: etree.Element, css: str, text: str) -> None:
    etree.SubElement(card, "span", {"class": css}).text = AtomicString(apostrophes(text))


def short_source(source: Any, text: dict[str, str]) -> str:
    """`Doe et al. (year), venue`: a card has room for little more."""
    name = source.authors.short(text["authors_and"], text["et_al"])
    year = f" ({source.year})" if source.year else ""
    return ", ".join(p for p in (f"{name}{year}".strip(), source.venue) if p)
