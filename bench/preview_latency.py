"""How fast the live preview shows an edit, on a copy of the real site (site_src/, templates/).

Four measurements, each the median (and 90th percentile) of N edits:

1. rebuild      in process: `Rebuilder.update([page])` alone (read, render, link check, write).
2. save->disk   `python build.py serve` running: from writing the .md file to the rebuilt
                HTML containing the new words in the served folder (file event + debounce +
                rebuild + write); the file is stat-ed every 0.5 ms and read when replaced.
3. save->browser the same server, a real Chromium (Playwright, Debian's chromium) on the
                page: from writing the .md file to the new words being in the page's DOM
                (livereload message + the page updated in place, or reloaded), waited for
                by Playwright (whose checks come at growing intervals: it adds its own wait).
   save->repaint the same edits: from writing the file (wall clock) to the start of the
                first animation frame that shows the new words, stamped in the page (a
                MutationObserver, then requestAnimationFrame; set up again in a reloaded page).
4. css->browser  the same page: from saving templates/static/site.css with a new border
                colour to the page's computed style having it (livereload.js swaps the
                stylesheet; the page is not reloaded, which is checked).

Each edit replaces one sentence of the page with new unique words, so every edit changes
the output. Edits are 0.4 s apart (an editor's saves are seconds apart; the pause lets
the preview finish the browser's reload and re-warm its caches first, as it would).

Usage: python bench/preview_latency.py [--edits 20] [--page study] [--json]
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from explainer.load.config import BuildOptions  # noqa: E402
from explainer.serve.rebuild import Rebuilder  # noqa: E402

PAUSE = 0.4  # seconds between edits
MARK = "PREVIEWBENCH"


def summary(samples: list[float]) -> dict[str, float]:
    ms = sorted(s * 1000 for s in samples)
    return {
        "median_ms": round(statistics.median(ms), 1),
        "p90_ms": round(ms[min(len(ms) - 1, int(len(ms) * 0.9))], 1),
        "min_ms": round(ms[0], 1),
        "max_ms": round(ms[-1], 1),
        "n": len(ms),
    }


def prepare(root: Path, page: str) -> tuple[Path, Path, Path]:
    src, tpl = root / "src", root / "tpl"
    shutil.copytree(ROOT / "site_src", src)
    shutil.copytree(ROOT / "templates", tpl)
    md = src / "pages" / f"{page}.md"
    text = md.read_text(encoding="utf-8")
    head, sep, body = text.partition("\n---\n")  # after the front matter
    md.write_text(f"{head}{sep}\n{MARK} start.\n{body}", encoding="utf-8")
    return src, tpl, md


def set_words(md: Path, words: str) -> None:
    lines = md.read_text(encoding="utf-8").splitlines(keepends=True)
    index = next(i for i, line in enumerate(lines) if line.startswith(MARK))
    lines[index] = f"{MARK} {words}.\n"
    md.write_text("".join(lines), encoding="utf-8")


def bench_rebuild(root: Path, page: str, edits: int) -> dict[str, float]:
    src, tpl, md = prepare(root / "rebuild", page)
    options = BuildOptions(source=src, templates=tpl, out=root / "rebuild" / "out", preview=True, search=False)
    rebuilder = Rebuilder(options)
    assert rebuilder.full().ok
    rebuilder.warm()
    samples = []
    for _ in range(edits):
        set_words(md, uuid.uuid4().hex)
        started = time.perf_counter()
        outcome = rebuilder.update([md])
        samples.append(time.perf_counter() - started)
        assert outcome.ok and not outcome.full and outcome.written, outcome
        rebuilder.warm()  # as the server does after each rebuild
    return summary(samples)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_server(root: Path, src: Path, tpl: Path) -> tuple[subprocess.Popen[bytes], int, Path]:
    tmpdir = root / "tmp"
    tmpdir.mkdir()
    port = free_port()
    cmd = [sys.executable, str(ROOT / "build.py"), "serve", "--source", str(src), "--templates", str(tpl)]
    proc = subprocess.Popen(
        [*cmd, "--port", str(port), "--no-search"],
        env=dict(os.environ, TMPDIR=str(tmpdir)),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/")
            if conn.getresponse().status == 200:
                return proc, port, next(tmpdir.glob("explainer-preview-*")) / "site"
        except OSError:
            time.sleep(0.1)
    proc.kill()
    raise SystemExit("the preview server did not start")


def bench_server(root: Path, page: str, edits: int) -> tuple[dict[str, float], ...]:
    from playwright.sync_api import sync_playwright
    from site_server import launch_chromium

    src, tpl, md = prepare(root / "server", page)
    proc, port, out = start_server(root / "server", src, tpl)
    served = out / page / "index.html"
    try:
        disk = []
        for _ in range(edits):
            words = uuid.uuid4().hex
            started = time.perf_counter()
            set_words(md, words)
            needle, seen = words.encode(), _identity(served)
            while True:  # a cheap stat until the file is replaced, then a read
                now = _identity(served)
                if now != seen:
                    seen = now
                    if needle in _read(served):
                        break
                if time.perf_counter() - started > 10:
                    raise SystemExit("the edit never reached the disk")
                time.sleep(0.0005)
            disk.append(time.perf_counter() - started)
            time.sleep(PAUSE)
        browser_samples, repaint_samples = [], []
        with sync_playwright() as pw:
            chromium = launch_chromium(pw)
            tab = chromium.new_page()
            tab.add_init_script("document.addEventListener('LiveReloadConnect', () => { window.__ready = true; })")
            tab.add_init_script(STAMP_WHEN_SHOWN)
            tab.goto(f"http://127.0.0.1:{port}/{page}/")
            for _ in range(edits):
                tab.wait_for_function("window.__ready === true", timeout=10_000)
                time.sleep(PAUSE)
                words = uuid.uuid4().hex
                tab.evaluate(f"sessionStorage.setItem('shown', '{MARK} {words}.'); {STAMP_WHEN_SHOWN}")
                wall, started = time.time(), time.perf_counter()
                set_words(md, words)
                tab.get_by_text(f"{MARK} {words}.").wait_for(timeout=10_000)
                browser_samples.append(time.perf_counter() - started)
                tab.wait_for_function("window.__shown > 0", timeout=10_000)
                repaint_samples.append(tab.evaluate("window.__shown") / 1000 - wall)
            css_samples = bench_css(tab, tpl / "static" / "site.css", edits)
            chromium.close()
        return summary(disk), summary(browser_samples), summary(repaint_samples), summary(css_samples)
    finally:
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=15)


# In the page (and in each page loaded, as an init script): once the text sessionStorage
# names is in the DOM, the start of the next frame (epoch ms) goes to window.__shown;
# textContent, not innerText, so the observer forces no layout.
STAMP_WHEN_SHOWN = """(() => {
  const needle = sessionStorage.getItem('shown');
  window.__shown = null;
  if (!needle) return;
  const seen = new MutationObserver(() => {
    if (!document.body || !document.body.textContent.includes(needle)) return;
    seen.disconnect();
    requestAnimationFrame(() => { window.__shown = performance.timeOrigin + performance.now(); });
  });
  seen.observe(document, {subtree: true, childList: true, characterData: true});
})();"""


def bench_css(tab: Any, css: Path, edits: int) -> list[float]:
    """Save the stylesheet with a new colour; wait until the open page has applied it."""
    original = css.read_text(encoding="utf-8")
    tab.evaluate("window.__samePage = true")
    samples = []
    for i in range(edits):
        time.sleep(PAUSE)
        colour = f"rgb(1, 2, {i + 3})"
        started = time.perf_counter()
        css.write_text(f"{original}\nbody {{ border-top: 3px solid {colour}; }}\n", encoding="utf-8")
        tab.wait_for_function(f"getComputedStyle(document.body).borderTopColor === '{colour}'", polling="raf")
        samples.append(time.perf_counter() - started)
    assert tab.evaluate("window.__samePage") is True, "the page was reloaded"
    return samples


def _identity(path: Path) -> tuple[int, int]:
    try:
        st = path.stat()
    except FileNotFoundError:
        return (0, 0)
    return (st.st_ino, st.st_mtime_ns)


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:  # between an atomic replace's steps nothing is missing, but be safe
        return b""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--edits", type=int, default=20)
    parser.add_argument("--page", default="study", help="the page of site_src/pages/ to edit (default: study)")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="preview-bench-") as tmp:
        root = Path(tmp)
        results = {"rebuild": bench_rebuild(root, args.page, args.edits)}
        server = bench_server(root, args.page, args.edits)
        names = ("save_to_disk", "save_to_browser", "save_to_repaint", "css_to_browser")
        results |= dict(zip(names, server, strict=True))
    if args.json:
        print(json.dumps({"page": args.page, **results}, indent=1))
        return
    print(f"editing site_src/pages/{args.page}.md, {args.edits} edits each")
    for name, r in results.items():
        print(f"  {name:16} median {r['median_ms']:7.1f} ms   p90 {r['p90_ms']:7.1f} ms   "
              f"min {r['min_ms']:7.1f}   max {r['max_ms']:7.1f}")  # fmt: skip


if __name__ == "__main__":
    main()
