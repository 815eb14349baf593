"""The build cache's hashes of the inputs: what every render reads (the generator's code,
the libraries that shape HTML, the options, site.yaml, the strings files, a reference
manager's export and a site's .csl), and each input file's content hash, read at most once
a build and not at all when its stat signature is the one recorded with its hash."""

from __future__ import annotations

import hashlib
import os
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

from .. import __version__
from ..core.fileops import signature
from ..core.files import is_regular_file
from ..output.tree import scan_tree
from .changes import ChangeKind, Roots, source_kind, theme_kind

if TYPE_CHECKING:
    from ..load.config import BuildOptions
    from .cache import Manifest

HTML_LIBRARIES = ("markdown", "jinja2", "markupsafe", "pyyaml")
InputSignature = tuple[int, int, int, int]  # size, mtime_ns, ctime_ns, inode of an input file
RACY_NS = 2_000_000_000  # a file changed this close to when it was hashed is hashed again


def digest(*parts: bytes | str) -> str:
    h = hashlib.blake2b(digest_size=20)
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        h.update(len(data).to_bytes(8, "little"))
        h.update(data)
    return h.hexdigest()


def input_signature(path: str) -> InputSignature | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino


def file_digest(path: Path) -> str:
    if not is_regular_file(path):  # never open a pipe (it would hang) or follow a broken link
        return digest("not a regular file")
    return digest(path.read_bytes())


_generator: str | None = None


def generator_fingerprint() -> str:
    """The generator's version and code, the Python and the HTML-shaping libraries' versions."""
    global _generator
    if _generator is None:
        from importlib import metadata

        package = Path(__file__).resolve().parent.parent  # explainer/, every stage
        parts: list[str | bytes] = [__version__, sys.version]
        for name in HTML_LIBRARIES:
            try:
                parts.append(f"{name}={metadata.version(name)}")
            except metadata.PackageNotFoundError:
                parts.append(f"{name}=?")
        for path in sorted(package.rglob("*.py")):
            parts += [path.relative_to(package).as_posix(), path.read_bytes()]
        _generator = digest(*parts)
    return _generator


def tree_files(root: Path) -> dict[str, str]:
    """Every file under root (relative POSIX path -> path), hidden files included."""
    return {rel: entry.path for rel, entry in scan_tree(root) if not entry.is_dir(follow_symlinks=False)}


class InputHashes:
    """The inputs of this build, hashed: each file read at most once, and not at all when
    its signature is the one the last build recorded with its hash (Manifest.hashes). What
    an input is, and so what a change to it invalidates, is changes.classify's answer, as
    in the live preview: pages are keyed one by one; templates, data and site.yaml are
    read by every render; static files are only copied."""

    def __init__(self, options: BuildOptions, old: Manifest) -> None:
        self.options = options
        self.old = old
        self.roots = Roots(options.source, options.templates)
        self.shas: dict[str, str] = {}
        self.hashes: dict[str, tuple[InputSignature, str]] = {}
        self.started_ns = time.time_ns()
        self._render_inputs: str | None = None

    def sha_of(self, path: Path | str) -> str:
        """The content hash of an input file (see the class)."""
        key = str(path)
        if key not in self.shas:
            sig = input_signature(key)
            known = self.old.hashes.get(key)
            if sig is not None and known is not None and known[0] == sig and sig[1] < self.old.hashed_ns - RACY_NS:
                sha = known[1]
            else:
                sha = file_digest(Path(key))
            self.shas[key] = sha
            if sig is not None:
                self.hashes[key] = (sig, sha)
        return self.shas[key]

    def fingerprint(self) -> str:
        """Every input: a build with the same fingerprint makes the same output."""
        o = self.options
        parts = [self.render_inputs(), repr((str(o.out), o.strict, o.search))]
        files = [(rel, path, source_kind(rel.split("/"))) for rel, path in tree_files(o.source).items()]
        theme = tree_files(o.templates).items()
        files += [(f"templates/{rel}", path, theme_kind(rel.split("/"))) for rel, path in theme]
        for rel, path, kind in sorted(files):
            if kind is ChangeKind.STATIC:  # copied, never read by a render: size and mtime will do
                sig = signature(path)
                parts.append(f"{rel}:{sig[:2] if sig else None}")
            else:  # pages, data, templates, strings and any other file: by content
                parts.append(f"{rel}:{self.sha_of(path)}")
        return digest(*parts)

    def render_inputs(self) -> str:
        """What every render reads besides its own page and what it records using (templates
        and data: each output's key has those, see incremental/graph.py): the generator, the
        options, site.yaml and the strings files."""
        if self._render_inputs is None:
            o = self.options
            parts = [
                generator_fingerprint(),
                os.getcwd(),  # diagnostics show paths relative to it
                repr((str(o.source), str(o.templates), o.drafts, o.preview)),
            ]
            for folder in (d / "strings" for d in o.strings_dirs()):  # every strings file the language may read
                for rel, path in sorted(tree_files(folder).items()):
                    parts.append(f"{folder}/{rel}:{self.sha_of(path)}")
            site_yaml = o.source / "site.yaml"
            parts.append(f"site.yaml:{self.sha_of(site_yaml) if site_yaml.is_file() else None}")
            # Read with site.yaml and sources.yaml, by every output that prints a reference: a
            # citation style of the site's own, a reference manager's export.
            for rel, path in sorted(tree_files(o.source).items()):
                if rel.endswith(".csl") or rel in ("data/sources.bib", "data/sources.json"):
                    parts.append(f"{rel}:{self.sha_of(path)}")
            # The set of data files: a file added may be one an output looked for (a figure's data).
            parts += sorted(tree_files(o.source / "data"))
            self._render_inputs = digest(*parts)
        return self._render_inputs
