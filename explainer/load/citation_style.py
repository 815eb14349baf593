"""Stage 1, config: `citation_style` of site.yaml, the CSL style the bibliography is
formatted in (render/bibliography.py formats it).

A built-in name (`vancouver`, `author-year`: CSL files in the theme's `styles/`, see its
README for their origin and licence) or the path of a `.csl` file of the site's own,
relative to the site's folder. A site's file is checked where it enters: well-formed XML,
valid against the CSL schema citeproc-py ships, an independent style with a
bibliography; every problem is an error at its line in the .csl (or at the site.yaml line
that names it).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..core.errors import Diagnostics, Location
from ..core.yamlio import YMap

STYLES_DIR = "styles"  # in the theme
BUILT_IN = ("vancouver", "author-year")
DEFAULT = "vancouver"  # numbered, as the theme's per-page reference lists are
CSL_NS = "http://purl.org/net/xbiblio/csl"


@dataclass(frozen=True)
class CitationStyle:
    name: str  # as site.yaml says it
    path: Path  # the .csl file
    numeric: bool  # citations are numbers ([1]); else author and year ("Doe 2020")


def load_citation_style(raw: YMap, site_dir: Path, themes: list[Path], diags: Diagnostics) -> CitationStyle | None:
    """The style site.yaml names; themes: where built-in names are looked for, first first
    (a --templates theme, then the built-in one)."""
    value = str(raw.get("citation_style") or DEFAULT).strip()
    where = raw.value_loc("citation_style") if "citation_style" in raw else raw.loc()
    if value in BUILT_IN:
        found = [p for theme in themes if (p := theme / STYLES_DIR / f"{value}.csl").is_file()]
        return _read(value, found[0] if found else themes[-1] / STYLES_DIR / f"{value}.csl", diags, validate=False)
    if not value.endswith(".csl"):
        diags.error(
            where,
            f"citation_style '{value}' is not a style: write one of {', '.join(BUILT_IN)}, or the path of a "
            ".csl file in the site's folder (e.g. styles/apa.csl)",
        )
        return None
    path = (site_dir / value).resolve()
    if not path.is_relative_to(site_dir.resolve()) or not path.is_file():
        diags.error(where, f"citation_style: no file '{value}' in the site's folder (the path is relative to it)")
        return None
    return _read(value, path, diags, validate=True)


def _read(name: str, path: Path, diags: Diagnostics, validate: bool) -> CitationStyle | None:
    from lxml import etree

    try:
        tree = etree.parse(str(path), etree.XMLParser(no_network=True, resolve_entities=False))
    except etree.XMLSyntaxError as exc:
        line, col = exc.position if exc.position else (1, 1)
        diags.error(Location(path, line, col + 1), f"the citation style is not well-formed XML: {exc.msg}")
        return None
    root = tree.getroot()
    ns = {"cs": CSL_NS}
    if root.tag != f"{{{CSL_NS}}}style":
        diags.error(
            Location(path, root.sourceline or 1),
            "not a CSL style: its root element must be <style> in the CSL namespace",
        )
        return None
    if root.find("cs:bibliography", ns) is None:
        parent = root.find("cs:info/cs:link[@rel='independent-parent']", ns)
        fix = f"; use its parent style instead: {parent.get('href')}" if parent is not None else ""
        diags.error(
            Location(path, root.sourceline or 1),
            f"the citation style has no <bibliography>: a dependent style only names another one{fix}",
        )
        return None
    if validate and not _valid(path, tree, diags):
        return None
    category = root.find("cs:info/cs:category[@citation-format]", ns)
    numeric = category is None or category.get("citation-format") != "author-date"
    return CitationStyle(name, path, numeric)


def _valid(path: Path, tree: object, diags: Diagnostics) -> bool:
    """Checked against the CSL schema (RELAX NG) that citeproc-py ships."""
    from citeproc import SCHEMA_PATH
    from lxml import etree

    schema = etree.RelaxNG(etree.parse(SCHEMA_PATH))
    if schema.validate(tree):
        return True
    for entry in list(schema.error_log)[:3]:  # the first ones: later ones follow from them
        diags.error(
            Location(path, entry.line, max(entry.column, 1)), f"the citation style is not valid CSL: {entry.message}"
        )
    return False
