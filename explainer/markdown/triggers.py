"""Stage 4a, Markdown: each document runs only the passes and inline patterns it can trigger.

Python-Markdown tries every inline pattern (about 20, then smarty's 17 in a second pass) on
every text of a page, and walks every element in tree passes that can only act on a given
character: most of a page's render time, spent finding nothing. Every match of those
patterns contains one of a few strings ("[", "*", "`", "--"...; the tables below), and
every text they see comes from the document (what other passes add is atomic, a stash
placeholder, or a citation's "[1]", which needs a "[" in the document anyway). So, through
Python-Markdown's public extension points only:

- a scan of the document finds which of those strings it holds, and it is converted by a
  Markdown instance from whose registries every pattern and pass none of them can trigger
  was deregistered (`Registry.deregister`). Instances are made once per set of strings
  found and kept (a site has a few dozen sets);
- in that instance, a tree pass just before each inline pass marks every text holding none
  of the strings left as `AtomicString`, Python-Markdown's own "leave this text alone", so
  the inline pass skips it instead of trying each pattern on it and putting it back.

The HTML is exactly Python-Markdown's (tests/test_speed_identity.py compares them on
every real page and on generated text). The scan reads the text as Python-Markdown's first
preprocessor leaves it (tabs expanded, line ends normalised), so "two spaces at the end of
a line" is found where Markdown finds it. Our patterns that drop an unknown or misspelt
reference (`[[claim:typo]]`, `[@Typo]`) can join the text around it into a new trigger
("-[@Typo]-" becomes "--"): a document with "[[" or "@" counts as holding every trigger
of more than one character.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from collections.abc import Iterable

import markdown
from markdown.treeprocessors import Treeprocessor
from markdown.util import AtomicString

TOC_MARKER = "[TOC]"  # the table of contents' marker (Python-Markdown's default, set explicitly)

# Inline patterns, by their registry names: strings one of which every match contains, read
# from the regular expressions in markdown/inlinepatterns.py, extensions/footnotes.py and
# ours (extension.py, near_miss.py). A pattern not listed here always runs.
INLINE_TRIGGERS: dict[str, tuple[str, ...]] = {
    "backtick": ("`",),  # BACKTICK_RE: a backtick, or backslashes before one
    "escape": ("\\",),
    "reference": ("[",),
    "link": ("[",),
    "image_link": ("!",),
    "image_reference": ("!",),
    "short_reference": ("[",),
    "short_image_ref": ("!",),
    "autolink": ("<",),
    "automail": ("<",),
    "linebreak": ("  \n",),
    "html": ("<",),
    "entity": ("&",),
    "not_strong": ("*", "_"),  # Python-Markdown before 3.11
    "em_strong": ("*", "_"),  # 3.11's delimiter processor (tokens "*" and "_")
    "em_strong2": ("_",),  # before 3.11
    "footnote": ("[",),
    # ours
    "fact_ref": ("[[",),
    "claim_ref": ("[[",),
    "kind_ref": ("[[",),
    "citation": ("@",),  # citations.py: a cluster holds "[" and "@" ("[see @a]"), in the text "@a"
    "citation_in_text": ("@",),
    "number_pass": ("\\",),
    "loose_reference": ("[[",),
    "spaced_reference": ("[[",),
    "loose_citation": ("[@",),
    "unclosed_citation": ("[@", "[-@"),
    "unclosed_reference": ("[[",),
    "linked_reference": ("[[",),
    "undefined_footnote": ("[^",),
    "single_bracket": ("[",),
}

# smarty's own registry (the `inlinePatterns` of its InlineProcessor pass, named "smarty").
SMARTY_TRIGGERS: dict[str, tuple[str, ...]] = {
    **{f"smarty-quotes-{i}": ("'", '"') for i in range(20)},  # every quotes pattern has a quote mark
    "smarty-em-dashes": ("--",),
    "smarty-en-dashes": ("--",),
    "smarty-ellipses": ("...",),
    "smarty-left-angle-quotes": ("<<",),
    "smarty-right-angle-quotes": (">>",),
}

# Tree passes that act only on text holding a string: attribute lists (`{: .x}`), the
# unescaping of backslash escapes (made only from a backslash in the text).
TREE_TRIGGERS: dict[str, tuple[str, ...]] = {"attr_list": ("{",), "unescape": ("\\",)}

# An abbreviation's definition (`*[HTML]: ...`): the abbreviations pass skips atomic text,
# so a document with one has no text marked plain (below).
ABBREVIATION = "*["

SMARTY_STRINGS = frozenset(s for t in SMARTY_TRIGGERS.values() for s in t)
INLINE_STRINGS = frozenset(s for t in INLINE_TRIGGERS.values() for s in t) | SMARTY_STRINGS
ALL_TRIGGERS: tuple[str, ...] = (
    *sorted(INLINE_STRINGS | {s for t in TREE_TRIGGERS.values() for s in t}),
    TOC_MARKER,
    ABBREVIATION,
)


DROPPING = ("[[", "@")  # what the patterns that can replace their match by nothing start with or hold
JOINED = frozenset(s for s in ALL_TRIGGERS if len(s) > 1)


def found_triggers(md: markdown.Markdown, text: str) -> frozenset[str]:
    """The trigger strings in text, as Python-Markdown's first preprocessor leaves it."""
    if "normalize_whitespace" in md.preprocessors:
        text = "\n".join(md.preprocessors["normalize_whitespace"].run(text.split("\n")))
    found = frozenset(s for s in ALL_TRIGGERS if s in text)
    return found | JOINED if not found.isdisjoint(DROPPING) else found


