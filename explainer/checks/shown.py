"""Check stage: the texts and numbers a reader sees outside the Markdown bodies (page titles
and summaries, every text value of the data files, the numbers figures and tables draw),
each with the sources its page or entry names or cites, for the number check (numbers.py).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache
from typing import Any

from ..core.errors import Location
from ..markdown.citations import cited_keys
from ..markdown.prose import blocks

DIGIT_RE = re.compile(r"\d")


# Data files whose text is not the site's claims: citations (years, volumes, pages), the
# facts themselves, and corrections (which name the number that was wrong).
NOT_CHECKED_FILES = ("sources", "facts", "corrections", "source_kinds")
# Keys that hold ids, codes, colours, addresses or the settings of a figure, not prose; a
# claim's `quote` is the news story's own words (the quotation check compares them).
NOT_PROSE_KEYS = frozenset(
    [
        "id",
        "kind",
        "color",
        "color_dark",
        "url",
        "link",
        "doi",
        "pmid",
        "source",
        "sources",
        "citation",
        "limits",
        "weakens",
        "verdict",
        "drawn_from",
        "status",
        "template",
        "unit",
        "series",
        "data",
        "table",
        "rating",
        "order",
        "year",
        "at",
        "from",
        "to",
        "when",
        "reference",
        "change",
        "quote",
        "said_by",
        "favoured_by",
    ]
)
NUMBER_KEYS = ("value", "low", "high")  # a figure's values, drawn for readers


def shown_page_texts(pages: list[Any]) -> Iterator[tuple[str, Location, list[str]]]:
    """Plain texts a reader sees that are not Markdown bodies, of the pages: their titles
    and summaries, each with the sources its page cites."""
    for page in pages:
        cited = sorted({s for b in blocks(page.body, Location(page.source, page.body_line)) for s in b.sources})
        for key, value in (("title", page.title), ("summary", page.summary)):
            if value and DIGIT_RE.search(value):
                yield value, _front_matter_location(page, key), cited


def shown_data_texts(data: Any) -> Iterator[tuple[str, Location, list[str]]]:
    """Every text of the data files that is not Markdown (figure titles and labels, claim
    summaries, limit titles, glossary definitions, table cells...), each with the sources
    its entry cites or names."""
    markdown = _markdown_keys()
    for _name, entry in _entries(data):
        cited = _cited_by(entry)
        for text, where in _texts_of(entry, markdown):
            if DIGIT_RE.search(text):
                yield text, where, cited


def shown_numbers(data: Any) -> Iterator[tuple[float, Location, list[str]]]:
    """The numbers of the data drawn as numbers (a figure's bars, a table's cells), each
    with the sources its entry cites or names."""
    for _name, entry in _entries(data):
        cited = _cited_by(entry)
        yield from ((number, where, cited) for number, where in _numbers_of(entry))


def _entries(data: Any) -> Iterator[tuple[str, Any]]:
    """The top-level entries of every checked data file, as YAML with positions."""
    from ..core.yamlio import YMap, YSeq

    for name, _path, raw in data.own_files():
        if name in NOT_CHECKED_FILES:
            continue
        if isinstance(raw, YSeq):
            yield from ((name, e) for e in raw if isinstance(e, YMap))
        elif isinstance(raw, YMap):
            yield name, raw


def _cited_by(entry: Any) -> list[str]:
    """The sources an entry names (`sources`, `source`, `citation`) or cites in any of its texts."""
    found: list[str] = []
    for key in ("sources", "source", "citation"):
        value = entry.get(key) if hasattr(entry, "get") else None
        if isinstance(value, list):
            found += [str(v) for v in value]
        elif isinstance(value, str):
            found.append(value)
    stack = [entry]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
        elif isinstance(node, str) and "@" in node:
            found += cited_keys(node)
    return list(dict.fromkeys(found))


def _texts_of(node: Any, markdown: frozenset[str]) -> Iterator[tuple[str, Location]]:
    from ..core.yamlio import YMap, YSeq

    if isinstance(node, YMap):
        for key, value in node.items():
            if key in NOT_PROSE_KEYS or key in markdown:
                continue
            if isinstance(value, str):
                yield value, node.text_loc(key)
            else:
                yield from _texts_of(value, markdown)
    elif isinstance(node, YSeq):
        for i, item in enumerate(node):
            if isinstance(item, str):
                yield item, _item_text_loc(node, i)
            else:
                yield from _texts_of(item, markdown)


def _numbers_of(node: Any, key: str = "") -> Iterator[tuple[float, Location]]:
    from ..core.yamlio import YMap, YSeq

    if isinstance(node, YMap):
        for k, value in node.items():
            if k in NUMBER_KEYS and _is_number(value):
                yield float(value), node.value_loc(k)
            elif k not in NOT_PROSE_KEYS:
                yield from _numbers_of(value, k)
    elif isinstance(node, YSeq) and key == "values":  # a table row's cells
        for i, item in enumerate(node):
            if _is_number(item):
                yield float(item), node.loc(i)
            else:
                yield from _numbers_of(item, key)
    elif isinstance(node, YSeq):
        for item in node:
            yield from _numbers_of(item, key)


def _is_number(value: Any) -> bool:
    """A number the data can draw: the data stage refuses the others (.nan, too large)."""
    return isinstance(value, (int, float)) and not isinstance(value, bool) and abs(value) < 1e15


def _item_text_loc(items: Any, index: int) -> Location:
    """Where a list item's text starts (after its quote mark, if quoted)."""
    loc = items.loc(index)
    try:
        line = loc.path.read_text(encoding="utf-8").split("\n")[loc.line - 1]
    except (OSError, IndexError, UnicodeDecodeError):
        return loc
    quoted = line[loc.col - 1 : loc.col] in ('"', "'")
    return Location(loc.path, loc.line, loc.col + 1) if quoted else loc


@cache
def _markdown_keys() -> frozenset[str]:
    """The fields the registry declares as Markdown: checked with the Markdown (prose_of)."""
    from ..kinds.registry import BUILT_IN

    names: set[str] = set()
    stack = [f for kind in BUILT_IN for f in (*kind.fields, *kind.file_fields)]
    while stack:
        f = stack.pop()
        if f.markdown:
            names.add(f.name)
        stack.extend(f.fields or ())
    return frozenset(names)


def _front_matter_location(page: Any, key: str) -> Location:
    try:
        lines = page.source.read_text(encoding="utf-8").split("\n")[: page.body_line]
    except (OSError, UnicodeDecodeError):
        return Location(page.source, 1)
    for number, line in enumerate(lines, start=1):
        if line.startswith(f"{key}:"):
            rest = line[len(key) + 1 :]
            col = len(key) + 2 + len(rest) - len(rest.lstrip())
            quoted = rest.lstrip()[:1] in ('"', "'")
            return Location(page.source, number, col + (1 if quoted else 0))
    return Location(page.source, 1)
