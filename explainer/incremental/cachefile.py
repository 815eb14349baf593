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
    try:
        return _decode(json.loads(text), classes)
    except (ValueError, TypeError, KeyError, AttributeError, RecursionError) as exc:
        raise Unreadable(str(exc)) from None


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
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, list):
        return [_encode(v) for v in value]
    if isinstance(value, tuple):
        return {TAG: "tuple", "v": [_encode(v) for v in value]}
    if isinstance(value, set | frozenset):
        return {TAG: "set", "v": [_encode(v) for v in sorted(value, key=repr)]}
    if isinstance(value, dict):
        if all(isinstance(k, str) for k in value):
            return {TAG: "dict", "v": {k: _encode(v) for k, v in value.items()}}
        return {TAG: "pairs", "v": [[_encode(k), _encode(v)] for k, v in value.items()]}
    if isinstance(value, Path):
        return {TAG: "path", "v": str(value)}
    if isinstance(value, bytes):
        return {TAG: "bytes", "v": base64.b64encode(value).decode("ascii")}
    if isinstance(value, SiteError):
        return {TAG: "SiteError", "v": [_encode(value.location), value.message, value.severity]}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        fields = {f.name: _encode(getattr(value, f.name)) for f in dataclasses.fields(value)}
        return {TAG: type(value).__name__, "v": fields}
    raise TypeError(f"cannot keep a {type(value).__name__} in the cache")


_PLAIN: dict[str, Callable[[Any, Mapping[str, type]], Any]] = {
    "tuple": lambda v, c: tuple(_decode(x, c) for x in v),
    "set": lambda v, c: {_decode(x, c) for x in v},
    "dict": lambda v, c: {str(k): _decode(x, c) for k, x in v.items()},
    "pairs": lambda v, c: {_decode(k, c): _decode(x, c) for k, x in v},
    "path": lambda v, c: Path(str(v)),
    "bytes": lambda v, c: base64.b64decode(str(v)),
    "SiteError": lambda v, c: SiteError(_location(_decode(v[0], c)), str(v[1]), str(v[2])),
}


def _decode(value: Any, classes: Mapping[str, type]) -> Any:
    if isinstance(value, list):
        return [_decode(v, classes) for v in value]
    if not isinstance(value, dict):
        return value
    tag, body = value[TAG], value["v"]
    if tag in _PLAIN:
        return _PLAIN[tag](body, classes)
    cls = classes.get(tag) if tag != "Location" else Location
    if cls is None or not isinstance(body, dict):
        raise TypeError(f"unexpected {tag!r}")
    names = {f.name for f in dataclasses.fields(cls)}
    if set(body) != names:
        raise KeyError(f"{tag} fields {sorted(set(body) ^ names)}")
    obj = cls.__new__(cls)  # field by field: no __init__ or __post_init__ of the file's choosing
    obj.__dict__.update({name: _decode(v, classes) for name, v in body.items()})
    return obj


def _location(value: Any) -> Location:
    if not isinstance(value, Location):
        raise TypeError("a diagnostic without a location")
    return value
