"""A process-wide request to stop, and how Ctrl-C (SIGINT) and SIGTERM make it.

A signal's KeyboardInterrupt alone is not a reliable stop: Python raises it wherever the
main thread happens to be, and library code may swallow it. Cython compiles a bare
`except: pass` into the import of every module that uses memoryviews (lxml.etree among
them): a Ctrl-C during the first build's import of lxml was lost, and the preview went on
serving. So the signal also sets STOP, which nothing swallows: a build raises Cancelled at
its next stage, output or check, and the preview's server loop is stopped by the callback
it registered with `when_stopped`.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import sys
import threading
import time
from collections.abc import Callable
from typing import Any

STOP = threading.Event()
EXIT_SIGNALLED = 128  # plus the signal's number: see exit_status
SIGNALS = (signal.SIGINT, signal.SIGTERM)
_asked_by = 0  # the signal that asked to stop first
_wakers: list[Callable[[], None]] = []


class Cancelled(Exception):
    """The build was asked to stop (STOP was set); nothing it made is kept. An Exception, not
    a KeyboardInterrupt: a forked worker's pool sends it back to the parent like any error."""


def stop_on_signals() -> None:
    """For the rest of the process's life, SIGINT and SIGTERM ask it to stop (the command line
    installs this first thing, so no moment of a command is left to Python's default)."""
    for signum in SIGNALS:
        signal.signal(signum, _on_signal)


def as_worker(mask: set[signal.Signals]) -> None:
    """A forked worker's first step (render/parallel.forked_pool forks it with the signals
    held back), then the signal mask it had before. A terminal's Ctrl-C, which reaches the
    whole process group, is ignored: a pool's worker that dies of it loses its task, and the
    parent waits for that forever; the parent alone stops, and ends its workers with SIGTERM.
    That ends one at once, as by default: a handler in Python can miss a signal that comes
    just before the worker blocks on a lock (seen: a pool's end waited forever for one)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.pthread_sigmask(signal.SIG_SETMASK, mask)


def _on_signal(signum: int, frame: Any) -> None:
    global _asked_by
    first = not STOP.is_set()
    _asked_by = _asked_by or signum
    STOP.set()
    for wake in list(_wakers):
        wake()
    if first:
        # Interrupts whatever runs now, at once. Only the first time: a second Ctrl-C must not
        # break off the clean-up that the first one started.
        raise KeyboardInterrupt


def stopped_by() -> int:
    """The signal that asked this process to stop, or 0."""
    return _asked_by


def exit_status() -> int:
    """What a command a stop ended exits with: 128 plus the signal, 130 for Ctrl-C (as a shell
    reports a command a signal ended)."""
    return EXIT_SIGNALLED + (_asked_by or signal.SIGINT)


def when_stopped(wake: Callable[[], None]) -> None:
    """wake() is called from the signal handler when a stop is asked for, or now if one was
    already: it must be safe to call there (asyncio's call_soon_threadsafe is)."""
    _wakers.append(wake)
    if STOP.is_set():
        wake()


def exit_now(code: int) -> None:
    """End the process at once, with nothing left to wait for: forked workers are killed
    first (an orphan would go on rendering, then print a broken pipe's traceback), output
    streams flushed, and the interpreter does not finalise (a pool being ended, see
    render/parallel.forked_pool, or a rebuild abandoned in its thread, could hold it)."""
    for child in multiprocessing.active_children():
        child.kill()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


def check() -> None:
    """Raise Cancelled when a stop was asked for: called between stages, outputs and checks."""
    if STOP.is_set():
        raise Cancelled


def seconds_left(deadline: float) -> float:
    """What remains of a stop's time limit (a time.monotonic() deadline), never negative."""
    return max(0.0, deadline - time.monotonic())
