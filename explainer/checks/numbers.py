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
from ..core.files import source_files
from ..core.suggest import did_you_mean
from ..core.yamlio import decode_utf8
from ..kinds.facts import Fact, same_number
from ..markdown.prose import Block, blocks
from .language import Reading, reading_for, reading_of
from .shown import shown_numbers, shown_texts

SOURCE_TEXT_DIR = "sources"
__all__ = ["Reading", "check_facts", "reading_for", "reading_of"]
DIGIT_RE = re.compile(r"\d")
GAP_RE = re.compile(r"\.\.\.|\u2026|\[[^\]]*\]")  # an elision or an editor's insertion
# Quotation marks as the source's words are compared: every language's marks are one kind.
NORMAL_CHARS = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u00ab": '"',
        "\u00bb": '"',
        "\u201e": '"',
        "\u2013": "-",
        "\u2014": "-",
        "\u00a0": " ",
        "\u202f": " ",
    }
)


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
    facts: dict[str, Fact] = getattr(data, "facts", {})
    if diags.is_broken("file", "fact") or diags.is_broken("file", "source"):
        return FactTally()  # what could be traced is unknown: findings would echo that file's error
    words = source_words(source_dir, data.sources, facts, diags)
    if not facts:
        _first_untraced(pages, data, diags, reading)
        return FactTally(untraced=1)
    values: dict[str, list[float]] = {}  # source id -> the values of its facts
    for fact in facts.values():
        if fact.source is not None:
            values.setdefault(fact.source.id, []).extend(fact.values)
    tally = FactTally()
    # A fact that could not be read (reported at it) may be what traces a number: none is
    # reported untraced then, so its one mistake is one error.
    unknown = any(kind == "fact" for kind, _ in diags.broken)
    for prose in prose_of(pages, data):
        found = blocks(prose.text, prose.location)
        for i, block in enumerate(found):
            raw = block.raw
            if "[[fact:" in raw:
                tally.references += sum(1 for f in block.facts if f in facts)
            if not DIGIT_RE.search(raw) and not any(mark in raw for mark in reading.opening):
                continue  # nothing to check: most blocks of most sites
            cited = set(block.sources)
            if block.kind in ("heading", "table"):  # their source is usually named beside them
                for other in found[max(i - 1, 0) : i + 2]:
                    cited.update(other.sources)
            elif block.kind == "quote" and not cited and i > 0:  # "X said [@source]:" and the quote
                cited.update(found[i - 1].sources)
            if any(diags.is_broken("source", s) for s in cited):
                continue  # its source could not be read: reported there
            traced = None if unknown else [v for s in cited for v in values.get(s, ())]
            _check_numbers(block, traced, diags, tally, reading)
            quoted_from = block.sources if block.kind != "quote" else sorted(cited)
            _check_quotations(block, quoted_from, words, diags, tally, reading)
    # Outside the Markdown, a text names its sources less often (a figure's title): without
    # one, its numbers must be values of some fact of the site.
    every = [v for found in values.values() for v in found]
    for text, where, cited in shown_texts(pages, data):
        if any(diags.is_broken("source", c) for c in cited):
            continue
        for block in blocks(text, where):
            named = cited + block.sources
            known = [v for c in named for v in values.get(c, ())] if named else every
            _check_numbers(block, None if unknown else known, diags, tally, reading)
    for number, where, cited in shown_numbers(data) if not unknown else ():
        known = [v for c in cited for v in values.get(c, ())] if cited else every
        _check_value(number, where, known, diags, tally, reading)
    _check_claim_quotes(data, words, claims_source, diags)
    return tally


def prose_of(pages: list[Any], data: Any) -> Iterator[Prose]:
    """Every page body, then every Markdown value of the data, in a stable order."""
    for page in pages:
        yield Prose(page.body, Location(page.source, page.body_line))
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


def numbers_of(block: Block, reading: Reading) -> Iterator[re.Match[str]]:
    """The numbers of a block that are data (see the module's docstring for what is not)."""
    if not DIGIT_RE.search(block.raw):
        return
    text = reading.not_data.sub(lambda m: " " * len(m.group(0)), block.text)
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


def _point_decimals(block: Block, reading: Reading, diags: Diagnostics) -> None:
    """ "0.03" in a language that writes "0,03": said so, instead of two numbers 0 and 03 untraced."""
    numbers = reading.numbers
    text = reading.not_data.sub(lambda m: " " * len(m.group(0)), block.text)
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
    if "." in block.text:
        _point_decimals(block, reading, diags)
    if values is None:
        return
    for m in numbers_of(block, reading):
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


# --- quotations -------------------------------------------------------------------------


