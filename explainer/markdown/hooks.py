"""Stage 4a, Markdown: the theme's markup of what the site's syntax makes, as render hooks
(as Hugo's are): a citation, a claim or fact reference with its card, the reference of any
other kind, a glossary term with its tip are each drawn by a small template of the theme
(`templates/render/<name>.html`), which the Markdown processors call with the values
(MarkdownSite.render_hook, given by the template stage). The HTML comes back into
Python-Markdown's element tree, so what runs after (glossary terms, the links pass, the
allow-list, the table of contents) reads it as before. A hook's links are recorded for the
link check once, by the links pass, as every link is, at the reference that drew them
(StateHolder.drawn): their href is the hook's, not written in the Markdown.
"""

from __future__ import annotations

import xml.etree.ElementTree as etree
from typing import Any

from markdown.util import AtomicString

from ..core.errors import Location
from .state import MarkdownSite

HOOK_DIR = "render"  # templates/render/<name>.html
CITATION, CLAIM_REF, FACT_REF, KIND_REF, GLOSSARY_TIP = "citation", "claim-ref", "fact-ref", "kind-ref", "glossary-tip"


def hook_element(
    site: MarkdownSite, name: str, where: Location, values: dict[str, Any], drawn: dict[int, Location] | None = None
) -> etree.Element | None:
    """The element the theme's hook `name` draws for values; None when it failed (reported at
    where, or at the template's line). Its texts are atomic: never read again as Markdown;
    drawn (StateHolder.drawn) maps it and each node in it to where, so no later pass marks a
    term inside it and the links pass records its links there."""
    html = site.render_hook(name, values, where).strip()
    if not html:
        return None
    try:
        element = etree.fromstring(html)  # noqa: S314 - the theme's own template's output, no entities
    except etree.ParseError as exc:
        site.diags.error(
            where,
            f"the render hook {HOOK_DIR}/{name}.html made markup that is not one well-formed element ({exc}): "
            "close every tag, quote every attribute, write & as &amp;",
        )
        return None
    for node in element.iter():
        if drawn is not None:
            drawn[id(node)] = where
        node.text = AtomicString(node.text) if node.text else node.text
        if node is not element and node.tail:
            node.tail = AtomicString(node.tail)
    return element
