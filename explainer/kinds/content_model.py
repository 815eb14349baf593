"""docs/content-model.md's field tables, generated from the kinds' declarations: one table
per kind (nested keys as `design.rows[].label`) and one of the figure kinds. A test fails
when the doc differs; `python -m explainer.kinds.content_model` refreshes it, and adds a
section for a kind that has no table yet."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path

from ..core.schema import Field, kind_name
from .declare import Kind
from .figures import FIGURE_KINDS
from .registry import Registry

TABLE_START = (
    "<!-- fields: {name} (generated from the kinds' declarations in explainer/kinds/;"
    " to refresh: python -m explainer.kinds.content_model) -->"
)
TABLE_END = "<!-- /fields -->"
CONTENT_MODEL = "docs/content-model.md"


def _holds(f: Field, kinds: Registry) -> str:
    """What a field holds, in editors' words."""
    if f.ref:
        what = kinds[f.ref].what if f.ref in kinds else f.ref
        return f"a list of {what} ids" if f.kind is list else f"a {what} id"
    if f.markdown:
        return "Markdown"
    if f.is_id and f.id_rule is not None:
        return "a citation key (letters, digits, _; :.-+/ inside)"
    if f.is_id:
        return "an id (a-z, 0-9, hyphens)"
    if f.each is not None:
        return f"a list of {kind_name(f.each)}"
    if f.kind is list and f.fields:
        return "a list of mappings"
    return kind_name(f.kind)


def _notes(f: Field, kinds: Registry) -> str:
    notes = []
    choices = f.choice_list()
    if choices:
        notes.append("one of: " + " \\| ".join(choices))
    if not f.required and f.default not in (None, "", (), 0):
        notes.append(f"default: {f.default}")
    if f.min_items:
        notes.append(f"at least {f.min_items}")
    if f.mirror:
        notes.append(f"a link also counts when the {kinds[f.ref].what} names it (its `{f.mirror}`)")
    if f.doc:
        notes.append(f.doc)
    return "; ".join(notes).replace("<", "&lt;")  # "SVG <title>" is text, not a tag


def field_rows(fields: Iterable[Field], kinds: Registry, prefix: str = "") -> list[str]:
    rows = []
    for f in fields:
        name = f"{prefix}{f.name}"
        rows.append(f"| `{name}` | {_holds(f, kinds)} | {'yes' if f.required else 'no'} | {_notes(f, kinds)} |")
        if f.fields:
            rows += field_rows(f.fields, kinds, f"{name}[]." if f.kind is list else f"{name}.")
    return rows


def field_table(kind: Kind, kinds: Registry) -> str:
    """A kind's fields as a Markdown table (nested keys as `design.rows[].label`)."""
    head = ["| key | holds | required | notes |", "|---|---|---|---|"]
    fields: tuple[Field, ...] = kind.fields
    if kind.items_key:
        each = replace(Field(kind.items_key, list), fields=kind.fields, doc=f"each {kind.what}")
        fields = (each, *kind.file_fields)
    return "\n".join(head + field_rows(fields, kinds))


def figure_kinds_table(kinds: Registry) -> str:
    """Each figure kind: the fields of its items and its own keys in figures.yaml."""

    def cell(fields: Iterable[Field]) -> str:
        said = [(f.name, f.doc or (_holds(f, kinds) if _holds(f, kinds) != "text" else "")) for f in fields]
        return ", ".join(f"`{name}`" + (f" ({note})" if note else "") for name, note in said) or "–"

    rows = ["| kind | each item | the kind's own fields |", "|---|---|---|"]
    for kind in FIGURE_KINDS.values():
        items = kind.items.fields if kind.items is not None else ()
        rows.append(f"| `{kind.name}` | {cell(items)} | {cell(kind.options)} |")
    return "\n".join(rows)


def generated_tables(kinds: Registry) -> dict[str, str]:
    """Every table docs/content-model.md holds, by its marker's name."""
    tables = {kind.name: field_table(kind, kinds) for kind in kinds.values()}
    tables["figure kinds"] = figure_kinds_table(kinds)
    return tables


def refresh_content_model(text: str, kinds: Registry | None = None) -> str:
    """The doc with every generated table replaced by the registry's; a kind with no table
    yet gets a section of its own at the end."""
    kinds = kinds or Registry()
    for name, table in generated_tables(kinds).items():
        start = TABLE_START.format(name=name)
        block = f"{start}\n{table}\n{TABLE_END}"
        if start in text:
            before, rest = text.split(start, 1)
            text = before + block + rest.split(TABLE_END, 1)[1]
        else:
            kind = kinds.get(name)
            title = f"data/{name}.yaml — {kind.doc}" if kind is not None else name
            text = text.rstrip("\n") + f"\n\n## {title}\n{block}\n"
    return text


def main(argv: list[str]) -> None:
    doc = Path(argv[1] if len(argv) > 1 else CONTENT_MODEL)
    doc.write_text(refresh_content_model(doc.read_text(encoding="utf-8")), encoding="utf-8")
    print(f"refreshed the field tables of {doc}")


if __name__ == "__main__":  # python -m explainer.kinds.content_model [docs/content-model.md]
    import sys

    main(sys.argv)
