"""Stage 1, config: numbers as the site's language writes them, read and printed with
Babel (the Unicode CLDR's data): the decimal sign, the thousands separator and where the
percent sign goes ("1.4%" and "2,500" in English, "1,4 %" and "2 500" in French, each
with the no-break space CLDR gives).

Data files write numbers as YAML does, whatever the language (`value: 1.4`); figures,
tables and fact cards print them with `NumberFormat.text`, and the number check reads
prose with `NumberFormat.prose_re`, so both sides agree on what a number is.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from typing import Any

from babel import Locale, UnknownLocaleError
from babel.numbers import format_decimal, format_percent, get_decimal_symbol, get_group_symbol

MINUS = "\u2212"  # a true minus sign, which reads better than a hyphen
SPACES = " \u00a0\u202f"  # a space, a no-break space, a narrow no-break space: one separator to a reader


@dataclass(frozen=True)
class NumberFormat:
    """How one language writes numbers. `locale` is Babel's name of it (fr, en_GB)."""

    locale: str
    decimal: str
    group: str

    def text(self, value: float, unit: str = "", change: bool = False, grouped: bool = True) -> str:
        """value as the language writes it, exactly as the data has it (never rounded), with
        its unit; "%" is placed as the language places it. A sign "+" only for a change."""
        if not math.isfinite(value):
            return str(value)  # refused where the data is checked; never drawn
        exact = Decimal(int(value)) if value == int(value) and abs(value) < 1e15 else Decimal(repr(float(value)))
        if unit == "%":
            shown = format_percent(exact / 100, locale=self.locale, decimal_quantization=False, group_separator=grouped)
        else:
            shown = format_decimal(exact, locale=self.locale, decimal_quantization=False, group_separator=grouped)
            shown += unit
        shown = shown.replace("-", MINUS)
        return f"+{shown}" if change and value > 0 else shown

    def shown(self, value: Any) -> Any:
        """For templates: a number of the data (a table's cell) as text; anything else as it is."""
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return self.text(value)
        return value

    @property
    def prose_re(self) -> re.Pattern[str]:
        """A number as prose writes it: groups (1): its sign, (2): the whole part, with or
        without thousands separators, (3): its decimals, with the decimal sign."""
        return _prose_re(self.decimal, self.group)

    @property
    def language_name(self) -> str:
        """The language's name in English, for messages ("French")."""
        return Locale.parse(self.locale).get_display_name("en") or self.locale

    def point_decimals(self, text: str) -> list[re.Match[str]]:
        """Numbers written with a decimal point ("0.03") in a language that writes its
        decimals with another sign ("0,03" in French), where the point is no thousands
        separator either; a version or address ("1.2.3") is none of them."""
        if "." in (self.decimal, self.group) or "." not in text:
            return []
        return list(_POINT_DECIMAL_RE.finditer(text))

    def with_decimal_sign(self, written: str) -> str:
        """A number written with a decimal point, written with the language's sign instead."""
        return written.replace(".", self.decimal)

    def parse(self, sign: str, whole: str, decimals: str | None) -> float:
        """The groups of a prose_re match as a float (`-1,234.5` in English, `2 500,5` in French)."""
        digits = re.sub(r"\D", "", whole)
        value = float(digits + ("." + decimals[1:] if decimals else ""))
        return -value if sign in ("-", MINUS) else value


_POINT_DECIMAL_RE = re.compile(rf"(?<![\w.,])[-+{MINUS}]?\d+\.\d+(?![.,]?\d)(?!\.\w)")


@cache
def _prose_re(decimal: str, group: str) -> re.Pattern[str]:
    groups = re.escape(group) if group not in SPACES else f"[{SPACES}]"
    dec = re.escape(decimal)
    # Not inside a word or another number; a separator is only one when three digits follow.
    return re.compile(rf"(?<![\w.,])([-+{MINUS}]?)(\d{{1,3}}(?:{groups}\d{{3}})+(?!\d)|\d+)({dec}\d+)?")


@cache
def number_format(language: str) -> NumberFormat | None:
    """The format of a language tag (`fr`, `fr-CA`, `en`); None when CLDR does not know it."""
    try:
        locale = str(Locale.parse(language.replace("-", "_")))
    except (UnknownLocaleError, ValueError):
        return None
    return NumberFormat(locale, get_decimal_symbol(locale), get_group_symbol(locale))


ENGLISH = NumberFormat("en", ".", ",")


def for_language(language: str) -> NumberFormat:
    """number_format, or English's for a language CLDR does not know (config warns about it)."""
    return number_format(language) or ENGLISH
