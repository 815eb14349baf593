"""Stage 4a, Markdown: near-misses of the site's own syntax, as located errors with a fix.

`[@ smith2020]`, `[[claims:cost]]`, `[[claim: cost]]`, `[[claim cost]]` or a figure placed
inside a sentence do not match the real patterns, so without these they would reach
readers as literal text (the patterns of both are in syntax.py). The reference words are
the kinds' own (`Kind.reference`: `claim`, `fact`, and any a site's kinds add) and the
shortcodes'. Each runs after the pattern it shadows and reports what to write instead; the
text is dropped (the build fails anyway). What may be meant as written, or
is only one bracket short, is a warning (an error under --strict), the text kept:
`[@smith2020` or `[[claim:cost` left open, `[claim:x]` with single brackets, a footnote
`[^1]` without a definition, and a claim or fact reference inside a link's text (it is a
link itself, and a link inside a link is broken HTML).

Each is located at its own occurrence: the match and the rest of its line are looked up in
the page, not the match alone (`[@a` is also the start of every `[@a]` before it).
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from markdown.inlinepatterns import InlineProcessor

from ..core.suggest import nearest
from .syntax import SHORTCODES

FACT = "fact"  # [[fact:id]] belongs to the facts processor: left alone here
# Python-Markdown's placeholders (what an earlier pattern made of its match) start with STX.
_PLACEHOLDER_OR_LINE_END = re.compile("[\n\x02]")


def reference_words(data: Any) -> dict[str, Any]:
    """Each reference word -> the ids it may name: the kinds' own (`claim`, `fact`, and any
    a site's kinds add), then the shortcodes'."""
    words = {word: getattr(data, kind.name) for word, kind in data.kinds.references.items()}
    return {**words, "figure": data.figures, "block": {}}


def singular(word: str, words: Any) -> str | None:
    """The reference word `word` is, maybe written in the plural ("claims"); None: none."""
    if word in words:
        return word
    return word[:-1] if word.endswith("s") and word[:-1] in words else None


def as_id(text: str) -> str:
    """Text as an id would be written: lower case ASCII, spaces and other marks as hyphens."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


class _Mistake(InlineProcessor):
    def __init__(self, pattern: str, holder: Any) -> None:
        super().__init__(pattern)
        self.holder = holder  # state.StateHolder: the page being converted, the site

    def where(self, m: re.Match[str], data: str, group: int = 0) -> Any:
        """The location of the match (or of one of its groups): looked up with the rest of its
        line, so that `[@a` is found where it is left open, not at an earlier `[@a]`."""
        state, rest = self.holder.state, data[m.start(group) :]
        cut = _PLACEHOLDER_OR_LINE_END.search(rest)
        line = rest[: cut.start()] if cut else rest
        # At the end of its line, the line's end is part of what is looked for: `[[figure:x`
        # alone on its line is not the `[[figure:x]]` above it.
        at_end = [line + "\n"] if cut is None or cut.group(0) == "\n" else []
        for snippet in (*at_end, line):
            if len(snippet) > len(m.group(group)) and snippet in state.text:
                return state.locate(snippet)
        return state.locate(m.group(group))

    def words(self) -> dict[str, Any]:
        return reference_words(self.holder.site.data)

    def report(self, m: re.Match[str], data: str, message: str) -> None:
        self.holder.site.diags.error(self.where(m, data), message)

    def warn(self, m: re.Match[str], data: str, message: str, group: int = 0) -> None:
        """A likely mistake that may be meant (an error under --strict); the text stays."""
        self.holder.site.diags.warning(self.where(m, data, group), message)


class LooseCitation(_Mistake):
    """`[@ smith2020]`, `[@]`: a `[@` the citation pattern (citations.py) could not read."""

    def handleMatch(self, m: re.Match[str], data: str) -> tuple[Any, Any, Any]:
        sources = self.holder.site.data.sources
        fixed = []
        for part in m.group(1).split(";"):
            raw = part.strip().lstrip("@").strip()
            candidate = re.sub(r"\s+", "", raw)
            fixed.append(candidate if candidate in sources else nearest(candidate, sources) or as_id(raw) or "id")
        write = "[" + "; ".join(f"@{f}" for f in fixed) + "]"
        self.report(
            m,
            data,
            f"citation not in the form [@id]: {m.group(0)} would be shown as it is; write {write} "
            "(no space after @; several sources: [@a; @b])",
        )
        return "", m.start(0), m.end(0)


