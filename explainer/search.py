"""Full-text search: a Pagefind index of every page's main content, fed from memory.

Pagefind indexes only what is marked `data-pagefind-body` (the article), so menu, header and
footer stay out of results. Instead of letting Pagefind's CLI read the finished site back
from disk (every page's whole HTML, head and menu included), the build hands each page's
article to one `pagefind --service` process as it goes (`SearchIndex.add`), and that process
indexes while the build goes on; at the end it writes the index into the temp folder before
the swap (`SearchIndex.write`).

This speaks the service's own protocol (the one the `pagefind` Python package's
`PagefindIndex` uses: base64 JSON messages, each followed by a comma, on stdin/stdout), not
that package's asyncio client: its reader takes one response per 100 ms poll, which would be
17 minutes for 10,000 pages. Requests here are pipelined (not one round trip per page) and
a thread drains the responses.

Without the `pagefind` package the site builds without search.
"""

from __future__ import annotations

import base64
import json
import re
import subprocess
import threading
from pathlib import Path

from .errors import BuildFailed, Diagnostics, Location

INDEX_FOLDER = "pagefind"
# What Pagefind reads of a page: the element marked for it (from its start tag to the end of
# the page's last </article>, which closes it: the marked element is an <article> in every
# template), the page's language and its title. Nothing else of the page affects the index.
_BODY = re.compile(rb"<article\b[^>]*\bdata-pagefind-body\b", re.S)
_END = b"</article>"
_LANG = re.compile(rb'<html\b[^>]*\blang="([^"]*)"')


def pagefind_available() -> bool:
    try:
        from pagefind.service import get_executable
    except ImportError:
        return False
    return get_executable() is not None


def searchable(html: bytes) -> bytes | None:
    """The part of a page Pagefind indexes, as a small page of its own; None if it has none
    (the 404 page). The article is passed on byte for byte."""
    start = _BODY.search(html)
    if start is None:
        return None
    end = html.rfind(_END)
    if end < start.start():
        return None
    lang = _LANG.search(html, 0, start.start())
    head = b'<html lang="' + (lang.group(1) if lang else b"en") + b'"><body>'
    return head + html[start.start() : end + len(_END)] + b"</body></html>"


class SearchIndex:
    """One Pagefind service process building one index. Not thread-safe: one feeder."""

    def __init__(self) -> None:
        from pagefind.service import get_executable

        binary = get_executable()
        if binary is None:
            raise FileNotFoundError("pagefind binary")
        self._proc = subprocess.Popen(
            [str(binary), "--service"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL
        )
        self._next_id = 0
        self._errors: list[str] = []
        self._waiting: dict[int, threading.Event] = {}
        self._answers: dict[int, dict] = {}
        self._lock = threading.Lock()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        self._index = self._request({"type": "NewIndex", "config": None}, wait=True)["index_id"]
        self.pages = 0

    def add(self, url: str, html: bytes) -> None:
        """Index one page (its URL relative to the site root, e.g. "study/"), without waiting."""
        body = searchable(html)
        if body is None:
            return
        message = {"type": "AddFile", "index_id": self._index, "url": "/" + url, "file_path": None}
        message["file_contents"] = body.decode("utf-8")
        self._request(message)
        self.pages += 1

    def write(self, site: Path) -> None:
        """Write the index into site/pagefind/ (waits for every page to be indexed first)."""
        out = str((site / INDEX_FOLDER).resolve())
        self._request({"type": "WriteFiles", "index_id": self._index, "output_path": out}, wait=True)
        self.close()

    def close(self) -> None:
        if self._proc.poll() is None:
            self._proc.kill()
        self._proc.wait()
        for stream in (self._proc.stdin, self._proc.stdout):
            if stream is not None:
                stream.close()

    def _request(self, payload: dict, wait: bool = False) -> dict:
        self._next_id += 1
        number = self._next_id
        done = threading.Event()
        if wait:
            with self._lock:
                self._waiting[number] = done
        data = json.dumps({"message_id": number, "payload": payload}).encode("utf-8")
        try:
            assert self._proc.stdin is not None
            self._proc.stdin.write(base64.b64encode(data) + b",")
            if wait:
                self._proc.stdin.flush()
        except OSError as exc:
            self._fail(f"the search indexer stopped ({exc})")
        if not wait:
            return {}
        done.wait()
        answer = self._answers.pop(number, None)
        if answer is None or self._errors:
            self._fail("; ".join(self._errors) or "the search indexer stopped")
        return answer  # type: ignore[return-value]

    def _read(self) -> None:
        """Drain responses (so the service never blocks on a full pipe), noting errors."""
        stdout = self._proc.stdout
        assert stdout is not None
        buffered = b""
        while True:
            chunk = stdout.read1(1 << 16)  # type: ignore[attr-defined]
            if not chunk:
                break
            buffered += chunk
            *messages, buffered = buffered.split(b",")
            for message in messages:
                self._answer(json.loads(base64.b64decode(message)))
        with self._lock:  # the process ended: nobody waits forever
            for event in self._waiting.values():
                event.set()
            self._waiting.clear()

    def _answer(self, response: dict) -> None:
        payload = response.get("payload") or {}
        if payload.get("type") == "Error":
            self._errors.append(str(payload.get("message")))
        number = response.get("message_id")
        with self._lock:
            event = self._waiting.pop(number, None)
        if event is not None:
            self._answers[number] = payload
            event.set()

    def _fail(self, message: str) -> None:
        self.close()
        diags = Diagnostics()
        diags.error(Location(Path(INDEX_FOLDER)), f"search index failed: {message}")
        raise BuildFailed(diags)


def build_search_index(site_dir: Path) -> None:
    """Index a finished site folder from disk (for callers that have no pages in memory)."""
    if not pagefind_available():
        return
    index = SearchIndex()
    try:
        for page in sorted(site_dir.rglob("*.html")):
            rel = page.relative_to(site_dir).as_posix()
            index.add(rel.removesuffix("index.html"), page.read_bytes())
        index.write(site_dir)
    finally:
        index.close()
