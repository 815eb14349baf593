"""Stage 4a, Markdown: the prose of Markdown as Python-Markdown parses it, for the checks.

The number, quotation, reading-grade and wording checks read prose, not markup. What is
prose is what the renderer's own block parser makes of the text (the same extensions and
settings, extension.py): headings (ATX and setext), paragraphs, list items, table cells,
blockquotes and admonitions are; code blocks (indented), raw HTML blocks, link and
abbreviation definitions are not. Within a block, the inline syntax a reader does not read
(a citation, a code span, a URL, an attribute list: syntax.NOT_PROSE) is blanked: replaced
with spaces, so every index stays where it was.

Python-Markdown keeps no source positions, so each line of a block's text is found back in
the source, in document order: on the first line at or after the previous one's that holds
it after nothing but block markup (quote marks, a list marker, hashes, a footnote's label);
a table cell on any line of its row. A code or raw HTML block moves the search past its
last line (a fenced block's found by the fence pattern that made it), so prose that repeats
a line of it is found after it. A finding thus points at its `path:line:col` in the
Markdown the editor wrote.
"""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as etree
from bisect import bisect_right
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from itertools import chain

import markdown
from markdown.extensions import Extension
from markdown.extensions.fenced_code import FencedBlockPreprocessor
from markdown.treeprocessors import Treeprocessor
from markdown.util import HTML_PLACEHOLDER_RE, STX

from ..core.errors import Location
from .citations import cited_keys
from .extension import EXTENSION_CONFIGS, STANDARD_EXTENSIONS  # the renderer's own settings
from .syntax import FACT_REF_RE, NOT_PROSE_RE, SHORTCODE_RE

# What may stand before a block's text on its source line: indentation, quote marks, list
# markers, a heading's hashes, a footnote's label, an admonition's type and opening quote.
MARKUP_BEFORE_RE = re.compile(
    r'(?:[ \t]+|>|(?:[-*+]|\d+[.)])(?=[ \t])|#{1,6}(?=[ \t])|\[\^[^\]\s]+\]:|(?:!!!|\?\?\?)\+?[ \t]+[\w-]+[^"\n]*")*'
)
TAB_LENGTH = 4  # Python-Markdown's default, which the renderer keeps
HEADINGS = frozenset(f"h{n}" for n in range(1, 7))
NOT_PROSE_TAGS = frozenset({"pre", "hr", "script", "style"})
# A fenced block as the fenced_code extension stashes it: its code, escaped, in <pre><code>.
FENCED_HTML_RE = re.compile(r"<pre[^>]*><code[^>]*>(.*)</code></pre>", re.DOTALL)
# Python-Markdown's tree passes the checks need before reading (the footnotes' pass adds
# their definitions to the tree); every later pass (inline and after) is not run.
KEPT_PASSES = ("footnote",)


@dataclass
class Block:
    """One paragraph, list item, heading, table or blockquote: its inline Markdown text."""

    kind: str  # "paragraph", "item", "heading", "table", "quote" (a blockquote)
    raw: str = ""  # its text as Python-Markdown's block parser leaves it, pieces joined
    starts: list[int] = field(default_factory=list)  # where each located piece starts in raw
    places: list[Location] = field(default_factory=list)  # where that piece starts in the file

    @cached_property
    def text(self) -> str:
        """raw with markup, citations, fact references and passed numbers blanked (same length)."""
        return NOT_PROSE_RE.sub(_spaces, self.raw)

    @cached_property
    def sources(self) -> list[str]:
        """Source ids cited in it, in order."""
        return cited_keys(self.raw)

    @cached_property
    def facts(self) -> list[str]:
        """Fact ids referenced in it."""
        return FACT_REF_RE.findall(self.raw) if "[[fact:" in self.raw else []

    def locate(self, index: int) -> Location:
        piece = max(bisect_right(self.starts, index) - 1, 0)
        where = self.places[piece]
        return Location(where.path, where.line, where.col + index - self.starts[piece])


def blocks(text: str, location: Location) -> list[Block]:
    """The prose blocks of Markdown that starts at location (a page body, or a data value:
    its later lines start at the same column, as for PageState.locate)."""
    return list(_blocks(text, location))


