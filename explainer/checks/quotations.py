"""Check stage: every quotation is a source's exact words. A source's words are its facts'
`words` and the full text a site may keep in `sources/<source-id>.txt`; a quotation
matches when each of its parts (between elisions and insertions) is in them exactly.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from ..core.errors import Diagnostics, Location
from ..core.files import source_files
from ..core.suggest import did_you_mean
from ..core.yamlio import decode_utf8
from ..kinds.facts import Fact

SOURCE_TEXT_DIR = "sources"
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


def check_claim_quotes(data: Any, words: dict[str, str], claims_source: str | None, diags: Diagnostics) -> None:
    """A claim's quote is the words of the site's claims source (the news story) or of one of its sources."""
    for claim in getattr(data, "claims", {}).values():
        candidates = [s for s in [claims_source, *(s.id for s in claim.sources)] if s]
        if not any(s in words for s in candidates):
            continue  # checked once the site keeps the story's words (sources/<claims_source>.txt)
        if not any(diags.is_broken("source", s) for s in candidates):
            judge_quotation("claim quote", claim.quote, candidates, words, claim.location, diags)


def judge_quotation(
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
