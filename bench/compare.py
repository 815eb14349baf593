"""Benchmark: our generator against MkDocs 1.6 and Pelican 4 on the same synthetic corpus.

    python bench/compare.py                       # sizes 100, 1000, 10000; peers up to 1000
    python bench/compare.py --sizes 100,1000 --rounds 5
    python bench/compare.py --peers-max 10000     # peers at 10,000 pages too (slow)

Every build is a whole process started from the command line, from a clean state (no
output folder, no cache), timed from outside: wall time, and peak memory two ways (GNU
`time -v`'s maximum RSS, which is the largest single process, and the peak summed PSS of
the whole process tree, sampled every 20 ms, which counts our worker processes fairly).
Generators run in turn within each round, in a rotated order, and each number is the
median over the rounds.

Also measured, with the cache (`.cache/` beside the output): a rebuild with nothing changed,
and the time from editing one page to the build that rewrote it, on the 1,000-page corpus
and on a copy of the real site (never on site_src/ itself).

Writes bench/results.json, docs/performance-build-time.svg and the "Build speed" section of
docs/performance.md (between its markers; the rest of that file is left alone).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from corpus import SECTION_SIZE, make_corpus  # noqa: E402 - bench/ is not a package

CORPUS = ROOT / "bench" / "corpus"
RESULTS = ROOT / "bench" / "results.json"
DOC = ROOT / "docs" / "performance.md"
CHART = ROOT / "docs" / "performance-build-time.svg"
START = "<!-- build-speed:start (written by bench/compare.py; edit the script, not this) -->"
END = "<!-- build-speed:end -->"
PY = sys.executable
GNU_TIME = "/usr/bin/time"

# Targets from issue 7 (2-core machine).
TARGET_VS_MKDOCS = 5.0  # x faster at 1,000 pages
TARGET_VS_PELICAN = 7.0
TARGET_10K_SECONDS = 15.0
TARGET_10K_MEMORY_MB = 1024.0
TARGET_LINEARITY = 11.0  # 10k time / 1k time
TARGET_NO_CHANGE = 0.5  # s, 1,000 pages
TARGET_EDIT_REAL = 0.050  # s
TARGET_EDIT_1K = 0.100  # s


# --- running and timing one process ------------------------------------------------------


@dataclass
class Run:
    wall: float  # seconds
    max_rss_mb: float  # GNU time: the largest single process
    tree_pss_mb: float  # sampled: the whole process tree, shared pages counted once
    code: int
    stdout: str = ""


def _children(pid: int) -> list[int]:
    kids: list[int] = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as handle:
                kids += [int(k) for k in handle.read().split()]
    except OSError:
        pass
    return kids


def _tree_pss_kb(pid: int) -> int:
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        try:
            with open(f"/proc/{p}/smaps_rollup") as handle:
                for line in handle:
                    if line.startswith("Pss:"):
                        total += int(line.split()[1])
                        break
        except OSError:
            continue
        todo += _children(p)
    return total


def cpu_pressure() -> float:
    """Share of the last 10 s in which some runnable task waited for a CPU (Linux PSI)."""
    try:
        with open("/proc/pressure/cpu") as handle:
            return float(handle.readline().split()[1].split("=")[1])
    except (OSError, IndexError, ValueError):
        return 0.0


def wait_for_quiet(limit: float = 10.0, longest: float = 60.0) -> float:
    """On a shared machine, wait (up to `longest` s) until other work lets go of the CPUs.
    First flush what earlier runs wrote, so no run pays for another's disk writes."""
    os.sync()
    waited = 0.0
    while cpu_pressure() > limit and waited < longest:
        time.sleep(1.0)
        waited += 1.0
    return waited


