"""Benchmark of a series (issue 22, item 6): N explainers on one site against one explainer.

    python bench/series.py                 # 100 explainers, 3 rounds
    python bench/series.py --explainers 10 --rounds 1

Each explainer is a copy of the real site (site_src/: 26 pages, with its data, facts,
figures and corrections), made an explainer of a series as docs/editing.md says (its
site.yaml's own keys as explainer.yaml; its links from the site's root made relative), so
100 explainers are about 2,600 pages. Measured, each as a whole process under GNU time
(bench/compare.py's `run`), search on (our default):

- one explainer: the real site alone, built clean (no output, no cache);
- the series, built clean (--no-cache), with the peak memory of its process tree;
- the series rebuilt with the cache after editing one page of one explainer (the default
  `build`), checked to equal a clean build of the same sources.

Reports the ratios the issue sets: series / one explainer (at most 40x) and one-explainer
edit / one explainer (at most 2x). Writes bench/series-results.json.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from compare import PY, run, wait_for_quiet  # noqa: E402 - bench/ is not a package

RESULTS = ROOT / "bench" / "series-results.json"
SERIES_KEYS = ("base_url:", "language:", "url_prefix:")


def make_series(target: Path, count: int) -> Path:
    """A series of `count` copies of the real site."""
    source = ROOT / "site_src"
    root = target / "series"
    (root / "explainers").mkdir(parents=True)
    own = (source / "site.yaml").read_text(encoding="utf-8").splitlines()
    keep = [line for line in own if line.startswith(("base_url:", "language:", "publisher:", "last_reviewed:"))]
    (root / "site.yaml").write_text(
        'title: "A series of explainers"\ndescription: "Every explainer of the benchmark."\n' + "\n".join(keep) + "\n",
        encoding="utf-8",
    )
    shutil.copytree(source / "static", root / "static")
    for i in range(count):
        folder = root / "explainers" / f"e{i:03d}"
        shutil.copytree(source, folder, ignore=shutil.ignore_patterns("static", "site.yaml"))
        lines = [line for line in own if not line.startswith(SERIES_KEYS)]
        (folder / "explainer.yaml").write_text("\n".join(lines) + f"\npublished: 2026-{1 + i % 12:02d}-01\n", "utf-8")
        for page in (folder / "pages").rglob("*.md"):  # links from the site's root, made the explainer's
            text = page.read_text(encoding="utf-8")
            page.write_text(
                text.replace("](/corrections/)", "](../corrections/)").replace("](/facts/)", "](../facts/)")
            )
    return root


def build(source: Path, out: Path, *extra: str, memory: bool = False):  # type: ignore[no-untyped-def]
    wait_for_quiet()
    return run([PY, str(ROOT / "build.py"), "build", "--source", str(source), "--out", str(out), *extra], ROOT, memory)


def tree(root: Path) -> dict[str, bytes]:
    found = {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}
    found.pop(".explainer-output", None)
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--explainers", type=int, default=100)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    rows: dict[str, list[tuple[float, float]]] = {"one": [], "series": [], "edit": []}
    peak = 0.0
    pages = 0
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        root = make_series(work, args.explainers)
        for n in range(args.rounds):
            for name in ("one", "series"):
                out = work / f"out-{name}-{n}"
                got = build(ROOT / "site_src" if name == "one" else root, out, "--no-cache")
                rows[name].append((got.wall, got.cpu))
                shutil.rmtree(out)
            out = work / f"out-cached-{n}"
            build(root, out)  # the cache's first build
            page = root / "explainers" / "e050" / "pages" / "study.md" if args.explainers > 50 else None
            page = page or root / "explainers" / "e000" / "pages" / "study.md"
            page.write_text(page.read_text(encoding="utf-8") + f"\nOne more sentence, round {n}.\n", encoding="utf-8")
            got = build(root, out)
            rows["edit"].append((got.wall, got.cpu))
            assert "unchanged explainer(s)" in got.stdout, got.stdout
            clean = work / f"out-clean-{n}"
            build(root, clean, "--no-cache")
            assert tree(out) == tree(clean), "the edited build differs from a clean one"
            pages = sum(1 for p in clean.rglob("*.html") if "pagefind" not in p.parts)
            shutil.rmtree(out)
            shutil.rmtree(clean)
        measured = build(root, work / "out-memory", "--no-cache", memory=True)
        peak = measured.tree_pss_mb
    median = {
        name: (statistics.median(w for w, _ in r), statistics.median(c for _, c in r)) for name, r in rows.items()
    }
    result = {
        "explainers": args.explainers,
        "pages": pages,
        "rounds": args.rounds,
        "one_explainer": {"wall": median["one"][0], "cpu": median["one"][1]},
        "series": {"wall": median["series"][0], "cpu": median["series"][1], "peak_memory_mb": peak},
        "one_explainer_edit": {"wall": median["edit"][0], "cpu": median["edit"][1]},
        "ratios": {
            "series_over_one_wall": median["series"][0] / median["one"][0],
            "series_over_one_cpu": median["series"][1] / median["one"][1],
            "edit_over_one_wall": median["edit"][0] / median["one"][0],
            "edit_over_one_cpu": median["edit"][1] / median["one"][1],
        },
        "targets": {"series_over_one": 40, "edit_over_one": 2},
    }
    RESULTS.write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    print(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
