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

import errno
import html
import ipaddress
import logging
import multiprocessing
import os
import shutil
import signal
import socket
import sys
import tempfile
import threading
import time
import traceback
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from livereload import Server
from livereload.handlers import ForceReloadHandler, LiveReloadHandler, LiveReloadJSHandler, StaticFileHandler
from livereload.server import LiveScriptInjector
from livereload.watcher import Watcher
from tornado import web
from tornado.ioloop import IOLoop
from watchdog import events as ev
from watchdog.observers import Observer

from ..core import cancel
from ..core.errors import Location, SiteError
from ..load.config import BuildOptions
from .rebuild import Outcome, Rebuilder, refresh_search_index

EXIT_OK, EXIT_CONTENT, EXIT_USAGE = 0, 1, 2
QUIET_SECONDS = 0.015  # a batch is rebuilt once no file event came for this long...
LONGEST_WAIT = 0.25  # ...or this long after its first event, whichever is first
SEARCH_DELAY = 1.0  # the search index is refreshed once edits pause for this long
STOP_WITHIN = 0.25  # seconds a rebuild in progress is given to reach its next output and stop
WARM_DELAY = 0.3  # after a rebuild, templates are compiled again once the browser had time to reload
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".gif")  # livereload.js swaps these in place too


@dataclass
class PreviewStatus:
    """What the HTTP handler needs from the rebuilds: the errors of the current sources."""

    errors: list[SiteError] = field(default_factory=list)
    builds: int = 0  # rebuild batches run since the start (the terminal prints the count)
    shown: set[str] = field(default_factory=set)  # warnings already printed, not repeated


def serve(options: BuildOptions, host: str, port: int) -> int:
    if not 0 < port < 65536:
        print(f"error: --port must be between 1 and 65535, not {port}", file=sys.stderr)
        return EXIT_USAGE
    problem = port_problem(host, port)
    if problem:
        print(f"error: {problem}", file=sys.stderr)
        return EXIT_USAGE
    if not _is_loopback(host):
        print(
            f"warning: --host {host} lets other computers on your network see the preview "
            "(it is meant for this computer only; the default is 127.0.0.1)",
            file=sys.stderr,
        )
    # The preview is built into a temp folder, never into the publishing output (_site):
    # preview pages drop the Content-Security-Policy so the reload script can run.
    tmp = Path(tempfile.mkdtemp(prefix="explainer-preview-"))
    previous = signal.signal(signal.SIGTERM, _interrupt)
    code = EXIT_OK
    try:
        code = _serve(replace(options, out=tmp / "site", preview=True), host, port)
    except KeyboardInterrupt:
        pass
    finally:
        signal.signal(signal.SIGTERM, previous)
        cancel.STOP.set()
        shutil.rmtree(tmp, ignore_errors=True)
        print("preview stopped", file=sys.stderr)
    _exit_now(code)
    return code


def _exit_now(code: int) -> None:
    """End the process at once: a rebuild abandoned in its thread (its temp folder is gone)
    must not hold the exit while the interpreter finalises, which took seconds on a busy
    machine. Forked render workers are ended first; output streams are flushed."""
    for child in multiprocessing.active_children():
        child.terminate()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


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
    print(f"previewing {options.source} at http://{_url_host(host)}:{port}/ (Ctrl-C stops)", file=sys.stderr)
    try:
        server.serve(port=port, host=host, root=str(options.out), open_url_delay=None, live_css=True)
    except OSError as exc:  # lost a race for the port after port_problem() checked it
        print(f"error: {_bind_message(exc, host, port)}", file=sys.stderr)
        return EXIT_USAGE
    finally:
        # Whatever is in progress (a rebuild, a search refresh), Ctrl-C is answered within
        # STOP_WITHIN: what has not finished by then is abandoned with its temp folder.
        deadline = time.monotonic() + STOP_WITHIN
        runner.stop(deadline)
        watcher.stop(deadline)
    return EXIT_OK


def _left(deadline: float) -> float:
    return max(0.0, deadline - time.monotonic())


def _interrupt(signum: int, frame: Any) -> None:
    raise KeyboardInterrupt  # SIGTERM stops like Ctrl-C: the same clean-up runs


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
        if self.lock.acquire(timeout=_left(deadline)):
            self.lock.release()


