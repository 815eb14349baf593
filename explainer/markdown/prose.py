"""Check stage: the prose of Markdown, as blocks (paragraphs, list items, headings, tables)
whose syntax is blanked out, with the file position of every character.

The number, quotation and reading-grade checks read prose, not markup: a citation, a URL,
a code span or a list marker is not part of what a reader reads as a sentence. Blanking
(replacing with spaces) keeps every index where it was, so a finding points at its
`path:line:col` in the Markdown the editor wrote.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property
from itertools import accumulate
from pathlib import Path

from ..core.errors import Location
from .citations import BLANK_PATTERNS, LOOSE_CITATION_RE, cited_keys

FACT_REF_RE = re.compile(r"\[\[fact:([^\]\s]*)\]\]")
# A number an editor marked as not data: `\4`, `\2017`, `\1.5` (the backslash is not shown).
PASS_RE = re.compile(r"\\\d+(?:[.,]\d+)*")
SYNTAX_RES = [
    re.compile(r"`[^`]*`"),  # code spans
    re.compile(r"!\[[^\]]*\]\([^)]*\)"),  # images (their alt text describes the image, not the story)
    re.compile(r"(?<=\])\([^)]*\)"),  # link targets and titles
    re.compile(r"\[\[[a-z]+:[^\]]*\]\]"),  # claim references, shortcodes
    re.compile(r"\[\^[^\]]+\]"),  # footnote references
    re.compile(r"\{:[^}]*\}"),  # attribute lists
    re.compile(r"<[^>\n]+>"),  # raw HTML tags and autolinks
    re.compile(r"https?://\S+"),  # bare addresses
    re.compile(r"\*\*|__"),  # strong emphasis markers
]
# Everything blanked in a block, as one pattern (the leftmost match wins: a code span hides
# what is inside it).
# Every branch starts with one of a few characters: the lookahead skips other positions fast.
BLANK_RE = re.compile(
    r"(?=[\[\\`!(<{h*_@])(?:"
    + "|".join([*BLANK_PATTERNS, LOOSE_CITATION_RE, *(p.pattern for p in (FACT_REF_RE, PASS_RE, *SYNTAX_RES))])
    + ")"
)
# Markup at the start of a line: quote marks, then a list marker or a heading's hashes.
LINE_START_RE = re.compile(r"^[ \t]*(?:>[ \t]?)*(?:(?:[-*+]|\d+[.)])[ \t]+|(?:#{1,6}|!!!|\?\?\?)(?=\s|$))?", re.M)
LIST_ITEM_RE = re.compile(r"^(\s*)([-*+]|\d+[.)])(\s+)")
HEADING_RE = re.compile(r"^\s{0,3}(#{1,6}|!!!|\?\?\?)\s")  # headings; admonition titles read like one
FENCE_RE = re.compile(r"^\s*(```|~~~)")
TABLE_RE = re.compile(r"^\s*\|")
# Lines that hold no prose: shortcodes, attribute lists, abbreviations, link definitions, raw HTML.
NO_PROSE_RE = re.compile(r"^\s*(\[\[(figure|block):|\{:|\*\[[^\]]*\]:|\[[^\]^]+\]:\s|<)")


@dataclass
class Block:
    """One paragraph, list item, heading or table of Markdown: consecutive lines."""

    kind: str  # "paragraph", "item", "heading", "table", "quote" (a blockquote)
    path: Path
    line: int  # the file line of its first line
    col: int  # the column its lines start at (1 in a page; a data value's text column)
    lines: list[str] = field(default_factory=list)

    @cached_property
    def raw(self) -> str:
        """The Markdown as written, lines joined by "\n"."""
        return "\n".join(self.lines)

    @cached_property
    def text(self) -> str:
        """raw with markup, citations, fact references and passed numbers blanked (same length)."""
        return LINE_START_RE.sub(_spaces, BLANK_RE.sub(_spaces, self.raw))

    @cached_property
    def sources(self) -> list[str]:
        """Source ids cited in it, in order."""
        return cited_keys(self.raw)

    @cached_property
    def facts(self) -> list[str]:
        """Fact ids referenced in it."""
        return FACT_REF_RE.findall(self.raw) if "[[fact:" in self.raw else []

    def locate(self, index: int) -> Location:
        starts = list(accumulate((len(line) + 1 for line in self.lines[:-1]), initial=0))
        row = bisect_right(starts, index) - 1
        return Location(self.path, self.line + row, self.col + index - starts[row])


def blocks(markdown: str, location: Location) -> list[Block]:
    """The prose blocks of Markdown that starts at location (a page body, or a data
    value: its later lines start at the same column, as for PageState.locate)."""
    return list(_split(markdown, location))


def _split(markdown: str, location: Location) -> Iterator[Block]:
    current: Block | None = None
    fenced = False
    for number, line in enumerate(markdown.split("\n")):
        first = line.lstrip()[:1]
        if first in ("`", "~") and FENCE_RE.match(line):
            fenced, current = not fenced, None
            continue
        if fenced or not first or (first in "[{*<" and NO_PROSE_RE.match(line)):
            if current is not None:
                yield current
            current = None
            continue
        kind = _line_kind(line, first, current)
        if current is None or kind != "continued":
            if current is not None:
                yield current
            current = Block(
                "paragraph" if kind == "continued" else kind, location.path, location.line + number, location.col
            )
        current.lines.append(line)
        if current.kind == "heading":
            yield current
            current = None
    if current is not None:
        yield current


def _line_kind(line: str, first: str, current: Block | None) -> str:
    if first == ">":
        return "continued" if current is not None and current.kind == "quote" else "quote"
    if first in "#!?" and HEADING_RE.match(line):
        return "heading"
    if (first in "-*+" or first.isdigit()) and LIST_ITEM_RE.match(line):
        return "item"
    if first == "|":
        return "continued" if current is not None and current.kind == "table" else "table"
    return "continued"


def _spaces(m: re.Match[str]) -> str:
    return " " * len(m.group(0))


def plain_text(block: Block, fact_says: dict[str, str] | None = None) -> str:
    """What a reader reads of a block: its blanked text, fact references as their numbers."""
    text = block.text
    if fact_says:
        for m in reversed(list(FACT_REF_RE.finditer(block.raw))):
            text = text[: m.start()] + fact_says.get(m.group(1), "") + text[m.end() :]
    return " ".join(text.replace("|", " ").split())
