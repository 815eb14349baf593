"""Stage 3, data: the YAML files in `data/`, checked and cross-referenced.

Reads `data/*.yaml`. What each file holds is declared by its kind (registry.py lists them);
this stage checks every file against its kind, in an order where what is referred to is read
before what refers to it, and resolves every id reference (a claim's verdict, a limit's
claims, any list of sources), so later stages can trust the data.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..core.errors import Diagnostics, Location, SiteError
from ..core.files import source_files
from ..core.schema import Field, check_id_list, check_mapping, describe
from ..core.suggest import suggest_id
from ..core.yamlio import YMap, YSeq, load_yaml_file
from ..load.numbers import NumberFormat, for_language
from ..load.references import load_references, merge_sources
from .declare import Entry, Kind, MarkdownText
from .registry import Registry

__all__ = ["MarkdownText", "SiteData", "load_data"]


@dataclass
class SiteData:
    """Every kind's entries (`data.sources` ...: a table by id, or a list for kinds without
    ids), the other keys of mapping files (`tell_apart`), and any other file, unchecked."""

    tables: dict[str, Any] = field(default_factory=dict)
    other: dict[str, Any] = field(default_factory=dict)  # any other data file, unchecked
    files: dict[str, Path] = field(default_factory=dict)  # name -> path, for dependency tracking
    kinds: Registry = field(default_factory=Registry)  # the kinds it was loaded as

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_") or name in ("tables", "other", "files", "kinds"):
            raise AttributeError(name)  # not yet set (copy, unpickling)
        if name in self.tables:
            return self.tables[name]
        kind = self.kinds.get(name)
        if kind is None:
            if any(name == f.name for k in self.kinds.values() for f in k.file_fields):
                return None
            raise AttributeError(name)
        if kind.whole_file:
            return None
        return {} if kind.keyed else []

    def own_files(self) -> Iterator[tuple[str, Path, Any]]:
        """(name, path, parsed YAML with positions) of every data file of the site's own (not
        a series' shared one: the series checks those once), by name. The tree is the one
        the data stage parsed, when this process loaded the data; else the file read again
        (data from the build cache)."""
        trees: dict[Path, Any] = getattr(self, "_trees", None) or {}
        shared: set[Path] = getattr(self, "_shared", None) or set()
        for name, path in sorted(self.files.items()):
            if path in shared:
                continue
            tree = trees.get(path)
            if tree is None:
                try:
                    tree = load_yaml_file(path)
                except (SiteError, OSError):
                    continue  # reported when the data was loaded
            yield name, path, tree

    def for_templates(self) -> dict[str, Any]:
        """What templates see as `data.<name>`."""
        view: dict[str, Any] = dict(self.other)
        for name, kind in self.kinds.items():
            value = getattr(self, name)
            if kind.whole_file:
                if value is not None:
                    view[name] = value
                continue
            if kind.by_id:
                view[name] = value
            elif isinstance(value, dict):
                view[name] = sorted(value.values(), key=kind.sort) if kind.sort else list(value.values())
            else:
                view[name] = value
            for f in kind.file_fields:
                view[f.name] = getattr(self, f.name)
        return view


def load_data(
    source: Path, diags: Diagnostics, kinds: Registry | None = None, language: str = "en", shared: Path | None = None
) -> SiteData:
    """Load, check and link every data file as `kinds` (the built-in ones unless given);
    problems go to diags. language: the site's, as numbers in its texts are written.
    shared: a series' folder, whose data/ holds entries of the shared kinds (Kind.shared)
    for every explainer; an explainer's own entry of the same id replaces the series' one."""
    data = SiteData(kinds=kinds or Registry())
    raw = _read_files(source, diags, data)
    # Kept for the checks that read the files' texts with positions (SiteData.own_files), so
    # no file is parsed twice; not in the build cache (not a field).
    data._trees = {data.files[name]: tree for name, tree in raw.items() if tree is not None}
    if shared is not None:
        theirs = SiteData(kinds=data.kinds)
        _add_shared(raw, _read_files(shared, diags, theirs, optional=True), theirs.files, data)
        data._shared = set(theirs.files.values())
    data_dir = source / "data"
    refs = load_references(data_dir, diags)
    if refs:  # sources.bib / sources.json from a reference manager
        data.files.setdefault("sources", data_dir / "sources.yaml")
        data._trees.pop(data_dir / "sources.yaml", None)  # merged with the export below: the checks read it as written
    # Also without refs: the YAML entries of export entries that could not be read go.
    raw["sources"] = merge_sources(raw.get("sources"), refs, data_dir / "sources.yaml", diags)
    loader = _Loader(diags, data, dict(raw), for_language(language))
    for kind in data.kinds.load_order():
        loader.load(kind, raw.pop(kind.name, None), data.files.get(kind.name))
    loader.links.join_mirrors()
    data.other = {k: v for k, v in raw.items() if v is not None}
    return data


def _read_files(source: Path, diags: Diagnostics, data: SiteData, optional: bool = False) -> dict[str, Any]:
    """Every YAML file of source/data/ by name (None: it could not be read, reported);
    data.files gets their paths."""
    raw: dict[str, Any] = {}
    data_dir = source / "data"
    if optional and not data_dir.is_dir():
        return raw  # a series need not share anything
    for path in source_files(data_dir, ".yaml", diags, root=source, recursive=False):
        name = path.stem.replace("-", "_")
        data.files[name] = path
        try:
            raw[name] = load_yaml_file(path)
        except SiteError as exc:
            diags.add(exc)
            raw[name] = None
            # Every id in it is unknown now; references to them would only repeat this error.
            diags.mark_broken("file", data.kinds.file_kinds.get(name, name))
    return raw


def _add_shared(raw: dict[str, Any], shared: dict[str, Any], shared_files: dict[str, Path], data: SiteData) -> None:
    """The series' entries of each shared kind, before the explainer's own: an own entry
    with the same id replaces the series' one; a file of one entry (or a list without
    ids) of the explainer's replaces the series' file whole. Each entry keeps the place
    it was written (YSeq.origins), so its errors point at the series' file."""
    for kind in data.kinds.shared():
        theirs = shared.get(kind.name)
        if theirs is None:
            continue
        own = raw.get(kind.name)
        if kind.name not in data.files:
            raw[kind.name], data.files[kind.name] = theirs, shared_files[kind.name]
            continue
        if not (kind.keyed and kind.shape == "list" and isinstance(own, YSeq) and isinstance(theirs, YSeq)):
            continue  # the explainer's file stands alone
        ids = {e.get("id") for e in own if isinstance(e, YMap)}
        kept = [i for i, item in enumerate(theirs) if not (isinstance(item, YMap) and item.get("id") in ids)]
        merged = YSeq([theirs[i] for i in kept])
        merged.__dict__.update(own.__dict__)
        merged.origins = {n: theirs.loc(i) for n, i in enumerate(kept)}
        merged.origins.update({len(kept) + i: loc for i, loc in own.__dict__.get("origins", {}).items()})
        merged.item_marks = [(0, 0)] * len(kept) + list(own.item_marks)
        merged.extend(own)
        raw[kind.name] = merged


