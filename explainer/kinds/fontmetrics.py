"""How wide a line of figure text is, from the font the theme ships (`static/fonts/`).

Figures are laid out at build time, but drawn by the reader's browser; the theme's CSS
gives figure text its own web font (self-hosted, so no other origin), so the widths read
here from the same font files are the widths every device draws. Read with fontTools: each
glyph's advance width from the font's `hmtx` table. Kerning is left out, which only ever
makes a line a little narrower than measured, so a label measured to fit does fit.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path

from fontTools.ttLib import TTFont

from ..load.config import builtin_theme

FONT_DIR = Path("static") / "fonts"
# The faces figure text uses (templates/static/site.css, the figure section) and their files.
FACES = {"regular": "Inter-Regular.woff2", "bold": "Inter-Bold.woff2", "italic": "Inter-Italic.woff2"}
MISSING = 0.75  # em: a character the font lacks is drawn from another font; assume a wide one
SPACES = re.compile(r"[ \t\n\r\f\v]+")  # where a line may break: not at a no-break space


@dataclass(frozen=True)
class Face:
    widths: dict[int, float]  # code point -> advance width in em

    def width(self, text: str, size: float) -> float:
        return size * sum(self.widths.get(ord(ch), MISSING) for ch in text)


@functools.cache
def face(name: str = "regular") -> Face:
    font = TTFont(builtin_theme() / FONT_DIR / FACES[name])
    per_em = font["head"].unitsPerEm
    metrics = font["hmtx"].metrics
    return Face({code: metrics[glyph][0] / per_em for code, glyph in font.getBestCmap().items()})


def text_width(text: str, size: float = 15, style: str = "regular") -> float:
    """The width of `text` at `size` units in the theme's figure font."""
    return face(style).width(text, size)


def wrap_to(text: str, width: float, size: float = 15, style: str = "regular") -> list[str]:
    """Lines of whole words, each at most `width` units wide; a word wider than that alone is
    cut where it stops fitting. Never breaks at a no-break space."""
    lines: list[str] = []
    current = ""
    for word in SPACES.split(text.strip()):
        trial = f"{current} {word}" if current else word
        if text_width(trial, size, style) <= width:
            current = trial
            continue
        if current:
            lines.append(current)
        current = word
        while len(current) > 1 and text_width(current, size, style) > width:
            cut = max(1, *(i for i in range(1, len(current)) if text_width(current[:i], size, style) <= width))
            lines.append(current[:cut])
            current = current[cut:]
    lines.append(current)
    return lines if any(lines) else [""]


def widest(lines: list[str], size: float = 15, style: str = "regular") -> float:
    return max((text_width(line, size, style) for line in lines), default=0.0)