def reload_paths(written: list[str]) -> list[str]:
    """What livereload.js should reload: stylesheets and images in place, else the page."""
    if not written:
        return []
    if all(p.endswith(".css") for p in written) or all(p.lower().endswith(IMAGE_SUFFIXES) for p in written):
        return ["/" + p for p in written]
    pages = [p for p in written if p.endswith(".html")]
    return ["/" + (pages[0] if pages else written[0])]


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


# --- watching files ----------------------------------------------------------------------


class EventWatcher(Watcher):
    """livereload's watcher (`watch`, `start`, `examine`) on OS file events, debounced.

    Events are collected into a batch; once no event came for QUIET_SECONDS (or
    LONGEST_WAIT after the batch's first event) a worker thread runs each watch task once
    with every changed path, then sends the reloads the task returned through livereload's
    WebSocket handler, on Tornado's IOLoop.
    """

    def __init__(self) -> None:
        super().__init__()
        self.funcs: dict[str, Callable[[list[str]], list[str]]] = {}  # watched folder -> task
        self.observer = Observer()
        self.cond = threading.Condition()
        self.batch: set[str] = set()
        self.first = self.last = 0.0
        self.stopped = False
        self.loop: IOLoop | None = None
        self.later: list[Callable[[], None]] = []  # run once the browser had time to reload
        self.worker = threading.Thread(target=self._work, name="preview-rebuild", daemon=True)

    # --- livereload's interface

    def watch(self, path: str, func: Any = None, delay: Any = None, ignore: Any = None) -> None:
        super().watch(path, func, delay, ignore)  # livereload checks that there are tasks
        if func is not None:
            self.funcs[os.path.abspath(path)] = func
        self.observer.schedule(_Events(self), path, recursive=True, event_filter=EVENT_TYPES)

    def start(self, callback: Callable[[], None]) -> bool:
        self.loop = IOLoop.current()
        self.observer.start()
        self.worker.start()
        return True  # True: livereload starts no polling of its own

    def examine(self) -> tuple[str | None, None]:
        return None, None  # nothing to poll: changes arrive as events

    # --- ours

    def notice(self, paths: Iterable[str]) -> None:
        with self.cond:
            now = time.monotonic()
            if not self.batch:
                self.first = now
            self.batch.update(paths)
            self.last = now
            self.cond.notify()

    def after_reload(self, job: Callable[[], None]) -> None:
        if self.worker.is_alive():
            self.later.append(job)
        else:  # before serve() started the worker
            job()

    def stop(self, deadline: float) -> None:
        with self.cond:
            self.stopped = True
            self.cond.notify()
        if self.observer.is_alive():
            self.observer.stop()
            self.observer.join(timeout=_left(deadline))
        if self.worker.is_alive():
            self.worker.join(timeout=_left(deadline))

    def _work(self) -> None:
        while True:
            batch = self._next_batch()
            if batch is None:
                return
            try:
                if not batch:
                    jobs, self.later = self.later, []
                    for job in jobs:
                        job()
                for func, paths in self._by_task(batch).items():
                    for path in func(sorted(paths)):
                        self.filepath = path  # livereload logs it
                        self._send_reload(path)
            except Exception:  # noqa: BLE001 - a bug of ours must not stop the preview
                traceback.print_exc()

    def _next_batch(self) -> set[str] | None:
        """The next batch of changed paths; an empty set when it is time for `later` jobs;
        None when stopped."""
        with self.cond:
            idle_until = time.monotonic() + WARM_DELAY
            while not self.batch and not self.stopped:
                if not self.later:
                    self.cond.wait()
                elif not self.cond.wait(max(0.0, idle_until - time.monotonic())) and not self.batch:
                    return set()
            while not self.stopped:
                wait = min(self.last + QUIET_SECONDS, self.first + LONGEST_WAIT) - time.monotonic()
                if wait <= 0:
                    break
                self.cond.wait(wait)
            if self.stopped:
                return None
            batch, self.batch = self.batch, set()
            return batch

    def _by_task(self, batch: set[str]) -> dict[Callable[[list[str]], list[str]], set[str]]:
        """One call per task function (source and templates share one: one rebuild)."""
        calls: dict[Callable[[list[str]], list[str]], set[str]] = {}
        for root, func in self.funcs.items():
            inside = {p for p in batch if os.path.abspath(p).startswith(root + os.sep)}
            if inside:
                calls.setdefault(func, set()).update(inside)
        return calls

    def _send_reload(self, path: str) -> None:
        if self.loop is not None:
            self.loop.add_callback(LiveReloadHandler.reload_waiters, path)


