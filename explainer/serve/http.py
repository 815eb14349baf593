"""The preview's HTTP side: livereload's server and handlers behind an Origin check (only
this preview's own Host and pages), the error page while the build is broken, and the
checks of --host/--port before anything is built. Reads the output folder; writes nothing."""

from __future__ import annotations

import errno
import html
import ipaddress
import logging
import socket
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from livereload import Server
from livereload.handlers import ForceReloadHandler, LiveReloadHandler, LiveReloadJSHandler, StaticFileHandler
from livereload.server import LiveScriptInjector
from tornado import web

from ..core.errors import SiteError

SWAP_JS = (Path(__file__).parent / "swap.js").read_bytes()  # a script of ours, in every preview page


@dataclass
class PreviewStatus:
    """What the HTTP handler needs from the rebuilds: the errors of the current sources."""

    errors: list[SiteError] = field(default_factory=list)
    builds: int = 0  # rebuild batches run since the start (the terminal prints the count)
    shown: set[str] = field(default_factory=set)  # warnings already printed, not repeated


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
        if is_loopback(host):
            names |= {"localhost", "127.0.0.1", "::1"}
        every = is_unspecified(host)  # bound to all addresses
        hosts = frozenset(f"{url_host(n)}:{port}" for n in names | ({"localhost"} if every else set()))
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
        # Our plugin first (swap.js: a changed page is updated in place), then livereload.js,
        # which adds it when it starts.
        script = (
            b"<script>" + SWAP_JS + b"</script>"
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
                return bind_message(exc, host, port)
    return None


def bind_message(exc: OSError, host: str, port: int) -> str:
    if exc.errno == errno.EADDRINUSE:
        return (
            f"port {port} is already in use on {host}: stop the program using it, "
            f"or choose another port with --port (e.g. --port {port + 1 if port < 65535 else 8000})"
        )
    if exc.errno == errno.EADDRNOTAVAIL:
        return f"cannot serve on --host {host}: this computer has no such address"
    return f"cannot serve on {host}:{port} ({exc.strerror}); choose another --host or --port"


def is_unspecified(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_unspecified
    except ValueError:
        return False


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def url_host(host: str) -> str:
    return f"[{host}]" if ":" in host else host


logging.getLogger("tornado.access").setLevel(logging.WARNING)  # no line per request
