"""Stage 3, data: the YAML files in `data/`, checked and cross-referenced.

Reads `data/*.yaml`. Every id reference (a claim's verdict, a limit's claims, any list of
sources) is resolved here, so later stages can trust the data.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import Diagnostics, Location, SiteError
from .yamlio import (
    Field,
    YMap,
    YSeq,
    check_id_list,
    check_mapping,
    describe,
    load_yaml_file,
    suggest,
)

SOURCE_KINDS = (
    "mouse study",
    "cell study",
    "human trial",
    "human observational study",
    "review",
    "meta-analysis",
    "press release",
    "news article",
)
FIGURE_KINDS = ("bar", "timeline", "pathways", "ladder")
CRITERION_RATINGS = ("Satisfactory", "Not satisfactory", "Not applicable")
HEX_RE = re.compile(r"^#[0-9a-fA-F]{6}$")
# Data file -> the kind of id it defines, as error messages and Diagnostics.broken name it.
FILE_KINDS = {
    "sources": "source",
    "verdicts": "verdict",
    "claims": "claim",
    "limits": "limit",
    "glossary": "glossary term",
    "figures": "figure",
}


@dataclass(frozen=True)
class MarkdownText:
    """Markdown held in a data file, with where it starts so errors point inside it."""

    text: str
    location: Location

    def __str__(self) -> str:
        return self.text


@dataclass
class Source:
    id: str
    kind: str
    authors: str
    title: str
    venue: str
    year: int
    note: str
    location: Location
    details: str = ""
    doi: str = ""
    pmid: str = ""
    url: str = ""
    status: str = "checked"

    @property
    def link(self) -> str:
        if self.doi:
            return f"https://doi.org/{self.doi}"
        return self.url


@dataclass
class Verdict:
    id: str
    label: str
    definition: str
    color: str
    color_dark: str
    rating: int
    location: Location


@dataclass
class Claim:
    id: str
    quote: str
    said_by: str
    verdict: Verdict
    summary: str
    evidence: MarkdownText
    limits: list[Limit]
    sources: list[Source]
    location: Location

    @property
    def url(self) -> str:
        return f"claims/{self.id}/"


@dataclass
class Limit:
    id: str
    title: str
    explanation: MarkdownText
    sources: list[Source]
    weakens: list[Claim]
    location: Location


@dataclass
class Term:
    id: str
    term: str
    definition: str
    location: Location
    aliases: list[str] = field(default_factory=list)

    @property
    def names(self) -> list[str]:
        return [self.term, *self.aliases]


@dataclass
class Theory:
    id: str
    name: str
    idea: str
    steps: list[str]
    evidence: MarkdownText
    missing: MarkdownText
    sources: list[Source]
    location: Location
    favoured_by: str = ""


@dataclass
class Figure:
    id: str
    kind: str
    title: str
    caption: str
    description: str
    items: Any
    location: Location
    unit: str = ""


@dataclass
class Criterion:
    name: str
    rating: str
    reason: str
    location: Location


@dataclass
class SiteData:
    sources: dict[str, Source] = field(default_factory=dict)
    verdicts: dict[str, Verdict] = field(default_factory=dict)
    claims: dict[str, Claim] = field(default_factory=dict)
    limits: dict[str, Limit] = field(default_factory=dict)
    glossary: dict[str, Term] = field(default_factory=dict)
    theories: list[Theory] = field(default_factory=list)
    tell_apart: MarkdownText | None = None
    figures: dict[str, Figure] = field(default_factory=dict)
    criteria: list[Criterion] = field(default_factory=list)
    other: dict[str, Any] = field(default_factory=dict)  # any other data file, unchecked
    files: dict[str, Path] = field(default_factory=dict)  # name -> path, for dependency tracking

    def for_templates(self) -> dict[str, Any]:
        """What templates see as `data.<name>`."""
        view: dict[str, Any] = dict(self.other)
        view.update(
            sources=list(self.sources.values()),
            verdicts=list(self.verdicts.values()),
            claims=list(self.claims.values()),
            limits=list(self.limits.values()),
            glossary=sorted(self.glossary.values(), key=lambda t: t.term.lower()),
            theories=self.theories,
            tell_apart=self.tell_apart,
            figures=self.figures,
            criteria=self.criteria,
        )
        return view


SOURCE_FIELDS = [
    Field("id", is_id=True),
    Field("kind", choices=SOURCE_KINDS),
    Field("authors"),
    Field("title"),
    Field("venue"),
    Field("year", int),
    Field("note"),
    Field("details", required=False),
    Field("doi", required=False),
    Field("pmid", (str, int), required=False),
    Field("url", required=False),
    Field("status", required=False, choices=("checked", "unconfirmed")),
]
VERDICT_FIELDS = [
    Field("id", is_id=True),
    Field("label"),
    Field("definition"),
    Field("color"),
    Field("color_dark"),
    Field("rating", int),
]
CLAIM_FIELDS = [
    Field("id", is_id=True),
    Field("quote"),
    Field("said_by"),
    Field("verdict"),
    Field("summary"),
    Field("evidence"),
    Field("limits", list, required=False),
    Field("sources", list),
]
LIMIT_FIELDS = [
    Field("id", is_id=True),
    Field("title"),
    Field("explanation"),
    Field("sources", list),
    Field("weakens", list),
]
TERM_FIELDS = [Field("id", is_id=True), Field("term"), Field("definition"), Field("aliases", list, required=False)]
THEORY_FIELDS = [
    Field("id", is_id=True),
    Field("name"),
    Field("idea"),
    Field("steps", list),
    Field("evidence"),
    Field("missing"),
    Field("sources", list),
    Field("favoured_by", required=False),
]
THEORIES_FILE_FIELDS = [Field("theories", list), Field("tell_apart")]
FIGURE_FIELDS = [
    Field("id", is_id=True),
    Field("kind", choices=FIGURE_KINDS),
    Field("title"),
    Field("caption"),
    Field("description"),
    Field("data", required=False),
    Field("items", list, required=False),
    Field("unit", required=False),
]
CRITERION_FIELDS = [Field("name"), Field("rating", choices=CRITERION_RATINGS), Field("reason")]


def load_data(source: Path, diags: Diagnostics) -> SiteData:
    """Load, check and link every data file; problems go to diags."""
    data = SiteData()
    raw: dict[str, Any] = {}
    data_dir = source / "data"
    for path in sorted(data_dir.glob("*.yaml")) if data_dir.is_dir() else []:
        name = path.stem.replace("-", "_")
        data.files[name] = path
        try:
            raw[name] = load_yaml_file(path)
        except SiteError as exc:
            diags.add(exc)
            raw[name] = None
            # Every id in it is unknown now; references to them would only repeat this error.
            diags.mark_broken("file", FILE_KINDS.get(name, name))
    checker = _Checker(diags, data, dict(raw))
    # Order matters: what is referred to is read before what refers to it.
    checker.sources(raw.pop("sources", None), data.files.get("sources"))
    checker.verdicts(raw.pop("verdicts", None), data.files.get("verdicts"))
    claim_items = raw.pop("claims", None)
    limit_items = raw.pop("limits", None)
    checker.claims_and_limits(claim_items, data.files.get("claims"), limit_items, data.files.get("limits"))
    checker.glossary(raw.pop("glossary", None), data.files.get("glossary"))
    checker.theories(raw.pop("theories", None), data.files.get("theories"))
    checker.criteria(raw.pop("criteria", None), data.files.get("criteria"))
    figure_items = raw.pop("figures", None)
    data.other = {k: v for k, v in raw.items() if v is not None}
    checker.figures(figure_items, data.files.get("figures"))
    return data


class _Checker:
    def __init__(self, diags: Diagnostics, data: SiteData, raw_files: dict[str, Any]) -> None:
        self.diags = diags
        self.data = data
        self.raw_files = raw_files  # every file as loaded, for figure data paths

    def report(self, errors: list[SiteError]) -> bool:
        for err in errors:
            self.diags.add(err)
        return not errors

    def items(self, value: Any, path: Path | None, fields: list[Field], what: str) -> list[YMap]:
        """The valid entries of a list file; reports bad entries and duplicate ids."""
        if value is None or path is None:
            return []
        if not isinstance(value, YSeq):
            self.diags.error(
                getattr(value, "loc", lambda: Location(path))(),
                f"{path.name} must be a list of entries ('- id: ...'), not {describe(value)}",
            )
            return []
        good: list[YMap] = []
        seen: dict[str, int] = {}
        for i, entry in enumerate(value):
            if not self.report(check_mapping(entry, fields, value.loc(i), what)):
                if isinstance(entry, YMap) and isinstance(entry.get("id"), str):
                    self.diags.mark_broken(what, entry["id"])  # reported once, here
                continue
            if "id" in entry:
                if entry["id"] in seen:
                    self.diags.error(
                        entry.value_loc("id"),
                        f"duplicate {what} id '{entry['id']}' (first on line {seen[entry['id']]})",
                    )
                    continue
                seen[entry["id"]] = entry.value_loc("id").line
            good.append(entry)
        return good

    def refs(self, entry: YMap, key: str, table: dict[str, Any], kind: str) -> list[Any]:
        self.report(check_id_list(entry, key, table, kind, self.diags))
        return [table[str(r)] for r in entry.get(key) or [] if str(r) in table]

    def sources(self, value: Any, path: Path | None) -> None:
        for e in self.items(value, path, SOURCE_FIELDS, "source"):
            self.data.sources[e["id"]] = Source(
                id=e["id"],
                kind=e["kind"],
                authors=e["authors"],
                title=e["title"],
                venue=e["venue"],
                year=e["year"],
                note=e["note"],
                location=e.loc(),
                details=e.get("details") or "",
                doi=e.get("doi") or "",
                pmid=str(e.get("pmid") or ""),
                url=e.get("url") or "",
                status=e.get("status") or "checked",
            )
            for key in ("url",):
                if e.get(key) and not str(e[key]).startswith(("https://", "http://")):
                    self.diags.error(e.value_loc(key), f"'{key}' must be a full web address (https://...)")

    def verdicts(self, value: Any, path: Path | None) -> None:
        for e in self.items(value, path, VERDICT_FIELDS, "verdict"):
            for key in ("color", "color_dark"):
                if not HEX_RE.match(e[key]):
                    self.diags.error(e.value_loc(key), f"'{key}' must be a colour like #1b5e20")
            self.data.verdicts[e["id"]] = Verdict(
                id=e["id"],
                label=e["label"],
                definition=e["definition"],
                color=e["color"],
                color_dark=e["color_dark"],
                rating=e["rating"],
                location=e.loc(),
            )

    def claims_and_limits(self, claims: Any, claims_path: Path | None, limits: Any, limits_path: Path | None) -> None:
        claim_entries = self.items(claims, claims_path, CLAIM_FIELDS, "claim")
        limit_entries = self.items(limits, limits_path, LIMIT_FIELDS, "limit")
        # Claims and limits name each other, so make both first and link them after.
        for e in claim_entries:
            verdict = self.data.verdicts.get(e["verdict"])
            if verdict is None:
                if not self.diags.is_broken("verdict", e["verdict"]):
                    self.diags.error(
                        e.value_loc("verdict"),
                        f"unknown verdict id '{e['verdict']}'{suggest(e['verdict'], self.data.verdicts)}",
                    )
                self.diags.mark_broken("claim", e["id"])
                continue
            claim_sources = self.refs(e, "sources", self.data.sources, "source")
            if not e["sources"]:
                self.diags.error(e.value_loc("sources"), "a claim needs at least one source")
            self.data.claims[e["id"]] = Claim(
                id=e["id"],
                quote=e["quote"],
                said_by=e["said_by"],
                verdict=verdict,
                summary=e["summary"],
                evidence=MarkdownText(e["evidence"], e.text_loc("evidence")),
                limits=[],
                sources=claim_sources,
                location=e.loc(),
            )
        for e in limit_entries:
            limit = Limit(
                id=e["id"],
                title=e["title"],
                explanation=MarkdownText(e["explanation"], e.text_loc("explanation")),
                sources=self.refs(e, "sources", self.data.sources, "source"),
                weakens=self.refs(e, "weakens", self.data.claims, "claim"),
                location=e.loc(),
            )
            self.data.limits[limit.id] = limit
        for e in claim_entries:
            claim = self.data.claims.get(e["id"])
            if claim is None:
                continue
            named = self.refs(e, "limits", self.data.limits, "limit")
            # A limit counts against a claim whether the claim or the limit names the link.
            linked = {lim.id for lim in named} | {lim.id for lim in self.data.limits.values() if claim in lim.weakens}
            claim.limits = [lim for lim in self.data.limits.values() if lim.id in linked]
        for limit in self.data.limits.values():
            limit.weakens = [c for c in self.data.claims.values() if limit in c.limits]

    def glossary(self, value: Any, path: Path | None) -> None:
        for e in self.items(value, path, TERM_FIELDS, "glossary term"):
            aliases = e.get("aliases") or []
            bad = [i for i, a in enumerate(aliases) if not isinstance(a, str) or not a.strip()]
            for i in bad:
                where = aliases.loc(i) if isinstance(aliases, YSeq) else e.value_loc("aliases")
                self.diags.error(where, f"each alias must be a word or phrase, not {describe(aliases[i])}")
            if bad:
                self.diags.mark_broken("glossary term", e["id"])
                continue
            self.data.glossary[e["id"]] = Term(
                id=e["id"],
                term=e["term"],
                definition=e["definition"],
                location=e.loc(),
                aliases=[str(a) for a in e.get("aliases") or []],
            )

    def theories(self, value: Any, path: Path | None) -> None:
        if value is None or path is None:
            return
        if not self.report(check_mapping(value, THEORIES_FILE_FIELDS, Location(path), "theories.yaml")):
            return
        self.data.tell_apart = MarkdownText(value["tell_apart"], value.text_loc("tell_apart"))
        for e in self.items(value["theories"], path, THEORY_FIELDS, "theory"):
            self.data.theories.append(
                Theory(
                    id=e["id"],
                    name=e["name"],
                    idea=e["idea"],
                    steps=[str(s) for s in e["steps"]],
                    evidence=MarkdownText(e["evidence"], e.text_loc("evidence")),
                    missing=MarkdownText(e["missing"], e.text_loc("missing")),
                    sources=self.refs(e, "sources", self.data.sources, "source"),
                    location=e.loc(),
                    favoured_by=e.get("favoured_by") or "",
                )
            )

    def criteria(self, value: Any, path: Path | None) -> None:
        for e in self.items(value, path, CRITERION_FIELDS, "criterion"):
            self.data.criteria.append(Criterion(e["name"], e["rating"], e["reason"], e.loc()))

    def figures(self, value: Any, path: Path | None) -> None:
        for e in self.items(value, path, FIGURE_FIELDS, "figure"):
            if ("data" in e) == ("items" in e):
                self.diags.error(e.loc(), "a figure needs exactly one of 'data' (a path like study.chart) or 'items'")
                continue
            items = e["items"] if "items" in e else self.lookup(e["data"], e.value_loc("data"))
            if items is None:
                continue
            if e["kind"] == "ladder":
                for level in items if isinstance(items, list) else []:
                    if isinstance(level, YMap):
                        self.refs(level, "sources", self.data.sources, "source")
            self.data.figures[e["id"]] = Figure(
                id=e["id"],
                kind=e["kind"],
                title=e["title"],
                caption=e["caption"],
                description=e["description"],
                items=items,
                location=e.loc(),
                unit=e.get("unit") or "",
            )

    def lookup(self, dotted: str, where: Location) -> Any:
        """Resolve a path like `study.chart` into the data files (`theories` gives the checked theories)."""
        if dotted == "theories":
            return self.data.theories
        node: Any = self.raw_files
        for part in dotted.split("."):
            if not isinstance(node, dict) or part not in node:
                self.diags.error(
                    where,
                    f"figure data '{dotted}' not found: no '{part}'"
                    f"{suggest(part, node) if isinstance(node, dict) else ''}",
                )
                return None
            node = node[part]
        return node
