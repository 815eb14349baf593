"""Stage 4c, render: each source written in the site's CSL style, by citeproc-py.

The style (load/citation_style.py) decides how a reference reads: the order of authors,
year, title and venue, punctuation, italics, how many authors before "et al.", in the
site's language (citeproc-py's CSL locales). Every source is formatted once per build, all
together (an author-year style sorts and disambiguates them as a set); the theme prints
the result (macros.html), and adds what a style does not (the link, PubMed, the kind).

Safety: citeproc-py copies data into its output as it is, so its own HTML formatter would
publish a title's `<` as markup. The formatter here marks styling with characters no
source can hold (they are removed from the data first), the whole output is escaped, and
only then do the marks become our own few tags.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup, escape

from ..kinds.sources import Source
from ..load.citation_style import CSL_NS, CitationStyle
from ..load.strings import apostrophes

# schema.org type of a source (structured_data.KIND_TYPES) -> CSL item type.
CSL_TYPES = {
    "ScholarlyArticle": "article-journal",
    "NewsArticle": "article-newspaper",
    "Article": "article",
    "Report": "report",
    "Book": "book",
    # Not "webpage": citeproc-py 0.11 writes NLM's webpage layout with the site's name as the title.
    "WebPage": "article",
}
# Private-use characters, one pair per kind of styling: they cannot come from the data.
_MARK_BASE = 0xF0000
_TAGS = (
    ("Italic", "<i>", "</i>"),
    ("Oblique", "<i>", "</i>"),
    ("Bold", "<b>", "</b>"),
    ("Light", '<span class="csl-light">', "</span>"),
    ("Underline", '<span class="csl-underline">', "</span>"),
    ("Superscript", "<sup>", "</sup>"),
    ("Subscript", "<sub>", "</sub>"),
    ("SmallCaps", '<span class="csl-small-caps">', "</span>"),
)
_OPEN = {name: chr(_MARK_BASE + 2 * i) for i, (name, _, _) in enumerate(_TAGS)}
_CLOSE = {name: chr(_MARK_BASE + 2 * i + 1) for i, (name, _, _) in enumerate(_TAGS)}
_TO_HTML = {_OPEN[n]: o for n, o, _ in _TAGS} | {_CLOSE[n]: c for n, _, c in _TAGS}
_MARKS_RE = re.compile("[" + "".join(_TO_HTML) + "]")
_SPACES_RE = re.compile(r"[ \t\n\r\f\v]+")
_PRIVATE_RE = re.compile("[\U000f0000-\U000fffff]")


MEMO_SIZE = 4  # formatted bibliographies kept in memory (a style, a language, a set of sources each)
_MEMO: dict[str, list[tuple[str, str]]] = {}


class _Marked:
    """A citeproc-py formatter (the shape of its `formatter.plain` module): plain text,
    with styling as marks."""

    @staticmethod
    def preformat(text: str) -> str:
        return str(text)

    def __getattr__(self, name: str) -> Any:
        if name not in _OPEN:
            raise AttributeError(name)
        return lambda text: f"{_OPEN[name]}{text}{_CLOSE[name]}"


# A full stop a style adds after a title that ends in "?", "!" or "." (CSL wants one: citeproc-py keeps both).
_DOUBLE_STOP_RE = re.compile(r"(?<=[?!]|(?<!\.)\.)((?:[" + "".join(_CLOSE.values()) + r"])*)\.(?!\.)")


def to_html(marked: str) -> Markup:
    """citeproc-py's output, escaped, its marks made tags."""
    escaped = str(escape(_DOUBLE_STOP_RE.sub(r"\1", marked)))
    # Safe: every character of the data is escaped above; only our own tags are added.
    return Markup(_MARKS_RE.sub(lambda m: _TO_HTML[m.group(0)], escaped))  # noqa: S704


def _clean(text: Any) -> str:
    return _PRIVATE_RE.sub("", str(text))


@dataclass(frozen=True)
class Words:
    """What the theme says in the site's language (strings files)."""

    not_stated: str  # authors_not_stated, as the author of a source that names none
    et_al: str  # et_al, after a list an editor cut short


