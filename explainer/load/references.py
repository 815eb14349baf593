"""Stage 3, data: sources kept in a reference manager (Zotero, JabRef...), exported as
BibTeX or BibLaTeX (`data/sources.bib`) or CSL-JSON (`data/sources.json`) beside
`sources.yaml`.

The exported file gives what the manager knows (authors, title, venue, year, volume,
issue, pages, DOI, URL, PMID); `sources.yaml` keeps what only this site says, by the same
id (kind, note, status), and may set any other field too (it wins). Each exported entry
becomes the YAML entry's missing fields before the sources are checked, so every check
of a source holds for these too. Keys are used as the manager wrote them (Zotero's
`lewis_results_2023`). BibTeX is read with bibtexparser, whose failed blocks carry the
reason; an entry it could not read, or read wrongly (a missing comma runs two fields
together), is an error at its line, and its id is marked broken so nothing else about it
is reported. Authors become name objects here (names.py), once.
"""

from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..core.errors import Diagnostics, Location
from ..core.suggest import did_you_mean
from ..core.yamlio import YMap, YSeq
from .names import Authors, Name, institution, person

BIB, CSL = "sources.bib", "sources.json"
# A source's id: a citation key as reference managers write them ("lewis_results_2023",
# "Smith2020", "doe:2020"): letters, digits and "_", with ":.-+/" inside, as Pandoc reads keys.
SOURCE_KEY = r"[A-Za-z0-9_]+(?:[:.+/-][A-Za-z0-9_]+)*"
SOURCE_KEY_RE = re.compile(rf"^{SOURCE_KEY}$")
# A field that swallowed the next one: `title = {One}` + newline + `year = ...` with no comma between.
RUN_ON_RE = re.compile(r"\n\s*([A-Za-z][\w-]*)\s*=")
ENTRY_KEY_RE = re.compile(r"@\s*\w+\s*[{(]\s*([^,\s{}()]+)")
FIELD_START_RE = re.compile(r"^\s*[A-Za-z][\w-]*\s*=")


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
    YAML entry is an error at its own line (its kind and note are the site's to say). The
    YAML entry of an export entry that could not be read is left out: its error was given."""
    entries = raw if isinstance(raw, YSeq) else None
    if entries is not None:
        broken = [
            i for i, e in enumerate(entries) if isinstance(e, YMap) and diags.is_broken("source", str(e.get("id")))
        ]
        for i in reversed(broken):
            del entries[i]
            del entries.item_marks[i]
    if not refs:
        return raw
    by_id = {str(e.get("id")): e for e in entries or () if isinstance(e, YMap)}
    for ref in refs.values():
        entry = by_id.get(ref.id)
        if entry is None:
            hint = did_you_mean(ref.id, by_id) if by_id else ""
            diags.error(
                ref.location,
                f"source '{ref.id}' has no entry in {path.name}{hint}: add '- id: {ref.id}' there with its "
                "kind and note (what only this site says about it)",
            )
            continue
        for key, value in ref.fields.items():
            if key not in entry and value not in (None, ""):
                entry[key] = value
                entry.__dict__.setdefault("origins", {})[key] = ref.location  # its errors point at the export
                entry.value_styles.setdefault(key, None)
    return raw


# --- BibTeX and BibLaTeX -----------------------------------------------------------------


def read_bibtex(path: Path, diags: Diagnostics) -> list[Reference]:
    import bibtexparser
    from bibtexparser import middlewares

    logging.getLogger("bibtexparser").setLevel(logging.CRITICAL)  # its errors come back as failed blocks
    text = path.read_text(encoding="utf-8", errors="replace")
    library = bibtexparser.parse_string(
        text,
        append_middleware=[
            # Braces kept until the names are split: `{4 Day Week Global}` is one name, an institution's.
            middlewares.LatexDecodingMiddleware(keep_braced_groups=True),
            middlewares.SeparateCoAuthors(),
            middlewares.SplitNameParts(),
        ],
    )
    for block in library.failed_blocks:
        _failed_block(path, block, diags)
    out = []
    for entry in library.entries:
        where = Location(path, entry.start_line + 1)
        if not SOURCE_KEY_RE.match(entry.key):
            diags.error(where, f"BibTeX key '{entry.key}' cannot be cited: {KEY_RULE}")
            diags.mark_broken("source", entry.key)
            continue
        if _run_on(path, entry, diags):
            continue
        fields = {k.lower(): v.value for k, v in entry.fields_dict.items()}
        ours = _from_bibtex(entry.entry_type.lower(), fields)
        if not ours.get("title"):
            diags.error(where, f"BibTeX entry '{entry.key}' has no title: add title = {{...}}")
            diags.mark_broken("source", entry.key)
            continue
        out.append(Reference(entry.key, ours, where))
    return out


KEY_RULE = "use letters, digits and '_', with ':.-+/' only between them (as Zotero's lewis_results_2023)"


def _failed_block(path: Path, block: Any, diags: Diagnostics) -> None:
    """A block bibtexparser could not read: its reason, at the line where it goes wrong."""
    raw = str(getattr(block, "raw", "") or "")
    start = (block.start_line or 0) + 1
    key = ENTRY_KEY_RE.match(raw.lstrip())
    name = f"'{key.group(1)}' " if key else ""
    previous = getattr(block, "previous_block", None)
    if previous is not None:  # bibtexparser's DuplicateBlockKeyBlock
        diags.error(
            Location(path, start),
            f"BibTeX entry {name}is in the file twice (first on line {previous.start_line + 1}): keep one",
        )
        return
    error = getattr(block, "error", None)
    reason = getattr(error, "abort_reason", "") or str(error or "") or "the entry is not valid BibTeX"
    line = start + _unclosed_line(raw)
    hint = " (a '}' is probably missing at the end of this line)" if line != start else ""
    diags.error(Location(path, line), f"BibTeX entry {name}could not be read: {' '.join(reason.split())}{hint}")
    if key:
        diags.mark_broken("source", key.group(1))


def _unclosed_line(raw: str) -> int:
    """The line (from 0) of an entry where a field's value opens a brace it never closes:
    the next field starts while the braces are still open."""
    depth = 0
    lines = raw.split("\n")
    for i, line in enumerate(lines):
        if i > 0 and depth > 1 and FIELD_START_RE.match(line):
            return i - 1
        depth += len(re.findall(r"(?<!\\)\{", line)) - len(re.findall(r"(?<!\\)\}", line))
    return 0


def _run_on(path: Path, entry: Any, diags: Diagnostics) -> bool:
    """A missing comma: bibtexparser reads the next `name = value` as part of a value."""
    for f in entry.fields:
        value = f.value if isinstance(f.value, str) else ""
        m = RUN_ON_RE.search(value)
        if m:
            line = f.start_line + 1 + value.count("\n", 0, m.start())
            diags.error(
                Location(path, line),
                f"BibTeX entry '{entry.key}': a comma is missing at the end of this line, so the value of "
                f"'{f.key}' runs on into '{m.group(1)} = ...'; add ','",
            )
            diags.mark_broken("source", entry.key)
            return True
    return False


# BibLaTeX names first, BibTeX's after: Zotero's BibLaTeX export writes `journaltitle` and `date`.
VENUE_FIELDS = ("journaltitle", "journal", "booktitle", "publisher", "institution", "organization", "school")


def _from_bibtex(kind: str, f: dict[str, Any]) -> dict[str, Any]:
    link = str(f.get("url") or "")
    howpublished = _plain(f.get("howpublished"))
    if not link and howpublished.startswith(("https://", "http://")):
        link, howpublished = howpublished, ""
    venue = next((f[k] for k in VENUE_FIELDS if f.get(k)), howpublished)
    pmid = f.get("pmid") or (f.get("eprint") if str(f.get("eprinttype") or "").lower() == "pubmed" else "")
    return {
        "authors": _bib_authors(f.get("author") or f.get("editor") or []).as_yaml(),
        "title": _plain(f.get("title")),
        "venue": _plain(venue),
        "year": _year(f.get("date") or f.get("year")),
        "volume": _plain(f.get("volume")),
        "issue": _plain(f.get("number") or f.get("issue")),
        "pages": _plain(f.get("pages")).replace("--", "\u2013"),
        "doi": _plain(f.get("doi")),
        "url": link,
        "pmid": _plain(pmid),
    }


def _bib_authors(people: Any) -> Authors:
    """BibTeX names: "Last, First", "First Last", `{An Institution}` kept whole, "and others"."""
    names: list[Name] = []
    more = False
    for p in people if isinstance(people, list) else []:
        if not hasattr(p, "last"):
            continue
        parts = [*p.first, *p.von, *p.last, *p.jr]
        if len(parts) == 1 and parts[0].startswith("{") and parts[0].endswith("}"):
            names.append(institution(_plain(parts[0])))
        elif parts == ["others"]:
            more = True
        else:
            names.append(person(_plain(" ".join([*p.von, *p.last])), _plain(" ".join([*p.first, *p.jr]))))
    return Authors(tuple(names), more)


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
        ident = str(item["id"])
        if not SOURCE_KEY_RE.match(ident):
            diags.error(where, f"CSL-JSON id '{ident}' cannot be cited: {KEY_RULE}")
            diags.mark_broken("source", ident)
            continue
        if not item.get("title"):
            diags.error(where, f"CSL-JSON entry '{ident}' has no title")
            diags.mark_broken("source", ident)
            continue
        out.append(Reference(ident, _from_csl(item), where))
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
    names = [
        institution(str(p["literal"]))
        if p.get("literal")
        else person(str(p.get("family") or ""), str(p.get("given") or ""))
        for p in people
        if isinstance(p, dict) and (p.get("literal") or p.get("family"))
    ]
    issued = (item.get("issued") or {}).get("date-parts") or [[None]]
    return {
        "authors": Authors(tuple(names)).as_yaml(),
        "title": _plain(item.get("title")),
        "venue": _plain(item.get("container-title") or item.get("publisher")),
        "year": _year(issued[0][0] if issued and issued[0] else None),
        "volume": _plain(item.get("volume")),
        "issue": _plain(item.get("issue")),
        "pages": _plain(item.get("page")).replace("-", "\u2013"),
        "doi": _plain(item.get("DOI")),
        "url": str(item.get("URL") or ""),
        "pmid": _plain(item.get("PMID")),
    }


# --- shared ----------------------------------------------------------------------------


def _plain(value: Any) -> str:
    """Text as shown: no braces BibTeX keeps for capitals, one space between words."""
    return " ".join(str(value or "").replace("{", "").replace("}", "").split())


def _year(value: Any) -> int:
    m = re.search(r"\d{4}", str(value or ""))
    return int(m.group(0)) if m else 0