# Not opened or closed-without-writing: the build's own reads would trigger rebuilds.
EVENT_TYPES: list[type[ev.FileSystemEvent]] = [
    ev.FileCreatedEvent,
    ev.FileModifiedEvent,
    ev.FileDeletedEvent,
    ev.FileMovedEvent,
    ev.FileClosedEvent,
    ev.DirCreatedEvent,
    ev.DirDeletedEvent,
    ev.DirMovedEvent,
]


class _Events(ev.FileSystemEventHandler):
    def __init__(self, watcher: EventWatcher) -> None:
        super().__init__()
        self.watcher = watcher

    def on_any_event(self, event: ev.FileSystemEvent) -> None:
        paths = [os.fsdecode(event.src_path)]
        if event.dest_path:
            paths.append(os.fsdecode(event.dest_path))
        self.watcher.notice(paths)


# --- serving -----------------------------------------------------------------------------


def make_handler(status: PreviewStatus, out: Path, origin: Origin | None = None) -> type:
    """livereload's static file handler, plus: only our own Host (Origin), the error page
    while the build is broken, our 404 page, a malformed path a 400 (never a traceback),
    and no caching (every reload must fetch what was just written)."""

    class PreviewHandler(StaticFileHandler):  # type: ignore[misc]
        def prepare(self) -> None:
            if origin is not None and not origin.allows_request(self.request):
                raise web.HTTPError(403)

        async def get(self, path: str, include_body: bool = True) -> None:
            if not _well_formed(path):
                raise web.HTTPError(400)
            errors = status.errors
            if errors and _is_page(path):
                self.set_status(500)
                self.set_header("Content-Type", "text/html; charset=utf-8")
                self.set_header("Cache-Control", "no-store")
                self.finish(error_page(errors))
                return
            await super().get(path, include_body)

        def set_extra_headers(self, path: str) -> None:
            self.set_header("Cache-Control", "no-store")

        def write_error(self, status_code: int, **kwargs: Any) -> None:
            page = out / "404.html"
            if status_code == 404 and page.is_file():
                self.set_header("Content-Type", "text/html; charset=utf-8")
                self.finish(page.read_bytes())
                return
            super().write_error(status_code, **kwargs)

    return PreviewHandler


@dataclass(frozen=True)
class Origin:
    """The addresses the preview answers to: the Host it was started on (and, on a loopback
    address, the other names of this computer's loopback), with its port. Any other Host is
    refused, so a page of another site whose name an attacker pointed at 127.0.0.1 (DNS
    rebinding) cannot read the preview; reload and WebSocket requests must also come from
    a page of the preview itself (their Origin)."""

    hosts: frozenset[str]  # "127.0.0.1:8000", "localhost:8000", "[::1]:8000"
    any_address: bool = False  # bound to 0.0.0.0 / ::: any IP address, and localhost

    @classmethod
    def of(cls, host: str, port: int) -> Origin:
        names = {host.lower()}
        if _is_loopback(host):
            names |= {"localhost", "127.0.0.1", "::1"}
        every = _is_unspecified(host)  # bound to all addresses
        hosts = frozenset(f"{_url_host(n)}:{port}" for n in names | ({"localhost"} if every else set()))
        return cls(hosts, every)

    def allows_host(self, host: str) -> bool:
        host = host.lower()
        if host in self.hosts:
            return True
        if not self.any_address:
            return False
        name, _, port = host.rpartition(":")
        if f"localhost:{port}" not in self.hosts:
            return False
        try:
            ipaddress.ip_address(name.strip("[]"))
        except ValueError:
            return False  # a name: what DNS rebinding would send
        return True

    def allows_request(self, request: Any, needs_origin: bool = False) -> bool:
        """The Host is ours; for reloads and the WebSocket, so is the page that asked."""
        if not self.allows_host(request.host or ""):
            return False
        if not needs_origin:
            return True
        origin = request.headers.get("Origin")
        if origin is not None and not self.allows_host(urlsplit(origin).netloc):
            return False
        fetch_site = request.headers.get("Sec-Fetch-Site")
        return fetch_site in (None, "same-origin", "none")


class _Guarded:
    """Mixin for livereload's handlers: refuse other hosts (403) before anything runs."""

    origin: Origin
    needs_origin = False

    def prepare(self) -> None:
        if not self.origin.allows_request(self.request, self.needs_origin):  # type: ignore[attr-defined]
            raise web.HTTPError(403)
        super().prepare()  # type: ignore[misc]


