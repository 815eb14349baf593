"""Stage 3, data: sources kept in a reference manager (Zotero, JabRef...), exported as
BibTeX (`data/sources.bib`) or CSL-JSON (`data/sources.json`) beside `sources.yaml`.

The exported file gives what the manager knows (authors, title, venue, year, volume and
pages, DOI, URL, PMID); `sources.yaml` keeps what only this site says, by the same id
(kind, note, status), and may set any other field too (it wins). Each exported entry
becomes the YAML entry's missing fields before the sources are checked, so every check
of a source holds for these too. BibTeX is read with bibtexparser (a maintained parser
that reports a broken entry with its line); CSL-JSON with the standard library.
"""

from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..core.errors import Diagnostics, Location
from ..core.yamlio import YMap, YSeq, suggest

BIB, CSL = "sources.bib", "sources.json"
# What a reference manager knows, as our source fields.
MANAGED = ("authors", "title", "venue", "year", "details", "doi", "url", "pmid")
MAX_AUTHORS = 6  # Vancouver lists six authors, then "et al."


@dataclass
class Reference:
    """One exported entry: our fields, and where it is."""

    id: str
    fields: dict[str, Any]
    location: Location


def load_references(data_dir: Path, diags: Diagnostics) -> dict[str, Reference]:
    """Every entry of `sources.bib` and `sources.json` (if there), by id."""
    refs: dict[str, Reference] = {}
    if (data_dir / BIB).is_file():
        _add(refs, read_bibtex(data_dir / BIB, diags), diags)
    if (data_dir / CSL).is_file():
        _add(refs, read_csl_json(data_dir / CSL, diags), diags)
    return refs


def _add(refs: dict[str, Reference], found: list[Reference], diags: Diagnostics) -> None:
    for ref in found:
        if ref.id in refs:
            diags.error(ref.location, f"source '{ref.id}' is also in {refs[ref.id].location}: keep one entry")
        else:
            refs[ref.id] = ref


def merge_sources(raw: Any, refs: dict[str, Reference], path: Path, diags: Diagnostics) -> Any:
    """sources.yaml's entries with the exported fields they lack; an exported entry with no
    YAML entry is an error at its own line (its kind and note are the site's to say)."""
    if not refs:
        return raw
    entries = raw if isinstance(raw, YSeq) else None
    by_id = {str(e.get("id")): e for e in entries or () if isinstance(e, YMap)}
    for ref in refs.values():
        entry = by_id.get(ref.id)
        if entry is None:
            hint = suggest(ref.id, by_id) if by_id else ""
            diags.error(
                ref.location,
                f"source '{ref.id}' has no entry in {path.name}{hint}: add '- id: {ref.id}' there with its "
                "kind and note (what only this site says about it)",
            )
            continue
        for key, value in ref.fields.items():
            if key not in entry and value not in (None, ""):
                entry[key] = value
                entry.key_marks.setdefault(key, (ref.location.line, ref.location.col))
                entry.value_marks.setdefault(key, (ref.location.line, ref.location.col))
                entry.value_styles.setdefault(key, None)
    return raw


# --- BibTeX ----------------------------------------------------------------------------


def read_bibtex(path: Path, diags: Diagnostics) -> list[Reference]:
    import bibtexparser
    from bibtexparser import middlewares

    logging.getLogger("bibtexparser").setLevel(logging.CRITICAL)  # its errors come back as failed blocks
    text = path.read_text(encoding="utf-8", errors="replace")
    library = bibtexparser.parse_string(
        text,
        append_middleware=[
            middlewares.LatexDecodingMiddleware(),
            middlewares.SeparateCoAuthors(),
            middlewares.SplitNameParts(),
        ],
    )
    for block in library.failed_blocks:
        diags.error(Location(path, block.start_line + 1), f"BibTeX entry could not be read: {_first_line(block)}")
    out = []
    for entry in library.entries:
        where = Location(path, entry.start_line + 1)
        fields = {k.lower(): v.value for k, v in entry.fields_dict.items()}
        ours = _from_bibtex(entry.entry_type.lower(), fields)
        if not ours.get("title"):
            diags.error(where, f"BibTeX entry '{entry.key}' has no title: add title = {{...}}")
            continue
        out.append(Reference(entry.key, ours, where))
    return out


def _first_line(block: Any) -> str:
    error = getattr(block, "error", None)
    text = str(error) if error else "the entry is not valid BibTeX"
    return " ".join(text.split())[:200]


