"""The build cache's files: plain JSON, read back into our own record types only.

A cache file is data, never code: it is JSON, and what it may hold is strings, numbers,
lists, maps, and a fixed set of our own dataclasses (by name: each object is rebuilt field
by field, without calling anything of the file's choosing). A file that is not valid JSON,
names another type or lacks a field is refused as a whole (`Unreadable`); the build then
ignores the cache (one warning) and renders everything.
"""

from __future__ import annotations

import base64
import dataclasses
import gc
import json
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from ..core.errors import Location, SiteError
from ..core.fileops import replace_file

TAG = "@"  # an encoded value other than a plain list, string, number or string-keyed map


class Unreadable(Exception):
    """A cache file that is not ours: not JSON, or not the shape we write."""


def dumps(value: Any) -> str:
    return json.dumps(_encode(value), separators=(",", ":"), ensure_ascii=False)


def loads(text: str | bytes, classes: Mapping[str, type]) -> Any:
    """Decode a file written by dumps; classes: the dataclasses it may hold, by name."""
    collecting = gc.isenabled()
    # A cache file is up to a million objects and no cycles: the collector, run again and
    # again while they are made, cost four times the parse itself.
    gc.disable()
    try:
        return json.loads(text, object_hook=_hook(classes))
    except (ValueError, TypeError, KeyError, AttributeError, IndexError, RecursionError) as exc:
        raise Unreadable(str(exc)) from None
    finally:
        if collecting:
            gc.enable()


def write(path: Path, value: Any) -> None:
    """Write atomically (a reader never sees half a file). Streamed: each top-level entry
    is encoded on its own, so a 10,000-page cache never exists twice in memory at once."""

    def fill(temp: Path) -> None:
        with open(temp, "w", encoding="utf-8") as handle:
            _stream(value, handle.write)

    replace_file(path, fill)


def _stream(value: Any, out: Callable[[str], Any], depth: int = 0) -> None:
    """dumps(value), written piece by piece: the outer objects and maps (a dataclass's
    fields, a map's entries) are streamed, what is inside them is encoded whole."""
    if depth > 2:
        out(dumps(value))
    elif isinstance(value, dict) and all(isinstance(k, str) for k in value):
        _stream_map("dict", value, out, depth)
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        fields = {f.name: getattr(value, f.name) for f in dataclasses.fields(value)}
        _stream_map(type(value).__name__, fields, out, depth)
    else:
        out(dumps(value))


def _stream_map(tag: str, entries: dict[str, Any], out: Callable[[str], Any], depth: int) -> None:
    out(f'{{"{TAG}":{json.dumps(tag)},"v":{{')
    for i, (key, item) in enumerate(entries.items()):
        out(("," if i else "") + json.dumps(key, ensure_ascii=False) + ":")
        _stream(item, out, depth + 1)
    out("}}")