class _References:
    """Resolves the ids an entry names into the objects of the kinds already loaded (a
    reference to an entry reported broken is skipped: one mistake, one error)."""

    def __init__(self, diags: Diagnostics, data: SiteData) -> None:
        self.diags = diags
        self.data = data
        self.kinds = data.kinds
        self.mirrored: list[tuple[Kind, Any, Field, YMap]] = []  # links named from both sides: joined last

    def report(self, errors: list[SiteError]) -> None:
        for err in errors:
            self.diags.add(err)

    def table(self, name: str) -> dict[str, Any]:
        found = self.data.tables.get(name)
        return found if isinstance(found, dict) else {}

    def ref(self, entry: YMap, f: Field) -> Any:
        """The object a single reference names, or None (reported unless already known broken)."""
        table, ident, what = self.table(f.ref), str(entry[f.name]), self.kinds[f.ref].what
        if ident in table:
            return table[ident]
        if not self.diags.is_broken(what, ident):
            self.diags.error(entry.value_loc(f.name), f"unknown {what} id '{ident}'{suggest_id(ident, table)}")
        return None

    def refs(self, entry: YMap, f: Field, kind: Kind) -> list[Any]:
        table = self.table(f.ref)
        self.report(check_id_list(entry, f.name, table, self.kinds[f.ref].what, self.diags))
        if f.min_items and len(entry.get(f.name) or ()) < f.min_items:
            self.diags.error(entry.value_loc(f.name), f"a {kind.what} needs at least one {self.kinds[f.ref].what}")
        return [table[str(r)] for r in entry.get(f.name) or [] if str(r) in table]

    def check_refs(self, node: Any, fields: tuple[Field, ...]) -> None:
        """References at any depth of checked YAML (a mapping kind's, a figure's items)."""
        if isinstance(node, list):
            for item in node:
                self.check_refs(item, fields)
            return
        if not isinstance(node, YMap):
            return
        for f in fields:
            if f.name not in node or node[f.name] is None:
                continue
            if f.ref and f.kind is list:
                self.report(check_id_list(node, f.name, self.table(f.ref), self.kinds[f.ref].what, self.diags))
            elif f.ref:
                self.ref(node, f)
            elif f.fields:
                self.check_refs(node[f.name], f.fields)

    def join_mirrors(self) -> None:
        """Links named from either side (a claim's limits, a limit's `weakens`): each side
        lists the other's objects that the link joins, in the other's file order."""
        pairs: set[tuple[int, int]] = set()
        for kind, obj, f, entry in self.mirrored:
            for other in self.refs(entry, f, kind):
                pairs.add((id(obj), id(other)) if kind.name < f.ref else (id(other), id(obj)))
        for kind, obj, f, _entry in self.mirrored:
            others = self.table(f.ref).values()
            if kind.name < f.ref:
                setattr(obj, f.name, [o for o in others if (id(obj), id(o)) in pairs])
            else:
                setattr(obj, f.name, [o for o in others if (id(o), id(obj)) in pairs])


