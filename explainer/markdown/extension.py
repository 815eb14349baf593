"""Stage 4a, Markdown: Python-Markdown configured with the site's own syntax.

Our syntax is written as Python-Markdown extensions (inline processors, a block processor,
tree processors), never as regexes over finished HTML:

- `[@id]`, `[@a; @b]`, `[@a, p. 4]`, `[-@a]`, `@a`  citations (Pandoc's syntax, citations.py),
                          numbered per page in order of first use, or author and year, per the style
- `[[claim:id]]`          a claim's quote with its verdict badge, linking to the claim page
- `[[figure:id]]`, `[[block:name]]` (alone in a paragraph) a figure or a data block, drawn
                          by a callback into the template stage
- glossary terms          the first use of each term on a page gets a definition tooltip
- links                   `page.md#anchor` and `/generated/url/` become relative URLs;
                          raw HTML passes an allow-list (sanitise.py)
"""

from __future__ import annotations

import posixpath
import re
import xml.etree.ElementTree as etree
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import markdown
from markdown.blockprocessors import BlockProcessor
from markdown.extensions import Extension
from markdown.inlinepatterns import InlineProcessor
from markdown.postprocessors import Postprocessor, RawHtmlPostprocessor
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor
from markdown.util import AtomicString

from ..core.errors import Diagnostics, Location
from ..core.suggest import did_you_mean, suggest_id
from ..core.yamlio import TextLines
from ..kinds.data import MarkdownText, SiteData
from ..load.strings import apostrophes
from . import triggers
from .citations import CitationError, Cite, parse_cluster
from .fold import FoldProcessor
from .near_miss import (
    LinkedReference,
    LooseCitation,
    LooseReference,
    SingleBracketReference,
    UnclosedCitation,
    UnclosedReference,
    UndefinedFootnote,
)
from .sanitise import URL_ATTRIBUTES, html_problems, runs_script, sanitise, url_problem
from .syntax import (
    CLAIM_RE,
    CLUSTER_RE,
    FACT_RE,
    INTEXT_RE,
    LINKED_REFERENCE_RE,
    LOOSE_CITATION_RE,
    LOOSE_REFERENCE_RE,
    NUMBER_PASS_RE,
    SHORTCODE_RE,
    SINGLE_BRACKET_RE,
    UNCLOSED_CITATION_RE,
    UNCLOSED_REFERENCE_RE,
    UNDEFINED_FOOTNOTE_RE,
)

STANDARD_EXTENSIONS = ["fenced_code", "tables", "footnotes", "toc", "attr_list", "admonition", "abbr", "smarty"]
EXTENSION_CONFIGS = {"toc": {"toc_depth": "2-4", "marker": triggers.TOC_MARKER}, "footnotes": {"UNIQUE_IDS": False}}

SKIP_TERM_TAGS = {
    "a",
    "code",
    "pre",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "abbr",
    "sup",
    "script",
    "style",
    "q",
    "kbd",
    "figcaption",
}


def relative_url(from_url: str, to_url: str) -> str:
    """Relative link from the page at from_url ("" or "study/") to to_url ("claims/x/#a")."""
    depth = from_url.count("/")
    return "../" * depth + to_url if (depth or to_url) else "./"


@dataclass
class PageState:
    """What one page's render collects: its citations, glossary uses and links."""

    url: str  # the page's URL relative to the site root, e.g. "study/"
    location: Location  # where the Markdown being converted starts
    text: str = ""  # the Markdown being converted, to find the line of a problem
    citations: list[str] = field(default_factory=list)  # source ids, in order of first citation
    terms_used: set[str] = field(default_factory=set)
    facts_used: list[str] = field(default_factory=list)  # fact ids, in order of first use (the Facts page lists uses)
    links: list[tuple[str, str, Location]] = field(default_factory=list)  # (target url, anchor, where)
    tooltip_count: int = 0
    _search_from: dict[str, int] = field(default_factory=dict)
    _lines: tuple[str, TextLines] | None = field(default=None, repr=False, compare=False)

    def locate(self, snippet: str) -> Location:
        """Best-effort line of a snippet in the Markdown: its next occurrence after the last one found."""
        start = self._search_from.get(snippet, 0)
        index = self.text.find(snippet, start)
        if index < 0:
            index = self.text.find(snippet)
        if index < 0:
            return self.location
        self._search_from[snippet] = index + 1
        if self._lines is None or self._lines[0] is not self.text:
            self._lines = (self.text, TextLines(self.text))  # built once per text, not per lookup
        line, col = self._lines[1].at(index)  # as editors count lines
        line -= 1
        base = self.location
        # base.col is where the text starts: a quoted YAML value's column, or a `|` block's indent.
        return Location(base.path, base.line + line, base.col + col - 1)

    def cite(self, source_id: str) -> int:
        if source_id not in self.citations:
            self.citations.append(source_id)
        return self.citations.index(source_id) + 1

    def next_tooltip_id(self) -> str:
        self.tooltip_count += 1
        return f"tip-{self.tooltip_count}"


