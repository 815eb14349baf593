"""Stage 1, config: the interface language. Every word the theme prints that an editor
did not write (menu labels, headings of generated pages, search texts, dates) comes from
one strings file per language: `strings/<language>.yaml` in the theme, with any keys a
site changes in its own `strings/<language>.yaml` on top.

May read the theme's and the site's strings files; touches nothing else.
"""

from __future__ import annotations

import re
import string
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from markupsafe import Markup

from ..core.errors import Diagnostics, Location, SiteError
from ..core.schema import describe
from ..core.suggest import did_you_mean
from ..core.yamlio import YMap, YSeq, load_yaml_file

STRINGS_DIR = "strings"
# An apostrophe between two letters (l'étude, the study's), as Markdown's smarty extension
# writes it in pages: the same in every text a page shows, whether Markdown or YAML.
APOSTROPHE_RE = re.compile(r"(?<=[^\W\d_])'(?=[^\W\d_])")


def apostrophes(text: str) -> str:
    """Straight apostrophes inside words as typographic ones (’)."""
    return APOSTROPHE_RE.sub("\u2019", text) if "'" in text else text


# The keys whose value is not one text: `months` (twelve names) and plurals ({one, other}).
MONTHS = "months"
PLURAL_FORMS = ("one", "other")


@dataclass(frozen=True)
class Strings:
    """The interface texts of one language. Templates call it: `t("nav_home")`,
    `t("search_count", count=3)`; Python asks `text(...)` for plain text."""

    language: str
    texts: dict[str, Any] = field(default_factory=dict)
    # t("key") without values, as drawn once: the same on every page (filled on first use).
    _plain: dict[str, Markup] = field(default_factory=dict, compare=False, repr=False)

    def text(self, key: str, count: int | None = None, **values: Any) -> str:
        return self._pick(key, count).format(count=count, **values)

    def pattern(self, key: str) -> str:
        """The text with its {placeholders} not filled in (for Python code that fills them)."""
        return self._pick(key, None)

    def __call__(self, key: str, count: int | None = None, **values: Any) -> Markup:
        # The text is the theme's or the site's own file; the values are escaped by format.
        if count is None and not values:
            plain = self._plain.get(key)
            if plain is None:
                plain = self._plain[key] = Markup.escape(self._pick(key, count)).format(count=count)
            return plain
        shown = {
            k: apostrophes(v) if isinstance(v, str) and not isinstance(v, Markup) else v for k, v in values.items()
        }
        return Markup.escape(self._pick(key, count)).format(count=count, **shown)

    def _pick(self, key: str, count: int | None) -> str:
        if key not in self.texts or key == MONTHS:
            import jinja2

            # Raised inside a template: the template stage reports it at the template's line.
            raise jinja2.UndefinedError(
                f"no interface string '{key}' in strings/{self.language}.yaml{did_you_mean(key, self.texts)}"
            )
        value = self.texts[key]
        if isinstance(value, dict):
            return value["one"] if count is not None and self.is_one(count) else value["other"]
        return value

    def quote(self, text: str) -> str:
        """text in the language's quotation marks, with their spacing (`quote` in the strings
        file: “…” in English, « … » with no-break spaces in French)."""
        return self.text("quote", text=apostrophes(text))

    def is_one(self, count: int) -> bool:
        """Which counts take the singular: 1 in English, 0 and 1 in French."""
        return count in (0, 1) if self.base == "fr" else count == 1

    @property
    def base(self) -> str:
        return self.language.split("-")[0].lower()

    def date(self, iso: str) -> str:
        """An ISO date (YYYY-MM-DD) as the language writes it, e.g. 25 November 2026."""
        day = date.fromisoformat(str(iso))
        return self.text("date", day=day.day, month=self.texts[MONTHS][day.month - 1], year=day.year)

    def for_script(self, *keys: str) -> dict[str, str]:
        """Texts for the theme's JavaScript, as data-* attributes (the CSP allows no inline script)."""
        out = {}
        for key in keys:
            value = self.texts[key]
            forms = value.items() if isinstance(value, dict) else [("", value)]
            for form, text in forms:
                out[f"data-{key.replace('_', '-')}{'-' + form if form else ''}"] = text
        return out


# A BCP 47 tag as sites write them: a language, then subtags (script, region, variant).
LANGUAGE_TAG = re.compile(r"[a-z]{2,3}(-[A-Za-z0-9]{2,8}){0,3}")