class UnclosedCitation(_Mistake):
    """`[@smith2020.` with no `]`: readers would see the bracket and the id (a warning:
    under --strict, an error)."""

    def handleMatch(self, m: re.Match[str], data: str) -> tuple[Any, Any, Any]:
        self.warn(
            m,
            data,
            f"citation not closed, so readers would see it as text: {m.group(0)} has no ']'; close it: [@{m.group(1)}]",
        )
        return None, None, None


class LooseReference(_Mistake):
    """`[[claims:weeks]]`, `[[claim: weeks]]`, `[[Figure:x]]`, `[[claim weeks]]` (with
    SPACED_REFERENCE_RE: only for a reference word), and a figure or block shortcode inside
    a sentence (the shortcodes only work alone in their paragraph)."""

    def handleMatch(self, m: re.Match[str], data: str) -> tuple[Any, Any, Any]:
        written, ident = m.group(1), m.group(2)
        words = self.words()
        kind = singular(written.strip().lower(), words) or written.strip().lower()
        spaced = ":" not in m.group(0)
        if kind == FACT or (spaced and kind not in words):
            return None, None, None
        if kind not in words:
            hint = nearest(kind, words)
            forms = [f"[[{word}:id]]" for word in words if word != "block"]
            self.report(
                m,
                data,
                f"unknown kind of reference '{as_id(written) or written}' in {m.group(0)}"
                f"{f'; did you mean [[{hint}:{ident}]]?' if hint else ''} "
                f"(references are {', '.join(forms)} and [[block:name]])",
            )
            return "", m.start(0), m.end(0)
        fixed = self.fixed_id(words[kind], ident)
        if kind in SHORTCODES and m.group(0) == f"[[{kind}:{ident}]]":
            link = ""
            if kind == "figure":
                link = f" (to point at it in a sentence, link to it: [the figure](#fig-{ident}))"
            self.report(
                m,
                data,
                f"a {kind} must stand alone in its paragraph: {m.group(0)} is inside a sentence, so readers "
                f"would see it as text; put it on a line of its own, with a blank line before and after{link}",
            )
            return "", m.start(0), m.end(0)
        self.report(
            m,
            data,
            f"reference not in the form [[{kind}:id]]: {m.group(0)} would be shown as it is; write [[{kind}:{fixed}]]"
            " (lower case, singular, no spaces)",
        )
        return "", m.start(0), m.end(0)

    def fixed_id(self, known: Any, ident: str) -> str:
        candidate = as_id(ident)
        if not known or candidate in known:
            return candidate or "id"
        return nearest(candidate, known) or candidate or "id"


class SingleBracketReference(_Mistake):
    """`[claim:x]`: one bracket short of `[[claim:x]]`, shown as it is."""

    def handleMatch(self, m: re.Match[str], data: str) -> tuple[Any, Any, Any]:
        word = singular(m.group(1), self.words())
        if word is None:
            return None, None, None
        write = f"[[{word}:{as_id(m.group(2)) or 'id'}]]"
        self.warn(m, data, f"{m.group(0)} has single brackets, so readers see it as text: write {write}")
        return None, None, None


class UndefinedFootnote(_Mistake):
    """`[^1]` with no `[^1]: ...` definition on the page: the footnotes extension leaves it as text."""

    def handleMatch(self, m: re.Match[str], data: str) -> tuple[Any, Any, Any]:
        self.warn(
            m,
            data,
            f"footnote {m.group(0)} has no definition, so readers see it as text: add a line "
            f"'{m.group(0)}: the note' to this page, or remove it",
        )
        return None, None, None


class UnclosedReference(_Mistake):
    """`[[claim:x` or `[[figure:x]` without its `]]`: readers would see the brackets and the id."""

    def handleMatch(self, m: re.Match[str], data: str) -> tuple[Any, Any, Any]:
        word = singular(m.group(1), self.words())
        if word is None:
            return None, None, None
        write = f"[[{word}:{m.group(2).rstrip('].,;:!?') or 'id'}]]"
        self.warn(
            m,
            data,
            f"reference not closed, so readers would see it as text: {m.group(0)} has no ']]'; close it: {write}",
        )
        return None, None, None


class LinkedReference(_Mistake):
    """`[the sample, [[fact:n]]](url)`: the reference is a link of its own, so the page would
    hold a link inside a link (broken HTML, which browsers split in two)."""

    def handleMatch(self, m: re.Match[str], data: str) -> tuple[Any, Any, Any]:
        if m.group(2) not in self.holder.site.data.kinds.references:  # a shortcode, or no reference
            return None, None, None
        self.warn(
            m,
            data,
            f"{m.group(1)} is inside a link's text, but it is a link itself, and a link inside a link is broken: "
            f"put {m.group(1)} outside the link's [text]",
            group=1,
        )
        return None, None, None
