"""Preview: build into a temp folder, serve it on localhost, rebuild what changed on every
save and reload the browser (livereload), with an error page while the build is broken.

How the pieces fit (see docs/architecture.md, "Live preview"):

- `livereload.Server` serves the output folder (its `serve`), injects its reload script
  into every HTML response it sends (never into the files on disk), and pushes reloads to
  the browser over a WebSocket. Its `watch` API is used with our own `EventWatcher`:
  livereload's watcher polls every 800 ms and drops reloads less than one to three seconds
  apart, so ours listens to OS file events (watchdog: inotify on Linux), debounces bursts
  and tells the browser itself.
- `rebuild.Rebuilder` turns a batch of changed files into re-rendered outputs.
- While the sources have errors, every page request gets an error page listing them; the
  last good site stays on disk, and the browser reloads by itself when the build is fixed.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import signal
import sys
import tempfile
import threading
import time
import traceback
from contextlib import suppress
from dataclasses import replace
from functools import partial
from pathlib import Path

from ..core import cancel
from ..core.errors import Location, SiteError
from ..load.config import BuildOptions
from .http import Origin, PreviewServer, PreviewStatus, bind_message, is_loopback, make_handler, port_problem, url_host
from .rebuild import Outcome, Rebuilder
from .search import refresh_search_index
from .watch import EventWatcher

EXIT_OK, EXIT_CONTENT, EXIT_USAGE = 0, 1, 2
SEARCH_DELAY = 1.0  # the search index is refreshed once edits pause for this long
STOP_WITHIN = 0.25  # seconds a rebuild in progress is given to reach its next output and stop
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".gif")  # livereload.js swaps these in place too


def serve(options: BuildOptions, host: str, port: int) -> int:
    if not 0 < port < 65536:
        print(f"error: --port must be between 1 and 65535, not {port}", file=sys.stderr)
        return EXIT_USAGE
    problem = port_problem(host, port)
    if problem:
        print(f"error: {problem}", file=sys.stderr)
        return EXIT_USAGE
    if not is_loopback(host):
        print(
            f"warning: --host {host} lets other computers on your network see the preview "
            "(it is meant for this computer only; the default is 127.0.0.1)",
            file=sys.stderr,
        )
    # The preview is built into a temp folder, never into the publishing output (_site):
    # preview pages drop the Content-Security-Policy so the reload script can run.
    # Ctrl-C and SIGTERM ask to stop through core/cancel.py, from the command's start.
    tmp, code = None, EXIT_OK
    try:  # from before the temp folder exists: a Ctrl-C at any moment removes it
        tmp = Path(tempfile.mkdtemp(prefix="explainer-preview-"))
        code = _serve(replace(options, out=tmp / "site", preview=True), host, port)
    except (KeyboardInterrupt, cancel.Cancelled):
        code = cancel.exit_status()
    finally:
        cancel.STOP.set()  # a rebuild in progress stops; a Ctrl-C now does not break off this clean-up
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)
        print("preview stopped", file=sys.stderr)
    if cancel.stopped_by():  # livereload returns as if it ended normally on Ctrl-C
        code = cancel.exit_status()
    # A rebuild abandoned in its thread (its temp folder is gone) must not hold the exit while
    # the interpreter finalises, which took seconds on a busy machine.
    cancel.exit_now(code)
    return code


def _serve(options: BuildOptions, host: str, port: int) -> int:
    rebuilder = Rebuilder(options)
    status = PreviewStatus()
    folders = ((options.source, "source"), (options.templates, "templates"))
    missing = [(folder, what) for folder, what in folders if not folder.is_dir()]
    for folder, what in missing:  # nothing to watch: the same errors as `build` gives
        print(SiteError(Location(folder), f"{what} folder not found"), file=sys.stderr)
    if missing:
        return EXIT_CONTENT
    outcome = rebuilder.full("first build")
    report(outcome, status, has_site=outcome.ok)
    cancel.check()  # a Ctrl-C whose KeyboardInterrupt was swallowed during the first build
    _stoppable_loop()
    options.out.mkdir(parents=True, exist_ok=True)  # something to serve even if the first build failed
    watcher = EventWatcher()
    runner = Runner(rebuilder, status, watcher, search=options.search)
    if outcome.ok:
        runner.after_good_build(reindex=True)
    origin = Origin.of(host, port)
    server = PreviewServer(origin, watcher=watcher)
    server.SFH = make_handler(status, options.out, origin)
    for folder in (options.source, options.templates):
        server.watch(str(folder), runner.on_change)
    # One explainer of a series: its pages are under its slug; the series' shared data is read, not watched.
    home = f"{options.source.name}/" if options.series is not None else ""
    print(f"previewing {options.source} at http://{url_host(host)}:{port}/{home} (Ctrl-C stops)", file=sys.stderr)
    try:
        server.serve(port=port, host=host, root=str(options.out), open_url_delay=None, live_css=True)
    except OSError as exc:  # lost a race for the port after port_problem() checked it
        print(f"error: {bind_message(exc, host, port)}", file=sys.stderr)
        return EXIT_USAGE
    finally:
        # Whatever is in progress (a rebuild, a search refresh), Ctrl-C is answered within
        # STOP_WITHIN: what has not finished by then is abandoned with its temp folder.
        deadline = time.monotonic() + STOP_WITHIN
        runner.stop(deadline)
        watcher.stop(deadline)
    return EXIT_OK


def _stoppable_loop() -> None:
    """The loop livereload's IOLoop runs, made here so that a signal stops it at any moment:
    before it runs, while it waits for events, or whatever callback its KeyboardInterrupt
    was swallowed in."""
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    cancel.when_stopped(partial(_stop_loop, loop))
    # A signal that comes just before the loop blocks waiting for events would be handled at
    # the next event only, maybe never: the byte its C handler writes here wakes the loop.
    woken, wake = os.pipe()  # open for the process's life (a socket object would close when collected)
    os.set_blocking(woken, False)
    os.set_blocking(wake, False)
    signal.set_wakeup_fd(wake)
    loop.add_reader(woken, os.read, woken, 64)


def _stop_loop(loop: asyncio.AbstractEventLoop) -> None:
    """Called from the signal handler: stops the server's loop whatever it is running (its
    KeyboardInterrupt may have been swallowed), or as soon as it starts."""
    with suppress(RuntimeError):  # the loop is closed: the server has stopped already
        loop.call_soon_threadsafe(loop.stop)


# --- rebuilding ----------------------------------------------------------------------------


class Runner:
    """Runs a rebuild for each batch of changes and decides what the browser reloads."""

    def __init__(self, rebuilder: Rebuilder, status: PreviewStatus, watcher: EventWatcher, search: bool) -> None:
        self.rebuilder = rebuilder
        self.status = status
        self.watcher = watcher
        self.search = search
        self.lock = threading.Lock()  # a rebuild and a search refresh never overlap
        self.search_timer: threading.Timer | None = None
        self.stopping = threading.Event()

    def on_change(self, paths: list[str]) -> list[str]:
        """Rebuild; return the paths the browser should reload ("*" for the whole page)."""
        was_broken = bool(self.status.errors)
        with self.lock:
            try:
                outcome = self.rebuilder.update(paths)
            except cancel.Cancelled:
                return []  # the preview is stopping
            except Exception:  # noqa: BLE001 - a bug of ours must not stop the preview
                traceback.print_exc()
                self.rebuilder.state = None  # the next change rebuilds everything
                return []
        self.status.builds += 1
        report(outcome, self.status, has_site=self.rebuilder.state is not None)
        if outcome.ok:
            self.after_good_build(reindex=any(p.endswith(".html") for p in outcome.written))
        if not outcome.ok or was_broken or outcome.full:
            return ["*"]  # the error page appears, changes or goes away; or everything changed
        return reload_paths(outcome.written)

    def after_good_build(self, reindex: bool) -> None:
        self.watcher.after_reload(self.rebuilder.warm)
        if self.search and reindex:
            self._schedule_search()

    def _schedule_search(self) -> None:
        if self.search_timer is not None:
            self.search_timer.cancel()
        self.search_timer = threading.Timer(SEARCH_DELAY, self._refresh_search)
        self.search_timer.daemon = True
        self.search_timer.start()

    def _refresh_search(self) -> None:
        with self.lock:
            refresh_search_index(self.rebuilder.out, self.stopping)

    def stop(self, deadline: float) -> None:
        self.stopping.set()  # a search refresh in progress ends its Pagefind process
        cancel.STOP.set()  # a rebuild in progress stops at its next output
        if self.search_timer is not None:
            self.search_timer.cancel()
        # A rebuild that finishes in time is waited for; one that does not runs on in its
        # daemon thread until the process exits (it writes only into the preview's temp folder).
        if self.lock.acquire(timeout=cancel.seconds_left(deadline)):
            self.lock.release()


def reload_paths(written: list[str]) -> list[str]:
    """What livereload.js should reload: stylesheets and images in place; pages alone, a
    page (the page shown updates itself in place: swap.js); else the whole page ("*")."""
    if not written:
        return []
    if all(p.endswith(".css") for p in written) or all(p.lower().endswith(IMAGE_SUFFIXES) for p in written):
        return ["/" + p for p in written]
    pages = [p for p in written if p.endswith(".html")]
    return ["/" + pages[0]] if len(pages) == len(written) else ["*"]


def report(outcome: Outcome, status: PreviewStatus, has_site: bool) -> None:
    """Print what a rebuild did, and its errors (the terminal shows what the browser shows)."""
    status.errors = [e for e in outcome.diags.sorted() if e.severity == "error"]
    for item in outcome.diags.sorted():
        if item.severity == "error" or str(item) not in status.shown:
            print(item, file=sys.stderr)
            status.shown.add(str(item))
    took = f"{outcome.seconds * 1000:.0f} ms"
    if not outcome.ok:
        serving = "still serving the last good build" if has_site else "nothing else to serve until it builds"
        print(f"build failed: {len(status.errors)} error(s), shown in the browser; {serving}", file=sys.stderr)
    elif outcome.full:
        print(f"built {len(outcome.rendered)} files in {took} ({outcome.reason})", file=sys.stderr)
    else:
        changed = ", ".join(outcome.written[:3]) + (" ..." if len(outcome.written) > 3 else "")
        print(
            f"rebuild {status.builds}: rendered {len(outcome.rendered)}, wrote {len(outcome.written)} "
            f"in {took}" + (f" ({changed})" if changed else ""),
            file=sys.stderr,
        )
