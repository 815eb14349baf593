"""Browser-test support: serve a built site on 127.0.0.1 the way a static host would, and
launch the machine's Chromium.

The site is served under the path of its `base_url` (e.g. /bone-fat-explainer/), so tests
catch links and scripts that only work at a domain's root. A missing address gets
404.html with status 404, as GitHub Pages and Netlify do.
"""

from __future__ import annotations

import functools
import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import yaml

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@dataclass
class Served:
    root: str  # e.g. "http://127.0.0.1:41234/bone-fat-explainer/"
    site: Path

    def url(self, page: Path | str) -> str:
        """The address of a built file ("claims/weeks/index.html" -> ".../claims/weeks/")."""
        rel = page.relative_to(self.site).as_posix() if isinstance(page, Path) else page
        return self.root + (rel[: -len("index.html")] if rel.endswith("index.html") else rel)


class _Handler(SimpleHTTPRequestHandler):
    prefix = "/"

    def log_message(self, format: str, *args: object) -> None:
        pass

    def translate_path(self, path: str) -> str:
        clean = urlsplit(path).path
        if not clean.startswith(self.prefix):
            return str(Path(self.directory) / "\0missing")
        return super().translate_path("/" + clean[len(self.prefix) :])

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        page = Path(self.directory) / "404.html"
        if code != 404 or not page.is_file():
            super().send_error(code, message, explain)
            return
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


def base_path(source_site_yaml: Path) -> str:
    """The path part of the site's base_url ("/bone-fat-explainer/")."""
    base_url = yaml.safe_load(source_site_yaml.read_text(encoding="utf-8"))["base_url"]
    return urlsplit(base_url).path or "/"


@contextmanager
def serve(site: Path, prefix: str = "/") -> Iterator[Served]:
    handler = functools.partial(type("Handler", (_Handler,), {"prefix": prefix}), directory=str(site))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield Served(f"http://127.0.0.1:{server.server_port}{prefix}", site)
    finally:
        server.shutdown()
        server.server_close()


def launch_chromium(playwright):  # type: ignore[no-untyped-def]
    executable = shutil.which("chromium") or shutil.which("chromium-browser")
    assert executable, "Chromium not found: scripts/test-env.sh installs it"
    return playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
