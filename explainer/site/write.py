"""A successful build put on disk: into a fresh folder swapped in (output/write.py), only
what the previous output does not already hold when there is a cache, the search index
with it; a failed write is one located error.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ..core.errors import BuildFailed, Diagnostics, Location
from ..incremental.cache import BuildCache, Details, Manifest, Unit, for_manifest
from ..incremental.hashes import digest
from ..load.config import BuildOptions
from ..output.search import INDEX_FOLDER
from ..output.write import OutputChanged, OutputRefused, write_atomically, write_failed
from .build import SiteBuild


def write_site(build: SiteBuild, options: BuildOptions) -> None:
    """Put the build on disk (atomically, see output.py); a failure is reported_write's."""
    with reported_write(options.out):
        _write_site(build, options)


@contextmanager
def reported_write(out: Path) -> Iterator[None]:
    """A write of the output whose failure is one located error (BuildFailed), with the
    previous site unchanged: a folder the build may not replace, an output another build
    changed meanwhile, a full disk or a folder that cannot be written."""
    try:
        yield
    except OutputRefused as refused:
        diags = Diagnostics()
        diags.error(Location(out), str(refused))
        raise BuildFailed(diags) from None
    except OutputChanged as changed:
        diags = Diagnostics()
        diags.error(
            Location(out / str(changed)),
            "the output changed while this build ran (did another build finish first?); build again",
        )
        raise BuildFailed(diags) from None
    except OSError as exc:
        raise BuildFailed(write_failed(out, exc)) from None


def _write_site(build: SiteBuild, options: BuildOptions) -> None:
    cache = build.cache
    index = build.search if options.search else None
    protected = (options.source, options.templates)
    if cache is None:
        if index is not None:
            index.use_digests({rel: digest(content) for rel, content in build.files.items() if rel.endswith(".html")})
        write_atomically(options.out, build.files, build.statics, index=index, protected=protected)
        return
    files, statics, links, shas = _reusable(build, cache)
    units = {
        f.path: Unit(key, shas[f.path], for_manifest(f), reported, build.ids.get(f.path))
        for f in build.rendered
        if f.path in build.units
        for key, reported in [build.units[f.path]]
    }
    manifest = Manifest(
        details=Details(units=units, shas=shas, checked=build.checked),
        statics={rel: (str(src), *_size_mtime(src)) for rel, src in build.statics.items()},
        diagnostics=build.reported,
        page_count=build.page_count,
    )

    if index is not None:  # the parts of the index made from exactly these pages: kept
        index.use_digests(shas)
        parts = f"{INDEX_FOLDER}/part-"  # inside the first part's folder: not the first part's
        links.update(index.reuse(lambda f: cache.reusable_folder(f, leave=None if f.startswith(parts) else parts)))

    write_atomically(
        options.out,
        files,
        statics,
        index=index,
        links=links,
        meanwhile=lambda: cache.stage(manifest),
        after_swap=lambda: cache.save(manifest),
        spare=cache.dir / "spare",
        expect={rel: cache.old.tree[rel] for rel in links if rel in cache.old.tree},
        protected=protected,
    )
    cache.linked = len(links)


def _reusable(
    build: SiteBuild, cache: BuildCache
) -> tuple[dict[str, bytes], dict[str, Path], dict[str, Path], dict[str, str]]:
    """What must be written, and what the previous output already holds: (files to write,
    static files to copy, output path -> the previous output's file to hard-link, output
    path -> sha of its bytes)."""
    files, statics = dict(build.files), dict(build.statics)
    links: dict[str, Path] = {}  # output path -> the previous output's file with the same bytes
    shas: dict[str, str] = {}
    for f in build.rendered:
        old = getattr(f, "from_cache", None)
        if old is not None:
            links[f.path], shas[f.path] = old, cache.details.units[f.path].sha
    for rel, content in list(files.items()):
        shas[rel] = digest(content)
        same = cache.reusable(rel, shas[rel])
        if same is not None:  # rendered again, same bytes: keep the file (and its mtime)
            links[rel] = same
            del files[rel]
    for rel, source in list(statics.items()):
        same = cache.reusable_static(rel, source)
        if same is not None:
            links[rel] = same
            del statics[rel]
    return files, statics, links, shas


def _size_mtime(path: Path) -> tuple[int, int]:
    st = path.stat()
    return st.st_size, st.st_mtime_ns
