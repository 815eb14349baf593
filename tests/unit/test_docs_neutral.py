"""The editors' docs, the README and the theme's strings speak of no one story: their
examples are one made-up explainer (the bus lanes of `explainer new`), never the first
site's mouse study. The words are taken from that site itself, so a term or source it
adds is caught too."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
SITE_DATA = ROOT / "site_src" / "data"
CHECKED = sorted([*(ROOT / "docs").glob("*.md"), ROOT / "README.md", *(ROOT / "templates" / "strings").glob("*.yaml")])

# Words of the first site's story that its data does not hold as an id or a term.
EXPLICIT = (
    "mouse", "mice", "murine", "rodent", "bone", "bones", "marrow", "osteoporosis",
    "osteoporotic", "Styner", "Pagnotti", "exercise", "obese", "obesity", "diet", "diets",
    "fat", "HealthDay", "J Bone Miner Res",
    # the same in French, for the French strings
    "souris", "moelle", "ostéoporose", "osseux", "osseuse", "graisse",
)  # fmt: skip
# Glossary entries of the first site that are every explainer's vocabulary (kinds of
# study, statistics): the docs name them as the generator's own (source kinds, ...).
GENERAL_TERMS = frozenset(
    {
        "randomised-trial", "cross-sectional-study", "cohort-study", "meta-analysis",
        "systematic-review", "correlation", "p-value", "statistically-significant",
        "confidence-interval", "odds-ratio", "relative-risk", "rate-ratio",
        "standardised-mean-difference", "press-release",
    }
)  # fmt: skip
# The only lines that may name the first site's story: where the README says what it is.
ALLOWED = (("README.md", "a 2017 study in mice (Styner et al., J Bone Miner Res)"),)


def _entries(name: str) -> list[dict[str, object]]:
    data = yaml.safe_load((SITE_DATA / name).read_text(encoding="utf-8"))
    assert isinstance(data, list) and data, f"site_src/data/{name} holds no entries"
    return data


def story_words() -> set[str]:
    """The first site's source ids and kinds, its glossary's ids, terms and aliases (less
    the general ones), and the explicit words."""
    words = {str(source["id"]) for source in _entries("sources.yaml")}
    words |= {str(kind["name"]) for kind in _entries("source-kinds.yaml")}
    for entry in _entries("glossary.yaml"):
        if entry["id"] not in GENERAL_TERMS:
            words |= {str(entry["id"]), str(entry["term"]), *map(str, entry.get("aliases") or [])}
    return words | set(EXPLICIT)


def _pattern(words: set[str]) -> re.Pattern[str]:
    alternatives = sorted((re.escape(word) for word in words), key=len, reverse=True)
    return re.compile(r"(?<!\w)(?:" + "|".join(alternatives) + r")(?!\w)", re.IGNORECASE)


def story_hits(name: str, text: str, pattern: re.Pattern[str]) -> list[str]:
    """`name:line: 'word'` for each story word of text, less the allowed lines of name."""
    allowed = [fragment for file, fragment in ALLOWED if file == name]
    hits = []
    for number, line in enumerate(text.splitlines(), 1):
        if not any(fragment in line for fragment in allowed):
            hits += [f"{name}:{number}: {m.group(0)!r}" for m in pattern.finditer(line)]
    return hits


def test_the_story_words_come_from_the_first_site() -> None:
    words = story_words()
    assert {"styner2017", "marrow adipose tissue", "bone mineral density", "BMD", "mouse study"} <= words
    assert "randomised trial" not in words  # a built-in source kind, every site's word


def test_docs_readme_and_theme_strings_name_no_word_of_the_first_story() -> None:
    assert len(CHECKED) >= 5, CHECKED  # docs/*.md, README.md, the strings files
    pattern = _pattern(story_words())
    hits = [
        hit
        for path in CHECKED
        for hit in story_hits(str(path.relative_to(ROOT)), path.read_text(encoding="utf-8"), pattern)
    ]
    assert not hits, "words of the first site's story (use the bus-lanes example):\n" + "\n".join(hits)


def test_the_check_finds_a_story_word_and_skips_only_the_allowed_line() -> None:
    text = (
        "Cite it [@styner2017].\nThe first site: a 2017 study in mice (Styner et al., J Bone Miner Res).\n"
        "Buses on Main Street.\nBone-marrow fat.\n"
    )
    pattern = _pattern(story_words())
    elsewhere = story_hits("docs/editing.md", text, pattern)
    assert elsewhere[:2] == ["docs/editing.md:1: 'styner2017'", "docs/editing.md:2: 'mice'"]  # allowed in README only
    assert story_hits("README.md", text, pattern) == [
        "README.md:1: 'styner2017'",
        "README.md:4: 'Bone'",
        "README.md:4: 'marrow fat'",
    ]
