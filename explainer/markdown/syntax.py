"""Stage 4a, Markdown: every pattern of the site's own Markdown syntax, in this one place.

The Markdown processors (extension.py, references.py), their near-misses (near_miss.py) and
the prose the checks read (prose.py) all import their patterns from here, so what the
renderer takes as a citation, a reference or a number marked as not data is what the
checks blank.

- `[@a]`, `[@a; @b]`, `[@a, p. 4]`, `[see @a]`, `[-@a]`   a citation cluster (Pandoc's syntax)
- `@a`, `@a [p. 4]`                                   a citation in the text
- `[[claim:id]]`, `[[fact:id]]`                        references to a claim, to a fact
- `[[word:id]]`                                        a reference to an entry of any other kind
                                                       that declares its word (`Kind.reference`)
- `[[figure:id]]`, `[[block:name]]`                    shortcodes, alone in their paragraph
- `\\4`, `\\2017`                                        a number marked as not data (the backslash is not shown)

Keys are sources' ids as reference managers write them (`lewis_results_2023`, `Smith2020`).
"""

from __future__ import annotations

import re

from ..load.references import SOURCE_KEY

# --- citations (citations.py reads a cluster's items) ---------------------------------------

# `[...]` holding at least one `@key` that starts an item (after `[`, `;`, a space or `-`).
CLUSTER_RE = r"\[((?:[^\[\]\n]*?[\s;])?-?@" + SOURCE_KEY + r"[^\[\]]*)\]"
# `@key` in the text, not in an address (`a@b.org`) nor escaped (`\@`), with an optional `[locator]`.
INTEXT_RE = r"(?<![\w@\\\[/])@(" + SOURCE_KEY + r")(?:\s\[([^\[\]@]+)\])?"
# One item of a cluster: prefix, `-`, `@key`, then its suffix (", p. 4").
ITEM_RE = re.compile(r"^\s*(?P<prefix>.*?)\s*(?P<suppress>-?)@(?P<key>" + SOURCE_KEY + r")(?P<suffix>.*?)\s*$", re.S)
# Any `@key` in a text (the prose checks read the sources a paragraph cites with it).
ANY_KEY_RE = re.compile(r"(?<![\w@\\])-?@(" + SOURCE_KEY + r")")

# --- references and shortcodes --------------------------------------------------------------

CLAIM_RE = r"\[\[claim:([^\]\s]*)\]\]"
FACT_RE = r"\[\[fact:([^\]\s]*)\]\]"
FACT_REF_RE = re.compile(FACT_RE)
# Any `[[word:id]]` (kind_refs.py takes it when the word is a kind's).
KIND_REF_RE = r"\[\[([a-z][a-z0-9-]*):([^\]\s]*)\]\]"
SHORTCODE_RE = re.compile(r"^\s*\[\[(figure|block):([^\]\s]*)\]\]\s*$")
SHORTCODES = ("figure", "block")  # the reference words of the shortcodes; the kinds' own: Kind.reference
ANY_REFERENCE_RE = r"\[\[[a-z]+:[^\]]*\]\]"  # any well-formed reference or shortcode

# `\4`: a number that is not data (checks/numbers.py); the renderer drops the backslash.
NUMBER_PASS_RE = r"\\(?=\d)"  # noqa: S105 - not a password
PASSED_NUMBER_RE = NUMBER_PASS_RE + r"\d+(?:[.,]\d+)*"  # the backslash and the number it passes

# --- near-misses of the above (near_miss.py): what the real patterns did not take -----------

# `[@...]` the cluster pattern could not read, and `[@key` never closed.
LOOSE_CITATION_RE = r"\[@([^\]\[]*)\]"
UNCLOSED_CITATION_RE = r"\[-?@(" + SOURCE_KEY + r")(?![^\[\]]*\])"
# The reference near-misses match any word; near_miss.py reports those that are a reference
# word (the kinds' and the shortcodes'), maybe in the plural.
# Any [[word:...]] the reference and shortcode patterns did not take.
LOOSE_REFERENCE_RE = r"\[\[\s*([A-Za-z][A-Za-z _-]*?)\s*:\s*([^\]\[]*?)\s*\]\]"
# `[[claim weeks]]`: a space for the colon.
SPACED_REFERENCE_RE = r"\[\[\s*([A-Za-z]+)\s+([^\]\[:]*?)\s*\]\]"
# `[claim:x]` with single brackets (not a link's text: no `(` or `[` after it).
SINGLE_BRACKET_RE = r"(?<!\[)\[\s*([a-z]+)\s*:\s*([^\]\[]*?)\s*\](?![\](\[])"
# A footnote reference the footnotes extension did not take: it has no definition.
UNDEFINED_FOOTNOTE_RE = r"\[\^([^\]\s]+)\](?!:)"
# `[[claim:x` or `[[fact:x]` with no `]]` before the next bracket (or the end of the paragraph).
UNCLOSED_REFERENCE_RE = r"\[\[\s*([a-z]+)\s*:\s*([^\[\]\s]*)(?![^\[\]]*\]\])"
# A link whose text holds `[[claim:x]]` or `[[fact:x]]` (every kind's reference is a link).
LINKED_REFERENCE_RE = r"\[[^\[\]]*?(\[\[\s*([a-z]+)\s*:[^\[\]]*\]\])[^\[\]]*\]\("

# --- what the prose checks blank in a block's inline text (prose.py) ------------------------

# Inline Markdown that is not a sentence a reader reads. Code spans first: the leftmost match
# wins, so a code span hides what is inside it (as Python-Markdown's backtick pattern does).
NOT_PROSE = (
    r"(`+)(?:.+?)(?<!`)\1(?!`)",  # code spans, over lines too (a ``` fence in a paragraph)
    CLUSTER_RE,
    INTEXT_RE,
    LOOSE_CITATION_RE,
    FACT_RE,
    PASSED_NUMBER_RE,
    r"!\[[^\]]*\]\([^)]*\)",  # images (their alt text describes the image, not the story)
    r"(?<=\])\([^)]*\)",  # link targets and titles
    ANY_REFERENCE_RE,
    r"\[\^[^\]]+\]",  # footnote references
    r"\{:[^}]*\}",  # attribute lists
    r"<[^>\n]+>",  # inline raw HTML tags and autolinks
    r"https?://\S+",  # bare addresses
    r"\*\*|__",  # strong emphasis markers
)
# One pattern; every branch starts with one of a few characters: the lookahead skips other
# positions fast. The code span's group is the only one (its closing run matches its opening).
NOT_PROSE_RE = re.compile(r"(?=[`\[\\!(<{h*_@])(?:" + "|".join(NOT_PROSE) + ")", re.S)
