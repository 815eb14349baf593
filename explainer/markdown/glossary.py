"""Stage 4a, Markdown: glossary terms: the first use of each term on a page gets a
definition tooltip (not inside links, code, headings, quotes and other tips)."""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree

import markdown
from markdown.treeprocessors import Treeprocessor
from markdown.util import AtomicString

from ..load.strings import apostrophes
from .state import Stateful, StateHolder, relative_url

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


def _folded(name: str) -> str:
    """A term as matched: lower case, one space between words."""
    return " ".join(name.lower().split())


class GlossaryProcessor(Stateful, Treeprocessor):
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
