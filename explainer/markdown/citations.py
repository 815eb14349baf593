"""Stage 4a, Markdown: the citation syntax, Pandoc's: a cluster read into its items.

- `[@a]`, `[@a; @b]`        cite sources (a cluster), numbered or author-year per the style
- `[@a, p. 4]`              with a locator (or any suffix): shown inside the mark
- `[see @a]`                with a prefix
- `[-@a]`                   the author left out (the text already names them)
- `@a`, `@a [p. 4]`         in the text: the authors' names, then the number or year

Keys are sources' ids as reference managers write them (`lewis_results_2023`,
`Smith2020`). The patterns are in syntax.py with the rest of the dialect; here, what a
cluster's items say.
"""

from __future__ import annotations

from dataclasses import dataclass

from .syntax import ANY_KEY_RE, ITEM_RE


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
