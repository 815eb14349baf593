"""Where a figure's items come from: inline `items:`, or a `data:` path into any data file
(`study.timeline`; a kind's name alone gives its checked objects: `theories`), checked
against the fields its figure kind declares."""

from __future__ import annotations

from typing import Any

from ..core.errors import Location
from ..core.schema import check_mapping, describe
from ..core.suggest import did_you_mean
from ..core.yamlio import YMap
from .declare import FigureKind


class FigureData:
    """Finds and checks a figure's data with the data stage's loader (its diagnostics, the
    files as read, the kinds already loaded)."""

    def __init__(self, loader: Any) -> None:
        self.loader = loader

    def items(self, entry: YMap, figure: FigureKind) -> Any:
        """A figure's items (inline, or where its `data:` path points), checked against its kind."""
        where = entry.value_loc("items" if "items" in entry else "data")
        if "items" in entry:
            items = entry["items"]
        else:
            items = self.lookup(entry["data"], where)
            kind = self.loader.kinds.get(entry["data"])
            if items is None:
                return None
            if kind is not None and not kind.whole_file:
                # A kind's own objects (`theories`), checked as they loaded: drawable only if
                # they hold what the figure's items need.
                return items if self.fits(figure, kind, where) else None
        if "data" in entry and not isinstance(items, list):
            message = f"figure data '{entry['data']}' must be a list of items, not {describe(items)}"
            self.loader.diags.error(where, message)
            return None
        if isinstance(items, list) and not items:
            self.loader.diags.error(where, f"a {figure.name} figure needs at least one item")
            return None
        schema = figure.items
        if schema is not None and not self._checked(entry, schema, items, where):
            return None
        return items

    def _checked(self, entry: YMap, schema: Any, items: Any, where: Location) -> bool:
        """The items against their kind's Field, located as the `items:` (or `data:`) key."""
        holder = YMap({schema.name: items})
        holder.path, holder.line, holder.col = entry.path, entry.line, entry.col
        holder.key_marks = {schema.name: (where.line, where.col)}
        holder.value_marks, holder.value_styles, holder.block_indents = dict(holder.key_marks), {}, {}
        errors = check_mapping(holder, (schema,), entry.loc(), "figure")
        if not self.loader.report(errors or self.loader.custom_checks(holder, (schema,))):
            return False
        self.loader.links.check_refs(holder, (schema,))
        return True

    def fits(self, figure: FigureKind, kind: Any, where: Location) -> bool:
        """Whether a kind's entries have every field this figure kind's items require."""
        schema = figure.items
        needed = [f.name for f in (schema.fields or ()) if f.required] if schema is not None else []
        have = {f.name for f in kind.fields}
        missing = [name for name in needed if name not in have]
        if missing:
            self.loader.diags.error(
                where,
                f"a {figure.name} figure cannot draw '{kind.name}': its items need {', '.join(needed)}, "
                f"and {kind.name} have no {', '.join(missing)}; name data whose entries have them, or give items:",
            )
            return False
        return True

    def lookup(self, dotted: str, where: Location) -> Any:
        """Resolve a path like `study.chart` into the data files (a kind's name alone gives
        its checked objects: `theories`)."""
        kind = self.loader.kinds.get(dotted)
        if kind is not None and not kind.whole_file and dotted in self.loader.data.tables:
            table = self.loader.data.tables[dotted]
            return list(table.values()) if isinstance(table, dict) else table
        node: Any = self.loader.raw_files
        for part in dotted.split("."):
            if node is None:
                return None  # a file that could not be read: reported there
            if not isinstance(node, dict) or part not in node:
                self.loader.diags.error(
                    where,
                    f"figure data '{dotted}' not found: no '{part}'"
                    f"{did_you_mean(part, node) if isinstance(node, dict) else ''}",
                )
                return None
            node = node[part]
        return node