@dataclass
class MarkdownSite:
    """What the extensions need from the rest of the build."""

    data: SiteData
    diags: Diagnostics
    page_urls: dict[str, str]  # source path relative to pages/ ("study.md") -> page URL ("study/")
    render_shortcode: Callable[[str, str, PageState, Location], str]  # (kind, id, state, where) -> html
    generated_urls: set[str] = field(default_factory=set)  # "claims/", "sources/", ...
    # In a series: every explainer's claims, for [[claim:slug/id]] (load.config.Series.claims).
    elsewhere: Mapping[str, Mapping[str, tuple[str, str, str, str]]] = field(default_factory=dict)
    cite_label: str = "Source {number}: {title}"  # a citation's accessible name, in the site's language
    numeric_citations: bool = True  # the style's citations are numbers ([1]); else author and year
    fact_text: dict[str, str] = field(default_factory=lambda: dict(FACT_TEXT))  # a fact card's words, likewise
    _source_of_url: dict[str, str] | None = field(default=None, repr=False)
    _term_names: list[tuple[str, str]] | None = field(default=None, repr=False)

    def term_names(self) -> list[tuple[str, str]]:
        """(name, term id) of every glossary term, longest name first. Read once, past the
        render's use recording (dict.values of the table): what a page depends on is this index
        (the renderer records `glossary@index`) and the terms it marks, not the whole glossary."""
        if self._term_names is None:
            found = [(name, term.id) for term in dict.values(self.data.glossary) for name in term.names]
            self._term_names = sorted(found, key=lambda pair: len(pair[0]), reverse=True)
        return self._term_names

    def source_of_url(self) -> dict[str, str]:
        """page URL -> source path: a dict, not a scan of page_urls per link (that was O(pages) per link)."""
        if self._source_of_url is None:
            self._source_of_url = {}
            for source, url in self.page_urls.items():
                self._source_of_url.setdefault(url, source)
        return self._source_of_url


class _Stateful:
    """Mixin: every processor reads the page being converted from the shared holder."""

    holder: StateHolder

    @property
    def state(self) -> PageState:
        return self.holder.state

    @property
    def site(self) -> MarkdownSite:
        return self.holder.site


class StateHolder:
    def __init__(self, site: MarkdownSite) -> None:
        self.site = site
        self.state = PageState(url="", location=Location(Path(".")))
        self.trusted_html: set[int] = set()  # stash indices our own processors stored
        self.checked = False  # RawHtmlCheck ran on this conversion
        self.sanitise = False  # this fragment holds raw markup: RawHtmlSanitiser runs
        self.kept: dict[str, str] = {}  # token -> our own HTML, set aside while sanitising


class CitationProcessor(_Stateful, InlineProcessor):
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


class ClaimRefProcessor(_Stateful, InlineProcessor):
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


# --- facts: `[[fact:id]]` prints the fact's number with a card (source, words, status) ---

# A fact card's words in English, by their keys in the strings files (strings/<language>.yaml).
FACT_TEXT = {
    "fact_checked": "Checked against the source",
    "fact_unconfirmed": "Unconfirmed: not yet checked against the source",
    "fact_reading": "Our reading, drawn from other facts",
    "fact_noted": "Our notes of the source (not its exact words): {noted}",
    "fact_source": "Source: {source}",
    "fact_drawn_from": "Drawn from: {facts}",
    "et_al": "et al.",
    "authors_and": "and",
    "quote": "\u201c{text}\u201d",  # the language's quotation marks (a claim's quote, a fact's words)
}
# Seen beside the number (not colour alone): unconfirmed facts and readings look different.
FACT_MARKS = {"unconfirmed": "?", "reading": "*"}


class NumberPassProcessor(InlineProcessor):
    def handleMatch(self, m: re.Match[str], data: str) -> tuple[str, int, int]:
        return "", m.start(0), m.end(0)


