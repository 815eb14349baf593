"""The one error type the generator raises for bad input, and the list that collects them.

Every problem an editor can cause is reported as ``path:line:col: error: message`` so that
editors (and their editors' jump-to-line features) land on the right spot.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class Location:
    path: Path
    line: int = 1
    col: int = 1

    def display_path(self) -> str:
        try:
            return os.path.relpath(self.path)
        except ValueError:  # another drive on Windows
            return str(self.path)

    def __str__(self) -> str:
        return f"{self.display_path()}:{self.line}:{self.col}"


class SiteError(Exception):
    """A problem in the site's sources, located at a file, line and column."""

    def __init__(self, location: Location, message: str, severity: str = "error") -> None:
        super().__init__(message)
        self.location = location
        self.message = message
        self.severity = severity

    def __str__(self) -> str:
        return f"{self.location}: {self.severity}: {self.message}"

    def __reduce__(self) -> tuple[type[SiteError], tuple[Location, str, str]]:
        # Pickles whole (to worker processes and back, into the cache): Exception's own
        # reduce would call __init__ with the message alone.
        return (SiteError, (self.location, self.message, self.severity))

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, SiteError):
            return NotImplemented
        return (self.location, self.message, self.severity) == (other.location, other.message, other.severity)

    def __hash__(self) -> int:
        return hash((self.location, self.message, self.severity))


@dataclass
class Diagnostics:
    """Collects every error and warning of a run, so one run reports all of them."""

    items: list[SiteError] = field(default_factory=list)
    # (kind, id) of things that failed to load and were already reported ("source", "x"),
    # ("page", "study.md"), ("file", "sources"): references to them are not reported again,
    # so one mistake gives one error, not a cascade.
    broken: set[tuple[str, str]] = field(default_factory=set)

    def mark_broken(self, kind: str, name: str) -> None:
        self.broken.add((kind, name))

    def is_broken(self, kind: str, name: str) -> bool:
        return (kind, name) in self.broken or ("file", kind) in self.broken

    def error(self, location: Location, message: str) -> None:
        self.items.append(SiteError(location, message))

    def warning(self, location: Location, message: str) -> None:
        self.items.append(SiteError(location, message, "warning"))

    def add(self, err: SiteError) -> None:
        self.items.append(err)

    @property
    def errors(self) -> list[SiteError]:
        return [e for e in self.items if e.severity == "error"]

    @property
    def warnings(self) -> list[SiteError]:
        return [e for e in self.items if e.severity == "warning"]

    def promote_warnings(self) -> None:
        """--strict: every warning becomes an error."""
        self.items = [SiteError(e.location, e.message) for e in self.items]

    def sorted(self) -> list[SiteError]:
        def key(e: SiteError) -> tuple[str, int, int, str]:
            return e.location.display_path(), e.location.line, e.location.col, e.message

        seen: set[str] = set()
        unique = []
        for e in sorted(self.items, key=key):
            if str(e) not in seen:
                seen.add(str(e))
                unique.append(e)
        return unique


class BuildFailed(Exception):
    """Raised when a run found errors; carries all of them."""

    def __init__(self, diagnostics: Diagnostics) -> None:
        super().__init__(f"{len(diagnostics.errors)} error(s)")
        self.diagnostics = diagnostics