def run(cmd: list[str], cwd: Path, sample_memory: bool = False) -> Run:
    """Run cmd under GNU time; returns wall time and peak memory. Sampling the tree's PSS
    costs CPU (reading page tables), so timed runs do not sample: a separate run does."""
    with tempfile.NamedTemporaryFile("r", suffix=".time") as stats:
        full = [GNU_TIME, "-f", "%e %M", "-o", stats.name, *cmd]
        peak = [0]
        started = time.perf_counter()
        proc = subprocess.Popen(full, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        done = threading.Event()

        def sample() -> None:
            while not done.is_set():
                peak[0] = max(peak[0], _tree_pss_kb(proc.pid))
                done.wait(0.05)

        sampler = threading.Thread(target=sample, daemon=True)
        if sample_memory:
            sampler.start()
        out, err = proc.communicate()
        wall = time.perf_counter() - started
        done.set()
        if sample_memory:
            sampler.join()
        fields = stats.read().split()
    if proc.returncode != 0:
        raise SystemExit(f"failed ({proc.returncode}): {' '.join(cmd)}\n{err[-3000:]}")
    max_rss = int(fields[-1]) / 1024 if fields else 0.0
    return Run(wall, max_rss, peak[0] / 1024, proc.returncode, out)


def python_startup(code: str = "pass") -> float:
    """The interpreter's own start (and with code, its imports), which every command line
    build pays before it can do anything."""
    times = []
    for _ in range(7):
        started = time.perf_counter()
        subprocess.run([PY, "-c", code], check=True, cwd=ROOT)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


IMPORTS = "import explainer.cli, explainer.site, explainer.render, explainer.link_checker, explainer.cache"


# --- the generators ------------------------------------------------------------------------


@dataclass
class Generator:
    name: str
    label: str
    out: str  # output folder name inside the corpus folder

    def command(self, corpus: Path) -> tuple[list[str], Path]:
        if self.name.startswith("ours"):
            cmd = [PY, str(ROOT / "build.py"), "build", "--source", "site_src", "--templates", str(ROOT / "templates")]
            cmd += ["--out", self.out] + (["--no-search"] if self.name == "ours" else [])
            return cmd, corpus
        if self.name == "mkdocs":  # search plugin on by default (a lunr index); cleans its output
            return [PY, "-m", "mkdocs", "build", "-q", "-f", "mkdocs/mkdocs.yml", "-d", str(corpus / self.out)], corpus
        if self.name == "pelican":  # no search
            return [
                PY,
                "-m",
                "pelican",
                "pelican/content",
                "-s",
                "pelican/pelicanconf.py",
                "-o",
                self.out,
                "-q",
            ], corpus
        raise ValueError(self.name)

    def clean(self, corpus: Path) -> None:
        discard(corpus / self.out)
        discard(corpus / ".cache")


TRASH = CORPUS / ".trash"


def discard(path: Path) -> None:
    """Move a folder out of the way, to be deleted when the benchmark ends. Deleting it now
    would slow the next build down: ext4 avoids reusing inodes deleted in the last seconds,
    and scanning past tens of thousands of them made creating files several times slower
    (seen here: 1.5 s of kernel time per 10,000-page build became 5 to 15 s)."""
    if path.exists():
        TRASH.mkdir(parents=True, exist_ok=True)
        os.rename(path, TRASH / f"{path.name}-{time.time_ns()}")


GENERATORS = [
    Generator("ours", "ours (no search)", "out-ours"),
    Generator("ours-search", "ours + Pagefind search", "out-ours-search"),
    Generator("mkdocs", "MkDocs 1.6", "out-mkdocs"),
    Generator("pelican", "Pelican 4", "out-pelican"),
]
PEERS = ("mkdocs", "pelican")


def corpus_for(n: int) -> Path:
    """The corpus of n pages (made once; the stamp names the corpus script's version)."""
    folder = CORPUS / f"n{n}"
    stamp = folder / ".stamp"
    want = f"{n}:{hashlib.sha256((ROOT / 'bench' / 'corpus.py').read_bytes()).hexdigest()}"
    if not (stamp.is_file() and stamp.read_text() == want):
        shutil.rmtree(folder, ignore_errors=True)
        make_corpus(n, folder)
        stamp.write_text(want)
    return folder


def page_sizes(out: Path) -> dict[str, float]:
    """Bytes per section page (pages/section-K/page-N.md): mean and max."""
    sizes = [p.stat().st_size for p in out.glob("section-*/page-*/index.html")]
    return {"mean": statistics.mean(sizes), "max": max(sizes), "count": len(sizes)} if sizes else {}


@dataclass
class SizeResult:
    pages: int
    runs: dict[str, list[dict[str, float]]] = field(default_factory=dict)
    median: dict[str, dict[str, float]] = field(default_factory=dict)
    page_bytes: dict[str, dict[str, float]] = field(default_factory=dict)


def bench_size(n: int, rounds: int, peers: bool, log: list[str]) -> SizeResult:
    corpus = corpus_for(n)
    gens = [g for g in GENERATORS if peers or g.name not in PEERS]
    result = SizeResult(n)
    for r in range(rounds):
        order = gens[r % len(gens) :] + gens[: r % len(gens)]  # rotate who goes first
        for gen in order:
            gen.clean(corpus)
            cmd, cwd = gen.command(corpus)
            wait_for_quiet()
            got = run(cmd, cwd)
            result.runs.setdefault(gen.name, []).append(asdict(got) | {"stdout": ""})
            say(
                log,
                f"  {n:>6} pages  round {r + 1}/{rounds}  {gen.label:<24} {got.wall:7.2f} s  "
                f"{got.max_rss_mb:6.0f} MB rss  load {os.getloadavg()[0]:.2f}  cpu pressure {cpu_pressure():.0f}%",
            )
    for gen in gens:  # one more run each, sampling the memory of the whole process tree
        gen.clean(corpus)
        cmd, cwd = gen.command(corpus)
        got = run(cmd, cwd, sample_memory=True)
        result.runs[gen.name][-1]["tree_pss_mb"] = got.tree_pss_mb
        say(log, f"  {n:>6} pages  memory run  {gen.label:<24} {got.tree_pss_mb:6.0f} MB (PSS, whole tree)")
    for gen in gens:
        runs = result.runs[gen.name]
        result.median[gen.name] = {k: statistics.median(x[k] for x in runs) for k in ("wall", "max_rss_mb")}
        result.median[gen.name]["tree_pss_mb"] = max(x["tree_pss_mb"] for x in runs)
        result.median[gen.name]["ms_per_page"] = 1000 * result.median[gen.name]["wall"] / n
        result.page_bytes[gen.name] = page_sizes(corpus / gen.out)
    return result


# --- the cache: no change, one edit ----------------------------------------------------------

_SUMMARY = re.compile(r" in (\d+\.\d+) s")


def internal_seconds(stdout: str) -> float | None:
    m = _SUMMARY.search(stdout)
    return float(m.group(1)) if m else None


def bench_cache(name: str, source: Path, page: Path, rounds: int, search: bool, log: list[str]) -> dict[str, float]:
    """Cold build, then `rounds` no-change rebuilds and `rounds` one-page edits (with the cache)."""
    site = source.parent
    out = site / ("out-cache-search" if search else "out-cache")
    discard(out)
    discard(site / ".cache")
    cmd = [PY, str(ROOT / "build.py"), "build", "--source", str(source), "--templates", str(ROOT / "templates")]
    cmd += ["--out", str(out)] + ([] if search else ["--no-search"])
    run(cmd, site)  # cold: fills the cache
    nochange, nochange_in, edit, edit_in = [], [], [], []
    original = page.read_bytes()
    target = out / _output_of(source, page)
    try:
        for r in range(rounds):
            wait_for_quiet()
            got = run(cmd, site)
            assert "nothing changed" in got.stdout, got.stdout
            nochange.append(got.wall)
            nochange_in.append(internal_seconds(got.stdout) or got.wall)
            marker = f"Benchmark edit {r} {time.time_ns()}."
            page.write_bytes(original + f"\n\n{marker}\n".encode())
            got = run(cmd, site)
            assert marker in target.read_text(encoding="utf-8"), "the edit did not reach the output"
            edit.append(got.wall)
            edit_in.append(internal_seconds(got.stdout) or got.wall)
    finally:
        page.write_bytes(original)
    result = {
        "no_change_s": statistics.median(nochange),
        "no_change_in_process_s": statistics.median(nochange_in),
        "edit_s": statistics.median(edit),
        "edit_in_process_s": statistics.median(edit_in),
    }
    say(log, f"  cache {name}{' + search' if search else ''}: " + ", ".join(f"{k} {v:.3f}" for k, v in result.items()))
    return result


def _output_of(source: Path, page: Path) -> str:
    rel = page.relative_to(source / "pages").with_suffix("")
    return "index.html" if rel.as_posix() == "index" else f"{rel.as_posix()}/index.html"


def real_site_copy() -> Path:
    """A copy of the real site_src (the benchmark edits its pages; never the real ones)."""
    folder = CORPUS / "real"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    shutil.copytree(ROOT / "site_src", folder / "site_src")
    return folder / "site_src"


# --- machine -----------------------------------------------------------------------------


def machine() -> dict[str, str]:
    from importlib import metadata

    cpu = "?"
    with open("/proc/cpuinfo") as handle:
        for line in handle:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    with open("/proc/meminfo") as handle:
        mem_kb = int(handle.readline().split()[1])
    versions = {}
    for pkg in ("mkdocs", "pelican", "markdown", "jinja2", "pagefind"):
        try:
            versions[pkg] = metadata.version(pkg)
        except metadata.PackageNotFoundError:
            versions[pkg] = "not installed"
    return {
        "cpu": cpu,
        "cores": str(len(os.sched_getaffinity(0))),
        "memory": f"{mem_kb / 1024 / 1024:.0f} GB",
        "os": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        **{f"{k} version": v for k, v in versions.items()},
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
    }


def say(log: list[str], line: str) -> None:
    print(line, flush=True)
    log.append(line)


# --- report ------------------------------------------------------------------------------


def verdict(ok: bool) -> str:
    return "met" if ok else "**missed**"


def targets(results: dict) -> list[tuple[str, str, str]]:
    """(target, measured, verdict) rows."""
    rows = []
    by = {r["pages"]: r for r in results["sizes"]}
    k1, k10 = by.get(1000), by.get(10000)
    if k1 and "mkdocs" in k1["median"]:
        for peer, want in (("mkdocs", TARGET_VS_MKDOCS), ("pelican", TARGET_VS_PELICAN)):
            name = "MkDocs" if peer == "mkdocs" else "Pelican"
            for ours, what in (("ours", "without search"), ("ours-search", "with Pagefind search")):
                x = k1["median"][peer]["wall"] / k1["median"][ours]["wall"]
                need = k1["median"][peer]["wall"] / want
                miss = "" if x >= want else f" (needs <= {need:.3f} s, is {k1['median'][ours]['wall']:.3f} s)"
                rows.append(
                    (f"1,000 pages: >= {want:.0f}x faster than {name}, {what}", f"{x:.2f}x{miss}", verdict(x >= want))
                )
    if k10:
        for ours, what in (("ours", "without search"), ("ours-search", "with search")):
            t = k10["median"][ours]["wall"]
            rows.append((f"10,000 pages in <= 15 s, {what}", f"{t:.1f} s", verdict(t <= TARGET_10K_SECONDS)))
            mem = max(k10["median"][ours]["tree_pss_mb"], k10["median"][ours]["max_rss_mb"])
            rows.append(
                (f"10,000 pages under 1 GB peak memory, {what}", f"{mem:.0f} MB", verdict(mem < TARGET_10K_MEMORY_MB))
            )
            if k1:
                ratio = t / k1["median"][ours]["wall"]
                rows.append(
                    (f"linear: 10k time / 1k time <= 11, {what}", f"{ratio:.1f}", verdict(ratio <= TARGET_LINEARITY))
                )
        small = by[min(by)]["page_bytes"]["ours"]["mean"]
        big = k10["page_bytes"]["ours"]["mean"]
        rows.append(
            (
                "per-page output size flat in N (mean bytes, 10k vs smallest)",
                f"{big:,.0f} vs {small:,.0f} B ({big / small:.3f}x)",
                verdict(big <= small * 1.02),
            )
        )
    cache = results.get("cache", {})
    if "corpus-1000" in cache:
        c = cache["corpus-1000"]
        rows.append(
            (
                "no-change rebuild, 1,000 pages < 0.5 s (whole process)",
                f"{c['no_change_s']:.2f} s",
                verdict(c["no_change_s"] < TARGET_NO_CHANGE),
            )
        )
        rows.append(
            (
                "one-page edit to rewritten output, 1,000 pages < 100 ms (whole process)",
                f"{c['edit_s'] * 1000:.0f} ms (in-process {c['edit_in_process_s'] * 1000:.0f} ms)",
                verdict(c["edit_s"] < TARGET_EDIT_1K),
            )
        )
    if "real" in cache:
        c = cache["real"]
        rows.append(
            (
                "one-page edit to rewritten output, real site < 50 ms (whole process)",
                f"{c['edit_s'] * 1000:.0f} ms (in-process {c['edit_in_process_s'] * 1000:.0f} ms)",
                verdict(c["edit_s"] < TARGET_EDIT_REAL),
            )
        )
    return rows


def chart(results: dict) -> str:
    """A small log-log SVG: build time against pages, one line per generator."""
    import math

    w, h, left, right, top, bottom = 560, 320, 60, 150, 20, 45
    sizes = [r["pages"] for r in results["sizes"]]
    walls = [m["wall"] for r in results["sizes"] for m in r["median"].values()]
    x0, x1 = math.log10(min(sizes)), math.log10(max(sizes))
    y0, y1 = math.floor(math.log10(min(walls))), math.ceil(math.log10(max(walls)))
    x1 = x1 if x1 > x0 else x0 + 1

    def px(n: float) -> float:
        return left + (math.log10(n) - x0) / (x1 - x0) * (w - left - right)

    def py(s: float) -> float:
        return h - bottom - (math.log10(s) - y0) / (y1 - y0) * (h - top - bottom)

    colours = {"ours": "#1b6e3a", "ours-search": "#1f5fa8", "mkdocs": "#b3261e", "pelican": "#7a4fb5"}
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" width="{w}" height="{h}" role="img" '
        'aria-labelledby="t d" font-family="sans-serif" font-size="12">',
        '<title id="t">Build time against number of pages</title>',
        '<desc id="d">Median wall time of a clean build, log scales. '
        + "; ".join(
            f"{g.label}: "
            + ", ".join(
                f"{r['pages']} pages {r['median'][g.name]['wall']:.2f} s"
                for r in results["sizes"]
                if g.name in r["median"]
            )
            for g in GENERATORS
        )
        + ".</desc>",
        f'<rect width="{w}" height="{h}" fill="#fff"/>',
    ]
    for e in range(y0, y1 + 1):
        y = py(10**e)
        parts.append(f'<line x1="{left}" y1="{y:.1f}" x2="{w - right}" y2="{y:.1f}" stroke="#ddd"/>')
        parts.append(f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end">{10**e:g} s</text>')
    for n in sizes:
        x = px(n)
        parts.append(f'<line x1="{x:.1f}" y1="{top}" x2="{x:.1f}" y2="{h - bottom}" stroke="#eee"/>')
        parts.append(f'<text x="{x:.1f}" y="{h - bottom + 16}" text-anchor="middle">{n:,}</text>')
    parts.append(f'<text x="{(left + w - right) / 2}" y="{h - 8}" text-anchor="middle">pages</text>')
    for i, g in enumerate(GENERATORS):
        points = [(r["pages"], r["median"][g.name]["wall"]) for r in results["sizes"] if g.name in r["median"]]
        if not points:
            continue
        c = colours[g.name]
        path = " ".join(f"{px(n):.1f},{py(s):.1f}" for n, s in points)
        parts.append(f'<polyline points="{path}" fill="none" stroke="{c}" stroke-width="2.5"/>')
        parts += [f'<circle cx="{px(n):.1f}" cy="{py(s):.1f}" r="3.5" fill="{c}"/>' for n, s in points]
        ly = top + 14 + 18 * i
        parts.append(
            f'<line x1="{w - right + 12}" y1="{ly - 4}" x2="{w - right + 32}" y2="{ly - 4}" '
            f'stroke="{c}" stroke-width="2.5"/>'
        )
        parts.append(f'<text x="{w - right + 36}" y="{ly}">{g.label}</text>')
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


def section(results: dict) -> str:
    m = results["machine"]
    lines = [
        START,
        "## Build speed",
        "",
        "Measured by `python bench/compare.py` (see its docstring for the method): a synthetic corpus of",
        "N Markdown pages of about 650 words each (headings, lists, emphasis, a table, links to",
        f"other pages), in sections of {SECTION_SIZE} pages (`pages/section-K/page-N.md`) plus a home page, built",
        "by each generator as a whole process from a clean state, alternating, median of",
        f"{results['rounds']} rounds. MkDocs and Pelican run with their defaults (MkDocs builds its lunr",
        "search index; Pelican has no search). Our default build also runs Pagefind, so ours is shown",
        "without and with search. Memory: the peak of the summed PSS of the process tree (sampled) and",
        "GNU time's max RSS (largest single process); the larger is shown.",
        "",
        "Machine: " + ", ".join(f"{k} {v}" for k, v in m.items()) + ".",
        "Before each timed run the script waits (up to 60 s) for the CPU pressure of other work on",
        "this shared VM to drop below 10%.",
        f"Python start-up alone (`python -c pass`): {results['python_startup_s'] * 1000:.0f} ms; with our imports"
        f" (Jinja, Markdown, PyYAML and the generator): {results['imports_s'] * 1000:.0f} ms. Every command line build"
        " pays this before it reads a file.",
        f"Load average while measuring: {results['load']}. Other work on this shared machine adds noise.",
        "",
        "![Build time against pages](performance-build-time.svg)",
        "",
        "What makes it fast (details in the modules' docstrings):",
        "",
        "- **Markdown.** Python-Markdown tries about 36 inline patterns (17, plus smarty's 19 in a",
        "  second pass) on every text node. `markdown_ext.py` reads each pattern's regex for the",
        "  literal strings every match must contain (`[`, `*`, `...`, `--`) and skips the pattern for a",
        "  text without them, and skips a whole pass when no text can match. That halved the time to",
        "  render a page, with the same HTML (a test compares it with Python-Markdown's own loop).",
        "- **Both cores.** Pages are parsed and rendered in forked worker processes (`parallel.py`),",
        "  each with its own compiled templates and one Markdown instance reset per page, when a site",
        "  has enough pages to pay for it; results come back in page order (byte-identical output).",
        "- **No per-page work that grows with N.** The menu (top-level pages) was rebuilt for every",
        "  page from the full page list (quadratic); it is computed once.",
        "- **Cache** (`cache.py`, in `.cache/` beside the output): content hashes of every input; an",
        "  unchanged page is not rendered, and its file is hard-linked from the previous output into",
        "  the new tree, which is still swapped in whole. Nothing changed: nothing is written.",
        "  Parsed pages and data, compiled templates and the link check's anchors are kept too, and",
        "  the new tree starts from the one the last swap replaced, so a small rebuild does not",
        "  create and delete thousands of folders.",
        "",
        "| pages | generator | wall (s) | ms/page | peak memory (MB) | this / ours (x faster) |",
        "|---:|---|---:|---:|---:|---:|",
    ]
    for r in results["sizes"]:
        for g in GENERATORS:
            med = r["median"].get(g.name)
            if med is None:
                continue
            mem = max(med["tree_pss_mb"], med["max_rss_mb"])
            ratio = ""
            if g.name in PEERS:
                ours, searching = r["median"]["ours"]["wall"], r["median"]["ours-search"]["wall"]
                ratio = f"{med['wall'] / ours:.2f} (with search {med['wall'] / searching:.2f})"
            lines.append(
                f"| {r['pages']:,} | {g.label} | {med['wall']:.2f} | {med['ms_per_page']:.2f} | {mem:.0f} | {ratio} |"
            )
    peers_max = max((r["pages"] for r in results["sizes"] if "mkdocs" in r["median"]), default=0)
    search_cost = "; ".join(
        f"{r['pages']:,} pages: +{r['median']['ours-search']['wall'] - r['median']['ours']['wall']:.2f} s"
        for r in results["sizes"]
    )
    lines += [
        "",
        f"Pagefind's share (ours with search minus ours without): {search_cost}.",
        "",
        f"Peers were measured up to {peers_max:,} pages: every page of theirs carries the whole menu, so",
        f"at 10,000 pages their output alone would be about {_peer_output_gb(results):.0f} GB (the page sizes below,",
        "times ten, times 10,000 pages). `--peers-max 10000` runs them anyway.",
        "",
        "Per-page output size (mean bytes of a section page's HTML): "
        + "; ".join(
            f"{r['pages']:,} pages: "
            + ", ".join(
                f"{g.label} {r['page_bytes'][g.name]['mean']:,.0f}"
                for g in GENERATORS
                if r["page_bytes"].get(g.name) and g.name != "ours-search"
            )
            for r in results["sizes"]
        )
        + ". Our menu lists only top-level pages and the generated sections, so a page's size does",
        "not grow with the number of pages; MkDocs and Pelican put every page in every page's menu.",
        "",
        "### With the cache",
        "",
        "`python build.py build` keeps a content-hash cache in `.cache/` beside the output",
        "(`--no-cache` turns it off). Whole-process wall times, median; in-process is the build's own",
        "time as it prints it (the rest is Python starting and importing Jinja and Markdown).",
        "",
        "| site | search | no-change rebuild | one-page edit | edit, in-process |",
        "|---|---|---:|---:|---:|",
    ]
    for key, c in results.get("cache", {}).items():
        site, search = key.removesuffix("+search"), key.endswith("+search")
        lines.append(
            f"| {site} | {'yes' if search else 'no'} | {c['no_change_s'] * 1000:.0f} ms | "
            f"{c['edit_s'] * 1000:.0f} ms | {c['edit_in_process_s'] * 1000:.0f} ms |"
        )
    lines += ["", "### Against the targets", "", "| target | measured | |", "|---|---|---|"]
    lines += [f"| {t} | {v} | {ok} |" for t, v, ok in targets(results)]
    notes = results.get("notes", "").strip()
    if notes:
        lines += ["", notes]
    lines += ["", END]
    return "\n".join(lines) + "\n"


def _peer_output_gb(results: dict) -> float:
    """Extrapolated output of the biggest peer at 10,000 pages: its per-page size grows with N."""
    measured = [r for r in results["sizes"] if "mkdocs" in r["page_bytes"]]
    if not measured:
        return 0.0
    r = max(measured, key=lambda r: r["pages"])
    per_page = max(r["page_bytes"][p]["mean"] for p in PEERS if r["page_bytes"].get(p))
    return per_page * (10000 / r["pages"]) * 10000 / 1e9


def write_doc(text: str) -> None:
    """Replace our section of docs/performance.md (or add it), leaving every other section."""
    old = DOC.read_text(encoding="utf-8") if DOC.is_file() else "# Performance\n"
    if START in old and END in old:
        before, rest = old.split(START, 1)
        after = rest.split(END, 1)[1]
        new = before + text.rstrip("\n") + after
    else:
        new = old.rstrip("\n") + "\n\n" + text
    DOC.write_text(new, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="100,1000,10000", help="page counts (default: 100,1000,10000)")
    parser.add_argument("--rounds", type=int, default=3, help="rounds per size (default: 3)")
    parser.add_argument("--peers-max", type=int, default=1000, help="largest size to run MkDocs and Pelican at")
    parser.add_argument("--no-cache-bench", action="store_true", help="skip the no-change and edit measurements")
    parser.add_argument("--notes", type=Path, help="Markdown appended to the section (default: bench/notes.md)")
    parser.add_argument("--dry-run", action="store_true", help="print the section instead of writing files")
    parser.add_argument(
        "--report-only", action="store_true", help="rewrite the section and chart from results.json only"
    )
    args = parser.parse_args()
    if args.report_only:
        results = json.loads(RESULTS.read_text(encoding="utf-8"))
        notes = args.notes or (ROOT / "bench" / "notes.md")
        results["notes"] = notes.read_text(encoding="utf-8") if notes.is_file() else ""
        CHART.write_text(chart(results), encoding="utf-8")
        write_doc(section(results))
        print(f"rewrote {DOC.relative_to(ROOT)} and {CHART.relative_to(ROOT)} from {RESULTS.relative_to(ROOT)}")
        return
    sizes = sorted(int(s) for s in args.sizes.split(","))
    log: list[str] = []
    loads = [os.getloadavg()[0]]
    results: dict = {
        "machine": machine(),
        "rounds": args.rounds,
        "python_startup_s": python_startup(),
        "imports_s": python_startup(IMPORTS),
        "sizes": [],
    }
    for n in sizes:
        say(log, f"{n} pages")
        results["sizes"].append(asdict(bench_size(n, args.rounds, n <= args.peers_max, log)))
        loads.append(os.getloadavg()[0])
    if not args.no_cache_bench:
        cache: dict[str, dict[str, float]] = {}
        src = corpus_for(1000) / "site_src"
        page = src / "pages" / "section-2" / "page-5.md"
        for search in (False, True):
            cache["corpus-1000" + ("+search" if search else "")] = bench_cache("corpus-1000", src, page, 5, search, log)
        real = real_site_copy()
        for search in (False, True):
            cache["real" + ("+search" if search else "")] = bench_cache(
                "real", real, real / "pages" / "study.md", 5, search, log
            )
        results["cache"] = cache
        loads.append(os.getloadavg()[0])
    results["load"] = f"{min(loads):.1f} to {max(loads):.1f}"
    notes = args.notes or (ROOT / "bench" / "notes.md")
    results["notes"] = notes.read_text(encoding="utf-8") if notes.is_file() else ""
    shutil.rmtree(TRASH, ignore_errors=True)
    text = section(results)
    if args.dry_run:
        print(text)
        return
    RESULTS.write_text(json.dumps(results | {"log": log}, indent=1) + "\n", encoding="utf-8")
    CHART.write_text(chart(results), encoding="utf-8")
    write_doc(text)
    print(f"wrote {RESULTS.relative_to(ROOT)}, {CHART.relative_to(ROOT)}, {DOC.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
