"""Did you mean: the nearest of the known words to one written wrong, for every message
that offers a correction (unknown keys, ids, kinds, links, anchors, reference syntax)."""

from __future__ import annotations

import difflib
from collections.abc import Iterable


def nearest(word: str, known: Iterable[str]) -> str | None:
    """The known word closest to `word`, if any is close enough to be what was meant."""
    found = difflib.get_close_matches(word, list(known), n=1)
    return found[0] if found else None


def did_you_mean(word: str, known: Iterable[str], prefix: str = "") -> str:
    """ "; did you mean 'x'?" (x written after `prefix`, as "/" or "#"), or "" when nothing is close."""
    hint = nearest(word, known)
    return f"; did you mean '{prefix}{hint}'?" if hint is not None else ""


LISTED_IDS = 15  # more valid ids than this are not listed in a message: the hint alone


def suggest_id(word: str, known: set[str] | dict) -> str:
    """The nearest known id, and every known id when there are few enough to read."""
    names = sorted(known) if isinstance(known, set) else list(known)
    listed = f" (known ids: {', '.join(names)})" if 0 < len(names) <= LISTED_IDS else ""
    if not names:
        listed = " (there are none yet)"
    return did_you_mean(word, names) + listed
