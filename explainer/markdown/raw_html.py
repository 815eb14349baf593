"""Stage 4a, Markdown: editors' raw HTML through the allow-list (sanitise.py), each problem
located where it is written, and paragraphs too long to render in linear time refused."""

from __future__ import annotations

import xml.etree.ElementTree as etree

import markdown
from markdown.postprocessors import Postprocessor, RawHtmlPostprocessor
from markdown.preprocessors import Preprocessor

from ..core.errors import Location
from .sanitise import html_problems, sanitise
from .state import Stateful, StateHolder

# Python-Markdown's inline stage rebuilds a text node's string once per match, so one
# paragraph costs time growing with the square of its length (8,000 emphasised words: tens
# of seconds). Capping a paragraph's length bounds that term: a page then renders in time
# proportional to its length. Real prose stays far below (the longest paragraph of the
# first site is about 2,000 characters).
LONGEST_PARAGRAPH = 20_000


class LongParagraphCheck(Stateful, Preprocessor):
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


class RawHtmlCheck(Stateful, Postprocessor):
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


class RawHtmlSanitiser(Stateful, Postprocessor):
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
