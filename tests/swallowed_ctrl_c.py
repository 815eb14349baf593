"""A Ctrl-C whose KeyboardInterrupt a library swallows, made to happen every time.

Seen in the suite on a busy machine: the preview got Ctrl-C while its first build imported
lxml.etree, and went on serving. Cython compiles a bare `except: pass` into the import of
every module that uses memoryviews (around registering its memoryview type as a
`collections.abc.Sequence`); a SIGINT handled there raises its KeyboardInterrupt inside
that `try`, and it is lost. `SWALLOWED_CTRL_C` runs build.py as `python build.py` does,
but sends SIGINT at exactly that moment; the command prints when it sent it.
"""

from __future__ import annotations

import re
import sys

LAUNCHER = """
import os, runpy, signal, sys, time

def tracer(frame, event, arg):
    subclass = frame.f_locals.get("subclass") if frame.f_code.co_name == "register" else None
    if getattr(subclass, "__module__", "") == "lxml.etree" and subclass.__name__ == "_memoryviewslice":
        sys.settrace(None)
        print(f"ctrl-c sent inside lxml's import at {time.monotonic()}", file=sys.stderr, flush=True)
        signal.raise_signal(signal.SIGINT)  # the handler runs now, inside Cython's try
    return None  # no line events: only calls are looked at

script = sys.argv[1]
sys.argv = sys.argv[1:]
sys.path.insert(0, os.path.dirname(os.path.abspath(script)))  # as `python build.py` has it
sys.settrace(tracer)
runpy.run_path(script, run_name="__main__")
"""

SWALLOWED_CTRL_C = [sys.executable, "-c", LAUNCHER]  # then build.py and its arguments


def sent_at(err: str) -> float:
    """When the command sent itself the Ctrl-C (time.monotonic(), the same clock in every
    process); fails if it never did (then lxml no longer swallows it there: nothing was tested)."""
    found = re.search(r"ctrl-c sent inside lxml's import at ([0-9.]+)", err)
    assert found, f"the Ctrl-C was never sent inside lxml's import:\n{err}"
    return float(found.group(1))
