"""Check stage: every number of the prose is traced to a fact, every quotation is a
source's exact words.

Reads the Markdown of the pages and of the data (claims' evidence, limits' explanations,
...), the facts (`facts.py`), and the full texts a site may keep in
`sources/<source-id>.txt`. A number is traced when it is a `[[fact:id]]` reference, or
equals a value of a fact whose source is cited in the same paragraph or list item (for a
heading or a table: in it or in the block just before or after it). An untraced number is
a warning (an error under --strict). Numbers that are not data pass: dates, labels such as
"Week 4" (a capitalised word and a whole number inside a sentence), ordinals, numbers
inside names ("COVID-19", "L4"), confidence levels ("95% CI"), and any number written
with a backslash (`\\4`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, fields, is_dataclass
from pathlib import Path
from typing import Any

from ..core.errors import Diagnostics, Location
from ..kinds.facts import Fact, same_number
from ..markdown.prose import Block, blocks
from .language import Reading, reading_for, reading_of
from .quotations import check_claim_quotes, judge_quotation, source_words
from .shown import shown_data_texts, shown_numbers, shown_page_texts

__all__ = ["FactCheck", "Reading", "check_facts", "reading_for", "reading_of"]
DIGIT_RE = re.compile(r"\d")


@dataclass
class FactTally:
    """What the check found, for reports: numbers traced each way, and untraced ones."""

    references: int = 0  # [[fact:id]] in the prose
    cited_values: int = 0  # numbers equal to a value of a fact of a cited source
    untraced: int = 0
    quotations: int = 0  # quotations checked against their source's words


@dataclass(frozen=True)
class Prose:
    """One piece of Markdown the check reads: a page body or a data value."""

    text: str
    location: Location


def check_facts(
    source_dir: Path, pages: list[Any], data: Any, diags: Diagnostics, claims_source: str | None, reading: Reading
) -> FactTally:
    """Trace the numbers and quotations of every page and data Markdown, read as reading's
    language writes them; findings go to diags."""
    return FactCheck(source_dir, data, diags, claims_source, reading).whole(pages, data, diags)


class FactCheck:
    """What tracing reads of the whole site, read once: the facts' values by source, each
    source's words (sources/<id>.txt read, and checked, here). Any part of the site's texts
    is then checked with it (pages, data), so a caller may check only the parts that changed."""

    def __init__(
        self, source_dir: Path, data: Any, diags: Diagnostics, claims_source: str | None, reading: Reading
    ) -> None:
        self.facts: dict[str, Fact] = getattr(data, "facts", {})
        self.reading, self.claims_source = reading, claims_source
        # What could be traced is unknown: findings would echo that file's error.
        self.off = diags.is_broken("file", "fact") or diags.is_broken("file", "source")
        self.words = {} if self.off else source_words(source_dir, data.sources, self.facts, diags)
        self.values: dict[str, list[float]] = {}  # source id -> the values of its facts
        for fact in self.facts.values():
            if fact.source is not None:
                self.values.setdefault(fact.source.id, []).extend(fact.values)
        self.every = [v for found in self.values.values() for v in found]
        # A fact that could not be read (reported at it) may be what traces a number: none is
        # reported untraced then, so its one mistake is one error.
        self.unknown = any(kind == "fact" for kind, _ in diags.broken)

    def whole(self, pages: list[Any], data: Any, diags: Diagnostics) -> FactTally:
        """The pages and the data."""
        if self.off:
            return FactTally()
        if not self.facts:
            _first_untraced(pages, data, diags, self.reading)
            return FactTally(untraced=1)
        tally = FactTally()
        self.pages(pages, diags, tally)
        self.data(data, diags, tally)
        return tally

    def pages(self, pages: list[Any], diags: Diagnostics, tally: FactTally) -> None:
        """The pages' bodies, titles and summaries."""
        for page in pages:
            self._prose(Prose(page.body, Location(page.source, page.body_line)), diags, tally)
        self._shown(shown_page_texts(pages), diags, tally)

    def data(self, data: Any, diags: Diagnostics, tally: FactTally) -> None:
        """The data's Markdown, its other texts and the numbers it draws, and claims' quotes."""
        for prose in data_prose(data):
            self._prose(prose, diags, tally)
        self._shown(shown_data_texts(data), diags, tally)
        for number, where, cited in shown_numbers(data) if not self.unknown else ():
            known = [v for c in cited for v in self.values.get(c, ())] if cited else self.every
            _check_value(number, where, known, diags, tally, self.reading)
        check_claim_quotes(data, self.words, self.claims_source, diags)

    def _prose(self, prose: Prose, diags: Diagnostics, tally: FactTally) -> None:
        found = blocks(prose.text, prose.location)
        for i, block in enumerate(found):
            raw = block.raw
            if "[[fact:" in raw:
                tally.references += sum(1 for f in block.facts if f in self.facts)
            if not DIGIT_RE.search(raw) and not any(mark in raw for mark in self.reading.opening):
                continue  # nothing to check: most blocks of most sites
            cited = set(block.sources)
            if block.kind in ("heading", "table"):  # their source is usually named beside them
                for other in found[max(i - 1, 0) : i + 2]:
                    cited.update(other.sources)
            elif block.kind == "quote" and not cited and i > 0:  # "X said [@source]:" and the quote
                cited.update(found[i - 1].sources)
            if any(diags.is_broken("source", s) for s in cited):
                continue  # its source could not be read: reported there
            traced = None if self.unknown else [v for s in cited for v in self.values.get(s, ())]
            _check_numbers(block, traced, diags, tally, self.reading)
            quoted_from = block.sources if block.kind != "quote" else sorted(cited)
            _check_quotations(block, quoted_from, self.words, diags, tally, self.reading)

    def _shown(self, texts: Iterator[tuple[str, Location, list[str]]], diags: Diagnostics, tally: FactTally) -> None:
        """Outside the Markdown, a text names its sources less often (a figure's title):
        without one, its numbers must be values of some fact of the site."""
        for text, where, cited in texts:
            if any(diags.is_broken("source", c) for c in cited):
                continue
            for block in blocks(text, where):
                named = cited + block.sources
                known = [v for c in named for v in self.values.get(c, ())] if named else self.every
                _check_numbers(block, None if self.unknown else known, diags, tally, self.reading)


