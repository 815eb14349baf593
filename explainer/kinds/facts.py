"""The `facts` kind (`data/facts.yaml`): its model, fields, checks and page.

A fact is one statement of a source with the numbers it states, the source's exact words
that back it (`words`) or, when the editors hold only their notes of what the source says,
those notes (`noted`: shown as a paraphrase, never quoted, never a source's words for the
quotation check), where in the source they are, and a status: `checked`, `unconfirmed`, or
`reading` (the editors' reading, drawn from other facts). Pages print a fact with
`[[fact:id]]` (markdown/references.py); the check stage (`checks/numbers.py`) traces every number of
the prose to one.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from ..core.errors import SiteError
from ..core.schema import Field
from ..core.yamlio import YMap
from .declare import GeneratedPage, Kind, Model, id_key, key

FACT_STATUSES = ("checked", "unconfirmed", "reading")
NUMBER_KINDS = (
    "percentage",
    "p-value",
    "interval-bound",
    "count",
    "ratio",
    "mean",
    "difference",
    "duration",
    "other",
)
NUMBER_FIELDS = (
    Field("value", (int, float)),
    Field("unit", required=False, default=""),
    Field("kind", choices=NUMBER_KINDS),
)


@dataclass(frozen=True)
class FactNumber:
    value: float
    unit: str
    kind: str


def _numbers(items: Any) -> list[FactNumber]:
    return [FactNumber(float(n["value"]), str(n.get("unit") or ""), n["kind"]) for n in items or ()]


@dataclass(kw_only=True)
class Fact(Model):
    id: str = id_key("kebab-case id; `[[fact:id]]` prints `says`")
    statement: str = key(doc="the fact in one sentence")
    says: str = key(doc="what `[[fact:id]]` prints; every number in it is one of `numbers`")
    numbers: list[FactNumber] = key(
        list,
        default=(),
        fields=NUMBER_FIELDS,
        convert=_numbers,
        doc=f"every number the fact states: value, unit, kind ({', '.join(NUMBER_KINDS)})",
    )
    # A Source; None only for an editors' reading without one.
    source: Any = key(default=None, ref="sources", doc="the source (required unless status: reading)")
    words: str = key(default="", convert=str.strip, doc="the source's exact words that back it")
    noted: str = key(
        default="",
        convert=str.strip,
        doc="instead of (or beside) `words`: our notes of what the source says, not its exact words; "
        "shown as a paraphrase, never quoted",
    )
    where: str = key(default="", doc="where in the source: abstract, table 2, press release...")
    status: str = key(choices=FACT_STATUSES, doc="reading: the editors' own reading of other facts")
    drawn_from: list[Fact] = key(
        list, ref="facts", mirror="drawn_from", default=(), doc="for status: reading, the facts it is drawn from"
    )

    @property
    def values(self) -> list[float]:
        return [n.value for n in self.numbers]


def same_number(written: float, signed: bool, value: float) -> bool:
    """Prose equals a fact's value: exactly with its sign when the prose writes one
    ("-1.2%"), else in size ("fell by 1.2%" states the sign in words)."""
    if signed:
        return math.isclose(written, value, rel_tol=0, abs_tol=1e-9)
    return math.isclose(abs(written), abs(value), rel_tol=0, abs_tol=1e-9)


def check_fact(entry: YMap, loader: Any) -> list[SiteError]:
    """What a status requires (a source and its words, or for a reading the facts it is drawn
    from), and that `says` prints only the fact's own numbers, read as the site's language
    writes them (loader.numbers: "1,4 %" is 1.4 in French)."""
    problems = []
    if entry["status"] != "reading":
        if not entry.get("source"):
            problems.append(
                SiteError(entry.loc(), "fact is missing required key 'source' (only status: reading may omit it)")
            )
        if not entry.get("words") and not entry.get("noted"):
            problems.append(
                SiteError(
                    entry.loc(),
                    "fact is missing required key 'words' (only status: reading may omit it): "
                    "give the source's exact words, or 'noted': your notes of what it says",
                )
            )
        if entry.get("drawn_from"):
            problems.append(
                SiteError(entry.loc("drawn_from"), "'drawn_from' is only for status: reading (the editors' reading)")
            )
    elif not entry.get("drawn_from"):
        problems.append(
            SiteError(entry.loc(), "a fact with status: reading needs 'drawn_from': the ids of the facts it reads")
        )
    if entry["id"] in [str(ref) for ref in entry.get("drawn_from") or ()]:
        problems.append(SiteError(entry.value_loc("drawn_from"), f"fact '{entry['id']}' cannot be drawn from itself"))
    return problems + _check_says(entry, loader.numbers)


def _check_says(entry: YMap, written_as: Any) -> list[SiteError]:
    """Every number `says` prints is one of the fact's, read as the site's language writes
    it; "0.03" in a language that writes "0,03" is said so, not read as 0 and 03."""
    numbers = _numbers(entry.get("numbers"))
    says = entry["says"]
    problems = []
    for m in written_as.point_decimals(says):
        written, language = m.group(0), written_as.language_name
        problems.append(
            SiteError(
                entry.value_loc("says"),
                f"'says' writes {written} with a decimal point: in {language} (the site's language), write "
                f"{written_as.with_decimal_sign(written)}",
            )
        )
        says = says[: m.start()] + " " * len(written) + says[m.end() :]
    for m in written_as.prose_re.finditer(says):
        written = written_as.parse(m.group(1), m.group(2), m.group(3))
        if not any(same_number(written, bool(m.group(1)), n.value) for n in numbers):
            problems.append(
                SiteError(
                    entry.value_loc("says"),
                    f"'says' prints {m.group(0).strip()}, which is not one of the fact's numbers: "
                    "add it to 'numbers' or correct 'says'",
                )
            )
    return problems


KIND = Kind(
    "facts",
    "fact",
    make=Fact,
    # Lists where each fact is printed, so it comes after every output that may print one.
    pages=(GeneratedPage("facts/", "facts.html", "facts_title", "nav_facts", lists_cited=True),),
    anchor="fact-{id}",
    reference="fact",
    check=check_fact,
    doc="a list: every number the site states, with its source's exact words (see facts.py)",
)