def read(path: Path, classes: Mapping[str, type]) -> Any:
    """The value in path; None when there is no such file; Unreadable when it is not ours."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise Unreadable(str(exc)) from None
    return loads(data, classes)


def _encode(value: Any) -> Any:
    """value as plain JSON values, tagged where JSON has no such type. Dispatched on the
    exact type (a 10,000-page cache holds millions of values): one lookup per value."""
    encoder = _ENCODERS.get(type(value))
    if encoder is None:
        encoder = _ENCODERS[type(value)] = _encoder_for(type(value))
    return encoder(value)


def _same(value: Any) -> Any:
    return value


def _encode_dict(value: dict) -> Any:
    # A map whose keys are strings, none of them the tag, is a JSON object; any other map is
    # pairs, so that an object holding the tag is always one of ours (see _hook).
    if all(type(k) is str for k in value) and TAG not in value:
        return {TAG: "dict", "v": {k: _encode(v) for k, v in value.items()}}
    return {TAG: "pairs", "v": [[_encode(k), _encode(v)] for k, v in value.items()]}


def _encoder_for(kind: type) -> Callable[[Any], Any]:
    if kind is type(None) or issubclass(kind, bool | int | float | str):
        return _same
    if issubclass(kind, list):
        return lambda v: [_encode(x) for x in v]
    if issubclass(kind, tuple):
        return lambda v: {TAG: "tuple", "v": [_encode(x) for x in v]}
    if issubclass(kind, set | frozenset):
        return lambda v: {TAG: "set", "v": [_encode(x) for x in sorted(v, key=repr)]}
    if issubclass(kind, dict):
        return _encode_dict
    if issubclass(kind, Path):
        return lambda v: {TAG: "path", "v": str(v)}
    if issubclass(kind, bytes):
        return lambda v: {TAG: "bytes", "v": base64.b64encode(v).decode("ascii")}
    if kind is Location:
        return _encode_location
    if issubclass(kind, SiteError):
        return lambda v: {TAG: "SiteError", "v": [_encode(v.location), v.message, v.severity]}
    if dataclasses.is_dataclass(kind):
        name, fields = kind.__name__, tuple(f.name for f in dataclasses.fields(kind))
        return lambda v: {TAG: name, "v": {f: _encode(getattr(v, f)) for f in fields}}
    raise TypeError(f"cannot keep a {kind.__name__} in the cache")


def _encode_location(value: Location) -> Any:
    # The commonest record (every link and diagnostic has one): a list, not three objects.
    if isinstance(value.path, Path) and type(value.line) is int and type(value.col) is int:
        return {TAG: "at", "v": [str(value.path), value.line, value.col]}
    return {TAG: "Location", "v": {f.name: _encode(getattr(value, f.name)) for f in dataclasses.fields(value)}}


def _decode_location(value: Any, paths: dict[str, Path]) -> Location:
    """paths: the Path of each text decoded so far (a page's links share their file's)."""
    path, line, col = value
    if not (isinstance(path, str) and type(line) is int and type(col) is int):
        raise TypeError("a location that is not [path, line, column]")
    known = paths.get(path)
    if known is None:
        known = paths[path] = Path(path)
    return Location(known, line, col)


_ENCODERS: dict[type, Callable[[Any], Any]] = {}


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise TypeError("expected a string")
    return value


_PLAIN: dict[str, Callable[[Any], Any]] = {
    "tuple": tuple,
    "set": set,
    "dict": dict,
    "pairs": lambda v: {k: x for k, x in v},
    "path": lambda v: Path(_text(v)),
    "bytes": lambda v: base64.b64decode(_text(v)),
    "SiteError": lambda v: SiteError(_location(v[0]), str(v[1]), str(v[2])),
}


def _hook(classes: Mapping[str, type]) -> Callable[[dict], Any]:
    """json's object hook: each JSON object, innermost first, its values already decoded.
    An object with the tag is one of ours; one without is the body of the object around it."""
    fields: dict[type, frozenset[str]] = {}
    paths: dict[str, Path] = {}

    def hook(obj: dict) -> Any:
        tag = obj.get(TAG)
        if tag is None:
            return obj
        if len(obj) != 2 or not isinstance(tag, str):
            raise TypeError(f"unexpected object {sorted(obj)}")
        body = obj["v"]
        if tag == "at":
            if not isinstance(body, list):
                raise TypeError("at: not a list")
            return _decode_location(body, paths)
        plain = _PLAIN.get(tag)
        if plain is not None:
            if tag in ("tuple", "set", "pairs") and not isinstance(body, list):
                raise TypeError(f"{tag}: not a list")
            if tag == "dict" and not isinstance(body, dict):
                raise TypeError("dict: not a map")
            return plain(body)
        cls = classes.get(tag) if tag != "Location" else Location
        if cls is None or not isinstance(body, dict):
            raise TypeError(f"unexpected {tag!r}")
        names = fields.get(cls)
        if names is None:
            names = fields[cls] = frozenset(f.name for f in dataclasses.fields(cls))
        if body.keys() != names:
            raise KeyError(f"{tag} fields {sorted(set(body) ^ names)}")
        made = cls.__new__(cls)  # field by field: no __init__ or __post_init__ of the file's choosing
        made.__dict__.update(body)
        return made

    return hook


def _location(value: Any) -> Location:
    if not isinstance(value, Location):
        raise TypeError("a diagnostic without a location")
    return value