def prose_of(pages: list[Any], data: Any) -> Iterator[Prose]:
    """Every page body, then every Markdown value of the data, in a stable order."""
    for page in pages:
        yield Prose(page.body, Location(page.source, page.body_line))
    yield from data_prose(data)


def data_prose(data: Any) -> Iterator[Prose]:
    """Every Markdown value of the data, in a stable order."""
    seen: set[int] = set()
    for f in fields(data):
        yield from _markdown_in(getattr(data, f.name), seen)


def _markdown_in(value: Any, seen: set[int]) -> Iterator[Prose]:
    """The Markdown values (data.MarkdownText) held anywhere in the loaded data."""
    if id(value) in seen:
        return
    seen.add(id(value))
    if hasattr(value, "text") and hasattr(value, "location") and isinstance(value.text, str):
        yield Prose(value.text, value.location)
    elif isinstance(value, dict):
        for item in value.values():
            yield from _markdown_in(item, seen)
    elif isinstance(value, list):
        for item in value:
            yield from _markdown_in(item, seen)
    elif is_dataclass(value) and not isinstance(value, type):
        for f in fields(value):
            if f.name != "location":
                yield from _markdown_in(getattr(value, f.name), seen)


def _check_value(
    number: float, where: Location, values: list[float], diags: Diagnostics, tally: FactTally, reading: Reading
) -> None:
    """A number the data draws (a bar, a table cell) equals a value of a fact of its sources."""
    if any(same_number(number, False, value) for value in values):
        tally.cited_values += 1
        return
    tally.untraced += 1
    diags.warning(
        where,
        f"number not traced to a fact: {reading.numbers.text(number)} (cite in this entry the source of a fact "
        "that states it, with [@id] in its caption or its `sources`)",
    )


# --- numbers ----------------------------------------------------------------------------


def numbers_of(block: Block, reading: Reading, text: str | None = None) -> Iterator[re.Match[str]]:
    """The numbers of a block that are data (see the module's docstring for what is not).
    text: the block's text with what is not data blanked, if the caller has it (_data_text)."""
    if not DIGIT_RE.search(block.raw):
        return
    text = _data_text(block, reading) if text is None else text
    for m in reading.numbers.point_decimals(text):  # reported once, whole, by _point_decimals
        text = text[: m.start()] + " " * len(m.group(0)) + text[m.end() :]
    labels = [m for m in reading.label.finditer(text) if not _starts_sentence(text, m.start())]
    if labels:
        chars = list(text)
        for m in labels:
            chars[m.start(1) : m.end(1)] = " " * len(m.group(1))
        text = "".join(chars)
    for m in reading.numbers.prose_re.finditer(text):
        before = text[max(m.start() - 2, 0) : m.start()]
        if len(before) == 2 and before[1] in "-/" and before[0].isalpha():
            continue  # part of a name: COVID-19, C57BL/6J
        if text[m.end() : m.end() + 1].isupper():
            continue  # part of a name: 6J, 3D
        if reading.ordinal.match(text, m.end()):
            continue
        yield m


