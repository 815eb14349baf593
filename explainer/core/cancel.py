"""A process-wide request to stop: the live preview sets it on Ctrl-C, and a build running in
its worker thread stops at the next output instead of finishing (which on a busy machine took
seconds, holding the interpreter while the preview tried to exit)."""

from __future__ import annotations

import threading
import time

STOP = threading.Event()


class Cancelled(Exception):
    """The build was asked to stop (STOP was set); nothing it made is kept."""


def check() -> None:
    """Raise Cancelled when a stop was asked for: called between outputs and between checks."""
    if STOP.is_set():
        raise Cancelled


def seconds_left(deadline: float) -> float:
    """What remains of a stop's time limit (a time.monotonic() deadline), never negative."""
    return max(0.0, deadline - time.monotonic())