def load_strings(language: str, where: Location, theme_dirs: Iterable[Path], diags: Diagnostics) -> Strings | None:
    """The texts for language: the built-in theme's file, then each later folder's file
    (the swapped theme's, the site's) changing the keys it names. theme_dirs: folders that
    may hold `strings/`, from the built-in theme to the site, in that order."""
    if not LANGUAGE_TAG.fullmatch(language):  # it names a file: never a path
        diags.error(
            where,
            f"'{language}' is not a language tag: write one such as en, fr or pt-BR "
            "(its interface texts are strings/<tag>.yaml of the theme or the site)",
        )
        return None
    found = [d / STRINGS_DIR / f"{name}.yaml" for d in theme_dirs for name in _names(language)]
    files = [p for p in found if p.is_file()]
    if not files:
        shipped = sorted({p.stem for d in theme_dirs for p in (d / STRINGS_DIR).glob("*.yaml")})
        diags.error(
            where,
            f"no interface strings for language '{language}': the theme has {', '.join(shipped) or 'none'}; "
            f"use one of those, or add strings/{language}.yaml beside site.yaml with every key of en.yaml",
        )
        return None
    texts: dict[str, Any] = {}
    before = len(diags.errors)
    for index, path in enumerate(files):
        _merge(path, texts, diags, first=index == 0)
    reference = texts if files[0].name == "en.yaml" and files[0] == _reference_file(theme_dirs) else None
    missing = sorted(set(reference or _reference_keys(theme_dirs)) - set(texts))  # en.yaml is read once
    if missing and len(diags.errors) == before:
        listed = ", ".join(missing)
        diags.error(
            Location(files[-1]), f"interface strings missing for '{language}': {listed} (copy them from en.yaml)"
        )
    return Strings(language, texts) if len(diags.errors) == before else None


def _names(language: str) -> list[str]:
    """fr-CA reads fr.yaml, then fr-CA.yaml on top."""
    base = language.split("-")[0]
    return [base, language] if base != language else [language]


def _reference_file(theme_dirs: Iterable[Path]) -> Path | None:
    return next((d / STRINGS_DIR / "en.yaml" for d in theme_dirs if (d / STRINGS_DIR / "en.yaml").is_file()), None)


def _reference_keys(theme_dirs: Iterable[Path]) -> list[str]:
    """The keys every language must have: those of the first English file found."""
    path = _reference_file(theme_dirs)
    if path is None:
        return []
    try:
        raw = load_yaml_file(path)
    except SiteError:
        return []
    return list(raw) if isinstance(raw, dict) else []


def _merge(path: Path, texts: dict[str, Any], diags: Diagnostics, first: bool) -> None:
    """Check one strings file and copy its keys into texts. A later file may only change
    keys the first one has (a misspelt key would otherwise be silently ignored)."""
    try:
        raw = load_yaml_file(path)
    except SiteError as exc:
        diags.add(exc)
        return
    if not isinstance(raw, YMap):
        diags.error(Location(path), f"a strings file is a mapping of names to texts, not {describe(raw)}")
        return
    for key, value in raw.items():
        if not first and key not in texts:
            diags.error(raw.loc(key), f"unknown interface string '{key}'{did_you_mean(key, texts)}")
            continue
        problem = _check_value(key, value) or (None if first else _placeholder_problem(value, texts[key]))
        if problem:
            diags.error(raw.value_loc(key), f"'{key}': {problem}")
            continue
        texts[key] = dict(value) if isinstance(value, dict) else list(value) if isinstance(value, list) else value


def _check_value(key: str, value: Any) -> str | None:
    if key == MONTHS:
        if not isinstance(value, YSeq) or len(value) != 12 or not all(isinstance(m, str) for m in value):
            return "needs the twelve month names, January first, as a list"
        return None
    if isinstance(value, dict):
        if sorted(value) != sorted(PLURAL_FORMS) or not all(isinstance(v, str) for v in value.values()):
            return "a text with a count has two forms: one: (for a single thing) and other:"
        return None
    if not isinstance(value, str):
        return f"needs a text in quotes, not {describe(value)}"
    try:
        names = placeholders(value)
    except ValueError as exc:
        return f"has a stray '{{' or '}}' ({exc}); placeholders look like {{count}}"
    odd = next((n for n in names if not n.isidentifier()), None)
    if odd is not None:
        return f"'{{{odd}}}' is not a placeholder: placeholders are plain names such as {{count}}, nothing after them"
    return None


def placeholders(text: str) -> list[str]:
    """The {name} placeholders of a text, as written ({x.y} and {x!r} included, to refuse them)."""
    found = []
    for _, name, spec, conversion in string.Formatter().parse(text):
        if name is not None:
            found.append(name + (f"!{conversion}" if conversion else "") + (f":{spec}" if spec else ""))
    return found


def _placeholder_problem(value: Any, theme: Any) -> str | None:
    """A text may use only the placeholders the theme's own text of that key fills in."""
    pairs = (
        list(zip(value.values(), theme.values(), strict=False))
        if isinstance(value, dict) and isinstance(theme, dict)
        else [(value, theme)]
    )
    for mine, theirs in pairs:
        if not isinstance(mine, str) or not isinstance(theirs, str):
            continue
        known = set(placeholders(theirs))
        unknown = [n for n in placeholders(mine) if n not in known]
        if unknown:
            offer = ", ".join(f"{{{n}}}" for n in sorted(known)) or "none"
            return f"unknown placeholder '{{{unknown[0]}}}': the theme fills in {offer} here"
    return None