class _Loader:
    """Checks each kind's file against its declaration and makes its objects."""

    def __init__(self, diags: Diagnostics, data: SiteData, raw_files: dict[str, Any], numbers: NumberFormat) -> None:
        self.diags = diags
        self.numbers = numbers  # how the site's language writes numbers
        self.data = data
        self.raw_files = raw_files  # every file as loaded, for figure data paths
        self.kinds = data.kinds
        self.links = _References(diags, data)

    def report(self, errors: list[SiteError]) -> bool:
        for err in errors:
            self.diags.add(err)
        return not errors

    @staticmethod
    def custom_checks(entry: YMap, fields: tuple[Field, ...]) -> list[SiteError]:
        """The fields' own checks (Field.check), once their shape is known to be right."""
        return [e for f in fields if f.check and entry.get(f.name) for e in f.check(entry, f.name)]

    def load(self, kind: Kind, value: Any, path: Path | None) -> None:
        if value is None or path is None:
            return
        if kind.whole_file:
            errors = check_mapping(value, kind.fields, Location(path), f"{path.name}")
            if self.report(errors or self.custom_checks(value, kind.fields)):
                self.links.check_refs(value, kind.fields)
                self.data.tables[kind.name] = value
            return
        if kind.items_key:
            file_fields = (Field(kind.items_key, list), *kind.file_fields)
            if not self.report(check_mapping(value, file_fields, Location(path), f"{kind.name}.yaml")):
                return
            for f in kind.file_fields:
                self.data.tables[f.name] = self.value_of(value, f)
            value = value[kind.items_key]
        table: dict[str, Any] | list[Any] = {} if kind.keyed else []
        self.data.tables[kind.name] = table
        for entry in self.entries(value, path, kind):
            obj = self.make(kind, entry)
            if obj is None:
                self.diags.mark_broken(kind.what, str(entry.get("id")))
            elif isinstance(table, dict):
                table[entry["id"]] = obj
            else:
                table.append(obj)

    def entries(self, value: Any, path: Path, kind: Kind) -> list[YMap]:
        """The valid entries of a list; reports bad entries and duplicate ids."""
        what = kind.what
        if not isinstance(value, YSeq):
            self.diags.error(
                getattr(value, "loc", lambda: Location(path))(),
                f"{path.name} must be a list of entries ('- id: ...'), not {describe(value)}",
            )
            return []
        good: list[YMap] = []
        seen: dict[str, int] = {}
        for i, entry in enumerate(value):
            errors = check_mapping(entry, kind.fields, value.loc(i), what)
            if not errors:
                errors = self.custom_checks(entry, kind.fields)
            if not errors and kind.check:
                errors = kind.check(entry, self)
            if not self.report(errors):
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

    def make(self, kind: Kind, entry: YMap) -> Any:
        """The entry as its kind's object, with references resolved; None if it cannot be."""
        values: dict[str, Any] = {}
        mirrored: list[Field] = []
        for f in kind.fields:
            if f.ref and f.mirror:
                values[f.name] = []
                mirrored.append(f)
            elif f.ref and f.kind is list:
                values[f.name] = self.links.refs(entry, f, kind)
            elif f.ref and entry.get(f.name) is None:
                values[f.name] = f.default  # an optional reference left out
            elif f.ref:
                target = self.links.ref(entry, f)
                if target is None:
                    return None
                values[f.name] = target
            else:
                values[f.name] = self.value_of(entry, f)
        if kind.complete is not None and not kind.complete(self, entry, values):
            return None
        obj = (kind.make or Entry)(**values, location=entry.loc())
        self.links.mirrored += [(kind, obj, f, entry) for f in mirrored]
        return obj

    def value_of(self, entry: YMap, f: Field) -> Any:
        value = entry.get(f.name)
        if not f.required and not value:
            value = f.default
        if f.markdown:
            return MarkdownText(value, entry.text_loc(f.name))
        return f.convert(value) if f.convert else value