def csl_item(key: str, source: Source, csl_type: str, words: Words) -> dict[str, Any]:
    """A source as CSL-JSON. No DOI, URL or PMID: the theme links them itself."""
    names = [{k: _clean(v) for k, v in n.csl().items()} for n in source.authors]
    if source.authors.more:
        names.append({"literal": words.et_al})  # a list cut short: the style's delimiter, then "et al."
    if not names:
        names = [{"literal": words.not_stated}]
    item: dict[str, Any] = {"id": key, "type": csl_type, "title": _clean(source.title), "author": names}
    if source.year:
        item["issued"] = {"date-parts": [[source.year]]}
    for variable, value in (
        ("container-title" if csl_type.startswith("article") else "publisher", source.venue),
        ("volume", source.volume),
        ("issue", source.issue),
        ("page", source.pages),
    ):
        if value:
            item[variable] = _clean(value)
    return item


class Bibliography:
    """Every source of the site, formatted in its style: `entry(id)`, and `order(ids)` as
    the style sorts them (author-year: by author and year; numbered: as given)."""

    def __init__(self, style: CitationStyle, language: str, words: Words) -> None:
        self.style = style
        self.language = language
        self.words = words
        self._entries: dict[str, Markup] = {}
        self._rank: dict[str, int] = {}

    def format(self, sources: Iterable[Source], csl_type: dict[str, str]) -> None:
        from citeproc import Citation, CitationItem, CitationStylesBibliography
        from citeproc.source.json import CiteProcJSON

        sources = list(sources)
        if not sources:
            return
        # Our own keys: citeproc-py folds ids to lower case, and `Smith2020` and `smith2020` are two sources.
        keys = {f"s{i}": s for i, s in enumerate(sources)}
        items = [csl_item(k, s, csl_type.get(s.id, "article-journal"), self.words) for k, s in keys.items()]
        # citeproc-py takes a few ms a source: the live preview's rebuilds reuse what the same
        # style, language and data gave (the style file's bytes are part of the key).
        memo_key = hashlib.sha256(
            json.dumps([items, self.language], sort_keys=True).encode() + self.style.path.read_bytes()
        ).hexdigest()
        if memo_key not in _MEMO:
            bibliography = CitationStylesBibliography(self._style(), CiteProcJSON(items), _Marked())
            for key in keys:
                bibliography.register(Citation([CitationItem(key)]))
            bibliography.sort()
            # Runs of layout whitespace made one space; a style's no-break spaces (French « ») kept.
            texts = [_SPACES_RE.sub(" ", str(text)).strip(" ") for text in bibliography.bibliography()]
            _MEMO[memo_key] = list(zip(bibliography.keys, texts, strict=True))
            while len(_MEMO) > MEMO_SIZE:
                _MEMO.pop(next(iter(_MEMO)))
        for rank, (key, text) in enumerate(_MEMO[memo_key]):
            # Apostrophes inside words as every other text of a page writes them (d’exemple).
            self._entries[keys[key].id] = to_html(apostrophes(text))
            self._rank[keys[key].id] = rank

    def _style(self) -> Any:
        from citeproc import PRIMARY_DIALECTS, CitationStylesStyle

        locale = self.language if "-" in self.language else PRIMARY_DIALECTS.get(self.language, "en-US")
        style = CitationStylesStyle(str(self.style.path), locale=locale, validate=False)
        # Our lists number themselves (a page's list matches its [n] marks): no number in the entry.
        for text in style.root.xpath(
            "cs:bibliography/cs:layout//cs:text[@variable='citation-number']", namespaces={"cs": CSL_NS}
        ):
            text.getparent().remove(text)
        return style

    def entry(self, source_id: str) -> Markup:
        return self._entries.get(source_id, Markup(""))

    def order(self, ids: Iterable[str]) -> list[str]:
        ids = list(ids)
        if self.style.numeric:
            return ids
        return sorted(ids, key=lambda i: self._rank.get(i, len(self._rank)))
