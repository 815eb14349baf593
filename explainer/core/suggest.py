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
    """"; did you mean 'x'?" (x written after `prefix`, as "/" or "#"), or "" when nothing is close."""
    hint = nearest(word, known)
    return f"; did you mean '{prefix}{hint}'?" if hint is not None else ""