class PreviewServer(Server):  # type: ignore[misc]
    """livereload's server with every handler behind the Origin check. The application is
    built as livereload builds it (Server.application), with our subclasses in it."""

    def __init__(self, origin: Origin, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.origin = origin

    def application(
        self, port: int, host: str, liveport: int | None = None, debug: bool | None = None, live_css: bool = True
    ) -> None:
        origin = self.origin

        class Socket(_Guarded, LiveReloadHandler):  # type: ignore[misc]
            needs_origin = True

            def check_origin(self, value: str) -> bool:  # Tornado's own check, made ours
                return origin.allows_host(urlsplit(value).netloc)

        class Reload(_Guarded, ForceReloadHandler):  # type: ignore[misc]
            needs_origin = True

        class Script(_Guarded, LiveReloadJSHandler):  # type: ignore[misc]
            pass

        for handler in (Socket, Reload, Script):
            handler.origin = origin
        Socket.watcher, Socket.live_css = self.watcher, live_css
        LiveReloadHandler.watcher, LiveReloadHandler.live_css = self.watcher, live_css  # read by its class methods
        script = (
            b'<script type="text/javascript">(function(){var s=document.createElement("script");'
            b"var port=(window.location.port || (window.location.protocol == 'https:' ? 443: 80));"
            b's.src="//"+window.location.hostname+":"+port+ "/livereload.js?port=" + port;'
            b"document.head.appendChild(s);})();</script>"
        )

        class Injector(LiveScriptInjector):  # type: ignore[misc]
            pass

        Injector.script = script
        handlers = [(r"/livereload", Socket), (r"/forcereload", Reload), (r"/livereload.js", Script)]
        app = web.Application(handlers=handlers + self.get_web_handlers(script), transforms=[Injector])
        app.listen(port, address=host)


def _well_formed(path: str) -> bool:
    """A path a file of the site can have: no NUL or other control characters, no
    surrogates (undecodable bytes), parts of a sane length."""
    if any(ord(c) < 32 or ord(c) == 127 or 0xD800 <= ord(c) <= 0xDFFF for c in path):
        return False
    return len(path) < 2048 and all(len(part.encode("utf-8")) < 250 for part in path.split("/"))


def _is_page(path: str) -> bool:
    name = path.rsplit("/", 1)[-1]
    return name == "" or name.endswith(".html") or "." not in name


def error_page(errors: list[SiteError]) -> bytes:
    items = "\n".join(f"<li><code>{html.escape(str(e.location))}</code>: {html.escape(e.message)}</li>" for e in errors)
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Build failed: {len(errors)} error(s)</title>
<style>
body {{ font: 1rem/1.5 system-ui, sans-serif; margin: 2rem auto; max-width: 60rem; padding: 0 1rem; }}
h1 {{ color: #b00020; }} code {{ font-weight: bold; }} li {{ margin: .5rem 0; }}
</style>
</head>
<body>
<main id="build-errors">
<h1>The site has {len(errors)} error(s)</h1>
<p>Fix them and save: this page reloads by itself. Until then the preview keeps the last good build.</p>
<ol class="errors">
{items}
</ol>
</main>
</body>
</html>
""".encode()


def port_problem(host: str, port: int) -> str | None:
    """Why the server could not listen on host:port, checked before the first build."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except socket.gaierror as exc:
        return f"cannot serve on --host {host}: {exc.strerror}"
    for family, kind, proto, _, address in infos:
        with socket.socket(family, kind, proto) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as Tornado binds
            try:
                probe.bind(address)
            except OSError as exc:
                return _bind_message(exc, host, port)
    return None


def _bind_message(exc: OSError, host: str, port: int) -> str:
    if exc.errno == errno.EADDRINUSE:
        return (
            f"port {port} is already in use on {host}: stop the program using it, "
            f"or choose another port with --port (e.g. --port {port + 1 if port < 65535 else 8000})"
        )
    if exc.errno == errno.EADDRNOTAVAIL:
        return f"cannot serve on --host {host}: this computer has no such address"
    return f"cannot serve on {host}:{port} ({exc.strerror}); choose another --host or --port"


def _is_unspecified(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_unspecified
    except ValueError:
        return False


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _url_host(host: str) -> str:
    return f"[{host}]" if ":" in host else host


logging.getLogger("tornado.access").setLevel(logging.WARNING)  # no line per request
