"""Check stage: the phrasings a site never wants (`data/wording.yaml`), as a house style.

Each rule names what to avoid (a phrase, or a regular expression; any case, whole words)
and the wording to use instead. The prose of every page and every text of every data file
is read as the number check reads it (`prose.blocks`: markup, citations and fact references
blanked, each character located), so a hit points at its `path:line:col`; a hit is a
warning (an error under --strict). Words inside quotation marks are a source's own and are
never hits (the quotation check keeps them exact). A rule's `skip` names files, or one key
of a data file (`data/claims.yaml#quote`), it does not apply to.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..core.errors import Diagnostics, Location
from ..core.yamlio import YMap, YSeq
from ..markdown.prose import blocks
from .numbers import Reading, reading_for

RULES_FILE = "wording"  # data/wording.yaml: the rules themselves are not checked against themselves


@dataclass(frozen=True)
class Text:
    """One text the check reads: a page body or a data value, where it starts, and its key."""

    text: str
    location: Location
    key: str = ""


def check_wording(
    source: Path, pages: list[Any], data: Any, diags: Diagnostics, reading: Reading | None = None, of_data: bool = True
) -> int:
    """Report every hit of the site's wording rules in the pages and (of_data) the data's
    texts; returns how many there were. reading: the site's language (numbers.reading_of),
    whose quotation marks mark quoted words."""
    quotation = (reading or reading_for("en")).quotation
    rules = [(rule, _pattern(rule.avoid)) for rule in getattr(data, RULES_FILE, None) or ()]
    if not rules:
        return 0
    hits = 0
    paths: dict[Path, str] = {}
    for text in _texts(pages, data if of_data else None):
        where = paths.get(text.location.path)
        if where is None:
            where = paths[text.location.path] = _site_path(source, text.location.path)
        applying = tuple(
            (p, r.use, r.why) for r, p in rules if where not in r.skip and f"{where}#{text.key}" not in r.skip
        )
        for location, message in _hits(text.text, text.location, applying, quotation) if applying else ():
            hits += 1
            diags.warning(location, message)
    return hits


Rules = tuple[tuple[re.Pattern[str], str, str], ...]  # (what to avoid, what to use, why)


def _hits(text: str, location: Location, rules: Rules, quotation: re.Pattern[str]) -> tuple[tuple[Location, str], ...]:
    found = []
    any_rule = _any_rule(rules)
    for block in blocks(text, location):
        if not any_rule.search(block.text):  # most blocks hold no hit: one search, not one a rule
            continue
        quoted = [m.span() for m in quotation.finditer(block.text)]
        for pattern, use, why in rules:
            for m in pattern.finditer(block.text):
                if not any(start <= m.start() < end for start, end in quoted):
                    found.append((block.locate(m.start()), _message(m.group(0), use, why)))
    return tuple(found)


@lru_cache(maxsize=64)
def _any_rule(rules: Rules) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p.pattern})" for p, _, _ in rules), re.IGNORECASE)


def _pattern(avoid: str) -> re.Pattern[str]:
    # Whole words: "cut" is not a hit in "cut-off"; the rule's own text stays as the editor wrote it.
    return re.compile(rf"(?<![\w-])(?:{avoid})(?![\w-])", re.IGNORECASE)


def _message(found: str, use: str, why: str) -> str:
    found = " ".join(found.split())
    return f"wording this site avoids: '{found}'; write {use}{f' ({why})' if why else ''} (a rule of data/wording.yaml)"


def _texts(pages: list[Any], data: Any) -> Iterator[Text]:
    """Every page body, then every text value of every data file but the rules (data: None,
    none), in file order."""
    for page in pages:
        yield Text(page.body, Location(page.source, page.body_line))
    for name, path, tree in data.own_files() if data is not None else ():
        if name == RULES_FILE or path.suffix not in (".yaml", ".yml"):
            continue
        yield from _values(tree)


def _values(node: Any, key: str = "") -> Iterator[Text]:
    if isinstance(node, YMap):
        for k, value in node.items():
            if isinstance(value, str):
                yield Text(value, node.text_loc(k), k)
            else:
                yield from _values(value, k)
    elif isinstance(node, YSeq):
        for i, item in enumerate(node):
            if isinstance(item, str):
                yield Text(item, node.loc(i), key)
            else:
                yield from _values(item, key)


def _site_path(source: Path, path: Path) -> str:
    try:
        return path.relative_to(source).as_posix()
    except ValueError:
        return path.as_posix()
