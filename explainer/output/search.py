"""Full-text search: a Pagefind index of every page's article, fed from memory while the
build goes on.

What is indexed is what a reader searches: the text of the element each template marks
`data-pagefind-body` (the article; menu, header, footer and the page's head stay out), with
the page's title and language. The build takes that text out of each page's HTML itself and
hands it to a `pagefind --service` process as a record (`SearchIndex.add`), so Pagefind
neither reads the site back from disk nor parses any HTML; it indexes on another core while
the build goes on.

Pagefind holds a whole index in memory and, while making its files, about 165 KB per page
(1.6 GB at 10,000 pages). So the index is made in parts of at most PART_PAGES pages: when a
part is full its process hands over the part's files (which a thread writes) and exits,
while a new process takes the next pages. Part 0 is
the `pagefind/` bundle itself, part k is `pagefind/part-k/`; `pagefind/parts.json` lists
the extra parts, which the site's search script merges into the first (Pagefind's
`mergeIndex`), so a reader searches them as one.

This speaks the service's own protocol (the one the `pagefind` Python package's
`PagefindIndex` uses: base64 JSON messages, each followed by a comma, on stdin/stdout), not
that package's asyncio client: its reader takes one response per 100 ms poll, which would be
17 minutes for 10,000 pages. Requests here are pipelined (no round trip per page) and a
thread drains the responses.

Without the `pagefind` package the site builds without search.
"""

from __future__ import annotations

import base64
import contextlib
import html
import json
import os
import re
import subprocess
import threading
from pathlib import Path

from ..core.errors import BuildFailed, Diagnostics, Location
from .write import release, temp_folder

INDEX_FOLDER = "pagefind"
PARTS_FILE = "parts.json"
PART_PAGES = 2000  # pages per index part: Pagefind's memory while writing one is about 165 KB a page

# The element marked for the index runs from its start tag to the page's last </article>
# (the marked element is an <article> in every template, and nothing follows it but the
# closing of <main>, the footer and scripts).
_BODY = re.compile(rb"<article\b[^>]*\bdata-pagefind-body\b[^>]*>")
_END = b"</article>"
_LANG = re.compile(rb'<html\b[^>]*\blang="([^"]*)"')
_TITLE = re.compile(rb"<h1\b[^>]*>(.*?)</h1>", re.S)
_HIDDEN = re.compile(rb"<(script|style|template)\b.*?</\1>", re.S | re.I)
_TAG = re.compile(rb"<[^>]*>")
_SPACE = re.compile(r"\s+")


def pagefind_available() -> bool:
    try:
        from pagefind.service import get_executable
    except ImportError:
        return False
    return get_executable() is not None


def page_record(url: str, page: bytes) -> dict | None:
    """What Pagefind stores about a page: its URL, language, title (the article's first
    heading) and text; None for a page with nothing marked for the index (the 404 page)."""
    start = _BODY.search(page)
    if start is None:
        return None
    end = page.rfind(_END)
    if end < start.end():
        return None
    body = _HIDDEN.sub(b" ", page[start.end() : end])
    lang = _LANG.search(page, 0, start.start())
    title = _TITLE.search(body)
    return {
        "url": "/" + url,
        "language": (lang.group(1) if lang else b"en").decode().split("-")[0].lower(),
        "meta": {"title": _text(title.group(1)) if title else url},
        "content": _text(body),
    }


def _text(fragment: bytes) -> str:
    # Tags become spaces (a heading and the paragraph after it are two words, not one).
    return _SPACE.sub(" ", html.unescape(_TAG.sub(b" ", fragment).decode("utf-8"))).strip()