@lru_cache(maxsize=4096)  # a page body is read by several checks: parsed once
def _blocks(text: str, location: Location) -> tuple[Block, ...]:
    root, stash = _parse(text)
    reader = _Reader(text.split("\n"), location, stash)
    reader.walk(root)
    return tuple(b for b in reader.found if b.starts)


def plain_text(block: Block, fact_says: dict[str, str] | None = None) -> str:
    """What a reader reads of a block: its blanked text, fact references as their numbers."""
    text = block.text
    if fact_says:
        for m in reversed(list(FACT_REF_RE.finditer(block.raw))):
            text = text[: m.start()] + fact_says.get(m.group(1), "") + text[m.end() :]
    return " ".join(text.replace("|", " ").split())


# --- the parse ------------------------------------------------------------------------------


class _Keep(Treeprocessor):
    """Keeps the tree as the block parser (and the footnotes' pass) left it; the document's
    output is then empty (nothing after it is needed)."""

    tree: etree.Element | None = None

    def run(self, root: etree.Element) -> etree.Element:
        self.tree = root
        return etree.Element("div")


class _ProseExtension(Extension):
    def __init__(self, keep: _Keep) -> None:
        super().__init__()
        self.keep = keep

    def extendMarkdown(self, md: markdown.Markdown) -> None:
        # Every tree pass but the kept ones: the inline pass onwards would rewrite the text.
        for name in ("inline", "prettify", "unescape", "footnote-duplicate", "toc", "attr_list", "abbr", "smarty"):
            md.treeprocessors.deregister(name, strict=False)
        md.treeprocessors.register(self.keep, "prose_keep", 30)  # after the footnotes' pass (50)


@lru_cache(maxsize=1)
def _parser() -> tuple[markdown.Markdown, _Keep]:
    keep = _Keep()
    md = markdown.Markdown(
        extensions=[*STANDARD_EXTENSIONS, _ProseExtension(keep)],
        extension_configs=EXTENSION_CONFIGS,
        output_format="html",
    )
    return md, keep


def _parse(text: str) -> tuple[etree.Element, list[str]]:
    """The element tree of text before the inline pass, and its raw HTML blocks."""
    md, keep = _parser()
    md.reset()
    md.convert(text)
    assert keep.tree is not None  # set by the tree pass convert ran
    stash = [b if isinstance(b, str) else etree.tostring(b, encoding="unicode") for b in md.htmlStash.rawHtmlBlocks]
    return keep.tree, stash


# --- blocks back to source lines ------------------------------------------------------------