def _from_bibtex(kind: str, f: dict[str, Any]) -> dict[str, Any]:
    people = f.get("author") or f.get("editor") or []
    authors = _names([(" ".join(p.last), " ".join(p.first)) for p in people if hasattr(p, "last")])
    link = f.get("url") or ""
    howpublished = str(f.get("howpublished") or "")
    if not link and howpublished.startswith(("https://", "http://")):
        link, howpublished = howpublished, ""
    venue = f.get("journal") or f.get("booktitle") or f.get("publisher") or f.get("institution") or howpublished
    return {
        "authors": authors or "Not stated",
        "title": _plain(f.get("title")),
        "venue": _plain(venue) or kind,
        "year": _year(f.get("year")),
        "details": _details(f.get("volume"), f.get("number"), f.get("pages")),
        "doi": str(f.get("doi") or ""),
        "url": str(link),
        "pmid": str(f.get("pmid") or ""),
    }


# --- CSL-JSON --------------------------------------------------------------------------


def read_csl_json(path: Path, diags: Diagnostics) -> list[Reference]:
    text = path.read_text(encoding="utf-8", errors="replace")
    try:
        items = json.loads(text)
    except json.JSONDecodeError as exc:
        diags.error(Location(path, exc.lineno, exc.colno), f"CSL-JSON could not be read: {exc.msg}")
        return []
    if not isinstance(items, list):
        diags.error(Location(path), "CSL-JSON must be a list of entries ([{...}, ...]), as reference managers write it")
        return []
    out = []
    for i, item in enumerate(items):
        where = _json_location(path, text, item, i)
        if not isinstance(item, dict) or not str(item.get("id") or "").strip():
            diags.error(where, "CSL-JSON entry without an id")
            continue
        if not item.get("title"):
            diags.error(where, f"CSL-JSON entry '{item['id']}' has no title")
            continue
        out.append(Reference(str(item["id"]), _from_csl(item), where))
    return out


def _json_location(path: Path, text: str, item: Any, index: int) -> Location:
    """The line of an entry: where its id is written (json keeps no positions)."""
    ident = item.get("id") if isinstance(item, dict) else None
    if ident is not None:
        m = re.search(r'"id"\s*:\s*' + re.escape(json.dumps(ident)), text)
        if m:
            return Location(path, text.count("\n", 0, m.start()) + 1)
    return Location(path, 1)


def _from_csl(item: dict[str, Any]) -> dict[str, Any]:
    people = item.get("author") or item.get("editor") or []
    pairs = [(p.get("family") or p.get("literal") or "", p.get("given") or "") for p in people if isinstance(p, dict)]
    issued = (item.get("issued") or {}).get("date-parts") or [[None]]
    return {
        "authors": _names(pairs) or "Not stated",
        "title": _plain(item.get("title")),
        "venue": _plain(item.get("container-title") or item.get("publisher")) or str(item.get("type") or ""),
        "year": _year(issued[0][0] if issued and issued[0] else None),
        "details": _details(item.get("volume"), item.get("issue"), item.get("page")),
        "doi": str(item.get("DOI") or ""),
        "url": str(item.get("URL") or ""),
        "pmid": str(item.get("PMID") or ""),
    }


# --- shared ----------------------------------------------------------------------------


def _names(people: list[tuple[str, str]]) -> str:
    """"Smith J, Müller HP, et al.": family name and initials, as the site's sources are written."""
    names = []
    for family, given in people[:MAX_AUTHORS]:
        initials = "".join(part[0] for part in re.split(r"[\s.-]+", given) if part)
        names.append(f"{family} {initials}".strip())
    more = ", et al." if len(people) > MAX_AUTHORS else ""
    return ", ".join(n for n in names if n) + more


def _plain(value: Any) -> str:
    """Text as shown: no braces BibTeX keeps for capitals, one space between words."""
    return " ".join(str(value or "").replace("{", "").replace("}", "").split())


def _year(value: Any) -> int:
    m = re.search(r"\d{4}", str(value or ""))
    return int(m.group(0)) if m else 0


def _details(volume: Any, issue: Any, pages: Any) -> str:
    """"32(8):1692-1702", the journal's volume, issue and pages as Vancouver writes them."""
    text = str(volume or "")
    if issue:
        text += f"({issue})"
    if pages:
        text += ":" + str(pages).replace("--", "-").replace("\u2013", "-")
    return text
