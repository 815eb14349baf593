"""The preview answers only its own origin (issue 17): a request whose Host is not the
address it was started on is refused (DNS rebinding could read it otherwise), reload and
WebSocket requests must come from the preview's own pages, and a malformed path is a 400,
never a 500 with a traceback in the log."""

from __future__ import annotations

import base64
import http.client
import os

from preview_server import Preview

from explainer.serve.server import Origin


def request(preview: Preview, path: str, headers: dict[str, str]) -> int:
    conn = http.client.HTTPConnection(preview.address, timeout=20)
    try:
        conn.putrequest("GET", path, skip_host="Host" in headers, skip_accept_encoding=True)
        for name, value in headers.items():
            conn.putheader(name, value)
        conn.endheaders()
        return conn.getresponse().status
    finally:
        conn.close()


def test_only_its_own_host_is_answered(preview: Preview) -> None:
    p = preview.port
    for host in (f"127.0.0.1:{p}", f"localhost:{p}", f"LOCALHOST:{p}"):
        assert request(preview, "/", {"Host": host}) == 200, host
    for host in (f"evil.example:{p}", f"127.0.0.1.evil.example:{p}", "127.0.0.1", f"127.0.0.1:{int(p) + 1}", ""):
        for path in ("/", "/index.html", "/livereload.js", "/forcereload", "/static/site.css"):
            assert request(preview, path, {"Host": host}) == 403, (host, path)


def test_reload_requests_come_only_from_its_own_pages(preview: Preview) -> None:
    own = f"http://127.0.0.1:{preview.port}"
    assert request(preview, "/forcereload", {"Origin": own}) == 200
    assert request(preview, "/forcereload", {}) == 200  # not from a browser page at all
    for headers in ({"Origin": "http://evil.example"}, {"Origin": "null"}, {"Sec-Fetch-Site": "cross-site"}):
        assert request(preview, "/forcereload", headers) == 403, headers


def websocket(preview: Preview, origin: str) -> int:
    key = base64.b64encode(os.urandom(16)).decode()
    return request(
        preview,
        "/livereload",
        {
            "Connection": "Upgrade",
            "Upgrade": "websocket",
            "Sec-WebSocket-Version": "13",
            "Sec-WebSocket-Key": key,
            "Origin": origin,
        },
    )


def test_the_websocket_checks_origin(preview: Preview) -> None:
    assert websocket(preview, f"http://127.0.0.1:{preview.port}") == 101
    assert websocket(preview, f"http://localhost:{preview.port}") == 101
    for origin in ("http://evil.example", f"http://evil.example:{preview.port}", "null"):
        assert websocket(preview, origin) == 403, origin


MALFORMED = ["/x%00.html", "/%00", "/a%01b/", "/%ff%fe.html", "/%ed%a0%80.html", "/" + "a" * 300 + ".html", "/x%7f"]


def test_malformed_paths_are_400(preview: Preview) -> None:
    for path in MALFORMED:
        assert request(preview, path, {}) == 400, path
    assert request(preview, "/../../etc/passwd", {}) in (400, 403, 404)
    assert request(preview, "/%2e%2e/%2e%2e/etc/passwd", {}) in (400, 403, 404)
    assert request(preview, "/", {}) == 200  # and it still serves


def test_the_rules() -> None:
    loop = Origin.of("127.0.0.1", 8000)
    assert loop.allows_host("127.0.0.1:8000") and loop.allows_host("localhost:8000") and loop.allows_host("[::1]:8000")
    assert not loop.allows_host("evil.example:8000") and not loop.allows_host("192.168.1.2:8000")
    every = Origin.of("0.0.0.0", 8000)
    assert every.allows_host("192.168.1.2:8000") and every.allows_host("localhost:8000")
    assert not every.allows_host("evil.example:8000") and not every.allows_host("192.168.1.2:8001")
    named = Origin.of("mybox.local", 8000)
    assert named.allows_host("mybox.local:8000") and not named.allows_host("localhost:8000")