class FactRefProcessor(_Stateful, InlineProcessor):
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


class ShortcodeProcessor(_Stateful, BlockProcessor):
    """`[[figure:id]]` or `[[block:name]]` alone in a paragraph."""

    def __init__(self, parser: Any, holder: StateHolder) -> None:
        super().__init__(parser)
        self.holder = holder

    def test(self, parent: etree.Element, block: str) -> bool:
        return bool(SHORTCODE_RE.match(block))

    def run(self, parent: etree.Element, blocks: list[str]) -> None:
        block = blocks.pop(0)
        m = SHORTCODE_RE.match(block)
        assert m is not None  # test() matched it
        where = self.state.locate(m.group(0).strip())
        html = self.site.render_shortcode(m.group(1), m.group(2), self.state, where)
        if html:
            md = self.parser.md
            placeholder = md.htmlStash.store(html)
            self.holder.trusted_html.add(md.htmlStash.html_counter - 1)
            etree.SubElement(parent, "p").text = placeholder


def _folded(name: str) -> str:
    """A term as matched: lower case, one space between words."""
    return " ".join(name.lower().split())


class GlossaryProcessor(_Stateful, Treeprocessor):
    """Marks the first use of each glossary term on a page with a definition tooltip."""

    def __init__(self, md: markdown.Markdown, holder: StateHolder) -> None:
        super().__init__(md)
        self.holder = holder
        self.by_name: dict[str, str] = {}
        names = []
        for name, term_id in holder.site.term_names():  # "blood pressure" before "blood"
            self.by_name[_folded(name)] = term_id
            names.append(name)
        # A term may wrap onto the next line of the Markdown, so any run of spaces matches.
        alternatives = [r"\s+".join(map(re.escape, name.split())) for name in names]
        self.pattern = (
            re.compile(r"(?<![\w-])(" + "|".join(alternatives) + r")(?![\w-])", re.IGNORECASE) if names else None
        )

    def run(self, root: etree.Element) -> None:
        if self.pattern is not None:
            self.walk(root)

    def walk(self, el: etree.Element) -> None:
        if el.tag in SKIP_TERM_TAGS or "claim-ref" in el.get("class", "") or "tip" in el.get("class", ""):
            return
        if el.text:
            el.text = self.mark(el.text, el, 0)
        index = 0
        while index < len(el):
            child = el[index]
            self.walk(child)
            if child.tail:
                child.tail = self.mark(child.tail, el, index + 1)
            index += 1

    def mark(self, text: str, parent: etree.Element, position: int) -> str:
        """Wrap the first unused term in text; returns what stays as plain text."""
        for m in self.pattern.finditer(text):
            term_id = self.by_name[_folded(m.group(1))]
            if term_id in self.state.terms_used:
                continue
            self.state.terms_used.add(term_id)
            wrap = self.term_element(term_id, m.group(1))
            wrap.tail = text[m.end() :]
            parent.insert(position, wrap)
            return text[: m.start()]
        return text

    def term_element(self, term_id: str, shown: str) -> etree.Element:
        term = self.site.data.glossary[term_id]
        tip_id = self.state.next_tooltip_id()
        wrap = etree.Element("span", {"class": "term"})
        link = etree.SubElement(
            wrap,
            "a",
            {
                "class": "term-link",
                "href": relative_url(self.state.url, self.site.data.kinds.urls.url_for("glossary", term.id)),
                "aria-describedby": tip_id,
            },
        )
        link.text = shown
        # The glossary's words, not this page's: kept out of the search index (as a fact's card).
        tip = etree.SubElement(
            wrap, "span", {"class": "tip", "role": "tooltip", "id": tip_id, "data-pagefind-ignore": ""}
        )
        tip.text = AtomicString(apostrophes(term.definition))  # as Markdown writes them
        return wrap