def _first_untraced(pages: list[Any], data: Any, diags: Diagnostics, reading: Reading) -> None:
    """A site without facts cannot trace any number: one warning, at the first, not one per number."""
    for prose in prose_of(pages, data):
        for block in blocks(prose.text, prose.location):
            for m in numbers_of(block, reading):
                diags.warning(
                    block.locate(m.start()),
                    f"number not traced to a fact: {m.group(0)} (the site has no facts yet, so no number "
                    "can be traced: add data/facts.yaml, see docs/editing.md; this is the first of its numbers)",
                )
                return


def _starts_sentence(text: str, index: int) -> bool:
    while index > 0 and text[index - 1].isspace():
        index -= 1
    return index == 0 or text[index - 1] in ".!?:|"


def _data_text(block: Block, reading: Reading) -> str:
    """The block's text with what is not data (dates, confidence levels) blanked."""
    return reading.not_data.sub(lambda m: " " * len(m.group(0)), block.text)


def _point_decimals(block: Block, reading: Reading, diags: Diagnostics, text: str) -> None:
    """ "0.03" in a language that writes "0,03": said so, instead of two numbers 0 and 03 untraced."""
    numbers = reading.numbers
    for m in numbers.point_decimals(text):
        written, language = m.group(0), numbers.language_name
        diags.warning(
            block.locate(m.start()),
            f"{written} has a decimal point: in {language} (the site's language), write "
            f"{numbers.with_decimal_sign(written)}; a number that is not data, such as a version: "
            f"write \\{written.lstrip('-+')}",
        )


def _check_numbers(
    block: Block, values: list[float] | None, diags: Diagnostics, tally: FactTally, reading: Reading
) -> None:
    """values: those of the facts of the sources cited in or beside the block (None: not
    known, as a fact could not be read; only how numbers are written is checked)."""
    if not DIGIT_RE.search(block.raw):
        return
    text = _data_text(block, reading)  # one pass of the language's big pattern, for both
    if "." in block.text:
        _point_decimals(block, reading, diags, text)
    if values is None:
        return
    for m in numbers_of(block, reading, text):
        written = reading.numbers.parse(m.group(1), m.group(2), m.group(3))
        signed = bool(m.group(1))
        if any(same_number(written, signed, value) for value in values):
            tally.cited_values += 1
            continue
        tally.untraced += 1
        shown = m.group(0)
        diags.warning(
            block.locate(m.start()),
            f"number not traced to a fact: {shown} (print it with [[fact:id]], or cite in this paragraph "
            f"the source of a fact that states it; a number that is not data: write \\{shown.lstrip('-+')})",
        )


def _check_quotations(
    block: Block, cited: list[str], words: dict[str, str], diags: Diagnostics, tally: FactTally, reading: Reading
) -> None:
    """cited: the block's sources (a blockquote's: its own, or those its lead-in cites)."""
    if not cited or not any(mark in block.raw for mark in reading.opening):
        return  # not attributed: scare quotes, a title; only quotations of a cited source are checked
    for m in reading.quotation.finditer(block.text):
        if m.group(1).strip():
            tally.quotations += 1
            judge_quotation("quotation", m.group(1), cited, words, block.locate(m.start()), diags)


if __name__ == "__main__":  # python -m explainer.checks.numbers [SOURCE]: how each number is traced
    import sys

    from ..kinds.data import load_data
    from ..kinds.pages import load_pages
    from ..load.config import load_site_config

    source = Path(sys.argv[1] if len(sys.argv) > 1 else "site_src")
    found = Diagnostics()
    site_config = load_site_config(source, found)
    if site_config is None:
        for item in found.sorted():
            print(item, file=sys.stderr)
        sys.exit(1)
    site_data = load_data(source, found, language=site_config.language)
    pages_found = load_pages(source, found)
    tally = check_facts(source, pages_found, site_data, found, site_config.claims_source, reading_of(site_config))
    for item in found.sorted():
        print(item, file=sys.stderr)
    print(
        f"{len(getattr(site_data, 'facts', {}))} facts; numbers in the prose: {tally.references} fact "
        f"references, {tally.cited_values} cited values, {tally.untraced} untraced; "
        f"{tally.quotations} quotations checked"
    )