def source_words(
    source_dir: Path, sources: dict[str, Any], facts: dict[str, Fact], diags: Diagnostics
) -> dict[str, str]:
    """Each source's known words, normalised: its facts' words, plus `sources/<id>.txt`.
    A fact's `noted` (our notes of the source, not its words) is never one of them."""
    words: dict[str, list[str]] = {}
    for fact in facts.values():
        if fact.source is not None and fact.words:
            words.setdefault(fact.source.id, []).append(fact.words)
    folder = source_dir / SOURCE_TEXT_DIR
    for path in source_files(folder, ".txt", diags, root=source_dir, recursive=False):
        if path.stem not in sources:
            if diags.is_broken("source", path.stem):
                continue  # sources.yaml could not be read: reported there
            diags.error(
                Location(path),
                f"no source with id '{path.stem}' for this text{did_you_mean(path.stem, sources)}: "
                "name the file after a source id in sources.yaml",
            )
            continue
        try:
            text = decode_utf8(path.read_bytes(), path)
        except Exception as exc:  # noqa: BLE001 - SiteError for bad UTF-8, OSError for a bad file
            diags.error(getattr(exc, "location", Location(path)), str(getattr(exc, "message", exc)))
            continue
        _check_fact_words(path, normalise(text), facts, diags)
        words.setdefault(path.stem, []).append(text)
    return {source_id: normalise("\n".join(texts)) for source_id, texts in words.items()}


def _check_fact_words(path: Path, text: str, facts: dict[str, Fact], diags: Diagnostics) -> None:
    """With a source's full text at hand, its facts' words must be in it (their notes need not be)."""
    for fact in facts.values():
        if fact.source is None or fact.source.id != path.stem or not fact.words:
            continue
        if not quoted_in(fact.words, text):
            diags.error(
                fact.location,
                f"the words of fact '{fact.id}' are not in sources/{path.name}: copy them exactly from the text",
            )


def normalise(text: str) -> str:
    """Text as quotations compare it: one kind of quote mark and dash, single spaces."""
    return " ".join(text.translate(NORMAL_CHARS).replace("---", "-").replace("--", "-").split())


def quoted_in(quotation: str, words: str) -> bool:
    """A quotation matches words when each of its parts (between elisions `...` and
    insertions `[...]`) is in them exactly; only a part's first letter may change case."""
    parts = [normalise(p).strip(" ,.;:") for p in GAP_RE.split(quotation)]
    parts = [p for p in parts if p]
    return bool(parts) and all(p in words or (p[0].swapcase() + p[1:]) in words for p in parts)


def _check_quotations(
    block: Block, cited: list[str], words: dict[str, str], diags: Diagnostics, tally: FactTally, reading: Reading
) -> None:
    """cited: the block's sources (a blockquote's: its own, or those its lead-in cites)."""
    if not cited or not any(mark in block.raw for mark in reading.opening):
        return  # not attributed: scare quotes, a title; only quotations of a cited source are checked
    for m in reading.quotation.finditer(block.text):
        if m.group(1).strip():
            tally.quotations += 1
            _judge_quotation("quotation", m.group(1), cited, words, block.locate(m.start()), diags)


def _check_claim_quotes(data: Any, words: dict[str, str], claims_source: str | None, diags: Diagnostics) -> None:
    """A claim's quote is the words of the site's claims source (the news story) or of one of its sources."""
    for claim in getattr(data, "claims", {}).values():
        candidates = [s for s in [claims_source, *(s.id for s in claim.sources)] if s]
        if not any(s in words for s in candidates):
            continue  # checked once the site keeps the story's words (sources/<claims_source>.txt)
        if not any(diags.is_broken("source", s) for s in candidates):
            _judge_quotation("claim quote", claim.quote, candidates, words, claim.location, diags)


def _judge_quotation(
    what: str, quotation: str, sources: list[str], words: dict[str, str], where: Location, diags: Diagnostics
) -> None:
    """Matches the words of one of the sources: fine. Misquoted only when every source's
    words are known; otherwise it cannot be checked (a warning)."""
    sources = list(dict.fromkeys(sources))
    if any(quoted_in(quotation, words[s]) for s in sources if s in words):
        return
    names = ", ".join(f"'{s}'" for s in sources)
    if all(s in words for s in sources):
        fix = (
            "copy it exactly"
            if what == "claim quote"
            else "quote exactly; mark a cut with ... and an insertion with [brackets]"
        )
        diags.error(where, f'{what} does not match the words of source {names}: "{_short(quotation)}" ({fix})')
    else:
        diags.warning(
            where,
            f"{what} cannot be checked: no fact of source {names} gives these words and the site keeps no "
            f'sources/<id>.txt with them: "{_short(quotation)}"',
        )


def _short(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "\u2026"


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