class _Service:
    """One `pagefind --service` process holding one index."""

    def __init__(self) -> None:
        from pagefind.service import get_executable

        self.proc = subprocess.Popen(
            [str(get_executable()), "--service"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )
        self.errors: list[str] = []
        self.failure: OSError | None = None  # writing its files failed (a full disk...)
        self.folder: Path | None = None  # where its files go (see finish)
        self._final = -1  # the request whose answer is the index's files
        self._next = self.last = 0
        self._waiting: dict[int, threading.Event] = {}
        self._answers: dict[int, dict] = {}
        self._lock = threading.Lock()
        threading.Thread(target=self._read, daemon=True).start()
        self.index = self.ask({"type": "NewIndex", "config": None}, wait=True)["index_id"]
        self.pages = 0

    def ask(self, payload: dict, wait: bool = False, track: bool = False) -> dict:
        """Send a request. wait: block for its answer; track: its answer can be waited for
        later with answer(self.last). Other answers are only checked for errors."""
        self._next += 1
        self.last = self._next
        if wait or track:
            with self._lock:
                self._waiting[self._next] = threading.Event()
        message = json.dumps({"message_id": self._next, "payload": payload}).encode("utf-8")
        try:
            assert self.proc.stdin is not None
            self.proc.stdin.write(base64.b64encode(message) + b",")
            if wait or track:
                self.proc.stdin.flush()
        except OSError as exc:
            self.errors.append(f"the indexer stopped ({exc})")
            return {}
        return self.answer(self._next) if wait else {}

    def finish(self, folder: Path) -> None:
        """Ask for the index's files, without waiting: the reader thread writes them into
        folder when they come and lets the process end (its memory goes back at once)."""
        self.folder, self._final = folder, self._next + 1
        self.ask({"type": "GetFiles", "index_id": self.index}, track=True)

    def done(self) -> None:
        """Wait until finish's files are written (or the process failed)."""
        self.answer(self._final)
        try:
            self.proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.errors.append("the indexer did not stop")
        self.close()

    def _write_files(self, payload: dict) -> None:
        assert self.folder is not None
        try:
            for file in payload.get("files") or []:
                target = self.folder / file["path"]
                if not target.resolve().is_relative_to(self.folder.resolve()):
                    raise ValueError(f"unexpected index file {file['path']!r}")
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(base64.b64decode(file["content"]))
        except OSError as exc:
            self.failure = exc
        except (ValueError, KeyError, TypeError) as exc:
            self.errors.append(str(exc))
        finally:
            with contextlib.suppress(OSError):
                assert self.proc.stdin is not None
                self.proc.stdin.close()  # end of input: the service exits

    def answer(self, number: int) -> dict:
        with self._lock:
            done = self._waiting.get(number)
        if done is not None:
            done.wait()
        return self._answers.pop(number, {})

    def close(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait()
        for stream in (self.proc.stdin, self.proc.stdout):
            if stream is not None:
                with contextlib.suppress(OSError):  # unsent requests of a process given up on
                    stream.close()

    def _read(self) -> None:
        """Drain the answers (the service must never block on a full pipe)."""
        stdout = self.proc.stdout
        assert stdout is not None
        buffered = b""
        while chunk := stdout.read1(1 << 16):  # type: ignore[attr-defined]
            buffered += chunk
            *messages, buffered = buffered.split(b",")
            for message in messages:
                self._answer(json.loads(base64.b64decode(message)))
        with self._lock:  # the process ended: nobody waits forever
            if self._waiting:
                self.errors.append("the indexer stopped")
            for event in self._waiting.values():
                event.set()
            self._waiting.clear()

    def _answer(self, response: dict) -> None:
        payload = response.get("payload") or {}
        if payload.get("type") == "Error":
            self.errors.append(str(payload.get("message")))
        number = response.get("message_id")
        if number == self._final and payload.get("type") == "GetFiles":
            self._write_files(payload)
            payload = {"type": "GetFiles"}  # the files are on disk: do not keep them in memory
        with self._lock:
            event = self._waiting.pop(number, None)  # type: ignore[arg-type]
            if event is not None:
                self._answers[number] = payload
        if event is not None:
            event.set()


class SearchIndex:
    """The site's index, in parts, built by Pagefind service processes as pages are added.
    `staging` is an empty folder on the output's file system that the parts are written to;
    `write` moves them into the site. Not thread-safe: one feeder."""

    def __init__(self, staging: Path, part_pages: int | None = None) -> None:
        self.staging = staging
        self.part_pages = part_pages or PART_PAGES
        self._current: _Service | None = None
        self._writing: list[_Service] = []  # services whose part is being written
        self._parts = 0
        self.pages = 0

    def add(self, url: str, page: bytes) -> None:
        """Index one page (url relative to the site root, e.g. "study/"), without waiting."""
        record = page_record(url, page)
        if record is None:
            return
        if self._current is None:
            self._current = _Service()
        request = {"type": "AddRecord", "index_id": self._current.index, "filters": None, "sort": None}
        self._current.ask(request | record)
        self._current.pages += 1
        self.pages += 1
        if self._current.pages >= self.part_pages:
            self._end_part()

    def _end_part(self) -> None:
        """Have the current process write its part and go on without waiting for it."""
        service, self._current = self._current, None
        assert service is not None
        service.finish(self.staging / str(self._parts))
        self._parts += 1
        self._writing.append(service)

    def write(self, site: Path) -> None:
        """Wait for every part, then move them into site/pagefind/ (with parts.json)."""
        if self._current is not None or not self._writing:
            if self._current is None:  # no page to index: an empty index still answers searches
                self._current = _Service()
            self._end_part()
        errors, failure = [], None
        for service in self._writing:
            service.done()
            errors += service.errors
            failure = failure or service.failure
        self._writing = []
        if failure is not None:
            self.close()
            raise failure  # write_site reports it (a full disk...) like any write of the site
        if errors:
            self._fail("; ".join(errors))
        target = site / INDEX_FOLDER
        os.rename(self.staging / "0", target)
        extra = [f"part-{k}/" for k in range(1, self._parts)]
        for k in range(1, self._parts):
            os.rename(self.staging / str(k), target / f"part-{k}")
        (target / PARTS_FILE).write_text(json.dumps(extra) + "\n", encoding="utf-8")

    def close(self) -> None:
        """Stop every process (after write, or to give up) and remove the staging folder."""
        for service in self._writing + ([self._current] if self._current else []):
            service.close()
        self._writing, self._current = [], None
        release(self.staging)

    def _fail(self, message: str) -> None:
        self.close()
        diags = Diagnostics()
        diags.error(Location(Path(INDEX_FOLDER)), f"search index failed: {message}")
        raise BuildFailed(diags)


def build_search_index(site_dir: Path) -> None:
    """Index a finished site folder from disk (for callers that have no pages in memory)."""
    if not pagefind_available():
        return
    index = SearchIndex(temp_folder(site_dir.resolve()))
    try:
        for page in sorted(site_dir.rglob("*.html")):
            rel = page.relative_to(site_dir).as_posix()
            index.add(rel.removesuffix("index.html"), page.read_bytes())
        index.write(site_dir)
    finally:
        index.close()
