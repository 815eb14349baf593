"""The one dependency graph of the build cache and the live preview.

While it renders, every output records what it used (`RenderedFile.data` and
`RenderedFile.templates`, see render/uses.py). A use is one of:

- a data file, by name (`claims`): the output read the table whole (iterated it);
- one entry of a data file (`glossary#p-value`): the output read that entry only;
- a data file's index (`glossary@index`): the ids and names its entries are matched by
  (every Markdown conversion matches the glossary's names, whatever terms it then marks);
- a template, by name (`claim.html`), looked up as the loader would: the site's first.

`Fingerprints` gives each use the hash of what it reads now. An output is stale when the
hash of any of its uses differs from the one it was rendered with: the build cache keeps
each output's key (the digest of those hashes) from the last build, the preview keeps the
hashes themselves. Either way, editing one glossary term re-renders the pages that marked
that term and the glossary page, not the site.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

from ..kinds.data import SiteData
from ..kinds.registry import Registry
from ..render.uses import CITED_USE, INDEX, NAV_USE, RECORD, RenderedFile

ABSENT = "-"  # the hash of something that is not there (a record or file not found)
TEMPLATE = "template:"  # templates and data share one table of hashes: names kept apart


def digest(*parts: str) -> str:
    h = hashlib.blake2b(digest_size=20)
    for part in parts:
        data = part.encode("utf-8")
        h.update(len(data).to_bytes(8, "little"))
        h.update(data)
    return h.hexdigest()


def uses_of(file: RenderedFile, all_names: Iterable[str], kinds: Registry | None = None) -> list[str]:
    """Everything an output used: what it recorded, and the data files that the data it read
    holds (a claim holds its verdict, limits and sources: see expand)."""
    own = {u for u in file.data if u not in (NAV_USE, CITED_USE)}
    read = {u.split(RECORD)[0] for u in own if INDEX not in u}
    # What those hold: other files, and the whole file where an entry may hold others of its
    # own kind (a fact drawn from another fact).
    kinds = kinds or Registry()
    held = (expand(read, set(all_names), kinds) - read) | {n for n in read if n in kinds and n in kinds[n].refs}
    return sorted(own | held) + sorted(TEMPLATE + name for name in file.templates)


def expand(names: set[str], all_names: set[str], kinds: Registry) -> set[str]:
    """Data names plus every data name whose objects they hold (transitively): the registry's
    references, and every file for a kind that may read any (a figure's `data: study.chart`)."""
    found = set(names)
    todo = list(names)
    links = kinds.depends_on()
    while todo:
        name = todo.pop()
        kind = kinds.get(name)
        linked = all_names if kind is not None and kind.reads_any else links.get(name, set())
        for other in linked - found:
            found.add(other)
            todo.append(other)
    return found


class Fingerprints:
    """The hash of each use as the sources are now (memoised: one build, one state)."""

    def __init__(self, data: SiteData, template_dirs: Iterable[Path], sha_of: Callable[[Path], str]) -> None:
        self.data = data
        self.template_dirs = list(template_dirs)
        self.sha_of = sha_of
        self.known: dict[str, str] = {}
        self._spans: dict[str, dict[str, str]] = {}

    def of(self, use: str) -> str:
        if use not in self.known:
            self.known[use] = self._hash(use)
        return self.known[use]

    def key(self, base: str, file: RenderedFile) -> str:
        """An output's key: what it is (base: the site-wide inputs, its path, its page) and
        the hash of everything it used."""
        return self.key_of(base, uses_of(file, self.data.files, self.data.kinds))

    def key_of(self, base: str, uses: Iterable[str]) -> str:
        """The key of anything made from base and these uses (an output; the prose checks'
        findings of a page or of the data, site/check.py): it differs when any of them did."""
        return digest(base, *(f"{use}={self.of(use)}" for use in uses))

    def table(self, files: Iterable[RenderedFile]) -> dict[str, str]:
        """The hash of every use of these outputs (what the preview keeps between edits)."""
        return {use: self.of(use) for f in files for use in uses_of(f, self.data.files, self.data.kinds)}

    def _hash(self, use: str) -> str:
        if use.startswith(TEMPLATE):
            name = use[len(TEMPLATE) :]
            found = next((d / name for d in self.template_dirs if (d / name).is_file()), None)
            return self.sha_of(found) if found is not None else ABSENT
        if INDEX in use:
            return _index_hash(getattr(self.data, use.split(INDEX)[0], {}))
        if RECORD in use:
            name, record = use.split(RECORD, 1)
            return self._records(name).get(record, ABSENT)
        path = self.data.files.get(use)
        return self.sha_of(path) if path is not None and Path(path).is_file() else ABSENT

    def _records(self, name: str) -> dict[str, str]:
        """Each entry's hash: its first line and its lines of the file, up to the next entry."""
        if name not in self._spans:
            self._spans[name] = _record_spans(self.data.files.get(name), getattr(self.data, name, None))
        return self._spans[name]


def _record_spans(path: Path | None, table: Any) -> dict[str, str]:
    if path is None or not isinstance(table, Mapping) or not Path(path).is_file():
        return {}
    lines = Path(path).read_text(encoding="utf-8").splitlines()
    starts = sorted(
        (entry.location.line, entry_id)
        for entry_id, entry in dict.items(table)
        if getattr(getattr(entry, "location", None), "line", None)
    )
    spans: dict[str, str] = {}
    for i, (line, entry_id) in enumerate(starts):
        end = starts[i + 1][0] if i + 1 < len(starts) else len(lines) + 1
        spans[entry_id] = digest(str(line), *lines[line - 1 : end - 1])
    return spans


def _index_hash(table: Any) -> str:
    if not isinstance(table, Mapping):
        return ABSENT
    return digest(*(f"{i}:{'|'.join(getattr(e, 'names', ()))}" for i, e in sorted(dict.items(table))))


def stale(files: Mapping[str, RenderedFile], before: Mapping[str, str], now: Fingerprints) -> set[str]:
    """The outputs (by path) that used something whose hash is not what it was."""
    names, kinds = now.data.files, now.data.kinds
    return {path for path, f in files.items() if any(before.get(u) != now.of(u) for u in uses_of(f, names, kinds))}
