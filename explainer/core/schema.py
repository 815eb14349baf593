"""A small schema checker: what each key of a data mapping must hold (`Field`), checked with
every error located (`check_mapping`, `check_value`, `check_items`, `check_id_list`).
Reads loaded YAML (yamlio's `YMap`/`YSeq`); touches nothing."""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .errors import Diagnostics, Location, SiteError
from .suggest import nearest, suggest_id
from .yamlio import ID_RE, YMap, YSeq


@dataclass(frozen=True)
class Field:
    """One key of a mapping: what it must hold. The registry (registry.py) declares every
    data kind's fields with these; `check_mapping` checks the shape, the data stage the rest
    (references, custom checks) and turns values into objects (default, markdown, convert)."""

    name: str
    kind: type | tuple[type, ...] = str
    required: bool = True
    choices: tuple[str, ...] | Callable[[], tuple[str, ...]] = ()
    is_id: bool = False
    id_rule: tuple[re.Pattern[str], str] | None = None  # ids of this kind: (pattern, what it allows); else ID_RE
    default: Any = None  # an optional key's value when absent or empty
    ref: str = ""  # the kind (registry name) whose id this holds; a list of ids when kind is list
    mirror: str = ""  # a link named from both sides: the field of the referred kind that names it back
    min_items: int = 0  # a list's fewest items
    check: Callable[[YMap, str], list[SiteError]] | None = None  # a custom check of this key's value
    markdown: bool = False  # Markdown text: kept with where it starts, so errors point inside it
    convert: Callable[[Any], Any] | None = None  # the value as the model holds it
    fields: tuple[Field, ...] = ()  # a mapping's keys (kind dict), or each item's (kind list)
    open: bool = False  # with fields: other keys are allowed too
    each: type | tuple[type, ...] | None = None  # a list whose items are all of this type
    doc: str = ""  # one line for docs/content-model.md

    def choice_list(self) -> tuple[str, ...]:
        return self.choices() if callable(self.choices) else self.choices


_KIND_NAMES = {
    str: "text",
    int: "a whole number",
    float: "a number",
    bool: "true or false",
    list: "a list",
    dict: "a mapping",
}


NUMBER_AS_TEXT_RE = re.compile(r"^[-+\u2212]?\d[\d \u00a0\u202f.,']*\s*%?$")


def _number_hint(item: Any, f: Field) -> str:
    """A number written as a language writes it ("1,4", "2 500", "12 %") where YAML wants a
    number: what to write instead (data files write numbers one way, in every language)."""
    kinds = f.kind if isinstance(f.kind, tuple) else (f.kind,)
    if not (int in kinds or float in kinds) or not isinstance(item, str) or not NUMBER_AS_TEXT_RE.match(item.strip()):
        return ""
    text = re.sub(r"[\s\u00a0\u202f'%]", "", item).replace("\u2212", "-")
    if text.count(",") == 1 and "." not in text:
        text = text.replace(",", ".")  # a decimal comma
    text = text.replace(",", "")
    unit = " (the unit goes in 'unit')" if "%" in item else ""
    return (
        f": data files write numbers with a point and no spaces, whatever the site's language: "
        f"{f.name}: {text}{unit}; pages print them as the language writes them"
    )


def _split_number(key: str) -> str:
    """A key that is a bare number with no value: `{value: 1,4}` in braces, where a comma
    separates keys."""
    return (
        f"unknown key '{key}': inside {{ }} a comma separates keys, so 'value: 1,{key}' reads as the "
        f"number 1 and a key {key}: write numbers with a point (value: 1.{key})"
    )


def kind_name(kind: type | tuple[type, ...]) -> str:
    kinds = kind if isinstance(kind, tuple) else (kind,)
    if int in kinds and float in kinds:  # "a whole number or a number" reads oddly
        kinds = tuple(k for k in kinds if k is not int)
    return " or ".join(_KIND_NAMES.get(k, k.__name__) for k in kinds)


def _is_kind(value: Any, kind: type | tuple[type, ...]) -> bool:
    kinds = kind if isinstance(kind, tuple) else (kind,)
    if isinstance(value, bool) and bool not in kinds:
        return False  # YAML's `yes`/`true` is not a number
    if (int in kinds or float in kinds) and isinstance(value, (int, float)):
        # .nan and .inf are YAML floats, but no order, year or rating can be one.
        return (float in kinds or isinstance(value, int)) and math.isfinite(value)
    return isinstance(value, kinds)