class _Reader:
    """Walks the tree in document order, making blocks and finding their lines in the source."""

    def __init__(self, lines: list[str], location: Location, stash: list[str]) -> None:
        self.raw_lines = lines
        self.lines = [line.expandtabs(TAB_LENGTH) for line in lines]  # as Python-Markdown reads them
        self.location = location
        self.stash = stash
        self.cursor = 0  # the source line the next block starts at or after
        self.found: list[Block] = []
        # Every fenced block of the source, matched as the fenced_code extension matches it:
        # (its first line, its last line, its code's lines).
        text = "\n".join(self.lines)
        self.fences = [
            (text.count("\n", 0, m.start()), text.count("\n", 0, m.end()), _lines(m.group("code")))
            for m in (FencedBlockPreprocessor.FENCED_BLOCK_RE.finditer(text) if "```" in text or "~~~" in text else ())
        ]

    def walk(self, el: etree.Element, inside: Block | None = None) -> None:
        """inside: the item, table or blockquote the children's text belongs to."""
        for child in el:
            tag = child.tag
            if tag in NOT_PROSE_TAGS or _placeholder_only(child) or _shortcode(child):
                self.skip(child)
            elif tag in HEADINGS or (tag == "p" and child.get("class") == "admonition-title"):
                self.add(self.new("heading", inside), child.text)
            elif tag == "p":
                self.add(inside or self.new("paragraph", None), child.text)
            elif tag == "li":
                item = self.new("item", inside)
                self.add(item, child.text)
                self.walk(child, item)
            elif tag in ("th", "td"):
                self.add(inside or self.new("table", None), child.text, cells=True)
            elif tag in ("table", "blockquote"):
                self.walk(child, self.new("table" if tag == "table" else "quote", inside))
            elif tag == "div" and "footnote" in (child.get("class") or "").split():
                saved, self.cursor = self.cursor, 0  # defined anywhere, listed at the end
                self.walk(child)
                self.cursor = saved
            elif tag in ("ul", "ol"):  # a list's items are blocks of their own, unless quoted
                self.walk(child, inside if inside is not None and inside.kind == "quote" else None)
            else:  # table rows and sections, admonitions: their children are the blocks
                self.walk(child, inside)

    def new(self, kind: str, inside: Block | None) -> Block:
        """A new block, or the blockquote it is part of (a quote is one block, as a table is)."""
        if inside is not None and inside.kind == "quote":
            return inside
        made = Block(kind)
        self.found.append(made)
        return made

    def add(self, block: Block, text: str | None, cells: bool = False) -> None:
        """text's lines appended to block, each located at its source line and column."""
        if not text:
            return
        for line in text.split("\n"):
            line = line.split(STX, 1)[0]  # a placeholder (raw HTML, a footnote's back link): not source text
            content = line.strip()
            if not content:
                continue
            if block.raw:
                block.raw += " | " if cells else "\n"
            at = self.find(content, cells)
            start = len(block.raw) + line.index(content)
            block.raw += line
            if at is not None:
                block.starts.append(start)
                block.places.append(at)

    def find(self, content: str, cells: bool) -> Location | None:
        for row in chain(range(self.cursor, len(self.lines)), range(self.cursor)):  # on, then from the top
            source = self.lines[row]
            col = source.find(content)
            while col >= 0 and not (cells or MARKUP_BEFORE_RE.fullmatch(source, 0, col)):
                col = source.find(content, col + 1)
            if col >= 0:
                self.cursor = row
                if "\t" in self.raw_lines[row]:  # the column as the editor's file counts it
                    col = next(i for i in range(col + 1) if len(self.raw_lines[row][:i].expandtabs(TAB_LENGTH)) >= col)
                base = self.location
                return Location(base.path, base.line + row, base.col + col)
        return None

    def skip(self, el: etree.Element) -> None:
        """Code and raw HTML are no prose: the next block starts after their last line."""
        text = "".join(el.itertext())
        if el.tag == "pre":  # indented code, escaped as HTML by the block parser
            text = html.unescape(text)
        stashed = [int(m.group(1)) for m in HTML_PLACEHOLDER_RE.finditer(text)]
        if stashed:  # a raw HTML block or a fenced one: its HTML is set aside
            text = "\n".join(self.stash[i] for i in stashed if i < len(self.stash))
        lines = _lines(text)
        fenced = FENCED_HTML_RE.fullmatch(text)
        if fenced is not None:  # fenced code (or raw HTML written as one): its code's lines
            lines = _lines(html.unescape(fenced.group(1)))
            end = next((last for first, last, code in self.fences if first >= self.cursor and code == lines), None)
            if end is not None:
                self.cursor = end + 1  # past its closing fence
                return
        self.past(lines)

    def past(self, lines: list[str]) -> None:
        """The cursor after the last of lines (a block's, not prose), found in order from it,
        each anywhere on its source line."""
        start, last = self.cursor, None
        for content in lines:
            row = next((r for r in range(start, len(self.lines)) if content in self.lines[r]), None)
            if row is not None:
                start = last = row + 1
        if last is not None:
            self.cursor = last


def _placeholder_only(el: etree.Element) -> bool:
    """A raw HTML block (or a shortcode's output), as the block parser leaves it: a placeholder alone."""
    return el.tag == "p" and len(el) == 0 and HTML_PLACEHOLDER_RE.fullmatch((el.text or "").strip()) is not None


def _shortcode(el: etree.Element) -> bool:
    """`[[figure:x]]` alone in its paragraph: drawn by the template stage (in the renderer's
    tree it is already a placeholder), no prose."""
    return el.tag == "p" and len(el) == 0 and SHORTCODE_RE.match(el.text or "") is not None


def _lines(text: str) -> list[str]:
    """text's lines that are not blank, stripped."""
    return [line.strip() for line in text.split("\n") if line.strip()]


def _spaces(m: re.Match[str]) -> str:
    return " " * len(m.group(0))