class PlainText(Treeprocessor):
    """Runs just before the inline pass: marks atomic (Python-Markdown's own "leave this text
    alone") every text holding none of the trigger strings of the patterns left, so the
    inline passes skip it instead of trying each pattern on it and putting it back as it was."""

    def __init__(self, md: markdown.Markdown, needles: Iterable[str]) -> None:
        super().__init__(md)
        self.needles = re.compile("|".join(map(re.escape, sorted(needles)))) if needles else None

    def run(self, root: etree.Element) -> None:
        search = self.needles.search if self.needles is not None else lambda text: None
        for el in root.iter():
            if el.text and el is not root and not isinstance(el.text, AtomicString) and not search(el.text):
                el.text = AtomicString(el.text)
            if el.tail and not isinstance(el.tail, AtomicString) and not search(el.tail):
                el.tail = AtomicString(el.tail)


def _absent(table: dict[str, tuple[str, ...]], found: frozenset[str]) -> Iterable[str]:
    return [name for name, needles in table.items() if found.isdisjoint(needles)]


def keep_only(md: markdown.Markdown, found: frozenset[str]) -> None:
    """Deregister from a fresh instance every pattern and pass that none of found can trigger."""
    for name in _absent(INLINE_TRIGGERS, found):
        md.inlinePatterns.deregister(name, strict=False)
    if "smarty" in md.treeprocessors:
        smarty = md.treeprocessors["smarty"].inlinePatterns
        for name in _absent(SMARTY_TRIGGERS, found):
            smarty.deregister(name, strict=False)
        if len(smarty) == 0:  # a pass with no pattern puts every text back as it was
            md.treeprocessors.deregister("smarty")
    for name in _absent(TREE_TRIGGERS, found):
        md.treeprocessors.deregister(name, strict=False)
    if ABBREVIATION not in found and _all_known(md):
        md.treeprocessors.register(PlainText(md, found & INLINE_STRINGS), "plain_text", 20.5)
        if "smarty" in md.treeprocessors:  # again for smarty's pass, after abbr (7), the last pass that reads atomicity
            md.treeprocessors.register(PlainText(md, found & SMARTY_STRINGS), "plain_text_smarty", 6.5)


def _all_known(md: markdown.Markdown) -> bool:
    """Every inline pattern left is one of the tables' (the registries do not list names)."""
    core = sum(name in md.inlinePatterns for name in INLINE_TRIGGERS)
    smarty = md.treeprocessors["smarty"].inlinePatterns if "smarty" in md.treeprocessors else ()
    return core == len(md.inlinePatterns) and sum(name in smarty for name in SMARTY_TRIGGERS) == len(smarty)
