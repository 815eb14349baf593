"""Stage 4a, Markdown: the citation syntax, Pandoc's, every pattern of it in this one place.

- `[@a]`, `[@a; @b]`        cite sources (a cluster), numbered or author-year per the style
- `[@a, p. 4]`              with a locator (or any suffix): shown inside the mark
- `[see @a]`                with a prefix
- `[-@a]`                   the author left out (the text already names them)
- `@a`, `@a [p. 4]`         in the text: the authors' names, then the number or year

Keys are sources' ids as reference managers write them (`lewis_results_2023`,
`Smith2020`). The Markdown processors (extension.py), their near-misses (near_miss.py)
and the prose checks (prose.py) all read citations through these patterns.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..load.references import SOURCE_KEY

# `[...]` holding at least one `@key` that starts an item (after `[`, `;`, a space or `-`).
CLUSTER_RE = r"\[((?:[^\[\]\n]*?[\s;])?-?@" + SOURCE_KEY + r"[^\[\]]*)\]"
# `@key` in the text, not in an address (`a@b.org`) nor escaped (`\@`), with an optional `[locator]`.
INTEXT_RE = r"(?<![\w@\\\[/])@(" + SOURCE_KEY + r")(?:\s\[([^\[\]@]+)\])?"
# One item of a cluster: prefix, `-`, `@key`, then its suffix (", p. 4").
ITEM_RE = re.compile(r"^\s*(?P<prefix>.*?)\s*(?P<suppress>-?)@(?P<key>" + SOURCE_KEY + r")(?P<suffix>.*?)\s*$", re.S)
# What a citation pattern left: `[@...]` it could not read, and `[@key` never closed.
LOOSE_CITATION_RE = r"\[@([^\]\[]*)\]"
UNCLOSED_CITATION_RE = r"\[-?@(" + SOURCE_KEY + r")(?![^\[\]]*\])"
# Any `@key` in a text (the prose checks read the sources a paragraph cites with it).
ANY_KEY_RE = re.compile(r"(?<![\w@\\])-?@(" + SOURCE_KEY + r")")
# A whole citation, for the prose checks to blank: a cluster, or `@key` in the text.
BLANK_PATTERNS = (CLUSTER_RE, INTEXT_RE)


@dataclass(frozen=True)
class Cite:
    """One source cited: its id, and what the editor wrote around it."""

    key: str
    prefix: str = ""
    locator: str = ""  # the suffix as written, without its leading comma: "p. 4"
    suppress_author: bool = False
    in_text: bool = False


class CitationError(ValueError):
    """A cluster that cannot be read as the editor meant: the message says what to write."""


def parse_cluster(inner: str) -> list[Cite]:
    """The items of `[...]` (its text without the brackets), separated by ';'."""
    cites = []
    for part in inner.split(";"):
        m = ITEM_RE.match(part)
        if m is None:
            raise CitationError(
                f"a part of a citation names no source: '{part.strip()}' in [{inner}]; each part between ';' "
                "needs its @id"
            )
        suffix = m.group("suffix").strip()
        locator = suffix.lstrip(",").strip()
        if ANY_KEY_RE.search(suffix) is not None:
            keys = "; ".join(f"@{k}" for k in (m.group("key"), *ANY_KEY_RE.findall(suffix)))
            raise CitationError(
                f"sources separated by ',' in [{inner}]: a ',' starts a page or note, so '{locator}' would be "
                f"read as one of @{m.group('key')}; separate sources with ';': [{keys}]"
            )
        cites.append(
            Cite(
                key=m.group("key"),
                prefix=m.group("prefix").strip(),
                locator=locator,
                suppress_author=bool(m.group("suppress")),
            )
        )
    return cites


def cited_keys(text: str) -> list[str]:
    """Every source id a text cites, in order (near-misses too: `[@Smith 2020]` reads as
    `Smith`; its own error says what to write)."""
    return ANY_KEY_RE.findall(text) if "@" in text else []
