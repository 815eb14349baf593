"""Stage 4a, Markdown: glossary terms: the first use of each term on a page gets a
definition tooltip (not inside links, code, headings, quotes and other tips)."""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree

import markdown
from markdown.treeprocessors import Treeprocessor

from .hooks import GLOSSARY_TIP, hook_element
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
        if el.tag in SKIP_TERM_TAGS or id(el) in self.holder.drawn:  # never inside a citation, a card or a tip
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
            if wrap is None:  # the theme's hook failed (reported)
                return text
            wrap.tail = text[m.end() :]
            parent.insert(position, wrap)
            return text[: m.start()]
        return text

    def term_element(self, term_id: str, shown: str) -> etree.Element | None:
        """The term as the theme's glossary-tip hook draws it: a link to its entry, with its tip."""
        term = self.site.data.glossary[term_id]
        values = {
            "term": term,
            "shown": shown,
            "href": relative_url(self.state.url, self.site.data.kinds.urls.url_for("glossary", term.id)),
            "tip_id": self.state.next_tooltip_id(),
        }
        return hook_element(self.site, GLOSSARY_TIP, self.state.location, values, self.holder.drawn)
