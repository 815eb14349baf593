"""The preview's file watcher: livereload's Watcher interface on OS file events
(watchdog: inotify on Linux), debounced into batches that a worker thread hands to the
watch tasks; the reloads they return go to the browser over livereload's WebSocket.
Touches no file: it only reports which paths changed."""

from __future__ import annotations

import os
import threading
import time
import traceback
from collections.abc import Callable, Iterable
from typing import Any

from livereload.handlers import LiveReloadHandler
from livereload.watcher import Watcher
from tornado.ioloop import IOLoop
from watchdog import events as ev
from watchdog.observers import Observer

from ..core import cancel

QUIET_SECONDS = 0.015  # a batch is rebuilt once no file event came for this long...
LONGEST_WAIT = 0.25  # ...or this long after its first event, whichever is first
WARM_DELAY = 0.3  # after a rebuild, templates are compiled again once the browser had time to reload


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
            self.observer.join(timeout=cancel.seconds_left(deadline))
        if self.worker.is_alive():
            self.worker.join(timeout=cancel.seconds_left(deadline))

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