def check_mapping(
    value: Any, fields: list[Field] | tuple[Field, ...], where: Location, what: str, open: bool = False
) -> list[SiteError]:
    """Check a mapping against its fields: type, required keys, unknown keys, ids, and the
    fields of nested mappings and lists of mappings (Field.fields)."""
    if not isinstance(value, YMap):
        return [SiteError(where, f"{what} must be a mapping (key: value), not {describe(value)}")]
    errors: list[SiteError] = []
    known = {f.name: f for f in fields}
    unused = [name for name in known if name not in value]
    misspelt: set[str] = set()  # required keys an unknown key is a typo of: one error, not two
    for key in value if not open else ():
        if key not in known and str(key).isdigit() and value[key] is None:
            errors.append(SiteError(value.loc(key), _split_number(key)))
            continue
        if key not in known:
            hint = nearest(key, unused) or nearest(key, known)
            suggestion = f"; did you mean '{hint}'?" if hint else f"; known keys: {', '.join(known)}"
            errors.append(SiteError(value.loc(key), f"unknown key '{key}' in {what}{suggestion}"))
            misspelt.update([hint] if hint else [])
    for f in fields:
        if f.name not in value:
            if f.required and f.name not in misspelt:
                errors.append(SiteError(value.loc(), f"{what} is missing required key '{f.name}'"))
            continue
        if value[f.name] is None:
            if f.required:
                errors.append(SiteError(value.loc(f.name), f"'{f.name}' is empty; it needs a value"))
            continue
        errors += check_value(value, f)
    return errors


def check_value(value: YMap, f: Field) -> list[SiteError]:
    """The errors of one present, non-empty key of a mapping."""
    item = value[f.name]
    where = value.value_loc(f.name)
    if f.required and isinstance(item, str) and not item.strip():
        return [SiteError(where, f"'{f.name}' is empty; it needs a value")]
    if not _is_kind(item, f.kind):
        return [
            SiteError(where, f"'{f.name}' must be {kind_name(f.kind)}, not {describe(item)}{_number_hint(item, f)}")
        ]
    choices = f.choice_list()
    if choices and item not in choices:
        return [SiteError(where, f"'{f.name}' must be one of: {', '.join(choices)} (got '{item}')")]
    if f.is_id and f.id_rule is not None and not f.id_rule[0].match(str(item)):
        return [SiteError(where, f"id '{item}' cannot be used: {f.id_rule[1]}")]
    if f.is_id and f.id_rule is None and not ID_RE.match(str(item)):
        return [SiteError(where, f"id '{item}' may use only a-z, 0-9 and single hyphens")]
    if isinstance(item, list):
        return check_items(item, f, where)
    if f.fields:
        return check_mapping(item, f.fields, where, f"'{f.name}'", f.open)
    return []


def check_items(items: list[Any], f: Field, where: Location) -> list[SiteError]:
    """A list's items: each of type f.each, or each a mapping with f.fields."""
    errors: list[SiteError] = []
    for i, item in enumerate(items):
        at = items.loc(i) if isinstance(items, YSeq) else where
        if f.each is not None and not _is_kind(item, f.each):
            errors.append(SiteError(at, f"each item of '{f.name}' must be {kind_name(f.each)}, not {describe(item)}"))
        elif f.fields:
            errors += check_mapping(item, f.fields, at, f"each item of '{f.name}'", f.open)
    return errors


def check_id_list(
    value: YMap, key: str, known: set[str] | dict, kind: str, diags: Diagnostics | None = None
) -> list[SiteError]:
    """Each item of value[key] must be a known id of the given kind (ids diags knows to be
    broken were reported where they are defined, so are skipped here)."""
    items = value.get(key) or []
    if not isinstance(items, list):
        return [SiteError(value.value_loc(key), f"'{key}' must be a list of {kind} ids")]
    errors = []
    for i, ref in enumerate(items):
        if diags is not None and diags.is_broken(kind, str(ref)):
            continue
        if str(ref) not in known:
            loc = items.loc(i) if isinstance(items, YSeq) else value.value_loc(key)
            errors.append(SiteError(loc, f"unknown {kind} id '{ref}'{suggest_id(str(ref), known)}"))
    return errors


def describe(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return f"'{str(value).lower()}'"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    return f"'{value}'"


def each_matching(pattern: re.Pattern[str], lists: str) -> Callable[[YMap, str], list[SiteError]]:
    """A Field check: every item of the list is text matching pattern; else one error at the
    list, "'<key>' lists <lists>; not <the first bad item>"."""

    def check(entry: YMap, name: str) -> list[SiteError]:
        bad = [p for p in entry[name] if not isinstance(p, str) or not pattern.match(p)]
        if not bad:
            return []
        return [SiteError(entry.value_loc(name), f"'{name}' lists {lists}; not {describe(bad[0])}")]

    return check
