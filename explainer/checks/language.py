"""Check stage: how the number and quotation checks read one language's prose: its numbers
(load.numbers), what is not data (dates with its month names, ordinals, confidence levels),
labels ("Week 4", "Semaine 4") and quotations in its marks (the strings file's `quote`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Any

from ..load.numbers import NumberFormat, for_language

ENGLISH_MONTHS = (
    "January|February|March|April|May|June|July|August|September|October|November|December"
    "|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec"
)
# Ordinals' endings, per language: 1st, 2nd; 1er, 2e, 3ème. English's for any other.
ORDINALS = {"en": r"st|nd|rd|th", "fr": r"er|re|res|ers|e|es|ème|èmes|eme|ᵉ|ᵉʳ|ʳᵉ", "de": r"\\.(?=\\s)"}
UPPER = "A-Z\u00c0-\u00d6\u00d8-\u00de"  # capitals, with Latin-1's accented ones (Étape, Ère)


@dataclass(frozen=True)
class Reading:
    """How the check reads the prose of one language: its numbers (NumberFormat), what is
    not data (dates with its month names, ordinals, confidence levels), labels ("Week 4",
    "Semaine 4") and quotations in its marks (from the strings file's `quote`)."""

    numbers: NumberFormat
    not_data: re.Pattern[str]
    label: re.Pattern[str]
    ordinal: re.Pattern[str]
    quotation: re.Pattern[str]
    opening: str  # the characters that open a quotation


def reading_for(language: str, months: list[str] | tuple[str, ...] = (), quote: str = "\u201c{text}\u201d") -> Reading:
    """The Reading of a language; months: its month names (strings file), quote: its
    quotation pattern (strings file's `quote`, {text} marking the words)."""
    return _reading(language, tuple(months), quote)


@cache
def _reading(language: str, months: tuple[str, ...], quote: str) -> Reading:
    numbers = for_language(language)
    base = language.split("-")[0].lower()
    names = sorted({*ENGLISH_MONTHS.split("|"), *months, *_month_names(numbers.locale)}, key=len, reverse=True)
    month = "|".join(re.escape(m.rstrip(".")) for m in names if m)
    dec = re.escape(numbers.decimal)
    not_data = re.compile(
        "|".join(
            [
                r"\b\d{4}-\d{2}-\d{2}\b",
                rf"\b(?:{month})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}\b",
                rf"\b\d{{1,2}}(?:st|nd|rd|th|er|ᵉʳ)?\.?\s+(?:{month})\b\.?(?:\s+\d{{4}}\b)?",
                rf"\b(?:{month})\b\.?\s+\d{{4}}\b",
                # years, 1800-2099, followed by anything but more of a number ("En 2022," passes)
                rf"(?<![\d,.])(?:1[89]\d\d|20\d\d)(?!\d|[,.]\d|{dec}\d|\s?%)",
                r"(?<![\d,.])\d{2}(?:[.,]\d+)?\s?%(?=\s?(?:CI\b|confidence\b))",  # 95% CI
                r"\b(?:IC|CI)(?:\s+(?:à|a|de|at))?\s+\d{2}(?:[.,]\d+)?\s?%",  # IC à 95 %
            ]
        ),
        re.I,
    )
    opening, closing = _marks(quote)
    quotation = re.compile(
        rf"[\"{re.escape(opening)}]\s*([^\"{re.escape(opening + closing)}]+?)\s*[\"{re.escape(closing)}]"
    )
    return Reading(
        numbers=numbers,
        not_data=not_data,
        label=re.compile(rf"\b[{UPPER}][^\W\d_]*\s+(\d+)\b(?![.,]\d|\s?%)"),
        ordinal=re.compile(rf"(?:{ORDINALS.get(base, ORDINALS['en'])})\b"),
        quotation=quotation,
        opening='"' + opening,
    )


def reading_of(config: Any) -> Reading:
    """The Reading of a site: its language, the month names and quotation marks of its strings."""
    strings = config.strings
    return reading_for(config.language, strings.texts.get("months") or (), strings.pattern("quote"))


def _month_names(locale: str) -> list[str]:
    from babel.dates import get_month_names

    try:
        months = get_month_names("abbreviated", locale=locale), get_month_names("wide", locale=locale)
        return [name for names in months for name in names.values()]
    except (ValueError, LookupError):
        return []


def _marks(quote: str) -> tuple[str, str]:
    """The opening and closing marks of a quotation pattern ("«\u00a0{text}\u00a0»" -> « and »),
    with English's double quotes, which editors type in any language."""
    before, _, after = quote.partition("{text}")
    return "".join(dict.fromkeys(before.strip() + "\u201c")), "".join(dict.fromkeys(after.strip() + "\u201d"))