class LinkProcessor(_Stateful, Treeprocessor):
    """Rewrites internal links to relative URLs and records them for the link check."""

    def __init__(self, md: markdown.Markdown, holder: StateHolder) -> None:
        super().__init__(md)
        self.holder = holder

    def run(self, root: etree.Element) -> None:
        for el in root.iter():
            if el.tag == "a" and el.get("href") is not None:
                el.set("href", self.rewrite(el.get("href", ""), el.get("href", "")))
            elif el.tag == "img":
                src = el.get("src", "")
                el.set("src", self.rewrite(src, src))
                if not el.get("alt"):
                    self.site.diags.warning(
                        self.state.locate(src),
                        f"image '{src}' has no alt text: describe it in the [brackets] of ![...](...)",
                    )

    def rewrite(self, href: str, snippet: str) -> str:
        lowered = href.strip().lower()
        if runs_script(href):
            self.site.diags.error(self.state.locate(snippet), "links may not run script (javascript: URL)")
            return "#"
        if lowered.startswith("http://"):
            self.site.diags.warning(
                self.state.locate(snippet), f"link over plain http: {href} (use https where the site offers it)"
            )
            return href
        if re.match(r"^[a-z][a-z0-9+.-]*:", lowered) or href.startswith(("#", "//")):
            if href.startswith("#"):
                self.state.links.append((self.state.url, href[1:], self.state.locate(snippet)))
            return href
        path, _, anchor = href.partition("#")
        where = self.state.locate(snippet)
        if path.endswith(".md"):
            source_dir = posixpath.dirname(self.page_source_path())
            target_source = posixpath.normpath(posixpath.join(source_dir, path))
            target_url = self.site.page_urls.get(target_source)
            if target_url is None:
                diags = self.site.diags
                if diags.is_broken("draft", target_source):
                    diags.error(where, f"link to a draft page: {path} is left out unless the build uses --drafts")
                elif not diags.is_broken("page", target_source):  # else its own error says why
                    diags.error(
                        where,
                        f"link to a page that does not exist: {path}{did_you_mean(target_source, self.site.page_urls)}",
                    )
                return href
        elif path.startswith("/"):
            target_url = path.lstrip("/")
        else:
            # Relative to this page's own URL, as a browser would read it.
            target_url = posixpath.normpath(posixpath.join(self.state.url, path))
            target_url = "" if target_url == "." else target_url + ("/" if path.endswith("/") else "")
        self.state.links.append((target_url, anchor, where))
        return relative_url(self.state.url, target_url) + (f"#{anchor}" if anchor else "")

    def page_source_path(self) -> str:
        return self.site.source_of_url().get(self.state.url, "")


class SafeAttributes(_Stateful, Treeprocessor):
    """Markdown's attribute lists (`{: onclick=...}`) can put any attribute on any element:
    refuse event handlers, inline styles (the site's CSP would drop them), script URLs and
    files fetched from another origin (the same URL rules as raw HTML, sanitise.url_problem)."""

    def __init__(self, md: markdown.Markdown, holder: StateHolder) -> None:
        super().__init__(md)
        self.holder = holder

    def run(self, root: etree.Element) -> None:
        for el in root.iter():
            for name in list(el.keys()):
                value = el.get(name, "")
                if name.lower().startswith("on"):
                    problem = f"event handler attribute '{name}=' (the site runs only its own scripts)"
                elif name.lower() == "style":
                    problem = "inline style attribute (the site's security policy would drop it; use a class)"
                elif name.lower() in URL_ATTRIBUTES and (found := url_problem(name.lower(), value)):
                    problem = found
                else:
                    continue
                self.site.diags.error(self.state.locate(name), f"attribute not allowed: {problem}")
                del el.attrib[name]


# Python-Markdown's inline stage rebuilds a text node's string once per match, so one
# paragraph costs time growing with the square of its length (8,000 emphasised words: tens
# of seconds). Capping a paragraph's length bounds that term: a page then renders in time
# proportional to its length. Real prose stays far below (the longest paragraph of the
# first site is about 2,000 characters).
LONGEST_PARAGRAPH = 20_000


class LongParagraphCheck(_Stateful, Preprocessor):
    """A paragraph longer than LONGEST_PARAGRAPH is a located error and is left out (its
    lines kept blank, so every later line keeps its number)."""

    def __init__(self, md: markdown.Markdown, holder: StateHolder) -> None:
        super().__init__(md)
        self.holder = holder

    def run(self, lines: list[str]) -> list[str]:
        start, size = 0, 0
        for index, line in enumerate([*lines, ""]):
            if line.strip():
                if size == 0:
                    start = index
                if not line.startswith(("    ", "\t", "|")):  # code and table rows: no long inline run
                    size += len(line) + 1
                continue
            if size > LONGEST_PARAGRAPH:
                where = self.state.locate(lines[start])
                self.site.diags.error(
                    where,
                    f"a paragraph of {size:,} characters (the limit is {LONGEST_PARAGRAPH:,}): split it into "
                    "shorter paragraphs with blank lines between them",
                )
                lines[start:index] = [""] * (index - start)
            size = 0
        return lines


