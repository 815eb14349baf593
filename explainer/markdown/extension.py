"""Stage 4a, Markdown: Python-Markdown configured with the site's own syntax.

Our syntax is written as Python-Markdown extensions (inline processors, a block processor,
tree processors), never as regexes over finished HTML:

- `[@id]`, `[@a; @b]`, `[@a, p. 4]`, `[-@a]`, `@a`  citations (Pandoc's syntax, citations.py),
                          numbered per page in order of first use, or author and year, per the style
- `[[claim:id]]`, `[[fact:id]]` a claim's quote with its verdict badge, a fact's number with its card (references.py)
- `[[word:id]]`           a link to an entry of any other kind that declares its word (kind_refs.py)
- `[[figure:id]]`, `[[block:name]]` (alone in a paragraph) a figure or a data block, drawn
                          by a callback into the template stage
- glossary terms          the first use of each term on a page gets a definition tooltip (glossary.py)
- links                   `page.md#anchor` and `/generated/url/` become relative URLs (links.py);
                          raw HTML passes an allow-list (raw_html.py, sanitise.py)
"""

from __future__ import annotations

import xml.etree.ElementTree as etree
from typing import Any

import markdown
from markdown.blockprocessors import BlockProcessor
from markdown.extensions import Extension

from ..core.errors import Location
from ..kinds.data import MarkdownText
from . import triggers
from .fold import FoldProcessor
from .glossary import GlossaryProcessor
from .kind_refs import KindRefProcessor
from .links import LinkProcessor, SafeAttributes
from .near_miss import (
    LinkedReference,
    LooseCitation,
    LooseReference,
    SingleBracketReference,
    UnclosedCitation,
    UnclosedReference,
    UndefinedFootnote,
)
from .raw_html import LongParagraphCheck, RawHtmlCheck, RawHtmlSanitiser
from .references import CitationProcessor, ClaimRefProcessor, FactRefProcessor, NumberPassProcessor
from .state import MarkdownSite, PageState, Stateful, StateHolder
from .syntax import (
    CLAIM_RE,
    CLUSTER_RE,
    FACT_RE,
    INTEXT_RE,
    KIND_REF_RE,
    LINKED_REFERENCE_RE,
    LOOSE_CITATION_RE,
    LOOSE_REFERENCE_RE,
    NUMBER_PASS_RE,
    SHORTCODE_RE,
    SINGLE_BRACKET_RE,
    SPACED_REFERENCE_RE,
    UNCLOSED_CITATION_RE,
    UNCLOSED_REFERENCE_RE,
    UNDEFINED_FOOTNOTE_RE,
)

STANDARD_EXTENSIONS = ["fenced_code", "tables", "footnotes", "toc", "attr_list", "admonition", "abbr", "smarty"]
EXTENSION_CONFIGS = {"toc": {"toc_depth": "2-4", "marker": triggers.TOC_MARKER}, "footnotes": {"UNIQUE_IDS": False}}


class ShortcodeProcessor(Stateful, BlockProcessor):
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
        md.inlinePatterns.register(KindRefProcessor(KIND_REF_RE, h), "kind_ref", 184)  # the other kinds' words
        md.inlinePatterns.register(CitationProcessor(CLUSTER_RE, h), "citation", 180)
        # Near-misses of the two above, and shortcodes inside a sentence: errors, not text (near_miss.py).
        md.inlinePatterns.register(LooseReference(LOOSE_REFERENCE_RE, h), "loose_reference", 176)
        md.inlinePatterns.register(LooseReference(SPACED_REFERENCE_RE, h), "spaced_reference", 175.9)
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
        holder.drawn.clear()
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
