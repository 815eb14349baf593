"""Stage 3, Markdown: sections a page folds, so a long page reads in layers.

A heading written with the class `fold` (`## What was measured {: .fold }`) and everything
after it up to the next heading of its level or higher become one `<details class="fold">`
whose `<summary>` is the heading: the page shows the heading, a reader opens the section in
place. The heading keeps its id, so a link to it still lands on it (the theme's script
opens a folded section a link leads to, and every folded section for printing).
"""

from __future__ import annotations

import xml.etree.ElementTree as etree

from markdown.treeprocessors import Treeprocessor

HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
FOLD = "fold"


def _classes(element: etree.Element) -> list[str]:
    return (element.get("class") or "").split()


def fold_sections(parent: etree.Element) -> None:
    """Wrap each `fold` heading among parent's children, and what follows it in its section,
    in a details element (in place)."""
    children = list(parent)
    i = 0
    while i < len(children):
        heading = children[i]
        if heading.tag not in HEADINGS or FOLD not in _classes(heading):
            i += 1
            continue
        level = int(heading.tag[1])
        end = i + 1
        while end < len(children):
            tag = children[end].tag
            if tag in HEADINGS and int(tag[1]) <= level:
                break
            end += 1
        rest = [c for c in _classes(heading) if c != FOLD]
        if rest:
            heading.set("class", " ".join(rest))
        else:
            del heading.attrib["class"]
        details = etree.Element("details", {"class": FOLD})
        summary = etree.SubElement(details, "summary")
        position = list(parent).index(heading)
        for child in children[i:end]:
            parent.remove(child)
        summary.append(heading)
        details.extend(children[i + 1 : end])
        details.tail = heading.tail
        heading.tail = None
        parent.insert(position, details)
        i = end


class FoldProcessor(Treeprocessor):
    """`{: .fold }` on a heading folds its section (see the module's docstring)."""

    def run(self, root: etree.Element) -> None:
        fold_sections(root)