class RawHtmlCheck(_Stateful, Postprocessor):
    """Editors' raw HTML, by allow-list (sanitise.py): each element or attribute outside it
    is reported where it is written (an error if it could run script or fetch from another
    site, else a warning: removed). A fragment holding raw markup is then sanitised whole
    after Python-Markdown puts the raw HTML back (RawHtmlSanitiser), our own stashed HTML
    (figures, blocks) set aside meanwhile as tokens the sanitiser keeps."""

    def __init__(self, md: markdown.Markdown, holder: StateHolder) -> None:
        super().__init__(md)
        self.holder = holder

    def run(self, text: str) -> str:
        # Postprocessors also run on each heading's text (toc): check and set aside once.
        if self.holder.checked:
            return text
        self.holder.checked = True
        stash = self.md.htmlStash
        raw_markup = False
        for index in range(stash.html_counter):
            if index in self.holder.trusted_html:
                continue
            raw = _stashed(stash.rawHtmlBlocks[index])
            if "<" not in raw:
                continue  # an entity or a typographic character: no markup
            raw_markup = True
            start = self.state.locate(raw.strip().splitlines()[0] if raw.strip() else raw)
            lead = len(raw) - len(raw.lstrip())  # what locate skipped: the chunk's leading blank lines
            for problem in html_problems(raw[lead:]):
                where = _within(start, problem.line, problem.col)
                if problem.error:
                    self.site.diags.error(where, f"raw HTML not allowed: {problem.message}")
                else:
                    self.site.diags.warning(where, f"raw HTML: {problem.message}")
        if raw_markup:
            blocks = RawHtmlPostprocessor(self.md)
            for index in sorted(self.holder.trusted_html):
                trusted = _stashed(stash.rawHtmlBlocks[index])
                tag = "div" if blocks.isblocklevel(trusted) else "span"
                token = f'<{tag} data-keep="{index}"></{tag}>'
                self.holder.kept[token] = trusted
                stash.rawHtmlBlocks[index] = token
            self.holder.sanitise = True
        return text


class RawHtmlSanitiser(_Stateful, Postprocessor):
    """The whole fragment through the allow-list sanitiser, when it holds raw markup."""

    def __init__(self, md: markdown.Markdown, holder: StateHolder) -> None:
        super().__init__(md)
        self.holder = holder

    def run(self, text: str) -> str:
        return sanitise(text, self.holder.kept) if self.holder.sanitise else text


def _within(start: Location, line: int, col: int) -> Location:
    """The place line:col (1-based line, 0-based column) of a snippet that starts at start."""
    if line == 1:
        return Location(start.path, start.line, start.col + col)
    return Location(start.path, start.line + line - 1, col + 1)


def _stashed(raw: str | etree.Element) -> str:
    return raw if isinstance(raw, str) else etree.tostring(raw, encoding="unicode")


