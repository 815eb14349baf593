"""Render many pages over every core: forked worker processes, each with its own copy of
the renderer (one Jinja environment with compiled templates, one Markdown instance reset
per page), results gathered back in page order.

A page's render depends only on its own source and site-wide inputs (config, data,
templates, the page list), never on the pages rendered before it in the same process, so
splitting the pages between processes gives byte-identical output (tests compare). Forking
is used only where it is safe and pays: Linux/macOS fork, one thread, enough pages.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import gc
import multiprocessing
import os
import signal
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..core import cancel
from ..core.errors import SiteError

if TYPE_CHECKING:
    from multiprocessing.pool import Pool

    from ..kinds.pages import Page
    from .renderer import Renderer
    from .uses import RenderedFile

MIN_PAGES_PER_WORKER = 40  # below this a worker costs more (fork, pickling) than it saves
CHUNK = 16  # pages per task: small enough to balance the two cores, big enough to batch IPC


@dataclass
class PageResult:
    """One page's render and what it reported, so a cached or remote render can replay it."""

    file: RenderedFile | None
    diagnostics: list[SiteError]
    broken: set[tuple[str, str]]  # Diagnostics.broken marks the render added


def worker_count(pages: int) -> int:
    """How many processes to render `pages` pages with (1: in this process)."""
    if pages < 2 * MIN_PAGES_PER_WORKER or threading.active_count() > 1:
        return 1  # forking a threaded process (the live preview's server) is unsafe
    if "fork" not in multiprocessing.get_all_start_methods():
        return 1
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return max(1, min(cores, pages // MIN_PAGES_PER_WORKER))


@contextlib.contextmanager
def forked_pool(workers: int) -> Iterator[Pool]:
    """A pool of forked workers, ended when the block ends, as `with Pool` ends one, but safe
    to stop (Ctrl-C, SIGTERM, core/cancel.py) at any moment."""
    # Made with the stop signals held back: one handled while a worker is forked is lost in
    # os.fork's own handlers, or leaves a worker the parent does not know of, which nobody
    # ends. Each worker lets them through again once it answers them as a worker does.
    held = signal.pthread_sigmask(signal.SIG_BLOCK, cancel.SIGNALS)
    try:
        pool = multiprocessing.get_context("fork").Pool(workers, cancel.as_worker, (held,))
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, held)
    try:
        yield pool
    except BaseException:
        # Pool.terminate can wait forever when it kills a worker that holds the result queue's
        # lock (seen: a Ctrl-C while pages were read on two cores hung the build). It is given
        # a second in a thread of its own; the command then ends without it (cancel.exit_now).
        ending = threading.Thread(target=pool.terminate, name="pool-terminate", daemon=True)
        ending.start()
        ending.join(timeout=1.0)
        raise
    pool.terminate()


def render_one(renderer: Renderer, page: Page) -> PageResult:
    """Render a page here, capturing the diagnostics its render added."""
    from .pages import render_page  # here: importing it loads Jinja, which a build with nothing to do skips

    diags = renderer.diags
    before, broken_before = len(diags.items), set(diags.broken)
    file = render_page(renderer, page)
    return PageResult(file, diags.items[before:], diags.broken - broken_before)


def render_pages(
    renderer: Renderer, pages: list[Page], workers: int | None = None, each: Callable[[PageResult], None] | None = None
) -> list[PageResult]:
    """Every page's PageResult, in the order of `pages`. Diagnostics are added to
    renderer.diags and citations to renderer.cited, exactly as a serial render would.
    workers: processes to use (None: worker_count decides; 1: this process only).
    each: called with every result as it arrives, in order (the search index is fed so)."""
    workers = worker_count(len(pages)) if workers is None else min(workers, len(pages))
    if workers <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        results = []
        for page in pages:
            results.append(render_one(renderer, page))
            if each is not None:
                each(results[-1])
        return results
    results = []
    for result in _render_forked(renderer, pages, workers):
        results.append(result)
        if each is not None:
            each(result)
    for result in results:
        renderer.diags.items.extend(result.diagnostics)
        renderer.diags.broken |= result.broken
        if result.file is not None:
            renderer.note_output(result.file)
    return results


# --- reading pages (YAML front matter: about a tenth of a page's build) -------------------

PageRead = tuple["Page | None", list[SiteError], set[tuple[str, str]]]  # page, diagnostics, broken marks


def read_pages(paths: list[Path], pages_dir: Path, workers: int | None = None) -> dict[Path, PageRead]:
    """content.read_page for many files over the cores; {} when that does not pay (the
    caller then reads them itself). Results are replayed in load_pages' own order."""
    workers = worker_count(len(paths)) if workers is None else min(workers, len(paths))
    if workers <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        return {}
    global _READ
    _READ = (paths, pages_dir)
    chunks = [range(i, min(i + 4 * CHUNK, len(paths))) for i in range(0, len(paths), 4 * CHUNK)]
    found: dict[Path, PageRead] = {}
    try:
        with forked_pool(workers) as pool:
            for batch in pool.imap(_read_chunk, chunks):
                for i, page, sent, broken in batch:
                    found[paths[i]] = (page, sent, broken)
    finally:
        _READ = None
    return found


_READ: tuple[list[Path], Path] | None = None


def _read_chunk(indices: range) -> list[tuple[int, Any, list[SiteError], set[tuple[str, str]]]]:
    from ..core.errors import Diagnostics
    from ..kinds.pages import read_page

    assert _READ is not None
    paths, pages_dir = _READ
    out = []
    for i in indices:
        diags = Diagnostics()
        page = read_page(paths[i], pages_dir, diags)
        out.append((i, page, diags.items, diags.broken))
    return out


# --- the worker side ----------------------------------------------------------------------

_RENDERER: Renderer | None = None  # set in the parent just before forking


def _render_chunk(pages: list[Page]) -> list[PageResult]:
    """Render pages sent to this worker (sent, not read from the parent's list: touching the
    parent's objects makes the kernel copy their memory pages, which costs more than pickling)."""
    renderer = _RENDERER
    assert renderer is not None
    out = []
    for page in pages:
        before = len(renderer.diags.items)
        result = render_one(renderer, page)
        del renderer.diags.items[before:]  # sent to the parent, which keeps them
        if result.file is not None:  # a state's caches (its page's text, in lines) need not travel
            result.file.state = without_caches(result.file.state)
        out.append(result)
    return out


def _render_forked(renderer: Renderer, pages: list[Page], workers: int) -> Iterator[PageResult]:
    global _RENDERER
    _RENDERER = renderer
    # Compile the templates once here, so every worker inherits them instead of compiling its own.
    for template in sorted({p.template for p in pages}):
        # A broken template: the page's own render reports it, with its location.
        with contextlib.suppress(Exception):
            renderer.env.get_template(template)
    # What every page's render computes from the whole page list, computed once, here.
    renderer.menu.for_page("")
    renderer.markdown.site.source_of_url()
    # Objects made so far never change in the workers: keep the collector from touching
    # (and so copying) their memory pages.
    gc.freeze()
    chunks = [pages[i : i + CHUNK] for i in range(0, len(pages), CHUNK)]
    try:
        with forked_pool(workers) as pool:
            for batch in pool.imap(_render_chunk, chunks):
                yield from batch
    finally:
        _RENDERER = None
        gc.unfreeze()


def without_caches(state: Any) -> Any:
    """A copy of a dataclass (a PageState) whose private fields (caches, by convention: a
    page's text split into lines, search positions) are back to their defaults: what the
    rest of the build reads is kept, the bulk is not stored or sent between processes."""
    if state is None or not dataclasses.is_dataclass(state):
        return state
    defaults = _private_defaults(type(state))
    if not defaults:
        return state
    return dataclasses.replace(state, **{name: make() for name, make in defaults})


@functools.cache
def _private_defaults(cls: type) -> tuple[tuple[str, Callable[[], Any]], ...]:
    found: list[tuple[str, Callable[[], Any]]] = []
    for f in dataclasses.fields(cls):
        if f.name.startswith("_") and f.init:
            if f.default is not dataclasses.MISSING:
                found.append((f.name, lambda value=f.default: value))
            elif f.default_factory is not dataclasses.MISSING:
                found.append((f.name, f.default_factory))
    return tuple(found)
