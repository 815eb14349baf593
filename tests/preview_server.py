"""Preview-test support: a copy of a site's sources and the theme to edit, and the preview
(`build.py serve`) run as a subprocess on a free port of 127.0.0.1, started once it answers
and stopped as Ctrl-C stops it. The `preview` fixture (tests/conftest.py) runs one per test
module."""

from __future__ import annotations

import http.client
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from conftest import PATIENCE, ROOT, SITE_SRC, TEMPLATES

from explainer.load.config import BuildOptions


@dataclass
class Sources:
    src: Path
    tpl: Path
    root: Path

    def options(self, out: Path) -> BuildOptions:
        return BuildOptions(source=self.src, templates=self.tpl, out=out, preview=True, search=False)


def copy_sources(root: Path, source: Path = SITE_SRC) -> Sources:
    shutil.copytree(source, root / "src")
    shutil.copytree(TEMPLATES, root / "tpl")
    return Sources(root / "src", root / "tpl", root)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Preview:
    proc: subprocess.Popen[str]
    url: str
    sources: Sources
    tmpdir: Path  # the server's TMPDIR: its temp folder lives here

    @property
    def address(self) -> str:
        """host:port, as a request's Host header names the preview."""
        return self.url.split("/")[2]

    @property
    def port(self) -> str:
        return self.address.rsplit(":", 1)[1]

    def get(self, path: str) -> tuple[int, bytes]:
        """A raw request: the path goes to the server exactly as written (no normalising)."""
        conn = http.client.HTTPConnection(self.address, timeout=PATIENCE)
        try:
            conn.request("GET", path)
            response = conn.getresponse()
            return response.status, response.read()
        finally:
            conn.close()

    def wait_until_served(self, path: str, predicate: Callable[[bytes], bool], timeout: float = PATIENCE) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if predicate(self.get(path)[1]):
                return
            time.sleep(0.05)
        raise AssertionError(f"{path} never matched")


def start_preview(root: Path, *extra: str, search: bool = False) -> Preview:
    sources = copy_sources(root)
    tmpdir = root / "tmp"
    tmpdir.mkdir()
    port = free_port()
    env = dict(os.environ, TMPDIR=str(tmpdir), PYTHONUNBUFFERED="1")
    cmd = [sys.executable, str(ROOT / "build.py"), "serve", "--source", "src", "--templates", "tpl"]
    proc = subprocess.Popen(
        [*cmd, "--port", str(port), *([] if search else ["--no-search"]), *extra],
        cwd=root,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    preview = Preview(proc, f"http://127.0.0.1:{port}/", sources, tmpdir)
    deadline = time.monotonic() + PATIENCE
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"the preview exited early: {proc.communicate()[1]}")
        try:
            if preview.get("/")[0] == 200:
                return preview
        except OSError:
            pass
        time.sleep(0.1)
    proc.kill()
    raise AssertionError("the preview did not start")


def stop_preview(preview: Preview) -> tuple[int, str]:
    preview.proc.send_signal(signal.SIGINT)  # what Ctrl-C sends
    try:
        _, err = preview.proc.communicate(timeout=PATIENCE)
    except subprocess.TimeoutExpired:
        preview.proc.kill()
        raise
    return preview.proc.returncode, err