class ExplainerExtension(Extension):
    def __init__(self, holder: StateHolder) -> None:
        super().__init__()
        self.holder = holder

    def extendMarkdown(self, md: markdown.Markdown) -> None:
        h = self.holder
        # Above links (160) so `[@id]` and `[[claim:id]]` are never read as link syntax.
        md.inlinePatterns.register(LinkedReference(LINKED_REFERENCE_RE, h), "linked_reference", 187)
        md.inlinePatterns.register(FactRefProcessor(FACT_RE, h), "fact_ref", 186)
        md.inlinePatterns.register(NumberPassProcessor(NUMBER_PASS_RE), "number_pass", 182)
        md.inlinePatterns.register(ClaimRefProcessor(CLAIM_RE, h), "claim_ref", 185)
        md.inlinePatterns.register(CitationProcessor(CLUSTER_RE, h), "citation", 180)
        # Near-misses of the two above, and shortcodes inside a sentence: errors, not text (near_miss.py).
        md.inlinePatterns.register(LooseReference(LOOSE_REFERENCE_RE, h), "loose_reference", 176)
        md.inlinePatterns.register(LooseCitation(LOOSE_CITATION_RE, h), "loose_citation", 175)
        md.inlinePatterns.register(UnclosedCitation(UNCLOSED_CITATION_RE, h), "unclosed_citation", 174)
        md.inlinePatterns.register(UnclosedReference(UNCLOSED_REFERENCE_RE, h), "unclosed_reference", 173.5)
        # After the footnotes extension's own pattern (175): what it left has no definition.
        md.inlinePatterns.register(UndefinedFootnote(UNDEFINED_FOOTNOTE_RE, h), "undefined_footnote", 174.5)
        md.inlinePatterns.register(SingleBracketReference(SINGLE_BRACKET_RE, h), "single_bracket", 173)
        # `@key` in the text: after links and autolinks (160-110), so an address's `@` is theirs.
        md.inlinePatterns.register(CitationProcessor(INTEXT_RE, h, in_text=True), "citation_in_text", 105)
        if "@" not in md.ESCAPED_CHARS:
            md.ESCAPED_CHARS.append("@")  # `\@`: a plain @, never a citation
        md.parser.blockprocessors.register(ShortcodeProcessor(md.parser, h), "shortcode", 95)
        # After inline (20), before abbr (7) and toc (5), so headings keep clean anchors.
        md.treeprocessors.register(GlossaryProcessor(md, h), "glossary", 15)
        # After attr_list (8), which can set href and src, so links are checked as written.
        md.treeprocessors.register(LinkProcessor(md, h), "links", 7.5)
        md.treeprocessors.register(SafeAttributes(md, h), "safe_attributes", 6)
        # After toc (5): a folded heading keeps the anchor toc gave it.
        md.treeprocessors.register(FoldProcessor(md), "fold", 4)
        md.preprocessors.register(LongParagraphCheck(md, h), "long_paragraph", 27)  # before raw HTML blocks (20)
        # Before raw HTML is put back (30), then right after it.
        md.postprocessors.register(RawHtmlCheck(md, h), "raw_html_check", 35)
        md.postprocessors.register(RawHtmlSanitiser(md, h), "raw_html_sanitise", 29)


class MarkdownRenderer:
    """Markdown instances per nesting depth (a block's data Markdown inside a page) and, with
    fast_inline, per set of trigger strings a document holds (triggers.py)."""

    MAX_INSTANCES = 64  # per depth; a site with more sets of triggers uses the full instance for the rest

    def __init__(self, site: MarkdownSite, fast_inline: bool = True) -> None:
        self.site = site
        self.fast_inline = fast_inline  # False: every pattern on every document (tests compare the two)
        self._instances: dict[tuple[int, frozenset[str] | None], tuple[markdown.Markdown, StateHolder]] = {}
        self._depth = 0

    def _instance(self, text: str) -> tuple[markdown.Markdown, StateHolder]:
        full = self._instances.get((self._depth, None)) or self._make(None)
        if not self.fast_inline:
            return full
        found = triggers.found_triggers(full[0], text)
        made = self._instances.get((self._depth, found))
        if made is None:
            if sum(depth == self._depth for depth, _ in self._instances) > self.MAX_INSTANCES:
                return full
            made = self._make(found)
        return made

    def _make(self, found: frozenset[str] | None) -> tuple[markdown.Markdown, StateHolder]:
        holder = StateHolder(self.site)
        configs = EXTENSION_CONFIGS
        if found is not None and triggers.TOC_MARKER not in found:  # no marker to look for
            configs = {**configs, "toc": {**configs["toc"], "marker": ""}}
        md = markdown.Markdown(
            extensions=[*STANDARD_EXTENSIONS, ExplainerExtension(holder)],
            extension_configs=configs,
            output_format="html",
        )
        if found is not None:
            triggers.keep_only(md, found)
        self._instances[self._depth, found] = (md, holder)
        return md, holder

    def convert(self, text: str, state: PageState, location: Location) -> tuple[str, str]:
        """Markdown -> (HTML, table of contents HTML), collecting into the page's state."""
        md, holder = self._instance(text)
        md.reset()
        holder.trusted_html.clear()
        holder.checked, holder.sanitise, holder.kept = False, False, {}
        saved = (state.location, state.text, state._search_from)
        state.location, state.text, state._search_from = location, text, {}
        holder.state = state
        self._depth += 1
        try:
            html = md.convert(text)
        finally:
            self._depth -= 1
            state.location, state.text, state._search_from = saved
            state._lines = None  # the line index of the converted text is not needed after it
        return html, getattr(md, "toc", "")

    def convert_data(self, value: MarkdownText | str, state: PageState) -> str:
        if isinstance(value, MarkdownText):
            return self.convert(value.text, state, value.location)[0]
        return self.convert(str(value), state, state.location)[0]
